/// Numeric operations whose WebAssembly semantics differ from Swift's operators.
///
/// Spec: https://webassembly.github.io/spec/core/exec/numerics.html
enum Numerics {
    /// fmin: NaN if either operand is NaN; -0 is less than +0.
    @inline(__always)
    static func min<F: BinaryFloatingPoint>(_ a: F, _ b: F) -> F {
        if a.isNaN || b.isNaN { return a + b }
        if a == b { return a.sign == .minus ? a : b }
        return a < b ? a : b
    }

    /// fmax: NaN if either operand is NaN; +0 is greater than -0.
    @inline(__always)
    static func max<F: BinaryFloatingPoint>(_ a: F, _ b: F) -> F {
        if a.isNaN || b.isNaN { return a + b }
        if a == b { return a.sign == .minus ? b : a }
        return a > b ? a : b
    }

    /// Saturating truncation (`trunc_sat`): NaN -> 0, out of range -> the nearest bound.
    @inline(__always)
    static func truncSat<F: BinaryFloatingPoint, I: FixedWidthInteger>(_ x: F, _: I.Type) -> I {
        if x.isNaN { return 0 }
        if x <= F(I.min) { return I.min }
        if x >= upperBound(F.self, I.self) { return I.max }
        return I(x.rounded(.towardZero))
    }

    /// The smallest float above the integer range, 2^bitWidth (unsigned) or 2^(bitWidth-1) (signed).
    @inline(__always)
    static func upperBound<F: BinaryFloatingPoint, I: FixedWidthInteger>(_: F.Type, _: I.Type) -> F {
        F(sign: .plus, exponent: F.Exponent(I.isSigned ? I.bitWidth - 1 : I.bitWidth), significand: 1)
    }

    /// Trapping truncation: x must be a number whose integral part fits in I.
    @inline(__always)
    static func trunc<F: BinaryFloatingPoint, I: FixedWidthInteger>(_ x: F, _: I.Type) -> Result<I, TrapReason> {
        if x.isNaN { return .failure(.invalidConversionToInteger) }
        let t = x.rounded(.towardZero)
        if I.isSigned {
            guard t >= F(I.min), t < upperBound(F.self, I.self) else { return .failure(.integerOverflow) }
        } else {
            guard t > -1, t < upperBound(F.self, I.self) else { return .failure(.integerOverflow) }
        }
        return .success(I(t))
    }

    /// The eight trapping `trunc` instructions over a slot.
    static func truncate(_ op: Op, _ slot: UInt64) -> Result<UInt64, TrapReason> {
        let f32 = Float(bitPattern: UInt32(truncatingIfNeeded: slot))
        let f64 = Double(bitPattern: slot)
        switch op {
        case .i32TruncF32S: return trunc(f32, Int32.self).map { UInt64(UInt32(bitPattern: $0)) }
        case .i32TruncF32U: return trunc(f32, UInt32.self).map { UInt64($0) }
        case .i32TruncF64S: return trunc(f64, Int32.self).map { UInt64(UInt32(bitPattern: $0)) }
        case .i32TruncF64U: return trunc(f64, UInt32.self).map { UInt64($0) }
        case .i64TruncF32S: return trunc(f32, Int64.self).map { UInt64(bitPattern: $0) }
        case .i64TruncF32U: return trunc(f32, UInt64.self)
        case .i64TruncF64S: return trunc(f64, Int64.self).map { UInt64(bitPattern: $0) }
        default: return trunc(f64, UInt64.self)
        }
    }
}
