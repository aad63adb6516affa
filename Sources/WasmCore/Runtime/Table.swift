/// A table instance.
///
/// Spec: https://webassembly.github.io/spec/core/exec/runtime.html#table-instances
public final class Table: @unchecked Sendable {
    /// The most elements a table may hold in this engine.
    public static let maxElements = 10_000_000

    let entity: UnsafeMutablePointer<TableEntity>
    public let type: TableType

    /// - Parameter limit: the most elements the table may grow to, below its type's
    ///   maximum (an embedder's limit); a larger initial size is a `LinkError`.
    public init(type: TableType, initialValue: Value? = nil, maxElements limit: Int? = nil) throws(LinkError) {
        self.type = type
        let count = Int(clamping: type.limits.min)
        guard count <= Table.maxElements else { throw LinkError("table of \(count) elements is too large") }
        var maxCount = Int(clamping: min(type.limits.max ?? UInt64(UInt32.max), UInt64(UInt32.max)))
        if let limit {
            guard count <= limit else {
                throw LinkError("the table's initial size of \(count) elements exceeds the limit of \(limit) elements")
            }
            maxCount = min(maxCount, max(limit, 0))
        }
        let capacity = max(count, 1)
        let elements = UnsafeMutablePointer<UInt64>.allocate(capacity: capacity)
        elements.initialize(repeating: initialValue?.slot ?? 0, count: capacity)
        entity = .allocate(capacity: 1)
        entity.initialize(
            to: TableEntity(
                elements: elements, count: count, capacity: capacity, maxCount: maxCount,
                elementType: type.elementType))
    }

    deinit {
        entity.pointee.elements.deallocate()
        entity.deallocate()
    }

    public var count: Int { entity.pointee.count }

    public func element(at index: Int) throws(Trap) -> Value {
        guard index >= 0, index < entity.pointee.count else { throw Trap(.outOfBoundsTableAccess) }
        return Value(slot: entity.pointee.elements[index], type: type.elementType)
    }

    public func setElement(_ value: Value, at index: Int) throws(Trap) {
        guard index >= 0, index < entity.pointee.count else { throw Trap(.outOfBoundsTableAccess) }
        entity.pointee.elements[index] = value.slot
    }

    /// Grows by `delta` elements filled with `value`; returns the old size or nil.
    @discardableResult
    public func grow(by delta: Int, filling value: Value) -> Int? {
        Table.grow(entity, by: delta, filling: value.slot)
    }

    static func grow(_ t: UnsafeMutablePointer<TableEntity>, by delta: Int, filling slot: UInt64) -> Int? {
        let old = t.pointee.count
        guard delta >= 0, delta <= t.pointee.maxCount - old, old + delta <= maxElements else { return nil }
        let newCount = old + delta
        if newCount > t.pointee.capacity {
            let newCapacity = Swift.max(newCount, Swift.min(t.pointee.capacity * 2, t.pointee.maxCount))
            let newElements = UnsafeMutablePointer<UInt64>.allocate(capacity: newCapacity)
            newElements.initialize(from: t.pointee.elements, count: old)
            t.pointee.elements.deallocate()
            t.pointee.elements = newElements
            t.pointee.capacity = newCapacity
        }
        (t.pointee.elements + old).initialize(repeating: slot, count: delta)
        t.pointee.count = newCount
        return old
    }
}
