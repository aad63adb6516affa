import ArgumentParsing
import Foundation
import WasmCore

/// `spin wasm spectest [OPTIONS] PATH...`: runs wast2json scripts and prints one line per
/// script and a total line. The logic lives here so it can be tested; `spin` only forwards
/// its arguments.
public enum SpecTestCLI {
    /// The command's arguments, help and usage.
    public static let spec = CommandSpec<Options>(
        "spin wasm spectest", abstract: "Run WebAssembly spec-test scripts (wast2json .json) and count what passes",
        arguments: [
            .flag("-v", "--verbose", help: "Print every failure (and skip reason) with its .wast line", \.verbose),
            .flag(
                "--notes", help: "Also print passes that carry a note (right error kind, different message)", \.notes),
            .flag("--skip-simd", help: "Skip simd_*.json scripts (counted as skipped)") { $0.skipSIMD = true },
            .flag("--no-skip-simd", help: "Run simd_*.json scripts (the default)") { $0.skipSIMD = false },
            .flag(
                "--loose",
                help: """
                    Accept a ValidationError for assert_malformed and a DecodeError for
                    assert_invalid (noted); by default the error kind must match
                    """, \.loose),
            .flag(
                "--lazy",
                help: """
                    Compile modules lazily (each function body on its first call);
                    assert_invalid then translates every body to find the error
                    """, \.lazy),
            .flag("--no-optimize", help: "Run the reference translation (no fusions or superinstructions)") {
                $0.optimize = false
            },
            WasmFeatureFlag.argument(\.features),
            .positionals(
                "PATH", help: "A wast2json .json script, or a folder (every .json in it, by name)", required: true,
                \.paths),
        ],
        discussion: """
            Prints "FILE.json: N passed, M failed[, K skipped]" per script, then the total
            "N passed, M failed[, K skipped]". Exits 0 when nothing failed, else 1.
            """)

    /// Why SIMD scripts are skipped.
    public static let simdSkipReason =
        "simd_* scripts skipped on request (--skip-simd)"

    public struct Options: Sendable, Equatable {
        public var paths: [String] = []
        public var verbose = false
        public var notes = false
        /// nil or false: run simd_* scripts; true: count them as skipped.
        public var skipSIMD: Bool? = nil
        public var loose = false
        public var lazy = false
        public var optimize = true
        /// The Wasm features modules may use (`-W NAME=y|n`).
        public var features = WasmFeatures()
        public var help = false
        public init() {}
    }

    /// Parses the arguments that follow `spin wasm spectest`; `--help` gives options with `help` set.
    public static func parse(_ arguments: [String]) -> Result<Options, SpecParseError> {
        do throws(UsageError) {
            guard let options = try spec.parse(arguments, into: Options()) else {
                var help = Options()
                help.help = true
                return .success(help)
            }
            return .success(options)
        } catch {
            return .failure(SpecParseError(error.message))
        }
    }

    /// Whether `fileName` is a SIMD script (`simd_*.json`).
    public static func isSIMDScript(_ fileName: String) -> Bool {
        (fileName as NSString).lastPathComponent.hasPrefix("simd_")
    }

    /// The `.json` files directly in `folder`, sorted by name, as full paths.
    public static func jsonFiles(in folder: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted().map { (folder as NSString).appendingPathComponent($0) }
    }

    /// Runs the command; `output` receives stdout lines, `errorOutput` stderr lines.
    public static func run(
        arguments: [String], output: (String) -> Void, errorOutput: (String) -> Void
    ) -> Int32 {
        let options: Options
        switch parse(arguments) {
        case .success(let o): options = o
        case .failure(let error):
            errorOutput("error: \(error.message)\n\n\(spec.usage)\n\nFor more information, try '\(spec.name) --help'.")
            return 2
        }
        if options.help {
            output(String(spec.help.dropLast()))
            return 0
        }

        // (path, skip as SIMD?)
        var scripts: [(String, Bool)] = []
        var missing: [String] = []
        for path in options.paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                missing.append(path)
                continue
            }
            if isDirectory.boolValue {
                let skip = options.skipSIMD ?? false
                scripts += jsonFiles(in: path).map { ($0, skip && isSIMDScript($0)) }
            } else {
                scripts.append((path, (options.skipSIMD ?? false) && isSIMDScript(path)))
            }
        }
        for path in missing { errorOutput("spin wasm spectest: no such file or folder: \(path)") }

        var configuration = EngineConfiguration()
        configuration.features = options.features
        let runner = SpecTestRunner(
            options: SpecTestRunner.Options(
                looseErrorKinds: options.loose, configuration: configuration,
                compilation: options.lazy ? .lazy : .eager, optimize: options.optimize))
        var total = SpecSummary()
        var skippedSIMD = 0
        for (path, skip) in scripts {
            let result: SpecFileResult
            if skip {
                result = SpecTestRunner.skippedResult(file: path, reason: simdSkipReason)
                skippedSIMD += 1
            } else {
                result = runner.run(file: path)
            }
            total.add(result)
            output(result.summaryLine)
            if options.verbose {
                if skip { output("  skipped: \(simdSkipReason)") }
                for line in result.failureLines { output("  " + line) }
            }
            if options.notes {
                for line in result.noteLines { output("  " + line) }
            }
        }
        if skippedSIMD > 0 && !options.verbose {
            errorOutput("note: \(skippedSIMD) simd_* script(s) skipped: \(simdSkipReason)")
        }
        output(total.line)
        return total.failed == 0 && missing.isEmpty ? 0 : 1
    }
}
