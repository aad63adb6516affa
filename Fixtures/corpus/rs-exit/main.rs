// std::process::exit with a non-zero code after output on stdout and stderr; Drop does not run.
struct Noisy(&'static str);
impl Drop for Noisy {
    fn drop(&mut self) { println!("drop {}", self.0); }
}

fn main() {
    let _outer = Noisy("outer (never dropped)");
    {
        let _inner = Noisy("inner");
    }
    let primes: Vec<u32> = (2..200u32).filter(|n| (2..*n).take_while(|d| d * d <= *n).all(|d| n % d != 0)).collect();
    println!("{} primes below 200, last {:?}", primes.len(), primes.last());
    eprintln!("warning: exiting with code {}", primes.len() % 50);
    std::process::exit((primes.len() % 50) as i32);
}
