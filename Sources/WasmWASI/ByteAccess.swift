/// Reads and writes with host byte arrays instead of guest iovecs: what WASI 0.2 streams
/// (`WasmWASIP2`) use, since the canonical ABI has already copied a `list<u8>` out of the guest.
extension WASI {
    /// Reads at most `count` bytes of `fd`, at `offset` (without moving the position) or at
    /// the current position when nil. An empty result is end of file.
    public func readBytes(fd: UInt32, count: Int, offset: UInt64?) throws(Errno) -> [UInt8] {
        let d = try descriptor(fd, offset == nil ? .fdRead : [.fdRead, .fdSeek])
        if let offset, offset > UInt64(Int64.max) - UInt64(UInt32.max) { throw .inval }
        let n = max(0, min(count, 1 << 20))
        var bytes = [UInt8](repeating: 0, count: n)
        let got = bytes.withUnsafeMutableBytes { buffer in
            Result { () throws(Errno) in try read(d, into: buffer, offset: offset.map { Int64($0) }) }
        }
        bytes.removeLast(n - (try got.get()))
        return bytes
    }

    /// Writes all of `bytes` to `fd`, at `offset` (without moving the position) or at the
    /// current position (the end, for a descriptor opened to append) when nil.
    /// Returns the count written.
    @discardableResult
    public func writeBytes(fd: UInt32, _ bytes: [UInt8], offset: UInt64?) throws(Errno) -> Int {
        let d = try descriptor(fd, offset == nil ? .fdWrite : [.fdWrite, .fdSeek])
        if let offset, offset > UInt64(Int64.max) - UInt64(UInt32.max) { throw .inval }
        if case .memoryOutput(let sink) = d.kind {
            switch sink {
            case .buffer(let b): b.append(bytes)
            case .sink(let f): f(bytes)
            case .discard, .inherit: break
            }
            return bytes.count
        }
        let written = bytes.withUnsafeBytes { buffer in
            Result { () throws(Errno) in try write(d, buffer, offset: offset.map { Int64($0) }, partialSoFar: 0) }
        }
        return try written.get()
    }

    /// The guest paths of the preopened directories and their descriptor numbers, in order.
    public var preopenedDirectories: [(fd: UInt32, guestPath: String)] {
        configuration.preopens.enumerated().map { (UInt32(3 + $0.offset), $0.element.guestPath) }
    }
}
