import Foundation
import TestSupport
import Testing

@testable import SpinHost

#if canImport(Glibc)
    import Glibc
#endif

/// The hand-built Spin 1.4–1.5 module (Fixtures/spin15) under the built `spin up`.
@Suite(.tags(.live)) struct SpinPreview2LiveTests {
    static let httpManifest = Preview2.httpApp(
        component: """
            key_value_stores = ["default"]
            allowed_outbound_hosts = ["http://127.0.0.1:*"]
            [component.guest.variables]
            message = "{{ greeting }}"
            """, application: "[variables]\ngreeting = { default = \"hello\" }")

    @Test func spinUpServesTheModule() throws {
        let manifest = try Preview2.app(Self.httpManifest)
        let spin = try SpinUpProcess(["-f", manifest, "--variable", "greeting=hi from spin up"])
        defer { spin.stop() }
        let get = try spin.request("GET", "/echo?a=b", headers: ["X-Test: 42"])
        #expect(get.status == 200)
        #expect(get.header("x-echo-method") == "GET")
        // The guest saw the client's headers and the spin-* ones, and the path with its query.
        let lines = get.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(Array(lines.prefix(3)) == ["method=GET", "uri=/echo?a=b", "x-test=42"])
        #expect(Int(lines[3].dropFirst("headers=".count)).map { $0 > 3 } == true, "\(lines)")
        #expect(lines.last == "body=")
        let post = try spin.request("POST", "/submit", body: "posted ✓")
        #expect(post.status == 200)
        #expect(post.text.hasPrefix("method=POST\nuri=/submit\n"))
        #expect(post.text.hasSuffix("\nbody=posted ✓"))
        #expect(try spin.request("HEAD", "/echo").status == 200)
        #expect(try spin.request("GET", "/config?key=message").text == "hi from spin up")
        for i in 1...2 { #expect(try spin.request("GET", "/kv?op=count").text == "\(i)") }
        // Outbound HTTP through fermyon:spin/http, to this server's own echo route.
        let fetched = try spin.request("GET", "/http?url=http://127.0.0.1:\(spin.port)/echo/inner")
        #expect(fetched.status == 200)
        #expect(fetched.text.hasPrefix("status=200\nmethod=GET\nuri=/echo/inner\n"), "\(fetched.text)")
        // A trap is a 500, logged with the export's name; the next request is served.
        #expect(try spin.request("GET", "/trap").status == 500)
        #expect(try spin.request("GET", "/status?code=201").status == 201)
        #expect(
            eventually { spin.stderr.contains("trapped: unreachable (in fermyon:spin/inbound-http#handle-request)") },
            "\(spin.stderr)")
        // The guest's WASI preview1 stderr reaches the terminal.
        #expect(eventually { spin.stderr.contains("spin15: POST /submit") }, "\(spin.stderr)")
    }

    /// The WASI preview1 reactor adapter (`$SPIN_WASI_ADAPTER`, else where ../shared/components/build.sh
    /// extracts it) and wasm-tools, for the componentization check.
    static let adapter: String? = {
        let path =
            ProcessInfo.processInfo.environment["SPIN_WASI_ADAPTER"]
            ?? "/tmp/components/adapters/wasi_snapshot_preview1.reactor.wasm"
        return FileManager.default.fileExists(atPath: path) && executableOnPath("wasm-tools") != nil ? path : nil
    }()

    /// A third-party check of the fixture's names and core types: `wasm-tools component new`
    /// adapts the committed spin15.wasm into a component against Fixtures/spin15/wit/spin.wit, as
    /// Spin 1.5's loader would; it refuses any import or export whose core type does not match
    /// the WIT. (The host's own definitions are checked against the same imports by linking.)
    @Test(
        .enabled(
            if: adapter != nil,
            "wasm-tools or the WASI preview1 reactor adapter is missing (../shared/components/build.sh extracts it; or set SPIN_WASI_ADAPTER); check skipped"
        ))
    func fixtureComponentizesAgainstSpinsWIT() throws {
        let dir = NSTemporaryDirectory() + "spin15-wit-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        func run(_ arguments: [String]) throws -> (Int32, String) {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: executableOnPath("wasm-tools")!)
            p.arguments = arguments
            let err = Pipe()
            p.standardOutput = FileHandle.nullDevice
            p.standardError = err
            try p.run()
            let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            return (p.terminationStatus, text)
        }
        let embed = try run([
            "component", "embed", Preview2.fixture("wit"), Preview2.fixture("spin15.wasm"), "--world", "reactor", "-o",
            dir + "/embedded.wasm",
        ])
        #expect(embed.0 == 0, "\(embed.1)")
        let new = try run([
            "component", "new", dir + "/embedded.wasm", "--adapt", "wasi_snapshot_preview1=\(Self.adapter!)", "-o",
            dir + "/component.wasm",
        ])
        #expect(new.0 == 0, "\(new.1)")
        #expect(FileManager.default.fileExists(atPath: dir + "/component.wasm"))
        // The check has teeth: the redis-only build lacks inbound-http, which the world exports.
        let missing = try run([
            "component", "embed", Preview2.fixture("wit"), Preview2.fixture("spin15-redis-only.wasm"), "--world",
            "reactor", "-o", dir + "/missing.wasm",
        ])
        if missing.0 == 0 {
            let refused = try run([
                "component", "new", dir + "/missing.wasm", "--adapt", "wasi_snapshot_preview1=\(Self.adapter!)", "-o",
                dir + "/missing-component.wasm",
            ])
            #expect(refused.0 != 0, "wasm-tools accepted a module without the inbound-http export")
        }
    }

    @Test func spinUpRefusesAModuleWithoutItsTriggersExport() throws {
        guard let executable = spinExecutable() else {
            Issue.record("the spin executable has not been built")
            return
        }
        let manifest = try Preview2.app(Preview2.httpApp(), wasm: "spin15-redis-only.wasm")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["up", "-f", manifest, "--listen", "127.0.0.1:0"]
        let err = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = err
        try process.run()
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus != 0)
        #expect(text.contains("does not export `fermyon:spin/inbound-http#handle-request`"), "\(text)")
    }

    @Test(.enabled(if: RedisTestServer.available, RedisTestServer.skipMessage))
    func outboundRedisAndTheRedisTrigger() throws {
        let server = try RedisTestServer()
        let client = try server.client()
        // Outbound: every fermyon:spin/redis function against the real server.
        let http = try SpinUpProcess(["-f", try Preview2.app(Self.httpManifest)])
        defer { http.stop() }
        let r = try http.request("GET", "/redis?addr=\(server.url)&key=k1&value=v1")
        #expect(
            r.text == """
                set=0
                get=v1
                incr=1
                sadd=2
                srem=1
                smembers=b
                execute=3
                publish=0
                del=3
                """, "\(r.text)")
        #expect(try client.command(["GET", "k1"]) == .bulkString(nil))  // deleted again

        // The Redis trigger calls fermyon:spin/inbound-redis#handle-message.
        let manifest = try Preview2.app(
            Preview2.redisApp(
                address: server.url,
                component: "[component.guest.variables]\nredis_address = \"\(server.url)\""))
        guard let executable = spinExecutable() else {
            Issue.record("the spin executable has not been built")
            return
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["up", "-f", manifest]
        let errors = URL(fileURLWithPath: manifest).deletingLastPathComponent().appendingPathComponent("stderr.txt")
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
        defer {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        func stderr() -> String { (try? String(contentsOf: errors, encoding: .utf8)) ?? "" }
        #expect(
            try eventually(timeout: 30) { try client.subscriberCount("messages") == 1 },
            "spin up did not subscribe: \(stderr())")
        for message in ["one", "fail", "trap", "two"] {
            _ = try client.command(["PUBLISH", "messages", message])
        }
        #expect(try eventually { try client.command(["GET", "spin15:count"]) == .bulk("2") }, "\(stderr())")
        #expect(try client.command(["GET", "spin15:last"]) == .bulk("two"))
        #expect(eventually { stderr().contains("the component returned an error (error)") }, "\(stderr())")
        #expect(eventually { stderr().contains("unreachable") }, "\(stderr())")
    }
}

extension PostgresTests {
    /// fermyon:spin/postgres query (with parameters) and execute against the test server.
    @Suite struct SpinPreview2PostgresTests {
        @Test func queryAndExecuteThroughSpinUp() throws {
            let server = try PostgresTestServer.server()
            let manifest = try Preview2.app(
                Preview2.httpApp(component: #"allowed_outbound_hosts = ["postgres://127.0.0.1:*"]"#))
            let spin = try SpinUpProcess(["-f", manifest, "--quiet"])
            defer { spin.stop() }
            // The guest does no %-decoding; the URL form has no '&' or space.
            let r = try spin.request("GET", "/pg?addr=\(server.scramURL)")
            #expect(r.status == 200, "\(r.text)")
            #expect(r.text == "columns=n:int32,s:str\nrow=42,hi\nexecute=2", "\(r.text)")
            // A server that is not there: connection-failed (case 1) with a message, not a trap.
            let down = try spin.request("GET", "/pg?addr=postgres://spin@127.0.0.1:1/spin")
            #expect(down.status == 500)
            #expect(down.text.hasPrefix("error=1: "), "\(down.text)")
        }
    }
}
