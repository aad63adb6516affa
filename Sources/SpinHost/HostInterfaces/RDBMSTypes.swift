/// The types of Spin 1.x's `rdbms-types.wit`, shared by `outbound-pg` and
/// `outbound-mysql` (layouts: docs/spin-1x.md#outbound-pg).

/// `enum db-data-type` (the tag is the raw value).
package enum DbDataType: UInt8, Hashable, Sendable {
    case boolean = 0, int8, int16, int32, int64, uint8, uint16, uint32, uint64, floating32, floating64, str, binary,
        other
}

/// `variant db-value`, and `variant parameter-value` (the same cases without
/// `unsupported`). The tag is `tag`; in guest memory a value is 16 bytes,
/// align 8: tag u8 @0, payload @8.
package enum DbValue: Hashable, Sendable {
    case boolean(Bool)
    case int8(Int8)
    case int16(Int16)
    case int32(Int32)
    case int64(Int64)
    case uint8(UInt8)
    case uint16(UInt16)
    case uint32(UInt32)
    case uint64(UInt64)
    case floating32(Float)
    case floating64(Double)
    case str(String)
    case binary([UInt8])
    case dbNull
    /// A result value of a type the interface cannot represent (never a parameter).
    case unsupported

    /// The variant's case index.
    package var tag: UInt8 {
        switch self {
        case .boolean: 0
        case .int8: 1
        case .int16: 2
        case .int32: 3
        case .int64: 4
        case .uint8: 5
        case .uint16: 6
        case .uint32: 7
        case .uint64: 8
        case .floating32: 9
        case .floating64: 10
        case .str: 11
        case .binary: 12
        case .dbNull: 13
        case .unsupported: 14
        }
    }
}

/// `record column { name: string, data-type: db-data-type }`.
package struct DbColumn: Hashable, Sendable {
    package var name: String
    package var dataType: DbDataType

    package init(name: String, dataType: DbDataType) {
        self.name = name
        self.dataType = dataType
    }
}

/// `record row-set { columns: list<column>, rows: list<row> }` with `type row = list<db-value>`.
package struct RowSet: Hashable, Sendable {
    package var columns: [DbColumn]
    package var rows: [[DbValue]]

    package init(columns: [DbColumn], rows: [[DbValue]]) {
        self.columns = columns
        self.rows = rows
    }
}

/// `variant pg-error` (and `mysql-error`, which has the same cases):
/// `success` is never produced; the others carry a message.
package enum DatabaseError: Error, Hashable, Sendable, CustomStringConvertible {
    case connectionFailed(String)
    case badParameter(String)
    case queryFailed(String)
    case valueConversionFailed(String)
    case otherError(String)

    /// The variant's case index (0 is `success`).
    package var tag: UInt8 {
        switch self {
        case .connectionFailed: 1
        case .badParameter: 2
        case .queryFailed: 3
        case .valueConversionFailed: 4
        case .otherError: 5
        }
    }

    package var message: String {
        switch self {
        case .connectionFailed(let m), .badParameter(let m), .queryFailed(let m), .valueConversionFailed(let m),
            .otherError(let m):
            m
        }
    }

    package var description: String {
        switch self {
        case .connectionFailed(let m): "connection failed: \(m)"
        case .badParameter(let m): "bad parameter: \(m)"
        case .queryFailed(let m): "query failed: \(m)"
        case .valueConversionFailed(let m): "value conversion failed: \(m)"
        case .otherError(let m): m
        }
    }
}
