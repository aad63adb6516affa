/// PostgreSQL's binary formats of the range and one-dimensional array types this client
/// knows (`int4range`, `int8range`, `numrange`; `int4[]`, `int8[]`, `numeric[]`, `text[]`,
/// `varchar[]`).
///
/// Range: a flags byte (`0x01` empty, `0x02` lower bound inclusive, `0x04` upper inclusive,
/// `0x08` no lower bound, `0x10` no upper bound), then each present bound as a 4-byte length
/// and the element's binary value. Array: dimension count, has-nulls flag, element type OID,
/// then per dimension its length and lower bound, then each element as a 4-byte length (-1 for
/// NULL) and its binary value.
enum PostgresContainers {
    static let empty: UInt8 = 0x01
    static let lowerInclusive: UInt8 = 0x02
    static let upperInclusive: UInt8 = 0x04
    static let lowerInfinite: UInt8 = 0x08
    static let upperInfinite: UInt8 = 0x10

    struct Malformed: Error {
        var message: String
    }

    static func be<T: FixedWidthInteger>(_ v: T) -> [UInt8] { withUnsafeBytes(of: v.bigEndian) { Array($0) } }

    /// A reader over one value's bytes.
    struct Reader {
        let bytes: [UInt8]
        var at = 0

        mutating func int<T: FixedWidthInteger>(_: T.Type) throws(Malformed) -> T {
            let n = MemoryLayout<T>.size
            guard at + n <= bytes.count else { throw Malformed(message: "truncated value") }
            defer { at += n }
            return bytes[at..<at + n].reduce(T.zero) { ($0 << 8) | T(truncatingIfNeeded: $1) }
        }

        /// A length-prefixed element (nil for NULL).
        mutating func element() throws(Malformed) -> [UInt8]? {
            let n = try int(Int32.self)
            if n < 0 { return nil }
            guard at + Int(n) <= bytes.count else { throw Malformed(message: "truncated element") }
            defer { at += Int(n) }
            return Array(bytes[at..<at + Int(n)])
        }

        var atEnd: Bool { at == bytes.count }
    }

    // MARK: Ranges

    static func encodeRange<B>(_ r: PostgresRange<B>, _ bound: (B) throws(Malformed) -> [UInt8]) throws(Malformed)
        -> [UInt8]
    {
        if r.isEmpty { return [empty] }
        var flags: UInt8 = 0
        var out: [UInt8] = []
        if let l = r.lower {
            if r.lowerInclusive { flags |= lowerInclusive }
            let b = try bound(l)
            out += be(Int32(b.count)) + b
        } else {
            flags |= lowerInfinite
        }
        if let u = r.upper {
            if r.upperInclusive { flags |= upperInclusive }
            let b = try bound(u)
            out += be(Int32(b.count)) + b
        } else {
            flags |= upperInfinite
        }
        return [flags] + out
    }

    static func decodeRange<B>(_ bytes: [UInt8], _ bound: ([UInt8]) throws(Malformed) -> B) throws(Malformed)
        -> PostgresRange<B>
    {
        var r = Reader(bytes: bytes)
        let flags = try r.int(UInt8.self)
        if flags & empty != 0 {
            guard r.atEnd else { throw Malformed(message: "an empty range with bounds") }
            return PostgresRange(lower: nil, lowerInclusive: false, upper: nil, upperInclusive: false, isEmpty: true)
        }
        func next(_ r: inout Reader) throws(Malformed) -> B {
            guard let b = try r.element() else { throw Malformed(message: "a NULL range bound") }
            return try bound(b)
        }
        let lower = flags & lowerInfinite == 0 ? try next(&r) : nil
        let upper = flags & upperInfinite == 0 ? try next(&r) : nil
        guard r.atEnd else { throw Malformed(message: "bytes after the range") }
        return PostgresRange(
            lower: lower, lowerInclusive: flags & lowerInclusive != 0, upper: upper,
            upperInclusive: flags & upperInclusive != 0)
    }

    // MARK: Arrays

    static func encodeArray<E>(_ items: [E?], elementOID: Int32, _ element: (E) throws(Malformed) -> [UInt8])
        throws(Malformed) -> [UInt8]
    {
        var out = be(Int32(items.isEmpty ? 0 : 1)) + be(Int32(items.contains { $0 == nil } ? 1 : 0)) + be(elementOID)
        if !items.isEmpty { out += be(Int32(items.count)) + be(Int32(1)) }
        for item in items {
            if let item {
                let b = try element(item)
                out += be(Int32(b.count)) + b
            } else {
                out += be(Int32(-1))
            }
        }
        return out
    }

    static func decodeArray<E>(_ bytes: [UInt8], _ element: ([UInt8]) throws(Malformed) -> E) throws(Malformed)
        -> [E?]
    {
        var r = Reader(bytes: bytes)
        let dimensions = try r.int(Int32.self)
        _ = try r.int(Int32.self)  // has nulls
        _ = try r.int(Int32.self)  // element type
        guard dimensions == 0 || dimensions == 1 else {
            throw Malformed(message: "a \(dimensions)-dimensional array (only one dimension is supported)")
        }
        var count = 0
        if dimensions == 1 {
            count = Int(try r.int(Int32.self))
            _ = try r.int(Int32.self)  // lower bound
        }
        var items: [E?] = []
        for _ in 0..<max(count, 0) { items.append(try r.element().map { (b) throws(Malformed) in try element(b) }) }
        guard r.atEnd else { throw Malformed(message: "bytes after the array") }
        return items
    }
}
