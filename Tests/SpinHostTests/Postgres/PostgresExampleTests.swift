import Foundation
import TestSupport
import Testing

@testable import SpinHost

#if canImport(Glibc)
    import Glibc
#endif

extension PostgresTests {
    /// Examples/postgres-rows under the built `spin up`, against the test server.
    @Suite struct PostgresExampleTests {
        static let example = packageRoot + "/Examples/postgres-rows"

        static let hey: String? = ["/usr/bin/hey", "/usr/local/bin/hey", NSHomeDirectory() + "/go/bin/hey"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }

        @Test func exampleStoresBodiesAndListsThemAsJSON() throws {
            let server = try PostgresTestServer.privateServer()  // restarted and stopped below: not the shared one
            defer { server.stop() }
            let spin = try SpinUpProcess(
                ["-f", Self.example, "--quiet"], environment: ["SPIN_CONFIG_PG_ADDRESS": server.scramAddress])
            defer { spin.stop() }
            #expect(try spin.request("GET", "/").text == "[]")  // no table yet
            let first = try spin.request("POST", "/", body: "first")
            #expect(first.status == 201)
            #expect(first.text == #"{"inserted":1}"#)
            #expect(try spin.request("POST", "/", body: "say \"hi\"\n\tünïcode").status == 201)
            let list = try spin.request("GET", "/")
            #expect(list.status == 200)
            #expect(list.header("content-type") == "application/json")
            let rows = try #require(try JSONSerialization.jsonObject(with: Data(list.text.utf8)) as? [[String: Any]])
            #expect(rows.map { $0["id"] as? Int } == [1, 2])
            #expect(rows.map { $0["body"] as? String } == ["first", "say \"hi\"\n\tünïcode"])
            #expect(rows.allSatisfy { ($0["created"] as? String)?.hasPrefix("20") == true })
            #expect(try spin.request("GET", "/count").text == #"{"count":2}"#)
            #expect(try spin.request("PUT", "/", body: "x").status == 405)
            // The server restarts between two requests: the next request connects afresh.
            try server.restart()
            #expect(try spin.request("GET", "/count").text == #"{"count":2}"#)
            // Stopped: the guest gets connection-failed and answers 500 with it.
            try server.stopServer()
            let down = Result { try spin.request("POST", "/", body: "lost") }
            try server.start()
            #expect(try down.get().status == 500)
            #expect(try down.get().text.hasPrefix(#"{"error":"connection-failed","message":"#), "\(down)")
            #expect(
                try server.psql("SELECT string_agg(body, '|' ORDER BY id) FROM entries", database: "spin")
                    == "first|say \"hi\"\n\tünïcode")
        }

        /// The issue's load check: 1,000 POSTs from 20 concurrent clients all
        /// succeed and add exactly 1,000 rows; no connection outlives its request.
        @Test(.enabled(if: hey != nil, "hey is not installed (Scripts/test installs it); load test skipped"))
        func thousandConcurrentInsertsUnderHey() throws {
            let server = try PostgresTestServer.server()
            // The app's own table, made by the app's user (as the app makes it on first insert).
            try server.psql(
                "SET ROLE spin_scram; CREATE TABLE IF NOT EXISTS entries (id bigserial PRIMARY KEY, "
                    + "body text NOT NULL, created timestamptz NOT NULL DEFAULT now())", database: "spin")
            let before = Int(try server.psql("SELECT count(*) FROM entries", database: "spin")) ?? -1
            let spin = try SpinUpProcess(
                ["-f", Self.example, "--quiet"], environment: ["SPIN_CONFIG_PG_ADDRESS": server.scramAddress])
            defer { spin.stop() }
            let hey = Process()
            hey.executableURL = URL(fileURLWithPath: Self.hey!)
            hey.arguments = [
                "-n", "1000", "-c", "20", "-m", "POST", "-d", "hey body", "http://127.0.0.1:\(spin.port)/",
            ]
            let out = Pipe()
            hey.standardOutput = out
            hey.standardError = FileHandle.nullDevice
            let start = Date()
            try hey.run()
            let report = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            hey.waitUntilExit()
            let seconds = Date().timeIntervalSince(start)
            let distribution = report.components(separatedBy: "Status code distribution:").last ?? ""
            #expect(distribution.contains("[201]\t1000 responses"), "\(report)")
            #expect(!report.contains("Error distribution"), "\(report)")
            let after = Int(try server.psql("SELECT count(*) FROM entries", database: "spin")) ?? -1
            #expect(after - before == 1000)
            #expect(
                eventually(timeout: 5) {
                    (try? server.psql("SELECT count(*) FROM pg_stat_activity WHERE usename = 'spin_scram'")) == "0"
                })
            print("postgres-rows: 1000 POSTs at -c 20 in \(String(format: "%.1f", seconds)) s")
        }
    }
}
