import Foundation
import TestSupport
import Testing

@testable import SpinHost

/// `spin up` serving a component stays bounded: after a warm-up, 3,000 more requests (a fresh
/// instance each) leave RSS within 16 MiB of where it was. Reference cycles in the component
/// runtime once kept every instance (~24 KiB per request of the C handler, ~45 KiB per request of
/// the 1.4–1.5 module: this check grew by ~70–140 MiB); ComponentInstanceLifetimeTests pins each
/// cycle down.
@Suite(.tags(.live), .timeLimit(.minutes(3)))
struct ComponentMemoryLiveTests {
    /// The C `wasi:http` component, and the Spin 1.4–1.5 SDK module (canonical ABI over a core
    /// instance, whose binding lives in the store's data).
    @Test(arguments: ["Fixtures/components/c-zig-nostdio.wasm", "Fixtures/spin15/spin15.wasm"])
    func rssStaysBoundedOverThousandsOfRequests(_ wasm: String) throws {
        let dir = try ComponentHTTPLiveTests.app(serving: packageRoot + "/" + wasm)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let spin = try SpinUpProcess(["-f", dir, "--quiet"])
        defer { spin.stop() }
        let pid = spin.process.processIdentifier
        func requests(_ n: Int) throws {
            for _ in 0..<n {
                let r = try spin.request("GET", "/")
                guard r.status == 200 else { throw ExecutorError("status \(r.status): \(r.text)") }
            }
        }
        try requests(500)  // pools and allocator caches at their working size
        usleep(300_000)
        let baseline = GuestLimitsLiveTests.rss(pid)
        try requests(3000)
        usleep(300_000)
        let after = GuestLimitsLiveTests.rss(pid)
        print("\(wasm) RSS: baseline \(baseline) KiB, after 3,000 more requests \(after) KiB")
        #expect(baseline > 0 && after > 0)
        #expect(after - baseline < 16 * 1024, "RSS grew from \(baseline) KiB to \(after) KiB")
    }
}
