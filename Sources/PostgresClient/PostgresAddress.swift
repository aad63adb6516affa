import Foundation

/// Where and as whom to connect, parsed from a connection string (what a guest
/// passes to `outbound-pg`) in either of libpq's forms:
///
/// - key/value: `host=127.0.0.1 port=5432 user=app password='s3 cret' dbname=app`
///   (values may be single-quoted; `\` escapes the next character);
/// - URL: `postgres://[user[:password]@][host][:port][/dbname][?key=value&...]`
///   (`postgresql://` too; parts are percent-decoded).
///
/// Keys understood in both: `host`, `hostaddr`, `port`, `user`, `password`,
/// `dbname`, `sslmode`, `connect_timeout`, `application_name`, `options`.
/// TLS (`sslmode=require`/`verify-*`), Unix-domain sockets and host lists are
/// not supported and rejected with an error saying so.
package struct PostgresAddress: Hashable, Sendable, CustomStringConvertible {
    package var host: String = "localhost"
    package var port: Int = 5432
    package var user: String
    package var password: String?
    /// Defaults to `user`.
    package var database: String
    /// Seconds to wait for the TCP connection and authentication.
    package var connectTimeout: Double = 10
    package var applicationName: String?
    /// Server options sent in the startup packet (`-c name=value ...`).
    package var options: String?

    /// A parse error names the problem; the password never appears in it.
    package struct ParseError: Error, Hashable, Sendable, CustomStringConvertible {
        package var message: String
        init(_ m: String) { message = m }
        package var description: String { message }
    }

    package init(
        host: String = "127.0.0.1", port: Int = 5432, user: String, password: String? = nil, database: String? = nil
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database ?? user
    }

    package init(parsing text: String) throws(ParseError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let pairs: [(String, String)]
        if trimmed.hasPrefix("postgres://") || trimmed.hasPrefix("postgresql://") {
            pairs = try Self.urlPairs(trimmed)
        } else if trimmed.contains("://") {
            throw ParseError("unsupported connection URL scheme in `\(Self.redact(trimmed))` (expected postgres://)")
        } else {
            pairs = try Self.keyValuePairs(trimmed)
        }
        var settings: [String: String] = [:]
        for (k, v) in pairs { settings[k] = v }
        guard let user = settings["user"], !user.isEmpty else {
            throw ParseError("the connection string names no user (add `user=...` or `postgres://USER@...`)")
        }
        self.user = user
        self.password = settings["password"]
        self.database = settings["dbname"].flatMap { $0.isEmpty ? nil : $0 } ?? user
        if let h = settings["hostaddr"] ?? settings["host"], !h.isEmpty {
            guard !h.contains(",") else { throw ParseError("multiple hosts (`\(h)`) are not supported") }
            guard !h.hasPrefix("/") && !h.hasPrefix("@") else {
                throw ParseError("Unix-domain socket hosts (`\(h)`) are not supported; use a TCP host")
            }
            host = h
        }
        if let p = settings["port"], !p.isEmpty {
            guard let n = Int(p), (1...65535).contains(n) else { throw ParseError("invalid port `\(p)`") }
            port = n
        }
        if let t = settings["connect_timeout"], !t.isEmpty {
            guard let n = Int(t) else { throw ParseError("invalid connect_timeout `\(t)`") }
            if n > 0 { connectTimeout = Double(max(n, 2)) }
        }
        switch settings["sslmode"] ?? "prefer" {
        case "disable", "allow", "prefer": break
        case "require", "verify-ca", "verify-full":
            throw ParseError("sslmode=\(settings["sslmode"]!): TLS connections are not supported by this host")
        case let m: throw ParseError("invalid sslmode `\(m)`")
        }
        applicationName = settings["application_name"]
        options = settings["options"]
    }

    static let knownKeys: Set<String> = [
        "host", "hostaddr", "port", "user", "password", "dbname", "sslmode", "connect_timeout", "application_name",
        "options",
    ]

    /// `key=value key='quoted value'` (libpq's conninfo syntax).
    static func keyValuePairs(_ text: String) throws(ParseError) -> [(String, String)] {
        var out: [(String, String)] = []
        var chars = Array(text)[...]
        func skipSpaces() { while let c = chars.first, c.isWhitespace { chars.removeFirst() } }
        skipSpaces()
        while !chars.isEmpty {
            var key = ""
            while let c = chars.first, c != "=", !c.isWhitespace { key.append(c); chars.removeFirst() }
            skipSpaces()
            guard chars.first == "=" else {
                throw ParseError("missing `=` after `\(key)` in the connection string")
            }
            chars.removeFirst()
            skipSpaces()
            var value = ""
            if chars.first == "'" {
                chars.removeFirst()
                var closed = false
                while let c = chars.popFirst() {
                    if c == "\\", let n = chars.popFirst() { value.append(n); continue }
                    if c == "'" { closed = true; break }
                    value.append(c)
                }
                guard closed else { throw ParseError("unterminated quoted value for `\(key)`") }
            } else {
                while let c = chars.first, !c.isWhitespace {
                    chars.removeFirst()
                    if c == "\\", let n = chars.popFirst() { value.append(n); continue }
                    value.append(c)
                }
            }
            guard knownKeys.contains(key) else { throw ParseError("unknown connection option `\(key)`") }
            out.append((key, value))
            skipSpaces()
        }
        return out
    }

    /// `postgres://user:password@host:port/dbname?key=value`.
    static func urlPairs(_ text: String) throws(ParseError) -> [(String, String)] {
        func decode(_ s: Substring) throws(ParseError) -> String {
            guard let d = String(s).removingPercentEncoding else {
                throw ParseError("invalid percent-encoding in `\(Self.redact(text))`")
            }
            return d
        }
        var out: [(String, String)] = []
        var rest = Substring(text[text.range(of: "://")!.upperBound...])
        var query: Substring = ""
        if let q = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: q)...]
            rest = rest[..<q]
        }
        var authority = rest
        if let slash = rest.firstIndex(of: "/") {
            authority = rest[..<slash]
            out.append(("dbname", try decode(rest[rest.index(after: slash)...])))
        }
        if let at = authority.lastIndex(of: "@") {
            let info = authority[..<at]
            if let colon = info.firstIndex(of: ":") {
                out.append(("user", try decode(info[..<colon])))
                out.append(("password", try decode(info[info.index(after: colon)...])))
            } else {
                out.append(("user", try decode(info)))
            }
            authority = authority[authority.index(after: at)...]
        }
        var hostPart = authority
        var portPart: Substring?
        if authority.first == "[" {
            guard let close = authority.firstIndex(of: "]") else {
                throw ParseError("unterminated IPv6 address in `\(Self.redact(text))`")
            }
            hostPart = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if after.first == ":" { portPart = after.dropFirst() }
        } else if let colon = authority.lastIndex(of: ":") {
            hostPart = authority[..<colon]
            portPart = authority[authority.index(after: colon)...]
        }
        if !hostPart.isEmpty { out.append(("host", try decode(hostPart))) }
        if let portPart { out.append(("port", String(portPart))) }
        for item in query.split(separator: "&") where !item.isEmpty {
            let kv = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = try decode(kv[0])
            guard knownKeys.contains(key) else { throw ParseError("unknown connection option `\(key)`") }
            out.append((key, kv.count > 1 ? try decode(kv[1]) : ""))
        }
        return out
    }

    /// The connection string with any password replaced by `***` (for logs and errors).
    package static func redact(_ text: String) -> String {
        var s = text
        if let sep = s.range(of: "://"), let at = s[sep.upperBound...].firstIndex(of: "@"),
            let colon = s[sep.upperBound..<at].firstIndex(of: ":")
        {
            s.replaceSubrange(s.index(after: colon)..<at, with: "***")
        }
        if let r = s.range(of: #"password\s*=\s*('([^'\\]|\\.)*'|\S*)"#, options: .regularExpression) {
            s.replaceSubrange(r, with: "password=***")
        }
        return s
    }

    /// `host:port` for messages (IPv6 in brackets).
    package var endpoint: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    package var description: String { "postgres://\(user)@\(endpoint)/\(database)" }
}
