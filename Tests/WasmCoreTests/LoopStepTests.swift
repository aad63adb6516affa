import Testing

@testable import WasmCore

/// Loop-step superinstructions: a loop's closing `br_if` right after the `i32.add` that
/// stepped the value it tests becomes one instruction (`Translator.fuseLoopStep`). Each
/// form must count the same iterations as the loop written out, wrapping included.
@Suite struct LoopStepTests {
    /// A condition on the stepped value v: (opcode, bound, Swift meaning); opcode nil = `v != 0`.
    struct Condition: Sendable {
        let name: String
        let opcode: UInt8?
        let bound: Int32
        let holds: @Sendable (UInt32) -> Bool
    }

    static let conditions: [Condition] = [
        Condition(name: "BrIf", opcode: nil, bound: 0) { $0 != 0 },
        Condition(name: "BrIfI32NeImm", opcode: 0x47, bound: 64) { $0 != 64 },
        Condition(name: "BrIfI32LtUImm", opcode: 0x49, bound: 1000) { $0 < 1000 },
        Condition(name: "BrIfI32GtUImm", opcode: 0x4B, bound: 1) { $0 > 1 },
        Condition(name: "BrIfI32LtSImm", opcode: 0x48, bound: 100) { Int32(bitPattern: $0) < 100 },
        Condition(name: "BrIfI32GtSImm", opcode: 0x4A, bound: -50) { Int32(bitPattern: $0) > -50 },
    ]

    static func i32Const(_ v: Int32) -> [UInt8] {
        // Signed LEB128.
        var out: [UInt8] = [0x41]
        var value = Int64(v)
        while true {
            let byte = UInt8(value & 0x7F)
            value >>= 7
            if (value == 0 && byte & 0x40 == 0) || (value == -1 && byte & 0x40 != 0) {
                out.append(byte)
                return out
            }
            out.append(byte | 0x80)
        }
    }

    /// `(start, step) -> iterations`: loop { n += 1; v = v + step (a local, or the constant
    /// `constantStep`); br_if (condition on v) }; return n. Locals: 0 = v, 1 = step, 2 = n.
    static func body(_ condition: Condition, constantStep: Int32?) -> [UInt8] {
        var loop: [UInt8] = [0x20, 2, 0x41, 1, 0x6A, 0x21, 2]  // n += 1
        loop += [0x20, 0] + (constantStep.map { i32Const($0) } ?? [0x20, 1]) + [0x6A, 0x22, 0]  // local.tee v (v + step)
        if let opcode = condition.opcode { loop += i32Const(condition.bound) + [opcode] }
        loop += [0x0D, 0]  // br_if 0 (the loop)
        return Wasm.body(locals: [(1, Wasm.i32)], [0x03, 0x40] + loop + [Wasm.end, 0x20, 2, Wasm.end])
    }

    /// Every condition with a step in a local, then with a constant step (`steps[i]`).
    static let steps: [Int32] = [-1, 4, 7, -2, 3, -5]

    static let module: [UInt8] = {
        let bodies =
            conditions.map { body($0, constantStep: nil) }
            + zip(conditions, steps).map { body($0, constantStep: $1) }
        return Wasm.module(
            Wasm.section(1, Wasm.vec([Wasm.funcType([Wasm.i32, Wasm.i32], [Wasm.i32])])),
            Wasm.section(3, Wasm.vec(bodies.map { _ in [0] })),
            Wasm.section(
                7, Wasm.vec(bodies.indices.map { Wasm.name("f\($0)") + [0, UInt8($0)] })),
            Wasm.section(10, Wasm.vec(bodies)))
    }()

    /// The loop written out in Swift.
    static func iterations(start: UInt32, step: UInt32, _ condition: Condition) -> UInt32 {
        var v = start
        var n: UInt32 = 0
        repeat {
            n &+= 1
            v &+= step
        } while condition.holds(v) && n < 1_000_000
        return n
    }

    static let starts: [Int32] = [0, 1, 5, 63, 999, -7, 2_147_483_640, -2_147_483_600, 200]

    @Test func everyLoopStepFormCountsLikeTheLoopWrittenOut() throws {
        let module = try Module(bytes: Self.module)
        let store = Store()
        let instance = try store.instantiate(module)
        let count = Self.conditions.count
        for (i, condition) in Self.conditions.enumerated() {
            // The step in a local: the i32Add form.
            for start in Self.starts {
                for step: Int32 in [Self.steps[i], 1, -1, 3] {
                    let want = Self.iterations(
                        start: UInt32(bitPattern: start), step: UInt32(bitPattern: step), condition)
                    guard want < 1_000_000 else { continue }
                    let got = try instance.invoke("f\(i)", [.int32(start), .int32(step)])
                    #expect(got == [.i32(want)], "\(condition.name) start \(start) step \(step)")
                }
                // The constant step: the i32AddImm form (the step argument is ignored).
                let want = Self.iterations(
                    start: UInt32(bitPattern: start), step: UInt32(bitPattern: Self.steps[i]), condition)
                guard want < 1_000_000 else { continue }
                let got = try instance.invoke("f\(count + i)", [.int32(start), .int32(0)])
                #expect(got == [.i32(want)], "\(condition.name) imm start \(start) step \(Self.steps[i])")
            }
        }
    }

    @Test func theTranslatorFusesEachForm() throws {
        let module = try Module(bytes: Self.module)
        let count = Self.conditions.count
        for (i, condition) in Self.conditions.enumerated() {
            let plain = module.disassemble(function: i) ?? ""
            let immediate = module.disassemble(function: count + i) ?? ""
            #expect(plain.contains("i32Add\(condition.name) "), "\(plain)")
            #expect(immediate.contains("i32AddImm\(condition.name) "), "\(immediate)")
        }
    }
}
