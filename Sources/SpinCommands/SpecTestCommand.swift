import ArgumentParsing
import Foundation
import WasmSpec

/// `spin wasm spectest [OPTIONS] PATH...`: the spec-test runner's command line
/// (`SpecTestCLI`, in WasmSpec, declares the options and runs the scripts).
public enum SpecTestCommand {
    public static var abstract: String { SpecTestCLI.spec.abstract }

    public static func run(arguments: [String], console: Console = .standard) -> Int32 {
        // Flushed line by line, so progress shows while long scripts run.
        SpecTestCLI.run(
            arguments: arguments,
            output: { line in
                console.print(line)
                fflush(nil)
            },
            errorOutput: { console.err($0 + "\n") })
    }
}
