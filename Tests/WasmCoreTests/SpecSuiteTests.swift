import Foundation
import Testing
import WasmCore
import WasmSpec

/// Where the converted spec tests live and which parts of them are expected not to pass yet.
enum CoreSpecScripts {
    /// `<package root>/../shared/wasm-spec-tests/core`, found from this file's location
    /// (`<package root>/Tests/WasmCoreTests/SpecSuiteTests.swift`).
    static let coreFolder: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Tests/WasmCoreTests
        .appendingPathComponent("../../../shared/wasm-spec-tests/core")
        .standardizedFileURL.path

    static var isAvailable: Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: coreFolder, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// Every `.json` script of `core/` (SIMD ones included), sorted (empty when the folder is absent).
    static let files: [String] = SpecTestCLI.jsonFiles(in: coreFolder)
        .map { ($0 as NSString).lastPathComponent }

    /// Known, accepted failures: a script name (`"names.json"`) skips the whole script,
    /// `"file.json:LINE"` skips the command at that `.wast` line. Every entry must say why.
    /// Keep this short and remove entries as the engine catches up.
    static let skipList: [String: String] = [:]

    /// core/ is the Wasm 2.0 suite: with Wasm 3.0's features some of its invalid modules
    /// (two memories, `global.get` of a defined global, memory indices) are valid.
    static var configuration: EngineConfiguration {
        var c = EngineConfiguration()
        c.features = .wasm2
        return c
    }

    /// The `file.json:LINE` entries of `file`, by line.
    static func skippedLines(of file: String) -> [Int: String] {
        var lines: [Int: String] = [:]
        for (key, reason) in skipList {
            let parts = key.split(separator: ":", maxSplits: 1)
            if parts.count == 2, parts[0] == file, let line = Int(parts[1]) { lines[line] = reason }
        }
        return lines
    }
}

/// Runs one core spec script; expects no failures outside `CoreSpecScripts.skipList`.
/// Text-format `assert_malformed` commands are skipped by the runner (no text parser).
/// Each script runs twice: optimised, and in the reference translation (`optimize: false`),
/// which the fusion, differential and corpus tests take as their oracle.
@Test(
    "Wasm 2.0 core spec script",
    // The converted suite sits next to the package in ../shared; without it there is nothing to run.
    .enabled(if: CoreSpecScripts.isAvailable, "spec tests not found at \(CoreSpecScripts.coreFolder); skipped"),
    arguments: CoreSpecScripts.files, [true, false])
func specScript(_ file: String, optimize: Bool) {
    let check = {
        let runner = SpecTestRunner(
            options: .init(
                skippedLines: CoreSpecScripts.skippedLines(of: file), configuration: CoreSpecScripts.configuration,
                optimize: optimize))
        let result = runner.run(file: (CoreSpecScripts.coreFolder as NSString).appendingPathComponent(file))
        let shown = result.failureLines.prefix(20).joined(separator: "\n")
        let more = result.failed > 20 ? "\n... and \(result.failed - 20) more" : ""
        #expect(result.failed == 0, "optimize: \(optimize): \(result.summaryLine)\n\(shown)\(more)")
    }
    if let reason = CoreSpecScripts.skipList[file] {
        // A whole script on the skip list still runs: its failures are reported as a known
        // issue, and the test fails once the script passes (time to remove the entry).
        withKnownIssue(Comment(rawValue: "\(file) is on the skip list: \(reason)")) { check() }
    } else {
        check()
    }
}

@Test func specSkipListEntriesHaveReasonsAndNameRealScripts() {
    for (key, reason) in CoreSpecScripts.skipList {
        #expect(!reason.trimmingCharacters(in: .whitespaces).isEmpty, "skip list entry \(key) has no reason")
        let parts = key.split(separator: ":", maxSplits: 1)
        #expect(parts.first.map { $0.hasSuffix(".json") } == true, "skip list key \(key) is not file.json[:line]")
        if parts.count == 2 { #expect(Int(parts[1]) != nil, "skip list key \(key) has no line number") }
        if CoreSpecScripts.isAvailable, let name = parts.first {
            #expect(CoreSpecScripts.files.contains(String(name)), "skip list key \(key) names no core script")
        }
    }
}
