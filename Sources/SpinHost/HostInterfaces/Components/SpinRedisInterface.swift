import RedisClient
import WasmComponents
import WasmCore
import WasmWASIP2

/// `fermyon:spin/redis@2.0.0` (WIT: spin_sdk/wit/redis.wit): outbound Redis for components, as
/// Spin's `factor-outbound-redis` serves it.
///
/// `[static]connection.open(address)` checks the address against the component's
/// `allowed_outbound_hosts` (`redis://host:port`) and opens a connection of its own (no sharing
/// between handles); the methods run one command on it. Errors are the interface's `error`:
/// an address that is not allowed or not a `redis://` URL is `invalid-address`, the 1025th live
/// connection `too-many-connections`, a reply of the wrong type from `sadd` `type-error`, and
/// everything else (connection failures, error replies, other unexpected replies) `other(message)`,
/// as Spin maps its client's errors. Without app services (`ComponentHostState.guest` nil) every
/// `open` is `other`.
///
/// Spin 3's `spin:redis/redis@3.0.0` (spin-sdk 5.0.0's WIT) declares only `async` functions; it
/// is not provided here.
enum SpinRedisInterface {
    static let interface = "fermyon:spin/redis@2.0.0"

    /// The interface's `error` variant.
    enum Failure: Error, Equatable {
        case invalidAddress
        case tooManyConnections
        case typeError
        case other(String)

        var value: ComponentValue {
            switch self {
            case .invalidAddress: .variant(case: 0, payload: nil)
            case .tooManyConnections: .variant(case: 1, payload: nil)
            case .typeError: .variant(case: 2, payload: nil)
            case .other(let m): .variant(case: 3, payload: .string(m))
            }
        }
    }

    typealias Connection = ComponentConnection<RedisConnection>

    /// Per-instance: the live connections.
    final class Slots {
        let slots = ComponentConnectionSlots()
    }

    static func define(_ d: inout WASIP2Definitions) {
        let i = interface
        d.resource(i, "connection")
        d.function(i, "[static]connection.open") { c, a in try result { try open(c, try a.string(0)) } }
        d.function(i, "[method]connection.publish") { c, a in
            let (conn, channel, payload) = (try connection(c, a), try a.string(1), try a.bytes(2))
            return try result {
                _ = try run(conn, [Array("PUBLISH".utf8), Array(channel.utf8), payload])
                return nil
            }
        }
        d.function(i, "[method]connection.get") { c, a in
            let (conn, key) = (try connection(c, a), try a.string(1))
            return try result {
                switch try run(conn, [Array("GET".utf8), Array(key.utf8)]) {
                case .bulkString(let b): return .option(b.map { .bytes($0) })
                case let other: throw incompatible(other, "an optional byte string")
                }
            }
        }
        d.function(i, "[method]connection.set") { c, a in
            let (conn, key, value) = (try connection(c, a), try a.string(1), try a.bytes(2))
            return try result {
                _ = try run(conn, [Array("SET".utf8), Array(key.utf8), value])
                return nil
            }
        }
        d.function(i, "[method]connection.incr") { c, a in
            let (conn, key) = (try connection(c, a), try a.string(1))
            return try result {
                // Spin sends INCRBY key 1 (redis-rs `incr`).
                switch try run(conn, [Array("INCRBY".utf8), Array(key.utf8), Array("1".utf8)]) {
                case .integer(let v): return .s64(v)
                case let other: throw incompatible(other, "an integer")
                }
            }
        }
        d.function(i, "[method]connection.del") { c, a in
            let (conn, keys) = (try connection(c, a), try strings(a, 1))
            return try result { try count(try run(conn, [Array("DEL".utf8)] + keys.map { Array($0.utf8) }), typeError: false) }
        }
        d.function(i, "[method]connection.sadd") { c, a in
            let (conn, key, values) = (try connection(c, a), try a.string(1), try strings(a, 2))
            return try result {
                // Spin maps only this call's type errors to `type-error`.
                try count(
                    try run(conn, [Array("SADD".utf8), Array(key.utf8)] + values.map { Array($0.utf8) }), typeError: true)
            }
        }
        d.function(i, "[method]connection.smembers") { c, a in
            let (conn, key) = (try connection(c, a), try a.string(1))
            return try result {
                let reply = try run(conn, [Array("SMEMBERS".utf8), Array(key.utf8)])
                guard case .array(let items) = reply else { throw incompatible(reply, "an array") }
                var members: [ComponentValue] = []
                for item in items ?? [] {
                    guard case .bulkString(let b?) = item, let s = String(validating: b, as: UTF8.self) else {
                        throw incompatible(item, "a UTF-8 string")
                    }
                    members.append(.string(s))
                }
                return .list(members)
            }
        }
        d.function(i, "[method]connection.srem") { c, a in
            let (conn, key, values) = (try connection(c, a), try a.string(1), try strings(a, 2))
            return try result {
                try count(try run(conn, [Array("SREM".utf8), Array(key.utf8)] + values.map { Array($0.utf8) }), typeError: false)
            }
        }
        d.function(i, "[method]connection.execute") { c, a in
            let (conn, command) = (try connection(c, a), try a.string(1))
            var arguments: [[UInt8]] = [Array(command.utf8)]
            for (n, p) in try a.list(2).enumerated() {
                switch p {
                case .variant(case: 0, payload: .s64(let v)?): arguments.append(Array(String(v).utf8))
                case .variant(case: 1, payload: let b?): arguments.append(try [b].bytes(0))
                default: throw a.mismatch(2, "list<redis-parameter> (element \(n) is \(p))")
                }
            }
            return try result {
                let reply = try run(conn, arguments)
                guard let results = OutboundRedis.flatten(reply) else {
                    throw Failure.other("the reply contains an error: \(reply)")
                }
                return .list(
                    results.map { r -> ComponentValue in
                        switch r {
                        case .nil: .variant(case: 0, payload: nil)
                        case .status(let s): .variant(case: 1, payload: .string(s))
                        case .int64(let v): .variant(case: 2, payload: .s64(v))
                        case .binary(let b): .variant(case: 3, payload: .bytes(b))
                        }
                    })
            }
        }
    }

    /// `result<T, error>` of `body`: its value, or the `error` it threw.
    static func result(_ body: () throws -> ComponentValue?) throws -> ComponentValue {
        do {
            return .ok(try body())
        } catch let failure as Failure {
            return .err(failure.value)
        }
    }

    /// `open`: the allow-list, the address, the slot, then the connection.
    static func open(_ context: WASIP2Context, _ address: String) throws(Failure) -> ComponentValue {
        guard let host = ComponentHostState.of(context), let guest = host.guest else {
            throw .other("outbound Redis is not available: this host runs the component without app services")
        }
        guard let url = ParsedURL(address), guest.allowedHosts.allows(url) else { throw .invalidAddress }
        let parsed: RedisAddress
        do {
            parsed = try RedisAddress(parsing: address)
        } catch {
            throw .invalidAddress
        }
        let slots = host.state(Slots.self) { Slots() }.slots
        guard slots.take() else { throw .tooManyConnections }
        let connection: RedisConnection
        do {
            connection = try RedisConnection(address: parsed, timeout: 5, deadline: guest.deadline)
        } catch {
            slots.release()
            throw .other(error.message)
        }
        return context.own(Connection(connection, slots: slots))
    }

    /// The connection a method's `self` (argument 0) borrows.
    static func connection(_ context: WASIP2Context, _ a: [ComponentValue]) throws -> RedisConnection {
        try context.table.get(try a.resource(0), as: Connection.self).connection
    }

    static func strings(_ a: [ComponentValue], _ i: Int) throws -> [String] {
        try a.list(i).map { v in
            guard case .string(let s) = v else { throw a.mismatch(i, "list<string>") }
            return s
        }
    }

    /// Runs one command; an error reply or a failure is `other`.
    static func run(_ connection: RedisConnection, _ arguments: [[UInt8]]) throws(Failure) -> RESPValue {
        let reply: RESPValue
        do {
            reply = try connection.command(arguments)
        } catch {
            throw .other(error.message)
        }
        if case .error(let e) = reply { throw .other(e) }
        return reply
    }

    /// A `u32` count reply; another reply is `type-error` when `typeError`, else `other`.
    static func count(_ reply: RESPValue, typeError: Bool) throws(Failure) -> ComponentValue {
        guard case .integer(let v) = reply, let n = UInt32(exactly: v) else {
            throw typeError ? .typeError : incompatible(reply, "a u32 integer")
        }
        return .u32(n)
    }

    static func incompatible(_ reply: RESPValue, _ expected: String) -> Failure {
        .other(incompatibleMessage(reply, expected))
    }

    static func incompatibleMessage(_ reply: RESPValue, _ expected: String) -> String {
        "Response was of incompatible type: expected \(expected), got \(reply)"
    }
}
