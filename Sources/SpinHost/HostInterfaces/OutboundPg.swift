import Foundation
import PostgresClient
import WasmCore

/// The `outbound-pg` guest imports of Spin 1.x (layouts: docs/spin-1x.md#outbound-pg):
///
///     query:   func(address: string, statement: string, params: list<parameter-value>) -> expected<row-set, pg-error>
///     execute: func(address: string, statement: string, params: list<parameter-value>) -> expected<u64, pg-error>
///
/// Both take (address ptr, len, statement ptr, len, params ptr, count, retptr).
/// `address` is a libpq connection string or `postgres://` URL; connections
/// are kept per address per instance (`GuestContext.postgresConnections`) and
/// closed when the instance ends. As in 1.x there is no allow-list check for
/// v1 apps (they get `postgres://*:*` implicitly); v2 apps need the server in
/// `allowed_outbound_hosts`. Guest ABI violations (bad pointers, invalid UTF-8,
/// an unknown parameter tag) trap.
package enum OutboundPg {
    package static let moduleName = "outbound-pg"

    /// What the `outbound-mysql` stubs answer (`other-error`).
    package static let mysqlNotSupported = "MySQL is not supported yet"

    static func define(into imports: inout Imports, _ resolve: @escaping SpinInterfaces.ContextResolver) {
        SpinInterfaces.fn(&imports, moduleName, "query", params: SpinInterfaces.i32s(7), resolve) { abi, a, context in
            let (address, statement, parameters) = try readArguments(abi, a)
            let ret = a[6]
            switch query(context: context, address: address, statement: statement, parameters: parameters) {
            case .success(let rows): try writeRowSet(abi, rows, ret: ret)
            case .failure(let e):
                try SpinInterfaces.writeError(abi, ret: ret, payloadAt: 4, tag: e.tag, message: e.message)
            }
        }
        SpinInterfaces.fn(&imports, moduleName, "execute", params: SpinInterfaces.i32s(7), resolve) { abi, a, context in
            let (address, statement, parameters) = try readArguments(abi, a)
            let ret = a[6]
            switch execute(context: context, address: address, statement: statement, parameters: parameters) {
            case .success(let n):
                try abi.storeU8(0, at: ret)
                try abi.storeU64(n, at: ret + 8)
            case .failure(let e):
                // expected<u64, pg-error>: the payload is 8-aligned.
                try SpinInterfaces.writeError(abi, ret: ret, payloadAt: 8, tag: e.tag, message: e.message)
            }
        }
    }

    /// `outbound-pg::query` without the ABI.
    package static func query(context: GuestContext, address: String, statement: String, parameters: [DbValue])
        -> Result<RowSet, DatabaseError>
    {
        run(context, address, "query") { c throws(DatabaseError) in try c.outboundQuery(statement, parameters) }
    }

    /// `outbound-pg::execute` without the ABI.
    package static func execute(context: GuestContext, address: String, statement: String, parameters: [DbValue])
        -> Result<UInt64, DatabaseError>
    {
        run(context, address, "execute") { c throws(DatabaseError) in try c.outboundExecute(statement, parameters) }
    }

    private static func run<T>(
        _ context: GuestContext, _ address: String, _ op: String,
        _ body: (PostgresConnection) throws(DatabaseError) -> T
    ) -> Result<T, DatabaseError> {
        do {
            let allowed = context.allowedHosts
            let c = try context.postgresConnections.connection(for: address) { a in
                guard let url = ParsedURL("postgres://\(a.endpoint)") else { return false }
                return allowed.allows(url)
            }
            return .success(try body(c))
        } catch {
            context.services.log.write("[\(context.component.id)] outbound-pg \(op): \(error)")
            return .failure(error)
        }
    }

    // MARK: Guest memory

    /// `list<parameter-value>`: 16-byte elements, tag u8 @0, payload @8.
    /// The arguments `query` and `execute` share: address (string), statement (string) and
    /// parameters (list<parameter-value>), in words 0-5.
    static func readArguments(_ abi: CanonicalABI, _ a: [UInt32]) throws -> (String, String, [DbValue]) {
        (try abi.readString(a[0], a[1]), try abi.readString(a[2], a[3]), try readParameters(abi, a[4], a[5]))
    }

    static func readParameters(_ abi: CanonicalABI, _ ptr: UInt32, _ count: UInt32) throws -> [DbValue] {
        let m = abi.memory
        return try (0..<Int(count)).map { i -> DbValue in
            let e = Int(ptr) + 16 * i
            let tag: UInt8 = try m.load(at: e)
            let p = e + 8
            switch tag {
            case 0: return .boolean(try m.load(UInt8.self, at: p) != 0)
            case 1: return .int8(try m.load(at: p))
            case 2: return .int16(try m.load(at: p))
            case 3: return .int32(try m.load(at: p))
            case 4: return .int64(try m.load(at: p))
            case 5: return .uint8(try m.load(at: p))
            case 6: return .uint16(try m.load(at: p))
            case 7: return .uint32(try m.load(at: p))
            case 8: return .uint64(try m.load(at: p))
            case 9: return .floating32(Float(bitPattern: try m.load(at: p)))
            case 10: return .floating64(Double(bitPattern: try m.load(at: p)))
            case 11: return .str(try abi.readString(try m.load(at: p), try m.load(at: p + 4)))
            case 12: return .binary(try abi.read(try m.load(at: p), try m.load(at: p + 4)))
            case 13: return .dbNull
            default: throw GuestABIError("outbound-pg: invalid parameter-value tag \(tag) in parameter \(i + 1)")
            }
        }
    }

    /// `expected<row-set, pg-error>` ok: columns @4/@8 (12-byte {name ptr, len, data-type u8}),
    /// rows @12/@16 (8-byte {ptr, count} lists of 16-byte `db-value`s).
    static func writeRowSet(_ abi: CanonicalABI, _ set: RowSet, ret: UInt32) throws {
        let m = abi.memory
        let columns = try abi.allocate(count: 12 * set.columns.count, align: 4)
        for (i, c) in set.columns.enumerated() {
            let e = Int(columns) + 12 * i
            let (p, n) = try abi.write(c.name)
            try m.write([UInt8](repeating: 0, count: 12), at: e)
            try m.store(p, at: e)
            try m.store(n, at: e + 4)
            try m.store(c.dataType.rawValue, at: e + 8)
        }
        let rows = try abi.allocate(count: 8 * set.rows.count, align: 4)
        for (i, row) in set.rows.enumerated() {
            let values = try abi.allocate(count: 16 * row.count, align: 8)
            for (j, v) in row.enumerated() { try writeValue(abi, v, at: Int(values) + 16 * j) }
            try m.store(values, at: Int(rows) + 8 * i)
            try m.store(UInt32(row.count), at: Int(rows) + 8 * i + 4)
        }
        try abi.storeU8(0, at: ret)
        try abi.storeU32(columns, at: ret + 4)
        try abi.storeU32(UInt32(set.columns.count), at: ret + 8)
        try abi.storeU32(rows, at: ret + 12)
        try abi.storeU32(UInt32(set.rows.count), at: ret + 16)
    }

    static func writeValue(_ abi: CanonicalABI, _ v: DbValue, at e: Int) throws {
        let m = abi.memory
        try m.write([UInt8](repeating: 0, count: 16), at: e)
        try m.store(v.tag, at: e)
        let p = e + 8
        switch v {
        case .boolean(let b): try m.store(UInt8(b ? 1 : 0), at: p)
        case .int8(let x): try m.store(x, at: p)
        case .int16(let x): try m.store(x, at: p)
        case .int32(let x): try m.store(x, at: p)
        case .int64(let x): try m.store(x, at: p)
        case .uint8(let x): try m.store(x, at: p)
        case .uint16(let x): try m.store(x, at: p)
        case .uint32(let x): try m.store(x, at: p)
        case .uint64(let x): try m.store(x, at: p)
        case .floating32(let x): try m.store(x.bitPattern, at: p)
        case .floating64(let x): try m.store(x.bitPattern, at: p)
        case .str(let s):
            let (sp, sn) = try abi.write(s)
            try m.store(sp, at: p)
            try m.store(sn, at: p + 4)
        case .binary(let b):
            let (bp, bn) = try abi.write(b)
            try m.store(bp, at: p)
            try m.store(bn, at: p + 4)
        case .dbNull, .unsupported: break
        }
    }
}

// MARK: - rdbms-types on the PostgreSQL client

extension PostgresConnection {
    /// `outbound-pg::query` on this connection: `db-value` parameters in, a `row-set` out,
    /// failures as `pg-error`.
    package func outboundQuery(_ statement: String, _ parameters: [DbValue] = []) throws(DatabaseError) -> RowSet {
        let values = try PostgresValue.parameters(parameters)
        let result: PostgresRows
        do {
            result = try query(statement, values)
        } catch {
            throw DatabaseError(error)
        }
        return RowSet(
            columns: result.columns.map { DbColumn(name: $0.name, dataType: DbDataType($0.type)) },
            rows: result.rows.map { $0.map(DbValue.init) })
    }

    /// `outbound-pg::execute` on this connection: the number of rows affected (or returned).
    package func outboundExecute(_ statement: String, _ parameters: [DbValue] = []) throws(DatabaseError) -> UInt64 {
        let values = try PostgresValue.parameters(parameters)
        do {
            return try execute(statement, values)
        } catch {
            throw DatabaseError(error)
        }
    }
}

extension PostgresValue {
    /// The client values of `db-value` parameters. Unsigned integers are refused with
    /// `bad-parameter`, as Spin 1.x does (PostgreSQL has none), and so is `unsupported`.
    static func parameters(_ values: [DbValue]) throws(DatabaseError) -> [PostgresValue] {
        var out: [PostgresValue] = []
        out.reserveCapacity(values.count)
        for (index, value) in values.enumerated() { out.append(try PostgresValue(value, parameter: index)) }
        return out
    }

    /// The client value of `db-value` parameter `index` (0-based; messages count from 1).
    init(_ value: DbValue, parameter index: Int) throws(DatabaseError) {
        switch value {
        case .boolean(let b): self = .bool(b)
        case .int8(let v): self = .char(v)
        case .int16(let v): self = .int16(v)
        case .int32(let v): self = .int32(v)
        case .int64(let v): self = .int64(v)
        case .floating32(let v): self = .float(v)
        case .floating64(let v): self = .double(v)
        case .str(let s): self = .text(s)
        case .binary(let b): self = .bytes(b)
        case .dbNull: self = .null
        case .uint8, .uint16, .uint32, .uint64:
            throw .badParameter("parameter \(index + 1): Postgres does not support unsigned integers")
        case .unsupported:
            throw .badParameter("parameter \(index + 1): `unsupported` is not a parameter value")
        }
    }
}

extension DbValue {
    /// The `db-value` of a result value (a type the client does not decode is `unsupported`).
    init(_ value: PostgresValue) {
        switch value {
        case .bool(let b): self = .boolean(b)
        case .char(let v): self = .int8(v)
        case .int16(let v): self = .int16(v)
        case .int32(let v): self = .int32(v)
        case .int64(let v): self = .int64(v)
        case .float(let v): self = .floating32(v)
        case .double(let v): self = .floating64(v)
        case .text(let s): self = .str(s)
        case .bytes(let b): self = .binary(b)
        case .null: self = .dbNull
        // Types Spin 1.x's rdbms-types cannot represent.
        case .unsupported, .date, .time, .timestamp, .timestamptz, .interval, .uuid, .jsonb, .numeric, .int32Range,
            .int64Range, .numericRange, .int32Array, .int64Array, .numericArray, .textArray:
            self = .unsupported
        }
    }
}

extension DbDataType {
    /// The `db-data-type` of a result column. (Spin 1.x reports `"char"` as `other`; here it
    /// is `int8`, the inverse of the int8 parameter.)
    init(_ type: PostgresType) {
        switch type {
        case .bool: self = .boolean
        case .char: self = .int8
        case .int16: self = .int16
        case .int32: self = .int32
        case .int64: self = .int64
        case .float: self = .floating32
        case .double: self = .floating64
        case .text: self = .str
        case .bytes: self = .binary
        case .other, .date, .time, .timestamp, .timestamptz, .interval, .uuid, .jsonb, .numeric, .int32Range,
            .int64Range, .numericRange, .int32Array, .int64Array, .numericArray, .textArray:
            self = .other
        }
    }
}

extension DatabaseError {
    /// The `pg-error` of a client failure (what the client does not implement is `query-failed`).
    init(_ error: PostgresError) {
        switch error {
        case .connectionFailed(let m): self = .connectionFailed(m)
        case .badParameter(let m): self = .badParameter(m)
        case .queryFailed(let m): self = .queryFailed(m)
        case .valueConversionFailed(let m): self = .valueConversionFailed(m)
        case .unsupported(let what): self = .queryFailed("\(what) is not supported by outbound-pg")
        }
    }
}
