import Foundation
import Testing
import WasmCore
import WasmSpec

/// The Wasm 3.0 spec scripts of `../shared/wasm-spec-tests`: the proposal folders of the memory
/// features (memory64 with table64, multi-memory, extended-const, relaxed SIMD), each run as the
/// folder's README says (Wasm 2.0 plus that one proposal), and the merged `wasm-3.0/` suite.
enum Wasm3SpecScripts {
    /// `<package root>/../shared/wasm-spec-tests`.
    static let root: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Tests/WasmCoreTests
        .appendingPathComponent("../../../shared/wasm-spec-tests")
        .standardizedFileURL.path

    static func folder(_ name: String) -> String { (root as NSString).appendingPathComponent(name) }

    static func exists(_ name: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: folder(name), isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// Each proposal folder of this part and the one feature it adds to Wasm 2.0.
    static let proposals: [(folder: String, feature: WasmFeatures.Feature)] = [
        ("proposals/memory64", .memory64), ("proposals/multi-memory", .multiMemory),
        ("proposals/extended-const", .extendedConst), ("proposals/relaxed-simd", .relaxedSIMD),
    ]

    /// Wasm 2.0 plus `feature`.
    static func configuration(_ feature: WasmFeatures.Feature?) -> EngineConfiguration {
        var c = EngineConfiguration()
        c.features = .wasm2
        if let feature { c.features[feature] = true }
        return c
    }

    /// Text of a script's `.wast` beside its `.json` ("" when absent).
    static func source(ofScript json: String) -> String {
        (try? String(contentsOfFile: String(json.dropLast(5)) + ".wast", encoding: .utf8)) ?? ""
    }

    /// Whether the script uses garbage collection anywhere (types, instructions or reference
    /// types of the GC proposal), which this engine does not support.
    static func usesGC(_ wast: String) -> Bool {
        wast.range(
            of: #"\b(struct|array|i31|ref\.cast|ref\.test|br_on_cast|br_on_cast_fail|anyref|eqref|structref|arrayref|i31ref|nullref|any\.convert_extern|extern\.convert_any)\b|\((rec|sub)\b"#,
            options: .regularExpression) != nil
    }

    /// Whether the script uses typed function references (part A of the Wasm 3.0 issue): their
    /// instructions, `(ref ...)` types, or tables with an initializer expression.
    static func usesFunctionReferences(_ wast: String) -> Bool {
        wast.range(
            of: #"\b(call_ref|return_call_ref|br_on_null|br_on_non_null|ref\.as_non_null)\b|\(ref (null )?(\$|func|extern|exn|\d)|\(table[^;\n]*(funcref|externref)\s+\((ref|global)\."#,
            options: .regularExpression) != nil
    }

    /// Runs every `.json` script of `folder` with `configuration`: each file's result.
    static func run(folder name: String, configuration: EngineConfiguration, optimize: Bool) -> [SpecFileResult] {
        let runner = SpecTestRunner(options: .init(configuration: configuration, optimize: optimize))
        return SpecTestCLI.jsonFiles(in: folder(name)).map { runner.run(file: $0) }
    }
}

/// Each proposal folder of the memory features passes in full, in both tiers, with Wasm 2.0 plus
/// the proposal's feature (the folders are layered on the 2.0 suite). Prints the folder's count.
@Test(
    "Wasm 3.0 memory-feature proposal folder",
    .enabled(if: Wasm3SpecScripts.exists("proposals/memory64"), "../shared/wasm-spec-tests/proposals not found; skipped"),
    arguments: Wasm3SpecScripts.proposals.map(\.folder), [true, false])
func wasm3ProposalFolder(_ folder: String, optimize: Bool) {
    let feature = Wasm3SpecScripts.proposals.first { $0.folder == folder }!.feature
    let results = Wasm3SpecScripts.run(
        folder: folder, configuration: Wasm3SpecScripts.configuration(feature), optimize: optimize)
    var total = SpecSummary()
    for r in results { total.add(r) }
    let failing = results.filter { $0.failed > 0 }
    print("\(folder) (optimize: \(optimize)): \(results.count) files, \(total.line)")
    #expect(results.count > 0, "no scripts in \(folder)")
    #expect(total.passed > 0)
    let details =
        "\(folder): \(failing.map(\.summaryLine).joined(separator: "\n"))\n"
        + failing.flatMap { $0.failureLines.prefix(5) }.joined(separator: "\n")
    #expect(failing.isEmpty, Comment(rawValue: details))
}

/// A module using a switched-off feature fails with the feature named: the memory64 folder's
/// first 64-bit memory, with memory64 off.
@Test(.enabled(if: Wasm3SpecScripts.exists("proposals/memory64"), "../shared/wasm-spec-tests/proposals not found"))
func switchedOffMemory64FailsNamingTheFeature() throws {
    let path = Wasm3SpecScripts.folder("proposals/memory64/memory64.0.wasm")
    let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    _ = try Module(bytes: bytes)
    #expect {
        try Module(bytes: bytes, features: .wasm2)
    } throws: { error in
        "\(error)".contains("memory64 support is not enabled (at byte offset")
    }
}

/// The merged `wasm-3.0/` suite with every feature on. Scripts using GC are listed and counted
/// separately (GC is not supported). Every other script — the memory features, extended-const,
/// relaxed SIMD, tail calls, exceptions, typed function references, and all that Wasm 2.0
/// already had — passes, in both tiers. Prints the counts, so a merge shows how many files pass.
@Test(
    "wasm-3.0 folder",
    .enabled(if: Wasm3SpecScripts.exists("wasm-3.0"), "../shared/wasm-spec-tests/wasm-3.0 not found; skipped"),
    arguments: [true, false])
func wasm3Folder(optimize: Bool) {
    let results = Wasm3SpecScripts.run(folder: "wasm-3.0", configuration: EngineConfiguration(), optimize: optimize)
    var gc: [SpecFileResult] = [], references: [SpecFileResult] = [], required: [SpecFileResult] = []
    for r in results {
        let wast = Wasm3SpecScripts.source(ofScript: Wasm3SpecScripts.folder("wasm-3.0/" + r.fileName))
        if Wasm3SpecScripts.usesGC(wast) {
            gc.append(r)
        } else if Wasm3SpecScripts.usesFunctionReferences(wast) {
            references.append(r)
        } else {
            required.append(r)
        }
    }
    func count(_ rs: [SpecFileResult]) -> String { "\(rs.filter { $0.failed == 0 }.count)/\(rs.count) files pass" }
    let all = results.filter { $0.failed == 0 }.count
    print(
        """
        wasm-3.0 (optimize: \(optimize)): \(all)/\(results.count) files pass overall
          without GC or typed function references: \(count(required))
          of them using typed function references: \(count(references))
          using GC (unsupported): \(count(gc)): \(gc.map(\.fileName).joined(separator: " "))
        """)
    #expect(required.count > 150, "too few wasm-3.0 scripts classified as required: \(required.count)")
    let failing = (required + references).filter { $0.failed > 0 }
    let details =
        failing.map(\.summaryLine).joined(separator: "\n") + "\n"
        + failing.flatMap { $0.failureLines.prefix(5) }.joined(separator: "\n")
    #expect(failing.isEmpty, Comment(rawValue: details))
}
