import Foundation
import Testing

@testable import PostgresClient

/// Connection strings and message framing, without a server.
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
