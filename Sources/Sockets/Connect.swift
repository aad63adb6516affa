#if canImport(Glibc)
    import Glibc
#endif

/// The client side: connecting with a timeout, and blocking I/O bounded by timeouts.
extension Socket {
    /// Resolves `host` and connects to the first of its addresses that answers within
    /// `timeout` seconds. The socket is close-on-exec (no child process inherits it),
    /// blocking, with `TCP_NODELAY` and send and receive timeouts of `timeout` seconds
    /// (so that no `send`/`recv` blocks for longer).
    ///
    /// Throws `.resolve` when the name does not resolve and `.connect` when no address
    /// accepted the connection (the reason is the last address's).
    package static func connect(host: String, port: Int, timeout: Double) throws(SocketError) -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>? = nil
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let first = list else {
            let why = rc == 0 ? "no address" : String(cString: gai_strerror(rc))
            throw SocketError(.resolve, reason: why, description: "cannot resolve \(host): \(why)")
        }
        defer { freeaddrinfo(first) }
        var lastError = "no address"
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let ai = node {
            node = ai.pointee.ai_next
            let fd = socket(
                ai.pointee.ai_family, ai.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), ai.pointee.ai_protocol)
            if fd < 0 {
                lastError = errnoText()
                continue
            }
            let flags = fcntl(fd, F_GETFL, 0)
            _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
            var ok = false
            if Glibc.connect(fd, ai.pointee.ai_addr, ai.pointee.ai_addrlen) == 0 {
                ok = true
            } else if errno == EINPROGRESS {
                var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                let pr = poll(&pfd, 1, Int32(max(1, timeout * 1000)))
                if pr == 1 {
                    var err: Int32 = 0
                    var len = socklen_t(MemoryLayout<Int32>.size)
                    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len)
                    if err == 0 { ok = true } else { lastError = String(cString: strerror(err)) }
                } else if pr == 0 {
                    lastError = "timed out after \(formatSeconds(timeout)) s"
                } else {
                    lastError = errnoText()
                }
            } else {
                lastError = errnoText()
            }
            if !ok {
                Glibc.close(fd)
                continue
            }
            _ = fcntl(fd, F_SETFL, flags & ~O_NONBLOCK)
            setOption(fd, Int32(IPPROTO_TCP), TCP_NODELAY, 1)
            setTimeout(fd, SO_RCVTIMEO, timeout)
            setTimeout(fd, SO_SNDTIMEO, timeout)
            return fd
        }
        throw SocketError(.connect, reason: lastError, description: "connect to \(host):\(port) failed: \(lastError)")
    }

    /// Sets `SO_RCVTIMEO` or `SO_SNDTIMEO` to `seconds`.
    package static func setTimeout(_ fd: Int32, _ option: Int32, _ seconds: Double) {
        // A zero timeval means "no timeout": a positive wait under 1 µs must not become that.
        let seconds = seconds > 0 ? max(seconds, 0.000_001) : seconds
        var tv = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - Double(Int(seconds))) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, option, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Writes all of `bytes` (no SIGPIPE). The socket's send timeout bounds each wait: `.timedOut`.
    package static func sendAll(_ fd: Int32, _ bytes: [UInt8]) throws(SocketError) {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + done, bytes.count - done, Int32(MSG_NOSIGNAL)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                    throw SocketError(.timedOut, reason: "send timed out", description: "send timed out")
                }
                let why = errnoText()
                throw SocketError(.failed, reason: why, description: "send failed: \(why)")
            }
            done += n
        }
    }

    /// Appends what is available (waiting at most the socket's receive timeout: `.timedOut`)
    /// and returns how many bytes arrived; 0 is the end of the stream.
    package static func receive(_ fd: Int32, into buffer: inout [UInt8], maxCount: Int = 65536) throws(SocketError)
        -> Int
    {
        var chunk = [UInt8](repeating: 0, count: maxCount)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK {
                    throw SocketError(.timedOut, reason: "receive timed out", description: "receive timed out")
                }
                let why = errnoText()
                throw SocketError(.failed, reason: why, description: "receive failed: \(why)")
            }
            if n > 0 { buffer += chunk[0..<n] }
            return n
        }
    }

    /// True when readable (or hung up) within `timeout` seconds.
    package static func waitReadable(_ fd: Int32, timeout: Double) throws(SocketError) -> Bool {
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        while true {
            let r = poll(&pfd, 1, Int32(max(0, timeout * 1000)))
            if r < 0 {
                if errno == EINTR { continue }
                throw SocketError.errno("poll")
            }
            return r > 0
        }
    }

    /// True when the peer has closed (or reset) a connection that has no unread data.
    package static func peerClosed(_ fd: Int32) -> Bool {
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&pfd, 1, 0) == 1 else { return false }
        if pfd.revents & Int16(POLLERR | POLLHUP) != 0 { return true }
        var b: UInt8 = 0
        let n = recv(fd, &b, 1, Int32(MSG_PEEK | MSG_DONTWAIT))
        return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }

    /// `5`, `0.25`: seconds to the millisecond, without a trailing `.0`.
    package static func formatSeconds(_ d: Double) -> String {
        let ms = Int((d * 1000).rounded())
        return ms % 1000 == 0 ? String(ms / 1000) : String(Double(ms) / 1000)
    }
}
