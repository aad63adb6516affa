import Foundation
import RedisClient
import TestSupport
import Testing

@testable import SpinHost

/// The Redis trigger serving a real Spin SDK component: the Python Spin SDK 3.4.1 app of the
/// `spin-redis` world (`Fixtures/components/spin-sdk-py-redis`, ~36 MB, built on demand by
/// Scripts/build-components) under `spin up`, against a real redis-server. Per message the app
/// reads a variable, SETs `seen:<payload>` = `<prefix>:<payload>` through outbound Redis and
/// increments the `default` key-value store's `count`; `fail` returns `err(error)`, `trap` traps.
/// The same app has an HTTP route (the committed C Spin SDK app), which reads the counter the
/// Python component wrote from the shared `default` store.
@Suite(
    .serialized, .tags(.live), .timeLimit(.minutes(5)),
    .enabled(if: RedisTestServer.available, RedisTestServer.skipMessage))
struct SpinSDKRedisComponentLiveTests {
    static let pythonApp = ComponentHTTPLiveTests.componentsDirectory + "/spin-sdk-py-redis/app.wasm"
    static let pythonAppBuilt = FileManager.default.fileExists(atPath: pythonApp)
    static let notBuilt: Comment =
        "built on demand (CPython inside, not committed; Scripts/build-components --ours-only builds \(pythonApp))"
    static let fixtures = packageRoot + "/Fixtures/components"

    /// A running `spin up`: channel `messages` -> the Python component `py`, `c-messages` -> our C
    /// Redis fixture `c` (for comparison), `/...` -> the C Spin SDK HTTP app `web`.
    struct App {
        let server: RedisTestServer
        let dir: URL
        let spin: SpinUpProcess
        let client: RedisConnection

        var pythonLog: URL { dir.appendingPathComponent(".spin/logs/py_stdout.txt") }
        var cLog: URL { dir.appendingPathComponent(".spin/logs/c_stdout.txt") }

        func stop() {
            spin.stop()
            client.close()
            server.stop()
            try? FileManager.default.removeItem(at: dir)
        }
    }

    static func start() throws -> App {
        try start(channels: ["messages", "c-messages"]) { server in
            """
            spin_manifest_version = 2
            [application]
            name = "spin-sdk-py-redis"
            [application.trigger.redis]
            address = "\(server.url)"
            [variables]
            prefix = { default = "from the default" }
            redis_address = { default = "\(server.url)" }
            [[trigger.redis]]
            channel = "messages"
            component = "py"
            [[trigger.redis]]
            channel = "c-messages"
            component = "c"
            [[trigger.http]]
            route = "/..."
            component = "web"
            [component.py]
            source = "\(pythonApp)"
            key_value_stores = ["default"]
            allowed_outbound_hosts = ["\(server.url)"]
            [component.py.variables]
            prefix = "{{ prefix }}"
            redis_address = "{{ redis_address }}"
            [component.c]
            source = "\(fixtures)/redis-component/redis.wasm"
            environment = { HANDLER_NAME = "c" }
            [component.web]
            source = "\(fixtures)/spin-sdk-c/app.wasm"
            key_value_stores = ["default"]
            allowed_outbound_hosts = ["\(server.url)"]
            [component.web.variables]
            redis_address = "{{ redis_address }}"
            """
        }
    }

    /// Starts `spin up --variable prefix=from the CLI` on `manifest(server)` and waits until
    /// every one of `channels` has a subscriber.
    static func start(channels: [String], manifest: (RedisTestServer) -> String) throws -> App {
        let server = try RedisTestServer()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "spin-sdk-py-redis-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try manifest(server).write(to: dir.appendingPathComponent("spin.toml"), atomically: true, encoding: .utf8)
        let spin = try SpinUpProcess(["-f", dir.path, "--variable", "prefix=from the CLI"], directory: dir.path)
        let client = try server.client()
        guard try eventually(timeout: 30, { try channels.allSatisfy { try client.subscriberCount($0) == 1 } }) else {
            spin.stop()
            throw ExecutorError("spin up did not subscribe: \(spin.stderr)")
        }
        return App(server: server, dir: dir, spin: spin, client: client)
    }

    static func text(_ url: URL) -> String { (try? String(contentsOf: url, encoding: .utf8)) ?? "" }

    @Test(.enabled(if: pythonAppBuilt, notBuilt))
    func messagesUseTheHostFailuresAreLoggedAndHTTPKeepsWorking() throws {
        let app = try Self.start()
        defer { app.stop() }
        for p in ["one", "fail", "two", "trap", "three"] {
            _ = try app.client.command(["PUBLISH", "messages", p])
        }
        #expect(
            eventually(timeout: 60) { Self.text(app.pythonLog).contains("handled three #3\n") },
            "log: \(Self.text(app.pythonLog))\nstderr: \(app.spin.stderr)")
        // One message at a time, in order; `fail` and `trap` change nothing.
        #expect(Self.text(app.pythonLog) == "handled one #1\nrefusing fail\nhandled two #2\nhandled three #3\n")
        // Outbound Redis, with the variable's value (the --variable beats the default).
        for p in ["one", "two", "three"] {
            #expect(try app.client.command(["GET", "seen:\(p)"]) == .bulk("from the CLI:\(p)"))
        }
        #expect(try app.client.command(["EXISTS", "seen:fail", "seen:trap"]) == .integer(0))
        // The key-value counter, read by the HTTP component from the same `default` store.
        let count = try app.spin.request("GET", "/kv/get?store=default&key=count")
        #expect(count.status == 200 && count.text == "3", "\(count.status) \(count.text)")
        // The HTTP component reaches the key the Redis component wrote.
        let seen = try app.spin.request("GET", "/redis/get?key=seen:two")
        #expect(seen.status == 200 && seen.text == "from the CLI:two", "\(seen.status) \(seen.text)")
        // The error and the trap are logged with the component and the message size.
        let stderr = app.spin.stderr
        #expect(
            stderr.contains(
                "redis: component `py` failed to handle a message (4 bytes): the component returned an error (error)"),
            "\(stderr)")
        #expect(stderr.contains("RuntimeError: asked to trap"), "\(stderr)")
        #expect(stderr.contains("redis: component `py` failed to handle a message (4 bytes): unreachable"), "\(stderr)")
        // The trigger keeps going after both.
        _ = try app.client.command(["PUBLISH", "messages", "four"])
        #expect(eventually(timeout: 30) { Self.text(app.pythonLog).hasSuffix("handled four #4\n") })
        #expect(try app.client.command(["GET", "seen:four"]) == .bulk("from the CLI:four"))
        // Payloads: empty, non-ASCII UTF-8, 1 MB (lowered into the guest as list<u8>).
        let big = String(repeating: "x", count: 1 << 20)
        for p in ["", "héllo ✓", big] { _ = try app.client.command(["PUBLISH", "messages", p]) }
        #expect(eventually(timeout: 60) { Self.text(app.pythonLog).hasSuffix(" #7\n") }, "\(app.spin.stderr.suffix(2000))")
        #expect(try app.client.command(["GET", "seen:"]) == .bulk("from the CLI:"))
        #expect(try app.client.command(["GET", "seen:héllo ✓"]) == .bulk("from the CLI:héllo ✓"))
        #expect(try app.client.command(["STRLEN", "seen:" + big]) == .integer(Int64("from the CLI:".utf8.count + big.utf8.count)))
        #expect(app.spin.stop() == 0, "\(app.spin.stderr.suffix(2000))")
    }

    static let allApp = ComponentHTTPLiveTests.componentsDirectory + "/spin-sdk-py-redis/all.wasm"

    /// One component of the Spin SDK's `spin-all` world (all.wasm: both exports) on a Redis
    /// channel and an HTTP route of the same app, as Spin allows: the HTTP export answers the
    /// counter the Redis export increments. (Before LoadedApp kept every trigger of a component,
    /// the Redis trigger's entry replaced the HTTP one and every request got 500 "component
    /// `both` is not loaded".)
    @Test(
        .enabled(if: FileManager.default.fileExists(atPath: allApp), notBuilt))
    func oneSpinAllComponentServesARedisChannelAndAnHTTPRoute() throws {
        let app = try Self.start(channels: ["messages"]) { server in
            """
            spin_manifest_version = 2
            [application]
            name = "spin-sdk-py-all"
            [application.trigger.redis]
            address = "\(server.url)"
            [variables]
            prefix = { default = "from the default" }
            [[trigger.http]]
            route = "/..."
            component = "both"
            [[trigger.redis]]
            channel = "messages"
            component = "both"
            [component.both]
            source = "\(Self.allApp)"
            key_value_stores = ["default"]
            allowed_outbound_hosts = ["\(server.url)"]
            [component.both.variables]
            prefix = "{{ prefix }}"
            redis_address = "\(server.url)"
            """
        }
        defer { app.stop() }
        let before = try app.spin.request("GET", "/")
        #expect(before.status == 200 && before.text == "0", "\(before.status) \(before.text)\n\(app.spin.stderr)")
        for p in ["a", "b"] { _ = try app.client.command(["PUBLISH", "messages", p]) }
        let log = app.dir.appendingPathComponent(".spin/logs/both_stdout.txt")
        #expect(eventually(timeout: 60) { Self.text(log).contains("handled b #2\n") }, "\(app.spin.stderr)")
        #expect(try app.client.command(["GET", "seen:b"]) == .bulk("from the CLI:b"))
        let after = try app.spin.request("GET", "/count")
        #expect(after.status == 200 && after.text == "2", "\(after.status) \(after.text)")
        #expect(app.spin.stop() == 0, "\(app.spin.stderr)")
    }

    /// Publish -> effect, one message at a time over 20 messages: the Python component's Redis
    /// key visible (its SET), and its stdout line (after the key-value increment); our C fixture's
    /// stdout line for comparison. Printed; checked only that every message took effect.
    @Test(.enabled(if: pythonAppBuilt, notBuilt))
    func publishToEffectLatency() throws {
        let app = try Self.start()
        defer { app.stop() }
        let count = 20
        // Two separate connections so that polling a key does not wait behind a publish.
        let poller = try app.server.client()
        defer { poller.close() }
        /// Per effect, the milliseconds from each publish until the effect was seen.
        func measure(channel: String, effects: [(Int) throws -> Bool]) throws -> [[Double]] {
            var samples = Array(repeating: [Double](), count: effects.count)
            for i in 1...count {
                let start = DispatchTime.now().uptimeNanoseconds
                _ = try app.client.command(["PUBLISH", channel, "m\(i)"])
                let end = Date().addingTimeInterval(20)
                var pending = Set(effects.indices)
                while !pending.isEmpty, Date() < end {
                    for e in pending where try effects[e](i) {
                        pending.remove(e)
                        samples[e].append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
                    }
                    if !pending.isEmpty { usleep(200) }
                }
                guard pending.isEmpty else {
                    Issue.record("message \(i) on `\(channel)` took no effect \(pending.sorted()): \(app.spin.stderr)")
                    return samples
                }
            }
            return samples
        }
        // A first message, not measured: the first instance of a component pays one-time costs.
        _ = try app.client.command(["PUBLISH", "messages", "warm-up"])
        #expect(eventually(timeout: 60) { Self.text(app.pythonLog).contains("handled warm-up #1\n") })
        let python = try measure(
            channel: "messages",
            effects: [
                { i in try poller.command(["GET", "seen:m\(i)"]) == .bulk("from the CLI:m\(i)") },
                { i in Self.text(app.pythonLog).contains("handled m\(i) #\(i + 1)\n") },
            ])
        let c = try measure(channel: "c-messages", effects: [{ i in Self.text(app.cLog).contains("handled m\(i) (c)\n") }])
        #expect(python.allSatisfy { $0.count == count } && c[0].count == count)
        func summary(_ s: [Double]) -> String {
            let sorted = s.sorted()
            guard !sorted.isEmpty else { return "no samples" }
            let median = sorted[sorted.count / 2]
            let p90 = sorted[min(sorted.count - 1, sorted.count * 9 / 10)]
            return String(
                format: "median %.1f ms, p90 %.1f ms, min %.1f ms, max %.1f ms", median, p90, sorted[0], sorted.last!)
        }
        print(
            "redis publish->effect over \(count) messages: Python Spin SDK component: Redis key set \(summary(python[0])), stdout line (after the key-value increment) \(summary(python[1])); C fixture component, stdout line: \(summary(c[0]))"
        )
    }
}
