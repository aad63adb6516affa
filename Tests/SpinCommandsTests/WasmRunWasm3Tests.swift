import Testing

@testable import SpinCommands

private func spin(_ arguments: [String]) -> (status: Int32, out: String, err: String) {
    CapturedConsole.run { SpinCommand.run(arguments: arguments, console: $0) }
}

/// `spin wasm run` with the Wasm 3.0 control features (Fixtures/wasm3-control).
@Suite struct WasmRunWasm3Tests {
    static let fixtures = packageRoot + "/Fixtures/wasm3-control/"

    /// Reference results print as wasmtime prints them; `null` is accepted for a nullable parameter.
    @Test func invokePassesAndReturnsReferences() {
        let refs = Self.fixtures + "refs.wasm"
        #expect(spin(["wasm", "run", "--invoke", "nullf", refs]).out == "<null funcref>\n")
        #expect(spin(["wasm", "run", "--invoke", "f", refs]).out == "<funcref>\n")
        #expect(spin(["wasm", "run", "--invoke", "ext", refs, "null"]).out == "<null externref>\n")
        #expect(spin(["wasm", "run", "--invoke", "isnull", refs, "null"]).out == "1\n")
        #expect(spin(["wasm", "run", "--invoke", "isnull", refs, "7"]).err.contains("cannot parse '7' as funcref"))
    }

    /// An uncaught exception ends the run like a trap (exit 134), naming the tag and values.
    @Test func uncaughtExceptionIsReported() {
        let r = spin(["wasm", "run", Self.fixtures + "uncaught.wasm"])
        #expect(r.status == 134)
        #expect(r.err.contains("uncaught wasm exception: tag (i32) -> () with values [i32:7]"), "\(r.err)")
    }

    /// A switched-off feature names itself and the byte offset.
    @Test func switchedOffFeaturesAreNamed() {
        let r = spin(["wasm", "run", "-W", "tail-call=n", "--invoke", "tail", Self.fixtures + "tail-bench.wasm", "3", "0"])
        #expect(r.status != 0)
        #expect(r.err.contains("illegal opcode: tail-call support is not enabled (at byte offset"), "\(r.err)")
        #expect(spin(["wasm", "run", "--invoke", "tail", Self.fixtures + "tail-bench.wasm", "3", "0"]).out == "6\n")
    }
}
