import Dispatch
import Foundation
import Synchronization
import TestSupport
import Testing

@testable import HTTP1

#if canImport(Glibc)
    import Glibc
#endif

/// The state machine's answer to `input` fed at once, as a status (0 for a dispatch).
private func firstStatus(_ input: String, limits: HTTPLimits = .default, budget: Int = .max) -> Int? {
    var sm = HTTPConnectionStateMachine(limits: limits)
    sm.bodyBudget = budget
    sm.feed(Array(input.utf8))
    while true {
        switch sm.nextAction() {
        case .respondAndClose(let status, _): return status
        case .dispatch: return 0
        case .sendContinue: continue
        default: return nil
        }
    }
}

@Suite struct ReliabilityUnitTests {
    @Test func http11WithoutHostIs400() {
        #expect(firstStatus("GET / HTTP/1.1\r\n\r\n") == 400)
        #expect(firstStatus("GET / HTTP/1.1\r\nX: y\r\n\r\n") == 400)
        #expect(firstStatus("GET / HTTP/1.1\r\nHost: a\r\n\r\n") == 0)
        // An empty Host is allowed (RFC 9112 §3.2: authority-less targets).
        #expect(firstStatus("GET / HTTP/1.1\r\nHost:\r\n\r\n") == 0)
        // HTTP/1.0 may omit it.
        #expect(firstStatus("GET / HTTP/1.0\r\n\r\n") == 0)
    }

    @Test func unknownExpectationIs417() {
        #expect(firstStatus("POST / HTTP/1.1\r\nHost: a\r\nExpect: 200-ok\r\nContent-Length: 1\r\n\r\nx") == 417)
        #expect(firstStatus("GET / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue, x\r\n\r\n") == 417)
        #expect(firstStatus("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-Continue\r\nContent-Length: 1\r\n\r\nx") == 0)
        #expect(firstStatus("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-CONTINUE\r\nContent-Length: 1\r\n\r\nx") == 0)
    }

    @Test func bodyBudgetSheds503() {
        // A declared length past the budget is refused before any body byte.
        #expect(firstStatus("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1001\r\n\r\n", budget: 1000) == 503)
        #expect(firstStatus("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\n\r\n", budget: 1000) == nil)
        // A chunked body is refused once its bytes would go past it.
        let chunked = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
        #expect(firstStatus(chunked + "200\r\n" + String(repeating: "x", count: 512) + "\r\n", budget: 511) == 503)
        #expect(firstStatus(chunked + "200\r\n" + String(repeating: "x", count: 512) + "\r\n", budget: 512) == nil)
    }

    @Test func heldBodyBytesCountsTheDeclaredLengthAndIsReleased() {
        var sm = HTTPConnectionStateMachine()
        sm.feed(Array("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5000\r\n\r\nabc".utf8))
        guard case .needMoreData = sm.nextAction() else { Issue.record("expected needMoreData"); return }
        #expect(sm.heldBodyBytes == 5000)
        guard case .respondAndClose(408, _) = sm.timedOut() else { Issue.record("expected 408"); return }
        #expect(sm.heldBodyBytes == 0)
    }

    /// The size limit of a chunked body holds as the chunks are announced, not after.
    @Test func chunkedBodyLimitIsEnforcedAsChunksArrive() {
        let limits = HTTPLimits(maxBodyBytes: 64 * 1024)
        let head = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
        // One chunk announced past the limit: refused on its size line, no data needed.
        #expect(firstStatus(head + "10001\r\n", limits: limits) == 413)
        // 16 KiB chunks: the fifth size line goes past 64 KiB.
        let chunk = "4000\r\n" + String(repeating: "x", count: 0x4000) + "\r\n"
        #expect(firstStatus(head + String(repeating: chunk, count: 4), limits: limits) == nil)
        #expect(firstStatus(head + String(repeating: chunk, count: 4) + "1\r\n", limits: limits) == 413)
        #expect(firstStatus(head + String(repeating: chunk, count: 4) + "0\r\n\r\n", limits: limits) == 0)
        // The bytes received count too: 1-byte chunks with long extensions stay under the
        // body limit but their framing may not run past max(limit, 64 KiB).
        let tiny = "1;" + String(repeating: "e", count: 1000) + "\r\nx\r\n"
        #expect(firstStatus(head + String(repeating: tiny, count: 64), limits: limits) == nil)
        #expect(firstStatus(head + String(repeating: tiny, count: 66), limits: limits) == 413)
    }

    @Test func connectionCapKeepsAFloorUnderSmallDescriptorLimits() {
        #expect(HTTPServerConfiguration.effectiveMaxConnections(4096, descriptorLimit: 256) == 64)
        #expect(HTTPServerConfiguration.effectiveMaxConnections(4096, descriptorLimit: 100) == 50)
        #expect(HTTPServerConfiguration.effectiveMaxConnections(4096, descriptorLimit: 4096) == 3840)
    }

    @Test func descriptorLimitIsRaisedToTheHardLimit() {
        let raised = HTTPServerConfiguration.raiseDescriptorLimit()
        var limit = rlimit()
        #expect(getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0)
        if raised.error == nil, limit.rlim_max != rlim_t.max {
            #expect(limit.rlim_cur == limit.rlim_max)
            #expect(raised.limit == Int(limit.rlim_max))
        }
    }
}

/// Resident memory of this process in KiB (VmRSS), for the record.
func residentKiB() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
    else { return -1 }
    return Int(line.split(separator: " ").dropFirst().first ?? "") ?? -1
}

@Suite(.serialized, .timeLimit(.minutes(1))) struct ReliabilityLiveTests {
    /// Sends `count` body bytes at full speed, then one byte every `interval` on a thread
    /// until the peer closes or `limit` bytes were sent.
    func slowUpload(_ c: TestClient, burst: Int, declared: Int, interval: Duration) {
        c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: \(declared)\r\n\r\n")
        c.send([UInt8](repeating: 0x61, count: burst))
        let micros = UInt32(interval.milliseconds * 1000)
        Thread.detachNewThread {
            for _ in burst..<declared {
                var b: UInt8 = 0x62
                if Glibc.send(c.fd, &b, 1, Int32(MSG_NOSIGNAL)) <= 0 { return }
                usleep(micros)
            }
        }
    }

    /// 20 connections send 2 MiB of a body fast, then a byte every 200 ms: each pause is
    /// under `bodyReadTimeout` and the average rate since the request began is huge, but the
    /// rate over the last window is far too low, so each gets 408 within the window.
    @Test func slowUploadsAfterABurstAreTimedOutAndReleased() throws {
        let cfg = config {
            $0.bodyReadTimeout = .milliseconds(300)
            $0.minimumBodyBytesPerSecond = 1000
            $0.minimumBodyRateGracePeriod = .milliseconds(300)
        }
        try withServer(cfg) { server, rec in
            let rssBefore = residentKiB()
            let mib = 1 << 20
            let clients = try (0..<20).map { _ in try TestClient(port: server.port) }
            for c in clients { slowUpload(c, burst: 2 * mib, declared: 3 * mib, interval: .milliseconds(200)) }
            let burstDone = ContinuousClock.now
            // A normal request meanwhile is served quickly.
            let normal = try TestClient(port: server.port)
            normal.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello")
            #expect(normal.readResponse()?.text == "hello")
            #expect(ContinuousClock.now - burstDone < .seconds(1))
            var statuses: [Int] = []
            for c in clients {
                statuses.append(c.readResponse()?.status ?? -1)
                #expect(c.waitForClose())
            }
            let elapsed = ContinuousClock.now - burstDone
            #expect(statuses.allSatisfy { $0 == 408 }, "\(statuses)")
            #expect(elapsed < .seconds(3), "\(elapsed)")
            #expect(rec.logs.withLock { $0.count } == 1)
            // Their memory is given back (lingering connections close within 2 s).
            var held = server.bufferedBodyBytes
            for _ in 0..<40 where held != 0 {
                usleep(100_000)
                held = server.bufferedBodyBytes
            }
            #expect(held == 0)
            print("slow uploads: closed after \(elapsed); RSS \(rssBefore) KiB → \(residentKiB()) KiB")
        }
    }

    /// Bodies in flight share `maxBufferedBodyBytes`: one that would go past it is shed
    /// with 503, and the room is back once the holder leaves.
    @Test func bufferedBodyCapShedsWith503() throws {
        let cfg = config { $0.maxBufferedBodyBytes = 1 << 20 }
        try withServer(cfg) { server, rec in
            var holder: TestClient? = try TestClient(port: server.port)
            holder!.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 800000\r\n\r\nabc")
            usleep(100_000)
            #expect(server.bufferedBodyBytes == 800_000)
            let shed = try TestClient(port: server.port)
            shed.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 500000\r\n\r\n")
            let r = try #require(shed.readResponse())
            #expect(r.status == 503)
            #expect(r.header("connection") == "close")
            #expect(shed.waitForClose())
            // A chunked body is shed as its bytes arrive.
            let chunked = try TestClient(port: server.port)
            let chunk = "10000\r\n" + String(repeating: "x", count: 0x10000) + "\r\n"
            chunked.send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n")
            for _ in 0..<4 { chunked.send(chunk) }
            #expect(chunked.readResponse()?.status == 503)
            holder = nil
            var held = server.bufferedBodyBytes
            for _ in 0..<40 where held != 0 {
                usleep(100_000)
                held = server.bufferedBodyBytes
            }
            #expect(held == 0)
            let after = try TestClient(port: server.port)
            let body = String(repeating: "y", count: 500_000)
            after.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 500000\r\n\r\n" + body)
            #expect(after.readResponse()?.body.count == 500_000)
            #expect(rec.logs.withLock { $0.count } == 1)
        }
    }

    @Test func chunkedBodyPastTheLimitIsRefusedBeforeItsData() throws {
        let cfg = config { $0.limits = HTTPLimits(maxBodyBytes: 64 * 1024) }
        try withServer(cfg) { server, rec in
            let c = try TestClient(port: server.port)
            let chunk = "4000\r\n" + String(repeating: "x", count: 0x4000) + "\r\n"
            c.send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n")
            for _ in 0..<4 { c.send(chunk) }
            // Only the size line of the fifth chunk: already past 64 KiB.
            c.send("4000\r\n")
            let r = try #require(c.readResponse())
            #expect(r.status == 413)
            #expect(rec.logs.withLock { $0.isEmpty })
        }
    }

    @Test func missingHostAndUnknownExpectation() throws {
        try withServer(config()) { server, rec in
            let noHost = try TestClient(port: server.port)
            noHost.send("GET /info HTTP/1.1\r\n\r\n")
            #expect(noHost.readResponse()?.status == 400)
            #expect(noHost.waitForClose())
            let old = try TestClient(port: server.port)
            old.send("GET /info HTTP/1.0\r\n\r\n")
            #expect(old.readResponse()?.status == 200)
            let expect = try TestClient(port: server.port)
            expect.send("POST /echo HTTP/1.1\r\nHost: t\r\nExpect: 200-ok\r\nContent-Length: 3\r\n\r\n")
            #expect(expect.readResponse()?.status == 417)
            #expect(expect.waitForClose())
            #expect(rec.logs.withLock { $0.count } == 1)
        }
    }
}
