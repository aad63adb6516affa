import WasmCore

/// A component value type resolved once (at link time) into what the Canonical ABI needs to
/// move values of it: its shape, in-memory size and alignment, field offsets and flattening.
///
/// Spec: component-model `design/mvp/CanonicalABI.md` ("Alignment", "Element Size",
/// "Flattening").
final class ABIType: @unchecked Sendable {
    /// How a variant-shaped type is presented as a `ComponentValue`.
    enum VariantStyle {
        case variant
        case enumeration
        case option
        case result
    }

    enum Kind {
        case bool, s8, u8, s16, u16, s32, u32, s64, u64, f32, f64, char, string
        case list(ABIType)
        case fixedList(ABIType, Int)
        case record([ABIType])
        case tuple([ABIType])
        case variant([ABIType?], VariantStyle)
        case flags(Int)
        case own(ResourceID)
        case borrow(ResourceID)
        /// A type instantiation cannot move (stream, future, map, error-context).
        case unsupported(String)
    }

    let kind: Kind
    let size: Int
    let alignment: Int
    /// The core types of the flattened value.
    let flat: [ValueType]
    /// Record/tuple: each field's offset. Variant: `[discriminant size, payload offset]`.
    let offsets: [Int]

    init(kind: Kind, size: Int, alignment: Int, flat: [ValueType], offsets: [Int] = []) {
        self.kind = kind
        self.size = size
        self.alignment = alignment
        self.flat = flat
        self.offsets = offsets
    }

    /// Whether this is `list<u8>` (lifted and lowered as one copy).
    var isByteList: Bool {
        if case .list(let e) = kind, case .u8 = e.kind { return true }
        return false
    }

    static func alignUp(_ x: Int, _ a: Int) -> Int { (x + a - 1) / a * a }

    static func primitive(_ k: Kind, _ size: Int, _ flat: ValueType) -> ABIType {
        ABIType(kind: k, size: size, alignment: size, flat: [flat])
    }

    static let bool = ABIType(kind: .bool, size: 1, alignment: 1, flat: [.i32])
    static let s8 = primitive(.s8, 1, .i32)
    static let u8 = primitive(.u8, 1, .i32)
    static let s16 = primitive(.s16, 2, .i32)
    static let u16 = primitive(.u16, 2, .i32)
    static let s32 = primitive(.s32, 4, .i32)
    static let u32 = primitive(.u32, 4, .i32)
    static let s64 = primitive(.s64, 8, .i64)
    static let u64 = primitive(.u64, 8, .i64)
    static let f32 = primitive(.f32, 4, .f32)
    static let f64 = primitive(.f64, 8, .f64)
    static let char = primitive(.char, 4, .i32)
    static let string = ABIType(kind: .string, size: 8, alignment: 4, flat: [.i32, .i32])

    static func record(_ fields: [ABIType], tuple: Bool) -> ABIType {
        var size = 0
        var align = 1
        var offsets: [Int] = []
        for f in fields {
            size = alignUp(size, f.alignment)
            offsets.append(size)
            size += f.size
            align = max(align, f.alignment)
        }
        return ABIType(
            kind: tuple ? .tuple(fields) : .record(fields), size: alignUp(size, align), alignment: align,
            flat: fields.flatMap(\.flat), offsets: offsets)
    }

    static func variant(_ cases: [ABIType?], style: VariantStyle) -> ABIType {
        let n = cases.count
        let discriminant = n <= 1 << 8 ? 1 : n <= 1 << 16 ? 2 : 4
        var caseSize = 0
        var caseAlign = 1
        var flat: [ValueType] = []
        for c in cases {
            guard let c else { continue }
            caseSize = max(caseSize, c.size)
            caseAlign = max(caseAlign, c.alignment)
            for (i, t) in c.flat.enumerated() {
                if i < flat.count {
                    flat[i] = join(flat[i], t)
                } else {
                    flat.append(t)
                }
            }
        }
        let align = max(discriminant, caseAlign)
        let payload = alignUp(discriminant, caseAlign)
        return ABIType(
            kind: .variant(cases, style), size: alignUp(payload + caseSize, align), alignment: align,
            flat: [.i32] + flat, offsets: [discriminant, payload])
    }

    static func join(_ a: ValueType, _ b: ValueType) -> ValueType {
        if a == b { return a }
        if (a == .i32 && b == .f32) || (a == .f32 && b == .i32) { return .i32 }
        return .i64
    }

    static func flags(_ count: Int) -> ABIType {
        let size = count == 0 ? 0 : count <= 8 ? 1 : count <= 16 ? 2 : 4 * ((count + 31) / 32)
        let flat = [ValueType](repeating: .i32, count: (count + 31) / 32)
        return ABIType(kind: .flags(count), size: size, alignment: count <= 8 ? 1 : count <= 16 ? 2 : 4, flat: flat)
    }
}

extension ABIType: CustomStringConvertible {
    /// The type in WIT-like syntax, for messages (`list<u8>`, `result<string, u32>`).
    var description: String {
        func list(_ ts: [ABIType?]) -> String { ts.map { $0?.description ?? "_" }.joined(separator: ", ") }
        switch kind {
        case .bool: return "bool"
        case .s8: return "s8"
        case .u8: return "u8"
        case .s16: return "s16"
        case .u16: return "u16"
        case .s32: return "s32"
        case .u32: return "u32"
        case .s64: return "s64"
        case .u64: return "u64"
        case .f32: return "f32"
        case .f64: return "f64"
        case .char: return "char"
        case .string: return "string"
        case .list(let e): return "list<\(e)>"
        case .fixedList(let e, let n): return "list<\(e), \(n)>"
        case .record(let fs): return "record { \(list(fs)) }"
        case .tuple(let fs): return "tuple<\(list(fs))>"
        case .variant(let cases, .variant): return "variant { \(list(cases)) }"
        case .variant(let cases, .enumeration): return "enum (\(cases.count) cases)"
        case .variant(let cases, .option): return "option<\(cases[1].map(\.description) ?? "_")>"
        case .variant(let cases, .result): return "result<\(list(cases))>"
        case .flags(let n): return "flags (\(n))"
        case .own: return "own<resource>"
        case .borrow: return "borrow<resource>"
        case .unsupported(let what): return what
        }
    }
}

/// Resolves component value types to `ABIType`s, memoised per defined type.
struct ABITypeResolver {
    let types: ComponentTypes
    private var cache: [TypeID: ABIType] = [:]

    init(types: ComponentTypes) { self.types = types }

    mutating func resolve(_ t: ComponentValueType) -> ABIType {
        switch t {
        case .primitive(let p): return Self.primitive(p)
        case .defined(let id):
            if let hit = cache[id] { return hit }
            let r = resolve(defined: types.defined(id)!)
            cache[id] = r
            return r
        }
    }

    static func primitive(_ p: PrimitiveValueType) -> ABIType {
        switch p {
        case .bool: .bool
        case .s8: .s8
        case .u8: .u8
        case .s16: .s16
        case .u16: .u16
        case .s32: .s32
        case .u32: .u32
        case .s64: .s64
        case .u64: .u64
        case .f32: .f32
        case .f64: .f64
        case .char: .char
        case .string: .string
        case .errorContext: ABIType(kind: .unsupported("error-context"), size: 4, alignment: 4, flat: [.i32])
        }
    }

    private mutating func resolve(defined d: ComponentDefinedType) -> ABIType {
        switch d {
        case .primitive(let p): return Self.primitive(p)
        case .record(let fields): return .record(fields.map { resolve($0.type!) }, tuple: false)
        case .tuple(let ts): return .record(ts.map { resolve($0) }, tuple: true)
        case .list(let e): return ABIType(kind: .list(resolve(e)), size: 8, alignment: 4, flat: [.i32, .i32])
        case .fixedList(let e, let n):
            let element = resolve(e)
            return ABIType(
                kind: .fixedList(element, Int(n)), size: element.size * Int(n), alignment: element.alignment,
                flat: Array([[ValueType]](repeating: element.flat, count: Int(n)).joined()))
        case .variant(let cases): return .variant(cases.map { $0.type.map { resolve($0) } }, style: .variant)
        case .enum(let names): return .variant(Array(repeating: nil, count: names.count), style: .enumeration)
        case .option(let t): return .variant([nil, resolve(t)], style: .option)
        case .result(let ok, let error):
            return .variant([ok.map { resolve($0) }, error.map { resolve($0) }], style: .result)
        case .flags(let names): return .flags(names.count)
        case .own(let r): return ABIType(kind: .own(types.resource(r)!), size: 4, alignment: 4, flat: [.i32])
        case .borrow(let r): return ABIType(kind: .borrow(types.resource(r)!), size: 4, alignment: 4, flat: [.i32])
        case .stream: return ABIType(kind: .unsupported("stream"), size: 4, alignment: 4, flat: [.i32])
        case .future: return ABIType(kind: .unsupported("future"), size: 4, alignment: 4, flat: [.i32])
        case .map(let k, let v):
            // `map<K, V>` has the ABI of `list<tuple<K, V>>` (and lifts to a list of tuples).
            let entry = ABIType.record([resolve(k), resolve(v)], tuple: true)
            return ABIType(kind: .list(entry), size: 8, alignment: 4, flat: [.i32, .i32])
        }
    }

    /// The ABI of a function type: parameter and result types, flattened signatures, and
    /// whether parameters or results spill to memory.
    mutating func function(_ f: ComponentFunctionType) -> FunctionABI {
        let params = f.parameters.map { resolve($0.type) }
        let result = f.result.map { resolve($0) }
        return FunctionABI(parameters: params, result: result)
    }
}

/// A function type's Canonical ABI shape (synchronous ABI).
struct FunctionABI: @unchecked Sendable {
    static let maxFlatParams = 16
    static let maxFlatResults = 1

    let parameters: [ABIType]
    let result: ABIType?
    /// The parameters as one tuple (for spilling).
    let parameterTuple: ABIType
    /// The result as a one-element tuple (for spilling).
    let resultTuple: ABIType?
    let flatParameterCount: Int
    var parametersSpill: Bool { flatParameterCount > Self.maxFlatParams }
    var resultSpills: Bool { (result?.flat.count ?? 0) > Self.maxFlatResults }

    init(parameters: [ABIType], result: ABIType?) {
        self.parameters = parameters
        self.result = result
        parameterTuple = .record(parameters, tuple: true)
        resultTuple = result.map { .record([$0], tuple: true) }
        flatParameterCount = parameters.reduce(0) { $0 + $1.flat.count }
    }
}
