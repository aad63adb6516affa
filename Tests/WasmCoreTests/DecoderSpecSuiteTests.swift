import Foundation
import Testing
import WasmCore

@Suite("Spec suite: module-level decoding and validation")
struct DecoderSpecSuiteTests {
    @Test(.enabled(if: SpecSuite.isAvailable, SpecSuite.skipMessage))
    func explore() throws {
        var lines: [String] = []
        for c in try SpecSuite.commands() {
            guard let filename = c.filename, filename.hasSuffix(".wasm") else { continue }
            let outcome = SpecSuite.check(try SpecSuite.bytes(filename))
            switch c.type {
            case "module":
                if outcome != .accepted { lines.append("MODULE \(c.key) \(filename): \(outcome)") }
            case "assert_malformed":
                let expected = c.text ?? ""
                if case .malformed(let m) = outcome, SpecSuite.matches(m, expected) { continue }
                lines.append("MALFORMED \(c.key) \(filename) expected '\(expected)' got \(outcome)")
            case "assert_invalid":
                let expected = c.text ?? ""
                if case .invalid(let m) = outcome, SpecSuite.matches(m, expected) { continue }
                if outcome == .accepted { lines.append("INVALID-BODY \(c.key) '\(expected)'"); continue }
                lines.append("INVALID \(c.key) \(filename) expected '\(expected)' got \(outcome)")
            default:
                break
            }
        }
        try lines.joined(separator: "\n").write(toFile: "/tmp/h-decoder-explore.txt", atomically: true, encoding: .utf8)
    }
}
