import Testing

@testable import WasmCore

/// The translator's float fusions: `f64.mul` into a following add/sub/mul (`f64MulAdd`
/// and kin) and float arithmetic with a constant operand (`f64MulImm` and kin). Each must
/// give the bits the unfused instructions give: the product is rounded before the second
/// operation (no fused multiply-add), and NaNs and signed zeros come out the same.
@Suite struct FusedFloatTests {
    static func get(_ i: UInt8) -> [UInt8] { [0x20, i] }
    static func f64(_ v: Double) -> [UInt8] {
        [0x44] + withUnsafeBytes(of: v.bitPattern.littleEndian) { Array($0) }
    }
    static func f32(_ v: Float) -> [UInt8] {
        [0x43] + withUnsafeBytes(of: v.bitPattern.littleEndian) { Array($0) }
    }
    static let mul: UInt8 = 0xA2
    static let add: UInt8 = 0xA0
    static let sub: UInt8 = 0xA1

    /// (export name, body, reference) for `(f64, f64, f64) -> f64` functions.
    static let cases: [(String, [UInt8], @Sendable (Double, Double, Double) -> Double)] = [
        ("mulAdd", get(0) + get(1) + [mul] + get(2) + [add], { x, y, z in x * y + z }),
        ("addMul", get(2) + get(0) + get(1) + [mul, add], { x, y, z in z + x * y }),
        ("mulSub", get(0) + get(1) + [mul] + get(2) + [sub], { x, y, z in x * y - z }),
        ("subMul", get(2) + get(0) + get(1) + [mul, sub], { x, y, z in z - x * y }),
        ("mulMul", get(0) + get(1) + [mul] + get(2) + [mul], { x, y, z in x * y * z }),
        // The product also goes to local 3: nothing may fuse it away.
        (
            "teed", get(0) + get(1) + [mul, 0x22, 3] + get(2) + [add] + get(3) + [add],
            { x, y, z in (x * y + z) + x * y }
        ),
        ("mulImm", get(0) + f64(2.5) + [mul], { x, _, _ in x * 2.5 }),
        ("immSub", f64(-0.0) + get(1) + [sub], { _, y, _ in -0.0 - y }),
        ("subImm", get(1) + f64(0.1) + [sub], { _, y, _ in y - 0.1 }),
        ("divImm", get(2) + f64(3) + [0xA3], { _, _, z in z / 3 }),
    ]

    static let module: [UInt8] = {
        let f64: UInt8 = Wasm.f64
        return Wasm.module(
            Wasm.section(
                1,
                Wasm.vec([
                    Wasm.funcType([f64, f64, f64], [f64]), Wasm.funcType([Wasm.f32, Wasm.f32], [Wasm.f32]),
                ])),
            Wasm.section(3, Wasm.vec(cases.map { _ in [0] } + [[1]])),
            Wasm.section(
                7,
                Wasm.vec(
                    cases.enumerated().map { Wasm.name($0.element.0) + [0, UInt8($0.offset)] }
                        + [Wasm.name("f32Imm") + [0, UInt8(cases.count)]])),
            Wasm.section(
                10,
                Wasm.vec(
                    cases.map { Wasm.body(locals: [(1, f64)], $0.1 + [Wasm.end]) }
                        // (x + 1.5) * y - 0.25, all f32
                        + [Wasm.body(get(0) + f32(1.5) + [0x92] + get(1) + [0x94] + f32(0.25) + [0x93, Wasm.end])])))
    }()

    /// Inputs where a fused multiply-add would round differently, plus NaN, infinities and zeros.
    static let inputs: [(Double, Double, Double)] = [
        (1 + 0x1p-30, 1 - 0x1p-30, -1), (0.1, 10, -1), (3, 7, 11), (-0.0, 5, 0.0), (0.0, -5, -0.0),
        (.infinity, 0, 1), (.nan, 1, 2), (1e308, 10, -.infinity), (-2, .greatestFiniteMagnitude, 1e300),
        (.leastNonzeroMagnitude, 0.5, -0.0),
    ]

    @Test func fusedInstructionsGiveTheBitsOfTheUnfusedOnes() throws {
        let store = Store()
        let instance = try store.instantiate(try Module(bytes: Self.module))
        for (name, _, reference) in Self.cases {
            for (x, y, z) in Self.inputs {
                let got = try instance.invoke(name, [.double(x), .double(y), .double(z)])
                let want = reference(x, y, z)
                guard case .f64(let bits) = got.first else {
                    Issue.record("\(name) returned \(got)")
                    continue
                }
                if want.isNaN {
                    #expect(Double(bitPattern: bits).isNaN, "\(name)(\(x), \(y), \(z))")
                } else {
                    #expect(
                        bits == want.bitPattern, "\(name)(\(x), \(y), \(z)): \(Double(bitPattern: bits)), want \(want)")
                }
            }
        }
        for (x, y) in [(Float(1), Float(2)), (0.1, 3), (-1.5, .infinity), (.nan, 1)] {
            let got = try instance.invoke("f32Imm", [.float(x), .float(y)])
            let want = (x + 1.5) * y - 0.25
            guard case .f32(let bits) = got.first else {
                Issue.record("f32Imm returned \(got)")
                continue
            }
            #expect(want.isNaN ? Float(bitPattern: bits).isNaN : bits == want.bitPattern)
        }
    }

    @Test func theTranslatorFusesWhereItMayAndOnlyThere() throws {
        let module = try Module(bytes: Self.module)
        func code(_ name: String) -> String {
            let index = Self.cases.firstIndex { $0.0 == name } ?? Self.cases.count
            return module.disassemble(function: index) ?? ""
        }
        #expect(code("mulAdd").contains("f64MulAdd"))
        #expect(code("addMul").contains("f64MulAdd"))
        #expect(code("mulSub").contains("f64MulSub"))
        #expect(code("subMul").contains("f64MulRSub"))
        #expect(code("mulMul").contains("f64MulMul"))
        #expect(!code("teed").contains("f64MulAdd"), "\(code("teed"))")
        #expect(code("mulImm").contains("f64MulImm"))
        #expect(code("subImm").contains("f64SubImm"))
        #expect(code("divImm").contains("f64DivImm"))
        #expect(code("f32Imm").contains("f32AddImm") && code("f32Imm").contains("f32SubImm"))
    }

    /// `(x: f64, address: i32) -> f64` functions reading memory, and `put(address, value)`.
    static let memoryCases: [(String, [UInt8], @Sendable (Double, Double) -> Double)] = [
        ("addMem", get(0) + get(1) + [0x2B, 3, 0, add], { x, m in x + m }),
        ("memAdd", get(1) + [0x2B, 3, 0] + get(0) + [add], { x, m in m + x }),
        ("subMem", get(0) + get(1) + [0x2B, 3, 0, sub], { x, m in x - m }),
        ("memSub", get(1) + [0x2B, 3, 0] + get(0) + [sub], { x, m in m - x }),
        ("mulMem", get(0) + get(1) + [0x2B, 3, 0, mul], { x, m in x * m }),
    ]

    static let memoryModule: [UInt8] = Wasm.module(
        Wasm.section(
            1, Wasm.vec([Wasm.funcType([Wasm.f64, Wasm.i32], [Wasm.f64]), Wasm.funcType([Wasm.i32, Wasm.f64], [])])),
        Wasm.section(3, Wasm.vec(memoryCases.map { _ in [0] } + [[1]])),
        Wasm.section(5, Wasm.vec([[0x00, 1]])),  // one page
        Wasm.section(
            7,
            Wasm.vec(
                memoryCases.enumerated().map { Wasm.name($0.element.0) + [0, UInt8($0.offset)] }
                    + [Wasm.name("put") + [0, UInt8(memoryCases.count)]])),
        Wasm.section(
            10,
            Wasm.vec(
                memoryCases.map { Wasm.body($0.1 + [Wasm.end]) } + [
                    Wasm.body(get(0) + get(1) + [0x39, 3, 0, Wasm.end])
                ]
            )))

    @Test func loadsFusedIntoArithmeticReadMemoryAndTrapLikeTheLoad() throws {
        let module = try Module(bytes: Self.memoryModule)
        let store = Store()
        let instance = try store.instantiate(module)
        let values: [Double] = [1.5, -0.0, .infinity, 0x1p-1074, 3e300, .nan]
        let last = 65536 - 8
        for (i, value) in values.enumerated() {
            let address = i == values.count - 1 ? last : 8 * i + 1  // unaligned, and the last 8 bytes
            _ = try instance.invoke("put", [.int32(Int32(address)), .double(value)])
            for (name, _, reference) in Self.memoryCases {
                for x in [2.0, -0.0, .infinity, 1e-300] {
                    let got = try instance.invoke(name, [.double(x), .int32(Int32(address))])
                    let want = reference(x, value)
                    guard case .f64(let bits) = got.first else {
                        Issue.record("\(name) returned \(got)")
                        continue
                    }
                    #expect(
                        want.isNaN ? Double(bitPattern: bits).isNaN : bits == want.bitPattern,
                        "\(name)(\(x), [\(address)] = \(value))")
                }
            }
        }
        // One byte past the end: the fused instruction traps as the load would have.
        for (name, _, _) in Self.memoryCases {
            let trap = #expect(throws: Trap.self) { try instance.invoke(name, [.double(1), .int32(Int32(last + 1))]) }
            #expect(trap?.reason == .outOfBoundsMemoryAccess, "\(name)")
        }
        for (i, name) in ["f64AddMem", "f64AddMem", "f64SubMem", "f64RSubMem", "f64MulMem"].enumerated() {
            #expect(module.disassemble(function: i)?.contains(name) == true, "\(Self.memoryCases[i].0)")
        }
        withExtendedLifetime(store) {}
    }
}
