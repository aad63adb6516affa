import Foundation
import TestSupport
import Testing

@testable import SpinHost

/// Fixtures/big-guest (the ~2 MB guest of the instantiation benchmark) still
/// loads and answers through the Spin executor, with the bodies its generator
/// computed (expected.txt: `URI BODY` per line), so the fixture cannot rot.
@Suite struct BigGuestFixtureTests {
    static let directory = packageRoot + "/Fixtures/big-guest"

    @Test func loadsAndAnswersWhatTheGeneratorExpects() throws {
        let size = try FileManager.default.attributesOfItem(atPath: Self.directory + "/big.wasm")[.size] as? Int ?? 0
        #expect(size > 1_500_000, "big.wasm should be ~2 MB, is \(size) bytes")

        let app = try LoadedApp.load(path: Self.directory)
        let component = try #require(app.components["big"])
        let host = GuestHost(output: GuestOutput(quiet: true))
        let expected = try String(contentsOfFile: Self.directory + "/expected.txt", encoding: .utf8)
            .split(separator: "\n").map { line -> (uri: String, body: String) in
                let space = line.firstIndex(of: " ")!
                return (String(line[..<space]), String(line[line.index(after: space)...]))
            }
        #expect(expected.count == 3)
        for (uri, body) in expected {
            let response = try SpinHTTPExecutor.execute(
                component, host: host, method: "GET", uri: uri, headers: [("host", "127.0.0.1:3000")], body: [])
            #expect(response.status == 200, "\(uri)")
            #expect(String(decoding: response.body, as: UTF8.self) == body, "\(uri)")
        }
    }
}
