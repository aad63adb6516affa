import Foundation
import Testing

@testable import WasmCore

/// The embedding API end to end: compile once, instantiate, call, traps, host functions.
@Suite struct EngineTests {
    /// (func $f (param i32) (result i32) local.get 0 call $f)  — recursion without bound.
    static let runaway = Wasm.module(
        Wasm.section(1, Wasm.vec([Wasm.funcType([Wasm.i32], [Wasm.i32])])),
        Wasm.section(3, Wasm.vec([[0]])),
        Wasm.section(7, Wasm.vec([Wasm.name("run") + [0, 0]])),
        Wasm.section(10, Wasm.vec([Wasm.body([0x20, 0, 0x10, 0, Wasm.end])])))

    /// (import "host" "add" (func (param i32 i32) (result i32)))
    /// (func (export "twice") (param i32) (result i32) local.get 0 local.get 0 call 0)
    static let usesHost = Wasm.module(
        Wasm.section(
            1, Wasm.vec([Wasm.funcType([Wasm.i32, Wasm.i32], [Wasm.i32]), Wasm.funcType([Wasm.i32], [Wasm.i32])])),
        Wasm.section(2, Wasm.vec([Wasm.name("host") + Wasm.name("add") + [0, 0]])),
        Wasm.section(3, Wasm.vec([[1]])),
        Wasm.section(7, Wasm.vec([Wasm.name("twice") + [0, 1]])),
        Wasm.section(10, Wasm.vec([Wasm.body([0x20, 0, 0x20, 0, 0x10, 0, Wasm.end])])))

    @Test func unboundedRecursionTrapsAndTheHostKeepsGoing() throws {
        let module = try Module(bytes: Self.runaway)
        let store = Store()
        let instance = try store.instantiate(module)
        for _ in 0..<3 {
            #expect {
                _ = try instance.invoke("run", [.i32(1)])
            } throws: { error in
                (error as? Trap)?.reason == .callStackExhausted
                    && (error as? Trap)?.message == "call stack exhausted"
            }
        }
        // The same store still runs code afterwards.
        let host = try Module(bytes: Self.usesHost)
        var imports = Imports()
        imports.define(
            module: "host", name: "add",
            .function(
                Function(type: FunctionType(parameters: [.i32, .i32], results: [.i32])) { _, args in
                    guard case .i32(let a) = args[0], case .i32(let b) = args[1] else { return [.i32(0)] }
                    return [.i32(a &+ b)]
                }))
        let other = try store.instantiate(host, imports: imports)
        #expect(try other.invoke("twice", [.i32(21)]) == [.i32(42)])
    }

    @Test func hostErrorsPropagateUnchanged() throws {
        struct Custom: Error, Equatable {}
        let host = try Module(bytes: Self.usesHost)
        var imports = Imports()
        imports.define(
            module: "host", name: "add",
            .function(
                Function(type: FunctionType(parameters: [.i32, .i32], results: [.i32])) { _, _ in throw Custom() }))
        let store = Store()
        let instance = try store.instantiate(host, imports: imports)
        #expect(throws: Custom.self) { try instance.invoke("twice", [.i32(1)]) }
    }

    @Test func missingAndMismatchedImportsAreLinkErrors() throws {
        let host = try Module(bytes: Self.usesHost)
        #expect(throws: LinkError("unknown import", importName: "host.add")) { try Store().instantiate(host) }
        var imports = Imports()
        imports.define(module: "host", name: "add", .function(Function(type: FunctionType()) { _, _ in [] }))
        #expect(throws: LinkError("incompatible import type", importName: "host.add")) {
            try Store().instantiate(host, imports: imports)
        }
    }

    @Test func malformedInputNamesTheByteOffset() {
        #expect(throws: DecodeError("magic header not detected", offset: 0)) { try Module(bytes: [0, 1, 2, 3]) }
        #expect {
            _ = try Module(bytes: Wasm.header + [1, 5, 1])
        } throws: { error in
            // The type section claims 5 bytes; only 1 follows.
            (error as? DecodeError) == DecodeError("length out of bounds", offset: 9)
        }
    }

    static let python3: String? =
        ["/usr/bin/python3", "/usr/local/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) }
        ?? (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/python3" }
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(.enabled(if: python3 != nil, "python3 is not installed; cannot check the generated opcode files are fresh"))
    func generatedOpcodeCodeIsFresh() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let script = root.appendingPathComponent("Scripts/generate-opcodes.py").path
        let python = try #require(Self.python3)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = [script, "--check"]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        p.waitUntilExit()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(p.terminationStatus == 0, "run python3 Scripts/generate-opcodes.py: \(text)")
    }

    /// and + eqz + br_if and and + br_if become one bit-test branch; results must not change.
    @Test(arguments: [UInt32(0), 1, 4, 5, 0xFFFF_FFFB, 0xFFFF_FFFF])
    func fusedBitTestsBranchLikeTheUnfusedCode(value: UInt32) throws {
        // (func (param i32) (result i32)
        //   block  local.get 0 i32.const 4 i32.and i32.eqz br_if 0  i32.const 1 return  end
        //   block  local.get 0 i32.const 1 i32.and br_if 0  i32.const 2 return  end
        //   i32.const 3)
        let code: [UInt8] = [
            0x02, 0x40, 0x20, 0, 0x41, 4, 0x71, 0x45, 0x0D, 0, 0x41, 1, 0x0F, 0x0B,
            0x02, 0x40, 0x20, 0, 0x41, 1, 0x71, 0x0D, 0, 0x41, 2, 0x0F, 0x0B,
            0x41, 3, Wasm.end,
        ]
        let bytes = Wasm.module(
            Wasm.section(1, Wasm.vec([Wasm.funcType([Wasm.i32], [Wasm.i32])])),
            Wasm.section(3, Wasm.vec([[0]])),
            Wasm.section(7, Wasm.vec([Wasm.name("f") + [0, 0]])),
            Wasm.section(10, Wasm.vec([Wasm.body(code)])))
        let store = Store()
        let instance = try store.instantiate(try Module(bytes: bytes))
        let expected: UInt32 = value & 4 != 0 ? 1 : (value & 1 != 0 ? 3 : 2)
        #expect(try instance.invoke("f", [.i32(value)]) == [.i32(expected)])
    }
}
