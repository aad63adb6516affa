import Foundation
import Synchronization
import TestSupport
import Testing
import WasmCore

@testable import RedisClient
@testable import SpinHost

@Suite struct RedisTriggerPlanTests {
    @Test func v1AppAddressAndLastComponentOnAChannelWins() throws {
        let m = try Manifest.parse(
            """
            spin_manifest_version = "1"
            name = "r"
            trigger = { type = "redis", address = "redis://localhost:6379" }
            version = "0.1.0"
            [[component]]
            id = "first"
            source = "a.wasm"
            [component.trigger]
            channel = "messages"
            [[component]]
            id = "other"
            source = "b.wasm"
            [component.trigger]
            channel = "other"
            [[component]]
            id = "second"
            source = "c.wasm"
            [component.trigger]
            channel = "messages"
            """)
        let subs = try RedisTriggerRunner.subscriptions(for: m)
        #expect(subs.count == 1)
        #expect(subs[0].address == RedisAddress(host: "localhost"))
        #expect(subs[0].channels == ["messages", "other"])
        #expect(subs[0].components == ["messages": ["second"], "other": ["other"]])
    }

    @Test func v2PerTriggerAddresses() throws {
        let m = try Manifest.parse(
            """
            spin_manifest_version = 2
            [application]
            name = "r"
            [application.trigger.redis]
            address = "redis://localhost:6379"
            [[trigger.redis]]
            channel = "a"
            component = "one"
            [[trigger.redis]]
            channel = "b"
            component = "two"
            address = "redis://:pw@127.0.0.1:7000/1"
            [[trigger.redis]]
            channel = "c"
            component = "one"
            address = "redis://localhost:6379/"
            [component.one]
            source = "one.wasm"
            [component.two]
            source = "two.wasm"
            """)
        let subs = try RedisTriggerRunner.subscriptions(for: m)
        #expect(subs.count == 2)
        #expect(subs[0].components == ["a": ["one"], "c": ["one"]])
        #expect(subs[1].address == RedisAddress(host: "127.0.0.1", port: 7000, password: "pw", database: 1))
        #expect(subs[1].components == ["b": ["two"]])
    }

    /// Spin 2 and 3 run every trigger on a channel for each message (v1 kept the last one).
    @Test func v2EveryComponentOnAChannelRunsInManifestOrder() throws {
        let m = try Manifest.parse(
            """
            spin_manifest_version = 2
            [application]
            name = "r"
            [application.trigger.redis]
            address = "redis://localhost:6379"
            [[trigger.redis]]
            channel = "events"
            component = "audit"
            [[trigger.redis]]
            channel = "other"
            component = "audit"
            [[trigger.redis]]
            channel = "events"
            component = "mailer"
            [component.audit]
            source = "a.wasm"
            [component.mailer]
            source = "m.wasm"
            """)
        let subs = try RedisTriggerRunner.subscriptions(for: m)
        #expect(subs.count == 1)
        #expect(subs[0].channels == ["events", "other"])
        #expect(subs[0].components == ["events": ["audit", "mailer"], "other": ["audit"]])
    }

    /// v2 addresses and channels are templates over the app's variables (Spin 2 and 3 resolve
    /// them with the variables factor); one that names no variable stops `spin up`, naming it.
    @Test func v2AddressesAndChannelsExpandTheAppsVariables() throws {
        let m = try Manifest.parse(
            """
            spin_manifest_version = 2
            [application]
            name = "r"
            [application.trigger.redis]
            address = "redis://{{ redis_host }}:6379"
            [variables]
            redis_host = { default = "localhost" }
            prefix = { required = true }
            [[trigger.redis]]
            channel = "{{ prefix }}-events"
            component = "one"
            [[trigger.redis]]
            channel = "plain"
            component = "one"
            address = "redis://127.0.0.1:{{ port }}"
            [component.one]
            source = "one.wasm"
            """)
        let variables = VariableResolver(
            variables: m.variables.merging(["port": Variable(defaultValue: "7001")]) { a, _ in a },
            providers: [FixedVariableProvider(values: ["prefix": "app"])])
        let subs = try RedisTriggerRunner.subscriptions(for: m, variables: variables)
        #expect(subs.map(\.address) == [RedisAddress(host: "localhost"), RedisAddress(host: "127.0.0.1", port: 7001)])
        #expect(subs[0].components == ["app-events": ["one"]])
        #expect(subs[0].addressText == "redis://localhost:6379")

        let undeclared = VariableResolver(variables: m.variables, providers: [FixedVariableProvider(values: ["prefix": "x"])])
        #expect {
            _ = try RedisTriggerRunner.subscriptions(for: m, variables: undeclared)
        } throws: { error in
            "\(error)".contains("Redis trigger `") && "\(error)".contains("address `redis://127.0.0.1:{{ port }}`")
                && "\(error)".contains("port")
        }
    }

    @Test func tlsAddressesAreRefusedAtStartup() throws {
        let m = try Manifest.parse(
            """
            spin_manifest_version = "1"
            name = "r"
            trigger = { type = "redis", address = "rediss://example.com:6380" }
            version = "0.1.0"
            [[component]]
            id = "c"
            source = "a.wasm"
            [component.trigger]
            channel = "messages"
            """)
        do {
            _ = try RedisTriggerRunner(manifest: m, log: { _ in }) { _, _ in }
            Issue.record("rediss accepted")
        } catch {
            #expect(error.message.contains("TLS (rediss://) is not supported"))
            #expect(error.message.contains("component `c`"))
        }
    }
}

@Suite(.tags(.live), .enabled(if: RedisTestServer.available, RedisTestServer.skipMessage))
struct RedisTriggerLiveTests {
    func manifest(_ server: RedisTestServer) throws -> AppManifest {
        try Manifest.parse(
            """
            spin_manifest_version = "1"
            name = "recorder"
            trigger = { type = "redis", address = "\(server.url)" }
            version = "0.1.0"
            [[component]]
            id = "recorder"
            source = "recorder.wasm"
            [component.trigger]
            channel = "messages"
            """, path: RedisFixture.packageRoot.appendingPathComponent("Fixtures/redis/spin.toml").path)
    }

    func modules(_ m: AppManifest) throws -> [String: Module] {
        var out: [String: Module] = [:]
        for c in m.components {
            guard case .file(let path) = c.source else { continue }
            out[c.id] = try Module(bytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
        }
        return out
    }

    @Test func publishNMessagesThenRestartTheServer() throws {
        let server = try RedisTestServer()
        let m = try manifest(server)
        let log = LogCollector()
        let handled = Atomic<Int>(0)
        let inner = RedisTriggerRunner.handler(
            modules: try modules(m), imports: { _, _ in RedisFixture.configImports(address: server.url) }, log: log.sink
        )
        let runner = try RedisTriggerRunner(manifest: m, backoff: Backoff(initial: 0.05, maximum: 0.5), log: log.sink) {
            component, payload in
            #expect(component == "recorder")
            inner(component, payload)
            handled.add(1, ordering: .relaxed)
        }
        runner.start()
        defer {
            runner.stop()
            _ = runner.wait()
        }
        #expect(runner.waitUntilSubscribed(timeout: 10))

        let client = try server.client()
        let n = 25
        var last: [UInt8] = []
        for i in 0..<n {
            // Every fifth message is binary (NUL, CR LF, 0xFF).
            last = i % 5 == 4 ? [0, 13, 10, 255, UInt8(i)] : Array("message \(i)".utf8)
            #expect(try client.command([Array("PUBLISH".utf8), Array("messages".utf8), last]) == .integer(1))
        }
        #expect(eventually { handled.load(ordering: .relaxed) == n })
        #expect(try client.command(["GET", "recorder:count"]) == .bulk(String(n)))
        #expect(try client.command(["GET", "recorder:last"]) == .bulkString(last))

        // A guest error and a trap are logged; the next message is handled.
        _ = try client.command(["PUBLISH", "messages", "fail"])
        _ = try client.command(["PUBLISH", "messages", "trap"])
        _ = try client.command(["PUBLISH", "messages", ""])
        #expect(eventually { handled.load(ordering: .relaxed) == n + 3 })
        #expect(try client.command(["GET", "recorder:count"]) == .bulk(String(n + 1)))
        #expect(try client.command(["GET", "recorder:last"]) == .bulkString([]))
        #expect(log.lines.filter { $0.contains("component `recorder` failed") }.count == 2)

        // Restart redis-server: the trigger reconnects, resubscribes and goes on.
        try server.restart()
        #expect(eventually(timeout: 15) { log.lines.contains { $0.contains("resubscribed") } })
        let after = try server.client()
        #expect(try after.command(["PUBLISH", "messages", "after restart"]) == .integer(1))
        #expect(eventually { handled.load(ordering: .relaxed) == n + 4 })
        #expect(try after.command(["GET", "recorder:count"]) == .bulk("1"))  // --save '': the data went with the old server
        #expect(try after.command(["GET", "recorder:last"]) == .bulk("after restart"))
    }
}
