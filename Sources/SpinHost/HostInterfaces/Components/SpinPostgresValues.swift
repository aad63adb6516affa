import Foundation
import PostgresClient
import WasmComponents
import WasmCore

/// How `SpinPostgresInterfaces` moves values between the WIT types of each interface version
/// and the PostgreSQL client: `parameter-value`s in, `row-set`s and `error`s out (the rules are
/// in `SpinPostgresInterfaces`' documentation).
extension SpinPostgresInterfaces {
    /// The client values of `list<parameter-value>`. A case the client cannot send is refused:
    /// `bad-parameter` from `query`, `value-conversion-failed` from `execute` (Spin's mapping of
    /// its parameter conversion errors). A value not of the interface's shape traps (host bug:
    /// the canonical ABI lifted it from the function's type).
    static func clientParameters(_ values: [ComponentValue], _ v: Version, execute: Bool) throws -> [PostgresValue] {
        func refuse(_ message: String) -> DatabaseError {
            execute ? .valueConversionFailed(message) : .badParameter(message)
        }
        return try values.enumerated().map { (n, value) throws -> PostgresValue in
            guard case .variant(let index, let payload) = value else {
                throw Trap(.host("parameter \(n + 1): expected a parameter-value, got \(value)"))
            }
            guard let kind = v.parameterCases[index] else {
                let name = v.unsupportedParameterCases[index] ?? "case \(index)"
                throw refuse(
                    "parameter \(n + 1): `\(name)` values are not supported by this host's PostgreSQL client")
            }
            switch (kind, payload) {
            case (.boolean, .bool(let b)?): return .bool(b)
            case (.int8, .s8(let x)?): return .char(x)
            case (.int16, .s16(let x)?): return .int16(x)
            case (.int32, .s32(let x)?): return .int32(x)
            case (.int64, .s64(let x)?): return .int64(x)
            case (.floating32, .f32(let x)?): return .float(x)
            case (.floating64, .f64(let x)?): return .double(x)
            case (.str, .string(let s)?): return .text(s)
            case (.binary, let b?): return .bytes(try [b].bytes(0))
            case (.dbNull, nil): return .null
            case (.uint, _?): throw refuse("Postgres does not support unsigned integers")
            case (.date, .tuple(let t)?) where t.count == 3:
                guard case .s32(let y) = t[0], case .u8(let m) = t[1], case .u8(let d) = t[2] else { break }
                do {
                    return .date(days: try PostgresCalendar.postgresDays(year: y, month: m, day: d))
                } catch {
                    throw refuse("\(error)")
                }
            case (.time, .tuple(let t)?) where t.count == 4:
                guard case .u8(let h) = t[0], case .u8(let m) = t[1], case .u8(let s) = t[2], case .u32(let ns) = t[3]
                else { break }
                do {
                    return .time(
                        microseconds: try PostgresCalendar.microseconds(hour: h, minute: m, second: s, nanosecond: ns))
                } catch {
                    throw refuse("\(error)")
                }
            case (.datetime, .tuple(let t)?) where t.count == 7:
                guard case .s32(let y) = t[0], case .u8(let mo) = t[1], case .u8(let d) = t[2], case .u8(let h) = t[3],
                    case .u8(let mi) = t[4], case .u8(let s) = t[5], case .u32(let ns) = t[6]
                else { break }
                do {
                    return .timestamp(
                        microseconds: try PostgresCalendar.microseconds(
                            year: y, month: mo, day: d, hour: h, minute: mi, second: s, nanosecond: ns))
                } catch {
                    throw refuse("\(error)")
                }
            case (.timestamp, .s64(let seconds)?):
                do {
                    return .timestamptz(microseconds: try PostgresCalendar.microseconds(unixSeconds: seconds))
                } catch {
                    throw refuse("\(error)")
                }
            case (.uuid, .string(let s)?):
                guard let bytes = uuidBytes(s) else { throw refuse("invalid UUID \(s)") }
                return .uuid(bytes)
            case (.jsonb, let b?):
                let json = try [b].bytes(0)
                guard (try? JSONSerialization.jsonObject(with: Data(json), options: .fragmentsAllowed)) != nil else {
                    throw refuse("invalid JSON \(String(decoding: json, as: UTF8.self))")
                }
                return .jsonb(json)
            case (.decimal, .string(let text)?):
                guard isDecimal(text) else { throw refuse("invalid decimal \(text)") }
                return .numeric(text)
            case (.rangeInt32, let r?):
                guard let range = range(r, { v -> Int32? in if case .s32(let x) = v { x } else { nil } }) else { break }
                return .int32Range(range)
            case (.rangeInt64, let r?):
                guard let range = range(r, { v -> Int64? in if case .s64(let x) = v { x } else { nil } }) else { break }
                return .int64Range(range)
            case (.rangeDecimal, let r?):
                guard let range = range(r, { v -> String? in if case .string(let x) = v { x } else { nil } }) else { break }
                for bound in [range.lower, range.upper] {
                    if let bound, !isDecimal(bound) { throw refuse("invalid decimal \(bound)") }
                }
                return .numericRange(range)
            case (.arrayInt32, .list(let items)?):
                guard let a = array(items, { v -> Int32? in if case .s32(let x) = v { x } else { nil } }) else { break }
                return .int32Array(a)
            case (.arrayInt64, .list(let items)?):
                guard let a = array(items, { v -> Int64? in if case .s64(let x) = v { x } else { nil } }) else { break }
                return .int64Array(a)
            case (.arrayDecimal, .list(let items)?):
                guard let a = array(items, { v -> String? in if case .string(let x) = v { x } else { nil } }) else { break }
                for item in a {
                    if let item, !isDecimal(item) { throw refuse("invalid decimal \(item)") }
                }
                return .numericArray(a)
            case (.arrayStr, .list(let items)?):
                guard let a = array(items, { v -> String? in if case .string(let x) = v { x } else { nil } }) else { break }
                return .textArray(a)
            case (.interval, .record(let f)?) where f.count == 3:
                guard case .s64(let us) = f[0], case .s32(let days) = f[1], case .s32(let months) = f[2] else { break }
                return .interval(microseconds: us, days: days, months: months)
            default: break
            }
            throw Trap(.host("parameter \(n + 1): \(value) does not match parameter-value case \(index)"))
        }
    }

    /// `tuple<option<tuple<T, range-bound-kind>>, option<tuple<T, range-bound-kind>>>` as a
    /// client range (nil when the value has another shape).
    static func range<T>(_ v: ComponentValue, _ bound: (ComponentValue) -> T?) -> PostgresRange<T>? {
        guard case .tuple(let ends) = v, ends.count == 2, case .option(let lower) = ends[0],
            case .option(let upper) = ends[1]
        else { return nil }
        func end(_ e: ComponentValue?) -> (T, Bool)?? {
            guard let e else { return .some(nil) }
            guard case .tuple(let p) = e, p.count == 2, let value = bound(p[0]), case .enumeration(let kind) = p[1] else {
                return nil
            }
            return .some((value, kind == 0))
        }
        guard let l = end(lower), let u = end(upper) else { return nil }
        return PostgresRange(
            lower: l?.0, lowerInclusive: l?.1 ?? false, upper: u?.0, upperInclusive: u?.1 ?? false)
    }

    /// `list<option<T>>` as client array elements (nil when the value has another shape).
    static func array<T>(_ items: [ComponentValue], _ element: (ComponentValue) -> T?) -> [T?]? {
        var out: [T?] = []
        for item in items {
            guard case .option(let v) = item else { return nil }
            if let v {
                guard let e = element(v) else { return nil }
                out.append(e)
            } else {
                out.append(nil)
            }
        }
        return out
    }

    /// The WIT range of a client range: each bound with `range-bound-kind` (inclusive 0,
    /// exclusive 1); an empty range has neither bound, as Spin's conversion gives it.
    static func witRange<T>(_ r: PostgresRange<T>, _ value: (T) -> ComponentValue) -> ComponentValue {
        func end(_ b: T?, _ inclusive: Bool) -> ComponentValue {
            .option(b.map { .tuple([value($0), .enumeration(inclusive ? 0 : 1)]) })
        }
        return .tuple([end(r.lower, r.lowerInclusive), end(r.upper, r.upperInclusive)])
    }

    /// Whether `text` is a finite decimal number: optional sign, digits, optional fraction
    /// (Spin's `rust_decimal` refuses NaN and infinities, and so does this host).
    static func isDecimal(_ text: String) -> Bool {
        var s = Substring(text)
        if s.first == "-" || s.first == "+" { s = s.dropFirst() }
        let parts = s.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let digits = parts.joined()
        return !digits.isEmpty && digits.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// The 16 bytes of a UUID in any of the forms Spin's `uuid::Uuid::parse_str` reads: 32 hex
    /// digits, hyphenated 8-4-4-4-12, in braces, or as a `urn:uuid:` URN.
    static func uuidBytes(_ text: String) -> [UInt8]? {
        var s = Substring(text)
        if s.hasPrefix("urn:uuid:") {
            s = s.dropFirst(9)
        } else if s.hasPrefix("{") {
            guard s.hasSuffix("}") else { return nil }
            s = s.dropFirst().dropLast()
        }
        let hex: [UInt8]
        if s.utf8.count == 36 {
            let b = Array(s.utf8)
            guard [8, 13, 18, 23].allSatisfy({ b[$0] == UInt8(ascii: "-") }) else { return nil }
            hex = b.enumerated().filter { ![8, 13, 18, 23].contains($0.offset) }.map(\.element)
        } else if s.utf8.count == 32 {
            hex = Array(s.utf8)
        } else {
            return nil
        }
        var out: [UInt8] = []
        for i in stride(from: 0, to: 32, by: 2) {
            guard let v = UInt8(String(decoding: hex[i...i + 1], as: UTF8.self), radix: 16) else { return nil }
            out.append(v)
        }
        return out
    }

    /// The hyphenated lowercase text of a UUID's 16 bytes (as Spin's `Uuid::to_string`).
    static func uuidText(_ bytes: [UInt8]) -> String {
        let hex = bytes.map { b in String(b >> 4, radix: 16) + String(b & 0xF, radix: 16) }.joined()
        let c = Array(hex)
        return [c[0..<8], c[8..<12], c[12..<16], c[16..<20], c[20..<32]].map { String($0) }.joined(separator: "-")
    }

    /// `row-set`: columns (`name`, `data-type`) and rows of `db-value`s. No rows: no columns
    /// (Spin infers the columns from the first row).
    static func rowSet(_ rows: PostgresRows, _ v: Version) throws(DatabaseError) -> ComponentValue {
        guard !rows.rows.isEmpty else { return .record([.list([]), .list([])]) }
        let columns: [ComponentValue] = rows.columns.map { .record([.string($0.name), dataType($0, v)]) }
        var out: [ComponentValue] = []
        out.reserveCapacity(rows.rows.count)
        for row in rows.rows {
            var values: [ComponentValue] = []
            values.reserveCapacity(row.count)
            for (i, x) in row.enumerated() {
                do {
                    values.append(try value(x, v))
                } catch {
                    let name = i < rows.columns.count ? rows.columns[i].name : "\(i + 1)"
                    throw .queryFailed("column `\(name)`: \(error)")
                }
            }
            out.append(.list(values))
        }
        return .record([.list(columns), .list(out)])
    }

    static func dataType(_ column: PostgresColumn, _ v: Version) -> ComponentValue {
        let c = v.valueCases
        let index: Int
        switch column.type {
        case .bool: index = c.boolean
        case .char: index = c.int8
        case .int16: index = c.int16
        case .int32: index = c.int32
        case .int64: index = c.int64
        case .float: index = c.floating32
        case .double: index = c.floating64
        case .text: index = c.str
        case .bytes: index = c.binary
        case .int32Range, .int64Range, .numericRange, .int32Array, .int64Array, .numericArray, .textArray:
            guard c.rangesAndArrays else { fallthrough }
            index =
                switch column.type {
                case .int32Range: ContainerCase.rangeInt32
                case .int64Range: ContainerCase.rangeInt64
                case .numericRange: ContainerCase.rangeDecimal
                case .int32Array: ContainerCase.arrayInt32
                case .int64Array: ContainerCase.arrayInt64
                case .numericArray: ContainerCase.arrayDecimal
                default: ContainerCase.arrayStr
                }
        case .date, .time, .timestamp, .timestamptz, .uuid, .jsonb, .numeric, .interval:
            let extended: Int? =
                switch column.type {
                case .date: c.date
                case .time: c.time
                case .timestamp, .timestamptz: c.timestamp
                case .uuid: c.uuid
                case .numeric: c.decimal
                case .interval: c.interval
                default: c.jsonb
                }
            guard let extended else { fallthrough }
            index = extended
        case .other:
            return v.dataTypeIsVariant
                ? .variant(case: c.dataTypeOther, payload: .string(typeName(oid: column.typeOID)))
                : .enumeration(c.dataTypeOther)
        }
        return v.dataTypeIsVariant ? .variant(case: index, payload: nil) : .enumeration(index)
    }

    static func value(_ value: PostgresValue, _ v: Version) throws(PostgresCalendar.InvalidValue) -> ComponentValue {
        let c = v.valueCases
        let unsupported = ComponentValue.variant(case: c.unsupported, payload: c.unsupportedHasPayload ? .bytes([]) : nil)
        switch value {
        case .bool(let b): return .variant(case: c.boolean, payload: .bool(b))
        case .char(let x): return .variant(case: c.int8, payload: .s8(x))
        case .int16(let x): return .variant(case: c.int16, payload: .s16(x))
        case .int32(let x): return .variant(case: c.int32, payload: .s32(x))
        case .int64(let x): return .variant(case: c.int64, payload: .s64(x))
        case .float(let x): return .variant(case: c.floating32, payload: .f32(x))
        case .double(let x): return .variant(case: c.floating64, payload: .f64(x))
        case .text(let s): return .variant(case: c.str, payload: .string(s))
        case .bytes(let b): return .variant(case: c.binary, payload: .bytes(b))
        case .null: return .variant(case: c.dbNull, payload: nil)
        case .unsupported(_, let bytes):
            return .variant(case: c.unsupported, payload: c.unsupportedHasPayload ? .bytes(bytes) : nil)
        case .date(let days):
            guard let index = c.date else { return unsupported }
            let (y, m, d) = try PostgresCalendar.date(postgresDays: days)
            return .variant(case: index, payload: .tuple([.s32(y), .u8(m), .u8(d)]))
        case .time(let t):
            guard let index = c.time else { return unsupported }
            let (h, m, s, ns) = try PostgresCalendar.time(microseconds: t)
            return .variant(case: index, payload: .tuple([.u8(h), .u8(m), .u8(s), .u32(ns)]))
        case .timestamp(let t), .timestamptz(let t):
            guard let index = c.datetime else { return unsupported }
            let (y, mo, d, h, mi, s, ns) = try PostgresCalendar.datetime(microseconds: t)
            return .variant(
                case: index, payload: .tuple([.s32(y), .u8(mo), .u8(d), .u8(h), .u8(mi), .u8(s), .u32(ns)]))
        case .uuid(let b):
            guard let index = c.uuid else { return unsupported }
            return .variant(case: index, payload: .string(uuidText(b)))
        case .jsonb(let j):
            guard let index = c.jsonb else { return unsupported }
            return .variant(case: index, payload: .bytes(j))
        case .numeric(let text):
            guard let index = c.decimal else { return unsupported }
            guard isDecimal(text) else {
                throw PostgresCalendar.InvalidValue(description: "numeric \(text) is not a finite decimal")
            }
            return .variant(case: index, payload: .string(text))
        case .int32Range(let r):
            return c.rangesAndArrays ? .variant(case: ContainerCase.rangeInt32, payload: witRange(r) { .s32($0) }) : unsupported
        case .int64Range(let r):
            return c.rangesAndArrays ? .variant(case: ContainerCase.rangeInt64, payload: witRange(r) { .s64($0) }) : unsupported
        case .numericRange(let r):
            guard c.rangesAndArrays else { return unsupported }
            for bound in [r.lower, r.upper] {
                if let bound, !isDecimal(bound) {
                    throw PostgresCalendar.InvalidValue(description: "numeric \(bound) is not a finite decimal")
                }
            }
            return .variant(case: ContainerCase.rangeDecimal, payload: witRange(r) { .string($0) })
        case .int32Array(let a):
            return c.rangesAndArrays
                ? .variant(case: ContainerCase.arrayInt32, payload: .list(a.map { .option($0.map { .s32($0) }) })) : unsupported
        case .int64Array(let a):
            return c.rangesAndArrays
                ? .variant(case: ContainerCase.arrayInt64, payload: .list(a.map { .option($0.map { .s64($0) }) })) : unsupported
        case .numericArray(let a):
            guard c.rangesAndArrays else { return unsupported }
            for item in a {
                if let item, !isDecimal(item) {
                    throw PostgresCalendar.InvalidValue(description: "numeric \(item) is not a finite decimal")
                }
            }
            return .variant(case: ContainerCase.arrayDecimal, payload: .list(a.map { .option($0.map { .string($0) }) }))
        case .textArray(let a):
            return c.rangesAndArrays
                ? .variant(case: ContainerCase.arrayStr, payload: .list(a.map { .option($0.map { .string($0) }) })) : unsupported
        case .interval(let us, let days, let months):
            guard let index = c.interval else { return unsupported }
            return .variant(case: index, payload: .record([.s64(us), .s32(days), .s32(months)]))
        }
    }

    /// PostgreSQL's name of a type (what `other(string)` carries), for the built-in types
    /// the client does not decode; `oid N` for the rest.
    static func typeName(oid: Int32) -> String { typeNames[oid] ?? "oid \(oid)" }

    private static let typeNames: [Int32: String] = [
            19: "name", 26: "oid", 114: "json", 142: "xml", 600: "point", 650: "cidr", 700: "float4", 701: "float8",
            774: "macaddr8", 790: "money", 829: "macaddr", 869: "inet", 1000: "_bool", 1001: "_bytea",
            1005: "_int2", 1007: "_int4", 1009: "_text", 1015: "_varchar", 1016: "_int8", 1021: "_float4",
            1022: "_float8", 1082: "date", 1083: "time", 1114: "timestamp", 1184: "timestamptz", 1186: "interval",
            1231: "_numeric", 1266: "timetz", 1560: "bit", 1562: "varbit", 1700: "numeric", 2249: "record",
            2278: "void", 2950: "uuid", 3614: "tsvector", 3802: "jsonb", 3904: "int4range", 3906: "numrange",
            3908: "tsrange", 3910: "tstzrange", 3912: "daterange", 3926: "int8range", 4451: "int4multirange",
        ]

    /// The interface's `error` value of `e` (connection-failed, bad-parameter, query-failed,
    /// value-conversion-failed, other: cases 0-4). 4.0.0's query-failed holds a `query-error`:
    /// `db-error` when the server's `ErrorResponse` fields are at hand (`serverError`), else `text`.
    static func errorValue(_ e: DatabaseError, _ v: Version, serverError: [Character: String]? = nil) -> ComponentValue {
        let message: ComponentValue = .string(e.message)
        switch e {
        case .connectionFailed: return .variant(case: 0, payload: message)
        case .badParameter: return .variant(case: 1, payload: message)
        case .queryFailed:
            guard v.structuredQueryError else { return .variant(case: 2, payload: message) }
            guard let fields = serverError else { return .variant(case: 2, payload: .variant(case: 0, payload: message)) }
            return .variant(case: 2, payload: .variant(case: 1, payload: dbError(e.message, fields)))
        case .valueConversionFailed: return .variant(case: 3, payload: message)
        case .otherError: return .variant(case: 4, payload: message)
        }
    }

    /// `db-error { as-text, severity, code, message, detail, extras }` of an `ErrorResponse`'s
    /// fields; `extras` holds the other fields the server sent, by their documented names
    /// (PostgreSQL protocol, "Error and Notice Message Fields"), in that order.
    static func dbError(_ text: String, _ fields: [Character: String]) -> ComponentValue {
        let extras: [ComponentValue] = extraFieldNames.compactMap { code, name in
            fields[code].map { .tuple([.string(name), .string($0)]) }
        }
        return .record([
            .string(text), .string(fields["V"] ?? fields["S"] ?? "ERROR"), .string(fields["C"] ?? ""),
            .string(fields["M"] ?? ""), .option(fields["D"].map { .string($0) }), .list(extras),
        ])
    }

    static let extraFieldNames: [(Character, String)] = [
        ("H", "hint"), ("P", "position"), ("p", "internal_position"), ("q", "internal_query"), ("W", "where"),
        ("s", "schema"), ("t", "table"), ("c", "column"), ("d", "datatype"), ("n", "constraint"), ("F", "file"),
        ("L", "line"), ("R", "routine"),
    ]
}
