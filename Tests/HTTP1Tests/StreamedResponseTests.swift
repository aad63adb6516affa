import Dispatch
import Foundation
import Synchronization
import TestSupport
import Testing

@testable import HTTP1

#if canImport(Glibc)
    import Glibc
#endif

/// `HTTPResponseBodyStream` on its own: bounds, lengths, ends.
@Suite struct ResponseBodyStreamTests {
    @Test func readsWhatWasWrittenThenTheEnd() throws {
        let s = HTTPResponseBodyStream(capacity: 8)
        try s.write(Array("abc".utf8))
        let first = s.read(max: 2)
        #expect(first.bytes == Array("ab".utf8))
        #expect(first.end == nil)
        s.finish(trailers: [("x-t", "1")])
        let rest = s.read(max: 100)
        #expect(rest.bytes == Array("c".utf8))
        guard case .finished(let trailers)? = rest.end else {
            Issue.record("expected the finished end, got \(String(describing: rest.end))")
            return
        }
        #expect(trailers.map(\.name) == ["x-t"])
        #expect(throws: HTTPResponseBodyStream.Failure.ended) { try s.write([1]) }
    }

    @Test func declaredLengthIsEnforced() throws {
        // Too long: what fits is kept, the write fails.
        let long = HTTPResponseBodyStream(declaredLength: 4)
        #expect(throws: HTTPResponseBodyStream.Failure.tooLong(declared: 4)) { try long.write(Array("12345".utf8)) }
        #expect(long.writtenByteCount == 4)
        #expect(throws: HTTPResponseBodyStream.Failure.tooLong(declared: 4)) { try long.write([1]) }
        #expect(long.finish() == true)
        #expect(long.read(max: 10).bytes == Array("1234".utf8))
        // Too short: finish reports it and the stream ends aborted.
        let s = HTTPResponseBodyStream(declaredLength: 4)
        try s.write(Array("12".utf8))
        #expect(s.finish() == false)  // 2 of 4 bytes: incomplete
        guard case .aborted? = s.read(max: 10).end else {
            Issue.record("a short body must end aborted")
            return
        }
    }

    @Test func aFullBufferBlocksTheWriterUntilReadOrDeadline() throws {
        let s = HTTPResponseBodyStream(capacity: 4)
        try s.write(Array("1234".utf8))
        let start = ContinuousClock.now
        #expect(throws: HTTPResponseBodyStream.Failure.timedOut) {
            try s.write([5], deadline: Date().addingTimeInterval(0.2))
        }
        #expect(ContinuousClock.now - start >= .milliseconds(150))
        // A reader taking bytes lets a blocked writer continue.
        let done = DispatchSemaphore(value: 0)
        let result = Mutex<Bool>(false)
        DispatchQueue.global().async {
            let ok = (try? s.write(Array("5678".utf8), deadline: Date().addingTimeInterval(5))) != nil
            result.withLock { $0 = ok }
            done.signal()
        }
        usleep(50_000)
        #expect(s.read(max: 100).bytes == Array("1234".utf8))
        #expect(done.wait(timeout: .now() + 5) == .success)
        #expect(result.withLock { $0 })
        #expect(s.read(max: 100).bytes == Array("5678".utf8))
    }

    @Test func cancelWakesABlockedWriter() throws {
        let s = HTTPResponseBodyStream(capacity: 1)
        try s.write([1])
        let done = DispatchSemaphore(value: 0)
        let failure = Mutex<HTTPResponseBodyStream.Failure?>(nil)
        DispatchQueue.global().async {
            do throws(HTTPResponseBodyStream.Failure) { try s.write([2]) } catch { failure.withLock { $0 = error } }
            done.signal()
        }
        usleep(50_000)
        s.cancel()
        #expect(done.wait(timeout: .now() + 5) == .success)
        #expect(failure.withLock { $0 } == .cancelled)
    }
}

/// The server sending a `bodyStream` response while the handler still writes it.
@Suite(.serialized, .tags(.live), .timeLimit(.minutes(1))) struct StreamedResponseLiveTests {
    /// A handler that streams on `/stream...` paths and answers `/plain` whole.
    final class Gate: Sendable {
        let firstRead = DispatchSemaphore(value: 0)
        let outcome = Mutex<String?>(nil)
        let handlerDone = DispatchSemaphore(value: 0)
    }

    static func handler(_ gate: Gate) -> HTTPHandler {
        { req in
            switch req.path {
            case "/stream", "/stream-length", "/stream-short":
                let declared = req.path == "/stream-length" ? 12 : req.path == "/stream-short" ? 20 : nil
                let stream = HTTPResponseBodyStream(declaredLength: declared)
                var headers: HTTPHeaders = [("content-type", "text/plain")]
                if let declared { headers.append(("content-length", String(declared))) }
                req.startResponse?(HTTPResponse(status: 200, headers: headers, bodyStream: stream))
                try? stream.write(Array("first".utf8))
                // The test reads "first" before letting the rest be written.
                _ = gate.firstRead.wait(timeout: .now() + 5)
                try? stream.write(Array(" second".utf8))
                stream.finish(trailers: [("x-trailer", "done")])
                return HTTPResponse(status: 500, text: "ignored: the response went out early")
            case "/stream-flood":
                let stream = HTTPResponseBodyStream(capacity: 16 << 10)
                req.startResponse?(HTTPResponse(status: 200, bodyStream: stream))
                let piece = [UInt8](repeating: 0x61, count: 64 << 10)
                var outcome = "wrote everything"
                do throws(HTTPResponseBodyStream.Failure) {
                    for _ in 0..<2048 { try stream.write(piece, deadline: Date().addingTimeInterval(0.5)) }
                } catch {
                    outcome = "\(error) after \(stream.writtenByteCount)"
                }
                gate.outcome.withLock { $0 = outcome }
                gate.handlerDone.signal()
                return HTTPResponse(status: 200)
            case "/stream-unfinished":
                let stream = HTTPResponseBodyStream()
                req.startResponse?(HTTPResponse(status: 200, bodyStream: stream))
                try? stream.write(Array("partial".utf8))
                return HTTPResponse(status: 200)  // never finished: the server must abort
            default:
                return HTTPResponse(status: 200, text: "plain")
            }
        }
    }

    static func withServer(_ body: (HTTPServer, Gate) throws -> Void) throws {
        let gate = Gate()
        let server = HTTPServer(
            configuration: HTTPServerConfiguration(
                address: "127.0.0.1:0", workerCount: 2, writeTimeout: .seconds(5), shutdownGracePeriod: .seconds(2)),
            handler: handler(gate))
        try server.start()
        defer {
            gate.firstRead.signal()
            server.stop()
        }
        try body(server, gate)
    }

    @Test func chunkedBodyArrivesWhileTheHandlerWrites() throws {
        try Self.withServer { server, gate in
            let c = try TestClient(port: server.port)
            c.send("GET /stream HTTP/1.1\r\nHost: t\r\n\r\n")
            let reader = RawReader(fd: c.fd)
            // "first" arrives while the handler waits for us: it was streamed, not buffered.
            try #require(reader.read(until: "5\r\nfirst\r\n") != nil, "\(reader.text)")
            #expect(reader.text.hasPrefix("HTTP/1.1 200 OK\r\n"))
            #expect(reader.text.contains("transfer-encoding: chunked\r\n"))
            #expect(!reader.text.lowercased().contains("content-length"))
            #expect(!reader.text.contains("second"))
            gate.firstRead.signal()
            try #require(reader.read(until: "7\r\n second\r\n0\r\nx-trailer: done\r\n\r\n") != nil, "\(reader.text)")
            // The connection stays usable for the next request.
            c.send("GET /plain HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(reader.read(until: "\r\n\r\nplain") != nil, "\(reader.text)")
        }
    }

    @Test func declaredLengthFramesTheBody() throws {
        try Self.withServer { server, gate in
            let c = try TestClient(port: server.port)
            c.send("GET /stream-length HTTP/1.1\r\nHost: t\r\n\r\n")
            let reader = RawReader(fd: c.fd)
            try #require(reader.read(until: "\r\n\r\nfirst") != nil, "\(reader.text)")
            #expect(reader.text.contains("content-length: 12\r\n"))
            #expect(!reader.text.contains("transfer-encoding"))
            gate.firstRead.signal()
            try #require(reader.read(until: "first second") != nil)
            c.send("GET /plain HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(reader.read(until: "\r\n\r\nplain") != nil, "\(reader.text)")
            #expect(!reader.text.contains("x-trailer"))  // no trailers without chunked framing
        }
    }

    @Test func aShortBodyClosesTheConnection() throws {
        try Self.withServer { server, gate in
            let c = try TestClient(port: server.port)
            c.send("GET /stream-short HTTP/1.1\r\nHost: t\r\n\r\n")
            gate.firstRead.signal()
            let reader = RawReader(fd: c.fd)
            reader.readToClose()
            #expect(reader.closed)
            #expect(reader.text.contains("content-length: 20\r\n"))
            #expect(reader.text.hasSuffix("first second"), "\(reader.text)")  // 12 of 20 bytes, then close
        }
    }

    @Test func anUnfinishedBodyEndsWithoutTheLastChunk() throws {
        try Self.withServer { server, _ in
            let c = try TestClient(port: server.port)
            c.send("GET /stream-unfinished HTTP/1.1\r\nHost: t\r\n\r\n")
            let reader = RawReader(fd: c.fd)
            reader.readToClose()
            #expect(reader.closed)
            #expect(reader.text.hasSuffix("7\r\npartial\r\n"), "\(reader.text)")  // no 0-length last chunk
        }
    }

    @Test func http10GetsTheBodyUntilClose() throws {
        try Self.withServer { server, gate in
            let c = try TestClient(port: server.port)
            c.send("GET /stream HTTP/1.0\r\n\r\n")
            gate.firstRead.signal()
            let reader = RawReader(fd: c.fd)
            reader.readToClose()
            #expect(reader.text.hasPrefix("HTTP/1.0 200 OK\r\n"))
            #expect(reader.text.contains("connection: close\r\n"))
            #expect(reader.text.hasSuffix("\r\n\r\nfirst second"), "\(reader.text)")
        }
    }

    @Test func headGetsNoStreamedBody() throws {
        try Self.withServer { server, gate in
            let c = try TestClient(port: server.port)
            c.send("HEAD /stream HTTP/1.1\r\nHost: t\r\n\r\n")
            gate.firstRead.signal()
            c.send("GET /plain HTTP/1.1\r\nHost: t\r\n\r\n")
            let reader = RawReader(fd: c.fd)
            try #require(reader.read(until: "\r\n\r\nplain") != nil, "\(reader.text)")
            #expect(!reader.text.contains("first"))
        }
    }

    @Test func aClientThatDoesNotReadBlocksTheWriterWithBoundedBuffering() throws {
        try Self.withServer { server, gate in
            let c = try TestClient(port: server.port)
            var small: Int32 = 16 << 10
            setsockopt(c.fd, SOL_SOCKET, SO_RCVBUF, &small, socklen_t(MemoryLayout<Int32>.size))
            c.send("GET /stream-flood HTTP/1.1\r\nHost: t\r\n\r\n")
            // We read nothing: the handler's writes must stall and time out (128 MiB offered).
            try #require(gate.handlerDone.wait(timeout: .now() + 30) == .success)
            let outcome = try #require(gate.outcome.withLock { $0 })
            #expect(outcome.hasPrefix("the client did not take the response body in time after "), "\(outcome)")
            let written = Int(outcome.split(separator: " ").last ?? "") ?? -1
            // Socket buffers + the server's 64 KiB window + the 16 KiB stream, far below 128 MiB.
            print("back-pressure: the writer stalled after \(written) bytes")
            #expect(written > 0 && written < 32 << 20, "\(written) bytes were accepted")
        }
    }
}
