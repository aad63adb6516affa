import Foundation
import RedisClient
import WasmCore

/// Redis connections of one guest instance, by address exactly as the guest
/// wrote it (Spin caches per address per instance). Close them with
/// `closeAll()` (or let the cache go) when the instance is done.
package final class RedisConnectionCache: @unchecked Sendable {
    private let cache = ConnectionCache<RedisConnection>()
    /// Connect and reply timeout for new connections (seconds).
    package let timeout: Double
    /// Receives one line per failed operation (Spin logs them too).
    package let log: @Sendable (String) -> Void
    /// The instance's deadline (`Watchdog.now()` clock): no connection waits past it.
    package var deadline: UInt64?

    package init(timeout: Double = 5, log: @escaping @Sendable (String) -> Void = { RedisLog.standardError($0) }) {
        self.timeout = timeout
        self.log = log
    }

    /// The cached connection for `address`, opening it on first use.
    package func connection(for address: String) throws(RedisError) -> RedisConnection {
        try cache.connection(for: address) { () throws(RedisError) -> RedisConnection in
            let c = try RedisConnection(address: RedisAddress(parsing: address), timeout: timeout, deadline: deadline)
            c.log = log
            return c
        }
    }

    package var count: Int { cache.count }

    package func closeAll() { cache.closeAll() }
}

extension RedisConnection: ClosableConnection {}

/// The `outbound-redis` guest imports of Spin 1.x (docs/spin-1x.md#outbound-redis): every
/// function takes a trailing `retptr` and writes an `expected<T, error>` there;
/// lists in results are allocated with the guest's `canonical_abi_realloc`.
/// Any Redis failure (connection, error reply, unexpected reply) becomes
/// `err(error::error)`; a guest ABI violation (invalid UTF-8 in a string,
/// out-of-bounds pointer) traps.
public enum OutboundRedis {
    package static let moduleName = "outbound-redis"

    /// `error` enum of redis-types.wit.
    static let errorCode: UInt8 = 1

    /// Defines publish, get, set, incr, del, sadd, smembers, srem and execute, all
    /// using `connections` (one instance's cache: define them per instance).
    package static func define(into imports: inout Imports, connections: RedisConnectionCache) {
        define(into: &imports) { _ in connections }
    }

    /// Defines the functions once for many instances: `connections` finds the
    /// calling instance's cache (e.g. from `caller.store.data`); throwing traps.
    package static func define(
        into imports: inout Imports, connections: @escaping @Sendable (Caller) throws -> RedisConnectionCache
    ) {
        func define(
            _ name: String, params: Int,
            _ body: @escaping @Sendable (CanonicalABI, [UInt32], RedisConnectionCache) throws -> Void
        ) {
            let type = FunctionType(parameters: Array(repeating: .i32, count: params), results: [])
            imports.define(
                module: moduleName, name: name,
                .function(
                    Function(type: type) { caller, args in
                        let abi = try CanonicalABI(caller: caller)
                        let values = args.map { v -> UInt32 in if case .i32(let x) = v { x } else { 0 } }
                        try body(abi, values, try connections(caller))
                        return []
                    }))
        }

        // publish(address, channel, payload) -> expected<unit, error>: tag @0, error @1.
        define("publish", params: 7) { abi, a, cache in
            let address = try abi.readString(a[0], a[1])
            let channel = try abi.read(a[2], a[3])
            let payload = try abi.read(a[4], a[5])
            let ret = a[6]
            switch run(cache, address, "publish", [Array("PUBLISH".utf8), channel, payload]) {
            case .success: try abi.storeU8(0, at: ret)
            case .failure: try unitError(abi, ret)
            }
        }
        // set(address, key, value) -> expected<unit, error>
        define("set", params: 7) { abi, a, cache in
            let address = try abi.readString(a[0], a[1])
            let key = try abi.readString(a[2], a[3])
            let value = try abi.read(a[4], a[5])
            let ret = a[6]
            switch run(cache, address, "set", [Array("SET".utf8), Array(key.utf8), value]) {
            case .success: try abi.storeU8(0, at: ret)
            case .failure: try unitError(abi, ret)
            }
        }
        // get(address, key) -> expected<payload, error>: ok list @4/@8, error @4.
        // A missing key is ok(empty), as redis-rs converts nil to an empty Vec<u8>.
        define("get", params: 5) { abi, a, cache in
            let address = try abi.readString(a[0], a[1])
            let key = try abi.readString(a[2], a[3])
            let ret = a[4]
            guard let bytes = get(cache, address, key) else { return try listError(abi, ret) }
            let (p, n) = try abi.write(bytes, align: 1)
            try abi.storeU8(0, at: ret)
            try abi.storeU32(p, at: ret + 4)
            try abi.storeU32(n, at: ret + 8)
        }
        // incr(address, key) -> expected<s64, error>: ok @8, error @8.
        define("incr", params: 5) { abi, a, cache in
            let address = try abi.readString(a[0], a[1])
            let key = try abi.readString(a[2], a[3])
            try integerResult(abi, a[4], integer(cache, address, "incr", [Array("INCR".utf8), Array(key.utf8)]))
        }
        // del(address, keys: list<string>) -> expected<s64, error>
        define("del", params: 5) { abi, a, cache in
            let address = try abi.readString(a[0], a[1])
            let keys = try abi.readStrings(a[2], a[3])
            try integerResult(
                abi, a[4], integer(cache, address, "del", [Array("DEL".utf8)] + keys.map { Array($0.utf8) }))
        }
        // sadd(address, key, values: list<string>) -> expected<s64, error>
        define("sadd", params: 7) { abi, a, cache in
            let address = try abi.readString(a[0], a[1])
            let key = try abi.readString(a[2], a[3])
            let values = try abi.readStrings(a[4], a[5])
            try integerResult(
                abi, a[6],
                integer(cache, address, "sadd", [Array("SADD".utf8), Array(key.utf8)] + values.map { Array($0.utf8) }))
        }
        // srem(address, key, values: list<string>) -> expected<s64, error>
        define("srem", params: 7) { abi, a, cache in
            let address = try abi.readString(a[0], a[1])
            let key = try abi.readString(a[2], a[3])
            let values = try abi.readStrings(a[4], a[5])
            try integerResult(
                abi, a[6],
                integer(cache, address, "srem", [Array("SREM".utf8), Array(key.utf8)] + values.map { Array($0.utf8) }))
        }
        // smembers(address, key) -> expected<list<string>, error>: ok @4/@8 (8-byte {ptr,len} elements).
        define("smembers", params: 5) { abi, a, cache in
            let address = try abi.readString(a[0], a[1])
            let key = try abi.readString(a[2], a[3])
            let ret = a[4]
            guard let members = smembers(cache, address, key) else { return try listError(abi, ret) }
            let (p, n) = try abi.write(strings: members)
            try abi.storeU8(0, at: ret)
            try abi.storeU32(p, at: ret + 4)
            try abi.storeU32(n, at: ret + 8)
        }
        // execute(address, command, arguments: list<redis-parameter>) -> expected<list<redis-result>, error>
        define("execute", params: 7) { abi, a, cache in
            let address = try abi.readString(a[0], a[1])
            let command = try abi.readString(a[2], a[3])
            var arguments: [[UInt8]] = [Array(command.utf8)]
            for i in 0..<Int(a[5]) {
                let e = a[4] &+ UInt32(16 * i)
                let tag: UInt8 = try abi.memory.load(at: Int(e))
                switch tag {
                case 0:
                    let v: UInt64 = try abi.memory.load(at: Int(e) + 8)
                    arguments.append(Array(String(Int64(bitPattern: v)).utf8))
                case 1:
                    let p: UInt32 = try abi.memory.load(at: Int(e) + 8)
                    let n: UInt32 = try abi.memory.load(at: Int(e) + 12)
                    arguments.append(try abi.read(p, n))
                default:
                    throw GuestABIError("invalid redis-parameter tag \(tag)")
                }
            }
            let ret = a[6]
            guard let results = execute(cache, address, arguments) else { return try listError(abi, ret) }
            let array = try abi.allocate(count: 16 * results.count, align: 8)
            for (i, r) in results.enumerated() {
                let e = Int(array) + 16 * i
                try abi.memory.write([UInt8](repeating: 0, count: 16), at: e)
                switch r {
                case .nil:
                    try abi.memory.store(UInt8(0), at: e)
                case .status(let s):
                    let (p, n) = try abi.write(s)
                    try abi.memory.store(UInt8(1), at: e)
                    try abi.memory.store(p, at: e + 8)
                    try abi.memory.store(n, at: e + 12)
                case .int64(let v):
                    try abi.memory.store(UInt8(2), at: e)
                    try abi.memory.store(UInt64(bitPattern: v), at: e + 8)
                case .binary(let b):
                    let (p, n) = try abi.write(b, align: 1)
                    try abi.memory.store(UInt8(3), at: e)
                    try abi.memory.store(p, at: e + 8)
                    try abi.memory.store(n, at: e + 12)
                }
            }
            try abi.storeU8(0, at: ret)
            try abi.storeU32(array, at: ret + 4)
            try abi.storeU32(UInt32(results.count), at: ret + 8)
        }
    }

    /// `redis-result` of redis-types.wit.
    package enum RedisResult: Hashable, Sendable {
        case `nil`
        case status(String)
        case int64(Int64)
        case binary([UInt8])
    }

    /// How Spin 1.x turns a reply into `list<redis-result>` (`RedisResults::from_redis_value`,
    /// crates/outbound-redis): arrays are flattened, nil and `+OK` are dropped, other
    /// status replies become `status`, integers `int64`, bulk strings `binary`.
    /// An error anywhere in the reply makes it `nil` (redis-rs fails the whole reply).
    package static func flatten(_ reply: RESPValue) -> [RedisResult]? {
        var out: [RedisResult] = []
        var failed = false
        func append(_ v: RESPValue) {
            switch v {
            case .bulkString(nil), .array(nil): break
            case .simpleString("OK"): break
            case .simpleString(let s): out.append(.status(s))
            case .integer(let i): out.append(.int64(i))
            case .bulkString(let b?): out.append(.binary(b))
            case .array(let items?): items.forEach(append)
            case .error: failed = true
            }
        }
        append(reply)
        return failed ? nil : out
    }

    /// Runs a command on the cached connection; error replies and failures are logged and become `.failure`.
    static func run(_ cache: RedisConnectionCache, _ address: String, _ op: String, _ arguments: [[UInt8]]) -> Result<
        RESPValue, RedisError
    > {
        do {
            let reply = try cache.connection(for: address).command(arguments)
            if case .error(let e) = reply {
                cache.log("outbound-redis \(op): \(e)")
                return .failure(RedisError(.server, e))
            }
            return .success(reply)
        } catch {
            cache.log("outbound-redis \(op) (\(RedisAddress.redact(address))): \(error)")
            return .failure(error)
        }
    }

    private static func unitError(_ abi: CanonicalABI, _ ret: UInt32) throws {
        try abi.storeU8(1, at: ret)
        try abi.storeU8(errorCode, at: ret + 1)
    }

    private static func listError(_ abi: CanonicalABI, _ ret: UInt32) throws {
        try abi.storeU8(1, at: ret)
        try abi.storeU8(errorCode, at: ret + 4)
    }

    private static func integerResult(_ abi: CanonicalABI, _ ret: UInt32, _ result: Int64?) throws {
        if let v = result {
            try abi.storeU8(0, at: ret)
            try abi.storeU64(UInt64(bitPattern: v), at: ret + 8)
            return
        }
        try abi.storeU8(1, at: ret)
        try abi.storeU8(errorCode, at: ret + 8)
    }

    // MARK: The operations without the ABI (shared with `fermyon:spin/redis`, SpinPreview2Interfaces)

    /// `get`: the value (a missing key is empty, as redis-rs converts nil to an empty Vec<u8>);
    /// nil on failure (logged).
    package static func get(_ cache: RedisConnectionCache, _ address: String, _ key: String) -> [UInt8]? {
        switch run(cache, address, "get", [Array("GET".utf8), Array(key.utf8)]) {
        case .success(.bulkString(let b)): return b ?? []
        case .success(let other):
            cache.log("outbound-redis get: unexpected reply \(other)")
            return nil
        case .failure: return nil
        }
    }

    /// A command answering an integer (`incr`, `del`, `sadd`, `srem`); nil on failure (logged).
    package static func integer(
        _ cache: RedisConnectionCache, _ address: String, _ op: String, _ arguments: [[UInt8]]
    ) -> Int64? {
        switch run(cache, address, op, arguments) {
        case .success(.integer(let v)): return v
        case .success(let other):
            cache.log("outbound-redis: expected an integer reply, got \(other)")
            return nil
        case .failure: return nil
        }
    }

    /// `smembers`: the members, which must be UTF-8; nil on failure (logged).
    package static func smembers(_ cache: RedisConnectionCache, _ address: String, _ key: String) -> [String]? {
        switch run(cache, address, "smembers", [Array("SMEMBERS".utf8), Array(key.utf8)]) {
        case .success(.array(let items)):
            let members = (items ?? []).compactMap { item -> String? in
                guard case .bulkString(let b?) = item else { return nil }
                return String(validating: b, as: UTF8.self)
            }
            if members.count != (items ?? []).count {
                cache.log("outbound-redis smembers: a member of `\(key)` is not a UTF-8 string")
                return nil
            }
            return members
        case .success(let other):
            cache.log("outbound-redis smembers: unexpected reply \(other)")
            return nil
        case .failure: return nil
        }
    }

    /// `execute`: the command (`arguments[0]`) and its arguments, the reply flattened
    /// (`flatten`); nil on failure or an error in the reply (logged).
    package static func execute(_ cache: RedisConnectionCache, _ address: String, _ arguments: [[UInt8]])
        -> [RedisResult]?
    {
        guard case .success(let reply) = run(cache, address, "execute", arguments) else { return nil }
        guard let results = flatten(reply) else {
            cache.log("outbound-redis execute: the reply contains an error: \(reply)")
            return nil
        }
        return results
    }
}
