#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `path_*`: operations on paths beneath a directory descriptor, resolved by `Sandbox`.
extension WASI {
    /// Opens `path` beneath directory `fd`; returns the new descriptor number.
    public func pathOpen(
        fd: UInt32, dirflags: UInt32, path: String, oflags: UInt16, rightsBase: UInt64, rightsInheriting: UInt64,
        fdflags: UInt16
    ) throws(Errno) -> UInt32 {
        let (parent, host) = try directory(fd, .pathOpen)
        let o = OFlags(rawValue: oflags)
        let f = FdFlags(rawValue: fdflags)
        let requested = Rights(rawValue: rightsBase)
        // Directories are always opened for reading; write rights on them only pass on to what is opened beneath.
        let wantsWrite =
            (!o.contains(.directory) && !requested.isDisjoint(with: [.fdWrite, .fdAllocate, .fdFilestatSetSize]))
            || o.contains(.trunc)
        let wantsRead = !requested.isDisjoint(with: [.fdRead, .fdReaddir])
        if parent.readOnly && (wantsWrite || o.contains(.creat)) { throw .rofs }
        if o.contains(.creat) && !parent.rightsBase.contains(.pathCreateFile) { throw .notcapable }
        if o.contains(.trunc) && !parent.rightsBase.contains(.pathFilestatSetSize) { throw .notcapable }

        var flags = O_NOFOLLOW | O_CLOEXEC
        if o.contains(.directory) {
            flags |= O_DIRECTORY | O_RDONLY
        } else if wantsWrite {
            flags |= wantsRead ? O_RDWR : O_WRONLY
        } else {
            flags |= O_RDONLY
        }
        if o.contains(.creat) { flags |= O_CREAT }
        if o.contains(.excl) { flags |= O_EXCL }
        if o.contains(.trunc) { flags |= O_TRUNC }
        if f.contains(.append) { flags |= O_APPEND }
        if f.contains(.nonblock) { flags |= O_NONBLOCK }
        if f.contains(.dsync) { flags |= O_DSYNC }
        if f.contains(.sync) { flags |= O_SYNC }
        if f.contains(.rsync) { flags |= O_RSYNC }
        // O_CREAT|O_EXCL never follows a final link (POSIX: EEXIST).
        let follow = LookupFlags(rawValue: dirflags).contains(.symlinkFollow) && !o.contains([.creat, .excl])

        let newHost = try Sandbox.resolve(root: host, path: path, followFinal: follow) {
            dir, name, trailing throws(Errno) in
            try WASI.sys { openat(dir, name, trailing ? flags | O_DIRECTORY : flags, 0o666) }
        }
        let type = WASI.hostFiletype(newHost)
        let kind: Descriptor.Kind = type == .directory ? .directory(newHost) : .file(newHost)
        // Reported as wasmtime does, from what the descriptor is and how it is open rather
        // than from the rights asked for; under a read-only preopen, without the rights to change anything.
        let access = flags & O_ACCMODE
        var reported = Rights.reportedForOpened(
            filetype: type, readable: access != O_WRONLY, writable: access != O_RDONLY)
        if parent.readOnly { reported.subtract(.mutating) }
        let d = Descriptor(
            kind: kind, filetype: type,
            rightsBase: requested.intersection(parent.rightsInheriting),
            rightsInheriting: Rights(rawValue: rightsInheriting).intersection(parent.rightsInheriting),
            reportedRights: (reported, reported), readOnly: parent.readOnly)
        do {
            return try table.insert(d)
        } catch {
            d.closeHost()
            throw error
        }
    }

    public func pathCreateDirectory(fd: UInt32, path: String) throws(Errno) {
        let (_, host) = try directory(fd, .pathCreateDirectory)
        try Sandbox.resolve(root: host, path: path, followFinal: false) { dir, name, _ throws(Errno) in
            try WASI.sys { mkdirat(dir, name, 0o777) }
        }
    }

    public func pathFilestatGet(fd: UInt32, flags: UInt32, path: String) throws(Errno) -> FileStat {
        let (_, host) = try directory(fd, .pathFilestatGet)
        let follow = LookupFlags(rawValue: flags).contains(.symlinkFollow)
        return try Sandbox.resolve(root: host, path: path, followFinal: follow) { dir, name, trailing throws(Errno) in
            var st = stat()
            try WASI.sys { fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) }
            let s = FileStat(st)
            if trailing && s.filetype != .directory { throw .notdir }
            return s
        }
    }

    /// Sets the access and modification times of `path` beneath directory `fd`, as
    /// `fstFlags` asks (see `timespecs`); a final link is followed when `flags` says so.
    public func pathFilestatSetTimes(
        fd: UInt32, flags: UInt32, path: String, accessTime: UInt64, modificationTime: UInt64, fstFlags: UInt16
    ) throws(Errno) {
        // As in wasmtime, invalid flags are refused before the descriptor and the path are looked at.
        let times = try WASI.timespecs(accessTime, modificationTime, fstFlags)
        let (_, host) = try directory(fd, .pathFilestatSetTimes)
        let follow = LookupFlags(rawValue: flags).contains(.symlinkFollow)
        try Sandbox.resolve(root: host, path: path, followFinal: follow) { dir, name, _ throws(Errno) in
            try WASI.sys { times.withUnsafeBufferPointer { utimensat(dir, name, $0.baseAddress, AT_SYMLINK_NOFOLLOW) } }
        }
    }

    public func pathLink(oldFD: UInt32, oldFlags: UInt32, oldPath: String, newFD: UInt32, newPath: String) throws(Errno)
    {
        let (_, oldHost) = try directory(oldFD, .pathLinkSource)
        let (_, newHost) = try directory(newFD, .pathLinkTarget)
        let follow = LookupFlags(rawValue: oldFlags).contains(.symlinkFollow)
        try Sandbox.resolve(root: oldHost, path: oldPath, followFinal: follow) { od, on, _ throws(Errno) in
            try Sandbox.resolve(root: newHost, path: newPath, followFinal: false) { nd, nn, trailing throws(Errno) in
                if trailing { throw .noent }
                try WASI.sys { linkat(od, on, nd, nn, 0) }
            }
        }
    }

    /// The target of link `path`, cut to `capacity` bytes.
    public func pathReadlink(fd: UInt32, path: String, capacity: Int = Int(PATH_MAX)) throws(Errno) -> [UInt8] {
        let (_, host) = try directory(fd, .pathReadlink)
        return try Sandbox.resolve(root: host, path: path, followFinal: false) { dir, name, _ throws(Errno) in
            var buffer = [UInt8](repeating: 0, count: Int(PATH_MAX) + 1)
            let n = try WASI.sys {
                buffer.withUnsafeMutableBytes {
                    readlinkat(dir, name, $0.baseAddress!.assumingMemoryBound(to: CChar.self), $0.count)
                }
            }
            return Array(buffer[0..<min(n, capacity)])
        }
    }

    public func pathRemoveDirectory(fd: UInt32, path: String) throws(Errno) {
        let (_, host) = try directory(fd, .pathRemoveDirectory)
        try Sandbox.resolve(root: host, path: path, followFinal: false) { dir, name, _ throws(Errno) in
            try WASI.sys { unlinkat(dir, name, AT_REMOVEDIR) }
        }
    }

    public func pathRename(fd: UInt32, oldPath: String, newFD: UInt32, newPath: String) throws(Errno) {
        let (_, oldHost) = try directory(fd, .pathRenameSource)
        let (_, newHost) = try directory(newFD, .pathRenameTarget)
        try Sandbox.resolve(root: oldHost, path: oldPath, followFinal: false) { od, on, oldTrailing throws(Errno) in
            try Sandbox.resolve(root: newHost, path: newPath, followFinal: false) { nd, nn, newTrailing throws(Errno) in
                if oldTrailing || newTrailing {
                    var st = stat()
                    try WASI.sys { fstatat(od, on, &st, AT_SYMLINK_NOFOLLOW) }
                    if FileType(mode: st.st_mode) != .directory { throw .notdir }
                }
                try WASI.sys { renameat(od, on, nd, nn) }
            }
        }
    }

    /// Creates link `newPath` with contents `target`. Absolute targets are refused;
    /// relative ones may point anywhere but are only ever followed inside the sandbox.
    public func pathSymlink(target: String, fd: UInt32, newPath: String) throws(Errno) {
        let (_, host) = try directory(fd, .pathSymlink)
        if target.utf8.first == UInt8(ascii: "/") { throw .notcapable }
        try Sandbox.resolve(root: host, path: newPath, followFinal: false) { dir, name, trailing throws(Errno) in
            if trailing { throw .noent }
            try WASI.sys { symlinkat(target, dir, name) }
        }
    }

    public func pathUnlinkFile(fd: UInt32, path: String) throws(Errno) {
        let (_, host) = try directory(fd, .pathUnlinkFile)
        try Sandbox.resolve(root: host, path: path, followFinal: false) { dir, name, trailing throws(Errno) in
            if trailing {
                var st = stat()
                try WASI.sys { fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) }
                throw FileType(mode: st.st_mode) == .directory ? .isdir : .notdir
            }
            try WASI.sys { unlinkat(dir, name, 0) }
        }
    }
}
