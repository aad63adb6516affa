/// A structural scan of instructions: checks that they are well formed (spec:
/// binary/instructions) without interpreting them. Used for constant
/// expressions (to find their end) and function bodies (so that malformed
/// bodies are reported at decode time, in the reference interpreter's order).
extension ByteReader {
    /// What a structural scan of instructions noticed.
    struct BodyScan {
        /// `memory.init` or `data.drop` occurs (needs the data count section).
        var usesDataSegments = false
        /// `memory.grow` or `table.grow` occurs (the fuzz target that runs guests skips such
        /// modules: the engine has no memory limit below the declared maximum yet).
        var growsStorage = false
        /// The features the body may use (memory indices, 64-bit offsets).
        var features = WasmFeatures()
    }

    /// Consumes the `end` (0x0B) that closes a block or expression.
    mutating func expectEnd() throws(DecodeError) {
        let at = offset
        let b = try readByte()
        guard b == 0x0B else { throw DecodeError("END opcode expected", offset: at) }
    }

    /// Skips one instruction (with nested blocks) without interpreting it,
    /// checking only that it is well formed (spec: binary/instructions).
    mutating func skipInstruction(_ scan: inout BodyScan) throws(DecodeError) {
        let at = offset
        let op = try readByte()
        try ByteReader.checkFeature(ofOpcode: op, at: at, scan.features)
        switch op {
        case 0x00, 0x01, 0x0F, 0x1A, 0x1B, 0xD1:
            break
        case 0x02, 0x03, 0x04, 0x06, 0x1F:
            var open: [UInt8] = []
            try openBlock(op, &open)
            try skipBlocks(&open, &scan)
        case 0x05:
            throw DecodeError("misplaced ELSE opcode", offset: at)
        case 0x0B:
            throw DecodeError("misplaced END opcode", offset: at)
        case 0x07, 0x19, 0x18:
            throw DecodeError("misplaced \(op == 0x18 ? "DELEGATE" : "CATCH") opcode", offset: at)
        case 0x08, 0x09, 0x12, 0x14, 0x15, 0xD5, 0xD6:  // throw, rethrow, return_call, call_ref, return_call_ref, br_on_(non_)null
            _ = try readIndex()
        case 0x0A, 0xD4:  // throw_ref, ref.as_non_null
            break
        case 0xD3, 0xFB:  // ref.eq, the GC prefix
            throw DecodeError("garbage collection (GC) instructions are not supported by this engine", offset: at)
        case 0x13:  // return_call_indirect
            _ = try readIndex()
            _ = try readIndex()
        case 0x0C, 0x0D, 0x10, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0xD2:
            _ = try readIndex()
        case 0x0E:
            let n = try readLength()
            for _ in 0..<n { _ = try readIndex() }
            _ = try readIndex()
        case 0x11:
            _ = try readIndex()
            _ = try readIndex()
        case 0x1C:
            let n = try readLength()
            for _ in 0..<n { _ = try readValueType() }
        case 0x28...0x3E:
            try skipMemarg(scan.features)
        case 0x3F, 0x40:
            if op == 0x40 { scan.growsStorage = true }
            try skipMemoryIndex(scan.features)
        case 0x41: _ = try readS32()
        case 0x42: _ = try readS64()
        case 0x43: try skip(4)
        case 0x44: try skip(8)
        case 0x45...0xC4:
            break
        case 0xD0:
            _ = try readHeapType()
        case 0xFC:
            let sub = try readU32()
            switch sub {
            case 0...7: break
            case 8: _ = try readIndex(); try skipMemoryIndex(scan.features); scan.usesDataSegments = true
            case 9: _ = try readIndex(); scan.usesDataSegments = true
            case 13: _ = try readIndex()
            case 10: try skipMemoryIndex(scan.features); try skipMemoryIndex(scan.features)
            case 11: try skipMemoryIndex(scan.features)
            case 12, 14: _ = try readIndex(); _ = try readIndex()
            case 15: _ = try readIndex(); scan.growsStorage = true
            case 16, 17: _ = try readIndex()
            default: throw DecodeError("illegal opcode", offset: at)
            }
        case 0xFD:
            // SIMD: only the immediates are skipped (an unknown sub-opcode is the validator's to reject).
            switch SIMDOpcode(rawValue: try readU32())?.signature {
            case .load, .store: try skipMemarg(scan.features)
            case .const, .shuffle: try skip(16)
            case .extractLane, .replaceLane: try skip(1)
            case .loadLane, .storeLane: try skipMemarg(scan.features); try skip(1)
            default: break
            }
        case 0xFE:
            throw WasmFeatures.atomicsUnsupported(offset: at)
        default:
            throw DecodeError("illegal opcode", offset: at)
        }
    }

    /// Skips instructions until every block in `open` is closed by its `end`. `open` holds,
    /// per enclosing block, whether it is an `if` that may still take an `else`. Nesting is
    /// tracked in `open`, not by recursion, so a body of a million nested blocks cannot
    /// overflow the stack (a fuzzing finding: Fixtures/fuzz/crashes/run).
    mutating func skipBlocks(_ open: inout [UInt8], _ scan: inout BodyScan) throws(DecodeError) {
        while let kind = open.last {
            if offset < limit {
                let b = base[offset]
                switch b {
                case 0x05 where kind == 1:
                    offset += 1
                    open[open.count - 1] = 0
                    continue
                case 0x07 where kind == 2, 0x19 where kind == 2:  // legacy catch / catch_all
                    offset += 1
                    if b == 0x07 { _ = try readIndex() }
                    continue
                case 0x18 where kind == 2:  // legacy delegate: ends the try
                    offset += 1
                    _ = try readIndex()
                    open.removeLast()
                    continue
                case 0x0B, 0x05:
                    break  // the `end` of this block (a misplaced `else` fails in expectEnd)
                case 0x02, 0x03, 0x04, 0x06, 0x1F:
                    try ByteReader.checkFeature(ofOpcode: b, at: offset, scan.features)
                    offset += 1
                    try openBlock(b, &open)
                    continue
                default:
                    try skipInstruction(&scan)
                    continue
                }
            }
            try expectEnd()
            open.removeLast()
        }
    }

    /// Scans a function body's instructions up to and including its final `end`,
    /// checking only that they are well formed, the way the reference interpreter
    /// decodes them: the scan is not limited by the body's declared size (the
    /// caller compares afterwards and reports "section size mismatch").
    mutating func scanFunctionBody(_ scan: inout BodyScan) throws(DecodeError) {
        var open: [UInt8] = [0]
        try skipBlocks(&open, &scan)
    }

    /// An instruction of a switched-off Wasm 3.0 feature is an illegal opcode (as in the Wasm 2.0
    /// suite), with the feature named: "illegal opcode: exceptions support is not enabled".
    static func checkFeature(ofOpcode op: UInt8, at: Int, _ features: WasmFeatures) throws(DecodeError) {
        let feature: WasmFeatures.Feature
        switch op {
        case 0x06, 0x07, 0x08, 0x09, 0x0A, 0x18, 0x19, 0x1F: feature = .exceptions
        case 0x12, 0x13: feature = .tailCalls
        case 0x14, 0xD4, 0xD5, 0xD6: feature = .functionReferences
        case 0x15: feature = features.tailCalls ? .functionReferences : .tailCalls
        default: return
        }
        if !features[feature] { throw DecodeError("illegal opcode: \(feature) support is not enabled", offset: at) }
    }

    /// Reads the immediates of block instruction `op` (just read) and records the block in `open`:
    /// 0 a plain block, 1 an `if` that may still take an `else`, 2 a legacy `try`.
    mutating func openBlock(_ op: UInt8, _ open: inout [UInt8]) throws(DecodeError) {
        try skipBlockType()
        if op == 0x1F {  // try_table: catch clauses
            let n = try readLength()
            for _ in 0..<n {
                let at = offset
                let kind = try readByte()
                guard kind <= 3 else { throw DecodeError("malformed catch clause", offset: at) }
                if kind <= 1 { _ = try readIndex() }
                _ = try readIndex()
            }
        }
        open.append(op == 0x04 ? 1 : op == 0x06 ? 2 : 0)
    }

    mutating func skipBlockType() throws(DecodeError) {
        let b = try peekByte()
        if b == 0x40 {
            offset += 1
        } else if b & 0xC0 == 0x40 {
            _ = try readValueType()
        } else {
            _ = try readS33()
        }
    }

    /// A memarg: alignment (bit 6: a memory index follows, with multi-memory), then the offset
    /// (a u64 with memory64, else a u32).
    mutating func skipMemarg(_ features: WasmFeatures) throws(DecodeError) {
        let at = offset
        let align = try readU32()
        if align & 0x40 != 0 && align < 0x80 {
            guard features.multiMemory else {
                throw DecodeError("malformed memop flags: multi-memory support is not enabled", offset: at)
            }
            _ = try readIndex()
        } else {
            guard align < (features.multiMemory ? 0x40 : 32) else { throw DecodeError("malformed memop flags", offset: at) }
        }
        if features.memory64 { _ = try readUnsignedLEB(bits: 64) } else { _ = try readU32() }
    }

    /// The memory index of `memory.size`/`grow`/`fill`/`copy`/`init`: a u32 with multi-memory,
    /// else a zero byte.
    mutating func skipMemoryIndex(_ features: WasmFeatures) throws(DecodeError) {
        if features.multiMemory {
            _ = try readIndex()
        } else {
            try expectZeroByte()
        }
    }

    mutating func expectZeroByte() throws(DecodeError) {
        let at = offset
        guard try readByte() == 0 else { throw DecodeError("zero byte expected", offset: at) }
    }
}
