/// The fixed-width SIMD instructions (0xFD prefix): names and operand signatures.
///
/// Spec: https://webassembly.github.io/spec/core/binary/instructions.html#vector-instructions
/// In the internal code every vector instruction is one `Op.simd` word
/// `simd | dst << 16 | sub << 32 | length << 48` followed by an operand word
/// `x | y << 16 | z << 32 | imm << 48` and `length - 2` extra words (memarg, constant, shuffle lanes).
/// `sub` is the Wasm sub-opcode, or one of `SIMDInternal`'s for the engine's own v128 moves.
enum SIMDInstruction {
    /// Text-format names by sub-opcode (empty: no such instruction).
    static let names: [String] = [
        "v128.load",
        "v128.load8x8_s",
        "v128.load8x8_u",
        "v128.load16x4_s",
        "v128.load16x4_u",
        "v128.load32x2_s",
        "v128.load32x2_u",
        "v128.load8_splat",
        "v128.load16_splat",
        "v128.load32_splat",
        "v128.load64_splat",
        "v128.store",
        "v128.const",
        "i8x16.shuffle",
        "i8x16.swizzle",
        "i8x16.splat",
        "i16x8.splat",
        "i32x4.splat",
        "i64x2.splat",
        "f32x4.splat",
        "f64x2.splat",
        "i8x16.extract_lane_s",
        "i8x16.extract_lane_u",
        "i8x16.replace_lane",
        "i16x8.extract_lane_s",
        "i16x8.extract_lane_u",
        "i16x8.replace_lane",
        "i32x4.extract_lane",
        "i32x4.replace_lane",
        "i64x2.extract_lane",
        "i64x2.replace_lane",
        "f32x4.extract_lane",
        "f32x4.replace_lane",
        "f64x2.extract_lane",
        "f64x2.replace_lane",
        "i8x16.eq",
        "i8x16.ne",
        "i8x16.lt_s",
        "i8x16.lt_u",
        "i8x16.gt_s",
        "i8x16.gt_u",
        "i8x16.le_s",
        "i8x16.le_u",
        "i8x16.ge_s",
        "i8x16.ge_u",
        "i16x8.eq",
        "i16x8.ne",
        "i16x8.lt_s",
        "i16x8.lt_u",
        "i16x8.gt_s",
        "i16x8.gt_u",
        "i16x8.le_s",
        "i16x8.le_u",
        "i16x8.ge_s",
        "i16x8.ge_u",
        "i32x4.eq",
        "i32x4.ne",
        "i32x4.lt_s",
        "i32x4.lt_u",
        "i32x4.gt_s",
        "i32x4.gt_u",
        "i32x4.le_s",
        "i32x4.le_u",
        "i32x4.ge_s",
        "i32x4.ge_u",
        "f32x4.eq",
        "f32x4.ne",
        "f32x4.lt",
        "f32x4.gt",
        "f32x4.le",
        "f32x4.ge",
        "f64x2.eq",
        "f64x2.ne",
        "f64x2.lt",
        "f64x2.gt",
        "f64x2.le",
        "f64x2.ge",
        "v128.not",
        "v128.and",
        "v128.andnot",
        "v128.or",
        "v128.xor",
        "v128.bitselect",
        "v128.any_true",
        "v128.load8_lane",
        "v128.load16_lane",
        "v128.load32_lane",
        "v128.load64_lane",
        "v128.store8_lane",
        "v128.store16_lane",
        "v128.store32_lane",
        "v128.store64_lane",
        "v128.load32_zero",
        "v128.load64_zero",
        "f32x4.demote_f64x2_zero",
        "f64x2.promote_low_f32x4",
        "i8x16.abs",
        "i8x16.neg",
        "i8x16.popcnt",
        "i8x16.all_true",
        "i8x16.bitmask",
        "i8x16.narrow_i16x8_s",
        "i8x16.narrow_i16x8_u",
        "f32x4.ceil",
        "f32x4.floor",
        "f32x4.trunc",
        "f32x4.nearest",
        "i8x16.shl",
        "i8x16.shr_s",
        "i8x16.shr_u",
        "i8x16.add",
        "i8x16.add_sat_s",
        "i8x16.add_sat_u",
        "i8x16.sub",
        "i8x16.sub_sat_s",
        "i8x16.sub_sat_u",
        "f64x2.ceil",
        "f64x2.floor",
        "i8x16.min_s",
        "i8x16.min_u",
        "i8x16.max_s",
        "i8x16.max_u",
        "f64x2.trunc",
        "i8x16.avgr_u",
        "i16x8.extadd_pairwise_i8x16_s",
        "i16x8.extadd_pairwise_i8x16_u",
        "i32x4.extadd_pairwise_i16x8_s",
        "i32x4.extadd_pairwise_i16x8_u",
        "i16x8.abs",
        "i16x8.neg",
        "i16x8.q15mulr_sat_s",
        "i16x8.all_true",
        "i16x8.bitmask",
        "i16x8.narrow_i32x4_s",
        "i16x8.narrow_i32x4_u",
        "i16x8.extend_low_i8x16_s",
        "i16x8.extend_high_i8x16_s",
        "i16x8.extend_low_i8x16_u",
        "i16x8.extend_high_i8x16_u",
        "i16x8.shl",
        "i16x8.shr_s",
        "i16x8.shr_u",
        "i16x8.add",
        "i16x8.add_sat_s",
        "i16x8.add_sat_u",
        "i16x8.sub",
        "i16x8.sub_sat_s",
        "i16x8.sub_sat_u",
        "f64x2.nearest",
        "i16x8.mul",
        "i16x8.min_s",
        "i16x8.min_u",
        "i16x8.max_s",
        "i16x8.max_u",
        "",
        "i16x8.avgr_u",
        "i16x8.extmul_low_i8x16_s",
        "i16x8.extmul_high_i8x16_s",
        "i16x8.extmul_low_i8x16_u",
        "i16x8.extmul_high_i8x16_u",
        "i32x4.abs",
        "i32x4.neg",
        "",
        "i32x4.all_true",
        "i32x4.bitmask",
        "",
        "",
        "i32x4.extend_low_i16x8_s",
        "i32x4.extend_high_i16x8_s",
        "i32x4.extend_low_i16x8_u",
        "i32x4.extend_high_i16x8_u",
        "i32x4.shl",
        "i32x4.shr_s",
        "i32x4.shr_u",
        "i32x4.add",
        "",
        "",
        "i32x4.sub",
        "",
        "",
        "",
        "i32x4.mul",
        "i32x4.min_s",
        "i32x4.min_u",
        "i32x4.max_s",
        "i32x4.max_u",
        "i32x4.dot_i16x8_s",
        "",
        "i32x4.extmul_low_i16x8_s",
        "i32x4.extmul_high_i16x8_s",
        "i32x4.extmul_low_i16x8_u",
        "i32x4.extmul_high_i16x8_u",
        "i64x2.abs",
        "i64x2.neg",
        "",
        "i64x2.all_true",
        "i64x2.bitmask",
        "",
        "",
        "i64x2.extend_low_i32x4_s",
        "i64x2.extend_high_i32x4_s",
        "i64x2.extend_low_i32x4_u",
        "i64x2.extend_high_i32x4_u",
        "i64x2.shl",
        "i64x2.shr_s",
        "i64x2.shr_u",
        "i64x2.add",
        "",
        "",
        "i64x2.sub",
        "",
        "",
        "",
        "i64x2.mul",
        "i64x2.eq",
        "i64x2.ne",
        "i64x2.lt_s",
        "i64x2.gt_s",
        "i64x2.le_s",
        "i64x2.ge_s",
        "i64x2.extmul_low_i32x4_s",
        "i64x2.extmul_high_i32x4_s",
        "i64x2.extmul_low_i32x4_u",
        "i64x2.extmul_high_i32x4_u",
        "f32x4.abs",
        "f32x4.neg",
        "",
        "f32x4.sqrt",
        "f32x4.add",
        "f32x4.sub",
        "f32x4.mul",
        "f32x4.div",
        "f32x4.min",
        "f32x4.max",
        "f32x4.pmin",
        "f32x4.pmax",
        "f64x2.abs",
        "f64x2.neg",
        "",
        "f64x2.sqrt",
        "f64x2.add",
        "f64x2.sub",
        "f64x2.mul",
        "f64x2.div",
        "f64x2.min",
        "f64x2.max",
        "f64x2.pmin",
        "f64x2.pmax",
        "i32x4.trunc_sat_f32x4_s",
        "i32x4.trunc_sat_f32x4_u",
        "f32x4.convert_i32x4_s",
        "f32x4.convert_i32x4_u",
        "i32x4.trunc_sat_f64x2_s_zero",
        "i32x4.trunc_sat_f64x2_u_zero",
        "f64x2.convert_low_i32x4_s",
        "f64x2.convert_low_i32x4_u",
    ]

    /// The name of sub-opcode `sub` (internal ones included), for listings.
    static func name(_ sub: Int) -> String {
        if sub < names.count, !names[sub].isEmpty { return names[sub] }
        switch sub {
        case SIMDInternal.copy: return "v128.copy"
        case SIMDInternal.zero: return "v128.zero"
        case SIMDInternal.globalGet: return "v128.global.get"
        case SIMDInternal.globalSet: return "v128.global.set"
        case SIMDInternal.select: return "v128.select"
        case SIMDInternal.copyHighs: return "v128.copy_highs"
        default: return "simd.\(sub)"
        }
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

    /// The signature of sub-opcode `sub`, or nil when there is no such instruction.
    static func signature(_ sub: UInt32) -> Signature? {
        guard sub < 256, !names[Int(sub)].isEmpty else { return nil }
        switch sub {
        case 0: return .load(align: 4)
        case 1...6: return .load(align: 3)
        case 7: return .load(align: 0)
        case 8: return .load(align: 1)
        case 9: return .load(align: 2)
        case 10: return .load(align: 3)
        case 11: return .store
        case 12: return .const
        case 13: return .shuffle
        case 15, 16, 17: return .splat(.i32)
        case 18: return .splat(.i64)
        case 19: return .splat(.f32)
        case 20: return .splat(.f64)
        case 21, 22: return .extractLane(.i32, lanes: 16)
        case 23: return .replaceLane(.i32, lanes: 16)
        case 24, 25: return .extractLane(.i32, lanes: 8)
        case 26: return .replaceLane(.i32, lanes: 8)
        case 27: return .extractLane(.i32, lanes: 4)
        case 28: return .replaceLane(.i32, lanes: 4)
        case 29: return .extractLane(.i64, lanes: 2)
        case 30: return .replaceLane(.i64, lanes: 2)
        case 31: return .extractLane(.f32, lanes: 4)
        case 32: return .replaceLane(.f32, lanes: 4)
        case 33: return .extractLane(.f64, lanes: 2)
        case 34: return .replaceLane(.f64, lanes: 2)
        case 82: return .ternary
        case 83, 99, 100, 131, 132, 163, 164, 195, 196: return .test
        case 84: return .loadLane(align: 0, lanes: 16)
        case 85: return .loadLane(align: 1, lanes: 8)
        case 86: return .loadLane(align: 2, lanes: 4)
        case 87: return .loadLane(align: 3, lanes: 2)
        case 88: return .storeLane(align: 0, lanes: 16)
        case 89: return .storeLane(align: 1, lanes: 8)
        case 90: return .storeLane(align: 2, lanes: 4)
        case 91: return .storeLane(align: 3, lanes: 2)
        case 92: return .load(align: 2)
        case 93: return .load(align: 3)
        case 107, 108, 109, 139, 140, 141, 171, 172, 173, 203, 204, 205: return .shift
        case 77, 94, 95, 96, 97, 98, 103...106, 116, 117, 122, 124...129, 135...138, 148, 160, 161, 167...170, 192, 193,
            199...202, 224, 225, 227, 236, 237, 239, 248...255:
            return .unary
        default: return .binary
        }
    }
}

/// Sub-opcodes of the engine's own v128 instructions (above the Wasm ones).
enum SIMDInternal {
    /// dst = x (both halves).
    static let copy = 0x100
    /// dst = 0 (a declared v128 local at function entry).
    static let zero = 0x101
    /// dst = global `imm32` (extra word).
    static let globalGet = 0x102
    /// global `imm32` (extra word) = x.
    static let globalSet = 0x103
    /// dst = z != 0 ? x : y.
    static let select = 0x104
    /// The high halves of `imm` slots from x move to slot 0 (before a multi-value return).
    static let copyHighs = 0x105
}
