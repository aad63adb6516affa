import Foundation
import Glibc
import Synchronization

/// A reply of a RESP2 server.
enum RESPValue: Equatable {
    case simple(String)
    case error(String)
    case integer(Int64)
    case bulk([UInt8]?)
    case array([RESPValue]?)
}

/// A minimal blocking RESP2 client over a POSIX socket (just enough for the
/// key-value store: one command at a time, reconnect on failure).
final class MiniRedisClient {
    let host: String
    let port: Int
    let password: String?
    let username: String?
    let database: Int?
    let timeoutSeconds: Double
    private var fd: Int32 = -1
    private var buffer: [UInt8] = []
    private var pos = 0

    /// Parses `redis://[user:password@]host[:port][/db]`.
    init(url: String, timeoutSeconds: Double = 10) throws(KeyValueError) {
        guard let u = ParsedURL(url), u.scheme == "redis" else {
            throw .io("invalid Redis URL `\(url)` (expected redis://host[:port][/db])")
        }
        host = u.host
        port = u.port ?? 6379
        password = u.password
        username = u.user.flatMap { $0.isEmpty ? nil : $0 }
        let db = u.path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        database = db.isEmpty ? nil : Int(db)
        self.timeoutSeconds = timeoutSeconds
    }

    deinit { disconnect() }

    func disconnect() {
        if fd >= 0 { close(fd) }
        fd = -1
        buffer = []
        pos = 0
    }

    private func connectIfNeeded() throws(KeyValueError) {
        if fd >= 0 { return }
        do {
            fd = try TCPClientSocket.connect(host: host, port: port, timeoutSeconds: timeoutSeconds)
        } catch {
            throw .io("cannot connect to Redis at \(host):\(port): \(error)")
        }
        if let password {
            let args = username.map { ["AUTH", $0, password] } ?? ["AUTH", password]
            if case .error(let e) = try roundTrip(args.map { Array($0.utf8) }) { disconnect(); throw .io("Redis AUTH failed: \(e)") }
        }
        if let database, database != 0 {
            if case .error(let e) = try roundTrip(["SELECT", String(database)].map { Array($0.utf8) }) { disconnect(); throw .io("Redis SELECT failed: \(e)") }
        }
    }

    /// Sends one command; reconnects once if the connection had gone away.
    func command(_ args: [[UInt8]]) throws(KeyValueError) -> RESPValue {
        do {
            try connectIfNeeded()
            return try roundTrip(args)
        } catch {
            disconnect()
            try connectIfNeeded()
            do { return try roundTrip(args) } catch { disconnect(); throw error }
        }
    }

    func command(_ args: String...) throws(KeyValueError) -> RESPValue {
        try command(args.map { Array($0.utf8) })
    }

    private func roundTrip(_ args: [[UInt8]]) throws(KeyValueError) -> RESPValue {
        var out = Array("*\(args.count)\r\n".utf8)
        for a in args {
            out += Array("$\(a.count)\r\n".utf8)
            out += a
            out += [13, 10]
        }
        do { try TCPClientSocket.sendAll(fd, out) } catch { throw .io("Redis write failed: \(error)") }
        return try readValue()
    }

    private func fill() throws(KeyValueError) {
        if pos > 0 && pos == buffer.count { buffer = []; pos = 0 }
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, 65536, 0) }
        if n < 0 && errno == EINTR { return }
        guard n > 0 else { throw .io(n == 0 ? "Redis closed the connection" : "Redis read failed: \(String(cString: strerror(errno)))") }
        buffer += chunk[0..<n]
    }

    private func readLine() throws(KeyValueError) -> [UInt8] {
        while true {
            if let i = buffer[pos...].firstIndex(of: 10), i > pos, buffer[i - 1] == 13 {
                let line = Array(buffer[pos..<(i - 1)])
                pos = i + 1
                return line
            }
            try fill()
        }
    }

    private func readValue() throws(KeyValueError) -> RESPValue {
        let line = try readLine()
        guard let t = line.first else { throw .io("Redis protocol error: empty line") }
        let rest = String(decoding: line.dropFirst(), as: UTF8.self)
        switch t {
        case UInt8(ascii: "+"): return .simple(rest)
        case UInt8(ascii: "-"): return .error(rest)
        case UInt8(ascii: ":"):
            guard let v = Int64(rest) else { throw .io("Redis protocol error: bad integer") }
            return .integer(v)
        case UInt8(ascii: "$"):
            guard let n = Int(rest) else { throw .io("Redis protocol error: bad length") }
            if n < 0 { return .bulk(nil) }
            while buffer.count - pos < n + 2 { try fill() }
            let v = Array(buffer[pos..<(pos + n)])
            pos += n + 2
            return .bulk(v)
        case UInt8(ascii: "*"):
            guard let n = Int(rest) else { throw .io("Redis protocol error: bad array length") }
            if n < 0 { return .array(nil) }
            var items: [RESPValue] = []
            for _ in 0..<n { items.append(try readValue()) }
            return .array(items)
        default:
            throw .io("Redis protocol error: unexpected reply type")
        }
    }
}

/// A key-value store kept in Redis (`[key_value_store.NAME] type = "redis"`).
/// Keys are used as Redis keys verbatim, as Spin's Redis store does.
public final class RedisKeyValueStore: KeyValueStore, @unchecked Sendable {
    public let url: String
    private let client: Mutex<MiniRedisClient>

    public init(url: String) throws(KeyValueError) {
        self.url = url
        client = Mutex(try MiniRedisClient(url: url))
    }

    private func run(_ args: [[UInt8]]) throws(KeyValueError) -> RESPValue {
        let r = try client.withLock { c throws(KeyValueError) in try c.command(args) }
        if case .error(let e) = r { throw .io(e) }
        return r
    }

    /// Checks that the server answers (used at startup).
    public func ping() throws(KeyValueError) {
        _ = try run([Array("PING".utf8)])
    }

    public func get(_ key: String) throws(KeyValueError) -> [UInt8] {
        switch try run([Array("GET".utf8), Array(key.utf8)]) {
        case .bulk(let v?): return v
        case .bulk(nil): throw .noSuchKey
        default: throw .io("unexpected Redis reply to GET")
        }
    }

    public func set(_ key: String, _ value: [UInt8]) throws(KeyValueError) {
        _ = try run([Array("SET".utf8), Array(key.utf8), value])
    }

    public func delete(_ key: String) throws(KeyValueError) {
        _ = try run([Array("DEL".utf8), Array(key.utf8)])
    }

    public func exists(_ key: String) throws(KeyValueError) -> Bool {
        guard case .integer(let n) = try run([Array("EXISTS".utf8), Array(key.utf8)]) else {
            throw .io("unexpected Redis reply to EXISTS")
        }
        return n > 0
    }

    public func keys() throws(KeyValueError) -> [String] {
        guard case .array(let items?) = try run([Array("KEYS".utf8), Array("*".utf8)]) else {
            throw .io("unexpected Redis reply to KEYS")
        }
        return items.compactMap { if case .bulk(let b?) = $0 { String(decoding: b, as: UTF8.self) } else { nil } }.sorted()
    }

    /// Atomic increment (used by tests of concurrent writers).
    func incr(_ key: String) throws(KeyValueError) -> Int64 {
        guard case .integer(let n) = try run([Array("INCR".utf8), Array(key.utf8)]) else {
            throw .io("unexpected Redis reply to INCR")
        }
        return n
    }
}
