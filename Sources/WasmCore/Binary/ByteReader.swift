/// A cursor over a module's bytes with the primitive decoders of the binary format.
///
/// Spec: https://webassembly.github.io/spec/core/binary/values.html
/// Every error carries the byte offset where decoding failed and uses the spec
/// suite's wording.
public struct ByteReader: ~Copyable {
    @usableFromInline let base: UnsafePointer<UInt8>
    /// Current absolute offset.
    public var offset: Int
    /// One past the last byte this reader may consume.
    public var limit: Int

    /// Creates a reader over `base[offset..<limit]`. The caller keeps the storage alive.
    public init(base: UnsafePointer<UInt8>, offset: Int, limit: Int) {
        self.base = base
        self.offset = offset
        self.limit = limit
    }

    public var isAtEnd: Bool { offset >= limit }
    public var remaining: Int { limit - offset }

    @inline(__always)
    public mutating func readByte() throws(DecodeError) -> UInt8 {
        guard offset < limit else { throw DecodeError("unexpected end", offset: offset) }
        let b = base[offset]
        offset += 1
        return b
    }

    @inline(__always)
    public func peekByte() throws(DecodeError) -> UInt8 {
        guard offset < limit else { throw DecodeError("unexpected end", offset: offset) }
        return base[offset]
    }

    public mutating func readBytes(_ count: Int) throws(DecodeError) -> [UInt8] {
        guard count >= 0, count <= limit - offset else {
            throw DecodeError("unexpected end", offset: offset)
        }
        let result = Array(UnsafeBufferPointer(start: base + offset, count: count))
        offset += count
        return result
    }

    public mutating func skip(_ count: Int) throws(DecodeError) {
        guard count >= 0, count <= limit - offset else {
            throw DecodeError("unexpected end", offset: offset)
        }
        offset += count
    }

    /// Unsigned LEB128 of at most `bits` bits ("integer representation too long" /
    /// "integer too large" as the spec suite words them).
    ///
    /// Checks happen in the reference interpreter's order: a byte whose value bits
    /// exceed the bits still available is "integer too large" (even if its
    /// continuation bit is set); a continuation past the last permitted byte is
    /// "integer representation too long". Errors point at the integer's first byte.
    @inline(__always)
    public mutating func readUnsignedLEB(bits: Int) throws(DecodeError) -> UInt64 {
        let start = offset
        var result: UInt64 = 0
        var shift: UInt64 = 0
        var available = bits
        while true {
            if available <= 0 { throw DecodeError("integer representation too long", offset: start) }
            guard offset < limit else { throw DecodeError("unexpected end", offset: offset) }
            let byte = base[offset]
            offset += 1
            if available < 7 && UInt64(byte & 0x7F) >= (1 as UInt64) << UInt64(available) {
                throw DecodeError("integer too large", offset: start)
            }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
            available -= 7
        }
    }

    /// Signed LEB128 of at most `bits` bits. In the last permitted byte the unused
    /// high bits must all equal the value's sign bit ("integer too large").
    @inline(__always)
    public mutating func readSignedLEB(bits: Int) throws(DecodeError) -> Int64 {
        let start = offset
        var result: Int64 = 0
        var shift: Int64 = 0
        var available = bits
        while true {
            if available <= 0 { throw DecodeError("integer representation too long", offset: start) }
            guard offset < limit else { throw DecodeError("unexpected end", offset: offset) }
            let byte = base[offset]
            offset += 1
            if available < 7 {
                // Bits available-1 ... 6: the sign bit and the unused bits above it.
                let mask = UInt8(truncatingIfNeeded: -1 << (available - 1)) & 0x7F
                let high = byte & mask
                if high != 0 && high != mask { throw DecodeError("integer too large", offset: start) }
            }
            result |= Int64(byte & 0x7F) << shift
            shift += 7
            available -= 7
            if byte & 0x80 == 0 {
                if shift < 64 && byte & 0x40 != 0 { result |= -1 << shift }
                return result
            }
        }
    }

    public mutating func readU32() throws(DecodeError) -> UInt32 {
        UInt32(truncatingIfNeeded: try readUnsignedLEB(bits: 32))
    }

    public mutating func readS32() throws(DecodeError) -> Int32 {
        Int32(truncatingIfNeeded: try readSignedLEB(bits: 32))
    }

    public mutating func readS64() throws(DecodeError) -> Int64 {
        try readSignedLEB(bits: 64)
    }

    /// A 33-bit signed block type index.
    public mutating func readS33() throws(DecodeError) -> Int64 {
        try readSignedLEB(bits: 33)
    }

    public mutating func readFixedU32() throws(DecodeError) -> UInt32 {
        guard limit - offset >= 4 else { throw DecodeError("unexpected end", offset: offset) }
        var v: UInt32 = 0
        for i in 0..<4 { v |= UInt32(base[offset + i]) << UInt32(8 * i) }
        offset += 4
        return v
    }

    public mutating func readFixedU64() throws(DecodeError) -> UInt64 {
        guard limit - offset >= 8 else { throw DecodeError("unexpected end", offset: offset) }
        var v: UInt64 = 0
        for i in 0..<8 { v |= UInt64(base[offset + i]) << UInt64(8 * i) }
        offset += 8
        return v
    }

    /// A length-prefixed UTF-8 name ("malformed UTF-8 encoding" when invalid).
    public mutating func readName() throws(DecodeError) -> String {
        let length = Int(try readU32())
        let start = offset
        guard length <= limit - offset else { throw DecodeError("unexpected end", offset: offset) }
        let buffer = UnsafeBufferPointer(start: base + offset, count: length)
        guard let s = String(validating: buffer, as: UTF8.self) else {
            throw DecodeError("malformed UTF-8 encoding", offset: start)
        }
        offset += length
        return s
    }

    /// A value type ("malformed value type"): a type byte, or `ref null? heaptype`.
    public mutating func readValueType() throws(DecodeError) -> ValueType {
        let at = offset
        let b = try readByte()
        // Types are one-byte signed LEB128s: a continuation bit makes it too long.
        if b & 0x80 != 0 { throw DecodeError("integer representation too long", offset: at) }
        if let t = ValueType(rawValue: b) { return t }
        if b == 0x63 || b == 0x64 { return try readReferenceTypeBody(nullable: b == 0x63, at: at) }
        if ByteReader.gcTypeBytes.contains(b) { throw ByteReader.gcUnsupported(at) }
        throw DecodeError("malformed value type", offset: at)
    }

    /// A value type that uses only switched-on features: a reference to exceptions (`exnref`,
    /// `(ref null? exn)`, `(ref null? noexn)`) needs `features.exceptions`, else "malformed value
    /// type: exceptions support is not enabled" at the type's byte offset.
    public mutating func readValueType(features: WasmFeatures) throws(DecodeError) -> ValueType {
        let at = offset
        let t = try readValueType()
        try ByteReader.checkFeatures(of: t, at: at, features, malformed: "malformed value type")
        return t
    }

    /// Refuses a reference to exceptions when the exceptions feature is off, as Wasm 2.0 refuses
    /// the unknown type byte (`malformed`), with the feature named.
    static func checkFeatures(of t: ValueType, at: Int, _ features: WasmFeatures, malformed: String)
        throws(DecodeError)
    {
        if !features.exceptions && t.isReference && t.isExceptionReference {
            throw DecodeError("\(malformed): exceptions support is not enabled", offset: at)
        }
    }

    /// A reference type ("malformed reference type"): a type byte or `ref null? heaptype`.
    public mutating func readReferenceType() throws(DecodeError) -> ValueType {
        let at = offset
        let b = try readByte()
        if b & 0x80 != 0 { throw DecodeError("integer representation too long", offset: at) }
        if let t = ValueType(rawValue: b), t.isReference { return t }
        if b == 0x63 || b == 0x64 { return try readReferenceTypeBody(nullable: b == 0x63, at: at) }
        if ByteReader.gcTypeBytes.contains(b) { throw ByteReader.gcUnsupported(at) }
        throw DecodeError("malformed reference type", offset: at)
    }

    /// The GC proposal's abstract heap types (any, eq, i31, struct, array, none) and their
    /// shorthand reference types.
    static let gcTypeBytes: Set<UInt8> = [0x6E, 0x6D, 0x6C, 0x6B, 0x6A, 0x71]

    static func gcUnsupported(_ at: Int) -> DecodeError {
        DecodeError("garbage collection (GC) types are not supported by this engine", offset: at)
    }

    /// The heap type after `ref`/`ref null` (0x64/0x63) at `at`.
    mutating func readReferenceTypeBody(nullable: Bool, at: Int) throws(DecodeError) -> ValueType {
        try readHeapType().withNullable(nullable)
    }

    /// A heap type (`ref.null`'s immediate, or after `ref`/`ref null`): an abstract one as its
    /// one-byte code, or a type index. Returned as the nullable reference type to it.
    mutating func readHeapType() throws(DecodeError) -> ValueType {
        let at = offset
        let heap = try readS33()
        if heap >= 0 {
            guard heap < 0x8000_0000 else { throw DecodeError("malformed heap type", offset: at) }
            return .reference(.defined(UInt32(heap)), nullable: true)
        }
        let byte = UInt8(truncatingIfNeeded: heap & 0x7F)
        if heap >= -0x40, let t = ValueType(rawValue: byte), t.isReference { return t }
        if heap >= -0x40, ByteReader.gcTypeBytes.contains(byte) { throw ByteReader.gcUnsupported(at) }
        throw DecodeError("malformed heap type", offset: at)
    }
}
