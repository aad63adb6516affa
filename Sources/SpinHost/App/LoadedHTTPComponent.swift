import Foundation
import WasmComponents
import WasmWASI
import WasmWASIP2

/// A component (Component Model) that serves HTTP: it exports
/// `wasi:http/incoming-handler@0.2.x` and is linked once, at load, against WASI 0.2 and
/// `wasi:http`; `ComponentHTTPExecutor` instantiates it per request.
public final class LoadedHTTPComponent: Sendable {
    /// The manifest's component.
    public let component: Component
    public let linked: LinkedComponent
    /// Environment variables for every instance (manifest `environment` plus `spin up -e`).
    public let environment: [String: String]
    /// Directories to preopen, read-only (the component's `files`).
    public let preopens: [WASIConfiguration.Preopen]
    /// Where its outbound requests may go.
    package let allowedHosts: AllowedOutboundHosts

    public var id: String { component.id }

    init(
        component: Component, linked: LinkedComponent, environment: [String: String],
        preopens: [WASIConfiguration.Preopen]
    ) {
        self.component = component
        self.linked = linked
        self.environment = environment
        self.preopens = preopens
        self.allowedHosts = AllowedOutboundHosts(component.allowedOutboundHosts)
    }

    /// Whether `bytes` is a component binary (layer 1) rather than a core module.
    static func isComponentBinary(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 8 && bytes[0..<4] == [0x00, 0x61, 0x73, 0x6D] && bytes[4..<8] != [1, 0, 0, 0] && bytes[6] == 1
    }

    /// Whether `exports` names `wasi:http/incoming-handler` at a 0.2.x version.
    static func exportsIncomingHandler(_ decoded: WasmComponents.Component) -> Bool {
        decoded.exports.keys.contains { key in
            guard let name = ComponentInterfaceName(key), name.unversioned == "wasi:http/incoming-handler",
                let v = name.version
            else { return false }
            return v.major == 0 && v.minor == 2
        }
    }

    /// Decodes, validates and links the component at `path`. Every failure names the
    /// component and file; a missing import names the import.
    static func load(
        _ component: Component, bytes: [UInt8], path: String, environment: [String: String],
        preopens: [WASIConfiguration.Preopen]
    ) throws -> LoadedHTTPComponent {
        let id = component.id
        let decoded: WasmComponents.Component
        do {
            decoded = try WasmComponents.Component(bytes: bytes)
        } catch {
            throw AppLoadError("component `\(id)`: \(path): \(error)")
        }
        guard exportsIncomingHandler(decoded) else {
            let exports = decoded.exports.keys.joined(separator: ", ")
            throw AppLoadError(
                "component `\(id)`: \(path) is a WebAssembly component that does not export `wasi:http/incoming-handler@0.2.x` (it exports: \(exports.isEmpty ? "nothing" : exports)); `spin up` serves components of the `wasi:http/proxy` world"
            )
        }
        var linker = ComponentLinker()
        SpinComponentInterfaces.allDefinitions.define(in: &linker)
        let linked: LinkedComponent
        do {
            linked = try linker.link(decoded)
        } catch {
            throw AppLoadError("component `\(id)`: \(path): \(error)")
        }
        return LoadedHTTPComponent(component: component, linked: linked, environment: environment, preopens: preopens)
    }
}
