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
    // `free` and `swapCheck` are only touched under `lock`, on every instantiation and release,
    // so their exclusivity is not checked at run time.
    @exclusivity(unchecked) private var free: [Int: [Slot]] = [:]

    /// A free mapping, and the `MemoryImage` mapped over its start (reset to the image's
    /// contents) if any, so that the next memory of the same module needs no mmap.
    private struct Slot {
        var start: UnsafeMutableRawPointer
        var image: MemoryImage?
    }
    /// Mappings kept per size.
    private let limit = 64
    private let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
    /// Up to this many touched bytes are cleared in place and stay resident, so the
    /// next instance does not page-fault them in again (wasmtime's keep-resident).
    private let keepResidentBytes = 1 << 20

    /// Makes `length` bytes at `p` read as zeros: the pages the last user touched
    /// (found with mincore) are cleared in place while few, else released to the kernel;
    /// pages mincore reports absent (never touched, or swapped out) are released.
    private func zero(_ p: UnsafeMutableRawPointer, length: Int) {
        let pages = length / pageSize
        guard pages > 0 else { return }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: pages) { buffer in
            let resident = buffer.baseAddress!
            guard mincore(p, length, resident) == 0 else {
                madvise(p, length, MADV_DONTNEED)
                return
            }
            // mincore writes one byte per page, bit 0 set when resident: scanned 8 pages at a time
            // (a 16 MiB memory is 4,096 pages, most of them never touched).
            let words = pages / 8
            let raw = UnsafeRawPointer(resident)
            let lowBits: UInt64 = 0x0101_0101_0101_0101
            var touched = 0
            for w in 0..<words {
                touched &+= (raw.loadUnaligned(fromByteOffset: w &* 8, as: UInt64.self) & lowBits).nonzeroBitCount
            }
            for i in (words &* 8)..<pages where resident[i] & 1 != 0 { touched &+= 1 }
            if touched &* pageSize > keepResidentBytes {
                madvise(p, length, MADV_DONTNEED)
                return
            }
            // A page mincore calls absent may still hold data in swap: release those runs too
            // (about 1 µs per run, so only while swap is on).
            if swapIsActive() {
                var absentStart: Int?
                for i in 0...pages {
                    let isResident = i < pages && resident[i] & 1 != 0
                    if i < pages && !isResident {
                        if absentStart == nil { absentStart = i }
                        continue
                    }
                    if let start = absentStart {
                        madvise(p + start * pageSize, (i - start) * pageSize, MADV_DONTNEED)
                        absentStart = nil
                    }
                    if isResident { memset(p + i * pageSize, 0, pageSize) }
                }
                return
            }
            guard touched > 0 else { return }
            var w = 0
            while w < words {
                if raw.loadUnaligned(fromByteOffset: w &* 8, as: UInt64.self) & lowBits != 0 {
                    for i in (w &* 8)..<(w &* 8 &+ 8) where resident[i] & 1 != 0 { memset(p + i * pageSize, 0, pageSize) }
                }
                w &+= 1
            }
            for i in (words &* 8)..<pages where resident[i] & 1 != 0 { memset(p + i * pageSize, 0, pageSize) }
        }
    }

    /// When `/proc/swaps` was last read (monotonic seconds) and whether it listed a device.
    @exclusivity(unchecked) private var swapCheck: (at: Int, active: Bool) = (Int.min, true)

    /// Whether swap is on (rechecked at most once a second; assumed on when unknown).
    private func swapIsActive() -> Bool {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC_COARSE, &now)
        let seconds = Int(now.tv_sec)
        if let known = lock.withLock({ seconds == swapCheck.at ? swapCheck.active : nil }) { return known }
        var active = true
        let fd = open("/proc/swaps", O_RDONLY | O_CLOEXEC)
        if fd >= 0 {
            var buffer = [UInt8](repeating: 0, count: 512)
            let n = read(fd, &buffer, buffer.count)
            close(fd)
            // A header line, then one line per active device.
            if n >= 0 { active = buffer[0..<n].filter { $0 == 0x0A }.count > 1 }
        }
        lock.withLock { swapCheck = (seconds, active) }
        return active
    }

    /// A zero-filled, read-write mapping of `size` bytes.
    func acquire(size: Int) -> UnsafeMutableRawPointer? {
        acquire(size: size, image: nil)?.start
    }

    /// A read-write mapping of `size` bytes that reads as zeros, except that when `image` is
    /// given and `imageMapped` is true, it starts with a private copy-on-write mapping of the
    /// image (a mapping a memory of the same image released). `imageMapped` false: all zeros.
    func acquire(size: Int, image: MemoryImage?) -> (start: UnsafeMutableRawPointer, imageMapped: Bool)? {
        let slot = lock.withLock { () -> Slot? in
            let index: Int
            do {
                guard let list = free[size], !list.isEmpty else { return nil }
                index = image.flatMap { image in list.lastIndex { $0.image === image } } ?? list.count - 1
            }
            // In place (the copy above is gone): no allocation.
            return free[size]!.remove(at: index)
        }
        if let slot {
            if let mapped = slot.image {
                if mapped === image { return (slot.start, true) }
                // Another image: anonymous zeros over it again.
                guard remapZeros(slot.start, count: mapped.byteCount) else {
                    munmap(slot.start, size)
                    return acquire(size: size, image: image)
                }
            }
            return (slot.start, false)
        }
        let p = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
        guard let p, p != MAP_FAILED else { return nil }
        return (p, false)
    }

    /// Replaces `count` bytes at `p` with fresh anonymous memory (zeros, nothing resident).
    func remapZeros(_ p: UnsafeMutableRawPointer, count: Int) -> Bool {
        mmap(p, count, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0) == p
    }

    /// Gives a mapping back. `dirtyBytes` is how much of it may have been written
    /// (and must read as zeros for the next user); pass 0 when its contents may stay.
    /// `image` is the `MemoryImage` mapped over its start, if any: its private copies of pages
    /// are dropped (`MADV_DONTNEED`), so the mapping reads as the image again and is kept for
    /// the next memory of that image (`acquire(size:image:)`); the rest is zeroed as usual.
    func release(_ p: UnsafeMutableRawPointer, size: Int, dirtyBytes: Int, image: MemoryImage? = nil) {
        var image = image
        let imageBytes = image?.byteCount ?? 0
        if imageBytes > 0 && madvise(p, imageBytes, MADV_DONTNEED) != 0 {
            guard remapZeros(p, count: imageBytes) else {
                munmap(p, size)
                return
            }
            image = nil
        }
        if dirtyBytes > imageBytes {
            let length = min(size, (dirtyBytes + pageSize - 1) / pageSize * pageSize) - imageBytes
            zero(p + imageBytes, length: length)
        }
        let kept = lock.withLock { () -> Bool in
            if free[size, default: []].count < limit {
                free[size, default: []].append(Slot(start: p, image: image))
                return true
            }
            return false
        }
        if !kept { munmap(p, size) }
    }
}
