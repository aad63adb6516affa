import Foundation
import TestSupport
import Testing

/// `spin wasm run FILE` with a component: it is linked against WASI 0.2 and must export
/// `wasi:cli/run`. `Fixtures/components/command/` is a `wasi:cli/command` component of our own
/// (C against the canonical ABI, `build.sh`), with what `wasmtime run` printed for it.
@Suite(.tags(.live))
struct WasmRunComponentTests {
    static let fixtures = packageRoot + "/Fixtures/components"

    @Test func anHTTPComponentIsRefusedNamingTheImportWASIDoesNotProvide() throws {
        let spin = try #require(spinExecutable(), "the spin executable has not been built")
        let (status, _, stderr) = try WasmRunCLITests.run(spin, ["wasm", "run", "\(Self.fixtures)/c-zig-nostdio.wasm"])
        #expect(status == 1)
        // WASI 0.2 alone has no wasi:http: the first import it lacks is named.
        #expect(stderr.contains("import `wasi:http/types@0.2.0`"), "\(stderr)")
    }

    @Test func invokeIsRefusedForComponents() throws {
        let spin = try #require(spinExecutable(), "the spin executable has not been built")
        let (status, _, stderr) = try WasmRunCLITests.run(
            spin, ["wasm", "run", "--invoke", "handle", "\(Self.fixtures)/c-zig-nostdio.wasm"])
        #expect(status == 1)
        #expect(stderr.contains("a component runs `wasi:cli/run` only"), "\(stderr)")
    }

    /// Runs the command component as `command.wasmtime.txt` records `wasmtime run` running it:
    /// arguments and an environment variable through `wasi:cli/environment`, stdout through
    /// `wasi:io/streams`, and `run` returning `err` as exit status 1.
    @Test func aCommandComponentRunsAsWasmtimeRanIt() throws {
        let spin = try #require(spinExecutable(), "the spin executable has not been built")
        let command = "\(Self.fixtures)/command/command.wasm"
        let recorded = try String(contentsOfFile: "\(Self.fixtures)/command/command.wasmtime.txt", encoding: .utf8)
        var got = ""
        let ok = try WasmRunCLITests.run(
            spin, ["wasm", "run", "--env", "GREETING=hi", command, "one", "two words", "3"])
        got += ok.1 + "exit \(ok.0)\n"
        let failing = try WasmRunCLITests.run(spin, ["wasm", "run", command, "fail"])
        got += failing.1 + "exit \(failing.0)\n"
        #expect(got == recorded)
    }
}
