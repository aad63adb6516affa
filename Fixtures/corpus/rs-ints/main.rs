// Integer arithmetic on every width (i8..i128, u8..u128) with wrapping / checked / saturating /
// overflowing operations, bit operations, conversions and casts, and f32/f64 math.
// Operands come from a generator seeded from argv so nothing folds at compile time.

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545F4914F6CDD1D)
    }
    fn special(&mut self) -> u64 {
        const S: [u64; 8] = [0, 1, u64::MAX, 0x8000_0000_0000_0000, 0x7fff_ffff_ffff_ffff, 0x80, 0x7fff, 0xffff_ffff];
        let r = self.next();
        if r % 4 == 0 { S[(r >> 8) as usize % 8] } else { self.next() }
    }
}

fn fold(h: u64, x: u64) -> u64 {
    (h ^ x).wrapping_mul(0x100000001b3).rotate_left(7)
}

macro_rules! int_suite {
    ($rng:expr, $($t:ident),*) => {$(
        {
            let mut h = 0u64;
            let mut sample = String::new();
            for i in 0..60 {
                let a = $rng.special() as $t;
                let b = $rng.special() as $t;
                let s = ($rng.next() % 300) as u32;
                let r = [
                    a.wrapping_add(b) as u64, a.wrapping_sub(b) as u64, a.wrapping_mul(b) as u64,
                    a.checked_div(b).map(|x| x as u64).unwrap_or(0xdead), a.checked_rem(b).map(|x| x as u64).unwrap_or(0xbeef),
                    a.wrapping_div(if b == 0 { 1 } else { b }) as u64, a.wrapping_rem(if b == 0 { 3 } else { b }) as u64,
                    a.saturating_add(b) as u64, a.saturating_sub(b) as u64, a.saturating_mul(b) as u64,
                    a.overflowing_add(b).1 as u64, a.overflowing_mul(b).1 as u64, a.overflowing_sub(b).1 as u64,
                    a.checked_add(b).is_some() as u64, a.checked_mul(b).is_none() as u64,
                    (a & b) as u64, (a | b) as u64, (a ^ b) as u64, (!a) as u64,
                    a.wrapping_shl(s) as u64, a.wrapping_shr(s) as u64, a.checked_shl(s).is_some() as u64,
                    a.rotate_left(s) as u64, a.rotate_right(s) as u64,
                    a.count_ones() as u64, a.leading_zeros() as u64, a.trailing_zeros() as u64,
                    a.swap_bytes() as u64, a.reverse_bits() as u64, a.to_be() as u64,
                    a.wrapping_neg() as u64, a.wrapping_pow(s % 9) as u64, a.checked_pow(s % 5).is_some() as u64,
                    (a < b) as u64, (a <= b) as u64, (a > b) as u64, (a >= b) as u64, (a == b) as u64, a.max(b) as u64, a.min(b) as u64,
                    a.rem_euclid(if b == 0 { 7 } else { b }.max(1)) as u64,
                    (a as i128 >> 3) as u64, (a as u128 >> 70) as u64, a as u8 as u64, a as i16 as u64, a as f64 as u64, a as f32 as i64 as u64,
                ];
                for x in r.iter() { h = fold(h, *x); }
                if i < 3 {
                    sample.push_str(&format!(" [{} {} -> {} {} {:?} {}]", a, b, a.wrapping_mul(b), a.saturating_sub(b), a.checked_div(b), a.rotate_left(s)));
                }
            }
            println!("{:>5} {:016x}{}", stringify!($t), h, sample);
        }
    )*};
}

fn floats(rng: &mut Rng) {
    let mut h = 0u64;
    let mut lines = Vec::new();
    for i in 0..80 {
        let a = (rng.next() as i64 as f64) / (rng.next() % 1000000 + 1) as f64 / 1e9;
        let b = ((rng.next() % 20000) as f64 - 10000.0) / 7.0;
        let vals = [
            a + b, a - b, a * b, a / b, a.sqrt(), b.abs().sqrt(), a.floor(), a.ceil(), a.trunc(), a.round(),
            a.mul_add(b, 1.5), a.min(b), a.max(b), a.copysign(b), (a * 1e-3).exp(), b.abs().ln(), b.abs().log10(),
            (a * 0.01).sin(), (a * 0.01).cos(), (b * 0.001).tan(), (b / 1e4).asin(), (b / 1e4).acos(), a.atan2(b), b.atan(),
            (b * 0.001).sinh(), (b * 0.001).cosh(), (b * 0.001).tanh(), b.abs().cbrt(), a.hypot(b), b.powf(0.37), b.powi(3),
            (a as f32 * b as f32) as f64, (a as f32).sqrt() as f64, (b as f32).sin() as f64, (a as f32 / b as f32) as f64,
            (b as f32).mul_add(a as f32, 2.0) as f64, f64::from_bits(a.to_bits() ^ 1), a.rem_euclid(b), a % b,
        ];
        for v in vals.iter() {
            // NaN sign and payload are nondeterministic in wasm: hash a canonical NaN.
            h = fold(h, if v.is_nan() { 0x7ff8_0000_0000_0000 } else { v.to_bits() });
        }
        let ints = [a as i8 as i64, a as u8 as i64, a as i32 as i64, a as u32 as i64, a as i64, a as u64 as i64, (a * 1e20) as i64, (b * -1e30) as u64 as i64, f64::NAN as i32 as i64, (a as i128) as i64];
        for v in ints.iter() { h = fold(h, *v as u64); }
        if i < 4 {
            lines.push(format!("a={:e} b={:e} mul_add={:e} sin={:e} atan2={:e} f32={:e} casts={:?}", a, b, vals[10], vals[17], vals[22], vals[31], &ints[..6]));
        }
    }
    for l in lines { println!("{}", l); }
    println!("floats {:016x}", h);
    let specials = [0.0f64, -0.0, f64::INFINITY, f64::NEG_INFINITY, f64::NAN, f64::MIN_POSITIVE, 1e-310, f64::MAX];
    for x in specials.iter() {
        println!("{:e}: sqrt={:?} recip={:?} floor={:?} sign={} nan={} inf={} normal={} classify={:?} as_i32={} as_u64={} f32={:?}",
            x, x.sqrt(), x.recip(), x.floor(), x.signum(), x.is_nan(), x.is_infinite(), x.is_normal(), x.classify(), *x as i32, *x as u64, *x as f32);
    }
}

fn main() {
    let seed = 0x9E3779B97F4A7C15u64 ^ (std::env::args().count() as u64).wrapping_mul(0xff51afd7ed558ccd);
    let mut rng = Rng(seed);
    int_suite!(rng, u8, i8, u16, i16, u32, i32, u64, i64, u128, i128, usize, isize);
    // u128 / i128 specific: long multiplication and division.
    let mut acc: u128 = 1;
    for i in 1..=34u128 { acc = acc.wrapping_mul(i); }
    println!("34! mod 2^128 = {} ; /7 = {} ; %1e18 = {}", acc, acc / 7, acc % 1_000_000_000_000_000_000);
    let x = (rng.next() as u128) << 64 | rng.next() as u128;
    let y = (rng.next() as u128) | 1;
    println!("x={} y={} x/y={} x%y={} x*y={} lz={} x>>77={}", x, y, x / y, x % y, x.wrapping_mul(y), x.leading_zeros(), x >> 77);
    let ix = -(x as i128 >> 2);
    println!("ix={} ix/3={} ix%-7={} ix>>100={} abs={} checked_neg(MIN)={:?}", ix, ix / 3, ix % -7, ix >> 100, ix.abs(), i128::MIN.checked_neg());
    // Collatz and gcd on u64 / u32
    let mut steps = 0u32;
    let mut n: u64 = 837799 + (rng.next() % 2);
    while n != 1 { n = if n % 2 == 0 { n / 2 } else { 3 * n + 1 }; steps += 1; }
    fn gcd(a: u64, b: u64) -> u64 { if b == 0 { a } else { gcd(b, a % b) } }
    println!("collatz steps {} gcd {} {}", steps, gcd(1071 * 97, 462 * 97), gcd(u64::MAX, 0xffff_ffff));
    floats(&mut rng);
    // i64 <-> float conversion boundaries
    for v in [i64::MAX, i64::MIN, 1 << 53, (1 << 53) + 1, -(1 << 24) - 1].iter() {
        println!("{} -> f64 {} f32 {} back {}", v, *v as f64, *v as f32, (*v as f64) as i64);
    }
}
