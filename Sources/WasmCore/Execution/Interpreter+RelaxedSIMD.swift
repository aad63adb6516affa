/// The relaxed SIMD instructions (Wasm 3.0), each with one deterministic choice among the results
/// the spec allows: the one wasmtime gives on x86-64 (SSE4.1, AVX, FMA; `relaxed_simd_deterministic`
/// off), so a program prints the same under both. `docs/relaxed-simd.md` lists the choices.
///
/// Spec: https://webassembly.github.io/spec/core/exec/instructions.html#relaxed-vector-instructions
///
/// | instruction | choice (x86-64 instruction wasmtime uses) |
/// |---|---|
/// | `i8x16.relaxed_swizzle` | `pshufb`: an index with bit 7 set gives 0, any other selects lane `index & 15` |
/// | `i32x4.relaxed_trunc_f32x4_s`, `_f64x2_s_zero` | `cvttps2dq`/`cvttpd2dq`: NaN and out-of-range lanes give `0x8000_0000` |
/// | `i32x4.relaxed_trunc_f32x4_u`, `_f64x2_u_zero` | saturating, as `trunc_sat` (NaN and negatives 0, too large `0xFFFF_FFFF`) |
/// | `f32x4/f64x2.relaxed_madd`, `_nmadd` | fused (`vfmadd`/`vfnmadd`): one rounding |
/// | `i8x16/i32x4/i64x2.relaxed_laneselect` | `pblendvb`/`blendvps`/`blendvpd`: the top bit of each mask lane picks |
/// | `i16x8.relaxed_laneselect` | bitwise select (no 16-bit blend exists) |
/// | `f32x4/f64x2.relaxed_min`, `_max` | `minps`/`maxps` as `pmin`/`pmax`: `b < a ? b : a`, `a < b ? b : a` |
/// | `i16x8.relaxed_q15mulr_s` | `pmulhrsw`: -32768 × -32768 wraps to -32768 (no saturation) |
/// | `i16x8.relaxed_dot_i8x16_i7x16_s` | `pmaddubsw`: the second operand's bytes unsigned, pair sums saturated to i16 |
/// | `i32x4.relaxed_dot_i8x16_i7x16_add_s` | the same, then `pmaddwd` by 1 and add |
extension Interpreter {
    @inline(never)
    static func relaxedSIMD(
        _ sub: Int, d: Int, x: Int, y: Int, z: Int, sp: UnsafeMutablePointer<UInt64>, hp: UnsafeMutablePointer<UInt64>
    ) {
        @inline(__always) func v<T: SIMD>(_ s: Int, _: T.Type) -> T { unsafeBitCast(U64x2(sp[s], hp[s]), to: T.self) }
        @inline(__always) func put<T: SIMD>(_ r: T) {
            let w = unsafeBitCast(r, to: U64x2.self)
            sp[d] = w[0]
            hp[d] = w[1]
        }
        /// Lanes of `mask` whose top bit is set take `a`'s lane, the others `b`'s.
        @inline(__always) func blend<T: SIMD>(_: T.Type) where T.Scalar: FixedWidthInteger & SignedInteger {
            let a = v(x, T.self), b = v(y, T.self), mask = v(z, T.self)
            put(b.replacing(with: a, where: mask .< 0))
        }
        /// `pmaddubsw(y, x)`: y's bytes unsigned, x's signed; adjacent products added with i16 saturation.
        @inline(__always) func pmaddubsw() -> SIMD8<Int16> {
            let a = SIMD16<Int32>(truncatingIfNeeded: v(x, I8x16.self))
            let b = SIMD16<Int32>(truncatingIfNeeded: v(y, U8x16.self))
            let p = a &* b
            var r = SIMD8<Int16>()
            for i in 0..<8 { r[i] = Int16(clamping: p[2 &* i] &+ p[2 &* i &+ 1]) }
            return r
        }
        switch sub {
        case 0x100:  // i8x16.relaxed_swizzle
            let a = v(x, U8x16.self), s = v(y, U8x16.self)
            var r = U8x16()
            for i in 0..<16 { r[i] = s[i] & 0x80 != 0 ? 0 : a[Int(s[i] & 15)] }
            put(r)
        case 0x101:  // i32x4.relaxed_trunc_f32x4_s
            let a = v(x, F32x4.self)
            var r = I32x4()
            for i in 0..<4 { r[i] = cvtt(a[i]) }
            put(r)
        case 0x102:  // i32x4.relaxed_trunc_f32x4_u
            put(truncSat(v(x, F32x4.self), U32x4.self))
        case 0x103:  // i32x4.relaxed_trunc_f64x2_s_zero
            let a = v(x, F64x2.self)
            put(I32x4(cvtt(a[0]), cvtt(a[1]), 0, 0))
        case 0x104:  // i32x4.relaxed_trunc_f64x2_u_zero
            let a = v(x, F64x2.self)
            put(U32x4(Numerics.truncSat(a[0], UInt32.self), Numerics.truncSat(a[1], UInt32.self), 0, 0))
        case 0x105:  // f32x4.relaxed_madd: a * b + c, one rounding
            let a = v(x, F32x4.self), b = v(y, F32x4.self), c = v(z, F32x4.self)
            var r = F32x4()
            for i in 0..<4 { r[i] = c[i].addingProduct(a[i], b[i]) }
            put(r)
        case 0x106:  // f32x4.relaxed_nmadd: -(a * b) + c, one rounding
            let a = v(x, F32x4.self), b = v(y, F32x4.self), c = v(z, F32x4.self)
            var r = F32x4()
            for i in 0..<4 { r[i] = c[i].addingProduct(-a[i], b[i]) }
            put(r)
        case 0x107:  // f64x2.relaxed_madd
            let a = v(x, F64x2.self), b = v(y, F64x2.self), c = v(z, F64x2.self)
            put(F64x2(c[0].addingProduct(a[0], b[0]), c[1].addingProduct(a[1], b[1])))
        case 0x108:  // f64x2.relaxed_nmadd
            let a = v(x, F64x2.self), b = v(y, F64x2.self), c = v(z, F64x2.self)
            put(F64x2(c[0].addingProduct(-a[0], b[0]), c[1].addingProduct(-a[1], b[1])))
        case 0x109: blend(I8x16.self)  // i8x16.relaxed_laneselect
        case 0x10A:  // i16x8.relaxed_laneselect: bitwise
            let a = U64x2(sp[x], hp[x]), b = U64x2(sp[y], hp[y]), m = U64x2(sp[z], hp[z])
            put((a & m) | (b & ~m))
        case 0x10B: blend(I32x4.self)  // i32x4.relaxed_laneselect
        case 0x10C: blend(I64x2.self)  // i64x2.relaxed_laneselect
        case 0x10D:  // f32x4.relaxed_min: pmin
            let a = v(x, F32x4.self), b = v(y, F32x4.self)
            put(a.replacing(with: b, where: b .< a))
        case 0x10E:  // f32x4.relaxed_max: pmax
            let a = v(x, F32x4.self), b = v(y, F32x4.self)
            put(a.replacing(with: b, where: a .< b))
        case 0x10F:  // f64x2.relaxed_min
            let a = v(x, F64x2.self), b = v(y, F64x2.self)
            put(a.replacing(with: b, where: b .< a))
        case 0x110:  // f64x2.relaxed_max
            let a = v(x, F64x2.self), b = v(y, F64x2.self)
            put(a.replacing(with: b, where: a .< b))
        case 0x111:  // i16x8.relaxed_q15mulr_s: pmulhrsw, wrapping
            let a = SIMD8<Int32>(truncatingIfNeeded: v(x, I16x8.self))
            let b = SIMD8<Int32>(truncatingIfNeeded: v(y, I16x8.self))
            put(I16x8(truncatingIfNeeded: (a &* b &+ 0x4000) &>> 15))
        case 0x112:  // i16x8.relaxed_dot_i8x16_i7x16_s
            put(pmaddubsw())
        default:  // 0x113 i32x4.relaxed_dot_i8x16_i7x16_add_s
            let pairs = SIMD8<Int32>(truncatingIfNeeded: pmaddubsw())
            let c = v(z, I32x4.self)
            put(
                I32x4(
                    pairs[0] &+ pairs[1] &+ c[0], pairs[2] &+ pairs[3] &+ c[1], pairs[4] &+ pairs[5] &+ c[2],
                    pairs[6] &+ pairs[7] &+ c[3]))
        }
    }

    /// x86's `cvttss2si`/`cvttsd2si` into 32 bits: truncation, `Int32.min` for NaN and out of range.
    @inline(__always)
    static func cvtt<F: BinaryFloatingPoint>(_ value: F) -> Int32 {
        guard !value.isNaN, value > -2_147_483_649, value < 2_147_483_648 else { return Int32.min }
        return Int32(value.rounded(.towardZero))
    }
}
