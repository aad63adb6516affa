import Foundation
import TestSupport
import Testing

@testable import SpinHost

/// A real guest (`Fixtures/components/outbound-db/guest.c`, a wasi:http handler written against
/// the canonical ABI by hand) served by `spin up`, using `fermyon:spin/redis@2.0.0` and
/// `spin:postgres/postgres@4.0.0` against real servers under its `allowed_outbound_hosts`.
extension PostgresTests {
    @Suite(.timeLimit(.minutes(3)), .enabled(if: RedisTestServer.available, RedisTestServer.skipMessage))
    struct OutboundDbGuestLiveTests {
        static let wasm = packageRoot + "/Fixtures/components/outbound-db/guest.wasm"

        @Test func theGuestUsesRedisAndPostgresThroughTheHost() throws {
            let pg = try PostgresTestServer.server()
            let redis = try RedisTestServer()
            let dir = NSTemporaryDirectory() + "outbound-db-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: dir) }
            try """
            spin_manifest_version = 2
            [application]
            name = "outbound-db"
            [[trigger.http]]
            route = "/..."
            component = "guest"
            [component.guest]
            source = "\(Self.wasm)"
            allowed_outbound_hosts = ["redis://127.0.0.1:\(redis.port)", "postgres://127.0.0.1:\(pg.port)"]
            """.write(toFile: dir + "/spin.toml", atomically: true, encoding: .utf8)
            let spin = try SpinUpProcess(["-f", dir, "--quiet"])
            defer { spin.stop() }

            let r = try spin.request("GET", "/redis?redis://127.0.0.1:\(redis.port)")
            #expect(r.status == 200)
            #expect(
                r.text == """
                    open ok
                    set ok
                    get hello
                    get missing none
                    incr 1
                    incr greeting err 3 ERR value is not an integer or out of range
                    sadd 2
                    smembers 2
                    execute 2:11
                    del 3

                    """, "\(r.text)")

            let p = try spin.request("GET", "/pg?\(pg.scramURL)")
            #expect(p.status == 200)
            #expect(
                p.text == """
                    open ok
                    columns n:3 t:7 d:9 z:3 m:15
                    rows 1
                    row 42 'hi!' 2024-3-1 null '1.50'
                    execute 3
                    bad err 2 1 42601 syntax error at or near "SELEC"

                    """, "\(p.text)")

            // Not in allowed_outbound_hosts: invalid-address (0) and connection-failed (0, message).
            #expect(try spin.request("GET", "/redis?redis://127.0.0.1:1").text == "open err 0\n")
            let denied = try spin.request("GET", "/pg?postgres://u@127.0.0.1:1/db").text
            #expect(denied == "open err 0 address postgres://u@127.0.0.1:1/db is not permitted\n", "\(denied)")
        }
    }
}
