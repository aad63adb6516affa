import Foundation
import PostgresClient
import TestSupport
import Testing
import WasmCore

@testable import SpinHost

/// The client against a real PostgreSQL 15 (see `PostgresTestServer`):
/// authentication, every `db-value` type both ways, errors, restarts.
/// The test that restarts a server restarts a private one (`PostgresTestServer.privateServer()`).
extension PostgresTests {
    @Suite struct PostgresLiveTests {
        let server: PostgresTestServer

        init() throws { server = try PostgresTestServer.server() }

        /// A client connection; failures as `outbound-pg` reports them (`pg-error`).
        func connect(_ address: String? = nil) throws -> PostgresConnection {
            let parsed = try PostgresAddress(parsing: address ?? server.scramAddress)
            do {
                return try PostgresConnection(address: parsed)
            } catch {
                throw DatabaseError(error)
            }
        }

        /// Every parameter type goes in and comes back as the same `db-value`,
        /// through `SELECT $n` and through a table with a column of each type.
        @Test func everyValueTypeRoundTrips() throws {
            let c = try connect()
            defer { c.close() }
            let values: [DbValue] = [
                .boolean(true), .boolean(false), .int8(-128), .int8(127), .int16(-32768), .int16(32767),
                .int32(.min), .int32(.max), .int64(.min), .int64(.max), .floating32(-1.25), .floating32(.infinity),
                .floating64(3.141592653589793), .floating64(-0.0), .str(""), .str("héllo 🌍 'quoted' \\ \n"),
                .binary([]), .binary([0, 1, 0x7F, 0x80, 0xFF]), .dbNull,
            ]
            let sql = "SELECT " + (1...values.count).map { "$\($0)" }.joined(separator: ", ")
            let rows = try c.outboundQuery(sql, values)
            #expect(rows.rows == [values])
            #expect(
                rows.columns.map(\.dataType) == [
                    .boolean, .boolean, .int8, .int8, .int16, .int16, .int32, .int32, .int64, .int64, .floating32,
                    .floating32, .floating64, .floating64, .str, .str, .binary, .binary, .str,
                ])
            let nan = try c.outboundQuery("SELECT $1, $2", [.floating32(.nan), .floating64(.nan)]).rows[0]
            if case .floating32(let f) = nan[0], case .floating64(let d) = nan[1] {
                #expect(f.isNaN && d.isNaN)
            } else {
                Issue.record("NaN came back as \(nan)")
            }

            // A table with one column of each supported type, and two the interface cannot represent.
            _ = try c.outboundExecute("DROP TABLE IF EXISTS every_type")
            _ = try c.outboundExecute(
                """
                CREATE TABLE every_type (b boolean, c "char", s smallint, i integer, l bigint, f real,
                  d double precision, t text, v varchar(20), p char(4), y bytea, n numeric, ts timestamp)
                """)
            let insert =
                "INSERT INTO every_type VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 12.5, '2024-01-02 03:04:05')"
            let row: [DbValue] = [
                .boolean(true), .int8(-7), .int16(-300), .int32(70000), .int64(1 << 40), .floating32(0.5),
                .floating64(-1e300), .str("text"), .str("varchar"), .str("ab"), .binary([1, 2, 3]),
            ]
            #expect(try c.outboundExecute(insert, row) == 1)
            #expect(try c.outboundExecute(insert, Array(repeating: .dbNull, count: 11)) == 1)
            let back = try c.outboundQuery("SELECT * FROM every_type ORDER BY b NULLS LAST")
            #expect(back.columns.map(\.name) == ["b", "c", "s", "i", "l", "f", "d", "t", "v", "p", "y", "n", "ts"])
            #expect(
                back.columns.map(\.dataType) == [
                    .boolean, .int8, .int16, .int32, .int64, .floating32, .floating64, .str, .str, .str, .binary,
                    .other,
                    .other,
                ])
            #expect(back.rows.count == 2)
            // char(4) pads; numeric and timestamp are `unsupported`.
            #expect(
                back.rows[0] == Array(row.prefix(9)) + [.str("ab  "), .binary([1, 2, 3]), .unsupported, .unsupported])
            #expect(back.rows[1] == Array(repeating: .dbNull, count: 11) + [.unsupported, .unsupported])
            // Parameters compare against columns of wider types.
            let found = try c.outboundQuery(
                "SELECT t FROM every_type WHERE l = $1 AND s = $2 AND i > $3",
                [
                    .int64(1 << 40), .int16(-300), .int32(1),
                ])
            #expect(found.rows == [[.str("text")]])
            // Checked independently of this client.
            #expect(
                try server.psql("SELECT encode(y, 'hex'), c::int, v FROM every_type WHERE b", database: "spin")
                    == "010203|-7|varchar")
        }

        @Test func emptyResultsNullsAndRowCounts() throws {
            let c = try connect(server.scramURL)
            defer { c.close() }
            _ = try c.outboundExecute("DROP TABLE IF EXISTS counts")
            #expect(try c.outboundExecute("CREATE TABLE counts (id serial, label text)") == 0)
            let empty = try c.outboundQuery("SELECT id, label FROM counts")
            #expect(empty.columns == [DbColumn(name: "id", dataType: .int32), DbColumn(name: "label", dataType: .str)])
            #expect(empty.rows.isEmpty)
            #expect(
                try c.outboundExecute("INSERT INTO counts (label) VALUES ($1), ($2), (NULL)", [.str("a"), .dbNull]) == 3
            )
            #expect(try c.outboundExecute("UPDATE counts SET label = 'x' WHERE label IS NULL") == 2)
            #expect(try c.outboundExecute("SELECT * FROM counts") == 3)
            #expect(try c.outboundExecute("DELETE FROM counts WHERE label = $1", [.str("nothing")]) == 0)
            #expect(try c.outboundQuery("SELECT NULL::int AS n, NULL::text AS t").rows == [[.dbNull, .dbNull]])
            // A statement that returns nothing (DDL) through `query`: no columns, no rows.
            let ddl = try c.outboundQuery("CREATE TEMP TABLE scratch (x int)")
            #expect(ddl.columns.isEmpty && ddl.rows.isEmpty)
            #expect(try c.outboundQuery("").rows.isEmpty)
        }

        @Test func serverErrorsAreQueryFailedWithTheServersMessage() throws {
            let c = try connect()
            defer { c.close() }
            do {
                _ = try c.outboundQuery("SELEC 1")
                Issue.record("a syntax error succeeded")
            } catch {
                guard case .queryFailed(let message) = error else {
                    Issue.record("expected query-failed, got \(error)")
                    return
                }
                #expect(message == "ERROR: syntax error at or near \"SELEC\" (SQLSTATE 42601)")
            }
            #expect(
                throws: DatabaseError.queryFailed("ERROR: relation \"no_such_table\" does not exist (SQLSTATE 42P01)")
            ) {
                _ = try c.outboundExecute("DELETE FROM no_such_table")
            }
            #expect(throws: DatabaseError.queryFailed("ERROR: division by zero (SQLSTATE 22012)")) {
                _ = try c.outboundQuery("SELECT 1 / $1", [.int32(0)])
            }
            #expect(
                throws: DatabaseError.badParameter("parameter 2: Postgres does not support unsigned integers")
            ) { _ = try c.outboundQuery("SELECT $1, $2", [.int32(1), .uint8(1)]) }
            // COPY through stdin/stdout is refused, and the connection stays in step.
            _ = try c.outboundExecute("CREATE TEMP TABLE copy_target (n int)")
            #expect(throws: DatabaseError.queryFailed("COPY FROM STDIN is not supported by outbound-pg")) {
                _ = try c.outboundExecute("COPY copy_target FROM STDIN")
            }
            #expect(throws: DatabaseError.queryFailed("COPY TO STDOUT is not supported by outbound-pg")) {
                _ = try c.outboundQuery("COPY (SELECT generate_series(1, 100)) TO STDOUT")
            }
            // The connection is still good (the same one, not reopened).
            #expect(try c.outboundQuery("SELECT 41 + $1", [.int32(1)]).rows == [[.int32(42)]])
            #expect(c.connectCount == 1)
        }

        @Test func passwordMD5AndTrustAuthentication() throws {
            for (address, user) in [
                (server.scramAddress, "spin_scram"), (server.scramURL, "spin_scram"), (server.md5Address, "spin_md5"),
                (server.trustAddress, "spin_trust"),
            ] {
                let c = try connect(address)
                #expect(try c.outboundQuery("SELECT current_user::text").rows == [[.str(user)]], "\(address)")
                c.close()
            }
            // The server really asked for SCRAM and md5 (not trust) for those users.
            let methods = try server.psql(
                "SELECT user_name[1] || '=' || auth_method FROM pg_hba_file_rules WHERE user_name[1] LIKE 'spin%' ORDER BY 1"
            )
            #expect(methods == "spin_md5=md5\nspin_trust=trust")
            #expect(
                try server.psql("SELECT left(rolpassword, 14) FROM pg_authid WHERE rolname = 'spin_scram'")
                    == "SCRAM-SHA-256$")
        }

        @Test func wrongPasswordIsConnectionFailed() throws {
            func failure(_ address: String) -> DatabaseError? {
                do {
                    _ = try connect(address)
                    return nil
                } catch {
                    return error as? DatabaseError
                }
            }
            let scram = failure("host=127.0.0.1 port=\(server.port) user=spin_scram password=wrong dbname=spin")
            guard case .connectionFailed(let m)? = scram else {
                Issue.record("expected connection-failed, got \(String(describing: scram))")
                return
            }
            #expect(m.hasPrefix("FATAL: password authentication failed for user \"spin_scram\" (SQLSTATE 28P01)"))
            guard case .connectionFailed(let m5)? = failure("postgres://spin_md5:nope@127.0.0.1:\(server.port)/spin")
            else {
                Issue.record("md5 with a wrong password connected")
                return
            }
            #expect(m5.contains("password authentication failed for user \"spin_md5\""))
            guard case .connectionFailed(let none)? = failure("host=127.0.0.1 port=\(server.port) user=spin_scram")
            else {
                Issue.record("no password connected")
                return
            }
            #expect(none.hasPrefix("the server requires a password and the connection string has none"))
            let port = try freePort()
            guard case .connectionFailed(let refused)? = failure("host=127.0.0.1 port=\(port) user=x password=y") else {
                Issue.record("a closed port connected")
                return
            }
            #expect(refused.contains("Connection refused"))
            guard case .connectionFailed(let db)? = failure(server.scramURL + "_nope") else {
                Issue.record("a missing database connected")
                return
            }
            #expect(db.contains("database \"spin_nope\" does not exist"))
        }

        /// A restart between two statements of one connection (the cached
        /// connection notices the hang-up and reconnects), and between two
        /// requests (each request has its own connection).
        @Test func serverRestartBetweenRequests() throws {
            let server = try PostgresTestServer.privateServer()  // restarted below: not the shared one
            defer { server.stop() }
            let app = try HostIf.app(HostIf.v1(""))
            let services = try HostIf.services(app)
            let first = GuestContext(component: app.components[0], services: services)
            let before = OutboundPg.query(
                context: first, address: server.scramAddress, statement: "SELECT 1", parameters: [])
            #expect(try before.get().rows == [[.int32(1)]])
            let c = try first.postgresConnections.connection(for: server.scramAddress)
            try server.restart()
            let after = OutboundPg.query(
                context: first, address: server.scramAddress, statement: "SELECT $1::int + 1", parameters: [.int32(1)])
            #expect(try after.get().rows == [[.int32(2)]])
            #expect(c.connectCount == 2)
            first.close()
            #expect(first.postgresConnections.count == 0)

            try server.restart()
            let second = GuestContext(component: app.components[0], services: services)
            defer { second.close() }
            #expect(
                OutboundPg.execute(context: second, address: server.scramURL, statement: "SELECT 1", parameters: [])
                    == .success(1))
        }

        /// A deadline (a guest instance's) ends a slow statement at the deadline instead of at the
        /// query timeout, and closes the connection (its reply state is unknown); the next
        /// statement reconnects. Past the deadline no statement is sent.
        @Test func theDeadlineEndsASlowStatement() throws {
            let c = try connect()
            c.queryTimeout = 30
            c.deadline = Watchdog.now() + 400_000_000
            let start = Date()
            #expect {
                _ = try c.query("SELECT pg_sleep(5)")
            } throws: { error in
                "\(error)".contains("deadline")
            }
            let waited = Date().timeIntervalSince(start)
            #expect(waited >= 0.35 && waited < 3, "waited \(waited) s")
            #expect(!c.isConnected)
            #expect {
                _ = try c.query("SELECT 1")
            } throws: { error in
                "\(error)".contains("deadline passed before")
            }
            c.deadline = nil
            #expect(try c.query("SELECT 1::int4").rows == [[.int32(1)]])
            #expect(c.connectCount == 2)
        }

        /// A v2 app reaches only servers in `allowed_outbound_hosts`; v1 apps any (1.x did not check).
        @Test func v2AppsNeedTheServerInAllowedOutboundHosts() throws {
            let v2 = """
                spin_manifest_version = 2
                [application]
                name = "pg"
                [[trigger.http]]
                route = "/..."
                component = "guest"
                [component.guest]
                source = "guest.wasm"
                allowed_outbound_hosts = ["postgres://127.0.0.1:1"]
                """
            let app = try HostIf.app(v2)
            let context = GuestContext(component: app.components[0], services: try HostIf.services(app))
            defer { context.close() }
            let r = OutboundPg.query(
                context: context, address: server.scramAddress, statement: "SELECT 1", parameters: [])
            #expect(
                r
                    == .failure(
                        .connectionFailed(
                            "destination not allowed: postgres://127.0.0.1:\(server.port) is not in allowed_outbound_hosts"
                        )))
        }
    }
}
