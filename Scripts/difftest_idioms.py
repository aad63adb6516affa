"""Random modules built from the idioms compilers emit, for Scripts/difftest (`--generator idioms`).

wasm-smith picks every instruction at random, so the sequences the optimising translation fuses
(`i32.lt_s; br_if`, `i += k; br_if (i < n)`, `a[i]` loads, `x ^ (y << k)`, `f64.mul; f64.add`,
`i32.load; i32.add`, constants as immediates) almost never occur in its modules: a coverage run
(`Scripts/difftest --coverage`) shows smith modules reaching about 40 of the ~200 ops that only
the optimiser emits. This generator writes the text format from a random seed, with those
idioms on purpose, and `wasm-tools parse` assembles it.

Every module is valid by construction and terminates: loops count to a small bound, and a
function calls only functions defined before it, within a cost budget. Memory accesses are
in bounds except for a few deliberately unmasked ones (those trap the same way everywhere).
Floats that reach memory or an integer (store, reinterpret, copysign) are canonicalised first:
NaN payloads and signs are not deterministic across engines.
"""

import random

TYPES = ["i32", "i64", "f32", "f64"]
INT_CONSTS = {
    "i32": [0, 1, -1, 2, 3, 4, 7, 8, 15, 16, 31, 32, 63, 255, 256, 1000, 65535, 0x7FFFFFFF, -0x80000000, -2, -16],
    "i64": [0, 1, -1, 2, 7, 8, 31, 32, 63, 64, 255, 0xFFFFFFFF, 0x100000000, 0x7FFFFFFFFFFFFFFF,
            -0x8000000000000000, -2],
}
FLOAT_CONSTS = ["0", "-0", "1", "-1", "0.5", "1.5", "-2.5", "3", "100", "1e10", "-1e-10", "inf", "-inf", "nan",
                "0x1p-149", "2147483648", "-2147483649", "4294967296", "9.2e18", "0.1"]
BUDGET = 60_000  # rough instruction count a function may execute, callees included


class Function:
    def __init__(self, index, params, results):
        self.index, self.params, self.results = index, params, results
        self.cost = 0
        self.text = ""


class Generator:
    def __init__(self, seed, small=False, tail_calls=False):
        self.r = random.Random(seed)
        self.small = small
        self.tail_calls = tail_calls
        self.functions = []
        self.globals = []  # (name, type)
        self.table_types = []  # function index of each table slot

    # -- small helpers ---------------------------------------------------------------------------

    def chance(self, p):
        return self.r.random() < p

    def const(self, t):
        r = self.r
        if t in INT_CONSTS:
            v = r.choice(INT_CONSTS[t]) if r.random() < 0.7 else r.randint(-(1 << 20), 1 << 20)
            return "(%s.const %d)" % (t, v)
        return "(%s.const %s)" % (t, r.choice(FLOAT_CONSTS))

    # -- expressions: each returns (text, cost) --------------------------------------------------

    def expr(self, t, depth, ctx):
        r = self.r
        if depth <= 0 or self.chance(0.18):
            return self.leaf(t, ctx)
        if depth >= 2 and self.chance(0.12):
            return self.structured(t, depth, ctx)
        if t == "i32":
            return self.i32_expr(depth, ctx)
        if t == "i64":
            return self.i64_expr(depth, ctx)
        return self.float_expr(t, depth, ctx)

    def assignable(self, t, ctx):
        """The locals of type t that statements may overwrite."""
        return [v for v, vt in ctx.locals
                if vt == t and v not in ctx.counters and v not in ctx.pointers and v not in ctx.scratch.values()]

    def structured(self, t, depth, ctx):
        """Expressions with control flow or side effects inside: local.tee, a local's old value
        still on the stack when it changes, blocks and ifs with results, br_if with a value."""
        r = self.r
        roll = r.random()
        targets = self.assignable(t, ctx)
        if roll < 0.25 and targets:
            e, c = self.expr(t, depth - 1, ctx)
            return "(local.tee %s %s)" % (r.choice(targets), e), c + 1
        if roll < 0.45 and targets:
            x = r.choice(targets)
            e, c = self.expr(t, depth - 1, ctx)
            if self.chance(0.5):
                second = "(local.tee %s %s)" % (x, e)
            else:
                after = "(local.get %s)" % x if self.chance(0.5) else self.leaf(t, ctx)[0]
                second = "(block (result %s) (local.set %s %s) %s)" % (t, x, e, after)
            op = r.choice(["add", "sub", "mul"] + (["xor", "shl", "rotl"] if t[0] == "i" else ["min", "div"]))
            if self.chance(0.5):
                return "(%s.%s (local.get %s) %s)" % (t, op, x, second), c + 3
            return "(select (local.get %s) %s (%s))" % (x, second, "i32.const 1" if self.chance(0.5) else "i32.const 0"), c + 3
        globals_ = [g for g, gt in self.globals if gt == t]
        if roll < 0.52 and globals_:
            # a global's value on the stack while a block or call inside the expression sets it
            g = r.choice(globals_)
            e, c = self.expr(t, depth - 1, ctx)
            called = self.call(t, depth, ctx) if self.chance(0.4) else None
            second = called[0] if called else "(block (result %s) (global.set %s %s) %s)" % (
                t, g, e, "(global.get %s)" % g if self.chance(0.5) else self.leaf(t, ctx)[0])
            return "(%s.%s (global.get %s) %s)" % (t, r.choice(["add", "sub", "mul"]), g, second), c + 3 + (
                called[1] if called else 0)
        if roll < 0.58 and ctx.loops < 2:
            # a counted loop that leaves a value
            label = ctx.label()
            counter = ctx.new_counter("i32")
            trips = r.randint(1, 8)
            saved, ctx.multiplier = ctx.multiplier, ctx.multiplier * (trips + 1)
            saved_loops, ctx.loops = ctx.loops, ctx.loops + 1
            lines, cost = self.statements(r.randint(0, 2), depth - 1, ctx, ctx.loops)
            e, c = self.expr(t, depth - 1, ctx)
            ctx.multiplier, ctx.loops = saved, saved_loops
            # the value left by the last iteration; the others' are dropped by the branch back
            return ("(block (result %s) (local.set %s (i32.const 0)) (loop %s (result %s) %s "
                    "(local.set %s (i32.add (local.get %s) (i32.const 1))) %s "
                    "(br_if %s (i32.lt_u (local.get %s) (i32.const %d)))))" % (
                        t, counter, label, t, " ".join(lines), counter, counter, e, label, counter, trips),
                    (cost + c + 3) * (trips + 1))
        if roll < 0.75:
            label = ctx.label()
            lines, cost = self.statements(r.randint(1, 2), depth - 1, ctx, ctx.loops)
            if self.chance(0.5):
                v, cv = self.expr(t, depth - 1, ctx)
                cond, cc = self.condition(depth - 1, ctx)
                lines = lines + ["(drop (br_if %s %s %s))" % (label, v, cond)]
                cost += cv + cc
            e, c = self.expr(t, depth - 1, ctx)
            return "(block %s (result %s) %s %s)" % (label, t, " ".join(lines), e), cost + c + 1
        cond, cc = self.condition(depth - 1, ctx)
        lines, cs = self.statements(r.randint(0, 1), depth - 1, ctx, ctx.loops)
        a, ca = self.expr(t, depth - 1, ctx)
        b, cb = self.expr(t, depth - 1, ctx)
        return "(if (result %s) %s (then %s %s) (else %s))" % (t, cond, " ".join(lines), a, b), cc + cs + max(ca, cb) + 1

    def leaf(self, t, ctx):
        r = self.r
        options = [v for v, vt in ctx.locals if vt == t]
        globals_ = [g for g, gt in self.globals if gt == t]
        roll = r.random()
        if options and roll < 0.55:
            return "(local.get %s)" % r.choice(options), 1
        if globals_ and roll < 0.7:
            return "(global.get %s)" % r.choice(globals_), 1
        return self.const(t), 1

    def operand(self, t, depth, ctx):
        """An operand that is often a constant (so the immediate forms are used)."""
        if self.chance(0.4):
            return self.const(t), 0
        return self.expr(t, depth - 1, ctx)

    def binary(self, t, ops, depth, ctx):
        op = self.r.choice(ops)
        a, ca = self.expr(t, depth - 1, ctx)
        b, cb = self.operand(t, depth, ctx)
        if self.chance(0.3) and op in ("add", "sub", "mul", "and", "or", "xor"):
            a, b = b, a  # constants on the left too
        return "(%s.%s %s %s)" % (t, op, a, b), ca + cb + 1

    def address(self, ctx, width):
        """An i32 address in bounds of one page (for an access of `width` bytes at offset <= 64),
        in the shapes the translator folds: constant, base + constant, base + index."""
        r = self.r
        roll = r.random()
        ptrs = ctx.pointers
        if roll < 0.15:
            return "(i32.const %d)" % (r.randrange(0, 4096) & ~(width - 1)), 0
        if roll < 0.45 and ptrs:
            return "(i32.add (local.get %s) (i32.const %d))" % (r.choice(ptrs), r.randrange(0, 2048)), 2
        if roll < 0.8 and len(ptrs) >= 2:
            a, b = r.sample(ptrs, 2)
            return "(i32.add (local.get %s) (local.get %s))" % (a, b), 3
        if roll < 0.9:
            e, c = self.expr("i32", 2, ctx)
            k = r.choice([0, 1, 2, 3])
            return "(i32.add (i32.and %s (i32.const 0x7ff0)) (i32.shl (i32.and %s (i32.const 0xff)) (i32.const %d)))" % (
                e, self.leaf("i32", ctx)[0], k), c + 6
        e, c = self.expr("i32", 2, ctx)
        return "(i32.and %s (i32.const 0xffb0))" % e, c + 2

    def load(self, t, ctx):
        r = self.r
        loads = {
            "i32": [("load", 4), ("load8_s", 1), ("load8_u", 1), ("load16_s", 2), ("load16_u", 2)],
            "i64": [("load", 8), ("load8_s", 1), ("load8_u", 1), ("load16_s", 2), ("load16_u", 2),
                    ("load32_s", 4), ("load32_u", 4)],
            "f32": [("load", 4)], "f64": [("load", 8)],
        }[t]
        op, width = r.choice(loads)
        addr, c = self.address(ctx, width)
        offset = r.choice([0, 0, 0, 4, 8, 16, 64])
        return "(%s.%s offset=%d %s)" % (t, op, offset, addr), c + 1

    def call(self, t, depth, ctx):
        """A call of an earlier function returning one value of type t (none: t is None), if one
        fits the budget."""
        fits = [f for f in self.functions if f.results == ([t] if t else [])
                and f.cost * ctx.multiplier + ctx.cost < BUDGET]
        if not fits:
            return None
        f = self.r.choice(fits)
        args, cost = [], f.cost + 2
        for p in f.params:
            a, c = self.expr(p, min(depth - 1, 2), ctx)
            args.append(a)
            cost += c
        ctx.cost += f.cost * ctx.multiplier
        if self.chance(0.25) and f.index in self.table_types:
            slot = self.table_types.index(f.index)
            if self.chance(0.2):
                # Through a computed slot: another function defined before this one (the calls
                # stay acyclic), which may have another type, or slot 7, which is always empty (at
                # most 7 functions go into the table): both trap everywhere.
                if self.chance(0.15):
                    index = "(i32.const 7)"
                else:
                    index = "(i32.rem_u %s (i32.const %d))" % (self.leaf("i32", ctx)[0], len(self.table_types))
            else:
                index = "(i32.const %d)" % slot
            return "(call_indirect (type $t%d) %s %s)" % (f.index, " ".join(args), index), cost + 2
        return "(call $f%d %s)" % (f.index, " ".join(args)), cost

    def compare(self, depth, ctx):
        r = self.r
        t = r.choice(["i32", "i32", "i32", "i64", "f32", "f64"])
        ops = (["eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u"] if t[0] == "i"
               else ["eq", "ne", "lt", "gt", "le", "ge"])
        a, ca = self.expr(t, depth - 1, ctx)
        b, cb = self.operand(t, depth, ctx)
        return "(%s.%s %s %s)" % (t, r.choice(ops), a, b), ca + cb + 1

    def condition(self, depth, ctx):
        """An i32 condition in the shapes that fuse with a branch."""
        r = self.r
        roll = r.random()
        if roll < 0.55:
            return self.compare(depth, ctx)
        if roll < 0.7:
            t = r.choice(["i32", "i64"])
            e, c = self.expr(t, depth - 1, ctx)
            return "(%s.eqz %s)" % (t, e), c + 1
        if roll < 0.85:
            t = r.choice(["i32", "i64"])
            e, c = self.expr(t, depth - 1, ctx)
            cond = "(%s.and %s (%s.const %d))" % (t, e, t, r.choice([1, 2, 4, 8, 0xFF, 0x80, 3]))
            if t == "i64":
                cond = "(i64.ne %s (i64.const 0))" % cond if self.chance(0.5) else "(i64.eqz %s)" % cond
            elif self.chance(0.3):
                cond = "(i32.eqz %s)" % cond
            return cond, c + 2
        return self.expr("i32", depth - 1, ctx)

    def i32_expr(self, depth, ctx):
        r = self.r
        roll = r.random()
        if roll < 0.3:
            return self.binary("i32", ["add", "sub", "mul", "and", "or", "xor", "add", "sub"], depth, ctx)
        if roll < 0.42:
            # shift or rotate by a constant, often feeding xor/add/or (the shift fusions)
            x, c = self.expr("i32", depth - 1, ctx)
            shift = "(i32.%s %s (i32.const %d))" % (r.choice(["shl", "shr_u", "rotl", "shr_s", "rotr"]), x,
                                                    r.choice([1, 2, 3, 4, 5, 7, 8, 13, 16, 24, 31, 32, 33]))
            if self.chance(0.7):
                y, c2 = self.expr("i32", depth - 1, ctx)
                op = r.choice(["xor", "add", "or"])
                return ("(i32.%s %s %s)" % (op, y, shift) if self.chance(0.5) else "(i32.%s %s %s)" % (op, shift, y),
                        c + c2 + 2)
            return shift, c + 1
        if roll < 0.47:
            x, c = self.expr("i32", depth - 1, ctx)
            y, c2 = self.expr("i32", depth - 1, ctx)
            return "(i32.%s %s %s)" % (r.choice(["shl", "shr_s", "shr_u", "rotl", "rotr"]), x, y), c + c2 + 1
        if roll < 0.6:
            return self.compare(depth, ctx)
        if roll < 0.72:
            l, c = self.load("i32", ctx)
            if self.chance(0.6):
                # load feeding arithmetic (i32AddMem and kin)
                y, c2 = self.expr("i32", depth - 1, ctx)
                op = r.choice(["add", "sub", "and", "or", "xor"])
                return ("(i32.%s %s %s)" % (op, y, l) if self.chance(0.5) else "(i32.%s %s %s)" % (op, l, y),
                        c + c2 + 1)
            return l, c
        if roll < 0.77:
            x, c = self.expr("i32", depth - 1, ctx)
            y, c2 = self.expr("i32", depth - 1, ctx)
            op = r.choice(["div_s", "div_u", "rem_s", "rem_u"])
            # a divisor that is never zero (x / -1 may still overflow: the same trap everywhere)
            return "(i32.%s %s (i32.or %s (i32.const 1)))" % (op, x, y), c + c2 + 2
        if roll < 0.82:
            x, c = self.expr("i32", depth - 1, ctx)
            return "(i32.%s %s)" % (r.choice(["clz", "ctz", "popcnt", "eqz", "extend8_s", "extend16_s"]), x), c + 1
        if roll < 0.88:
            src = r.choice(["i64", "f32", "f64"])
            x, c = self.expr(src, depth - 1, ctx)
            if src == "i64":
                return "(i32.wrap_i64 %s)" % x, c + 1
            if src == "f32" and self.chance(0.3):
                return "(i32.reinterpret_f32 %s)" % self.canonical("f32", x, ctx), c + 4
            return "(i32.trunc_sat_%s_%s %s)" % (src, r.choice("su"), x), c + 1
        if roll < 0.93:
            a, ca = self.expr("i32", depth - 1, ctx)
            b, cb = self.expr("i32", depth - 1, ctx)
            cond, cc = self.condition(depth - 1, ctx)
            return "(select %s %s %s)" % (a, b, cond), ca + cb + cc + 1
        if roll < 0.95:
            # memory.grow 0 or 1 page (the maximum is 2: later ones return -1), or memory.size
            return r.choice(["(memory.size)", "(memory.grow (i32.const 0))", "(memory.grow (i32.const 1))"]), 1
        called = self.call("i32", depth, ctx)
        return called if called else self.leaf("i32", ctx)

    def i64_expr(self, depth, ctx):
        r = self.r
        roll = r.random()
        if roll < 0.35:
            return self.binary("i64", ["add", "sub", "mul", "and", "or", "xor", "shl", "shr_s", "shr_u", "rotl", "rotr"],
                               depth, ctx)
        if roll < 0.5:
            l, c = self.load("i64", ctx)
            return l, c
        if roll < 0.6:
            x, c = self.expr("i32", depth - 1, ctx)
            return "(i64.extend_i32_%s %s)" % (r.choice("su"), x), c + 1
        if roll < 0.68:
            x, c = self.expr("i64", depth - 1, ctx)
            y, c2 = self.expr("i64", depth - 1, ctx)
            op = r.choice(["div_s", "div_u", "rem_s", "rem_u"])
            return "(i64.%s %s (i64.or %s (i64.const 1)))" % (op, x, y), c + c2 + 2
        if roll < 0.75:
            x, c = self.expr("i64", depth - 1, ctx)
            return "(i64.%s %s)" % (r.choice(["clz", "ctz", "popcnt", "extend8_s", "extend16_s", "extend32_s"]), x), c + 1
        if roll < 0.82:
            src = r.choice(["f32", "f64"])
            x, c = self.expr(src, depth - 1, ctx)
            if src == "f64" and self.chance(0.3):
                return "(i64.reinterpret_f64 %s)" % self.canonical("f64", x, ctx), c + 4
            return "(i64.trunc_sat_%s_%s %s)" % (src, r.choice("su"), x), c + 1
        if roll < 0.88:
            a, ca = self.expr("i64", depth - 1, ctx)
            b, cb = self.expr("i64", depth - 1, ctx)
            cond, cc = self.condition(depth - 1, ctx)
            return "(select %s %s %s)" % (a, b, cond), ca + cb + cc + 1
        called = self.call("i64", depth, ctx)
        return called if called else self.leaf("i64", ctx)

    def float_expr(self, t, depth, ctx):
        r = self.r
        roll = r.random()
        if roll < 0.35:
            op = r.choice(["add", "sub", "mul", "div", "min", "max", "add", "mul"])
            a, ca = self.expr(t, depth - 1, ctx)
            if t == "f64" and op in ("add", "sub", "mul") and self.chance(0.5):
                # multiply chains and multiply-add (f64MulAdd and kin)
                x, cx = self.expr(t, depth - 1, ctx)
                y, cy = self.operand(t, depth, ctx)
                b, cb = "(f64.mul %s %s)" % (x, y), cx + cy + 1
            elif t == "f64" and op in ("add", "sub", "mul") and self.chance(0.4):
                b, cb = self.load("f64", ctx)  # f64AddMem and kin
            else:
                b, cb = self.operand(t, depth, ctx)
            if self.chance(0.5):
                a, b = b, a
            return "(%s.%s %s %s)" % (t, op, a, b), ca + cb + 1
        if roll < 0.5:
            x, c = self.expr(t, depth - 1, ctx)
            return "(%s.%s %s)" % (t, r.choice(["abs", "neg", "sqrt", "ceil", "floor", "trunc", "nearest"]), x), c + 1
        if roll < 0.6:
            return self.load(t, ctx)
        if roll < 0.7:
            src = r.choice(["i32", "i64"])
            x, c = self.expr(src, depth - 1, ctx)
            return "(%s.convert_%s_%s %s)" % (t, src, r.choice("su"), x), c + 1
        if roll < 0.76:
            other = "f64" if t == "f32" else "f32"
            x, c = self.expr(other, depth - 1, ctx)
            return "(%s.%s %s)" % (t, "demote_f64" if t == "f32" else "promote_f32", x), c + 1
        if roll < 0.8:
            x, c = self.expr(t, depth - 1, ctx)
            y, c2 = self.expr(t, depth - 1, ctx)
            return "(%s.copysign %s %s)" % (t, x, self.canonical(t, y, ctx)), c + c2 + 4
        if roll < 0.85:
            src = "i32" if t == "f32" else "i64"
            x, c = self.expr(src, depth - 1, ctx)
            return "(%s.reinterpret_%s %s)" % (t, src, x), c + 1
        if roll < 0.9:
            a, ca = self.expr(t, depth - 1, ctx)
            b, cb = self.expr(t, depth - 1, ctx)
            cond, cc = self.condition(depth - 1, ctx)
            return "(select %s %s %s)" % (a, b, cond), ca + cb + cc + 1
        called = self.call(t, depth, ctx)
        return called if called else self.leaf(t, ctx)

    def canonical(self, t, x, ctx):
        """x with any NaN replaced by the canonical NaN (through the function's scratch local)."""
        tmp = ctx.scratch[t]
        return "(select (local.tee %s %s) (%s.const nan) (%s.eq (local.get %s) (local.get %s)))" % (
            tmp, x, t, t, tmp, tmp)

    # -- statements: each returns (list of lines, cost) ------------------------------------------

    def statements(self, n, depth, ctx, loops):
        lines, cost = [], 0
        for _ in range(n):
            s, c = self.statement(depth, ctx, loops)
            lines += s
            cost += c
        return lines, cost

    def statement(self, depth, ctx, loops):
        r = self.r
        roll = r.random()
        if roll < 0.25:
            t = r.choice(TYPES)
            targets = [v for v, vt in ctx.locals
                       if vt == t and v not in ctx.counters and v not in ctx.pointers and v not in ctx.scratch.values()]
            e, c = self.expr(t, depth, ctx)
            if targets:
                return ["(local.set %s %s)" % (r.choice(targets), e)], c + 1
            return ["(drop %s)" % e], c + 1
        if roll < 0.32:
            # pointers: locals that stay in bounds, for base + index addresses
            p = r.choice(ctx.pointers)
            e, c = self.expr("i32", depth, ctx)
            return ["(local.set %s (i32.and %s (i32.const %d)))" % (p, e, r.choice([0x77F8, 0x3FF8, 0x3F8, 0xFF0]))], c + 2
        if roll < 0.4:
            mutable = [g for g, gt in self.globals]
            g = r.choice(mutable)
            t = dict(self.globals)[g]
            e, c = self.expr(t, depth, ctx)
            return ["(global.set %s %s)" % (g, e)], c + 1
        if roll < 0.52:
            t = r.choice(TYPES)
            ops = {"i32": [("store", 4), ("store8", 1), ("store16", 2)],
                   "i64": [("store", 8), ("store8", 1), ("store16", 2), ("store32", 4)],
                   "f32": [("store", 4)], "f64": [("store", 8)]}[t]
            op, width = r.choice(ops)
            addr, ca = self.address(ctx, width)
            if self.chance(0.3):
                value, cv = self.const(t), 0
            else:
                value, cv = self.expr(t, depth, ctx)
            if t[0] == "f" and not value.startswith("(%s.const" % t):
                value, cv = self.canonical(t, value, ctx), cv + 3
            elif t[0] == "f" and "nan" in value:
                value = "(%s.const nan)" % t
            if self.chance(0.01):
                addr = "(i32.add %s (i32.const 0xfffc))" % addr  # out of bounds sometimes
            offset = r.choice([0, 0, 4, 8, 32])
            return ["(%s.%s offset=%d %s %s)" % (t, op, offset, addr, value)], ca + cv + 1
        if roll < 0.64 and depth > 1:
            cond, cc = self.condition(depth, ctx)
            then, ct = self.statements(r.randint(1, 3), depth - 1, ctx, loops)
            if self.chance(0.5):
                other, co = self.statements(r.randint(1, 3), depth - 1, ctx, loops)
                return (["(if %s (then" % cond] + indent(then) + [") (else"] + indent(other) + ["))"],
                        cc + max(ct, co) + 1)
            return ["(if %s (then" % cond] + indent(then) + ["))"], cc + ct + 1
        if roll < 0.72 and depth > 1:
            label = ctx.label()
            cond, cc = self.condition(depth, ctx)
            before, cb = self.statements(r.randint(0, 2), depth - 1, ctx, loops)
            after, ca = self.statements(r.randint(1, 3), depth - 1, ctx, loops)
            return (["(block %s" % label] + indent(before + ["(br_if %s %s)" % (label, cond)] + after) + [")"],
                    cc + cb + ca + 1)
        if roll < 0.88 and depth > 1 and loops < 2:
            saved, ctx.loops = ctx.loops, loops + 1
            result = self.loop(depth, ctx, loops)
            ctx.loops = saved
            return result
        if roll < 0.9:
            op = r.choice(["fill", "copy"])
            dst, cd = self.expr("i32", depth - 1, ctx)
            length, cl = self.expr("i32", depth - 1, ctx)
            if op == "fill":
                value, cv = self.expr("i32", depth - 1, ctx)
            else:
                value, cv = self.expr("i32", depth - 1, ctx)
                value = "(i32.and %s (i32.const 0x7ff0))" % value
            return ["(memory.%s (i32.and %s (i32.const 0x7ff0)) %s (i32.and %s (i32.const 0x3ff)))" % (
                op, dst, value, length)], cd + cl + cv + 64
        if roll < 0.91 and depth > 1:
            cond, cc = self.condition(depth, ctx)
            values = []
            cost = cc
            for t in ctx.results:
                v, cv = self.expr(t, depth - 1, ctx)
                values.append(v)
                cost += cv
            return ["(if %s (then (return %s)))" % (cond, " ".join(values))], cost + 1
        if roll < 0.92 and depth > 1:
            labels = [ctx.label() for _ in range(r.randint(2, 4))]
            e, c = self.expr("i32", depth - 1, ctx)
            targets = [r.choice(labels) for _ in range(r.randint(0, 4))] + [r.choice(labels)]
            lines = ["(br_table %s %s)" % (" ".join(targets), e)]
            cost = c + 1
            for label in labels:
                body, cb = self.statements(r.randint(0, 2), depth - 1, ctx, loops)
                lines = ["(block %s" % label] + indent(lines) + [")"] + body
                cost += cb
            return lines, cost
        t = r.choice(TYPES + [None])
        called = self.call(t, depth, ctx)
        if called:
            return ["(drop %s)" % called[0] if t else called[0]], called[1]
        t = t or "i32"
        e, c = self.expr(t, depth, ctx)
        return ["(drop %s)" % e], c + 1

    def loop(self, depth, ctx, loops):
        """A counted loop in one of the shapes of compiled `for` loops."""
        r = self.r
        shape = r.choice(["up", "up", "down", "ne", "zero", "while"])
        trips = 16 if shape == "while" else r.randint(1, 12 if loops else 24)
        saved = ctx.multiplier
        ctx.multiplier *= trips + 1
        label, exit_label = ctx.label(), ctx.label()
        wide = self.chance(0.2)
        t = "i64" if wide else "i32"
        counter = ctx.new_counter(t)
        body, cb = self.statements(r.randint(1, 4), depth - 1, ctx, loops + 1)
        ctx.multiplier = saved
        k = r.choice([1, 1, 1, 2, 3, 4, 8])
        if shape == "while":
            # while (i < n) with n from anything, masked to 0...15: the test at the top
            bound_local = ctx.new_counter(t)
            source = self.leaf(t, ctx)[0]
            init = "(local.set %s (%s.const 0)) (local.set %s (%s.and %s (%s.const %d)))" % (
                counter, t, bound_local, t, source, t, 15)
            lines = [init, "(block %s" % exit_label, "  (loop %s" % label,
                     "    (br_if %s (%s.ge_%s (local.get %s) (local.get %s)))" % (exit_label, t, r.choice("su"),
                                                                                counter, bound_local)]
            lines += indent(indent(body))
            lines += ["    (local.set %s (%s.add (local.get %s) (%s.const 1)))" % (counter, t, counter, t),
                      "    (br %s)))" % label]
            return lines, (cb + 4) * 17
        down = shape == "down"
        # start, step and the test after the step: `i += k; br_if (i < end)` and kin
        if shape == "up":
            start = r.randint(-3, 3)
            end = start + trips * k
            test = "(%s.%s (local.get %s) (%s.const %d))" % (t, r.choice(["lt_s", "lt_u"]) if start >= 0 else "lt_s",
                                                             counter, t, end)
        elif shape == "down":
            start = trips * k + r.randint(0, 2)
            end = start - trips * k
            test = "(%s.%s (local.get %s) (%s.const %d))" % (t, r.choice(["gt_s", "gt_u"]), counter, t, end)
        elif shape == "ne":
            start = r.choice([0, -trips * k - 5, 7])
            test = "(%s.ne (local.get %s) (%s.const %d))" % (t, counter, t, start + trips * k)
        else:  # zero: br_if on the counter itself
            start = -trips * k
            test = "(local.get %s)" % counter if t == "i32" else "(i64.ne (local.get %s) (i64.const 0))" % counter
        step_value = -k if down else k
        init = "(local.set %s (%s.const %d))" % (counter, t, start)
        if self.chance(0.35):
            # the step in a local: a plain add (i32AddBrIf and kin)
            stepper = ctx.new_counter(t)
            init += " (local.set %s (%s.const %d))" % (stepper, t, step_value)
            add = "(%s.add (local.get %s) (local.get %s))" % (t, counter, stepper)
        else:
            add = "(%s.add (local.get %s) (%s.const %d))" % (t, counter, t, step_value)
        step = ["(local.set %s %s)" % (counter, add), "(br_if %s %s)" % (label, test)]
        return [init, "(loop %s" % label] + indent(body + step) + [")"], (cb + 3) * (trips + 1) + 1

    # -- functions and module --------------------------------------------------------------------

    def tail_function(self, index):
        """A function that `return_call`s itself (Wasm 3.0 tail calls, only with `tail_calls`):
        parameter 0 is a counter masked to 15 on entry and decreased by the first argument, the
        other arguments are its own parameters, others (swaps), constants or random expressions
        (the optimiser turns the call into argument moves and a `br`, sinking pure producers)."""
        r = self.r
        params = ["i32"] + [r.choice(TYPES) for _ in range(r.randint(1, 3))]
        results = [r.choice(TYPES)]
        f = Function(index, params, results)
        ctx = Context(self, params)
        ctx.results = results
        names = [v for v, _ in ctx.locals[:len(params)]]
        # The counter is written only by the call: statements and arguments leave it alone.
        ctx.counters.add("$p0")
        finish, cost = self.expr(results[0], 3, ctx)
        ctx.multiplier = 16
        body = ["(local.set $p0 (i32.and (local.get $p0) (i32.const 15)))",
                "(if (i32.eqz (local.get $p0)) (then (return %s)))" % finish]
        lines, c = self.statements(r.randint(0, 2), 2, ctx, 1)
        body += lines
        step = r.choice(["(i32.sub (local.get $p0) (i32.const 1))", "(i32.shr_u (local.get $p0) (i32.const 1))",
                         "(i32.add (i32.const -1) (local.get $p0))"])
        args, argcost = [step], 0
        for i, t in enumerate(params[1:], start=1):
            roll = r.random()
            same = [names[j] for j, pt in enumerate(params) if pt == t]
            if roll < 0.2:
                args.append("(local.get %s)" % names[i])
            elif roll < 0.4:
                args.append("(local.get %s)" % r.choice(same))
            elif roll < 0.5:
                args.append(self.const(t))
            else:
                e, ec = self.expr(t, 2, ctx)
                args.append(e)
                argcost += ec
        body.append("(return_call $f%d %s)" % (index, " ".join(args)))
        f.cost = cost + 16 * (c + argcost + 8) + ctx.cost
        sig = " ".join(["(param %s %s)" % (v, vt) for v, vt in ctx.locals[:len(params)]])
        res = " ".join("(result %s)" % t for t in results)
        decls = " ".join("(local %s %s)" % (v, vt) for v, vt in ctx.locals[len(params):])
        f.text = "\n".join(["  (func $f%d (export \"f%d\") (type $t%d) %s %s" % (index, index, index, sig, res),
                            "    " + decls] + indent(indent(body)) + ["  )"])
        return f

    def function(self, index):
        r = self.r
        if self.tail_calls and self.chance(0.35):
            return self.tail_function(index)
        params = [r.choice(TYPES) for _ in range(r.randint(0, 4))]
        results = [] if self.chance(0.15) else [r.choice(TYPES)]
        f = Function(index, params, results)
        ctx = Context(self, params)
        ctx.results = results
        body, cost = self.statements(r.randint(2, 5) if self.small else r.randint(3, 12), 3 if self.small else 4, ctx, 0)
        for t in results:
            e, c = self.expr(t, 3, ctx)
            body.append(e)
            cost += c
        f.cost = cost + ctx.cost
        sig = " ".join(["(param %s %s)" % (v, vt) for v, vt in ctx.locals[:len(params)]])
        res = " ".join("(result %s)" % t for t in results)
        decls = " ".join("(local %s %s)" % (v, vt) for v, vt in ctx.locals[len(params):])
        f.text = "\n".join(["  (func $f%d (export \"f%d\") (type $t%d) %s %s" % (index, index, index, sig, res),
                            "    " + decls] + indent(indent(body)) + ["  )"])
        return f

    def module(self):
        r = self.r
        for i in range(r.randint(2, 5)):
            t = r.choice(TYPES)
            self.globals.append(("$g%d" % i, t))
        count = r.randint(2, 3) if self.small else r.randint(2, 7)
        self.table_types = []
        for i in range(count):
            f = self.function(i)
            self.functions.append(f)
            if self.chance(0.6):
                self.table_types.append(i)
        lines = ["(module"]
        for f in self.functions:
            lines.append("  (type $t%d (func %s %s))" % (
                f.index, " ".join("(param %s)" % p for p in f.params), " ".join("(result %s)" % t for t in f.results)))
        lines.append("  (memory (export \"memory\") 1 2)")
        data = bytes(r.getrandbits(8) for _ in range(r.randint(0, 96)))
        if data:
            lines.append("  (data (i32.const %d) \"%s\")" % (r.randrange(0, 2048), "".join("\\%02x" % b for b in data)))
        for name, t in self.globals:
            lines.append("  (global %s (export \"%s\") (mut %s) %s)" % (name, name[1:], t, self.const(t)))
        lines.append("  (table (export \"table\") 8 funcref)")
        if self.table_types:
            lines.append("  (elem (i32.const 0) %s)" % " ".join("$f%d" % i for i in self.table_types))
        lines += [f.text for f in self.functions]
        lines.append(")")
        return "\n".join(lines) + "\n"


class Context:
    """One function's locals (params first), pointer locals, loop counters and labels."""

    def __init__(self, gen, params):
        self.gen = gen
        self.locals = [("$p%d" % i, t) for i, t in enumerate(params)]
        r = gen.r
        for i in range(r.randint(1, 5)):
            self.locals.append(("$l%d" % i, r.choice(TYPES)))
        self.pointers = []
        for i in range(3):
            self.pointers.append("$ptr%d" % i)
            self.locals.append(("$ptr%d" % i, "i32"))
        self.scratch = {"f32": "$sf32", "f64": "$sf64"}
        self.locals += [("$sf32", "f32"), ("$sf64", "f64")]
        self.counters = set()
        self.labels = 0
        self.multiplier = 1
        self.cost = 0
        self.loops = 0  # loops around the statement being generated
        self.results = []

    def label(self):
        self.labels += 1
        return "$b%d" % self.labels

    def new_counter(self, t):
        name = "$c%d" % len([c for c in self.counters if c.startswith("$c")])
        self.counters.add(name)
        self.locals.append((name, t))
        return name


def indent(lines):
    return ["  " + l for l in lines]


def generate(seed, small=False, tail_calls=False):
    """The text of the module for `seed` (a string); `small`: fewer and shorter functions;
    `tail_calls`: some functions are self `return_call` loops (Wasm 3.0)."""
    return Generator(seed, small, tail_calls).module()
