import Foundation
import TestSupport
import Testing
import WasmComponents
import WasmCore
import WasmWASI
import WasmWASIP2

@testable import SpinHost

/// What of the Spin SDK's imports the host defines: the committed `spin-imports` fixture (the
/// spin-sdk 3.4.1 `spin-imports` world) and, when built, `py3-hello` itself. Prints what is still
/// unresolved; fails if any member of the interfaces defined here is.
struct SpinComponentImportsTests {
    /// The interfaces this part of issue 18 provides.
    static let provided = [
        SpinVariablesInterface.interface, WASIConfigStoreInterface.interface, SpinKeyValueInterface.interface,
        WASIKeyValueInterface.store, WASIKeyValueInterface.atomics, WASIKeyValueInterface.batch,
        SpinUnbackedInterfaces.llm, SpinUnbackedInterfaces.mqtt, SpinUnbackedInterfaces.mysql,
    ]

    /// `interface#member` of every function and resource `component` imports that the host lacks
    /// (`uses` of a type defined by an earlier import resolve there, as the linker does).
    static func unresolved(_ component: WasmComponents.Component) -> [String] {
        let definitions = SpinComponentInterfaces.allDefinitions
        let resources = Set(definitions.resources.map { "\($0.interface)#\($0.name)" })
        let types = component.types
        var known: Set<ResourceID> = []
        var missing: [String] = []
        for (name, entity) in component.imports {
            guard case .instance(let t) = entity, let instance = types.instance(t) else {
                missing.append(name)
                continue
            }
            for (member, e) in instance.exports {
                switch e {
                case .function:
                    if definitions.function(name, member) == nil { missing.append("\(name)#\(member)") }
                case .type(let referenced, _):
                    guard let r = types.resource(referenced), !known.contains(r) else { continue }
                    if resources.contains("\(name)#\(member)") { known.insert(r) } else { missing.append("\(name)#\(member)") }
                default:
                    missing.append("\(name)#\(member)")
                }
            }
        }
        return missing
    }

    static func check(_ component: WasmComponents.Component, label: String) {
        let missing = unresolved(component)
        print("\(label): \(component.imports.count) imports; unresolved: \(missing.isEmpty ? "none" : missing.joined(separator: ", "))")
        let ours = missing.filter { m in provided.contains { m.hasPrefix($0 + "#") } }
        #expect(ours.isEmpty, "\(label): \(ours)")
        for interface in provided {
            #expect(component.imports.keys.contains(interface), "\(label) imports \(interface)")
        }
    }

    @Test func theSDKsSpinImportsWorldResolvesEveryInterfaceProvidedHere() {
        Self.check(SpinImportShapes.component, label: "spin-imports fixture")
        // The host defines exactly the SDK's functions for these interfaces, no more.
        let imported = Set(SpinImportShapes.functions.keys)
        for f in SpinComponentInterfaces.definitions.functions {
            #expect(imported.contains("\(f.interface)#\(f.name)"), "\(f.interface)#\(f.name) is not in the SDK's WIT")
        }
    }

    @Test func aComponentImportingOnlyTheseInterfacesLinksAndInstantiates() throws {
        let path = TestSupport.packageRoot + "/Fixtures/components/spin-imports/kv-imports.wasm"
        let component = try WasmComponents.Component(bytes: [UInt8](Data(contentsOf: URL(fileURLWithPath: path))))
        #expect(Self.unresolved(component).isEmpty)
        var linker = ComponentLinker()
        SpinComponentInterfaces.allDefinitions.define(in: &linker)
        let linked = try linker.link(component)
        let context = WASIP2Context(wasi: try WASI(configuration: WASIConfiguration()))
        let store = WasmCore.Store()
        store.data = context
        _ = try linked.instantiate(in: store)
    }

    @Test func theShapeCheckerRejectsWhatTheWITDoesNotAllow() throws {
        let get = try #require(SpinImportShapes.functions["fermyon:spin/key-value@2.0.0#[method]store.get"]?.result)
        #expect(SpinImportShapes.problem(.ok(.option(.bytes([1]))), get) == nil)
        #expect(SpinImportShapes.problem(.ok(.option(nil)), get) == nil)
        #expect(SpinImportShapes.problem(.err(.variant(case: 3, payload: .string("x"))), get) == nil)
        for wrong: ComponentValue in [
            .ok(.bytes([1])), .ok(nil), .err(.variant(case: 3, payload: nil)), .err(.variant(case: 0, payload: .string("x"))),
            .err(.variant(case: 4, payload: nil)), .option(nil), .ok(.option(.string("x"))),
        ] {
            #expect(SpinImportShapes.problem(wrong, get) != nil, "\(wrong)")
        }
        let listKeys = try #require(SpinImportShapes.functions["wasi:keyvalue/store@0.2.0-draft2#[method]bucket.list-keys"]?.result)
        #expect(SpinImportShapes.problem(.ok(.record([.list([.string("a")]), .option(nil)])), listKeys) == nil)
        #expect(SpinImportShapes.problem(.ok(.record([.list([.string("a")])])), listKeys) != nil)
        #expect(SpinImportShapes.problem(.ok(.record([.list([.u8(1)]), .option(nil)])), listKeys) != nil)
    }

    static let py3Hello =
        (ProcessInfo.processInfo.environment["SPIN_COMPONENTS_DIR"] ?? "/tmp/components") + "/py3-hello/app.wasm"

    @Test(
        .enabled(
            if: FileManager.default.fileExists(atPath: py3Hello),
            "no py3-hello build at \(py3Hello) (set SPIN_COMPONENTS_DIR to a shared/components/build.sh output folder); skipped"
        ))
    func py3HelloResolvesEveryInterfaceProvidedHere() throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.py3Hello)))
        let component = try WasmComponents.Component(
            bytes: bytes, syntax: try ComponentDecoder.decode(bytes),
            options: ComponentValidationOptions(validatesFunctionBodies: false))
        Self.check(component, label: "py3-hello")
    }
}
