#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One open guest file descriptor.
final class Descriptor {
    enum Kind {
        /// Bytes served from memory (stdin in WAGI); `position` is the read offset.
        case memoryInput
        /// Bytes handed to an in-memory sink.
        case memoryOutput(OutputSink)
        /// A host descriptor that is not a directory (file, inherited stdio).
        case file(Int32)
        /// A host directory descriptor; path operations resolve beneath it.
        case directory(Int32)
    }

    var kind: Kind
    var filetype: FileType
    /// The rights calls on this descriptor are checked against.
    var rightsBase: Rights
    var rightsInheriting: Rights
    /// The rights `fd_fdstat_get` reports: wasmtime's for this kind of descriptor (see
    /// `Rights.reportedPreopenBase`, `Rights.reportedForOpened`), which can name rights
    /// not enforced here and leave out rights that are.
    var reportedRightsBase: Rights
    var reportedRightsInheriting: Rights
    /// One of the guest's standard streams, wherever it leads. `fd_fdstat_get` reports
    /// these as wasmtime does: no fdflags, and a character device only for a terminal.
    var isStdio = false
    /// Nothing beneath may be created, changed or removed.
    var readOnly: Bool
    /// Whether the host descriptor is ours to close (inherited stdio is not).
    var owned: Bool
    /// The guest name of a preopened directory.
    var preopenName: String?
    /// In-memory stdin contents and read offset.
    var input: [UInt8] = []
    var position = 0
    /// The directory listing `fd_readdir` is walking (taken at cookie 0).
    var directoryListing: [WASI.DirectoryEntry]?

    /// A descriptor; `reportedRights` defaults to the enforced rights.
    init(
        kind: Kind, filetype: FileType, rightsBase: Rights, rightsInheriting: Rights,
        reportedRights: (base: Rights, inheriting: Rights)? = nil, readOnly: Bool = false, owned: Bool = true
    ) {
        self.kind = kind
        self.filetype = filetype
        self.rightsBase = rightsBase
        self.rightsInheriting = rightsInheriting
        reportedRightsBase = reportedRights?.base ?? rightsBase
        reportedRightsInheriting = reportedRights?.inheriting ?? rightsInheriting
        self.readOnly = readOnly
        self.owned = owned
    }

    /// The host descriptor, if this is one.
    var hostFD: Int32? {
        switch kind {
        case .file(let fd), .directory(let fd): fd
        case .memoryInput, .memoryOutput: nil
        }
    }

    /// Closes the host descriptor when owned. Idempotent.
    func closeHost() {
        if owned, let fd = hostFD { _ = close(fd) }
        owned = false
    }

    deinit { closeHost() }
}

/// The guest's descriptor numbers.
struct FdTable {
    private(set) var entries: [UInt32: Descriptor] = [:]

    subscript(fd: UInt32) -> Descriptor? {
        get { entries[fd] }
        set { entries[fd] = newValue }
    }

    /// Adds `descriptor` at the lowest free number.
    mutating func insert(_ descriptor: Descriptor) throws(Errno) -> UInt32 {
        var fd: UInt32 = 0
        while entries[fd] != nil {
            if fd == UInt32(Int32.max) { throw .mfile }
            fd += 1
        }
        entries[fd] = descriptor
        return fd
    }

    @discardableResult
    mutating func remove(_ fd: UInt32) -> Descriptor? { entries.removeValue(forKey: fd) }
}
