// Classic algorithms: SHA-256, CRC-32, FNV/xxhash-style mixing, a sieve, N-queens,
// f64 matrix multiply and LU solve, a stack-machine interpreter dispatching on an enum,
// Dijkstra with BinaryHeap, LZ77 compress/decompress, and a tiny JSON parser/printer.
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};

fn sha256(data: &[u8]) -> [u8; 32] {
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
        0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
        0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
        0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ];
    let mut h: [u32; 8] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    let mut msg = data.to_vec();
    let bitlen = (data.len() as u64) * 8;
    msg.push(0x80);
    while msg.len() % 64 != 56 { msg.push(0); }
    msg.extend_from_slice(&bitlen.to_be_bytes());
    for block in msg.chunks(64) {
        let mut w = [0u32; 64];
        for i in 0..16 { w[i] = u32::from_be_bytes([block[4 * i], block[4 * i + 1], block[4 * i + 2], block[4 * i + 3]]); }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16].wrapping_add(s0).wrapping_add(w[i - 7]).wrapping_add(s1);
        }
        let mut s = h;
        for i in 0..64 {
            let s1 = s[4].rotate_right(6) ^ s[4].rotate_right(11) ^ s[4].rotate_right(25);
            let ch = (s[4] & s[5]) ^ (!s[4] & s[6]);
            let t1 = s[7].wrapping_add(s1).wrapping_add(ch).wrapping_add(K[i]).wrapping_add(w[i]);
            let s0 = s[0].rotate_right(2) ^ s[0].rotate_right(13) ^ s[0].rotate_right(22);
            let maj = (s[0] & s[1]) ^ (s[0] & s[2]) ^ (s[1] & s[2]);
            let t2 = s0.wrapping_add(maj);
            s = [t1.wrapping_add(t2), s[0], s[1], s[2], s[3].wrapping_add(t1), s[4], s[5], s[6]];
        }
        for i in 0..8 { h[i] = h[i].wrapping_add(s[i]); }
    }
    let mut out = [0u8; 32];
    for i in 0..8 { out[4 * i..4 * i + 4].copy_from_slice(&h[i].to_be_bytes()); }
    out
}

fn hex(b: &[u8]) -> String { b.iter().map(|x| format!("{:02x}", x)).collect() }

fn crc32(data: &[u8]) -> u32 {
    let mut table = [0u32; 256];
    for i in 0..256u32 {
        let mut c = i;
        for _ in 0..8 { c = if c & 1 != 0 { 0xEDB88320 ^ (c >> 1) } else { c >> 1 }; }
        table[i as usize] = c;
    }
    !data.iter().fold(!0u32, |c, &b| table[((c ^ b as u32) & 0xff) as usize] ^ (c >> 8))
}

fn mix64(mut h: u64, data: &[u8]) -> u64 {
    for chunk in data.chunks(8) {
        let mut buf = [0u8; 8];
        buf[..chunk.len()].copy_from_slice(chunk);
        let k = u64::from_le_bytes(buf).wrapping_mul(0x87c37b91114253d5).rotate_left(31).wrapping_mul(0x4cf5ad432745937f);
        h = (h ^ k).rotate_left(27).wrapping_mul(5).wrapping_add(0x52dce729);
    }
    h ^= h >> 33; h = h.wrapping_mul(0xff51afd7ed558ccd); h ^= h >> 33;
    h
}

fn sieve(n: usize) -> Vec<usize> {
    let mut is = vec![true; n + 1];
    is[0] = false; is[1] = false;
    let mut i = 2;
    while i * i <= n { if is[i] { let mut j = i * i; while j <= n { is[j] = false; j += i; } } i += 1; }
    (0..=n).filter(|&i| is[i]).collect()
}

fn queens(n: usize, row: usize, cols: u32, d1: u32, d2: u32) -> u32 {
    if row == n { return 1; }
    let mut count = 0;
    let mut avail = !(cols | d1 | d2) & ((1 << n) - 1);
    while avail != 0 {
        let bit = avail & avail.wrapping_neg();
        avail ^= bit;
        count += queens(n, row + 1, cols | bit, (d1 | bit) << 1, (d2 | bit) >> 1);
    }
    count
}

fn matmul(a: &[f64], b: &[f64], n: usize) -> Vec<f64> {
    let mut c = vec![0.0; n * n];
    for i in 0..n { for k in 0..n { let aik = a[i * n + k]; for j in 0..n { c[i * n + j] += aik * b[k * n + j]; } } }
    c
}

fn lu_solve(mut a: Vec<f64>, mut b: Vec<f64>, n: usize) -> Vec<f64> {
    for k in 0..n {
        let p = (k..n).max_by(|&i, &j| a[i * n + k].abs().partial_cmp(&a[j * n + k].abs()).unwrap()).unwrap();
        if p != k { for j in 0..n { a.swap(k * n + j, p * n + j); } b.swap(k, p); }
        for i in k + 1..n {
            let f = a[i * n + k] / a[k * n + k];
            for j in k..n { a[i * n + j] -= f * a[k * n + j]; }
            b[i] -= f * b[k];
        }
    }
    let mut x = vec![0.0; n];
    for i in (0..n).rev() {
        let s: f64 = (i + 1..n).map(|j| a[i * n + j] * x[j]).sum();
        x[i] = (b[i] - s) / a[i * n + i];
    }
    x
}

#[derive(Clone, Copy, Debug)]
enum Op { Push(i64), Add, Sub, Mul, Div, Dup, Swap, Over, Jz(usize), Jmp(usize), Load(usize), Store(usize), Lt, Print, Halt }

fn run_vm(code: &[Op], out: &mut Vec<i64>) -> u64 {
    let mut stack: Vec<i64> = Vec::with_capacity(64);
    let mut vars = [0i64; 8];
    let mut pc = 0;
    let mut steps = 0u64;
    loop {
        steps += 1;
        match code[pc] {
            Op::Push(v) => stack.push(v),
            Op::Add => { let b = stack.pop().unwrap(); let a = stack.pop().unwrap(); stack.push(a.wrapping_add(b)); }
            Op::Sub => { let b = stack.pop().unwrap(); let a = stack.pop().unwrap(); stack.push(a.wrapping_sub(b)); }
            Op::Mul => { let b = stack.pop().unwrap(); let a = stack.pop().unwrap(); stack.push(a.wrapping_mul(b)); }
            Op::Div => { let b = stack.pop().unwrap(); let a = stack.pop().unwrap(); stack.push(if b == 0 { 0 } else { a / b }); }
            Op::Dup => { let a = *stack.last().unwrap(); stack.push(a); }
            Op::Swap => { let n = stack.len(); stack.swap(n - 1, n - 2); }
            Op::Over => { let a = stack[stack.len() - 2]; stack.push(a); }
            Op::Jz(t) => { if stack.pop().unwrap() == 0 { pc = t; continue; } }
            Op::Jmp(t) => { pc = t; continue; }
            Op::Load(i) => stack.push(vars[i]),
            Op::Store(i) => vars[i] = stack.pop().unwrap(),
            Op::Lt => { let b = stack.pop().unwrap(); let a = stack.pop().unwrap(); stack.push((a < b) as i64); }
            Op::Print => out.push(stack.pop().unwrap()),
            Op::Halt => return steps,
        }
        pc += 1;
    }
}

fn dijkstra(adj: &[Vec<(usize, u32)>], src: usize) -> Vec<u32> {
    let mut dist = vec![u32::MAX; adj.len()];
    let mut pq = BinaryHeap::new();
    dist[src] = 0;
    pq.push(Reverse((0u32, src)));
    while let Some(Reverse((d, u))) = pq.pop() {
        if d > dist[u] { continue; }
        for &(v, w) in &adj[u] {
            let nd = d + w;
            if nd < dist[v] { dist[v] = nd; pq.push(Reverse((nd, v))); }
        }
    }
    dist
}

fn lz77(data: &[u8]) -> Vec<(u16, u8, u8)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < data.len() {
        let (mut best_len, mut best_off) = (0usize, 0usize);
        let start = i.saturating_sub(4096);
        for j in start..i {
            let mut l = 0;
            while l < 255 && i + l < data.len() - 1 && data[j + l] == data[i + l] { l += 1; }
            if l > best_len { best_len = l; best_off = i - j; }
        }
        out.push((best_off as u16, best_len as u8, data[i + best_len]));
        i += best_len + 1;
    }
    out
}

fn unlz77(tokens: &[(u16, u8, u8)]) -> Vec<u8> {
    let mut out: Vec<u8> = Vec::new();
    for &(off, len, c) in tokens {
        let s = out.len() - off as usize;
        for k in 0..len as usize { let b = out[s + k]; out.push(b); }
        out.push(c);
    }
    out
}

#[derive(Debug, Clone, PartialEq)]
enum Json { Null, Bool(bool), Num(f64), Str(String), Arr(Vec<Json>), Obj(BTreeMap<String, Json>) }

struct Parser<'a> { s: &'a [u8], i: usize }
impl<'a> Parser<'a> {
    fn ws(&mut self) { while self.i < self.s.len() && (self.s[self.i] as char).is_ascii_whitespace() { self.i += 1; } }
    fn value(&mut self) -> Result<Json, String> {
        self.ws();
        match self.s.get(self.i) {
            Some(b'n') => { self.i += 4; Ok(Json::Null) }
            Some(b't') => { self.i += 4; Ok(Json::Bool(true)) }
            Some(b'f') => { self.i += 5; Ok(Json::Bool(false)) }
            Some(b'"') => self.string().map(Json::Str),
            Some(b'[') => {
                self.i += 1; let mut v = Vec::new();
                loop { self.ws(); if self.s[self.i] == b']' { self.i += 1; break; } v.push(self.value()?); self.ws(); if self.s[self.i] == b',' { self.i += 1; } }
                Ok(Json::Arr(v))
            }
            Some(b'{') => {
                self.i += 1; let mut m = BTreeMap::new();
                loop {
                    self.ws(); if self.s[self.i] == b'}' { self.i += 1; break; }
                    let k = self.string()?; self.ws(); self.i += 1; let v = self.value()?; m.insert(k, v);
                    self.ws(); if self.s[self.i] == b',' { self.i += 1; }
                }
                Ok(Json::Obj(m))
            }
            Some(_) => {
                let st = self.i;
                while self.i < self.s.len() && b"+-0123456789.eE".contains(&self.s[self.i]) { self.i += 1; }
                std::str::from_utf8(&self.s[st..self.i]).unwrap().parse().map(Json::Num).map_err(|e| format!("{} at {}", e, st))
            }
            None => Err("eof".into()),
        }
    }
    fn string(&mut self) -> Result<String, String> {
        self.i += 1; let st = self.i;
        while self.s[self.i] != b'"' { self.i += 1; }
        self.i += 1;
        Ok(String::from_utf8_lossy(&self.s[st..self.i - 1]).into_owned())
    }
}

fn show(j: &Json) -> String {
    match j {
        Json::Null => "null".into(), Json::Bool(b) => b.to_string(), Json::Num(n) => format!("{}", n),
        Json::Str(s) => format!("{:?}", s),
        Json::Arr(v) => format!("[{}]", v.iter().map(show).collect::<Vec<_>>().join(",")),
        Json::Obj(m) => format!("{{{}}}", m.iter().map(|(k, v)| format!("{:?}:{}", k, show(v))).collect::<Vec<_>>().join(",")),
    }
}

fn main() {
    for msg in [&b""[..], b"abc", b"The quick brown fox jumps over the lazy dog", &[0x61u8; 1000][..]].iter() {
        println!("sha256({}) = {} crc32={:08x} mix={:016x}", msg.len(), hex(&sha256(msg)), crc32(msg), mix64(0x1234, msg));
    }
    let big: Vec<u8> = (0..20000u32).map(|i| (i ^ (i >> 3)).wrapping_mul(31) as u8).collect();
    println!("big sha256 {} crc {:08x}", hex(&sha256(&big)), crc32(&big));
    let primes = sieve(100000);
    println!("primes: {} last {} sum {}", primes.len(), primes[primes.len() - 1], primes.iter().sum::<usize>());
    for n in 4..=9 { print!("q{}={} ", n, queens(n, 0, 0, 0, 0)); }
    println!();
    let n = 24;
    let a: Vec<f64> = (0..n * n).map(|i| ((i * 7 % 13) as f64 - 6.0) / 3.0 + if i % (n + 1) == 0 { 10.0 } else { 0.0 }).collect();
    let b: Vec<f64> = (0..n * n).map(|i| ((i * 5 % 11) as f64) * 0.25 - 1.0).collect();
    let c = matmul(&a, &b, n);
    let trace: f64 = (0..n).map(|i| c[i * n + i]).sum();
    let rhs: Vec<f64> = (0..n).map(|i| i as f64 + 1.0).collect();
    let x = lu_solve(a.clone(), rhs.clone(), n);
    let resid: f64 = (0..n).map(|i| { let s: f64 = (0..n).map(|j| a[i * n + j] * x[j]).sum(); (s - rhs[i]).abs() }).fold(0.0, f64::max);
    println!("matmul trace {:.10} c[5]={:e} x0={:.12} x23={:.12} resid<1e-9 {}", trace, c[5], x[0], x[23], resid < 1e-9);
    // VM: sum of i*i for i < 2000, printing every 500th partial sum, then factorial 20.
    use Op::*;
    let code = vec![
        Push(0), Store(0), Push(0), Store(1),                    // 0: i = 0, s = 0
        Load(0), Push(2000), Lt, Jz(30),                         // 4: while i < 2000
        Load(1), Load(0), Dup, Mul, Add, Store(1),               // 8: s += i * i
        Load(0), Push(500), Over, Over, Div, Mul, Sub, Jz(27),   // 14: if i % 500 == 0 goto 27
        Load(0), Push(1), Add, Store(0), Jmp(4),                 // 22: i += 1
        Load(1), Print, Jmp(22),                                 // 27: print s
        Load(1), Print,                                          // 30: print final s
        Push(1), Store(2), Push(1), Store(3),                    // 32: f = 1, k = 1
        Load(3), Push(21), Lt, Jz(50),                           // 36: while k < 21
        Load(2), Load(3), Mul, Store(2),                         // 40: f *= k
        Load(3), Push(1), Add, Store(3), Jmp(36),                // 44: k += 1
        Halt,                                                    // 49
        Load(2), Print, Halt,                                    // 50: print 20!
    ];
    let mut out = Vec::new();
    let steps = run_vm(&code, &mut out);
    println!("vm steps {} out {:?}", steps, out);
    // Graph
    let nodes = 300;
    let adj: Vec<Vec<(usize, u32)>> = (0..nodes).map(|u| (1..6).map(|k| ((u * k * 7 + k * 13) % nodes, ((u * 31 + k * 17) % 97 + 1) as u32)).collect()).collect();
    let d = dijkstra(&adj, 0);
    let reach = d.iter().filter(|&&x| x != u32::MAX).count();
    println!("dijkstra reach {} max {} sum {}", reach, d.iter().filter(|&&x| x != u32::MAX).max().unwrap(), d.iter().filter(|&&x| x != u32::MAX).map(|&x| x as u64).sum::<u64>());
    let text = "abracadabra abracadabra! the rain in spain stays mainly in the plain; the rain in spain. ".repeat(8);
    let toks = lz77(text.as_bytes());
    let back = unlz77(&toks);
    println!("lz77 {} -> {} tokens, roundtrip {}", text.len(), toks.len(), back == text.as_bytes());
    let src = r#"{"name": "corpus", "version": 3, "tags": ["wasm", "rust", "json"], "nested": {"pi": 3.14159, "neg": -2.5e-3, "ok": true, "none": null}, "list": [1, [2, [3, [4]]], {"k": "v"}]}"#;
    let j = Parser { s: src.as_bytes(), i: 0 }.value().unwrap();
    println!("json {}", show(&j));
    if let Json::Obj(m) = &j { println!("keys {:?}", m.keys().collect::<Vec<_>>()); }
}
