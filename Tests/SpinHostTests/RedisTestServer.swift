import Foundation
import Testing

@testable import RedisClient
@testable import SpinHost

#if canImport(Glibc)
    import Glibc
#endif

/// A real `redis-server` on a free loopback port, started and stopped by a test.
/// Tests that need one are disabled with a clear message where it is not installed
/// (Scripts/test installs it).
final class RedisTestServer: @unchecked Sendable {
    static let executable: String? = {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") + [
            "/usr/bin", "/usr/local/bin",
        ] {
            let p = "\(dir)/redis-server"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }()

    static var available: Bool { executable != nil }
    static let skipMessage: Comment =
        "redis-server is not installed (Scripts/test installs it with apt-get); live Redis tests skipped"

    let port: Int
    let extraArguments: [String]
    private var process: Process?

    var url: String { "redis://127.0.0.1:\(port)" }
    var address: RedisAddress { RedisAddress(host: "127.0.0.1", port: port) }

    init(extraArguments: [String] = []) throws {
        self.port = try Self.freePort()
        self.extraArguments = extraArguments
        try start()
    }

    deinit { stop() }

    func start() throws {
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

    func stop() {
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

    func restart() throws {
        stop()
        try start()
    }

    /// A plain client for the test's own checks.
    func client() throws -> RedisConnection {
        try RedisConnection(address: RedisAddress(host: "127.0.0.1", port: port, password: passwordArgument))
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var sa = sockaddr_in()
        sa.sin_family = sa_family_t(AF_INET)
        sa.sin_port = 0
        sa.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &sa) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { p in
                bind(fd, p, len) == 0 && getsockname(fd, p, &len) == 0
            }
        }
        guard ok else { throw RedisError(.io, "no free port") }
        return Int(UInt16(bigEndian: sa.sin_port))
    }
}

/// Collects log lines from concurrent callers.
final class LogCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [String] = []
    var lines: [String] { lock.withLock { storage } }
    func append(_ s: String) { lock.withLock { storage.append(s) } }
    var sink: @Sendable (String) -> Void { { [self] in self.append($0) } }
}

/// Waits for a condition, polling.
func eventually(timeout: Double = 10, _ condition: () throws -> Bool) rethrows -> Bool {
    let end = Date().addingTimeInterval(timeout)
    while Date() < end {
        if try condition() { return true }
        usleep(20_000)
    }
    return try condition()
}
