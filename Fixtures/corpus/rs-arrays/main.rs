// Fixed-size array equality and ordering for many lengths and element types (LLVM turns
// `[u8; 6] == [u8; 6]` into odd-width loads such as `i32.load` + `i64.load16_u`), struct
// equality, slices, iterators, closures, trait objects and generics.
use std::fmt::Debug;

static mut SINK: u64 = 0;

#[inline(never)]
fn bytes(seed: u64, n: usize) -> Vec<u8> {
    let mut x = seed;
    (0..n).map(|_| { x = x.wrapping_mul(6364136223846793005).wrapping_add(1); (x >> 59) as u8 }).collect()
}

macro_rules! array_eq {
    ($($n:expr),*) => {{
        let mut line = String::new();
        $(
            {
                let mut eq = 0u32;
                let mut lt = 0u32;
                for seed in 0..64u64 {
                    let a = bytes(seed, $n);
                    let b = bytes(seed ^ 1, $n);
                    let mut x = [0u8; $n];
                    let mut y = [0u8; $n];
                    x.copy_from_slice(&a);
                    y.copy_from_slice(&b);
                    if seed % 3 == 0 { y = x; }
                    if seed % 5 == 0 && $n > 0 { y[($n as usize).saturating_sub(1)] ^= 1; }
                    if seed % 7 == 0 && $n > 1 { y[$n / 2] = x[$n / 2].wrapping_add(1); }
                    if eq_u8(&x, &y) { eq += 1; }
                    if x < y { lt += 1; }
                    unsafe { SINK = SINK.wrapping_add((x == y) as u64 + ((x != y) as u64) * 2); }
                }
                line.push_str(&format!(" {}:{}/{}", $n, eq, lt));
            }
        )*
        line
    }};
}

#[inline(never)]
fn eq_u8<const N: usize>(a: &[u8; N], b: &[u8; N]) -> bool {
    a == b
}

macro_rules! typed_eq {
    ($t:ty; $($n:expr),*) => {{
        let mut out = Vec::new();
        $(
            {
                let mut count = 0;
                for seed in 0..40u64 {
                    let src = bytes(seed, $n * 8);
                    let mut x = [0 as $t; $n];
                    for (i, v) in x.iter_mut().enumerate() { *v = src[i * 8] as $t * 3 + src[i * 8 + 1] as $t; }
                    let mut y = x;
                    if seed % 2 == 1 { y[(seed as usize) % $n] = y[(seed as usize) % $n].wrapping_add(1 as $t); }
                    if cmp_any(&x, &y) { count += 1; }
                }
                out.push(count);
            }
        )*
        println!("{:>4} {:?}", stringify!($t), out);
    }};
}

#[inline(never)]
fn cmp_any<T: PartialEq, const N: usize>(a: &[T; N], b: &[T; N]) -> bool {
    a == b
}

#[derive(Clone, Copy, PartialEq, Eq, Debug, PartialOrd, Ord, Hash)]
struct Mac([u8; 6]);

#[derive(Clone, Copy, PartialEq, Debug)]
struct Packet {
    src: Mac,
    dst: Mac,
    kind: u16,
    len: u8,
    flags: [bool; 3],
}

trait Shape: Debug {
    fn area(&self) -> f64;
    fn name(&self) -> String { format!("{:?}", self) }
    fn scale(&mut self, k: f64);
}
#[derive(Debug)]
struct Rect { w: f64, h: f64 }
#[derive(Debug)]
struct Circle { r: f64 }
#[derive(Debug)]
struct Tri { a: f64, b: f64, c: f64 }
impl Shape for Rect { fn area(&self) -> f64 { self.w * self.h } fn scale(&mut self, k: f64) { self.w *= k; self.h *= k; } }
impl Shape for Circle { fn area(&self) -> f64 { 3.141592653589793 * self.r * self.r } fn scale(&mut self, k: f64) { self.r *= k; } fn name(&self) -> String { "circle".into() } }
impl Shape for Tri {
    fn area(&self) -> f64 { let s = (self.a + self.b + self.c) / 2.0; (s * (s - self.a) * (s - self.b) * (s - self.c)).sqrt() }
    fn scale(&mut self, k: f64) { self.a *= k; self.b *= k; self.c *= k; }
}

fn apply<F: Fn(i64) -> i64>(f: F, n: i64) -> i64 { f(f(n)) }
fn make_adder(k: i64) -> impl Fn(i64) -> i64 { move |x| x + k }
fn make_boxed(k: i64) -> Box<dyn FnMut(i64) -> i64> { let mut total = 0; Box::new(move |x| { total += x * k; total }) }

fn main() {
    println!("u8 arrays{}", array_eq!(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 20, 23, 24, 31, 32, 33, 48, 63, 64, 65, 100, 128));
    typed_eq!(u16; 1, 2, 3, 4, 5, 6, 7, 8, 12, 16);
    typed_eq!(i16; 3, 5, 9);
    typed_eq!(u32; 1, 2, 3, 4, 5, 6, 7, 8);
    typed_eq!(i32; 3, 6);
    typed_eq!(u64; 1, 2, 3, 4, 5);
    typed_eq!(i64; 2, 3);
    typed_eq!(u128; 1, 2, 3);
    typed_eq!(i8; 1, 3, 6, 9, 12);

    let macs: Vec<Mac> = (0..50u64).map(|s| { let b = bytes(s % 17, 6); Mac([b[0], b[1], b[2], b[3], b[4], b[5]]) }).collect();
    let mut uniq = macs.clone();
    uniq.sort();
    uniq.dedup();
    let eq_pairs = macs.iter().enumerate().flat_map(|(i, a)| macs[i + 1..].iter().map(move |b| (a == b) as u32)).sum::<u32>();
    println!("macs uniq={} eq_pairs={} first={:?} max={:?}", uniq.len(), eq_pairs, uniq[0], macs.iter().max());
    let packets: Vec<Packet> = macs.windows(2).enumerate().map(|(i, w)| Packet { src: w[0], dst: w[1], kind: (i % 3) as u16, len: (i * 7) as u8, flags: [i % 2 == 0, i % 3 == 0, i % 5 == 0] }).collect();
    let same = packets.iter().zip(packets.iter().skip(17)).filter(|(a, b)| a.src == b.src && a.flags == b.flags).count();
    let dup = packets.iter().filter(|p| packets.iter().filter(|q| *q == *p).count() > 1).count();
    println!("packets same={} dup={} p3={:?}", same, dup, packets[3]);

    // Slices and iterators.
    let data: Vec<i32> = (0..200).map(|i| ((i * 37) % 101) - 50).collect();
    let evens: Vec<i32> = data.iter().copied().filter(|x| x % 2 == 0).collect();
    let sq_sum: i64 = data.iter().map(|&x| (x as i64) * (x as i64)).sum();
    let (pos, neg): (Vec<i32>, Vec<i32>) = data.iter().partition(|&&x| x >= 0);
    let maxrun = data.windows(2).fold((0, 0), |(best, cur), w| if w[1] > w[0] { (best.max(cur + 1), cur + 1) } else { (best, 0) }).0;
    println!("evens={} sq_sum={} pos={} neg={} maxrun={}", evens.len(), sq_sum, pos.len(), neg.len(), maxrun);
    let zipped: Vec<(i32, char)> = data.iter().step_by(23).cloned().zip("abcdefghij".chars()).collect();
    println!("zip {:?}", zipped);
    let folded = data.chunks_exact(8).map(|c| c.iter().rev().fold(0i64, |a, &b| a * 3 + b as i64)).collect::<Vec<_>>();
    println!("chunks {:?}", &folded[..6]);
    println!("any={} all={} find={:?} rposition={:?} min_by_key={:?} last={:?}",
        data.iter().any(|&x| x == 42), data.iter().all(|&x| x > -51), data.iter().find(|&&x| x > 45), data.iter().rposition(|&x| x < -49),
        data.iter().enumerate().min_by_key(|(_, &x)| (x - 7).abs()), data.iter().rev().skip_while(|&&x| x > 0).take(3).collect::<Vec<_>>());
    let flat: Vec<u8> = vec![vec![1u8, 2], vec![], vec![3, 4, 5]].into_iter().flatten().chain(std::iter::repeat(9).take(2)).collect();
    println!("flat {:?} scan {:?}", flat, flat.iter().scan(0u32, |s, &x| { *s += x as u32; Some(*s) }).collect::<Vec<_>>());
    let mut arr2 = [[0u16; 7]; 5];
    for (i, row) in arr2.iter_mut().enumerate() { for (j, v) in row.iter_mut().enumerate() { *v = (i * 7 + j) as u16 * 11 % 13; } }
    let transposed: Vec<Vec<u16>> = (0..7).map(|j| arr2.iter().map(|r| r[j]).collect()).collect();
    println!("arr2 {:?} t[6]={:?} eq_rows={}", arr2[4], transposed[6], arr2.iter().filter(|r| **r == arr2[0]).count());
    let mut sl = [5u8, 3, 9, 1, 7, 2, 8];
    sl.reverse();
    sl[1..5].sort_unstable();
    sl.swap(0, 6);
    println!("slice ops {:?} {:?} {:?} {}", sl, sl.iter().rev().collect::<Vec<_>>(), sl.contains(&9), sl.starts_with(&[5]));

    // Closures and trait objects.
    let adders: Vec<Box<dyn Fn(i64) -> i64>> = vec![Box::new(make_adder(3)), Box::new(|x| x * x), Box::new(make_adder(-10)), Box::new(move |x| x ^ 0x55)];
    let res: Vec<i64> = adders.iter().map(|f| apply(f, 7)).collect();
    let mut acc = make_boxed(3);
    let accs: Vec<i64> = (1..6).map(|i| acc(i)).collect();
    println!("closures {:?} {:?} compose={}", res, accs, adders.iter().fold(2, |v, f| f(v)));
    let mut shapes: Vec<Box<dyn Shape>> = vec![Box::new(Rect { w: 3.0, h: 4.5 }), Box::new(Circle { r: 1.25 }), Box::new(Tri { a: 3.0, b: 4.0, c: 5.0 })];
    for s in shapes.iter_mut() { s.scale(1.5); }
    shapes.sort_by(|a, b| a.area().partial_cmp(&b.area()).unwrap());
    for s in &shapes { println!("{} area={:.6}", s.name(), s.area()); }
    let total: f64 = shapes.iter().map(|s| s.area()).sum();
    println!("total area {:.9} sink {}", total, unsafe { SINK });
}
