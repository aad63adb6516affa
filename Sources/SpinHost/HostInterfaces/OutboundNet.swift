import Foundation
import Glibc

/// An absolute URL split the way the outbound interfaces need it:
/// `scheme://[user[:password]@]host[:port][/path][?query]`.
/// `host` has no brackets for IPv6 literals; `port` is nil when not written.
package struct ParsedURL: Hashable, Sendable {
    package var scheme: String
    package var user: String?
    package var password: String?
    package var host: String
    package var port: Int?
    /// Path and query (at least `/`), without the fragment.
    package var path: String

    package init?(_ text: String) {
        guard let sep = text.range(of: "://") else { return nil }
        let scheme = text[..<sep.lowerBound].lowercased()
        guard let f = scheme.unicodeScalars.first, ("a"..."z").contains(f),
            scheme.unicodeScalars.allSatisfy({
                ("a"..."z").contains($0) || ("0"..."9").contains($0) || "+-.".unicodeScalars.contains($0)
            })
        else { return nil }
        var rest = text[sep.upperBound...]
        if let h = rest.firstIndex(of: "#") { rest = rest[..<h] }
        let authEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        var authority = rest[..<authEnd]
        var path = String(rest[authEnd...])
        if path.isEmpty || path.first == "?" { path = "/" + path }
        // WHATWG parsers end the authority at `\\` for http(s); refuse rather than disagree.
        guard !path.contains(" "), !authority.contains(" "), !authority.contains("\\") else { return nil }
        if let at = authority.lastIndex(of: "@") {
            let info = authority[..<at]
            if let c = info.firstIndex(of: ":") {
                user = String(info[..<c])
                password = String(info[info.index(after: c)...]).removingPercentEncoding
            } else {
                user = String(info)
            }
            authority = authority[authority.index(after: at)...]
        }
        var host: Substring
        var portText: Substring?
        if authority.first == "[" {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.first == ":" else { return nil }
                portText = after.dropFirst()
            }
            guard host.contains(":") else { return nil }
        } else if let c = authority.lastIndex(of: ":") {
            host = authority[..<c]
            portText = authority[authority.index(after: c)...]
        } else {
            host = authority
        }
        guard !host.isEmpty, Self.isValidHost(host) else { return nil }
        if let p = portText, !p.isEmpty {
            guard p.allSatisfy(\.isASCII), let n = Int(p), n >= 0, n <= 65535 else { return nil }
            port = n
        }
        self.scheme = scheme
        self.host = host.lowercased()
        self.path = path
    }

    /// Whether `host` is a plain DNS name, IPv4 or IPv6 literal: ASCII letters, digits, `-`, `.`
    /// and `_` (plus `:` for IPv6). Anything else (NUL, `%`, `\\`, spaces, non-ASCII) is refused:
    /// the allow-list compares this text, while the resolver (C strings, IDNA, percent-decoding)
    /// might read another host into it, e.g. `evil.com\0.allowed.com` as `evil.com`.
    static func isValidHost(_ host: Substring) -> Bool {
        let isIPv6 = host.contains(":")
        return host.utf8.allSatisfy { b in
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"):
                return true
            case UInt8(ascii: ":"): return isIPv6
            default: return false
            }
        }
    }

    package static func defaultPort(of scheme: String) -> Int? {
        switch scheme {
        case "http", "ws": 80
        case "https", "wss": 443
        case "redis": 6379
        case "rediss": 6380
        case "postgres": 5432
        case "mysql": 3306
        default: nil
        }
    }

    /// The port to connect to: explicit, else the scheme's default.
    package var effectivePort: Int? { port ?? ParsedURL.defaultPort(of: scheme) }

    /// `host[:port]` as a Host header (IPv6 in brackets; default port omitted).
    package var hostHeader: String {
        let h = host.contains(":") ? "[\(host)]" : host
        if let port, port != ParsedURL.defaultPort(of: scheme) { return "\(h):\(port)" }
        return h
    }
}
