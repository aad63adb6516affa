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

    /// Limits (spec: `limits`): a flag byte (bit 0: a maximum follows; bit 1: a shared
    /// memory, threads; bit 2: 64-bit addresses, memory64), then the values: `u64` with
    /// memory64 on (Wasm 3.0), else `u32`. Returns the limits and whether they are 64-bit and
    /// shared. The shared bit is read only for memories (`allowsShared`) with threads on (off,
    /// with memory64 on, it fails naming threads); with memory64 off, flag bit 2 fails naming
    /// the feature; other unknown bits are "malformed limits flags".
    mutating func readLimits(
        features: WasmFeatures, allowsShared: Bool = false
    ) throws(DecodeError) -> (Limits, is64: Bool, isShared: Bool) {
        let at = offset
        let flag: UInt64
        let sharedBit: UInt64 = allowsShared && features.threads ? 2 : 0
        if features.memory64 {
            flag = UInt64(try readByte())
            if allowsShared && !features.threads && flag & ~7 == 0 && flag & 2 != 0 {
                throw WasmFeatures.disabled(.threads, offset: at)  // as wasmtime -W threads=n
            }
            guard flag & ~(5 | sharedBit) == 0 else { throw DecodeError("malformed limits flags", offset: at) }
        } else if sharedBit != 0, let b = try? peekByte(), b == 2 || b == 3 {
            flag = UInt64(try readByte())
        } else {
            // Wasm 2.0 reads the flag as a 1-bit LEB128 ("integer too large" beyond 1).
            if let b = try? peekByte(), b == 4 || b == 5 { throw WasmFeatures.disabled(.memory64, offset: at) }
            flag = try readUnsignedLEB(bits: 1)
        }
        let is64 = flag & 4 != 0
        let isShared = flag & 2 != 0
        // Wasm 3.0 reads every limit as a u64 (the validator bounds 32-bit ones); 2.0 as a u32.
        let wide = features.memory64
        let min = wide ? try readUnsignedLEB(bits: 64) : UInt64(try readU32())
        if flag & 1 == 1 {
            let max = wide ? try readUnsignedLEB(bits: 64) : UInt64(try readU32())
            return (Limits(min: min, max: max), is64, isShared)
        }
        return (Limits(min: min), is64, isShared)
    }

    mutating func readTableType(features: WasmFeatures = WasmFeatures()) throws(DecodeError) -> TableType {
        let typeAt = offset
        let elementType = try readReferenceType()
        try ByteReader.checkFeatures(of: elementType, at: typeAt, features, malformed: "malformed reference type")
        let (limits, is64, _) = try readLimits(features: features)
        return TableType(elementType: elementType, limits: limits, is64: is64)
    }

    /// A tag type: the attribute 0 (an exception), then a function type index.
    mutating func readTagType() throws(DecodeError) -> UInt32 {
        let at = offset
        guard try readByte() == 0 else { throw DecodeError("malformed tag attribute", offset: at) }
        return try readIndex()
    }

    mutating func readMemoryType(features: WasmFeatures = WasmFeatures()) throws(DecodeError) -> MemoryType {
        let (limits, is64, isShared) = try readLimits(features: features, allowsShared: true)
        return MemoryType(limits: limits, is64: is64, isShared: isShared)
    }

    mutating func readGlobalType(features: WasmFeatures = WasmFeatures()) throws(DecodeError) -> GlobalType {
        let valueType = try readValueType(features: features)
        let at = offset
        let m = try readByte()
        guard m <= 1 else { throw DecodeError("malformed mutability", offset: at) }
        return GlobalType(valueType: valueType, isMutable: m == 1)
    }
}
