import WasmCore

// The component binary as decoded: every section's items with their byte offsets, indices
// not yet resolved. Spec: WebAssembly/component-model design/mvp/Binary.md.

/// A value with the byte offset (in the outermost binary) where it was decoded.
public struct Positioned<Value: Sendable>: Sendable {
    public var offset: Int
    public var value: Value
    public init(offset: Int, value: Value) {
        self.offset = offset
        self.value = value
    }
}

/// A core sort (`core:sort`): the core index spaces a component can refer to.
public enum CoreSort: UInt8, Sendable, Hashable, CustomStringConvertible {
    case function = 0x00
    case table = 0x01
    case memory = 0x02
    case global = 0x03
    case tag = 0x04
    case type = 0x10
    case module = 0x11
    case instance = 0x12

    public var description: String {
        switch self {
        case .function: "func"
        case .table: "table"
        case .memory: "memory"
        case .global: "global"
        case .tag: "tag"
        case .type: "type"
        case .module: "module"
        case .instance: "instance"
        }
    }
}

/// A sort: one of the component-level index spaces, or a core one.
public enum ComponentSort: Sendable, Hashable, CustomStringConvertible {
    case core(CoreSort)
    case function
    case value
    case type
    case component
    case instance

    public var description: String {
        switch self {
        case .core(let s): "core \(s)"
        case .function: "func"
        case .value: "value"
        case .type: "type"
        case .component: "component"
        case .instance: "instance"
        }
    }
}

/// `(sort idx)` for a core sort.
public struct CoreSortIndex: Sendable, Hashable {
    public var sort: CoreSort
    public var index: UInt32
    public init(sort: CoreSort, index: UInt32) {
        self.sort = sort
        self.index = index
    }
}

/// `(sort idx)` for any sort.
public struct ComponentSortIndex: Sendable, Hashable {
    public var sort: ComponentSort
    public var index: UInt32
    public init(sort: ComponentSort, index: UInt32) {
        self.sort = sort
        self.index = index
    }
}

/// An import or export name with its attributes.
///
/// `name` is the extern name itself (a plain kebab-case label, possibly `[constructor]`,
/// `[method]` or `[static]` annotated, or an interface name `ns:pkg/iface@version`);
/// the attributes say more about the item without identifying it.
public struct ComponentExternName: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    /// `(implements "ns:pkg/iface")`: the instance implements that interface.
    public var implements: String?
    /// `(versionsuffix "...")`: the rest of a canonicalised interface version.
    public var versionSuffix: String?
    /// `(external-id "...")`: a host-defined identifier.
    public var externalID: String?
    /// The first attribute the binary gave twice (invalid: at most one of each kind).
    public var duplicateAttribute: String?

    public init(_ name: String, implements: String? = nil, versionSuffix: String? = nil, externalID: String? = nil) {
        self.name = name
        self.implements = implements
        self.versionSuffix = versionSuffix
        self.externalID = externalID
    }

    public var description: String { name }
}

// MARK: Core definitions

/// A core module nested in a component (its own section, decoded with WasmCore).
public struct CoreModuleDefinition: Sendable {
    /// Where the module's bytes lie in the outermost binary.
    public var range: Range<Int>
    /// The module's sections (well-formed; validated with the component).
    public var info: ModuleInfo
}

/// `with "name" (instance i)` of a core instantiation.
public struct CoreInstantiationArgument: Sendable, Hashable {
    public var name: String
    public var instance: UInt32
}

/// `(export "name" (sort idx))` of a core instance made of exports.
public struct CoreInlineExport: Sendable, Hashable {
    public var name: String
    public var item: CoreSortIndex
}

/// `core:instance`: instantiate a core module, or tuple up existing core definitions.
public enum CoreInstanceDefinition: Sendable, Hashable {
    case instantiate(module: UInt32, arguments: [CoreInstantiationArgument])
    case exports([CoreInlineExport])
}

/// Limits of a core table or memory in a core module type (64-bit capable).
public struct CoreLimits: Sendable, Hashable, CustomStringConvertible {
    public var min: UInt64
    public var max: UInt64?
    public init(min: UInt64, max: UInt64? = nil) {
        self.min = min
        self.max = max
    }
    public var description: String { max.map { "\(min) \($0)" } ?? "\(min)" }
}

/// A core table type as core module types and component type checks see it.
public struct CoreTableType: Sendable, Hashable {
    public var elementType: ValueType
    public var limits: CoreLimits
    public var is64: Bool
    public init(elementType: ValueType, limits: CoreLimits, is64: Bool = false) {
        self.elementType = elementType
        self.limits = limits
        self.is64 = is64
    }
}

/// A core memory type as core module types and component type checks see it.
public struct CoreMemoryType: Sendable, Hashable {
    public var limits: CoreLimits
    public var isShared: Bool
    public var is64: Bool
    public init(limits: CoreLimits, isShared: Bool = false, is64: Bool = false) {
        self.limits = limits
        self.isShared = isShared
        self.is64 = is64
    }
}

/// What a core import (or export declaration of a module type) describes.
public enum CoreImportDescriptor: Sendable, Hashable {
    case function(typeIndex: UInt32)
    case table(CoreTableType)
    case memory(CoreMemoryType)
    case global(GlobalType)
    case tag(typeIndex: UInt32)
}

/// One declaration of a core module type.
public enum CoreModuleDeclaration: Sendable, Hashable {
    case `import`(module: String, name: String, CoreImportDescriptor)
    case type(CoreTypeDefinition)
    /// `(alias outer ct idx (type))`.
    case outerTypeAlias(count: UInt32, index: UInt32)
    case export(name: String, CoreImportDescriptor)
}

/// `core:type`: a core function type or a core module type.
public indirect enum CoreTypeDefinition: Sendable, Hashable {
    case function(FunctionType)
    case module([Positioned<CoreModuleDeclaration>])
}

// MARK: Component-level definitions

/// `with "name" (sort idx)` of a component instantiation.
public struct InstantiationArgument: Sendable, Hashable {
    public var name: String
    public var item: ComponentSortIndex
}

/// `(export "name" (sort idx))` of an instance made of exports.
public struct InlineExport: Sendable, Hashable {
    public var name: ComponentExternName
    public var item: ComponentSortIndex
}

/// `instance`: instantiate a component, or tuple up existing definitions.
public enum InstanceDefinition: Sendable, Hashable {
    case instantiate(component: UInt32, arguments: [InstantiationArgument])
    case exports([InlineExport])
}

/// `alias`: an export of an instance, a core export of a core instance, or a definition of an
/// enclosing component (`count` levels out).
public enum AliasDefinition: Sendable, Hashable {
    case instanceExport(sort: ComponentSort, instance: UInt32, name: String)
    case coreInstanceExport(sort: CoreSort, instance: UInt32, name: String)
    case outer(sort: ComponentSort, count: UInt32, index: UInt32)

    public var sort: ComponentSort {
        switch self {
        case .instanceExport(let s, _, _), .outer(let s, _, _): s
        case .coreInstanceExport(let s, _, _): .core(s)
        }
    }
}

/// The primitive value types (`primvaltype`).
public enum PrimitiveValueType: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case bool = 0x7F
    case s8 = 0x7E
    case u8 = 0x7D
    case s16 = 0x7C
    case u16 = 0x7B
    case s32 = 0x7A
    case u32 = 0x79
    case s64 = 0x78
    case u64 = 0x77
    case f32 = 0x76
    case f64 = 0x75
    case char = 0x74
    case string = 0x73
    case errorContext = 0x64

    public var description: String {
        switch self {
        case .bool: "bool"
        case .s8: "s8"
        case .u8: "u8"
        case .s16: "s16"
        case .u16: "u16"
        case .s32: "s32"
        case .u32: "u32"
        case .s64: "s64"
        case .u64: "u64"
        case .f32: "f32"
        case .f64: "f64"
        case .char: "char"
        case .string: "string"
        case .errorContext: "error-context"
        }
    }
}

/// A `valtype` as written: a primitive, or an index into the type index space.
public enum ValueTypeReference: Sendable, Hashable {
    case primitive(PrimitiveValueType)
    case index(UInt32)
}

/// A labelled value type: a record field or function parameter.
public struct LabeledValueType: Sendable, Hashable {
    public var label: String
    public var type: ValueTypeReference
}

/// A variant case: its label and optional payload.
public struct VariantCaseDefinition: Sendable, Hashable {
    public var label: String
    public var type: ValueTypeReference?
}

/// `defvaltype`: a value type definition.
public enum DefinedTypeDefinition: Sendable, Hashable {
    case primitive(PrimitiveValueType)
    case record([LabeledValueType])
    case variant([VariantCaseDefinition])
    case list(ValueTypeReference)
    /// `list<T, N>` (fixed length).
    case fixedList(ValueTypeReference, UInt32)
    case tuple([ValueTypeReference])
    case flags([String])
    case `enum`([String])
    case option(ValueTypeReference)
    case result(ok: ValueTypeReference?, error: ValueTypeReference?)
    case own(UInt32)
    case borrow(UInt32)
    case stream(ValueTypeReference?)
    case future(ValueTypeReference?)
    case map(ValueTypeReference, ValueTypeReference)
}

/// `functype`: parameters and at most one result; `async` for `func async` (0x43).
public struct FunctionTypeDefinition: Sendable, Hashable {
    public var isAsync: Bool
    public var parameters: [LabeledValueType]
    public var result: ValueTypeReference?
}

/// `typebound` of a type import or export.
public enum TypeBound: Sendable, Hashable {
    /// `(eq i)`: the same type as type `i`.
    case eq(UInt32)
    /// `(sub resource)`: a fresh abstract resource type.
    case subResource
}

/// `valuebound` of a value import or export.
public enum ValueBound: Sendable, Hashable {
    case eq(UInt32)
    case type(ValueTypeReference)
}

/// `externdesc`: the type of an import, or the ascribed type of an export.
public enum ExternDescriptor: Sendable, Hashable {
    case module(coreTypeIndex: UInt32)
    case function(typeIndex: UInt32)
    case value(ValueBound)
    case type(TypeBound)
    case instance(typeIndex: UInt32)
    case component(typeIndex: UInt32)

    public var sortName: String {
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

/// One declaration of a component or instance type.
public enum TypeDeclaration: Sendable, Hashable {
    case coreType(CoreTypeDefinition)
    case type(TypeDefinition)
    case alias(AliasDefinition)
    /// Only in component types.
    case `import`(ComponentExternName, ExternDescriptor)
    case export(ComponentExternName, ExternDescriptor)
}

/// `type`: a value type, function type, component type, instance type or resource type.
public indirect enum TypeDefinition: Sendable, Hashable {
    case defined(DefinedTypeDefinition)
    case function(FunctionTypeDefinition)
    case component([Positioned<TypeDeclaration>])
    case instance([Positioned<TypeDeclaration>])
    /// `(resource (rep i32) (dtor f)?)`.
    case resource(representation: ValueType, destructor: UInt32?)
}

/// A canonical option.
public enum CanonicalOption: Sendable, Hashable, CustomStringConvertible {
    case utf8
    case utf16
    case latin1UTF16
    case memory(UInt32)
    case realloc(UInt32)
    case postReturn(UInt32)
    case async
    case callback(UInt32)
    case coreType(UInt32)
    case gc

    public var description: String {
        switch self {
        case .utf8: "string-encoding=utf8"
        case .utf16: "string-encoding=utf16"
        case .latin1UTF16: "string-encoding=latin1+utf16"
        case .memory(let i): "(memory \(i))"
        case .realloc(let i): "(realloc \(i))"
        case .postReturn(let i): "(post-return \(i))"
        case .async: "async"
        case .callback(let i): "(callback \(i))"
        case .coreType(let i): "(core-type \(i))"
        case .gc: "gc"
        }
    }
}

/// A canonical built-in of the async ABI, threads or error contexts: decoded and validated,
/// but not run by this implementation (instantiation reports `ComponentUnsupportedError`).
public struct CanonicalBuiltin: Sendable, Hashable, CustomStringConvertible {
    /// The built-in's name, e.g. `task.return`, `stream.read`.
    public var name: String
    /// The type index it names (`stream.new t`), if any.
    public var typeIndex: UInt32?
    /// A result type (`task.return`), if any.
    public var result: ValueTypeReference?
    public var options: [CanonicalOption]
    /// Its `async`/`cancellable` flag, if it has one.
    public var flag: Bool?
    /// Other immediates (`context.get i32 N`: N; `thread.new-indirect`: type and table).
    public var immediates: [UInt32]

    public var description: String {
        var s = name
        if let flag, flag { s += name.hasPrefix("subtask") || name.contains("cancel-") ? " async" : " cancellable" }
        if let typeIndex { s += " (type \(typeIndex))" }
        for o in options { s += " \(o)" }
        return s
    }
}

/// `canon`: a function made by the canonical ABI.
public enum CanonicalFunction: Sendable, Hashable {
    /// `canon lift`: a component function of type `type` from core function `coreFunction`.
    case lift(coreFunction: UInt32, options: [CanonicalOption], type: UInt32)
    /// `canon lower`: a core function calling component function `function`.
    case lower(function: UInt32, options: [CanonicalOption])
    case resourceNew(type: UInt32)
    case resourceDrop(type: UInt32, async: Bool)
    case resourceRep(type: UInt32)
    /// `backpressure.*`, `task.*`, `subtask.*`, `stream.*`, `future.*`, `waitable*`, `thread.*`,
    /// `context.*`, `error-context.*`.
    case builtin(CanonicalBuiltin)
}

/// `start` 🪙: call a component function with values when instantiating.
public struct StartDefinition: Sendable, Hashable {
    public var function: UInt32
    public var arguments: [UInt32]
    public var resultCount: UInt32
}

/// An import of a component (or component type).
public struct ComponentImport: Sendable, Hashable {
    public var name: ComponentExternName
    public var type: ExternDescriptor
}

/// An export of a component, with its optional ascribed type.
public struct ComponentExport: Sendable, Hashable {
    public var name: ComponentExternName
    public var item: ComponentSortIndex
    public var type: ExternDescriptor?
}

/// One section of a component, in binary order.
public struct ComponentSection: Sendable {
    public enum Content: Sendable {
        case custom(name: String, payload: Range<Int>)
        case coreModule(CoreModuleDefinition)
        case coreInstances([Positioned<CoreInstanceDefinition>])
        case coreTypes([Positioned<CoreTypeDefinition>])
        case component(ComponentSyntax)
        case instances([Positioned<InstanceDefinition>])
        case aliases([Positioned<AliasDefinition>])
        case types([Positioned<TypeDefinition>])
        case canonicals([Positioned<CanonicalFunction>])
        case start(Positioned<StartDefinition>)
        case imports([Positioned<ComponentImport>])
        case exports([Positioned<ComponentExport>])
        /// 🪙 values (section 12): kept as bytes.
        case values(count: UInt32)
    }

    /// The section id (0 custom, 1 core module, ..., 11 export, 12 value).
    public var id: UInt8
    /// From the id byte to the end of the payload.
    public var range: Range<Int>
    public var payload: Range<Int>
    public var content: Content

    /// "custom", "core module", "core instance", "core type", "component", "instance", "alias",
    /// "type", "canon", "start", "import", "export", "value".
    public static func name(ofSection id: UInt8) -> String {
        let names = [
            "custom", "core module", "core instance", "core type", "component", "instance", "alias", "type",
            "canon", "start", "import", "export", "value",
        ]
        return Int(id) < names.count ? names[Int(id)] : "unknown"
    }

    public var name: String { Self.name(ofSection: id) }
}

/// A decoded (well-formed, not yet validated) component: its sections in order.
public struct ComponentSyntax: Sendable {
    /// Where the component lies in the outermost binary (the whole binary at the top level).
    public var range: Range<Int>
    public var sections: [ComponentSection]
}

extension Positioned: Equatable where Value: Equatable {}
extension Positioned: Hashable where Value: Hashable {}
