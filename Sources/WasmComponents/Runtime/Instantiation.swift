import WasmCore

// Instantiation: walking a component's definitions in order and building its index spaces
// out of run-time objects (core instances made by WasmCore, lifted and lowered functions,
// resource types, nested component instances).
// Spec: component-model `design/mvp/Explainer.md` (index spaces, instantiation) and
// `CanonicalABI.md` (`canon` definitions).

/// What a component-level index space entry or instance export is at run time.
enum RuntimeItem {
    case module(Module)
    case function(RuntimeFunction)
    case value(ComponentValue)
    /// A type: its run-time resource type when it is a resource.
    case type(RuntimeResourceType?)
    case instance(RuntimeInstance)
    case component(ComponentClosure)

    var sortName: String {
        switch self {
        case .module: "module"
        case .function: "func"
        case .value: "value"
        case .type: "type"
        case .instance: "instance"
        case .component: "component"
        }
    }
}

/// A component instance's exports (also an instance made of inline exports, or a host
/// interface).
final class RuntimeInstance: @unchecked Sendable {
    private(set) var names: [String] = []
    private(set) var exports: [String: RuntimeItem] = [:]

    init() {}

    func add(_ name: String, _ item: RuntimeItem) {
        if exports.updateValue(item, forKey: name) == nil { names.append(name) }
    }

    subscript(name: String) -> RuntimeItem? { exports[name] }
}

/// A component definition with the environment its outer aliases refer to.
final class ComponentClosure: @unchecked Sendable {
    let component: Component
    let parent: Environment?
    init(component: Component, parent: Environment?) {
        self.component = component
        self.parent = parent
    }
}

/// A core instance: instantiated from a module, or tupled from exports.
enum CoreInstanceValue {
    case instance(Instance)
    case exports([String: ExternalValue])

    func export(_ name: String) -> ExternalValue? {
        switch self {
        case .instance(let i): i.export(name)
        case .exports(let e): e[name]
        }
    }
}

/// The index spaces of one component instantiation.
final class Environment {
    let component: Component
    let parent: Environment?
    let state: InstanceState
    var coreModules: [Module] = []
    var coreInstances: [CoreInstanceValue] = []
    var coreFunctions: [Function] = []
    var coreTables: [Table] = []
    var coreMemories: [Memory] = []
    var coreGlobals: [Global] = []
    var types: [RuntimeResourceType?] = []
    var functions: [RuntimeFunction] = []
    var values: [ComponentValue] = []
    var instances: [RuntimeInstance] = []
    var components: [ComponentClosure] = []

    init(component: Component, parent: Environment?, state: InstanceState) {
        self.component = component
        self.parent = parent
        self.state = state
    }
}

/// What linking computed once for one component of the tree: the ABI of every `canon`
/// definition (by its position among the component's `canon` definitions).
struct ComponentPlan: @unchecked Sendable {
    /// `canon lift`: the function type and ABI; `canon lower`: the callee's ABI as the
    /// component sees it. Nil for other `canon` definitions.
    var canonTypes: [ComponentFunctionType?] = []
    var canonABIs: [FunctionABI?] = []
}

/// Runs instantiations of one linked component tree.
struct Instantiator {
    let plans: [ObjectIdentifier: ComponentPlan]
    let store: Store
    let root: ComponentInstance

    static func unsupported(_ what: String) -> ComponentUnsupportedError {
        ComponentUnsupportedError(what, offset: 0)
    }

    /// Makes the plan of `component` and its nested components (throws for what cannot run).
    static func plan(_ component: Component, into plans: inout [ObjectIdentifier: ComponentPlan]) throws {
        var resolver = ABITypeResolver(types: component.types)
        var plan = ComponentPlan()
        let spaces = component.indexSpaces
        for section in component.syntax.sections {
            switch section.content {
            case .start(let s):
                throw ComponentUnsupportedError("component start functions (values)", offset: s.offset)
            case .canonicals(let items):
                for item in items {
                    switch item.value {
                    case .lift(_, let options, let typeIndex):
                        if options.contains(.async) || options.contains(where: { if case .callback = $0 { true } else { false } }) {
                            throw ComponentUnsupportedError("canon lift with the async ABI", offset: item.offset)
                        }
                        let f = component.types.function(spaces.types[Int(typeIndex)])!
                        if f.isAsync { throw ComponentUnsupportedError("canon lift of an async function", offset: item.offset) }
                        plan.canonTypes.append(f)
                        plan.canonABIs.append(resolver.function(f))
                    case .lower(let function, let options):
                        if options.contains(.async) {
                            throw ComponentUnsupportedError("canon lower with the async ABI", offset: item.offset)
                        }
                        let f = component.types.function(spaces.functions[Int(function)])!
                        if f.isAsync { throw ComponentUnsupportedError("canon lower of an async function", offset: item.offset) }
                        plan.canonTypes.append(f)
                        plan.canonABIs.append(resolver.function(f))
                    default:
                        plan.canonTypes.append(nil)
                        plan.canonABIs.append(nil)
                    }
                }
            default:
                break
            }
        }
        plans[ObjectIdentifier(component)] = plan
        for c in component.components { try Self.plan(c, into: &plans) }
    }

    // MARK: Instantiation

    /// Instantiates `closure` with `arguments` (its imports, by name); returns its exports.
    func instantiate(_ closure: ComponentClosure, arguments: [String: RuntimeItem], states: inout [InstanceState])
        throws -> RuntimeInstance
    {
        let component = closure.component
        guard let plan = plans[ObjectIdentifier(component)] else {
            throw Self.unsupported("instantiating a component that was not linked")
        }
        let state = InstanceState(store: store, root: root)
        states.append(state)
        let env = Environment(component: component, parent: closure.parent, state: state)
        let exports = RuntimeInstance()
        var moduleCursor = 0
        var componentCursor = 0
        var canonCursor = 0
        for section in component.syntax.sections {
            switch section.content {
            case .coreModule:
                env.coreModules.append(component.modules[moduleCursor])
                moduleCursor += 1
            case .coreInstances(let items):
                for item in items { env.coreInstances.append(try coreInstance(item.value, env)) }
            case .component:
                env.components.append(ComponentClosure(component: component.components[componentCursor], parent: env))
                componentCursor += 1
            case .instances(let items):
                for item in items {
                    switch item.value {
                    case .instantiate(let c, let args):
                        var map: [String: RuntimeItem] = [:]
                        for a in args { map[a.name] = try self.item(a.item, env) }
                        let instance = try instantiate(env.components[Int(c)], arguments: map, states: &states)
                        env.instances.append(instance)
                        bind(.instance(component.indexSpaces.instances[env.instances.count - 1]), .instance(instance), env)
                    case .exports(let list):
                        let instance = RuntimeInstance()
                        for e in list { instance.add(e.name.name, try self.item(e.item, env)) }
                        env.instances.append(instance)
                    }
                }
            case .aliases(let items):
                for item in items { try alias(item.value, env) }
            case .types(let items):
                for item in items {
                    if case .resource(_, let dtor) = item.value {
                        let rt = RuntimeResourceType(
                            owner: state, destructor: dtor.map { env.coreFunctions[Int($0)] }, name: "guest-defined resource")
                        push(.type(rt), env)
                    } else {
                        push(.type(nil), env)
                    }
                }
            case .canonicals(let items):
                for item in items {
                    try canonical(item.value, plan: plan, cursor: canonCursor, env)
                    canonCursor += 1
                }
            case .imports(let items):
                for item in items {
                    let name = item.value.name.name
                    guard let provided = arguments[name] ?? Self.semverMatch(name, arguments) else {
                        throw ComponentLinkError(importName: name, message: "missing instantiation argument")
                    }
                    push(provided, env)
                    if let entity = component.imports[name] { bind(entity, provided, env) }
                }
            case .exports(let items):
                for item in items {
                    let value = try self.item(item.value.item, env)
                    exports.add(item.value.name.name, value)
                    push(value, env)
                }
            case .start(let s):
                throw ComponentUnsupportedError("component start functions (values)", offset: s.offset)
            case .custom, .coreTypes, .values:
                break
            }
        }
        return exports
    }

    /// An argument whose interface name semver-matches `name`.
    static func semverMatch(_ name: String, _ arguments: [String: RuntimeItem]) -> RuntimeItem? {
        guard let wanted = ComponentInterfaceName(name) else { return nil }
        for (k, v) in arguments {
            if let have = ComponentInterfaceName(k), have.satisfies(wanted) { return v }
        }
        return nil
    }

    /// Adds `item` to the index space of its sort.
    func push(_ item: RuntimeItem, _ env: Environment) {
        switch item {
        case .module(let m): env.coreModules.append(m)
        case .function(let f): env.functions.append(f)
        case .value(let v): env.values.append(v)
        case .instance(let i): env.instances.append(i)
        case .component(let c): env.components.append(c)
        case .type(let rt):
            env.types.append(rt)
            let index = env.types.count - 1
            let spaces = env.component.indexSpaces
            if let rt, index < spaces.types.count, let r = env.component.types.resource(spaces.types[index]) {
                env.state.resources[r] = rt
            }
        }
    }

    /// Records the run-time resource types `item` gives to the resources `entity` names.
    func bind(_ entity: ComponentEntityType, _ item: RuntimeItem, _ env: Environment) {
        let types = env.component.types
        switch (entity, item) {
        case (.type(let referenced, let created), .type(let rt?)):
            if let r = types.resource(referenced) { env.state.resources[r] = rt }
            if let r = types.resource(created) { env.state.resources[r] = rt }
        case (.instance(let id), .instance(let instance)):
            guard let t = types.instance(id) else { return }
            for (name, e) in t.exports {
                if let sub = instance[name] { bind(e, sub, env) }
            }
        default:
            break
        }
    }

    /// The item `(sort idx)` names.
    func item(_ s: ComponentSortIndex, _ env: Environment) throws -> RuntimeItem {
        let i = Int(s.index)
        switch s.sort {
        case .core(.module): return .module(env.coreModules[i])
        case .core(let other): throw Self.unsupported("passing a core \(other) as a component-level item")
        case .function: return .function(env.functions[i])
        case .value: return .value(env.values[i])
        case .type: return .type(env.types[i])
        case .instance: return .instance(env.instances[i])
        case .component: return .component(env.components[i])
        }
    }

    // MARK: Core instances

    func coreInstance(_ def: CoreInstanceDefinition, _ env: Environment) throws -> CoreInstanceValue {
        switch def {
        case .instantiate(let m, let args):
            var imports = Imports()
            for a in args {
                switch env.coreInstances[Int(a.instance)] {
                case .instance(let i): imports.define(module: a.name, instance: i)
                case .exports(let e): for (k, v) in e { imports.define(module: a.name, name: k, v) }
                }
            }
            return .instance(try store.instantiate(env.coreModules[Int(m)], imports: imports))
        case .exports(let list):
            var out: [String: ExternalValue] = [:]
            for e in list { out[e.name] = try coreItem(e.item, env) }
            return .exports(out)
        }
    }

    func coreItem(_ s: CoreSortIndex, _ env: Environment) throws -> ExternalValue {
        let i = Int(s.index)
        switch s.sort {
        case .function: return .function(env.coreFunctions[i])
        case .table: return .table(env.coreTables[i])
        case .memory: return .memory(env.coreMemories[i])
        case .global: return .global(env.coreGlobals[i])
        default: throw Self.unsupported("core \(s.sort) items (no exception handling in the engine)")
        }
    }

    func pushCore(_ value: ExternalValue, _ env: Environment) {
        switch value {
        case .function(let f): env.coreFunctions.append(f)
        case .table(let t): env.coreTables.append(t)
        case .memory(let m): env.coreMemories.append(m)
        case .global(let g): env.coreGlobals.append(g)
        }
    }

    // MARK: Aliases

    func alias(_ a: AliasDefinition, _ env: Environment) throws {
        switch a {
        case .instanceExport(_, let i, let name):
            guard let item = env.instances[Int(i)][name] else {
                throw Self.unsupported("instance \(i) has no export `\(name)` at run time")
            }
            push(item, env)
        case .coreInstanceExport(let sort, let i, let name):
            if sort == .tag { throw Self.unsupported("core tags (no exception handling in the engine)") }
            guard let value = env.coreInstances[Int(i)].export(name) else {
                throw Self.unsupported("core instance \(i) has no export `\(name)` at run time")
            }
            pushCore(value, env)
        case .outer(let sort, let count, let index):
            var target = env
            for _ in 0..<count {
                guard let p = target.parent else { throw Self.unsupported("outer alias past the outermost component") }
                target = p
            }
            let i = Int(index)
            switch sort {
            case .core(.module): env.coreModules.append(target.coreModules[i])
            case .component: env.components.append(target.components[i])
            case .type: push(.type(target.types[i]), env)
            case .core(.type): break
            default: throw Self.unsupported("outer alias of a \(sort)")
            }
        }
    }

    // MARK: Canonical definitions

    func options(_ list: [CanonicalOption], _ env: Environment) -> CanonicalOptions {
        var o = CanonicalOptions()
        for option in list {
            switch option {
            case .utf8: o.encoding = .utf8
            case .utf16: o.encoding = .utf16
            case .latin1UTF16: o.encoding = .latin1UTF16
            case .memory(let i): o.memory = env.coreMemories[Int(i)]
            case .realloc(let i): o.realloc = env.coreFunctions[Int(i)]
            case .postReturn(let i): o.postReturn = env.coreFunctions[Int(i)]
            default: break
            }
        }
        return o
    }

    func canonical(_ c: CanonicalFunction, plan: ComponentPlan, cursor: Int, _ env: Environment) throws {
        let state = env.state
        let i32 = ValueType.i32
        switch c {
        case .lift(let core, let list, _):
            let lifted = LiftedFunction(
                state: state, core: env.coreFunctions[Int(core)], options: options(list, env), abi: plan.canonABIs[cursor]!)
            env.functions.append(
                RuntimeFunction(type: plan.canonTypes[cursor]!, types: env.component.types, body: .lifted(lifted)))
        case .lower(let f, let list):
            let callee = env.functions[Int(f)]
            let adapter: Bool
            if case .lifted = callee.body { adapter = true } else { adapter = false }
            let call = LoweredCall(
                state: state, callee: callee, options: options(list, env), abi: plan.canonABIs[cursor]!, adapter: adapter)
            let signature = env.component.indexSpaces.coreFunctions[env.coreFunctions.count]
            addHostFunction(signature, env) { _, args in try call.call(args) }
        case .resourceNew(let t):
            let rt = try resourceType(t, env)
            addHostFunction(FunctionType(parameters: [i32], results: [i32]), env) { _, args in
                [.i32(try state.resourceNew(rt, rep: Self.i32(args)))]
            }
        case .resourceRep(let t):
            let rt = try resourceType(t, env)
            addHostFunction(FunctionType(parameters: [i32], results: [i32]), env) { _, args in
                [.i32(try state.resourceRep(rt, handle: Self.i32(args)))]
            }
        case .resourceDrop(let t, _):
            let rt = try resourceType(t, env)
            addHostFunction(FunctionType(parameters: [i32], results: []), env) { _, args in
                try state.resourceDrop(rt, handle: Self.i32(args))
                return []
            }
        case .builtin(let b):
            let signature = env.component.indexSpaces.coreFunctions[env.coreFunctions.count]
            let name = b.name
            addHostFunction(signature, env) { _, _ in
                try state.checkMayLeave()
                throw Trap(.host("canon `\(name)` is not supported (async ABI, threads and error contexts do not run)"))
            }
        }
    }

    static func i32(_ args: [Value]) -> UInt32 {
        if case .i32(let x)? = args.first { return x }
        return 0
    }

    func resourceType(_ t: UInt32, _ env: Environment) throws -> RuntimeResourceType {
        guard let rt = env.types[Int(t)] else { throw Self.unsupported("type \(t) is not a resource at run time") }
        return rt
    }

    func addHostFunction(_ type: FunctionType, _ env: Environment, _ body: @escaping HostFunctionBody) {
        let f = Function(type: type, body: body)
        store.retain(f)
        env.coreFunctions.append(f)
    }
}
