import Synchronization

/// Stops a store's running guest code from another thread.
///
/// Every store has one (`Store.interruptHandle`). Once `interrupt()` is called,
/// the guest traps with `TrapReason.interrupted` at its next loop back-edge or
/// call, which bounds how long any guest can run (Wasmtime calls the same idea
/// epoch interruption). The check is one relaxed atomic load on paths that
/// already branch. The flag stays set until `reset()`: a store whose guest was
/// interrupted keeps refusing to run code, so a deadline cannot be escaped by
/// catching the trap in a host function and calling back in.
public final class InterruptHandle: Sendable {
    /// The flag the interpreter reads; owned by this handle so a watchdog that
    /// outlives the store never writes freed memory.
    nonisolated(unsafe) let flag: UnsafeMutablePointer<Atomic<UInt32>>

    public init() {
        flag = .allocate(capacity: 1)
        flag.initialize(to: Atomic(0))
    }

    deinit {
        flag.deinitialize(count: 1)
        flag.deallocate()
    }

    /// Makes the guest trap with `TrapReason.interrupted` as soon as possible. Thread-safe.
    public func interrupt() {
        flag.pointee.store(1, ordering: .relaxed)
    }

    /// Lets the store run guest code again.
    public func reset() {
        flag.pointee.store(0, ordering: .relaxed)
    }

    /// Whether `interrupt()` was called since the last `reset()`.
    public var isInterrupted: Bool {
        flag.pointee.load(ordering: .relaxed) != 0
    }
}
