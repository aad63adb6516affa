import Foundation
import Testing
import WasmCore

/// Tail calls and exception handling through the embedding API, on the modules of
/// `Fixtures/wasm3-control` (WAT sources beside them; `build.sh` rebuilds them), in both tiers.
@Suite struct Wasm3ControlTests {
    static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/wasm3-control")

    static func module(_ name: String, optimize: Bool) throws -> Module {
        let bytes = [UInt8](try Data(contentsOf: fixtures.appendingPathComponent(name + ".wasm")))
        return try Module(bytes: bytes, optimize: optimize)
    }

    /// The tail-call module with `host.finish(n, acc) = acc * 10`.
    static func tailInstance(optimize: Bool, configuration: EngineConfiguration = EngineConfiguration()) throws
        -> (Store, Instance)
    {
        let store = Store(configuration: configuration)
        var imports = Imports()
        imports.define(
            module: "host", name: "finish",
            .function(
                Function(type: FunctionType(parameters: [.i32, .i64], results: [.i64])) { _, args in
                    guard case .i64(let acc) = args[1] else { return [.i64(0)] }
                    return [.i64(acc &* 10)]
                }))
        return (store, try store.instantiate(try module("tail", optimize: optimize), imports: imports))
    }

    /// A million tail calls run in a call stack only 50 frames deep: return_call, return_call_indirect
    /// and mutual recursion replace the frame instead of pushing one. A plain call would trap.
    @Test(arguments: [true, false])
    func aMillionDeepTailRecursionDoesNotGrowTheStack(optimize: Bool) throws {
        var configuration = EngineConfiguration()
        configuration.maxCallDepth = 50
        let (store, instance) = try Self.tailInstance(optimize: optimize, configuration: configuration)
        defer { withExtendedLifetime(store) {} }
        let n: UInt32 = 1_000_000
        let expected = UInt64(n) * UInt64(n + 1) / 2
        #expect(try instance.invoke("sum", [.i32(n), .i64(0)]) == [.i64(expected)])
        #expect(try instance.invoke("sumIndirect", [.i32(n), .i64(0)]) == [.i64(expected)])
        #expect(try instance.invoke("even", [.i32(n + 1)]) == [.i32(0)])
        #expect(try instance.invoke("even", [.i32(n)]) == [.i32(1)])
        #expect(try instance.invoke("sumLoop", [.i32(n), .i64(0)]) == [.i64(expected)])
    }

    /// A host function called in tail position returns its results to the guest's caller.
    @Test(arguments: [true, false])
    func aTailCalledHostFunctionReturnsToTheCaller(optimize: Bool) throws {
        let (store, instance) = try Self.tailInstance(optimize: optimize)
        defer { withExtendedLifetime(store) {} }
        // 1000 steps add 2 each, then the host multiplies by 10.
        #expect(try instance.invoke("toHost", [.i32(1000), .i64(1)]) == [.i64(20010)])
    }

    /// With tail calls switched off the module fails to load, naming the feature and the offset.
    @Test func switchedOffTailCallsNameTheFeature() throws {
        let bytes = [UInt8](try Data(contentsOf: Self.fixtures.appendingPathComponent("tail.wasm")))
        var features = WasmFeatures()
        features.tailCalls = false
        #expect {
            try Module(bytes: bytes, features: features)
        } throws: { "\($0)".contains("illegal opcode: tail-call support is not enabled (at byte offset") }
    }

    /// The exceptions module, with host functions that throw the guest's tag `e` and call back into it.
    static func exceptionsInstance(optimize: Bool) throws -> (Store, Instance) {
        let store = Store()
        var imports = Imports()
        imports.define(
            module: "host", name: "throwE",
            .function(
                Function(type: FunctionType(parameters: [.i32])) { caller, args in
                    guard case .tag(let tag)? = caller.instance?.export("e") else { return [] }
                    throw try Exception(tag: tag, values: [args[0]])
                }))
        imports.define(
            module: "host", name: "callBack",
            .function(
                Function(type: FunctionType(parameters: [.i32], results: [.i32])) { caller, args in
                    let f = caller.instance!.function(named: "maybeThrow")!
                    return try caller.store.invoke(f, args)
                }))
        return (store, try store.instantiate(try module("exceptions", optimize: optimize), imports: imports))
    }

    @Test(arguments: [true, false])
    func tryTableCatchesEveryWay(optimize: Bool) throws {
        let (store, instance) = try Self.exceptionsInstance(optimize: optimize)
        defer { withExtendedLifetime(store) {} }
        #expect(try instance.invoke("catchValue", [.i32(4)]) == [.i32(4)])
        #expect(try instance.invoke("catchValue", [.i32(7)]) == [.i32(1007)])
        #expect(try instance.invoke("catchAll", [.i32(8)]) == [.i32(8)])
        #expect(try instance.invoke("catchAll", [.i32(9)]) == [.int32(-1)])
        #expect(try instance.invoke("rethrowRef", [.i32(2)]) == [.i32(2)])
        #expect(try instance.invoke("rethrowRef", [.i32(3)]) == [.i32(5003)])
        #expect(try instance.invoke("pair") == [.int64(-7), .double(2.5)])
        #expect(try instance.invoke("deep", [.i32(5000)]) == [.i32(42)])
        #expect(try instance.invoke("throwLoop", [.i32(10000)]) == [.i32(10000)])
        #expect {
            try instance.invoke("throwNull")
        } throws: { ($0 as? Trap)?.reason == .nullExceptionReference }
    }

    /// An uncaught guest exception reaches the embedder as an `Exception` with its tag and values.
    @Test(arguments: [true, false])
    func anUncaughtExceptionReachesTheEmbedder(optimize: Bool) throws {
        let (store, instance) = try Self.exceptionsInstance(optimize: optimize)
        defer { withExtendedLifetime(store) {} }
        guard case .tag(let tag)? = instance.export("e") else {
            Issue.record("no exported tag e")
            return
        }
        do {
            _ = try instance.invoke("uncaught", [.i32(77)])
            Issue.record("no exception")
        } catch let e as WasmCore.Exception {
            #expect(e.tag === tag)
            #expect(e.values == [.i32(77)])
        }
        // The store is usable afterwards.
        #expect(try instance.invoke("catchValue", [.i32(1)]) == [.i32(1001)])
    }

    /// Exceptions cross host frames both ways: a host function throws the guest's tag, and a
    /// guest exception thrown under a host call (a nested invocation) reaches the outer guest.
    @Test(arguments: [true, false])
    func exceptionsCrossHostFunctions(optimize: Bool) throws {
        let (store, instance) = try Self.exceptionsInstance(optimize: optimize)
        defer { withExtendedLifetime(store) {} }
        #expect(try instance.invoke("catchFromHost", [.i32(5)]) == [.i32(2005)])
        #expect(try instance.invoke("throughHost", [.i32(6)]) == [.i32(6)])
        #expect(try instance.invoke("throughHost", [.i32(11)]) == [.i32(3011)])
    }

    @Test func switchedOffExceptionsNameTheFeature() throws {
        let bytes = [UInt8](try Data(contentsOf: Self.fixtures.appendingPathComponent("exceptions.wasm")))
        var features = WasmFeatures()
        features.exceptions = false
        #expect {
            try Module(bytes: bytes, features: features)
        } throws: { "\($0)".contains("exceptions support is not enabled (at byte offset") }
    }

    /// `tail-bench.wasm`: the optimising tier compiles the `return_call` loop (`tail`) to the same
    /// instructions as the `br` loop (`loop`), the first argument's producer sunk into its
    /// parameter and no copy (only the exit test differs: `brIf` over the return, not `brIfNot`);
    /// both compute the same sums in both tiers.
    @Test func tailBenchReturnCallCompilesToTheBrLoopsInstructions() throws {
        let optimized = try Self.module("tail-bench", optimize: true)
        let tail = try #require(optimized.operationNames(function: 0))
        let loop = try #require(optimized.operationNames(function: 1))
        #expect(!tail.contains("copy") && !tail.contains("copy2"), "\(tail)")
        func body(_ ops: [String]) -> [String] {
            ops.filter { !["brIf", "brIfNot", "return1"].contains($0) }.sorted()
        }
        #expect(body(tail) == body(loop), "tail \(tail), loop \(loop)")
        #expect(tail.count == loop.count, "tail \(tail), loop \(loop)")
        // Written in the same shape (`if ... return` at the top), the br loop is op for op the
        // return_call loop (plus the `unreachable` after the loop, which never runs).
        let loopIf = try #require(optimized.operationNames(function: 2))
        #expect(tail + ["unreachable"] == loopIf, "tail \(tail), loop-if \(loopIf)")
        for optimize in [true, false] {
            let store = Store()
            let instance = try store.instantiate(try Self.module("tail-bench", optimize: optimize))
            for n: UInt32 in [0, 1, 2, 1000] {
                let expected = Value.i64(UInt64(n) * UInt64(n + 1) / 2 + 7)
                #expect(try instance.invoke("tail", [.i32(n), .i64(7)]) == [expected], "tail(\(n))")
                #expect(try instance.invoke("loop", [.i32(n), .i64(7)]) == [expected], "loop(\(n))")
                #expect(try instance.invoke("loop-if", [.i32(n), .i64(7)]) == [expected], "loop-if(\(n))")
            }
        }
    }
}
