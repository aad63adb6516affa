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
            // The long form (five words): another memory, or a 64-bit one.
            if w &>> 48 == 5 { return vectorAccess(pc: pc, sp: sp, base: x, instance: instance, width: bytes) }
            let address = Interpreter.effectiveAddress(sp[x], pc[2])
            guard address &+ bytes <= UInt64(memory.pointee.byteCount) else { return nil }
            return memory.pointee.base + Int(truncatingIfNeeded: address)
        }
        switch (w &>> 32) & 0xFFFF {
        case .v128Load:
            guard let p = access(16) else { return .outOfBoundsMemoryAccess }
            put(U64x2(p.unalignedUInt64, (p + 8).unalignedUInt64))
        case .v128Store:
            guard let p = access(16) else { return .outOfBoundsMemoryAccess }
            p.storeUnaligned(sp[y])
            (p + 8).storeUnaligned(hp[y])
        case .v128Const: put(U64x2(pc[2], pc[3]))
        case .v128Load32Zero:
            guard let p = access(4) else { return .outOfBoundsMemoryAccess }
            put(U64x2(UInt64(p.unalignedUInt32), 0))
        case .v128Load64Zero:
            guard let p = access(8) else { return .outOfBoundsMemoryAccess }
            put(U64x2(p.unalignedUInt64, 0))
        case .v128And: binary(U64x2.self) { $0 & $1 }
        case .v128Or: binary(U64x2.self) { $0 | $1 }
        case .v128Xor: binary(U64x2.self) { $0 ^ $1 }
        case .i8x16Add: binary(U8x16.self) { $0 &+ $1 }
        case .i8x16Sub: binary(U8x16.self) { $0 &- $1 }
        case .i16x8Add: binary(U16x8.self) { $0 &+ $1 }
        case .i16x8Sub: binary(U16x8.self) { $0 &- $1 }
        case .i16x8Mul: binary(U16x8.self) { $0 &* $1 }
        case .i32x4Add: binary(U32x4.self) { $0 &+ $1 }
        case .i32x4Sub: binary(U32x4.self) { $0 &- $1 }
        case .i32x4Mul: binary(U32x4.self) { $0 &* $1 }
        case .i64x2Add: binary(U64x2.self) { $0 &+ $1 }
        case .i64x2Sub: binary(U64x2.self) { $0 &- $1 }
        case .f32x4Add: binary(F32x4.self) { $0 + $1 }
        case .f32x4Sub: binary(F32x4.self) { $0 - $1 }
        case .f32x4Mul: binary(F32x4.self) { $0 * $1 }
        case .f64x2Add: binary(F64x2.self) { $0 + $1 }
        case .f64x2Sub: binary(F64x2.self) { $0 - $1 }
        case .f64x2Mul: binary(F64x2.self) { $0 * $1 }
        case .i8x16Splat: put(unsafeBitCast(U8x16(repeating: UInt8(truncatingIfNeeded: sp[x])), to: U64x2.self))
        case .i16x8Splat: put(unsafeBitCast(U16x8(repeating: UInt16(truncatingIfNeeded: sp[x])), to: U64x2.self))
        case .i32x4Splat, .f32x4Splat:
            put(unsafeBitCast(U32x4(repeating: UInt32(truncatingIfNeeded: sp[x])), to: U64x2.self))
        case .i64x2Splat, .f64x2Splat: put(U64x2(repeating: sp[x]))
        case .i32x4ExtractLane, .f32x4ExtractLane:
            sp[d] = UInt64(unsafeBitCast(vector(x), to: U32x4.self)[Int(truncatingIfNeeded: operands &>> 48)])
        case .i64x2ExtractLane, .f64x2ExtractLane: sp[d] = vector(x)[Int(truncatingIfNeeded: operands &>> 48)]
        case .v128Not: put(~vector(x))
        case .v128Andnot: binary(U64x2.self) { $0 & ~$1 }
        case .v128Bitselect:
            let c = vector(Int(truncatingIfNeeded: (operands &>> 32) & 0xFFFF))
            put((vector(x) & c) | (vector(y) & ~c))
        case .v128AnyTrue: sp[d] = sp[x] | hp[x] != 0 ? 1 : 0
        case .i32x4Eq: compare(I32x4.self) { $0 .== $1 }
        case .i32x4Ne: compare(I32x4.self) { $0 .!= $1 }
        case .i32x4LtS: compare(I32x4.self) { $0 .< $1 }
        case .i32x4LtU: compare(U32x4.self) { $0 .< $1 }
        case .i32x4GtS: compare(I32x4.self) { $0 .> $1 }
        case .i32x4GtU: compare(U32x4.self) { $0 .> $1 }
        case .f32x4Lt: compare(F32x4.self) { $0 .< $1 }
        case .f32x4Gt: compare(F32x4.self) { $0 .> $1 }
        case .i32x4Shl: shift(U32x4.self) { $0 &<< $1 }
        case .i32x4ShrS: shift(I32x4.self) { $0 &>> $1 }
        case .i32x4ShrU: shift(U32x4.self) { $0 &>> $1 }
        case .i32x4MinS: binary(I32x4.self) { pointwiseMin($0, $1) }
        case .i32x4MinU: binary(U32x4.self) { pointwiseMin($0, $1) }
        case .i32x4MaxS: binary(I32x4.self) { pointwiseMax($0, $1) }
        case .i32x4MaxU: binary(U32x4.self) { pointwiseMax($0, $1) }
        case .f32x4Div: binary(F32x4.self) { $0 / $1 }
        case .f64x2Div: binary(F64x2.self) { $0 / $1 }
        case .v128Select:
            let z = Int(truncatingIfNeeded: (operands &>> 32) & 0xFFFF)
            put(UInt32(truncatingIfNeeded: sp[z]) != 0 ? vector(x) : vector(y))
        case .v128Copy: put(vector(x))
        case .v128Zero: put(U64x2())
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
            // The long form (five words): another memory, or a 64-bit one.
            if w &>> 48 == 5 { return vectorAccess(pc: pc, sp: sp, base: x, instance: instance, width: bytes) }
            let address = Interpreter.effectiveAddress(sp[x], pc[2])
            guard address &+ bytes <= UInt64(memory.pointee.byteCount) else { return nil }
            return memory.pointee.base + Int(truncatingIfNeeded: address)
        }

        switch sub {
        // Memory.
        case .v128Load:
            guard let p = access(16) else { return .outOfBoundsMemoryAccess }
            put(U64x2(p.unalignedUInt64, (p + 8).unalignedUInt64))
        case .v128Load8x8S:
            guard let p = access(8) else { return .outOfBoundsMemoryAccess }
            put(I16x8(truncatingIfNeeded: unsafeBitCast(p.unalignedUInt64, to: SIMD8<Int8>.self)))
        case .v128Load8x8U:
            guard let p = access(8) else { return .outOfBoundsMemoryAccess }
            put(U16x8(truncatingIfNeeded: unsafeBitCast(p.unalignedUInt64, to: SIMD8<UInt8>.self)))
        case .v128Load16x4S:
            guard let p = access(8) else { return .outOfBoundsMemoryAccess }
            put(I32x4(truncatingIfNeeded: unsafeBitCast(p.unalignedUInt64, to: SIMD4<Int16>.self)))
        case .v128Load16x4U:
            guard let p = access(8) else { return .outOfBoundsMemoryAccess }
            put(U32x4(truncatingIfNeeded: unsafeBitCast(p.unalignedUInt64, to: SIMD4<UInt16>.self)))
        case .v128Load32x2S:
            guard let p = access(8) else { return .outOfBoundsMemoryAccess }
            put(I64x2(truncatingIfNeeded: unsafeBitCast(p.unalignedUInt64, to: SIMD2<Int32>.self)))
        case .v128Load32x2U:
            guard let p = access(8) else { return .outOfBoundsMemoryAccess }
            put(U64x2(truncatingIfNeeded: unsafeBitCast(p.unalignedUInt64, to: SIMD2<UInt32>.self)))
        case .v128Load8Splat:
            guard let p = access(1) else { return .outOfBoundsMemoryAccess }
            put(U8x16(repeating: p.byteUInt8))
        case .v128Load16Splat:
            guard let p = access(2) else { return .outOfBoundsMemoryAccess }
            put(U16x8(repeating: p.unalignedUInt16))
        case .v128Load32Splat:
            guard let p = access(4) else { return .outOfBoundsMemoryAccess }
            put(U32x4(repeating: p.unalignedUInt32))
        case .v128Load64Splat:
            guard let p = access(8) else { return .outOfBoundsMemoryAccess }
            put(U64x2(repeating: p.unalignedUInt64))
        case .v128Store:
            guard let p = access(16) else { return .outOfBoundsMemoryAccess }
            p.storeUnaligned(sp[y])
            (p + 8).storeUnaligned(hp[y])
        case .v128Load8Lane:
            guard let p = access(1) else { return .outOfBoundsMemoryAccess }
            var r = v(y, U8x16.self)
            r[lane] = p.byteUInt8
            put(r)
        case .v128Load16Lane:
            guard let p = access(2) else { return .outOfBoundsMemoryAccess }
            var r = v(y, U16x8.self)
            r[lane] = p.unalignedUInt16
            put(r)
        case .v128Load32Lane:
            guard let p = access(4) else { return .outOfBoundsMemoryAccess }
            var r = v(y, U32x4.self)
            r[lane] = p.unalignedUInt32
            put(r)
        case .v128Load64Lane:
            guard let p = access(8) else { return .outOfBoundsMemoryAccess }
            var r = vector(y)
            r[lane] = p.unalignedUInt64
            put(r)
        case .v128Store8Lane:
            guard let p = access(1) else { return .outOfBoundsMemoryAccess }
            p.storeUnaligned(v(y, U8x16.self)[lane])
        case .v128Store16Lane:
            guard let p = access(2) else { return .outOfBoundsMemoryAccess }
            p.storeUnaligned(v(y, U16x8.self)[lane])
        case .v128Store32Lane:
            guard let p = access(4) else { return .outOfBoundsMemoryAccess }
            p.storeUnaligned(v(y, U32x4.self)[lane])
        case .v128Store64Lane:
            guard let p = access(8) else { return .outOfBoundsMemoryAccess }
            p.storeUnaligned(vector(y)[lane])
        case .v128Load32Zero:
            guard let p = access(4) else { return .outOfBoundsMemoryAccess }
            put(U64x2(UInt64(p.unalignedUInt32), 0))
        case .v128Load64Zero:
            guard let p = access(8) else { return .outOfBoundsMemoryAccess }
            put(U64x2(p.unalignedUInt64, 0))

        // Constants, shuffles, splats and lanes.
        case .v128Const: put(U64x2(pc[2], pc[3]))
        case .i8x16Shuffle:
            put(shuffle(vector(x), vector(y), UnsafeRawPointer(pc + 2).assumingMemoryBound(to: UInt8.self)))
        case .i8x16Swizzle: put(swizzle(vector(x), vector(y)))
        case .i8x16Splat: put(U8x16(repeating: UInt8(truncatingIfNeeded: sp[x])))
        case .i16x8Splat: put(U16x8(repeating: UInt16(truncatingIfNeeded: sp[x])))
        case .i32x4Splat, .f32x4Splat: put(U32x4(repeating: UInt32(truncatingIfNeeded: sp[x])))
        case .i64x2Splat, .f64x2Splat: put(U64x2(repeating: sp[x]))
        case .i8x16ExtractLaneS: sp[d] = UInt64(UInt32(bitPattern: Int32(v(x, I8x16.self)[lane])))
        case .i8x16ExtractLaneU: sp[d] = UInt64(v(x, U8x16.self)[lane])
        case .i8x16ReplaceLane:
            var r = v(x, U8x16.self)
            r[lane] = UInt8(truncatingIfNeeded: sp[y])
            put(r)
        case .i16x8ExtractLaneS: sp[d] = UInt64(UInt32(bitPattern: Int32(v(x, I16x8.self)[lane])))
        case .i16x8ExtractLaneU: sp[d] = UInt64(v(x, U16x8.self)[lane])
        case .i16x8ReplaceLane:
            var r = v(x, U16x8.self)
            r[lane] = UInt16(truncatingIfNeeded: sp[y])
            put(r)
        case .i32x4ExtractLane, .f32x4ExtractLane: sp[d] = UInt64(v(x, U32x4.self)[lane])
        case .i32x4ReplaceLane, .f32x4ReplaceLane:
            var r = v(x, U32x4.self)
            r[lane] = UInt32(truncatingIfNeeded: sp[y])
            put(r)
        case .i64x2ExtractLane, .f64x2ExtractLane: sp[d] = vector(x)[lane]
        case .i64x2ReplaceLane, .f64x2ReplaceLane:
            var r = vector(x)
            r[lane] = sp[y]
            put(r)

        // Comparisons.
        case .i8x16Eq: compare(I8x16.self) { $0 .== $1 }
        case .i8x16Ne: compare(I8x16.self) { $0 .!= $1 }
        case .i8x16LtS: compare(I8x16.self) { $0 .< $1 }
        case .i8x16LtU: compare(U8x16.self) { $0 .< $1 }
        case .i8x16GtS: compare(I8x16.self) { $0 .> $1 }
        case .i8x16GtU: compare(U8x16.self) { $0 .> $1 }
        case .i8x16LeS: compare(I8x16.self) { $0 .<= $1 }
        case .i8x16LeU: compare(U8x16.self) { $0 .<= $1 }
        case .i8x16GeS: compare(I8x16.self) { $0 .>= $1 }
        case .i8x16GeU: compare(U8x16.self) { $0 .>= $1 }
        case .i16x8Eq: compare(I16x8.self) { $0 .== $1 }
        case .i16x8Ne: compare(I16x8.self) { $0 .!= $1 }
        case .i16x8LtS: compare(I16x8.self) { $0 .< $1 }
        case .i16x8LtU: compare(U16x8.self) { $0 .< $1 }
        case .i16x8GtS: compare(I16x8.self) { $0 .> $1 }
        case .i16x8GtU: compare(U16x8.self) { $0 .> $1 }
        case .i16x8LeS: compare(I16x8.self) { $0 .<= $1 }
        case .i16x8LeU: compare(U16x8.self) { $0 .<= $1 }
        case .i16x8GeS: compare(I16x8.self) { $0 .>= $1 }
        case .i16x8GeU: compare(U16x8.self) { $0 .>= $1 }
        case .i32x4Eq: compare(I32x4.self) { $0 .== $1 }
        case .i32x4Ne: compare(I32x4.self) { $0 .!= $1 }
        case .i32x4LtS: compare(I32x4.self) { $0 .< $1 }
        case .i32x4LtU: compare(U32x4.self) { $0 .< $1 }
        case .i32x4GtS: compare(I32x4.self) { $0 .> $1 }
        case .i32x4GtU: compare(U32x4.self) { $0 .> $1 }
        case .i32x4LeS: compare(I32x4.self) { $0 .<= $1 }
        case .i32x4LeU: compare(U32x4.self) { $0 .<= $1 }
        case .i32x4GeS: compare(I32x4.self) { $0 .>= $1 }
        case .i32x4GeU: compare(U32x4.self) { $0 .>= $1 }
        case .f32x4Eq: compare(F32x4.self) { $0 .== $1 }
        case .f32x4Ne: compare(F32x4.self) { $0 .!= $1 }
        case .f32x4Lt: compare(F32x4.self) { $0 .< $1 }
        case .f32x4Gt: compare(F32x4.self) { $0 .> $1 }
        case .f32x4Le: compare(F32x4.self) { $0 .<= $1 }
        case .f32x4Ge: compare(F32x4.self) { $0 .>= $1 }
        case .f64x2Eq: compare(F64x2.self) { $0 .== $1 }
        case .f64x2Ne: compare(F64x2.self) { $0 .!= $1 }
        case .f64x2Lt: compare(F64x2.self) { $0 .< $1 }
        case .f64x2Gt: compare(F64x2.self) { $0 .> $1 }
        case .f64x2Le: compare(F64x2.self) { $0 .<= $1 }
        case .f64x2Ge: compare(F64x2.self) { $0 .>= $1 }
        case .i64x2Eq: compare(I64x2.self) { $0 .== $1 }
        case .i64x2Ne: compare(I64x2.self) { $0 .!= $1 }
        case .i64x2LtS: compare(I64x2.self) { $0 .< $1 }
        case .i64x2GtS: compare(I64x2.self) { $0 .> $1 }
        case .i64x2LeS: compare(I64x2.self) { $0 .<= $1 }
        case .i64x2GeS: compare(I64x2.self) { $0 .>= $1 }

        // Bitwise.
        case .v128Not: unary(U64x2.self) { ~$0 }
        case .v128And: binary(U64x2.self) { $0 & $1 }
        case .v128Andnot: binary(U64x2.self) { $0 & ~$1 }
        case .v128Or: binary(U64x2.self) { $0 | $1 }
        case .v128Xor: binary(U64x2.self) { $0 ^ $1 }
        case .v128Bitselect:
            let c = vector(z)
            put((vector(x) & c) | (vector(y) & ~c))
        case .v128AnyTrue: sp[d] = sp[x] | hp[x] != 0 ? 1 : 0

        // Conversions between float shapes.
        case .f32x4DemoteF64x2Zero:
            let a = v(x, F64x2.self)
            put(F32x4(Float(a[0]), Float(a[1]), 0, 0))
        case .f64x2PromoteLowF32x4:
            let a = v(x, F32x4.self)
            put(F64x2(Double(a[0]), Double(a[1])))

        // i8x16.
        case .i8x16Abs: unary(I8x16.self) { $0.replacing(with: 0 &- $0, where: $0 .< 0) }
        case .i8x16Neg: unary(I8x16.self) { 0 &- $0 }
        case .i8x16Popcnt:
            let a = vector(x)
            put(U64x2(popcountBytes(a[0]), popcountBytes(a[1])))
        case .i8x16AllTrue: sp[d] = all(v(x, U8x16.self) .!= 0) ? 1 : 0
        case .i8x16Bitmask: sp[d] = bitmask(v(x, I8x16.self))
        case .i8x16NarrowI16x8S:
            put(I8x16(lowHalf: SIMD8(clamping: v(x, I16x8.self)), highHalf: SIMD8(clamping: v(y, I16x8.self))))
        case .i8x16NarrowI16x8U:
            put(U8x16(lowHalf: SIMD8(clamping: v(x, I16x8.self)), highHalf: SIMD8(clamping: v(y, I16x8.self))))
        case .i8x16Shl: put(v(x, I8x16.self) &<< Int8(shiftCount(8)))
        case .i8x16ShrS: put(v(x, I8x16.self) &>> Int8(shiftCount(8)))
        case .i8x16ShrU: put(v(x, U8x16.self) &>> UInt8(shiftCount(8)))
        case .i8x16Add: binary(U8x16.self) { $0 &+ $1 }
        case .i8x16AddSatS:
            put(
                I8x16(
                    clamping: SIMD16<Int16>(truncatingIfNeeded: v(x, I8x16.self))
                        &+ SIMD16<Int16>(truncatingIfNeeded: v(y, I8x16.self))))
        case .i8x16AddSatU: binary(U8x16.self) { a, b in (a &+ b).replacing(with: .max, where: (a &+ b) .< a) }
        case .i8x16Sub: binary(U8x16.self) { $0 &- $1 }
        case .i8x16SubSatS:
            put(
                I8x16(
                    clamping: SIMD16<Int16>(truncatingIfNeeded: v(x, I8x16.self))
                        &- SIMD16<Int16>(truncatingIfNeeded: v(y, I8x16.self))))
        case .i8x16SubSatU: binary(U8x16.self) { a, b in (a &- b).replacing(with: 0, where: a .< b) }
        case .i8x16MinS: binary(I8x16.self) { pointwiseMin($0, $1) }
        case .i8x16MinU: binary(U8x16.self) { pointwiseMin($0, $1) }
        case .i8x16MaxS: binary(I8x16.self) { pointwiseMax($0, $1) }
        case .i8x16MaxU: binary(U8x16.self) { pointwiseMax($0, $1) }
        case .i8x16AvgrU: put(average(v(x, U8x16.self), v(y, U8x16.self), wide: U16x8.self))

        // Float rounding.
        case .f32x4Ceil: unary(F32x4.self) { $0.rounded(.up) }
        case .f32x4Floor: unary(F32x4.self) { $0.rounded(.down) }
        case .f32x4Trunc: unary(F32x4.self) { $0.rounded(.towardZero) }
        case .f32x4Nearest: unary(F32x4.self) { $0.rounded(.toNearestOrEven) }
        case .f64x2Ceil: unary(F64x2.self) { $0.rounded(.up) }
        case .f64x2Floor: unary(F64x2.self) { $0.rounded(.down) }
        case .f64x2Trunc: unary(F64x2.self) { $0.rounded(.towardZero) }
        case .f64x2Nearest: unary(F64x2.self) { $0.rounded(.toNearestOrEven) }

        // Pairwise additions.
        case .i16x8ExtaddPairwiseI8x16S: put(pairwiseSum(v(x, I8x16.self), I16x8.self))
        case .i16x8ExtaddPairwiseI8x16U: put(pairwiseSum(v(x, U8x16.self), I16x8.self))
        case .i32x4ExtaddPairwiseI16x8S: put(pairwiseSum(v(x, I16x8.self), I32x4.self))
        case .i32x4ExtaddPairwiseI16x8U: put(pairwiseSum(v(x, U16x8.self), I32x4.self))

        // i16x8.
        case .i16x8Abs: unary(I16x8.self) { $0.replacing(with: 0 &- $0, where: $0 .< 0) }
        case .i16x8Neg: unary(I16x8.self) { 0 &- $0 }
        case .i16x8Q15mulrSatS:
            let a = SIMD8<Int32>(truncatingIfNeeded: v(x, I16x8.self))
            let b = SIMD8<Int32>(truncatingIfNeeded: v(y, I16x8.self))
            put(I16x8(clamping: (a &* b &+ 0x4000) &>> 15))
        case .i16x8AllTrue: sp[d] = all(v(x, U16x8.self) .!= 0) ? 1 : 0
        case .i16x8Bitmask: sp[d] = bitmask(v(x, I16x8.self))
        case .i16x8NarrowI32x4S:
            put(I16x8(lowHalf: SIMD4(clamping: v(x, I32x4.self)), highHalf: SIMD4(clamping: v(y, I32x4.self))))
        case .i16x8NarrowI32x4U:
            put(U16x8(lowHalf: SIMD4(clamping: v(x, I32x4.self)), highHalf: SIMD4(clamping: v(y, I32x4.self))))
        case .i16x8ExtendLowI8x16S: put(I16x8(truncatingIfNeeded: v(x, I8x16.self).lowHalf))
        case .i16x8ExtendHighI8x16S: put(I16x8(truncatingIfNeeded: v(x, I8x16.self).highHalf))
        case .i16x8ExtendLowI8x16U: put(U16x8(truncatingIfNeeded: v(x, U8x16.self).lowHalf))
        case .i16x8ExtendHighI8x16U: put(U16x8(truncatingIfNeeded: v(x, U8x16.self).highHalf))
        case .i16x8Shl: put(v(x, I16x8.self) &<< Int16(shiftCount(16)))
        case .i16x8ShrS: put(v(x, I16x8.self) &>> Int16(shiftCount(16)))
        case .i16x8ShrU: put(v(x, U16x8.self) &>> UInt16(shiftCount(16)))
        case .i16x8Add: binary(U16x8.self) { $0 &+ $1 }
        case .i16x8AddSatS:
            put(
                I16x8(
                    clamping: SIMD8<Int32>(truncatingIfNeeded: v(x, I16x8.self))
                        &+ SIMD8<Int32>(truncatingIfNeeded: v(y, I16x8.self))))
        case .i16x8AddSatU: binary(U16x8.self) { a, b in (a &+ b).replacing(with: .max, where: (a &+ b) .< a) }
        case .i16x8Sub: binary(U16x8.self) { $0 &- $1 }
        case .i16x8SubSatS:
            put(
                I16x8(
                    clamping: SIMD8<Int32>(truncatingIfNeeded: v(x, I16x8.self))
                        &- SIMD8<Int32>(truncatingIfNeeded: v(y, I16x8.self))))
        case .i16x8SubSatU: binary(U16x8.self) { a, b in (a &- b).replacing(with: 0, where: a .< b) }
        case .i16x8Mul: binary(U16x8.self) { $0 &* $1 }
        case .i16x8MinS: binary(I16x8.self) { pointwiseMin($0, $1) }
        case .i16x8MinU: binary(U16x8.self) { pointwiseMin($0, $1) }
        case .i16x8MaxS: binary(I16x8.self) { pointwiseMax($0, $1) }
        case .i16x8MaxU: binary(U16x8.self) { pointwiseMax($0, $1) }
        case .i16x8AvgrU: put(average(v(x, U16x8.self), v(y, U16x8.self), wide: U32x4.self))
        case .i16x8ExtmulLowI8x16S:
            put(
                I16x8(truncatingIfNeeded: v(x, I8x16.self).lowHalf)
                    &* I16x8(truncatingIfNeeded: v(y, I8x16.self).lowHalf))
        case .i16x8ExtmulHighI8x16S:
            put(
                I16x8(truncatingIfNeeded: v(x, I8x16.self).highHalf)
                    &* I16x8(truncatingIfNeeded: v(y, I8x16.self).highHalf))
        case .i16x8ExtmulLowI8x16U:
            put(
                U16x8(truncatingIfNeeded: v(x, U8x16.self).lowHalf)
                    &* U16x8(truncatingIfNeeded: v(y, U8x16.self).lowHalf))
        case .i16x8ExtmulHighI8x16U:
            put(
                U16x8(truncatingIfNeeded: v(x, U8x16.self).highHalf)
                    &* U16x8(truncatingIfNeeded: v(y, U8x16.self).highHalf))

        // i32x4.
        case .i32x4Abs: unary(I32x4.self) { $0.replacing(with: 0 &- $0, where: $0 .< 0) }
        case .i32x4Neg: unary(I32x4.self) { 0 &- $0 }
        case .i32x4AllTrue: sp[d] = all(v(x, U32x4.self) .!= 0) ? 1 : 0
        case .i32x4Bitmask: sp[d] = bitmask(v(x, I32x4.self))
        case .i32x4ExtendLowI16x8S: put(I32x4(truncatingIfNeeded: v(x, I16x8.self).lowHalf))
        case .i32x4ExtendHighI16x8S: put(I32x4(truncatingIfNeeded: v(x, I16x8.self).highHalf))
        case .i32x4ExtendLowI16x8U: put(U32x4(truncatingIfNeeded: v(x, U16x8.self).lowHalf))
        case .i32x4ExtendHighI16x8U: put(U32x4(truncatingIfNeeded: v(x, U16x8.self).highHalf))
        case .i32x4Shl: put(v(x, I32x4.self) &<< Int32(shiftCount(32)))
        case .i32x4ShrS: put(v(x, I32x4.self) &>> Int32(shiftCount(32)))
        case .i32x4ShrU: put(v(x, U32x4.self) &>> UInt32(shiftCount(32)))
        case .i32x4Add: binary(U32x4.self) { $0 &+ $1 }
        case .i32x4Sub: binary(U32x4.self) { $0 &- $1 }
        case .i32x4Mul: binary(U32x4.self) { $0 &* $1 }
        case .i32x4MinS: binary(I32x4.self) { pointwiseMin($0, $1) }
        case .i32x4MinU: binary(U32x4.self) { pointwiseMin($0, $1) }
        case .i32x4MaxS: binary(I32x4.self) { pointwiseMax($0, $1) }
        case .i32x4MaxU: binary(U32x4.self) { pointwiseMax($0, $1) }
        case .i32x4DotI16x8S:
            let a = SIMD8<Int32>(truncatingIfNeeded: v(x, I16x8.self))
            let b = SIMD8<Int32>(truncatingIfNeeded: v(y, I16x8.self))
            let p = a &* b
            put(I32x4(p[0] &+ p[1], p[2] &+ p[3], p[4] &+ p[5], p[6] &+ p[7]))
        case .i32x4ExtmulLowI16x8S:
            put(
                I32x4(truncatingIfNeeded: v(x, I16x8.self).lowHalf)
                    &* I32x4(truncatingIfNeeded: v(y, I16x8.self).lowHalf))
        case .i32x4ExtmulHighI16x8S:
            put(
                I32x4(truncatingIfNeeded: v(x, I16x8.self).highHalf)
                    &* I32x4(truncatingIfNeeded: v(y, I16x8.self).highHalf))
        case .i32x4ExtmulLowI16x8U:
            put(
                U32x4(truncatingIfNeeded: v(x, U16x8.self).lowHalf)
                    &* U32x4(truncatingIfNeeded: v(y, U16x8.self).lowHalf))
        case .i32x4ExtmulHighI16x8U:
            put(
                U32x4(truncatingIfNeeded: v(x, U16x8.self).highHalf)
                    &* U32x4(truncatingIfNeeded: v(y, U16x8.self).highHalf))

        // i64x2.
        case .i64x2Abs: unary(I64x2.self) { $0.replacing(with: 0 &- $0, where: $0 .< 0) }
        case .i64x2Neg: unary(I64x2.self) { 0 &- $0 }
        case .i64x2AllTrue: sp[d] = sp[x] != 0 && hp[x] != 0 ? 1 : 0
        case .i64x2Bitmask: sp[d] = bitmask(v(x, I64x2.self))
        case .i64x2ExtendLowI32x4S: put(I64x2(truncatingIfNeeded: v(x, I32x4.self).lowHalf))
        case .i64x2ExtendHighI32x4S: put(I64x2(truncatingIfNeeded: v(x, I32x4.self).highHalf))
        case .i64x2ExtendLowI32x4U: put(U64x2(truncatingIfNeeded: v(x, U32x4.self).lowHalf))
        case .i64x2ExtendHighI32x4U: put(U64x2(truncatingIfNeeded: v(x, U32x4.self).highHalf))
        case .i64x2Shl: put(vector(x) &<< UInt64(shiftCount(64)))
        case .i64x2ShrS: put(v(x, I64x2.self) &>> Int64(shiftCount(64)))
        case .i64x2ShrU: put(vector(x) &>> UInt64(shiftCount(64)))
        case .i64x2Add: binary(U64x2.self) { $0 &+ $1 }
        case .i64x2Sub: binary(U64x2.self) { $0 &- $1 }
        case .i64x2Mul: binary(U64x2.self) { $0 &* $1 }
        case .i64x2ExtmulLowI32x4S:
            put(
                I64x2(truncatingIfNeeded: v(x, I32x4.self).lowHalf)
                    &* I64x2(truncatingIfNeeded: v(y, I32x4.self).lowHalf))
        case .i64x2ExtmulHighI32x4S:
            put(
                I64x2(truncatingIfNeeded: v(x, I32x4.self).highHalf)
                    &* I64x2(truncatingIfNeeded: v(y, I32x4.self).highHalf))
        case .i64x2ExtmulLowI32x4U:
            put(
                U64x2(truncatingIfNeeded: v(x, U32x4.self).lowHalf)
                    &* U64x2(truncatingIfNeeded: v(y, U32x4.self).lowHalf))
        case .i64x2ExtmulHighI32x4U:
            put(
                U64x2(truncatingIfNeeded: v(x, U32x4.self).highHalf)
                    &* U64x2(truncatingIfNeeded: v(y, U32x4.self).highHalf))

        // f32x4 (sign operations work on the bits, so NaN payloads survive).
        case .f32x4Abs: unary(U32x4.self) { $0 & 0x7FFF_FFFF }
        case .f32x4Neg: unary(U32x4.self) { $0 ^ 0x8000_0000 }
        case .f32x4Sqrt: unary(F32x4.self) { $0.squareRoot() }
        case .f32x4Add: binary(F32x4.self) { $0 + $1 }
        case .f32x4Sub: binary(F32x4.self) { $0 - $1 }
        case .f32x4Mul: binary(F32x4.self) { $0 * $1 }
        case .f32x4Div: binary(F32x4.self) { $0 / $1 }
        case .f32x4Min: binary(F32x4.self) { a, b in F32x4(lanewise: a, b, Numerics.min) }
        case .f32x4Max: binary(F32x4.self) { a, b in F32x4(lanewise: a, b, Numerics.max) }
        case .f32x4Pmin: binary(F32x4.self) { a, b in a.replacing(with: b, where: b .< a) }
        case .f32x4Pmax: binary(F32x4.self) { a, b in a.replacing(with: b, where: a .< b) }

        // f64x2.
        case .f64x2Abs: unary(U64x2.self) { $0 & 0x7FFF_FFFF_FFFF_FFFF }
        case .f64x2Neg: unary(U64x2.self) { $0 ^ 0x8000_0000_0000_0000 }
        case .f64x2Sqrt: unary(F64x2.self) { $0.squareRoot() }
        case .f64x2Add: binary(F64x2.self) { $0 + $1 }
        case .f64x2Sub: binary(F64x2.self) { $0 - $1 }
        case .f64x2Mul: binary(F64x2.self) { $0 * $1 }
        case .f64x2Div: binary(F64x2.self) { $0 / $1 }
        case .f64x2Min: binary(F64x2.self) { a, b in F64x2(lanewise: a, b, Numerics.min) }
        case .f64x2Max: binary(F64x2.self) { a, b in F64x2(lanewise: a, b, Numerics.max) }
        case .f64x2Pmin: binary(F64x2.self) { a, b in a.replacing(with: b, where: b .< a) }
        case .f64x2Pmax: binary(F64x2.self) { a, b in a.replacing(with: b, where: a .< b) }

        // Float <-> integer.
        case .i32x4TruncSatF32x4S:
            put(truncSat(v(x, F32x4.self), I32x4.self))
        case .i32x4TruncSatF32x4U:
            put(truncSat(v(x, F32x4.self), U32x4.self))
        case .f32x4ConvertI32x4S: put(F32x4(v(x, I32x4.self)))
        case .f32x4ConvertI32x4U: put(F32x4(v(x, U32x4.self)))
        case .i32x4TruncSatF64x2SZero:
            let a = v(x, F64x2.self)
            put(I32x4(Numerics.truncSat(a[0], Int32.self), Numerics.truncSat(a[1], Int32.self), 0, 0))
        case .i32x4TruncSatF64x2UZero:
            let a = v(x, F64x2.self)
            put(U32x4(Numerics.truncSat(a[0], UInt32.self), Numerics.truncSat(a[1], UInt32.self), 0, 0))
        case .f64x2ConvertLowI32x4S:
            let a = v(x, I32x4.self)
            put(F64x2(Double(a[0]), Double(a[1])))
        case .f64x2ConvertLowI32x4U:
            let a = v(x, U32x4.self)
            put(F64x2(Double(a[0]), Double(a[1])))

        // The engine's own v128 moves.
        case .v128Copy:
            put(vector(x))
        case .v128Zero:
            put(U64x2())
        case .v128GlobalGet:
            let cell = instance.pointee.globals[Int(truncatingIfNeeded: pc[2])]
            put(U64x2(cell[0], cell[1]))
        case .v128GlobalSet:
            let cell = instance.pointee.globals[Int(truncatingIfNeeded: pc[2])]
            cell[0] = sp[x]
            cell[1] = hp[x]
        case .v128Select:
            put(UInt32(truncatingIfNeeded: sp[z]) != 0 ? vector(x) : vector(y))
        case .v128CopyHighs:
            for i in 0..<lane { hp[i] = hp[x &+ i] }
        case 0x100...0x113:  // relaxed SIMD (Interpreter+RelaxedSIMD.swift)
            relaxedSIMD(sub, d: d, x: x, y: y, z: z, sp: sp, hp: hp)
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
