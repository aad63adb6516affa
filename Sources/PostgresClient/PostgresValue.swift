/// A value as this client sends and receives it. The PostgreSQL types it knows map to
/// Swift values: `bool`, `"char"` (PostgreSQL's one-byte integer), `int2`, `int4`,
/// `int8`, `float4`, `float8`, the text types (`text`, `varchar`, `bpchar`), `bytea`,
/// `date`, `time`, `timestamp`, `timestamptz`, `interval`, `uuid`, `jsonb` and `numeric` (the
/// date and time types as PostgreSQL's own binary counts, from 2000-01-01; `numeric` as
/// decimal text); a result of any other type is `unsupported`, with its type OID.
package enum PostgresValue: Hashable, Sendable {
    case bool(Bool)
    /// `"char"`.
    case char(Int8)
    case int16(Int16)
    case int32(Int32)
    case int64(Int64)
    case float(Float)
    case double(Double)
    case text(String)
    case bytes([UInt8])
    /// `date`: days since 2000-01-01 (`Int32.min`/`.max` are `-infinity`/`infinity`).
    case date(days: Int32)
    /// `time` (without time zone): microseconds since midnight.
    case time(microseconds: Int64)
    /// `timestamp` (without time zone): microseconds since 2000-01-01 00:00:00
    /// (`Int64.min`/`.max` are `-infinity`/`infinity`).
    case timestamp(microseconds: Int64)
    /// `timestamptz`: microseconds since 2000-01-01 00:00:00 UTC.
    case timestamptz(microseconds: Int64)
    /// `interval`: microseconds, days and months, kept apart as PostgreSQL keeps them.
    case interval(microseconds: Int64, days: Int32, months: Int32)
    /// `numeric`: its decimal text (`-12.50`: sign, digits, `.` and the value's scale of
    /// fraction digits; `NaN`, `Infinity`, `-Infinity`).
    case numeric(String)
    /// `int4range`.
    case int32Range(PostgresRange<Int32>)
    /// `int8range`.
    case int64Range(PostgresRange<Int64>)
    /// `numrange` (bounds as `numeric` text).
    case numericRange(PostgresRange<String>)
    /// `int4[]` (one dimension; nil elements are NULL).
    case int32Array([Int32?])
    /// `int8[]`.
    case int64Array([Int64?])
    /// `numeric[]` (elements as `numeric` text).
    case numericArray([String?])
    /// `text[]` (also `varchar[]` results).
    case textArray([String?])
    /// `uuid`: its 16 bytes.
    case uuid([UInt8])
    /// `jsonb`: the JSON text (UTF-8), as the server prints it.
    case jsonb([UInt8])
    case null
    /// A result value of a type this client does not decode (never a parameter): its type and
    /// the bytes the server sent (binary format; for `json`, the JSON text).
    case unsupported(typeOID: Int32, bytes: [UInt8])
}

/// A range value: each bound absent (unbounded) or a value with whether it is included.
/// PostgreSQL's empty range has no bounds and `isEmpty` set.
package struct PostgresRange<Bound: Hashable & Sendable>: Hashable, Sendable {
    package var lower: Bound?
    package var lowerInclusive: Bool
    package var upper: Bound?
    package var upperInclusive: Bool
    package var isEmpty: Bool

    package init(
        lower: Bound?, lowerInclusive: Bool = true, upper: Bound?, upperInclusive: Bool = false, isEmpty: Bool = false
    ) {
        self.lower = lower
        self.lowerInclusive = lowerInclusive
        self.upper = upper
        self.upperInclusive = upperInclusive
        self.isEmpty = isEmpty
    }
}

/// The type of a result column, as far as this client tells types apart.
package enum PostgresType: Hashable, Sendable {
    case bool, char, int16, int32, int64, float, double, text, bytes
    case date, time, timestamp, timestamptz, interval, uuid, jsonb, numeric
    case int32Range, int64Range, numericRange, int32Array, int64Array, numericArray, textArray
    /// Any other type (its values come back `unsupported`).
    case other
}

/// A result column: its name and type.
package struct PostgresColumn: Hashable, Sendable {
    package var name: String
    package var typeOID: Int32

    package init(name: String, typeOID: Int32) {
        self.name = name
        self.typeOID = typeOID
    }

    package var type: PostgresType { PostgresValueCodec.type(oid: typeOID) }
}

/// What a statement returned: its columns and rows.
package struct PostgresRows: Hashable, Sendable {
    package var columns: [PostgresColumn]
    package var rows: [[PostgresValue]]

    package init(columns: [PostgresColumn], rows: [[PostgresValue]]) {
        self.columns = columns
        self.rows = rows
    }
}

/// Why a connection or a statement failed; the message says what happened.
package enum PostgresError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Connecting or authenticating failed.
    case connectionFailed(String)
    /// A parameter cannot be sent.
    case badParameter(String)
    /// The server refused the statement, or the connection broke while it ran.
    case queryFailed(String)
    /// A result value is not what its type says.
    case valueConversionFailed(String)
    /// The statement needs something this client does not implement (e.g. `COPY FROM STDIN`).
    case unsupported(String)

    package var message: String {
        switch self {
        case .connectionFailed(let m), .badParameter(let m), .queryFailed(let m), .valueConversionFailed(let m),
            .unsupported(let m):
            m
        }
    }

    package var description: String {
        switch self {
        case .connectionFailed(let m): "connection failed: \(m)"
        case .badParameter(let m): "bad parameter: \(m)"
        case .queryFailed(let m): "query failed: \(m)"
        case .valueConversionFailed(let m): "value conversion failed: \(m)"
        case .unsupported(let m): "\(m) is not supported by this client"
        }
    }
}
