import Foundation
import Sockets

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
package final class RedisConnection: @unchecked Sendable {
    package let address: RedisAddress
    /// Seconds allowed for connecting and for each reply.
    package var timeout: Double
    /// Tries `command` makes to (re)connect before giving up.
    package var reconnectAttempts: Int = 3
    /// Backoff between reconnect attempts.
    package var backoff = Backoff(initial: 0.05, maximum: 5)
    /// Receives one line per reconnect attempt.
    package var log: @Sendable (String) -> Void = { _ in }
    /// When the caller's time is up, if ever (CLOCK_MONOTONIC nanoseconds, the clock of
    /// WasmCore's `Watchdog.now()`): no connect, reconnect wait or reply wait goes past it,
    /// whatever `timeout` allows (a guest instance's deadline).
    package var deadline: UInt64?

    private var fd: Int32 = -1
    private var buffer: [UInt8] = []
    private var decoder = RESPDecoder()
    private let lock = NSRecursiveLock()

    /// Opens the connection now (one attempt), giving up at `deadline` if that comes first.
    package init(address: RedisAddress, timeout: Double = 5, deadline: UInt64? = nil) throws(RedisError) {
        self.address = address
        self.timeout = timeout
        self.deadline = deadline
        try connect()
    }

    /// Parses `url` and opens the connection now (one attempt).
    package convenience init(url: String, timeout: Double = 5) throws(RedisError) {
        try self.init(address: RedisAddress(parsing: url), timeout: timeout)
    }

    /// A connection that connects on first use.
    package init(unconnected address: RedisAddress, timeout: Double = 5) {
        self.address = address
        self.timeout = timeout
    }

    deinit { if fd >= 0 { Glibc.close(fd) } }

    package var isConnected: Bool { lock.withLock { fd >= 0 } }

    package func close() {
        lock.withLock {
            if fd >= 0 { Glibc.close(fd) }
            fd = -1
            buffer.removeAll()
        }
    }

    // MARK: Connecting

    /// One connection attempt: TCP connect, then AUTH and SELECT as the address asks.
    package func connect() throws(RedisError) {
        lock.lock()
        defer { lock.unlock() }
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
        buffer.removeAll()
        let wait = try bounded(timeout, "connecting to Redis at \(address.host):\(address.port)")
        do {
            fd = try Socket.connect(host: address.host, port: address.port, timeout: wait)
        } catch {
            throw error.kind == .resolve
                ? RedisError(.io, "cannot resolve Redis host `\(address.host)`: \(error.reason)")
                : RedisError(.io, "cannot connect to Redis at \(address.host):\(address.port): \(error.reason)")
        }
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
    package func reconnect(maxAttempts: Int?, shouldStop: () -> Bool = { false }) throws(RedisError) {
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
                if let end = deadlineSeconds, RedisConnection.now() + delay >= end { throw error }
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
    package func command(_ arguments: [[UInt8]]) throws(RedisError) -> RESPValue {
        lock.lock()
        defer { lock.unlock() }
        if fd >= 0 && Socket.peerClosed(fd) && buffer.isEmpty {
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
        return try readLocked(deadline: replyDeadline(), shouldStop: { false })
    }

    package func command(_ arguments: [String]) throws(RedisError) -> RESPValue {
        try command(arguments.map { Array($0.utf8) })
    }

    /// Like `command`, but an error reply throws `RedisError(.server, ...)`.
    package func call(_ arguments: [[UInt8]]) throws(RedisError) -> RESPValue {
        let r = try command(arguments)
        if case .error(let e) = r { throw RedisError(.server, e) }
        return r
    }

    package func call(_ arguments: [String]) throws(RedisError) -> RESPValue {
        try call(arguments.map { Array($0.utf8) })
    }

    /// Writes a command without waiting for the reply (pub/sub).
    package func send(_ arguments: [[UInt8]]) throws(RedisError) {
        lock.lock()
        defer { lock.unlock() }
        guard fd >= 0 else { throw RedisError(.closed, "not connected to \(address)") }
        try sendLocked(arguments)
    }

    /// Reads the next reply (pub/sub pushes included). `deadline` nil waits until a
    /// reply arrives or `shouldStop()` (polled several times a second) returns true.
    package func readReply(deadline: Double?, shouldStop: () -> Bool = { false }) throws(RedisError) -> RESPValue {
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
        return try readLocked(deadline: replyDeadline(), shouldStop: { false })
    }

    /// `deadline` in `now()`'s seconds.
    private var deadlineSeconds: Double? { deadline.map { Double($0) / 1e9 } }

    /// When a reply must have come: `timeout` from now, or `deadline` if sooner.
    private func replyDeadline() -> Double {
        let own = RedisConnection.now() + timeout
        return deadlineSeconds.map { min(own, $0) } ?? own
    }

    /// `seconds`, cut to what is left before `deadline`; throws `.timeout` when nothing is.
    private func bounded(_ seconds: Double, _ what: String) throws(RedisError) -> Double {
        guard let end = deadlineSeconds else { return seconds }
        let left = end - RedisConnection.now()
        guard left > 0 else { throw RedisError(.timeout, "\(what): the deadline has passed") }
        return min(seconds, left)
    }

    private func sendLocked(_ arguments: [[UInt8]]) throws(RedisError) {
        let bytes = RESPEncoder.command(arguments)
        do {
            try Socket.sendAll(fd, bytes)
        } catch {
            closeLocked()
            throw RedisError(.io, "writing to Redis at \(address) failed: \(error.reason)")
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
                        if let end = deadlineSeconds, end <= deadline {
                            throw RedisError(.timeout, "no reply from Redis at \(address) before the deadline")
                        }
                        throw RedisError(
                            .timeout, "no reply from Redis at \(address) within \(RedisConnection.format(timeout)) s")
                    }
                    slice = min(slice, deadline - now)
                }
                let ready: Bool
                do {
                    ready = try Socket.waitReadable(fd, timeout: slice)
                } catch {
                    closeLocked()
                    throw RedisError(.io, "reading from Redis at \(address) failed: \(error.reason)")
                }
                if ready { break }
                if shouldStop() { throw RedisError(.closed, "stopped") }
            }
            let n: Int
            do {
                n = try Socket.receive(fd, into: &buffer)
            } catch {
                closeLocked()
                throw RedisError(.io, "reading from Redis at \(address) failed: \(error.reason)")
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

    static func format(_ d: Double) -> String { Socket.formatSeconds(d) }
}
