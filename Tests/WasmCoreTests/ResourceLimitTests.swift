import Testing

@testable import WasmCore

/// `EngineConfiguration.maxMemoryPages` / `maxTableElements`: an embedder's per-instance caps.
@Suite struct ResourceLimitTests {
    /// A module with memory `(memory min)` (no maximum) and table `(table tableMin funcref)`,
    /// exporting `grow: (i32) -> i32` = memory.grow and `tgrow: (i32) -> i32` = table.grow (null).
    static func module(memoryMin: UInt32, tableMin: UInt32 = 0) -> [UInt8] {
        Wasm.module(
            Wasm.section(1, Wasm.vec([Wasm.funcType([Wasm.i32], [Wasm.i32])])),
            Wasm.section(3, Wasm.vec([[0], [0]])),
            Wasm.section(4, Wasm.vec([[Wasm.funcref, 0] + Wasm.u32(tableMin)])),
            Wasm.section(5, Wasm.vec([[0] + Wasm.u32(memoryMin)])),
            Wasm.section(7, Wasm.vec([Wasm.name("grow") + [0, 0], Wasm.name("tgrow") + [0, 1]])),
            Wasm.section(
                10,
                Wasm.vec([
                    // (memory.grow (local.get 0))
                    Wasm.body([0x20, 0, 0x40, 0, Wasm.end]),
                    // (table.grow 0 (ref.null func) (local.get 0))
                    Wasm.body([0xD0, Wasm.funcref, 0x20, 0, 0xFC, 15, 0, Wasm.end]),
                ])))
    }

    static func store(pages: Int?, elements: Int? = nil) -> Store {
        var configuration = EngineConfiguration()
        configuration.maxMemoryPages = pages
        configuration.maxTableElements = elements
        return Store(configuration: configuration)
    }

    @Test func memoryGrowBeyondTheLimitReturnsMinusOne() throws {
        let module = try Module(bytes: Self.module(memoryMin: 1))
        let store = Self.store(pages: 4)
        let instance = try store.instantiate(module)
        #expect(try instance.invoke("grow", [.i32(3)]) == [.i32(1)])
        let memory = try #require(instance.memories.first)
        #expect(!memory.refusedGrowth)
        #expect(try instance.invoke("grow", [.i32(1)]) == [.i32(UInt32(bitPattern: -1))])
        #expect(memory.refusedGrowth)
        #expect(try instance.invoke("grow", [.i32(0)]) == [.i32(4)])
        withExtendedLifetime(store) {}
    }

    @Test func withoutALimitTheSameGrowSucceeds() throws {
        let module = try Module(bytes: Self.module(memoryMin: 1))
        let store = Self.store(pages: nil)
        let instance = try store.instantiate(module)
        #expect(try instance.invoke("grow", [.i32(8)]) == [.i32(1)])
        withExtendedLifetime(store) {}
    }

    @Test func anInitialMemoryAboveTheLimitFailsInstantiationNamingTheLimit() throws {
        let module = try Module(bytes: Self.module(memoryMin: 5))
        let error = #expect(throws: LinkError.self) { try Self.store(pages: 4).instantiate(module) }
        #expect("\(error.map { "\($0)" } ?? "")".contains("limit of 4 pages"))
    }

    @Test func tableGrowBeyondTheLimitReturnsMinusOne() throws {
        let module = try Module(bytes: Self.module(memoryMin: 0, tableMin: 2))
        let store = Self.store(pages: nil, elements: 10)
        let instance = try store.instantiate(module)
        #expect(try instance.invoke("tgrow", [.i32(8)]) == [.i32(2)])
        #expect(try instance.invoke("tgrow", [.i32(1)]) == [.i32(UInt32(bitPattern: -1))])
        withExtendedLifetime(store) {}
    }

    @Test func anInitialTableAboveTheLimitFailsInstantiation() throws {
        let module = try Module(bytes: Self.module(memoryMin: 0, tableMin: 11))
        #expect(throws: LinkError.self) { try Self.store(pages: nil, elements: 10).instantiate(module) }
    }
}
