import Foundation
import RedisClient
import TestSupport
import Testing
import WasmComponents

@testable import SpinHost

/// Spin SDK components of our own under `spin up`, against real servers: the C component SDK's
/// app (`Fixtures/components/spin-sdk-c`, committed) and the Python Spin SDK 3.4.1 app
/// (`Fixtures/components/spin-sdk-py`, ~38 MB, built on demand by Scripts/build-components).
/// Both answer the same routes (see app.c): variables (defaults and `--variable`), key-value
/// (the file-backed `default` store, kept across restarts, and a runtime-config Redis store),
/// Redis and PostgreSQL through the host, and outbound HTTP under `allowed_outbound_hosts`,
/// each with a denied case. Plus the shared folder's `py3-hello` (GET and POST).
@Suite(.serialized, .tags(.live), .timeLimit(.minutes(5)))
struct SpinSDKComponentLiveTests {
    static let cApp = packageRoot + "/Fixtures/components/spin-sdk-c/app.wasm"
    static let pythonApp = ComponentHTTPLiveTests.componentsDirectory + "/spin-sdk-py/app.wasm"
    static let serversAvailable = RedisTestServer.available && PostgresTestServer.available
    static let serversMissing: Comment =
        "redis-server or PostgreSQL is not installed (Scripts/test installs both); Spin SDK component tests skipped"


    /// The servers a guest reaches, and the app folder whose manifest allows them.
    final class Backends {
        let redis: RedisTestServer
        let postgres: PostgresTestServer
        let upstream: TinyHTTPServer
        let denied: TinyHTTPServer
        let directory: String
        let table: String

        /// An app serving `wasm`; `table` names this app's PostgreSQL table (created here).
        init(serving wasm: String, table: String) throws {
            redis = try RedisTestServer()
            postgres = try PostgresTestServer.server()
            upstream = try TinyHTTPServer { head, body in
                let line = head.split(separator: "\r\n").first.map(String.init) ?? ""
                let header = head.lowercased().contains("\r\nx-from-guest: spin-sdk\r\n") ? " +hdr" : ""
                return TinyHTTPServer.response(
                    200, "upstream saw \(line) [\(String(decoding: body, as: UTF8.self))]\(header)")
            }
            denied = try TinyHTTPServer { _, _ in TinyHTTPServer.response(200, "should not be reached") }
            self.table = table
            try postgres.psql(
                """
                DROP TABLE IF EXISTS \(table);
                CREATE TABLE \(table) (id serial PRIMARY KEY, name text NOT NULL, n int4);
                INSERT INTO \(table) (name, n) VALUES ('alpha', 1), ('beta', NULL);
                GRANT ALL ON \(table) TO spin_trust;
                GRANT ALL ON SEQUENCE \(table)_id_seq TO spin_trust;
                """, database: "spin")
            directory = NSTemporaryDirectory() + "spin-sdk-app-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let manifest = """
                spin_manifest_version = 2
                [application]
                name = "spin-sdk-test"
                [variables]
                greeting = { default = "hello from the default" }
                secret = { required = true }
                redis_address = { default = "\(redis.url)" }
                pg_address = { default = "postgres://spin_trust@127.0.0.1:\(postgres.port)/spin" }
                [[trigger.http]]
                route = "/..."
                component = "guest"
                [component.guest]
                source = "\(wasm)"
                key_value_stores = ["default", "shared"]
                allowed_outbound_hosts = ["\(redis.url)", "postgres://127.0.0.1:\(postgres.port)", "\(upstream.origin)"]
                [component.guest.variables]
                greeting = "{{ greeting }}"
                secret = "{{ secret }}"
                redis_address = "{{ redis_address }}"
                pg_address = "{{ pg_address }}"
                """
            try manifest.write(toFile: directory + "/spin.toml", atomically: true, encoding: .utf8)
            let runtimeConfig = """
                [key_value_store.shared]
                type = "redis"
                url = "\(redis.url)"
                """
            try runtimeConfig.write(toFile: directory + "/rc.toml", atomically: true, encoding: .utf8)
        }

        func spinUp(_ extra: [String] = []) throws -> SpinUpProcess {
            try SpinUpProcess(
                [
                    "-f", directory, "--runtime-config-file", directory + "/rc.toml", "--variable",
                    "secret=s3cr3t value",
                ] + extra)
        }

        deinit {
            upstream.stop()
            denied.stop()
            redis.stop()
            _ = try? postgres.psql("DROP TABLE IF EXISTS \(table);", database: "spin")
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    /// Percent-encodes a query parameter value.
    static func q(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? s
    }

    /// Every route of the app, checked against the servers directly where they hold the data.
    static func exercise(_ wasm: String, name: String) throws {
        let b = try Backends(serving: wasm, table: "guest_items_\(name)")
        var spin = try b.spinUp()
        defer { spin.stop() }
        func get(_ target: String) throws -> (status: Int, text: String) {
            let r = try spin.request("GET", target)
            return (r.status, r.text)
        }
        func post(_ target: String, body: String) throws -> (status: Int, text: String) {
            let r = try spin.request("POST", target, body: body)
            return (r.status, r.text)
        }
        /// Expects an answer, and names the answer it got when it differs.
        func expectAnswer(
            _ answer: (status: Int, text: String), _ status: Int, _ text: String, _ what: String,
            sourceLocation: SourceLocation = #_sourceLocation
        ) {
            #expect(answer == (status, text), "\(what): got \(answer)", sourceLocation: sourceLocation)
        }

        // Variables: a default, a --variable value, an undefined one.
        expectAnswer(try get("/var?name=greeting"), 200, "hello from the default", name)
        expectAnswer(try get("/var?name=secret"), 200, "s3cr3t value", name)
        let undefined = try get("/var?name=nothing_here")
        #expect(undefined.status == 500 && undefined.text.hasPrefix("error: undefined"), "\(name): \(undefined)")

        // Key-value: the file-backed default store.
        expectAnswer(try get("/kv/get?store=default&key=k1"), 404, "not found", name)
        expectAnswer(try post("/kv/set?store=default&key=k1", body: "value one"), 200, "ok", name)
        expectAnswer(try get("/kv/get?store=default&key=k1"), 200, "value one", name)
        expectAnswer(try post("/kv/set?store=default&key=gone", body: "x"), 200, "ok", name)
        expectAnswer(try get("/kv/delete?store=default&key=gone"), 200, "ok", name)
        expectAnswer(try get("/kv/get?store=default&key=gone"), 404, "not found", name)
        // The runtime-config Redis store: the value lands in the Redis server.
        expectAnswer(try post("/kv/set?store=shared&key=k2", body: "in redis"), 200, "ok", name)
        expectAnswer(try get("/kv/get?store=shared&key=k2"), 200, "in redis", name)
        let redisClient = try b.redis.client()
        defer { redisClient.close() }
        let keys = "\(try redisClient.command(["KEYS", "*k2*"]))"
        #expect(keys.contains("k2"), "\(name): the shared store's key is not in Redis: \(keys)")
        // A store the component may not use.
        let denied = try get("/kv/get?store=other&key=k")
        #expect(denied.status == 500 && denied.text.hasPrefix("error: access-denied"), "\(name): \(denied)")

        // Redis through the host.
        expectAnswer(try post("/redis/set?key=rk", body: "redis value"), 200, "ok", name)
        expectAnswer(try get("/redis/get?key=rk"), 200, "redis value", name)
        #expect(try redisClient.command(["GET", "rk"]) == .bulk("redis value"), "\(name)")
        expectAnswer(try get("/redis/get?key=absent"), 404, "not found", name)
        _ = try redisClient.command(["SET", "counter", "41"])
        expectAnswer(try get("/redis/incr?key=counter"), 200, "42", name)
        let notAllowed = try get("/redis/get?key=rk&address=" + q("redis://127.0.0.1:\(b.denied.port)"))
        #expect(
            notAllowed.status == 500 && notAllowed.text.hasPrefix("error: invalid-address"), "\(name): \(notAllowed)")

        // PostgreSQL through the host.
        let select = "SELECT name, n FROM \(b.table) ORDER BY id"
        expectAnswer(try get("/pg/query?sql=" + q(select)), 200, "name:11,n:3\nalpha,1\nbeta,NULL\n", name)
        let insert = "INSERT INTO \(b.table) (name, n) VALUES ($1, 7)"
        expectAnswer(try get("/pg/execute?sql=" + q(insert) + "&param=" + q("from the guest")), 200, "1 rows", name)
        #expect(try b.postgres.psql("SELECT n FROM \(b.table) WHERE name = 'from the guest'", database: "spin") == "7")
        let byParam = "SELECT n FROM \(b.table) WHERE name = $1"
        expectAnswer(try get("/pg/query?sql=" + q(byParam) + "&param=alpha"), 200, "n:3\n1\n", name)
        let bad = try get("/pg/query?sql=" + q("SELECT * FROM no_such_table"))
        #expect(bad.status == 500 && bad.text.hasPrefix("error: query-failed"), "\(name): \(bad)")
        let pgDenied = try get(
            "/pg/query?sql=" + q("SELECT 1") + "&address=" + q("postgres://spin_trust@127.0.0.1:\(b.denied.port)/spin"))
        #expect(pgDenied.status == 500 && pgDenied.text.hasPrefix("error: connection-failed"), "\(name): \(pgDenied)")

        // Outbound HTTP: an allowed host answers, another is denied before any connection.
        let out = try get("/outbound?url=" + q(b.upstream.origin + "/data?x=1"))
        #expect(out == (200, "200\nupstream saw GET /data?x=1 HTTP/1.1 [] +hdr"), "\(name): \(out)")
        let posted = try post("/outbound?method=POST&url=" + q(b.upstream.origin + "/in"), body: "ping")
        #expect(posted == (200, "200\nupstream saw POST /in HTTP/1.1 [ping] +hdr"), "\(name): \(posted)")
        let deniedOut = try get("/outbound?url=" + q(b.denied.origin + "/"))
        #expect(
            deniedOut.status == 500 && deniedOut.text.lowercased().hasPrefix("error: http-request-denied"),
            "\(name): \(deniedOut)")
        #expect(b.denied.requests.isEmpty, "\(name): the denied host was reached")

        // The request as the SDK read it.
        expectAnswer(try post("/echo?a=1", body: "posted"), 200, "POST /echo?a=1\nposted", name)

        // The default store is a file: its data outlives the process.
        spin.stop()
        spin = try b.spinUp()
        expectAnswer(try get("/kv/get?store=default&key=k1"), 200, "value one", "\(name) after restart")
        #expect(FileManager.default.fileExists(atPath: b.directory + "/.spin/key_value.kvlog"))
    }

    @Test(.enabled(if: serversAvailable, serversMissing))
    func theCComponentSDKAppUsesEveryHostFeature() throws {
        try Self.exercise(Self.cApp, name: "c")
    }

    /// `--request-timeout` bounds a PostgreSQL statement the guest is waiting on: the request
    /// ends at the deadline (500, one log line naming the limit), not when the statement would
    /// (10 s), and the server keeps serving.
    @Test(.enabled(if: serversAvailable, serversMissing))
    func theRequestTimeoutEndsASlowQuery() throws {
        let b = try Backends(serving: Self.cApp, table: "guest_items_timeout")
        let spin = try b.spinUp(["--request-timeout", "1s"])
        defer { spin.stop() }
        let start = Date()
        let slow = try spin.request("GET", "/pg/query?sql=" + Self.q("SELECT pg_sleep(10)"))
        let waited = Date().timeIntervalSince(start)
        #expect(slow.status == 500, "\(slow.status) \(slow.text)")
        #expect(waited < 5, "the request took \(waited) s")
        #expect(eventually { spin.stderr.contains("request_timeout") }, "\(spin.stderr)")
        let next = try spin.request("GET", "/pg/query?sql=" + Self.q("SELECT name FROM \(b.table) ORDER BY id"))
        #expect(next.status == 200 && next.text == "name:11\nalpha\nbeta\n", "\(next.status) \(next.text)")
    }

    @Test(
        .enabled(if: serversAvailable, serversMissing),
        .enabled(
            if: FileManager.default.fileExists(atPath: pythonApp),
            "built on demand (CPython inside, not committed; Scripts/build-components --ours-only builds \(pythonApp))"))
    func thePythonSpinSDKAppUsesEveryHostFeature() throws {
        try Self.exercise(Self.pythonApp, name: "py")
    }

    @Test(
        .enabled(
            if: FileManager.default.fileExists(atPath: ComponentHTTPLiveTests.py3Hello),
            "built on demand (CPython inside, not committed; Scripts/build-components builds \(ComponentHTTPLiveTests.py3Hello))"
        ))
    func py3HelloServesGetAndPost() throws {
        let dir = try ComponentHTTPLiveTests.app(serving: ComponentHTTPLiveTests.py3Hello)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let spin = try SpinUpProcess(["-f", dir, "--quiet"])
        defer { spin.stop() }
        let get = try spin.request("GET", "/")
        #expect(get.status == 200)
        #expect(get.header("content-type") == "text/plain")
        #expect(get.text == "Hello from Python!")
        let post = try spin.request("POST", "/submit?x=1", body: "a posted body")
        #expect(post.status == 200)
        #expect(post.text == "Hello from Python!")
    }
}
