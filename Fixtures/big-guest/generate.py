#!/usr/bin/env python3
"""Generates big.c: a Spin HTTP component (C, SDK/c) with a few thousand generated
functions, so the built module is ~2 MB of code. Used by the instantiation
benchmark (Scripts/bench) and a test that keeps the fixture loading.

Every function f<i>(x) runs a small loop over a `switch` (a `br_table`) of
integer (i32, i64) and f64 arithmetic with fixed random constants. All of them
sit in one function-pointer table that the handler indexes, so the linker keeps
every one:

    GET /          -> "big-guest: 4000 functions, f0 -> <value>"
    GET /?f=N      -> the same for f<N mod 4000>
    GET /?all      -> "big-guest: called 4000 functions, acc=<value>" (calls every one)

The generator also evaluates the functions itself (the same arithmetic in
Python, C's wrap-around semantics) and writes the expected bodies to
expected.txt, so a test can check the engine's answers, not just a 200.

    python3 generate.py [--functions N] [--seed S]    # then ./build.sh
"""
import argparse
import random

M32 = (1 << 32) - 1
M64 = (1 << 64) - 1


def s32(v):
    v &= M32
    return v - (1 << 32) if v & 0x80000000 else v


def rotl32(v, s):
    return ((v << s) | (v >> (32 - s))) & M32


# Each operation: (C statement template, Python evaluator on the state dict).
# Constants are drawn per use; every shift amount is in range, every divisor is
# a nonzero constant and every double stays small and positive, so nothing is
# undefined in C and Python computes exactly what the module computes.
def make_op(rng):
    kind = rng.randrange(14)
    c32 = rng.randrange(1, 1 << 32) | 1
    c64 = rng.randrange(1, 1 << 64) | 1
    s = rng.randrange(1, 32)
    t = rng.randrange(1, 64)
    div = rng.randrange(3, 1000)
    bit = 1 << rng.randrange(32)
    if kind == 0:
        return f"a = a * {c32}u + b;", lambda st: st.update(a=(st["a"] * c32 + st["b"]) & M32)
    if kind == 1:
        return f"b = (b ^ (a >> {s})) + {c32}u;", lambda st: st.update(b=((st["b"] ^ (st["a"] >> s)) + c32) & M32)
    if kind == 2:
        return f"w = w * {c64}ull + a;", lambda st: st.update(w=(st["w"] * c64 + st["a"]) & M64)
    if kind == 3:
        return (f"a = rotl32(a, {s}) ^ (uint32_t)(w >> {t});",
                lambda st: st.update(a=rotl32(st["a"], s) ^ ((st["w"] >> t) & M32)))
    if kind == 4:
        return (f"w ^= w >> {t}; w += (uint64_t)b << {t};",
                lambda st: st.update(w=((st["w"] ^ (st["w"] >> t)) + (st["b"] << t)) & M64))
    if kind == 5:
        def f(st):
            d = st["d"] * 0.5 + float(st["a"] & 0xFFFF)
            st.update(d=d, a=st["a"] ^ int(d))
        return "d = d * 0.5 + (double)(a & 0xffff); a ^= (uint32_t)d;", f
    if kind == 6:
        return (f"b -= (a * {c32}u) ^ k;", lambda st: st.update(b=(st["b"] - (((st["a"] * c32) & M32) ^ st["k"])) & M32))
    if kind == 7:
        return f"a += b % {div}u + 1;", lambda st: st.update(a=(st["a"] + st["b"] % div + 1) & M32)
    if kind == 8:
        def f(st):
            if st["a"] & bit:
                st["b"] ^= c32
            else:
                st["a"] ^= st["b"] >> s
        return f"if (a & {bit}u) b ^= {c32}u; else a ^= b >> {s};", f
    if kind == 9:
        return (f"w = (w << {t}) | (w >> {64 - t});",
                lambda st: st.update(w=((st["w"] << t) | (st["w"] >> (64 - t))) & M64))
    if kind == 10:
        return f"a = (a ^ {c32}u) * 16777619u;", lambda st: st.update(a=((st["a"] ^ c32) * 16777619) & M32)
    if kind == 11:
        return (f"b += (uint32_t)(w % {c64 >> 8 | 1}ull);", lambda st: st.update(b=(st["b"] + (st["w"] % (c64 >> 8 | 1))) & M32))
    if kind == 12:
        def f(st):
            d = st["d"] * 0.25 + float(st["b"] >> 20)
            st.update(d=d, b=(st["b"] + int(d * 3.0)) & M32)
        return "d = d * 0.25 + (double)(b >> 20); b += (uint32_t)(d * 3.0);", f
    return (f"a = (uint32_t)((int32_t)a >> {s}) + b;", lambda st: st.update(a=((s32(st["a"]) >> s) + st["b"]) & M32))


class Function:
    def __init__(self, index, rng):
        self.index = index
        self.x0 = rng.randrange(1 << 32)
        self.x1 = rng.randrange(1 << 32) | 1
        self.iterations = rng.randrange(6, 20)
        self.cases = [[make_op(rng) for _ in range(rng.randrange(1, 4))] for _ in range(rng.randrange(6, 12))]

    def c(self):
        lines = [f"static uint32_t f{self.index}(uint32_t x) {{",
                 f"    uint32_t a = x ^ {self.x0}u, b = x * {self.x1}u + 1u;",
                 "    uint64_t w = ((uint64_t)x << 32) | a;",
                 "    double d = (double)(x & 0xff);",
                 f"    for (uint32_t k = 0; k < {self.iterations}u; k++) {{",
                 f"        switch ((a ^ k) % {len(self.cases)}u) {{"]
        for i, ops in enumerate(self.cases):
            label = "default" if i == len(self.cases) - 1 else f"case {i}"
            lines.append(f"        {label}: " + " ".join(c for c, _ in ops) + " break;")
        lines += ["        }",
                  "        b = b * 2654435761u + a + k;",
                  "    }",
                  "    return a ^ b ^ (uint32_t)w ^ (uint32_t)(w >> 32) ^ (uint32_t)d;",
                  "}"]
        return "\n".join(lines)

    def __call__(self, x):
        a = x ^ self.x0
        st = {"a": a, "b": (x * self.x1 + 1) & M32, "w": ((x << 32) | a) & M64, "d": float(x & 0xFF), "k": 0}
        for k in range(self.iterations):
            st["k"] = k
            which = (st["a"] ^ k) % len(self.cases)
            for _, run in self.cases[which]:
                run(st)
            st["b"] = (st["b"] * 2654435761 + st["a"] + k) & M32
        return (st["a"] ^ st["b"] ^ (st["w"] & M32) ^ (st["w"] >> 32) ^ int(st["d"])) & M32


HANDLER = r"""
typedef uint32_t (*fn_t)(uint32_t);
static fn_t const table[FUNCTIONS] = {
%(table)s
};

spin_http_response_t spin_http_handle(const spin_http_request_t *req) {
    char arg[32];
    char text[128];
    if (spin_http_query_param(req, "all", arg, sizeof arg) >= 0) {
        uint32_t acc = 0;
        for (uint32_t i = 0; i < FUNCTIONS; i++) acc = acc * 31u + table[i](i ^ acc);
        snprintf(text, sizeof text, "big-guest: called %%d functions, acc=%%u", FUNCTIONS, (unsigned)acc);
    } else {
        uint32_t n = 0;
        if (spin_http_query_param(req, "f", arg, sizeof arg) >= 0) n = (uint32_t)strtoul(arg, NULL, 10) %% FUNCTIONS;
        snprintf(text, sizeof text, "big-guest: %%d functions, f%%u -> %%u", FUNCTIONS, (unsigned)n,
                 (unsigned)table[n](n + 1u));
    }
    spin_http_response_t res = spin_http_response(200);
    spin_http_response_add_header(&res, "content-type", "text/plain");
    spin_http_response_set_body_str(&res, text);
    return res;
}
"""


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--functions", type=int, default=4000)
    p.add_argument("--seed", type=int, default=20261127)
    args = p.parse_args()
    rng = random.Random(args.seed)
    functions = [Function(i, rng) for i in range(args.functions)]
    n = len(functions)

    out = ["/* Generated by generate.py (--functions %d --seed %d); do not edit. */" % (n, args.seed),
           "#include <stdint.h>", "#include <stdio.h>", "#include <stdlib.h>", "",
           '#include "spin_http.h"', "",
           "#define FUNCTIONS %d" % n, "",
           "static inline uint32_t rotl32(uint32_t v, unsigned s) { return (v << s) | (v >> (32 - s)); }", ""]
    out += [f.c() + "\n" for f in functions]
    out.append(HANDLER % {"table": ",\n".join("    " + ", ".join(f"f{j}" for j in range(i, min(i + 12, n)))
                                                for i in range(0, n, 12))})
    with open("big.c", "w") as fh:
        fh.write("\n".join(out))

    acc = 0
    for i, f in enumerate(functions):
        acc = (acc * 31 + f(i ^ acc)) & M32
    with open("expected.txt", "w") as fh:
        fh.write(f"/ big-guest: {n} functions, f0 -> {functions[0](1)}\n")
        fh.write(f"/?f=1234 big-guest: {n} functions, f{1234 % n} -> {functions[1234 % n](1234 % n + 1)}\n")
        fh.write(f"/?all big-guest: called {n} functions, acc={acc}\n")


if __name__ == "__main__":
    main()
