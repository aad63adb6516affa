/// The vector instructions: one out-of-line handler for every `Op.simd` word, so
/// the scalar loop stays small. Lanes are computed with Swift's SIMD types.
///
/// Spec: https://webassembly.github.io/spec/core/exec/instructions.html#vector-instructions
/// A v128 in slot `s` has its low half in `sp[s]` and its high half in `sp[s + shadow]`.
extension Interpreter {
    typealias I8x16 = SIMD16<Int8>
    typealias U8x16 = SIMD16<UInt8>
    typealias I16x8 = SIMD8<Int16>
    typealias U16x8 = SIMD8<UInt16>
    typealias I32x4 = SIMD4<Int32>
    typealias U32x4 = SIMD4<UInt32>
    typealias I64x2 = SIMD2<Int64>
    typealias U64x2 = SIMD2<UInt64>
    typealias F32x4 = SIMD4<Float>
    typealias F64x2 = SIMD2<Double>

    /// Runs the vector instruction at `pc` (first word `w`); returns a trap, if any.
    /// The most common instructions are here, in a function small enough for a cheap
    /// call; the rest are in `simdGeneral`.
    @inline(never)
    static func simdOperation(
        _ w: UInt64, pc: UnsafeMutablePointer<UInt64>, sp: UnsafeMutablePointer<UInt64>, shadow: Int,
        instance: UnsafeMutablePointer<InstanceEntity>, memory: UnsafeMutablePointer<MemoryEntity>
    ) -> TrapReason? {
        let d = Int(truncatingIfNeeded: (w &>> 16) & 0xFFFF)
        let operands = pc[1]
        let x = Int(truncatingIfNeeded: operands & 0xFFFF)
        let y = Int(truncatingIfNeeded: (operands &>> 16) & 0xFFFF)
        let hp = sp + shadow
        @inline(__always) func vector(_ s: Int) -> U64x2 { U64x2(sp[s], hp[s]) }
        @inline(__always) func put(_ r: U64x2) {
            sp[d] = r[0]
            hp[d] = r[1]
        }
        @inline(__always) func binary<T: SIMD>(_: T.Type, _ f: (T, T) -> T) {
            put(
                unsafeBitCast(
                    f(unsafeBitCast(vector(x), to: T.self), unsafeBitCast(vector(y), to: T.self)), to: U64x2.self))
        }
        @inline(__always) func compare<T: SIMD, M: SIMD>(_: T.Type, _ f: (T, T) -> SIMDMask<M>)
        where M.Scalar: FixedWidthInteger & SignedInteger, M.MaskStorage == M {
            let mask = f(unsafeBitCast(vector(x), to: T.self), unsafeBitCast(vector(y), to: T.self))
            put(unsafeBitCast(M(repeating: 0).replacing(with: -1, where: mask), to: U64x2.self))
        }
        /// A 32-bit lane shift by the i32 operand modulo 32.
        @inline(__always) func shift<T: SIMD>(_: T.Type, _ f: (T, T.Scalar) -> T) where T.Scalar: FixedWidthInteger {
            let count = T.Scalar(truncatingIfNeeded: UInt32(truncatingIfNeeded: sp[y]) & 31)
            put(unsafeBitCast(f(unsafeBitCast(vector(x), to: T.self), count), to: U64x2.self))
        }
        @inline(__always) func access(_ bytes: UInt64) -> UnsafeMutableRawPointer? {
            let address = Interpreter.effectiveAddress(sp[x], pc[2])
            guard address &+ bytes <= UInt64(memory.pointee.byteCount) else { return nil }
            return memory.pointee.base + Int(truncatingIfNeeded: address)
        }
        switch (w &>> 32) & 0xFFFF {
        case 0:
            guard let p = access(16) else { return .outOfBoundsMemoryAccess }
            put(U64x2(p.unalignedUInt64, (p + 8).unalignedUInt64))
        case 11:
            guard let p = access(16) else { return .outOfBoundsMemoryAccess }
            p.storeUnaligned(sp[y])
            (p + 8).storeUnaligned(hp[y])
        case 12: put(U64x2(pc[2], pc[3]))
        case 92:
            guard let p = access(4) else { return .outOfBoundsMemoryAccess }
            put(U64x2(UInt64(p.unalignedUInt32), 0))
        case 93:
            guard let p = access(8) else { return .outOfBoundsMemoryAccess }
            put(U64x2(p.unalignedUInt64, 0))
        case 78: binary(U64x2.self) { $0 & $1 }
        case 80: binary(U64x2.self) { $0 | $1 }
        case 81: binary(U64x2.self) { $0 ^ $1 }
        case 110: binary(U8x16.self) { $0 &+ $1 }
        case 113: binary(U8x16.self) { $0 &- $1 }
        case 142: binary(U16x8.self) { $0 &+ $1 }
        case 145: binary(U16x8.self) { $0 &- $1 }
        case 149: binary(U16x8.self) { $0 &* $1 }
        case 174: binary(U32x4.self) { $0 &+ $1 }
        case 177: binary(U32x4.self) { $0 &- $1 }
        case 181: binary(U32x4.self) { $0 &* $1 }
        case 206: binary(U64x2.self) { $0 &+ $1 }
        case 209: binary(U64x2.self) { $0 &- $1 }
        case 228: binary(F32x4.self) { $0 + $1 }
        case 229: binary(F32x4.self) { $0 - $1 }
        case 230: binary(F32x4.self) { $0 * $1 }
        case 240: binary(F64x2.self) { $0 + $1 }
        case 241: binary(F64x2.self) { $0 - $1 }
        case 242: binary(F64x2.self) { $0 * $1 }
        case 15: put(unsafeBitCast(U8x16(repeating: UInt8(truncatingIfNeeded: sp[x])), to: U64x2.self))
        case 16: put(unsafeBitCast(U16x8(repeating: UInt16(truncatingIfNeeded: sp[x])), to: U64x2.self))
        case 17, 19: put(unsafeBitCast(U32x4(repeating: UInt32(truncatingIfNeeded: sp[x])), to: U64x2.self))
        case 18, 20: put(U64x2(repeating: sp[x]))
        case 27, 31: sp[d] = UInt64(unsafeBitCast(vector(x), to: U32x4.self)[Int(truncatingIfNeeded: operands &>> 48)])
        case 29, 33: sp[d] = vector(x)[Int(truncatingIfNeeded: operands &>> 48)]
        case 77: put(~vector(x))
        case 79: binary(U64x2.self) { $0 & ~$1 }
        case 82:
            let c = vector(Int(truncatingIfNeeded: (operands &>> 32) & 0xFFFF))
            put((vector(x) & c) | (vector(y) & ~c))
        case 83: sp[d] = sp[x] | hp[x] != 0 ? 1 : 0
        case 55: compare(I32x4.self) { $0 .== $1 }
        case 56: compare(I32x4.self) { $0 .!= $1 }
        case 57: compare(I32x4.self) { $0 .< $1 }
        case 58: compare(U32x4.self) { $0 .< $1 }
        case 59: compare(I32x4.self) { $0 .> $1 }
        case 60: compare(U32x4.self) { $0 .> $1 }
        case 67: compare(F32x4.self) { $0 .< $1 }
        case 68: compare(F32x4.self) { $0 .> $1 }
        case 171: shift(U32x4.self) { $0 &<< $1 }
        case 172: shift(I32x4.self) { $0 &>> $1 }
        case 173: shift(U32x4.self) { $0 &>> $1 }
        case 182: binary(I32x4.self) { pointwiseMin($0, $1) }
        case 183: binary(U32x4.self) { pointwiseMin($0, $1) }
        case 184: binary(I32x4.self) { pointwiseMax($0, $1) }
        case 185: binary(U32x4.self) { pointwiseMax($0, $1) }
        case 231: binary(F32x4.self) { $0 / $1 }
        case 243: binary(F64x2.self) { $0 / $1 }
        case 0x104:  // SIMDInternal.select
            let z = Int(truncatingIfNeeded: (operands &>> 32) & 0xFFFF)
            put(UInt32(truncatingIfNeeded: sp[z]) != 0 ? vector(x) : vector(y))
        case 0x100: put(vector(x))  // SIMDInternal.copy
        case 0x101: put(U64x2())  // SIMDInternal.zero
        default: return simdGeneral(w, pc: pc, sp: sp, shadow: shadow, instance: instance, memory: memory)
        }
        return nil
    }

    /// Every vector instruction (see `simdOperation` for the common ones).
    @inline(never)
    static func simdGeneral(
        _ w: UInt64, pc: UnsafeMutablePointer<UInt64>, sp: UnsafeMutablePointer<UInt64>, shadow: Int,
        instance: UnsafeMutablePointer<InstanceEntity>, memory: UnsafeMutablePointer<MemoryEntity>
    ) -> TrapReason? {
        let d = Int(truncatingIfNeeded: (w &>> 16) & 0xFFFF)
        let sub = Int(truncatingIfNeeded: (w &>> 32) & 0xFFFF)
        let operands = pc[1]
        let x = Int(truncatingIfNeeded: operands & 0xFFFF)
        let y = Int(truncatingIfNeeded: (operands &>> 16) & 0xFFFF)
        let z = Int(truncatingIfNeeded: (operands &>> 32) & 0xFFFF)
        let lane = Int(truncatingIfNeeded: operands &>> 48)

        // High halves: the shadow slots.
        let hp = sp + shadow

        @inline(__always) func vector(_ s: Int) -> U64x2 { U64x2(sp[s], hp[s]) }
        @inline(__always) func v<T: SIMD>(_ s: Int, _: T.Type) -> T { unsafeBitCast(vector(s), to: T.self) }
        @inline(__always) func put(_ r: U64x2) {
            sp[d] = r[0]
            hp[d] = r[1]
        }
        @inline(__always) func put<T: SIMD>(_ r: T) { put(unsafeBitCast(r, to: U64x2.self)) }
        @inline(__always) func unary<T: SIMD>(_: T.Type, _ f: (T) -> T) { put(f(v(x, T.self))) }
        @inline(__always) func binary<T: SIMD>(_: T.Type, _ f: (T, T) -> T) { put(f(v(x, T.self), v(y, T.self))) }
        @inline(__always) func compare<T: SIMD, M: SIMD>(_: T.Type, _ f: (T, T) -> SIMDMask<M>)
        where M.Scalar: FixedWidthInteger & SignedInteger, M.MaskStorage == M {
            put(M(repeating: 0).replacing(with: -1, where: f(v(x, T.self), v(y, T.self))))
        }
        @inline(__always) func shiftCount(_ bits: Int) -> Int { Int(UInt32(truncatingIfNeeded: sp[y])) & (bits - 1) }
        /// The accessed bytes at the effective address, or nil when out of bounds.
        @inline(__always) func access(_ bytes: UInt64) -> UnsafeMutableRawPointer? {
            let address = Interpreter.effectiveAddress(sp[x], pc[2])
            guard address &+ bytes <= UInt64(memory.pointee.byteCount) else { return nil }
            return memory.pointee.base + Int(truncatingIfNeeded: address)
        }

        switch sub {
        // Memory.
        case 0:
            guard let p = access(16) else { return .outOfBoundsMemoryAccess }
            put(U64x2(p.unalignedUInt64, (p + 8).unalignedUInt64))
        case 1:
            guard let p = access(8) else { return .outOfBoundsMemoryAccess }
            put(I16x8(truncatingIfNeeded: unsafeBitCast(p.unalignedUInt64, to: SIMD8<Int8>.self)))
        case 2:
            guard let p = access(8) else { return .outOfBoundsMemoryAccess }
            put(U16x8(truncatingIfNeeded: unsafeBitCast(p.unalignedUInt64, to: SIMD8<UInt8>.self)))
        case 3:
            guard let p = access(8) else { return .outOfBoundsMemoryAccess }
            put(I32x4(truncatingIfNeeded: unsafeBitCast(p.unalignedUInt64, to: SIMD4<Int16>.self)))
        case 4:
            guard let p = access(8) else { return .outOfBoundsMemoryAccess }
            put(U32x4(truncatingIfNeeded: unsafeBitCast(p.unalignedUInt64, to: SIMD4<UInt16>.self)))
        case 5:
            guard let p = access(8) else { return .outOfBoundsMemoryAccess }
            put(I64x2(truncatingIfNeeded: unsafeBitCast(p.unalignedUInt64, to: SIMD2<Int32>.self)))
        case 6:
            guard let p = access(8) else { return .outOfBoundsMemoryAccess }
            put(U64x2(truncatingIfNeeded: unsafeBitCast(p.unalignedUInt64, to: SIMD2<UInt32>.self)))
        case 7:
            guard let p = access(1) else { return .outOfBoundsMemoryAccess }
            put(U8x16(repeating: p.byteUInt8))
        case 8:
            guard let p = access(2) else { return .outOfBoundsMemoryAccess }
            put(U16x8(repeating: p.unalignedUInt16))
        case 9:
            guard let p = access(4) else { return .outOfBoundsMemoryAccess }
            put(U32x4(repeating: p.unalignedUInt32))
        case 10:
            guard let p = access(8) else { return .outOfBoundsMemoryAccess }
            put(U64x2(repeating: p.unalignedUInt64))
        case 11:
            guard let p = access(16) else { return .outOfBoundsMemoryAccess }
            p.storeUnaligned(sp[y])
            (p + 8).storeUnaligned(hp[y])
        case 84:
            guard let p = access(1) else { return .outOfBoundsMemoryAccess }
            var r = v(y, U8x16.self)
            r[lane] = p.byteUInt8
            put(r)
        case 85:
            guard let p = access(2) else { return .outOfBoundsMemoryAccess }
            var r = v(y, U16x8.self)
            r[lane] = p.unalignedUInt16
            put(r)
        case 86:
            guard let p = access(4) else { return .outOfBoundsMemoryAccess }
            var r = v(y, U32x4.self)
            r[lane] = p.unalignedUInt32
            put(r)
        case 87:
            guard let p = access(8) else { return .outOfBoundsMemoryAccess }
            var r = vector(y)
            r[lane] = p.unalignedUInt64
            put(r)
        case 88:
            guard let p = access(1) else { return .outOfBoundsMemoryAccess }
            p.storeUnaligned(v(y, U8x16.self)[lane])
        case 89:
            guard let p = access(2) else { return .outOfBoundsMemoryAccess }
            p.storeUnaligned(v(y, U16x8.self)[lane])
        case 90:
            guard let p = access(4) else { return .outOfBoundsMemoryAccess }
            p.storeUnaligned(v(y, U32x4.self)[lane])
        case 91:
            guard let p = access(8) else { return .outOfBoundsMemoryAccess }
            p.storeUnaligned(vector(y)[lane])
        case 92:
            guard let p = access(4) else { return .outOfBoundsMemoryAccess }
            put(U64x2(UInt64(p.unalignedUInt32), 0))
        case 93:
            guard let p = access(8) else { return .outOfBoundsMemoryAccess }
            put(U64x2(p.unalignedUInt64, 0))

        // Constants, shuffles, splats and lanes.
        case 12: put(U64x2(pc[2], pc[3]))
        case 13: put(shuffle(vector(x), vector(y), UnsafeRawPointer(pc + 2).assumingMemoryBound(to: UInt8.self)))
        case 14: put(swizzle(vector(x), vector(y)))
        case 15: put(U8x16(repeating: UInt8(truncatingIfNeeded: sp[x])))
        case 16: put(U16x8(repeating: UInt16(truncatingIfNeeded: sp[x])))
        case 17, 19: put(U32x4(repeating: UInt32(truncatingIfNeeded: sp[x])))
        case 18, 20: put(U64x2(repeating: sp[x]))
        case 21: sp[d] = UInt64(UInt32(bitPattern: Int32(v(x, I8x16.self)[lane])))
        case 22: sp[d] = UInt64(v(x, U8x16.self)[lane])
        case 23:
            var r = v(x, U8x16.self)
            r[lane] = UInt8(truncatingIfNeeded: sp[y])
            put(r)
        case 24: sp[d] = UInt64(UInt32(bitPattern: Int32(v(x, I16x8.self)[lane])))
        case 25: sp[d] = UInt64(v(x, U16x8.self)[lane])
        case 26:
            var r = v(x, U16x8.self)
            r[lane] = UInt16(truncatingIfNeeded: sp[y])
            put(r)
        case 27, 31: sp[d] = UInt64(v(x, U32x4.self)[lane])
        case 28, 32:
            var r = v(x, U32x4.self)
            r[lane] = UInt32(truncatingIfNeeded: sp[y])
            put(r)
        case 29, 33: sp[d] = vector(x)[lane]
        case 30, 34:
            var r = vector(x)
            r[lane] = sp[y]
            put(r)

        // Comparisons.
        case 35: compare(I8x16.self) { $0 .== $1 }
        case 36: compare(I8x16.self) { $0 .!= $1 }
        case 37: compare(I8x16.self) { $0 .< $1 }
        case 38: compare(U8x16.self) { $0 .< $1 }
        case 39: compare(I8x16.self) { $0 .> $1 }
        case 40: compare(U8x16.self) { $0 .> $1 }
        case 41: compare(I8x16.self) { $0 .<= $1 }
        case 42: compare(U8x16.self) { $0 .<= $1 }
        case 43: compare(I8x16.self) { $0 .>= $1 }
        case 44: compare(U8x16.self) { $0 .>= $1 }
        case 45: compare(I16x8.self) { $0 .== $1 }
        case 46: compare(I16x8.self) { $0 .!= $1 }
        case 47: compare(I16x8.self) { $0 .< $1 }
        case 48: compare(U16x8.self) { $0 .< $1 }
        case 49: compare(I16x8.self) { $0 .> $1 }
        case 50: compare(U16x8.self) { $0 .> $1 }
        case 51: compare(I16x8.self) { $0 .<= $1 }
        case 52: compare(U16x8.self) { $0 .<= $1 }
        case 53: compare(I16x8.self) { $0 .>= $1 }
        case 54: compare(U16x8.self) { $0 .>= $1 }
        case 55: compare(I32x4.self) { $0 .== $1 }
        case 56: compare(I32x4.self) { $0 .!= $1 }
        case 57: compare(I32x4.self) { $0 .< $1 }
        case 58: compare(U32x4.self) { $0 .< $1 }
        case 59: compare(I32x4.self) { $0 .> $1 }
        case 60: compare(U32x4.self) { $0 .> $1 }
        case 61: compare(I32x4.self) { $0 .<= $1 }
        case 62: compare(U32x4.self) { $0 .<= $1 }
        case 63: compare(I32x4.self) { $0 .>= $1 }
        case 64: compare(U32x4.self) { $0 .>= $1 }
        case 65: compare(F32x4.self) { $0 .== $1 }
        case 66: compare(F32x4.self) { $0 .!= $1 }
        case 67: compare(F32x4.self) { $0 .< $1 }
        case 68: compare(F32x4.self) { $0 .> $1 }
        case 69: compare(F32x4.self) { $0 .<= $1 }
        case 70: compare(F32x4.self) { $0 .>= $1 }
        case 71: compare(F64x2.self) { $0 .== $1 }
        case 72: compare(F64x2.self) { $0 .!= $1 }
        case 73: compare(F64x2.self) { $0 .< $1 }
        case 74: compare(F64x2.self) { $0 .> $1 }
        case 75: compare(F64x2.self) { $0 .<= $1 }
        case 76: compare(F64x2.self) { $0 .>= $1 }
        case 214: compare(I64x2.self) { $0 .== $1 }
        case 215: compare(I64x2.self) { $0 .!= $1 }
        case 216: compare(I64x2.self) { $0 .< $1 }
        case 217: compare(I64x2.self) { $0 .> $1 }
        case 218: compare(I64x2.self) { $0 .<= $1 }
        case 219: compare(I64x2.self) { $0 .>= $1 }

        // Bitwise.
        case 77: unary(U64x2.self) { ~$0 }
        case 78: binary(U64x2.self) { $0 & $1 }
        case 79: binary(U64x2.self) { $0 & ~$1 }
        case 80: binary(U64x2.self) { $0 | $1 }
        case 81: binary(U64x2.self) { $0 ^ $1 }
        case 82:
            let c = vector(z)
            put((vector(x) & c) | (vector(y) & ~c))
        case 83: sp[d] = sp[x] | hp[x] != 0 ? 1 : 0

        // Conversions between float shapes.
        case 94:
            let a = v(x, F64x2.self)
            put(F32x4(Float(a[0]), Float(a[1]), 0, 0))
        case 95:
            let a = v(x, F32x4.self)
            put(F64x2(Double(a[0]), Double(a[1])))

        // i8x16.
        case 96: unary(I8x16.self) { $0.replacing(with: 0 &- $0, where: $0 .< 0) }
        case 97: unary(I8x16.self) { 0 &- $0 }
        case 98:
            let a = vector(x)
            put(U64x2(popcountBytes(a[0]), popcountBytes(a[1])))
        case 99: sp[d] = all(v(x, U8x16.self) .!= 0) ? 1 : 0
        case 100: sp[d] = bitmask(v(x, I8x16.self))
        case 101: put(I8x16(lowHalf: SIMD8(clamping: v(x, I16x8.self)), highHalf: SIMD8(clamping: v(y, I16x8.self))))
        case 102: put(U8x16(lowHalf: SIMD8(clamping: v(x, I16x8.self)), highHalf: SIMD8(clamping: v(y, I16x8.self))))
        case 107: put(v(x, I8x16.self) &<< Int8(shiftCount(8)))
        case 108: put(v(x, I8x16.self) &>> Int8(shiftCount(8)))
        case 109: put(v(x, U8x16.self) &>> UInt8(shiftCount(8)))
        case 110: binary(U8x16.self) { $0 &+ $1 }
        case 111:
            put(
                I8x16(
                    clamping: SIMD16<Int16>(truncatingIfNeeded: v(x, I8x16.self))
                        &+ SIMD16<Int16>(truncatingIfNeeded: v(y, I8x16.self))))
        case 112: binary(U8x16.self) { a, b in (a &+ b).replacing(with: .max, where: (a &+ b) .< a) }
        case 113: binary(U8x16.self) { $0 &- $1 }
        case 114:
            put(
                I8x16(
                    clamping: SIMD16<Int16>(truncatingIfNeeded: v(x, I8x16.self))
                        &- SIMD16<Int16>(truncatingIfNeeded: v(y, I8x16.self))))
        case 115: binary(U8x16.self) { a, b in (a &- b).replacing(with: 0, where: a .< b) }
        case 118: binary(I8x16.self) { pointwiseMin($0, $1) }
        case 119: binary(U8x16.self) { pointwiseMin($0, $1) }
        case 120: binary(I8x16.self) { pointwiseMax($0, $1) }
        case 121: binary(U8x16.self) { pointwiseMax($0, $1) }
        case 123: put(average(v(x, U8x16.self), v(y, U8x16.self), wide: U16x8.self))

        // Float rounding.
        case 103: unary(F32x4.self) { $0.rounded(.up) }
        case 104: unary(F32x4.self) { $0.rounded(.down) }
        case 105: unary(F32x4.self) { $0.rounded(.towardZero) }
        case 106: unary(F32x4.self) { $0.rounded(.toNearestOrEven) }
        case 116: unary(F64x2.self) { $0.rounded(.up) }
        case 117: unary(F64x2.self) { $0.rounded(.down) }
        case 122: unary(F64x2.self) { $0.rounded(.towardZero) }
        case 148: unary(F64x2.self) { $0.rounded(.toNearestOrEven) }

        // Pairwise additions.
        case 124: put(pairwiseSum(v(x, I8x16.self), I16x8.self))
        case 125: put(pairwiseSum(v(x, U8x16.self), I16x8.self))
        case 126: put(pairwiseSum(v(x, I16x8.self), I32x4.self))
        case 127: put(pairwiseSum(v(x, U16x8.self), I32x4.self))

        // i16x8.
        case 128: unary(I16x8.self) { $0.replacing(with: 0 &- $0, where: $0 .< 0) }
        case 129: unary(I16x8.self) { 0 &- $0 }
        case 130:
            let a = SIMD8<Int32>(truncatingIfNeeded: v(x, I16x8.self))
            let b = SIMD8<Int32>(truncatingIfNeeded: v(y, I16x8.self))
            put(I16x8(clamping: (a &* b &+ 0x4000) &>> 15))
        case 131: sp[d] = all(v(x, U16x8.self) .!= 0) ? 1 : 0
        case 132: sp[d] = bitmask(v(x, I16x8.self))
        case 133: put(I16x8(lowHalf: SIMD4(clamping: v(x, I32x4.self)), highHalf: SIMD4(clamping: v(y, I32x4.self))))
        case 134: put(U16x8(lowHalf: SIMD4(clamping: v(x, I32x4.self)), highHalf: SIMD4(clamping: v(y, I32x4.self))))
        case 135: put(I16x8(truncatingIfNeeded: v(x, I8x16.self).lowHalf))
        case 136: put(I16x8(truncatingIfNeeded: v(x, I8x16.self).highHalf))
        case 137: put(U16x8(truncatingIfNeeded: v(x, U8x16.self).lowHalf))
        case 138: put(U16x8(truncatingIfNeeded: v(x, U8x16.self).highHalf))
        case 139: put(v(x, I16x8.self) &<< Int16(shiftCount(16)))
        case 140: put(v(x, I16x8.self) &>> Int16(shiftCount(16)))
        case 141: put(v(x, U16x8.self) &>> UInt16(shiftCount(16)))
        case 142: binary(U16x8.self) { $0 &+ $1 }
        case 143:
            put(
                I16x8(
                    clamping: SIMD8<Int32>(truncatingIfNeeded: v(x, I16x8.self))
                        &+ SIMD8<Int32>(truncatingIfNeeded: v(y, I16x8.self))))
        case 144: binary(U16x8.self) { a, b in (a &+ b).replacing(with: .max, where: (a &+ b) .< a) }
        case 145: binary(U16x8.self) { $0 &- $1 }
        case 146:
            put(
                I16x8(
                    clamping: SIMD8<Int32>(truncatingIfNeeded: v(x, I16x8.self))
                        &- SIMD8<Int32>(truncatingIfNeeded: v(y, I16x8.self))))
        case 147: binary(U16x8.self) { a, b in (a &- b).replacing(with: 0, where: a .< b) }
        case 149: binary(U16x8.self) { $0 &* $1 }
        case 150: binary(I16x8.self) { pointwiseMin($0, $1) }
        case 151: binary(U16x8.self) { pointwiseMin($0, $1) }
        case 152: binary(I16x8.self) { pointwiseMax($0, $1) }
        case 153: binary(U16x8.self) { pointwiseMax($0, $1) }
        case 155: put(average(v(x, U16x8.self), v(y, U16x8.self), wide: U32x4.self))
        case 156:
            put(
                I16x8(truncatingIfNeeded: v(x, I8x16.self).lowHalf)
                    &* I16x8(truncatingIfNeeded: v(y, I8x16.self).lowHalf))
        case 157:
            put(
                I16x8(truncatingIfNeeded: v(x, I8x16.self).highHalf)
                    &* I16x8(truncatingIfNeeded: v(y, I8x16.self).highHalf))
        case 158:
            put(
                U16x8(truncatingIfNeeded: v(x, U8x16.self).lowHalf)
                    &* U16x8(truncatingIfNeeded: v(y, U8x16.self).lowHalf))
        case 159:
            put(
                U16x8(truncatingIfNeeded: v(x, U8x16.self).highHalf)
                    &* U16x8(truncatingIfNeeded: v(y, U8x16.self).highHalf))

        // i32x4.
        case 160: unary(I32x4.self) { $0.replacing(with: 0 &- $0, where: $0 .< 0) }
        case 161: unary(I32x4.self) { 0 &- $0 }
        case 163: sp[d] = all(v(x, U32x4.self) .!= 0) ? 1 : 0
        case 164: sp[d] = bitmask(v(x, I32x4.self))
        case 167: put(I32x4(truncatingIfNeeded: v(x, I16x8.self).lowHalf))
        case 168: put(I32x4(truncatingIfNeeded: v(x, I16x8.self).highHalf))
        case 169: put(U32x4(truncatingIfNeeded: v(x, U16x8.self).lowHalf))
        case 170: put(U32x4(truncatingIfNeeded: v(x, U16x8.self).highHalf))
        case 171: put(v(x, I32x4.self) &<< Int32(shiftCount(32)))
        case 172: put(v(x, I32x4.self) &>> Int32(shiftCount(32)))
        case 173: put(v(x, U32x4.self) &>> UInt32(shiftCount(32)))
        case 174: binary(U32x4.self) { $0 &+ $1 }
        case 177: binary(U32x4.self) { $0 &- $1 }
        case 181: binary(U32x4.self) { $0 &* $1 }
        case 182: binary(I32x4.self) { pointwiseMin($0, $1) }
        case 183: binary(U32x4.self) { pointwiseMin($0, $1) }
        case 184: binary(I32x4.self) { pointwiseMax($0, $1) }
        case 185: binary(U32x4.self) { pointwiseMax($0, $1) }
        case 186:
            let a = SIMD8<Int32>(truncatingIfNeeded: v(x, I16x8.self))
            let b = SIMD8<Int32>(truncatingIfNeeded: v(y, I16x8.self))
            let p = a &* b
            put(I32x4(p[0] &+ p[1], p[2] &+ p[3], p[4] &+ p[5], p[6] &+ p[7]))
        case 188:
            put(
                I32x4(truncatingIfNeeded: v(x, I16x8.self).lowHalf)
                    &* I32x4(truncatingIfNeeded: v(y, I16x8.self).lowHalf))
        case 189:
            put(
                I32x4(truncatingIfNeeded: v(x, I16x8.self).highHalf)
                    &* I32x4(truncatingIfNeeded: v(y, I16x8.self).highHalf))
        case 190:
            put(
                U32x4(truncatingIfNeeded: v(x, U16x8.self).lowHalf)
                    &* U32x4(truncatingIfNeeded: v(y, U16x8.self).lowHalf))
        case 191:
            put(
                U32x4(truncatingIfNeeded: v(x, U16x8.self).highHalf)
                    &* U32x4(truncatingIfNeeded: v(y, U16x8.self).highHalf))

        // i64x2.
        case 192: unary(I64x2.self) { $0.replacing(with: 0 &- $0, where: $0 .< 0) }
        case 193: unary(I64x2.self) { 0 &- $0 }
        case 195: sp[d] = sp[x] != 0 && hp[x] != 0 ? 1 : 0
        case 196: sp[d] = bitmask(v(x, I64x2.self))
        case 199: put(I64x2(truncatingIfNeeded: v(x, I32x4.self).lowHalf))
        case 200: put(I64x2(truncatingIfNeeded: v(x, I32x4.self).highHalf))
        case 201: put(U64x2(truncatingIfNeeded: v(x, U32x4.self).lowHalf))
        case 202: put(U64x2(truncatingIfNeeded: v(x, U32x4.self).highHalf))
        case 203: put(vector(x) &<< UInt64(shiftCount(64)))
        case 204: put(v(x, I64x2.self) &>> Int64(shiftCount(64)))
        case 205: put(vector(x) &>> UInt64(shiftCount(64)))
        case 206: binary(U64x2.self) { $0 &+ $1 }
        case 209: binary(U64x2.self) { $0 &- $1 }
        case 213: binary(U64x2.self) { $0 &* $1 }
        case 220:
            put(
                I64x2(truncatingIfNeeded: v(x, I32x4.self).lowHalf)
                    &* I64x2(truncatingIfNeeded: v(y, I32x4.self).lowHalf))
        case 221:
            put(
                I64x2(truncatingIfNeeded: v(x, I32x4.self).highHalf)
                    &* I64x2(truncatingIfNeeded: v(y, I32x4.self).highHalf))
        case 222:
            put(
                U64x2(truncatingIfNeeded: v(x, U32x4.self).lowHalf)
                    &* U64x2(truncatingIfNeeded: v(y, U32x4.self).lowHalf))
        case 223:
            put(
                U64x2(truncatingIfNeeded: v(x, U32x4.self).highHalf)
                    &* U64x2(truncatingIfNeeded: v(y, U32x4.self).highHalf))

        // f32x4 (sign operations work on the bits, so NaN payloads survive).
        case 224: unary(U32x4.self) { $0 & 0x7FFF_FFFF }
        case 225: unary(U32x4.self) { $0 ^ 0x8000_0000 }
        case 227: unary(F32x4.self) { $0.squareRoot() }
        case 228: binary(F32x4.self) { $0 + $1 }
        case 229: binary(F32x4.self) { $0 - $1 }
        case 230: binary(F32x4.self) { $0 * $1 }
        case 231: binary(F32x4.self) { $0 / $1 }
        case 232: binary(F32x4.self) { a, b in F32x4(lanewise: a, b, Numerics.min) }
        case 233: binary(F32x4.self) { a, b in F32x4(lanewise: a, b, Numerics.max) }
        case 234: binary(F32x4.self) { a, b in a.replacing(with: b, where: b .< a) }
        case 235: binary(F32x4.self) { a, b in a.replacing(with: b, where: a .< b) }

        // f64x2.
        case 236: unary(U64x2.self) { $0 & 0x7FFF_FFFF_FFFF_FFFF }
        case 237: unary(U64x2.self) { $0 ^ 0x8000_0000_0000_0000 }
        case 239: unary(F64x2.self) { $0.squareRoot() }
        case 240: binary(F64x2.self) { $0 + $1 }
        case 241: binary(F64x2.self) { $0 - $1 }
        case 242: binary(F64x2.self) { $0 * $1 }
        case 243: binary(F64x2.self) { $0 / $1 }
        case 244: binary(F64x2.self) { a, b in F64x2(lanewise: a, b, Numerics.min) }
        case 245: binary(F64x2.self) { a, b in F64x2(lanewise: a, b, Numerics.max) }
        case 246: binary(F64x2.self) { a, b in a.replacing(with: b, where: b .< a) }
        case 247: binary(F64x2.self) { a, b in a.replacing(with: b, where: a .< b) }

        // Float <-> integer.
        case 248:
            put(truncSat(v(x, F32x4.self), I32x4.self))
        case 249:
            put(truncSat(v(x, F32x4.self), U32x4.self))
        case 250: put(F32x4(v(x, I32x4.self)))
        case 251: put(F32x4(v(x, U32x4.self)))
        case 252:
            let a = v(x, F64x2.self)
            put(I32x4(Numerics.truncSat(a[0], Int32.self), Numerics.truncSat(a[1], Int32.self), 0, 0))
        case 253:
            let a = v(x, F64x2.self)
            put(U32x4(Numerics.truncSat(a[0], UInt32.self), Numerics.truncSat(a[1], UInt32.self), 0, 0))
        case 254:
            let a = v(x, I32x4.self)
            put(F64x2(Double(a[0]), Double(a[1])))
        case 255:
            let a = v(x, U32x4.self)
            put(F64x2(Double(a[0]), Double(a[1])))

        // The engine's own v128 moves.
        case 0x100:  // SIMDInternal.copy
            put(vector(x))
        case 0x101:  // SIMDInternal.zero
            put(U64x2())
        case 0x102:  // SIMDInternal.globalGet
            let cell = instance.pointee.globals[Int(truncatingIfNeeded: pc[2])]
            put(U64x2(cell[0], cell[1]))
        case 0x103:  // SIMDInternal.globalSet
            let cell = instance.pointee.globals[Int(truncatingIfNeeded: pc[2])]
            cell[0] = sp[x]
            cell[1] = hp[x]
        case 0x104:  // SIMDInternal.select
            put(UInt32(truncatingIfNeeded: sp[z]) != 0 ? vector(x) : vector(y))
        case 0x105:  // SIMDInternal.copyHighs
            for i in 0..<lane { hp[i] = hp[x &+ i] }
        default:
            fatalError("not a vector instruction: \(sub)")
        }
        return nil
    }

    /// i8x16.shuffle: byte gathers through memory (inserting into a vector register
    /// lane by lane would reload the whole register every time).
    @inline(never)
    static func shuffle(_ a: U64x2, _ b: U64x2, _ indices: UnsafePointer<UInt8>) -> U64x2 {
        var source = (a, b)
        return withUnsafeBytes(of: &source) { s in
            unsafeBitCast(lanes(U8x16.self) { r in for i in 0..<16 { r[i] = s[Int(indices[i] & 31)] } }, to: U64x2.self)
        }
    }

    /// i8x16.swizzle: selectors of 16 and above pick a zero byte.
    @inline(never)
    static func swizzle(_ a: U64x2, _ selectors: U64x2) -> U64x2 {
        var source = (a, U64x2())
        var k = selectors
        return withUnsafeBytes(of: &source) { s in
            withUnsafeBytes(of: &k) { k in
                unsafeBitCast(
                    lanes(U8x16.self) { r in for i in 0..<16 { r[i] = s[Int(Swift.min(k[i], 16))] } }, to: U64x2.self)
            }
        }
    }

    /// A vector built lane by lane in memory by `body` (no lane inserts into a register).
    @inline(__always)
    static func lanes<T: SIMD>(_: T.Type, _ body: (UnsafeMutablePointer<T.Scalar>) -> Void) -> T {
        var r = T()
        withUnsafeMutableBytes(of: &r) { body($0.baseAddress!.assumingMemoryBound(to: T.Scalar.self)) }
        return r
    }

    /// The population count of each byte of `x`, in that byte (SWAR).
    @inline(__always)
    static func popcountBytes(_ x: UInt64) -> UInt64 {
        var v = x &- ((x >> 1) & 0x5555_5555_5555_5555)
        v = (v & 0x3333_3333_3333_3333) &+ ((v >> 2) & 0x3333_3333_3333_3333)
        return (v &+ (v >> 4)) & 0x0F0F_0F0F_0F0F_0F0F
    }

    /// Bit `i` is the sign bit of lane `i`.
    @inline(__always)
    static func bitmask<T: SIMD>(_ a: T) -> UInt64 where T.Scalar: FixedWidthInteger & SignedInteger {
        var r: UInt64 = 0
        for i in 0..<a.scalarCount where a[i] < 0 { r |= 1 << i }
        return r
    }

    /// Lane-wise saturating conversion of f32 lanes to 32-bit integer lanes.
    @inline(never)
    static func truncSat<T: SIMD>(_ a: F32x4, _: T.Type) -> T where T.Scalar: FixedWidthInteger {
        lanes(T.self) { r in for i in 0..<4 { r[i] = Numerics.truncSat(a[i], T.Scalar.self) } }
    }

    /// Lane-wise rounding average `(a + b + 1) / 2` of unsigned lanes.
    @inline(never)
    static func average<T: SIMD, W: SIMD>(_ a: T, _ b: T, wide: W.Type) -> T
    where T.Scalar: FixedWidthInteger, W.Scalar: FixedWidthInteger {
        lanes(T.self) { r in
            for i in 0..<a.scalarCount {
                r[i] = T.Scalar(truncatingIfNeeded: (W.Scalar(a[i]) + W.Scalar(b[i]) + 1) >> 1)
            }
        }
    }

    /// Sums of adjacent lane pairs, extended to the wider lane type `W`.
    @inline(never)
    static func pairwiseSum<T: SIMD, W: SIMD>(_ a: T, _: W.Type) -> W
    where T.Scalar: FixedWidthInteger, W.Scalar: FixedWidthInteger {
        lanes(W.self) { r in
            for i in 0..<W().scalarCount { r[i] = W.Scalar(a[2 * i]) + W.Scalar(a[2 * i + 1]) }
        }
    }
}

extension SIMD {
    /// Applies `f` lane by lane.
    @inline(never)
    init(lanewise a: Self, _ b: Self, _ f: (Scalar, Scalar) -> Scalar) {
        self = Interpreter.lanes(Self.self) { r in for i in 0..<a.scalarCount { r[i] = f(a[i], b[i]) } }
    }
}
