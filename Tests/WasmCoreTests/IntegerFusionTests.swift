import Testing

@testable import WasmCore

/// The translator's i32 fusions: a shift or rotate by a constant into a following xor, add
/// or or (`i32XorRotlImm` and kin), and an `i32.load` into a following add, sub, and, or
/// or xor (`i32AddMem` and kin). Each must compute what the two instructions compute.
@Suite struct IntegerFusionTests {
    static func get(_ i: UInt8) -> [UInt8] { [0x20, i] }

    /// (name, body of `(a: i32, x: i32) -> i32`, reference, the fused op expected in the code)
    static let shiftCases: [(String, [UInt8], @Sendable (UInt32, UInt32) -> UInt32, String)] = {
        let shifts: [(String, UInt8, UInt32, @Sendable (UInt32, UInt32) -> UInt32)] = [
            ("ShlImm", 0x74, 7, { x, k in x << k }),
            ("ShrUImm", 0x76, 13, { x, k in x >> k }),
            ("RotlImm", 0x77, 25, { x, k in (x << k) | (x >> (32 - k)) }),
        ]
        let combines: [(String, UInt8, @Sendable (UInt32, UInt32) -> UInt32)] = [
            ("i32Xor", 0x73, { $0 ^ $1 }), ("i32Add", 0x6A, { $0 &+ $1 }), ("i32Or", 0x72, { $0 | $1 }),
        ]
        var cases: [(String, [UInt8], @Sendable (UInt32, UInt32) -> UInt32, String)] = []
        for (c, cop, combine) in combines {
            for (s, sop, k, shift) in shifts {
                // a op (x shift k), and (x shift k) op a: both orders fuse.
                cases.append(
                    (
                        "\(c)\(s)", get(0) + get(1) + [0x41, UInt8(k), sop, cop],
                        { a, x in combine(a, shift(x, k)) }, "\(c)\(s)"
                    ))
                cases.append(
                    (
                        "\(c)\(s)Swapped", get(1) + [0x41, UInt8(k), sop] + get(0) + [cop],
                        { a, x in combine(shift(x, k), a) }, "\(c)\(s)"
                    ))
            }
        }
        // The rotation also goes to local 2: it must still be written there.
        cases.append(
            (
                "teed", get(0) + get(1) + [0x41, 9, 0x77, 0x22, 2, 0x73] + get(2) + [0x6A],
                { a, x in (a ^ ((x << 9) | (x >> 23))) &+ ((x << 9) | (x >> 23)) }, ""
            ))
        return cases
    }()

    /// (name, body of `(x: i32, address: i32) -> i32`, reference on (x, memory value), fused op)
    static let memoryCases: [(String, [UInt8], @Sendable (UInt32, UInt32) -> UInt32, String)] = [
        ("addMem", get(0) + get(1) + [0x28, 2, 4, 0x6A], { x, m in x &+ m }, "i32AddMem"),
        ("memAdd", get(1) + [0x28, 2, 4] + get(0) + [0x6A], { x, m in m &+ x }, "i32AddMem"),
        ("subMem", get(0) + get(1) + [0x28, 2, 4, 0x6B], { x, m in x &- m }, "i32SubMem"),
        ("memSub", get(1) + [0x28, 2, 4] + get(0) + [0x6B], { x, m in m &- x }, "i32RSubMem"),
        ("andMem", get(0) + get(1) + [0x28, 2, 4, 0x71], { x, m in x & m }, "i32AndMem"),
        ("orMem", get(1) + [0x28, 2, 4] + get(0) + [0x72], { x, m in m | x }, "i32OrMem"),
        ("xorMem", get(0) + get(1) + [0x28, 2, 4, 0x73], { x, m in x ^ m }, "i32XorMem"),
    ]

    static let data: [UInt8] = (0..<32).map { UInt8(truncatingIfNeeded: $0 &* 97 &+ 5) }

    static let module: [UInt8] = {
        let all = shiftCases.map { ($0.0, $0.1) } + memoryCases.map { ($0.0, $0.1) }
        return Wasm.module(
            Wasm.section(1, Wasm.vec([Wasm.funcType([Wasm.i32, Wasm.i32], [Wasm.i32])])),
            Wasm.section(3, Wasm.vec(all.map { _ in [0] })),
            Wasm.section(5, Wasm.vec([[0x00, 1]])),
            Wasm.section(7, Wasm.vec(all.enumerated().map { Wasm.name($0.element.0) + [0, UInt8($0.offset)] })),
            Wasm.section(10, Wasm.vec(all.map { Wasm.body(locals: [(1, Wasm.i32)], $0.1 + [Wasm.end]) })),
            Wasm.section(11, Wasm.vec([[0x00, 0x41, 0, Wasm.end] + Wasm.u32(UInt32(data.count)) + data])))
    }()

    static let values: [UInt32] = [0, 1, 0x8000_0001, 0xFFFF_FFFF, 0x1234_5678, 0xDEAD_BEEF]

    @Test func fusedShiftsComputeWhatTheTwoInstructionsCompute() throws {
        let module = try Module(bytes: Self.module)
        let store = Store()
        let instance = try store.instantiate(module)
        for (i, c) in Self.shiftCases.enumerated() {
            for a in Self.values {
                for x in Self.values {
                    let got = try instance.invoke(c.0, [.i32(a), .i32(x)])
                    #expect(got == [.i32(c.2(a, x))], "\(c.0)(\(a), \(x))")
                }
            }
            let code = module.disassemble(function: i) ?? ""
            if c.3.isEmpty {
                #expect(!code.contains("XorRotlImm"), "a teed rotation must stay: \(code)")
                #expect(code.contains("i32RotlImm"), "\(code)")
            } else {
                #expect(code.contains(c.3 + " "), "\(c.0): \(code)")
            }
        }
        withExtendedLifetime(store) {}
    }

    @Test func loadsFusedIntoI32ArithmeticReadMemoryAndTrapLikeTheLoad() throws {
        let module = try Module(bytes: Self.module)
        let store = Store()
        let instance = try store.instantiate(module)
        for (i, c) in Self.memoryCases.enumerated() {
            for address: UInt32 in [0, 3, 17, 24] {
                let at = Int(address) + 4  // the loads' offset
                let m = (0..<4).reduce(UInt32(0)) { $0 | UInt32(Self.data[at + $1]) << (8 * UInt32($1)) }
                for x in Self.values {
                    let got = try instance.invoke(c.0, [.i32(x), .i32(address)])
                    #expect(got == [.i32(c.2(x, m))], "\(c.0)(\(x), [\(address)])")
                }
            }
            // The last four bytes of memory are readable; one byte further traps.
            #expect(throws: Never.self) { try instance.invoke(c.0, [.i32(1), .i32(65536 - 8)]) }
            let trap = #expect(throws: Trap.self) { try instance.invoke(c.0, [.i32(1), .i32(65536 - 7)]) }
            #expect(trap?.reason == .outOfBoundsMemoryAccess, "\(c.0)")
            let code = module.disassemble(function: Self.shiftCases.count + i) ?? ""
            #expect(code.contains(c.3 + " "), "\(c.0): \(code)")
        }
        withExtendedLifetime(store) {}
    }
}
