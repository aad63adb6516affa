import Foundation
import TestSupport
import Testing

@testable import SpinHost
@testable import WasmCore

/// `outbound-pg::query`/`execute` called the way a guest calls them, with the
/// arguments and results in guest memory read byte by byte (docs/spin-1x.md#outbound-pg),
/// and the example app end to end under `spin up`.
extension PostgresTests {
    @Suite struct PostgresGuestTests {
        let server: PostgresTestServer

        init() throws { server = try PostgresTestServer.server() }

        /// An instance of a fixture guest (for its memory and `canonical_abi_realloc`) and the pg host functions.
        final class Guest {
            let store = Store()
            let abi: CanonicalABI
            let caller: Caller
            let query: Function
            let execute: Function
            let context: GuestContext

            init() throws {
                let app = try HostIf.app(HostIf.v1(""))
                context = GuestContext(component: app.components[0], services: try HostIf.services(app))
                var imports = Imports()
                SpinInterfaces.define(into: &imports, context: context)
                let module = try Module(
                    bytes: [UInt8](Data(contentsOf: URL(fileURLWithPath: HostIf.fixture("config.wasm")))))
                let instance = try store.instantiate(module, imports: imports)
                if let i = instance.function(named: "_initialize") { _ = try store.invoke(i, []) }
                abi = try CanonicalABI(store: store, instance: instance)
                caller = Caller(store: store, instance: instance, memory: abi.memory)
                guard case .function(let q)? = imports.lookup(module: "outbound-pg", name: "query"),
                    case .function(let e)? = imports.lookup(module: "outbound-pg", name: "execute")
                else { throw GuestABIError("outbound-pg is not defined") }
                query = q
                execute = e
            }

            deinit { context.close() }

            /// Writes `list<parameter-value>` (16-byte elements, tag @0, payload @8) by hand.
            func parameters(_ values: [(tag: UInt8, payload: [UInt8])]) throws -> (UInt32, UInt32) {
                let p = try abi.allocate(count: 16 * values.count, align: 8)
                for (i, v) in values.enumerated() {
                    let e = Int(p) + 16 * i
                    try abi.memory.write([UInt8](repeating: 0xEE, count: 16), at: e)
                    try abi.memory.store(v.tag, at: e)
                    try abi.memory.write(v.payload, at: e + 8)
                }
                return (p, UInt32(values.count))
            }

            func call(_ f: Function, _ address: String, _ sql: String, _ params: (UInt32, UInt32)) throws -> UInt32 {
                let (ap, an) = try abi.write(address)
                let (sp, sn) = try abi.write(sql)
                let ret = try abi.allocate(count: 32, align: 8)
                try abi.memory.write([UInt8](repeating: 0xAA, count: 32), at: Int(ret))
                _ = try f.hostBody!(
                    caller, [.i32(ap), .i32(an), .i32(sp), .i32(sn), .i32(params.0), .i32(params.1), .i32(ret)])
                return ret
            }

            func u8(_ at: UInt32) throws -> UInt8 { try abi.memory.load(at: Int(at)) }
            func u32(_ at: UInt32) throws -> UInt32 { try abi.memory.load(at: Int(at)) }
            func u64(_ at: UInt32) throws -> UInt64 { try abi.memory.load(at: Int(at)) }
            func string(_ at: UInt32) throws -> String { try abi.readString(try u32(at), try u32(at + 4)) }
        }

        static func le<T: FixedWidthInteger>(_ v: T) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }

        @Test func queryResultLayoutMatchesTheReference() throws {
            let g = try Guest()
            let (tp, tn) = try g.abi.write("tëxt")
            let (bp, bn) = try g.abi.write([0xDE, 0xAD], align: 1)
            let params = try g.parameters([
                (0, [1]), (1, [0xF9]), (2, Self.le(Int16(-2))), (3, Self.le(Int32(-3))), (4, Self.le(Int64(-4))),
                (9, Self.le(Float(2.5).bitPattern)), (10, Self.le(Double(-0.125).bitPattern)),
                (11, Self.le(tp) + Self.le(tn)), (12, Self.le(bp) + Self.le(bn)), (13, []),
            ])
            let ret = try g.call(
                g.query, server.scramAddress,
                "SELECT $1 AS a, $2 AS b, $3 AS c, $4 AS d, $5 AS e, $6 AS f, $7 AS g, $8 AS h, $9 AS i, $10 AS j, now() AS k",
                params)
            #expect(try g.u8(ret) == 0)
            // columns @4/@8: 12-byte {name ptr, name len, data-type u8 @8}
            let columns = try g.u32(ret + 4)
            #expect(try g.u32(ret + 8) == 11)
            #expect(
                try (0..<11).map { try g.string(columns + 12 * $0) } == [
                    "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k",
                ])
            #expect(try (0..<11).map { try g.u8(columns + 12 * $0 + 8) } == [0, 1, 2, 3, 4, 9, 10, 11, 12, 11, 13])
            // rows @12/@16: one row, a list of 16-byte db-values
            #expect(try g.u32(ret + 16) == 1)
            let row = try g.u32(ret + 12)
            #expect(try g.u32(row + 4) == 11)
            let v = try g.u32(row)
            #expect(try (0..<11).map { try g.u8(v + 16 * $0) } == [0, 1, 2, 3, 4, 9, 10, 11, 12, 13, 14])
            #expect(try g.u8(v + 8) == 1)
            #expect(try g.u8(v + 16 + 8) == 0xF9)
            #expect(try g.abi.memory.load(UInt16.self, at: Int(v) + 32 + 8) == UInt16(bitPattern: -2))
            #expect(try g.u32(v + 48 + 8) == UInt32(bitPattern: -3))
            #expect(try g.u64(v + 64 + 8) == UInt64(bitPattern: -4))
            #expect(Float(bitPattern: try g.u32(v + 80 + 8)) == 2.5)
            #expect(Double(bitPattern: try g.u64(v + 96 + 8)) == -0.125)
            #expect(try g.string(v + 112 + 8) == "tëxt")
            #expect(try g.abi.read(try g.u32(v + 128 + 8), try g.u32(v + 128 + 12)) == [0xDE, 0xAD])
            // a syntax error: err tag 1, pg-error query-failed (3) @4, message @8/@12
            let bad = try g.call(g.query, server.scramAddress, "SELEC 1", try g.parameters([]))
            #expect(try g.u8(bad) == 1)
            #expect(try g.u8(bad + 4) == 3)
            #expect(try g.string(bad + 8) == "ERROR: syntax error at or near \"SELEC\" (SQLSTATE 42601)")
            // an unsigned parameter: bad-parameter (2)
            let unsigned = try g.call(g.query, server.scramAddress, "SELECT $1", try g.parameters([(5, [1])]))
            #expect(try g.u8(unsigned) == 1 && g.u8(unsigned + 4) == 2)
            #expect(try g.string(unsigned + 8) == "parameter 1: Postgres does not support unsigned integers")
            // a wrong password: connection-failed (1)
            let denied = try g.call(
                g.query, "host=127.0.0.1 port=\(server.port) user=spin_scram password=nope dbname=spin", "SELECT 1",
                try g.parameters([]))
            #expect(try g.u8(denied) == 1 && g.u8(denied + 4) == 1)
            #expect(try g.string(denied + 8).contains("password authentication failed for user \"spin_scram\""))
            #expect(g.context.postgresConnections.count == 1)
        }

        @Test func executeResultLayoutMatchesTheReference() throws {
            let g = try Guest()
            _ = try g.call(g.execute, server.scramURL, "DROP TABLE IF EXISTS layout", try g.parameters([]))
            _ = try g.call(g.execute, server.scramURL, "CREATE TABLE layout (n bigint)", try g.parameters([]))
            let ret = try g.call(
                g.execute, server.scramURL, "INSERT INTO layout SELECT generate_series(1, $1)",
                try g.parameters([(4, Self.le(Int64(5)))]))
            // ok: tag 0, u64 @8
            #expect(try g.u8(ret) == 0)
            #expect(try g.u64(ret + 8) == 5)
            // err: tag 1, pg-error @8 (the payload is 8-aligned), message @12/@16
            let bad = try g.call(g.execute, server.scramURL, "INSERT INTO nowhere VALUES (1)", try g.parameters([]))
            #expect(try g.u8(bad) == 1)
            #expect(try g.u8(bad + 8) == 3)
            #expect(try g.string(bad + 12) == "ERROR: relation \"nowhere\" does not exist (SQLSTATE 42P01)")
            // The connection closes with the instance.
            #expect(
                eventually(timeout: 5) {
                    (try? server.psql("SELECT count(*) FROM pg_stat_activity WHERE usename = 'spin_scram'")) == "1"
                })
            g.context.close()
            #expect(
                eventually(timeout: 5) {
                    (try? server.psql("SELECT count(*) FROM pg_stat_activity WHERE usename = 'spin_scram'")) == "0"
                })
        }
    }
}
