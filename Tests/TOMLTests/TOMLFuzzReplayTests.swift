import TestSupport
import Testing

@testable import TOML

/// The toml fuzz target on every finding and seed under Fixtures/fuzz (`FuzzFixtures`).
@Suite struct TOMLFuzzReplayTests {
    @Test func findingsAndSeedsReplayCleanly() throws {
        let seeds = try FuzzFixtures.replay("toml", seedDirectory: "toml") { TOMLFuzzTargets.toml($0) }
        #expect(seeds > 0, "no seeds for toml")
    }
}
