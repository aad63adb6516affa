import Foundation
import Testing
import WasmCore
import WasmSpec

/// The proposal folders of the control features of Wasm 3.0 (tail calls, exception handling with
/// its legacy instructions, typed function references), run as the folders' README says: Wasm 2.0
/// plus the proposal's features (exception handling's and function references' scripts use tail
/// calls too), in both tiers, in full.
@Test(
    "Wasm 3.0 control-feature proposal folder",
    .enabled(if: Wasm3SpecScripts.exists("proposals/tail-call"), "../shared/wasm-spec-tests/proposals not found; skipped"),
    arguments: [
        "proposals/tail-call", "proposals/exception-handling", "proposals/exception-handling/legacy",
        "proposals/function-references",
    ],
    [true, false])
func wasm3ControlProposalFolder(_ folder: String, optimize: Bool) {
    var configuration = EngineConfiguration()
    configuration.features = .wasm2
    configuration.features.tailCalls = true
    if folder.contains("exception-handling") { configuration.features.exceptions = true }
    if folder.contains("function-references") { configuration.features.functionReferences = true }
    let results = Wasm3SpecScripts.run(folder: folder, configuration: configuration, optimize: optimize)
    var total = SpecSummary()
    for r in results { total.add(r) }
    print("\(folder) (optimize: \(optimize)): \(results.count) files, \(total.line)")
    #expect(results.count >= 2, "too few scripts in \(folder)")
    #expect(total.passed > 80)
    let failing = results.filter { $0.failed > 0 }
    let details =
        failing.map(\.summaryLine).joined(separator: "\n") + "\n"
        + failing.flatMap { $0.failureLines.prefix(5) }.joined(separator: "\n")
    #expect(failing.isEmpty, Comment(rawValue: details))
}
