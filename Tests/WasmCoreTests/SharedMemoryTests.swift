import Testing
@testable import WasmCore

/// The threads proposal as far as this engine goes: `shared` memories decode (limits flag bit 1),
/// validate (a maximum is required), match imports only with the same flag, and run as normal
/// memories; the atomic instructions (0xFE prefix) fail to decode naming the feature.
@Suite struct SharedMemoryTests {
    /// A module with one memory of limits `flagAndLimits` (flag byte first).
    static func memoryModule(_ flagAndLimits: [UInt8]) -> [UInt8] {
        Wasm.module(Wasm.section(5, Wasm.vec([flagAndLimits])))
    }

    /// `(memory (export "m") 1 2 shared)` and `load`/`store` of an i32 at an address.
    static var sharedMemoryModule: [UInt8] {
        Wasm.module(
            Wasm.section(
                1, Wasm.vec([Wasm.funcType([Wasm.i32], [Wasm.i32]), Wasm.funcType([Wasm.i32, Wasm.i32])])),
            Wasm.section(3, Wasm.vec([[0x00], [0x01]])),
            Wasm.section(5, Wasm.vec([[0x03, 0x01, 0x02]])),
            Wasm.section(
                7,
                Wasm.vec([
                    Wasm.name("m") + [0x02, 0x00], Wasm.name("load") + [0x00, 0x00],
                    Wasm.name("store") + [0x00, 0x01],
                ])),
            Wasm.section(
                10,
                Wasm.vec([
                    Wasm.body([0x20, 0x00, 0x28, 0x02, 0x00, Wasm.end]),
                    Wasm.body([0x20, 0x00, 0x20, 0x01, 0x36, 0x02, 0x00, Wasm.end]),
                ])))
    }

    /// A module importing memory `m.m` with flag and limits `flagAndLimits`.
    static func importingModule(_ flagAndLimits: [UInt8]) -> [UInt8] {
        Wasm.module(Wasm.section(2, Wasm.vec([Wasm.name("m") + Wasm.name("m") + [0x02] + flagAndLimits])))
    }

    @Test func sharedFlagDecodes() throws {
        let module = try Module(bytes: Self.memoryModule([0x03, 0x01, 0x02]))
        #expect(module.info.memories == [MemoryType(limits: Limits(min: 1, max: 2), isShared: true)])
        let plain = try Module(bytes: Self.memoryModule([0x01, 0x01, 0x02]))
        #expect(plain.info.memories.first?.isShared == false)
        let imported = try Module(bytes: Self.importingModule([0x03, 0x01, 0x02]))
        guard case .memory(let t) = imported.info.imports.first?.descriptor else {
            Issue.record("no memory import decoded")
            return
        }
        #expect(t.isShared && t.limits.max == 2)
    }

    /// With memory64 on as well, a shared 64-bit memory (flag 7) decodes.
    @Test func shared64BitMemoryDecodes() throws {
        let module = try Module(bytes: Self.memoryModule([0x07, 0x01, 0x02]))
        #expect(module.info.memories.first == MemoryType(limits: Limits(min: 1, max: 2), is64: true, isShared: true))
    }

    @Test func sharedMemoryMustHaveMaximum() {
        #expect {
            try Module(bytes: Self.memoryModule([0x02, 0x01]))
        } throws: { error in
            error is ValidationError && "\(error)".contains("shared memory must have maximum")
        }
    }

    /// Threads off: the shared bit fails naming the feature (`-W threads=n`) or is malformed
    /// (Wasm 2.0's 1-bit flag); a table's limits never take it.
    @Test func sharedBitNeedsThreadsAndIsMalformedOnTables() {
        var off = WasmFeatures()
        off.threads = false
        #expect {
            try Module(bytes: Self.memoryModule([0x03, 0x01, 0x02]), features: off)
        } throws: { error in
            error is DecodeError && "\(error)".contains("threads support is not enabled (at byte offset 11)")
        }
        #expect(throws: DecodeError.self) { try Module(bytes: Self.memoryModule([0x03, 0x01, 0x02]), features: .wasm2) }
        var threadsOnly = WasmFeatures.wasm2
        threadsOnly.threads = true
        #expect(throws: Never.self) { try Module(bytes: Self.memoryModule([0x03, 0x01, 0x02]), features: threadsOnly) }
        let sharedTable = Wasm.module(Wasm.section(4, Wasm.vec([[Wasm.funcref, 0x03, 0x01, 0x02]])))
        #expect {
            try Module(bytes: sharedTable)
        } throws: { error in
            "\(error)".contains("malformed limits flags")
        }
    }

    /// Single-threaded, a shared memory is a normal memory: instantiate, store, load, export.
    @Test(arguments: [true, false])
    func sharedMemoryRunsAsNormalMemory(optimize: Bool) throws {
        let store = Store()
        let instance = try store.instantiate(try Module(bytes: Self.sharedMemoryModule, optimize: optimize))
        try instance.invoke("store", [.i32(8), .i32(42)])
        #expect(try instance.invoke("load", [.i32(8)]) == [.i32(42)])
        #expect(instance.memory(named: "m")?.type.isShared == true)
    }

    /// An import matches only a memory with the same shared flag, either way round.
    @Test func importMatchingRequiresEqualSharedFlags() throws {
        let store = Store()
        let shared = try Memory(type: MemoryType(limits: Limits(min: 1, max: 2), isShared: true))
        let plain = try Memory(type: MemoryType(limits: Limits(min: 1, max: 2)))
        func imports(_ m: Memory) -> Imports {
            var i = Imports()
            i.define(module: "m", name: "m", .memory(m))
            return i
        }
        let wantsShared = try Module(bytes: Self.importingModule([0x03, 0x01, 0x02]))
        let wantsPlain = try Module(bytes: Self.importingModule([0x01, 0x01, 0x02]))
        _ = try store.instantiate(wantsShared, imports: imports(shared))
        _ = try store.instantiate(wantsPlain, imports: imports(plain))
        for (module, memory) in [(wantsShared, plain), (wantsPlain, shared)] {
            #expect {
                try store.instantiate(module, imports: imports(memory))
            } throws: { error in
                error is LinkError && "\(error)".contains("incompatible import type")
            }
        }
    }

    /// `i32.atomic.load` (0xFE 0x10): a clear decode error naming threads and the byte offset
    /// (of the 0xFE prefix), with threads on (a shared memory) or off (a plain one), in both
    /// tiers and when compiled lazily (then on the first call) — never a crash.
    @Test(arguments: [true, false])
    func atomicInstructionIsUnsupported(threads: Bool) throws {
        let body = Wasm.body([0x41, 0x00, 0xFE, 0x10, 0x02, 0x00, Wasm.end])
        let bytes = Wasm.module(
            Wasm.section(1, Wasm.vec([Wasm.funcType([], [Wasm.i32])])),
            Wasm.section(3, Wasm.vec([[0x00]])),
            Wasm.section(5, Wasm.vec([[threads ? 0x03 : 0x01, 0x01, 0x02]])),
            Wasm.section(7, Wasm.vec([Wasm.name("f") + [0x00, 0x00]])),
            Wasm.section(10, Wasm.vec([body])))
        let prefixOffset = bytes.count - 5  // 0xFE 0x10 0x02 0x00 end, after i32.const 0
        #expect(bytes[prefixOffset] == 0xFE)
        var features = WasmFeatures()
        features.threads = threads
        let expected = "illegal opcode: threads (atomic instructions) are not supported (at byte offset \(prefixOffset))"
        for optimize in [true, false] {
            #expect {
                try Module(bytes: bytes, optimize: optimize, features: features)
            } throws: { error in
                "\(error)".contains(expected)
            }
        }
        let lazy = try Module(bytes: bytes, compilation: .lazy, features: features)
        let store = Store()
        let instance = try store.instantiate(lazy)
        #expect {
            try instance.invoke("f")
        } throws: { error in
            "\(error)".contains("threads (atomic instructions) are not supported")
        }
        withExtendedLifetime(store) {}
    }
}
