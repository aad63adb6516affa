import Foundation
import Glibc

/// An absolute URL split the way the outbound interfaces need it:
/// `scheme://[user[:password]@]host[:port][/path][?query]`.
/// `host` has no brackets for IPv6 literals; `port` is nil when not written.
public struct ParsedURL: Hashable, Sendable {
    public var scheme: String
    public var user: String?
    public var password: String?
    public var host: String
    public var port: Int?
    /// Path and query (at least `/`), without the fragment.
    public var path: String

    public init?(_ text: String) {
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

    public static func defaultPort(of scheme: String) -> Int? {
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
    public var effectivePort: Int? { port ?? ParsedURL.defaultPort(of: scheme) }

    /// `host[:port]` as a Host header (IPv6 in brackets; default port omitted).
    public var hostHeader: String {
        let h = host.contains(":") ? "[\(host)]" : host
        if let port, port != ParsedURL.defaultPort(of: scheme) { return "\(h):\(port)" }
        return h
    }
}

struct SocketError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// Blocking TCP client sockets with timeouts.
enum TCPClientSocket {
    /// Resolves `host` and connects to the first address that answers within
    /// `timeoutSeconds`; the returned socket has send/receive timeouts set.
    static func connect(host: String, port: Int, timeoutSeconds: Double) throws -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var res: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &res)
        guard rc == 0, let first = res else {
            throw SocketError("cannot resolve \(host): \(String(cString: gai_strerror(rc)))")
        }
        defer { freeaddrinfo(first) }
        var lastError = "no address for \(host)"
        var ai: UnsafeMutablePointer<addrinfo>? = first
        while let a = ai {
            ai = a.pointee.ai_next
            let fd = socket(
                a.pointee.ai_family, a.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), a.pointee.ai_protocol)
            if fd < 0 { lastError = String(cString: strerror(errno)); continue }
            let flags = fcntl(fd, F_GETFL)
            _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
            var r = Glibc.connect(fd, a.pointee.ai_addr, a.pointee.ai_addrlen)
            if r != 0 && errno == EINPROGRESS {
                var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                let pr = poll(&p, 1, Int32(timeoutSeconds * 1000))
                if pr == 1 {
                    var err: Int32 = 0
                    var len = socklen_t(MemoryLayout<Int32>.size)
                    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len)
                    if err == 0 { r = 0 } else { errno = err }
                } else if pr == 0 {
                    errno = ETIMEDOUT
                }
            }
            if r != 0 {
                lastError = "connect to \(host):\(port) failed: \(String(cString: strerror(errno)))"
                close(fd)
                continue
            }
            _ = fcntl(fd, F_SETFL, flags & ~O_NONBLOCK)
            var tv = timeval(
                tv_sec: Int(timeoutSeconds), tv_usec: Int((timeoutSeconds - Double(Int(timeoutSeconds))) * 1_000_000))
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            return fd
        }
        throw SocketError(lastError)
    }

    static func sendAll(_ fd: Int32, _ bytes: [UInt8]) throws {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + done, bytes.count - done, Int32(MSG_NOSIGNAL)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                throw SocketError(
                    errno == EAGAIN || errno == EWOULDBLOCK
                        ? "send timed out" : "send failed: \(String(cString: strerror(errno)))")
            }
            done += n
        }
    }
}
