/// Validation and translation of the vector instructions (0xFD prefix) and of the
/// v128 moves the translator makes itself (copies, zeroing, selects, globals, returns).
///
/// Spec: https://webassembly.github.io/spec/core/valid/instructions.html#vector-instructions
/// A v128 lives in a frame slot (low half) and that slot's shadow (high half, see
/// `ExecutionStack`), so operand-stack heights map to slots exactly as for scalars.
extension Translator {
    /// Emits a vector instruction. With `produces`, it writes the top operand's slot
    /// (a following `local.set` may retarget it).
    mutating func emitSIMD(
        _ sub: SIMDOpcode, dst: Int = 0, x: Int = 0, y: Int = 0, z: Int = 0, imm: Int = 0, extra: [UInt64] = [],
        produces: Bool = false
    ) {
        guard isEmitting else { return }
        let at = code.count
        code.append(Op.simdWord(sub, dst: dst, length: 2 + extra.count))
        code.append(Op.simdOperands(x, y, z, imm: imm))
        code.append(contentsOf: extra)
        lastCopyAt = -1
        if produces { lastProducer = (at, topSlot) }
    }

    /// Copies slot `src` to `dst`, both halves when the value is a v128.
    mutating func emitCopy(_ dst: Int, _ src: Int, type: ValueType?) {
        if type == .v128 {
            emitSIMD(.v128Copy, dst: dst, x: src)
        } else {
            emit(.copy, dst, src)
        }
    }

    /// Zeroes the declared (non-parameter) v128 locals: calls zero only the low halves.
    mutating func emitVectorLocalsZeroing() {
        for i in type.parameters.count..<localCount where localTypes[i] == .v128 {
            emitSIMD(.v128Zero, dst: i)
        }
    }

    mutating func translateSIMD(_ sub: UInt32, producer: (at: Int, slot: Int)?, startCount: Int) throws {
        guard let op = SIMDOpcode(rawValue: sub), let signature = op.signature else {
            throw DecodeError("illegal opcode", offset: instructionOffset)
        }
        if (0x100...0x113).contains(sub) { try info.features.require(.relaxedSIMD, offset: instructionOffset) }
        switch signature {
        case .unary:
            let a = try pop(.v128)
            push(.v128)
            emitSIMD(op, dst: topSlot, x: a.slot, produces: true)
        case .binary:
            let b = try pop(.v128)
            let a = try pop(.v128)
            push(.v128)
            emitSIMD(op, dst: topSlot, x: a.slot, y: b.slot, produces: true)
        case .ternary:
            let c = try pop(.v128)
            let b = try pop(.v128)
            let a = try pop(.v128)
            push(.v128)
            emitSIMD(op, dst: topSlot, x: a.slot, y: b.slot, z: c.slot, produces: true)
        case .test:
            let a = try pop(.v128)
            push(.i32)
            emitSIMD(op, dst: topSlot, x: a.slot, produces: true)
        case .shift:
            let b = try pop(.i32)
            let a = try pop(.v128)
            push(.v128)
            emitSIMD(op, dst: topSlot, x: a.slot, y: b.slot, produces: true)
        case .splat(let t):
            let a = try pop(t)
            push(.v128)
            emitSIMD(op, dst: topSlot, x: a.slot, produces: true)
        case .extractLane(let t, let lanes):
            let lane = try readLane(below: lanes)
            let a = try pop(.v128)
            push(t)
            emitSIMD(op, dst: topSlot, x: a.slot, imm: lane, produces: true)
        case .replaceLane(let t, let lanes):
            let lane = try readLane(below: lanes)
            let b = try pop(t)
            let a = try pop(.v128)
            push(.v128)
            emitSIMD(op, dst: topSlot, x: a.slot, y: b.slot, imm: lane, produces: true)
        case .const:
            let low = try reader.readFixedU64()
            let high = try reader.readFixedU64()
            push(.v128)
            emitSIMD(op, dst: topSlot, extra: [low, high], produces: true)
        case .shuffle:
            let low = try reader.readFixedU64()
            let high = try reader.readFixedU64()
            for i in 0..<8 where (low >> (8 * i)) & 0xFF >= 32 || (high >> (8 * i)) & 0xFF >= 32 {
                throw invalid("invalid lane index")
            }
            let b = try pop(.v128)
            let a = try pop(.v128)
            push(.v128)
            emitSIMD(op, dst: topSlot, x: a.slot, y: b.slot, extra: [low, high], produces: true)
        case .load(let align):
            let (offset, memory) = try readMemArg(natural: align)
            let (base, extra) = try popAddress(memory: memory, offset: offset, producer: producer, startCount: startCount)
            push(.v128)
            emitSIMD(op, dst: topSlot, x: base, extra: extra, produces: true)
        case .store:
            let (offset, memory) = try readMemArg(natural: 4)
            let value = try pop(.v128)
            let (base, extra) = try popAddress(memory: memory, offset: offset, producer: producer, startCount: startCount)
            emitSIMD(op, x: base, y: value.slot, extra: extra)
        case .loadLane(let align, let lanes):
            let (offset, memory) = try readMemArg(natural: align)
            let lane = try readLane(below: lanes)
            let vector = try pop(.v128)
            let (base, extra) = try popAddress(memory: memory, offset: offset, producer: producer, startCount: startCount)
            push(.v128)
            emitSIMD(op, dst: topSlot, x: base, y: vector.slot, imm: lane, extra: extra, produces: true)
        case .storeLane(let align, let lanes):
            let (offset, memory) = try readMemArg(natural: align)
            let lane = try readLane(below: lanes)
            let vector = try pop(.v128)
            let (base, extra) = try popAddress(memory: memory, offset: offset, producer: producer, startCount: startCount)
            emitSIMD(op, x: base, y: vector.slot, imm: lane, extra: extra)
        }
    }

    /// Pops the address of a vector load or store on `memory` at `offset`: its slot and the
    /// instruction's memory words. Memory 0 of 32-bit addresses takes one word,
    /// `offset | addend << 32`; any other memory the long form (`Interpreter.vectorAccess`):
    /// an unused word, `memory | is64 << 32`, and the 64-bit offset.
    mutating func popAddress(memory: Int, offset: UInt64, producer: (at: Int, slot: Int)?, startCount: Int) throws
        -> (Int, [UInt64])
    {
        if usesGeneralPath(memory) {
            let is64 = context.memories[memory].is64
            let address = try pop(context.memories[memory].addressType)
            return (address.slot, [0, UInt64(memory) | (is64 ? 1 << 32 : 0), offset])
        }
        let (base, addend) = try popAddress(producer: producer, startCount: startCount)
        return (base, [offset | UInt64(addend) << 32])
    }

    /// Pops a memory address: a constant uses the zero slot as base, and an `i32.add`
    /// with a constant just before is folded (as for scalar loads and stores).
    mutating func popAddress(producer: (at: Int, slot: Int)?, startCount: Int) throws -> (Int, UInt32) {
        let address = try popRaw(.i32)
        if let constant = address.constant { return (zeroSlot, UInt32(truncatingIfNeeded: constant)) }
        guard code.count == startCount else { return (address.slot, 0) }
        return foldAddress(address, producer: producer, startCount: startCount)
    }

    /// Reads a lane index immediate (one byte) that must be below `lanes`.
    mutating func readLane(below lanes: Int) throws -> Int {
        let lane = Int(try reader.readByte())
        guard lane < lanes else { throw invalid("invalid lane index") }
        return lane
    }
}
