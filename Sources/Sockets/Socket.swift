#if canImport(Glibc)
    import Glibc
#endif

/// A failed socket operation: what kind of failure, the cause alone (`reason`, e.g.
/// `Connection refused` or `send timed out`) and the whole message (`description`).
package struct SocketError: Error, Sendable, CustomStringConvertible {
    package enum Kind: Sendable, Equatable {
        /// A host name did not resolve.
        case resolve
        /// No address of the host accepted a connection.
        case connect
        /// A send or receive waited longer than the socket's timeout.
        case timedOut
        /// Anything else (the errno text is the reason).
        case failed
    }

    package var kind: Kind
    package var reason: String
    package var description: String

    package init(_ description: String) {
        self.init(.failed, reason: description, description: description)
    }

    package init(_ kind: Kind, reason: String, description: String) {
        self.kind = kind
        self.reason = reason
        self.description = description
    }

    /// `what: <strerror(code)>`.
    package static func errno(_ what: String, _ code: Int32 = Glibc.errno) -> SocketError {
        let reason = String(cString: strerror(code))
        return SocketError(.failed, reason: reason, description: "\(what): \(reason)")
    }
}

/// An IPv4 or IPv6 socket address.
package enum SocketAddress: Sendable, CustomStringConvertible {
    case v4(sockaddr_in)
    case v6(sockaddr_in6)

    /// Parses `host:port` / `[v6]:port`. `localhost` resolves to 127.0.0.1; other names
    /// go through getaddrinfo, preferring IPv4.
    package static func parse(_ text: String) throws -> SocketAddress {
        var host: String
        var portText: String
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else {
                throw SocketError("invalid listen address '\(text)': expected [host]:port")
            }
            portText = String(rest.dropFirst())
        } else {
            guard let colon = text.lastIndex(of: ":") else {
                throw SocketError("invalid listen address '\(text)': expected host:port")
            }
            host = String(text[..<colon])
            portText = String(text[text.index(after: colon)...])
        }
        guard let port = UInt16(portText) else {
            throw SocketError("invalid port '\(portText)' in listen address '\(text)'")
        }
        if host == "localhost" || host.isEmpty { host = host.isEmpty ? "0.0.0.0" : "127.0.0.1" }

        var a4 = in_addr()
        if inet_pton(AF_INET, host, &a4) == 1 {
            var sa = sockaddr_in()
            sa.sin_family = sa_family_t(AF_INET)
            sa.sin_port = port.bigEndian
            sa.sin_addr = a4
            return .v4(sa)
        }
        var a6 = in6_addr()
        if inet_pton(AF_INET6, host, &a6) == 1 {
            var sa = sockaddr_in6()
            sa.sin6_family = sa_family_t(AF_INET6)
            sa.sin6_port = port.bigEndian
            sa.sin6_addr = a6
            return .v6(sa)
        }
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, nil, &hints, &result)
        guard rc == 0, let first = result else {
            throw SocketError("cannot resolve host '\(host)': \(String(cString: gai_strerror(rc)))")
        }
        defer { freeaddrinfo(result) }
        var v6: SocketAddress?
        var p: UnsafeMutablePointer<addrinfo>? = first
        while let info = p {
            if info.pointee.ai_family == AF_INET, let addr = info.pointee.ai_addr {
                var sa = addr.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee }
                sa.sin_port = port.bigEndian
                return .v4(sa)
            }
            if info.pointee.ai_family == AF_INET6, v6 == nil, let addr = info.pointee.ai_addr {
                var sa = addr.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee }
                sa.sin6_port = port.bigEndian
                v6 = .v6(sa)
            }
            p = info.pointee.ai_next
        }
        if let v6 { return v6 }
        throw SocketError("cannot resolve host '\(host)'")
    }

    package var port: Int {
        switch self {
        case .v4(let sa): return Int(UInt16(bigEndian: sa.sin_port))
        case .v6(let sa): return Int(UInt16(bigEndian: sa.sin6_port))
        }
    }

    /// `127.0.0.1:3000` or `[::1]:3000`.
    package var description: String {
        switch self {
        case .v4(var sa):
            var buf = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
            inet_ntop(AF_INET, &sa.sin_addr, &buf, socklen_t(buf.count))
            return "\(String(cString: buf)):\(port)"
        case .v6(var sa):
            var buf = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            inet_ntop(AF_INET6, &sa.sin6_addr, &buf, socklen_t(buf.count))
            return "[\(String(cString: buf))]:\(port)"
        }
    }

    package var family: Int32 {
        switch self {
        case .v4: return AF_INET
        case .v6: return AF_INET6
        }
    }

    package func withSockaddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
        switch self {
        case .v4(var sa):
            return withUnsafePointer(to: &sa) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    body($0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        case .v6(var sa):
            return withUnsafePointer(to: &sa) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    body($0, socklen_t(MemoryLayout<sockaddr_in6>.size))
                }
            }
        }
    }

    /// Reads an address filled in by accept/getsockname/getpeername.
    package static func from(_ storage: sockaddr_storage) -> SocketAddress? {
        var storage = storage
        switch Int32(storage.ss_family) {
        case AF_INET:
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { .v4($0.pointee) }
            }
        case AF_INET6:
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { .v6($0.pointee) }
            }
        default:
            return nil
        }
    }

    package static func local(of fd: Int32) -> SocketAddress? {
        var storage = sockaddr_storage()
        var len = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let rc = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        return rc == 0 ? from(storage) : nil
    }
}

/// Socket operations on plain descriptors: listening, connecting with a timeout, and
/// blocking sends and receives bounded by the socket's timeouts.
package enum Socket {
    package static func setNonBlocking(_ fd: Int32) {
        let flags = fcntl(fd, F_GETFL, 0)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
    }

    package static func setCloseOnExec(_ fd: Int32) {
        let flags = fcntl(fd, F_GETFD, 0)
        _ = fcntl(fd, F_SETFD, flags | FD_CLOEXEC)
    }

    package static func setOption(_ fd: Int32, _ level: Int32, _ name: Int32, _ value: Int32) {
        var v = value
        _ = setsockopt(fd, level, name, &v, socklen_t(MemoryLayout<Int32>.size))
    }

    /// Creates a non-blocking listening socket bound to `address`.
    package static func listen(on address: SocketAddress, backlog: Int32) throws(SocketError) -> Int32 {
        let fd = socket(address.family, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SocketError.errno("socket") }
        setCloseOnExec(fd)
        setOption(fd, SOL_SOCKET, SO_REUSEADDR, 1)
        let rc = address.withSockaddr { bind(fd, $0, $1) }
        guard rc == 0 else {
            let e = errno
            close(fd)
            throw SocketError.errno("cannot listen on \(address)", e)
        }
        guard Glibc.listen(fd, backlog) == 0 else {
            let e = errno
            close(fd)
            throw SocketError.errno("listen on \(address)", e)
        }
        setNonBlocking(fd)
        return fd
    }
}

/// Milliseconds on the monotonic clock.
@inline(__always) package func monotonicMilliseconds() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
}

extension Duration {
    package var milliseconds: Int64 {
        let c = components
        return c.seconds * 1000 + c.attoseconds / 1_000_000_000_000_000
    }
}
