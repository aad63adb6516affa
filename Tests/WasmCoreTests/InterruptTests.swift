import Foundation
import Testing

@testable import WasmCore

/// `InterruptHandle`: guests that never finish on their own are stopped from another thread.
@Suite struct InterruptTests {
    /// One exported function `run` of type `(i32) -> ()` per body.
    static func module(_ bodies: [[UInt8]]) -> [UInt8] {
        Wasm.module(
            Wasm.section(1, Wasm.vec([Wasm.funcType([Wasm.i32], [])])),
            Wasm.section(3, Wasm.vec(bodies.map { _ in [0] })),
            Wasm.section(7, Wasm.vec([Wasm.name("run") + [0, 0]])),
            Wasm.section(10, Wasm.vec(bodies.map { Wasm.body($0) })))
    }

    /// Guests that never return, each reaching its loop head a different way.
    static let runaways: [(String, [UInt8])] = [
        // (loop (br 0))
        ("br", module([[0x03, 0x40, 0x0C, 0, Wasm.end, Wasm.end]])),
        // (loop (br_if 0 (local.get 0)))  — called with 1
        ("br_if", module([[0x03, 0x40, 0x20, 0, 0x0D, 0, Wasm.end, Wasm.end]])),
        // (loop (br_if 0 (i32.ge_s (local.get 0) (i32.const 0))))  — a fused compare-and-branch
        ("compare and branch", module([[0x03, 0x40, 0x20, 0, 0x41, 0, 0x4E, 0x0D, 0, Wasm.end, Wasm.end]])),
        // (loop (br_if 0 (i32.ne (local.tee 0 (i32.add (local.get 0) (i32.const 1))) (i32.const 0))))
        // — a loop-step superinstruction; called with 1, it wraps to 0 only after 2^32 steps.
        (
            "loop step",
            module([[0x03, 0x40, 0x20, 0, 0x41, 1, 0x6A, 0x22, 0, 0x41, 0, 0x47, 0x0D, 0, Wasm.end, Wasm.end]])
        ),
        // (loop (br_table 0 0 (local.get 0)))
        ("br_table", module([[0x03, 0x40, 0x20, 0, 0x0E, 1, 0, 0, Wasm.end, Wasm.end]])),
        // (if (local.get 0) (then (call 0 (i32.sub (local.get 0) (i32.const 1))) (call 0 (i32.sub ...))))
        // called with 60: 2^60 calls, no loop at all and never deeper than 60 frames.
        (
            "recursion",
            module([
                [
                    0x20, 0, 0x04, 0x40,
                    0x20, 0, 0x41, 1, 0x6B, 0x10, 0,
                    0x20, 0, 0x41, 1, 0x6B, 0x10, 0,
                    Wasm.end, Wasm.end,
                ]
            ])
        ),
    ]

    /// From a thread of its own: test cases block the cooperative pool (and on Linux
    /// Dispatch's global queues, which share its few threads) while their guest spins.
    static func interrupt(_ handle: InterruptHandle, afterMicroseconds delay: UInt32) {
        Thread {
            usleep(delay)
            handle.interrupt()
        }.start()
    }

    @Test(arguments: runaways.map(\.0))
    func aRunawayGuestIsStoppedFromAnotherThread(_ name: String) throws {
        let bytes = try #require(Self.runaways.first { $0.0 == name }?.1)
        let module = try Module(bytes: bytes)
        let store = Store()
        let instance = try store.instantiate(module)
        let handle = store.interruptHandle
        Self.interrupt(handle, afterMicroseconds: 50_000)
        let start = Date()
        #expect {
            _ = try instance.invoke("run", [.i32(name == "recursion" ? 60 : 1)])
        } throws: { error in
            (error as? Trap)?.reason == .interrupted && (error as? Trap)?.message == "execution interrupted"
        }
        #expect(Date().timeIntervalSince(start) < 5)
        // The flag stays set until reset: the store refuses to run code.
        #expect(throws: Trap(.interrupted)) { _ = try instance.invoke("run", [.i32(0)]) }
        handle.reset()
        // With 0 the loops fall through (br_if/compare) or recurse no further; `br` and
        // `br_table` loop forever whatever the argument, so stop them again.
        if name == "br" || name == "br_table" {
            Self.interrupt(handle, afterMicroseconds: 50_000)
            #expect {
                _ = try instance.invoke("run", [.i32(0)])
            } throws: { error in
                (error as? Trap)?.reason == .interrupted
            }
        } else {
            let argument: Value = name == "compare and branch" || name == "loop step" ? .int32(-1) : .i32(0)
            #expect(try instance.invoke("run", [argument]) == [])
        }
    }

    @Test func withoutInterruptChecksAnInterruptStopsTheNextCall() throws {
        var configuration = EngineConfiguration()
        configuration.interruptible = false
        let store = Store(configuration: configuration)
        let instance = try store.instantiate(try Module(bytes: Self.runaways[1].1))
        #expect(try instance.invoke("run", [.i32(0)]) == [])
        store.interruptHandle.interrupt()
        #expect(store.interruptHandle.isInterrupted)
        #expect(throws: Trap(.interrupted)) { _ = try instance.invoke("run", [.i32(0)]) }
        store.interruptHandle.reset()
        #expect(try instance.invoke("run", [.i32(0)]) == [])
    }

    @Test func aHandleOutlivesItsStore() throws {
        var handle: InterruptHandle?
        do {
            let store = Store()
            handle = store.interruptHandle
        }
        handle?.interrupt()
        #expect(handle?.isInterrupted == true)
    }
}
