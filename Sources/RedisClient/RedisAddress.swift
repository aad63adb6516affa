/// Errors of the Redis client.
public struct RedisError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        /// The address is not a usable `redis://` URL.
        case invalidAddress
        /// Connecting, reading or writing failed, or the server closed the connection.
        case io
        /// No answer within the timeout.
        case timeout
        /// The server's reply is not valid RESP2.
        case protocolViolation
        /// The server answered with an error reply (`-ERR ...`).
        case server
        /// The reply has a type the caller did not expect.
        case unexpectedReply
        /// The connection was closed by this side.
        case closed
    }

    public var kind: Kind
    public var message: String

    package init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}

/// A parsed `redis://[user[:password]@]host[:port][/db]` address.
///
/// `rediss://` (TLS) and `redis+unix://` are refused: this client speaks
/// plain TCP only.
package struct RedisAddress: Hashable, Sendable, CustomStringConvertible {
    package var host: String
    package var port: Int
    package var username: String?
    package var password: String?
    package var database: Int

    package static let defaultPort = 6379

    package init(
        host: String, port: Int = RedisAddress.defaultPort, username: String? = nil, password: String? = nil,
        database: Int = 0
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
    }

    package init(parsing url: String) throws(RedisError) {
        func invalid(_ why: String) -> RedisError {
            RedisError(.invalidAddress, "invalid Redis address `\(RedisAddress.redact(url))`: \(why)")
        }
        guard let schemeEnd = url.range(of: "://") else {
            throw invalid("expected redis://[user[:password]@]host[:port][/db]")
        }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        switch scheme {
        case "redis": break
        case "rediss":
            throw RedisError(
                .invalidAddress, "invalid Redis address `\(RedisAddress.redact(url))`: TLS (rediss://) is not supported"
            )
        case "redis+unix", "unix":
            throw invalid("Unix socket addresses (\(scheme)://) are not supported")
        default:
            throw invalid("unsupported scheme `\(scheme)` (expected redis://)")
        }
        var rest = Substring(url[schemeEnd.upperBound...])
        // Query and fragment are ignored (redis-rs accepts e.g. `?protocol=resp2`).
        if let q = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) { rest = rest[..<q] }
        var path = Substring("")
        if let slash = rest.firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }
        var authority = rest
        if let at = authority.lastIndex(of: "@") {
            let userinfo = authority[..<at]
            authority = authority[authority.index(after: at)...]
            if let colon = userinfo.firstIndex(of: ":") {
                let user = userinfo[..<colon]
                let pass = userinfo[userinfo.index(after: colon)...]
                guard let u = RedisAddress.percentDecode(user), let p = RedisAddress.percentDecode(pass) else {
                    throw invalid("bad percent-encoding in the user info")
                }
                username = u.isEmpty ? nil : u
                password = p
            } else {
                guard let u = RedisAddress.percentDecode(userinfo) else {
                    throw invalid("bad percent-encoding in the user name")
                }
                username = u.isEmpty ? nil : u
                password = nil
            }
        } else {
            username = nil
            password = nil
        }
        var hostPart = authority
        var portPart: Substring? = nil
        if hostPart.hasPrefix("[") {
            guard let close = hostPart.firstIndex(of: "]") else { throw invalid("unterminated IPv6 address") }
            let after = hostPart[hostPart.index(after: close)...]
            hostPart = hostPart[hostPart.index(after: hostPart.startIndex)..<close]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw invalid("unexpected text after the IPv6 address") }
                portPart = after.dropFirst()
            }
        } else if let colon = hostPart.lastIndex(of: ":") {
            portPart = hostPart[hostPart.index(after: colon)...]
            hostPart = hostPart[..<colon]
        }
        guard !hostPart.isEmpty else { throw invalid("no host") }
        host = String(hostPart)
        if let portPart {
            guard let p = Int(portPart), (1...65535).contains(p) else { throw invalid("bad port `\(portPart)`") }
            port = p
        } else {
            port = RedisAddress.defaultPort
        }
        if path.isEmpty {
            database = 0
        } else {
            guard let db = Int(path), db >= 0 else { throw invalid("bad database number `\(path)`") }
            database = db
        }
    }

    /// `redis://host:port/db`, credentials shown as `***`.
    package var description: String {
        var s = "redis://"
        if username != nil || password != nil {
            s += username ?? ""
            if password != nil { s += ":***" }
            s += "@"
        }
        s += host.contains(":") ? "[\(host)]" : host
        s += ":\(port)"
        if database != 0 { s += "/\(database)" }
        return s
    }

    /// The URL with any password replaced by `***`, for messages.
    package static func redact(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://"),
            let at = url[schemeEnd.upperBound...].firstIndex(of: "@")
        else { return url }
        let userinfo = url[schemeEnd.upperBound..<at]
        guard let colon = userinfo.firstIndex(of: ":") else { return url }
        return String(url[..<colon]) + ":***" + String(url[at...])
    }

    static func percentDecode(_ s: Substring) -> String? {
        var out: [UInt8] = []
        var bytes = Array(s.utf8)[...]
        while let b = bytes.popFirst() {
            if b == UInt8(ascii: "%") {
                guard bytes.count >= 2, let h = hex(bytes[bytes.startIndex]), let l = hex(bytes[bytes.startIndex + 1])
                else { return nil }
                out.append(h << 4 | l)
                bytes = bytes.dropFirst(2)
            } else {
                out.append(b)
            }
        }
        return String(validating: out, as: UTF8.self)
    }

    private static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

/// Exponential backoff: `initial`, doubling, capped at `maximum`.
package struct Backoff: Sendable {
    package var initial: Double
    package var maximum: Double
    package private(set) var attempt: Int = 0

    package init(initial: Double = 0.1, maximum: Double = 5) {
        self.initial = initial
        self.maximum = maximum
    }

    /// The delay before the next attempt (seconds), advancing the counter.
    package mutating func next() -> Double {
        let d = min(maximum, initial * Double(1 << min(attempt, 30)))
        attempt += 1
        return d
    }

    package mutating func reset() { attempt = 0 }
}
