import Foundation
import Testing

@testable import WasmCore

/// v128 values across the engine's boundaries, with Fixtures/simd/engine.wat
/// (the spec scripts cover the instructions themselves lane by lane).
@Suite struct SIMDEngineTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/simd/engine.wasm").path

    static func i32x4(_ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: UInt32) -> Value {
        .v128(V128(low: UInt64(a) | UInt64(b) << 32, high: UInt64(c) | UInt64(d) << 32))
    }

    /// Keeps the store of the instances alive for the test.
    let store = Store()

    /// The fixture instantiated with a host `swap` that exchanges the two halves.
    func instance() throws -> Instance {
        let module = try Module(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: Self.fixture))))
        var imports = Imports()
        imports.define(
            module: "host", name: "swap",
            .function(
                Function(type: FunctionType(parameters: [.v128], results: [.v128])) { _, args in
                    guard case .v128(let v) = args[0] else { return [.i32(0)] }
                    return [.v128(V128(low: v.high, high: v.low))]
                }))
        return try store.instantiate(module, imports: imports)
    }

    @Test func vectorsPassThroughCallsAndResults() throws {
        let i = try instance()
        #expect(
            try i.invoke("add_via_call", [Self.i32x4(1, 2, 3, 4), Self.i32x4(10, 20, 30, 0xFFFF_FFFF)])
                == [Self.i32x4(11, 22, 33, 3)])
        let v = V128(low: 0x0102_0304_0506_0708, high: 0x1112_1314_1516_1718)
        #expect(
            try i.invoke("pair", [.i32(0x2A), .v128(v)])
                == [.v128(v), .i32(0x2A), .v128(V128(low: 0x2A2A_2A2A_2A2A_2A2A, high: 0x2A2A_2A2A_2A2A_2A2A))])
    }

    @Test func declaredVectorLocalsStartAtZero() throws {
        #expect(try instance().invoke("fresh_local", []) == [.v128(V128(low: 0, high: 0))])
    }

    @Test func vectorGlobalsKeepBothHalves() throws {
        let i = try instance()
        #expect(try i.invoke("bump_global", [Self.i32x4(1, 1, 1, 1)]) == [Self.i32x4(2, 3, 4, 5)])
        #expect(try i.invoke("bump_global", [Self.i32x4(0, 0, 0, 10)]) == [Self.i32x4(2, 3, 4, 15)])
        guard case .global(let g) = i.export("g") else {
            Issue.record("no exported global g")
            return
        }
        #expect(g.value == Self.i32x4(2, 3, 4, 15))
        guard case .global(let k) = i.export("k") else {
            Issue.record("no exported global k")
            return
        }
        #expect(k.value == .v128(V128(low: ~0, high: 7)))
    }

    @Test func hostFunctionsTakeAndReturnVectors() throws {
        let v = V128(low: 1, high: 2)
        #expect(try instance().invoke("via_host", [.v128(v)]) == [.v128(V128(low: 2, high: 1))])
    }

    @Test func selectAndBranchesCarryVectors() throws {
        let i = try instance()
        let a = Self.i32x4(1, 2, 3, 4)
        let b = Self.i32x4(5, 6, 7, 8)
        #expect(try i.invoke("pick", [a, b, .i32(1)]) == [a])
        #expect(try i.invoke("pick", [a, b, .i32(0)]) == [b])
        #expect(try i.invoke("branch", [a, .i32(1)]) == [a])
        #expect(try i.invoke("branch", [a, .i32(0)]) == [.v128(V128(low: 5, high: 6))])
    }

    @Test func vectorLoopsOverMemory() throws {
        let i = try instance()
        guard case .memory(let memory) = i.export("memory") else {
            Issue.record("no exported memory")
            return
        }
        var expected: UInt32 = 0
        for k in 0..<64 {
            let value = UInt32(k * 7 + 1)
            try memory.write(withUnsafeBytes(of: value.littleEndian) { Array($0) }, at: 4 * k)
            expected &+= value
        }
        #expect(try i.invoke("sum", [.i32(0), .i32(16)]) == [.i32(expected)])
    }

    @Test func outOfBoundsVectorAccessTraps() throws {
        let i = try instance()
        #expect(try i.invoke("load_at", [.i32(65536 - 17)]) != [])
        #expect {
            _ = try i.invoke("load_at", [.i32(65536 - 16)])
        } throws: { error in
            (error as? Trap)?.reason == .outOfBoundsMemoryAccess
        }
    }

    @Test func disassemblyNamesVectorInstructions() throws {
        let module = try Module(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: Self.fixture))))
        let text = (0..<module.info.functions.count + 1).compactMap { module.disassemble(function: $0) }
            .joined()
        #expect(text.contains("i32x4.add"))
        #expect(text.contains("v128.load"))
        #expect(text.contains("v128.zero"))
    }
}
