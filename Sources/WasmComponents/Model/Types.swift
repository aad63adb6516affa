import WasmCore

// Resolved types of a validated component: every type the component (and its nested
// components and type definitions) defines lives in one `ComponentTypes` arena and is named
// by a `TypeID`. Resource types have identities (`ResourceID`): two resource types are the
// same type only when their ids are equal.

/// A type in a component's `ComponentTypes` arena.
public struct TypeID: Hashable, Sendable, CustomStringConvertible {
    public let raw: Int
    init(_ raw: Int) { self.raw = raw }
    public var description: String { "type#\(raw)" }
}

/// The identity of a resource type (each `(resource ...)` definition, `(sub resource)` import
/// and instantiation of a component defining resources makes a new one).
public struct ResourceID: Hashable, Sendable, CustomStringConvertible {
    public let raw: Int
    init(_ raw: Int) { self.raw = raw }
    public var description: String { "resource#\(raw)" }
}

/// A resolved value type: a primitive, or a defined type in the arena.
public enum ComponentValueType: Hashable, Sendable {
    case primitive(PrimitiveValueType)
    case defined(TypeID)
}

/// A record field, function parameter or variant case with a resolved type.
public struct ComponentField: Hashable, Sendable {
    public var label: String
    public var type: ComponentValueType?
}

/// A resolved defined value type. `own`/`borrow` name the arena entry of their resource type
/// (a `.resource`), so the alias used is kept (it decides whether the type is externally named).
public enum ComponentDefinedType: Hashable, Sendable {
    case primitive(PrimitiveValueType)
    case record([ComponentField])
    case variant([ComponentField])
    case list(ComponentValueType)
    case fixedList(ComponentValueType, UInt32)
    case tuple([ComponentValueType])
    case flags([String])
    case `enum`([String])
    case option(ComponentValueType)
    case result(ok: ComponentValueType?, error: ComponentValueType?)
    case own(TypeID)
    case borrow(TypeID)
    case stream(ComponentValueType?)
    case future(ComponentValueType?)
    case map(ComponentValueType, ComponentValueType)

    /// The word used in type-mismatch messages ("record", "own", ...).
    public var kindName: String {
        switch self {
        case .primitive: "primitive"
        case .record: "record"
        case .variant: "variant"
        case .list: "list"
        case .fixedList: "fixed-length list"
        case .tuple: "tuple"
        case .flags: "flags"
        case .enum: "enum"
        case .option: "option"
        case .result: "result"
        case .own: "own"
        case .borrow: "borrow"
        case .stream: "stream"
        case .future: "future"
        case .map: "map"
        }
    }
}

/// A resolved component function type.
public struct ComponentFunctionType: Hashable, Sendable {
    public var isAsync: Bool
    public var parameters: [(label: String, type: ComponentValueType)]
    public var result: ComponentValueType?

    public static func == (a: Self, b: Self) -> Bool {
        a.isAsync == b.isAsync && a.result == b.result && a.parameters.count == b.parameters.count
            && zip(a.parameters, b.parameters).allSatisfy { $0.label == $1.label && $0.type == $1.type }
    }
    public func hash(into h: inout Hasher) {
        h.combine(isAsync)
        h.combine(result)
        for p in parameters {
            h.combine(p.label)
            h.combine(p.type)
        }
    }
}

/// A core entity's type, as core module and core instance types describe them.
public enum CoreEntityType: Hashable, Sendable, CustomStringConvertible {
    case function(FunctionType)
    case table(CoreTableType)
    case memory(CoreMemoryType)
    case global(GlobalType)
    case tag(FunctionType)

    public var kindName: String {
        switch self {
        case .function: "func"
        case .table: "table"
        case .memory: "memory"
        case .global: "global"
        case .tag: "tag"
        }
    }

    /// The text format of the type, e.g. `(func (param i32))`.
    public var description: String {
        switch self {
        case .function(let f): CoreEntityType.text(f)
        case .table(let t): "(table \(t.limits) \(t.elementType))"
        case .memory(let m): "(memory \(m.limits)\(m.isShared ? " shared" : ""))"
        case .global(let g): g.isMutable ? "(global (mut \(g.valueType)))" : "(global \(g.valueType))"
        case .tag(let f): "(tag \(CoreEntityType.text(f)))"
        }
    }

    static func text(_ f: FunctionType) -> String {
        var s = "(func"
        if !f.parameters.isEmpty { s += " (param " + f.parameters.map(\.description).joined(separator: " ") + ")" }
        if !f.results.isEmpty { s += " (result " + f.results.map(\.description).joined(separator: " ") + ")" }
        return s + ")"
    }
}

/// A core module type: what it imports (two-level names) and exports.
public struct CoreModuleType: Hashable, Sendable {
    public var imports: [CoreModuleImport]
    public var exports: OrderedMap<CoreEntityType>
}

/// One import of a core module type.
public struct CoreModuleImport: Hashable, Sendable {
    public var module: String
    public var name: String
    public var type: CoreEntityType
}

/// A core instance type: its exports.
public struct CoreInstanceType: Hashable, Sendable {
    public var exports: OrderedMap<CoreEntityType>
}

/// The type of an import, export or other component-level entity.
public enum ComponentEntityType: Hashable, Sendable {
    case module(TypeID)
    case function(TypeID)
    case value(ComponentValueType)
    /// A type: `referenced` is the type meant; `created` the arena entry (an alias of it) that
    /// the import or export introduces, which makes it externally named.
    case type(referenced: TypeID, created: TypeID)
    case instance(TypeID)
    case component(TypeID)

    /// "module", "func", "value", "type", "instance", "component".
    public var kindName: String {
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

/// A component-level instance type: its exports, and the resources it defines.
public struct ComponentInstanceType: Hashable, Sendable {
    public var exports: OrderedMap<ComponentEntityType>
    /// Resources first seen in this type (`(export "r" (type (sub resource)))`, or made by
    /// instantiating a component that defines them).
    public var definedResources: [ResourceID]
    /// Resources that have a name in this type, with the export path to them.
    public var explicitResources: [ResourceID: [String]]
}

/// A component type: its imports and exports, and which resources it imports and defines.
public struct ComponentType: Hashable, Sendable {
    public var imports: OrderedMap<ComponentEntityType>
    public var exports: OrderedMap<ComponentEntityType>
    /// Resources imported (by name path), which instantiation substitutes with its arguments'.
    public var importedResources: [(ResourceID, [String])]
    /// Resources defined (exported abstractly), fresh for every instantiation.
    public var definedResources: [(ResourceID, [String])]
    public var explicitResources: [ResourceID: [String]]

    public static func == (a: Self, b: Self) -> Bool {
        a.imports == b.imports && a.exports == b.exports
            && a.importedResources.map(\.0) == b.importedResources.map(\.0)
            && a.definedResources.map(\.0) == b.definedResources.map(\.0)
    }
    public func hash(into h: inout Hasher) {
        h.combine(imports)
        h.combine(exports)
    }
}

/// An entry of the type arena.
public enum ComponentAnyType: Hashable, Sendable {
    case defined(ComponentDefinedType)
    case function(ComponentFunctionType)
    case instance(ComponentInstanceType)
    case component(ComponentType)
    case resource(ResourceID)
    case coreFunction(FunctionType)
    case coreModule(CoreModuleType)
    case coreInstance(CoreInstanceType)

    /// "defined type", "function type", ... for messages.
    var kindName: String {
        switch self {
        case .defined: "defined type"
        case .function: "func"
        case .instance: "instance"
        case .component: "component"
        case .resource: "resource"
        case .coreFunction: "core func"
        case .coreModule: "module"
        case .coreInstance: "core instance"
        }
    }
}

/// A string-keyed map that keeps insertion order (imports and exports are ordered).
public struct OrderedMap<Value: Hashable & Sendable>: Hashable, Sendable, Sequence {
    public private(set) var keys: [String] = []
    private var storage: [String: Value] = [:]

    public init() {}

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }

    public subscript(key: String) -> Value? { storage[key] }

    /// Inserts or replaces; returns whether the key was new.
    @discardableResult
    public mutating func insert(_ key: String, _ value: Value) -> Bool {
        if storage.updateValue(value, forKey: key) == nil {
            keys.append(key)
            return true
        }
        return false
    }

    public var values: [Value] { keys.map { storage[$0]! } }

    public func makeIterator() -> IndexingIterator<[(key: String, value: Value)]> {
        keys.map { (key: $0, value: storage[$0]!) }.makeIterator()
    }

    public func mapValues<T>(_ transform: (Value) throws -> T) rethrows -> OrderedMap<T> {
        var out = OrderedMap<T>()
        for k in keys { out.insert(k, try transform(storage[k]!)) }
        return out
    }

    public static func == (a: Self, b: Self) -> Bool { a.keys == b.keys && a.storage == b.storage }
    public func hash(into h: inout Hasher) {
        h.combine(keys)
        for k in keys { h.combine(storage[k]) }
    }
}

/// Every resolved type of a component tree, by `TypeID`.
public struct ComponentTypes: Sendable {
    public private(set) var entries: [ComponentAnyType] = []
    /// How many resource identities have been made.
    public private(set) var resourceCount = 0

    public init() {}

    public subscript(id: TypeID) -> ComponentAnyType { entries[id.raw] }

    mutating func add(_ type: ComponentAnyType) -> TypeID {
        entries.append(type)
        return TypeID(entries.count - 1)
    }

    /// A fresh resource identity and its arena entry.
    mutating func freshResource() -> (ResourceID, TypeID) {
        let r = ResourceID(resourceCount)
        resourceCount += 1
        return (r, add(.resource(r)))
    }

    /// A new arena entry equal to `id`'s (a new name for the same type).
    mutating func alias(_ id: TypeID) -> TypeID { add(entries[id.raw]) }

    /// The defined value type at `id`, if it is one.
    public func defined(_ id: TypeID) -> ComponentDefinedType? {
        if case .defined(let d) = entries[id.raw] { return d }
        return nil
    }

    /// The resource identity at `id`, if it is a resource type.
    public func resource(_ id: TypeID) -> ResourceID? {
        if case .resource(let r) = entries[id.raw] { return r }
        return nil
    }

    public func function(_ id: TypeID) -> ComponentFunctionType? {
        if case .function(let f) = entries[id.raw] { return f }
        return nil
    }

    public func instance(_ id: TypeID) -> ComponentInstanceType? {
        if case .instance(let i) = entries[id.raw] { return i }
        return nil
    }

    public func component(_ id: TypeID) -> ComponentType? {
        if case .component(let c) = entries[id.raw] { return c }
        return nil
    }

    public func coreModule(_ id: TypeID) -> CoreModuleType? {
        if case .coreModule(let m) = entries[id.raw] { return m }
        return nil
    }

    public func coreInstance(_ id: TypeID) -> CoreInstanceType? {
        if case .coreInstance(let i) = entries[id.raw] { return i }
        return nil
    }
}
