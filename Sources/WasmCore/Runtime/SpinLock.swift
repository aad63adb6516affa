import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A lock for critical sections of a few dozen instructions (the reservation pool's lists).
///
/// Spins with an atomic exchange and yields the CPU while another thread holds it.
/// `Mutex` on Linux is a priority-inheritance futex: under contention every waiter
/// enters the kernel, and with more worker threads than cores (so that looping
/// guests cannot starve the rest) that cost `spin up` 8x its request rate.
final class SpinLock: Sendable {
    private let state = Atomic<Bool>(false)

    @inline(__always)
    func withLock<R>(_ body: () throws -> R) rethrows -> R {
        while state.exchange(true, ordering: .acquiring) {
            var spins = 0
            while state.load(ordering: .relaxed) {
                spins += 1
                if spins >= 64 {
                    sched_yield()
                    spins = 0
                }
            }
        }
        defer { state.store(false, ordering: .releasing) }
        return try body()
    }
}
