import Foundation
import Synchronization
import Testing

@testable import HTTP1
@testable import SpinHost

#if canImport(Glibc)
    import Glibc
#endif

/// The package's root folder (Tests/SpinHostTests/ is two levels below it).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// The `spin` executable built next to the test bundle.
func spinExecutable() -> String? {
    let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for candidate in [dir.appendingPathComponent("spin").path, packageRoot + "/.build/debug/spin"] {
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
}

/// Bytes a child process wrote, collected from pipe callbacks.
final class CapturedOutput: @unchecked Sendable {
    private let lock = NSLock()
    private var streams: (stdout: [UInt8], stderr: [UInt8]) = ([], [])

    func withLock<R>(_ body: (inout (stdout: [UInt8], stderr: [UInt8])) -> R) -> R {
        lock.lock()
        defer { lock.unlock() }
        return body(&streams)
    }
}

/// A `spin up` child process on a free port.
final class SpinUpProcess: @unchecked Sendable {
    let process = Process()
    let port: Int
    private let output = CapturedOutput()

    /// `environment` is added to this process's environment.
    init(_ arguments: [String], environment: [String: String] = [:]) throws {
        guard let spin = spinExecutable() else { throw HTTPServerError("the spin executable has not been built") }
        process.executableURL = URL(fileURLWithPath: spin)
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.arguments = ["up", "--listen", "127.0.0.1:0"] + arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        out.fileHandleForReading.readabilityHandler = { [output] h in
            let d = h.availableData
            output.withLock { $0.stdout += d }
        }
        err.fileHandleForReading.readabilityHandler = { [output] h in
            let d = h.availableData
            output.withLock { $0.stderr += d }
        }
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        var found: Int?
        while Date() < deadline && process.isRunning {
            let text = String(decoding: output.withLock { $0.stdout }, as: UTF8.self)
            if let range = text.range(of: "Serving http://127.0.0.1:") {
                let digits = text[range.upperBound...].prefix { $0.isNumber }
                if let p = Int(digits), text[range.upperBound...].dropFirst(digits.count).first == "\n" {
                    found = p
                    break
                }
            }
            usleep(20_000)
        }
        guard let found else {
            process.terminate()
            throw HTTPServerError(
                "spin up did not start: \(String(decoding: output.withLock { $0.stderr }, as: UTF8.self))")
        }
        port = found
    }

    var stdout: String { String(decoding: output.withLock { $0.stdout }, as: UTF8.self) }
    var stderr: String { String(decoding: output.withLock { $0.stderr }, as: UTF8.self) }

    /// Sends SIGTERM and waits; returns the exit status.
    @discardableResult
    func stop() -> Int32 {
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
        }
        return process.terminationStatus
    }

    deinit { if process.isRunning { process.terminate() } }

    /// One request on a new connection.
    func request(_ method: String, _ target: String, headers: [String] = [], body: String? = nil) throws
        -> TestClient.Response
    {
        let client = try TestClient(port: port)
        var text = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        for h in headers { text += h + "\r\n" }
        if let body { text += "Content-Length: \(body.utf8.count)\r\n" }
        text += "\r\n" + (body ?? "")
        client.send(text)
        guard let r = client.readResponse(head: method == "HEAD") else {
            throw HTTPServerError("no response to \(method) \(target)")
        }
        return r
    }
}

@Suite(.serialized, .timeLimit(.minutes(2)))
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
        let spin = try SpinUpProcess(["-f", Self.fixtures])
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
