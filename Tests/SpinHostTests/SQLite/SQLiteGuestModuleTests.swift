import Foundation
import Testing

@testable import SpinHost

/// A Spin 1.x module (Fixtures/hostif/sqlite_guest.c) using the old-ABI `sqlite` imports through
/// `SpinHTTPExecutor`, as `spin up` runs it: one instance per request over one database.
struct SQLiteGuestModuleTests {
    @Test func statementsThroughTheExecutor() throws {
        let dir = HostIf.tempDir("sqlite-guest")
        try FileManager.default.copyItem(atPath: HostIf.fixture("sqlite_guest.wasm"), toPath: dir + "/guest.wasm")
        let app = try LoadedApp.load(
            path: try HostIf.app(HostIf.v1(#"sqlite_databases = ["default"]"#), in: dir).manifestPath)
        let services = try AppServices.start(
            app: app.manifest, stateDirectory: dir + "/.spin", environment: [:], log: .discard)
        let host = GuestHost(output: GuestOutput(quiet: true), interfaces: SpinInterfaces.guestHostInterfaces(services: services))
        let component = try #require(app.components["guest"])
        func run(_ sql: String, _ query: String = "") throws -> (Int, String) {
            let r = try SpinHTTPExecutor.execute(
                component, host: host, method: "POST", uri: "/" + query, headers: [], body: Array(sql.utf8))
            return (r.status, String(decoding: r.body, as: UTF8.self))
        }
        #expect(try run("CREATE TABLE t (name TEXT, n INTEGER, r REAL, b BLOB)") == (200, "\n"))
        #expect(try run("INSERT INTO t VALUES (?, ?, 2.5, x'00ff')", "?text=caf%C3%A9&int=42") == (200, "\n"))
        #expect(try run("INSERT INTO t VALUES (?, NULL, NULL, NULL)", "?text=second") == (200, "\n"))
        #expect(
            try run("SELECT name, n, r, b FROM t ORDER BY rowid")
                == (200, "name,n,r,b\nt:café,i:42,r:2.5,b:00ff\nt:second,null,null,null\n"))
        #expect(try run("SELECT count(*) AS c FROM t WHERE n = ?", "?int=42") == (200, "c\ni:1\n"))
        #expect(try run("SELECT * FROM missing") == (500, "error=4 no such table: missing"))
        #expect(try run("SELECT 1", "?db=secret") == (500, "error=1"))  // access-denied
        // The data is in <state dir>/sqlite_db.db, where Spin keeps it.
        let file = try #require(FileManager.default.contents(atPath: dir + "/.spin/sqlite_db.db"))
        #expect(file.prefix(16) == Data("SQLite format 3\0".utf8))
    }

    @Test func undefinedLabelStopsStartup() throws {
        let dir = HostIf.tempDir("sqlite-guest")
        let app = try HostIf.app(HostIf.v1(#"sqlite_databases = ["nowhere"]"#), in: dir)
        #expect { try AppServices.start(app: app, environment: [:], log: .discard) } throws: {
            "\($0)".contains("- Component guest uses database 'nowhere'")
        }
    }
}
