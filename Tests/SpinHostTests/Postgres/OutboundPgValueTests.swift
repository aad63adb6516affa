import Foundation
import Testing

@testable import PostgresClient
@testable import SpinHost

/// `db-value`s through the PostgreSQL client's value codec, as `outbound-pg` sends and
/// receives them, without a server.
struct OutboundPgValueTests {
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
        #expect(try bin([0, 0, 0, 1], 790) == .unsupported)  // money
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
}
