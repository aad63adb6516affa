import Dispatch
import Foundation
import Sockets
import Synchronization
import TestSupport
import Testing

@testable import HTTP1

#if canImport(Glibc)
    import Glibc
#endif

/// Records what the server saw.
final class Recorder: Sendable {
    let logs = Mutex<[(String, String, Int)]>([])
    let threads = Mutex<[String]>([])
    let started = DispatchSemaphore(value: 0)
    let release = DispatchSemaphore(value: 0)
}

func testHandler(_ rec: Recorder) -> HTTPHandler {
    { req in
        rec.threads.withLock { $0.append(currentThreadName()) }
        switch req.path {
        case "/echo":
            return HTTPResponse(status: 200, headers: [("content-type", "application/octet-stream")], body: req.body)
        case "/info":
            let text =
                "\(req.method) \(req.path) \(req.query ?? "-") \(req.version) remote=\(req.remoteAddress) local=\(req.localAddress) "
                + req.headers.map { "\($0.name)=\($0.value)" }.joined(separator: ";")
            return HTTPResponse(status: 200, text: text)
        case "/sleep":
            usleep(20_000)
            return HTTPResponse(status: 200, text: "slept")
        case "/block":
            rec.started.signal()
            _ = rec.release.wait(timeout: .now() + 10)
            return HTTPResponse(status: 200, text: "finished")
        default:
            return HTTPResponse(status: 404)
        }
    }
}

func withServer(
    _ config: HTTPServerConfiguration = .init(address: "127.0.0.1:0"),
    _ body: (HTTPServer, Recorder) throws -> Void
) throws {
    let rec = Recorder()
    let server = HTTPServer(
        configuration: config, handler: testHandler(rec),
        logger: { req, resp, duration in
            rec.logs.withLock { $0.append((req.method, req.path, resp.status)) }
        })
    try server.start()
    defer { server.stop() }
    try body(server, rec)
}

func config(_ modify: (inout HTTPServerConfiguration) -> Void = { _ in }) -> HTTPServerConfiguration {
    var c = HTTPServerConfiguration(address: "127.0.0.1:0", workerCount: 4, shutdownGracePeriod: .seconds(5))
    modify(&c)
    return c
}

@Suite(.serialized, .tags(.live), .timeLimit(.minutes(1))) struct HTTPServerLiveTests {
    @Test func ephemeralPortReported() throws {
        try withServer(config()) { server, _ in
            #expect(server.port > 0)
            #expect(server.localAddress == "127.0.0.1:\(server.port)")
        }
    }

    @Test func bindErrorIsReported() throws {
        try withServer(config()) { server, _ in
            let second = HTTPServer(configuration: .init(address: server.localAddress), handler: { _ in .status(200) })
            #expect(throws: HTTPServerError.self) { try second.start() }
        }
        #expect(throws: HTTPServerError.self) { try SocketAddress.parse("nonsense") }
        #expect(throws: HTTPServerError.self) { try SocketAddress.parse("127.0.0.1:99999") }
        #expect(try SocketAddress.parse("localhost:3000").description == "127.0.0.1:3000")
        #expect(try SocketAddress.parse("[::1]:8080").description == "[::1]:8080")
    }

    @Test func keepAliveReusesConnection() throws {
        try withServer(config()) { server, rec in
            let c = try TestClient(port: server.port)
            c.send("GET /info?a=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Test: One\r\n\r\n")
            let r1 = try #require(c.readResponse())
            #expect(r1.status == 200)
            #expect(r1.header("connection") == nil)
            #expect(r1.header("date") != nil)
            #expect(
                r1.text.hasPrefix(
                    "GET /info a=1 HTTP/1.1 remote=127.0.0.1:\(c.localPort) local=127.0.0.1:\(server.port) host=127.0.0.1;x-test=One"
                ))
            c.send("GET /info HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            let r2 = try #require(c.readResponse())
            #expect(r2.status == 200)
            #expect(r2.text.contains("remote=127.0.0.1:\(c.localPort) "))
            #expect(rec.logs.withLock { $0.count } == 2)
            #expect(rec.logs.withLock { $0.map(\.2) } == [200, 200])
            let names = rec.threads.withLock { $0 }
            #expect(names.allSatisfy { $0.hasPrefix("http-worker") }, "\(names)")
        }
    }

    @Test func pipelinedRequestsAnsweredInOrder() throws {
        try withServer(config()) { server, _ in
            let c = try TestClient(port: server.port)
            c.send(
                "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nonePOST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\ntwoGET /nothing HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
            )
            #expect(c.readResponse()?.text == "one")
            #expect(c.readResponse()?.text == "two")
            let last = try #require(c.readResponse())
            #expect(last.status == 404)
            #expect(last.header("connection") == "close")
            #expect(c.waitForClose())
        }
    }

    @Test func chunkedRequestBody() throws {
        try withServer(config()) { server, _ in
            let c = try TestClient(port: server.port)
            c.send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n")
            usleep(50_000)
            c.send("6;ext=x\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n")
            let r = try #require(c.readResponse())
            #expect(r.status == 200)
            #expect(r.text == "hello world")
        }
    }

    @Test func expectContinue() throws {
        try withServer(config()) { server, _ in
            let c = try TestClient(port: server.port)
            c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
            let interim = try #require(c.readResponse())
            #expect(interim.status == 100)
            #expect(interim.statusLine == "HTTP/1.1 100 Continue")
            c.send("data")
            let r = try #require(c.readResponse())
            #expect(r.status == 200)
            #expect(r.text == "data")
        }
    }

    @Test func payloadTooLarge() throws {
        try withServer(config { $0.limits.maxBodyBytes = 1000 }) { server, rec in
            let c = try TestClient(port: server.port)
            c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\n\r\n" + String(repeating: "x", count: 5000))
            let r = try #require(c.readResponse())
            #expect(r.status == 413)
            #expect(r.header("connection") == "close")
            #expect(c.waitForClose())
            // Chunked bodies are counted as they arrive.
            let c2 = try TestClient(port: server.port)
            c2.send(
                "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3e8\r\n" + String(repeating: "x", count: 1000)
                    + "\r\n1\r\nx\r\n0\r\n\r\n")
            #expect(c2.readResponse()?.status == 413)
            #expect(rec.logs.withLock { $0.isEmpty })
        }
    }

    @Test func headersTooLarge() throws {
        try withServer(config()) { server, _ in
            let c = try TestClient(port: server.port)
            c.send("GET /info HTTP/1.1\r\nHost: t\r\nX-Big: " + String(repeating: "b", count: 70_000) + "\r\n\r\n")
            let r = try #require(c.readResponse())
            #expect(r.status == 431)
            #expect(r.statusLine == "HTTP/1.1 431 Request Header Fields Too Large")
            #expect(c.waitForClose())
        }
    }

    @Test func badRequest() throws {
        try withServer(config()) { server, _ in
            let c = try TestClient(port: server.port)
            c.send("THIS IS NOT HTTP\r\n\r\n")
            let r = try #require(c.readResponse())
            #expect(r.status == 400)
            #expect(c.waitForClose())
            let c2 = try TestClient(port: server.port)
            c2.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
            #expect(c2.readResponse()?.status == 400)
        }
    }

    @Test func headHasNoBody() throws {
        try withServer(config()) { server, _ in
            let c = try TestClient(port: server.port)
            c.send("HEAD /info HTTP/1.1\r\nHost: t\r\n\r\n")
            let r = try #require(c.readResponse(head: true))
            #expect(r.status == 200)
            #expect(Int(r.header("content-length") ?? "") ?? 0 > 0)
            c.send("GET /nothing HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(c.readResponse()?.status == 404)
        }
    }

    @Test func http10ClosesUnlessKeepAlive() throws {
        try withServer(config()) { server, _ in
            let c = try TestClient(port: server.port)
            c.send("GET /sleep HTTP/1.0\r\n\r\n")
            let r = try #require(c.readResponse())
            #expect(r.statusLine == "HTTP/1.0 200 OK")
            #expect(r.header("connection") == "close")
            #expect(c.waitForClose())
            let k = try TestClient(port: server.port)
            k.send("GET /sleep HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            #expect(k.readResponse()?.header("connection") == "keep-alive")
            k.send("GET /sleep HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            #expect(k.readResponse()?.status == 200)
        }
    }

    @Test func concurrentClients() throws {
        try withServer(config()) { server, rec in
            let port = server.port
            let ok = Atomic<Int>(0)
            DispatchQueue.concurrentPerform(iterations: 12) { i in
                guard let c = try? TestClient(port: port) else { return }
                for j in 0..<4 {
                    c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: \("\(i)-\(j)".utf8.count)\r\n\r\n\(i)-\(j)")
                    if c.readResponse()?.text == "\(i)-\(j)" { ok.add(1, ordering: .relaxed) }
                    c.send("GET /sleep HTTP/1.1\r\nHost: t\r\n\r\n")
                    if c.readResponse()?.text == "slept" { ok.add(1, ordering: .relaxed) }
                }
            }
            #expect(ok.load(ordering: .relaxed) == 12 * 4 * 2)
            #expect(rec.logs.withLock { $0.count } == 12 * 4 * 2)
        }
    }

    @Test func idleConnectionClosed() throws {
        try withServer(config { $0.idleTimeout = .milliseconds(300) }) { server, _ in
            let c = try TestClient(port: server.port)
            c.send("GET /sleep HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(c.readResponse()?.status == 200)
            let start = ContinuousClock.now
            #expect(c.waitForClose())
            #expect(ContinuousClock.now - start < .seconds(5))
        }
    }

    @Test func slowHeaderGets408() throws {
        try withServer(config { $0.headerReadTimeout = .milliseconds(300) }) { server, _ in
            let c = try TestClient(port: server.port)
            c.send("GET /sleep HTTP/1.1\r\nHost: t\r\nX-Slow: ")
            let r = try #require(c.readResponse())
            #expect(r.status == 408)
            #expect(c.waitForClose())
        }
    }

    @Test func gracefulStopFinishesInFlightRequest() throws {
        let rec = Recorder()
        let server = HTTPServer(configuration: config(), handler: testHandler(rec))
        try server.start()
        let port = server.port
        let busy = try TestClient(port: port)
        let idle = try TestClient(port: port)
        idle.send("GET /sleep HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(idle.readResponse()?.status == 200)

        busy.send("GET /block HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(rec.started.wait(timeout: .now() + 10) == .success)

        let stopped = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            server.stop()
            stopped.signal()
        }
        // The idle keep-alive connection is closed promptly, the listener stops accepting.
        #expect(idle.waitForClose())
        usleep(100_000)
        #expect((try? TestClient(port: port)) == nil)
        #expect(stopped.wait(timeout: .now()) == .timedOut)

        rec.release.signal()
        let r = try #require(busy.readResponse())
        #expect(r.status == 200)
        #expect(r.text == "finished")
        #expect(r.header("connection") == "close")
        #expect(busy.waitForClose())
        #expect(stopped.wait(timeout: .now() + 10) == .success)
        server.stop()  // idempotent
    }

    @Test func byteAtATimeClient() throws {
        try withServer(config()) { server, _ in
            let c = try TestClient(port: server.port)
            for b in Array(
                "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n0\r\n\r\n".utf8)
            {
                c.send([b])
            }
            #expect(c.readResponse()?.text == "ab")
        }
    }

    @Test func largeBodiesBothWays() throws {
        try withServer(config()) { server, _ in
            let c = try TestClient(port: server.port)
            let body = (0..<(3 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 9) }
            let sender = Thread {
                c.send(Array("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: \(body.count)\r\n\r\n".utf8) + body)
            }
            sender.start()
            let r = try #require(c.readResponse())
            #expect(r.status == 200)
            #expect(r.body == body)
        }
    }

    @Test func clientVanishingDuringHandlerIsHarmless() throws {
        try withServer(config()) { server, rec in
            do {
                let c = try TestClient(port: server.port)
                c.send("GET /block HTTP/1.1\r\nHost: t\r\n\r\n")
                #expect(rec.started.wait(timeout: .now() + 10) == .success)
            }  // closed here while the handler is blocked
            usleep(50_000)
            rec.release.signal()
            let c2 = try TestClient(port: server.port)
            c2.send("GET /sleep HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(c2.readResponse()?.status == 200)
        }
    }

    @Test func stopOnSignalHandlerInstalls() throws {
        let server = HTTPServer(configuration: config(), handler: { _ in .status(200) })
        try server.start()
        let seen = Atomic<Int32>(0)
        let handlers = server.stopOnSignals([SIGUSR2]) { sig in seen.store(sig, ordering: .relaxed) }
        usleep(50_000)
        kill(getpid(), SIGUSR2)
        server.waitUntilStopped()
        #expect(seen.load(ordering: .relaxed) == SIGUSR2)
        handlers.cancel()
        #expect((try? TestClient(port: server.port)) == nil)
    }
}
