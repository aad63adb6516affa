/// Decoding of constant expressions (global initializers, segment offsets and
/// element initializers).
///
/// Like the reference interpreter, the decoder accepts *any* well-formed
/// instruction sequence up to the closing `end` (so that it knows where the
/// expression ends and reports "illegal opcode" for bytes that are no
/// instruction at all). Instructions that are not constant are recorded in
/// `ConstExpression.nonConstant`; `ModuleValidator` turns that into
/// "constant expression required".
extension ByteReader {
    /// `features`: an instruction of a switched-off feature is malformed, as in a body.
    mutating func readConstExpression(features: WasmFeatures = WasmFeatures()) throws(DecodeError) -> ConstExpression {
        var instructions: [ConstInstruction] = []
        var nonConstant: NonConstantInstruction?
        while true {
            let at = offset
            // End of the module: the `end` below reports "unexpected end".
            guard offset < limit else { break }
            let op = base[offset]
            if op == 0x0B || op == 0x05 { break }
            offset += 1
            switch op {
            case 0x41: instructions.append(.i32Const(UInt32(bitPattern: try readS32())))
            case 0x42: instructions.append(.i64Const(UInt64(bitPattern: try readS64())))
            case 0x43: instructions.append(.f32Const(try readFixedU32()))
            case 0x44: instructions.append(.f64Const(try readFixedU64()))
            case 0xD0: instructions.append(.refNull(try readHeapType()))
            case 0xD2: instructions.append(.refFunc(try readIndex()))
            case 0x23: instructions.append(.globalGet(try readIndex()))
            // Extended constant expressions; with the feature off they are non-constant instructions.
            case 0x6A where features.extendedConst: instructions.append(.i32Add)
            case 0x6B where features.extendedConst: instructions.append(.i32Sub)
            case 0x6C where features.extendedConst: instructions.append(.i32Mul)
            case 0x7C where features.extendedConst: instructions.append(.i64Add)
            case 0x7D where features.extendedConst: instructions.append(.i64Sub)
            case 0x7E where features.extendedConst: instructions.append(.i64Mul)
            case 0xFD where offset < limit && base[offset] == SIMDOpcode.v128Const.rawValue:
                offset += 1
                let low = try readFixedU64()
                instructions.append(.v128Const(V128(low: low, high: try readFixedU64())))
            default:
                offset = at
                var scan = BodyScan()
                scan.features = features
                try skipInstruction(&scan)
                if nonConstant == nil {
                    nonConstant = NonConstantInstruction(opcode: op, offset: at, position: instructions.count)
                }
            }
        }
        try expectEnd()
        return ConstExpression(instructions, nonConstant: nonConstant)
    }
}
