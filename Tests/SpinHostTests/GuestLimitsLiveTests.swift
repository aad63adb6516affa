import Foundation
import Synchronization
import TestSupport
import Testing

@testable import HTTP1
@testable import SpinHost

#if canImport(Glibc)
    import Glibc
#endif

/// Guest limits under `spin up` (Fixtures/limits): deadlines, memory, call depth and
/// output caps, each alone and then all mixed with normal requests under load.
@Suite(.serialized, .tags(.live), .timeLimit(.minutes(3)))
struct GuestLimitsLiveTests {
    static let fixtures = packageRoot + "/Fixtures/limits"

    /// `spin up` of the fixtures with log files in a fresh temporary folder (never in Fixtures/).
    static func spinUp(_ flags: [String]) throws -> (SpinUpProcess, String) {
        let logs = NSTemporaryDirectory() + "limits-logs-\(UUID().uuidString)"
        return (try SpinUpProcess(["-f", fixtures, "--quiet", "-L", logs] + flags), logs)
    }

    /// Waits up to 5 s for `text` in the server's stderr.
    static func waitForLog(_ spin: SpinUpProcess, _ text: String) -> Bool {
        let deadline = Date().addingTimeInterval(5)
        while !spin.stderr.contains(text) && Date() < deadline { usleep(20_000) }
        return spin.stderr.contains(text)
    }

    static func timed(_ body: () throws -> TestClient.Response) rethrows -> (TestClient.Response, Double) {
        let start = Date()
        let r = try body()
        return (r, Date().timeIntervalSince(start))
    }

    @Test func aLoopingGuestGets500AtItsDeadlineAndFreesItsWorker() throws {
        let (spin, _) = try Self.spinUp(["--request-timeout", "1s"])
        defer { spin.stop() }
        let (r, seconds) = try Self.timed { try spin.request("GET", "/loop") }
        #expect(r.status == 500)
        #expect(seconds >= 0.9 && seconds < 3, "took \(seconds) s")
        #expect(Self.waitForLog(spin, "component `loop` exceeded its request timeout of 1 s (request_timeout)"))
        #expect(try spin.request("GET", "/ok").text == "ok")
    }

    @Test func deadlinesCoverStartFunctionsAndWASISleeps() throws {
        let (spin, _) = try Self.spinUp(["--request-timeout", "800ms"])
        defer { spin.stop() }
        for path in ["/start-loop", "/sleep"] {
            let (r, seconds) = try Self.timed { try spin.request("GET", path) }
            #expect(r.status == 500, "\(path)")
            #expect(seconds < 3, "\(path) took \(seconds) s")
        }
        #expect(Self.waitForLog(spin, "component `start-loop` exceeded its request timeout of 800 ms"))
        #expect(Self.waitForLog(spin, "component `sleep` exceeded its request timeout of 800 ms"))
    }

    @Test func loopingGuestsDoNotStarveOtherRequests() throws {
        let (spin, _) = try Self.spinUp(["--request-timeout", "3s"])
        defer { spin.stop() }
        // More loopers than cores, all running at once, then a normal request.
        let loopers = 4
        let done = DispatchGroup()
        for _ in 0..<loopers {
            done.enter()
            Thread {
                _ = try? spin.request("GET", "/loop")
                done.leave()
            }.start()
        }
        usleep(300_000)
        let (r, seconds) = try Self.timed { try spin.request("GET", "/ok") }
        #expect(r.text == "ok")
        #expect(seconds < 2.5, "a normal request waited \(seconds) s behind \(loopers) loopers")
        done.wait()
    }

    /// How many 1 MiB blocks the guest could malloc before memory.grow returned -1 under `limit`.
    static func grownMiB(limit: String) throws -> Int? {
        let (spin, _) = try Self.spinUp(["--max-memory", limit])
        defer { spin.stop() }
        let r = try spin.request("GET", "/grow")
        #expect(r.status == 500)
        #expect(try spin.request("GET", "/ok").text == "ok")
        return Int(r.text.replacingOccurrences(of: "grew ", with: "").replacingOccurrences(of: " MiB", with: ""))
    }

    @Test func memoryGrowStopsAtTheMemoryLimit() throws {
        // The guest's allocator takes more than 1 MiB of memory per block, so the counts are
        // below the limits, but they must stay under them and scale with them.
        let small = try #require(try Self.grownMiB(limit: "16MiB"))
        let large = try #require(try Self.grownMiB(limit: "48MiB"))
        #expect(small >= 2 && small < 16, "16 MiB limit: \(small) MiB")
        #expect(large >= 2 * small && large < 48, "48 MiB limit: \(large) MiB (16 MiB: \(small))")
    }

    @Test func aTrapAtTheMemoryLimitIsLoggedAsSuch() throws {
        let (spin, _) = try Self.spinUp(["--max-memory", "16MiB"])
        defer { spin.stop() }
        #expect(try spin.request("GET", "/exhaust").status == 500)
        #expect(
            Self.waitForLog(
                spin, "component `exhaust` trapped after reaching its memory limit of 16 MiB (max_memory): unreachable")
        )
        // An ordinary trap far below the limit keeps its usual line.
        #expect(try spin.request("GET", "/trap").status == 500)
        #expect(Self.waitForLog(spin, "component `trap` trapped: unreachable"))
    }

    @Test func anInitialMemoryAboveTheLimitFailsAtStartWithAClearError() throws {
        // guest.wasm starts with 2 MiB (32 pages: data and a 1 MiB stack); 64 KiB is too little.
        // Every request would fail, so `spin up` refuses to start and says why.
        let spin = try #require(spinExecutable(), "spin is not built")
        let (status, _, stderr) = try WasmRunCLITests.run(spin, ["up", "-f", Self.fixtures, "--max-memory", "64KiB"])
        #expect(status != 0)
        #expect(stderr.contains("component `exhaust`") || stderr.contains("component `grow`"), "\(stderr)")
        #expect(stderr.contains("starts at 32 pages") && stderr.contains("--max-memory"), "\(stderr)")
    }

    @Test func unboundedRecursionTrapsAtTheCallDepthLimit() throws {
        let (spin, _) = try Self.spinUp(["--max-call-depth", "5000"])
        defer { spin.stop() }
        #expect(try spin.request("GET", "/recurse").status == 500)
        #expect(Self.waitForLog(spin, "component `recurse` trapped: call stack exhausted"))
        #expect(try spin.request("GET", "/ok").text == "ok")
    }

    @Test func outputBeyondTheCapIsDroppedWithOneLogLine() throws {
        let (spin, logs) = try Self.spinUp(["--max-output", "64KiB"])
        defer { spin.stop() }
        #expect(try spin.request("GET", "/noisy").text == "noisy")
        #expect(try spin.request("GET", "/noisy").text == "noisy")
        let line =
            "component `noisy` wrote more than 65536 bytes to stdout/stderr; the rest is dropped (max_output)"
        #expect(Self.waitForLog(spin, line))
        // One line per request (two requests), not one per write.
        #expect(spin.stderr.components(separatedBy: line).count - 1 == 2)
        let size = (try? FileManager.default.attributesOfItem(atPath: logs + "/noisy_stderr.txt")[.size] as? Int) ?? -1
        #expect(size == 2 * 65536, "the stderr log holds \(size) bytes")
    }

    @Test func aWAGIResponseBeyondTheOutputCapIsA500() throws {
        let (spin, _) = try Self.spinUp(["--max-output", "1MiB"])
        defer { spin.stop() }
        #expect(try spin.request("GET", "/flood?4").status == 500)
        #expect(Self.waitForLog(spin, "component `flood` wrote more than 1048576 bytes to stdout (max_output)"))
        let small = try spin.request("GET", "/flood?0")
        #expect(small.status == 200)
    }

    @Test func badLimitValuesAreRejectedNamingTheFlag() throws {
        guard let spin = spinExecutable() else { throw HTTPServerError("the spin executable has not been built") }
        for (flag, value) in [
            ("--request-timeout", "soon"), ("--max-memory", "lots"), ("--max-call-depth", "0"), ("--max-output", "-1"),
        ] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: spin)
            p.arguments = ["up", "-f", Self.fixtures, "--listen", "127.0.0.1:0", flag, value]
            let err = Pipe()
            p.standardError = err
            p.standardOutput = Pipe()
            try p.run()
            let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            #expect(p.terminationStatus == 2, "\(flag) \(value)")
            #expect(text.contains(flag) && text.contains(value), "\(text)")
        }
    }

    // MARK: Load

    /// The resident set of process `pid`, in KiB.
    static func rss(_ pid: Int32) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return -1 }
        return Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]) ?? -1
    }

    /// 1,000 requests from 10 concurrent clients: 40 each to guests that loop, sleep,
    /// grow memory, recurse and trap, 800 normal. Every normal request succeeds, every
    /// bad one gets a 500 within the deadline (+ slack), and RSS returns near its baseline.
    @Test func aThousandMixedRequestsUnderLoad() throws {
        let deadline = 1.0
        let (spin, _) = try Self.spinUp([
            "--request-timeout", "1s", "--max-memory", "16MiB", "--max-call-depth", "5000",
        ])
        defer { spin.stop() }
        let pid = spin.process.processIdentifier
        // Each 25 requests: 5 bad (one of each kind), 20 normal.
        let cycle = ["loop", "grow", "recurse", "trap", "sleep"] + Array(repeating: "ok", count: 20)
        let plan = (0..<1000).map { cycle[$0 % cycle.count] }

        // Warm up: every kind once per client, so pools and caches are at their working size.
        func run(_ paths: [String], clients: Int) -> [(kind: String, status: Int, seconds: Double, body: String)] {
            let results = Mutex<[(kind: String, status: Int, seconds: Double, body: String)]>([])
            let next = Atomic<Int>(0)
            let done = DispatchGroup()
            for _ in 0..<clients {
                done.enter()
                Thread {
                    while true {
                        let i = next.add(1, ordering: .relaxed).oldValue
                        guard i < paths.count else { break }
                        let start = Date()
                        let r = try? spin.request("GET", "/" + paths[i])
                        let entry = (paths[i], r?.status ?? -1, Date().timeIntervalSince(start), r?.text ?? "")
                        results.withLock { $0.append(entry) }
                    }
                    done.leave()
                }.start()
            }
            done.wait()
            return results.withLock { $0 }
        }
        _ = run(Array(repeating: Array(Set(cycle)), count: 10).flatMap { $0 }, clients: 10)
        usleep(500_000)
        let baseline = Self.rss(pid)

        let start = Date()
        let results = run(plan, clients: 10)
        let wall = Date().timeIntervalSince(start)
        #expect(results.count == 1000)
        let normal = results.filter { $0.kind == "ok" }
        let bad = results.filter { $0.kind != "ok" }
        #expect(normal.count == 800 && bad.count == 200)
        let failedNormal = normal.filter { $0.status != 200 || $0.body != "ok" }
        #expect(failedNormal.isEmpty, "\(failedNormal.count) normal requests failed: \(failedNormal.prefix(3))")
        let wrongBad = bad.filter { $0.status != 500 }
        #expect(wrongBad.isEmpty, "\(wrongBad.count) bad requests without 500: \(wrongBad.prefix(3))")
        let slack = 2.0
        let slowest = bad.map(\.seconds).max() ?? 0
        #expect(slowest < deadline + slack, "the slowest bad request took \(slowest) s")

        usleep(1_000_000)
        let after = Self.rss(pid)
        // The pooled memory reservations and allocator caches are warm at the baseline;
        // growth beyond 16 MiB would mean per-request leaks (1,000 requests × ≥ 16 KiB).
        let toleranceKiB = 16 * 1024
        print(
            "load: 1000 requests in \(String(format: "%.1f", wall)) s, slowest bad \(String(format: "%.2f", slowest)) s, "
                + "slowest normal \(String(format: "%.2f", normal.map(\.seconds).max() ?? 0)) s, "
                + "RSS baseline \(baseline) KiB, after \(after) KiB")
        #expect(baseline > 0 && after > 0)
        #expect(after - baseline < toleranceKiB, "RSS grew from \(baseline) KiB to \(after) KiB")
    }
}
