import Foundation
import Synchronization
import TestSupport
import Testing
import WasmCore

@testable import SpinHost

/// Components exporting Spin's `fermyon:spin/inbound-redis` under a Redis trigger, run in
/// process through the trigger's handler (what `spin up` calls for each message), with
/// `Fixtures/components/redis-component/redis.wasm` (our C handler: writes `handled <payload>
/// (<HANDLER_NAME>)` to stdout; `fail...` returns `err(error)`, `trap` traps, `spin` loops;
/// `redis-async.wasm` has the async shape of Spin 3's `spin:redis/inbound-redis@3.0.0`).
@Suite struct RedisComponentTests {
    static let fixtures = packageRoot + "/Fixtures/components"
    static let redisComponent = fixtures + "/redis-component/redis.wasm"
    static let httpComponent = fixtures + "/c-zig-nostdio.wasm"

    /// A folder with a v2 `spin.toml`: a Redis trigger on `messages` for component `handler`
    /// (source `source`); with `http`, an HTTP trigger on `/...` for it instead. No Redis server
    /// is needed to load it.
    static func app(source: String, http: Bool = false) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("redis-component-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let trigger =
            http
            ? "[[trigger.http]]\nroute = \"/...\"\ncomponent = \"handler\""
            : "[[trigger.redis]]\nchannel = \"messages\"\ncomponent = \"handler\""
        try """
        spin_manifest_version = 2
        [application]
        name = "redis-component"
        [application.trigger.redis]
        address = "redis://127.0.0.1:1"
        \(trigger)
        [component.handler]
        source = "\(source)"
        environment = { HANDLER_NAME = "in-process" }
        """.write(to: dir.appendingPathComponent("spin.toml"), atomically: true, encoding: .utf8)
        return dir
    }

    /// Runs `payloads` through the trigger's handler for the fixture; returns the log lines and
    /// the guest's stdout (its log file).
    static func handle(_ payloads: [String], limits: GuestLimits = GuestLimits()) throws -> (
        log: [String], stdout: String, host: GuestHost
    ) {
        let dir = try app(source: redisComponent)
        defer { try? FileManager.default.removeItem(at: dir) }
        let app = try LoadedApp.load(path: dir.path)
        let lines = Mutex<[String]>([])
        let log: @Sendable (String) -> Void = { line in lines.withLock { $0.append(line) } }
        let logs = dir.appendingPathComponent("logs").path
        let host = GuestHost(
            output: GuestOutput(quiet: true, logDirectory: logs), limits: limits, watchdog: Watchdog(), log: log)
        let handler = RedisTriggerRunner.handler(app: app, host: host, log: log)
        for p in payloads { handler("handler", Array(p.utf8)) }
        let stdout = (try? String(contentsOfFile: logs + "/handler_stdout.txt", encoding: .utf8)) ?? ""
        return (lines.withLock { $0 }, stdout, host)
    }

    @Test func aComponentUnderARedisTriggerLoadsAsARedisHandler() throws {
        let dir = try Self.app(source: Self.redisComponent)
        defer { try? FileManager.default.removeItem(at: dir) }
        let app = try LoadedApp.load(path: dir.path)
        #expect(app.redisComponents["handler"]?.world == .redis(interface: "fermyon:spin/inbound-redis"))
        #expect(app.components["handler"] == nil)
        #expect(app.httpComponents["handler"] == nil)
    }

    @Test func eachMessageIsHandledAndFailuresAreLoggedWithoutStopping() throws {
        let (log, stdout, host) = try Self.handle(["m1", "fail-2", "trap", "m3 with spaces"])
        #expect(stdout == "handled m1 (in-process)\nhandled fail-2 (in-process)\nhandled m3 with spaces (in-process)\n")
        #expect(log.count == 2, "\(log)")
        #expect(
            log.first
                == "redis: component `handler` failed to handle a message (6 bytes): the component returned an error (error)"
        )
        #expect(log.last?.hasPrefix("redis: component `handler` failed to handle a message (4 bytes): ") == true)
        #expect(log.last?.contains("unreachable") == true, "\(log)")
        #expect(host.watchdog.armedCount == 0)
    }

    @Test func theGuestErrorIsReportedWithItsEnumCase() throws {
        let dir = try Self.app(source: Self.redisComponent)
        defer { try? FileManager.default.removeItem(at: dir) }
        let app = try LoadedApp.load(path: dir.path)
        let component = try #require(app.redisComponents["handler"])
        let host = GuestHost(output: GuestOutput(quiet: true), watchdog: Watchdog())
        #expect(throws: RedisHandlerError("the component returned an error (error)", guestErrorCode: 1)) {
            try ComponentRedisExecutor.handle(component, host: host, payload: Array("fail".utf8))
        }
        try ComponentRedisExecutor.handle(component, host: host, payload: Array("ok".utf8))
    }

    /// The watchdog stops a looping handler (the `timeout` limit, as for HTTP requests); the
    /// next message is handled as usual.
    @Test func aLoopingHandlerIsStoppedByTheTimeout() throws {
        var limits = GuestLimits()
        limits.timeout = .milliseconds(300)
        let start = Date()
        let (log, stdout, host) = try Self.handle(["spin", "after"], limits: limits)
        let seconds = Date().timeIntervalSince(start)
        #expect(seconds >= 0.25 && seconds < 5, "took \(seconds) s")
        #expect(
            log == [
                "redis: component `handler` exceeded its request timeout of 300 ms (request_timeout); message (4 bytes) dropped"
            ])
        #expect(stdout == "handled after (in-process)\n")
        #expect(host.watchdog.armedCount == 0)
    }

    @Test func aComponentWithoutTheRedisExportIsRefusedNamingWhatItExports() throws {
        let dir = try Self.app(source: Self.httpComponent)
        defer { try? FileManager.default.removeItem(at: dir) }
        do {
            _ = try LoadedApp.load(path: dir.path)
            Issue.record("an HTTP component loaded under a Redis trigger")
        } catch let error as AppLoadError {
            #expect(error.message.contains("component `handler`: \(Self.httpComponent)"), "\(error)")
            #expect(
                error.message.contains(
                    "does not export Spin's Redis handler `fermyon:spin/inbound-redis` (it exports: wasi:http/incoming-handler@0.2.0)"
                ), "\(error)")
        }
    }

    @Test func theRedisComponentUnderAnHTTPTriggerIsRefusedNamingItsExport() throws {
        let dir = try Self.app(source: Self.redisComponent, http: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        do {
            _ = try LoadedApp.load(path: dir.path)
            Issue.record("a Redis component loaded under an HTTP trigger")
        } catch let error as AppLoadError {
            #expect(error.message.contains("(it exports: fermyon:spin/inbound-redis)"), "\(error)")
        }
    }

    /// An HTTP component is still an HTTP component: its executor answers, and the Redis executor
    /// refuses it.
    @Test func anHTTPComponentStillServesHTTP() throws {
        let dir = try Self.app(source: Self.httpComponent, http: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let app = try LoadedApp.load(path: dir.path)
        let component = try #require(app.httpComponents["handler"])
        #expect(component.world == .httpProxy)
        let host = GuestHost(output: GuestOutput(quiet: true), watchdog: Watchdog())
        let response = try ComponentHTTPExecutor.execute(
            component, host: host, method: "GET", pathWithQuery: "/", headers: [], body: [])
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == "Hello from a C (zig cc) component: GET /\n")
        #expect(throws: RedisHandlerError.self) {
            try ComponentRedisExecutor.handle(component, host: host, payload: [])
        }
        #expect(host.watchdog.armedCount == 0)
    }

    /// Spin 3's `spin:redis/inbound-redis@3.0.0` handler is an `async func`: recognised as a
    /// Redis handler, and refused at load saying this host does not run async exports.
    @Test func anAsyncHandlerIsRefusedSayingSo() throws {
        let source = Self.fixtures + "/redis-component/redis-async.wasm"
        let dir = try Self.app(source: source)
        defer { try? FileManager.default.removeItem(at: dir) }
        do {
            _ = try LoadedApp.load(path: dir.path)
            Issue.record("an async Redis handler loaded")
        } catch let error as AppLoadError {
            #expect(
                error.message.hasPrefix(
                    "component `handler`: \(source): `spin:redis/inbound-redis@3.0.0#handle-message` is an `async func`"),
                "\(error)")
        }
    }

    @Test func spinsExportNamesAreRecognised() {
        #expect(InboundRedisExport.isRedisHandler("fermyon:spin/inbound-redis"))
        #expect(InboundRedisExport.isRedisHandler("spin:redis/inbound-redis@3.0.0"))
        #expect(InboundRedisExport.isRedisHandler("spin:redis/inbound-redis@3.1.0"))
        #expect(!InboundRedisExport.isRedisHandler("spin:redis/inbound-redis@4.0.0"))
        #expect(!InboundRedisExport.isRedisHandler("fermyon:spin/inbound-redis@1.0.0"))
        #expect(!InboundRedisExport.isRedisHandler("wasi:http/incoming-handler@0.2.0"))
    }
}
