import Foundation
import Testing
import WasmCore

@testable import HTTP1
@testable import RedisClient
@testable import SpinHost
@testable import TOML

/// Replays every input under Fixtures/fuzz through the fuzz target it belongs to, with the
/// same entry points `Scripts/fuzz` fuzzes: `crashes/TARGET/*` (findings, kept after their
/// fix so they stay fixed) and the seeds. A regression crashes the test process or trips a
/// property the target checks.
@Suite struct FuzzReplayTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/fuzz")

    static let targets: [String: @Sendable ([UInt8]) -> Void] = [
        "decode": { WasmCoreFuzzTargets.decode($0) },
        "compile": { WasmCoreFuzzTargets.compile($0) },
        "run": { WasmCoreFuzzTargets.instantiateAndRun($0) },
        "toml": { TOMLFuzzTargets.toml($0) },
        "http": { HTTP1FuzzTargets.httpRequest($0) },
        "resp": { RedisClientFuzzTargets.resp($0) },
    ]

    /// Which seed directory feeds each target (the three engine targets share one).
    static let seedDirectory = [
        "decode": "wasm", "compile": "wasm", "run": "wasm", "toml": "toml", "http": "http", "resp": "resp",
    ]

    static func files(in directory: URL) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { directory.appendingPathComponent($0) }
    }

    @Test(arguments: ["decode", "compile", "run", "toml", "http", "resp"])
    func findingsAndSeedsReplayCleanly(target: String) throws {
        let entry = try #require(Self.targets[target])
        let seeds = Self.files(in: Self.root.appendingPathComponent("seeds/\(Self.seedDirectory[target]!)"))
        #expect(!seeds.isEmpty, "no seeds for \(target)")
        let crashes = Self.files(in: Self.root.appendingPathComponent("crashes/\(target)"))
        for file in crashes + seeds {
            entry(Array(try Data(contentsOf: file)))
        }
    }

    /// The `run` target executes real modules, and its deadline stops guests that never return.
    @Test func runTargetExecutesModulesAndStopsEndlessOnes() throws {
        let seeds = Self.root.appendingPathComponent("seeds/wasm")
        func seed(_ name: String) throws -> [UInt8] { Array(try Data(contentsOf: seeds.appendingPathComponent(name))) }
        for name in ["numeric.wasm", "memory.wasm", "grows-capped.wasm"] {
            #expect(WasmCoreFuzzTargets.instantiateAndRun(try seed(name)), "\(name) was skipped")
        }
        // An endless loop, endless recursion and an endless loop of host calls.
        let clock = ContinuousClock()
        let start = clock.now
        #expect(WasmCoreFuzzTargets.instantiateAndRun(try seed("forever.wasm")))
        #expect(clock.now - start < .seconds(2), "the deadline did not stop the guest")
        // memory.grow without a small maximum could reach 4 GiB: skipped until the engine has a
        // memory limit (the C guests too: malloc grows memory and they declare no maximum).
        #expect(!WasmCoreFuzzTargets.instantiateAndRun(try seed("grows.wasm")))
        #expect(!WasmCoreFuzzTargets.instantiateAndRun(try seed("wagi-exit.wasm")))
    }

    /// The HTTP target's property holds on a pipelined stream split at every stride.
    @Test func httpTargetComparesSplitAndWholeParses() {
        let stream = Array("GET / HTTP/1.1\r\n\r\nPOST /x HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc".utf8)
        let whole = HTTP1FuzzTargets.httpEvents(stream, stride: stream.count)
        #expect(whole.count == 5, "\(whole)")
        for stride in 1...7 {
            #expect(HTTP1FuzzTargets.httpEvents(stream, stride: stride) == whole)
        }
    }
}
