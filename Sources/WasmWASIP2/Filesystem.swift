import WasmComponents
import WasmCore
import WasmWASI

/// A `descriptor` resource of `wasi:filesystem/types`: a preview1 descriptor of the context's
/// `WASI`, so every path goes through its sandbox (no absolute paths, no `..` above the
/// preopen, links resolved by hand beneath it) and read-only mounts stay read-only.
public final class HostDescriptor: HostResourceDropping, HostResourceClosing {
    public let fd: UInt32
    /// `descriptor-flags` indices (read 0, write 1, …, mutate-directory 5).
    public let flags: Set<Int>
    /// Preopens are shared by every `get-directories` result and never closed by a drop.
    let ownsDescriptor: Bool

    init(fd: UInt32, flags: Set<Int>, ownsDescriptor: Bool) {
        self.fd = fd
        self.flags = flags
        self.ownsDescriptor = ownsDescriptor
    }

    public func dropped(in context: WASIP2Context) throws { close(in: context) }

    public func close(in context: WASIP2Context) {
        if ownsDescriptor { try? context.wasi.fdClose(fd: fd) }
    }
}

/// A `directory-entry-stream` resource.
public final class HostDirectoryEntries {
    var entries: [(name: String, type: Int)]
    init(_ entries: [(name: String, type: Int)]) { self.entries = entries.reversed() }
}

/// `wasi:filesystem` 0.2: `types` and `preopens`, over the preview1 implementation.
///
/// WIT: `spin_sdk/wit/deps/filesystem/{types,preopens}.wit` (wasi:filesystem@0.2.0).
public enum WASIFilesystem {
    public static let types = "wasi:filesystem/types@0.2.0"
    public static let preopens = "wasi:filesystem/preopens@0.2.0"

    // descriptor-flags
    static let read = 0, write = 1, mutateDirectory = 5
    /// preview1 rights that make `path_open` open for writing.
    static let writeRights: Rights = [.fdWrite, .fdAllocate, .fdFilestatSetSize]
    static let readRights: Rights = [.fdRead, .fdReaddir]

    /// `descriptor-type` of a preview1 file type.
    static func descriptorType(_ t: FileType) -> Int {
        switch t {
        case .unknown: 0
        case .blockDevice: 1
        case .characterDevice: 2
        case .directory: 3
        case .symbolicLink: 5
        case .regularFile: 6
        case .socketDgram, .socketStream: 7
        }
    }

    static func datetime(_ ns: UInt64) -> ComponentValue {
        .option(.record([.u64(ns / 1_000_000_000), .u32(UInt32(ns % 1_000_000_000))]))
    }

    /// `descriptor-stat` of a preview1 `filestat`.
    static func stat(_ s: FileStat) -> ComponentValue {
        .record([
            .enumeration(descriptorType(s.filetype)), .u64(s.linkCount), .u64(s.size), datetime(s.accessTime),
            datetime(s.modificationTime), datetime(s.changeTime),
        ])
    }

    static func hash(_ s: FileStat) -> ComponentValue {
        .record([.u64(s.inode), .u64(s.device)])
    }

    /// `result<T, error-code>` of `body`.
    static func result(_ body: () throws(Errno) -> ComponentValue?) -> ComponentValue {
        do {
            return .ok(try body())
        } catch {
            return .err(.filesystemError(FilesystemErrorCode(error)))
        }
    }

    /// preview1 `lookupflags` of `path-flags`.
    static func lookup(_ a: [ComponentValue], _ i: Int) throws -> UInt32 {
        try a.flags(i).contains(0) ? 1 : 0
    }

    /// preview1 `fstflags` and times of two `new-timestamp`s.
    static func times(_ a: [ComponentValue], _ i: Int) throws -> (flags: UInt16, atime: UInt64, mtime: UInt64) {
        var flags: UInt16 = 0
        var times: [UInt64] = [0, 0]
        for k in 0..<2 {
            let (c, payload) = try a.variant(i + k)
            switch c {
            case 1: flags |= k == 0 ? 2 : 8
            case 2:
                guard case .record(let f)? = payload, f.count == 2, case .u64(let s) = f[0], case .u32(let ns) = f[1]
                else { throw a.mismatch(i + k, "new-timestamp") }
                flags |= k == 0 ? 1 : 4
                times[k] = s &* 1_000_000_000 &+ UInt64(ns)
            default: break
            }
        }
        return (flags, times[0], times[1])
    }

    /// Opens `path` beneath `dir` as `open-at` asks.
    static func openAt(
        _ c: WASIP2Context, _ dir: HostDescriptor, lookup: UInt32, path: String, openFlags: Set<Int>, flags: Set<Int>
    ) throws(Errno) -> HostDescriptor {
        var oflags: UInt16 = 0
        for (bit, index) in [(UInt16(1), 0), (2, 1), (4, 2), (8, 3)] where openFlags.contains(index) { oflags |= bit }
        var rights = Rights.all.subtracting(writeRights).subtracting(readRights)
        if flags.contains(read) || openFlags.contains(1) { rights.formUnion(readRights) }
        if flags.contains(write) && !openFlags.contains(1) { rights.formUnion(writeRights) }
        // Writing beneath a descriptor not opened for mutation is refused, as wasmtime does.
        if (flags.contains(write) || openFlags.contains(0) || openFlags.contains(3)) && !dir.flags.contains(mutateDirectory) {
            throw .perm
        }
        var newFlags = flags
        if !dir.flags.contains(mutateDirectory) { newFlags.remove(mutateDirectory) }
        let fd = try c.wasi.pathOpen(
            fd: dir.fd, dirflags: lookup, path: path, oflags: oflags, rightsBase: rights.rawValue,
            rightsInheriting: Rights.all.rawValue, fdflags: 0)
        return HostDescriptor(fd: fd, flags: newFlags, ownsDescriptor: true)
    }

    static func define(_ d: inout WASIP2Definitions) {
        d.resource(types, "descriptor")
        d.resource(types, "directory-entry-stream")

        func method(
            _ name: String, _ body: @escaping @Sendable (WASIP2Context, HostDescriptor, [ComponentValue]) throws -> ComponentValue
        ) {
            d.function(types, "[method]descriptor.\(name)") { c, a in
                try body(c, try c.table.get(a.resource(0), as: HostDescriptor.self), a)
            }
        }

        method("read-via-stream") { c, fd, a in
            let offset = try a.u64(1)
            return result { () throws(Errno) in
                _ = try c.wasi.fdFilestatGet(fd: fd.fd)
                return c.own(HostInputStream(.descriptor(fd: fd.fd, offset: offset)))
            }
        }
        method("write-via-stream") { c, fd, a in
            let offset = try a.u64(1)
            return result { () throws(Errno) in
                guard fd.flags.contains(write) else { throw .badf }
                return c.own(HostOutputStream(.descriptor(fd: fd.fd, offset: offset)))
            }
        }
        method("append-via-stream") { c, fd, _ in
            result { () throws(Errno) in
                guard fd.flags.contains(write) else { throw .badf }
                return c.own(HostOutputStream(.append(fd: fd.fd)))
            }
        }
        method("advise") { c, fd, a in
            let (offset, length, advice) = (try a.u64(1), try a.u64(2), try a.enumeration(3))
            return result { () throws(Errno) in
                try c.wasi.fdAdvise(fd: fd.fd, offset: offset, length: length, advice: UInt8(advice))
                return nil
            }
        }
        method("sync-data") { c, fd, _ in result { () throws(Errno) in try c.wasi.fdDatasync(fd: fd.fd); return nil } }
        method("sync") { c, fd, _ in result { () throws(Errno) in try c.wasi.fdSync(fd: fd.fd); return nil } }
        method("get-flags") { _, fd, _ in .ok(.flags(fd.flags)) }
        method("get-type") { c, fd, _ in
            result { () throws(Errno) in .enumeration(descriptorType(try c.wasi.fdFilestatGet(fd: fd.fd).filetype)) }
        }
        method("set-size") { c, fd, a in
            let size = try a.u64(1)
            return result { () throws(Errno) in
                guard fd.flags.contains(write) else { throw .badf }
                try c.wasi.fdFilestatSetSize(fd: fd.fd, size: size)
                return nil
            }
        }
        method("set-times") { c, fd, a in
            let t = try times(a, 1)
            return result { () throws(Errno) in
                try c.wasi.fdFilestatSetTimes(fd: fd.fd, accessTime: t.atime, modificationTime: t.mtime, flags: t.flags)
                return nil
            }
        }
        method("read") { c, fd, a in
            let (length, offset) = (try a.u64(1), try a.u64(2))
            return result { () throws(Errno) in
                guard fd.flags.contains(read) else { throw .badf }
                let bytes = try c.wasi.readBytes(fd: fd.fd, count: Int(min(length, 1 << 20)), offset: offset)
                return .tuple([.bytes(bytes), .bool(UInt64(bytes.count) < length)])
            }
        }
        method("write") { c, fd, a in
            let (bytes, offset) = (try a.bytes(1), try a.u64(2))
            return result { () throws(Errno) in
                guard fd.flags.contains(write) else { throw .badf }
                return .u64(UInt64(try c.wasi.writeBytes(fd: fd.fd, bytes, offset: offset)))
            }
        }
        method("read-directory") { c, fd, _ in
            result { () throws(Errno) in
                let entries = try c.wasi.directoryEntries(fd: fd.fd).filter { $0.name != "." && $0.name != ".." }
                return c.own(HostDirectoryEntries(entries.map { ($0.name, descriptorType($0.filetype)) }))
            }
        }
        method("create-directory-at") { c, fd, a in
            let path = try a.string(1)
            return result { () throws(Errno) in
                guard fd.flags.contains(mutateDirectory) else { throw .perm }
                try c.wasi.pathCreateDirectory(fd: fd.fd, path: path)
                return nil
            }
        }
        method("stat") { c, fd, _ in result { () throws(Errno) in stat(try c.wasi.fdFilestatGet(fd: fd.fd)) } }
        method("stat-at") { c, fd, a in
            let (flags, path) = (try lookup(a, 1), try a.string(2))
            return result { () throws(Errno) in stat(try c.wasi.pathFilestatGet(fd: fd.fd, flags: flags, path: path)) }
        }
        method("set-times-at") { c, fd, a in
            let (flags, path, t) = (try lookup(a, 1), try a.string(2), try times(a, 3))
            return result { () throws(Errno) in
                guard fd.flags.contains(mutateDirectory) else { throw .perm }
                try c.wasi.pathFilestatSetTimes(
                    fd: fd.fd, flags: flags, path: path, accessTime: t.atime, modificationTime: t.mtime, fstFlags: t.flags)
                return nil
            }
        }
        method("link-at") { c, fd, a in
            let (flags, old) = (try lookup(a, 1), try a.string(2))
            let target = try c.table.get(a.resource(3), as: HostDescriptor.self)
            let new = try a.string(4)
            return result { () throws(Errno) in
                guard target.flags.contains(mutateDirectory) else { throw .perm }
                try c.wasi.pathLink(oldFD: fd.fd, oldFlags: flags, oldPath: old, newFD: target.fd, newPath: new)
                return nil
            }
        }
        method("open-at") { c, fd, a in
            let (lookupFlags, path, openFlags, flags) = (try lookup(a, 1), try a.string(2), try a.flags(3), try a.flags(4))
            return result { () throws(Errno) in
                c.own(try openAt(c, fd, lookup: lookupFlags, path: path, openFlags: openFlags, flags: flags))
            }
        }
        method("readlink-at") { c, fd, a in
            let path = try a.string(1)
            return result { () throws(Errno) in
                .string(String(decoding: try c.wasi.pathReadlink(fd: fd.fd, path: path), as: UTF8.self))
            }
        }
        method("remove-directory-at") { c, fd, a in
            let path = try a.string(1)
            return result { () throws(Errno) in
                guard fd.flags.contains(mutateDirectory) else { throw .perm }
                try c.wasi.pathRemoveDirectory(fd: fd.fd, path: path)
                return nil
            }
        }
        method("rename-at") { c, fd, a in
            let old = try a.string(1)
            let target = try c.table.get(a.resource(2), as: HostDescriptor.self)
            let new = try a.string(3)
            return result { () throws(Errno) in
                guard fd.flags.contains(mutateDirectory), target.flags.contains(mutateDirectory) else { throw .perm }
                try c.wasi.pathRename(fd: fd.fd, oldPath: old, newFD: target.fd, newPath: new)
                return nil
            }
        }
        method("symlink-at") { c, fd, a in
            let (old, new) = (try a.string(1), try a.string(2))
            return result { () throws(Errno) in
                guard fd.flags.contains(mutateDirectory) else { throw .perm }
                try c.wasi.pathSymlink(target: old, fd: fd.fd, newPath: new)
                return nil
            }
        }
        method("unlink-file-at") { c, fd, a in
            let path = try a.string(1)
            return result { () throws(Errno) in
                guard fd.flags.contains(mutateDirectory) else { throw .perm }
                try c.wasi.pathUnlinkFile(fd: fd.fd, path: path)
                return nil
            }
        }
        method("is-same-object") { c, fd, a in
            let other = try c.table.get(a.resource(1), as: HostDescriptor.self)
            guard let x = try? c.wasi.fdFilestatGet(fd: fd.fd), let y = try? c.wasi.fdFilestatGet(fd: other.fd) else {
                return .bool(false)
            }
            return .bool(x.device == y.device && x.inode == y.inode)
        }
        method("metadata-hash") { c, fd, _ in result { () throws(Errno) in hash(try c.wasi.fdFilestatGet(fd: fd.fd)) } }
        method("metadata-hash-at") { c, fd, a in
            let (flags, path) = (try lookup(a, 1), try a.string(2))
            return result { () throws(Errno) in hash(try c.wasi.pathFilestatGet(fd: fd.fd, flags: flags, path: path)) }
        }
        d.function(types, "[method]directory-entry-stream.read-directory-entry") { c, a in
            let s = try c.table.get(a.resource(0), as: HostDirectoryEntries.self)
            guard let e = s.entries.popLast() else { return .ok(.option(nil)) }
            return .ok(.option(.record([.enumeration(e.type), .string(e.name)])))
        }
        d.function(types, "filesystem-error-code") { c, a in
            guard let e = c.table.lookup(try a.resource(0), as: HostIOError.self), let code = e.filesystemCode else {
                return .option(nil)
            }
            return .option(.filesystemError(code))
        }
        d.function(preopens, "get-directories") { c, _ in
            .list(
                zip(c.wasi.configuration.preopens, c.wasi.preopenedDirectories).map { preopen, dir in
                    var flags: Set<Int> = [read]
                    if !preopen.readOnly { flags.formUnion([write, mutateDirectory]) }
                    return .tuple([c.own(HostDescriptor(fd: dir.fd, flags: flags, ownsDescriptor: false)), .string(dir.guestPath)])
                })
        }
    }
}
