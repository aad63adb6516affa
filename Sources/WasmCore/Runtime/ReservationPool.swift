#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Recycles large anonymous mappings (linear memories, execution stacks) so
/// that making an instance per request costs no mmap/munmap pair.
///
/// A returned mapping has its touched pages released with
/// `madvise(MADV_DONTNEED)`, so it reads as zeros again, as a fresh mapping would.
final class ReservationPool: @unchecked Sendable {
    static let shared = ReservationPool()

    private let lock = SpinLock()
    private var free: [Int: [UnsafeMutableRawPointer]] = [:]
    /// Mappings kept per size.
    private let limit = 64

    /// A zero-filled, read-write mapping of `size` bytes.
    func acquire(size: Int) -> UnsafeMutableRawPointer? {
        if let p = lock.withLock({ free[size]?.popLast() }) { return p }
        let p = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
        guard let p, p != MAP_FAILED else { return nil }
        return p
    }

    /// Gives a mapping back. `dirtyBytes` is how much of it may have been written
    /// (and must read as zeros for the next user); pass 0 when its contents may stay.
    func release(_ p: UnsafeMutableRawPointer, size: Int, dirtyBytes: Int) {
        if dirtyBytes > 0 {
            let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
            let length = min(size, (dirtyBytes + pageSize - 1) / pageSize * pageSize)
            madvise(p, length, MADV_DONTNEED)
        }
        let kept = lock.withLock { () -> Bool in
            if free[size, default: []].count < limit {
                free[size, default: []].append(p)
                return true
            }
            return false
        }
        if !kept { munmap(p, size) }
    }
}
