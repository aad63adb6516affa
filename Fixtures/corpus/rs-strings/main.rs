// String processing: UTF-8 validation and decoding, char iteration and classification,
// split/trim/replace/find, parsing numbers, case mapping, a small CSV parser and a tokenizer.
use std::collections::BTreeMap;
use std::str::FromStr;

const TEXT: &str = "Grüße aus Köln! Ελληνικά κείμενα, русский текст, 日本語のテキスト, emoji 🦀🚀 and ASCII.\n\
Line two:\tTabs\tand  double  spaces; numbers 42, -17, 3.5e2, 0x1F, 1_000.\n\
ﬁ ligature, İstanbul, ß → SS, ǅ titlecase, combining é (e\u{301}).";

#[derive(Debug, PartialEq)]
enum Tok {
    Num(f64),
    Ident(String),
    Op(char),
    Str(String),
}

fn tokenize(s: &str) -> Result<Vec<Tok>, String> {
    let mut out = Vec::new();
    let mut it = s.char_indices().peekable();
    while let Some(&(i, c)) = it.peek() {
        if c.is_whitespace() {
            it.next();
        } else if c.is_ascii_digit() || c == '.' {
            let start = i;
            let mut end = i;
            while let Some(&(j, d)) = it.peek() {
                if d.is_ascii_digit() || d == '.' || d == 'e' { end = j + d.len_utf8(); it.next(); } else { break; }
            }
            out.push(Tok::Num(s[start..end].parse().map_err(|e| format!("{:?} at {}", e, start))?));
        } else if c.is_alphabetic() || c == '_' {
            let mut id = String::new();
            while let Some(&(_, d)) = it.peek() {
                if d.is_alphanumeric() || d == '_' { id.push(d); it.next(); } else { break; }
            }
            out.push(Tok::Ident(id));
        } else if c == '"' {
            it.next();
            let mut lit = String::new();
            loop {
                match it.next() {
                    Some((_, '"')) => break,
                    Some((_, '\\')) => match it.next() {
                        Some((_, 'n')) => lit.push('\n'),
                        Some((_, 'u')) => {
                            let hex: String = (0..4).filter_map(|_| it.next().map(|p| p.1)).collect();
                            lit.push(char::from_u32(u32::from_str_radix(&hex, 16).map_err(|e| e.to_string())?).unwrap_or('?'));
                        }
                        Some((_, o)) => lit.push(o),
                        None => return Err("eof in escape".into()),
                    },
                    Some((_, o)) => lit.push(o),
                    None => return Err("unterminated string".into()),
                }
            }
            out.push(Tok::Str(lit));
        } else {
            out.push(Tok::Op(c));
            it.next();
        }
    }
    Ok(out)
}

fn parse_csv(s: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => { field.push('"'); chars.next(); }
            (true, '"') => quoted = false,
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\n') => { row.push(std::mem::take(&mut field)); rows.push(std::mem::take(&mut row)); }
            (_, c) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() { row.push(field); rows.push(row); }
    rows
}

fn main() {
    println!("bytes={} chars={} lines={}", TEXT.len(), TEXT.chars().count(), TEXT.lines().count());
    let mut classes: BTreeMap<&str, usize> = BTreeMap::new();
    for c in TEXT.chars() {
        let k = if c.is_ascii_digit() { "digit" } else if c.is_ascii() && c.is_alphabetic() { "ascii-alpha" }
            else if c.is_alphabetic() { "alpha" } else if c.is_whitespace() { "space" }
            else if c.is_ascii_punctuation() { "punct" } else { "other" };
        *classes.entry(k).or_insert(0) += 1;
    }
    println!("{:?}", classes);
    let widths: Vec<usize> = TEXT.chars().map(|c| c.len_utf8()).fold(vec![0; 5], |mut v, w| { v[w] += 1; v });
    println!("utf8 widths {:?} utf16 units {}", widths, TEXT.encode_utf16().count());
    for (i, line) in TEXT.lines().enumerate() {
        println!("line {}: upper={}", i, line.to_uppercase());
        println!("line {}: lower={}", i, line.to_lowercase());
        let words: Vec<&str> = line.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
        println!("line {}: {} words, longest {:?}, rev {:?}", i, words.len(), words.iter().max_by_key(|w| w.chars().count()), words.last().map(|w| w.chars().rev().collect::<String>()));
    }
    let s = "  ,a,,b , c ,,  ";
    println!("{:?}", s.split(',').collect::<Vec<_>>());
    println!("{:?}", s.split(',').map(str::trim).filter(|x| !x.is_empty()).collect::<Vec<_>>());
    println!("{:?}", s.splitn(3, ',').collect::<Vec<_>>());
    println!("{:?}", s.rsplitn(2, ',').collect::<Vec<_>>());
    println!("{:?}", "a-b_c-d".split(&['-', '_'][..]).collect::<Vec<_>>());
    println!("{:?} {:?}", "key=value=x".split_once('='), "noeq".split_once('='));
    println!("{:?}", "Mary had a little lamb".split_whitespace().rev().collect::<Vec<_>>().join(" "));
    println!("{}", TEXT.replace("text", "TEXT").replacen(' ', "_", 5));
    println!("find {:?} {:?} {:?} {:?}", TEXT.find("Köln"), TEXT.rfind('e'), TEXT.find(char::is_numeric), TEXT.find("absent"));
    println!("matches {} {:?}", TEXT.matches("e").count(), TEXT.match_indices("ï").collect::<Vec<_>>());
    println!("trim [{}] [{}] [{}]", "\t x y \n".trim(), "xxabcxx".trim_matches('x'), "0042".trim_start_matches('0'));
    println!("starts {} ends {} contains {}", TEXT.starts_with("Grü"), TEXT.ends_with(").") , TEXT.contains("🦀"));
    let ints = ["0", "-0", "127", "128", "-129", "255", "65536", "+42", " 1", "4294967295", "18446744073709551616", "-9223372036854775808", "abc", ""];
    for t in ints.iter() {
        println!("{:>22}: i8={:?} u8={:?} i32={:?} u32={:?} i64={:?} u64={:?}", t,
            i8::from_str(t).ok(), u8::from_str(t).ok(), t.parse::<i32>().ok(), t.parse::<u32>().ok(), t.parse::<i64>().ok(), t.parse::<u64>().ok());
    }
    for (t, r) in [("ff", 16), ("-777", 8), ("zz", 36), ("101010", 2), ("1g", 16)].iter() {
        println!("radix {} {} -> {:?}", t, r, i64::from_str_radix(t, *r));
    }
    // UTF-8 validation on hand-made byte strings.
    let samples: [&[u8]; 8] = [b"plain", b"\xc3\xa9t\xc3\xa9", b"\xff\xfe", b"\xe2\x82", b"\xf0\x9f\xa6\x80", b"\xed\xa0\x80", b"\xc0\xaf", b"ok\x80ok"];
    for b in samples.iter() {
        match std::str::from_utf8(b) {
            Ok(s) => println!("valid {:?}", s),
            Err(e) => println!("invalid at {} len {:?} lossy {:?}", e.valid_up_to(), e.error_len(), String::from_utf8_lossy(b)),
        }
    }
    let chars: Vec<char> = "aé€🦀".chars().collect();
    for c in chars.iter() {
        let mut buf = [0u8; 4];
        let enc = c.encode_utf8(&mut buf);
        println!("{:?} U+{:04X} utf8={:?} utf16={:?} esc={}", c, *c as u32, enc.as_bytes(), c.encode_utf16(&mut [0u16; 2]), c.escape_unicode());
    }
    println!("{:?}", tokenize("let x_1 = 3.25 * (y + 42) / \"h\\u00e9llo\\n\" - αβγ;"));
    println!("{:?}", tokenize("1.2.3"));
    let csv = "name,age,city\n\"Smith, John\",42,\"New \"\"York\"\"\"\nÉlodie,37,Zürich\n,,\nlast,1,x";
    for row in parse_csv(csv) {
        println!("{} | {}", row.len(), row.join(" | "));
    }
    let mut acc = String::new();
    for i in 0..300u32 {
        let c = char::from_u32(0x3b1 + (i % 25)).unwrap();
        acc.push(c);
        if i % 7 == 0 { acc.push_str(&i.to_string()); }
    }
    println!("acc len={} chars={} tail={}", acc.len(), acc.chars().count(), &acc[acc.char_indices().nth_back(12).unwrap().0..]);
    let mut sorted: Vec<&str> = TEXT.split_whitespace().collect();
    sorted.sort_by(|a, b| a.to_lowercase().cmp(&b.to_lowercase()).then(a.cmp(b)));
    println!("{}", sorted.join("|"));
    let bytes_sum: u64 = TEXT.bytes().enumerate().map(|(i, b)| (i as u64 + 1) * b as u64).sum();
    println!("bytes_sum={} is_char_boundary(1..8)={:?}", bytes_sum, (1..8).map(|i| TEXT.is_char_boundary(i)).collect::<Vec<_>>());
}
