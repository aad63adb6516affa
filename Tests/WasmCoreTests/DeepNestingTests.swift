import Testing

@testable import WasmCore

/// Input-controlled nesting must not become stack depth: a module of a million nested
/// blocks once overflowed the decoder's recursive scan (found by fuzzing the "run" target
/// under AddressSanitizer; Fixtures/fuzz/crashes/run/deep-nesting-stack-overflow.wasm).
@Suite struct DeepNestingTests {
    static let depth = 300_000

    /// `() -> ()` named `f` with one body: `prefix` opened `depth` times, then as many `end`s.
    func module(opening prefix: [UInt8], closing suffix: [UInt8] = [Wasm.end]) -> [UInt8] {
        var code: [UInt8] = [0]  // no locals
        code.reserveCapacity(Self.depth * (prefix.count + suffix.count) + 2)
        for _ in 0..<Self.depth { code += prefix }
        for _ in 0..<Self.depth { code += suffix }
        code.append(Wasm.end)
        let body = Wasm.u32(UInt32(code.count)) + code
        return Wasm.module(
            Wasm.section(1, Wasm.vec([Wasm.funcType()])), Wasm.section(3, Wasm.vec([[0]])),
            Wasm.section(7, Wasm.vec([Wasm.name("f") + [0, 0]])), Wasm.section(10, Wasm.vec([body])))
    }

    @Test(arguments: [[0x02, 0x40], [0x03, 0x40], [0x41, 0x01, 0x04, 0x40]] as [[UInt8]])
    func deeplyNestedBlocksDecodeCompileAndRun(prefix: [UInt8]) throws {
        let bytes = module(opening: prefix)
        let info = try ModuleDecoder.decode(bytes)
        #expect(info.codes.count == 1)
        let compiled = try Module(bytes: bytes)
        let store = Store()
        let instance = try store.instantiate(compiled)
        #expect(try instance.invoke("f") == [])
    }

    @Test func unclosedAndMisplacedElseAreStillDecodeErrors() {
        var truncated = module(opening: [0x02, 0x40])
        truncated.removeLast(10)
        #expect(throws: DecodeError.self) { try ModuleDecoder.decode(truncated) }
        // `else` inside a `block` (not an `if`): the spec suite's "END opcode expected".
        let elseInBlock = module(opening: [0x02, 0x40], closing: [0x05, Wasm.end])
        #expect { try ModuleDecoder.decode(elseInBlock) } throws: { error in
            (error as? DecodeError).map { "\($0)".contains("END opcode expected") } ?? false
        }
    }

    @Test func deeplyNestedBlocksInAConstantExpressionFailCleanly() {
        // A global initialiser is a constant expression: blocks are not allowed in it.
        var initializer: [UInt8] = []
        for _ in 0..<Self.depth { initializer += [0x02, 0x40] }
        for _ in 0..<Self.depth { initializer.append(Wasm.end) }
        initializer += [0x41, 0x00, Wasm.end]
        let bytes = Wasm.module(Wasm.section(6, Wasm.vec([[Wasm.i32, 0x00] + initializer])))
        #expect(throws: (any Error).self) { try Module(bytes: bytes) }
    }

    @Test func fuzzFindingReplays() throws {
        // The fuzz input itself runs through the fuzz target's entry point without crashing.
        let bytes = module(opening: [0x02, 0x40])
        WasmCoreFuzzTargets.decode(bytes)
        WasmCoreFuzzTargets.compile(bytes)
    }
}
