import Foundation
import PostgresClient
import Testing

@testable import SpinHost

/// The date and time arithmetic behind `spin:postgres` 3.x/4.x, and the client's binary
/// encoding of the types it added (date, time, timestamp, timestamptz, uuid, jsonb).
struct PostgresCalendarTests {
    typealias C = PostgresCalendar

    /// A datetime tuple as numbers (tuples of seven cannot be compared with `==`).
    static func parts(
        _ t: (year: Int32, month: UInt8, day: UInt8, hour: UInt8, minute: UInt8, second: UInt8, nanosecond: UInt32)
    ) -> [Int64] {
        [Int64(t.year), Int64(t.month), Int64(t.day), Int64(t.hour), Int64(t.minute), Int64(t.second), Int64(t.nanosecond)]
    }

    @Test func civilDatesAndDayCountsAgree() throws {
        #expect(C.civil(daysSince1970: 0) == (1970, 1, 1))
        #expect(C.civil(daysSince1970: C.postgresEpochDays) == (2000, 1, 1))
        #expect(C.civil(daysSince1970: -1) == (1969, 12, 31))
        #expect(try C.days(year: 2024, month: 2, day: 29) == 19782)
        #expect(try C.days(year: 1, month: 1, day: 1) == -719_162)
        // Every day of 1600..2400 (leap centuries and not) maps back to itself.
        var day = try C.days(year: 1600, month: 1, day: 1)
        let end = try C.days(year: 2400, month: 12, day: 31)
        var (y, m, d): (Int64, UInt8, UInt8) = (1600, 1, 1)
        while day <= end {
            #expect(C.civil(daysSince1970: day) == (y, m, d))
            d += 1
            if d > C.daysIn(month: m, year: y) {
                d = 1
                m += 1
                if m > 12 {
                    m = 1
                    y += 1
                }
            }
            day += 1
        }
        #expect(y == 2401)
        #expect(throws: C.InvalidValue.self) { try C.days(year: 1900, month: 2, day: 29) }
        #expect(try C.days(year: 2000, month: 2, day: 29) > 0)
        #expect(throws: C.InvalidValue.self) { try C.days(year: 2024, month: 0, day: 1) }
        #expect(throws: C.InvalidValue.self) { try C.days(year: 2024, month: 4, day: 31) }
    }

    @Test func postgresCountsToTuplesAndBack() throws {
        #expect(try C.date(postgresDays: 0) == (2000, 1, 1))
        #expect(try C.date(postgresDays: -1) == (1999, 12, 31))
        #expect(try C.postgresDays(year: 1999, month: 12, day: 31) == -1)
        #expect(throws: C.InvalidValue.self) { try C.date(postgresDays: .max) }
        #expect(throws: C.InvalidValue.self) { try C.date(postgresDays: .min) }

        #expect(try C.time(microseconds: 0) == (0, 0, 0, 0))
        #expect(try C.time(microseconds: C.microsecondsPerDay - 1) == (23, 59, 59, 999_999_000))
        #expect(throws: C.InvalidValue.self) { try C.time(microseconds: C.microsecondsPerDay) }
        #expect(try C.microseconds(hour: 23, minute: 59, second: 59, nanosecond: 999_999_999) == C.microsecondsPerDay - 1)
        #expect(throws: C.InvalidValue.self) { try C.microseconds(hour: 0, minute: 60, second: 0, nanosecond: 0) }

        // Before 2000 the microseconds are negative: the day rounds down, the time stays positive.
        #expect(Self.parts(try C.datetime(microseconds: -1)) == [1999, 12, 31, 23, 59, 59, 999_999_000])
        #expect(Self.parts(try C.datetime(microseconds: 0)) == [2000, 1, 1, 0, 0, 0, 0])
        let t = try C.microseconds(year: 1969, month: 7, day: 20, hour: 20, minute: 17, second: 40, nanosecond: 5000)
        #expect(Self.parts(try C.datetime(microseconds: t)) == [1969, 7, 20, 20, 17, 40, 5000])
        #expect(throws: C.InvalidValue.self) { try C.datetime(microseconds: .max) }
        #expect(throws: C.InvalidValue.self) { try C.microseconds(year: .max, month: 1, day: 1, hour: 0, minute: 0, second: 0, nanosecond: 0) }

        #expect(try C.microseconds(unixSeconds: 946_684_800) == 0)
        #expect(try C.microseconds(unixSeconds: 0) == -946_684_800_000_000)
        #expect(throws: C.InvalidValue.self) { try C.microseconds(unixSeconds: .min) }
    }

    @Test func uuidTextForms() {
        let bytes: [UInt8] = [0xA0, 0xEE, 0xBC, 0x99, 0x9C, 0x0B, 0x4E, 0xF8, 0xBB, 0x6D, 0x6B, 0xB9, 0xBD, 0x38, 0x0A, 0x11]
        for text in [
            "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", "a0eebc999c0b4ef8bb6d6bb9bd380a11",
            "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}", "urn:uuid:a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
        ] {
            #expect(SpinPostgresInterfaces.uuidBytes(text) == bytes, "\(text)")
        }
        for text in [
            "", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1", "a0eebc99x9c0b-4ef8-bb6d-6bb9bd380a11", "{a0eebc999c0b4ef8bb6d6bb9bd380a11",
            "g0eebc999c0b4ef8bb6d6bb9bd380a11",
        ] {
            #expect(SpinPostgresInterfaces.uuidBytes(text) == nil, "\(text)")
        }
        #expect(SpinPostgresInterfaces.uuidText(bytes) == "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")
    }

    @Test func theClientEncodesAndDecodesTheNewTypes() throws {
        let values: [(PostgresValue, Int32)] = [
            (.date(days: -1), 1082), (.time(microseconds: 1_000_001), 1083), (.timestamp(microseconds: -5), 1114),
            (.timestamptz(microseconds: 1 << 40), 1184), (.uuid(Array(0..<16)), 2950), (.jsonb(Array("[1]".utf8)), 3802),
        ]
        for (value, oid) in values {
            let (encodedOID, bytes) = try PostgresValueCodec.encode(value, index: 0)
            #expect(encodedOID == oid)
            #expect(try PostgresValueCodec.decode(bytes, oid: oid, format: 1, column: "c") == value)
        }
        #expect(try PostgresValueCodec.encode(.date(days: -1), index: 0).bytes == [0xFF, 0xFF, 0xFF, 0xFF])
        // numeric: text → PostgreSQL's base-10000 groups → the same text.
        for text in [
            "0", "1", "-1", "12.50", "0.0001", "-0.001", "10000", "99990000", "1.000000001", "123456789012345678901234567890.12",
            "NaN", "Infinity", "-Infinity",
        ] {
            let (oid, bytes) = try PostgresValueCodec.encode(.numeric(text), index: 0)
            #expect(oid == 1700)
            #expect(try PostgresValueCodec.decode(bytes, oid: 1700, format: 1, column: "c") == .numeric(text), "\(text)")
        }
        // 12.50: two digits (12, 5000), weight 0, positive, scale 2.
        #expect(try PostgresValueCodec.encode(.numeric("12.50"), index: 0).bytes == [0, 2, 0, 0, 0, 0, 0, 2, 0, 12, 0x13, 0x88])
        #expect(try PostgresValueCodec.encode(.numeric("+5."), index: 0).bytes == [0, 1, 0, 0, 0, 0, 0, 0, 0, 5])
        #expect(try PostgresValueCodec.encode(.numeric("-0.00"), index: 0).bytes == [0, 0, 0, 0, 0, 0, 0, 2])
        for bad in ["", ".", "1e5", "1.2.3", "--1", "0x10", " 1"] {
            #expect(throws: PostgresError.self, "\(bad)") { _ = try PostgresValueCodec.encode(.numeric(bad), index: 0) }
        }
        #expect(throws: PostgresError.self) { _ = try PostgresValueCodec.decode([0, 1, 0, 0, 0, 0, 0, 0], oid: 1700, format: 1, column: "c") }
        #expect(throws: PostgresError.self) { _ = try PostgresValueCodec.decode([0, 1, 0, 0, 0, 0, 0, 0, 0x27, 0x10], oid: 1700, format: 1, column: "c") }
        // Ranges and arrays.
        let containers: [(PostgresValue, Int32)] = [
            (.int32Range(PostgresRange(lower: 1, lowerInclusive: true, upper: 6, upperInclusive: false)), 3904),
            (.int64Range(PostgresRange(lower: nil, lowerInclusive: false, upper: -1, upperInclusive: true)), 3926),
            (.numericRange(PostgresRange(lower: "0.5", lowerInclusive: false, upper: nil, upperInclusive: false)), 3906),
            (.int32Range(PostgresRange(lower: nil, lowerInclusive: false, upper: nil, upperInclusive: false, isEmpty: true)), 3904),
            (.int32Array([1, nil, -2]), 1007), (.int64Array([]), 1016), (.numericArray(["1.0", nil]), 1231),
            (.textArray(["", "é", nil]), 1009),
        ]
        for (value, oid) in containers {
            let (encodedOID, bytes) = try PostgresValueCodec.encode(value, index: 0)
            #expect(encodedOID == oid)
            #expect(try PostgresValueCodec.decode(bytes, oid: oid, format: 1, column: "c") == value, "\(value)")
        }
        #expect(try PostgresValueCodec.encode(.int32Array([7]), index: 0).bytes == [0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 23, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 0, 7])
        #expect(throws: PostgresError.self) { _ = try PostgresValueCodec.encode(.numericArray(["x"]), index: 0) }
        #expect(throws: PostgresError.self) { _ = try PostgresValueCodec.decode([0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 23], oid: 1007, format: 1, column: "c") }
        #expect(throws: PostgresError.self) { _ = try PostgresValueCodec.decode([0x02, 0, 0, 0, 4, 0, 0], oid: 3904, format: 1, column: "c") }
        let interval = PostgresValue.interval(microseconds: -1, days: 2, months: -3)
        #expect(try PostgresValueCodec.decode(try PostgresValueCodec.encode(interval, index: 0).bytes, oid: 1186, format: 1, column: "c") == interval)
        #expect(try PostgresValueCodec.encode(.jsonb(Array("1".utf8)), index: 0).bytes == [1, UInt8(ascii: "1")])
        #expect(throws: PostgresError.self) { _ = try PostgresValueCodec.encode(.uuid([1, 2]), index: 0) }
        #expect(throws: PostgresError.self) { _ = try PostgresValueCodec.decode([2, 0x31], oid: 3802, format: 1, column: "c") }
        #expect(throws: PostgresError.self) { _ = try PostgresValueCodec.decode([1, 2, 3], oid: 1082, format: 1, column: "c") }
        // Spin 1.x's rdbms-types has none of them.
        #expect(DbValue(PostgresValue.uuid(Array(0..<16))) == .unsupported)
        #expect(DbDataType(PostgresValueCodec.type(oid: 1082)) == .other)
    }
}
