import Foundation
import RedisClient
import TestSupport
import Testing
import WasmComponents
import WasmWASIP2

@testable import SpinHost

/// `fermyon:spin/redis@2.0.0` against a real redis-server, called as the linker calls it, every
/// argument and result type-checked against the Spin SDK's WIT (`OutboundDb.call`).
@Suite(.tags(.live), .enabled(if: RedisTestServer.available, RedisTestServer.skipMessage))
struct SpinRedisInterfaceLiveTests {
    static let i = SpinRedisInterface.interface
    let server: RedisTestServer
    let context: WASIP2Context
    /// A client of our own to check what the interface did.
    let check: RedisConnection

    init() throws {
        server = try RedisTestServer()
        context = try OutboundDb.context(allowing: ["redis://127.0.0.1:\(server.port)"])
        check = try RedisConnection(address: server.address)
    }

    func call(_ name: String, _ args: [ComponentValue], sourceLocation: SourceLocation = #_sourceLocation) throws
        -> ComponentValue
    {
        try OutboundDb.call(context, Self.i, "[method]connection.\(name)", args, sourceLocation: sourceLocation)
    }

    func open() throws -> UInt32 {
        try OutboundDb.opened(try OutboundDb.call(context, Self.i, "[static]connection.open", [.string(server.url)]))
    }

    static func bytes(_ s: String) -> ComponentValue { .bytes(Array(s.utf8)) }
    static func strings(_ s: [String]) -> ComponentValue { .list(s.map { .string($0) }) }
    static func other(_ r: ComponentValue) -> String? {
        if case .err(.variant(case: 3, payload: .string(let m)?)?) = r { return m }
        return nil
    }

    @Test func everyFunctionAgainstTheServer() throws {
        let c = try open()
        let me = ComponentValue.borrow(c)
        #expect(try call("set", [me, .string("k"), .bytes([0, 1, 0xFF])]) == .ok(nil))
        #expect(try check.command([Array("GET".utf8), Array("k".utf8)]) == .bulkString([0, 1, 0xFF]))
        #expect(try call("get", [me, .string("k")]) == .ok(.option(.bytes([0, 1, 0xFF]))))
        #expect(try call("get", [me, .string("missing")]) == .ok(.option(nil)))
        #expect(try call("set", [me, .string("empty"), .bytes([])]) == .ok(nil))
        #expect(try call("get", [me, .string("empty")]) == .ok(.option(.bytes([]))))

        #expect(try call("incr", [me, .string("n")]) == .ok(.s64(1)))
        #expect(try call("incr", [me, .string("n")]) == .ok(.s64(2)))
        _ = try check.command(["SET", "big", "9223372036854775806"])
        #expect(try call("incr", [me, .string("big")]) == .ok(.s64(.max)))
        // Past s64 and on a non-number: the server's error reply, as other.
        #expect(Self.other(try call("incr", [me, .string("big")]))?.contains("overflow") == true)
        #expect(Self.other(try call("incr", [me, .string("k")]))?.contains("not an integer") == true)

        #expect(try call("sadd", [me, .string("s"), Self.strings(["a", "b", "ç"])]) == .ok(.u32(3)))
        #expect(try call("sadd", [me, .string("s"), Self.strings(["a", "d"])]) == .ok(.u32(1)))
        guard case .ok(.list(let members)?) = try call("smembers", [me, .string("s")]) else {
            Issue.record("smembers")
            return
        }
        #expect(Set(members) == Set(["a", "b", "ç", "d"].map { ComponentValue.string($0) }))
        #expect(try call("smembers", [me, .string("none")]) == .ok(.list([])))
        #expect(try call("srem", [me, .string("s"), Self.strings(["a", "zz"])]) == .ok(.u32(1)))
        // A set member that is not UTF-8 cannot be a WIT string: other.
        _ = try check.command([Array("SADD".utf8), Array("raw".utf8), [0xFF, 0xFE]])
        #expect(Self.other(try call("smembers", [me, .string("raw")])) != nil)
        // sadd on a string: the server's WRONGTYPE reply (Spin: other).
        #expect(Self.other(try call("sadd", [me, .string("k"), Self.strings(["x"])]))?.contains("WRONGTYPE") == true)

        #expect(try call("del", [me, Self.strings(["k", "n", "nothing"])]) == .ok(.u32(2)))
        #expect(try check.command(["EXISTS", "k"]) == .integer(0))
        #expect(try call("del", [me, Self.strings([])]).isErr)

        // publish: a subscriber of our own gets the message.
        let subscriber = try RedisConnection(address: server.address)
        defer { subscriber.close() }
        _ = try subscriber.command(["SUBSCRIBE", "chan"])
        #expect(try call("publish", [me, .string("chan"), Self.bytes("hello")]) == .ok(nil))
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)  // RedisConnection's clock
        let message = try subscriber.readReply(deadline: Double(ts.tv_sec) + 5)
        let expected: RESPValue = .array([
            .bulkString(Array("message".utf8)), .bulkString(Array("chan".utf8)), .bulkString(Array("hello".utf8)),
        ])
        #expect(message == expected)
    }

    @Test func executeFlattensRepliesAsSpinDoes() throws {
        let me = ComponentValue.borrow(try open())
        func execute(_ command: String, _ args: [ComponentValue]) throws -> ComponentValue {
            try call("execute", [me, .string(command), .list(args)])
        }
        let int: (Int64) -> ComponentValue = { .variant(case: 0, payload: .s64($0)) }
        let bin: (String) -> ComponentValue = { .variant(case: 1, payload: Self.bytes($0)) }
        // +OK is dropped; a status other than OK is status; integers int64; bulk strings binary.
        #expect(try execute("SET", [bin("x"), int(-42)]) == .ok(.list([])))
        #expect(try execute("GET", [bin("x")]) == .ok(.list([.variant(case: 3, payload: Self.bytes("-42"))])))
        #expect(try execute("PING", []) == .ok(.list([.variant(case: 1, payload: .string("PONG"))])))
        #expect(try execute("INCRBY", [bin("x"), int(2)]) == .ok(.list([.variant(case: 2, payload: .s64(-40))])))
        #expect(try execute("RPUSH", [bin("l"), bin("a"), bin("b")]) == .ok(.list([.variant(case: 2, payload: .s64(2))])))
        // Arrays are flattened; nil is dropped.
        #expect(
            try execute("MGET", [bin("l"), bin("x"), bin("none")])
                == .ok(.list([.variant(case: 3, payload: Self.bytes("-40"))])))
        #expect(
            try execute("LRANGE", [bin("l"), int(0), int(-1)])
                == .ok(.list([.variant(case: 3, payload: Self.bytes("a")), .variant(case: 3, payload: Self.bytes("b"))])))
        #expect(try execute("GET", [bin("none")]) == .ok(.list([])))
        // An error reply (unknown command, wrong arity): other.
        #expect(Self.other(try execute("NOSUCHCOMMAND", []))?.contains("unknown command") == true)
        #expect(Self.other(try execute("GET", [])) != nil)
    }

    @Test func connectionsAreTheirOwnAndGoWithTheirHandles() throws {
        let a = try open()
        let b = try open()
        #expect(a != b)
        let objectA = try context.table.get(a, as: SpinRedisInterface.Connection.self)
        // SELECT on one connection does not move the other.
        #expect(try call("execute", [.borrow(a), .string("SELECT"), .list([.variant(case: 0, payload: .s64(1))])]) == .ok(.list([])))
        #expect(try call("set", [.borrow(a), .string("where"), Self.bytes("db1")]) == .ok(nil))
        #expect(try call("get", [.borrow(b), .string("where")]) == .ok(.option(nil)))
        let host = try #require(ComponentHostState.of(context))
        let slots = host.state(SpinRedisInterface.Slots.self) { .init() }.slots
        #expect(slots.live == 2)
        try context.dropResource(a)
        #expect(!objectA.connection.isConnected)
        #expect(slots.live == 1)
        // The instance ending closes the rest.
        let objectB = try context.table.get(b, as: SpinRedisInterface.Connection.self)
        context.close()
        #expect(!objectB.connection.isConnected)
        #expect(slots.live == 0)
    }

    @Test func aServerThatGoesAwayIsOther() throws {
        let me = ComponentValue.borrow(try open())
        server.stop()
        let r = try call("get", [me, .string("k")])
        #expect(Self.other(r) != nil, "\(r)")
    }

    @Test func aServerWithAPasswordNeedsItInTheAddress() throws {
        let locked = try RedisTestServer(extraArguments: ["--requirepass", "pw"])
        let context = try OutboundDb.context(allowing: ["redis://127.0.0.1:\(locked.port)"])
        let open = { (address: String) throws -> ComponentValue in
            try OutboundDb.call(context, Self.i, "[static]connection.open", [.string(address)])
        }
        let withPassword = try OutboundDb.opened(try open("redis://:pw@127.0.0.1:\(locked.port)"))
        #expect(
            try OutboundDb.call(context, Self.i, "[method]connection.set", [.borrow(withPassword), .string("a"), Self.bytes("b")])
                == .ok(nil))
        // Without it the connection opens (AUTH is not sent) and commands answer NOAUTH: other.
        if case .ok(.own(let rep)?) = try open("redis://127.0.0.1:\(locked.port)") {
            let r = try OutboundDb.call(context, Self.i, "[method]connection.get", [.borrow(rep), .string("a")])
            #expect(Self.other(r)?.contains("NOAUTH") == true, "\(r)")
        }
    }
}

extension ComponentValue {
    var isErr: Bool {
        if case .err = self { return true }
        return false
    }
}
