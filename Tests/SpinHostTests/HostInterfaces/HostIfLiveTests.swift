import Foundation
import Glibc
import Sockets
import TestSupport
import Testing

@testable import SpinHost
@testable import WasmCore

/// Outbound HTTP against a local server the test starts (127.0.0.1 only).
@Suite(.serialized, .tags(.live)) struct HostIfOutboundHTTPLiveTests {
    @Test func contentLengthChunkedAndEOFBodies() throws {
        let server = try TinyHTTPServer { head, body in
            let path = head.split(separator: " ")[1]
            switch path {
            case "/cl":
                return TinyHTTPServer.response(201, "hello", headers: ["X-Multi: a", "Content-Type: text/plain"])
            case "/chunked":
                return Array(
                    "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nx-trailer: y\r\n\r\n"
                        .utf8)
            case "/eof": return Array("HTTP/1.0 200 OK\r\n\r\nuntil the end".utf8)
            case "/continue": return Array("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n".utf8)
            case "/echo?q=1": return TinyHTTPServer.response(200, String(decoding: body, as: UTF8.self) + "|" + head)
            default: return TinyHTTPServer.response(404, "nope")
            }
        }
        defer { server.stop() }
        let r = try HTTPClient.send(OutboundHTTPRequest(method: "GET", url: server.origin + "/cl"))
        #expect(r.status == 201)
        #expect(r.body == Array("hello".utf8))
        #expect(r.header("x-multi") == "a")
        #expect(r.headers.contains { $0.name == "content-type" && $0.value == "text/plain" })
        #expect(
            try HTTPClient.send(OutboundHTTPRequest(method: "GET", url: server.origin + "/chunked")).body
                == Array("hello, world".utf8))
        #expect(
            try HTTPClient.send(OutboundHTTPRequest(method: "GET", url: server.origin + "/eof")).body
                == Array("until the end".utf8))
        #expect(try HTTPClient.send(OutboundHTTPRequest(method: "GET", url: server.origin + "/continue")).status == 204)
        let echo = try HTTPClient.send(
            OutboundHTTPRequest(
                method: "POST", url: server.origin + "/echo?q=1",
                headers: [("X-A", "1"), ("x-a", "2"), ("Host", "evil")], body: Array("payload".utf8)))
        let text = String(decoding: echo.body, as: UTF8.self)
        #expect(text.hasPrefix("payload|POST /echo?q=1 HTTP/1.1\r\nhost: 127.0.0.1:\(server.port)\r\n"))
        #expect(text.contains("x-a: 2\r\n") && !text.contains("x-a: 1"))  // last one wins
        #expect(text.contains("content-length: 7\r\n"))
    }

    @Test func limitsTimeoutsAndTransportErrors() throws {
        let server = try TinyHTTPServer { head, _ in
            if head.hasPrefix("GET /slow") { Thread.sleep(forTimeInterval: 3); return [] }
            return TinyHTTPServer.response(200, String(repeating: "x", count: 5000))
        }
        defer { server.stop() }
        let small = OutboundHTTPSettings(timeoutSeconds: 1, maxResponseBytes: 1000)
        #expect {
            try HTTPClient.send(OutboundHTTPRequest(method: "GET", url: server.origin + "/big"), settings: small)
        } throws: { e in
            guard case .runtimeError(let m) = e as? OutboundHTTPError else { return false }
            return m.contains("limit")
        }
        let start = Date()
        #expect(throws: OutboundHTTPError.self) {
            try HTTPClient.send(OutboundHTTPRequest(method: "GET", url: server.origin + "/slow"), settings: small)
        }
        #expect(Date().timeIntervalSince(start) < 2.5)
        // Nothing listens on the port of a closed socket.
        let closed = try TinyHTTPServer { _, _ in [] }
        let port = closed.port
        closed.stop()
        #expect {
            try HTTPClient.send(OutboundHTTPRequest(method: "GET", url: "http://127.0.0.1:\(port)/"))
        } throws: { e in
            if case .runtimeError = e as? OutboundHTTPError { return true }
            return false
        }
    }

    @Test func redirectsAreFollowedOnlyToAllowedHosts() throws {
        let target = try TinyHTTPServer { _, _ in TinyHTTPServer.response(200, "landed") }
        defer { target.stop() }
        let origin = target.origin
        let server = try TinyHTTPServer { head, _ in
            if head.hasPrefix("GET /here") { return TinyHTTPServer.response(302, "", headers: ["location: /final"]) }
            if head.hasPrefix("GET /final") { return TinyHTTPServer.response(200, "final") }
            return TinyHTTPServer.response(301, "", headers: ["location: \(origin)/x"])
        }
        defer { server.stop() }
        #expect(
            try HTTPClient.send(OutboundHTTPRequest(method: "GET", url: server.origin + "/here")).body
                == Array("final".utf8))
        let only = AllowedOutboundHosts([server.origin])
        let r = try HTTPClient.send(
            OutboundHTTPRequest(method: "GET", url: server.origin + "/away"), isAllowed: { only.allows($0) })
        #expect(r.status == 301)  // the other host is not allowed: the 3xx goes back to the guest
        let both = AllowedOutboundHosts([server.origin, origin])
        #expect(
            try HTTPClient.send(
                OutboundHTTPRequest(method: "GET", url: server.origin + "/away"), isAllowed: { both.allows($0) }
            ).body == Array("landed".utf8))
    }
}

/// The C fixtures (Fixtures/hostif) through the real engine.
@Suite(.serialized) struct HostIfFixtureTests {
    @Test func outboundHTTPGuest() throws {
        let server = try TinyHTTPServer { head, body in
            TinyHTTPServer.response(
                200,
                "upstream says hi [\(String(decoding: body, as: UTF8.self))]"
                    + (head.contains("x-from-guest: hello") ? " +hdr" : ""),
                headers: ["content-type: text/x-test"])
        }
        defer { server.stop() }
        let app = try HostIf.app(HostIf.v1("allowed_http_hosts = [\"127.0.0.1:\(server.port)\", \"self\"]"))
        let services = try HostIf.services(app)
        let wasm = HostIf.fixture("outbound_http.wasm")
        func call(_ uri: String, method: UInt32 = 0, body: String = "") throws -> HostIf.GuestResponse {
            let ctx = GuestContext(component: app.components[0], services: services, incomingOrigin: server.origin)
            return try HostIf.call(wasm, context: ctx, method: method, uri: uri, body: Array(body.utf8))
        }
        let ok = try call("/?url=\(server.origin)/data")
        #expect(ok.status == 200)
        #expect(ok.text == "status=200\nupstream says hi [] +hdr")
        #expect(ok.headers.contains { $0.0 == "content-type" && $0.1 == "text/x-test" })
        let post = try call("/?url=\(server.origin)/data", method: 1, body: "ping")
        #expect(post.text == "status=200\nupstream says hi [ping] +hdr")
        #expect(try call("/?url=/self/path").text.hasPrefix("status=200\n"))
        #expect(server.requests.last?.head.hasPrefix("GET /self/path HTTP/1.1") == true)
        #expect(try call("/?url=http://127.0.0.1:1/").text == "error=destination-not-allowed")
        #expect(try call("/?url=http://example.com/").text == "error=destination-not-allowed")
        #expect(try call("/?url=nonsense").text == "error=invalid-url")
        // A refused connection on an allowed host is a runtime error.
        let closed = try TinyHTTPServer { _, _ in [] }
        let port = closed.port
        closed.stop()
        let app2 = try HostIf.app(HostIf.v1("allowed_http_hosts = [\"insecure:allow-all\"]"))
        let ctx2 = GuestContext(component: app2.components[0], services: try HostIf.services(app2))
        #expect(
            try HostIf.call(wasm, context: ctx2, uri: "/?url=http://127.0.0.1:\(port)/").text == "error=runtime-error")
    }

    @Test func keyValueCounterGuest() throws {
        let dir = HostIf.tempDir()
        let app = try HostIf.app(HostIf.v1(#"key_value_stores = ["default"]"#), in: dir)
        let wasm = HostIf.fixture("kv_counter.wasm")
        do {
            let services = try AppServices.start(app: app, environment: [:], log: .discard)
            for i in 1...3 {
                let r = try HostIf.call(
                    wasm, context: GuestContext(component: app.components[0], services: services), uri: "/")
                #expect(r.status == 200)
                #expect(r.text == "\(i)")
            }
            let denied = try HostIf.call(
                wasm, context: GuestContext(component: app.components[0], services: services), uri: "/?store=other")
            #expect(denied.status == 500)
            #expect(denied.text == "error=access-denied")
            #expect(
                try HostIf.call(
                    wasm, context: GuestContext(component: app.components[0], services: services), uri: "/?op=keys"
                ).text == "counter\n")
        }
        // The count survives a restart (a new AppServices reopens the log).
        let services = try AppServices.start(app: app, environment: [:], log: .discard)
        #expect(
            try HostIf.call(wasm, context: GuestContext(component: app.components[0], services: services), uri: "/")
                .text == "4")
        #expect(
            try HostIf.call(
                wasm, context: GuestContext(component: app.components[0], services: services), uri: "/?op=delete"
            ).text == "deleted exists=0")
        #expect(
            try HostIf.call(wasm, context: GuestContext(component: app.components[0], services: services), uri: "/")
                .text == "1")
    }

    @Test func configGuest() throws {
        let app = try HostIf.app(
            HostIf.v1(
                """
                [component.config]
                message = "I'm a {{ object }}"
                token = "{{ secret_token }}"
                """,
                variables: """
                    [variables]
                    object = { default = "teapot" }
                    secret_token = { required = true, secret = true }
                    """))
        let wasm = HostIf.fixture("config.wasm")
        let services = try HostIf.services(app, env: ["SPIN_VARIABLE_SECRET_TOKEN": "t0k"])
        func get(_ uri: String) throws -> HostIf.GuestResponse {
            try HostIf.call(wasm, context: GuestContext(component: app.components[0], services: services), uri: uri)
        }
        #expect(try get("/").text == "I'm a teapot")
        #expect(try get("/?key=token").text == "t0k")
        let unknown = try get("/?key=missing")
        #expect(unknown.status == 500)
        #expect(unknown.text == "error=other: unknown config path \"guest.missing\"")
        #expect(try get("/?key=Bad").text.hasPrefix("error=invalid-key: "))
        let noValue = try HostIf.services(app, env: [:])
        let r = try HostIf.call(
            wasm, context: GuestContext(component: app.components[0], services: noValue), uri: "/?key=token")
        #expect(r.text.hasPrefix("error=provider: ") && r.text.contains("secret_token"))
    }

    /// A guest importing every Spin 1.x host interface (what a JavaScript SDK guest
    /// does) links; sqlite answers `access-denied` for a label the component does not list,
    /// outbound-pg a connection error.
    @Test func everyInterfaceLinksAndUnsupportedOnesSaySo() throws {
        let app = try HostIf.app(HostIf.v1(""))
        let lines = LogLines()
        let services = AppServices(
            app: app, variables: try VariableResolver(app: app, environment: [:]), log: LogSink { lines.append($0) })
        var imports = Imports()
        SpinInterfaces.define(into: &imports, context: GuestContext(component: app.components[0], services: services))
        let expected: [(String, String, Int)] = [
            ("wasi-outbound-http", "request", 11), ("spin-config", "get-config", 3),
            ("key-value", "open", 3), ("key-value", "get", 4), ("key-value", "set", 6), ("key-value", "delete", 4),
            ("key-value", "exists", 4), ("key-value", "get-keys", 2), ("key-value", "close", 1),
            ("outbound-pg", "query", 7), ("outbound-pg", "execute", 7), ("outbound-mysql", "query", 7),
            ("outbound-mysql", "execute", 7),
            ("sqlite", "open", 3), ("sqlite", "execute", 6), ("sqlite", "close", 1),
            ("llm", "infer", 12), ("llm", "generate-embeddings", 5),
        ]
        for (m, n, count) in expected {
            guard case .function(let f)? = imports.lookup(module: m, name: n) else {
                Issue.record("\(m)::\(n) missing"); continue
            }
            #expect(f.type.parameters.count == count, "\(m)::\(n)")
            #expect(f.type.results.isEmpty)
        }
        guard case .function(let infer)? = imports.lookup(module: "llm", name: "infer") else { return }
        #expect(infer.type.parameters == [.i32, .i32, .i32, .i32, .i32, .i32, .f32, .i32, .f32, .i32, .f32, .i32])

        // Call sqlite::open (no `sqlite_databases`: access-denied) and outbound-pg::execute from
        // a real instance and read the errors.
        let guest = try Module(bytes: [UInt8](Data(contentsOf: URL(fileURLWithPath: HostIf.fixture("config.wasm")))))
        let store = Store()
        let instance = try store.instantiate(guest, imports: imports)
        if let i = instance.function(named: "_initialize") { _ = try store.invoke(i, []) }
        let abi = try CanonicalABI(store: store, instance: instance)
        let ret = try abi.allocate(count: 32, align: 8)
        guard case .function(let open)? = imports.lookup(module: "sqlite", name: "open"),
            case .function(let pgExecute)? = imports.lookup(module: "outbound-pg", name: "execute")
        else {
            Issue.record("sqlite::open or outbound-pg::execute is not among the imports")
            return
        }
        let caller = Caller(store: store, instance: instance, memory: abi.memory)
        _ = try open.hostBody!(caller, [.i32(0), .i32(0), .i32(ret)])
        #expect(try abi.memory.load(UInt8.self, at: Int(ret)) == 1)
        #expect(try abi.memory.load(UInt8.self, at: Int(ret) + 4) == 1)  // access-denied
        _ = try pgExecute.hostBody!(caller, Array(repeating: .i32(0), count: 6) + [.i32(ret)])
        #expect(try abi.memory.load(UInt8.self, at: Int(ret) + 8) == 1)  // connection-failed
        let pgMsg = try abi.readString(try abi.memory.load(at: Int(ret) + 12), try abi.memory.load(at: Int(ret) + 16))
        #expect(pgMsg.hasPrefix("invalid connection string ``: the connection string names no user"))
        #expect(!lines.all.contains { $0.contains("sqlite") }, "\(lines.all)")
    }
}

final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ l: String) { lock.withLock { lines.append(l) } }
    var all: [String] { lock.withLock { lines } }
}

/// The Redis-backed store against a local `redis-server` the test starts
/// (skipped when redis-server is not installed).
@Suite(.serialized, .tags(.live)) struct HostIfRedisKeyValueTests {
    static let redisServer: String? = ["/usr/bin/redis-server", "/usr/local/bin/redis-server"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    final class RedisProcess {
        let process = Process()
        let port: Int
        init(binary: String) throws {
            let probe = try TinyHTTPServer { _, _ in [] }
            port = probe.port
            probe.stop()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = ["--port", "\(port)", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            for _ in 0..<100 {
                if (try? Socket.connect(host: "127.0.0.1", port: port, timeout: 1)).map({ close($0) })
                    != nil
                {
                    return
                }
                Thread.sleep(forTimeInterval: 0.05)
            }
            throw SocketError("redis-server did not start")
        }
        /// SIGKILL: the child inherits the test process's blocked signal
        /// mask, so redis-server may never see a SIGTERM.
        func stop() {
            guard process.isRunning else { return }
            kill(process.processIdentifier, SIGKILL)
            var status: Int32 = 0
            waitpid(process.processIdentifier, &status, 0)
        }
        deinit { stop() }
    }

    @Test(.enabled(if: redisServer != nil, "redis-server is not installed; Redis key-value tests skipped"))
    func storeOperationsAndMultipleWriters() throws {
        let redis = try RedisProcess(binary: Self.redisServer!)
        defer { redis.stop() }
        let url = "redis://127.0.0.1:\(redis.port)"
        let s = try RedisKeyValueStore(url: url)
        try s.ping()
        #expect(throws: KeyValueError.noSuchKey) { try s.get("missing") }
        try s.set("k", [0, 1, 2, 255])
        #expect(try s.get("k") == [0, 1, 2, 255])
        #expect(try s.exists("k"))
        try s.delete("k")
        #expect(try !s.exists("k"))
        // Several writers (separate connections, several threads each).
        let writers = try (0..<4).map { _ in try RedisKeyValueStore(url: url) }
        DispatchQueue.concurrentPerform(iterations: 8) { t in
            let w = writers[t % 4]
            for i in 0..<25 {
                try! w.set("w\(t)-\(i)", Array("\(i)".utf8))
                _ = try! w.incr("shared")
            }
        }
        #expect(try s.keys().count == 201)
        #expect(try s.get("shared") == Array("200".utf8))

        // Wired through runtime config and the kv guest.
        let dir = HostIf.tempDir()
        let app = try HostIf.app(HostIf.v1(#"key_value_stores = ["default"]"#), in: dir)
        let rc = try RuntimeConfig.parse(
            "[key_value_store.default]\ntype = \"redis\"\nurl = \"\(url)\"\n", path: dir + "/rc.toml")
        let services = try AppServices.start(app: app, runtimeConfig: rc, environment: [:], log: .discard)
        #expect(services.keyValueStores["default"] is RedisKeyValueStore)
        let wasm = HostIf.fixture("kv_counter.wasm")
        #expect(
            try HostIf.call(wasm, context: GuestContext(component: app.components[0], services: services), uri: "/")
                .text == "1")
        #expect(
            try HostIf.call(wasm, context: GuestContext(component: app.components[0], services: services), uri: "/")
                .text == "2")
        #expect(try s.get("counter") == Array("2".utf8))
    }
}

/// The interfaces through the lead's executor (`GuestHost(interfaces:)` + `SpinHTTPExecutor`).
@Suite struct HostIfExecutorTests {
    @Test func kvCounterThroughSpinHTTPExecutor() throws {
        let dir = HostIf.tempDir()
        try FileManager.default.copyItem(atPath: HostIf.fixture("kv_counter.wasm"), toPath: dir + "/guest.wasm")
        let app = try LoadedApp.load(
            path: try HostIf.app(HostIf.v1(#"key_value_stores = ["default"]"#), in: dir).manifestPath)
        let services = try AppServices.start(app: app.manifest, environment: [:], log: .discard)
        let host = GuestHost(
            output: GuestOutput(quiet: true), interfaces: SpinInterfaces.guestHostInterfaces(services: services))
        let component = try #require(app.components["guest"])
        for i in 1...2 {
            let r = try SpinHTTPExecutor.execute(component, host: host, method: "GET", uri: "/", headers: [], body: [])
            #expect(r.status == 200)
            #expect(String(decoding: r.body, as: UTF8.self) == "\(i)")
        }
    }

    /// A guest importing every Spin 1.x host interface (outbound-redis too) links through GuestHost
    /// with SpinInterfaces + OutboundRedis, as `spin up` sets it up; the
    /// unsupported interfaces answer their error variant with a clear message.
    @Test func guestImportingEveryInterfaceLinksAndGetsClearErrors() throws {
        let dir = HostIf.tempDir()
        try FileManager.default.copyItem(atPath: HostIf.fixture("all_imports.wasm"), toPath: dir + "/guest.wasm")
        let app = try LoadedApp.load(path: try HostIf.app(HostIf.v1(""), in: dir).manifestPath)
        let services = try AppServices.start(app: app.manifest, environment: [:], log: .discard)
        let spin = SpinInterfaces.guestHostInterfaces(services: services)
        let host = GuestHost(
            output: GuestOutput(quiet: true),
            interfaces: { c, imports in
                spin(c, &imports)
                OutboundRedis.defineForGuestHost(into: &imports)
            })
        let component = try #require(app.components["guest"])
        _ = try host.link(component)
        let r = try SpinHTTPExecutor.execute(component, host: host, method: "GET", uri: "/", headers: [], body: [])
        #expect(
            String(decoding: r.body, as: UTF8.self) == """
                sqlite: 1 1\(" ")
                outbound-pg: 1 1 invalid connection string `a`: missing `=` after `a` in the connection string
                outbound-pg-execute: 1 1 invalid connection string `a`: missing `=` after `a` in the connection string
                outbound-mysql: 1 5 MySQL is not supported yet
                llm: 1 1 llm is not supported by this host

                """)
        // Without the Spin interfaces the same guest does not link.
        let bare = GuestHost(output: GuestOutput(quiet: true))
        #expect(throws: (any Error).self) { _ = try bare.link(component) }
    }

    @Test func httpsTransportErrorsAreRuntimeErrors() {
        // Nothing serves TLS on port 1: URLSession fails, the guest sees runtime-error.
        #expect {
            try HTTPClient.send(
                OutboundHTTPRequest(method: "GET", url: "https://127.0.0.1:1/"),
                settings: OutboundHTTPSettings(timeoutSeconds: 2, totalTimeoutSeconds: 5))
        } throws: { e in
            if case .runtimeError = e as? OutboundHTTPError { return true }
            return false
        }
    }
}
