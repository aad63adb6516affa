import Foundation
import Testing

/// Locates the team's shared data folder (`../shared` next to the package
/// checkout, or `$SPIN_SHARED_DIR`). Tests that need it are disabled with a
/// clear message when it is absent.
package enum SharedData {
    package static let root: URL = {
        if let env = ProcessInfo.processInfo.environment["SPIN_SHARED_DIR"], !env.isEmpty {
            return URL(fileURLWithPath: env, isDirectory: true)
        }
        let package = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // SpinHostTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()  // package root
        return package.deletingLastPathComponent().appendingPathComponent("shared", isDirectory: true)
    }()

    package static let tomlTest = root.appendingPathComponent("toml-test", isDirectory: true)

    package static var tomlTestAvailable: Bool {
        FileManager.default.fileExists(atPath: tomlTest.appendingPathComponent("files-toml-1.0.0.txt").path)
    }

    package static let tomlTestSkipMessage: Comment =
        "../shared/toml-test is absent (set SPIN_SHARED_DIR); toml-test conformance skipped"

    /// The team's prebuilt wasi-libc benchmark modules (hello.wasm, fib.wasm, ...).
    package static let benchWasm = root.appendingPathComponent("bench-wasm", isDirectory: true)

    package static var benchWasmAvailable: Bool {
        FileManager.default.fileExists(atPath: benchWasm.appendingPathComponent("hello.wasm").path)
    }

    package static let benchWasmSkipMessage: Comment =
        "../shared/bench-wasm is absent (set SPIN_SHARED_DIR); bench modules not run"
}
