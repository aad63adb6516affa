/// A cursor over a component binary with the Component Model's primitive decoders.
///
/// Offsets are absolute in the outermost binary (nested components and core modules are read
/// in place), and every error carries the reference tests' wording (wasmparser's).
struct ComponentReader {
    /// The whole outermost binary.
    let bytes: [UInt8]
    var offset: Int
    /// One past the last byte this reader may consume (the end of the current section).
    var limit: Int
    /// The section being read, for error reports.
    var section: String?

    init(bytes: [UInt8], offset: Int = 0, limit: Int? = nil, section: String? = nil) {
        self.bytes = bytes
        self.offset = offset
        self.limit = limit ?? bytes.count
        self.section = section
    }

    var isAtEnd: Bool { offset >= limit }
    var remaining: Int { limit - offset }

    func error(_ message: String, at position: Int? = nil) -> ComponentDecodeError {
        ComponentDecodeError(message, offset: position ?? offset, section: section)
    }

    func eof() -> ComponentDecodeError { error("unexpected end-of-file") }

    mutating func byte() throws(ComponentDecodeError) -> UInt8 {
        guard offset < limit else { throw eof() }
        let b = bytes[offset]
        offset += 1
        return b
    }

    func peek() throws(ComponentDecodeError) -> UInt8 {
        guard offset < limit else { throw eof() }
        return bytes[offset]
    }

    mutating func skip(_ count: Int) throws(ComponentDecodeError) {
        guard count >= 0, count <= remaining else { throw eof() }
        offset += count
    }

    /// "invalid leading byte (0x2) for core instance".
    func invalidLeadingByte(_ byte: UInt8, _ what: String, at position: Int) -> ComponentDecodeError {
        error("invalid leading byte (0x\(String(byte, radix: 16))) for \(what)", at: position)
    }

    /// An unsigned LEB128 `u32` ("invalid var_u32: integer too large").
    mutating func u32() throws(ComponentDecodeError) -> UInt32 {
        let start = offset
        var result: UInt32 = 0
        var shift: UInt32 = 0
        while true {
            let b = try byte()
            if shift == 28 {
                // The fifth byte: only 4 value bits remain and no continuation.
                if b & 0x80 != 0 { throw error("invalid var_u32: integer representation too long", at: start) }
                if b & 0x70 != 0 { throw error("invalid var_u32: integer too large", at: start) }
            }
            result |= UInt32(b & 0x7F) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
        }
    }

    /// An unsigned LEB128 `u64` (64-bit table and memory limits).
    mutating func u64() throws(ComponentDecodeError) -> UInt64 {
        let start = offset
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try byte()
            if shift == 63 && b > 1 { throw error("invalid var_u64: integer too large", at: start) }
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
        }
    }

    /// A signed LEB128 of at most 33 bits (a value type written as a type index).
    mutating func s33() throws(ComponentDecodeError) -> Int64 {
        let start = offset
        var result: Int64 = 0
        var shift: Int64 = 0
        while true {
            let b = try byte()
            if shift >= 28 && b & 0x80 != 0 { throw error("invalid var_s33: integer representation too long", at: start) }
            result |= Int64(b & 0x7F) << shift
            shift += 7
            if b & 0x80 == 0 {
                if shift < 64 && b & 0x40 != 0 { result |= -1 << shift }
                if result < -(1 << 32) || result >= (1 << 32) {
                    throw error("invalid var_s33: integer too large", at: start)
                }
                return result
            }
        }
    }

    /// A length-prefixed UTF-8 string ("malformed UTF-8 encoding").
    mutating func string() throws(ComponentDecodeError) -> String {
        let length = Int(try u32())
        let start = offset
        guard length <= remaining else { throw eof() }
        let s = bytes.withUnsafeBufferPointer { buffer in
            String(validating: UnsafeBufferPointer(rebasing: buffer[start..<(start + length)]), as: UTF8.self)
        }
        guard let s else { throw error("malformed UTF-8 encoding", at: start) }
        offset += length
        return s
    }

    /// A `0x00`/`0x01` boolean ("invalid boolean value").
    mutating func bool() throws(ComponentDecodeError) -> Bool {
        let at = offset
        switch try byte() {
        case 0: return false
        case 1: return true
        default: throw error("invalid boolean value", at: at)
        }
    }

    /// A byte that must be zero ("invalid leading byte (0x1) for zero byte required").
    mutating func zeroByte(_ what: String = "zero byte required") throws(ComponentDecodeError) {
        let at = offset
        let b = try byte()
        guard b == 0 else { throw invalidLeadingByte(b, what, at: at) }
    }

    /// A vector: a `u32` count and that many items. The count is not trusted for capacity.
    mutating func vector<T>(_ item: (inout ComponentReader) throws(ComponentDecodeError) -> T)
        throws(ComponentDecodeError) -> [T]
    {
        let count = try u32()
        var items: [T] = []
        items.reserveCapacity(min(Int(count), remaining))
        for _ in 0..<count { items.append(try item(&self)) }
        return items
    }

    /// `0x00` (absent) or `0x01 T` (present); other bytes are "invalid leading byte (..) for WHAT".
    mutating func optional<T>(_ what: String, _ item: (inout ComponentReader) throws(ComponentDecodeError) -> T)
        throws(ComponentDecodeError) -> T?
    {
        let at = offset
        switch try byte() {
        case 0: return nil
        case 1: return try item(&self)
        case let b: throw invalidLeadingByte(b, what, at: at)
        }
    }
}
