// A workout for QuickJS: objects, prototypes and classes, closures, JSON, RegExp, array
// sorting, Map/Set, generators, destructuring, template literals, BigInt, typed arrays,
// Proxy/Reflect, Symbols, exceptions, string and number formatting, and promise jobs.
"use strict";
const out = [];
const log = (...a) => print(...a);

// closures and higher-order functions
const compose = (...fs) => x => fs.reduceRight((v, f) => f(v), x);
const inc = x => x + 1, dbl = x => x * 2, sq = x => x * x;
log("compose", compose(inc, dbl, sq)(5), [1, 2, 3, 4].map(compose(sq, inc)).join());
function makeCounter() { let c = 0; return { inc: () => ++c, get value() { return c; } }; }
const ctr = makeCounter(); for (let i = 0; i < 7; i++) ctr.inc(); log("counter", ctr.value);
const memo = f => { const cache = new Map(); return n => cache.has(n) ? cache.get(n) : (cache.set(n, f(n)), cache.get(n)); };
const fib = memo(n => n < 2 ? n : fib(n - 1) + fib(n - 2));
log("fib", fib(90), fib(50));
function slowFib(n) { return n < 2 ? n : slowFib(n - 1) + slowFib(n - 2); }
log("slowFib(20)", slowFib(20));

// classes, inheritance, getters, static, private-ish via closures, toString
class Shape {
  constructor(name) { this.name = name; }
  area() { return 0; }
  toString() { return `${this.name}(${this.area().toFixed(3)})`; }
  static compare(a, b) { return a.area() - b.area(); }
}
class Circle extends Shape { constructor(r) { super("circle"); this.r = r; } area() { return Math.PI * this.r ** 2; } }
class Rect extends Shape {
  constructor(w, h) { super("rect"); this.w = w; this.h = h; }
  area() { return this.w * this.h; }
  get diagonal() { return Math.hypot(this.w, this.h); }
}
class Square extends Rect { constructor(s) { super(s, s); this.name = "square"; } }
const shapes = [new Circle(1.5), new Rect(2, 5.5), new Square(3), new Circle(0.5), new Rect(1, 1)];
shapes.sort(Shape.compare);
log("shapes", shapes.join(" "), new Rect(3, 4).diagonal, shapes[2] instanceof Rect, Object.getPrototypeOf(Square.prototype) === Rect.prototype);

// objects, property enumeration order, spread, destructuring, optional chaining
const obj = { b: 2, a: 1, 10: "ten", 2: "two", [Symbol.iterator]: null, nested: { deep: { x: [1, 2, { y: "z" }] } } };
log("keys", Object.keys(obj).join(), JSON.stringify(Object.entries({ p: 1, q: [2] })));
const { a, nested: { deep: { x: [, second, { y }] } }, ...rest } = obj;
log("destructure", a, second, y, Object.keys(rest).join(), obj?.missing?.prop, obj.nested?.deep?.x?.length ?? "none");
const merged = { ...{ a: 1, b: 2 }, ...{ b: 3, c: 4 } };
log("spread", JSON.stringify(merged), [...new Set([3, 1, 3, 2, 1])].join(), Math.max(...[4, 9, 2]));
const frozen = Object.freeze({ v: 1 });
try { frozen.v = 2; } catch (e) { log("frozen", e.constructor.name, e.message); }

// JSON
const data = { name: "corpus", list: [1, 2.5, -3e-7, true, null, "é\n\"q\""], nested: { when: "2024-01-15T10:20:30.000Z", empty: {} } };
const text = JSON.stringify(data);
log("json", text);
log("json pretty", JSON.stringify(data.list, null, 2).split("\n").length, JSON.stringify({ b: 1, a: [1, { c: 2 }] }, null, "\t").length);
log("json parse", JSON.stringify(JSON.parse(text, (k, v) => typeof v === "number" ? v * 2 : v)));
log("json replacer", JSON.stringify(data, ["name", "nested", "empty"]), JSON.stringify("\u2028\ud800"), JSON.stringify(new Date(0)));
try { JSON.parse("{bad json}"); } catch (e) { log("json error", e.name); }

// regular expressions
const re = /(?<year>\d{4})-(?<month>\d{2})-(?<day>\d{2})/g;
const s = "dates: 2024-01-15, 1999-12-31 and 2000-02-29.";
log("regex all", [...s.matchAll(re)].map(m => `${m.groups.day}/${m.groups.month}/${m.groups.year}@${m.index}`).join(" "));
log("regex replace", s.replace(re, "$<day>.$<month>.$<year>"), s.replace(/\d+/g, d => d.length));
log("regex misc", /^[\w.+-]+@\w+\.\w{2,}$/.test("a.b+c@example.org"), "a1b22c333".split(/\d+/).join("|"), /(a+)+b/.test("aaaaaaaaaaaaab"),
    "CamelCaseString".replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase(), /\bfoo\b/i.exec("a FOO b").index, /x*/y.lastIndex);
log("regex unicode", /\u{1F600}/u.test("smile 😀"), "ÄÖÜ".match(/\p{Lu}/gu)?.length, /[^\x00-\x7f]/.test("ascii"), "a\nb".match(/^b/m)?.[0]);
const sticky = /foo/y; sticky.lastIndex = 3; log("sticky", sticky.test("barfoo"), sticky.lastIndex);

// arrays and sorting
const nums = Array.from({ length: 200 }, (_, i) => (i * 7919) % 1009 - 500);
const sorted = [...nums].sort((x, y) => x - y);
log("sort", sorted.slice(0, 5).join(), sorted.slice(-3).join(), [...nums].sort().slice(0, 4).join());
const people = [["bob", 25], ["alice", 30], ["carol", 25], ["dave", 30], ["eve", 22]].map(([n, a]) => ({ n, a }));
people.sort((p, q) => p.a - q.a); log("stable", people.map(p => p.n).join());
log("array ops", nums.filter(x => x > 400).length, nums.reduce((s, x) => s + x, 0), nums.indexOf(-500), nums.findIndex(x => x > 490),
    nums.some(x => x === 0), nums.every(x => x > -501), [1, [2, [3, [4]]]].flat(2).join("/"), [[1, 2], [3]].flatMap(x => x).length);
const arr = [5, 1, 4]; arr.splice(1, 1, "a", "b"); arr.push(...[9, 8]); arr.unshift(0); arr.reverse();
log("mutate", arr.join(), arr.includes("a"), Array.isArray(arr), arr.lastIndexOf(5), arr.fill(7, 4).join(), Array.of(3).length, new Array(3).join("-"));
const words = "the quick brown fox jumps over the lazy dog".split(" ");
log("words", words.sort((x, y) => x.length - y.length || x.localeCompare(y)).join(" "), words.map(w => w[0].toUpperCase() + w.slice(1)).join(""));

// Map / Set / WeakMap, iteration order
const m = new Map([["x", 1], [{ k: 1 }, "obj"], [NaN, "nan"]]);
m.set("y", 2).delete("x");
log("map", m.size, m.get(NaN), [...m.keys()].map(String).join(), [...m.values()].join());
const st = new Set("mississippi"); log("set", [...st].join(""), st.has("s"), st.size);
const wm = new WeakMap(); const key = {}; wm.set(key, 42); log("weakmap", wm.get(key), wm.has({}));

// generators and iterators
function* range(start, end, step = 1) { for (let i = start; i < end; i += step) yield i; }
function* take(n, it) { for (const v of it) { if (n-- <= 0) return; yield v; } }
function* naturals() { let n = 0; while (true) yield n++; }
log("generators", [...range(0, 20, 3)].join(), [...take(5, naturals())].join(), Array.from(take(3, "héllo")).join("|"));
const gen = (function* () { const x = yield 1; const y2 = yield x * 10; return x + y2; })();
log("gen protocol", JSON.stringify([gen.next(), gen.next(4), gen.next(5), gen.next()]));
const iterable = { from: 3, to: 6, [Symbol.iterator]() { let c = this.from, t = this.to; return { next: () => c <= t ? { value: c++, done: false } : { value: undefined, done: true } }; } };
log("custom iterable", [...iterable].join());

// BigInt
const big = 2n ** 127n - 1n;
log("bigint", big, big % 1000000007n, (-big) / 3n, big.toString(16), BigInt.asUintN(64, -1n), BigInt.asIntN(8, 255n), typeof big);
let factorial = 1n; for (let i = 1n; i <= 30n; i++) factorial *= i; log("30!", factorial, factorial >> 50n, factorial & 0xffffn);
log("bigint mix", 10n > 9, 10n == 10, BigInt("0x1fffffffffffff") + 1n, Number(2n ** 60n));

// typed arrays and DataView
const buf = new ArrayBuffer(32);
const dv = new DataView(buf);
dv.setFloat64(0, Math.PI); dv.setInt32(8, -123456, true); dv.setUint16(12, 0xBEEF); dv.setBigInt64(16, -5n, true);
const bytes = new Uint8Array(buf);
log("dataview", Array.from(bytes.slice(0, 16), b => b.toString(16).padStart(2, "0")).join(""), dv.getInt32(8, true), dv.getUint16(12), dv.getBigInt64(16, true));
const f32 = new Float32Array([1.1, 2.2, 3.3]); const i16 = Int16Array.from([40000, -40000, 7]);
log("typed", Array.from(f32).join(), i16.join(), new Uint8ClampedArray([300, -5, 127.5]).join(), new Int8Array(bytes.buffer, 8, 4).join());
const ta = new Int32Array(50).map((_, i) => (i * 37) % 50 - 25).sort(); log("typed sort", ta.subarray(0, 6).join(), ta.reduce((p, c) => p + c));

// Proxy / Reflect / Symbols
const handler = { get: (t, p, r) => p in t ? Reflect.get(t, p, r) : `<${String(p)}>`, set: (t, p, v) => { t[p] = typeof v === "number" ? v * 10 : v; return true; }, has: (t, p) => p.startsWith("_") ? false : p in t };
const px = new Proxy({ real: 1, _hidden: 2 }, handler); px.n = 4;
log("proxy", px.real, px.n, px.nothing, "_hidden" in px, "real" in px, Reflect.ownKeys(px).join());
const sym = Symbol("tag"); const o2 = { [sym]: "symval", regular: 1 };
log("symbol", o2[sym], Object.keys(o2).length, Object.getOwnPropertySymbols(o2).length, sym.toString(), sym.description, Symbol.for("a") === Symbol.for("a"));
class Temp { constructor(c) { this.c = c; } [Symbol.toPrimitive](hint) { return hint === "string" ? `${this.c}°C` : this.c; } }
log("toPrimitive", `${new Temp(21)}`, new Temp(21) + 1, new Temp(5) * 2);

// errors
function risky(n) { if (n > 2) throw new RangeError(`too big: ${n}`); return n; }
const results = [];
for (let i = 0; i < 5; i++) { try { results.push(risky(i)); } catch (e) { results.push(e.name + ":" + e.message); } finally { results.push("f" + i); } }
log("errors", results.join(" "));
class MyError extends Error { constructor(msg, code) { super(msg); this.name = "MyError"; this.code = code; } }
try { throw new MyError("custom", 42); } catch (e) { log("custom error", e instanceof MyError, e instanceof Error, e.name, e.message, e.code, String(e)); }
try { null.prop; } catch (e) { log("type error", e.constructor.name); }
try { undefinedVariable; } catch (e) { log("reference error", e.name, e.message); }

// strings and numbers
const str = "Hello, Wörld! 😀 ñ";
log("string", str.length, [...str].length, str.toUpperCase(), str.codePointAt(14), str.charCodeAt(14), str.normalize("NFD").length, str.slice(-1));
log("string ops", "abc".padStart(6, "12"), "abc".padEnd(6, "."), " x ".trim() + "|", "a-b-c".replaceAll("-", "+"), "abc".repeat(3), "Straße".localeCompare("Strasse") !== 0,
    "x,y,,z".split(","), "%E4%BD%A0" === encodeURIComponent("你"), decodeURIComponent("%F0%9F%98%80"), escape("a b"), String.raw`a\nb${1 + 1}`);
log("numbers", (1234.5678).toFixed(2), (0.000001234).toPrecision(3), (255).toString(2), (255).toString(36), (1e21).toString(), (123.456).toExponential(2), Number("0x1f"), parseInt("08"), parseFloat("3.14abc"), Number.MAX_SAFE_INTEGER + 2);
log("number edge", 0.1 + 0.2, 1 / 3, -0 === 0, Object.is(-0, 0), 1 / -0, NaN !== NaN, Number.isInteger(5.0), (5e-324).toString(), 2 ** 53 + 1, ~~3.7, -7 % 3, 7 >>> 1, -7 >>> 28, 1 << 31);
log("math", Math.round(-2.5), Math.round(2.5), Math.trunc(-4.7), Math.sign(-3), Math.cbrt(27), Math.clz32(1), Math.imul(0xffffffff, 5), Math.fround(5.5), Math.log2(1024), Math.atan2(1, 1).toFixed(10), Math.expm1(1e-10));
const d = new Date(Date.UTC(2024, 1, 29, 13, 45, 30, 123));
log("date", d.toISOString(), d.getUTCDay(), d.getTime(), new Date("2000-01-01T00:00:00Z").valueOf(), Date.UTC(1970, 0, 1), new Date(8.64e15 + 1).getTime());

// tagged templates, getters/setters, defineProperty, labelled loops, switch, with-free eval
const tag = (strs, ...vals) => strs.raw.map((s, i) => s + (i < vals.length ? `[${vals[i]}]` : "")).join("");
log("tagged", tag`a${1}b${"two"}c\n`);
const acct = { _b: 0, get balance() { return this._b; }, set balance(v) { if (v < 0) throw new Error("neg"); this._b = v; } };
acct.balance = 50; Object.defineProperty(acct, "id", { value: 7, enumerable: false });
log("accessors", acct.balance, Object.keys(acct).join(), acct.id, JSON.stringify(Object.getOwnPropertyDescriptor(acct, "id")));
let found = null;
outer: for (let i = 0; i < 10; i++) { for (let j = 0; j < 10; j++) { if (i * j === 42) { found = [i, j]; break outer; } } }
log("labelled", found.join());
const kinds = [0, "0", null, undefined, NaN, [], {}, () => 1, 1n].map(v => { switch (typeof v) { case "number": return "n"; case "string": return "s"; case "object": return v === null ? "null" : Array.isArray(v) ? "arr" : "obj"; default: return typeof v; } });
log("switch", kinds.join());
log("eval", eval("1 + 2 * 3"), new Function("a", "b", "return a ** b")(2, 10), (0, eval)("typeof globalThis"));

// a small workload: word frequency, matrix, sieve
const textBody = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua ".repeat(20);
const freq = {}; for (const w of textBody.split(/\s+/).filter(Boolean)) freq[w] = (freq[w] || 0) + 1;
log("freq", Object.entries(freq).sort((p, q) => q[1] - p[1] || (p[0] < q[0] ? -1 : 1)).slice(0, 4).map(e => e.join(":")).join(" "));
const N = 20; const A = Array.from({ length: N }, (_, i) => Array.from({ length: N }, (_, j) => (i * N + j) % 7 - 3));
const C = A.map((row, i) => row.map((_, j) => row.reduce((s, v, k) => s + v * A[k][j], 0)));
log("matrix", C[0].slice(0, 5).join(), C.flat().reduce((s, v) => s + v, 0));
const sieve = new Uint8Array(5000); let primes = 0; for (let i = 2; i < 5000; i++) if (!sieve[i]) { primes++; for (let j = i * i; j < 5000; j += i) sieve[j] = 1; }
log("primes", primes);

// promises and async functions (run as jobs after the script)
const delay = (v) => new Promise(res => res(v));
async function pipeline() {
  const x = await delay(1);
  const [y, z] = await Promise.all([delay(2), delay(3).then(v => v * 10)]);
  try { await Promise.reject(new Error("rejected")); } catch (e) { log("async caught", e.message); }
  const settled = await Promise.allSettled([delay("ok"), Promise.reject("no")]);
  log("allSettled", settled.map(r => r.status).join());
  return x + y + z;
}
pipeline().then(v => log("async result", v));
Promise.race([delay("first"), delay("second")]).then(v => log("race", v));
log("sync end");
