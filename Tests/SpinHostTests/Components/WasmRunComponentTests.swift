import Foundation
import TestSupport
import Testing

/// `spin wasm run FILE` with a component: it is linked against WASI 0.2 and must export
/// `wasi:cli/run`. (No `wasi:cli/command` component is committed yet: these check the refusals.)
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
}
