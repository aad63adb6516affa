// std::fs and std::env against a preopened directory: create/write/append/read/seek,
// rename, copy, read_dir, metadata, set_len, remove, error kinds; argv and environment.
use std::env;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufRead, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

fn listing(dir: &Path) -> io::Result<Vec<String>> {
    let mut names: Vec<String> = Vec::new();
    for e in fs::read_dir(dir)? {
        let e = e?;
        let md = e.metadata()?;
        let kind = if md.is_dir() { "dir" } else if md.is_file() { "file" } else { "other" };
        names.push(format!("{}({},{})", e.file_name().to_string_lossy(), kind, if md.is_dir() { 0 } else { md.len() }));
    }
    names.sort();
    Ok(names)
}

fn checksum(bytes: &[u8]) -> u32 {
    // Adler-32
    let (mut a, mut b) = (1u32, 0u32);
    for &x in bytes { a = (a + x as u32) % 65521; b = (b + a) % 65521; }
    (b << 16) | a
}

fn run(root: &Path) -> io::Result<()> {
    let work = root.join("work");
    if work.exists() { fs::remove_dir_all(&work)?; }
    fs::create_dir_all(work.join("a/b/c"))?;
    fs::create_dir(work.join("empty"))?;
    {
        let mut f = BufWriter::new(File::create(work.join("numbers.txt"))?);
        for i in 0..500 { writeln!(f, "{:05} {}", i, i * i % 977)?; }
        f.flush()?;
    }
    let text = fs::read_to_string(work.join("numbers.txt"))?;
    println!("numbers.txt {} bytes, adler {:08x}", text.len(), checksum(text.as_bytes()));
    let sum: u64 = BufReader::new(File::open(work.join("numbers.txt"))?).lines()
        .map(|l| l.unwrap().split(' ').nth(1).unwrap().parse::<u64>().unwrap()).sum();
    println!("sum of column 2 = {}", sum);

    let mut f = OpenOptions::new().append(true).open(work.join("numbers.txt"))?;
    f.write_all(b"appended line\n")?;
    drop(f);
    let mut f = OpenOptions::new().read(true).write(true).open(work.join("numbers.txt"))?;
    let end = f.seek(SeekFrom::End(0))?;
    f.seek(SeekFrom::Start(6))?;
    let mut buf = [0u8; 12];
    f.read_exact(&mut buf)?;
    println!("end={} at6={:?}", end, String::from_utf8_lossy(&buf));
    f.seek(SeekFrom::Current(-4))?;
    f.write_all(b"XY")?;
    f.seek(SeekFrom::End(-14))?;
    let mut tail = String::new();
    f.read_to_string(&mut tail)?;
    println!("tail={:?}", tail);
    f.set_len(100)?;
    drop(f);
    println!("after set_len: {}", fs::metadata(work.join("numbers.txt"))?.len());

    let bin: Vec<u8> = (0..70000u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8).collect();
    fs::write(work.join("a/b/c/blob.bin"), &bin)?;
    let back = fs::read(work.join("a/b/c/blob.bin"))?;
    println!("blob equal={} adler={:08x}", back == bin, checksum(&back));
    let copied = fs::copy(work.join("a/b/c/blob.bin"), work.join("a/copy.bin"))?;
    println!("copied {} bytes", copied);
    fs::rename(work.join("a/copy.bin"), work.join("a/b/renamed.bin"))?;
    fs::write(work.join("a/b/hello.txt"), "héllo wörld\n")?;
    println!("work: {:?}", listing(&work)?);
    println!("a/b: {:?}", listing(&work.join("a/b"))?);
    let md = fs::metadata(work.join("a/b/renamed.bin"))?;
    println!("renamed: file={} dir={} len={} readonly={}", md.is_file(), md.is_dir(), md.len(), md.permissions().readonly());
    println!("exists: {} {} {}", work.join("a/copy.bin").exists(), work.join("a/b/renamed.bin").exists(), Path::new("/nowhere").exists());

    // Errors.
    match File::open(work.join("missing.txt")) { Err(e) => println!("open missing: {:?}", e.kind()), Ok(_) => println!("open missing: ok?!") }
    match fs::remove_dir(work.join("a")) { Err(e) => println!("rmdir nonempty: {:?}", e.kind() == io::ErrorKind::NotFound), Ok(_) => println!("rmdir nonempty: ok?!") }
    match fs::create_dir(work.join("empty")) { Err(e) => println!("mkdir existing: {:?}", e.kind()), Ok(_) => println!("mkdir existing: ok?!") }
    match fs::read_to_string(work.join("a/b/c/blob.bin")) { Err(e) => println!("read non-utf8: {:?}", e.kind()), Ok(_) => println!("utf8?!") }

    // Walk, then remove.
    let mut stack: Vec<PathBuf> = vec![work.clone()];
    let mut all = Vec::new();
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d)? {
            let p = e?.path();
            if p.is_dir() { stack.push(p.clone()); }
            all.push(p.strip_prefix(&work).unwrap().to_string_lossy().into_owned());
        }
    }
    all.sort();
    println!("walk: {:?}", all);
    fs::remove_file(work.join("a/b/hello.txt"))?;
    fs::remove_dir(work.join("empty"))?;
    println!("after removes: {:?}", listing(&work)?);
    fs::remove_dir_all(&work)?;
    println!("root after cleanup: {:?}", listing(root)?);
    Ok(())
}

fn main() {
    let args: Vec<String> = env::args().collect();
    println!("argc={} args[1..]={:?}", args.len(), &args[1..]);
    let mut vars: Vec<(String, String)> = env::vars().collect();
    vars.sort();
    println!("env={:?} CORPUS_MODE={:?} missing={:?}", vars, env::var("CORPUS_MODE"), env::var("NOT_SET").is_err());
    let root = PathBuf::from(args.get(1).cloned().unwrap_or_else(|| "/sandbox".into()));
    match run(&root) {
        Ok(()) => println!("done"),
        Err(e) => { println!("error: {} ({:?})", e, e.kind()); std::process::exit(2); }
    }
}
