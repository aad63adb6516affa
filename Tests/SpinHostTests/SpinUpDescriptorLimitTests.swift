import Foundation
import Synchronization
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `spin up` under a small soft open-file limit (as many shells and service managers
/// leave it): it raises the soft limit to the hard one at start, sizes its connection cap
/// from that, says so, and serves many concurrent connections without errors.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct SpinUpDescriptorLimitTests {
    @Test func raisesTheSoftLimitAndServesConcurrentClients() throws {
        let prlimit = "/usr/bin/prlimit"
        guard FileManager.default.isExecutableFile(atPath: prlimit) else { return }
        let spin = try SpinUpProcess(
            ["-f", packageRoot + "/Examples/hello-world", "--quiet"],
            launcher: [prlimit, "--nofile=256:4096", "--"])
        defer { spin.stop() }
        // 4096 - 256 descriptors kept for guests' files and the host.
        var waited = 0
        while !spin.stderr.contains("HTTP server: up to") && waited < 50 {
            usleep(100_000)
            waited += 1
        }
        #expect(spin.stderr.contains("HTTP server: up to 3840 connections (open-file limit 4096)"), "\(spin.stderr)")

        let clients = 50, requestsEach = 100
        let errors = Atomic<Int>(0)
        let served = Atomic<Int>(0)
        let group = DispatchGroup()
        let port = spin.port
        // One thread per client, so all 50 connections are open at once.
        for _ in 0..<clients {
            group.enter()
            Thread.detachNewThread {
            defer { group.leave() }
            guard let c = try? TestClient(port: port) else {
                errors.wrappingAdd(1, ordering: .relaxed)
                return
            }
            for _ in 0..<requestsEach {
                c.send("GET /?name=Load HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                guard let r = c.readResponse(), r.status == 200, r.text == "Hello, Load" else {
                    errors.wrappingAdd(1, ordering: .relaxed)
                    return
                }
                served.wrappingAdd(1, ordering: .relaxed)
            }
            }
        }
        group.wait()
        #expect(errors.load(ordering: .relaxed) == 0)
        #expect(served.load(ordering: .relaxed) == clients * requestsEach)
    }
}
