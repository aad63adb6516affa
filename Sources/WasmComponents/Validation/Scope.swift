import WasmCore

/// The index spaces of one component (or component type, or instance type), as validation
/// builds them: each entry is the type of what that index refers to.
public struct ComponentIndexSpaces: Sendable {
    /// Core types: `.coreFunction` or `.coreModule` arena entries.
    public var coreTypes: [TypeID] = []
    /// Core modules, by their `.coreModule` type.
    public var coreModules: [TypeID] = []
    /// Core instances, by their `.coreInstance` type.
    public var coreInstances: [TypeID] = []
    public var coreFunctions: [FunctionType] = []
    public var coreTables: [CoreTableType] = []
    public var coreMemories: [CoreMemoryType] = []
    public var coreGlobals: [GlobalType] = []
    public var coreTags: [FunctionType] = []
    /// Component-level types (any arena entry but core ones).
    public var types: [TypeID] = []
    /// Component functions, by their `.function` type.
    public var functions: [TypeID] = []
    public var values: [ComponentValueType] = []
    /// Component instances, by their `.instance` type.
    public var instances: [TypeID] = []
    /// Components, by their `.component` type.
    public var components: [TypeID] = []

    public init() {}
}

/// Validation state of one component, component type or instance type.
final class Scope {
    enum Kind {
        case component
        case componentType
        case instanceType
    }

    let kind: Kind
    var spaces = ComponentIndexSpaces()
    var imports = OrderedMap<ComponentEntityType>()
    var exports = OrderedMap<ComponentEntityType>()
    /// Strong-uniqueness keys of the names so far, to the name that used the key.
    var importKeys: [String: String] = [:]
    var exportKeys: [String: String] = [:]
    /// Types that imports have named ("externally visible" to later imports and exports).
    var importNamed: Set<TypeID> = []
    /// Types that imports or exports have named (visible to later exports).
    var exportNamed: Set<TypeID> = []
    /// Resource type aliases named by a top-level import, for `[constructor]` etc.
    var importResourceNames: [TypeID: String] = [:]
    var exportResourceNames: [TypeID: String] = [:]
    /// Resources defined here (`(resource ...)`, `(export ... (sub resource))` in types, or
    /// fresh from instantiations), in order.
    var definedResources: [ResourceID] = []
    var importedResources: [(ResourceID, [String])] = []
    var explicitResources: [ResourceID: [String]] = [:]
    var hasStart = false
    /// Per-definition results for the public model (components only).
    var modules: [Module] = []
    var nested: [ComponentInfo] = []
    var unsupported: [ComponentUnsupportedError] = []

    init(kind: Kind) { self.kind = kind }
}

/// What validation learnt about one (possibly nested) component.
struct ComponentInfo {
    var syntax: ComponentSyntax
    var spaces: ComponentIndexSpaces
    var type: TypeID
    var modules: [Module]
    var nested: [ComponentInfo]
    var unsupported: [ComponentUnsupportedError]
}
