import Foundation

/// How `PostgresValue`s travel to and from PostgreSQL.
///
/// Parameters are sent in binary with an explicit type: bool → `bool`, char →
/// `"char"` (PostgreSQL's one-byte integer), int16/32/64 → `int2`/`int4`/`int8`,
/// float/double → `float4`/`float8`, text → `text`, bytes → `bytea`, date/time/timestamp/
/// timestamptz/uuid/jsonb → the type of that name, null → NULL of an inferred type.
///
/// Results (binary or text format) map `bool`, `"char"`, `int2`, `int4`, `int8`,
/// `float4`, `float8`, `text`, `varchar`, `bpchar` and `bytea` to the matching value
/// and column type, and so do `date`, `time`, `timestamp`, `timestamptz`, `uuid` and `jsonb`
/// in binary format (the format this client asks for); every other type is `unsupported` /
/// `other`, and NULL is `null`.
package enum PostgresValueCodec {
    enum OID {
        static let bool: Int32 = 16
        static let bytea: Int32 = 17
        static let char: Int32 = 18
        static let int8: Int32 = 20
        static let int2: Int32 = 21
        static let int4: Int32 = 23
        static let text: Int32 = 25
        static let float4: Int32 = 700
        static let float8: Int32 = 701
        static let bpchar: Int32 = 1042
        static let varchar: Int32 = 1043
        static let date: Int32 = 1082
        static let time: Int32 = 1083
        static let timestamp: Int32 = 1114
        static let timestamptz: Int32 = 1184
        static let interval: Int32 = 1186
        static let numeric: Int32 = 1700
        static let int4range: Int32 = 3904
        static let numrange: Int32 = 3906
        static let int8range: Int32 = 3926
        static let int4Array: Int32 = 1007
        static let textArray: Int32 = 1009
        static let varcharArray: Int32 = 1015
        static let int8Array: Int32 = 1016
        static let numericArray: Int32 = 1231
        static let uuid: Int32 = 2950
        static let jsonb: Int32 = 3802
    }

    /// The version byte that starts `jsonb`'s binary format.
    static let jsonbVersion: UInt8 = 1

    /// The column type a result column of `oid` reports.
    package static func type(oid: Int32) -> PostgresType {
        switch oid {
        case OID.bool: .bool
        case OID.char: .char
        case OID.int2: .int16
        case OID.int4: .int32
        case OID.int8: .int64
        case OID.float4: .float
        case OID.float8: .double
        case OID.text, OID.varchar, OID.bpchar: .text
        case OID.bytea: .bytes
        case OID.date: .date
        case OID.time: .time
        case OID.timestamp: .timestamp
        case OID.timestamptz: .timestamptz
        case OID.interval: .interval
        case OID.numeric: .numeric
        case OID.int4range: .int32Range
        case OID.int8range: .int64Range
        case OID.numrange: .numericRange
        case OID.int4Array: .int32Array
        case OID.int8Array: .int64Array
        case OID.numericArray: .numericArray
        case OID.textArray, OID.varcharArray: .textArray
        case OID.uuid: .uuid
        case OID.jsonb: .jsonb
        default: .other
        }
    }

    /// The type OID and binary bytes (nil = NULL) of parameter `index` (for messages).
    package static func encode(_ value: PostgresValue, index: Int) throws(PostgresError) -> (
        oid: Int32, bytes: [UInt8]?
    ) {
        func be<T: FixedWidthInteger>(_ v: T) -> [UInt8] { withUnsafeBytes(of: v.bigEndian) { Array($0) } }
        switch value {
        case .bool(let b): return (OID.bool, [b ? 1 : 0])
        case .char(let v): return (OID.char, [UInt8(bitPattern: v)])
        case .int16(let v): return (OID.int2, be(v))
        case .int32(let v): return (OID.int4, be(v))
        case .int64(let v): return (OID.int8, be(v))
        case .float(let v): return (OID.float4, be(v.bitPattern))
        case .double(let v): return (OID.float8, be(v.bitPattern))
        case .text(let s): return (OID.text, Array(s.utf8))
        case .bytes(let b): return (OID.bytea, b)
        case .date(let d): return (OID.date, be(d))
        case .time(let t): return (OID.time, be(t))
        case .timestamp(let t): return (OID.timestamp, be(t))
        case .timestamptz(let t): return (OID.timestamptz, be(t))
        case .uuid(let u):
            guard u.count == 16 else { throw .badParameter("parameter \(index + 1): a uuid has 16 bytes, not \(u.count)") }
            return (OID.uuid, u)
        case .jsonb(let j): return (OID.jsonb, [jsonbVersion] + j)
        case .interval(let us, let days, let months): return (OID.interval, be(us) + be(days) + be(months))
        case .numeric(let text):
            guard let bytes = PostgresNumeric.binary(text) else {
                throw .badParameter("parameter \(index + 1): `\(text)` is not a decimal number")
            }
            return (OID.numeric, bytes)
        case .int32Range, .int64Range, .numericRange, .int32Array, .int64Array, .numericArray, .textArray:
            do {
                return try encodeContainer(value)
            } catch {
                throw .badParameter("parameter \(index + 1): \(error.message)")
            }
        case .null: return (0, nil)
        case .unsupported(let oid, _):
            throw .badParameter("parameter \(index + 1): a value of unsupported type \(oid) is not a parameter value")
        }
    }

    /// The value of one field; `column` names it in errors.
    package static func decode(_ bytes: [UInt8]?, oid: Int32, format: Int16, column: String) throws(PostgresError)
        -> PostgresValue
    {
        guard let bytes else { return .null }
        guard type(oid: oid) != .other else { return .unsupported(typeOID: oid, bytes: bytes) }
        do {
            return try format == 1 ? decodeBinary(bytes, oid: oid) : decodeText(bytes, oid: oid)
        } catch {
            throw .valueConversionFailed("column `\(column)`: \(error.message)")
        }
    }

    private static func decodeBinary(_ b: [UInt8], oid: Int32) throws(PostgresError) -> PostgresValue {
        func int<T: FixedWidthInteger>(_: T.Type) throws(PostgresError) -> T {
            guard b.count == MemoryLayout<T>.size else {
                throw .valueConversionFailed("expected \(MemoryLayout<T>.size) bytes, got \(b.count)")
            }
            return b.reduce(T.zero) { ($0 << 8) | T(truncatingIfNeeded: $1) }
        }
        switch oid {
        case OID.bool: return .bool(try int(UInt8.self) != 0)
        case OID.char: return .char(Int8(bitPattern: try int(UInt8.self)))
        case OID.int2: return .int16(try int(Int16.self))
        case OID.int4: return .int32(try int(Int32.self))
        case OID.int8: return .int64(try int(Int64.self))
        case OID.float4: return .float(Float(bitPattern: try int(UInt32.self)))
        case OID.float8: return .double(Double(bitPattern: try int(UInt64.self)))
        case OID.bytea: return .bytes(b)
        case OID.date: return .date(days: try int(Int32.self))
        case OID.time: return .time(microseconds: try int(Int64.self))
        case OID.timestamp: return .timestamp(microseconds: try int(Int64.self))
        case OID.timestamptz: return .timestamptz(microseconds: try int(Int64.self))
        case OID.uuid:
            guard b.count == 16 else { throw .valueConversionFailed("expected 16 bytes, got \(b.count)") }
            return .uuid(b)
        case OID.jsonb:
            guard b.first == jsonbVersion else {
                throw .valueConversionFailed("unknown jsonb format version \(b.first.map(String.init) ?? "(none)")")
            }
            _ = try utf8(Array(b.dropFirst()))
            return .jsonb(Array(b.dropFirst()))
        case OID.interval:
            guard b.count == 16 else { throw .valueConversionFailed("expected 16 bytes, got \(b.count)") }
            func word<T: FixedWidthInteger>(_ range: Range<Int>, _: T.Type) -> T {
                b[range].reduce(T.zero) { ($0 << 8) | T(truncatingIfNeeded: $1) }
            }
            return .interval(
                microseconds: word(0..<8, Int64.self), days: word(8..<12, Int32.self), months: word(12..<16, Int32.self))
        case OID.numeric:
            guard let text = PostgresNumeric.text(b) else { throw .valueConversionFailed("invalid numeric binary value") }
            return .numeric(text)
        case OID.int4range, OID.int8range, OID.numrange, OID.int4Array, OID.int8Array, OID.numericArray,
            OID.textArray, OID.varcharArray:
            do {
                return try decodeContainer(b, oid: oid)
            } catch {
                throw .valueConversionFailed(error.message)
            }
        default: return .text(try utf8(b))
        }
    }

    private static func decodeText(_ b: [UInt8], oid: Int32) throws(PostgresError) -> PostgresValue {
        let s = try utf8(b)
        func number<T>(_ parse: (String) -> T?) throws(PostgresError) -> T {
            guard let v = parse(s) else { throw .valueConversionFailed("`\(s)` is not a valid \(T.self)") }
            return v
        }
        func float(_ s: String) -> Double? {
            switch s {
            case "NaN": .nan
            case "Infinity": .infinity
            case "-Infinity": -.infinity
            default: Double(s)
            }
        }
        switch oid {
        case OID.bool:
            guard s == "t" || s == "f" else { throw .valueConversionFailed("`\(s)` is not a boolean") }
            return .bool(s == "t")
        // "char" text output is the byte itself, or \ooo octal for bytes outside ASCII.
        case OID.char:
            if b.count == 4, b[0] == UInt8(ascii: "\\"), let v = UInt8(String(s.dropFirst()), radix: 8) {
                return .char(Int8(bitPattern: v))
            }
            return .char(Int8(bitPattern: b.first ?? 0))
        case OID.int2: return .int16(try number { Int16($0) })
        case OID.int4: return .int32(try number { Int32($0) })
        case OID.int8: return .int64(try number { Int64($0) })
        case OID.float4: return .float(Float(try number(float)))
        case OID.float8: return .double(try number(float))
        case OID.bytea: return .bytes(try byteaText(s))
        case OID.date, OID.time, OID.timestamp, OID.timestamptz, OID.uuid, OID.interval, OID.int4range,
            OID.int8range, OID.numrange, OID.int4Array, OID.int8Array, OID.numericArray, OID.textArray,
            OID.varcharArray:
            return .unsupported(typeOID: oid, bytes: b)
        case OID.numeric: return .numeric(s)
        case OID.jsonb: return .jsonb(b)
        default: return .text(s)
        }
    }

    /// The binary value of a range or array parameter.
    private static func encodeContainer(_ value: PostgresValue) throws(PostgresContainers.Malformed) -> (
        oid: Int32, bytes: [UInt8]?
    ) {
        typealias C = PostgresContainers
        func numeric(_ s: String) throws(C.Malformed) -> [UInt8] {
            guard let b = PostgresNumeric.binary(s) else { throw C.Malformed(message: "`\(s)` is not a decimal number") }
            return b
        }
        switch value {
        case .int32Range(let r): return (OID.int4range, try C.encodeRange(r) { C.be($0) })
        case .int64Range(let r): return (OID.int8range, try C.encodeRange(r) { C.be($0) })
        case .numericRange(let r): return (OID.numrange, try C.encodeRange(r, numeric))
        case .int32Array(let a): return (OID.int4Array, try C.encodeArray(a, elementOID: OID.int4) { C.be($0) })
        case .int64Array(let a): return (OID.int8Array, try C.encodeArray(a, elementOID: OID.int8) { C.be($0) })
        case .numericArray(let a): return (OID.numericArray, try C.encodeArray(a, elementOID: OID.numeric, numeric))
        case .textArray(let a): return (OID.textArray, try C.encodeArray(a, elementOID: OID.text) { Array($0.utf8) })
        default: throw C.Malformed(message: "not a range or array")
        }
    }

    /// A range or array result.
    private static func decodeContainer(_ b: [UInt8], oid: Int32) throws(PostgresContainers.Malformed) -> PostgresValue {
        typealias C = PostgresContainers
        func int<T: FixedWidthInteger>(_: T.Type) -> ([UInt8]) throws(C.Malformed) -> T {
            { (e: [UInt8]) throws(C.Malformed) -> T in
                var r = C.Reader(bytes: e)
                let v = try r.int(T.self)
                guard r.atEnd else { throw C.Malformed(message: "an element of \(e.count) bytes") }
                return v
            }
        }
        func numeric(_ e: [UInt8]) throws(C.Malformed) -> String {
            guard let s = PostgresNumeric.text(e) else { throw C.Malformed(message: "invalid numeric element") }
            return s
        }
        func text(_ e: [UInt8]) throws(C.Malformed) -> String {
            guard let s = String(validating: e, as: UTF8.self) else { throw C.Malformed(message: "an element is not valid UTF-8") }
            return s
        }
        switch oid {
        case OID.int4range: return .int32Range(try C.decodeRange(b, int(Int32.self)))
        case OID.int8range: return .int64Range(try C.decodeRange(b, int(Int64.self)))
        case OID.numrange: return .numericRange(try C.decodeRange(b, numeric))
        case OID.int4Array: return .int32Array(try C.decodeArray(b, int(Int32.self)))
        case OID.int8Array: return .int64Array(try C.decodeArray(b, int(Int64.self)))
        case OID.numericArray: return .numericArray(try C.decodeArray(b, numeric))
        default: return .textArray(try C.decodeArray(b, text))
        }
    }

    /// `bytea` text output: `\x` hex (the default), or the old escape format.
    package static func byteaText(_ s: String) throws(PostgresError) -> [UInt8] {
        let b = Array(s.utf8)
        if b.starts(with: [UInt8(ascii: "\\"), UInt8(ascii: "x")]) {
            var out: [UInt8] = []
            var i = 2
            while i + 1 < b.count {
                guard let v = UInt8(String(decoding: b[i...i + 1], as: UTF8.self), radix: 16) else {
                    throw .valueConversionFailed("invalid bytea hex text")
                }
                out.append(v)
                i += 2
            }
            guard i == b.count else { throw .valueConversionFailed("odd-length bytea hex text") }
            return out
        }
        var out: [UInt8] = []
        var i = 0
        while i < b.count {
            if b[i] == UInt8(ascii: "\\") {
                if i + 1 < b.count, b[i + 1] == UInt8(ascii: "\\") {
                    out.append(b[i]); i += 2; continue
                }
                guard i + 3 < b.count, let v = UInt8(String(decoding: b[i + 1...i + 3], as: UTF8.self), radix: 8)
                else { throw .valueConversionFailed("invalid bytea escape text") }
                out.append(v); i += 4
            } else {
                out.append(b[i]); i += 1
            }
        }
        return out
    }

    private static func utf8(_ b: [UInt8]) throws(PostgresError) -> String {
        guard let s = String(validating: b, as: UTF8.self) else {
            throw .valueConversionFailed("the value is not valid UTF-8")
        }
        return s
    }
}
