import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An exclusive lock on a SQLite database file for as long as this host has it open, taken on
/// the bytes SQLite itself locks (the `PENDING`, `RESERVED` and `SHARED` bytes at 1 GiB), so that
/// SQLite running elsewhere (Spin, the `sqlite3` shell) sees the database as locked (`SQLITE_BUSY`)
/// instead of writing under this host, and a second `spin up` on the same file is refused.
///
/// The SQLite guest runs without locks of its own (its VFS sees only WASI files). The lock is an
/// open-file-description lock (`F_OFD_SETLK`): unlike a POSIX `fcntl` lock, it is not dropped
/// when the guest closes its own descriptor of the file, and it conflicts with POSIX locks of
/// other processes, which is what SQLite takes.
final class SQLiteFileLock {
    /// SQLite's `PENDING_BYTE`; the lock covers it, `RESERVED_BYTE` and the 510 `SHARED` bytes.
    static let lockOffset: off_t = 0x4000_0000
    static let lockLength: off_t = 512
    /// `F_OFD_SETLK` (Linux 3.15+; Glibc exports it only under `_GNU_SOURCE`).
    static let ofdSetLock: Int32 = 37

    private let fd: Int32

    /// Locks the database at `path` (creating it and its directory if missing, as SQLite would).
    init(path: String) throws(SQLiteError) {
        let directory = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw SQLiteError(
                code: 14, message: "cannot create the directory of SQLite database \(path): \(error.localizedDescription)")
        }
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw SQLiteError(code: 14, message: "cannot open SQLite database \(path): \(String(cString: strerror(errno)))")
        }
        var lock = flock()
        lock.l_type = Int16(F_WRLCK)
        lock.l_whence = Int16(SEEK_SET)
        lock.l_start = Self.lockOffset
        lock.l_len = Self.lockLength
        lock.l_pid = 0
        if fcntl(fd, Self.ofdSetLock, &lock) != 0 {
            let reason = errno
            close(fd)
            if reason == EAGAIN || reason == EACCES {
                throw SQLiteError(
                    code: 5,
                    message:
                        "SQLite database \(path) is in use: another process has it open (another spin up, Spin, sqlite3), or another database or store of this app names the same file; this host needs it to itself"
                )
            }
            throw SQLiteError(code: 14, message: "cannot lock SQLite database \(path): \(String(cString: strerror(reason)))")
        }
        self.fd = fd
    }

    deinit { close(fd) }
}
