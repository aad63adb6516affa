import Foundation
import Synchronization
import TestSupport
import Testing

@testable import SpinHost

/// Key-value stores in Spin's own format (`SQLiteKeyValueStore`: the `spin_key_value` table of
/// a SQLite database): a file native SQLite wrote with Spin's statements
/// (`Fixtures/kv/spin-sqlite_key_value.db`, made by `make-spin-db.py`) is read and written, and a
/// file written here is read back by native SQLite (Python's sqlite3) when it is installed.
@Suite struct SpinKeyValueFormatTests {
    static let fixture = packageRoot + "/Fixtures/kv/spin-sqlite_key_value.db"

    /// Python 3 (its sqlite3 module is native SQLite), when installed.
    static let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// Runs `program` with `arguments`; its exit status and trimmed standard output.
    static func run(_ program: String, _ arguments: [String]) throws -> (Int32, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: program)
        p.arguments = arguments
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return (p.terminationStatus, text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// An app folder whose `.spin/sqlite_key_value.db` is a copy of the fixture (Spin's state).
    static func appWithSpinsState() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("spin-kv-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir + "/.spin", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: fixture, toPath: dir + "/.spin/sqlite_key_value.db")
        return dir
    }

    /// The default store reads what Spin left, writes where Spin would, and says which file.
    @Test func theDefaultStoreUsesTheDatabaseSpinLeft() throws {
        let dir = try Self.appWithSpinsState()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let lines = Mutex<[String]>([])
        do {
        let services = try AppServices.start(
            app: try SpinStateLayoutTests.app(in: dir), environment: [:],
            log: LogSink { line in lines.withLock { $0.append(line) } })
        let store = try #require(services.keyValueStores["default"])
        #expect(store is SQLiteKeyValueStore)
        #expect(try store.get("greeting") == Array("hello from Spin".utf8))
        #expect(try store.get("binary") == [0, 255, 13, 10, 0])
        #expect(try store.keys().sorted() == ["binary", "counter", "greeting"])  // not the other store's row
        #expect(throws: KeyValueError.noSuchKey) { try store.get("missing") }
        // Spin's counter (8-byte little-endian 41) goes on from where Spin left it.
        #expect(try store.increment("counter", by: 1) == 42)
        #expect(try store.increment("fresh", by: -5) == -5)
        #expect(throws: KeyValueError.self) { _ = try store.increment("greeting", by: 1) }
        // Compare-and-swap: only from the value it expects; nil expects absence.
        #expect(try store.compareAndSwap("greeting", expected: Array("stale".utf8), value: [1]) == false)
        #expect(try store.compareAndSwap("greeting", expected: Array("hello from Spin".utf8), value: [2]) == true)
        #expect(try store.compareAndSwap("new", expected: nil, value: [3]) == true)
        #expect(try store.compareAndSwap("new", expected: nil, value: [4]) == false)
        try store.set("written", Array("by this host".utf8))
        try store.delete("binary")
        #expect(!FileManager.default.fileExists(atPath: dir + "/.spin/key_value.kvlog"))
        #expect(
            lines.withLock { $0 }.contains {
                $0 == "Storing default key-value data to \"\(dir)/.spin/sqlite_key_value.db\" (Spin's SQLite format)"
            }, "\(lines.withLock { $0 })")

        // While this host has the file open, native SQLite cannot write to it (nor would Spin).
        if let python = Self.python {
            let (status, text) = try Self.run(python, [
                "-c",
                "import sqlite3,sys\ntry:\n  c=sqlite3.connect(sys.argv[1], timeout=0); c.execute(\"INSERT INTO spin_key_value VALUES ('default','x',x'00')\"); c.commit(); print('written')\nexcept sqlite3.OperationalError as e:\n  print(e)",
                dir + "/.spin/sqlite_key_value.db",
            ])
            #expect(status == 0 && text == "database is locked", "\(text)")
        }
        // So does a second open here, naming the file.
        #expect {
            try SQLiteKeyValueStore(path: dir + "/.spin/sqlite_key_value.db", name: "default")
        } throws: { "\($0)".contains("sqlite_key_value.db is in use") }
        }

        // Once closed, a fresh open of the file sees every change; the other store's row is untouched.
        let again = try SQLiteKeyValueStore(path: dir + "/.spin/sqlite_key_value.db", name: "default")
        #expect(try again.get("written") == Array("by this host".utf8))
        #expect(try again.get("counter") == [42, 0, 0, 0, 0, 0, 0, 0])
        #expect(try again.get("greeting") == [2])
        #expect(try !again.exists("binary"))
        let other = try SQLiteKeyValueStore(database: again.database, name: "other")
        #expect(try other.get("greeting") == Array("another store's".utf8))
        again.database.close()

        // Native SQLite reads what was written here, in Spin's table.
        if let python = Self.python {
            let (status, text) = try Self.run(python, [
                "-c",
                "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print(sorted((s,k,v.hex()) for s,k,v in c.execute('SELECT store,key,value FROM spin_key_value')))",
                dir + "/.spin/sqlite_key_value.db",
            ])
            #expect(status == 0)
            #expect(
                text
                    == "[('default', 'counter', '2a00000000000000'), ('default', 'fresh', 'fbffffffffffffff'), ('default', 'greeting', '02'), ('default', 'new', '03'), ('default', 'written', '6279207468697320686f7374'), ('other', 'greeting', '616e6f746865722073746f72652773')]",
                "\(text)")
        } else {
            print("native SQLite check skipped: python3 is not installed")
        }
    }

    /// A runtime-config `path` is Spin's format when new (as Spin would make it), this host's
    /// log when the file already is one.
    @Test func aConfiguredPathIsSpinsFormatUnlessItAlreadyHoldsALog() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("spin-kv-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        do {
            let log = try FileKeyValueStore(path: dir + "/old.kvlog")  // closed (unlocked) at the end of the scope
            try log.set("kept", [9])
        }
        let rc = try RuntimeConfig.parse(
            """
            [key_value_store.default]
            type = "spin"
            path = "data/new.db"
            [key_value_store.old]
            type = "spin"
            path = "old.kvlog"
            """, path: dir + "/rc.toml")
        let app = try SpinStateLayoutTests.app(in: dir, stores: ["default", "old"])
        let services = try AppServices.start(app: app, runtimeConfig: rc, environment: [:], log: .discard)
        let fresh = try #require(services.keyValueStores["default"])
        #expect(fresh is SQLiteKeyValueStore)
        try fresh.set("k", [1])
        #expect(SQLiteKeyValueStore.isSQLiteFile(dir + "/data/new.db"))
        let old = try #require(services.keyValueStores["old"])
        #expect(old is FileKeyValueStore)
        #expect(try old.get("kept") == [9])
    }

    /// Under `spin up`, a Spin SDK component (our C SDK's app) reads the value Spin left in
    /// `.spin/sqlite_key_value.db` and its writes land there.
    @Test(.tags(.live)) func aComponentUnderSpinUpSeesSpinsData() throws {
        let dir = try Self.appWithSpinsState()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try """
        spin_manifest_version = 2
        [application]
        name = "spin-kv-format"
        [[trigger.http]]
        route = "/..."
        component = "guest"
        [component.guest]
        source = "\(packageRoot)/Fixtures/components/spin-sdk-c/app.wasm"
        key_value_stores = ["default"]
        """.write(toFile: dir + "/spin.toml", atomically: true, encoding: .utf8)
        let spin = try SpinUpProcess(["-f", dir])
        let read = try spin.request("GET", "/kv/get?store=default&key=greeting")
        #expect(read.status == 200 && read.text == "hello from Spin", "\(read.status) \(read.text)")
        let write = try spin.request("POST", "/kv/set?store=default&key=from-guest", body: "guest value")
        #expect(write.status == 200, "\(write.text)")
        #expect(spin.stop() == 0)
        #expect(spin.stdout.contains("(Spin's SQLite format)") || spin.stderr.contains("(Spin's SQLite format)"))
        let store = try SQLiteKeyValueStore(path: dir + "/.spin/sqlite_key_value.db", name: "default")
        #expect(try store.get("from-guest") == Array("guest value".utf8))
    }
}
