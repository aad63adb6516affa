import Testing
import WasmCore

@testable import WasmComponents

/// `CoreCanonicalABI`: the canonical ABI over a core instance's memory and `realloc`, in both
/// directions, checked byte by byte against the spec's layouts (with `ABIHarness`'s memory and
/// recording bump allocator standing in for a module's).
@Suite struct CoreCanonicalABITests {
    static func i32(_ v: UInt32) -> Value { .i32(v) }

    /// `canon lower` seen from the host: a module calls an import of
    /// `func(name: string, tags: list<tuple<string, u32>>, scale: option<f32>) -> result<list<string>, variant { a, b(string) }>`.
    @Test func hostFunctionLiftsArgumentsAndLowersTheResultAtTheReturnPointer() throws {
        let h = try ABIHarness()
        let abi = CoreCanonicalABI(store: h.store, memory: h.memory, realloc: h.realloc)
        let type = CanonicalFunctionType(
            parameters: [.string, .list(.tuple([.string, .u32])), .option(.f32)],
            result: .result(ok: .list(.string), error: .variant([nil, .string])))
        // string 2 + list 2 + option<f32> 2, and the return pointer.
        #expect(type.importType == FunctionType(parameters: [.i32, .i32, .i32, .i32, .i32, .f32, .i32], results: []))
        var received: [ComponentValue] = []
        let f = CoreCanonicalABI.hostFunction(type, abi: { _ in abi }) { _, arguments in
            received = arguments
            return .ok(.list([.string("x"), .string("héllo")]))
        }
        // The guest's arguments: "name" @100, one tag element @200 = ("k" @110, 7).
        try h.memory.write(Array("name".utf8), at: 100)
        try h.memory.write(Array("k".utf8), at: 110)
        try h.memory.store(UInt32(110), at: 200)
        try h.memory.store(UInt32(1), at: 204)
        try h.memory.store(UInt32(7), at: 208)
        let results = try h.store.invoke(
            f,
            [
                Self.i32(100), Self.i32(4), Self.i32(200), Self.i32(1), Self.i32(1), .f32(Float(2.5).bitPattern),
                Self.i32(512),
            ])
        #expect(results.isEmpty)
        #expect(received == [.string("name"), .list([.tuple([.string("k"), .u32(7)])]), .option(.f32(2.5))])
        // result<list<string>, _> at 512: tag @0 = 0, list ptr @4, len @8; elements {ptr, len}.
        #expect(try h.memory.load(UInt8.self, at: 512) == 0)
        let list: UInt32 = try h.memory.load(at: 516)
        #expect(try h.memory.load(UInt32.self, at: 520) == 2)
        let second: UInt32 = try h.memory.load(at: Int(list) + 8)
        #expect(try h.memory.load(UInt32.self, at: Int(list) + 12) == 6)
        #expect(try h.memory.read(at: Int(second), count: 6) == Array("héllo".utf8))
        // Allocations went through realloc: the element array (align 4) and each string (align 1).
        #expect(h.calls.map(\.align) == [4, 1, 1])
    }

    /// `canon lift` seen from the host: an export of `func(s: string, n: u64) -> tuple<string, u64>`
    /// (here a host function playing the module's code) gets its string through `realloc`,
    /// returns a pointer to its return area, and `post-return` runs after the copy.
    @Test func callLowersArgumentsLiftsTheReturnAreaAndRunsPostReturn() throws {
        let h = try ABIHarness()
        let abi = CoreCanonicalABI(store: h.store, memory: h.memory, realloc: h.realloc)
        let type = CanonicalFunctionType(parameters: [.string, .u64], result: .tuple([.string, .u64]))
        #expect(type.exportType == FunctionType(parameters: [.i32, .i32, .i64], results: [.i32]))
        let memory = h.memory
        var seen: (String, UInt64) = ("", 0)
        let export = Function(type: type.exportType) { _, args in
            guard case .i32(let p) = args[0], case .i32(let n) = args[1], case .i64(let x) = args[2] else { return [] }
            seen = (String(decoding: try memory.read(at: Int(p), count: Int(n)), as: UTF8.self), x)
            // Return area @64: the same string, x + 1 @72 (u64 aligned to 8).
            try memory.store(p, at: 64)
            try memory.store(n, at: 68)
            try memory.store(x + 1, at: 72)
            return [.i32(64)]
        }
        var postReturnArguments: [Value] = []
        let post = Function(type: FunctionType(parameters: [.i32], results: [])) { _, args in
            postReturnArguments = args
            try memory.write(Array(repeating: 0, count: 16), at: 64)  // the guest frees: the copy was made
            return []
        }
        let result = try abi.call(export, type, [.string("ünï"), .u64(41)], postReturn: post)
        #expect(seen == ("ünï", 41))
        #expect(result == .tuple([.string("ünï"), .u64(42)]))
        #expect(postReturnArguments == [.i32(64)])
    }

    @Test func anExportOfTheWrongCoreTypeIsRefused() throws {
        let h = try ABIHarness()
        let abi = CoreCanonicalABI(store: h.store, memory: h.memory, realloc: h.realloc)
        let export = Function(type: FunctionType(parameters: [.i32], results: [.i32])) { _, _ in [.i32(0)] }
        ABIHarness.expectTrap("export has core type") {
            _ = try abi.call(export, CanonicalFunctionType(parameters: [.string], result: .u32), [.string("x")])
        }
    }

    /// An import's result that is out of the module's memory, or a `realloc` answering a
    /// pointer past it, traps instead of writing outside.
    @Test func badPointersTrap() throws {
        let h = try ABIHarness()
        let abi = CoreCanonicalABI(store: h.store, memory: h.memory, realloc: h.realloc)
        let type = CanonicalFunctionType(parameters: [], result: .result(ok: .string, error: nil))
        let f = CoreCanonicalABI.hostFunction(type, abi: { _ in abi }) { _, _ in .ok(.string("abc")) }
        ABIHarness.expectTrap("out of bounds") { _ = try h.store.invoke(f, [.i32(70_000)]) }
        h.forcedResult = 0x7fff_0000
        ABIHarness.expectTrap("realloc return: beyond end of memory") { _ = try h.store.invoke(f, [.i32(16)]) }
    }
}
