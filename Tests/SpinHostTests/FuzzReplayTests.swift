import Foundation
import Testing
import WasmCore

@testable import SpinHost

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
        "toml": { SpinHostFuzzTargets.toml($0) },
        "http": { SpinHostFuzzTargets.httpRequest($0) },
        "resp": { SpinHostFuzzTargets.resp($0) },
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

    /// The bounded-execution filter of the `run` target must let real modules through.
    @Test func runTargetExecutesLoopFreeSeedsAndSkipsLoopingOnes() throws {
        let seeds = Self.root.appendingPathComponent("seeds/wasm")
        for name in ["numeric.wasm", "memory.wasm"] {
            let bytes = Array(try Data(contentsOf: seeds.appendingPathComponent(name)))
            #expect(WasmCoreFuzzTargets.instantiateAndRun(bytes), "\(name) was skipped")
        }
        // The C guests loop (and call): skipped, as they could run forever.
        let looping = Array(try Data(contentsOf: seeds.appendingPathComponent("wagi-exit.wasm")))
        #expect(!WasmCoreFuzzTargets.instantiateAndRun(looping))
    }

    /// The HTTP target's property holds on a pipelined stream split at every stride.
    @Test func httpTargetComparesSplitAndWholeParses() {
        let stream = Array("GET / HTTP/1.1\r\n\r\nPOST /x HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc".utf8)
        let whole = SpinHostFuzzTargets.httpEvents(stream, stride: stream.count)
        #expect(whole.count == 5, "\(whole)")
        for stride in 1...7 {
            #expect(SpinHostFuzzTargets.httpEvents(stream, stride: stride) == whole)
        }
    }
}
