import Foundation
import TestSupport
import Testing

@testable import SpinHost

/// One component referenced by an HTTP trigger and a Redis trigger of the same app (Spin allows
/// it; the Spin SDKs' `spin-all` world exports both handlers): `LoadedApp` checks the component
/// against both and serves it from both, linked once.
@Suite struct ComponentOnTwoTriggersTests {
    /// A v2 app folder: `source` as component `both`, on the route `/...` and the channel `messages`.
    static func app(source: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("two-triggers-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try """
        spin_manifest_version = 2
        [application]
        name = "two-triggers"
        [application.trigger.redis]
        address = "redis://127.0.0.1:1"
        [[trigger.http]]
        route = "/..."
        component = "both"
        [[trigger.redis]]
        channel = "messages"
        component = "both"
        [component.both]
        source = "\(source)"
        """.write(to: dir.appendingPathComponent("spin.toml"), atomically: true, encoding: .utf8)
        return dir
    }

    /// A Redis-only component on an HTTP route too is refused at load for the missing HTTP
    /// export (it used to load as a Redis handler only, and every HTTP request got a 500).
    @Test func aRedisOnlyComponentOnAnHTTPRouteToo() throws {
        let dir = try Self.app(source: RedisComponentTests.redisComponent)
        defer { try? FileManager.default.removeItem(at: dir) }
        do {
            _ = try LoadedApp.load(path: dir.path)
            Issue.record("a component without wasi:http/incoming-handler loaded under an HTTP trigger")
        } catch let error as AppLoadError {
            #expect(
                error.message.contains(
                    "component `both`: \(RedisComponentTests.redisComponent) is a WebAssembly component that does not export `wasi:http/incoming-handler@0.2.x` (it exports: fermyon:spin/inbound-redis)"
                ), "\(error)")
        }
    }

    /// The Python Spin SDK app built for `spin-all` loads as an HTTP and a Redis component
    /// sharing one linked component.
    @Test(
        .enabled(
            if: FileManager.default.fileExists(atPath: SpinSDKRedisComponentLiveTests.allApp),
            SpinSDKRedisComponentLiveTests.notBuilt))
    func aSpinAllComponentLoadsForBoth() throws {
        let dir = try Self.app(source: SpinSDKRedisComponentLiveTests.allApp)
        defer { try? FileManager.default.removeItem(at: dir) }
        let app = try LoadedApp.load(path: dir.path)
        let http = try #require(app.httpComponents["both"])
        let redis = try #require(app.redisComponents["both"])
        #expect(http.world == .httpProxy)
        #expect(redis.world == .redis(interface: "fermyon:spin/inbound-redis"))
        #expect(http.linked === redis.linked)
        #expect(app.components["both"] == nil)
    }
}
