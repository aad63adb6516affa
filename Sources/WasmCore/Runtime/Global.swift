/// A global variable instance.
///
/// Spec: https://webassembly.github.io/spec/core/exec/runtime.html#global-instances
public final class Global: @unchecked Sendable {
    let cell: UnsafeMutablePointer<UInt64>
    public let type: GlobalType

    public init(type: GlobalType, value: Value) {
        self.type = type
        // Two words: a v128 keeps its high half in the second.
        cell = .allocate(capacity: 2)
        cell.initialize(to: value.slot)
        (cell + 1).initialize(to: value.highSlot)
    }

    init(type: GlobalType, slot: UInt64, high: UInt64 = 0) {
        self.type = type
        cell = .allocate(capacity: 2)
        cell.initialize(to: slot)
        (cell + 1).initialize(to: high)
    }

    deinit { cell.deallocate() }

    /// The current value. Setting an immutable global from the host is allowed (initialisation).
    public var value: Value {
        get { Value(slot: cell[0], high: cell[1], type: type.valueType) }
        set {
            cell[0] = newValue.slot
            cell[1] = newValue.highSlot
        }
    }
}
