/// The instruction words of the internal code, shared by the translator (which encodes them),
/// the interpreter (which reads their fields) and the disassembler.
///
/// An instruction is one word `op | a << 16 | b << 32 | c << 48` (a, b, c: frame slots or other
/// 16-bit fields) or `op | a << 16 | imm32 << 32`, and for some ops more words after it: operand
/// slots, immediates, memory offsets (`offset | addend << 32`) or branch offsets from the first
/// word. `Op.length` says how many words an instruction takes; `Op` documents each one's fields.
/// Vector instructions are `Op.simd` words (see `SIMDInstruction`).
extension Op {
    /// The word `op | a << 16 | b << 32 | c << 48` (each field truncated to 16 bits).
    static func word(_ op: Op, _ a: Int = 0, _ b: Int = 0, _ c: Int = 0) -> UInt64 {
        UInt64(op.rawValue) | UInt64(UInt16(truncatingIfNeeded: a)) << 16 | UInt64(UInt16(truncatingIfNeeded: b)) << 32
            | UInt64(UInt16(truncatingIfNeeded: c)) << 48
    }

    /// The word `op | a << 16 | imm << 32`.
    static func word(_ op: Op, _ a: Int, imm: UInt32) -> UInt64 {
        UInt64(op.rawValue) | UInt64(UInt16(truncatingIfNeeded: a)) << 16 | UInt64(imm) << 32
    }

    /// The first word of a vector instruction (see `SIMDInstruction`).
    static func simdWord(_ sub: SIMDOpcode, dst: Int, length: Int) -> UInt64 {
        UInt64(Op.simd.rawValue) | UInt64(UInt16(truncatingIfNeeded: dst)) << 16 | UInt64(sub.rawValue) << 32
            | UInt64(length) << 48
    }

    /// The operand word of a vector instruction.
    static func simdOperands(_ x: Int, _ y: Int = 0, _ z: Int = 0, imm: Int = 0) -> UInt64 {
        UInt64(UInt16(truncatingIfNeeded: x)) | UInt64(UInt16(truncatingIfNeeded: y)) << 16
            | UInt64(UInt16(truncatingIfNeeded: z)) << 32 | UInt64(UInt16(truncatingIfNeeded: imm)) << 48
    }
}

/// The fields of an instruction word (`op | a << 16 | b << 32 | c << 48`), each read with
/// its own narrow load. Handlers that read their operands this way need no shifts and
/// masks of a loaded word (one `movzwl` per field), and the dispatch loads only the
/// opcode. (Words are little-endian, as every platform the engine runs on.)
extension UnsafeMutablePointer where Pointee == UInt64 {
    @inline(__always) var opcode: UInt16 { UnsafeRawPointer(self).load(as: UInt16.self) }
    /// Bits 16-31: usually the destination slot.
    @inline(__always) var fieldA: Int { Int(UnsafeRawPointer(self).load(fromByteOffset: 2, as: UInt16.self)) }
    /// Bits 32-47: usually the first operand slot.
    @inline(__always) var fieldB: Int { Int(UnsafeRawPointer(self).load(fromByteOffset: 4, as: UInt16.self)) }
    /// Bits 48-63: usually the second operand slot.
    @inline(__always) var fieldC: Int { Int(UnsafeRawPointer(self).load(fromByteOffset: 6, as: UInt16.self)) }
    /// Bits 32-63: an immediate or a branch offset.
    @inline(__always) var immediate32: UInt32 { UnsafeRawPointer(self).load(fromByteOffset: 4, as: UInt32.self) }
}
