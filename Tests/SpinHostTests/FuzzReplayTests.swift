import Foundation
import TestSupport
import Testing
import WasmCore

/// Replays every input under Fixtures/fuzz for the engine's fuzz targets (`FuzzFixtures`:
/// the findings and the seeds). The protocol targets are replayed by their own test targets
/// (TOMLTests, HTTP1Tests, RedisClientTests).
@Suite struct FuzzReplayTests {
    static let targets: [String: @Sendable ([UInt8]) -> Void] = [
        "decode": { WasmCoreFuzzTargets.decode($0) },
        "compile": { WasmCoreFuzzTargets.compile($0) },
        "run": { WasmCoreFuzzTargets.instantiateAndRun($0) },
    ]

    @Test(arguments: ["decode", "compile", "run"])
    func findingsAndSeedsReplayCleanly(target: String) throws {
        let entry = try #require(Self.targets[target])
        let seeds = try FuzzFixtures.replay(target, seedDirectory: "wasm", entry)
        #expect(seeds > 0, "no seeds for \(target)")
    }

    /// The `run` target executes real modules, and its deadline stops guests that never return.
    @Test func runTargetExecutesModulesAndStopsEndlessOnes() throws {
        let seeds = FuzzFixtures.root.appendingPathComponent("seeds/wasm")
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
}
