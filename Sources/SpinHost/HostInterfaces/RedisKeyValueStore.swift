import Foundation
import RedisClient

/// A key-value store kept in Redis (`[key_value_store.NAME] type = "redis"`),
/// over the team's `RedisConnection` (it reconnects on its own). Keys are
/// used as Redis keys verbatim, as Spin's Redis store does.
package final class RedisKeyValueStore: KeyValueStore, @unchecked Sendable {
    package let url: String
    private let connection: RedisConnection

    /// Parses `url`; connects on first use (see `ping` to check at startup).
    package init(url: String, timeout: Double = 10) throws(KeyValueError) {
        self.url = url
        do {
            connection = RedisConnection(unconnected: try RedisAddress(parsing: url), timeout: timeout)
        } catch {
            throw .io("invalid Redis URL `\(url)`: \(error)")
        }
    }

    private func run(_ args: [[UInt8]]) throws(KeyValueError) -> RESPValue {
        do {
            return try connection.call(args)
        } catch {
            throw .io("\(error)")
        }
    }

    /// Checks that the server answers (used at startup).
    package func ping() throws(KeyValueError) {
        _ = try run([Array("PING".utf8)])
    }

    package func get(_ key: String) throws(KeyValueError) -> [UInt8] {
        switch try run([Array("GET".utf8), Array(key.utf8)]) {
        case .bulkString(let v?): return v
        case .bulkString(nil): throw .noSuchKey
        default: throw .io("unexpected Redis reply to GET")
        }
    }

    package func set(_ key: String, _ value: [UInt8]) throws(KeyValueError) {
        _ = try run([Array("SET".utf8), Array(key.utf8), value])
    }

    package func delete(_ key: String) throws(KeyValueError) {
        _ = try run([Array("DEL".utf8), Array(key.utf8)])
    }

    package func exists(_ key: String) throws(KeyValueError) -> Bool {
        guard case .integer(let n) = try run([Array("EXISTS".utf8), Array(key.utf8)]) else {
            throw .io("unexpected Redis reply to EXISTS")
        }
        return n > 0
    }

    package func keys() throws(KeyValueError) -> [String] {
        guard case .array(let items?) = try run([Array("KEYS".utf8), Array("*".utf8)]) else {
            throw .io("unexpected Redis reply to KEYS")
        }
        return items.compactMap { if case .bulkString(let b?) = $0 { String(decoding: b, as: UTF8.self) } else { nil } }
            .sorted()
    }

    package func increment(_ key: String, by delta: Int64) throws(KeyValueError) -> Int64 {
        switch try run([Array("INCRBY".utf8), Array(key.utf8), Array(String(delta).utf8)]) {
        case .integer(let n): return n
        default: throw .io("unexpected Redis reply to INCRBY")
        }
    }

    /// One server-side step: compare the value, then set it (`EVAL`, atomic in Redis).
    static let compareAndSwapScript = """
        local v = redis.call('GET', KEYS[1])
        if ARGV[1] == '0' then
          if v then return 0 end
        elseif v ~= ARGV[2] then
          return 0
        end
        redis.call('SET', KEYS[1], ARGV[3])
        return 1
        """

    package func compareAndSwap(_ key: String, expected: [UInt8]?, value: [UInt8]) throws(KeyValueError) -> Bool {
        let args: [[UInt8]] = [
            Array("EVAL".utf8), Array(Self.compareAndSwapScript.utf8), Array("1".utf8), Array(key.utf8),
            Array((expected == nil ? "0" : "1").utf8), expected ?? [], value,
        ]
        switch try run(args) {
        case .integer(let n): return n == 1
        default: throw .io("unexpected Redis reply to EVAL")
        }
    }

    /// Atomic increment (used by tests of concurrent writers).
    func incr(_ key: String) throws(KeyValueError) -> Int64 {
        guard case .integer(let n) = try run([Array("INCR".utf8), Array(key.utf8)]) else {
            throw .io("unexpected Redis reply to INCR")
        }
        return n
    }
}
