import Foundation
import Testing

@testable import SpinHost

/// Which databases `AppServices.start` opens (Spin's factor-sqlite rules), the runtime
/// config's `[sqlite_database.NAME]`, and `spin up --sqlite`.
struct SQLiteAppServicesTests {
    @Test func defaultLivesInTheStateDirectory() throws {
        let dir = HostIf.tempDir("sqlite-services")
        let app = try HostIf.app(HostIf.v1(#"sqlite_databases = ["default"]"#), in: dir)
        let services = try AppServices.start(app: app, stateDirectory: dir + "/.spin", environment: [:], log: .discard)
        let db = try #require(services.sqliteDatabases["default"])
        #expect(db.path == dir + "/.spin/sqlite_db.db")
        _ = try db.execute("CREATE TABLE x (y)")
        #expect(FileManager.default.fileExists(atPath: dir + "/.spin/sqlite_db.db"))
        // No state directory: in memory.
        let memory = try AppServices.start(app: app, stateDirectory: "", environment: [:], log: .discard)
        #expect(try #require(memory.sqliteDatabases["default"]).path == nil)
    }

    @Test func otherLabelsNeedTheRuntimeConfig() throws {
        let dir = HostIf.tempDir("sqlite-services")
        let app = try HostIf.app(HostIf.v1(#"sqlite_databases = ["default", "orders", "cache"]"#), in: dir)
        do {
            _ = try AppServices.start(app: app, environment: [:], log: .discard)
            Issue.record("undefined labels must be refused")
        } catch {
            #expect(
                "\(error)" == """
                    One or more components use SQLite databases which are not defined.
                    Check the spelling, or pass a runtime configuration file that defines these stores.
                    Details:
                    - Component guest uses database 'orders'
                    - Component guest uses database 'cache'
                    """)
        }
        let rc = try RuntimeConfig.parse(
            """
            [sqlite_database.orders]
            type = "spin"
            path = "data/orders.db"
            [sqlite_database.cache]
            type = "spin"
            """, path: dir + "/rc.toml")
        try rc.checkSupported()
        #expect(rc.sqliteDatabases == ["orders": .spin(path: dir + "/data/orders.db"), "cache": .spin(path: nil)])
        let services = try AppServices.start(app: app, runtimeConfig: rc, stateDirectory: "", environment: [:], log: .discard)
        #expect(services.sqliteDatabases["orders"]?.path == dir + "/data/orders.db")
        #expect(services.sqliteDatabases["cache"]?.path == nil)
        _ = try services.sqliteDatabases["orders"]!.execute("CREATE TABLE o (id)")
        #expect(FileManager.default.fileExists(atPath: dir + "/data/orders.db"))
    }

    @Test func runtimeConfigErrorsNameTheKey() throws {
        for (text, expected) in [
            ("[sqlite_database.a]\ntype = \"spin\"\nfile = \"x\"\n", "file"),
            ("[sqlite_database.a]\ntype = \"mysql\"\n", "unknown SQLite database type `mysql`"),
        ] {
            #expect { try RuntimeConfig.parse(text, path: "rc.toml") } throws: { "\($0)".contains(expected) }
        }
        let libsql = try RuntimeConfig.parse("[sqlite_database.a]\ntype = \"libsql\"\nurl = \"https://x\"\ntoken = \"t\"\n")
        #expect(throws: ManifestError.self) { try libsql.checkSupported() }
    }

    @Test func manifestLabelsAreAcceptedAtLoad() throws {
        let dir = HostIf.tempDir("sqlite-load")
        try FileManager.default.copyItem(atPath: HostIf.fixture("config.wasm"), toPath: dir + "/guest.wasm")
        let app = try LoadedApp.load(path: try HostIf.app(HostIf.v1(#"sqlite_databases = ["default"]"#), in: dir).manifestPath)
        #expect(app.manifest.components[0].sqliteDatabases == ["default"])
    }

    @Test func startupStatements() throws {
        let dir = HostIf.tempDir("sqlite-statements")
        try "CREATE TABLE m (v); INSERT INTO m VALUES (1); INSERT INTO m VALUES (2);".write(
            toFile: dir + "/migrate.sql", atomically: true, encoding: .utf8)
        let statements = ["CREATE TABLE s (v)", "INSERT INTO s VALUES (7)", "@\(dir)/migrate.sql", "@ \(dir)/migrate.sql : other "]
        #expect(try SQLiteStartupStatements.labels(statements) == ["default", "other"])
        let dbs = ["default": SQLiteDatabase(path: nil), "other": SQLiteDatabase(path: nil)]
        try SQLiteStartupStatements.run(statements, databases: dbs)
        #expect(try dbs["default"]!.execute("SELECT sum(v) FROM s").rows == [[.integer(7)]])
        #expect(try dbs["default"]!.execute("SELECT sum(v) FROM m").rows == [[.integer(3)]])
        #expect(try dbs["other"]!.execute("SELECT sum(v) FROM m").rows == [[.integer(3)]])

        #expect(throws: SQLiteStartupStatements.Failure(
            message: "failed to execute following sql statement against default database: 'SELECT * FROM nope'",
            causes: ["no such table: nope"])) { try SQLiteStartupStatements.run(["SELECT * FROM nope"], databases: dbs) }
        #expect(throws: SQLiteStartupStatements.Failure(
            message: "based on the '@x.sql:gone' a registered database named 'gone' was expected but not found.", causes: [])) {
            try SQLiteStartupStatements.run(["@x.sql:gone"], databases: dbs)
        }
        #expect(throws: SQLiteStartupStatements.Failure(
            message: "could not read file '\(dir)/none.sql' containing sql statements", causes: [])) {
            try SQLiteStartupStatements.run(["@\(dir)/none.sql"], databases: dbs)
        }
        for bad in ["@", "@file:", "@:label"] {
            #expect(throws: SQLiteStartupStatements.Failure.self) { try SQLiteStartupStatements.labels([bad]) }
        }
    }
}
