import Foundation
import TestSupport
import Testing

@testable import SpinHost

#if canImport(Glibc)
    import Glibc
#endif

/// `spin up` on Examples/redis-counter against a real redis-server.
@Suite(.tags(.live), .enabled(if: RedisTestServer.available, RedisTestServer.skipMessage))
struct RedisSpinUpTests {
    @Test func redisCounterExampleCountsMessages() throws {
        guard let spin = spinExecutable() else {
            Issue.record("the spin executable has not been built")
            return
        }
        let server = try RedisTestServer()
        // The example, pointed at the test server.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("redis-counter-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let example = URL(fileURLWithPath: packageRoot).appendingPathComponent("Examples/redis-counter")
        try FileManager.default.copyItem(
            at: example.appendingPathComponent("main.wasm"), to: dir.appendingPathComponent("main.wasm"))
        let toml = try String(contentsOf: example.appendingPathComponent("spin.toml"), encoding: .utf8)
            .replacingOccurrences(of: "127.0.0.1:6379", with: "127.0.0.1:\(server.port)")
        try toml.write(to: dir.appendingPathComponent("spin.toml"), atomically: true, encoding: .utf8)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: spin)
        process.arguments = ["up", "-f", dir.appendingPathComponent("spin.toml").path]
        let errors = dir.appendingPathComponent("stderr.txt")
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
        defer {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }

        let client = try server.client()
        #expect(
            try eventually(timeout: 30) { try client.subscriberCount("messages") == 1 },
            "spin up did not subscribe: \((try? String(contentsOf: errors, encoding: .utf8)) ?? "")")
        for i in 1...10 {
            _ = try client.command(["PUBLISH", "messages", "message \(i)"])
        }
        #expect(try eventually { try client.command(["GET", "redis-counter:count"]) == .bulk("10") })
        #expect(try client.command(["GET", "redis-counter:last"]) == .bulk("message 10"))
        let stderr = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
        #expect(
            stderr.contains("Serving Redis redis://127.0.0.1:\(server.port): channel `messages` -> component `counter`")
        )
        // The guest's stdout goes to the component's log file.
        let stdoutLog = dir.appendingPathComponent(".spin/logs/counter_stdout.txt")
        #expect(
            eventually {
                ((try? String(contentsOf: stdoutLog, encoding: .utf8)) ?? "").contains("message 10: message 10")
            })
    }

    /// An app with both trigger types (v2): HTTP keeps serving while Redis messages are handled,
    /// and SIGTERM stops both.
    @Test func httpAndRedisTriggersTogether() throws {
        let server = try RedisTestServer()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("redis-mixed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try """
        spin_manifest_version = 2
        [application]
        name = "mixed"
        [application.trigger.redis]
        address = "\(server.url)"
        [[trigger.http]]
        route = "/..."
        component = "hello"
        [[trigger.redis]]
        channel = "messages"
        component = "counter"
        [component.hello]
        source = "\(packageRoot)/Examples/hello-world/main.wasm"
        [component.counter]
        source = "\(packageRoot)/Examples/redis-counter/main.wasm"
        environment = { REDIS_ADDRESS = "\(server.url)" }
        """.write(to: dir.appendingPathComponent("spin.toml"), atomically: true, encoding: .utf8)

        let spin = try SpinUpProcess(["-f", dir.path, "--quiet"])
        defer { spin.stop() }
        let client = try server.client()
        #expect(
            try eventually(timeout: 30) { try client.subscriberCount("messages") == 1 })
        for i in 1...3 { _ = try client.command(["PUBLISH", "messages", "m\(i)"]) }
        #expect(try spin.request("GET", "/?name=John").text == "Hello, John")
        #expect(try eventually { try client.command(["GET", "redis-counter:count"]) == .bulk("3") })
        #expect(try client.command(["GET", "redis-counter:last"]) == .bulk("m3"))
        #expect(spin.stop() == 0)
    }
}
