/// A component-level value: what a component function takes and returns, as the host sees it
/// after the canonical ABI has lifted it out of (or before it lowers it into) a guest's memory.
///
/// Spec: component-model `design/mvp/CanonicalABI.md` (lift/lower of every value type).
///
/// Resources: `own` and `borrow` carry the resource's *representation* (`rep`). For a resource
/// type the host defines (`ComponentLinker.defineResource`), the rep is the host's own number
/// (an index into a host table, say): the canonical ABI moves it in and out of the guest's
/// handle table, so host code never sees guest handle indices.
public indirect enum ComponentValue: Sendable, Hashable {
    case bool(Bool)
    case s8(Int8)
    case u8(UInt8)
    case s16(Int16)
    case u16(UInt16)
    case s32(Int32)
    case u32(UInt32)
    case s64(Int64)
    case u64(UInt64)
    case f32(Float)
    case f64(Double)
    case char(Unicode.Scalar)
    case string(String)
    /// A `list<T>` for any `T` except `u8`.
    case list([ComponentValue])
    /// A `list<u8>`, lifted and lowered as one copy.
    case bytes([UInt8])
    /// Field values in declaration order.
    case record([ComponentValue])
    case tuple([ComponentValue])
    /// The case index in declaration order and its payload, if the case has one.
    case variant(case: Int, payload: ComponentValue?)
    /// The case index in declaration order.
    case enumeration(Int)
    case option(ComponentValue?)
    /// `result` `ok` case, with its payload if the type has one.
    case ok(ComponentValue?)
    /// `result` `error` case, with its payload if the type has one.
    case err(ComponentValue?)
    /// The indices (declaration order) of the flags that are set.
    case flags(Set<Int>)
    /// An owned resource (its rep; see the type's documentation).
    case own(UInt32)
    /// A borrowed resource (its rep).
    case borrow(UInt32)
}
