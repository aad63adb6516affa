import Foundation
import Testing

@testable import PostgresClient
@testable import SpinHost

/// Connection strings, value encoding and message framing, without a server.
struct PostgresUnitTests {
    @Test func keyValueConnectionStrings() throws {
        let a = try PostgresAddress(
            parsing: "host=db.example port=6543 user=app password='it\\'s a \\\\ x' dbname=prod connect_timeout=3")
        #expect(a.host == "db.example")
        #expect(a.port == 6543)
        #expect(a.user == "app")
        #expect(a.password == "it's a \\ x")
        #expect(a.database == "prod")
        #expect(a.connectTimeout == 3)
        let b = try PostgresAddress(parsing: "  user = me  password='a b\\\\c'  application_name=spin ")
        #expect(b.host == "localhost" && b.port == 5432)
        #expect(b.password == "a b\\c")
        #expect(b.database == "me")
        #expect(b.applicationName == "spin")
        #expect(b.connectTimeout == 10)
    }

    @Test func urlConnectionStrings() throws {
        let a = try PostgresAddress(parsing: "postgres://app:p%40ss%3Aword@10.0.0.5:5433/my%20db?sslmode=disable")
        #expect(a.user == "app" && a.password == "p@ss:word")
        #expect(a.host == "10.0.0.5" && a.port == 5433)
        #expect(a.database == "my db")
        let b = try PostgresAddress(parsing: "postgresql://bob@[::1]/x?application_name=t&connect_timeout=5")
        #expect(b.host == "::1" && b.port == 5432 && b.endpoint == "[::1]:5432")
        #expect(b.password == nil && b.database == "x" && b.connectTimeout == 5)
        let c = try PostgresAddress(parsing: "postgres:///db?user=u&host=h&port=7")
        #expect(c.user == "u" && c.host == "h" && c.port == 7 && c.database == "db")
    }

    @Test func badConnectionStringsSayWhy() {
        func problem(_ s: String) -> String {
            do {
                _ = try PostgresAddress(parsing: s)
                return "parsed"
            } catch {
                return error.message
            }
        }
        #expect(problem("host=x") == "the connection string names no user (add `user=...` or `postgres://USER@...`)")
        #expect(problem("user") == "missing `=` after `user` in the connection string")
        #expect(problem("user=a colour=blue") == "unknown connection option `colour`")
        #expect(problem("user=a password='open") == "unterminated quoted value for `password`")
        #expect(problem("user=a port=99999") == "invalid port `99999`")
        #expect(problem("user=a sslmode=require") == "sslmode=require: TLS connections are not supported by this host")
        #expect(problem("user=a host=/var/run/postgresql").hasPrefix("Unix-domain socket hosts"))
        #expect(problem("user=a host=h1,h2") == "multiple hosts (`h1,h2`) are not supported")
        #expect(problem("mysql://a@b/c").hasPrefix("unsupported connection URL scheme"))
        #expect(problem("postgres://a@h/d?bogus=1") == "unknown connection option `bogus`")
    }

    @Test func passwordsAreRedacted() {
        #expect(PostgresAddress.redact("postgres://u:secret@h/d") == "postgres://u:***@h/d")
        #expect(PostgresAddress.redact("user=u password='se cret' host=h") == "user=u password=*** host=h")
        #expect(PostgresAddress.redact("user=u password=secret host=h") == "user=u password=*** host=h")
    }

    @Test func parametersEncodeWithTheirTypes() throws {
        func enc(_ v: DbValue) throws -> (Int32, [UInt8]?) {
            let r = try PostgresValueCodec.encode(PostgresValue(v, parameter: 0), index: 0)
            return (r.oid, r.bytes)
        }
        #expect(try enc(.boolean(true)) == (16, [1]))
        #expect(try enc(.int8(-2)) == (18, [0xFE]))
        #expect(try enc(.int16(-2)) == (21, [0xFF, 0xFE]))
        #expect(try enc(.int32(0x0102_0304)) == (23, [1, 2, 3, 4]))
        #expect(try enc(.int64(-1)) == (20, [UInt8](repeating: 0xFF, count: 8)))
        #expect(try enc(.floating32(1.5)) == (700, [0x3F, 0xC0, 0, 0]))
        #expect(try enc(.floating64(-2)) == (701, [0xC0, 0, 0, 0, 0, 0, 0, 0]))
        #expect(try enc(.str("hé")) == (25, [0x68, 0xC3, 0xA9]))
        #expect(try enc(.binary([0, 255])) == (17, [0, 255]))
        #expect(try enc(.dbNull) == (0, nil))
        #expect(throws: DatabaseError.badParameter("parameter 1: Postgres does not support unsigned integers")) {
            _ = try enc(.uint32(1))
        }
    }

    @Test func resultsDecodeFromBinaryAndText() throws {
        func bin(_ b: [UInt8]?, _ oid: Int32) throws -> DbValue {
            do {
                return DbValue(try PostgresValueCodec.decode(b, oid: oid, format: 1, column: "c"))
            } catch {
                throw DatabaseError(error)
            }
        }
        func text(_ s: String, _ oid: Int32) throws -> DbValue {
            do {
                return DbValue(try PostgresValueCodec.decode(Array(s.utf8), oid: oid, format: 0, column: "c"))
            } catch {
                throw DatabaseError(error)
            }
        }
        #expect(try bin([1], 16) == .boolean(true))
        #expect(try bin([0x80], 18) == .int8(-128))
        #expect(try bin([0x80, 0], 21) == .int16(-32768))
        #expect(try bin([0, 0, 1, 0], 23) == .int32(256))
        #expect(try bin([0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], 20) == .int64(.max))
        #expect(try bin([0x3F, 0xC0, 0, 0], 700) == .floating32(1.5))
        #expect(try bin([0x40, 0x09, 0x21, 0xFB, 0x54, 0x44, 0x2D, 0x18], 701) == .floating64(3.141592653589793))
        #expect(try bin(Array("x".utf8), 1043) == .str("x"))
        #expect(try bin([9, 0], 17) == .binary([9, 0]))
        #expect(try bin(nil, 23) == .dbNull)
        #expect(try bin([0, 0, 0, 1], 1700) == .unsupported)  // numeric
        #expect(throws: DatabaseError.valueConversionFailed("column `c`: expected 4 bytes, got 2")) {
            _ = try bin([0, 1], 23)
        }
        #expect(throws: DatabaseError.valueConversionFailed("column `c`: the value is not valid UTF-8")) {
            _ = try bin([0xFF], 25)
        }
        #expect(try text("t", 16) == .boolean(true))
        #expect(try text("-5", 21) == .int16(-5))
        #expect(try text("-9223372036854775808", 20) == .int64(.min))
        #expect(try text("Infinity", 701) == .floating64(.infinity))
        #expect(try text("\\x00ff", 17) == .binary([0, 255]))
        #expect(try text("a\\\\b\\001", 17) == .binary([0x61, 0x5C, 0x62, 1]))
        #expect(try text("\\377", 18) == .int8(-1))
        #expect(try text("A", 18) == .int8(65))
        #expect(throws: DatabaseError.self) { _ = try text("12x", 23) }
        #expect(DbDataType(PostgresValueCodec.type(oid: 1042)) == .str)
        #expect(DbDataType(PostgresValueCodec.type(oid: 1114)) == .other)
    }

    @Test func frontendMessagesAreFramed() throws {
        let sync = FrontendMessage.sync()
        #expect(sync == [UInt8(ascii: "S"), 0, 0, 0, 4])
        let startup = FrontendMessage.startup(user: "u", database: "d", parameters: [])
        #expect(Array(startup.prefix(8)) == [0, 0, 0, UInt8(startup.count), 0, 3, 0, 0])
        #expect(startup.last == 0)
        let bind = FrontendMessage.bind(parameters: [[7], nil])
        var r = MessageReader(Array(bind.dropFirst(5)))
        #expect(try r.cString() == "" && r.cString() == "")
        #expect(try r.int16() == 1 && r.int16() == 1 && r.int16() == 2)
        #expect(try r.int32() == 1 && r.bytes(1) == [7] && r.int32() == -1)
        #expect(try r.int16() == 1 && r.int16() == 1 && r.remaining == 0)
        let notice = ServerNotice(body: Array("SERROR\0VERROR\0C42601\0Msyntax error\0Hcheck it\0\0".utf8))
        #expect(notice.description == "ERROR: syntax error (SQLSTATE 42601)\nHINT: check it")
        #expect(!notice.isFatal)
    }
}
