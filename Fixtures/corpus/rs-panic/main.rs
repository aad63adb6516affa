// Panics on wasm32-wasi: the std there is built with panic=abort, so `catch_unwind` only
// sees closures that return normally; a panic hook reports the payload and location and
// ends the process with exit code 101 (the code a native Rust panic exits with).
use std::panic;

#[derive(Debug)]
struct Account { id: u32, balance: i64 }

fn withdraw(acct: &mut Account, amount: i64) -> Result<i64, String> {
    if amount > acct.balance { return Err(format!("insufficient funds in {}: {} < {}", acct.id, acct.balance, amount)); }
    acct.balance -= amount;
    Ok(acct.balance)
}

fn main() {
    panic::set_hook(Box::new(|info| {
        let payload = info.payload();
        let msg = if let Some(s) = payload.downcast_ref::<&str>() { s.to_string() }
            else if let Some(s) = payload.downcast_ref::<String>() { s.clone() } else { "?".into() };
        let loc = info.location().map(|l| format!("{}:{}", l.file(), l.line())).unwrap_or_default();
        println!("panic hook: '{}' at {}", msg, loc);
        eprintln!("custom panic report: {}", msg);
        std::process::exit(101);
    }));
    let ok = panic::catch_unwind(|| (1..=10).map(|x| x * x).sum::<i32>());
    println!("catch_unwind ok: {:?}", ok);
    let mut a = Account { id: 7, balance: 100 };
    for amt in [30, 50, 40].iter() {
        match withdraw(&mut a, *amt) {
            Ok(b) => println!("withdrew {} -> {}", amt, b),
            Err(e) => println!("error: {}", e),
        }
    }
    let v: Vec<u32> = (0..5).collect();
    let idx = a.balance as usize; // 20
    println!("about to index {} of {:?} ({:?})", idx, v, a);
    let x = v[idx];
    println!("unreachable {}", x);
}
