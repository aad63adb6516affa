import Testing

@testable import WasmCore

/// Reads with a fresh `ByteReader` over `bytes`; returns the value and the bytes consumed.
func read<T>(_ bytes: [UInt8], _ body: (inout ByteReader) throws(DecodeError) -> T) -> Result<(T, Int), DecodeError> {
    // A padding byte keeps the base address valid for empty inputs; the limit excludes it.
    (bytes + [0]).withUnsafeBufferPointer { buffer in
        var reader = ByteReader(base: buffer.baseAddress!, offset: 0, limit: bytes.count)
        do throws(DecodeError) {
            let value = try body(&reader)
            return .success((value, reader.offset))
        } catch {
            return .failure(error)
        }
    }
}

func value<T>(_ r: Result<(T, Int), DecodeError>) -> T? {
    if case .success(let (v, _)) = r { return v }
    return nil
}

func message<T>(_ r: Result<(T, Int), DecodeError>) -> String? {
    if case .failure(let e) = r { return e.message }
    return nil
}

@Suite("LEB128")
struct LEB128Tests {
    // MARK: unsigned 32

    @Test func u32Values() {
        #expect(value(read([0x00]) { (r: inout ByteReader) throws(DecodeError) in try r.readU32() }) == 0)
        #expect(value(read([0x7F]) { (r: inout ByteReader) throws(DecodeError) in try r.readU32() }) == 127)
        #expect(value(read([0x80, 0x01]) { (r: inout ByteReader) throws(DecodeError) in try r.readU32() }) == 128)
        #expect(
            value(read([0xE5, 0x8E, 0x26]) { (r: inout ByteReader) throws(DecodeError) in try r.readU32() }) == 624_485)
        #expect(
            value(
                read([0xFF, 0xFF, 0xFF, 0xFF, 0x0F]) { (r: inout ByteReader) throws(DecodeError) in try r.readU32() })
                == UInt32.max)
    }

    @Test func u32OverlongButValidEncodings() {
        // Padding with 0x80 up to the 5-byte maximum is allowed.
        let r = read([0x80, 0x80, 0x80, 0x80, 0x00]) { (r: inout ByteReader) throws(DecodeError) in try r.readU32() }
        #expect(value(r) == 0)
        if case .success(let (_, consumed)) = r { #expect(consumed == 5) }
        #expect(value(read([0x81, 0x80, 0x00]) { (r: inout ByteReader) throws(DecodeError) in try r.readU32() }) == 1)
    }

    @Test func u32TooLong() {
        // Six bytes: a continuation bit in the fifth byte.
        #expect(
            message(
                read([0x80, 0x80, 0x80, 0x80, 0x80, 0x00]) { (r: inout ByteReader) throws(DecodeError) in
                    try r.readU32()
                })
                == "integer representation too long")
        #expect(
            message(
                read([0x82, 0x80, 0x80, 0x80, 0x80, 0x00]) { (r: inout ByteReader) throws(DecodeError) in
                    try r.readU32()
                })
                == "integer representation too long")
    }

    @Test func u32UnusedBitsMustBeZero() {
        // The fifth byte may only use its low 4 bits.
        #expect(
            message(
                read([0xFF, 0xFF, 0xFF, 0xFF, 0x1F]) { (r: inout ByteReader) throws(DecodeError) in try r.readU32() })
                == "integer too large")
        #expect(
            message(
                read([0x80, 0x80, 0x80, 0x80, 0x10]) { (r: inout ByteReader) throws(DecodeError) in try r.readU32() })
                == "integer too large")
        // Value bits are checked before the continuation bit (reference order).
        #expect(
            message(
                read([0x80, 0x80, 0x80, 0x80, 0x90, 0x00]) { (r: inout ByteReader) throws(DecodeError) in
                    try r.readU32()
                })
                == "integer too large")
    }

    @Test func unexpectedEnd() {
        let r = read([0x80, 0x80]) { (r: inout ByteReader) throws(DecodeError) in try r.readU32() }
        #expect(message(r) == "unexpected end")
        if case .failure(let e) = r { #expect(e.offset == 2) }
        #expect(message(read([]) { (r: inout ByteReader) throws(DecodeError) in try r.readU32() }) == "unexpected end")
    }

    @Test func errorOffsetIsStartOfInteger() {
        let bytes: [UInt8] = [0xAA, 0x80, 0x80, 0x80, 0x80, 0x70]
        let r = bytes.withUnsafeBufferPointer { buffer -> DecodeError? in
            var reader = ByteReader(base: buffer.baseAddress!, offset: 1, limit: buffer.count)
            do throws(DecodeError) { _ = try reader.readU32(); return nil } catch { return error }
        }
        #expect(r == DecodeError("integer too large", offset: 1))
    }

    // MARK: unsigned 64

    @Test func u64Values() {
        #expect(
            value(
                read([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]) {
                    (r: inout ByteReader) throws(DecodeError) in
                    try r.readUnsignedLEB(bits: 64)
                }) == UInt64.max)
        #expect(
            message(
                read([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02]) {
                    (r: inout ByteReader) throws(DecodeError) in
                    try r.readUnsignedLEB(bits: 64)
                }) == "integer too large")
        #expect(
            message(
                read([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00]) {
                    (r: inout ByteReader) throws(DecodeError) in
                    try r.readUnsignedLEB(bits: 64)
                }) == "integer representation too long")
    }

    @Test func oneBitFlag() {
        #expect(
            value(read([0x01]) { (r: inout ByteReader) throws(DecodeError) in try r.readUnsignedLEB(bits: 1) }) == 1)
        #expect(
            message(read([0x02]) { (r: inout ByteReader) throws(DecodeError) in try r.readUnsignedLEB(bits: 1) })
                == "integer too large")
        #expect(
            message(read([0x81, 0x00]) { (r: inout ByteReader) throws(DecodeError) in try r.readUnsignedLEB(bits: 1) })
                == "integer representation too long")
    }

    // MARK: signed 32

    @Test func s32Values() {
        #expect(value(read([0x7F]) { (r: inout ByteReader) throws(DecodeError) in try r.readS32() }) == -1)
        #expect(value(read([0x3F]) { (r: inout ByteReader) throws(DecodeError) in try r.readS32() }) == 63)
        #expect(value(read([0x40]) { (r: inout ByteReader) throws(DecodeError) in try r.readS32() }) == -64)
        #expect(
            value(read([0xC0, 0xBB, 0x78]) { (r: inout ByteReader) throws(DecodeError) in try r.readS32() }) == -123_456
        )
        #expect(
            value(
                read([0xFF, 0xFF, 0xFF, 0xFF, 0x07]) { (r: inout ByteReader) throws(DecodeError) in try r.readS32() })
                == Int32.max)
        #expect(
            value(
                read([0x80, 0x80, 0x80, 0x80, 0x78]) { (r: inout ByteReader) throws(DecodeError) in try r.readS32() })
                == Int32.min)
        // Overlong but valid: -1 padded to five bytes.
        #expect(
            value(
                read([0xFF, 0xFF, 0xFF, 0xFF, 0x7F]) { (r: inout ByteReader) throws(DecodeError) in try r.readS32() })
                == -1)
    }

    @Test func s32UnusedBitsMustMatchSign() {
        // Fifth byte: bit 3 is the sign, bits 4-6 must copy it.
        #expect(
            message(
                read([0xFF, 0xFF, 0xFF, 0xFF, 0x0F]) { (r: inout ByteReader) throws(DecodeError) in try r.readS32() })
                == "integer too large")
        #expect(
            message(
                read([0x80, 0x80, 0x80, 0x80, 0x70]) { (r: inout ByteReader) throws(DecodeError) in try r.readS32() })
                == "integer too large")
        #expect(
            message(
                read([0x80, 0x80, 0x80, 0x80, 0x1F]) { (r: inout ByteReader) throws(DecodeError) in try r.readS32() })
                == "integer too large")
        #expect(
            message(
                read([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]) { (r: inout ByteReader) throws(DecodeError) in
                    try r.readS32()
                })
                == "integer representation too long")
    }

    // MARK: signed 64 and 33

    @Test func s64Values() {
        #expect(
            value(
                read([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00]) {
                    (r: inout ByteReader) throws(DecodeError) in try r.readS64()
                })
                == Int64.max)
        #expect(
            value(
                read([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7F]) {
                    (r: inout ByteReader) throws(DecodeError) in try r.readS64()
                })
                == Int64.min)
        #expect(value(read([0x7F]) { (r: inout ByteReader) throws(DecodeError) in try r.readS64() }) == -1)
        #expect(
            value(
                read([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]) {
                    (r: inout ByteReader) throws(DecodeError) in try r.readS64()
                }) == -1)
    }

    @Test func s64UnusedBitsMustMatchSign() {
        #expect(
            message(
                read([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]) {
                    (r: inout ByteReader) throws(DecodeError) in try r.readS64()
                })
                == "integer too large")
        #expect(
            message(
                read([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7E]) {
                    (r: inout ByteReader) throws(DecodeError) in try r.readS64()
                })
                == "integer too large")
        #expect(
            message(
                read([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00]) {
                    (r: inout ByteReader) throws(DecodeError) in try r.readS64()
                })
                == "integer representation too long")
    }

    @Test func s33BlockTypeIndex() {
        #expect(
            value(
                read([0xFF, 0xFF, 0xFF, 0xFF, 0x0F]) { (r: inout ByteReader) throws(DecodeError) in try r.readS33() })
                == 0xFFFF_FFFF)
        #expect(
            value(
                read([0x80, 0x80, 0x80, 0x80, 0x70]) { (r: inout ByteReader) throws(DecodeError) in try r.readS33() })
                == -(1 << 32))
        #expect(
            message(
                read([0xFF, 0xFF, 0xFF, 0xFF, 0x1F]) { (r: inout ByteReader) throws(DecodeError) in try r.readS33() })
                == "integer too large")
    }
}
