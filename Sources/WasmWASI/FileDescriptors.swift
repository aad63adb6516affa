#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

let UTIME_NOW_VALUE = (1 << 30) - 1
let UTIME_OMIT_VALUE = (1 << 30) - 2

/// `fd_*`: operations on open descriptors.
extension WASI {
    // MARK: reading and writing

    /// Reads into the guest buffers `iovs`; returns the byte count (0 at end of file).
    public func fdRead(_ memory: GuestMemory, fd: UInt32, iovs: UInt32, iovsCount: UInt32) throws(Errno) -> UInt32 {
        let d = try descriptor(fd, .fdRead)
        let vectors = try memory.iovecs(at: iovs, count: iovsCount)
        var total: UInt32 = 0
        for v in vectors where v.length > 0 {
            let n = try memory.withBytes(at: v.base, count: v.length) { buffer throws(Errno) in
                try read(d, into: buffer, offset: nil)
            }
            total += UInt32(n)
            if n < Int(v.length) { break }
        }
        return total
    }

    /// Reads at `offset` without moving the file position.
    public func fdPread(_ memory: GuestMemory, fd: UInt32, iovs: UInt32, iovsCount: UInt32, offset: UInt64)
        throws(Errno) -> UInt32
    {
        let d = try descriptor(fd, [.fdRead, .fdSeek])
        try requireSeekable(d)
        // offset + bytes moved must stay a valid off_t.
        guard offset <= UInt64(Int64.max) - UInt64(UInt32.max) else { throw .inval }
        let vectors = try memory.iovecs(at: iovs, count: iovsCount)
        var total: UInt32 = 0
        for v in vectors where v.length > 0 {
            let n = try memory.withBytes(at: v.base, count: v.length) { buffer throws(Errno) in
                try read(d, into: buffer, offset: Int64(offset) + Int64(total))
            }
            total += UInt32(n)
            if n < Int(v.length) { break }
        }
        return total
    }

    /// Writes the guest buffers `iovs`; returns the byte count.
    public func fdWrite(_ memory: GuestMemory, fd: UInt32, iovs: UInt32, iovsCount: UInt32) throws(Errno) -> UInt32 {
        let d = try descriptor(fd, .fdWrite)
        let vectors = try memory.iovecs(at: iovs, count: iovsCount)
        if case .memoryOutput(let sink) = d.kind {
            var bytes: [UInt8] = []
            for v in vectors { bytes += try memory.read(at: v.base, count: v.length) }
            switch sink {
            case .buffer(let b): b.append(bytes)
            case .sink(let f): f(bytes)
            case .discard, .inherit: break
            }
            return UInt32(bytes.count)
        }
        var total: UInt32 = 0
        for v in vectors where v.length > 0 {
            let n = try memory.withBytes(at: v.base, count: v.length) { buffer throws(Errno) in
                try write(d, UnsafeRawBufferPointer(buffer), offset: nil, partialSoFar: total)
            }
            total += UInt32(n)
            if n < Int(v.length) { break }
        }
        return total
    }

    /// Writes at `offset` without moving the file position.
    public func fdPwrite(_ memory: GuestMemory, fd: UInt32, iovs: UInt32, iovsCount: UInt32, offset: UInt64)
        throws(Errno) -> UInt32
    {
        let d = try descriptor(fd, [.fdWrite, .fdSeek])
        try requireSeekable(d)
        // offset + bytes moved must stay a valid off_t.
        guard offset <= UInt64(Int64.max) - UInt64(UInt32.max) else { throw .inval }
        let vectors = try memory.iovecs(at: iovs, count: iovsCount)
        var total: UInt32 = 0
        for v in vectors where v.length > 0 {
            let n = try memory.withBytes(at: v.base, count: v.length) { buffer throws(Errno) in
                try write(d, UnsafeRawBufferPointer(buffer), offset: Int64(offset) + Int64(total), partialSoFar: total)
            }
            total += UInt32(n)
            if n < Int(v.length) { break }
        }
        return total
    }

    private func requireSeekable(_ d: Descriptor) throws(Errno) {
        switch d.kind {
        case .memoryInput, .memoryOutput: throw .spipe
        case .directory: throw .isdir
        case .file: if d.filetype != .regularFile && d.filetype != .blockDevice { throw .spipe }
        }
    }

    /// One read into `buffer`, retried on EINTR.
    func read(_ d: Descriptor, into buffer: UnsafeMutableRawBufferPointer, offset: Int64?) throws(Errno) -> Int {
        switch d.kind {
        case .memoryInput:
            let n = min(buffer.count, d.input.count - d.position)
            d.input.withUnsafeBytes { src in
                buffer.baseAddress!.copyMemory(from: src.baseAddress! + d.position, byteCount: n)
            }
            d.position += n
            return n
        case .memoryOutput: throw .badf
        case .directory: throw .isdir
        case .file(let fd):
            return try WASI.sys {
                if let offset {
                    pread(fd, buffer.baseAddress, buffer.count, off_t(offset))
                } else {
                    hostRead(fd, buffer.baseAddress, buffer.count)
                }
            }
        }
    }

    /// Writes `bytes`, retried on EINTR and short writes; returns the count written.
    /// An error after some bytes of this call or of earlier iovecs (`partialSoFar`)
    /// ends the write short instead, so the guest learns how much went out.
    func write(_ d: Descriptor, _ bytes: UnsafeRawBufferPointer, offset: Int64?, partialSoFar: UInt32) throws(Errno)
        -> Int
    {
        guard case .file(let fd) = d.kind else { throw d.filetype == .directory ? .isdir : .badf }
        var done = 0
        while done < bytes.count {
            let n: Int
            do {
                n = try WASI.sys {
                    if let offset {
                        pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(offset) + off_t(done))
                    } else {
                        hostWrite(fd, bytes.baseAddress! + done, bytes.count - done)
                    }
                }
            } catch {
                if done > 0 || partialSoFar > 0 { return done }
                throw error
            }
            if n == 0 { break }
            done += n
        }
        return done
    }

    // MARK: position

    public func fdSeek(fd: UInt32, offset: Int64, whence: UInt8) throws(Errno) -> UInt64 {
        let d = try descriptor(fd)
        // Directories have no position (wasmtime: EBADF); readdir uses cookies.
        if case .directory = d.kind { throw .badf }
        try requireSeekable(d)
        guard
            d.rightsBase.contains(.fdSeek)
                || (offset == 0 && whence == Whence.cur.rawValue && d.rightsBase.contains(.fdTell))
        else {
            throw .notcapable
        }
        let w: Int32
        switch Whence(rawValue: whence) {
        case .set: w = SEEK_SET
        case .cur: w = SEEK_CUR
        case .end: w = SEEK_END
        case nil: throw .inval
        }
        let r = lseek(d.hostFD!, off_t(offset), w)
        guard r >= 0 else { throw Errno.current }
        return UInt64(r)
    }

    public func fdTell(fd: UInt32) throws(Errno) -> UInt64 {
        // fdSeek accepts the fdTell right for exactly this call.
        try fdSeek(fd: fd, offset: 0, whence: Whence.cur.rawValue)
    }

    // MARK: status

    /// The descriptor's file type, fdflags and rights as wasmtime reports them: the rights
    /// are `reportedRightsBase` and `reportedRightsInheriting`, and standard streams show
    /// no fdflags.
    public func fdFdstatGet(fd: UInt32) throws(Errno) -> FdStat {
        let d = try descriptor(fd)
        var flags: FdFlags = []
        if !d.isStdio, let host = d.hostFD {
            let f = fcntl(host, F_GETFL)
            if f >= 0 {
                if f & O_APPEND != 0 { flags.insert(.append) }
                if f & O_NONBLOCK != 0 { flags.insert(.nonblock) }
                // Linux folds O_RSYNC into O_SYNC, so `rsync` cannot be told apart and is not reported.
                if f & O_SYNC == O_SYNC { flags.insert(.sync) } else if f & O_DSYNC != 0 { flags.insert(.dsync) }
            }
        }
        return FdStat(
            filetype: d.filetype, flags: flags.rawValue, rightsBase: d.reportedRightsBase,
            rightsInheriting: d.reportedRightsInheriting)
    }

    /// Only `append` and `nonblock` can change after opening.
    public func fdFdstatSetFlags(fd: UInt32, flags: UInt16) throws(Errno) {
        let d = try descriptor(fd, .fdFdstatSetFlags)
        let requested = FdFlags(rawValue: flags)
        guard requested.isSubset(of: [.append, .nonblock]) else { throw .notsup }
        guard let host = d.hostFD else {
            // In-memory streams are always ready and write at their end.
            return
        }
        // The process's own stdio is shared with the host; its flags are not the guest's to change.
        guard d.owned else { throw .notsup }
        let current = fcntl(host, F_GETFL)
        guard current >= 0 else { throw Errno.current }
        var new = current & ~(O_APPEND | O_NONBLOCK)
        if requested.contains(.append) { new |= O_APPEND }
        if requested.contains(.nonblock) { new |= O_NONBLOCK }
        guard fcntl(host, F_SETFL, new) == 0 else { throw Errno.current }
    }

    /// Rights can only be dropped. The new rights may name any the descriptor holds or
    /// reports (so what `fd_fdstat_get` returned, less some, is accepted); both the
    /// enforced and the reported rights keep only those named.
    public func fdFdstatSetRights(fd: UInt32, rightsBase: UInt64, rightsInheriting: UInt64) throws(Errno) {
        let d = try descriptor(fd)
        let base = Rights(rawValue: rightsBase)
        let inheriting = Rights(rawValue: rightsInheriting)
        guard d.rightsBase.union(d.reportedRightsBase).isSuperset(of: base),
            d.rightsInheriting.union(d.reportedRightsInheriting).isSuperset(of: inheriting)
        else {
            throw .notcapable
        }
        d.rightsBase.formIntersection(base)
        d.rightsInheriting.formIntersection(inheriting)
        d.reportedRightsBase.formIntersection(base)
        d.reportedRightsInheriting.formIntersection(inheriting)
    }

    public func fdFilestatGet(fd: UInt32) throws(Errno) -> FileStat {
        let d = try descriptor(fd, .fdFilestatGet)
        guard let host = d.hostFD else {
            var s = FileStat()
            s.filetype = d.filetype
            if case .memoryInput = d.kind { s.size = UInt64(d.input.count) }
            return s
        }
        var st = stat()
        guard fstat(host, &st) == 0 else { throw Errno.current }
        return FileStat(st)
    }

    public func fdFilestatSetSize(fd: UInt32, size: UInt64) throws(Errno) {
        let d = try descriptor(fd, .fdFilestatSetSize)
        if d.readOnly { throw .rofs }
        guard case .file(let host) = d.kind, d.filetype == .regularFile else {
            throw d.filetype == .directory ? .isdir : .inval
        }
        guard size <= UInt64(Int64.max) else { throw .inval }
        try WASI.sys { ftruncate(host, off_t(size)) }
    }

    /// Sets the access and modification times of the file open as `fd`, as `fst_flags` asks.
    public func fdFilestatSetTimes(fd: UInt32, accessTime: UInt64, modificationTime: UInt64, flags: UInt16)
        throws(Errno)
    {
        // As in wasmtime, invalid flags are refused before the descriptor is looked at.
        let times = try WASI.timespecs(accessTime, modificationTime, flags)
        let d = try descriptor(fd, .fdFilestatSetTimes)
        if d.readOnly { throw .rofs }
        guard let host = d.hostFD else { throw .badf }
        try WASI.sys { times.withUnsafeBufferPointer { futimens(host, $0.baseAddress) } }
    }

    /// The `[access, modification]` pair `futimens` and `utimensat` take for `fst_flags`:
    /// a time `atim`/`mtim` sets is the given one, `atim_now`/`mtim_now` the host's clock,
    /// and a time neither bit names is left alone.
    ///
    /// Returned as an array so the two `timespec`s are contiguous in memory for the host
    /// call (a pointer to the first element of a tuple is not guaranteed to reach the second).
    ///
    /// - Throws: `EINVAL` when a time is both given and "now", or for bits beyond the
    ///   four (wasmtime traps on those).
    static func timespecs(_ atim: UInt64, _ mtim: UInt64, _ flags: UInt16) throws(Errno) -> [timespec] {
        let f = FstFlags(rawValue: flags)
        if f.contains([.atim, .atimNow]) || f.contains([.mtim, .mtimNow]) { throw .inval }
        if !f.isSubset(of: [.atim, .atimNow, .mtim, .mtimNow]) { throw .inval }
        func spec(_ ns: UInt64, _ set: Bool, _ now: Bool) -> timespec {
            if now { return timespec(tv_sec: 0, tv_nsec: UTIME_NOW_VALUE) }
            if set { return timespec(tv_sec: Int(ns / 1_000_000_000), tv_nsec: Int(ns % 1_000_000_000)) }
            return timespec(tv_sec: 0, tv_nsec: UTIME_OMIT_VALUE)
        }
        return [
            spec(atim, f.contains(.atim), f.contains(.atimNow)), spec(mtim, f.contains(.mtim), f.contains(.mtimNow)),
        ]
    }

    // MARK: hints and durability

    public func fdAdvise(fd: UInt32, offset: UInt64, length: UInt64, advice: UInt8) throws(Errno) {
        let d = try descriptor(fd, .fdAdvise)
        guard let a = Advice(rawValue: advice) else { throw .inval }
        guard case .file(let host) = d.kind else { throw d.filetype == .directory ? .isdir : .spipe }
        guard d.filetype == .regularFile else { throw .spipe }
        let hostAdvice: Int32 =
            switch a {
            case .normal: POSIX_FADV_NORMAL
            case .sequential: POSIX_FADV_SEQUENTIAL
            case .random: POSIX_FADV_RANDOM
            case .willneed: POSIX_FADV_WILLNEED
            case .dontneed: POSIX_FADV_DONTNEED
            case .noreuse: POSIX_FADV_NOREUSE
            }
        let r = posix_fadvise(host, off_t(truncatingIfNeeded: offset), off_t(truncatingIfNeeded: length), hostAdvice)
        if r != 0 { throw Errno(host: r) }
    }

    public func fdAllocate(fd: UInt32, offset: UInt64, length: UInt64) throws(Errno) {
        let d = try descriptor(fd, .fdAllocate)
        if d.readOnly { throw .rofs }
        guard case .file(let host) = d.kind, d.filetype == .regularFile else {
            throw d.filetype == .directory ? .isdir : .badf
        }
        guard offset <= UInt64(Int64.max), length <= UInt64(Int64.max) - offset else { throw .fbig }
        if length == 0 { throw .inval }
        let r = posix_fallocate(host, off_t(offset), off_t(length))
        if r != 0 { throw Errno(host: r) }
    }

    public func fdSync(fd: UInt32) throws(Errno) {
        let d = try descriptor(fd, .fdSync)
        guard let host = d.hostFD else { throw .inval }
        try WASI.sys { fsync(host) }
    }

    public func fdDatasync(fd: UInt32) throws(Errno) {
        let d = try descriptor(fd, .fdDatasync)
        guard let host = d.hostFD else { throw .inval }
        try WASI.sys { fdatasync(host) }
    }

    // MARK: table

    public func fdClose(fd: UInt32) throws(Errno) {
        guard let d = table.remove(fd) else { throw .badf }
        d.closeHost()
    }

    /// Moves `fd` to `to`, closing what `to` held. Both must be open.
    public func fdRenumber(fd: UInt32, to: UInt32) throws(Errno) {
        guard let d = table[fd], let old = table[to] else { throw .badf }
        if fd == to { return }
        old.closeHost()
        table[to] = d
        table.remove(fd)
    }

    // MARK: preopens

    /// The length of the guest name of preopen `fd`.
    public func fdPrestatGet(fd: UInt32) throws(Errno) -> UInt32 {
        let d = try descriptor(fd)
        guard let name = d.preopenName else { throw .badf }
        return UInt32(name.utf8.count)
    }

    public func fdPrestatDirName(fd: UInt32) throws(Errno) -> [UInt8] {
        let d = try descriptor(fd)
        guard let name = d.preopenName else { throw .badf }
        return Array(name.utf8)
    }

    // MARK: directories

    /// One directory entry as `fd_readdir` reports it.
    public struct DirectoryEntry: Sendable, Equatable {
        public var name: String
        public var inode: UInt64
        public var filetype: FileType
    }

    /// The entries of directory `fd` (with `.` and `..`), in the host's order.
    public func directoryEntries(fd: UInt32) throws(Errno) -> [DirectoryEntry] {
        let d = try descriptor(fd, .fdReaddir)
        guard case .directory(let host) = d.kind else { throw .notdir }
        // A dup shares the offset, so rewind; the stream owns the dup.
        let dupFD = fcntl(host, F_DUPFD_CLOEXEC, 0)
        guard dupFD >= 0 else { throw Errno.current }
        guard let dir = fdopendir(dupFD) else {
            let e = Errno.current
            closeFD(dupFD)
            throw e
        }
        defer { closedir(dir) }
        rewinddir(dir)
        var entries: [DirectoryEntry] = []
        while true {
            errno = 0
            guard let ent = readdir(dir) else {
                if errno != 0 { throw Errno.current }
                break
            }
            let name = withUnsafePointer(to: &ent.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            var type = FileType(direntType: ent.pointee.d_type)
            if type == .unknown {
                var st = stat()
                if fstatat(host, name, &st, AT_SYMLINK_NOFOLLOW) == 0 { type = FileType(mode: st.st_mode) }
            }
            entries.append(DirectoryEntry(name: name, inode: UInt64(ent.pointee.d_ino), filetype: type))
        }
        return entries
    }

    /// Fills `buffer` with dirents starting at `cookie` (an entry index); the last
    /// entry may be cut off. Returns the bytes used: less than `length` means the end.
    public func fdReaddir(_ memory: GuestMemory, fd: UInt32, buffer: UInt32, length: UInt32, cookie: UInt64)
        throws(Errno) -> UInt32
    {
        // A listing starts at cookie 0; later cookies continue the same snapshot, so a
        // big directory is read once rather than once per buffer.
        let d = try descriptor(fd, .fdReaddir)
        let entries: [DirectoryEntry]
        if cookie != 0, let cached = d.directoryListing {
            entries = cached
        } else {
            entries = try directoryEntries(fd: fd)
            d.directoryListing = entries
        }
        try memory.check(buffer, Int(length))
        var out: [UInt8] = []
        out.reserveCapacity(min(Int(length), 65536))
        var index = cookie
        while index < UInt64(entries.count), out.count < Int(length) {
            let e = entries[Int(index)]
            let name = Array(e.name.utf8)
            var record = [UInt8](repeating: 0, count: Layout.dirent)
            withUnsafeBytes(of: (index + 1).littleEndian) { record.replaceSubrange(0..<8, with: $0) }
            withUnsafeBytes(of: e.inode.littleEndian) { record.replaceSubrange(8..<16, with: $0) }
            withUnsafeBytes(of: UInt32(name.count).littleEndian) { record.replaceSubrange(16..<20, with: $0) }
            record[20] = e.filetype.rawValue
            out += record
            out += name
            index += 1
        }
        let used = min(out.count, Int(length))
        try memory.write(out[0..<used], at: buffer)
        return UInt32(used)
    }
}
