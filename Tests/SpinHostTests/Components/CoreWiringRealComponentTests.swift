import Foundation
import TestSupport
import Testing
import WasmCore
import WasmWASI
import WasmWASIP2

@testable import SpinHost
@testable import WasmComponents

/// Every real component the tests have, linked as `spin up` links it (WASI 0.2, `wasi:http` and
/// Spin's interfaces) and instantiated with `WiringMode.checked`: each core import and
/// `alias core export` that linking resolved to a position is also looked up by name, and any
/// difference throws. Also prints how much of each component's wiring is positional (the rest
/// goes by name, as before). The hand-written near-misses are WasmComponentsTests' CoreWiringTests.
@Suite struct CoreWiringRealComponentTests {
    /// Committed components that must not link with the host, and why.
    static let refusedOnPurpose: [String: String] = [
        "missing-import/missing.wasm": "imports an interface the host lacks",
        "wiring/missing.wasm": "invalid: an instantiation argument lacks an import",
    ]

    /// Every component binary under Fixtures/components, relative to it.
    static let committed: [String] = {
        let root = packageRoot + "/Fixtures/components"
        let files = FileManager.default.enumerator(atPath: root)?.compactMap { $0 as? String } ?? []
        return files.filter { path in
            guard path.hasSuffix(".wasm"), let data = FileManager.default.contents(atPath: root + "/" + path) else {
                return false
            }
            return LoadedWasmComponent.isComponentBinary([UInt8](data.prefix(8)))
        }.sorted()
    }()

    /// The Python components Scripts/build-components makes (CI builds them).
    static let built: [String] = ["py-proxy/app.wasm", "py3-hello/app.wasm", "spin-sdk-py/app.wasm",
        "spin-sdk-py-redis/app.wasm", "spin-sdk-py-redis/all.wasm"]
        .map { ComponentHTTPLiveTests.componentsDirectory + "/" + $0 }

    /// Links `path` with the host's interfaces, instantiates it checked; returns the coverage.
    static func check(_ path: String) throws -> String {
        let bytes = [UInt8](try #require(FileManager.default.contents(atPath: path), "cannot read \(path)"))
        var linker = ComponentLinker()
        SpinComponentInterfaces.allDefinitions.define(in: &linker)
        let linked = try linker.link(try Component(bytes: bytes))
        let store = Store()
        store.data = WASIP2Context(wasi: try WASI(configuration: WASIConfiguration(args: ["wiring"])))
        _ = try linked.instantiate(in: store, wiring: .checked)
        let c = linked.wiringCoverage
        return "core instantiations \(c.instantiations.planned)/\(c.instantiations.all) by position, "
            + "alias core export \(c.aliases.planned)/\(c.aliases.all)"
    }

    @Test func everyCommittedComponentWiresTheSameByPositionAsByName() throws {
        #expect(Self.committed.count >= 15, "found only \(Self.committed)")
        var refused: [String: String] = [:]
        for file in Self.committed {
            do {
                print("wiring \(file): \(try Self.check(packageRoot + "/Fixtures/components/" + file))")
            } catch let e as WiringMismatch {
                Issue.record("\(file): \(e)")
            } catch {
                refused[file] = "\(error)"
            }
        }
        #expect(Set(refused.keys) == Set(Self.refusedOnPurpose.keys), "refused: \(refused)")
    }

    @Test(
        .enabled(
            if: built.allSatisfy { FileManager.default.fileExists(atPath: $0) },
            "built on demand (CPython inside, not committed; Scripts/build-components builds \(built))"))
    func thePythonComponentsWireTheSameByPositionAsByName() throws {
        for path in Self.built {
            let coverage = try Self.check(path)
            print("wiring \(path): \(coverage)")
            #expect(!coverage.hasPrefix("core instantiations 0/"), "\(path): \(coverage)")
        }
    }
}
