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
    /// A host function (the closure is only called on the store's thread).
    struct HostFunction: @unchecked Sendable {
        var body: ComponentHostFunctionBody
    }

    /// Functions by interface name ("" for top-level imports), then by function name.
    private var functions: [String: [String: HostFunction]] = [:]
    /// Resource types by interface name, then by resource name.
    private var resources: [String: [String: RuntimeResourceType]] = [:]

    public init() {}

    /// Defines function `name` (e.g. `[method]output-stream.write`, `[constructor]fields`,
    /// `[static]fields.from-list`, `get-random-bytes`) of `interface`, or a top-level import when
    /// `interface` is nil.
    public mutating func defineFunction(
        interface: String?, name: String, _ body: @escaping ComponentHostFunctionBody
    ) {
        functions[interface ?? "", default: [:]][name] = HostFunction(body: body)
    }

    /// Declares `interface` as provided even when it has no functions or resources of its own:
    /// an interface of types only (`fermyon:spin/rdbms-types@2.0.0`) that components import.
    public mutating func defineInterface(_ interface: String) {
        if functions[interface] == nil { functions[interface] = [:] }
    }

    /// Defines resource type `name` of `interface` (`""` for a top-level type import).
    /// `destructor` runs with the rep when the guest drops its last owning handle. A type an
    /// interface `use`s from another (`output-stream` in `wasi:http/types`) or aliases
    /// (`type headers = fields`) is the type defined where it comes from.
    public mutating func defineResource(
        interface: String, name: String, destructor: ((ComponentCaller, UInt32) throws -> Void)? = nil
    ) {
        resources[interface, default: [:]][name] = RuntimeResourceType(
            hostName: "host resource `\(interface.isEmpty ? name : "\(interface)/\(name)")`", destructor: destructor)
    }

    /// The interface key the host defined that best satisfies `requested` (exact first).
    private func interfaceKey(for requested: String) -> String? {
        if functions[requested] != nil || resources[requested] != nil { return requested }
        guard let wanted = ComponentInterfaceName(requested) else { return nil }
        var provided: [ComponentInterfaceName] = []
        var keys: [ComponentInterfaceName: String] = [:]
        for k in Set(functions.keys).union(resources.keys) {
            if let n = ComponentInterfaceName(k) {
                provided.append(n)
                keys[n] = k
            }
        }
        return ComponentInterfaceName.bestMatch(for: wanted, among: provided).flatMap { keys[$0] }
    }

    /// Links `component`'s imports against these definitions: the result instantiates it any
    /// number of times. Throws `ComponentLinkError` naming the first import the host lacks,
    /// and `ComponentUnsupportedError` when the component uses what cannot run yet (the async
    /// ABI's lifts and lowers, start functions with values).
    public func link(_ component: Component) throws -> LinkedComponent {
        var arguments: [String: RuntimeItem] = [:]
        var known: [ResourceID: RuntimeResourceType] = [:]
        for (name, entity) in component.imports {
            arguments[name] = try resolve(name, entity, component, &known)
        }
        var plans: [ObjectIdentifier: ComponentPlan] = [:]
        try Instantiator.plan(component, into: &plans)
        return LinkedComponent(component: component, arguments: arguments, plans: plans)
    }

    /// The host item for import `name`. `known` maps the resource types resolved so far, so a
    /// type that is `(eq ...)` to one (`type headers = fields`, a `use`d resource of another
    /// interface) gets the same run-time type.
    private func resolve(
        _ name: String, _ entity: ComponentEntityType, _ component: Component,
        _ known: inout [ResourceID: RuntimeResourceType]
    ) throws -> RuntimeItem {
        let types = component.types
        switch entity {
        case .function(let t):
            guard let f = functions[""]?[name] else {
                throw ComponentLinkError(importName: name, message: "the host defines no function `\(name)`")
            }
            return .function(
                RuntimeFunction(name: "host function `\(name)`", type: types.function(t)!, types: types, body: .host(f.body)))
        case .instance(let t):
            let instanceType = types.instance(t)!
            // An interface of types only (`rdbms-types`) is provided once declared (`defineInterface`).
            guard let key = interfaceKey(for: name) else {
                throw ComponentLinkError(importName: name, message: "the host does not implement this interface")
            }
            let instance = RuntimeInstance()
            for (member, e) in instanceType.exports {
                switch e {
                case .function(let ft):
                    guard let f = functions[key]?[member] else {
                        throw ComponentLinkError(
                            importName: name, member: member, message: "the host's `\(key)` defines no such function")
                    }
                    instance.add(
                        member,
                        .function(
                            RuntimeFunction(
                                name: "host function `\(key)#\(member)`", type: types.function(ft)!, types: types,
                                body: .host(f.body))))
                case .type(let referenced, _):
                    if let r = types.resource(referenced) {
                        if let rt = known[r] {
                            instance.add(member, .type(rt))
                            continue
                        }
                        guard let rt = resources[key]?[member] else {
                            throw ComponentLinkError(
                                importName: name, member: member, message: "the host's `\(key)` defines no such resource")
                        }
                        known[r] = rt
                        instance.add(member, .type(rt))
                    } else {
                        instance.add(member, .type(nil))
                    }
                default:
                    throw ComponentLinkError(
                        importName: name, member: member, message: "the host cannot provide a \(e.kindName) member")
                }
            }
            return .instance(instance)
        case .type(let referenced, _):
            if let r = types.resource(referenced) {
                if let rt = known[r] { return .type(rt) }
                guard let rt = resources[""]?[name] else {
                    throw ComponentLinkError(importName: name, message: "the host defines no resource `\(name)`")
                }
                known[r] = rt
                return .type(rt)
            }
            return .type(nil)
        default:
            throw ComponentLinkError(importName: name, message: "the host cannot provide a \(entity.kindName) import")
        }
    }
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
    /// The host's items for the component's imports, by import name.
    let arguments: [String: RuntimeItem]
    /// Per component of the tree: the ABI of every `canon` definition.
    let plans: [ObjectIdentifier: ComponentPlan]

    /// The positional wiring's coverage, summed over the component tree (CoreWiringTests).
    var wiringCoverage: (instantiations: (planned: Int, all: Int), aliases: (planned: Int, all: Int)) {
        var result = ((0, 0), (0, 0))
        for plan in plans.values {
            let c = plan.wiring.coverage
            result.0.0 += c.instantiations.planned
            result.0.1 += c.instantiations.all
            result.1.0 += c.aliases.planned
            result.1.1 += c.aliases.all
        }
        return result
    }

    init(component: Component, arguments: [String: RuntimeItem], plans: [ObjectIdentifier: ComponentPlan]) {
        self.component = component
        self.arguments = arguments
        self.plans = plans
    }

    /// Makes a fresh instance in `store` (running core start functions and component `start`).
    public func instantiate(in store: Store) throws -> ComponentInstance {
        try instantiate(in: store, wiring: .positions)
    }

    /// `instantiate(in:)` with core imports and `alias core export`s resolved as `wiring` says
    /// (CoreWiringTests compare the modes).
    func instantiate(in store: Store, wiring: WiringMode) throws -> ComponentInstance {
        let instance = ComponentInstance(store: store)
        var instantiator = Instantiator(plans: plans, store: store, root: instance)
        instantiator.wiringMode = wiring
        var states: [InstanceState] = []
        defer { instance.states = states }
        instance.exports = try instantiator.instantiate(
            ComponentClosure(component: component, parent: nil), arguments: arguments, parent: nil, states: &states)
        return instance
    }
}

extension RuntimeItem: @unchecked Sendable {}

/// An instantiated component.
public final class ComponentInstance {
    /// The store the instance lives in (retained, except for `CoreCanonicalABI`'s stand-in).
    public var store: Store { unretainedStore }
    unowned(unsafe) private let unretainedStore: Store
    /// Only here to keep the store alive (nil for the stand-in, whose store holds it).
    private let retainedStore: Store?
    var exports = RuntimeInstance()
    /// Every (nested) instance's state, kept alive with the instance.
    var states: [InstanceState] = []
    /// The instances with a lifted call in progress, innermost last (for reentrance checks).
    var activeCalls: [InstanceState] = []

    /// `retainingStore` false: for an instance that lives in its store's data (a reference back
    /// would keep the store forever), used only while the store runs.
    init(store: Store, retainingStore: Bool = true) {
        unretainedStore = store
        retainedStore = retainingStore ? store : nil
    }

    /// The exported function `name` of exported interface `interface` (matched by semver), or a
    /// top-level exported function when `interface` is nil.
    public func function(interface: String?, name: String) -> ComponentFunction? {
        let scope: RuntimeInstance
        if let interface {
            guard let item = exports[interface] ?? Self.semverExport(interface, exports),
                case .instance(let i) = item
            else { return nil }
            scope = i
        } else {
            scope = exports
        }
        guard case .function(let f)? = scope[name] else { return nil }
        return ComponentFunction(function: f, instance: self)
    }

    /// The names this instance exports, in order.
    public var exportNames: [String] { exports.names }

    static func semverExport(_ name: String, _ exports: RuntimeInstance) -> RuntimeItem? {
        guard let wanted = ComponentInterfaceName(name) else { return nil }
        for k in exports.names {
            if let have = ComponentInterfaceName(k), have.satisfies(wanted) || wanted.satisfies(have) { return exports[k] }
        }
        return nil
    }
}

/// A function a component instance exports, callable from the host.
public struct ComponentFunction {
    let function: RuntimeFunction
    /// Keeps the instance (and so its states, which its functions point to) alive.
    let instance: ComponentInstance
    public var type: ComponentFunctionType { function.type }
    /// The type arena `type` refers to (to interpret its defined types: labels, cases, flags).
    public var types: ComponentTypes { function.types }

    init(function: RuntimeFunction, instance: ComponentInstance) {
        self.function = function
        self.instance = instance
    }

    /// Lowers `arguments` into the guest, calls, lifts the result, then runs `post-return`.
    public func call(_ arguments: [ComponentValue]) throws -> ComponentValue? {
        if case .host(let body) = function.body {
            // A host function the component re-exports.
            return try body(ComponentCaller(store: instance.store, instance: instance), arguments)
        }
        do {
            return try function.invoke(arguments, source: .utf8, caller: nil, adapter: false).0
        } catch let t as Trap where t.message.hasPrefix("type mismatch") {
            throw Trap(.host("arguments of \(function.name): \(t.message)"), backtrace: t.backtrace)
        }
    }
}
