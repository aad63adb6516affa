import Foundation
import WasmComponents
import WasmWASI
import WasmWASIP2

/// What a component serves: which export its trigger calls.
public enum ComponentWorld: Sendable, Equatable {
    /// `wasi:http/incoming-handler@0.2.x` (the `wasi:http/proxy` world), under an HTTP trigger.
    case httpProxy
    /// Spin's Redis handler: `handle-message` of the export `interface`
    /// (`fermyon:spin/inbound-redis`), under a Redis trigger.
    case redis(interface: String)

    /// The trigger types that serve components.
    public enum Trigger: Sendable {
        case http, redis
    }
}

/// A component (Component Model) that a trigger serves: decoded, checked to export what its
/// trigger calls (`world`), and linked once, at load, against WASI 0.2, `wasi:http` and Spin's
/// interfaces (`SpinComponentInterfaces.allDefinitions`). Executors instantiate it per request
/// or message (`ComponentHTTPExecutor`, `ComponentRedisExecutor`).
public final class LoadedWasmComponent: Sendable {
    /// The manifest's component.
    public let component: Component
    public let linked: LinkedComponent
    /// The export its trigger calls.
    public let world: ComponentWorld
    /// Environment variables for every instance (manifest `environment` plus `spin up -e`).
    public let environment: [String: String]
    /// Directories to preopen, read-only (the component's `files`).
    public let preopens: [WASIConfiguration.Preopen]
    /// Where its outbound requests may go.
    package let allowedHosts: AllowedOutboundHosts

    public var id: String { component.id }

    init(
        component: Component, linked: LinkedComponent, world: ComponentWorld, environment: [String: String],
        preopens: [WASIConfiguration.Preopen]
    ) {
        self.component = component
        self.linked = linked
        self.world = world
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

    /// Decodes, validates and links the component at `path` for a `trigger`. Every failure names
    /// the component and file; a missing import names the import, a missing export says what the
    /// component exports instead.
    static func load(
        _ component: Component, bytes: [UInt8], path: String, trigger: ComponentWorld.Trigger = .http,
        environment: [String: String], preopens: [WASIConfiguration.Preopen]
    ) throws -> LoadedWasmComponent {
        try load(component, bytes: bytes, path: path, triggers: [trigger], environment: environment, preopens: preopens)[0]
    }

    /// Decodes and links the component at `path` once, and checks it exports what each of
    /// `triggers` calls: one value per trigger, in order, sharing the linked component (a
    /// component of the Spin SDKs' `spin-all` world serves an HTTP route and a Redis channel).
    static func load(
        _ component: Component, bytes: [UInt8], path: String, triggers: [ComponentWorld.Trigger],
        environment: [String: String], preopens: [WASIConfiguration.Preopen]
    ) throws -> [LoadedWasmComponent] {
        let id = component.id
        let decoded: WasmComponents.Component
        do {
            decoded = try WasmComponents.Component(bytes: bytes)
        } catch {
            throw AppLoadError("component `\(id)`: \(path): \(error)")
        }
        let worlds: [ComponentWorld] = try triggers.map { trigger in
            switch trigger {
            case .http:
                guard exportsIncomingHandler(decoded) else {
                    let exports = decoded.exports.keys.joined(separator: ", ")
                    throw AppLoadError(
                        "component `\(id)`: \(path) is a WebAssembly component that does not export `wasi:http/incoming-handler@0.2.x` (it exports: \(exports.isEmpty ? "nothing" : exports)); `spin up` serves components of the `wasi:http/proxy` world"
                    )
                }
                return .httpProxy
            case .redis:
                return .redis(interface: try InboundRedisExport.interface(of: decoded, component: id, path: path))
            }
        }
        var linker = ComponentLinker()
        SpinComponentInterfaces.allDefinitions.define(in: &linker)
        let linked: LinkedComponent
        do {
            linked = try linker.link(decoded)
        } catch {
            throw AppLoadError("component `\(id)`: \(path): \(error)")
        }
        return worlds.map {
            LoadedWasmComponent(
                component: component, linked: linked, world: $0, environment: environment, preopens: preopens)
        }
    }
}
