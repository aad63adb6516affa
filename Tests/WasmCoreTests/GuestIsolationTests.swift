import Foundation
import Testing

@testable import WasmCore

/// One guest must never see what another left behind: instances (one per request in the
/// Spin host) reuse pooled memory reservations and execution stacks, which must read as
/// zeros again. Fixture: Fixtures/isolation/secrets.wat.
@Suite(.serialized) struct GuestIsolationTests {
    static let module: Module = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let bytes = try! Data(contentsOf: root.appendingPathComponent("Fixtures/isolation/secrets.wasm"))
        return try! Module(bytes: Array(bytes))
    }()

    static let secret: UInt64 = 0x5EC2_E7C0_FFEE_D00D

    func load(_ instance: Instance, _ address: Int) throws -> UInt64 {
        guard case .i64(let v)? = try instance.invoke("load", [.i32(UInt32(address))]).first else {
            Issue.record("load returned no i64")
            return .max
        }
        return v
    }

    /// Request 1 writes secrets (in its first page and in pages it grew), request 2 (a new
    /// store and instance, as the host makes per request) reads the same addresses.
    /// 3 pages takes the clear-in-place path of the pool, 40 pages the release-to-kernel one.
    @Test(arguments: [3, 40])
    func nextRequestSeesZerosWhereThePreviousLeftSecrets(pages: Int) throws {
        let addresses = [0, 8, 65_528, 65_536, pages * 65_536 - 8]
        for round in 0..<20 {
            do {
                let store = Store()
                let first = try store.instantiate(Self.module)
                #expect(try first.invoke("grow", [.i32(UInt32(pages - 1))]) == [.i32(1)])
                for a in addresses { _ = try first.invoke("store", [.i32(UInt32(a)), .i64(Self.secret)]) }
                #expect(try load(first, addresses.last!) == Self.secret)
            }
            let store = Store()
            let second = try store.instantiate(Self.module)
            #expect(second.memories[0].byteCount == 65_536, "a new instance starts at its declared size")
            #expect(try second.invoke("grow", [.i32(UInt32(pages - 1))]) == [.i32(1)])
            for a in addresses {
                #expect(try load(second, a) == 0, "round \(round): address \(a) kept the previous guest's data")
            }
        }
    }

    @Test func concurrentInstancesDoNotShareMemory() throws {
        let store = Store()
        let a = try store.instantiate(Self.module)
        let otherStore = Store()
        let b = try otherStore.instantiate(Self.module)
        _ = try a.invoke("store", [.i32(1024), .i64(Self.secret)])
        #expect(try load(b, 1024) == 0)
        let c = try store.instantiate(Self.module)  // same store, another instance
        #expect(try load(c, 1024) == 0)
        #expect(try load(a, 1024) == Self.secret)
    }

    /// Locals are zero by the spec; the value stack they live on is pooled and not cleared,
    /// so the interpreter must zero them on entry.
    @Test func localsDoNotCarryValuesFromAnotherRequest() throws {
        for _ in 0..<5 {
            do {
                let store = Store()
                let first = try store.instantiate(Self.module)
                _ = try first.invoke("dirty_locals", [.i64(Self.secret), .i32(200)])
            }
            let secondStore = Store()
            let second = try secondStore.instantiate(Self.module)
            #expect(try second.invoke("fresh_locals", [.i32(200)]) == [.i64(0)])
        }
        let store = Store()
        let same = try store.instantiate(Self.module)
        _ = try same.invoke("dirty_locals", [.i64(Self.secret), .i32(50)])
        #expect(try same.invoke("fresh_locals", [.i32(50)]) == [.i64(0)])
    }
}
