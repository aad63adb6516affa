import Foundation

/// `spin wasm spectest [options] PATH...`: runs wast2json scripts and prints one line per
/// script and a total line. The logic lives here so it can be tested; the `spin` executable
/// only forwards its arguments.
public enum SpecTestCLI {
    public static let usage = """
        usage: spin wasm spectest [--verbose] [--notes] [--skip-simd | --no-skip-simd] [--loose] [--lazy] [--no-optimize] PATH...

        PATH is a wast2json .json script or a folder (every .json in it, sorted by name).
        Prints "FILE.json: N passed, M failed[, K skipped]" per script, then the total
        "N passed, M failed[, K skipped]". Exits 0 when nothing failed, else 1.

          --verbose, -v     print every failure (and skip reason) with its .wast line
          --notes           also print passes that carry a note (right error kind,
                            different message)
          --skip-simd       skip simd_*.json scripts (counted as skipped)
          --no-skip-simd    run simd_*.json scripts (the default)
          --loose           accept a ValidationError for assert_malformed and a DecodeError
                            for assert_invalid (noted); by default the error kind must match
          --lazy            compile modules lazily (each function body on its first call);
                            assert_invalid then translates every body to find the error
          --no-optimize     run the reference translation (no fusions or superinstructions)
        """

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
        public var help = false
        public init() {}
    }

    /// Parses the arguments that follow `spin wasm spectest`.
    public static func parse(_ arguments: [String]) -> Result<Options, SpecParseError> {
        var options = Options()
        var onlyPaths = false
        for a in arguments {
            if onlyPaths || !a.hasPrefix("-") || a == "-" {
                options.paths.append(a)
                continue
            }
            switch a {
            case "--": onlyPaths = true
            case "--verbose", "-v": options.verbose = true
            case "--notes": options.notes = true
            case "--skip-simd": options.skipSIMD = true
            case "--no-skip-simd": options.skipSIMD = false
            case "--loose": options.loose = true
            case "--lazy": options.lazy = true
            case "--no-optimize": options.optimize = false
            case "--help", "-h": options.help = true
            default: return .failure(SpecParseError("unknown option \(a)"))
            }
        }
        if options.paths.isEmpty && !options.help { return .failure(SpecParseError("no PATH given")) }
        return .success(options)
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
            errorOutput("spin wasm spectest: \(error.message)")
            errorOutput(usage)
            return 1
        }
        if options.help {
            output(usage)
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

        let runner = SpecTestRunner(
            options: SpecTestRunner.Options(
                looseErrorKinds: options.loose, compilation: options.lazy ? .lazy : .eager,
                optimize: options.optimize))
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
