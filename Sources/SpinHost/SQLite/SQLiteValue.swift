/// A value in an SQLite statement or result: Spin's `sqlite` `value` variant.
public enum SQLiteValue: Hashable, Sendable {
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
    case null
}

/// What a statement returned: its column names and its rows (Spin's `query-result`).
public struct SQLiteQueryResult: Hashable, Sendable {
    public var columns: [String]
    /// Each row has one value per column.
    public var rows: [[SQLiteValue]]
    /// Rows the statement inserted, updated or deleted (`sqlite3_changes64`); nil when it
    /// changed none (a query, DDL).
    public var changes: UInt64?
    /// The rowid the statement's INSERT set (`sqlite3_last_insert_rowid`); nil when it set none.
    public var lastInsertRowID: Int64?

    public init(columns: [String], rows: [[SQLiteValue]], changes: UInt64? = nil, lastInsertRowID: Int64? = nil) {
        self.columns = columns
        self.rows = rows
        self.changes = changes
        self.lastInsertRowID = lastInsertRowID
    }
}

/// SQLite refused a statement or the database could not be opened.
public struct SQLiteError: Error, Hashable, Sendable, CustomStringConvertible {
    /// SQLite's (extended) result code, e.g. 1 `SQLITE_ERROR`, 19 `SQLITE_CONSTRAINT`;
    /// 0 when the failure is the host's (the guest could not be loaded or trapped).
    public var code: Int32
    /// SQLite's message (`sqlite3_errmsg`), or the host's.
    public var message: String

    public init(code: Int32, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
