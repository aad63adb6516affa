// Formatting machinery: Debug/Display, widths, precision, alignment, radixes, floats
// (Grisu/Dragon shortest and fixed precision), exponent form, padding with custom fills.
use std::fmt;

#[derive(Debug, Clone, Default)]
struct Point {
    x: f64,
    y: f64,
    label: Option<String>,
}

#[derive(Debug)]
enum Shape {
    Circle { center: Point, r: f32 },
    Poly(Vec<Point>),
    Empty,
}

struct Matrix([[i32; 3]; 3]);
impl fmt::Display for Matrix {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        for row in &self.0 {
            writeln!(f, "[{:>5} {:>5} {:>5}]", row[0], row[1], row[2])?;
        }
        Ok(())
    }
}

struct Hexdump<'a>(&'a [u8]);
impl fmt::Display for Hexdump<'_> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        for (i, chunk) in self.0.chunks(16).enumerate() {
            write!(f, "{:08x}: ", i * 16)?;
            for b in chunk {
                write!(f, "{:02x} ", b)?;
            }
            for _ in chunk.len()..16 {
                f.write_str("   ")?;
            }
            let text: String = chunk.iter().map(|&b| if (0x20..0x7f).contains(&b) { b as char } else { '.' }).collect();
            writeln!(f, "|{}|", text)?;
        }
        Ok(())
    }
}

fn main() {
    let floats: [f64; 16] = [
        0.0, -0.0, 1.0, 0.1, 1.0 / 3.0, 2.0f64.sqrt(), 1e21, 1e-7, 123456789.125, -9.87654321e-300,
        f64::MAX, f64::MIN_POSITIVE, 5e-324, f64::INFINITY, f64::NEG_INFINITY, 6.02214076e23,
    ];
    for x in floats.iter() {
        println!("{} | {:?} | {:.3} | {:>12.4e} | {:+.0} | {:<10.2}|", x, x, x, x, x, x);
    }
    let f32s: [f32; 8] = [0.1, 1.0 / 3.0, 16777217.0, 3.4028235e38, 1.17549435e-38, 1e-45, -2.5, 100.0];
    for x in f32s.iter() {
        println!("{} {:?} {:e} {:.10}", x, x, x, x);
    }
    println!("nan={} {:?} {:>6}", f64::NAN, f32::NAN, f64::NAN);
    for i in [0i64, 1, -1, 255, -256, 65535, i64::MAX, i64::MIN, 1234567890123].iter() {
        println!("{:>21} {:<21}| {:+} {:x} {:X} {:o} {:#b} {:#018x} {:^9}|{:*^9}", i, i, i, i, i, i, (*i as u8), i, i % 1000, i % 100);
    }
    println!("u128 max {} hex {:x} i128 min {}", u128::MAX, u128::MAX, i128::MIN);
    println!("{:#x} {:#o} {:#b} {:010.3} {:+010} {:e}", 255u8, 8u16, 5u32, -3.14159, 42, 1234.5f32);
    let w = 12;
    let p = 5;
    println!("[{:w$.p$}] [{:>1$}] [{:.*}] [{:>width$?}]", 3.14159265358979, 8, 3, 2.718281828, "ab", width = 7, w = w, p = p);
    let s = "héllo wörld";
    println!("[{:>15}] [{:<15}] [{:^15}] [{:.4}] [{:-^20.7}]", s, s, s, s, s);
    let pt = Point { x: 1.5, y: -2.25, label: Some("origin\t\"quoted\"\n".into()) };
    println!("{:?}", pt);
    println!("{:#?}", pt);
    let shapes = vec![
        Shape::Circle { center: Point::default(), r: 2.5 },
        Shape::Poly(vec![Point { x: 0.0, y: 1.0, label: None }, Point { x: 1e10, y: 1e-10, label: Some("é→∑".into()) }]),
        Shape::Empty,
    ];
    println!("{:?}", shapes);
    println!("{:#?}", shapes[1]);
    println!("{}", Matrix([[1, -20, 300], [4000, -50000, 6], [7, 8, -9]]));
    let bytes: Vec<u8> = (0..70u32).map(|i| (i * 37 + 11) as u8).collect();
    print!("{}", Hexdump(&bytes));
    println!("{:?} {:?} {:?}", 'a', '\u{1F600}', "tab\tnl\nquote\"bs\\ nul\0 bell\u{7} del\u{7f} é");
    println!("{:?} {:?} {:?}", (1, "two", 3.0), [Some(1), None], Ok::<u8, String>(5));
    println!("{:5}|{:<5}|{:>5}|{:^5}|", true, false, 'x', "é");
    let mut out = String::new();
    for i in 0..20 {
        use std::fmt::Write;
        write!(out, "{:02}:{:.2} ", i, (i as f64).powf(1.5)).unwrap();
    }
    println!("{}", out.trim_end());
    let v: Vec<String> = (1..=12).map(|i| format!("{:.*}", i % 7, 1.0 / i as f64)).collect();
    println!("{}", v.join(" "));
    // Float parsing round trips.
    let texts = ["3.14", "-0.0", "1e300", "2.2250738585072014e-308", "0.30000000000000004", "inf", "-NaN", "1_000", "12e", "  7"];
    for t in texts.iter() {
        println!("{:>26} -> {:?} / {:?}", t, t.parse::<f64>(), t.parse::<f32>());
    }
}
