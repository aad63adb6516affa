import WasmCore

/// Spin 1.x's old-ABI `sqlite` interface (docs/spin-1x.md#sqlite) over the app's
/// `SQLiteDatabase`s; connections are per-instance handles (`GuestContext.sqliteHandles`).
///
/// Layouts (wit-bindgen 0.2 canonical ABI):
/// - `open(name ptr, len, retptr)`: `expected<u32, error>`; ok payload `@4`.
/// - `execute(conn, sql ptr, len, params ptr, count, retptr)`: params are `value`s of 16
///   bytes (align 8): tag `@0` (0 integer, 1 real, 2 text, 3 blob, 4 null), payload `@8`
///   (i64 / f64 / ptr, len). Result `expected<query-result, error>`: ok payload
///   `@4` columns (ptr, count of {ptr, len}), `@12` rows (ptr, count of `row-result`
///   {values ptr, count}).
/// - `close(conn)`.
/// - `error` (`@4`): 0 `no-such-database`, 1 `access-denied`, 2 `invalid-connection`,
///   3 `database-full`, 4 `io(string)` (`@8`, `@12`).
enum SQLiteLegacy {
    static let module = "sqlite"

    static func define(into imports: inout Imports, _ resolve: @escaping SpinInterfaces.ContextResolver) {
        let i32s = SpinInterfaces.i32s
        SpinInterfaces.fn(&imports, module, "open", params: i32s(3), resolve) { abi, a, context in
            let ret = a[2]
            let label = try abi.readString(a[0], a[1])
            let result = context.services.sqliteDatabase(label: label, component: context.component)
            switch result {
            case .success(let db):
                guard let handle = context.sqliteHandles.push(db) else {
                    try writeError(abi, ret: ret, .io("too many connections opened"))
                    return
                }
                try abi.storeU8(0, at: ret)
                try abi.storeU32(handle, at: ret + 4)
            case .failure(let e):
                try writeError(abi, ret: ret, e)
            }
        }
        SpinInterfaces.fn(&imports, module, "execute", params: i32s(6), resolve) { abi, a, context in
            let ret = a[5]
            guard let db = context.sqliteHandles.get(a[0]) else {
                try writeError(abi, ret: ret, .invalidConnection)
                return
            }
            let sql = try abi.readString(a[1], a[2])
            var parameters: [SQLiteValue] = []
            parameters.reserveCapacity(Int(min(a[4], 4096)))
            for i in 0..<a[4] {
                parameters.append(try readValue(abi, at: a[3] &+ 16 &* i))
            }
            let result: SQLiteQueryResult
            do throws(SQLiteError) {
                result = try db.execute(sql, parameters, deadline: context.deadline)
            } catch {
                try writeError(abi, ret: ret, SQLiteHostError(error))
                return
            }
            try abi.storeU8(0, at: ret)
            let (columns, columnCount) = try abi.write(strings: result.columns)
            try abi.storeU32(columns, at: ret + 4)
            try abi.storeU32(columnCount, at: ret + 8)
            let rows = try abi.allocate(count: result.rows.count * 8, align: 4)
            for (r, row) in result.rows.enumerated() {
                let values = try abi.allocate(count: row.count * 16, align: 8)
                for (c, value) in row.enumerated() {
                    try writeValue(abi, value, at: values + UInt32(16 * c))
                }
                try abi.storeU32(values, at: rows + UInt32(8 * r))
                try abi.storeU32(UInt32(row.count), at: rows + UInt32(8 * r + 4))
            }
            try abi.storeU32(rows, at: ret + 12)
            try abi.storeU32(UInt32(result.rows.count), at: ret + 16)
        }
        SpinInterfaces.fn(&imports, module, "close", params: i32s(1), resolve) { _, a, context in
            context.sqliteHandles.remove(a[0])
        }
    }

    static func writeError(_ abi: CanonicalABI, ret: UInt32, _ error: SQLiteHostError) throws {
        var message: String? = nil
        if case .io(let m) = error { message = m }
        try SpinInterfaces.writeError(abi, ret: ret, payloadAt: 4, tag: UInt8(error.discriminant), message: message)
    }

    static func readValue(_ abi: CanonicalABI, at p: UInt32) throws -> SQLiteValue {
        let tag: UInt8 = try abi.memory.load(at: Int(p))
        switch tag {
        case 0: return .integer(Int64(bitPattern: try abi.memory.load(UInt64.self, at: Int(p) + 8)))
        case 1: return .real(Double(bitPattern: try abi.memory.load(UInt64.self, at: Int(p) + 8)))
        case 2, 3:
            let ptr: UInt32 = try abi.memory.load(at: Int(p) + 8)
            let len: UInt32 = try abi.memory.load(at: Int(p) + 12)
            return tag == 2 ? .text(try abi.readString(ptr, len)) : .blob(try abi.read(ptr, len))
        case 4: return .null
        default: throw GuestABIError("sqlite::execute: parameter at \(p) has an invalid value tag \(tag)")
        }
    }

    static func writeValue(_ abi: CanonicalABI, _ value: SQLiteValue, at p: UInt32) throws {
        switch value {
        case .integer(let v):
            try abi.storeU8(0, at: p)
            try abi.storeU64(UInt64(bitPattern: v), at: p + 8)
        case .real(let v):
            try abi.storeU8(1, at: p)
            try abi.storeU64(v.bitPattern, at: p + 8)
        case .text(let s):
            try abi.storeU8(2, at: p)
            let (ptr, n) = try abi.write(s)
            try abi.storeU32(ptr, at: p + 8)
            try abi.storeU32(n, at: p + 12)
        case .blob(let b):
            try abi.storeU8(3, at: p)
            let (ptr, n) = try abi.write(b)
            try abi.storeU32(ptr, at: p + 8)
            try abi.storeU32(n, at: p + 12)
        case .null:
            try abi.storeU8(4, at: p)
        }
    }
}
