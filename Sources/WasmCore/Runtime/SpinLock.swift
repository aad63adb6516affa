import Synchronization

/// A minimal mutual-exclusion lock over the toolchain's `Mutex`.
final class SpinLock: Sendable {
    private let mutex = Mutex<Void>(())

    @inline(__always)
    func withLock<R>(_ body: () throws -> R) rethrows -> R {
        try mutex.withLock { _ in try body() }
    }
}
