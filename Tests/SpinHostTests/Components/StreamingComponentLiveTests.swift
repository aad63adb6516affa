import Foundation
import TestSupport
import Testing

@testable import SpinHost

/// `spin up` streaming a `wasi:http` response body: `Fixtures/components/stream/stream.wasm`
/// sets its response, then writes three chunks 300 ms apart (see `stream.c`).
@Suite(.serialized, .tags(.live), .timeLimit(.minutes(2)))
struct StreamingComponentLiveTests {
    static let wasm = packageRoot + "/Fixtures/components/stream/stream.wasm"

    static func withSpin(_ body: (SpinUpProcess) throws -> Void) throws {
        let dir = try ComponentHTTPLiveTests.app(serving: wasm)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let spin = try SpinUpProcess(["-f", dir])
        defer { spin.stop() }
        try body(spin)
    }

    @Test func theFirstChunkArrivesBeforeTheGuestWritesTheLast() throws {
        try Self.withSpin { spin in
            let c = try TestClient(port: spin.port)
            c.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
            let reader = RawReader(fd: c.fd)
            let first = try #require(reader.read(until: "8\r\nchunk 1\n\r\n"), "\(reader.text)")
            #expect(reader.text.hasPrefix("HTTP/1.1 200 OK\r\n"))
            #expect(reader.text.contains("transfer-encoding: chunked\r\n"))
            #expect(!reader.text.contains("chunk 3"))
            let last = try #require(reader.read(until: "8\r\nchunk 3\n\r\n0\r\n\r\n"), "\(reader.text)")
            // Two 300 ms pauses lie between the first and the last chunk.
            #expect(last - first >= .milliseconds(450), "\(last - first)")
            #expect(reader.text.contains("8\r\nchunk 2\n\r\n"))
            // Keep-alive: the connection serves the next request.
            c.send("GET /length HTTP/1.1\r\nHost: t\r\n\r\n")
            let next = try #require(c.readResponse())
            #expect(next.status == 200)
            #expect(next.header("content-length") == "24")
            #expect(next.text == "chunk 1\nchunk 2\nchunk 3\n")
        }
    }

    @Test func aDeclaredLengthIsStreamedAsIs() throws {
        try Self.withSpin { spin in
            let c = try TestClient(port: spin.port)
            c.send("GET /length HTTP/1.1\r\nHost: t\r\n\r\n")
            let reader = RawReader(fd: c.fd)
            let first = try #require(reader.read(until: "\r\n\r\nchunk 1\n"), "\(reader.text)")
            #expect(reader.text.contains("content-length: 24\r\n"))
            #expect(!reader.text.contains("transfer-encoding"))
            let last = try #require(reader.read(until: "chunk 3\n"), "\(reader.text)")
            #expect(last - first >= .milliseconds(450), "\(last - first)")
        }
    }

    @Test func aBodyShorterThanItsContentLengthIsCutOff() throws {
        try Self.withSpin { spin in
            let c = try TestClient(port: spin.port)
            c.send("GET /short HTTP/1.1\r\nHost: t\r\n\r\n")
            let reader = RawReader(fd: c.fd)
            reader.readToClose()
            #expect(reader.closed)
            #expect(reader.text.contains("content-length: 100\r\n"))
            #expect(reader.text.hasSuffix("\r\n\r\nchunk 1\nchunk 2\nchunk 3\n"), "\(reader.text)")
        }
    }

    @Test func writingPastTheContentLengthKeepsWhatFitsAndFails() throws {
        try Self.withSpin { spin in
            let c = try TestClient(port: spin.port)
            c.send("GET /long HTTP/1.1\r\nHost: t\r\n\r\n")
            // As wasmtime serve 49 answers: the second write keeps the 2 bytes that fit, then fails.
            let r = try #require(c.readResponse())
            #expect(r.header("content-length") == "10")
            #expect(r.text == "chunk 1\nch")
        }
    }

    @Test func aDroppedBodyEndsTheConnectionWithoutTheLastChunk() throws {
        try Self.withSpin { spin in
            let c = try TestClient(port: spin.port)
            c.send("GET /abandon HTTP/1.1\r\nHost: t\r\n\r\n")
            let reader = RawReader(fd: c.fd)
            reader.readToClose()
            #expect(reader.closed)
            #expect(reader.text.hasSuffix("8\r\nchunk 1\n\r\n"), "\(reader.text)")
            let deadline = Date().addingTimeInterval(5)
            while !spin.stderr.contains("dropped the response body") && Date() < deadline { usleep(20_000) }
            #expect(spin.stderr.contains("the guest dropped the response body without finishing it"))
        }
    }
}
