#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Synchronization

/// Interrupts the stores of fuzz inputs whose time budget is spent, from a thread of
/// its own. (A Dispatch timer can starve: on a 2-core machine the few pool threads may
/// all be busy running the very guests it should stop.) Polls every millisecond, and
/// only in processes that run `WasmCoreFuzzTargets.instantiateAndRun`.
final class FuzzWatchdog: Sendable {
    static let shared = FuzzWatchdog()

    private let armed = Mutex<[ObjectIdentifier: (handle: InterruptHandle, deadline: UInt64)]>([:])

    private init() {
        var thread = pthread_t()
        let created = pthread_create(
            &thread, nil,
            { _ in
                FuzzWatchdog.shared.run()
                return nil
            }, nil)
        precondition(created == 0, "cannot start the fuzz watchdog thread")
        pthread_detach(thread)
    }

    static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    /// Interrupts `handle`'s store `nanoseconds` from now unless `disarm` comes first.
    func arm(_ handle: InterruptHandle, nanoseconds: UInt64) {
        let deadline = Self.now() + nanoseconds
        armed.withLock { $0[ObjectIdentifier(handle)] = (handle, deadline) }
    }

    func disarm(_ handle: InterruptHandle) {
        _ = armed.withLock { $0.removeValue(forKey: ObjectIdentifier(handle)) }
    }

    private func run() {
        while true {
            usleep(1000)
            let now = Self.now()
            armed.withLock { slots in
                for (key, slot) in slots where now >= slot.deadline {
                    slot.handle.interrupt()
                    slots.removeValue(forKey: key)
                }
            }
        }
    }
}
