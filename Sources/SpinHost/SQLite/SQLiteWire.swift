/// The byte format between `SQLiteDatabase` and the SQLite guest (guest/sqlite_host.c has
/// the same description): little-endian integers; a value is a tag byte (0 integer i64,
/// 1 real f64, 2 text and 3 blob as u32 length + bytes, 4 null).
enum SQLiteWire {
    /// Parameters: u32 count, then the values.
    static func encode(_ parameters: [SQLiteValue]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(4 + parameters.count * 9)
        append(UInt32(parameters.count), to: &out)
        for p in parameters {
            switch p {
            case .integer(let v):
                out.append(0)
                append(UInt64(bitPattern: v), to: &out)
            case .real(let v):
                out.append(1)
                append(v.bitPattern, to: &out)
            case .text(let s):
                out.append(2)
                let bytes = Array(s.utf8)
                append(UInt32(bytes.count), to: &out)
                out += bytes
            case .blob(let b):
                out.append(3)
                append(UInt32(b.count), to: &out)
                out += b
            case .null:
                out.append(4)
            }
        }
        return out
    }

    private static func append<T: FixedWidthInteger>(_ v: T, to out: inout [UInt8]) {
        withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) }
    }

    /// Decodes a result (what follows its u32 length): status 0 = columns, rows, then flags,
    /// changes and rowid; 1 = error code and message. A malformed result is an `SQLiteError` naming the offset.
    static func decode(_ bytes: [UInt8]) throws(SQLiteError) -> SQLiteQueryResult {
        var r = Reader(bytes: bytes)
        let status = try r.u8()
        if status == 1 {
            let code = Int32(bitPattern: try r.u32())
            let message = try r.string()
            throw SQLiteError(code: code, message: message)
        }
        guard status == 0 else { throw r.malformed("unknown status \(status)") }
        let columnCount = Int(try r.u32())
        var columns: [String] = []
        columns.reserveCapacity(min(columnCount, 4096))
        for _ in 0..<columnCount { columns.append(try r.string()) }
        let rowCount = Int(try r.u32())
        var rows: [[SQLiteValue]] = []
        rows.reserveCapacity(min(rowCount, 65536))
        for _ in 0..<rowCount {
            var row: [SQLiteValue] = []
            row.reserveCapacity(columnCount)
            for _ in 0..<columnCount { row.append(try r.value()) }
            rows.append(row)
        }
        let flags = try r.u8()
        let changes = try r.u64()
        let rowid = Int64(bitPattern: try r.u64())
        guard r.offset == bytes.count else { throw r.malformed("\(bytes.count - r.offset) trailing bytes") }
        return SQLiteQueryResult(
            columns: columns, rows: rows, changes: flags & 1 != 0 ? changes : nil,
            lastInsertRowID: flags & 2 != 0 ? rowid : nil)
    }

    private struct Reader {
        let bytes: [UInt8]
        var offset = 0

        func malformed(_ what: String) -> SQLiteError {
            SQLiteError(code: 0, message: "malformed result from the SQLite guest at byte \(offset): \(what)")
        }

        mutating func take(_ n: Int) throws(SQLiteError) -> ArraySlice<UInt8> {
            guard n >= 0, bytes.count - offset >= n else { throw malformed("needs \(n) more bytes") }
            defer { offset += n }
            return bytes[offset..<offset + n]
        }

        mutating func u8() throws(SQLiteError) -> UInt8 { try take(1).first! }

        mutating func u32() throws(SQLiteError) -> UInt32 {
            try take(4).reversed().reduce(0) { $0 << 8 | UInt32($1) }
        }

        mutating func u64() throws(SQLiteError) -> UInt64 {
            try take(8).reversed().reduce(0) { $0 << 8 | UInt64($1) }
        }

        mutating func bytesValue() throws(SQLiteError) -> [UInt8] { Array(try take(Int(try u32()))) }

        mutating func string() throws(SQLiteError) -> String { String(decoding: try bytesValue(), as: UTF8.self) }

        mutating func value() throws(SQLiteError) -> SQLiteValue {
            switch try u8() {
            case 0: .integer(Int64(bitPattern: try u64()))
            case 1: .real(Double(bitPattern: try u64()))
            case 2: .text(try string())
            case 3: .blob(try bytesValue())
            case 4: .null
            case let t: throw malformed("unknown value tag \(t)")
            }
        }
    }
}
