import Foundation
import Testing
import WasmCore

@testable import SpinHost

/// `SQLiteDatabase`: SQLite compiled to Wasm, run by this host's engine.
@Suite struct SQLiteDatabaseTests {
    static func temporaryDirectory() throws -> String {
        let d = NSTemporaryDirectory() + "sqlite-tests-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }

    @Test func createInsertSelectEveryType() throws {
        let db = SQLiteDatabase(path: nil)
        let created = try db.execute("CREATE TABLE t (i INTEGER, r REAL, s TEXT, b BLOB, n)")
        #expect(created.columns.isEmpty && created.rows.isEmpty)
        let row: [SQLiteValue] = [
            .integer(-9_223_372_036_854_775_807), .real(2.5), .text("héllo ✓"), .blob([0, 1, 255]), .null,
        ]
        _ = try db.execute("INSERT INTO t VALUES (?, ?, ?, ?, ?)", row)
        _ = try db.execute("INSERT INTO t VALUES (?1, ?1 * 2, 'x', x'', NULL)", [.integer(21)])
        let r = try db.execute("SELECT i, r, s, b, n FROM t ORDER BY i")
        #expect(r.columns == ["i", "r", "s", "b", "n"])
        // `r REAL` has REAL affinity: ?1 * 2 is stored as 42.0.
        #expect(r.rows == [row, [.integer(21), .real(42), .text("x"), .blob([]), .null]])
        let typed = try db.execute("SELECT typeof(i), typeof(r), typeof(s), typeof(b), typeof(n) FROM t WHERE i < 0")
        #expect(typed.rows == [[.text("integer"), .text("real"), .text("text"), .text("blob"), .text("null")]])
        let expr = try db.execute("SELECT 1 + 1 AS two, 0.5 AS half, upper(?) AS up", [.text("abc")])
        #expect(expr.columns == ["two", "half", "up"])
        #expect(expr.rows == [[.integer(2), .real(0.5), .text("ABC")]])
    }

    @Test func errorsCarrySQLitesMessage() throws {
        let db = SQLiteDatabase(path: nil)
        #expect(throws: SQLiteError(code: 1, message: "no such table: missing")) {
            try db.execute("SELECT * FROM missing")
        }
        #expect(throws: SQLiteError(code: 1, message: "near \"SELEKT\": syntax error")) {
            try db.execute("SELEKT 1")
        }
        _ = try db.execute("CREATE TABLE u (k TEXT PRIMARY KEY)")
        _ = try db.execute("INSERT INTO u VALUES ('a')")
        let e = try #require(throws: SQLiteError.self) { try db.execute("INSERT INTO u VALUES ('a')") }
        #expect(e.code == 1555)  // SQLITE_CONSTRAINT_PRIMARYKEY
        #expect(e.message == "UNIQUE constraint failed: u.k")
        let range = try #require(throws: SQLiteError.self) { try db.execute("SELECT ?", [.integer(1), .integer(2)]) }
        #expect(range.code == 25)  // SQLITE_RANGE
        #expect(range.message == "column index out of range")
        // The database is still usable after errors.
        #expect(try db.execute("SELECT count(*) FROM u").rows == [[.integer(1)]])
    }

    @Test func batchRunsSeveralStatements() throws {
        let db = SQLiteDatabase(path: nil)
        try db.executeBatch("CREATE TABLE b (x); INSERT INTO b VALUES (1); INSERT INTO b VALUES (2);")
        #expect(try db.execute("SELECT sum(x) FROM b").rows == [[.integer(3)]])
        #expect(throws: SQLiteError.self) { try db.executeBatch("INSERT INTO b VALUES (3); INSERT INTO nope VALUES (1)") }
        #expect(try db.execute("SELECT sum(x) FROM b").rows == [[.integer(6)]])
    }

    /// While one `SQLiteDatabase` has a file open, a second one (here, or another process) gets
    /// `SQLITE_BUSY` naming the file, and nothing it would write happens; once the first is
    /// closed the second opens. (The guest SQLite has no locks of its own: `SQLiteFileLock`.)
    @Test func aFileOpenHereIsLockedAgainstOtherOpens() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/locked.db"
        let first = SQLiteDatabase(path: path)
        _ = try first.execute("CREATE TABLE t (v INTEGER)")
        let second = SQLiteDatabase(path: path)
        do {
            _ = try second.execute("INSERT INTO t VALUES (1)")
            Issue.record("a second open wrote under the first")
        } catch {
            #expect(error.code == 5 && error.message.contains("\(path) is in use"), "\(error)")
        }
        #expect(try first.execute("SELECT count(*) FROM t").rows == [[.integer(0)]])
        first.close()
        _ = try second.execute("INSERT INTO t VALUES (1)")
        #expect(try second.execute("SELECT count(*) FROM t").rows == [[.integer(1)]])
    }

    @Test func persistsAcrossReopen() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/nested/dir/data.db"
        do {
            let db = SQLiteDatabase(path: path)
            _ = try db.execute("CREATE TABLE kv (k TEXT PRIMARY KEY, v BLOB)")
            _ = try db.execute("INSERT INTO kv VALUES (?, ?)", [.text("key"), .blob(Array(repeating: 7, count: 10_000))])
            db.close()
        }
        let header = try #require(FileManager.default.contents(atPath: path))
        #expect(header.prefix(16) == Data("SQLite format 3\0".utf8))
        let again = SQLiteDatabase(path: path)
        let r = try again.execute("SELECT k, length(v) FROM kv")
        #expect(r.rows == [[.text("key"), .integer(10_000)]])
        // No journal is left behind once the transaction committed.
        #expect(!FileManager.default.fileExists(atPath: path + "-journal"))
    }

    @Test func concurrentUseFromSeveralThreads() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = SQLiteDatabase(path: dir + "/c.db")
        _ = try db.execute("CREATE TABLE c (thread INTEGER, n INTEGER)")
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: 4) { thread in
            for n in 0..<25 {
                do {
                    _ = try db.execute("INSERT INTO c VALUES (?, ?)", [.integer(Int64(thread)), .integer(Int64(n))])
                } catch {
                    failures.add("\(error)")
                }
            }
        }
        #expect(failures.all.isEmpty)
        let r = try db.execute("SELECT thread, count(*), sum(n) FROM c GROUP BY thread ORDER BY thread")
        #expect(r.rows == (0..<4).map { [.integer(Int64($0)), .integer(25), .integer(300)] })
    }

    @Test func multipleStatementsAreRefused() throws {
        let db = SQLiteDatabase(path: nil)
        let e = try #require(throws: SQLiteError.self) { try db.execute("SELECT 1; SELECT 2") }
        #expect(e.message == "Multiple statements provided")
        #expect(try db.execute("SELECT 1;  ").rows == [[.integer(1)]])
    }

    @Test func unopenableFileIsAnError() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/not-a-db"
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: path))
        let db = SQLiteDatabase(path: path)
        let e = try #require(throws: SQLiteError.self) { try db.execute("SELECT * FROM sqlite_master") }
        #expect(e.code == 26)  // SQLITE_NOTADB
        #expect(e.message == "file is not a database")
    }

    @Test func deadlineInterruptsARunawayStatement() throws {
        let db = SQLiteDatabase(path: nil)
        _ = try db.execute("CREATE TABLE before (x)")
        let deadline = Watchdog.now() + Watchdog.nanoseconds(.milliseconds(100))
        let e = try #require(throws: SQLiteError.self) {
            try db.execute("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c", deadline: deadline)
        }
        #expect(e.message.hasPrefix("interrupted"))
        #expect(Watchdog.now() - deadline < Watchdog.nanoseconds(.seconds(5)))
        // The database was reopened (in memory: empty) and works.
        #expect(try db.execute("SELECT 40 + 2").rows == [[.integer(42)]])
        #expect(throws: SQLiteError.self) { try db.execute("SELECT * FROM before") }
    }

    /// Prints the cost of the first open and of simple statements (the report's numbers).
    @Test func measureOpenAndStatementCost() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let clock = ContinuousClock()
        let db = SQLiteDatabase(path: dir + "/m.db")
        let open = clock.measure { try? db.open() }
        _ = try db.execute("CREATE TABLE m (k INTEGER PRIMARY KEY, v TEXT)")
        let n = 200
        let inserts = try clock.measure {
            for i in 0..<n { _ = try db.execute("INSERT INTO m VALUES (?, ?)", [.integer(Int64(i)), .text("value \(i)")]) }
        }
        let selects = try clock.measure {
            for i in 0..<n { _ = try db.execute("SELECT v FROM m WHERE k = ?", [.integer(Int64(i))]) }
        }
        let memory = SQLiteDatabase(path: nil)
        _ = try memory.execute("CREATE TABLE m (k INTEGER PRIMARY KEY, v TEXT)")
        let memoryInserts = try clock.measure {
            for i in 0..<n { _ = try memory.execute("INSERT INTO m VALUES (?, ?)", [.integer(Int64(i)), .text("v")]) }
        }
        #expect(try db.execute("SELECT count(*) FROM m").rows == [[.integer(Int64(n))]])
        print("SQLite open (first instantiation, includes the process's first load of the guest when first): \(open)")
        print("SQLite per INSERT (file, autocommit): \(inserts / n); per SELECT by key: \(selects / n); per INSERT (memory): \(memoryInserts / n)")
    }
}

/// Collects failures from several threads.
final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func add(_ s: String) { lock.withLock { items.append(s) } }
    var all: [String] { lock.withLock { items } }
}
