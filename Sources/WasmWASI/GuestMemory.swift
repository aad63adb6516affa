import WasmCore

/// A bounds-checked view of the guest's linear memory for WASI calls.
///
/// Every access is checked; an address outside the memory (or a call made by a
/// module without a memory) is `Errno.fault`, never a crash.
public struct GuestMemory {
    public let memory: Memory?

    public init(_ memory: Memory?) { self.memory = memory }

    @inline(__always)
    func check(_ p: UInt32, _ count: Int) throws(Errno) {
        guard let memory, count >= 0, Int(p) + count <= memory.byteCount else { throw .fault }
    }

    public func load<T: FixedWidthInteger>(_: T.Type = T.self, at p: UInt32) throws(Errno) -> T {
        guard let memory else { throw .fault }
        do { return try memory.load(T.self, at: Int(p)) } catch { throw .fault }
    }

    public func store<T: FixedWidthInteger>(_ value: T, at p: UInt32) throws(Errno) {
        guard let memory else { throw .fault }
        do { try memory.store(value, at: Int(p)) } catch { throw .fault }
    }

    public func read(at p: UInt32, count: UInt32) throws(Errno) -> [UInt8] {
        guard let memory else { throw .fault }
        do { return try memory.read(at: Int(p), count: Int(count)) } catch { throw .fault }
    }

    public func write<C: Collection>(_ bytes: C, at p: UInt32) throws(Errno) where C.Element == UInt8 {
        guard let memory else { throw .fault }
        do { try memory.write(bytes, at: Int(p)) } catch { throw .fault }
    }

    func zero(_ p: UInt32, _ count: Int) throws(Errno) {
        try withBytes(at: p, count: UInt32(count)) { $0.initializeMemory(as: UInt8.self, repeating: 0) }
    }

    /// Runs `body` on `count` guest bytes at `p`.
    @discardableResult
    public func withBytes<R>(at p: UInt32, count: UInt32, _ body: (UnsafeMutableRawBufferPointer) throws(Errno) -> R)
        throws(Errno) -> R
    {
        try check(p, Int(count))
        let start = memory!.baseAddress + Int(p)
        return try body(UnsafeMutableRawBufferPointer(start: start, count: Int(count)))
    }

    /// Reads a path or other string argument: UTF-8, no NUL bytes.
    public func string(at p: UInt32, count: UInt32) throws(Errno) -> String {
        let bytes = try read(at: p, count: count)
        if bytes.contains(0) { throw .ilseq }
        guard let s = String(validating: bytes, as: UTF8.self) else { throw .ilseq }
        return s
    }

    /// Reads an `iovec` array: (guest address, length) pairs, each checked against the memory.
    func iovecs(at p: UInt32, count: UInt32) throws(Errno) -> [(base: UInt32, length: UInt32)] {
        try check(p, Int(count) * Layout.iovec)
        var result: [(base: UInt32, length: UInt32)] = []
        result.reserveCapacity(Int(count))
        var total: UInt64 = 0
        for i in 0..<count {
            let base: UInt32 = try load(at: p + i * 8)
            let length: UInt32 = try load(at: p + i * 8 + 4)
            try check(base, Int(length))
            result.append((base, length))
            total += UInt64(length)
        }
        // The byte count is reported as a u32; like writev, refuse totals that cannot be.
        if total > UInt64(UInt32.max) { throw .inval }
        return result
    }
}
