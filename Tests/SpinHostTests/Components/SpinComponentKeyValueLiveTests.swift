import Foundation
import TestSupport
import Testing
import WasmComponents

@testable import SpinHost

/// `fermyon:spin/key-value` and `wasi:keyvalue` over a Redis-backed store (`type = "redis"`)
/// against a `redis-server` the test starts.
@Suite(.serialized, .tags(.live), .enabled(if: RedisTestServer.available, RedisTestServer.skipMessage))
struct SpinComponentKeyValueLiveTests {
    static let kv = SpinKeyValueInterface.interface
    static let store = WASIKeyValueInterface.store
    static let atomics = WASIKeyValueInterface.atomics
    static let batch = WASIKeyValueInterface.batch

    static func s(_ text: String) -> ComponentValue { .string(text) }
    static func b(_ text: String) -> ComponentValue { .bytes(Array(text.utf8)) }

    @Test func everyOperationOverRedis() throws {
        let server = try RedisTestServer()
        defer { server.stop() }
        let redis = try RedisKeyValueStore(url: server.url)
        let h = try SpinComponentInterfaceTests().host(store: redis)

        let s = try h.owned(try h.call(Self.kv, "[static]store.open", [Self.s("default")]))
        #expect(try h.call(Self.kv, "[method]store.get", [.borrow(s), Self.s("k")]) == .ok(.option(nil)))
        #expect(try h.call(Self.kv, "[method]store.set", [.borrow(s), Self.s("k"), .bytes([0, 1, 255])]) == .ok(nil))
        #expect(try h.call(Self.kv, "[method]store.get", [.borrow(s), Self.s("k")]) == .ok(.option(.bytes([0, 1, 255]))))
        #expect(try h.call(Self.kv, "[method]store.exists", [.borrow(s), Self.s("k")]) == .ok(.bool(true)))
        #expect(try h.call(Self.kv, "[method]store.get-keys", [.borrow(s)]) == .ok(.list([Self.s("k")])))
        #expect(try h.call(Self.kv, "[method]store.delete", [.borrow(s), Self.s("k")]) == .ok(nil))
        #expect(try h.call(Self.kv, "[method]store.exists", [.borrow(s), Self.s("k")]) == .ok(.bool(false)))

        // The data is really in Redis.
        let bucket = try h.owned(try h.call(Self.store, "open", [Self.s("default")]))
        #expect(try h.call(Self.batch, "set-many", [.borrow(bucket), .list([.tuple([Self.s("a"), Self.b("1")]), .tuple([Self.s("b"), Self.b("2")])])]) == .ok(nil))
        let client = try server.client()
        #expect(try client.call(["GET", "b"]) == .bulkString(Array("2".utf8)))
        #expect(
            try h.call(Self.batch, "get-many", [.borrow(bucket), .list([Self.s("a"), Self.s("zz")])])
                == .ok(.list([.tuple([Self.s("a"), .option(Self.b("1"))]), .tuple([Self.s("zz"), .option(nil)])])))
        #expect(
            try h.call(Self.store, "[method]bucket.list-keys", [.borrow(bucket), .option(nil)])
                == .ok(.record([.list([Self.s("a"), Self.s("b")]), .option(nil)])))
        #expect(try h.call(Self.batch, "delete-many", [.borrow(bucket), .list([Self.s("a"), Self.s("b")])]) == .ok(nil))
        #expect(try client.call(["EXISTS", "a"]) == .integer(0))

        // increment is Redis's INCRBY: decimal text, shared with other Redis clients.
        #expect(try h.call(Self.atomics, "increment", [.borrow(bucket), Self.s("n"), .s64(5)]) == .ok(.s64(5)))
        _ = try client.call(["INCRBY", "n", "10"])
        #expect(try h.call(Self.atomics, "increment", [.borrow(bucket), Self.s("n"), .s64(-1)]) == .ok(.s64(14)))
        #expect(try client.call(["GET", "n"]) == .bulkString(Array("14".utf8)))
        #expect(try h.call(Self.store, "[method]bucket.set", [.borrow(bucket), Self.s("t"), Self.b("x")]) == .ok(nil))
        guard case .err(.variant(case: 2, payload: .string))? = try h.call(Self.atomics, "increment", [.borrow(bucket), Self.s("t"), .s64(1)]) else {
            Issue.record("increment of text should be other"); return
        }

        // compare-and-swap: a write by another client between current and swap loses the race.
        _ = try client.call(["SET", "c", "v1"])
        let cas = try h.owned(try h.call(Self.atomics, "[static]cas.new", [.borrow(bucket), Self.s("c")]))
        #expect(try h.call(Self.atomics, "[method]cas.current", [.borrow(cas)]) == .ok(.option(Self.b("v1"))))
        _ = try client.call(["SET", "c", "v2"])
        guard case .err(.variant(case: 1, payload: .own(let retry)?))? = try h.call(Self.atomics, "swap", [.own(cas), Self.b("mine")]) else {
            Issue.record("expected cas-failed"); return
        }
        #expect(try client.call(["GET", "c"]) == .bulkString(Array("v2".utf8)))
        #expect(try h.call(Self.atomics, "[method]cas.current", [.borrow(retry)]) == .ok(.option(Self.b("v2"))))
        #expect(try h.call(Self.atomics, "swap", [.own(retry), Self.b("mine")]) == .ok(nil))
        #expect(try client.call(["GET", "c"]) == .bulkString(Array("mine".utf8)))
        // Expected absent, and still absent: created.
        let create = try h.owned(try h.call(Self.atomics, "[static]cas.new", [.borrow(bucket), Self.s("new")]))
        #expect(try h.call(Self.atomics, "[method]cas.current", [.borrow(create)]) == .ok(.option(nil)))
        #expect(try h.call(Self.atomics, "swap", [.own(create), Self.b("made")]) == .ok(nil))
        #expect(try client.call(["GET", "new"]) == .bulkString(Array("made".utf8)))

        // A server that went away: `other` with the client's message, never a trap.
        server.stop()
        guard case .err(.variant(case: 3, payload: .string(let m)?))? = try h.call(Self.kv, "[method]store.get", [.borrow(s), Self.s("k")]) else {
            Issue.record("expected other"); return
        }
        #expect(!m.isEmpty)
    }
}
