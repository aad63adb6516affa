import Foundation
import WasmSpec

/// `spin wasm spectest [--verbose] [--notes] [--skip-simd | --no-skip-simd] [--loose] PATH...`
///
/// `arguments` are the ones after `spin wasm spectest`. Runs wast2json `.json` scripts (a file,
/// or every `.json` of a folder, sorted) and prints one line per script,
/// `FILE.json: N passed, M failed[, K skipped]`, then the total line `N passed, M failed[, K skipped]`.
/// simd_* scripts run too unless `--skip-simd` (then they count as skipped).
/// Returns the exit code: 0 when nothing failed, 1 otherwise.
func runSpecTest(arguments: [String]) -> Int32 {
    // Unbuffered writes, so progress shows while long scripts run.
    SpecTestCLI.run(
        arguments: arguments,
        output: { line in FileHandle.standardOutput.write(Data((line + "\n").utf8)) },
        errorOutput: { line in FileHandle.standardError.write(Data((line + "\n").utf8)) })
}
