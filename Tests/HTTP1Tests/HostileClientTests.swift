import Dispatch
import Foundation
import Synchronization
import TestSupport
import Testing

@testable import HTTP1

#if canImport(Glibc)
    import Glibc
#endif

/// Clients that attack the server instead of using it: slowloris, floods, oversized lines,
/// request smuggling, and more connections than it may hold. Every test runs a live server.
@Suite(.serialized, .tags(.live), .timeLimit(.minutes(1))) struct HostileClientTests {
    /// Starts a server whose diagnostics lines are collected, for the tests that check the log.
    func withLoggingServer(
        _ config: HTTPServerConfiguration, _ body: (HTTPServer, Recorder, _ diagnostics: () -> [String]) throws -> Void
    ) throws {
        let rec = Recorder()
        let lines = Mutex<[String]>([])
        let server = HTTPServer(
            configuration: config, handler: testHandler(rec),
            logger: { req, resp, _ in rec.logs.withLock { $0.append((req.method, req.path, resp.status)) } },
            diagnostics: { line in lines.withLock { $0.append(line) } })
        try server.start()
        defer { server.stop() }
        try body(server, rec) { lines.withLock { $0 } }
    }

    /// Sends `text` one byte every `interval` on a background thread until done or the peer closes.
    func trickle(_ client: TestClient, _ text: String, interval: Duration) {
        let bytes = Array(text.utf8)
        let micros = UInt32(interval.milliseconds * 1000)
        Thread.detachNewThread {
            for b in bytes {
                let n = withUnsafeBytes(of: b) { Glibc.send(client.fd, $0.baseAddress!, 1, Int32(MSG_NOSIGNAL)) }
                if n <= 0 { return }
                usleep(micros)
            }
        }
    }

    @Test func slowlorisHeaderTrickleTimesOut() throws {
        try withServer(config { $0.headerReadTimeout = .milliseconds(500) }) { server, rec in
            let c = try TestClient(port: server.port)
            let start = ContinuousClock.now
            // A byte every 50 ms never pauses long, but the head as a whole must arrive in 500 ms.
            trickle(
                c, "GET /sleep HTTP/1.1\r\nHost: t\r\n" + String(repeating: "X-Slow: 1\r\n", count: 50),
                interval: .milliseconds(50))
            let r = try #require(c.readResponse())
            #expect(r.status == 408)
            #expect(r.header("connection") == "close")
            #expect(c.waitForClose())
            #expect(ContinuousClock.now - start < .seconds(3))
            #expect(rec.logs.withLock { $0.isEmpty })
        }
    }

    @Test func slowlorisBodyTrickleTimesOut() throws {
        let cfg = config {
            $0.bodyReadTimeout = .seconds(30)
            $0.minimumBodyBytesPerSecond = 200
            $0.minimumBodyRateGracePeriod = .milliseconds(500)
        }
        try withServer(cfg) { server, rec in
            let c = try TestClient(port: server.port)
            c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\n")
            let start = ContinuousClock.now
            // 20 bytes per second: each pause is far below bodyReadTimeout, the rate far below 200 B/s.
            trickle(c, String(repeating: "x", count: 1000), interval: .milliseconds(50))
            let r = try #require(c.readResponse())
            #expect(r.status == 408)
            #expect(c.waitForClose())
            #expect(ContinuousClock.now - start < .seconds(5))
            #expect(rec.logs.withLock { $0.isEmpty })
            // A body sent at full speed is unaffected by the same limit.
            let fast = try TestClient(port: server.port)
            fast.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\n\r\n" + String(repeating: "y", count: 5000))
            #expect(fast.readResponse()?.body.count == 5000)
        }
    }

    @Test func headerFieldFloodGets431AndClose() throws {
        try withServer(config()) { server, rec in
            let c = try TestClient(port: server.port)
            c.send("GET /info HTTP/1.1\r\nHost: t\r\n" + (0..<5000).map { "X-\($0): v\r\n" }.joined() + "\r\n")
            let r = try #require(c.readResponse())
            #expect(r.status == 431)
            #expect(r.header("connection") == "close")
            #expect(c.waitForClose())
            #expect(rec.logs.withLock { $0.isEmpty })
        }
    }

    @Test func oversizedRequestLineGets431AndClose() throws {
        try withServer(config()) { server, _ in
            let c = try TestClient(port: server.port)
            c.send("GET /" + String(repeating: "a", count: 100_000) + " HTTP/1.1\r\nHost: t\r\n\r\n")
            let r = try #require(c.readResponse())
            #expect(r.status == 431)
            #expect(c.waitForClose())
        }
    }

    /// Each request hides a second request in its body for a front end that frames it differently.
    static let smuggling: [String] = [
        "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 30\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /info HTTP/1.1\r\nHost: t\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\nContent-Length: 30\r\n\r\n0\r\n\r\nGET /info HTTP/1.1\r\nHost: t\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\nContent-Length: 22\r\n\r\nGET /info HTTP/1.1\r\nHost: t\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 22\r\nContent-Length: 22\r\n\r\nGET /info HTTP/1.1\r\nHost: t\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 0, 22\r\n\r\nGET /info HTTP/1.1\r\nHost: t\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n0\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding : chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: t\r\nX: y\r\n Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcGET /info HTTP/1.1\r\nHost: t\r\n\r\n",
        "POST /echo HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "GET /info HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
    ]

    @Test(arguments: smuggling)
    func smugglingAttemptGets400AndClose(request: String) throws {
        try withServer(config()) { server, rec in
            let c = try TestClient(port: server.port)
            c.send(request)
            let r = try #require(c.readResponse())
            #expect(r.status == 400)
            #expect(r.header("connection") == "close")
            #expect(c.waitForClose())
            #expect(rec.logs.withLock { $0.isEmpty }, "nothing, in particular no hidden request, reached the handler")
        }
    }

    static let badChunkSizes = ["zz", "-1", "0x5", " 5", "5 5", "ffffffffffffffffffff", "", "5;a=\u{01}"]

    @Test(arguments: badChunkSizes)
    func invalidChunkSizeGets400AndClose(size: String) throws {
        try withServer(config()) { server, rec in
            let c = try TestClient(port: server.port)
            c.send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n\(size)\r\nabcde\r\n0\r\n\r\n")
            let r = try #require(c.readResponse())
            #expect(r.status == 400)
            #expect(c.waitForClose())
            #expect(rec.logs.withLock { $0.isEmpty })
        }
    }

    @Test func idleConnectionsDoNotStarveActiveOnes() throws {
        let cfg = config {
            $0.maxConnections = 20
            $0.idleTimeout = .seconds(2)
        }
        try withLoggingServer(cfg) { server, rec, lines in
            // 1000 connections that never send a byte (each would otherwise live for idleTimeout).
            let idle = try (0..<1000).map { _ in try TestClient(port: server.port, timeoutSeconds: 5) }
            let start = ContinuousClock.now
            for i in 0..<5 {
                let c = try TestClient(port: server.port)
                c.send("GET /info?n=\(i) HTTP/1.1\r\nHost: t\r\n\r\n")
                #expect(c.readResponse()?.status == 200)
            }
            #expect(ContinuousClock.now - start < .seconds(5))
            #expect(rec.logs.withLock { $0.count } == 5)
            // Idle connections were closed to make room (the last ones by the idle timeout).
            #expect(idle.filter { $0.waitForClose() }.count == 1000)
            let log = lines()
            #expect(log.contains { $0.hasPrefix("connection limit 20 reached: closed") }, "\(log)")
            // The lines add up to every connection closed for a new one (985 = 1000 + 5 - 20),
            // the tail of the burst included, not just the first one of each second.
            let closed = log.compactMap { line -> Int? in
                guard let r = line.firstRange(of: "reached: closed ") else { return nil }
                return Int(line[r.upperBound...].prefix { $0.isNumber })
            }
            #expect(closed.reduce(0, +) >= 980, "\(log)")
        }
    }

    @Test func busyConnectionsAtTheCapMakeNewOnesWait() throws {
        let cfg = config {
            $0.maxConnections = 2
            $0.headerReadTimeout = .milliseconds(800)
        }
        try withLoggingServer(cfg) { server, rec, lines in
            // Two connections in the middle of a request head: not idle, so not replaced.
            let busy = try (0..<2).map { _ in try TestClient(port: server.port) }
            for c in busy { c.send("GET /info HTTP/1.1\r\nHost: t\r\nX-Partial: ") }
            usleep(100_000)
            let waiting = try TestClient(port: server.port)
            waiting.send("GET /info HTTP/1.1\r\nHost: t\r\n\r\n")
            // Served once the busy ones time out (408) and free their slots (without lingering 2 s).
            let start = ContinuousClock.now
            let r = try #require(waiting.readResponse(), "\(String(cString: strerror(errno))) \(lines())")
            #expect(r.status == 200)
            #expect(ContinuousClock.now - start < .seconds(2))
            for c in busy { #expect(c.readResponse()?.status == 408) }
            #expect(rec.logs.withLock { $0.count } == 1)
            let log = lines()
            #expect(log.contains { $0.contains("connection limit 2 reached") && $0.contains("1 time(s)") }, "\(log)")
        }
    }

    @Test func connectionCapFitsTheDescriptorLimit() {
        #expect(HTTPServerConfiguration.effectiveMaxConnections(4096, descriptorLimit: 1024) == 768)
        #expect(HTTPServerConfiguration.effectiveMaxConnections(4096, descriptorLimit: 20_000) == 4096)
        #expect(HTTPServerConfiguration.effectiveMaxConnections(4096, descriptorLimit: nil) == 4096)
        #expect(HTTPServerConfiguration.effectiveMaxConnections(10, descriptorLimit: 100) == 10)
        #expect(HTTPServerConfiguration.effectiveMaxConnections(4096, descriptorLimit: 256) == 64)
        #expect(HTTPServerConfiguration().maxConnections == 4096)
    }
}
