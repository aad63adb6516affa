import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One blocking connection to a Redis server over a POSIX TCP socket.
///
/// Connecting sends `AUTH` (when the address has a password) and `SELECT`
/// (when it names a database other than 0). Every wait is bounded by
/// `timeout` except `readReply(deadline: nil, ...)`, which the subscriber uses.
///
/// Reconnection: `command` reconnects (with exponential backoff, at most
/// `reconnectAttempts` tries) when the connection was never opened, was
/// closed after an error, or the server is seen to have hung up before the
/// command is sent. A command whose reply is lost is *not* resent (it may have
/// run); the error is thrown and the next command reconnects.
///
/// A connection is used by one thread at a time; calls are serialised by a lock.
public final class RedisConnection: @unchecked Sendable {
    public let address: RedisAddress
    /// Seconds allowed for connecting and for each reply.
    public var timeout: Double
    /// Tries `command` makes to (re)connect before giving up.
    public var reconnectAttempts: Int = 3
    /// Backoff between reconnect attempts.
    public var backoff = Backoff(initial: 0.05, maximum: 5)
    /// Receives one line per reconnect attempt.
    public var log: @Sendable (String) -> Void = { _ in }

    private var fd: Int32 = -1
    private var buffer: [UInt8] = []
    private var decoder = RESPDecoder()
    private let lock = NSRecursiveLock()

    /// Opens the connection now (one attempt).
    public init(address: RedisAddress, timeout: Double = 5) throws(RedisError) {
        self.address = address
        self.timeout = timeout
        try connect()
    }

    /// Parses `url` and opens the connection now (one attempt).
    public convenience init(url: String, timeout: Double = 5) throws(RedisError) {
        try self.init(address: RedisAddress(parsing: url), timeout: timeout)
    }

    /// A connection that connects on first use.
    public init(unconnected address: RedisAddress, timeout: Double = 5) {
        self.address = address
        self.timeout = timeout
    }

    deinit { if fd >= 0 { Glibc.close(fd) } }

    public var isConnected: Bool { lock.withLock { fd >= 0 } }

    public func close() {
        lock.withLock {
            if fd >= 0 { Glibc.close(fd) }
            fd = -1
            buffer.removeAll()
        }
    }

    // MARK: Connecting

    /// One connection attempt: TCP connect, then AUTH and SELECT as the address asks.
    public func connect() throws(RedisError) {
        lock.lock()
        defer { lock.unlock() }
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
        buffer.removeAll()
        let newFD = try RedisSocket.connect(host: address.host, port: address.port, timeout: timeout)
        fd = newFD
        do throws(RedisError) {
            if let password = address.password {
                var args = ["AUTH"]
                if let user = address.username { args.append(user) }
                args.append(password)
                let r = try roundTrip(args.map { Array($0.utf8) })
                if case .error(let e) = r { throw RedisError(.server, "Redis AUTH to \(address) failed: \(e)") }
            }
            if address.database != 0 {
                let r = try roundTrip([Array("SELECT".utf8), Array(String(address.database).utf8)])
                if case .error(let e) = r {
                    throw RedisError(.server, "Redis SELECT \(address.database) on \(address) failed: \(e)")
                }
            }
        } catch {
            closeLocked()
            throw error
        }
    }

    /// Connects, retrying with `backoff` up to `maxAttempts` times (nil: until `shouldStop` says so).
    /// Logs each failed attempt and the wait before the next.
    public func reconnect(maxAttempts: Int?, shouldStop: () -> Bool = { false }) throws(RedisError) {
        var backoff = self.backoff
        var attempt = 0
        while true {
            attempt += 1
            do {
                try connect()
                return
            } catch {
                if let maxAttempts, attempt >= maxAttempts { throw error }
                if shouldStop() { throw RedisError(.closed, "stopped while reconnecting to \(address)") }
                let delay = backoff.next()
                log(
                    "redis: connecting to \(address) failed (attempt \(attempt)): \(error); retrying in \(RedisConnection.format(delay)) s"
                )
                if !RedisConnection.sleep(delay, shouldStop: shouldStop) {
                    throw RedisError(.closed, "stopped while reconnecting to \(address)")
                }
            }
        }
    }

    // MARK: Commands

    /// Sends a command and returns its reply; an error reply is returned as `.error`, not thrown.
    public func command(_ arguments: [[UInt8]]) throws(RedisError) -> RESPValue {
        lock.lock()
        defer { lock.unlock() }
        if fd >= 0 && RedisSocket.peerClosed(fd) && buffer.isEmpty {
            log("redis: connection to \(address) was closed by the server; reconnecting")
            closeLocked()
        }
        if fd < 0 { try reconnect(maxAttempts: max(1, reconnectAttempts)) }
        do {
            try sendLocked(arguments)
        } catch {
            // The server cannot have run a command it did not fully receive: reconnect and send once more.
            log("redis: sending to \(address) failed (\(error)); reconnecting")
            closeLocked()
            try reconnect(maxAttempts: max(1, reconnectAttempts))
            try sendLocked(arguments)
        }
        return try readLocked(deadline: RedisConnection.now() + timeout, shouldStop: { false })
    }

    public func command(_ arguments: [String]) throws(RedisError) -> RESPValue {
        try command(arguments.map { Array($0.utf8) })
    }

    /// Like `command`, but an error reply throws `RedisError(.server, ...)`.
    public func call(_ arguments: [[UInt8]]) throws(RedisError) -> RESPValue {
        let r = try command(arguments)
        if case .error(let e) = r { throw RedisError(.server, e) }
        return r
    }

    public func call(_ arguments: [String]) throws(RedisError) -> RESPValue {
        try call(arguments.map { Array($0.utf8) })
    }

    /// Writes a command without waiting for the reply (pub/sub).
    public func send(_ arguments: [[UInt8]]) throws(RedisError) {
        lock.lock()
        defer { lock.unlock() }
        guard fd >= 0 else { throw RedisError(.closed, "not connected to \(address)") }
        try sendLocked(arguments)
    }

    /// Reads the next reply (pub/sub pushes included). `deadline` nil waits until a
    /// reply arrives or `shouldStop()` (polled several times a second) returns true.
    public func readReply(deadline: Double?, shouldStop: () -> Bool = { false }) throws(RedisError) -> RESPValue {
        lock.lock()
        defer { lock.unlock() }
        guard fd >= 0 else { throw RedisError(.closed, "not connected to \(address)") }
        return try readLocked(deadline: deadline, shouldStop: shouldStop)
    }

    // MARK: Internals (lock held)

    private func closeLocked() {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
        buffer.removeAll()
    }

    private func roundTrip(_ arguments: [[UInt8]]) throws(RedisError) -> RESPValue {
        try sendLocked(arguments)
        return try readLocked(deadline: RedisConnection.now() + timeout, shouldStop: { false })
    }

    private func sendLocked(_ arguments: [[UInt8]]) throws(RedisError) {
        let bytes = RESPEncoder.command(arguments)
        do {
            try RedisSocket.sendAll(fd, bytes, timeout: timeout)
        } catch {
            closeLocked()
            throw RedisError(.io, "writing to Redis at \(address) failed: \(error.message)")
        }
    }

    private func readLocked(deadline: Double?, shouldStop: () -> Bool) throws(RedisError) -> RESPValue {
        while true {
            if !buffer.isEmpty {
                let result: RESPDecoder.Result
                do {
                    result = try decoder.decode(buffer)
                } catch {
                    closeLocked()
                    throw RedisError(.protocolViolation, "bad reply from Redis at \(address): \(error)")
                }
                if case .value(let v, let consumed) = result {
                    buffer.removeFirst(consumed)
                    return v
                }
            }
            // Wait for more bytes.
            while true {
                let now = RedisConnection.now()
                var slice = 0.2
                if let deadline {
                    if now >= deadline {
                        closeLocked()
                        throw RedisError(
                            .timeout, "no reply from Redis at \(address) within \(RedisConnection.format(timeout)) s")
                    }
                    slice = min(slice, deadline - now)
                }
                let ready: Bool
                do {
                    ready = try RedisSocket.waitReadable(fd, timeout: slice)
                } catch {
                    closeLocked()
                    throw RedisError(.io, "reading from Redis at \(address) failed: \(error.message)")
                }
                if ready { break }
                if shouldStop() { throw RedisError(.closed, "stopped") }
            }
            let n: Int
            do {
                n = try RedisSocket.receive(fd, into: &buffer)
            } catch {
                closeLocked()
                throw RedisError(.io, "reading from Redis at \(address) failed: \(error.message)")
            }
            if n == 0 {
                closeLocked()
                throw RedisError(.io, "Redis at \(address) closed the connection")
            }
        }
    }

    // MARK: Time

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Sleeps `seconds` in short slices; false if `shouldStop` became true.
    static func sleep(_ seconds: Double, shouldStop: () -> Bool) -> Bool {
        let end = now() + seconds
        while true {
            if shouldStop() { return false }
            let left = end - now()
            if left <= 0 { return true }
            usleep(UInt32(min(left, 0.05) * 1e6))
        }
    }

    static func format(_ d: Double) -> String {
        let ms = Int((d * 1000).rounded())
        return ms % 1000 == 0 ? String(ms / 1000) : String(Double(ms) / 1000)
    }
}

/// Socket plumbing (blocking sockets, poll-based timeouts).
enum RedisSocket {
    struct Failure: Error { var message: String }

    static func errnoText() -> String { String(cString: strerror(errno)) }

    static func connect(host: String, port: Int, timeout: Double) throws(RedisError) -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>? = nil
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let first = list else {
            let why = rc == 0 ? "no address" : String(cString: gai_strerror(rc))
            throw RedisError(.io, "cannot resolve Redis host `\(host)`: \(why)")
        }
        defer { freeaddrinfo(list) }
        var lastError = "no address"
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let ai = node {
            node = ai.pointee.ai_next
            let fd = socket(ai.pointee.ai_family, ai.pointee.ai_socktype, ai.pointee.ai_protocol)
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
                    lastError = "timed out after \(RedisConnection.format(timeout)) s"
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
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            var tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1e6))
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
            return fd
        }
        throw RedisError(.io, "cannot connect to Redis at \(host):\(port): \(lastError)")
    }

    static func sendAll(_ fd: Int32, _ bytes: [UInt8], timeout: Double) throws(Failure) {
        var off = 0
        while off < bytes.count {
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + off, bytes.count - off, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK { throw Failure(message: "send timed out") }
                throw Failure(message: errnoText())
            }
            off += n
        }
    }

    /// True when readable (or hung up) within `timeout` seconds.
    static func waitReadable(_ fd: Int32, timeout: Double) throws(Failure) -> Bool {
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        while true {
            let r = poll(&pfd, 1, Int32(max(0, timeout * 1000)))
            if r < 0 {
                if errno == EINTR { continue }
                throw Failure(message: errnoText())
            }
            return r > 0
        }
    }

    /// Appends what is available; 0 = end of stream.
    static func receive(_ fd: Int32, into buffer: inout [UInt8]) throws(Failure) -> Int {
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure(message: errnoText())
            }
            if n > 0 { buffer += chunk[0..<n] }
            return n
        }
    }

    /// True when the peer has closed (or reset) a connection that has no unread data.
    static func peerClosed(_ fd: Int32) -> Bool {
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&pfd, 1, 0) == 1 else { return false }
        if pfd.revents & Int16(POLLERR | POLLHUP) != 0 { return true }
        var b: UInt8 = 0
        let n = recv(fd, &b, 1, Int32(MSG_PEEK | MSG_DONTWAIT))
        return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
    }
}
