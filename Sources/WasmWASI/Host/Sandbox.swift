#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Resolves guest paths beneath a directory descriptor without ever leaving it.
///
/// Components are walked one by one, openat-style: every intermediate directory
/// is opened with `O_NOFOLLOW` relative to the descriptor of its parent, `..`
/// returns to a descriptor already held (never asks the kernel for `..`), and
/// symbolic links are read with `readlinkat` and spliced into the remaining
/// path by hand, so the kernel never follows a link on our behalf. Absolute
/// paths, absolute link targets and `..` above the start are `ENOTCAPABLE`.
/// Because the final operation is always an `*at` call on a held directory
/// descriptor with a single name and no-follow semantics, swapping a
/// component for a link between check and use cannot redirect it outside.
enum Sandbox {
    /// Links followed in one resolution before `ELOOP` (Linux's own limit).
    static let maxSymlinks = 40

    #if os(Linux)
        static let O_PATH: Int32 = 0o10000000
    #else
        static let O_PATH: Int32 = 0
    #endif

    /// Resolves `path` beneath `root` and runs `body` with the directory that
    /// holds the final component, the component's name (`"."` when the path
    /// names a directory itself) and whether the path ended in `/`.
    ///
    /// With `followFinal`, a final component that is a symbolic link is
    /// followed (within the sandbox) before `body` runs.
    @discardableResult
    static func resolve<R>(
        root: Int32, path: String, followFinal: Bool,
        _ body: (_ dir: Int32, _ name: String, _ trailingSlash: Bool) throws(Errno) -> R
    ) throws(Errno) -> R {
        if path.isEmpty { throw .noent }
        if path.utf8.first == UInt8(ascii: "/") { throw .notcapable }
        var trailingSlash = path.utf8.last == UInt8(ascii: "/")
        // Remaining components, last one first.
        var pending: [String] = components(path).reversed()
        var opened: [Int32] = []
        defer { for fd in opened { _ = close(fd) } }
        var links = 0

        func splice(_ target: String) throws(Errno) {
            links += 1
            if links > maxSymlinks { throw .loop }
            if target.isEmpty { throw .noent }
            if target.utf8.first == UInt8(ascii: "/") { throw .notcapable }
            if pending.isEmpty && target.utf8.last == UInt8(ascii: "/") { trailingSlash = true }
            pending.append(contentsOf: components(target).reversed())
        }

        while let name = pending.popLast() {
            let current = opened.last ?? root
            if name == "." { continue }
            if name == ".." {
                guard let fd = opened.popLast() else { throw .notcapable }
                _ = close(fd)
                continue
            }
            if pending.isEmpty {
                if followFinal || trailingSlash, let target = readLink(current, name) {
                    try splice(target)
                    continue
                }
                return try body(current, name, trailingSlash)
            }
            let fd = openat(current, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0)
            if fd >= 0 {
                opened.append(fd)
                continue
            }
            let error = errno
            if error == ENOTDIR || error == ELOOP, let target = readLink(current, name) {
                try splice(target)
                continue
            }
            throw Errno(host: error)
        }
        return try body(opened.last ?? root, ".", trailingSlash)
    }

    static func components(_ path: String) -> [String] {
        path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    }

    /// The target of the link `name` in `dir`, or nil when it is not a link.
    static func readLink(_ dir: Int32, _ name: String) -> String? {
        var buffer = [UInt8](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = buffer.withUnsafeMutableBytes {
            readlinkat(dir, name, $0.baseAddress!.assumingMemoryBound(to: CChar.self), $0.count)
        }
        guard n >= 0 else { return nil }
        return String(decoding: buffer[0..<n], as: UTF8.self)
    }
}

/// Helpers over `stat`.
extension FileStat {
    init(_ st: stat) {
        self.init()
        device = UInt64(truncatingIfNeeded: st.st_dev)
        inode = UInt64(truncatingIfNeeded: st.st_ino)
        filetype = FileType(mode: st.st_mode)
        linkCount = UInt64(truncatingIfNeeded: st.st_nlink)
        size = UInt64(truncatingIfNeeded: st.st_size)
        accessTime = nanoseconds(st.st_atim)
        modificationTime = nanoseconds(st.st_mtim)
        changeTime = nanoseconds(st.st_ctim)
    }
}

func nanoseconds(_ ts: timespec) -> UInt64 {
    UInt64(truncatingIfNeeded: ts.tv_sec) &* 1_000_000_000 &+ UInt64(truncatingIfNeeded: ts.tv_nsec)
}

extension FileType {
    init(mode: mode_t) {
        switch mode & S_IFMT {
        case S_IFREG: self = .regularFile
        case S_IFDIR: self = .directory
        case S_IFLNK: self = .symbolicLink
        case S_IFCHR: self = .characterDevice
        case S_IFBLK: self = .blockDevice
        case S_IFSOCK: self = .socketStream
        default: self = .unknown
        }
    }

    init(direntType: UInt8) {
        switch Int32(direntType) {
        case Int32(DT_REG): self = .regularFile
        case Int32(DT_DIR): self = .directory
        case Int32(DT_LNK): self = .symbolicLink
        case Int32(DT_CHR): self = .characterDevice
        case Int32(DT_BLK): self = .blockDevice
        case Int32(DT_SOCK): self = .socketStream
        default: self = .unknown
        }
    }
}

/// `close(2)`, callable where a `close()` method shadows it.
func closeFD(_ fd: Int32) { _ = close(fd) }

/// `read(2)` and `write(2)`, callable where WASI methods of the same name shadow them.
func hostRead(_ fd: Int32, _ p: UnsafeMutableRawPointer?, _ n: Int) -> Int { read(fd, p, n) }
func hostWrite(_ fd: Int32, _ p: UnsafeRawPointer?, _ n: Int) -> Int { write(fd, p, n) }
