"""The fusion test cases: for every op that only the optimising translation emits, small Wasm
functions whose code must fuse into it (patterns) and functions one step away that must not
(near-misses: other load widths and types, constant vs slot operands, a label between producer
and consumer, the producer in another block, the value used twice).

Scripts/generate-opcodes.py calls `generate(...)` with the same tables it makes the opcode enum
and the interpreter cases from, and writes the result to
Tests/WasmCoreTests/Generated/FusionCases.swift. FusionTests runs every case at edge values in
the optimised and the reference translation and compares them; it fails when an op of
`Op.optimized` has no pattern here, so a new fusion cannot land without rows.
"""
import struct

I32, I64, F32, F64 = 0x7F, 0x7E, 0x7D, 0x7C
EMPTY = 0x40
END = 0x0B

# Parameter kinds: a value type, or "addr" (an i32 used as a memory address: edge values that
# land in bounds, at the end of memory, past it, and wrapping).
TYPE_OF = {"i32": I32, "i64": I64, "f32": F32, "f64": F64, "addr": I32}


def sleb(v, bits):
    v = v & ((1 << bits) - 1)
    if v >= 1 << (bits - 1):
        v -= 1 << bits
    out = []
    while True:
        b = v & 0x7F
        v >>= 7
        if (v == 0 and not b & 0x40) or (v == -1 and b & 0x40):
            out.append(b)
            return out
        out.append(b | 0x80)


def uleb(v):
    out = []
    while True:
        b = v & 0x7F
        v >>= 7
        if v:
            out.append(b | 0x80)
        else:
            out.append(b)
            return out


def lg(i): return [0x20] + uleb(i)
def ls(i): return [0x21] + uleb(i)
def lt(i): return [0x22] + uleb(i)
def i32c(v): return [0x41] + sleb(v, 32)
def i64c(v): return [0x42] + sleb(v, 64)
def f32c(bits): return [0x43] + list(struct.pack("<I", bits & 0xFFFFFFFF))
def f64c(bits): return [0x44] + list(struct.pack("<Q", bits & 0xFFFFFFFFFFFFFFFF))


def const(kind, v):
    return {"i32": i32c, "i64": i64c, "f32": f32c, "f64": f64c}[kind](v)


def block(bt=EMPTY): return [0x02, bt]
def loop(bt=EMPTY): return [0x03, bt]
def if_(bt=EMPTY): return [0x04, bt]
ELSE = [0x05]
def br_if(d): return [0x0D] + uleb(d)
RETURN = [0x0F]
NOP = [0x01]


def memarg(align, offset): return uleb(align) + uleb(offset)


# Constants baked into patterns (each one its own function), by kind.
INT32_CONSTANTS = [0, 1, -1, 5, 31, 32, 33, 0x7FFF, -0x8000, 0x10000, 0x7FFFFFFF, -0x80000000, 0x12345678]
INT64_CONSTANTS = [0, 1, -1, 7, 63, 64, 65, 0x7FFFFFFF, -0x80000000, 0xFFFFFFFF, 0x7FFFFFFFFFFFFFFF,
                   -0x8000000000000000, 0x123456789ABCDEF]
F32_CONSTANTS = [0x00000000, 0x80000000, 0x3FC00000, 0xBF800000, 0x7F800000, 0xFF800000, 0x7FC00000, 0x00000001,
                 0x7F7FFFFF]
F64_CONSTANTS = [0x0000000000000000, 0x8000000000000000, 0x3FF8000000000000, 0xBFF0000000000000,
                 0x7FF0000000000000, 0xFFF0000000000000, 0x7FF8000000000000, 0x0000000000000001,
                 0x7FEFFFFFFFFFFFFF]
CONSTANTS = {"i32": INT32_CONSTANTS, "i64": INT64_CONSTANTS, "f32": F32_CONSTANTS, "f64": F64_CONSTANTS}
SHIFT_AMOUNTS = [0, 1, 7, 31, 32, 33, -1]

VIEW_KIND = {"u32": "i32", "s32": "i32", "u64": "i64", "s64": "i64", "f32": "f32", "f64": "f64", "b32": "f32",
             "b64": "f64", "bool": "i32"}


class Cases:
    def __init__(self):
        self.rows = []

    def add(self, name, kind, ops, params, results, body, locals_=()):
        """ops: the op a pattern must produce, or the ops a near-miss must not."""
        assert kind in ("pattern", "nearMiss")
        if isinstance(ops, str):
            ops = [ops]
        self.rows.append(dict(name=name, kind=kind, ops=list(ops), params=list(params), results=list(results),
                              locals=list(locals_), body=list(body) + [END]))

    def self_tail_call(self, name, kind, params, results, body):
        """A function that `return_call`s itself (its index: this row's): "sunk" when every argument
        reaches its parameter without a copy (retargeted or sunk producers), "kept" when one stays."""
        assert kind in ("sunk", "kept")
        self.add(name, "pattern", ["copy", "copy2"], params, results, body)
        self.rows[-1]["kind"] = kind

    def pattern(self, name, op, params, results, body, locals_=()):
        self.add(name, "pattern", op, params, results, body, locals_)

    def near_miss(self, name, ops, params, results, body, locals_=()):
        self.add(name, "nearMiss", ops, params, results, body, locals_)


def cap(name):
    return name[0].upper() + name[1:]


def immediate_cases(c, ops):
    """`<op>Imm`: a binary op whose second operand is a constant."""
    for o in ops:
        if not o["imm"]:
            continue
        a, b = VIEW_KIND[o["operands"][0]], VIEW_KIND[o["operands"][1]]
        r = VIEW_KIND[o["result"]]
        op = bytes_of(o)
        imm = o["ir"] + "Imm"
        consts = SHIFT_AMOUNTS if any(s in o["ir"] for s in ("Sh", "Rot")) else CONSTANTS[b]
        for k in consts:
            c.pattern(f"{o['wasm']} x, {k:#x}", imm, [a], [r], lg(0) + const(b, k) + op)
            if o["commutative"]:
                c.pattern(f"{o['wasm']} {k:#x}, x", imm, [a], [r], const(b, k) + lg(0) + op)
        c.near_miss(f"{o['wasm']} x, y (slots)", imm, [a, b], [r], lg(0) + lg(1) + op)
        if not o["commutative"]:
            c.near_miss(f"{o['wasm']} 5, x (constant first)", imm, [b], [r], const(a, 5) + lg(0) + op)
        c.near_miss(f"{o['wasm']} x, (5 via local)", imm, [a], [r], const(b, 5) + ls(1) + lg(0) + lg(1) + op,
                    locals_=[b])


def bytes_of(o):
    code = o["opcode"]
    if code >= 0xFC00:
        return [0xFC] + uleb(code & 0xFF)
    return [code]


def compare_branch_cases(c, ops):
    """`brIf<cmp>` / `brIfNot<cmp>` (and their immediate forms): a comparison and the branch on it."""
    for o in ops:
        if not o["cmp"]:
            continue
        t = VIEW_KIND[o["operands"][0]]
        op = bytes_of(o)
        name = cap(o["ir"])
        # br_if on the comparison: branch when true.
        def br_form(cond):
            return block() + cond + br_if(0) + i32c(1) + RETURN + [END] + i32c(2)
        def if_form(cond):
            return cond + if_(I32) + i32c(1) + ELSE + i32c(2) + [END]
        c.pattern(f"br_if ({o['wasm']} x y)", "brIf" + name, [t, t], [I32], br_form(lg(0) + lg(1) + op))
        c.pattern(f"if ({o['wasm']} x y)", "brIfNot" + name, [t, t], [I32], if_form(lg(0) + lg(1) + op))
        if o["imm"]:
            for k in CONSTANTS[t][:9]:
                c.pattern(f"br_if ({o['wasm']} x {k:#x})", "brIf" + name + "Imm", [t], [I32],
                          br_form(lg(0) + const(t, k) + op))
                c.pattern(f"if ({o['wasm']} x {k:#x})", "brIfNot" + name + "Imm", [t], [I32],
                          if_form(lg(0) + const(t, k) + op))
        fused = ["brIf" + name, "brIfNot" + name] + (["brIf" + name + "Imm", "brIfNot" + name + "Imm"] if o["imm"] else [])
        # The comparison in a block that ends before the branch: a label between them.
        c.near_miss(f"{o['wasm']} in a block, br_if after it", fused, [t, t], [I32],
                    block() + block(I32) + lg(0) + lg(1) + op + [END] + br_if(0) + i32c(1) + RETURN + [END]
                    + i32c(2))
        # The comparison kept in a local and used again after the branch.
        c.near_miss(f"{o['wasm']} teed, br_if, used again", fused, [t, t], [I32],
                    block() + lg(0) + lg(1) + op + lt(2) + br_if(0) + lg(2) + i32c(10) + [0x6A] + RETURN + [END]
                    + lg(2), locals_=[I32])
        # A nop between is not a label: still fuses.
        c.pattern(f"{o['wasm']} nop br_if", "brIf" + name, [t, t], [I32], br_form(lg(0) + lg(1) + op + NOP))


def bit_test_cases(c):
    """`and` with a constant, or `and` + `eqz`, then a branch: `brIfAnd32` and kin; `i64.eqz`
    then a branch: `brIf64`/`brIfNot64`."""
    def br_form(cond):
        return block() + cond + br_if(0) + i32c(1) + RETURN + [END] + i32c(2)
    def if_form(cond):
        return cond + if_(I32) + i32c(1) + ELSE + i32c(2) + [END]
    for k in [0, 1, 0x80, -1, 0x80000000, 0x7FFFFFFF]:
        c.pattern(f"br_if (i32.and x {k:#x})", "brIfAnd32", ["i32"], [I32], br_form(lg(0) + i32c(k) + [0x71]))
        c.pattern(f"if (i32.and x {k:#x})", "brIfNotAnd32", ["i32"], [I32], if_form(lg(0) + i32c(k) + [0x71]))
        c.pattern(f"br_if (i32.eqz (i32.and x {k:#x}))", "brIfNotAnd32", ["i32"], [I32],
                  br_form(lg(0) + i32c(k) + [0x71, 0x45]))
        c.pattern(f"if (i32.eqz (i32.and x {k:#x}))", "brIfAnd32", ["i32"], [I32],
                  if_form(lg(0) + i32c(k) + [0x71, 0x45]))
    for k in [0, 1, -1, 0x8000000000000000, 0x100000000, 0xFFFFFFFF]:
        c.pattern(f"br_if (i64.eqz (i64.and x {k:#x}))", "brIfNotAnd64", ["i64"], [I32],
                  br_form(lg(0) + i64c(k) + [0x83, 0x50]))
        c.pattern(f"if (i64.eqz (i64.and x {k:#x}))", "brIfAnd64", ["i64"], [I32],
                  if_form(lg(0) + i64c(k) + [0x83, 0x50]))
    c.pattern("br_if (i64.eqz x)", "brIfNot64", ["i64"], [I32], br_form(lg(0) + [0x50]))
    c.pattern("if (i64.eqz x)", "brIf64", ["i64"], [I32], if_form(lg(0) + [0x50]))
    every = ["brIfAnd32", "brIfNotAnd32", "brIfAnd64", "brIfNotAnd64"]
    c.near_miss("br_if (i32.and x y) (slot mask)", every, ["i32", "i32"], [I32], br_form(lg(0) + lg(1) + [0x71]))
    c.near_miss("i32.and in a block, eqz + br_if after", every, ["i32"], [I32],
                block() + block(I32) + lg(0) + i32c(6) + [0x71] + [END] + [0x45] + br_if(0) + i32c(1) + RETURN
                + [END] + i32c(2))
    c.near_miss("i64.and teed, eqz, br_if", every, ["i64"], [I32],
                block() + lg(0) + i64c(6) + [0x83] + lt(1) + [0x50] + br_if(0) + lg(1) + [0xA7] + RETURN + [END]
                + i32c(2), locals_=[I64])
    c.near_miss("i64.eqz in a block, br_if after", ["brIf64", "brIfNot64"], ["i64"], [I32],
                block() + block(I32) + lg(0) + [0x50] + [END] + br_if(0) + i32c(1) + RETURN + [END] + i32c(2))


def copy_cases(c):
    """`copy2`: two copies in a row."""
    c.pattern("two local.set of locals in a row", "copy2", ["i32", "i32"], [I32],
              lg(1) + ls(2) + lg(0) + ls(3) + lg(2) + lg(3) + [0x6B], locals_=[I32, I32])
    c.pattern("swap through the stack", "copy2", ["i64", "i64"], [I64],
              lg(0) + lg(1) + ls(0) + ls(1) + lg(0) + lg(1) + [0x7D])
    c.near_miss("a label between the copies", "copy2", ["i32", "i32"], [I32],
                lg(1) + ls(2) + block() + [END] + lg(0) + ls(3) + lg(2) + lg(3) + [0x6B], locals_=[I32, I32])


STORES = [  # (wasm, opcode, value kind, align, fused op, load back opcode)
    ("i32.store8", 0x3A, "i32", 0, "store8Imm"), ("i32.store16", 0x3B, "i32", 1, "store16Imm"),
    ("i32.store", 0x36, "i32", 2, "store32Imm"), ("i64.store8", 0x3C, "i64", 0, "store8Imm"),
    ("i64.store16", 0x3D, "i64", 1, "store16Imm"), ("i64.store32", 0x3E, "i64", 2, "store32Imm"),
    ("i64.store", 0x37, "i64", 3, "store64Imm"), ("f32.store", 0x38, "f32", 2, "store32Imm"),
    ("f64.store", 0x39, "f64", 3, "store64Imm"),
]


def store_cases(c):
    """Stores of a constant value (`store8Imm` and kin); the address is a parameter."""
    read_back = lg(0) + [0x29] + memarg(0, 3)  # i64.load offset=3: what the store wrote, and beyond
    for wasm, opcode, kind, align, fused in STORES:
        for k in CONSTANTS[kind][:7]:
            c.pattern(f"{wasm} x, {k:#x}", fused, ["addr"], [I64],
                      lg(0) + const(kind, k) + [opcode] + memarg(align, 3) + read_back)
        c.pattern(f"{wasm} (x + 8), 7", fused, ["addr"], [I64],
                  lg(0) + i32c(8) + [0x6A] + const(kind, 7) + [opcode] + memarg(align, 3) + read_back)
        c.near_miss(f"{wasm} x, y (slot value)", fused, ["addr", kind], [I64],
                    lg(0) + lg(1) + [opcode] + memarg(align, 3) + read_back)


def f64_fused_cases(c):
    """`f64MulAdd` and kin (a multiply into add/sub/mul) and `f64AddMem` and kin (a load into
    add/sub/mul)."""
    f = ["f64", "f64", "f64"]
    MUL, ADD, SUB = [0xA2], [0xA0], [0xA1]
    c.pattern("(x * y) + z", "f64MulAdd", f, [F64], lg(0) + lg(1) + MUL + lg(2) + ADD)
    c.pattern("z + (x * y)", "f64MulAdd", f, [F64], lg(2) + lg(0) + lg(1) + MUL + ADD)
    c.pattern("(x * y) - z", "f64MulSub", f, [F64], lg(0) + lg(1) + MUL + lg(2) + SUB)
    c.pattern("z - (x * y)", "f64MulRSub", f, [F64], lg(2) + lg(0) + lg(1) + MUL + SUB)
    c.pattern("(x * y) * z", "f64MulMul", f, [F64], lg(0) + lg(1) + MUL + lg(2) + MUL)
    c.pattern("z * (x * y)", "f64MulMul", f, [F64], lg(2) + lg(0) + lg(1) + MUL + MUL)
    c.pattern("(x * 1.5) + z", "f64MulAdd", ["f64", "f64"], [F64], lg(0) + f64c(0x3FF8000000000000) + ls(2) + lg(2)
              + MUL + lg(1) + ADD, locals_=[F64])
    chain = ["f64MulAdd", "f64MulSub", "f64MulRSub", "f64MulMul"]
    c.near_miss("(x * y) teed, + z", chain, f, [F64], lg(0) + lg(1) + MUL + lt(3) + lg(2) + ADD + lg(3) + ADD,
                locals_=[F64])
    c.near_miss("x * y in a block, + z after", chain, f, [F64], block(F64) + lg(0) + lg(1) + MUL + [END] + lg(2) + ADD)
    c.near_miss("(x * y) / z", chain, f, [F64], lg(0) + lg(1) + MUL + lg(2) + [0xA3])
    c.near_miss("f32 (x * y) + z", chain, ["f32", "f32", "f32"], [F32],
                lg(0) + lg(1) + [0x94] + lg(2) + [0x92])
    c.near_miss("(x * const) + z (immediate multiply)", chain, ["f64", "f64"], [F64],
                lg(0) + f64c(0x4000000000000000) + MUL + lg(1) + ADD)
    load = [0x2B] + memarg(3, 5)
    mem = ["f64AddMem", "f64SubMem", "f64RSubMem", "f64MulMem"]
    c.pattern("x + f64.load a", "f64AddMem", ["addr", "f64"], [F64], lg(1) + lg(0) + load + ADD)
    c.pattern("f64.load a + x", "f64AddMem", ["addr", "f64"], [F64], lg(0) + load + lg(1) + ADD)
    c.pattern("x - f64.load a", "f64SubMem", ["addr", "f64"], [F64], lg(1) + lg(0) + load + SUB)
    c.pattern("f64.load a - x", "f64RSubMem", ["addr", "f64"], [F64], lg(0) + load + lg(1) + SUB)
    c.pattern("x * f64.load a", "f64MulMem", ["addr", "f64"], [F64], lg(1) + lg(0) + load + MUL)
    c.pattern("f64.load a * x", "f64MulMem", ["addr", "f64"], [F64], lg(0) + load + lg(1) + MUL)
    c.pattern("x + f64.load (a + 16)", "f64AddMem", ["addr", "f64"], [F64],
              lg(1) + lg(0) + i32c(16) + [0x6A] + load + ADD)
    c.pattern("x + f64.load (const address)", "f64AddMem", ["f64"], [F64], lg(0) + i32c(40) + load + ADD)
    c.near_miss("x / f64.load a", mem, ["addr", "f64"], [F64], lg(1) + lg(0) + load + [0xA3])
    c.near_miss("f64.load a teed, + x", mem, ["addr", "f64"], [F64], lg(0) + load + lt(2) + lg(1) + ADD + lg(2) + ADD,
                locals_=[F64])
    c.near_miss("f64.load in a block, + x after", mem, ["addr", "f64"], [F64],
                block(F64) + lg(0) + load + [END] + lg(1) + ADD)
    c.near_miss("x + f64.load (a + y) (indexed)", mem, ["addr", "addr", "f64"], [F64],
                lg(2) + lg(0) + lg(1) + [0x6A] + load + ADD)


I32_MEMORY = [("i32AddMem", [0x6A], False), ("i32SubMem", [0x6B], False), ("i32RSubMem", [0x6B], True),
              ("i32AndMem", [0x71], False), ("i32OrMem", [0x72], False), ("i32XorMem", [0x73], False)]


def i32_memory_cases(c):
    """`i32AddMem` and kin: an `i32.load` into add, sub, and, or, xor."""
    load = [0x28] + memarg(2, 1)
    every = [n for n, _, _ in I32_MEMORY]
    for name, op, load_first in I32_MEMORY:
        if load_first:
            c.pattern(f"i32.load a {name}", name, ["addr", "i32"], [I32], lg(0) + load + lg(1) + op)
            continue
        c.pattern(f"x {name} i32.load a", name, ["addr", "i32"], [I32], lg(1) + lg(0) + load + op)
        if op != [0x6B]:
            c.pattern(f"i32.load a {name} x", name, ["addr", "i32"], [I32], lg(0) + load + lg(1) + op)
        c.pattern(f"x {name} i32.load (a + 12)", name, ["addr", "i32"], [I32],
                  lg(1) + lg(0) + i32c(12) + [0x6A] + load + op)
        c.pattern(f"x {name} i32.load (a + -12)", name, ["addr", "i32"], [I32],
                  lg(1) + lg(0) + i32c(-12) + [0x6A] + load + op)
    for wasm, opcode, align in [("i32.load8_u", 0x2D, 0), ("i32.load8_s", 0x2C, 0), ("i32.load16_u", 0x2F, 1),
                                ("i32.load16_s", 0x2E, 1), ("f32.load", 0x2A, 2)]:
        if opcode == 0x2A:
            c.near_miss(f"x + {wasm} a (reinterpreted)", every, ["addr", "i32"], [I32],
                        lg(1) + lg(0) + [opcode] + memarg(align, 1) + [0xBC] + [0x6A])
        else:
            c.near_miss(f"x + {wasm} a", every, ["addr", "i32"], [I32], lg(1) + lg(0) + [opcode] + memarg(align, 1)
                        + [0x6A])
    c.near_miss("x * i32.load a", every, ["addr", "i32"], [I32], lg(1) + lg(0) + load + [0x6C])
    c.near_miss("i32.load a teed, + x", every, ["addr", "i32"], [I32],
                lg(0) + load + lt(2) + lg(1) + [0x6A] + lg(2) + [0x73], locals_=[I32])
    c.near_miss("i32.load in a block, + x after", every, ["addr", "i32"], [I32],
                block(I32) + lg(0) + load + [END] + lg(1) + [0x6A])
    c.near_miss("x + i32.load (a + y) (indexed)", every, ["addr", "addr", "i32"], [I32],
                lg(2) + lg(0) + lg(1) + [0x6A] + load + [0x6A])


LOADS = [  # (wasm, opcode, align, result type, indexed op or None)
    ("i32.load", 0x28, 2, I32, "i32LoadIndexed"), ("i64.load", 0x29, 3, I64, "i64LoadIndexed"),
    ("f32.load", 0x2A, 2, F32, "i32LoadIndexed"), ("f64.load", 0x2B, 3, F64, "i64LoadIndexed"),
    ("i32.load8_s", 0x2C, 0, I32, "i32Load8SIndexed"), ("i32.load8_u", 0x2D, 0, I32, "i32Load8UIndexed"),
    ("i32.load16_s", 0x2E, 1, I32, "i32Load16SIndexed"), ("i32.load16_u", 0x2F, 1, I32, "i32Load16UIndexed"),
    ("i64.load8_s", 0x30, 0, I64, None), ("i64.load8_u", 0x31, 0, I64, None),
    ("i64.load16_s", 0x32, 1, I64, None), ("i64.load16_u", 0x33, 1, I64, None),
    ("i64.load32_s", 0x34, 2, I64, None), ("i64.load32_u", 0x35, 2, I64, None),
]
INDEXED = sorted({l[4] for l in LOADS if l[4]})


def indexed_load_cases(c):
    """`i32LoadIndexed` and kin: a load whose address is `i32.add` of two slots. Loads without an
    indexed form (i64.load8/16/32) must keep the add: that is the bug of issue 16."""
    for wasm, opcode, align, result, indexed in LOADS:
        load = [opcode] + memarg(align, 3)
        add = lg(0) + lg(1) + [0x6A]
        if indexed:
            c.pattern(f"{wasm} (x + y)", indexed, ["addr", "addr"], [result], add + load)
        else:
            c.near_miss(f"{wasm} (x + y) (no indexed form)", INDEXED, ["addr", "addr"], [result], add + load)
        c.near_miss(f"{wasm} (x + y) teed", INDEXED, ["addr", "addr"], [result], add + lt(2) + load, locals_=[I32])
        c.near_miss(f"{wasm} (x - y)", INDEXED, ["addr", "addr"], [result], lg(0) + lg(1) + [0x6B] + load)
        c.near_miss(f"{wasm} (x + 9)", INDEXED, ["addr"], [result], lg(0) + i32c(9) + [0x6A] + load)
        c.near_miss(f"{wasm} (x + y) in a block, load after", INDEXED, ["addr", "addr"], [result],
                    block(I32) + add + [END] + load)
        c.near_miss(f"{wasm} at a constant address", INDEXED, [], [result], i32c(20) + load)


def shift_cases(c, shift_names):
    """`i32XorShlImm` and kin: a shift or rotate by a constant into xor, add or or."""
    producer = {"ShlImm": [0x74], "ShrUImm": [0x76], "RotlImm": [0x77]}
    consumer = {"i32Xor": [0x73], "i32Add": [0x6A], "i32Or": [0x72]}
    for name, cons, prod, _, _ in shift_names:
        for k in SHIFT_AMOUNTS:
            c.pattern(f"a {cons} (x {prod} {k})", name, ["i32", "i32"], [I32],
                      lg(0) + lg(1) + i32c(k) + producer[prod] + consumer[cons])
            c.pattern(f"(x {prod} {k}) {cons} a", name, ["i32", "i32"], [I32],
                      lg(1) + i32c(k) + producer[prod] + lg(0) + consumer[cons])
    every = [n for n, _, _, _, _ in shift_names]
    for cons, cbytes in consumer.items():
        c.near_miss(f"a {cons} (x shr_s 3)", every, ["i32", "i32"], [I32], lg(0) + lg(1) + i32c(3) + [0x75] + cbytes)
        c.near_miss(f"a {cons} (x rotr 3)", every, ["i32", "i32"], [I32], lg(0) + lg(1) + i32c(3) + [0x78] + cbytes)
        c.near_miss(f"a {cons} (x shl y) (slot amount)", every, ["i32", "i32", "i32"], [I32],
                    lg(0) + lg(1) + lg(2) + [0x74] + cbytes)
        c.near_miss(f"(x shl 3) in a block, {cons} after", every, ["i32", "i32"], [I32],
                    lg(0) + block(I32) + lg(1) + i32c(3) + [0x74] + [END] + cbytes)
        c.near_miss(f"(x shl 3) teed, {cons}", every, ["i32", "i32"], [I32],
                    lg(0) + lg(1) + i32c(3) + [0x74] + lt(2) + cbytes + lg(2) + [0x6A], locals_=[I32])
    c.near_miss("a - (x shl 3)", every, ["i32", "i32"], [I32], lg(0) + lg(1) + i32c(3) + [0x74] + [0x6B])
    c.near_miss("a and (x shl 3)", every, ["i32", "i32"], [I32], lg(0) + lg(1) + i32c(3) + [0x74] + [0x71])


LOOP_BRANCHES = {  # branch op name -> (compare opcode or None, bounds)
    "brIf": (None, [None]),
    "brIfI32NeImm": (0x47, [100, -5, 0]),
    "brIfI32LtUImm": (0x49, [100, -5, 0x80000000]),
    "brIfI32GtUImm": (0x4B, [0, 5, 0x7FFFFFF0]),
    "brIfI32LtSImm": (0x48, [100, -5, 0x7FFFFFFF]),
    "brIfI32GtSImm": (0x4A, [0, -100, -0x80000000]),
}


def loop_step_cases(c, loop_steps):
    """`i32AddImmBrIfI32NeImm` and kin: a loop whose last instructions step a counter and branch
    back on it. A second counter caps every loop at 200 iterations (checked at the top)."""
    # params: start (0), step (1); locals: i (2), count (3). Result: count << 16 ^ i.
    def loop_fn(step, cond, extra=()):
        cap_check = lg(3) + i32c(1) + [0x6A] + ls(3) + lg(3) + i32c(200) + [0x4F] + if_() + lg(3) + i32c(16) \
            + [0x74] + lg(2) + [0x73] + RETURN + [END]
        return lg(0) + ls(2) + loop() + cap_check + lg(2) + step + [0x6A] + lt(2) + list(extra) + cond + br_if(0) \
            + [END] + lg(3) + i32c(16) + [0x74] + lg(2) + [0x73]
    every = [name for name, _, _, _ in loop_steps]
    for name, alu, branch, _ in loop_steps:
        compare, bounds = LOOP_BRANCHES[branch]
        steps = [lg(1)] if alu == "i32Add" else [i32c(1), i32c(-1), i32c(7), i32c(-0x10000000)]
        for step in steps:
            for bound in bounds:
                cond = [] if compare is None else i32c(bound) + [compare]
                c.pattern(f"loop: i += {'step' if alu == 'i32Add' else step}; br_if {branch} {bound}", name,
                          ["i32", "i32"], [I32], loop_fn(step, cond), locals_=[I32, I32])
        cond = [] if compare is None else i32c(bounds[0]) + [compare]
        # A label between the step and the branch.
        c.near_miss(f"loop: step, block end, {branch}", every, ["i32", "i32"], [I32],
                    loop_fn(steps[0], cond, block() + [END]), locals_=[I32, I32])
    # The branch tests another value than the sum.
    cap_check = lg(3) + i32c(1) + [0x6A] + ls(3) + lg(3) + i32c(200) + [0x4F] + if_() + lg(3) + RETURN + [END]
    c.near_miss("loop: i += 1; br_if (count != 50)", every, ["i32", "i32"], [I32],
                lg(0) + ls(2) + loop() + cap_check + lg(2) + i32c(1) + [0x6A] + ls(2) + lg(3) + i32c(50) + [0x47]
                + br_if(0) + [END] + lg(2), locals_=[I32, I32])
    # A forward branch (to a block, not the loop) after the step.
    c.near_miss("block: i += 1; br_if (i != 5) forward", every, ["i32", "i32"], [I32],
                block() + lg(0) + i32c(1) + [0x6A] + lt(2) + i32c(5) + [0x47] + br_if(0) + i32c(9) + RETURN + [END]
                + lg(2), locals_=[I32])


def self_tail_call_cases(c):
    """`return_call` of the function itself (Translator.emitSelfTailCall): the first arguments'
    single pure producers sink below the later arguments' code into their parameters, so the back
    edge needs no copy; near-misses keep a copy. Parameter 0 is a counter that `n >> 1` takes to
    zero in at most 32 calls from any i32."""
    SHR1 = lg(0) + i32c(1) + [0x76]

    def fn(finish, args):
        return lg(0) + [0x45] + if_() + finish + RETURN + [END] + args + [0x12] + uleb(len(c.rows))

    ii, iii = ["i32", "i32"], ["i32", "i32", "i32"]
    mix3 = lg(1) + i32c(31) + [0x6C] + lg(2) + [0x6A]  # x * 31 + y
    # Patterns: no copy.
    c.self_tail_call("f(n >> 1, x + n)", "sunk", ii, [I32], fn(lg(1), SHR1 + lg(1) + lg(0) + [0x6A]))
    c.self_tail_call("f(n >> 1, acc + extend_u n) (tail-bench)", "sunk", ["i32", "i64"], [I64],
                     fn(lg(1), SHR1 + lg(1) + lg(0) + [0xAD, 0x7C]))
    c.self_tail_call("f(n >> 1, x * 3, y ^ x)", "sunk", iii, [I32],
                     fn(mix3, SHR1 + lg(1) + i32c(3) + [0x6C] + lg(2) + lg(1) + [0x73]))
    c.self_tail_call("f((n >> 1) & 0xffff, x - n) (two-instruction argument)", "sunk", ii, [I32],
                     fn(lg(1), SHR1 + i32c(0xFFFF) + [0x71] + lg(1) + lg(0) + [0x6B]))
    c.self_tail_call("f(n >> 1, 7, y)", "sunk", iii, [I32], fn(mix3, SHR1 + i32c(7) + lg(2)))
    c.self_tail_call("f(n >> 1, x * y, y) (f64)", "sunk", ["i32", "f64", "f64"], [F64],
                     fn(lg(1) + lg(2) + [0xA0], SHR1 + lg(1) + lg(2) + [0xA2] + lg(2)))
    c.self_tail_call("f(n >> 1, x + 1.5, -x) (f32)", "sunk", ["i32", "f32", "f32"], [F32],
                     fn(lg(1) + lg(2) + [0x92], SHR1 + lg(1) + f32c(0x3FC00000) + [0x92] + lg(1) + [0x8C]))
    c.self_tail_call("f(n >> 1, nop, x + n)", "sunk", ii, [I32], fn(lg(1), SHR1 + NOP + lg(1) + lg(0) + [0x6A]))
    c.self_tail_call("f(n >> 1, x rotl n, x ^ y) (i64)", "sunk", ["i32", "i64", "i64"], [I64],
                     fn(lg(1) + lg(2) + [0x85], SHR1 + lg(1) + lg(0) + [0xAD, 0x89] + lg(1) + lg(2) + [0x85]))
    # Near-misses: a copy stays.
    c.self_tail_call("f(n >> 1, n) (n read lazily by a later argument)", "kept", ii, [I32],
                     fn(lg(1), SHR1 + lg(0)))
    c.self_tail_call("f(n / 2, x + n) (a trapping producer)", "kept", ii, [I32],
                     fn(lg(1), lg(0) + i32c(2) + [0x6E] + lg(1) + lg(0) + [0x6A]))
    c.self_tail_call("f(n >> 1, block (x + 1)) (a label after the producer)", "kept", ii, [I32],
                     fn(lg(1), SHR1 + block(I32) + lg(1) + i32c(1) + [0x6A] + [END]))
    c.self_tail_call("f(n >> 1, x + i32.load 16) (a load after the producer)", "kept", ii, [I32],
                     fn(lg(1), SHR1 + lg(1) + i32c(16) + [0x28] + memarg(2, 0) + [0x6A]))
    c.self_tail_call("f(n >> 1, (n = n >> 2) + x) (its input written after it)", "kept", ii, [I32],
                     fn(lg(1), SHR1 + lg(0) + i32c(2) + [0x76] + lt(0) + lg(1) + [0x6A]))
    c.self_tail_call("f(n >> 1, x + y, y * 2) (f64: y written by the last argument)", "kept",
                     ["i32", "f64", "f64"], [F64],
                     fn(lg(1) + lg(2) + [0xA0], SHR1 + lg(1) + lg(2) + [0xA0] + lg(2) + f64c(0x4000000000000000)
                        + [0xA2]))
    c.self_tail_call("f(n >> 1, select(x, n, y)) (a select after the producer)", "kept", iii, [I32],
                     fn(mix3, SHR1 + lg(1) + lg(0) + lg(2) + [0x1B] + lg(2)))
    c.self_tail_call("f(n >> 1, y, x) (a swap)", "kept", iii, [I32], fn(mix3, SHR1 + lg(2) + lg(1)))
    c.self_tail_call("f(x, n >> 1) (the last argument's parameter read lazily first)", "kept", ii, [I32],
                     fn(lg(1), lg(1) + SHR1))


def kind_name(x):
    """A parameter kind or value type (a string such as "addr", or a type byte) as its name."""
    return x if isinstance(x, str) else {I32: "i32", I64: "i64", F32: "f32", F64: "f64"}[x]


def generate(ops, header, shift_names, loop_steps):
    c = Cases()
    immediate_cases(c, ops)
    compare_branch_cases(c, ops)
    bit_test_cases(c)
    copy_cases(c)
    store_cases(c)
    f64_fused_cases(c)
    i32_memory_cases(c)
    indexed_load_cases(c)
    shift_cases(c, shift_names)
    loop_step_cases(c, loop_steps)
    self_tail_call_cases(c)
    # One line per case, parsed by FusionCase.parse: a large array literal would take the
    # Swift type checker minutes. Fields: kind | ops | parameters | results | locals | body (hex) | name.
    out = [header, "// The fusion test cases (Scripts/fusion_cases.py): run by FusionTests.\n\n",
           "extension FusionCase {\n",
           f"    /// {len(c.rows)} cases: patterns that must fuse into `ops[0]`, near-misses that must not produce any of `ops`,\n",
           "    /// self tail calls whose moves must be all `sunk` (no op of `ops`) or `kept` (one of them).\n",
           "    static let all: [FusionCase] = FusionCase.parse(\n",
           "        #\"\"\"\n"]
    for r in c.rows:
        fields = [r["kind"], ",".join(r["ops"]), ",".join(kind_name(p) for p in r["params"]),
                  ",".join(kind_name(t) for t in r["results"]), ",".join(kind_name(t) for t in r["locals"]),
                  bytes(r["body"]).hex(), r["name"]]
        assert all("|" not in f for f in fields)
        out.append("        " + "|".join(fields) + "\n")
    out.append("        \"\"\"#)\n}\n")
    return "".join(out)
