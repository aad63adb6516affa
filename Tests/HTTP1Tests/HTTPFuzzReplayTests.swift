import TestSupport
import Testing

@testable import HTTP1

/// The http fuzz target on every finding and seed under Fixtures/fuzz (`FuzzFixtures`).
@Suite struct HTTPFuzzReplayTests {
    @Test func findingsAndSeedsReplayCleanly() throws {
        let seeds = try FuzzFixtures.replay("http", seedDirectory: "http") { HTTP1FuzzTargets.httpRequest($0) }
        #expect(seeds > 0, "no seeds for http")
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
