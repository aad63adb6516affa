import WasmCore

/// A component value type written down by an embedder, for code that moves values through the
/// canonical ABI without a component binary to take the types from: core modules built by a
/// bindings generator (wit-bindgen) that follow the canonical ABI but were never wrapped into a
/// component. `CoreCanonicalABI` lifts and lowers values of these types.
///
/// The cases mirror WIT's types; type names (`type store = u32`) and case names are not needed
/// by the ABI, only the shape: an `enum` is its case count, a `variant` its payload types.
///
/// Spec: component-model `design/mvp/CanonicalABI.md` (the same layouts as components').
public indirect enum CanonicalType: Sendable {
    case bool, s8, u8, s16, u16, s32, u32, s64, u64, f32, f64, char, string
    case list(CanonicalType)
    /// Field types in declaration order.
    case record([CanonicalType])
    case tuple([CanonicalType])
    /// Each case's payload type (nil for a case without one), in declaration order.
    case variant([CanonicalType?])
    /// An `enum` with `cases` cases.
    case enumeration(cases: Int)
    case option(CanonicalType)
    case result(ok: CanonicalType?, error: CanonicalType?)
    /// `flags` with `count` flags.
    case flags(count: Int)

    /// The resolved layout (size, alignment, flattening) the lift and lower code works from.
    var abi: ABIType {
        switch self {
        case .bool: return .bool
        case .s8: return .s8
        case .u8: return .u8
        case .s16: return .s16
        case .u16: return .u16
        case .s32: return .s32
        case .u32: return .u32
        case .s64: return .s64
        case .u64: return .u64
        case .f32: return .f32
        case .f64: return .f64
        case .char: return .char
        case .string: return .string
        case .list(let e): return ABIType(kind: .list(e.abi), size: 8, alignment: 4, flat: [.i32, .i32])
        case .record(let fields): return .record(fields.map(\.abi), tuple: false)
        case .tuple(let fields): return .record(fields.map(\.abi), tuple: true)
        case .variant(let cases): return .variant(cases.map { $0?.abi }, style: .variant)
        case .enumeration(let n): return .variant(Array(repeating: nil, count: n), style: .enumeration)
        case .option(let t): return .variant([nil, t.abi], style: .option)
        case .result(let ok, let error): return .variant([ok?.abi, error?.abi], style: .result)
        case .flags(let n): return .flags(n)
        }
    }

    /// The type's size in linear memory, in bytes (`elem_size`).
    public var size: Int { abi.size }

    /// The type's alignment in linear memory, in bytes.
    public var alignment: Int { abi.alignment }
}

/// A function type resolved once for the canonical ABI (synchronous): how its parameters and
/// result flatten into core values, and the core types a module imports (`canon lower`) or
/// exports (`canon lift`) it with.
public struct CanonicalFunctionType: @unchecked Sendable {
    let abi: FunctionABI

    /// Parameter types in order, and the result type (nil: the function returns nothing).
    public init(parameters: [CanonicalType], result: CanonicalType?) {
        abi = FunctionABI(parameters: parameters.map(\.abi), result: result?.abi)
    }

    /// Whether the function returns a value.
    public var hasResult: Bool { abi.result != nil }

    /// The flat parameters: each parameter's core values, or one pointer when there are more
    /// than 16 of them (the caller then passes the parameters in memory).
    private var flatParameters: [ValueType] {
        abi.parametersSpill ? [.i32] : abi.parameters.flatMap(\.flat)
    }

    /// The core type of the function as a module imports it: a result that flattens to more
    /// than one value is written through a pointer the caller adds as the last parameter.
    public var importType: FunctionType {
        guard let r = abi.result else { return FunctionType(parameters: flatParameters, results: []) }
        if abi.resultSpills { return FunctionType(parameters: flatParameters + [.i32], results: []) }
        return FunctionType(parameters: flatParameters, results: r.flat)
    }

    /// The core type of the function as a module exports it: a result that flattens to more
    /// than one value is returned as a pointer into the module's memory.
    public var exportType: FunctionType {
        guard let r = abi.result else { return FunctionType(parameters: flatParameters, results: []) }
        return FunctionType(parameters: flatParameters, results: abi.resultSpills ? [.i32] : r.flat)
    }
}
