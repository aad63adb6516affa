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
        }
    }

    /// The default (zero or null) value of a type.
    public static func zero(_ type: ValueType) -> Value {
        switch type {
        case .i32: .i32(0)
        case .i64: .i64(0)
        case .f32: .f32(0)
        case .f64: .f64(0)
        case .funcref: .funcref(nil)
        case .externref, .v128: .externref(nil)
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
        }
    }

    /// Rebuilds a value of `type` from a slot.
    @inline(__always)
    init(slot: UInt64, type: ValueType) {
        switch type {
        case .i32: self = .i32(UInt32(truncatingIfNeeded: slot))
        case .i64: self = .i64(slot)
        case .f32: self = .f32(UInt32(truncatingIfNeeded: slot))
        case .f64: self = .f64(slot)
        case .funcref: self = .funcref(FunctionEntity.object(fromSlot: slot))
        case .externref, .v128: self = .externref(slot == 0 ? nil : slot &- 1)
        }
    }
}
