import Foundation
import Testing
import WasmCore

/// Runs the module-level part of the official spec suite (core; `simd_*` separately)
/// through `ModuleDecoder.decode` + `ModuleValidator.validate`.
///
/// Texts are compared the way the reference interpreter compares them: the
/// expected text must be a prefix of the message.
@Suite("Spec suite: module-level decoding and validation")
struct DecoderSpecSuiteTests {
    /// Every `assert_malformed` of type "binary" is rejected by the decoder with the
    /// expected text. (No exceptions are needed: the decoder scans function bodies
    /// for well-formedness, so body-level malformations are caught too.)
    @Test(.enabled(if: SpecSuite.isAvailable, SpecSuite.skipMessage))
    func malformedBinariesAreRejected() throws {
        var checked = 0
        for c in try SpecSuite.commands() where c.type == "assert_malformed" && c.moduleType == "binary" {
            guard let filename = c.filename, let expected = c.text else { continue }
            checked += 1
            let outcome = SpecSuite.check(try SpecSuite.bytes(filename))
            guard case .malformed(let message) = outcome else {
                Issue.record("\(c.key) \(filename): expected malformed '\(expected)', got \(outcome)")
                continue
            }
            #expect(
                SpecSuite.matches(message, expected), "\(c.key) \(filename): expected '\(expected)', got '\(message)'")
        }
        #expect(checked >= 700)
    }

    /// Every module the scripts instantiate decodes and validates (module level).
    @Test(.enabled(if: SpecSuite.isAvailable, SpecSuite.skipMessage))
    func validModulesAreAccepted() throws {
        var checked = 0
        for c in try SpecSuite.commands() where c.type == "module" {
            guard let filename = c.filename, filename.hasSuffix(".wasm") else { continue }
            checked += 1
            let outcome = SpecSuite.check(try SpecSuite.bytes(filename))
            #expect(outcome == .accepted, "\(c.key) \(filename): \(outcome)")
        }
        #expect(checked > 1000)
    }

    /// `assert_invalid` modules either fail `ModuleValidator` with the expected text,
    /// or pass it because the error is inside a function body (the translator's job).
    /// They must never be reported as malformed or with another text.
    @Test(.enabled(if: SpecSuite.isAvailable, SpecSuite.skipMessage))
    func invalidModulesFailAtModuleLevelOrAreBodyLevel() throws {
        var moduleLevel = 0
        var bodyLevel: [String: Int] = [:]
        for c in try SpecSuite.commands() where c.type == "assert_invalid" && c.moduleType == "binary" {
            guard let filename = c.filename, let expected = c.text else { continue }
            switch SpecSuite.check(try SpecSuite.bytes(filename)) {
            case .invalid(let message):
                #expect(
                    SpecSuite.matches(message, expected),
                    "\(c.key) \(filename): expected '\(expected)', got '\(message)'")
                moduleLevel += 1
            case .accepted:
                bodyLevel[expected, default: 0] += 1
            case .malformed(let message):
                Issue.record("\(c.key) \(filename): expected invalid '\(expected)', got malformed '\(message)'")
            }
        }
        let total = bodyLevel.values.reduce(0, +)
        print("assert_invalid: \(moduleLevel) rejected by ModuleValidator, \(total) left to the translator:")
        for (text, n) in bodyLevel.sorted(by: { $0.value > $1.value }) { print("  \(n) \(text)") }
        #expect(moduleLevel >= 100)
    }

    /// Every module the SIMD scripts instantiate decodes and validates at module level
    /// (v128 types, globals and `v128.const` initializers).
    @Test(.enabled(if: SpecSuite.isAvailable, SpecSuite.skipMessage))
    func simdModulesAreAccepted() throws {
        var checked = 0
        for c in try SpecSuite.commands(simd: true) where c.type == "module" {
            guard let filename = c.filename, filename.hasSuffix(".wasm") else { continue }
            checked += 1
            let outcome = SpecSuite.check(try SpecSuite.bytes(filename))
            #expect(outcome == .accepted, "\(c.key) \(filename): \(outcome)")
        }
        #expect(checked > 100)
    }
}
