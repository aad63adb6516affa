import Foundation
import Synchronization
import TestSupport
import Testing

@testable import HTTP1
@testable import SpinHost

#if canImport(Glibc)
    import Glibc
#endif

@Suite(.serialized, .tags(.live), .timeLimit(.minutes(2)))
struct SpinUpLiveTests {
    static let helloWorld = packageRoot + "/Examples/hello-world"
    static let fixtures = packageRoot + "/Fixtures/http"

    @Test func helloWorldGettingStartedBehaviour() throws {
        let spin = try SpinUpProcess(["-f", Self.helloWorld, "--quiet"])
        defer { spin.stop() }
        #expect(
            spin.stdout.contains(
                "Available Routes:\n  hello: http://127.0.0.1:\(spin.port) (wildcard)\n    Says hello\n"))

        let john = try spin.request("GET", "/?name=John")
        #expect(john.status == 200)
        #expect(john.text == "Hello, John")
        #expect(john.header("foo") == "bar")
        #expect(try spin.request("GET", "/").text == "Hello, Fermyon")
        #expect(try spin.request("POST", "/", body: #"{"name":"Jane"}"#).text == "Hello, Jane")
        #expect(try spin.request("POST", "/", body: #"{"name":""}"#).text == "Hello, Fermyon")
        let bad = try spin.request("POST", "/", body: #"{"firstName":"Mike"}"#)
        #expect(bad.status == 400)
        #expect(bad.text == "Please provide a valid JSON payload")
        let delete = try spin.request("DELETE", "/")
        #expect(delete.status == 405)
        #expect(delete.body.isEmpty)
        #expect(try spin.request("GET", "/.well-known/spin/health").text == "OK")
        #expect(try spin.request("GET", "/.well-known/spin/info").text.contains(#""name": "hello-world""#))
        // Methods outside the Spin executor's seven never reach the guest.
        #expect(try spin.request("TRACE", "/").status == 405)
    }

    @Test func keepAliveChunkedAndLimits() throws {
        let spin = try SpinUpProcess(["-f", Self.fixtures, "--quiet"])
        defer { spin.stop() }
        // Two requests on one connection, the second with a chunked body.
        let client = try TestClient(port: spin.port)
        client.send("GET /echo/one HTTP/1.1\r\nHost: x\r\n\r\n")
        let first = try #require(client.readResponse())
        #expect(first.status == 200)
        #expect(first.text.contains("spin-path-info: /one\n"))
        client.send(
            "POST /echo/two HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
        )
        let second = try #require(client.readResponse())
        #expect(second.status == 200)
        #expect(second.text.hasSuffix("body-length: 11\n\nhello world"))

        // 404, 413, 431.
        #expect(try spin.request("GET", "/nowhere").status == 404)
        let big = try TestClient(port: spin.port)
        big.send("POST /echo/x HTTP/1.1\r\nHost: x\r\nContent-Length: 20000000\r\n\r\n")
        #expect(big.readResponse()?.status == 413)
        let huge = try TestClient(port: spin.port)
        huge.send("GET /echo/x HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "a", count: 70_000))\r\n\r\n")
        #expect(huge.readResponse()?.status == 431)
    }

    @Test func specialHeadersAndExactRoutes() throws {
        let spin = try SpinUpProcess(["-f", Self.fixtures, "--quiet"])
        defer { spin.stop() }
        let r = try spin.request("PUT", "/echo/a/b?x=1", body: "abc")
        #expect(r.text.contains("method: PUT\nuri: /echo/a/b?x=1\n"))
        for line in [
            "spin-path-info: /a/b", "spin-full-url: http://127.0.0.1:\(spin.port)/echo/a/b?x=1",
            "spin-matched-route: /echo/...", "spin-base-path: /", "spin-raw-component-route: /echo/...",
            "spin-component-route: /echo", "spin-client-addr: 127.0.0.1:",
        ] {
            #expect(r.text.contains(line), "missing \(line)")
        }
        // The exact route beats the wildcard.
        let exact = try spin.request("GET", "/echo/exact")
        #expect(exact.text.contains("spin-matched-route: /echo/exact\n"))
    }

    @Test func failingGuestsGive500AndTheServerKeepsServing() throws {
        // Request lines are logged at Spin's level for them: RUST_LOG=info.
        let spin = try SpinUpProcess(["-f", Self.fixtures], environment: ["RUST_LOG": "spin=info"])
        defer { spin.stop() }
        #expect(try spin.request("GET", "/trap").status == 500)
        #expect(try spin.request("GET", "/bad-status").status == 500)
        #expect(try spin.request("GET", "/exit?3").status == 500)
        #expect(try spin.request("GET", "/echo/after").status == 200)
        let deadline = Date().addingTimeInterval(5)
        while !spin.stderr.contains("the guest returned the invalid status 700") && Date() < deadline { usleep(20_000) }
        #expect(spin.stderr.contains("component `trap` trapped: unreachable"))
        #expect(spin.stderr.contains("component `bad-status` failed: the guest returned the invalid status 700"))
        #expect(spin.stderr.contains("GET /trap trap 500"))
    }

    @Test func wagiEnvironmentAndFiles() throws {
        let spin = try SpinUpProcess(["-f", Self.fixtures, "--quiet"])
        defer { spin.stop() }
        let env = try spin.request("POST", "/env/sub/path?a=1&b=2", headers: ["Content-Type: text/x"], body: "xyz")
        #expect(env.status == 200)
        for line in [
            "argv[0]=/env/sub/path", "argv[1]=a=1", "argv[2]=b=2", "CONTENT_LENGTH=3", "CONTENT_TYPE=text/x",
            "GATEWAY_INTERFACE=CGI/1.1", "PATH_INFO=/sub/path", "QUERY_STRING=a=1&b=2", "REQUEST_METHOD=POST",
            "SCRIPT_NAME=/env", "SERVER_PORT=\(spin.port)", "X_MATCHED_ROUTE=/env/...", "FIXTURE=wagi", "stdin=xyz",
        ] {
            #expect(env.text.contains(line + "\n"), "missing \(line)")
        }
        let file = try spin.request("GET", "/static/hello.txt")
        #expect(file.status == 200)
        #expect(file.text == "hello from a mounted file\n")
        #expect(try spin.request("GET", "/static/missing.txt").status == 404)
    }

    @Test func sigtermStopsGracefully() throws {
        let spin = try SpinUpProcess(["-f", Self.helloWorld, "--quiet"])
        #expect(try spin.request("GET", "/").status == 200)
        #expect(spin.stop() == 0)
    }

    @Test func badManifestIsOneClearError() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("spin-bad-\(getpid())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try """
        spin_manifest_version = "1"
        name = "bad"
        trigger = { type = "http", base = "/" }
        [[component]]
        id = "x"
        source = "missing.wasm"
        [component.trigger]
        rout = "/"
        """.write(toFile: dir + "/spin.toml", atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try #require(spinExecutable()))
        p.arguments = ["up", "-f", dir]
        let err = Pipe()
        p.standardError = err
        p.standardOutput = Pipe()
        try p.run()
        p.waitUntilExit()
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(p.terminationStatus != 0)
        #expect(text.contains("spin.toml:8"))
        #expect(text.contains("rout"))
    }
}
