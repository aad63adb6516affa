import WasmCore

/// What a host function receives besides its arguments.
public struct ComponentCaller {
    /// The store the component instance lives in; host state hangs off `store.data`.
    public let store: Store
    /// The instance that made the call.
    public let instance: ComponentInstance
}

/// A host function: lifted arguments in, at most one result out (lowered by the runtime).
/// Throwing `Trap` traps the guest; any other error is reported as a trap carrying it.
public typealias ComponentHostFunctionBody = (ComponentCaller, [ComponentValue]) throws -> ComponentValue?

/// The host's definitions that components import: functions and resource types, by
/// interface name (`wasi:io/streams@0.2.0`) or at the top level. Interface names match a
/// component's imports by semver, as wasmtime does: a host `@0.2.0` satisfies a guest that asks
/// for `@0.2.9` (same major and, below 1.0, same minor).
public struct ComponentLinker: Sendable {
    public init() { fatalError("comp-runtime implements this") }

    /// Defines function `name` (e.g. `[method]output-stream.write`, `[constructor]fields`,
    /// `[static]fields.from-list`, `get-random-bytes`) of `interface`, or a top-level import when
    /// `interface` is nil.
    public mutating func defineFunction(
        interface: String?, name: String, _ body: @escaping ComponentHostFunctionBody
    ) { fatalError("comp-runtime implements this") }

    /// Defines resource type `name` of `interface`. `destructor` runs with the rep when the guest
    /// drops its last owning handle.
    public mutating func defineResource(
        interface: String, name: String, destructor: ((ComponentCaller, UInt32) throws -> Void)? = nil
    ) { fatalError("comp-runtime implements this") }

    /// Links `component`'s imports against these definitions: the result instantiates it any
    /// number of times. Throws `ComponentLinkError` naming the first import the host lacks.
    public func link(_ component: Component) throws -> LinkedComponent { fatalError("comp-runtime implements this") }
}

/// A link failure: names the import (and, for an instance import, its missing member).
public struct ComponentLinkError: Error, Sendable, CustomStringConvertible {
    public var importName: String
    public var member: String?
    public var message: String
    public init(importName: String, member: String? = nil, message: String) {
        self.importName = importName
        self.member = member
        self.message = message
    }
    public var description: String {
        "import `\(importName)`\(member.map { " member `\($0)`" } ?? ""): \(message)"
    }
}

/// A component with its imports resolved: immutable, `Sendable`, instantiated once per request.
public final class LinkedComponent: Sendable {
    public let component: Component
    init(component: Component) { self.component = component }

    /// Makes a fresh instance in `store` (running core start functions and component `start`).
    public func instantiate(in store: Store) throws -> ComponentInstance { fatalError("comp-runtime implements this") }
}

/// An instantiated component.
public final class ComponentInstance {
    init() {}
    /// The exported function `name` of exported interface `interface` (matched by semver), or a
    /// top-level exported function when `interface` is nil.
    public func function(interface: String?, name: String) -> ComponentFunction? { fatalError("comp-runtime implements this") }
}

/// A function a component instance exports, callable from the host.
public struct ComponentFunction {
    public let type: ComponentFunctionType
    /// Lowers `arguments` into the guest, calls, lifts the result, then runs `post-return`.
    public func call(_ arguments: [ComponentValue]) throws -> ComponentValue? { fatalError("comp-runtime implements this") }
}
