// An uncaught panic with the default hook: std prints the message to stderr and aborts,
// which on wasm is an `unreachable` trap (wasmtime exits with 134).
fn parse_all(items: &[&str]) -> Vec<i32> {
    items.iter().map(|s| s.parse::<i32>().expect("bad number")).collect()
}

fn main() {
    let good = parse_all(&["1", "-2", "30"]);
    println!("parsed {:?} sum {}", good, good.iter().sum::<i32>());
    let mut depth = 0u32;
    fn recurse(n: u32, depth: &mut u32) -> u32 { *depth += 1; if n == 0 { 0 } else { n + recurse(n - 1, depth) } }
    println!("recursion {} depth {}", recurse(1000, &mut depth), depth);
    let bad = parse_all(&["4", "five", "6"]);
    println!("never printed {:?}", bad);
}
