import Foundation
import SpinTLSWire
import TestSupport
import Testing

@testable import SpinHost

/// Outbound https through the `spin-tls` helper process, and the messages it speaks.
@Suite(.serialized) struct TLSHelperTests {
    @Test func wireMessagesRoundTrip() throws {
        let request = TLSWire.Request(
            method: "POST", url: "https://example.com/a?b=c",
            headers: [.init(name: "x-one", value: "1"), .init(name: "X-Two", value: "ünïcode")], body: [0, 1, 255],
            timeoutSeconds: 2.5, totalSeconds: 30, maxResponseBytes: 1 << 20)
        #expect(try TLSWire.decodeRequest(TLSWire.encode(request)) == request)
        var bodiless = request
        bodiless.body = nil
        #expect(try TLSWire.decodeRequest(TLSWire.encode(bodiless)) == bodiless)
        let responses: [TLSWire.Response] = [
            .response(status: 204, headers: [.init(name: "a", value: "b")], body: []),
            .response(status: 200, headers: [], body: Array("hi".utf8)),
            .failure(kind: .runtimeError, message: "request timed out"),
            .failure(kind: .invalidURL, message: "nope"),
        ]
        for r in responses { #expect(try TLSWire.decodeResponse(TLSWire.encode(r)) == r) }
    }

    @Test func malformedMessagesNameTheByteOffset() {
        let good = TLSWire.encode(TLSWire.Response.response(status: 200, headers: [], body: [1, 2, 3]))
        // Every truncation is refused, never read past the end.
        for n in 0..<good.count {
            #expect(throws: TLSWire.DecodingError.self) { try TLSWire.decodeResponse(Array(good[..<n])) }
        }
        #expect(throws: TLSWire.DecodingError(offset: 0, what: "unknown response tag 9")) {
            try TLSWire.decodeResponse([9])
        }
        #expect(throws: TLSWire.DecodingError(offset: good.count, what: "1 trailing bytes")) {
            try TLSWire.decodeResponse(good + [0])
        }
        // A length field claiming more than is there.
        var huge = TLSWire.encode(TLSWire.Response.failure(kind: .requestError, message: "x"))
        huge[1] = 0xFF
        #expect(throws: TLSWire.DecodingError(offset: 1, what: "length 255 runs past the end")) {
            try TLSWire.decodeResponse(huge)
        }
    }

    /// Whether this machine has what `startSelfSignedServer` runs.
    static let serverToolsAvailable: Bool =
        FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl")
        && (FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")
            || FileManager.default.fileExists(atPath: "/usr/local/bin/python3"))

    /// A local TLS server with a self-signed certificate (python3 + openssl), or nil.
    static func startSelfSignedServer(in dir: String) throws -> (Process, Int)? {
        guard serverToolsAvailable else { return nil }
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        openssl.arguments = [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", dir + "/key.pem", "-out", dir + "/cert.pem",
            "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1",
        ]
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        guard openssl.terminationStatus == 0 else { return nil }
        let script = """
            import ssl, http.server, sys
            class H(http.server.BaseHTTPRequestHandler):
                def do_GET(self):
                    self.send_response(200); self.send_header("Content-Length", "2"); self.end_headers()
                    self.wfile.write(b"ok")
                def log_message(self, *a): pass
            srv = http.server.HTTPServer(("127.0.0.1", 0), H)
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); ctx.load_cert_chain(sys.argv[1], sys.argv[2])
            srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
            print(srv.server_address[1], flush=True)
            srv.serve_forever()
            """
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        server.arguments = ["python3", "-c", script, dir + "/cert.pem", dir + "/key.pem"]
        let out = Pipe()
        server.standardOutput = out
        try server.run()
        var line = ""
        while !line.hasSuffix("\n") {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line += String(decoding: chunk, as: UTF8.self)
        }
        guard let port = Int(line.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            kill(server.processIdentifier, SIGKILL)
            return nil
        }
        return (server, port)
    }

    @Test(
        .tags(.live),
        .enabled(if: serverToolsAvailable, "openssl or python3 is not installed; the TLS handshake test cannot run"))
    func httpsGoesThroughTheHelperAndVerifiesCertificates() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tls-\(getpid())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (server, port) = try #require(
            try Self.startSelfSignedServer(in: dir), "the self-signed TLS server (openssl + python3) did not start")
        defer {
            // SIGKILL: the test process may ignore SIGTERM, and children inherit that.
            kill(server.processIdentifier, SIGKILL)
            server.waitUntilExit()
        }
        // A real handshake happens (in spin-tls) and the self-signed certificate is refused.
        #expect {
            try HTTPClient.send(
                OutboundHTTPRequest(method: "GET", url: "https://127.0.0.1:\(port)/"),
                settings: OutboundHTTPSettings(timeoutSeconds: 5, totalTimeoutSeconds: 10))
        } throws: { e in
            guard case .runtimeError(let message) = e as? OutboundHTTPError else { return false }
            return message.contains("certificate")
        }
    }

    @Test func aMissingHelperIsAClearError() throws {
        setenv("SPIN_TLS_HELPER", "/nonexistent/spin-tls", 1)
        defer { unsetenv("SPIN_TLS_HELPER") }
        #expect {
            try HTTPClient.send(OutboundHTTPRequest(method: "GET", url: "https://127.0.0.1:1/"))
        } throws: { e in
            guard case .runtimeError(let message) = e as? OutboundHTTPError else { return false }
            return message.contains("needs the spin-tls helper") && message.contains("/nonexistent/spin-tls")
        }
    }
}
