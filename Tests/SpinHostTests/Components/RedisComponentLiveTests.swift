import Foundation
import TestSupport
import Testing
import RedisClient

@testable import SpinHost

/// `spin up` with a Redis trigger pointing at a component (`fermyon:spin/inbound-redis`, our C
/// fixture `Fixtures/components/redis-component/redis.wasm`) against a real redis-server, in an
/// app that also has an HTTP component and a Spin 1.x Redis module (Examples/redis-counter).
@Suite(.serialized, .tags(.live), .enabled(if: RedisTestServer.available, RedisTestServer.skipMessage))
struct RedisComponentLiveTests {
    /// A running `spin up` of the mixed app and the Redis server it listens to.
    struct MixedApp {
        let server: RedisTestServer
        let dir: URL
        let spin: SpinUpProcess
        let client: RedisConnection

        var componentLog: URL { dir.appendingPathComponent(".spin/logs/handler_stdout.txt") }
        var moduleLog: URL { dir.appendingPathComponent(".spin/logs/counter_stdout.txt") }

        func stop() {
            spin.stop()
            try? FileManager.default.removeItem(at: dir)
        }
    }

    /// Channel `messages` -> the component `handler`, `counts` -> the 1.x module `counter`,
    /// `/...` -> the HTTP component `web`.
    static func startMixedApp() throws -> MixedApp {
        let server = try RedisTestServer()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("redis-component-live-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let fixtures = packageRoot + "/Fixtures/components"
        try """
        spin_manifest_version = 2
        [application]
        name = "redis-component-mixed"
        [application.trigger.redis]
        address = "\(server.url)"
        [[trigger.http]]
        route = "/..."
        component = "web"
        [[trigger.redis]]
        channel = "messages"
        component = "handler"
        [[trigger.redis]]
        channel = "counts"
        component = "counter"
        [component.web]
        source = "\(fixtures)/c-zig-nostdio.wasm"
        [component.handler]
        source = "\(fixtures)/redis-component/redis.wasm"
        environment = { HANDLER_NAME = "live" }
        [component.counter]
        source = "\(packageRoot)/Examples/redis-counter/main.wasm"
        environment = { REDIS_ADDRESS = "\(server.url)" }
        """.write(to: dir.appendingPathComponent("spin.toml"), atomically: true, encoding: .utf8)
        let spin = try SpinUpProcess(["-f", dir.path], directory: dir.path)
        let client = try server.client()
        guard
            try eventually(timeout: 30, { try client.subscriberCount("messages") == 1 && client.subscriberCount("counts") == 1 })
        else {
            spin.stop()
            throw ExecutorError("spin up did not subscribe: \(spin.stderr)")
        }
        return MixedApp(server: server, dir: dir, spin: spin, client: client)
    }

    static func text(_ url: URL) -> String { (try? String(contentsOf: url, encoding: .utf8)) ?? "" }

    @Test func messagesAreHandledFailuresLoggedAndTheOtherTriggersKeepWorking() throws {
        let app = try Self.startMixedApp()
        defer { app.stop() }
        for p in ["one", "fail-two", "trap", "three"] {
            _ = try app.client.command(["PUBLISH", "messages", p])
        }
        for i in 1...3 { _ = try app.client.command(["PUBLISH", "counts", "c\(i)"]) }
        #expect(
            eventually { Self.text(app.componentLog).contains("handled three (live)") },
            "component log: \(Self.text(app.componentLog))\nstderr: \(app.spin.stderr)")
        #expect(Self.text(app.componentLog) == "handled one (live)\nhandled fail-two (live)\nhandled three (live)\n")
        #expect(try eventually { try app.client.command(["GET", "redis-counter:count"]) == .bulk("3") })
        #expect(try app.client.command(["GET", "redis-counter:last"]) == .bulk("c3"))
        #expect(Self.text(app.moduleLog).contains("message 3: c3"))
        let stderr = app.spin.stderr
        #expect(
            stderr.contains(
                "redis: component `handler` failed to handle a message (8 bytes): the component returned an error (error)"),
            "\(stderr)")
        #expect(stderr.contains("redis: component `handler` failed to handle a message (4 bytes): "), "\(stderr)")
        let response = try app.spin.request("GET", "/")
        #expect(response.status == 200)
        #expect(response.text == "Hello from a C (zig cc) component: GET /\n")
        #expect(app.spin.stop() == 0)
    }

    /// A v2 app with two triggers on one channel, written as templates over the app's variables
    /// (address from `--variable`, channel from a default): every message runs both the
    /// component and the 1.x module, as Spin 2 and 3 run every trigger on a channel. (The HTTP
    /// route is there for SpinUpProcess, which waits for `Serving http://`.)
    @Test func everyTriggerOnAChannelHandlesEachMessage() throws {
        let server = try RedisTestServer()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("redis-fanout-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let fixtures = packageRoot + "/Fixtures/components"
        try """
        spin_manifest_version = 2
        [application]
        name = "redis-fanout"
        [variables]
        redis_url = { required = true }
        topic = { default = "events" }
        [application.trigger.redis]
        address = "{{ redis_url }}"
        [[trigger.http]]
        route = "/..."
        component = "web"
        [[trigger.redis]]
        channel = "{{ topic }}"
        component = "handler"
        [[trigger.redis]]
        channel = "{{ topic }}"
        component = "counter"
        [component.web]
        source = "\(fixtures)/c-zig-nostdio.wasm"
        [component.handler]
        source = "\(fixtures)/redis-component/redis.wasm"
        environment = { HANDLER_NAME = "fan" }
        [component.counter]
        source = "\(packageRoot)/Examples/redis-counter/main.wasm"
        environment = { REDIS_ADDRESS = "\(server.url)" }
        """.write(to: dir.appendingPathComponent("spin.toml"), atomically: true, encoding: .utf8)
        let spin = try SpinUpProcess(["-f", dir.path, "--variable", "redis_url=\(server.url)"], directory: dir.path)
        defer { spin.stop() }
        let client = try server.client()
        defer { client.close() }
        #expect(
            try eventually(timeout: 30) {
                try client.subscriberCount("events") == 1
            }, "\(spin.stderr)")
        #expect(spin.stderr.contains("channel `events` -> components `handler`, `counter`"), "\(spin.stderr)")
        for p in ["one", "two", "three"] { _ = try client.command(["PUBLISH", "events", p]) }
        let log = dir.appendingPathComponent(".spin/logs/handler_stdout.txt")
        #expect(
            eventually { Self.text(log).contains("handled three (fan)") }, "\(Self.text(log))\n\(spin.stderr)")
        #expect(Self.text(log) == "handled one (fan)\nhandled two (fan)\nhandled three (fan)\n")
        #expect(try eventually { try client.command(["GET", "redis-counter:count"]) == .bulk("3") })
        #expect(try client.command(["GET", "redis-counter:last"]) == .bulk("three"))
    }

    /// `spin up` refuses, before serving, a Redis trigger whose component does not export the
    /// handler, naming the component, the file and what it exports.
    @Test func spinUpRefusesAComponentWithoutTheRedisExport() throws {
        guard let spin = spinExecutable() else {
            Issue.record("the spin executable has not been built")
            return
        }
        let server = try RedisTestServer()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("redis-component-refused-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = packageRoot + "/Fixtures/components/c-zig-nostdio.wasm"
        try """
        spin_manifest_version = 2
        [application]
        name = "refused"
        [application.trigger.redis]
        address = "\(server.url)"
        [[trigger.redis]]
        channel = "messages"
        component = "not-redis"
        [component.not-redis]
        source = "\(source)"
        """.write(to: dir.appendingPathComponent("spin.toml"), atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: spin)
        process.arguments = ["up", "-f", dir.path]
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus != 0)
        #expect(
            stderr.contains(
                "component `not-redis`: \(source) is a WebAssembly component that does not export Spin's Redis handler `fermyon:spin/inbound-redis` (it exports: wasi:http/incoming-handler@0.2.0)"
            ), "\(stderr)")
        let client = try server.client()
        #expect(try client.subscriberCount("messages") == 0)
    }

    /// Publish -> effect latency, one message at a time: the component (its stdout line in the
    /// log file) against the 1.x module in the same `spin up` (its stdout line, after its INCR
    /// and SET through outbound Redis). Printed; checked only to be finite and each message seen.
    @Test func publishToEffectLatency() throws {
        let app = try Self.startMixedApp()
        defer { app.stop() }
        let count = 40
        func measure(channel: String, log: URL, line: (Int) -> String) throws -> [Double] {
            var samples: [Double] = []
            for i in 1...count {
                let start = DispatchTime.now().uptimeNanoseconds
                _ = try app.client.command(["PUBLISH", channel, "p\(i)"])
                let want = line(i)
                var seen = false
                let end = Date().addingTimeInterval(10)
                while Date() < end {
                    if Self.text(log).contains(want) {
                        seen = true
                        break
                    }
                    usleep(200)
                }
                guard seen else {
                    Issue.record("message \(i) on `\(channel)` not handled: \(app.spin.stderr)")
                    return samples
                }
                samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            }
            return samples
        }
        let component = try measure(channel: "messages", log: app.componentLog) { "handled p\($0) (live)\n" }
        let module = try measure(channel: "counts", log: app.moduleLog) { "message \($0): p\($0)\n" }
        #expect(component.count == count && module.count == count)
        func summary(_ s: [Double]) -> String {
            let sorted = s.sorted()
            guard !sorted.isEmpty else { return "no samples" }
            let median = sorted[sorted.count / 2]
            let p90 = sorted[min(sorted.count - 1, sorted.count * 9 / 10)]
            return String(format: "median %.2f ms, p90 %.2f ms, min %.2f ms, max %.2f ms", median, p90, sorted[0], sorted.last!)
        }
        print("redis publish->effect over \(count) messages: component \(summary(component)); 1.x module \(summary(module))")
    }
}
