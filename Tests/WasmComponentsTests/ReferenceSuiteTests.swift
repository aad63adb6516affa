import Foundation
import Testing
import WasmSpec

/// The Component Model's reference tests (`../shared/component-model-tests`, JSON + binaries).
enum ComponentReferenceScripts {
    /// `<package root>/../shared/component-model-tests`, found from this file's location.
    static let root: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Tests/WasmComponentsTests
        .appendingPathComponent("../../../shared/component-model-tests")
        .standardizedFileURL.path

    static var isAvailable: Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// `folder/file.json` of every folder but `async/` (the async ABI does not run), and the
    /// `async/` scripts that only need what runs (sync calls across ABIs, validation).
    static let scripts: [String] =
        ["binary", "validation", "values", "resources", "linking"].flatMap { folder in
            SpecTestCLI.jsonFiles(in: (root as NSString).appendingPathComponent(folder)).map {
                folder + "/" + ($0 as NSString).lastPathComponent
            }
        } + [
            "async/cross-abi-calls.json", "async/validate-no-async-abi-for-sync-type.json",
            "async/validate-no-stream-char.json", "async/trap-on-reenter.json",
        ]

    /// Commands expected to fail, by `folder/file.json:LINE`, each with why.
    static let knownFailures: [String: String] = [
        "async/trap-on-reenter.json:65": "an async callback that waits (the async ABI does not run)",
    ]
}

/// Runs each non-async script: every command must pass (decoding and validation with the
/// expected message; instantiation, invocations and traps of the canonical ABI with the expected
/// values and trap texts), except `knownFailures`. Components that cannot be instantiated
/// (imports the runner does not provide) pass as "validated; not instantiated".
@Test(
    "Component Model reference script",
    .enabled(
        if: ComponentReferenceScripts.isAvailable,
        "component-model-tests not found at \(ComponentReferenceScripts.root); skipped"),
    arguments: ComponentReferenceScripts.scripts)
func componentReferenceScript(_ script: String) {
    let result = SpecTestRunner().run(file: (ComponentReferenceScripts.root as NSString).appendingPathComponent(script))
    print(result.summaryLine)
    for r in result.results {
        let key = "\(script):\(r.line)"
        switch r.outcome {
        case .failed(let reason):
            if ComponentReferenceScripts.knownFailures[key] == nil { Issue.record("\(key): \(r.type): \(reason)") }
        case .passed(let note?) where !note.hasPrefix("validated; not instantiated"):
            Issue.record("\(key): \(r.type): \(note)")
        case .skipped(let reason):
            // Only text-format modules (no text parser) and instantiation may be skipped.
            #expect(
                reason.hasPrefix("text-format module") || reason.hasPrefix("validated; not instantiated"),
                "\(key): skipped: \(reason)")
        default:
            break
        }
    }
    for (key, _) in ComponentReferenceScripts.knownFailures where key.hasPrefix(script + ":") {
        let line = Int(key.split(separator: ":").last!)!
        let outcome = result.results.first { $0.line == line }?.outcome
        #expect(outcome?.isFailed == true, "\(key) is listed as a known failure but \(String(describing: outcome))")
    }
}
