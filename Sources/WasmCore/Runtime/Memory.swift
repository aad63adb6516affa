#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A linear memory instance.
///
/// Spec: https://webassembly.github.io/spec/core/exec/runtime.html#memory-instances
/// The whole maximum is reserved once (untouched pages cost nothing), so the
/// base address never moves and grown pages are already zero.
public final class Memory: @unchecked Sendable {
    /// Bytes in a WebAssembly page.
    public static let pageSize = 65536
    /// Pages addressable by a 32-bit memory.
    public static let maxPages32 = 65536

    let entity: UnsafeMutablePointer<MemoryEntity>
    private let reservedBytes: Int
    /// The `MemoryImage` mapped copy-on-write over the start of the memory, if any (the pool
    /// keeps the reservation with it for the next memory of the same image).
    private(set) var image: MemoryImage?
    /// Bytes at the start mapped from `image` (0 when none).
    var imageBytes: Int { image?.byteCount ?? 0 }
    public let type: MemoryType

    /// Creates a memory of `type.limits.min` pages. Throws a `Trap`-free
    /// `LinkError` when the reservation fails.
    ///
    /// - Parameter limit: the most pages the memory may grow to, below the type's
    ///   own maximum (an embedder's per-instance memory limit); a larger initial size
    ///   is a `LinkError`.
    public convenience init(type: MemoryType, maxPages limit: Int? = nil) throws(LinkError) {
        try self.init(type: type, maxPages: limit, image: nil)
    }

    /// Creates a memory that starts with `image` mapped copy-on-write (`imageBytes` > 0) when
    /// that can be done, else all zeros (then the caller copies the data segments).
    init(type: MemoryType, maxPages limit: Int?, image: MemoryImage?) throws(LinkError) {
        self.type = type
        var maxPages = Int(min(type.limits.max ?? UInt64(Memory.maxPages32), UInt64(Memory.maxPages32)))
        if let limit {
            guard type.limits.min <= UInt64(max(limit, 0)) else {
                throw LinkError(
                    "the memory's initial size of \(type.limits.min) pages (\(type.limits.min * 64) KiB) exceeds "
                        + "the limit of \(limit) pages (\(limit * 64) KiB)")
            }
            maxPages = min(maxPages, limit)
        }
        // A 64-bit memory (memory64) is reserved, and may grow, up to 4 GiB as a 32-bit one.
        guard type.limits.min <= UInt64(maxPages) else {
            throw LinkError("the memory's initial size of \(type.limits.min) pages exceeds \(maxPages) pages")
        }
        let reserve = max(maxPages * Memory.pageSize, Memory.pageSize)
        let initialBytes = Int(type.limits.min) * Memory.pageSize
        let image = image.flatMap { $0.byteCount <= initialBytes ? $0 : nil }
        guard let (p, imageMapped) = ReservationPool.shared.acquire(size: reserve, image: image) else {
            throw LinkError("cannot reserve \(reserve) bytes for a memory")
        }
        reservedBytes = reserve
        entity = .allocate(capacity: 1)
        entity.initialize(to: MemoryEntity(base: p, byteCount: initialBytes, maxPages: maxPages))
        if imageMapped {
            self.image = image
        } else if let image {
            try map(image)
        }
    }

    deinit {
        ReservationPool.shared.release(
            entity.pointee.base, size: reservedBytes, dirtyBytes: entity.pointee.byteCount, image: image)
        entity.deallocate()
    }

    /// Maps `image` copy-on-write over the start of the new (all zeros) memory. When the kernel
    /// refuses, the memory stays all zeros without an image (the caller then copies); throws
    /// when the zeros cannot be put back either.
    private func map(_ image: MemoryImage) throws(LinkError) {
        let base = entity.pointee.base
        let mapped = mmap(base, image.byteCount, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, image.fd, 0)
        if mapped == base {
            self.image = image
            return
        }
        // A failed MAP_FIXED may already have unmapped the range.
        if ReservationPool.shared.remapZeros(base, count: image.byteCount) { return }
        self.image = image  // so that the pool remaps or unmaps the range before any reuse
        throw LinkError("cannot map the memory image (\(image.byteCount) bytes): errno \(errno)")
    }

    /// Makes the memory all zeros again, without its image: for an instantiation that fails
    /// before its data segments are applied (the memory must not show them). Returns false,
    /// the memory then unusable, when the kernel refuses.
    func discardImage() -> Bool {
        guard let image else { return true }
        guard ReservationPool.shared.remapZeros(entity.pointee.base, count: image.byteCount) else {
            // Every access now traps; the image stays so that the pool checks the range.
            entity.pointee.byteCount = 0
            entity.pointee.maxPages = 0
            return false
        }
        self.image = nil
        return true
    }

    /// Current size in bytes.
    public var byteCount: Int { entity.pointee.byteCount }
    /// Current size in pages.
    public var pageCount: Int { entity.pointee.byteCount / Memory.pageSize }
    /// Whether a `grow` (or the guest's `memory.grow`) was refused for going past the
    /// maximum: the guest ran out of memory at its limit.
    public var refusedGrowth: Bool { entity.pointee.refusedGrowth }
    /// Start of the memory. Stable for the memory's lifetime.
    public var baseAddress: UnsafeMutableRawPointer { entity.pointee.base }

    /// Grows by `pages`; returns the previous page count, or nil when the maximum is exceeded.
    @discardableResult
    public func grow(by pages: Int) -> Int? {
        Memory.grow(entity, by: pages)
    }

    @inline(__always)
    static func grow(_ entity: UnsafeMutablePointer<MemoryEntity>, by pages: Int) -> Int? {
        let old = entity.pointee.byteCount / pageSize
        guard pages >= 0, pages <= entity.pointee.maxPages - old else {
            entity.pointee.refusedGrowth = true
            return nil
        }
        entity.pointee.byteCount += pages * pageSize
        return old
    }

    @inline(__always)
    private func check(_ offset: Int, _ count: Int) throws(Trap) {
        guard offset >= 0, count >= 0, count <= entity.pointee.byteCount, offset <= entity.pointee.byteCount - count
        else {
            throw Trap(.outOfBoundsMemoryAccess)
        }
    }

    /// Copies `count` bytes starting at `offset`.
    public func read(at offset: Int, count: Int) throws(Trap) -> [UInt8] {
        try check(offset, count)
        return Array(UnsafeRawBufferPointer(start: entity.pointee.base + offset, count: count))
    }

    /// Writes `bytes` starting at `offset`.
    public func write<C: Collection>(_ bytes: C, at offset: Int) throws(Trap) where C.Element == UInt8 {
        try check(offset, bytes.count)
        let dst = entity.pointee.base + offset
        var i = 0
        for b in bytes {
            dst.storeBytes(of: b, toByteOffset: i, as: UInt8.self)
            i += 1
        }
    }

    /// Writes `bytes` starting at `offset`.
    public func write(_ bytes: [UInt8], at offset: Int) throws(Trap) {
        try check(offset, bytes.count)
        bytes.withUnsafeBytes { src in
            if let base = src.baseAddress, src.count > 0 {
                (entity.pointee.base + offset).copyMemory(from: base, byteCount: src.count)
            }
        }
    }

    /// Writes `bytes` starting at `offset`.
    public func write(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws(Trap) {
        try check(offset, bytes.count)
        if let src = bytes.baseAddress, bytes.count > 0 {
            (entity.pointee.base + offset).copyMemory(from: src, byteCount: bytes.count)
        }
    }

    // Concrete accessors: the generic ones below are not specialized across modules.
    public func load(_: UInt8.Type = UInt8.self, at offset: Int) throws(Trap) -> UInt8 {
        try check(offset, 1)
        return (entity.pointee.base + offset).load(as: UInt8.self)
    }
    public func load(_: UInt16.Type = UInt16.self, at offset: Int) throws(Trap) -> UInt16 {
        try check(offset, 2)
        return UInt16(littleEndian: (entity.pointee.base + offset).loadUnaligned(as: UInt16.self))
    }
    public func load(_: UInt32.Type = UInt32.self, at offset: Int) throws(Trap) -> UInt32 {
        try check(offset, 4)
        return UInt32(littleEndian: (entity.pointee.base + offset).loadUnaligned(as: UInt32.self))
    }
    public func load(_: UInt64.Type = UInt64.self, at offset: Int) throws(Trap) -> UInt64 {
        try check(offset, 8)
        return UInt64(littleEndian: (entity.pointee.base + offset).loadUnaligned(as: UInt64.self))
    }
    public func store(_ value: UInt8, at offset: Int) throws(Trap) {
        try check(offset, 1)
        (entity.pointee.base + offset).storeBytes(of: value, as: UInt8.self)
    }
    public func store(_ value: UInt16, at offset: Int) throws(Trap) {
        try check(offset, 2)
        (entity.pointee.base + offset).storeBytes(of: value.littleEndian, toByteOffset: 0, as: UInt16.self)
    }
    public func store(_ value: UInt32, at offset: Int) throws(Trap) {
        try check(offset, 4)
        (entity.pointee.base + offset).storeBytes(of: value.littleEndian, toByteOffset: 0, as: UInt32.self)
    }
    public func store(_ value: UInt64, at offset: Int) throws(Trap) {
        try check(offset, 8)
        (entity.pointee.base + offset).storeBytes(of: value.littleEndian, toByteOffset: 0, as: UInt64.self)
    }

    /// Little-endian load of a fixed-width integer.
    public func load<T: FixedWidthInteger>(_: T.Type = T.self, at offset: Int) throws(Trap) -> T {
        try check(offset, MemoryLayout<T>.size)
        return T(littleEndian: (entity.pointee.base + offset).loadUnaligned(as: T.self))
    }

    /// Little-endian store of a fixed-width integer.
    public func store<T: FixedWidthInteger>(_ value: T, at offset: Int) throws(Trap) {
        try check(offset, MemoryLayout<T>.size)
        (entity.pointee.base + offset).storeBytes(of: value.littleEndian, as: T.self)
    }

    /// Gives bounds-checked access to `count` bytes at `offset`.
    public func withUnsafeMutableBytes<R>(
        at offset: Int, count: Int, _ body: (UnsafeMutableRawBufferPointer) throws -> R
    ) throws -> R {
        try check(offset, count)
        return try body(UnsafeMutableRawBufferPointer(start: entity.pointee.base + offset, count: count))
    }
}
