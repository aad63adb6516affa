import Foundation
import Synchronization
import Testing
import WasmSpec

@testable import WasmCore

/// `CompilationMode.lazy`: function bodies are validated and translated on their first call.
@Suite struct LazyCompilationTests {
    /// Exports `good` () -> i32 = 42, `bad` () -> i32 whose body is invalid (it leaves an i64),
    /// `callsBad` () -> i32 = good() + bad(), and `sum` (i32) -> i32 = n + (n-1) + ... + 1 by
    /// recursion through `sum` itself (a function entering itself before it was translated).
    static let mixed: [UInt8] = Wasm.module(
        Wasm.section(1, Wasm.vec([Wasm.funcType([], [Wasm.i32]), Wasm.funcType([Wasm.i32], [Wasm.i32])])),
        Wasm.section(3, Wasm.vec([[0], [0], [0], [1]])),
        Wasm.section(
            7,
            Wasm.vec([
                Wasm.name("good") + [0, 0], Wasm.name("bad") + [0, 1], Wasm.name("callsBad") + [0, 2],
                Wasm.name("sum") + [0, 3],
            ])),
        Wasm.section(
            10,
            Wasm.vec([
                Wasm.body([0x41, 42, Wasm.end]),  // i32.const 42
                Wasm.body([0x42, 1, Wasm.end]),  // i64.const 1: type mismatch
                Wasm.body([0x10, 0, 0x10, 1, 0x6A, Wasm.end]),  // call 0, call 1, i32.add
                // (if (result i32) (local.get 0) (then (i32.add (local.get 0) (call 3 (i32.sub (local.get 0) (i32.const 1))))) (else (i32.const 0)))
                Wasm.body(
                    locals: [(3, Wasm.i64)],
                    [
                        0x20, 0, 0x04, Wasm.i32, 0x20, 0, 0x20, 0, 0x41, 1, 0x6B, 0x10, 3, 0x6A, 0x05, 0x41, 0,
                        Wasm.end, Wasm.end,
                    ]),
            ])))

    @Test func anEagerModuleRejectsAnInvalidBodyAtLoad() {
        #expect(throws: ValidationError.self) { try Module(bytes: Self.mixed) }
    }

    @Test func aLazyModuleRunsItsValidFunctionsAndReportsTheInvalidOneWhenCalled() throws {
        let module = try Module(bytes: Self.mixed, compilation: .lazy)
        let store = Store()
        let instance = try store.instantiate(module)
        #expect(try instance.invoke("good", []) == [.i32(42)])
        #expect(try instance.invoke("sum", [.i32(100)]) == [.i32(5050)])
        // Every call of the invalid body reports it, directly or from another function.
        for name in ["bad", "callsBad", "bad"] {
            #expect(throws: ValidationError.self, "\(name)") { try instance.invoke(name, []) }
        }
        #expect(try instance.invoke("good", []) == [.i32(42)])
        #expect(throws: ValidationError.self) { try module.translateAll() }
        withExtendedLifetime(store) {}
    }

    @Test func aLazyFunctionFirstCalledDeepInTheStackStillChecksTheStackBound() throws {
        // The frame the call sets up is only as large as the parameters; the real frame
        // (3 more i64 locals and the operand stack) must be checked after translation.
        var configuration = EngineConfiguration()
        configuration.stackSlots = 64
        let module = try Module(bytes: Self.mixed, compilation: .lazy)
        let store = Store(configuration: configuration)
        let instance = try store.instantiate(module)
        let trap = #expect(throws: Trap.self) { try instance.invoke("sum", [.i32(1000)]) }
        #expect(trap?.reason == .callStackExhausted)
        #expect(try instance.invoke("sum", [.i32(3)]) == [.i32(6)])
        withExtendedLifetime(store) {}
    }

    @Test func instancesMadeAfterTranslationStartWithTheCode() throws {
        let module = try Module(bytes: Self.mixed, compilation: .lazy)
        let sum = module.importedFunctionCount + 3
        #expect(module.functionTemplates[3].code.map { $0.pointee } == UInt64(Op.lazyTranslate.rawValue))
        #expect(try Self.call(module, "sum", 10) == [.i32(55)])
        #expect(module.functionTemplates[3].code.map { $0.pointee } != UInt64(Op.lazyTranslate.rawValue))
        // The same frame as eager translation gives.
        let eager = try Module(bytes: Self.mixed.replacing([0x42, 1, Wasm.end], with: [0x41, 1, Wasm.end]))
        #expect(module.functionTemplates[3].localCount == eager.functionTemplates[3].localCount)
        #expect(module.functionTemplates[3].frameSize == eager.functionTemplates[3].frameSize)
        #expect(module.disassemble(function: sum) == eager.disassemble(function: sum))
        #expect(module.disassemble(function: sum)?.contains("call") == true)
        #expect(try Self.call(module, "sum", 10) == [.i32(55)])
    }

    /// Calls export `name` with one i32 in a new store and instance.
    static func call(_ module: Module, _ name: String, _ argument: Int) throws -> [Value] {
        let store = Store()
        return try withExtendedLifetime(store) {
            try store.instantiate(module).invoke(name, [.i32(UInt32(argument))])
        }
    }

    @Test func concurrentFirstCallsOfALazyModuleAgree() throws {
        let module = try Module(bytes: Self.mixed, compilation: .lazy)
        let results = Mutex<[[Value]]>([])
        let threads = 8
        let done = DispatchSemaphore(value: 0)
        for _ in 0..<threads {
            Thread {
                for n in 0..<50 {
                    let r = (try? Self.call(module, "sum", n)) ?? []
                    results.withLock { $0.append(r) }
                }
                done.signal()
            }.start()
        }
        for _ in 0..<threads { done.wait() }
        let all = results.withLock { $0 }
        #expect(all.count == threads * 50)
        #expect(all.allSatisfy { $0.count == 1 })
        let expected = Set((0..<50).map { n in [Value.i32(UInt32(n * (n + 1) / 2))] })
        #expect(Set(all) == expected)
    }
}

/// The spec scripts that call the most functions, run with every module compiled lazily.
@Test(
    "core spec script, lazily compiled",
    .enabled(if: CoreSpecScripts.isAvailable, "spec tests not found at \(CoreSpecScripts.coreFolder); skipped"),
    arguments: [
        "call.json", "call_indirect.json", "fac.json", "func.json", "stack.json", "left-to-right.json",
        "br_table.json", "imports.json", "linking.json", "start.json", "exports.json", "unreachable.json",
    ])
func lazilyCompiledSpecScript(_ file: String) {
    let runner = SpecTestRunner(options: .init(configuration: CoreSpecScripts.configuration, compilation: .lazy))
    let result = runner.run(file: (CoreSpecScripts.coreFolder as NSString).appendingPathComponent(file))
    #expect(result.passed > 0)
    #expect(result.failed == 0, "\(result.summaryLine)\n\(result.failureLines.prefix(20).joined(separator: "\n"))")
}
