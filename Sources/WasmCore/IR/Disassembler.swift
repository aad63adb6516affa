/// Readable listings of the engine's internal code, for people learning how a
/// Wasm function executes here and for engine work (`spin wasm inspect --ir`).
extension Module {
    /// The internal code of defined function `index` (function index space), one instruction a line.
    public func disassemble(function index: Int) -> String? {
        let defined = index - info.importedFunctionCount
        guard defined >= 0, defined < info.codes.count, let f = try? compiledFunction(defined: defined) else {
            return nil
        }
        var out =
            "\(functionName(at: index)): frame of \(f.frameSize) slots (\(f.localCount) declared locals), \(f.codeCount) words\n"
        var pc = 0
        while pc < f.codeCount {
            let w = f.code[pc]
            guard let op = Op(rawValue: UInt16(truncatingIfNeeded: w)) else {
                out += String(pc).leftPadded(6) + "  <bad word \(w)>\n"
                pc += 1
                continue
            }
            let a = Int((w >> 16) & 0xFFFF)
            let b = Int((w >> 32) & 0xFFFF)
            let c = Int(w >> 48)
            let imm = UInt32(truncatingIfNeeded: w >> 32)
            let length = Module.instructionLength(op, w)
            var text = "\(op)"
            switch op {
            case .br: text += " -> \(pc + Int(Int32(bitPattern: imm)))"
            case .brIf, .brIfNot, .brIf64, .brIfNot64: text += " s\(a) -> \(pc + Int(Int32(bitPattern: imm)))"
            case .brTable:
                text += " s\(a) ["
                text += (0...Int(imm)).map { i in String(pc + 1 + i + Int(Int64(bitPattern: f.code[pc + 1 + i]))) }
                    .joined(separator: ", ")
                text += "]"
            case .call: text += " func \(imm) frame s\(a)"
            case .callIndirect: text += " type \(f.code[pc + 1]) table \(c) elem s\(b) frame s\(a)"
            case .return0: break
            case .return1: text += " s\(a)"
            case .returnN: text += " s\(a) x\(b)"
            case .const32: text += " s\(a) = \(imm)"
            case .const64: text += " s\(a) = \(f.code[pc + 1])"
            case .copy: text += " s\(a) = s\(b)"
            case .brIfAnd32, .brIfNotAnd32, .brIfAnd64, .brIfNotAnd64:
                text += " s\(a) & \(f.code[pc + 1]) -> \(pc + Int(Int64(bitPattern: f.code[pc + 2])))"
            case .copy2: text += " s\(a) = s\(b); s\(c) = s\(f.code[pc + 1])"
            case .store8Imm, .store16Imm, .store32Imm, .store64Imm:
                let arg = f.code[pc + 1]
                text += " s\(a)"
                if arg >> 32 != 0 { text += " +\(Int32(bitPattern: UInt32(truncatingIfNeeded: arg >> 32)))(wrapping)" }
                text += " +\(arg & 0xFFFF_FFFF) = \(f.code[pc + 2])"
            case .globalGet, .globalSet, .tableSize, .refFunc, .dataDrop, .elemDrop: text += " s\(a) \(imm)"
            case .simd: text = Module.simdText(w, f.code[pc + 1], extra: (2..<length).map { f.code[pc + $0] })
            case .memoryGeneral: text = Module.memoryGeneralText(a: a, b: b, c: c, f.code[pc + 1], f.code[pc + 2])
            case .f64MulAdd: text += " s\(a) = s\(b) * s\(c) + s\(f.code[pc + 1])"
            case .f64MulSub: text += " s\(a) = s\(b) * s\(c) - s\(f.code[pc + 1])"
            case .f64MulRSub: text += " s\(a) = s\(f.code[pc + 1]) - s\(b) * s\(c)"
            case .f64MulMul: text += " s\(a) = s\(b) * s\(c) * s\(f.code[pc + 1])"
            case .f64AddMem, .f64SubMem, .f64RSubMem, .f64MulMem, .i32AddMem, .i32SubMem, .i32RSubMem, .i32AndMem,
                .i32OrMem, .i32XorMem:
                let arg = f.code[pc + 1]
                var memory = "[s\(c)"
                if arg >> 32 != 0 {
                    memory += " +\(Int32(bitPattern: UInt32(truncatingIfNeeded: arg >> 32)))(wrapping)"
                }
                memory += " +\(arg & 0xFFFF_FFFF)]"
                switch op {
                case .f64AddMem, .i32AddMem: text += " s\(a) = s\(b) + \(memory)"
                case .f64SubMem, .i32SubMem: text += " s\(a) = s\(b) - \(memory)"
                case .f64RSubMem, .i32RSubMem: text += " s\(a) = \(memory) - s\(b)"
                case .i32AndMem: text += " s\(a) = s\(b) & \(memory)"
                case .i32OrMem: text += " s\(a) = s\(b) | \(memory)"
                case .i32XorMem: text += " s\(a) = s\(b) ^ \(memory)"
                default: text += " s\(a) = s\(b) * \(memory)"
                }
            case .f32AddImm, .f32SubImm, .f32MulImm, .f32DivImm:
                let v = Float(bitPattern: UInt32(truncatingIfNeeded: f.code[pc + 1]))
                text += " s\(a) = s\(b), \(v)"
            case .f64AddImm, .f64SubImm, .f64MulImm, .f64DivImm:
                text += " s\(a) = s\(b), \(Double(bitPattern: f.code[pc + 1]))"
            case .i32XorShlImm, .i32XorShrUImm, .i32XorRotlImm, .i32AddShlImm, .i32AddShrUImm, .i32AddRotlImm,
                .i32OrShlImm, .i32OrShrUImm, .i32OrRotlImm:
                let name = "\(op)"
                let combine = name.hasPrefix("i32Xor") ? "^" : name.hasPrefix("i32Add") ? "+" : "|"
                let shift = name.hasSuffix("ShlImm") ? "<<" : name.hasSuffix("ShrUImm") ? ">>" : "rotl"
                text += " s\(a) = s\(b) \(combine) (s\(c) \(shift) \(f.code[pc + 1] & 0xFFFF_FFFF))"
            case .i32LoadIndexed, .i64LoadIndexed, .i32Load8UIndexed, .i32Load8SIndexed, .i32Load16UIndexed,
                .i32Load16SIndexed:
                text += " s\(a) = [s\(b) + s\(c) +\(f.code[pc + 1] & 0xFFFF_FFFF)]"
            default:
                let name = "\(op)"
                if name.hasPrefix("i32Add") && name.contains("BrIf") {
                    // A loop step: the sum, then the branch on it.
                    let arg = f.code[pc + 1]
                    let addend =
                        name.hasPrefix("i32AddImm") ? "\(Int32(bitPattern: UInt32(truncatingIfNeeded: arg)))" : "s\(c)"
                    text += " s\(a) = s\(b) + \(addend); if "
                    let relation = [
                        ("NeImm", "!="), ("LtUImm", "<u"), ("GtUImm", ">u"), ("LtSImm", "<s"), ("GtSImm", ">s"),
                    ]
                    .first { name.hasSuffix($0.0) }?.1
                    text +=
                        relation.map { "s\(a) \($0) \(Int32(bitPattern: UInt32(truncatingIfNeeded: arg >> 32)))" }
                        ?? "s\(a) != 0"
                    text += " -> \(pc + Int(Int64(bitPattern: f.code[pc + 2])))"
                } else if name.hasPrefix("brIf") {
                    let target = pc + Int(Int64(bitPattern: f.code[pc + length - 1]))
                    text += name.hasSuffix("Imm") ? " s\(a), \(Int64(bitPattern: f.code[pc + 1]))" : " s\(a), s\(b)"
                    text += " -> \(target)"
                } else if name.hasSuffix("Imm") {
                    text += " s\(a) = s\(b), \(Int64(bitPattern: f.code[pc + 1]))"
                } else if length == 2 {
                    let arg = f.code[pc + 1]
                    text += " s\(a) s\(b)"
                    if arg >> 32 != 0 {
                        text += " +\(Int32(bitPattern: UInt32(truncatingIfNeeded: arg >> 32)))(wrapping)"
                    }
                    text += " +\(arg & 0xFFFF_FFFF)"
                } else {
                    text += " s\(a) = s\(b), s\(c)"
                }
            }
            out += String(pc).leftPadded(6) + "  " + text + "\n"
            pc += length
        }
        return out
    }

    /// A vector instruction: its Wasm name (or the engine's v128 move), the
    /// destination, the operand slots its signature reads and its immediates.
    static func simdText(_ w: UInt64, _ operands: UInt64, extra: [UInt64]) -> String {
        let sub = Int((w >> 32) & 0xFFFF)
        let opcode = SIMDOpcode(rawValue: UInt32(sub))
        let dst = Int((w >> 16) & 0xFFFF)
        let slots = (0..<3).map { Int((operands >> (16 * UInt64($0))) & 0xFFFF) }
        let lane = Int(operands >> 48)
        var text = SIMDInstruction.name(sub)
        let reads: Int
        var produces = true
        var immediates = extra.map { "\($0)" }
        // A memory access's offset, after the folded i32.add addend if there is one.
        let memarg = extra.first.map { arg in
            (arg >> 32 != 0 ? "+\(Int32(bitPattern: UInt32(truncatingIfNeeded: arg >> 32)))(wrapping) " : "")
                + "+\(arg & 0xFFFF_FFFF)"
        }
        switch opcode?.signature {
        case .unary, .test, .splat: reads = 1
        case .binary, .shift: reads = 2
        case .ternary: reads = 3
        case .extractLane: reads = 1; immediates = ["lane \(lane)"]
        case .replaceLane: reads = 2; immediates = ["lane \(lane)"]
        case .const, .shuffle:
            reads = opcode == .v128Const ? 0 : 2
            immediates = [V128(low: extra[0], high: extra[1]).description]
        case .load: reads = 1; immediates = [memarg ?? ""]
        case .store: reads = 2; produces = false; immediates = [memarg ?? ""]
        case .loadLane: reads = 2; immediates = [memarg ?? "", "lane \(lane)"]
        case .storeLane: reads = 2; produces = false; immediates = [memarg ?? "", "lane \(lane)"]
        case nil:
            switch opcode {
            case .v128Copy?: reads = 1
            case .v128Select?: reads = 3
            case .v128GlobalSet?: reads = 1; produces = false
            case .v128CopyHighs?: reads = 1; produces = false; immediates = ["x\(lane)"]
            default: reads = 0
            }
        }
        if produces { text += " s\(dst) =" }
        text += (slots.prefix(reads).map { " s\($0)" } + immediates.map { " " + $0 }).joined(separator: ",")
        return text
    }

    /// Words taken by an instruction.
    static func instructionLength(_ op: Op, _ w: UInt64) -> Int { Op.length(w) }

    /// `memoryGeneral` in words: the kind, its slots, the memory (and a copy's source memory),
    /// whether addresses are 64-bit, and the offset (or `memory.init`'s data segment).
    static func memoryGeneralText(a: Int, b: Int, c: Int, _ info: UInt64, _ third: UInt64) -> String {
        guard let kind = MemoryInstruction(rawValue: UInt8(truncatingIfNeeded: info)) else { return "memoryGeneral ?" }
        let memory = (info >> 16) & 0xFF_FFFF
        let bits = info & MemoryInstruction.address64 != 0 ? " i64" : ""
        switch kind {
        case .narrowIndex: return "memoryGeneral narrowIndex s\(a) = s\(b)"
        case .widenGrowResult: return "memoryGeneral widenGrowResult s\(a)"
        case .size: return "memoryGeneral size s\(a) memory \(memory)\(bits)"
        case .grow: return "memoryGeneral grow s\(a) by s\(b) memory \(memory)\(bits)"
        case .fill: return "memoryGeneral fill [s\(a)] = s\(b) x s\(c) memory \(memory)\(bits)"
        case .copy: return "memoryGeneral copy [s\(a)] <- [s\(b)] x s\(c) memory \(memory) <- \(info >> 40)\(bits)"
        case .initialize: return "memoryGeneral init [s\(a)] <- data \(third) [s\(b)] x s\(c) memory \(memory)\(bits)"
        case .store8, .store16, .store32, .store64:
            return "memoryGeneral \(kind) [s\(a) +\(third)] = s\(b) memory \(memory)\(bits)"
        default: return "memoryGeneral \(kind) s\(a) = [s\(b) +\(third)] memory \(memory)\(bits)"
        }
    }

    /// The op names of defined function `index`'s internal code, in order (nil when it is not
    /// defined here): what the fusion tests check a pattern fused into.
    public func operationNames(function index: Int) -> [String]? {
        let defined = index - info.importedFunctionCount
        guard defined >= 0, defined < info.codes.count, let f = try? compiledFunction(defined: defined) else {
            return nil
        }
        var names: [String] = []
        var pc = 0
        while pc < f.codeCount {
            guard let op = Op(rawValue: UInt16(truncatingIfNeeded: f.code[pc])) else { return nil }
            names.append("\(op)")
            pc += Op.length(f.code[pc])
        }
        return names
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
