import Foundation
import Synchronization
import TestSupport
import Testing
import WasmCore

@testable import SpinHost

/// `GuestLimits` values from flags and `[limits]`, and the `Watchdog`.
@Suite struct GuestLimitsTests {
    @Test func flagValuesParse() throws {
        var l = GuestLimits()
        try l.set("request_timeout", to: "1.5s", source: "--request-timeout")
        #expect(l.timeout == .milliseconds(1500))
        try l.set("request_timeout", to: "250ms", source: "--request-timeout")
        #expect(l.timeout == .milliseconds(250))
        try l.set("request_timeout", to: "2m", source: "--request-timeout")
        #expect(l.timeout == .seconds(120))
        try l.set("request_timeout", to: "none", source: "--request-timeout")
        #expect(l.timeout == nil)
        try l.set("max_memory", to: "16MiB", source: "--max-memory")
        #expect(l.maxMemoryBytes == 16 << 20)
        #expect(l.engineConfiguration.maxMemoryPages == 256)
        try l.set("max_output", to: "1000", source: "--max-output")
        #expect(l.maxOutputBytes == 1000)
        try l.set("max_call_depth", to: "500", source: "--max-call-depth")
        #expect(l.engineConfiguration.maxCallDepth == 500)
        try l.set("max_table_elements", to: "7", source: "--max-table-elements")
        #expect(l.engineConfiguration.maxTableElements == 7)
    }

    @Test(arguments: [
        ("request_timeout", "soon"), ("request_timeout", "0s"), ("request_timeout", "-1s"), ("max_memory", "lots"),
        ("max_memory", "1KiB"), ("max_output", "-5"), ("max_call_depth", "0"), ("max_table_elements", "x"),
    ])
    func badValuesNameTheirSource(_ key: String, _ value: String) {
        var l = GuestLimits()
        let error = #expect(throws: AppLoadError.self) { try l.set(key, to: value, source: "--the-flag") }
        #expect(error?.message.hasPrefix("--the-flag: ") == true)
        #expect(error?.message.contains(value) == true)
        #expect(l == GuestLimits())
    }

    @Test func runtimeConfigLimitsTable() throws {
        let c = try RuntimeConfig.parse(
            """
            [limits]
            request_timeout = 5
            max_memory = "64MiB"
            max_output = 4096
            """)
        var expected = GuestLimits()
        expected.timeout = .seconds(5)
        expected.maxMemoryBytes = 64 << 20
        expected.maxOutputBytes = 4096
        #expect(c.limits == expected)
        #expect(try RuntimeConfig.parse("state_dir = \"x\"").limits == nil)
    }

    @Test func runtimeConfigLimitErrorsNameKeyAndLine() {
        let bad = #expect(throws: ManifestError.self) {
            try RuntimeConfig.parse("[limits]\nmax_memory = \"huge\"\n", path: "rc.toml")
        }
        #expect("\(bad.map { "\($0)" } ?? "")".contains("max_memory"))
        #expect("\(bad.map { "\($0)" } ?? "")".contains("rc.toml:2"))
        let unknown = #expect(throws: ManifestError.self) { try RuntimeConfig.parse("[limits]\nmax_cpu = 1\n") }
        #expect("\(unknown.map { "\($0)" } ?? "")".contains("max_cpu"))
    }

    @Test func theWatchdogInterruptsOnlyExpiredDeadlines() throws {
        let watchdog = Watchdog(interval: .milliseconds(5), capacity: 1)
        let expiring = InterruptHandle()
        let lasting = InterruptHandle()
        let a = watchdog.arm(expiring, deadline: Watchdog.now() + 20_000_000)
        let b = watchdog.arm(lasting, deadline: Watchdog.now() + 60_000_000_000)  // past the capacity: grows
        #expect(watchdog.armedCount == 2)
        let until = Date().addingTimeInterval(2)
        while !expiring.isInterrupted && Date() < until { usleep(2000) }
        #expect(expiring.isInterrupted)
        #expect(!lasting.isInterrupted)
        #expect(watchdog.disarm(a) == true)
        #expect(watchdog.disarm(b) == false)
        #expect(watchdog.armedCount == 0)
        // A disarmed slot is reused and a disarmed handle is never interrupted.
        let reused = InterruptHandle()
        let c = watchdog.arm(reused, deadline: Watchdog.now() + 60_000_000_000)
        #expect(c == a || c == b)
        watchdog.disarm(c)
        usleep(20_000)
        #expect(!reused.isInterrupted)
    }

    /// The Redis trigger's handler (what each message runs) under a short deadline: the
    /// looping guest is stopped, the message dropped with a log line, and the call returns.
    @Test func aLoopingRedisHandlerIsStoppedAndItsMessageDropped() throws {
        let app = try LoadedApp.load(path: packageRoot + "/Fixtures/limits/redis.toml")
        var limits = GuestLimits()
        limits.timeout = .milliseconds(300)
        let lines = Mutex<[String]>([])
        let log: @Sendable (String) -> Void = { line in lines.withLock { $0.append(line) } }
        let host = GuestHost(output: GuestOutput(quiet: true), limits: limits, watchdog: Watchdog(), log: log)
        let handler = RedisTriggerRunner.handler(app: app, host: host, log: log)
        let start = Date()
        handler("redis-loop", Array("hello".utf8))
        let seconds = Date().timeIntervalSince(start)
        #expect(seconds >= 0.25 && seconds < 2, "took \(seconds) s")
        #expect(
            lines.withLock { $0 } == [
                "redis: component `redis-loop` exceeded its request timeout of 300 ms (request_timeout); "
                    + "message (5 bytes) dropped"
            ])
        #expect(host.watchdog.armedCount == 0)
    }
}

/// A module whose own initial memory or table is past a limit fails `spin up` at start,
/// naming the component, the limit and where it was set, instead of failing every request.
@Suite struct GuestLimitsStartCheckTests {
    /// `(memory min_pages) (table min_elements)`, nothing else.
    static func module(memoryPages: UInt8, tableElements: UInt8) throws -> Module {
        try Module(
            bytes: [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00]
                + [0x04, 0x04, 0x01, 0x70, 0x00, tableElements]  // table: funcref, min
                + [0x05, 0x04, 0x01, 0x00, 0x80 | (memoryPages & 0x7F), memoryPages >> 7])  // memory: min (LEB128)
    }

    @Test func initialMemoryPastMaxMemoryIsAStartError() throws {
        var limits = GuestLimits()
        try limits.set("max_memory", to: "16MiB", source: "--max-memory")
        try limits.check(try Self.module(memoryPages: 255, tableElements: 1), component: "small")
        try limits.check(try Self.module(memoryPages: 128, tableElements: 1), component: "small")
        let error = #expect(throws: AppLoadError.self) {
            try limits.check(try Self.module(memoryPages: 200, tableElements: 1) , component: "fits")
            try limits.check(try Self.module(memoryPages: 0xFF, tableElements: 1), component: "fits")
            var tight = limits
            try tight.set("max_memory", to: "1MiB", source: "--max-memory")
            try tight.check(try Self.module(memoryPages: 17, tableElements: 1), component: "big")
        }
        let text = error?.message ?? ""
        #expect(text.contains("component `big`") && text.contains("17 pages") && text.contains("1 MiB"), "\(text)")
        #expect(text.contains("--max-memory"), "\(text)")
    }

    @Test func theRuntimeConfigLineIsNamed() throws {
        let config = try RuntimeConfig.parse("[limits]\n\nmax_memory = \"1MiB\"\n", path: "rc.toml")
        let limits = try #require(config.limits)
        let error = #expect(throws: AppLoadError.self) {
            try limits.check(try Self.module(memoryPages: 20, tableElements: 1), component: "big")
        }
        #expect(error?.message.contains("`max_memory` in [limits] at rc.toml:3") == true, "\(error?.message ?? "")")
    }

    @Test func initialTablePastMaxTableElementsIsAStartError() throws {
        var limits = GuestLimits()
        try limits.set("max_table_elements", to: "10", source: "--max-table-elements")
        try limits.check(try Self.module(memoryPages: 1, tableElements: 10), component: "ok")
        let error = #expect(throws: AppLoadError.self) {
            try limits.check(try Self.module(memoryPages: 1, tableElements: 11), component: "wide")
        }
        #expect(error?.message.contains("11 elements") == true && error?.message.contains("--max-table-elements") == true)
    }
}
