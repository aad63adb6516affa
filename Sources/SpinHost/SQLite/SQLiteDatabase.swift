import Synchronization
import WasmCore

/// One SQLite database (a file, or in memory), run by SQLite compiled to Wasm in this
/// host's engine.
///
/// One long-lived guest instance per database, made on first use; calls from any thread are
/// serialized by a lock. SQLite runs single-threaded and without file locks of its own, so the
/// file is locked for this database while it is open (`SQLiteFileLock`): another process
/// (another `spin up`, Spin, `sqlite3`) cannot write under it, and a second open of the same
/// file, here or elsewhere, is refused with `SQLITE_BUSY` naming the file.
///
/// ```swift
/// let db = SQLiteDatabase(path: "/srv/app/.spin/sqlite_db.db")
/// _ = try db.execute("CREATE TABLE IF NOT EXISTS t (k TEXT, v INTEGER)")
/// _ = try db.execute("INSERT INTO t VALUES (?, ?)", [.text("a"), .integer(1)])
/// let result = try db.execute("SELECT * FROM t")   // columns ["k", "v"], rows [[.text("a"), .integer(1)]]
/// ```
public final class SQLiteDatabase: Sendable {
    /// The database file; nil for an in-memory database.
    public let path: String?
    private let guest = Mutex<GuestSlot>(GuestSlot())

    private struct GuestSlot: ~Copyable {
        var instance: SQLiteGuest?
        /// Held while the file is open here (`SQLiteFileLock`); nil for an in-memory database.
        var lock: SQLiteFileLock?
    }

    /// A database at `path` (created on first use, with its directory), or in memory when nil.
    /// Nothing is opened until the first `execute`.
    public init(path: String?) {
        self.path = path
    }

    /// Runs one SQL statement with `parameters` bound to its `?`/`?NNN` placeholders and
    /// returns its columns and rows. Throws SQLite's error (code and message), or the host's
    /// when the database cannot be opened.
    ///
    /// `deadline` (`Watchdog.now()` clock; a request's deadline) interrupts a statement still
    /// running then: it fails, and the database is reopened for the next one (SQLite's
    /// journal rolls a file back; an in-memory database starts empty).
    public func execute(
        _ sql: String, _ parameters: [SQLiteValue] = [], deadline: UInt64? = nil
    ) throws(SQLiteError) -> SQLiteQueryResult {
        try withGuest(deadline: deadline) { g throws(SQLiteError) in try g.execute(sql, parameters) }
    }

    /// Runs several statements separated by `;` (Spin's `execute_batch`, used by
    /// `spin up --sqlite`); parameters are not supported, results are dropped.
    public func executeBatch(_ sql: String) throws(SQLiteError) {
        try withGuest { g throws(SQLiteError) in try g.executeBatch(sql) }
    }

    /// Opens the database now if it is not open yet (else does nothing).
    public func open() throws(SQLiteError) {
        try withGuest { _ throws(SQLiteError) in }
    }

    /// Closes the database; a later `execute` opens it again.
    public func close() {
        guest.withLock { slot in
            slot.instance?.shutdown()
            slot.instance = nil
            slot.lock = nil
        }
    }

    deinit { close() }

    private func withGuest<R: Sendable>(
        deadline: UInt64? = nil, _ body: (SQLiteGuest) throws(SQLiteError) -> R
    ) throws(SQLiteError) -> R {
        let path = self.path
        let result: Result<R, SQLiteError> = guest.withLock { slot in
            do throws(SQLiteError) {
                if slot.instance == nil {
                    if let path, slot.lock == nil { slot.lock = try SQLiteFileLock(path: path) }
                    slot.instance = try SQLiteGuest(path: path)
                }
                let g = slot.instance!
                guard let deadline else { return .success(try body(g)) }
                let ticket = Watchdog.shared.arm(g.store.interruptHandle, deadline: deadline)
                defer { _ = Watchdog.shared.disarm(ticket) }
                do throws(SQLiteError) {
                    return .success(try body(g))
                } catch where g.store.interruptHandle.isInterrupted {
                    throw SQLiteError(code: 0, message: "interrupted: the statement was still running at the request's deadline")
                }
            } catch {
                // A trapped guest may hold a half-done statement: start a fresh one next time
                // (SQLite's journal rolls a file back; an in-memory database is lost).
                if error.code == 0, let g = slot.instance {
                    g.shutdown()
                    slot.instance = nil
                }
                return .failure(error)
            }
        }
        return try result.get()
    }
}
