/// Module-level primitives on top of `ByteReader`, with the reference
/// interpreter's error semantics.
///
/// The section decoders read with the *whole module* as their limit, like the
/// reference interpreter: a section whose contents run past its declared size is
/// reported afterwards as "section size mismatch", and lengths are checked
/// against the rest of the module ("length out of bounds"). This is what makes
/// the spec suite's texts come out right (e.g. a vector count that is too big
/// makes the decoder read into the next section).
extension ByteReader {
    /// A `u32` length or vector count that must not exceed the bytes left in the
    /// module, counted from the length's own first byte (spec interpreter: `len32`).
    mutating func readLength() throws(DecodeError) -> Int {
        let at = offset
        let n = Int(try readU32())
        guard n <= limit - at else { throw DecodeError("length out of bounds", offset: at) }
        return n
    }

    /// A name: a length (see `readLength`) and that many bytes of valid UTF-8.
    mutating func readModuleName() throws(DecodeError) -> String {
        let at = offset
        let n = try readLength()
        guard n <= limit - offset else { throw DecodeError("unexpected end", offset: limit) }
        let buffer = UnsafeBufferPointer(start: base + offset, count: n)
        guard let s = String(validating: buffer, as: UTF8.self) else {
            throw DecodeError("malformed UTF-8 encoding", offset: at)
        }
        offset += n
        return s
    }

    /// An index (`u32`).
    mutating func readIndex() throws(DecodeError) -> UInt32 { try readU32() }

    /// Limits with a 1-bit flag (spec: `limits`), values `u32`.
    mutating func readLimits() throws(DecodeError) -> Limits {
        let flag = try readUnsignedLEB(bits: 1)
        let min = UInt64(try readU32())
        if flag == 1 {
            let max = UInt64(try readU32())
            return Limits(min: min, max: max)
        }
        return Limits(min: min)
    }

    mutating func readTableType() throws(DecodeError) -> TableType {
        let elementType = try readReferenceType()
        let limits = try readLimits()
        return TableType(elementType: elementType, limits: limits)
    }

    /// A tag type: the attribute 0 (an exception), then a function type index.
    mutating func readTagType() throws(DecodeError) -> UInt32 {
        let at = offset
        guard try readByte() == 0 else { throw DecodeError("malformed tag attribute", offset: at) }
        return try readIndex()
    }

    mutating func readMemoryType() throws(DecodeError) -> MemoryType {
        MemoryType(limits: try readLimits())
    }

    mutating func readGlobalType() throws(DecodeError) -> GlobalType {
        let valueType = try readValueType()
        let at = offset
        let m = try readByte()
        guard m <= 1 else { throw DecodeError("malformed mutability", offset: at) }
        return GlobalType(valueType: valueType, isMutable: m == 1)
    }
}
