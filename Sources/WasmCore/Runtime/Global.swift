/// A global variable instance.
///
/// Spec: https://webassembly.github.io/spec/core/exec/runtime.html#global-instances
public final class Global: @unchecked Sendable {
    let cell: UnsafeMutablePointer<UInt64>
    public let type: GlobalType

    public init(type: GlobalType, value: Value) {
        self.type = type
        cell = .allocate(capacity: 1)
        cell.initialize(to: value.slot)
    }

    init(type: GlobalType, slot: UInt64) {
        self.type = type
        cell = .allocate(capacity: 1)
        cell.initialize(to: slot)
    }

    deinit { cell.deallocate() }

    /// The current value. Setting an immutable global from the host is allowed (initialisation).
    public var value: Value {
        get { Value(slot: cell.pointee, type: type.valueType) }
        set { cell.pointee = newValue.slot }
    }
}
