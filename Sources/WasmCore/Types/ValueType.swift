/// A WebAssembly value type: a number, a vector, or a reference type `(ref null? heaptype)`.
///
/// Spec: https://webassembly.github.io/spec/core/syntax/types.html#value-types
/// Reference types (typed function references, Wasm 3.0): a heap type — abstract (`func`,
/// `extern`, `exn` and their bottoms `nofunc`, `noextern`, `noexn`) or a defined function
/// type by index — and whether null is a value. `funcref` is `(ref null func)`. The GC
/// proposal's heap types are not supported (the decoder says so).
public struct ValueType: Sendable, Hashable, CustomStringConvertible {
    /// The type byte of a number or vector type, or the heap type's byte for a reference
    /// (`concreteCode` for a defined type).
    public let code: UInt8
    /// References: whether null is a value of this type.
    public let isNullable: Bool
    /// A reference to a defined type: its type index (in the module's type index space, or a
    /// canonical id when `isCanonical`).
    public let typeIndex: UInt32

    /// `code` of a reference to a defined type.
    static let concreteCode: UInt8 = 0x00
    /// `typeIndex` bit marking a canonical type id (`TypeRegistry`) instead of a module's index.
    static let canonicalBit: UInt32 = 0x8000_0000

    init(code: UInt8, nullable: Bool = false, typeIndex: UInt32 = 0) {
        self.code = code
        self.isNullable = nullable
        self.typeIndex = typeIndex
    }

    public static let i32 = ValueType(code: 0x7F)
    public static let i64 = ValueType(code: 0x7E)
    public static let f32 = ValueType(code: 0x7D)
    public static let f64 = ValueType(code: 0x7C)
    public static let v128 = ValueType(code: 0x7B)
    /// `(ref null func)`.
    public static let funcref = ValueType(code: 0x70, nullable: true)
    /// `(ref null extern)`.
    public static let externref = ValueType(code: 0x6F, nullable: true)
    /// `(ref null exn)`: a reference to an exception (exception handling).
    public static let exnref = ValueType(code: 0x69, nullable: true)

    /// A heap type of a reference type.
    public enum HeapType: Sendable, Hashable {
        case function, extern, exception
        case noFunction, noExtern, noException
        /// A defined function type, by type index.
        case defined(UInt32)
    }

    /// The reference type `(ref null? heap)`.
    public static func reference(_ heap: HeapType, nullable: Bool) -> ValueType {
        switch heap {
        case .function: ValueType(code: 0x70, nullable: nullable)
        case .extern: ValueType(code: 0x6F, nullable: nullable)
        case .exception: ValueType(code: 0x69, nullable: nullable)
        case .noFunction: ValueType(code: 0x73, nullable: nullable)
        case .noExtern: ValueType(code: 0x72, nullable: nullable)
        case .noException: ValueType(code: 0x74, nullable: nullable)
        case .defined(let index): ValueType(code: concreteCode, nullable: nullable, typeIndex: index)
        }
    }

    /// The one-byte types: numbers, `v128` and the abbreviated reference types (0x70 `funcref`,
    /// 0x6F `externref`, 0x69 `exnref`, 0x73 `nullfuncref`, 0x72 `nullexternref`, 0x74 `nullexnref`).
    public init?(rawValue: UInt8) {
        switch rawValue {
        case 0x7B...0x7F: self.init(code: rawValue)
        case 0x70, 0x6F, 0x69, 0x73, 0x72, 0x74: self.init(code: rawValue, nullable: true)
        default: return nil
        }
    }

    /// Whether this is a reference type.
    public var isReference: Bool { code < 0x7B }

    /// The heap type of a reference type (nil for numbers and vectors).
    public var heapType: HeapType? {
        switch code {
        case 0x70: .function
        case 0x6F: .extern
        case 0x69: .exception
        case 0x73: .noFunction
        case 0x72: .noExtern
        case 0x74: .noException
        case ValueType.concreteCode: .defined(typeIndex)
        default: nil
        }
    }

    /// References to functions (`func`, `nofunc`, defined function types).
    var isFunctionReference: Bool { code == 0x70 || code == 0x73 || code == ValueType.concreteCode }
    /// References to host values (`extern`, `noextern`).
    var isExternReference: Bool { code == 0x6F || code == 0x72 }
    /// References to exceptions (`exn`, `noexn`).
    var isExceptionReference: Bool { code == 0x69 || code == 0x74 }

    /// Whether a local of this type starts out with a value (numbers, vectors, nullable references).
    public var isDefaultable: Bool { !isReference || isNullable }

    /// The same reference type, nullable or not.
    func withNullable(_ nullable: Bool) -> ValueType { ValueType(code: code, nullable: nullable, typeIndex: typeIndex) }

    public var description: String {
        switch code {
        case 0x7F: return "i32"
        case 0x7E: return "i64"
        case 0x7D: return "f32"
        case 0x7C: return "f64"
        case 0x7B: return "v128"
        default: break
        }
        let heap: String
        switch heapType {
        case .function: if isNullable { return "funcref" } else { heap = "func" }
        case .extern: if isNullable { return "externref" } else { heap = "extern" }
        case .exception: if isNullable { return "exnref" } else { heap = "exn" }
        case .noFunction: heap = "nofunc"
        case .noExtern: heap = "noextern"
        case .noException: heap = "noexn"
        case .defined(let i): heap = i & ValueType.canonicalBit != 0 ? "type#\(i & ~ValueType.canonicalBit)" : "\(i)"
        case nil: heap = "?"
        }
        return isNullable ? "(ref null \(heap))" : "(ref \(heap))"
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
    /// Whether the memory is `shared` (threads proposal; limits flag bit 1). A shared memory
    /// must have a maximum, and an import matches only a memory with the same flag.
    public var isShared: Bool
    public init(limits: Limits, is64: Bool = false, isShared: Bool = false) {
        self.limits = limits
        self.is64 = is64
        self.isShared = isShared
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
