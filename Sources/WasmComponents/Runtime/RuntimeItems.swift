import WasmCore

// The run-time objects of component index spaces: items (functions, instances, types, ...),
// instances' exports, component definitions with their outer environment, core instances,
// and the index spaces of one instantiation.

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

/// A core instance: instantiated from a module, or tupled from exports (`names[i]` names
/// `values[i]`; the names come from the plan, shared by every instantiation).
enum CoreInstanceValue {
    case instance(Instance)
    case exports(names: [String], values: [ExternalValue])

    /// The export named `name` (of a bag, the last of that name).
    func export(_ name: String) -> ExternalValue? {
        switch self {
        case .instance(let i): i.export(name)
        case .exports(let names, let values): names.lastIndex(of: name).map { values[$0] }
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
    var coreTags: [Tag] = []
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
