import Foundation
import RedisClient
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A real `redis-server` on a free loopback port, started and stopped by a test.
/// Tests that need one are disabled with a clear message where it is not installed
/// (Scripts/test installs it).
package final class RedisTestServer: @unchecked Sendable {
    package static let executable: String? = {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") + [
            "/usr/bin", "/usr/local/bin",
        ] {
            let p = "\(dir)/redis-server"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }()

    package static var available: Bool { executable != nil }
    package static let skipMessage: Comment =
        "redis-server is not installed (Scripts/test installs it with apt-get); live Redis tests skipped"

    package let port: Int
    package let extraArguments: [String]
    private var process: Process?

    package var url: String { "redis://127.0.0.1:\(port)" }
    package var address: RedisAddress { RedisAddress(host: "127.0.0.1", port: port) }

    package init(extraArguments: [String] = []) throws {
        self.port = try freePort()
        self.extraArguments = extraArguments
        try start()
    }

    deinit { stop() }

    package func start() throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.executable!)
        p.arguments =
            ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no"]
            + extraArguments
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        process = p
        // Ready when it answers PING.
        let end = Date().addingTimeInterval(10)
        while Date() < end {
            if let c = try? RedisConnection(
                address: RedisAddress(host: "127.0.0.1", port: port, password: passwordArgument), timeout: 1),
                (try? c.command(["PING"])) == .simpleString("PONG")
            {
                c.close()
                return
            }
            usleep(20_000)
        }
        throw RedisError(.io, "redis-server on port \(port) did not start")
    }

    private var passwordArgument: String? {
        guard let i = extraArguments.firstIndex(of: "--requirepass"), i + 1 < extraArguments.count else { return nil }
        return extraArguments[i + 1]
    }

    package func stop() {
        guard let p = process else { return }
        process = nil
        // SIGKILL, not SIGTERM: the test process blocks most signals and a child
        // started by Foundation's Process inherits that mask, so redis-server
        // would never see a SIGTERM. (It also models a crash, which is what the
        // reconnect tests want.)
        if p.isRunning {
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
        }
    }

    package func restart() throws {
        stop()
        try start()
    }

    /// A plain client for the test's own checks.
    package func client() throws -> RedisConnection {
        try RedisConnection(address: RedisAddress(host: "127.0.0.1", port: port, password: passwordArgument))
    }
}

/// Collects log lines from concurrent callers.
package final class LogCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [String] = []
    package init() {}
    package var lines: [String] { lock.withLock { storage } }
    package func append(_ s: String) { lock.withLock { storage.append(s) } }
    package var sink: @Sendable (String) -> Void { { [self] in self.append($0) } }
}

/// Waits for a condition, polling.
package func eventually(timeout: Double = 10, _ condition: () throws -> Bool) rethrows -> Bool {
    let end = Date().addingTimeInterval(timeout)
    while Date() < end {
        if try condition() { return true }
        usleep(20_000)
    }
    return try condition()
}

extension RedisConnection {
    /// How many clients are subscribed to `channel` (`PUBSUB NUMSUB`); -1 when the reply has
    /// another shape.
    package func subscriberCount(_ channel: String) throws -> Int64 {
        guard case .array(let a?) = try command(["PUBSUB", "NUMSUB", channel]), a.count == 2,
            case .integer(let n) = a[1]
        else { return -1 }
        return n
    }
}
