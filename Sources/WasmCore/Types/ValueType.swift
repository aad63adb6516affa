/// A WebAssembly value type.
///
/// Spec: https://webassembly.github.io/spec/core/syntax/types.html#value-types
public enum ValueType: UInt8, Sendable, Hashable, CustomStringConvertible {
    case i32 = 0x7F
    case i64 = 0x7E
    case f32 = 0x7D
    case f64 = 0x7C
    case v128 = 0x7B
    case funcref = 0x70
    case externref = 0x6F
    /// A reference to an exception (exception handling; `(ref null exn)`).
    case exnref = 0x69

    /// Whether this is a reference type (`funcref`, `externref` or `exnref`).
    public var isReference: Bool { self == .funcref || self == .externref || self == .exnref }

    public var description: String {
        switch self {
        case .i32: "i32"
        case .i64: "i64"
        case .f32: "f32"
        case .f64: "f64"
        case .v128: "v128"
        case .funcref: "funcref"
        case .externref: "externref"
        case .exnref: "exnref"
        }
    }
}

/// A function signature.
///
/// Spec: https://webassembly.github.io/spec/core/syntax/types.html#function-types
public struct FunctionType: Sendable, Hashable, CustomStringConvertible {
    public var parameters: [ValueType]
    public var results: [ValueType]

    public init(parameters: [ValueType] = [], results: [ValueType] = []) {
        self.parameters = parameters
        self.results = results
    }

    public var description: String {
        "(" + parameters.map(\.description).joined(separator: ", ") + ") -> ("
            + results.map(\.description).joined(separator: ", ") + ")"
    }
}

/// Size bounds of a memory (in 64 KiB pages) or a table (in elements).
///
/// Spec: https://webassembly.github.io/spec/core/syntax/types.html#limits
public struct Limits: Sendable, Hashable, CustomStringConvertible {
    public var min: UInt64
    public var max: UInt64?

    public init(min: UInt64, max: UInt64? = nil) {
        self.min = min
        self.max = max
    }

    public var description: String {
        if let max { return "\(min)..\(max)" }
        return "\(min).."
    }
}

/// Spec: https://webassembly.github.io/spec/core/syntax/types.html#memory-types
public struct MemoryType: Sendable, Hashable {
    public var limits: Limits
    /// Whether addresses are i64 (memory64) rather than i32.
    public var is64: Bool
    public init(limits: Limits, is64: Bool = false) {
        self.limits = limits
        self.is64 = is64
    }
    /// The type of the memory's addresses: `i64` for a 64-bit memory, else `i32`.
    public var addressType: ValueType { is64 ? .i64 : .i32 }
}

/// Spec: https://webassembly.github.io/spec/core/syntax/types.html#table-types
public struct TableType: Sendable, Hashable {
    public var elementType: ValueType
    public var limits: Limits
    /// Whether element indices are i64 (table64, part of memory64) rather than i32.
    public var is64: Bool
    public init(elementType: ValueType, limits: Limits, is64: Bool = false) {
        self.elementType = elementType
        self.limits = limits
        self.is64 = is64
    }
    /// The type of the table's indices: `i64` for a 64-bit table, else `i32`.
    public var addressType: ValueType { is64 ? .i64 : .i32 }
}

/// Spec: https://webassembly.github.io/spec/core/syntax/types.html#global-types
public struct GlobalType: Sendable, Hashable {
    public var valueType: ValueType
    public var isMutable: Bool
    public init(valueType: ValueType, isMutable: Bool) {
        self.valueType = valueType
        self.isMutable = isMutable
    }
}

/// The kind of an import or export.
public enum ExternalKind: UInt8, Sendable, Hashable, CustomStringConvertible {
    case function = 0
    case table = 1
    case memory = 2
    case global = 3
    /// An exception tag (exception handling).
    case tag = 4

    public var description: String {
        switch self {
        case .function: "func"
        case .table: "table"
        case .memory: "memory"
        case .global: "global"
        case .tag: "tag"
        }
    }
}
