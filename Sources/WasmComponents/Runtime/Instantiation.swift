import WasmCore

// Instantiation: walking a component's definitions in order and building its index spaces
// out of run-time objects (core instances made by WasmCore, lifted and lowered functions,
// resource types, nested component instances). `canon` definitions are in
// CanonicalDefinitions.swift, the once-per-link plan in ComponentPlan.swift.
// Spec: component-model `design/mvp/Explainer.md` (index spaces, instantiation).

/// Runs instantiations of one linked component tree.
struct Instantiator {
    let plans: [ObjectIdentifier: ComponentPlan]
    let store: Store
    let root: ComponentInstance
    /// How core imports and `alias core export`s are resolved (tests compare the modes).
    var wiringMode = WiringMode.positions

    /// An unsupported feature met at instantiation (its offset filled in by `at`).
    static func unsupported(_ what: String) -> ComponentUnsupportedError {
        ComponentUnsupportedError(what, offset: 0)
    }

    /// Runs `body` for the definition at byte `offset`, which unsupported-feature errors name.
    static func at<T>(_ offset: Int, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch var e as ComponentUnsupportedError where e.offset == 0 {
            e.offset = offset
            throw e
        }
    }

    // MARK: Instantiation

    /// Instantiates `closure` with `arguments` (its imports, by name); returns its exports.
    func instantiate(
        _ closure: ComponentClosure, arguments: [String: RuntimeItem], parent: InstanceState?,
        states: inout [InstanceState]
    ) throws -> RuntimeInstance {
        let component = closure.component
        guard let plan = plans[ObjectIdentifier(component)] else {
            throw Self.unsupported("instantiating a component that was not linked")
        }
        let state = InstanceState(
            store: store, root: root, parent: parent, resourceCount: component.types.resourceCount)
        states.append(state)
        let env = Environment(component: component, parent: closure.parent, state: state)
        // A nested component's closure keeps this environment (its outer aliases' scope) and
        // the environment keeps the closure: drop the closures when the walk is done, or every
        // instance of a component with a nested one (wit-component's shims) is never freed.
        defer { env.components.removeAll() }
        let exports = RuntimeInstance()
        var moduleCursor = 0
        var componentCursor = 0
        var canonCursor = 0
        var aliasCursor = 0
        for section in component.syntax.sections {
            switch section.content {
            case .coreModule:
                env.coreModules.append(component.modules[moduleCursor])
                moduleCursor += 1
            case .coreInstances(let items):
                for item in items {
                    let index = env.coreInstances.count
                    env.coreInstances.append(
                        try Self.at(item.offset) { try coreInstance(item.value, index: index, plan.wiring, env) })
                }
            case .component:
                env.components.append(ComponentClosure(component: component.components[componentCursor], parent: env))
                componentCursor += 1
            case .instances(let items):
                for item in items {
                    switch item.value {
                    case .instantiate(let c, let args):
                        var map: [String: RuntimeItem] = [:]
                        for a in args { map[a.name] = try Self.at(item.offset) { try self.item(a.item, env) } }
                        let instance = try instantiate(env.components[Int(c)], arguments: map, parent: state, states: &states)
                        env.instances.append(instance)
                        bind(.instance(component.indexSpaces.instances[env.instances.count - 1]), .instance(instance), env)
                    case .exports(let list):
                        let instance = RuntimeInstance()
                        for e in list { instance.add(e.name.name, try Self.at(item.offset) { try self.item(e.item, env) }) }
                        env.instances.append(instance)
                    }
                }
            case .aliases(let items):
                for item in items {
                    let position = plan.wiring.aliasPositions[aliasCursor]
                    aliasCursor += 1
                    try Self.at(item.offset) {
                        try alias(item.value, position: wiringMode == .names ? nil : position, env)
                    }
                }
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
                    try Self.at(item.offset) { try canonical(item.value, plan: plan, cursor: canonCursor, env) }
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
                    let value = try Self.at(item.offset) { try self.item(item.value.item, env) }
                    exports.add(item.value.name.name, value)
                    push(value, env)
                }
            case .start(let s):
                // Without values (the plan refuses others): a call when instantiation gets here.
                let f = env.functions[Int(s.value.function)]
                if case .host(let body) = f.body {
                    _ = try body(ComponentCaller(store: store, instance: root), [])
                } else {
                    _ = try f.invoke([], source: .utf8, caller: nil, adapter: false)
                }
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
                env.state.bind(r, rt)
            }
        }
    }

    /// Records the run-time resource types `item` gives to the resources `entity` names.
    func bind(_ entity: ComponentEntityType, _ item: RuntimeItem, _ env: Environment) {
        let types = env.component.types
        switch (entity, item) {
        case (.type(let referenced, let created), .type(let rt?)):
            if let r = types.resource(referenced) { env.state.bind(r, rt) }
            if let r = types.resource(created) { env.state.bind(r, rt) }
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

    /// Makes core instance number `index` of the component (`wiring` has its plan).
    func coreInstance(
        _ def: CoreInstanceDefinition, index: Int, _ wiring: CoreWiring, _ env: Environment
    ) throws -> CoreInstanceValue {
        switch def {
        case .instantiate(let m, let args):
            let module = env.coreModules[Int(m)]
            if wiringMode != .names, let sources = wiring.instantiations[index] {
                // Resolved at link time: each import by position, type-checked by `link(values:)`;
                // an argument that is not the instance the plan was made for goes by name below.
                var values: [ExternalValue] = []
                values.reserveCapacity(sources.count)
                for s in sources {
                    guard let v = env.coreInstances[s.instance].export(at: s) else { break }
                    values.append(v)
                }
                if values.count == sources.count {
                    if wiringMode == .checked { try checkWiring(values, module: module, args: args, env) }
                    return .instance(try store.instantiate(module, linked: try module.link(values: values)))
                }
                if wiringMode == .checked { throw WiringMismatch(what: "an argument of core instance \(index)") }
            }
            var imports = Imports()
            for a in args {
                switch env.coreInstances[Int(a.instance)] {
                case .instance(let i):
                    // Only what the module imports from `a.name`: an instance's whole export
                    // list (thousands of functions in CPython's) would materialise every export.
                    for wanted in module.imports where wanted.module == a.name {
                        if let v = i.export(wanted.name) { imports.define(module: a.name, name: wanted.name, v) }
                    }
                case .exports(let names, let values):
                    for (k, v) in zip(names, values) { imports.define(module: a.name, name: k, v) }
                }
            }
            return .instance(try store.instantiate(module, imports: imports))
        case .exports(let list):
            var values: [ExternalValue] = []
            values.reserveCapacity(list.count)
            for e in list { values.append(try coreItem(e.item, env)) }
            return .exports(names: wiring.bagNames[index] ?? list.map(\.name), values: values)
        }
    }

    /// Fails unless `values` are the objects the name path links for `module` (`.checked`).
    func checkWiring(
        _ values: [ExternalValue], module: Module, args: [CoreInstantiationArgument], _ env: Environment
    ) throws {
        for (imp, value) in zip(module.info.imports, values) {
            let byName = args.last { $0.name == imp.module }.flatMap { env.coreInstances[Int($0.instance)].export(imp.name) }
            guard let byName, sameObject(byName, value) else {
                throw WiringMismatch(what: "import `\(imp.module).\(imp.name)`")
            }
        }
    }

    func coreItem(_ s: CoreSortIndex, _ env: Environment) throws -> ExternalValue {
        let i = Int(s.index)
        switch s.sort {
        case .function: return .function(env.coreFunctions[i])
        case .table: return .table(env.coreTables[i])
        case .memory: return .memory(env.coreMemories[i])
        case .global: return .global(env.coreGlobals[i])
        case .tag: return .tag(env.coreTags[i])
        default: throw Self.unsupported("core \(s.sort) items")
        }
    }

    func pushCore(_ value: ExternalValue, _ env: Environment) {
        switch value {
        case .function(let f): env.coreFunctions.append(f)
        case .table(let t): env.coreTables.append(t)
        case .memory(let m): env.coreMemories.append(m)
        case .global(let g): env.coreGlobals.append(g)
        case .tag(let t): env.coreTags.append(t)
        }
    }

    // MARK: Aliases

    /// Runs alias definition `a`; `position` is the plan's for an `alias core export` (by name
    /// when the instance is not the one it was planned for).
    func alias(_ a: AliasDefinition, position: CoreExportPosition?, _ env: Environment) throws {
        switch a {
        case .instanceExport(_, let i, let name):
            guard let item = env.instances[Int(i)][name] else {
                throw Self.unsupported("instance \(i) has no export `\(name)` at run time")
            }
            push(item, env)
        case .coreInstanceExport(_, let i, let name):
            if let position, let value = env.coreInstances[Int(i)].export(at: position) {
                if wiringMode == .checked {
                    guard let byName = env.coreInstances[Int(i)].export(name), sameObject(byName, value) else {
                        throw WiringMismatch(what: "`alias core export` of `\(name)`")
                    }
                }
                pushCore(value, env)
                return
            }
            if position != nil && wiringMode == .checked {
                throw WiringMismatch(what: "the instance of `alias core export` of `\(name)`")
            }
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
}
