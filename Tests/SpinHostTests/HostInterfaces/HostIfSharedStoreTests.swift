import Foundation
import Glibc
import Sockets
import TestSupport
import Testing

@testable import SpinHost

/// Two `spin up` processes whose default key-value store is the same Redis
/// (runtime config `[key_value_store.default] type = "redis"`) see each other's writes.
@Suite(.serialized, .tags(.live), .timeLimit(.minutes(2)))
struct HostIfSharedStoreTests {
    @Test(
        .enabled(if: RedisTestServer.available, RedisTestServer.skipMessage),
        .enabled(if: HostIfCrashTests.spinBinary != nil, "the spin binary is not built (swift build); skipped"))
    func twoProcessesShareARedisBackedStore() throws {
        let redis = try RedisTestServer()
        defer { redis.stop() }
        let dir = HostIf.tempDir("shared-kv")
        try FileManager.default.copyItem(atPath: HostIf.fixture("kv_counter.wasm"), toPath: dir + "/guest.wasm")
        _ = try HostIf.app(HostIf.v1(#"key_value_stores = ["default"]"#), in: dir)
        try """
        [key_value_store.default]
        type = "redis"
        url = "\(redis.url)"
        """.write(toFile: dir + "/runtime-config.toml", atomically: true, encoding: .utf8)

        func start() throws -> (Process, Int) {
            let port = try freePort()
            let p = Process()
            p.executableURL = URL(fileURLWithPath: HostIfCrashTests.spinBinary!)
            p.arguments = [
                "up", "--from", dir, "--listen", "127.0.0.1:\(port)", "--quiet", "--runtime-config-file",
                dir + "/runtime-config.toml",
            ]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            for _ in 0..<200 {
                if let fd = try? Socket.connect(host: "127.0.0.1", port: port, timeout: 1) {
                    close(fd)
                    return (p, port)
                }
                Thread.sleep(forTimeInterval: 0.05)
            }
            kill(p.processIdentifier, SIGKILL)
            throw SocketError("spin up did not start")
        }
        let (a, portA) = try start()
        let (b, portB) = try start()
        defer {
            kill(a.processIdentifier, SIGKILL)
            kill(b.processIdentifier, SIGKILL)
            a.waitUntilExit()
            b.waitUntilExit()
        }
        func increment(_ port: Int) throws -> Int {
            let r = try HTTPClient.send(
                OutboundHTTPRequest(method: "GET", url: "http://127.0.0.1:\(port)/"),
                settings: OutboundHTTPSettings(timeoutSeconds: 5))
            #expect(r.status == 200)
            return Int(String(decoding: r.body, as: UTF8.self)) ?? -1
        }
        // Alternate between the two processes: one counter, shared.
        var expected = 0
        for i in 0..<10 {
            expected += 1
            #expect(try increment(i % 2 == 0 ? portA : portB) == expected)
        }
    }
}
