import Foundation
import Synchronization

/// A key-value store in Spin's own format: the `spin_key_value` table of a SQLite database
/// (Spin's `crates/key-value-spin`, e.g. `.spin/sqlite_key_value.db`), one row per key, the
/// store's label in the `store` column. Run by `SQLiteDatabase` (SQLite compiled to Wasm), so
/// a database Spin wrote is read here and one written here is read by Spin.
///
/// Counters are 8-byte little-endian integers, as Spin's `increment` keeps them. Operations of
/// more than one statement (increment, compare-and-swap) run in one transaction under this
/// store's lock; `SQLiteDatabase` locks the file against every other writer while it is open.
public final class SQLiteKeyValueStore: KeyValueStore {
    /// Spin's table, created if missing (the statement Spin runs when it opens the database).
    static let createTable = """
        CREATE TABLE IF NOT EXISTS spin_key_value (
                                   store TEXT NOT NULL,
                                   key   TEXT NOT NULL,
                                   value BLOB NOT NULL,

                                   PRIMARY KEY (store, key)
                                )
        """
    static let upsert = """
        INSERT INTO spin_key_value (store, key, value) VALUES ($1, $2, $3)
                             ON CONFLICT(store, key) DO UPDATE SET value=$3
        """

    /// The store's label (the `store` column of its rows).
    public let name: String
    let database: SQLiteDatabase
    private let lock = Mutex(())

    /// Opens (creating if needed) the store `name` in the SQLite database at `path`.
    public convenience init(path: String, name: String) throws(KeyValueError) {
        try self.init(database: SQLiteDatabase(path: path), name: name)
    }

    /// The store `name` in `database` (stores of several labels may share one database, as
    /// Spin's may share a file: the file is open, and locked, once).
    public init(database: SQLiteDatabase, name: String) throws(KeyValueError) {
        self.name = name
        self.database = database
        try run(Self.createTable)
    }

    /// Whether the file at `path` is a SQLite database (its 16-byte header).
    public static func isSQLiteFile(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let header = (try? handle.read(upToCount: 16)) ?? Data()
        return header == Data("SQLite format 3\0".utf8)
    }

    @discardableResult
    private func run(_ sql: String, _ parameters: [SQLiteValue] = []) throws(KeyValueError) -> SQLiteQueryResult {
        do throws(SQLiteError) {
            return try database.execute(sql, parameters)
        } catch {
            throw .io("key-value store `\(name)` (\(database.path ?? "in memory")): \(error)")
        }
    }

    /// The value of `key`, nil when absent (lock held by the caller or not needed).
    private func value(_ key: String) throws(KeyValueError) -> [UInt8]? {
        let r = try run("SELECT value FROM spin_key_value WHERE store=$1 AND key=$2", [.text(name), .text(key)])
        guard let first = r.rows.first?.first else { return nil }
        switch first {
        case .blob(let b): return b
        case .text(let t): return Array(t.utf8)
        case .integer(let i): return Array(String(i).utf8)
        case .real(let d): return Array(String(d).utf8)
        case .null: return []
        }
    }

    /// Runs `body` in one transaction under the store's lock; rolls back when it throws.
    private func transaction<T>(_ body: () throws(KeyValueError) -> T) throws(KeyValueError) -> T {
        let result: Result<T, KeyValueError> = lock.withLock { _ in
            do throws(KeyValueError) {
                try run("BEGIN IMMEDIATE")
                do throws(KeyValueError) {
                    let v = try body()
                    try run("COMMIT")
                    return .success(v)
                } catch {
                    _ = try? run("ROLLBACK")
                    throw error
                }
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    public func get(_ key: String) throws(KeyValueError) -> [UInt8] {
        guard let v = try value(key) else { throw .noSuchKey }
        return v
    }

    public func set(_ key: String, _ value: [UInt8]) throws(KeyValueError) {
        try run(Self.upsert, [.text(name), .text(key), .blob(value)])
    }

    public func delete(_ key: String) throws(KeyValueError) {
        try run("DELETE FROM spin_key_value WHERE store=$1 AND key=$2", [.text(name), .text(key)])
    }

    public func exists(_ key: String) throws(KeyValueError) -> Bool {
        try value(key) != nil
    }

    public func keys() throws(KeyValueError) -> [String] {
        try run("SELECT key FROM spin_key_value WHERE store=$1", [.text(name)]).rows.compactMap { row in
            if case .text(let k)? = row.first { return k }
            return nil
        }
    }

    public func increment(_ key: String, by delta: Int64) throws(KeyValueError) -> Int64 {
        try transaction { () throws(KeyValueError) -> Int64 in
            var current: Int64 = 0
            if let bytes = try value(key) {
                guard bytes.count == 8 else {
                    throw .io("the value of `\(key)` is not a counter (\(bytes.count) bytes, expected 8)")
                }
                current = bytes.reversed().reduce(Int64(0)) { $0 << 8 | Int64($1) }
            }
            let (next, overflow) = current.addingReportingOverflow(delta)
            if overflow { throw .io("incrementing `\(key)` by \(delta) overflows") }
            let bytes = (0..<8).map { UInt8(truncatingIfNeeded: next >> (8 * $0)) }
            try run(Self.upsert, [.text(name), .text(key), .blob(bytes)])
            return next
        }
    }

    public func compareAndSwap(_ key: String, expected: [UInt8]?, value: [UInt8]) throws(KeyValueError) -> Bool {
        try transaction { () throws(KeyValueError) -> Bool in
            guard try self.value(key) == expected else { return false }
            try run(Self.upsert, [.text(name), .text(key), .blob(value)])
            return true
        }
    }
}
