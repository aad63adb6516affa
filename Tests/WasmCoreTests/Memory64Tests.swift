import Testing
@testable import WasmCore

/// Wasm 3.0 memory64 and multi-memory, run in both tiers: 64-bit addresses at the edges (no
/// overflow in address + offset), `memory.size`/`grow` in i64, a second memory's loads, stores,
/// SIMD loads, size/grow/fill and `memory.copy` between memories, data segments per memory, and
/// memory 0 left as it was.
@Suite struct Memory64Tests {
    /// A u64 LEB128.
    static func u64(_ value: UInt64) -> [UInt8] {
        var v = value
        var out: [UInt8] = []
        repeat {
            var byte = UInt8(v & 0x7F)
            v >>= 7
            if v != 0 { byte |= 0x80 }
            out.append(byte)
        } while v != 0
        return out
    }

    static func exports(_ names: [(String, UInt8, UInt32)]) -> [UInt8] {
        Wasm.section(7, Wasm.vec(names.map { Wasm.name($0.0) + [$0.1] + Wasm.u32($0.2) }))
    }

    /// One 64-bit memory (1 page, at most 3): load, load at offset 2^64 - 16, store, size, grow.
    static var memory64Module: [UInt8] {
        let i32 = Wasm.i32, i64 = Wasm.i64
        let types = Wasm.section(
            1,
            Wasm.vec([
                Wasm.funcType([i64], [i32]), Wasm.funcType([i64, i32]), Wasm.funcType([], [i64]),
                Wasm.funcType([i64], [i64]),
            ]))
        let functions = Wasm.section(3, Wasm.vec([[0], [0], [1], [2], [3]]))
        let memory = Wasm.section(5, Wasm.vec([[0x05] + u64(1) + u64(3)]))
        let code = Wasm.section(
            10,
            Wasm.vec([
                Wasm.body([0x20, 0, 0x28, 0x02, 0x00, Wasm.end]),
                Wasm.body([0x20, 0, 0x28, 0x02] + u64(UInt64.max - 15) + [Wasm.end]),
                Wasm.body([0x20, 0, 0x20, 1, 0x36, 0x02, 0x00, Wasm.end]),
                Wasm.body([0x3F, 0x00, Wasm.end]),
                Wasm.body([0x20, 0, 0x40, 0x00, Wasm.end]),
            ]))
        let exports = exports([
            ("load", 0, 0), ("load_high", 0, 1), ("store", 0, 2), ("size", 0, 3), ("grow", 0, 4), ("mem", 2, 0),
        ])
        return Wasm.module(types, functions, memory, exports, code)
    }

    static func isOutOfBounds(_ error: any Error) -> Bool {
        (error as? Trap)?.reason == .outOfBoundsMemoryAccess
    }

    @Test(arguments: [true, false])
    func memory64EdgesAndGrowth(optimize: Bool) throws {
        let module = try Module(bytes: Self.memory64Module, optimize: optimize)
        #expect(module.info.memories.first?.is64 == true)
        let store = Store()
        let instance = try store.instantiate(module)
        try instance.invoke("store", [.i64(65532), .i32(7)])
        #expect(try instance.invoke("load", [.i64(65532)]) == [.i32(7)])
        for address: UInt64 in [65533, 65536, 1 << 32, UInt64.max, UInt64.max - 3] {
            #expect("\(address)") { try instance.invoke("load", [.i64(address)]) } throws: { Self.isOutOfBounds($0) }
        }
        // address + offset wraps past 2^64: out of bounds, not address 0.
        for address: UInt64 in [0, 16, 20] {
            #expect("\(address)") { try instance.invoke("load_high", [.i64(address)]) } throws: {
                Self.isOutOfBounds($0)
            }
        }
        #expect(try instance.invoke("size", []) == [.i64(1)])
        #expect(try instance.invoke("grow", [.i64(1)]) == [.i64(1)])
        #expect(try instance.invoke("size", []) == [.i64(2)])
        #expect(try instance.invoke("grow", [.i64(2)]) == [.i64(UInt64.max)])
        #expect(try instance.invoke("grow", [.i64(1 << 40)]) == [.i64(UInt64.max)])
        #expect(try instance.invoke("grow", [.i64(UInt64.max)]) == [.i64(UInt64.max)])
        #expect(try instance.invoke("load", [.i64(65536 * 2 - 4)]) == [.i32(0)])
        // The embedding API sees the 64-bit memory.
        let memory = try #require(instance.memory(named: "mem"))
        #expect(memory.type.is64 && memory.pageCount == 2)
        #expect(try memory.load(UInt32.self, at: 65532) == 7)
    }

    @Test func memory64SwitchedOffNamesTheFeature() {
        #expect {
            try Module(bytes: Self.memory64Module, features: .wasm2)
        } throws: { error in
            "\(error)".contains("memory64 support is not enabled (at byte offset")
        }
    }

    /// Two 32-bit memories; memory 1 gets a data segment "hi" at 8.
    static var multiMemoryModule: [UInt8] {
        let i32 = Wasm.i32
        let types = Wasm.section(
            1,
            Wasm.vec([
                Wasm.funcType([i32], [i32]), Wasm.funcType([i32, i32, i32]), Wasm.funcType([], [i32]),
                Wasm.funcType([i32, i32]),
            ]))
        let functions = Wasm.section(3, Wasm.vec([[0], [0], [1], [2], [0], [3], [1], [0]]))
        let memories = Wasm.section(5, Wasm.vec([[0x00, 0x01], [0x00, 0x01]]))
        let code = Wasm.section(
            10,
            Wasm.vec([
                Wasm.body([0x20, 0, 0x2D, 0x40, 0x01, 0x00, Wasm.end]),  // load1: i32.load8_u memory 1
                Wasm.body([0x20, 0, 0x2D, 0x00, 0x00, Wasm.end]),  // load0
                Wasm.body([0x20, 0, 0x20, 1, 0x20, 2, 0xFC, 0x0A, 0x00, 0x01, Wasm.end]),  // copy 1 -> 0
                Wasm.body([0x3F, 0x01, Wasm.end]),  // size1
                Wasm.body([0x20, 0, 0x40, 0x01, Wasm.end]),  // grow1
                Wasm.body([0x20, 0, 0x20, 1, 0x36, 0x42, 0x01, 0x00, Wasm.end]),  // store1 (i32.store memory 1)
                Wasm.body([0x20, 0, 0x20, 1, 0x20, 2, 0xFC, 0x0B, 0x01, Wasm.end]),  // fill1
                // simd1: v128.load memory 1, then i8x16.extract_lane_u 1
                Wasm.body([0x20, 0, 0xFD, 0x00, 0x44, 0x01, 0x00, 0xFD, 0x16, 0x01, Wasm.end]),
            ]))
        let data = Wasm.section(11, Wasm.vec([[0x02, 0x01, 0x41, 0x08, 0x0B, 0x02, 0x68, 0x69]]))
        let exports = exports([
            ("load1", 0, 0), ("load0", 0, 1), ("copy", 0, 2), ("size1", 0, 3), ("grow1", 0, 4), ("store1", 0, 5),
            ("fill1", 0, 6), ("simd1", 0, 7),
        ])
        return Wasm.module(types, functions, memories, exports, code, data)
    }

    @Test(arguments: [true, false])
    func multiMemoryInstructions(optimize: Bool) throws {
        let module = try Module(bytes: Self.multiMemoryModule, optimize: optimize)
        let store = Store()
        let instance = try store.instantiate(module)
        #expect(try instance.invoke("load1", [.i32(8)]) == [.i32(0x68)])
        #expect(try instance.invoke("load0", [.i32(8)]) == [.i32(0)])
        #expect(try instance.invoke("simd1", [.i32(8)]) == [.i32(0x69)])
        try instance.invoke("copy", [.i32(100), .i32(8), .i32(2)])
        #expect(try instance.invoke("load0", [.i32(101)]) == [.i32(0x69)])
        try instance.invoke("store1", [.i32(4), .i32(0xAABB_CCDD)])
        #expect(try instance.invoke("load1", [.i32(4)]) == [.i32(0xDD)])
        #expect(try instance.invoke("load0", [.i32(4)]) == [.i32(0)])
        try instance.invoke("fill1", [.i32(0), .i32(0x5A), .i32(3)])
        #expect(try instance.invoke("load1", [.i32(2)]) == [.i32(0x5A)])
        #expect(try instance.invoke("size1", []) == [.i32(1)])
        #expect(try instance.invoke("grow1", [.i32(1)]) == [.i32(1)])
        #expect(try instance.invoke("size1", []) == [.i32(2)])
        #expect(try instance.invoke("load1", [.i32(65536 + 5)]) == [.i32(0)])
        // Memory 0 did not grow with memory 1.
        #expect { try instance.invoke("load0", [.i32(65536)]) } throws: { Self.isOutOfBounds($0) }
        #expect { try instance.invoke("simd1", [.i32(2 * 65536 - 8)]) } throws: { Self.isOutOfBounds($0) }
        #expect { try instance.invoke("copy", [.i32(65530), .i32(0), .i32(7)]) } throws: { Self.isOutOfBounds($0) }
        #expect { try instance.invoke("copy", [.i32(0), .i32(2 * 65536 - 1), .i32(2)]) } throws: {
            Self.isOutOfBounds($0)
        }
    }

    @Test func multiMemorySwitchedOffNamesTheFeature() {
        var features = WasmFeatures()
        features.multiMemory = false
        #expect {
            try Module(bytes: Self.multiMemoryModule, features: features)
        } throws: { error in
            "\(error)".contains("multi-memory support is not enabled")
        }
    }

    /// Extended constant expressions: a global `(i32.const 6) (i32.const 7) i32.mul
    /// (i32.const 2) i32.sub` = 40, and i64 arithmetic wrapping at 64 bits.
    @Test func extendedConstantExpressions() throws {
        let types = Wasm.section(1, Wasm.vec([Wasm.funcType([], [Wasm.i32]), Wasm.funcType([], [Wasm.i64])]))
        let globals = Wasm.section(
            6,
            Wasm.vec([
                [Wasm.i32, 0x00, 0x41, 0x06, 0x41, 0x07, 0x6C, 0x41, 0x02, 0x6B, Wasm.end],
                [Wasm.i64, 0x00, 0x42, 0x7F, 0x42, 0x02, 0x7E, 0x42, 0x05, 0x7C, Wasm.end],  // -1 * 2 + 5 = 3
            ]))
        let functions = Wasm.section(3, Wasm.vec([[0], [1]]))
        let code = Wasm.section(
            10, Wasm.vec([Wasm.body([0x23, 0, Wasm.end]), Wasm.body([0x23, 1, Wasm.end])]))
        let bytes = Wasm.module(types, functions, globals, Self.exports([("a", 0, 0), ("b", 0, 1)]), code)
        let store = Store()
        let instance = try store.instantiate(try Module(bytes: bytes))
        #expect(try instance.invoke("a", []) == [.i32(40)])
        #expect(try instance.invoke("b", []) == [.i64(3)])
        var features = WasmFeatures()
        features.extendedConst = false
        #expect {
            try Module(bytes: bytes, features: features)
        } throws: { error in
            "\(error)".contains("extended-const support is not enabled")
        }
    }
}
