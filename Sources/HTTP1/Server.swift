import Dispatch
import Foundation
import Sockets
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// What `start()` throws: a bad address, a socket that cannot listen, a second start.
package typealias HTTPServerError = SocketError

/// Handles one request. Runs on a worker thread, never on the I/O thread. To stream a body,
/// call `request.startResponse` with a response holding an `HTTPResponseBodyStream` and write
/// to it before returning.
public typealias HTTPHandler = @Sendable (HTTPRequest) -> HTTPResponse

/// Called once per handled request, on the worker thread, after the handler returned.
public typealias HTTPRequestLogger = @Sendable (HTTPRequest, HTTPResponse, Duration) -> Void

public struct HTTPServerConfiguration: Sendable {
    /// `host:port`; port 0 picks a free port (see `HTTPServer.localAddress`).
    public var address: String
    public var limits: HTTPLimits
    /// Threads running the handler. Default: the number of active processors.
    public var workerCount: Int
    /// Stack size of worker threads (the guest interpreter may recurse deeply).
    public var workerStackSize: Int
    /// From the first byte of a request until its header section is complete (else 408).
    public var headerReadTimeout: Duration
    /// Longest pause between body bytes while a body is being received (else 408), like
    /// nginx's `client_body_timeout`: every read that brings bytes restarts it.
    public var bodyReadTimeout: Duration
    /// Slowest rate (bytes per second) a request may arrive at, measured over consecutive
    /// windows of `minimumBodyRateGracePeriod` (else 408): a client trickling a byte now and
    /// then never pauses long enough for `bodyReadTimeout`, and a fast start does not buy
    /// it time later (the rate is not averaged over the whole request). 0 disables it.
    public var minimumBodyBytesPerSecond: Int
    public var minimumBodyRateGracePeriod: Duration
    /// Most request-body bytes all connections together may hold (bodies being received,
    /// counting a declared Content-Length in full, and bodies handed to the handler). A
    /// request whose body would go past it is answered 503 and its connection closed.
    public var maxBufferedBodyBytes: Int
    /// Most connections open at once. At the cap, a new connection replaces one lingering
    /// after an error response, else the one idle longest (between requests, or without a
    /// first byte); when none is, accepting pauses until one closes. Either way one
    /// diagnostics line per second says so.
    /// Lowered at start to fit the process's descriptor limit (with room for guests' files).
    public var maxConnections: Int
    /// Keep-alive connections with no request in progress are closed after this.
    public var idleTimeout: Duration
    /// Longest pause while the client does not accept response bytes.
    public var writeTimeout: Duration
    /// `stop()` waits this long for in-flight requests before closing everything.
    public var shutdownGracePeriod: Duration
    public var backlog: Int32

    public init(
        address: String = "127.0.0.1:3000", limits: HTTPLimits = .default,
        workerCount: Int = ProcessInfo.processInfo.activeProcessorCount,
        workerStackSize: Int = 8 << 20,
        headerReadTimeout: Duration = .seconds(10), bodyReadTimeout: Duration = .seconds(15),
        minimumBodyBytesPerSecond: Int = 240, minimumBodyRateGracePeriod: Duration = .seconds(10),
        maxBufferedBodyBytes: Int = 128 << 20,
        idleTimeout: Duration = .seconds(30), writeTimeout: Duration = .seconds(30),
        shutdownGracePeriod: Duration = .seconds(30), backlog: Int32 = 1024, maxConnections: Int = 4096
    ) {
        self.address = address
        self.limits = limits
        self.workerCount = workerCount
        self.workerStackSize = workerStackSize
        self.headerReadTimeout = headerReadTimeout
        self.bodyReadTimeout = bodyReadTimeout
        self.minimumBodyBytesPerSecond = minimumBodyBytesPerSecond
        self.minimumBodyRateGracePeriod = minimumBodyRateGracePeriod
        self.maxBufferedBodyBytes = maxBufferedBodyBytes
        self.maxConnections = maxConnections
        self.idleTimeout = idleTimeout
        self.writeTimeout = writeTimeout
        self.shutdownGracePeriod = shutdownGracePeriod
        self.backlog = backlog
    }

    /// `maxConnections`, lowered to leave 256 descriptors of the limit `limit` for guests'
    /// files and the host; with a small limit, still up to 64 (at most half the limit).
    static func effectiveMaxConnections(_ configured: Int, descriptorLimit limit: Int?) -> Int {
        let reservedDescriptors = 256
        let minimumConnections = 64
        guard let limit else { return max(configured, 1) }
        let fitting = max(limit - reservedDescriptors, min(minimumConnections, limit / 2))
        return max(1, min(configured, fitting))
    }

    /// Raises the soft descriptor limit (RLIMIT_NOFILE) to the hard limit, as Go's runtime
    /// and nginx do. Returns the soft limit in force afterwards (nil when unknown) and an
    /// error text when raising failed.
    static func raiseDescriptorLimit() -> (limit: Int?, error: String?) {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else {
            return (nil, "getrlimit: \(String(cString: strerror(errno)))")
        }
        var error: String? = nil
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            // An unlimited hard limit is not a descriptor count; 1 Mi is plenty.
            raised.rlim_cur = limit.rlim_max == rlim_t.max ? max(limit.rlim_cur, 1 << 20) : limit.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 {
                limit = raised
            } else {
                error = "setrlimit(RLIMIT_NOFILE, \(raised.rlim_cur)): \(String(cString: strerror(errno)))"
            }
        }
        return (limit.rlim_cur == rlim_t.max ? nil : Int(clamping: limit.rlim_cur), error)
    }
}

/// An HTTP/1.1 server over POSIX sockets: one poll(2) I/O thread (accept, read, parse,
/// write, timeouts) and a pool of worker threads that run the handler.
///
///     let server = HTTPServer(configuration: .init(address: "127.0.0.1:3000"), handler: { req in ... })
///     try server.start()
///     let signals = server.stopOnSignals()   // SIGINT / SIGTERM ⇒ graceful stop
///     server.waitUntilStopped()
public final class HTTPServer: Sendable {
    public let configuration: HTTPServerConfiguration
    let handler: HTTPHandler
    let logger: HTTPRequestLogger?
    let diagnostics: (@Sendable (String) -> Void)?

    private struct State: Sendable {
        var started = false
        var loop: EventLoop?
        var address: SocketAddress?
    }
    private let state = Mutex(State())
    private let stopped = DispatchGroup()
    private let stopOnce = Mutex(false)

    /// - Parameters:
    ///   - logger: one call per handled request (request, response, handler duration).
    ///   - diagnostics: protocol errors and I/O problems, one line each (e.g. `127.0.0.1:5 → 400`).
    public init(
        configuration: HTTPServerConfiguration = .init(), handler: @escaping HTTPHandler,
        logger: HTTPRequestLogger? = nil, diagnostics: (@Sendable (String) -> Void)? = nil
    ) {
        self.configuration = configuration
        self.handler = handler
        self.logger = logger
        self.diagnostics = diagnostics
    }

    /// Binds, listens and starts the I/O and worker threads. Returns once the socket is listening.
    public func start() throws {
        let address = try SocketAddress.parse(configuration.address)
        let fd = try Socket.listen(on: address, backlog: configuration.backlog)
        let bound = SocketAddress.local(of: fd) ?? address
        let loop: EventLoop
        do {
            loop = try EventLoop(listenFD: fd, localAddress: bound, server: self)
        } catch {
            close(fd)
            throw error
        }
        try state.withLock { s in
            guard !s.started else { throw HTTPServerError("server already started") }
            s.started = true
            s.loop = loop
            s.address = bound
        }
        stopped.enter()
        let thread = Thread { [self] in
            setCurrentThreadName("http-io")
            loop.run()
            stopped.leave()
        }
        thread.start()
    }

    /// The bound address, e.g. `127.0.0.1:3000` (with the real port when 0 was asked for).
    public var localAddress: String { state.withLock { $0.address?.description ?? configuration.address } }

    /// Most connections held open at once: `maxConnections` as fitted at start to the
    /// descriptor limit (the configured value before `start()`).
    public var maxConnections: Int { state.withLock { $0.loop?.maxConnections ?? configuration.maxConnections } }

    /// The process's open-file limit (soft RLIMIT_NOFILE) as raised at start; nil before
    /// `start()` or when unknown.
    public var descriptorLimit: Int? { state.withLock { $0.loop?.descriptorLimit } }

    /// Request-body bytes the server holds now (see `maxBufferedBodyBytes`).
    package var bufferedBodyBytes: Int {
        state.withLock { $0.loop?.bufferedBodyBytesGauge.load(ordering: .relaxed) ?? 0 }
    }

    /// The bound port (0 before `start()`).
    public var port: Int { state.withLock { $0.address?.port ?? 0 } }

    /// Graceful shutdown: stops accepting, closes idle connections, lets in-flight requests
    /// finish (their responses carry `connection: close`), then closes everything; forced after
    /// `shutdownGracePeriod`. Blocks until done. Safe to call more than once and from any thread
    /// except a handler.
    public func stop() {
        let loop = state.withLock { $0.loop }
        guard let loop else { return }
        loop.requestStop()
        stopped.wait()
        let first = stopOnce.withLock { done -> Bool in
            defer { done = true }
            return !done
        }
        if first {
            let grace = DispatchTime.now() + .milliseconds(Int(configuration.shutdownGracePeriod.milliseconds))
            loop.pool.shutdown(timeout: grace)
        }
    }

    /// Blocks until the server has stopped (after `stop()`, e.g. from a signal).
    public func waitUntilStopped() {
        guard state.withLock({ $0.started }) else { return }
        stopped.wait()
        _ = stopOnce.withLock { $0 }
    }

    /// Installs SIGINT/SIGTERM handling (via DispatchSource) that calls `stop()` once.
    /// Keep the returned object alive; `cancel()` it to restore default handling.
    public func stopOnSignals(
        _ signals: [Int32] = [SIGINT, SIGTERM],
        onSignal: (@Sendable (Int32) -> Void)? = nil
    ) -> SignalHandlers {
        SignalHandlers.install(signals) { [self] sig in
            onSignal?(sig)
            DispatchQueue.global().async { self.stop() }
        }
    }
}

extension HTTPServer {
    /// A request log line without the component name:
    /// `GET /hello?x=1 200 1.234ms` (method, target, status, handler duration).
    package static func logLine(_ request: HTTPRequest, _ response: HTTPResponse, _ duration: Duration) -> String {
        var line = "\(request.method) \(request.target) "
        if let label = response.logLabel { line += label + " " }
        return line + "\(response.status) \(milliseconds(duration))"
    }

    /// `1.234ms`.
    package static func milliseconds(_ duration: Duration) -> String {
        let micros = duration.components.seconds * 1_000_000 + duration.components.attoseconds / 1_000_000_000_000
        return "\(micros / 1000).\(String(1000 + micros % 1000).dropFirst())ms"
    }
}

/// Signal handling through DispatchSource (the signals are ignored at process level while installed).
public final class SignalHandlers: @unchecked Sendable {
    // Guarded by `lock`.
    private var sources: [DispatchSourceSignal]
    private let lock = Mutex(())
    private let signals: [Int32]

    private init(signals: [Int32], sources: [DispatchSourceSignal]) {
        self.signals = signals
        self.sources = sources
    }

    /// Calls `handler` (on a background queue) each time one of `signals` arrives.
    public static func install(
        _ signals: [Int32] = [SIGINT, SIGTERM],
        queue: DispatchQueue = DispatchQueue(label: "spin.signals"),
        handler: @escaping @Sendable (Int32) -> Void
    ) -> SignalHandlers {
        var sources: [DispatchSourceSignal] = []
        let registered = DispatchSemaphore(value: 0)
        for sig in signals {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: queue)
            source.setEventHandler { handler(sig) }
            source.setRegistrationHandler { registered.signal() }
            source.resume()
            sources.append(source)
        }
        // `resume` registers the sources asynchronously: wait until they are, so that a signal
        // sent once this returns (a caller prints "Serving" next) is handled, not ignored.
        for _ in signals { _ = registered.wait(timeout: .now() + 1) }
        return SignalHandlers(signals: signals, sources: sources)
    }

    /// Stops handling and restores the default disposition of the signals.
    public func cancel() {
        let all = lock.withLock { _ -> [DispatchSourceSignal] in
            defer { sources = [] }
            return sources
        }
        for s in all { s.cancel() }
        if !all.isEmpty { for sig in signals { signal(sig, SIG_DFL) } }
    }
}

// MARK: - The I/O thread

private let readChunk = 64 * 1024
/// Most streamed-body bytes moved into a connection's output before the client takes them.
private let streamWindow = 64 * 1024
private let lingerMilliseconds: Int64 = 2000
private let lingerMaxBytes = 1 << 20
private let pollIn = UInt32(POLLIN)
private let pollOut = UInt32(POLLOUT)
private let pollHup = UInt32(POLLHUP)
private let pollErr = UInt32(POLLERR | POLLNVAL)

final class EventLoop: @unchecked Sendable {
    // Shared with other threads:
    let pool: WorkerPool
    private let completions = Mutex<[(connID: Int, fd: Int32, response: HTTPResponse)]>([])
    /// Ids of connections whose response stream got bytes or its end.
    private let readableStreams = Mutex<[Int]>([])
    private let stopRequested = Atomic<Bool>(false)
    private let wakeRead: Int32
    private let wakeWrite: Int32

    // I/O thread only:
    private unowned let server: HTTPServer
    private var listenFD: Int32
    private let localAddress: SocketAddress
    private var conns: [Int32: Connection] = [:]
    /// Connections streaming a response body, by id.
    private var streaming: [Int: Connection] = [:]
    private var nextID = 0
    private var stopping = false
    private var stopDeadline: Int64 = 0
    private var acceptPausedUntil: Int64 = 0
    private var listenerRegistered = true
    private var readBuffer = [UInt8](repeating: 0, count: readChunk)
    private let timeouts: (header: Int64, body: Int64, idle: Int64, write: Int64, grace: Int64)
    private let minimumBodyRate: (bytesPerSecond: Int64, grace: Int64)
    let maxConnections: Int
    /// The soft RLIMIT_NOFILE after raising it at start (nil when unknown).
    let descriptorLimit: Int?
    private let maxBufferedBodyBytes: Int
    /// Body bytes all connections hold (sum of `Connection.heldBodyBytes`).
    private var bufferedBodyBytes = 0 {
        didSet {
            bufferedBodyBytesGauge.store(bufferedBodyBytes, ordering: .relaxed)
            if bufferedBodyBytes < oldValue { releasedBodyBytes += oldValue - bufferedBodyBytes }
        }
    }
    /// Body bytes released since the heap was last trimmed (see `trimHeapIfBodiesWereReleased`).
    private var releasedBodyBytes = 0
    /// `bufferedBodyBytes` for other threads (tests, diagnostics).
    let bufferedBodyBytesGauge = Atomic<Int>(0)
    /// Connections closed or waited for because of `maxConnections` since the last log line.
    private var capEvents = (evicted: 0, paused: 0, lastLog: Int64.min / 2)

    private enum Phase {
        case reading
        case dispatched
        case closeAfterWrite(linger: Bool)
        case lingering(deadline: Int64, discarded: Int)
    }

    private final class Connection {
        let fd: Int32
        let id: Int
        let remote: String
        var sm: HTTPConnectionStateMachine
        var phase: Phase = .reading
        var out: [UInt8] = []
        var outOffset = 0
        var interest: UInt32 = 0
        var idleSince: Int64
        var requestStart: Int64 = 0
        /// Start of the current window of the minimum rate, and bytes received in it.
        var windowStart: Int64 = 0
        var windowBytes = 0
        /// Body bytes counted in `bufferedBodyBytes` for this connection.
        var heldBodyBytes = 0
        /// Size of the body handed to the handler, held until the response is in.
        var dispatchedBodyBytes = 0
        var lastRead: Int64
        var lastWrite: Int64
        /// The body being streamed (phase `.dispatched` meanwhile), its framing, the bytes a
        /// `content-length` still expects, and whether to close once it is sent.
        var stream: HTTPResponseBodyStream?
        var streamFraming: HTTPResponseSerializer.StreamFraming = .none
        var streamRemaining = 0
        var streamClose = false

        init(fd: Int32, id: Int, remote: String, limits: HTTPLimits, now: Int64) {
            self.fd = fd
            self.id = id
            self.remote = remote
            sm = HTTPConnectionStateMachine(limits: limits)
            idleSince = now
            lastRead = now
            lastWrite = now
        }

        var outPending: Bool { outOffset < out.count }
    }

    init(listenFD: Int32, localAddress: SocketAddress, server: HTTPServer) throws {
        self.listenFD = listenFD
        self.localAddress = localAddress
        self.server = server
        let c = server.configuration
        timeouts = (
            c.headerReadTimeout.milliseconds, c.bodyReadTimeout.milliseconds, c.idleTimeout.milliseconds,
            c.writeTimeout.milliseconds, c.shutdownGracePeriod.milliseconds
        )
        minimumBodyRate = (Int64(c.minimumBodyBytesPerSecond), c.minimumBodyRateGracePeriod.milliseconds)
        let descriptors = HTTPServerConfiguration.raiseDescriptorLimit()
        if let error = descriptors.error {
            server.diagnostics?("could not raise the descriptor limit: \(error)")
        }
        descriptorLimit = descriptors.limit
        maxConnections = HTTPServerConfiguration.effectiveMaxConnections(
            c.maxConnections, descriptorLimit: descriptors.limit)
        maxBufferedBodyBytes = max(0, c.maxBufferedBodyBytes)
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw HTTPServerError.errno("pipe") }
        wakeRead = fds[0]
        wakeWrite = fds[1]
        for fd in fds {
            Socket.setNonBlocking(fd)
            Socket.setCloseOnExec(fd)
        }
        pool = WorkerPool(threads: c.workerCount, stackSize: c.workerStackSize, name: "http-worker")
    }

    // MARK: cross-thread entry points

    func requestStop() {
        stopRequested.store(true, ordering: .sequentiallyConsistent)
        wake()
    }

    private func complete(connID: Int, fd: Int32, response: HTTPResponse) {
        completions.withLock { $0.append((connID, fd, response)) }
        wake()
    }

    private func wake() {
        var b: UInt8 = 1
        _ = write(wakeWrite, &b, 1)
    }

    // MARK: loop

    func run() {
        var pollSet: [pollfd] = []
        // The connection each pollSet entry was built for (nil for the wake pipe and listener),
        // so events are never applied to a different connection that reused the descriptor.
        var polled: [Connection?] = []
        var lastSweep = monotonicMilliseconds()
        while true {
            pollSet.removeAll(keepingCapacity: true)
            polled.removeAll(keepingCapacity: true)
            pollSet.append(pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0))
            polled.append(nil)
            if listenerRegistered && listenFD >= 0 {
                pollSet.append(pollfd(fd: listenFD, events: Int16(POLLIN), revents: 0))
                polled.append(nil)
            }
            for conn in conns.values {
                pollSet.append(pollfd(fd: conn.fd, events: Int16(truncatingIfNeeded: conn.interest), revents: 0))
                polled.append(conn)
            }
            let n = poll(&pollSet, nfds_t(pollSet.count), 100)
            let now = monotonicMilliseconds()
            if n < 0 && errno != EINTR {
                diagnose("poll: \(String(cString: strerror(errno)))")
                break
            }
            if n > 0 {
                for (index, entry) in pollSet.enumerated() where entry.revents != 0 {
                    let ev = UInt32(UInt16(bitPattern: entry.revents))
                    if let conn = polled[index] {
                        if conns[conn.fd] === conn { handle(conn, events: ev, now: now) }
                    } else if entry.fd == wakeRead {
                        var sink = [UInt8](repeating: 0, count: 256)
                        while read(wakeRead, &sink, sink.count) > 0 {}
                    } else if entry.fd == listenFD && listenerRegistered {
                        acceptAll(now: now)
                    }
                }
            }
            drainCompletions(now: monotonicMilliseconds())
            pumpReadableStreams(now: monotonicMilliseconds())
            if stopRequested.load(ordering: .sequentiallyConsistent) && !stopping {
                beginStopping(now: now)
            }
            if now - lastSweep >= 100 || stopping {
                lastSweep = now
                sweepTimeouts(now: now)
            }
            if !listenerRegistered && !stopping && now >= acceptPausedUntil {
                listenerRegistered = true
            }
            if stopping && (conns.isEmpty || now >= stopDeadline) {
                break
            }
        }
        for conn in Array(conns.values) { closeConnection(conn) }
        if listenFD >= 0 { close(listenFD) }
        close(wakeRead)
        close(wakeWrite)
    }

    private func beginStopping(now: Int64) {
        stopping = true
        stopDeadline = now + timeouts.grace
        if listenFD >= 0 {
            close(listenFD)
            listenFD = -1
            listenerRegistered = false
        }
        for conn in Array(conns.values) {
            if case .reading = conn.phase, conn.sm.isIdle, !conn.outPending {
                closeConnection(conn)
            }
        }
    }

    private func acceptAll(now: Int64) {
        while true {
            if conns.count >= maxConnections && (!connectionPending() || !makeRoom(now: now)) { return }
            var storage = sockaddr_storage()
            var len = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let fd = withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { accept(listenFD, $0, &len) }
            }
            if fd < 0 {
                let e = errno
                if e == EAGAIN || e == EWOULDBLOCK || e == EINTR || e == ECONNABORTED { return }
                if e == EMFILE || e == ENFILE || e == ENOBUFS || e == ENOMEM {
                    // Out of descriptors: stop polling the listener for a moment instead of spinning.
                    diagnose("accept: \(String(cString: strerror(e))); pausing accepts")
                    listenerRegistered = false
                    acceptPausedUntil = now + 100
                }
                return
            }
            Socket.setNonBlocking(fd)
            Socket.setCloseOnExec(fd)
            Socket.setOption(fd, Int32(IPPROTO_TCP), TCP_NODELAY, 1)
            let remote = SocketAddress.from(storage)?.description ?? "unknown"
            nextID += 1
            let conn = Connection(fd: fd, id: nextID, remote: remote, limits: server.configuration.limits, now: now)
            conns[fd] = conn
            conn.interest = pollIn
        }
    }

    private func handle(_ conn: Connection, events: UInt32, now: Int64) {
        if events & (pollErr | pollHup) != 0 && events & pollIn == 0 {
            closeConnection(conn)
            return
        }
        if events & pollOut != 0 {
            guard flush(conn, now: now) else { return }
            if conn.stream != nil {
                pump(conn, now: now)
                guard conns[conn.fd] === conn else { return }
            }
            if case .reading = conn.phase, !conn.outPending { process(conn, now: now) }
        }
        guard conns[conn.fd] === conn else { return }
        if events & (pollIn | pollHup | pollErr) != 0 {
            switch conn.phase {
            case .reading:
                guard !conn.outPending else { break }
                readRequestBytes(conn, now: now)
            case .lingering(let deadline, let discarded):
                let n = recv(conn.fd, &readBuffer, readChunk, 0)
                if n > 0 && discarded + n < lingerMaxBytes {
                    conn.phase = .lingering(deadline: deadline, discarded: discarded + n)
                } else if n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR) || n > 0 {
                    closeConnection(conn)
                }
            case .dispatched, .closeAfterWrite:
                // Not reading; a hang-up while the handler runs ends the connection.
                if events & (pollHup | pollErr) != 0 { closeConnection(conn) }
            }
        }
    }

    private func readRequestBytes(_ conn: Connection, now: Int64) {
        let n = recv(conn.fd, &readBuffer, readChunk, 0)
        if n == 0 {
            _ = conn.sm.peerClosed()
            closeConnection(conn)
            return
        }
        if n < 0 {
            if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { return }
            closeConnection(conn)
            return
        }
        if conn.sm.isIdle {
            conn.requestStart = now
            conn.windowStart = now
            conn.windowBytes = 0
        }
        conn.windowBytes += n
        conn.lastRead = now
        conn.sm.feed(readBuffer[0..<n])
        process(conn, now: now)
    }

    /// Runs the state machine until it needs bytes, dispatches, or closes.
    private func process(_ conn: Connection, now: Int64) {
        loop: while conns[conn.fd] === conn, case .reading = conn.phase, !conn.outPending {
            conn.sm.bodyBudget = maxBufferedBodyBytes - (bufferedBodyBytes - conn.heldBodyBytes)
            let action = conn.sm.nextAction()
            account(conn)
            switch action {
            case .needMoreData:
                if stopping && conn.sm.isIdle {
                    closeConnection(conn)
                    return
                }
                break loop
            case .sendContinue:
                conn.out += HTTPResponseSerializer.continueResponse
                guard flush(conn, now: now) else { return }
            case .dispatch(let head, let body, let trailers):
                conn.phase = .dispatched
                conn.dispatchedBodyBytes = body.count
                account(conn)
                var request = HTTPRequest(
                    head: head, body: body, trailers: trailers,
                    remoteAddress: conn.remote, localAddress: localAddress.description)
                let id = conn.id, fd = conn.fd
                let handler = server.handler, logger = server.logger
                let started = EarlyResponse()
                request.startResponse = { [self] response in
                    let first = started.value.withLock { s -> Bool in
                        guard s == nil else { return false }
                        s = response
                        return true
                    }
                    if first { complete(connID: id, fd: fd, response: response) }
                }
                pool.submit { [self, request] in
                    let clock = ContinuousClock()
                    let start = clock.now
                    let returned = handler(request)
                    let duration = clock.now - start
                    let early = started.value.withLock { s -> HTTPResponse? in
                        defer { if s == nil { s = returned } }
                        return s
                    }
                    if let early {
                        // The response went out early; a body the handler left open is incomplete.
                        early.bodyStream?.abort()
                        logger?(request, early, duration)
                    } else {
                        logger?(request, returned, duration)
                        complete(connID: id, fd: fd, response: returned)
                    }
                }
            case .respondAndClose(let status, let bytes):
                diagnose("\(conn.remote): \(status) \(HTTPStatus.reasonPhrase(status))")
                conn.out += bytes
                conn.phase = .closeAfterWrite(linger: true)
                _ = flush(conn, now: now)
                return
            case .close:
                closeConnection(conn)
                return
            case .awaitingResponse:
                break loop
            }
        }
        if conns[conn.fd] === conn { updateInterest(conn) }
    }

    private func drainCompletions(now: Int64) {
        let done = completions.withLock { c -> [(connID: Int, fd: Int32, response: HTTPResponse)] in
            defer { c.removeAll() }
            return c
        }
        for item in done {
            guard let conn = conns[item.fd], conn.id == item.connID, case .dispatched = conn.phase else { continue }
            let framing = conn.sm.streamFraming(for: item.response)
            let (bytes, close) = conn.sm.responseBytes(for: item.response, forceClose: stopping)
            conn.out += bytes
            conn.dispatchedBodyBytes = 0
            account(conn)
            if let stream = item.response.bodyStream {
                // Stays `.dispatched` (not reading) until the stream ends; see `pump`.
                conn.stream = stream
                conn.streamFraming = framing
                conn.streamClose = close
                if case .length(let n) = framing { conn.streamRemaining = n }
                streaming[conn.id] = conn
                let id = conn.id
                stream.setReadableHandler { [self] in
                    readableStreams.withLock { $0.append(id) }
                    wake()
                }
                guard flush(conn, now: now) else { continue }
                continue
            }
            conn.phase = close ? .closeAfterWrite(linger: false) : .reading
            conn.idleSince = now
            // Timers for a pipelined request already (partly) buffered start now.
            conn.requestStart = now
            conn.windowStart = now
            conn.windowBytes = conn.sm.bufferedByteCount
            conn.lastRead = now
            guard flush(conn, now: now) else { continue }
            if case .reading = conn.phase, !conn.outPending { process(conn, now: now) }
        }
    }

    /// Pumps the streams that signalled bytes or their end.
    private func pumpReadableStreams(now: Int64) {
        let ids = readableStreams.withLock { r -> [Int] in
            defer { r.removeAll() }
            return r
        }
        for id in ids {
            if let conn = streaming[id], conns[conn.fd] === conn { pump(conn, now: now) }
        }
    }

    /// Moves streamed body bytes into the connection's output while less than `streamWindow`
    /// bytes wait to be sent (so a slow client leaves the rest in the bounded stream, and its
    /// writer blocks), framing them; at the stream's end completes the response as
    /// `drainCompletions` does for a whole one.
    private func pump(_ conn: Connection, now: Int64) {
        guard let stream = conn.stream else { return }
        var end: HTTPResponseBodyStream.End?
        while conn.out.count - conn.outOffset < streamWindow {
            let (bytes, e) = stream.read(max: streamWindow)
            end = e
            if !bytes.isEmpty {
                switch conn.streamFraming {
                case .none:
                    break
                case .chunked:
                    conn.out += Array(String(bytes.count, radix: 16).utf8) + [0x0D, 0x0A]
                    conn.out += bytes
                    conn.out += [0x0D, 0x0A]
                case .length:
                    conn.out += bytes
                    conn.streamRemaining -= bytes.count
                case .untilClose:
                    conn.out += bytes
                }
            }
            if end != nil || bytes.isEmpty { break }
        }
        if let end {
            conn.stream = nil
            streaming[conn.id] = nil
            var complete = false
            if case .finished(let trailers) = end {
                complete = true
                if conn.streamFraming == .chunked {
                    var tail = "0\r\n"
                    for (name, value) in trailers where !name.isEmpty && name.utf8.allSatisfy(isTokenChar) {
                        let clean = value.unicodeScalars.map { $0 == "\r" || $0 == "\n" || $0 == "\0" ? " " : Character($0) }
                        tail += "\(name): \(String(clean))\r\n"
                    }
                    tail += "\r\n"
                    conn.out += Array(tail.utf8)
                } else if case .length = conn.streamFraming, conn.streamRemaining != 0 {
                    complete = false
                }
            }
            if !complete {
                // An incomplete message: close without finishing it, so the client sees the error.
                diagnose("\(conn.remote): response body ended incomplete; closing the connection")
                conn.phase = .closeAfterWrite(linger: false)
            } else {
                conn.phase = conn.streamClose || conn.streamFraming == .untilClose ? .closeAfterWrite(linger: false) : .reading
            }
            conn.idleSince = now
            conn.requestStart = now
            conn.windowStart = now
            conn.windowBytes = conn.sm.bufferedByteCount
            conn.lastRead = now
            guard flush(conn, now: now) else { return }
            if case .reading = conn.phase, !conn.outPending { process(conn, now: now) }
            return
        }
        _ = flush(conn, now: now)
    }

    /// Writes pending output. Returns false when the connection was closed.
    private func flush(_ conn: Connection, now: Int64) -> Bool {
        while conn.outPending {
            let n = conn.out.withUnsafeBytes { buf in
                send(conn.fd, buf.baseAddress! + conn.outOffset, buf.count - conn.outOffset, Int32(MSG_NOSIGNAL))
            }
            if n > 0 {
                conn.outOffset += n
                conn.lastWrite = now
            } else if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                break
            } else if n < 0 && errno == EINTR {
                continue
            } else {
                closeConnection(conn)
                return false
            }
        }
        if !conn.outPending {
            conn.out = []
            conn.outOffset = 0
            conn.idleSince = now
            if case .closeAfterWrite(let linger) = conn.phase {
                if linger {
                    // Unread request bytes would turn close() into a reset that can destroy the
                    // response in flight; half-close and drain briefly first.
                    shutdown(conn.fd, Int32(SHUT_WR))
                    conn.phase = .lingering(deadline: now + lingerMilliseconds, discarded: 0)
                } else {
                    closeConnection(conn)
                    return false
                }
            }
        }
        updateInterest(conn)
        return true
    }

    private func updateInterest(_ conn: Connection) {
        var want: UInt32 = 0
        if conn.outPending { want |= pollOut }
        switch conn.phase {
        case .reading: if !conn.outPending { want |= pollIn }
        case .lingering: want |= pollIn
        case .dispatched, .closeAfterWrite: break
        }
        conn.interest = want
    }

    private func sweepTimeouts(now: Int64) {
        logCapEvents(now: now)
        trimHeapIfBodiesWereReleased()
        for conn in Array(conns.values) {
            if conn.outPending {
                if now - conn.lastWrite > timeouts.write { closeConnection(conn) }
                continue
            }
            switch conn.phase {
            case .reading:
                if conn.sm.isIdle {
                    if stopping || now - conn.idleSince > timeouts.idle { closeConnection(conn) }
                } else if conn.sm.isReadingBody {
                    if now - conn.lastRead > timeouts.body || isBelowMinimumBodyRate(conn, now: now) {
                        timeOut(conn, now: now)
                    }
                } else if now - conn.requestStart > timeouts.header {
                    timeOut(conn, now: now)
                }
            case .lingering(let deadline, _):
                if now >= deadline || (stopping && now + lingerMilliseconds - deadline > 200) { closeConnection(conn) }
            case .dispatched, .closeAfterWrite:
                break
            }
        }
    }

    /// Whether a body arrived slower than `minimumBodyBytesPerSecond` over the window that
    /// just ended (windows of `minimumBodyRateGracePeriod`, each starting when the previous
    /// one was checked): a burst long ago does not excuse a trickle now.
    private func isBelowMinimumBodyRate(_ conn: Connection, now: Int64) -> Bool {
        let elapsed = now - conn.windowStart
        guard minimumBodyRate.bytesPerSecond > 0, elapsed > minimumBodyRate.grace else { return false }
        if Int64(conn.windowBytes) * 1000 < minimumBodyRate.bytesPerSecond * elapsed { return true }
        conn.windowStart = now
        conn.windowBytes = 0
        return false
    }

    /// After large bodies were released, hands the freed memory back to the system: glibc keeps
    /// freed large blocks in its heap (its mmap threshold grows after such frees), so without
    /// this the RSS stays at its peak after slow or refused uploads end.
    private func trimHeapIfBodiesWereReleased() {
        guard releasedBodyBytes >= 16 << 20, bufferedBodyBytes < releasedBodyBytes else { return }
        releasedBodyBytes = 0
        _ = glibcMallocTrim(0)
    }

    /// Brings `bufferedBodyBytes` up to date with what `conn` holds now.
    private func account(_ conn: Connection) {
        let held = conn.sm.heldBodyBytes + conn.dispatchedBodyBytes
        bufferedBodyBytes += held - conn.heldBodyBytes
        conn.heldBodyBytes = held
    }

    /// Whether a connection waits in the listen queue (checked before closing one to make room).
    private func connectionPending() -> Bool {
        var entry = pollfd(fd: listenFD, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, 0) > 0 && entry.revents & Int16(POLLIN) != 0
    }

    /// At `maxConnections`: closes a connection lingering after an error response, else the
    /// one idle longest (between requests or before its first byte), and returns true; when
    /// every connection is busy, pauses accepting for a moment and returns false. Logs at
    /// most one line per second.
    private func makeRoom(now: Int64) -> Bool {
        var victim: Connection?
        for conn in conns.values {
            // A connection lingering after its error response is done: the best candidate.
            if case .lingering = conn.phase {
                victim = conn
                break
            }
            guard case .reading = conn.phase, !conn.outPending, conn.sm.isIdle else { continue }
            if victim == nil || conn.idleSince < victim!.idleSince { victim = conn }
        }
        if let victim {
            closeConnection(victim)
            capEvents.evicted += 1
        } else {
            listenerRegistered = false
            acceptPausedUntil = now + 50
            capEvents.paused += 1
        }
        logCapEvents(now: now)
        return victim != nil
    }

    /// One line per second at most about `maxConnections`, with the counts since the last
    /// line; the sweep calls it too, so the tail of a burst is reported, not dropped.
    private func logCapEvents(now: Int64) {
        guard capEvents.evicted + capEvents.paused > 0, now - capEvents.lastLog >= 1000 else { return }
        diagnose(
            "connection limit \(maxConnections) reached: closed \(capEvents.evicted) idle connection(s) for new "
                + "ones; \(capEvents.paused) time(s) no connection was idle, so accepting paused")
        capEvents = (0, 0, now)
    }

    private func timeOut(_ conn: Connection, now: Int64) {
        let action = conn.sm.timedOut()
        account(conn)
        switch action {
        case .respondAndClose(let status, let bytes):
            diagnose("\(conn.remote): \(status) \(HTTPStatus.reasonPhrase(status))")
            conn.out += bytes
            conn.phase = .closeAfterWrite(linger: true)
            _ = flush(conn, now: now)
        default:
            closeConnection(conn)
        }
    }

    private func closeConnection(_ conn: Connection) {
        guard conns[conn.fd] === conn else { return }
        conns[conn.fd] = nil
        if let stream = conn.stream {
            stream.cancel()
            conn.stream = nil
            streaming[conn.id] = nil
        }
        bufferedBodyBytes -= conn.heldBodyBytes
        conn.heldBodyBytes = 0
        close(conn.fd)
    }

    private func diagnose(_ message: String) {
        server.diagnostics?(message)
    }
}

/// The response a handler sent early through `HTTPRequest.startResponse`, if any.
private final class EarlyResponse: Sendable {
    let value = Mutex<HTTPResponse?>(nil)
}

/// glibc's `malloc_trim` (declared in `<malloc.h>`, which the Glibc module does not import).
@_silgen_name("malloc_trim")
private func glibcMallocTrim(_ pad: Int) -> Int32
