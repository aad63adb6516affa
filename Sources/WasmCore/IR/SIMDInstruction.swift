/// The fixed-width SIMD instructions (0xFD prefix): names and operand signatures.
///
/// Spec: https://webassembly.github.io/spec/core/binary/instructions.html#vector-instructions
/// In the internal code every vector instruction is one `Op.simd` word
/// `simd | dst << 16 | sub << 32 | length << 48` followed by an operand word
/// `x | y << 16 | z << 32 | imm << 48` and `length - 2` extra words (memarg, constant, shuffle lanes).
/// `sub` is a `SIMDOpcode`: the Wasm sub-opcode, or one of the engine's own v128 moves (0x200 and up).
/// The opcodes, their names and signatures are generated from Utilities/simd-ops.txt.
enum SIMDInstruction {
    /// The name of sub-opcode `sub` (internal ones included), for listings.
    static func name(_ sub: Int) -> String {
        SIMDOpcode(rawValue: UInt32(truncatingIfNeeded: sub))?.name ?? "simd.\(sub)"
    }

    /// How the validator types an instruction.
    enum Signature {
        /// v128 -> v128
        case unary
        /// v128 v128 -> v128
        case binary
        /// v128 v128 v128 -> v128
        case ternary
        /// v128 -> i32
        case test
        /// v128 i32 -> v128
        case shift
        /// scalar -> v128
        case splat(ValueType)
        /// v128 -> scalar, lane index immediate below `lanes`
        case extractLane(ValueType, lanes: Int)
        /// v128 scalar -> v128
        case replaceLane(ValueType, lanes: Int)
        /// i32 -> v128 with a memarg of natural alignment 2^`align`
        case load(align: UInt32)
        /// i32 v128 -> (none)
        case store
        /// i32 v128 -> v128 with memarg and lane
        case loadLane(align: UInt32, lanes: Int)
        /// i32 v128 -> (none) with memarg and lane
        case storeLane(align: UInt32, lanes: Int)
        /// 16 immediate bytes -> v128
        case const
        /// v128 v128 -> v128 with 16 lane indices below 32
        case shuffle
    }

    /// The signature of sub-opcode `sub`, or nil when there is no such Wasm instruction.
    static func signature(_ sub: UInt32) -> Signature? { SIMDOpcode(rawValue: sub)?.signature }
}

extension SIMDOpcode {
    /// Matches a sub-opcode field read from an instruction word (`switch sub { case .i8x16Add: ... }`)
    /// with the same comparisons as an integer literal pattern.
    @inline(__always)
    static func ~= (pattern: SIMDOpcode, sub: UInt64) -> Bool { UInt64(pattern.rawValue) == sub }

    @inline(__always)
    static func ~= (pattern: SIMDOpcode, sub: Int) -> Bool { Int(pattern.rawValue) == sub }
}
