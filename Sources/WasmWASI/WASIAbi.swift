/// Types, constants and memory layouts of `wasi_snapshot_preview1`.
///
/// Source of truth: WASI `phases/snapshot/witx/typenames.witx` (preview1).
/// Layouts are little-endian, as in linear memory.

/// A WASI error number. The raw values are the preview1 `errno` numbering;
/// the case names follow the witx names (`2big` is spelled `tooBig`).
public enum Errno: UInt16, Error, Sendable, CaseIterable, CustomStringConvertible {
    case success = 0
    case tooBig = 1
    case acces, addrinuse, addrnotavail, afnosupport, again, already, badf, badmsg, busy
    case canceled, child, connaborted, connrefused, connreset, deadlk, destaddrreq, dom, dquot
    case exist, fault, fbig, hostunreach, idrm, ilseq, inprogress, intr, inval, io, isconn
    case isdir, loop, mfile, mlink, msgsize, multihop, nametoolong, netdown, netreset, netunreach
    case nfile, nobufs, nodev, noent, noexec, nolck, nolink, nomem, nomsg, noprotoopt, nospc
    case nosys, notconn, notdir, notempty, notrecoverable, notsock, notsup, notty, nxio, overflow
    case ownerdead, perm, pipe, proto, protonosupport, prototype, range, rofs, spipe, srch, stale
    case timedout, txtbsy, xdev, notcapable

    /// The witx name, e.g. `badf`.
    public var name: String { Errno.names[Int(rawValue)] }

    /// `EBADF`-style name.
    public var description: String { "E" + name.uppercased() }

    private static let names: [String] = [
        "success",
        "2big",
        "acces",
        "addrinuse",
        "addrnotavail",
        "afnosupport",
        "again",
        "already",
        "badf",
        "badmsg",
        "busy",
        "canceled",
        "child",
        "connaborted",
        "connrefused",
        "connreset",
        "deadlk",
        "destaddrreq",
        "dom",
        "dquot",
        "exist",
        "fault",
        "fbig",
        "hostunreach",
        "idrm",
        "ilseq",
        "inprogress",
        "intr",
        "inval",
        "io",
        "isconn",
        "isdir",
        "loop",
        "mfile",
        "mlink",
        "msgsize",
        "multihop",
        "nametoolong",
        "netdown",
        "netreset",
        "netunreach",
        "nfile",
        "nobufs",
        "nodev",
        "noent",
        "noexec",
        "nolck",
        "nolink",
        "nomem",
        "nomsg",
        "noprotoopt",
        "nospc",
        "nosys",
        "notconn",
        "notdir",
        "notempty",
        "notrecoverable",
        "notsock",
        "notsup",
        "notty",
        "nxio",
        "overflow",
        "ownerdead",
        "perm",
        "pipe",
        "proto",
        "protonosupport",
        "prototype",
        "range",
        "rofs",
        "spipe",
        "srch",
        "stale",
        "timedout",
        "txtbsy",
        "xdev",
        "notcapable",
    ]
}

/// `filetype`
public enum FileType: UInt8, Sendable {
    case unknown = 0, blockDevice, characterDevice, directory, regularFile, socketDgram, socketStream, symbolicLink
}

/// `rights` bit flags.
public struct Rights: OptionSet, Sendable, Hashable {
    public let rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    public static let fdDatasync = Rights(rawValue: 1 << 0)
    public static let fdRead = Rights(rawValue: 1 << 1)
    public static let fdSeek = Rights(rawValue: 1 << 2)
    public static let fdFdstatSetFlags = Rights(rawValue: 1 << 3)
    public static let fdSync = Rights(rawValue: 1 << 4)
    public static let fdTell = Rights(rawValue: 1 << 5)
    public static let fdWrite = Rights(rawValue: 1 << 6)
    public static let fdAdvise = Rights(rawValue: 1 << 7)
    public static let fdAllocate = Rights(rawValue: 1 << 8)
    public static let pathCreateDirectory = Rights(rawValue: 1 << 9)
    public static let pathCreateFile = Rights(rawValue: 1 << 10)
    public static let pathLinkSource = Rights(rawValue: 1 << 11)
    public static let pathLinkTarget = Rights(rawValue: 1 << 12)
    public static let pathOpen = Rights(rawValue: 1 << 13)
    public static let fdReaddir = Rights(rawValue: 1 << 14)
    public static let pathReadlink = Rights(rawValue: 1 << 15)
    public static let pathRenameSource = Rights(rawValue: 1 << 16)
    public static let pathRenameTarget = Rights(rawValue: 1 << 17)
    public static let pathFilestatGet = Rights(rawValue: 1 << 18)
    public static let pathFilestatSetSize = Rights(rawValue: 1 << 19)
    public static let pathFilestatSetTimes = Rights(rawValue: 1 << 20)
    public static let fdFilestatGet = Rights(rawValue: 1 << 21)
    public static let fdFilestatSetSize = Rights(rawValue: 1 << 22)
    public static let fdFilestatSetTimes = Rights(rawValue: 1 << 23)
    public static let pathSymlink = Rights(rawValue: 1 << 24)
    public static let pathRemoveDirectory = Rights(rawValue: 1 << 25)
    public static let pathUnlinkFile = Rights(rawValue: 1 << 26)
    public static let pollFdReadwrite = Rights(rawValue: 1 << 27)
    public static let sockShutdown = Rights(rawValue: 1 << 28)
    public static let sockAccept = Rights(rawValue: 1 << 29)

    public static let all = Rights(rawValue: (1 << 30) - 1)

    /// Rights meaningful on a regular file.
    public static let regularFile: Rights = [
        .fdDatasync, .fdRead, .fdSeek, .fdFdstatSetFlags, .fdSync, .fdTell, .fdWrite, .fdAdvise,
        .fdAllocate, .fdFilestatGet, .fdFilestatSetSize, .fdFilestatSetTimes, .pollFdReadwrite,
    ]
    /// Rights meaningful on a directory (its own operations and path operations beneath it).
    public static let directory: Rights = [
        .fdFdstatSetFlags, .fdSync, .fdAdvise, .pathCreateDirectory, .pathCreateFile, .pathLinkSource,
        .pathLinkTarget, .pathOpen, .fdReaddir, .pathReadlink, .pathRenameSource, .pathRenameTarget,
        .pathFilestatGet, .pathFilestatSetSize, .pathFilestatSetTimes, .fdFilestatGet,
        .fdFilestatSetTimes, .pathSymlink, .pathRemoveDirectory, .pathUnlinkFile,
    ]
    /// Rights that change a file system; removed under a read-only preopen.
    public static let mutating: Rights = [
        .fdDatasync, .fdWrite, .fdAllocate, .fdFilestatSetSize, .fdFilestatSetTimes, .pathCreateDirectory,
        .pathCreateFile, .pathLinkTarget, .pathLinkSource, .pathRenameSource, .pathRenameTarget,
        .pathFilestatSetSize, .pathFilestatSetTimes, .pathSymlink, .pathRemoveDirectory, .pathUnlinkFile,
    ]
    /// Rights of a character stream (stdio).
    public static let stream: Rights = [.fdRead, .fdWrite, .fdFdstatSetFlags, .fdFilestatGet, .pollFdReadwrite]

    // MARK: what fd_fdstat_get reports

    // wasmtime (49) does not enforce rights; `fd_fdstat_get` reports fixed sets per kind of
    // descriptor, which wasi-libc and Rust's std read back (`isatty`, `fcntl(F_GETFL)`, the
    // rights `open` asks for). These are those sets; what is enforced here is separate.

    /// What a preopened directory reports as its base rights: the fixed set many userlands
    /// expect (wasmtime: 129498624).
    public static let reportedPreopenBase: Rights = [
        .pathCreateDirectory, .pathCreateFile, .pathLinkSource, .pathLinkTarget, .pathOpen, .fdReaddir,
        .pathReadlink, .pathRenameSource, .pathRenameTarget, .pathSymlink, .pathRemoveDirectory, .pathUnlinkFile,
        .pathFilestatGet, .pathFilestatSetTimes, .fdFilestatGet, .fdFilestatSetTimes,
    ]
    /// What a preopened directory reports as its inheriting rights (wasmtime: 267911167).
    public static let reportedPreopenInheriting: Rights = reportedPreopenBase.union([
        .fdDatasync, .fdRead, .fdSeek, .fdFdstatSetFlags, .fdSync, .fdTell, .fdWrite, .fdAdvise, .fdAllocate,
        .fdFilestatGet, .fdFilestatSetSize, .fdFilestatSetTimes, .pollFdReadwrite,
    ])

    /// What a file or directory opened with `path_open` reports, as both its base and its
    /// inheriting rights: every right, less `fd_seek` and the set-size rights for a
    /// directory (`fd_tell` stays), the read rights when it is not open for reading, and
    /// `fd_write` when it is not open for writing.
    ///
    /// For example a regular file open read-only reports 1073741759, write-only
    /// 1073725437, read-write 1073741823, and a directory 1069023163.
    public static func reportedForOpened(filetype: FileType, readable: Bool, writable: Bool) -> Rights {
        var rights = Rights.all
        if filetype == .directory { rights.subtract([.fdSeek, .fdFilestatSetSize, .pathFilestatSetSize]) }
        if !readable { rights.subtract([.fdRead, .fdReaddir]) }
        if !writable { rights.remove(.fdWrite) }
        return rights
    }
}

/// `fdflags`
public struct FdFlags: OptionSet, Sendable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public static let append = FdFlags(rawValue: 1 << 0)
    public static let dsync = FdFlags(rawValue: 1 << 1)
    public static let nonblock = FdFlags(rawValue: 1 << 2)
    public static let rsync = FdFlags(rawValue: 1 << 3)
    public static let sync = FdFlags(rawValue: 1 << 4)
}

/// `oflags`
public struct OFlags: OptionSet, Sendable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public static let creat = OFlags(rawValue: 1 << 0)
    public static let directory = OFlags(rawValue: 1 << 1)
    public static let excl = OFlags(rawValue: 1 << 2)
    public static let trunc = OFlags(rawValue: 1 << 3)
}

/// `lookupflags`
public struct LookupFlags: OptionSet, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public static let symlinkFollow = LookupFlags(rawValue: 1 << 0)
}

/// `fstflags`
public struct FstFlags: OptionSet, Sendable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public static let atim = FstFlags(rawValue: 1 << 0)
    public static let atimNow = FstFlags(rawValue: 1 << 1)
    public static let mtim = FstFlags(rawValue: 1 << 2)
    public static let mtimNow = FstFlags(rawValue: 1 << 3)
}

/// `whence`
public enum Whence: UInt8, Sendable {
    case set = 0, cur, end
}

/// `clockid`
public enum ClockID: UInt32, Sendable {
    case realtime = 0, monotonic, processCPUTime, threadCPUTime
}

/// `advice`
public enum Advice: UInt8, Sendable {
    case normal = 0, sequential, random, willneed, dontneed, noreuse
}

/// `eventtype`
public enum EventType: UInt8, Sendable {
    case clock = 0, fdRead, fdWrite
}

/// `subclockflags`: the timeout is an absolute time of the clock.
public let subscriptionClockAbstime: UInt16 = 1
/// `eventrwflags`: the peer of a stream hung up.
public let eventFdReadwriteHangup: UInt16 = 1

/// `filestat`: 64 bytes.
public struct FileStat: Sendable, Equatable {
    public var device: UInt64 = 0
    public var inode: UInt64 = 0
    public var filetype: FileType = .unknown
    public var linkCount: UInt64 = 0
    public var size: UInt64 = 0
    public var accessTime: UInt64 = 0
    public var modificationTime: UInt64 = 0
    public var changeTime: UInt64 = 0

    public static let size = 64

    public init() {}

    func write(to memory: GuestMemory, at p: UInt32) throws(Errno) {
        try memory.check(p, FileStat.size)
        try memory.zero(p, FileStat.size)
        try memory.store(device, at: p)
        try memory.store(inode, at: p + 8)
        try memory.store(filetype.rawValue, at: p + 16)
        try memory.store(linkCount, at: p + 24)
        try memory.store(size, at: p + 32)
        try memory.store(accessTime, at: p + 40)
        try memory.store(modificationTime, at: p + 48)
        try memory.store(changeTime, at: p + 56)
    }
}

/// `fdstat`: 24 bytes.
public struct FdStat: Sendable, Equatable {
    public var filetype: FileType
    public var flags: UInt16
    public var rightsBase: Rights
    public var rightsInheriting: Rights

    public static let size = 24

    public static func == (a: FdStat, b: FdStat) -> Bool {
        a.filetype == b.filetype && a.flags == b.flags && a.rightsBase == b.rightsBase
            && a.rightsInheriting == b.rightsInheriting
    }

    func write(to memory: GuestMemory, at p: UInt32) throws(Errno) {
        try memory.check(p, FdStat.size)
        try memory.zero(p, FdStat.size)
        try memory.store(filetype.rawValue, at: p)
        try memory.store(flags, at: p + 2)
        try memory.store(rightsBase.rawValue, at: p + 8)
        try memory.store(rightsInheriting.rawValue, at: p + 16)
    }
}

/// Byte sizes of the other records.
enum Layout {
    /// `prestat`: u8 tag (0 = dir) at 0, u32 name length at 4.
    static let prestat = 8
    /// `dirent`: u64 d_next, u64 d_ino, u32 d_namlen, u8 d_type; the name follows.
    static let dirent = 24
    /// `iovec` / `ciovec`: u32 buf, u32 buf_len.
    static let iovec = 8
    /// `subscription`: u64 userdata, u8 tag at 8, union at 16.
    static let subscription = 48
    /// `event`: u64 userdata, u16 error at 8, u8 type at 10, u64 nbytes at 16, u16 flags at 24.
    static let event = 32
}
