import Testing

@testable import WasmCore

/// The numeric helpers whose WebAssembly semantics differ from Swift's operators.
@Suite struct NumericsTests {
    @Test func minMaxOfSignedZeros() {
        #expect(Numerics.min(Float(0), -Float(0)).sign == .minus)
        #expect(Numerics.min(-Float(0), Float(0)).sign == .minus)
        #expect(Numerics.max(Float(0), -Float(0)).sign == .plus)
        #expect(Numerics.max(-Double(0), Double(0)).sign == .plus)
        #expect(Numerics.min(1.5, -2.5) == -2.5)
        #expect(Numerics.max(1.5, -2.5) == 1.5)
    }

    @Test func minMaxPropagateNaN() {
        // Swift's Float.minimum would return the number; Wasm returns a NaN.
        #expect(Numerics.min(Float.nan, 1).isNaN)
        #expect(Numerics.min(1, Float.nan).isNaN)
        #expect(Numerics.max(Double.nan, -Double.infinity).isNaN)
        // The payload stays a quiet (arithmetic) NaN.
        let payload = Float(bitPattern: 0x7FA0_0001)
        let r = Numerics.max(payload, 0).bitPattern
        #expect(r & 0x7FC0_0000 == 0x7FC0_0000)
    }

    @Test func trappingTruncationBounds() throws {
        #expect(try Numerics.trunc(Float(-2147483648.0), Int32.self).get() == Int32.min)
        #expect(throws: TrapReason.integerOverflow) { try Numerics.trunc(Float(2147483648.0), Int32.self).get() }
        #expect(try Numerics.trunc(Double(-2147483648.9), Int32.self).get() == Int32.min)
        #expect(throws: TrapReason.integerOverflow) { try Numerics.trunc(Double(-2147483649.0), Int32.self).get() }
        #expect(try Numerics.trunc(Double(-0.9), UInt32.self).get() == 0)
        #expect(throws: TrapReason.integerOverflow) { try Numerics.trunc(Double(-1.0), UInt32.self).get() }
        #expect(try Numerics.trunc(Double(4294967295.9), UInt32.self).get() == UInt32.max)
        #expect(throws: TrapReason.integerOverflow) {
            try Numerics.trunc(Double(18446744073709551616.0), UInt64.self).get()
        }
        #expect(throws: TrapReason.invalidConversionToInteger) { try Numerics.trunc(Double.nan, Int64.self).get() }
        #expect(throws: TrapReason.integerOverflow) { try Numerics.trunc(Float.infinity, Int64.self).get() }
    }

    @Test func saturatingTruncation() {
        #expect(Numerics.truncSat(Float.nan, Int32.self) == 0)
        #expect(Numerics.truncSat(Float.infinity, Int32.self) == Int32.max)
        #expect(Numerics.truncSat(-Float.infinity, Int32.self) == Int32.min)
        #expect(Numerics.truncSat(Double(-1.5), UInt32.self) == 0)
        #expect(Numerics.truncSat(Double(1e30), UInt64.self) == UInt64.max)
        #expect(Numerics.truncSat(Double(-9223372036854775808.0), Int64.self) == Int64.min)
        #expect(Numerics.truncSat(Double(123.99), Int64.self) == 123)
    }

    @Test func upperBoundsArePowersOfTwo() {
        #expect(Numerics.upperBound(Float.self, Int32.self) == 2147483648.0)
        #expect(Numerics.upperBound(Double.self, UInt32.self) == 4294967296.0)
        #expect(Numerics.upperBound(Double.self, UInt64.self) == 18446744073709551616.0)
    }

    @Test func truncateDispatchesOnTheOp() throws {
        let minusOne = UInt64(Double(-1.0).bitPattern)
        #expect(try Numerics.truncate(.i32TruncF64S, minusOne).get() == 0xFFFF_FFFF)
        #expect(throws: TrapReason.integerOverflow) { try Numerics.truncate(.i32TruncF64U, minusOne).get() }
        let big = UInt64(Float(3e9).bitPattern)
        #expect(try Numerics.truncate(.i64TruncF32S, big).get() == 3_000_000_000)
    }
}
