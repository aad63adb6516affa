/// A WebAssembly value as seen by embedders.
///
/// Floats are carried as their IEEE-754 bit patterns so NaN payloads survive
/// round trips; use `Value.f32(Float)` / `Value.f64(Double)` helpers to build them.
public enum Value: Sendable, Hashable, CustomStringConvertible {
    case i32(UInt32)
    case i64(UInt64)
    /// Bit pattern of an f32.
    case f32(UInt32)
    /// Bit pattern of an f64.
    case f64(UInt64)
    /// A function reference, or null.
    case funcref(Function?)
    /// A host reference, or null. The payload is opaque to the engine.
    case externref(UInt64?)
    /// A 128-bit vector.
    case v128(V128)
    /// An exception reference (exception handling), or null.
    case exnref(Exception?)

    public static func float(_ v: Float) -> Value { .f32(v.bitPattern) }
    public static func double(_ v: Double) -> Value { .f64(v.bitPattern) }
    public static func int32(_ v: Int32) -> Value { .i32(UInt32(bitPattern: v)) }
    public static func int64(_ v: Int64) -> Value { .i64(UInt64(bitPattern: v)) }

    public var type: ValueType {
        switch self {
        case .i32: .i32
        case .i64: .i64
        case .f32: .f32
        case .f64: .f64
        case .funcref: .funcref
        case .externref: .externref
        case .v128: .v128
        case .exnref: .exnref
        }
    }

    /// The default (zero or null) value of a type (a non-nullable reference type has none: null is returned).
    public static func zero(_ type: ValueType) -> Value {
        Value(slot: 0, type: type)
    }

    /// Whether this value is of type `type` (or a subtype): the same number or vector type, or a
    /// reference of the same kind whose null-ness the type allows. (A function's exact defined
    /// type is checked where the type's module is known: `call_indirect`, `call_ref`.)
    public func isInstance(of type: ValueType) -> Bool {
        switch self {
        case .i32: type == .i32
        case .i64: type == .i64
        case .f32: type == .f32
        case .f64: type == .f64
        case .v128: type == .v128
        case .funcref(let f): type.isFunctionReference && (f == nil ? type.isNullable : type.code != 0x73)
        case .externref(let e): type.isExternReference && (e == nil ? type.isNullable : type.code != 0x72)
        case .exnref(let e): type.isExceptionReference && (e == nil ? type.isNullable : type.code != 0x74)
        }
    }

    public var description: String {
        switch self {
        case .i32(let v): "i32:\(Int32(bitPattern: v))"
        case .i64(let v): "i64:\(Int64(bitPattern: v))"
        case .f32(let v): "f32:\(Float(bitPattern: v))"
        case .f64(let v): "f64:\(Double(bitPattern: v))"
        case .funcref(let f): f == nil ? "funcref:null" : "funcref"
        case .externref(let e): e.map { "externref:\($0)" } ?? "externref:null"
        case .v128(let v): "v128:\(v)"
        case .exnref(let e): e == nil ? "exnref:null" : "exnref"
        }
    }
}

extension Value {
    /// The value in the engine's 64-bit slot representation.
    @inline(__always)
    var slot: UInt64 {
        switch self {
        case .i32(let v): UInt64(v)
        case .i64(let v): v
        case .f32(let v): UInt64(v)
        case .f64(let v): v
        case .funcref(let f): f.map { UInt64(UInt(bitPattern: $0.entity)) } ?? 0
        // Extern references are stored as payload + 1 so that 0 means null.
        case .externref(let e): e.map { $0 &+ 1 } ?? 0
        case .v128(let v): v.low
        case .exnref(let e): e?.slot ?? 0
        }
    }

    /// The high 64 bits of a v128 (kept in the slot's shadow, see `ExecutionStack`); 0 otherwise.
    @inline(__always)
    var highSlot: UInt64 {
        if case .v128(let v) = self { return v.high }
        return 0
    }

    /// Rebuilds a value of `type` from a slot and its shadow (the high half of a v128).
    @inline(__always)
    init(slot: UInt64, high: UInt64, type: ValueType) {
        if type == .v128 {
            self = .v128(V128(low: slot, high: high))
        } else {
            self.init(slot: slot, type: type)
        }
    }

    /// Rebuilds a value of `type` from a slot.
    @inline(__always)
    init(slot: UInt64, type: ValueType) {
        switch type.code {
        case 0x7F: self = .i32(UInt32(truncatingIfNeeded: slot))
        case 0x7E: self = .i64(slot)
        case 0x7D: self = .f32(UInt32(truncatingIfNeeded: slot))
        case 0x7C: self = .f64(slot)
        case 0x7B: self = .v128(V128(low: slot, high: 0))
        default:
            if type.isExternReference {
                self = .externref(slot == 0 ? nil : slot &- 1)
            } else if type.isExceptionReference {
                self = .exnref(Exception.from(slot: slot))
            } else {
                self = .funcref(FunctionEntity.object(fromSlot: slot))
            }
        }
    }
}

/// A 128-bit SIMD vector as two little-endian 64-bit halves: byte `i` of the
/// vector (lane 0 first) is byte `i % 8` of `low` (i < 8) or of `high`.
public struct V128: Sendable, Hashable, CustomStringConvertible {
    /// Bytes 0 through 7.
    public var low: UInt64
    /// Bytes 8 through 15.
    public var high: UInt64

    public init(low: UInt64, high: UInt64) {
        self.low = low
        self.high = high
    }

    /// A vector from its 16 bytes, lane 0 first.
    public init(bytes: [UInt8]) {
        precondition(bytes.count == 16, "a v128 has 16 bytes")
        var low: UInt64 = 0
        var high: UInt64 = 0
        for i in 0..<8 {
            low |= UInt64(bytes[i]) << (8 * i)
            high |= UInt64(bytes[i + 8]) << (8 * i)
        }
        self.init(low: low, high: high)
    }

    /// The 16 bytes, lane 0 first.
    public var bytes: [UInt8] {
        (0..<16).map { i in UInt8(truncatingIfNeeded: (i < 8 ? low : high) >> (8 * (i % 8))) }
    }

    /// Hexadecimal bytes, lane 0 first.
    public var description: String {
        bytes.map { b in String(b, radix: 16).count == 1 ? "0" + String(b, radix: 16) : String(b, radix: 16) }
            .joined(separator: " ")
    }
}
