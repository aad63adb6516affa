/// An exception tag: the identity that `catch` clauses match and the types of the values an
/// exception with it carries. Two tags are the same only if they are the same object (a
/// module's tag is new per instance; an imported tag is the exporter's).
///
/// Spec: https://webassembly.github.io/spec/core/exec/runtime.html#tag-instances
public final class Tag: @unchecked Sendable, CustomStringConvertible {
    /// The tag's type: its parameters are the exception's values; it has no results.
    public let type: FunctionType
    /// Canonical id of `type` (see `TypeRegistry`), for import matching.
    let typeID: Int

    /// A new tag, distinct from every other, with values of the types `type.parameters`.
    public init(type: FunctionType) {
        self.type = type
        self.typeID = TypeRegistry.shared.id(of: type)
    }

    init(type: FunctionType, typeID: Int) {
        self.type = type
        self.typeID = typeID
    }

    public var description: String { "tag \(type)" }
}

/// A WebAssembly exception: a tag and the values thrown with it.
///
/// Thrown (as a Swift error) out of `Store.invoke`/`Instance.invoke` when guest code throws
/// an exception that no guest handler catches; a host function throws one (built with
/// `init(tag:values:)` on a tag the guest knows) to raise a guest exception that the
/// guest's `try_table`/`try` can catch. It is also the value of an `exnref`.
///
/// Spec: https://webassembly.github.io/spec/core/exec/runtime.html#exception-instances
public final class Exception: Error, @unchecked Sendable, Hashable, CustomStringConvertible {
    public let tag: Tag
    /// The values in the engine's slot form (low halves), and the high halves of v128s.
    let slots: [UInt64]
    let highs: [UInt64]

    /// An exception with `tag` carrying `values` (which must match the tag's parameter types).
    public init(tag: Tag, values: [Value]) throws {
        guard values.count == tag.type.parameters.count,
            zip(values, tag.type.parameters).allSatisfy({ $0.isInstance(of: $1) })
        else {
            throw Trap(.host("exception values \(values) do not match \(tag)"))
        }
        self.tag = tag
        self.slots = values.map(\.slot)
        self.highs = values.map(\.highSlot)
    }

    init(tag: Tag, slots: [UInt64], highs: [UInt64]) {
        self.tag = tag
        self.slots = slots
        self.highs = highs
    }

    /// The values thrown with the tag.
    public var values: [Value] {
        tag.type.parameters.indices.map { Value(slot: slots[$0], high: highs[$0], type: tag.type.parameters[$0]) }
    }

    public static func == (a: Exception, b: Exception) -> Bool { a === b }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }

    public var description: String { "uncaught exception: \(tag) with values \(values)" }

    /// The slot form of an `exnref` to this exception (the store keeps it alive).
    var slot: UInt64 { UInt64(UInt(bitPattern: Unmanaged.passUnretained(self).toOpaque())) }

    /// The exception an `exnref` slot refers to; nil for null.
    static func from(slot: UInt64) -> Exception? {
        guard let p = UnsafeRawPointer(bitPattern: UInt(slot)) else { return nil }
        return Unmanaged<Exception>.fromOpaque(p).takeUnretainedValue()
    }
}
