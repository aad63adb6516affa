#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The initial contents of one memory a module defines (its active data segments applied in
/// order to zeros), held in a sealed in-memory file that instantiation maps copy-on-write over
/// the start of the memory instead of copying the segments (wasmtime's memory images).
///
/// An image covers the memory up to its last initialised byte, rounded up to the host page:
/// the rest of the memory stays the reservation's anonymous zeros. Instances share the file's
/// page cache until they write a page, which then becomes their own private copy.
final class MemoryImage: Sendable {
    /// The sealed file (`memfd_create`) holding the image; closed with the image.
    let fd: Int32
    /// Bytes mapped at instantiation: a multiple of the host page size.
    let byteCount: Int
    /// Bytes the data segments hold (what copying them would copy; overlaps counted twice).
    let dataBytes: Int

    private init(fd: Int32, byteCount: Int, dataBytes: Int) {
        self.fd = fd
        self.byteCount = byteCount
        self.dataBytes = dataBytes
    }

    deinit { close(fd) }

    /// The host's page size.
    static let hostPageSize = Int(sysconf(Int32(_SC_PAGESIZE)))

    /// `memfd_create(2)` (glibc 2.27+), looked up at run time: Swift's Glibc module does not
    /// declare it. nil when the C library lacks it; images are then never made.
    private static let memfdCreate: (@convention(c) (UnsafePointer<CChar>, UInt32) -> Int32)? = {
        #if os(Linux)
            guard let symbol = dlsym(nil, "memfd_create") else { return nil }
            return unsafeBitCast(symbol, to: (@convention(c) (UnsafePointer<CChar>, UInt32) -> Int32).self)
        #else
            return nil
        #endif
    }()

    /// Makes the image of a memory from `segments` (byte offset in the memory, bytes), applied in
    /// order so that a later segment overwrites an earlier one where they overlap. nil when no
    /// segment has a byte, or when the file cannot be made (no memfd; the caller then copies).
    static func make(segments: [(offset: Int, bytes: UnsafePointer<UInt8>?, count: Int)]) -> MemoryImage? {
        var end = 0
        for s in segments where s.count > 0 { end = max(end, s.offset + s.count) }
        guard end > 0, let memfdCreate else { return nil }
        let byteCount = (end + hostPageSize - 1) / hostPageSize * hostPageSize
        // MFD_CLOEXEC | MFD_ALLOW_SEALING
        let fd = memfdCreate("wasm-memory-image", 0x0001 | 0x0002)
        guard fd >= 0 else { return nil }
        guard ftruncate(fd, off_t(byteCount)) == 0 else {
            close(fd)
            return nil
        }
        for s in segments where s.count > 0 {
            guard let bytes = s.bytes, writeFully(fd, bytes, count: s.count, at: s.offset) else {
                close(fd)
                return nil
            }
        }
        // F_ADD_SEALS: F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE. Private mappings
        // stay writable (copy-on-write); nothing can change the image under its instances. A kernel
        // without sealing still gets a file nobody else holds.
        _ = fcntl(fd, 1033, Int32(0x0001 | 0x0002 | 0x0004 | 0x0008))
        return MemoryImage(fd: fd, byteCount: byteCount, dataBytes: segments.reduce(0) { $0 + $1.count })
    }

    /// `pwrite` until all `count` bytes are written.
    private static func writeFully(_ fd: Int32, _ bytes: UnsafePointer<UInt8>, count: Int, at offset: Int) -> Bool {
        var done = 0
        while done < count {
            let n = pwrite(fd, bytes + done, count - done, off_t(offset + done))
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return false }
            done += n
        }
        return true
    }
}

/// A module's memory images, made on the first instantiation that wants them (thread-safe).
final class MemoryImages: @unchecked Sendable {
    private let lock = SpinLock()
    /// nil until made; then one entry per memory the module defines (nil where it has none).
    @exclusivity(unchecked) private var images: [MemoryImage?]?

    init() {}

    /// The images of `module`'s memories, indexed by memory index; empty when the module cannot
    /// use images: it imports a memory, an active data segment's offset is not an `i32.const`,
    /// or a segment is out of bounds of its memory's initial size (instantiation must then trap
    /// after the earlier segments' writes, which the copying path does exactly).
    func images(of module: Module) -> [MemoryImage?] {
        lock.withLock {
            if let images { return images }
            let made = Self.make(module)
            images = made
            return made
        }
    }

    private static func make(_ module: Module) -> [MemoryImage?] {
        let info = module.info
        guard module.importedMemoryCount == 0, !info.memories.isEmpty else { return [] }
        var segments = [[(offset: Int, bytes: UnsafePointer<UInt8>?, count: Int)]](
            repeating: [], count: info.memories.count)
        for (i, seg) in info.data.enumerated() {
            guard case .active(let memoryIndex, let offsetExpression) = seg.mode else { continue }
            guard offsetExpression.instructions.count == 1,
                case .i32Const(let value) = offsetExpression.instructions[0],
                Int(memoryIndex) < info.memories.count
            else { return [] }
            let offset = Int(UInt32(truncatingIfNeeded: value))
            let size = UInt64(Memory.pageSize) * info.memories[Int(memoryIndex)].limits.min
            guard UInt64(offset) + UInt64(seg.bytes.count) <= size else { return [] }
            segments[Int(memoryIndex)].append((offset, module.dataPointers[i], seg.bytes.count))
        }
        return segments.map { MemoryImage.make(segments: $0) }
    }
}
