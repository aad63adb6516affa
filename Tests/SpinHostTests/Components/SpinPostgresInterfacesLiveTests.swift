import Foundation
import PostgresClient
import TestSupport
import Testing
import WasmComponents
import WasmWASIP2

@testable import SpinHost

/// `fermyon:spin/postgres@2.0.0`, `spin:postgres/postgres@3.0.0` and `@4.0.0` against a real
/// PostgreSQL (`PostgresTestServer`), called as the linker calls them, every argument and
/// result type-checked against the Spin SDK's WIT (`OutboundDb.call`). In the serialized
/// `PostgresTests` suite, with the other users of the shared server's tables.
extension ComponentValue {
    /// A tuple with item `i` replaced.
    func replacing(_ i: Int, _ v: ComponentValue) -> ComponentValue {
        guard case .tuple(var items) = self else { return self }
        items[i] = v
        return .tuple(items)
    }
}

extension PostgresTests {
    @Suite struct SpinPostgresInterfacesLiveTests {
        typealias Version = SpinPostgresInterfaces.Version
        static let versions = [SpinPostgresInterfaces.v2, SpinPostgresInterfaces.v3, SpinPostgresInterfaces.v4]
        let server: PostgresTestServer
        let context: WASIP2Context

        init() throws {
            server = try PostgresTestServer.server()
            context = try OutboundDb.context(allowing: ["postgres://127.0.0.1:\(server.port)"])
        }

        func open(_ v: Version, _ address: String? = nil) throws -> ComponentValue {
            try OutboundDb.call(context, v.interface, "[static]connection.open", [.string(address ?? server.scramURL)])
        }

        func query(_ v: Version, _ c: UInt32, _ sql: String, _ params: [ComponentValue] = []) throws -> ComponentValue {
            try OutboundDb.call(context, v.interface, "[method]connection.query", [.borrow(c), .string(sql), .list(params)])
        }

        func execute(_ v: Version, _ c: UInt32, _ sql: String, _ params: [ComponentValue] = []) throws -> ComponentValue {
            try OutboundDb.call(
                context, v.interface, "[method]connection.execute", [.borrow(c), .string(sql), .list(params)])
        }

        /// The parameter of each supported kind, with the `db-value` it comes back as.
        static func roundTrips(_ v: Version) -> [(ComponentValue, ComponentValue)] {
            let c = v.valueCases
            let p = v.parameterCases
            func index(_ kind: SpinPostgresInterfaces.ParameterKind) -> Int { p.first { $0.value == kind }!.key }
            func pair(_ kind: SpinPostgresInterfaces.ParameterKind, _ valueCase: Int, _ payload: ComponentValue)
                -> (ComponentValue, ComponentValue)
            {
                (.variant(case: index(kind), payload: payload), .variant(case: valueCase, payload: payload))
            }
            return [
                pair(.boolean, c.boolean, .bool(true)), pair(.boolean, c.boolean, .bool(false)),
                pair(.int8, c.int8, .s8(-128)), pair(.int8, c.int8, .s8(127)),
                pair(.int16, c.int16, .s16(.min)), pair(.int16, c.int16, .s16(.max)),
                pair(.int32, c.int32, .s32(.min)), pair(.int32, c.int32, .s32(.max)),
                pair(.int64, c.int64, .s64(.min)), pair(.int64, c.int64, .s64(.max)),
                pair(.floating32, c.floating32, .f32(-1.25)), pair(.floating32, c.floating32, .f32(.infinity)),
                pair(.floating64, c.floating64, .f64(3.141592653589793)), pair(.floating64, c.floating64, .f64(-0.0)),
                pair(.str, c.str, .string("")), pair(.str, c.str, .string("héllo 🌍 'q' \\ \n")),
                pair(.binary, c.binary, .bytes([])), pair(.binary, c.binary, .bytes([0, 1, 0x7F, 0x80, 0xFF])),
                (.variant(case: index(.dbNull), payload: nil), .variant(case: c.dbNull, payload: nil)),
            ]
        }

        static func dataType(_ v: Version, _ index: Int) -> ComponentValue {
            v.dataTypeIsVariant ? .variant(case: index, payload: nil) : .enumeration(index)
        }

        @Test func everySupportedValueRoundTripsInEachVersion() throws {
            for v in Self.versions {
                let c = try OutboundDb.opened(try open(v))
                let pairs = Self.roundTrips(v)
                let sql = "SELECT " + (1...pairs.count).map { "$\($0)" }.joined(separator: ", ")
                let r = try query(v, c, sql, pairs.map(\.0))
                guard case .ok(.record(let set)?) = r, set.count == 2, case .list(let columns) = set[0],
                    case .list(let rows) = set[1]
                else {
                    Issue.record("\(v.interface): \(r)")
                    continue
                }
                #expect(rows == [.list(pairs.map(\.1))], "\(v.interface)")
                let k = v.valueCases
                let types = [
                    k.boolean, k.boolean, k.int8, k.int8, k.int16, k.int16, k.int32, k.int32, k.int64, k.int64,
                    k.floating32, k.floating32, k.floating64, k.floating64, k.str, k.str, k.binary, k.binary, k.str,
                ].map { Self.dataType(v, $0) }
                #expect(columns.count == pairs.count)
                #expect(columns.map { if case .record(let f) = $0 { f[1] } else { $0 } } == types, "\(v.interface)")
                #expect(columns.first == .record([.string("?column?"), Self.dataType(v, k.boolean)]))
            }
        }

        @Test func tablesExecuteQueryAndUnsupportedColumns() throws {
            for v in Self.versions {
                let c = try OutboundDb.opened(try open(v))
                let table = "component_types_\(v.interface.filter { $0.isLetter || $0.isNumber })"
                #expect(try execute(v, c, "DROP TABLE IF EXISTS \(table)") == .ok(.u64(0)))
                #expect(
                    try execute(v, c, "CREATE TABLE \(table) (i integer, t text, n numeric, ts timestamp, u uuid)")
                        == .ok(.u64(0)))
                let str = v.parameterCases.first { $0.value == .str }!.key
                let int32 = v.parameterCases.first { $0.value == .int32 }!.key
                let insert =
                    "INSERT INTO \(table) VALUES ($1, $2, 12.5, '2024-01-02 03:04:05', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11')"
                for n in 1...3 {
                    #expect(
                        try execute(
                            v, c, insert,
                            [.variant(case: int32, payload: .s32(Int32(n))), .variant(case: str, payload: .string("r\(n)"))])
                            == .ok(.u64(1)))
                }
                #expect(try execute(v, c, "UPDATE \(table) SET t = t || '!' WHERE i >= 2") == .ok(.u64(2)))
                let r = try query(v, c, "SELECT * FROM \(table) ORDER BY i")
                guard case .ok(.record(let set)?) = r, case .list(let columns) = set[0], case .list(let rows) = set[1] else {
                    Issue.record("\(v.interface): \(r)")
                    continue
                }
                let k = v.valueCases
                let other: (String) -> ComponentValue = { name in
                    v.dataTypeIsVariant ? .variant(case: k.dataTypeOther, payload: .string(name)) : .enumeration(k.dataTypeOther)
                }
                let v2 = !v.interface.hasPrefix("spin:")
                let v4 = v.interface.hasSuffix("4.0.0")
                let unsupported = ComponentValue.variant(case: k.unsupported, payload: k.unsupportedHasPayload ? .bytes([]) : nil)
                #expect(
                    columns == [
                        .record([.string("i"), Self.dataType(v, k.int32)]), .record([.string("t"), Self.dataType(v, k.str)]),
                        .record([.string("n"), v4 ? Self.dataType(v, k.decimal!) : other("numeric")]),
                        .record([.string("ts"), v2 ? other("timestamp") : Self.dataType(v, k.timestamp!)]),
                        .record([.string("u"), v4 ? Self.dataType(v, k.uuid!) : other("uuid")]),
                    ], "\(v.interface)")
                // timestamp values are `datetime` tuples (3.x/4.x); uuid is hyphenated text (4.0.0).
                let ts: ComponentValue =
                    v2
                    ? unsupported
                    : .variant(
                        case: k.datetime!, payload: .tuple([.s32(2024), .u8(1), .u8(2), .u8(3), .u8(4), .u8(5), .u32(0)]))
                let u: ComponentValue =
                    v4 ? .variant(case: k.uuid!, payload: .string("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")) : unsupported
                #expect(
                    rows.last
                        == .list([
                            .variant(case: k.int32, payload: .s32(3)), .variant(case: k.str, payload: .string("r3!")),
                            v4 ? .variant(case: k.decimal!, payload: .string("12.5")) : unsupported, ts, u,
                        ]), "\(v.interface)")
                #expect(rows.count == 3)
                // No rows: no columns either (Spin infers them from the first row).
                #expect(try query(v, c, "SELECT * FROM \(table) WHERE i > 100") == .ok(.record([.list([]), .list([])])))
                #expect(try execute(v, c, "DELETE FROM \(table)") == .ok(.u64(3)))
                #expect(try execute(v, c, "DROP TABLE \(table)") == .ok(.u64(0)))
            }
        }

        @Test func sqlErrorsAreQueryFailed() throws {
            for v in Self.versions {
                let c = try OutboundDb.opened(try open(v))
                for r in [try query(v, c, "SELEC 1"), try execute(v, c, "INSERT INTO no_such_table VALUES (1)")] {
                    guard case .err(.variant(case: 2, payload: let payload?)?) = r else {
                        Issue.record("\(v.interface): \(r)")
                        continue
                    }
                    // 4.0.0: query-failed(query-error::db-error{...}) with the server's fields.
                    if v.structuredQueryError {
                        guard case .variant(case: 1, let e?) = payload, case .record(let f) = e, f.count == 6,
                            case .string(let text) = f[0], case .string(let code) = f[2]
                        else {
                            Issue.record("\(v.interface): \(payload)")
                            continue
                        }
                        #expect(text.contains("SQLSTATE \(code)") && code.hasPrefix("42"), "\(text)")
                        #expect(f[1] == .string("ERROR"))
                        #expect(f[4] == .option(nil))
                        continue
                    }
                    guard case .string(let m) = payload else {
                        Issue.record("\(v.interface): \(payload)")
                        continue
                    }
                    #expect(m.contains("ERROR") && m.contains("SQLSTATE 42"), "\(m)")
                }
                // The connection is still usable after an error.
                #expect(try execute(v, c, "SELECT 1") == .ok(.u64(1)))
            }
            // 4.0.0: a unique violation's detail and extras (schema, table, constraint, ...).
            let v4 = SpinPostgresInterfaces.v4
            let c = try OutboundDb.opened(try open(v4))
            _ = try execute(v4, c, "DROP TABLE IF EXISTS component_unique")
            _ = try execute(v4, c, "CREATE TABLE component_unique (id integer PRIMARY KEY)")
            #expect(try execute(v4, c, "INSERT INTO component_unique VALUES (1)") == .ok(.u64(1)))
            let r = try execute(v4, c, "INSERT INTO component_unique VALUES (1)")
            guard case .err(.variant(case: 2, payload: .variant(case: 1, payload: .record(let f)?)?)?) = r, f.count == 6,
                case .list(let extras) = f[5]
            else {
                Issue.record("unique: \(r)")
                return
            }
            #expect(f[2] == .string("23505"))
            #expect(f[3] == .string("duplicate key value violates unique constraint \"component_unique_pkey\""))
            #expect(f[4] == .option(.string("Key (id)=(1) already exists.")))
            #expect(extras.contains(.tuple([.string("table"), .string("component_unique")])))
            #expect(extras.contains(.tuple([.string("constraint"), .string("component_unique_pkey")])))
            // A failure that is not the server's (a value with no tuple) stays text.
            let inf = try query(v4, c, "SELECT 'infinity'::timestamp AS t")
            guard case .err(.variant(case: 2, payload: .variant(case: 0, payload: .string(let m)?)?)?) = inf else {
                Issue.record("infinity: \(inf)")
                return
            }
            #expect(m.contains("column `t`"))
            _ = try execute(v4, c, "DROP TABLE component_unique")
        }

        @Test func parametersTheClientCannotSendAreSpinsParameterErrors() throws {
            // 2.0.0: unsigned integers, as Spin ("Postgres does not support unsigned integers").
            let v2 = SpinPostgresInterfaces.v2
            let c2 = try OutboundDb.opened(try open(v2))
            for (index, payload) in [(5, ComponentValue.u8(1)), (6, .u16(1)), (7, .u32(1)), (8, .u64(1))] {
                #expect(
                    try query(v2, c2, "SELECT $1", [.variant(case: index, payload: payload)])
                        == .err(.variant(case: 1, payload: .string("Postgres does not support unsigned integers"))))
                #expect(
                    try execute(v2, c2, "SELECT $1", [.variant(case: index, payload: payload)])
                        == .err(.variant(case: 3, payload: .string("Postgres does not support unsigned integers"))))
            }
            // Cases the host cannot send (none left in 3.0.0 and 4.0.0): bad-parameter from query,
            // value-conversion-failed from execute, naming the parameter and the case.
            let samples: [Int: ComponentValue] = [
                9: .tuple([.s32(2024), .u8(1), .u8(2)]), 10: .tuple([.u8(3), .u8(4), .u8(5), .u32(6)]),
                11: .tuple([.s32(2024), .u8(1), .u8(2), .u8(3), .u8(4), .u8(5), .u32(6)]), 12: .s64(0),
                13: .string("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"), 14: .bytes(Array("{}".utf8)), 15: .string("1.5"),
                16: .tuple([.option(.tuple([.s32(1), .enumeration(0)])), .option(nil)]),
                17: .tuple([.option(nil), .option(.tuple([.s64(9), .enumeration(1)]))]),
                18: .tuple([.option(.tuple([.string("1.5"), .enumeration(0)])), .option(nil)]),
                19: .list([.option(.s32(1)), .option(nil)]), 20: .list([.option(.s64(1))]),
                21: .list([.option(.string("1.5"))]), 22: .list([.option(.string("a"))]),
                23: .record([.s64(1), .s32(2), .s32(3)]),
            ]
            for v in [SpinPostgresInterfaces.v3, SpinPostgresInterfaces.v4] {
                let c = try OutboundDb.opened(try open(v))
                // Dates and times that do not exist, a UUID or JSON that does not parse: Spin's messages.
                let bad: [(ComponentValue, String)] = [
                    (.variant(case: 9, payload: samples[9]!.replacing(2, .u8(30)).replacing(1, .u8(2))), "invalid date y=2024, m=2, d=30"),
                    (.variant(case: 9, payload: .tuple([.s32(2023), .u8(13), .u8(1)])), "invalid date y=2023, m=13, d=1"),
                    (.variant(case: 10, payload: .tuple([.u8(24), .u8(0), .u8(0), .u32(0)])), "invalid time 24:0:0:0"),
                    (.variant(case: 10, payload: .tuple([.u8(1), .u8(2), .u8(3), .u32(1_000_000_000)])), "invalid time 1:2:3:1000000000"),
                    (.variant(case: 11, payload: .tuple([.s32(2023), .u8(2), .u8(29), .u8(0), .u8(0), .u8(0), .u32(0)])), "invalid date y=2023, m=2, d=29"),
                    (.variant(case: 12, payload: .s64(.max)), "invalid epoch timestamp \(Int64.max)"),
                ] + (v.interface.hasSuffix("4.0.0") ? [
                    (.variant(case: 13, payload: .string("a0eebc99-9c0b-4ef8-bb6d")), "invalid UUID a0eebc99-9c0b-4ef8-bb6d"),
                    (.variant(case: 14, payload: .bytes(Array("{nope".utf8))), "invalid JSON {nope"),
                    (.variant(case: 15, payload: .string("1e5")), "invalid decimal 1e5"),
                    (.variant(case: 15, payload: .string("NaN")), "invalid decimal NaN"),
                    (.variant(case: 15, payload: .string(".")), "invalid decimal ."),
                    (.variant(case: 18, payload: .tuple([.option(.tuple([.string("x"), .enumeration(0)])), .option(nil)])), "invalid decimal x"),
                    (.variant(case: 21, payload: .list([.option(nil), .option(.string("1,5"))])), "invalid decimal 1,5"),
                ] : [])
                for (p, message) in bad {
                    #expect(try query(v, c, "SELECT $1", [p]) == .err(.variant(case: 1, payload: .string(message))))
                    #expect(try execute(v, c, "SELECT $1", [p]) == .err(.variant(case: 3, payload: .string(message))))
                }
                for (index, name) in v.unsupportedParameterCases.sorted(by: { $0.key < $1.key }) {
                    let bool = ComponentValue.variant(case: 0, payload: .bool(true))
                    let p = ComponentValue.variant(case: index, payload: samples[index]!)
                    let message = "parameter 2: `\(name)` values are not supported by this host's PostgreSQL client"
                    #expect(try query(v, c, "SELECT $1, $2", [bool, p]) == .err(.variant(case: 1, payload: .string(message))))
                    #expect(try execute(v, c, "SELECT $1, $2", [bool, p]) == .err(.variant(case: 3, payload: .string(message))))
                }
                #expect(v.unsupportedParameterCases.count == 0)
            }
        }

        /// 3.x/4.x date and time cases both ways (and 4.0.0's uuid and jsonb), against the
        /// server's own text of the same values.
        @Test func datesTimesUUIDsAndJSONRoundTrip() throws {
            for v in [SpinPostgresInterfaces.v3, SpinPostgresInterfaces.v4] {
                let c = try OutboundDb.opened(try open(v))
                let k = v.valueCases
                let date: ComponentValue = .tuple([.s32(2024), .u8(2), .u8(29)])
                let oldDate: ComponentValue = .tuple([.s32(-44), .u8(3), .u8(15)])
                let time: ComponentValue = .tuple([.u8(23), .u8(59), .u8(58), .u32(123_456_000)])
                let datetime: ComponentValue = .tuple([.s32(1999), .u8(12), .u8(31), .u8(23), .u8(59), .u8(59), .u32(999_999_000)])
                let params: [ComponentValue] = [
                    .variant(case: 9, payload: date), .variant(case: 9, payload: oldDate), .variant(case: 10, payload: time),
                    .variant(case: 11, payload: datetime), .variant(case: 12, payload: .s64(1_700_000_000)),
                ]
                let sql = "SELECT $1, $2, $3, $4, $5, $1::text, $2::text, $3::text, $4::text, ($5 AT TIME ZONE 'UTC')::text"
                let r = try query(v, c, sql, params)
                guard case .ok(.record(let set)?) = r, case .list(let columns) = set[0], case .list(let rows) = set[1],
                    case .list(let row) = rows.first
                else {
                    Issue.record("\(v.interface): \(r)")
                    continue
                }
                #expect(
                    Array(row.prefix(5)) == [
                        .variant(case: k.date!, payload: date), .variant(case: k.date!, payload: oldDate),
                        .variant(case: k.time!, payload: time), .variant(case: k.datetime!, payload: datetime),
                        .variant(
                            case: k.datetime!,
                            payload: .tuple([.s32(2023), .u8(11), .u8(14), .u8(22), .u8(13), .u8(20), .u32(0)])),
                    ], "\(v.interface)")
                #expect(
                    Array(row.suffix(5)) == [
                        "2024-02-29", "0045-03-15 BC", "23:59:58.123456", "1999-12-31 23:59:59.999999", "2023-11-14 22:13:20",
                    ].map { ComponentValue.variant(case: k.str, payload: .string($0)) }, "\(v.interface)")
                #expect(
                    columns.prefix(5).map { if case .record(let f) = $0 { f[1] } else { $0 } }
                        == [k.date!, k.date!, k.time!, k.timestamp!, k.timestamp!].map { Self.dataType(v, $0) })
                // Values the server has that no tuple holds: query-failed naming the column.
                let inf = try query(v, c, "SELECT 'infinity'::date AS d")
                guard case .err(.variant(case: 2, payload: let payload?)?) = inf else {
                    Issue.record("\(v.interface): \(inf)")
                    continue
                }
                #expect("\(payload)".contains("column `d`: date infinity has no year"), "\(payload)")
                #expect(try execute(v, c, "SELECT '24:00'::time") == .ok(.u64(1)))
                #expect(try query(v, c, "SELECT '24:00'::time").isErr)

                guard v.interface.hasSuffix("4.0.0") else {
                    // 3.0.0 has no uuid or jsonb: other / unsupported.
                    let r3 = try query(v, c, "SELECT 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid, '{}'::jsonb")
                    #expect(
                        r3
                            == .ok(
                                .record([
                                    .list([.record([.string("uuid"), .enumeration(13)]), .record([.string("jsonb"), .enumeration(13)])]),
                                    .list([.list([.variant(case: 14, payload: nil), .variant(case: 14, payload: nil)])]),
                                ])))
                    continue
                }
                let uuid = "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"
                let json = #"{"b": [1, 2.5, null], "a": "x"}"#
                let r4 = try query(
                    v, c, "SELECT $1, $2, $3, $1::text, $2::text, $4::uuid",
                    [
                        .variant(case: 13, payload: .string("{A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11}")),
                        .variant(case: 14, payload: .bytes(Array(json.utf8))),
                        .variant(case: 13, payload: .string("urn:uuid:a0eebc999c0b4ef8bb6d6bb9bd380a11")),
                        .variant(case: 7, payload: .string(uuid)),
                    ])
                guard case .ok(.record(let set4)?) = r4, case .list(let rows4) = set4[1], case .list(let row4) = rows4.first else {
                    Issue.record("4.0.0: \(r4)")
                    continue
                }
                // numeric as PostgreSQL prints it (its scale kept), both ways; interval as its three parts.
                let decimals = ["0", "-0.001", "12.50", "123456789012345678901234567890.123456789", "-10000", "0.0001", "99990000"]
                let d = try query(
                    v, c, "SELECT " + (1...decimals.count).map { "$\($0), $\($0)::text" }.joined(separator: ", ") + ", '1 year 2 mons 3 days 04:05:06.7'::interval, $\(decimals.count + 1)::text",
                    decimals.map { .variant(case: 15, payload: .string($0)) } + [.variant(case: 23, payload: .record([.s64(-1), .s32(-2), .s32(14)]))])
                guard case .ok(.record(let dset)?) = d, case .list(let drows) = dset[1], case .list(let drow) = drows.first else {
                    Issue.record("decimals: \(d)")
                    continue
                }
                #expect(
                    drow
                        == decimals.flatMap { [.variant(case: 15, payload: .string($0)), .variant(case: 7, payload: .string($0))] }
                        + [
                            .variant(case: 23, payload: .record([.s64(14_706_700_000), .s32(3), .s32(14)])),
                            .variant(case: 7, payload: .string("1 year 2 mons -2 days -00:00:00.000001")),
                        ])
                #expect(try query(v, c, "SELECT 'NaN'::numeric AS n").isErr)
                // jsonb comes back as the server prints it (keys sorted by jsonb).
                let printed = #"{"a": "x", "b": [1, 2.5, null]}"#
                #expect(
                    row4 == [
                        .variant(case: 13, payload: .string(uuid)), .variant(case: 14, payload: .bytes(Array(printed.utf8))),
                        .variant(case: 13, payload: .string(uuid)), .variant(case: 7, payload: .string(uuid)),
                        .variant(case: 7, payload: .string(printed)), .variant(case: 13, payload: .string(uuid)),
                    ])
            }
        }

        /// 4.0.0's ranges and arrays both ways, checked against the server's own text.
        @Test func rangesAndArraysRoundTrip() throws {
            let v = SpinPostgresInterfaces.v4
            let c = try OutboundDb.opened(try open(v))
            func bound(_ v: ComponentValue, _ inclusive: Bool) -> ComponentValue { .option(.tuple([v, .enumeration(inclusive ? 0 : 1)])) }
            let params: [ComponentValue] = [
                .variant(case: 16, payload: .tuple([bound(.s32(1), true), bound(.s32(5), true)])),
                .variant(case: 17, payload: .tuple([.option(nil), bound(.s64(1 << 40), false)])),
                .variant(case: 18, payload: .tuple([bound(.string("1.50"), false), .option(nil)])),
                .variant(case: 19, payload: .list([.option(.s32(1)), .option(nil), .option(.s32(-3))])),
                .variant(case: 20, payload: .list([])),
                .variant(case: 21, payload: .list([.option(.string("0.10")), .option(.string("-2"))])),
                .variant(case: 22, payload: .list([.option(.string("a")), .option(nil), .option(.string("b \"c\""))])),
            ]
            let sql = "SELECT " + (1...7).map { "$\($0), $\($0)::text" }.joined(separator: ", ")
                + ", 'empty'::int4range, ARRAY['x','y']::varchar[]"
            let r = try query(v, c, sql, params)
            guard case .ok(.record(let set)?) = r, case .list(let columns) = set[0], case .list(let rows) = set[1],
                case .list(let row) = rows.first
            else {
                Issue.record("\(r)")
                return
            }
            let text = { (s: String) in ComponentValue.variant(case: 7, payload: .string(s)) }
            #expect(
                row == [
                    // int4range is canonical [lower, upper): [1,5] comes back as [1,6).
                    .variant(case: 16, payload: .tuple([bound(.s32(1), true), bound(.s32(6), false)])), text("[1,6)"),
                    .variant(case: 17, payload: .tuple([.option(nil), bound(.s64(1 << 40), false)])), text("(,1099511627776)"),
                    .variant(case: 18, payload: .tuple([bound(.string("1.50"), false), .option(nil)])), text("(1.50,)"),
                    .variant(case: 19, payload: .list([.option(.s32(1)), .option(nil), .option(.s32(-3))])), text("{1,NULL,-3}"),
                    .variant(case: 20, payload: .list([])), text("{}"),
                    .variant(case: 21, payload: .list([.option(.string("0.10")), .option(.string("-2"))])), text("{0.10,-2}"),
                    .variant(case: 22, payload: .list([.option(.string("a")), .option(nil), .option(.string("b \"c\""))])),
                    text(#"{a,NULL,"b \"c\""}"#),
                    .variant(case: 16, payload: .tuple([.option(nil), .option(nil)])),
                    .variant(case: 22, payload: .list([.option(.string("x")), .option(.string("y"))])),
                ])
            #expect(
                columns.map { if case .record(let f) = $0 { f[1] } else { $0 } }
                    == [16, 7, 17, 7, 18, 7, 19, 7, 20, 7, 21, 7, 22, 7, 16, 22].map { ComponentValue.variant(case: $0, payload: nil) })
            // Two dimensions have no WIT shape: query-failed.
            #expect(try query(v, c, "SELECT ARRAY[[1,2],[3,4]]").isErr)
            // A type the client does not decode: other(name) and unsupported(its binary bytes).
            let j = try query(v, c, #"SELECT '{"a": [1]}'::json AS j, '(1,2)'::point AS p"#)
            let point = [1.0, 2.0].flatMap { (d: Double) in withUnsafeBytes(of: d.bitPattern.bigEndian) { Array($0) } }
            #expect(
                j
                    == .ok(
                        .record([
                            .list([
                                .record([.string("j"), .variant(case: 24, payload: .string("json"))]),
                                .record([.string("p"), .variant(case: 24, payload: .string("point"))]),
                            ]),
                            .list([.list([.variant(case: 25, payload: .bytes(Array(#"{"a": [1]}"#.utf8))), .variant(case: 25, payload: .bytes(point))])]),
                        ])))
            // 3.0.0 has none of them.
            let c3 = try OutboundDb.opened(try open(SpinPostgresInterfaces.v3))
            #expect(
                try query(SpinPostgresInterfaces.v3, c3, "SELECT ARRAY[1]")
                    == .ok(.record([.list([.record([.string("array"), .enumeration(13)])]), .list([.list([.variant(case: 14, payload: nil)])])])))
        }

        @Test func connectionsCloseWithTheirHandlesAndTheInstance() throws {
            func sessions() throws -> Int {
                let out = try server.psql("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'spin-components-test'")
                return Int(out.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
            }
            let address = server.scramURL + "?application_name=spin-components-test"
            let before = try sessions()
            let a = try OutboundDb.opened(try open(SpinPostgresInterfaces.v2, address))
            let b = try OutboundDb.opened(try open(SpinPostgresInterfaces.v4, address))
            #expect(try sessions() == before + 2)
            try context.dropResource(a)
            #expect(try execute(SpinPostgresInterfaces.v4, b, "SELECT 1") == .ok(.u64(1)))
            // The server notices the Terminate asynchronously: wait a little.
            var n = try sessions()
            for _ in 0..<50 where n != before + 1 {
                usleep(20_000)
                n = try sessions()
            }
            #expect(n == before + 1)
            context.close()
            n = try sessions()
            for _ in 0..<50 where n != before {
                usleep(20_000)
                n = try sessions()
            }
            #expect(n == before)
            let slots = try #require(ComponentHostState.of(context)).state(SpinPostgresInterfaces.Slots.self) { .init() }
            #expect(slots.slots.live == 0)
        }

        @Test func aWrongPasswordIsConnectionFailed() throws {
            for v in Self.versions {
                let r = try open(v, "postgres://spin_scram:wrong@127.0.0.1:\(server.port)/spin")
                guard case .err(.variant(case: 0, payload: .string(let m)?)?) = r else {
                    Issue.record("\(v.interface): \(r)")
                    continue
                }
                #expect(!m.contains("wrong") || m.contains("password"), "\(m)")
                #expect(!m.contains("is not permitted"))
            }
            // The key/value form is checked against the allow-list too.
            let kv = try open(SpinPostgresInterfaces.v3, server.trustAddress)
            #expect(try OutboundDb.opened(kv) > 0)
        }
    }
}
