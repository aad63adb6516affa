import TestSupport
import Testing

@testable import RedisClient

/// The resp fuzz target on every finding and seed under Fixtures/fuzz (`FuzzFixtures`).
@Suite struct RESPFuzzReplayTests {
    @Test func findingsAndSeedsReplayCleanly() throws {
        let seeds = try FuzzFixtures.replay("resp", seedDirectory: "resp") { RedisClientFuzzTargets.resp($0) }
        #expect(seeds > 0, "no seeds for resp")
    }
}
