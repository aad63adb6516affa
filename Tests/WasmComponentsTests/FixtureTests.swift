import Foundation
import Testing

@testable import WasmComponents

/// Real components: the two small C ones committed under Fixtures/components, and the large
/// Python ones when a `shared/components/build.sh` output folder is around.
@Suite("Real components")
struct FixtureTests {
    static let fixtures: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().appendingPathComponent("../../Fixtures/components").standardizedFileURL.path

    static func load(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else { throw CocoaError(.fileNoSuchFile) }
        return [UInt8](data)
    }

    @Test func cZigNoStdio() throws {
        let component = try Component(bytes: try Self.load(Self.fixtures + "/c-zig-nostdio.wasm"))
        #expect(component.imports.keys == ["wasi:io/error@0.2.0", "wasi:io/streams@0.2.0", "wasi:http/types@0.2.0"])
        #expect(component.exports.keys == ["wasi:http/incoming-handler@0.2.0"])
        #expect(component.modules.count == 3)
        #expect(component.components.count == 1)
        #expect(component.unsupportedFeatures.isEmpty)
        try component.checkSupported()
        let wit = WITPrinter(component).render()
        #expect(wit.contains("  export wasi:http/incoming-handler@0.2.0;"))
        #expect(wit.contains("use wasi:http/types@0.2.0.{incoming-request, response-outparam};"))
        #expect(wit.contains("handle: func(request: incoming-request, response-out: response-outparam);"))
        #expect(wit.contains("append: func(name: field-key, value: field-value) -> result<_, header-error>;"))
        #expect(wit.contains("type headers = fields;"))
    }

    @Test func cZigStdio() throws {
        let component = try Component(bytes: try Self.load(Self.fixtures + "/c-zig-stdio.wasm"))
        #expect(component.imports.count == 9)
        #expect(component.imports.keys.contains("wasi:filesystem/preopens@0.2.0"))
        let wit = WITPrinter(component).render()
        #expect(wit.contains("get-directories: func() -> list<tuple<descriptor, string>>;"))
        #expect(wit.contains("filesystem-error-code: func(err: borrow<error>) -> option<error-code>;"))
        #expect(wit.contains("%type: descriptor-type,"))
    }

    /// The Python components (18 and 38 MB) are not committed: `SPIN_COMPONENTS_DIR` (or
    /// /tmp/components) may hold a `shared/components/build.sh` output folder.
    static let buildFolder: String =
        ProcessInfo.processInfo.environment["SPIN_COMPONENTS_DIR"] ?? "/tmp/components"
    static var pythonComponents: [String] {
        ["py-proxy/app.wasm", "py3-hello/app.wasm"].map { buildFolder + "/" + $0 }
            .filter { FileManager.default.fileExists(atPath: $0) }
    }

    @Test(
        .enabled(
            if: !pythonComponents.isEmpty,
            "no Python components in \(buildFolder) (set SPIN_COMPONENTS_DIR to a build.sh output folder); skipped"))
    func pythonComponentsDecodeAndValidate() throws {
        for path in Self.pythonComponents {
            let bytes = try Self.load(path)
            let syntax = try ComponentDecoder.decode(bytes)
            #expect(!syntax.sections.isEmpty)
            func validate() throws {
                // Bodies are only delimited: CPython's are many (WasmCore's own tests cover bodies).
                let component = try Component(
                    bytes: bytes, syntax: syntax, options: ComponentValidationOptions(validatesFunctionBodies: false))
                #expect(component.exports.keys.contains("wasi:http/incoming-handler@0.2.0"), "\(path)")
                #expect(component.imports.keys.allSatisfy { ComponentInterfaceName($0) != nil }, "\(path)")
                print("\(path): \(component.imports.count) imports, \(component.modules.count) core modules")
            }
            // componentize-py 0.25.1 initialises globals with extended constant expressions
            // (`global.get; i32.const; i32.add`): valid with Wasm 3.0's extended-const.
            try validate()
        }
    }
}
