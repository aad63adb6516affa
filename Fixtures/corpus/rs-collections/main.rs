// Collections and sorting in Rust std: HashMap (SipHash), BTreeMap, VecDeque, BinaryHeap,
// sort / sort_unstable / dedup / binary_search on every integer width, floats, strings, tuples.
use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, HashMap, HashSet, VecDeque};
use std::hash::{BuildHasherDefault, Hash, Hasher};

type FixedMap<K, V> = HashMap<K, V, BuildHasherDefault<DefaultHasher>>;

struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 17
    }
}

fn sip<T: Hash + ?Sized>(t: &T) -> u64 {
    let mut h = DefaultHasher::new();
    t.hash(&mut h);
    h.finish()
}

macro_rules! sort_family {
    ($rng:expr, $($t:ty),*) => {$(
        {
            let mut v: Vec<$t> = (0..200).map(|_| $rng.next() as $t).collect();
            let mut w = v.clone();
            v.sort();
            w.sort_unstable_by(|a, b| b.cmp(a));
            w.reverse();
            assert_eq!(v, w);
            let probe = v[77];
            let found = v.binary_search(&probe).is_ok();
            v.dedup();
            let mut sum: i128 = 0;
            for (i, x) in v.iter().enumerate() { sum = sum.wrapping_add((*x as i128).wrapping_mul(i as i128 + 1)); }
            println!("{:>5} len={} first={:?} last={:?} found={} wsum={} sip={:016x}",
                stringify!($t), v.len(), v[0], v[v.len() - 1], found, sum, sip(&v));
        }
    )*};
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Item {
    group: u8,
    name: String,
    weight: i32,
}

fn main() {
    let mut rng = Lcg(0x2545F4914F6CDD1D);
    sort_family!(rng, u8, i8, u16, i16, u32, i32, u64, i64, u128, i128, usize, isize);

    // Floats: sort_by partial_cmp and total order by bits.
    let mut fs: Vec<f64> = (0..300).map(|i| ((rng.next() % 100000) as f64 / 37.0) - 1000.0 + i as f64 * 0.001).collect();
    fs.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!("f64 min={:.4} max={:.4} median={:.6}", fs[0], fs[fs.len() - 1], fs[fs.len() / 2]);
    let mut f32s: Vec<f32> = fs.iter().map(|x| (*x as f32) * 1.5).collect();
    f32s.sort_unstable_by(|a, b| b.partial_cmp(a).unwrap());
    println!("f32 first={} last={} sum={}", f32s[0], f32s[f32s.len() - 1], f32s.iter().sum::<f32>());

    // Strings and structs.
    let words = "the quick brown fox jumps over the lazy dog while seven wizards quietly hex jumbo vexing plots of pack my box with five dozen liquor jugs";
    let mut ws: Vec<&str> = words.split(' ').collect();
    ws.sort();
    ws.dedup();
    println!("words sorted: {:?}", ws);
    ws.sort_by_key(|w| (w.len(), w.chars().rev().collect::<String>()));
    println!("by len+rev: {:?}", ws);
    let mut items: Vec<Item> = (0..40)
        .map(|i| Item { group: (rng.next() % 5) as u8, name: format!("item{:02}", (i * 7) % 40), weight: (rng.next() % 1000) as i32 - 500 })
        .collect();
    items.sort_by(|a, b| a.group.cmp(&b.group).then(b.weight.cmp(&a.weight)));
    for it in items.iter().take(6) {
        println!("{:?}", it);
    }
    items.sort();
    println!("min item {:?} max item {:?}", items.first().unwrap(), items.last().unwrap());

    // HashMap with random keys: only order-independent results.
    let mut counts: HashMap<String, usize> = HashMap::new();
    for w in words.split_whitespace() {
        *counts.entry(w.to_string()).or_insert(0) += 1;
    }
    let mut cv: Vec<_> = counts.iter().collect();
    cv.sort();
    println!("counts {:?}", cv);
    println!("the={:?} cat={:?}", counts.get("the"), counts.get("cat"));

    // HashMap with fixed SipHash keys: iteration order is deterministic.
    let mut fixed: FixedMap<u64, String> = FixedMap::default();
    for i in 0..64u64 {
        fixed.insert(i * i * 2654435761 % 1000003, format!("v{}", i));
    }
    for i in (0..64u64).step_by(3) {
        fixed.remove(&(i * i * 2654435761 % 1000003));
    }
    let order: Vec<String> = fixed.iter().map(|(k, v)| format!("{}={}", k % 1000, v)).collect();
    println!("fixed order: {}", order.join(","));
    let mut fixed_str: FixedMap<String, i32> = FixedMap::default();
    for (i, w) in words.split(' ').enumerate() {
        *fixed_str.entry(w.to_uppercase()).or_default() += i as i32;
    }
    println!("fixed str order: {:?}", fixed_str.iter().collect::<Vec<_>>());

    // Hashes of many shapes (SipHash-1-3 on the engine).
    println!("sip u8={:016x} u64={:016x} u128={:016x} str={:016x} tuple={:016x} slice={:016x}",
        sip(&7u8), sip(&0xdead_beef_u64), sip(&(u128::MAX / 3)), sip(&"hello, world"),
        sip(&(1u16, -2i32, "x", 'c', true)), sip(&[1u32, 2, 3, 4, 5][..]));

    // HashSet ops.
    let a: HashSet<u32> = (0..100).filter(|x| x % 3 == 0).collect();
    let b: HashSet<u32> = (0..100).filter(|x| x % 5 == 0).collect();
    let mut inter: Vec<_> = a.intersection(&b).cloned().collect();
    inter.sort_unstable();
    let mut sym: Vec<_> = a.symmetric_difference(&b).cloned().collect();
    sym.sort_unstable();
    println!("inter {:?} symlen {} symsum {}", inter, sym.len(), sym.iter().sum::<u32>());

    // BTreeMap / BTreeSet.
    let mut bt: BTreeMap<i64, Vec<u16>> = BTreeMap::new();
    for i in 0..500 {
        let k = (rng.next() % 97) as i64 - 48;
        bt.entry(k).or_insert_with(Vec::new).push(i as u16);
    }
    println!("btree len={} first={:?} last={:?}", bt.len(), bt.iter().next().map(|(k, v)| (k, v.len())), bt.iter().next_back().map(|(k, v)| (k, v.len())));
    let range: Vec<(i64, usize)> = bt.range(-5..5).map(|(k, v)| (*k, v.len())).collect();
    println!("range {:?}", range);
    bt.retain(|k, _| k % 2 == 0);
    let split = bt.split_off(&10);
    println!("after retain/split {} {} {:?}", bt.len(), split.len(), split.keys().collect::<Vec<_>>());
    let bs: BTreeSet<char> = words.chars().filter(|c| c.is_alphabetic()).collect();
    println!("letters {} {}", bs.len(), bs.iter().collect::<String>());

    // VecDeque as a ring buffer.
    let mut dq: VecDeque<i32> = VecDeque::with_capacity(8);
    for i in 0..50 {
        if i % 3 == 0 { dq.push_front(i) } else { dq.push_back(-i) }
        if dq.len() > 10 { dq.pop_front(); dq.pop_back(); }
    }
    dq.rotate_left(3);
    dq.make_contiguous().sort();
    println!("deque {:?} contains(-47)={}", dq, dq.contains(&-47));

    // BinaryHeap: k smallest via Reverse, heap sort.
    let mut heap = BinaryHeap::new();
    for _ in 0..300 { heap.push(std::cmp::Reverse(rng.next() % 10000)); }
    let smallest: Vec<u64> = (0..8).map(|_| heap.pop().unwrap().0).collect();
    println!("smallest {:?} remaining {}", smallest, heap.len());
    let mut h2: BinaryHeap<(u8, i16)> = (0..100).map(|i| ((i * 37 % 11) as u8, (i * 91 % 200) as i16 - 100)).collect();
    let top: Vec<_> = (0..5).map(|_| h2.pop().unwrap()).collect();
    println!("top {:?} sorted-tail {:?}", top, &h2.into_sorted_vec()[..5]);

    // Vec misc.
    let mut v: Vec<u32> = (0..1000).map(|i| (i * 7919) % 1009).collect();
    v.retain(|x| x % 2 == 1);
    v.rotate_right(17);
    v.truncate(400);
    let chunks: Vec<u32> = v.chunks(37).map(|c| c.iter().fold(0u32, |a, b| a.rotate_left(5) ^ b)).collect();
    println!("chunks {:?}", chunks);
    let windows = v.windows(3).filter(|w| w[0] < w[1] && w[1] < w[2]).count();
    let (l, r) = v.split_at(123);
    println!("windows {} lmax {:?} rmin {:?} pos {:?}", windows, l.iter().max(), r.iter().min(), v.iter().position(|&x| x == 501));
    let mut vs = v.clone();
    vs.sort_unstable();
    vs.dedup_by_key(|x| *x / 10);
    println!("dedup_by_key {} {:?}", vs.len(), &vs[..10]);
    let idx = vs.partition_point(|&x| x < 500);
    println!("partition_point {} {:?}", idx, vs.binary_search_by(|p| p.cmp(&501)));
}
