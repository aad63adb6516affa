import Foundation
import PostgresClient
import WasmComponents
import WasmCore
import WasmWASIP2

/// Outbound PostgreSQL for components, as Spin's `factor-outbound-pg` serves it, in the three
/// shapes the Spin SDKs import (WIT: spin_sdk/wit/{postgres,rdbms-types}.wit and
/// deps/spin-postgres@{3,4}.0.0):
///
/// - `fermyon:spin/postgres@2.0.0` over `fermyon:spin/rdbms-types@2.0.0` (types only),
/// - `spin:postgres/postgres@3.0.0` (adds date/time/datetime/timestamp cases),
/// - `spin:postgres/postgres@4.0.0` (adds uuid, jsonb, decimal, ranges, arrays, interval;
///   `query-failed` carries a `query-error`: `db-error` with the server's error fields when the
///   server refused the statement, else `text`; `db-data-type` is a variant with `other(string)`).
///
/// `[static]connection.open(address)` takes a libpq connection string or `postgres://` URL,
/// checks `postgres://host:port` against `allowed_outbound_hosts` (not allowed, or not
/// parseable: `connection-failed("address ... is not permitted")`, as Spin) and opens a
/// connection of its own, closed when the handle is dropped or the instance ends.
///
/// Values travel through this host's PostgreSQL client (`PostgresValueCodec`): the types it
/// encodes and decodes are `bool`, `"char"` (as `int8`), `int2/4/8`, `float4/8`, the text types,
/// `bytea`, and for 3.x/4.x `date`, `time`, `timestamp`/`timestamptz` (as `datetime` values in
/// UTC; the column type is `timestamp`, as in Spin) and, 4.0.0 only, `uuid`, `jsonb`, `numeric`
/// (`decimal`, as PostgreSQL prints it), `interval`, `int4range`/`int8range`/`numrange` and
/// one-dimensional `int4[]`/`int8[]`/`numeric[]`/`text[]`/`varchar[]` (an empty range has no
/// bounds, as in Spin).
/// Parameters: `date`/`time`/`datetime` as `date`/`time`/`timestamp`, `timestamp` (Unix seconds)
/// as `timestamptz`, `uuid` from its text forms, `jsonb` after checking it is JSON, `decimal`
/// (finite decimal text, no exponent) as `numeric`, ranges and arrays as the types above,
/// `interval` as `interval`. A parameter
/// the host cannot send (invalid dates, times, UUIDs, JSON or decimals, unsigned integers in
/// 2.0.0) is refused with Spin's error for a parameter that cannot be
/// converted: `bad-parameter` from `query`, `value-conversion-failed` from `execute`. A result
/// column of any other type is `other` and its values `unsupported` (4.0.0: `other(type name)`
/// and `unsupported(the value's binary bytes)`, e.g. a `json` value's text); a value that has
/// no tuple (`infinity`, `24:00`) fails the query with `query-failed`, as Spin's conversion
/// does. A `query` with no rows returns no columns either, as Spin's does. Without app
/// services every `open` is `other`. Guest ABI violations trap.
enum SpinPostgresInterfaces {
    /// One of the three interface versions: its name and the case indices of its variants.
    struct Version: Sendable {
        let interface: String
        /// `parameter-value` case indices of the cases the client supports.
        let parameterCases: [Int: ParameterKind]
        /// Names of the other `parameter-value` cases, by index (for errors).
        let unsupportedParameterCases: [Int: String]
        /// `db-value`: case indices.
        let valueCases: ValueCases
        /// How `db-data-type` is shaped.
        let dataTypeIsVariant: Bool
        /// `query-failed` carries `query-error` (4.0.0) rather than a string.
        let structuredQueryError: Bool
    }

    enum ParameterKind: Sendable {
        case boolean, int8, int16, int32, int64, uint, floating32, floating64, str, binary, dbNull
        case date, time, datetime, timestamp, uuid, jsonb, decimal, interval
        case rangeInt32, rangeInt64, rangeDecimal, arrayInt32, arrayInt64, arrayDecimal, arrayStr
    }

    /// 4.0.0's `range-int32` ... `array-str` cases (the same index in `parameter-value`,
    /// `db-value` and `db-data-type`).
    enum ContainerCase {
        static let rangeInt32 = 16, rangeInt64 = 17, rangeDecimal = 18
        static let arrayInt32 = 19, arrayInt64 = 20, arrayDecimal = 21, arrayStr = 22
    }

    /// `db-value` and `db-data-type` case indices (the data type's cases share the value's order
    /// up to `binary`; `other` is `dataTypeOther`).
    struct ValueCases: Sendable {
        let boolean, int8, int16, int32, int64, floating32, floating64, str, binary, dbNull, unsupported: Int
        /// The 3.x/4.x cases (nil where the version has none).
        var date, time, datetime, timestamp, uuid, jsonb, decimal, interval: Int?
        /// The version has the range and array cases (`ContainerCase`).
        var rangesAndArrays = false
        let dataTypeOther: Int
        /// `unsupported` carries `list<u8>` (4.0.0).
        let unsupportedHasPayload: Bool
    }

    static let v2 = Version(
        interface: "fermyon:spin/postgres@2.0.0",
        parameterCases: [
            0: .boolean, 1: .int8, 2: .int16, 3: .int32, 4: .int64, 5: .uint, 6: .uint, 7: .uint, 8: .uint,
            9: .floating32, 10: .floating64, 11: .str, 12: .binary, 13: .dbNull,
        ],
        unsupportedParameterCases: [:],
        valueCases: ValueCases(
            boolean: 0, int8: 1, int16: 2, int32: 3, int64: 4, floating32: 9, floating64: 10, str: 11, binary: 12,
            dbNull: 13, unsupported: 14, date: nil, time: nil, datetime: nil, timestamp: nil, uuid: nil, jsonb: nil,
            decimal: nil, interval: nil, dataTypeOther: 13, unsupportedHasPayload: false),
        dataTypeIsVariant: false, structuredQueryError: false)

    static let v3 = Version(
        interface: "spin:postgres/postgres@3.0.0",
        parameterCases: [
            0: .boolean, 1: .int8, 2: .int16, 3: .int32, 4: .int64, 5: .floating32, 6: .floating64, 7: .str,
            8: .binary, 9: .date, 10: .time, 11: .datetime, 12: .timestamp, 13: .dbNull,
        ],
        unsupportedParameterCases: [:],
        valueCases: ValueCases(
            boolean: 0, int8: 1, int16: 2, int32: 3, int64: 4, floating32: 5, floating64: 6, str: 7, binary: 8,
            dbNull: 13, unsupported: 14, date: 9, time: 10, datetime: 11, timestamp: 12, uuid: nil, jsonb: nil,
            decimal: nil, interval: nil, dataTypeOther: 13, unsupportedHasPayload: false),
        dataTypeIsVariant: false, structuredQueryError: false)

    static let v4 = Version(
        interface: "spin:postgres/postgres@4.0.0",
        parameterCases: [
            0: .boolean, 1: .int8, 2: .int16, 3: .int32, 4: .int64, 5: .floating32, 6: .floating64, 7: .str,
            8: .binary, 9: .date, 10: .time, 11: .datetime, 12: .timestamp, 13: .uuid, 14: .jsonb, 15: .decimal,
            16: .rangeInt32, 17: .rangeInt64, 18: .rangeDecimal, 19: .arrayInt32, 20: .arrayInt64, 21: .arrayDecimal,
            22: .arrayStr, 23: .interval, 24: .dbNull,
        ],
        unsupportedParameterCases: [:],
        valueCases: ValueCases(
            boolean: 0, int8: 1, int16: 2, int32: 3, int64: 4, floating32: 5, floating64: 6, str: 7, binary: 8,
            dbNull: 24, unsupported: 25, date: 9, time: 10, datetime: 11, timestamp: 12, uuid: 13, jsonb: 14,
            decimal: 15, interval: 23, rangesAndArrays: true, dataTypeOther: 24, unsupportedHasPayload: true),
        dataTypeIsVariant: true, structuredQueryError: true)

    /// `fermyon:spin/rdbms-types@2.0.0`: types only.
    static let rdbmsTypes = "fermyon:spin/rdbms-types@2.0.0"

    typealias Connection = ComponentConnection<PostgresConnection>

    /// Per-instance: the live connections of all three versions (Spin keeps one table).
    final class Slots {
        let slots = ComponentConnectionSlots()
    }

    static func define(_ d: inout WASIP2Definitions) {
        d.typesOnly(rdbmsTypes)
        for v in [v2, v3, v4] { define(&d, v) }
    }

    static func define(_ d: inout WASIP2Definitions, _ v: Version) {
        let i = v.interface
        d.resource(i, "connection")
        d.function(i, "[static]connection.open") { c, a in
            let address = try a.string(0)
            do throws(DatabaseError) {
                return .ok(try open(c, address))
            } catch {
                return .err(errorValue(error, v))
            }
        }
        d.function(i, "[method]connection.query") { c, a in
            let conn = try connection(c, a)
            let statement = try a.string(1)
            let parameters: [PostgresValue]
            do {
                parameters = try clientParameters(try a.list(2), v, execute: false)
                let rows = try run { () throws(PostgresError) in try conn.query(statement, parameters) }
                return .ok(try rowSet(rows, v))
            } catch let e as DatabaseError {
                return .err(errorValue(e, v, serverError: conn.lastServerError))
            }
        }
        d.function(i, "[method]connection.execute") { c, a in
            let conn = try connection(c, a)
            let statement = try a.string(1)
            do {
                let parameters = try clientParameters(try a.list(2), v, execute: true)
                return .ok(.u64(try run { () throws(PostgresError) in try conn.execute(statement, parameters) }))
            } catch let e as DatabaseError {
                return .err(errorValue(e, v, serverError: conn.lastServerError))
            }
        }
    }

    /// `open`: the allow-list, the slot, then the connection.
    static func open(_ context: WASIP2Context, _ address: String) throws(DatabaseError) -> ComponentValue {
        guard let host = ComponentHostState.of(context), let guest = host.guest else {
            throw .otherError("outbound PostgreSQL is not available: this host runs the component without app services")
        }
        let notPermitted = DatabaseError.connectionFailed("address \(PostgresAddress.redact(address)) is not permitted")
        guard let parsed = try? PostgresAddress(parsing: address),
            let url = ParsedURL("postgres://\(parsed.endpoint)"), guest.allowedHosts.allows(url)
        else { throw notPermitted }
        let slots = host.state(Slots.self) { Slots() }.slots
        guard slots.take() else { throw .connectionFailed("too many connections") }
        do throws(PostgresError) {
            return context.own(Connection(try PostgresConnection(address: parsed, deadline: guest.deadline), slots: slots))
        } catch {
            slots.release()
            throw DatabaseError(error)
        }
    }

    /// The connection a method's `self` (argument 0) borrows.
    static func connection(_ context: WASIP2Context, _ a: [ComponentValue]) throws -> PostgresConnection {
        try context.table.get(try a.resource(0), as: Connection.self).connection
    }

    static func run<T>(_ body: () throws(PostgresError) -> T) throws(DatabaseError) -> T {
        do {
            return try body()
        } catch {
            throw DatabaseError(error)
        }
    }
}
