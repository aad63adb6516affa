import WasmCore

/// The two NaN patterns an expected float result may use instead of a bit pattern.
///
/// Spec: https://github.com/WebAssembly/spec/tree/main/interpreter#scripts (`nan:canonical`, `nan:arithmetic`)
public enum NaNPattern: String, Sendable, Hashable {
    /// Any NaN whose payload is exactly the canonical one (only the top mantissa bit), either sign.
    case canonical = "nan:canonical"
    /// Any NaN with the top mantissa bit set (other payload bits arbitrary), either sign.
    case arithmetic = "nan:arithmetic"

    /// Whether the f32 bit pattern `bits` matches this pattern.
    public func matches(f32 bits: UInt32) -> Bool {
        switch self {
        case .canonical: (bits & 0x7fff_ffff) == 0x7fc0_0000
        case .arithmetic: (bits & 0x7fc0_0000) == 0x7fc0_0000
        }
    }

    /// Whether the f64 bit pattern `bits` matches this pattern.
    public func matches(f64 bits: UInt64) -> Bool {
        switch self {
        case .canonical: (bits & 0x7fff_ffff_ffff_ffff) == 0x7ff8_0000_0000_0000
        case .arithmetic: (bits & 0x7ff8_0000_0000_0000) == 0x7ff8_0000_0000_0000
        }
    }
}

/// A value as written in a wast2json script: an argument or an expected result.
public enum SpecValue: Sendable, Hashable, CustomStringConvertible {
    /// A concrete value; as an expected result it must match bit for bit
    /// (references: the same null-ness and, for externref, the same host number).
    case value(Value)
    /// An f32 result that must be a NaN of the pattern.
    case f32NaN(NaNPattern)
    /// An f64 result that must be a NaN of the pattern.
    case f64NaN(NaNPattern)
    /// Any non-null function reference (WABT writes `(ref.func)` as `{"type": "funcref", "value": "0"}`).
    case nonNullFuncref
    /// A 128-bit vector: lane type (`i8` ... `f64`) and lane strings, lane 0 first (decimal bit
    /// patterns; float lanes of expected results may be NaN patterns).
    case v128(laneType: String, lanes: [String])
    /// A type the engine does not model (GC reference types, exnref, a bare `{"type": T}`, ...).
    case unsupported(type: String, value: String?)
    /// A component-level value (the Component Model's tests): its type name (`u32`, `string`,
    /// `list`, `record`, `variant`, ...) and its JSON, interpreted with the function's type.
    case component(type: String, json: SpecJSON)

    public var description: String {
        switch self {
        case .value(let v): SpecValue.describe(v)
        case .f32NaN(let p): "f32:\(p.rawValue)"
        case .f64NaN(let p): "f64:\(p.rawValue)"
        case .nonNullFuncref: "funcref:non-null"
        case .v128(let lane, let lanes): "v128:\(lane)x[\(lanes.joined(separator: " "))]"
        case .unsupported(let t, let v): v.map { "\(t):\($0)" } ?? t
        case .component(let t, let json): "\(t):\(json)"
        }
    }

    /// Whether an actual result satisfies this expected value.
    public func matches(_ actual: Value) -> Bool {
        switch (self, actual) {
        // `Value` equality is bitwise for numbers and identity for function references.
        case (.value(let e), _): e == actual
        case (.f32NaN(let p), .f32(let bits)): p.matches(f32: bits)
        case (.f64NaN(let p), .f64(let bits)): p.matches(f64: bits)
        case (.nonNullFuncref, .funcref(let f)): f != nil
        case (.v128(let laneType, let lanes), .v128(let v)): SpecValue.lanes(v, laneType: laneType, match: lanes)
        default: false
        }
    }

    /// Bytes per lane of a v128 lane type.
    static func laneWidth(_ laneType: String) -> Int? {
        switch laneType {
        case "i8": 1
        case "i16": 2
        case "i32", "f32": 4
        case "i64", "f64": 8
        default: nil
        }
    }

    /// The vector whose lanes (lane 0 first) are the decimal bit patterns `lanes`.
    static func vector(laneType: String, lanes: [String]) -> V128? {
        guard let width = laneWidth(laneType), lanes.count * width == 16 else { return nil }
        var bytes: [UInt8] = []
        for lane in lanes {
            guard let bits = parseInteger(lane, as: UInt64.self) else { return nil }
            for i in 0..<width { bytes.append(UInt8(truncatingIfNeeded: bits >> (8 * i))) }
        }
        return V128(bytes: bytes)
    }

    /// Whether every lane of `v` equals (or, for a NaN pattern, matches) the expected lane.
    static func lanes(_ v: V128, laneType: String, match expected: [String]) -> Bool {
        guard let width = laneWidth(laneType), expected.count * width == 16 else { return false }
        let bytes = v.bytes
        for (i, lane) in expected.enumerated() {
            var bits: UInt64 = 0
            for j in 0..<width { bits |= UInt64(bytes[i * width + j]) << (8 * j) }
            if let pattern = NaNPattern(rawValue: lane) {
                let ok =
                    laneType == "f32"
                    ? pattern.matches(f32: UInt32(truncatingIfNeeded: bits)) : pattern.matches(f64: bits)
                guard ok, laneType.hasPrefix("f") else { return false }
                continue
            }
            guard let want = parseInteger(lane, as: UInt64.self) else { return false }
            let mask: UInt64 = width == 8 ? ~0 : (1 << (8 * UInt64(width))) - 1
            guard bits == want & mask else { return false }
        }
        return true
    }

    /// The engine value to pass as an argument, or nil when this value cannot be passed.
    public var argumentValue: Value? {
        switch self {
        case .value(let v): v
        case .v128(let laneType, let lanes): SpecValue.vector(laneType: laneType, lanes: lanes).map { .v128($0) }
        default: nil
        }
    }

    /// A readable form of an engine value; floats show their bit pattern as well.
    public static func describe(_ v: Value) -> String {
        switch v {
        case .i32(let b): "i32:\(b)"
        case .i64(let b): "i64:\(b)"
        case .f32(let b): "f32:\(b) (0x\(String(b, radix: 16)) \(Float(bitPattern: b)))"
        case .f64(let b): "f64:\(b) (0x\(String(b, radix: 16)) \(Double(bitPattern: b)))"
        case .funcref(let f): f == nil ? "funcref:null" : "funcref:non-null"
        case .externref(let e): e.map { "externref:\($0)" } ?? "externref:null"
        case .v128(let v): "v128:[\(v)]"
        case .exnref(let e): e == nil ? "exnref:null" : "exnref:non-null"
        }
    }

    /// Parses `{"type": T, "value": V}` (V a decimal bit-pattern string, a NaN pattern,
    /// `"null"`, or for v128 an array of lane strings).
    public static func parse(_ json: Any) throws(SpecParseError) -> SpecValue {
        guard let object = json as? [String: Any] else {
            throw SpecParseError("value is not an object: \(json)")
        }
        guard let type = object["type"] as? String else {
            throw SpecParseError("value without a type: \(object)")
        }
        let raw = object["value"]
        if type == "v128" {
            guard let raw else { return .unsupported(type: "v128", value: nil) }
            guard let lanes = raw as? [Any] else { throw SpecParseError("v128 value is not a lane list") }
            let laneType = object["lane_type"] as? String ?? "?"
            return .v128(laneType: laneType, lanes: lanes.map { "\($0)" })
        }
        // wasm-tools writes `(ref.func)` (any non-null function reference) without a value.
        if raw == nil && type == "funcref" { return .nonNullFuncref }
        guard let raw else { return .unsupported(type: type, value: nil) }
        if SpecValue.componentTypes.contains(type) {
            return .component(type: type, json: SpecJSON(raw))
        }
        guard let text = raw as? String else {
            // Component values (the Component Model's tests): bools as numbers, lists, records, ...
            if !["i32", "i64", "f32", "f64", "funcref", "externref", "exnref"].contains(type) {
                return .unsupported(type: type, value: "\(raw)")
            }
            throw SpecParseError("\(type) value is not a string: \(raw)")
        }
        return try parse(type: type, value: text)
    }

    /// The type names of component values (`f32`/`f64` are read as core values).
    static let componentTypes: Set<String> = [
        "bool", "s8", "u8", "s16", "u16", "s32", "u32", "s64", "u64", "char", "string", "list", "record", "tuple",
        "variant", "enum", "option", "result", "flags", "own", "borrow",
    ]

    /// Parses one scalar value given its type name and its string.
    public static func parse(type: String, value text: String) throws(SpecParseError) -> SpecValue {
        switch type {
        case "i32":
            guard let v = parseInteger(text, as: UInt32.self) else { throw SpecParseError("bad i32 \"\(text)\"") }
            return .value(.i32(v))
        case "i64":
            guard let v = parseInteger(text, as: UInt64.self) else { throw SpecParseError("bad i64 \"\(text)\"") }
            return .value(.i64(v))
        case "f32":
            if let p = NaNPattern(rawValue: text) { return .f32NaN(p) }
            guard let v = parseInteger(text, as: UInt32.self) else { throw SpecParseError("bad f32 \"\(text)\"") }
            return .value(.f32(v))
        case "f64":
            if let p = NaNPattern(rawValue: text) { return .f64NaN(p) }
            guard let v = parseInteger(text, as: UInt64.self) else { throw SpecParseError("bad f64 \"\(text)\"") }
            return .value(.f64(v))
        case "funcref":
            if text == "null" { return .value(.funcref(nil)) }
            guard UInt64(text) != nil else { throw SpecParseError("bad funcref \"\(text)\"") }
            return .nonNullFuncref
        case "exnref":
            if text == "null" { return .value(.exnref(nil)) }
            return .unsupported(type: type, value: text)
        case "externref":
            if text == "null" { return .value(.externref(nil)) }
            guard let n = UInt64(text) else { throw SpecParseError("bad externref \"\(text)\"") }
            return .value(.externref(n))
        default:
            return .unsupported(type: type, value: text)
        }
    }

    /// An unsigned decimal bit pattern; a leading `-` (not written by wast2json) is read as two's complement.
    static func parseInteger<T: FixedWidthInteger & UnsignedInteger>(_ text: String, as _: T.Type) -> T? {
        if let v = T(text) { return v }
        if text.hasPrefix("-"), let magnitude = T(text.dropFirst()), magnitude <= (T.max >> 1) + 1 {
            return 0 &- magnitude
        }
        return nil
    }
}

/// The JSON script could not be understood.
public struct SpecParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
