/// The instruction-by-instruction part of the translator: validation rules of
/// https://webassembly.github.io/spec/core/valid/instructions.html and the code each emits.
extension Translator {
    mutating func translateInstruction(_ opcode: UInt8) throws {
        let producer = lastProducer
        currentFeeder = eqzFeeder
        eqzFeeder = nil
        // Pushing a constant or a local emits nothing and is not a label, so the
        // previous producer stays the last instruction for the one after.
        switch opcode {
        case 0x01, 0x20, 0x41, 0x42, 0x43, 0x44, 0xD0: break
        default: lastProducer = nil
        }
        let startCount = code.count
        try ByteReader.checkFeature(ofOpcode: opcode, at: instructionOffset, info.features)
        switch opcode {
        case 0xD3, 0xFB:
            throw DecodeError(
                "garbage collection (GC) instructions are not supported by this engine", offset: instructionOffset)
        default: break
        }
        switch opcode {
        case 0x00:  // unreachable
            emit(.unreachable)
            markUnreachable()
        case 0x01:  // nop
            break
        case 0x02, 0x03:  // block, loop
            let bt = try readBlockType()
            let params = try pop(bt.params)
            operands.append(contentsOf: params)
            materializeAll()
            pushControl(opcode == 0x02 ? .block : .loop, start: bt.params, end: bt.results)
            controls[controls.count - 1].loopStart = code.count
            labelAt = code.count
        case 0x04:  // if
            let bt = try readBlockType()
            let cond = try popRaw(.i32)
            let params = try pop(bt.params)
            operands.append(contentsOf: params)
            materializeAll()
            let jump = emitConditionalJump(cond, producer: producer, startCount: startCount, negate: true)
            pushControl(.if, start: bt.params, end: bt.results)
            if isEmitting { controls[controls.count - 1].elseBranch = jump }
        case 0x05:  // else
            let frame = controls[controls.count - 1]
            guard frame.kind == .if else { throw invalid("else without matching if") }
            if !frame.unreachable && !frame.dead { materializeTop(frame.endTypes.count) }
            _ = try pop(frame.endTypes)
            guard operands.count == frame.height else { throw typeMismatch() }
            // The then-branch jumps over the else-branch.
            emitBranch(.br, 0, toLabel: 0)
            if let e = frame.elseBranch { patch(e, to: code.count) }
            controls[controls.count - 1].elseBranch = nil
            controls[controls.count - 1].kind = .else
            controls[controls.count - 1].unreachable = false
            resetInitializedLocals(to: frame.initializedHeight)
            for t in frame.startTypes { push(t) }
        case 0x0B:  // end
            try translateEnd()
        case 0x0C:  // br
            let depth = try label(try reader.readU32())
            let types = controls[controls.count - 1 - depth].labelTypes
            let vals = try popRaw(types)
            operands.append(contentsOf: vals)
            emitJump(toLabel: depth)
            markUnreachable()
        case 0x0D:  // br_if
            let depth = try label(try reader.readU32())
            let cond = try popRaw(.i32)
            let types = controls[controls.count - 1 - depth].labelTypes
            let vals = try popRaw(types)
            operands.append(contentsOf: vals)
            let target = controls[controls.count - 1 - depth]
            if target.kind == .function || needsTransfer(toLabel: depth) {
                // Copies happen on the taken path only; the fall-through keeps the stack as it is.
                let saved = operands
                let skip = emitConditionalJump(cond, producer: producer, startCount: startCount, negate: true)
                emitJump(toLabel: depth)
                if let skip { patch(skip, to: code.count) }
                operands = saved
            } else if let jump = emitConditionalJump(cond, producer: producer, startCount: startCount, negate: false) {
                if target.kind == .loop {
                    patch(jump, to: target.loopStart)
                    fuseLoopStep(branch: jump, target: target.loopStart)
                } else {
                    controls[controls.count - 1 - depth].pendingBranches.append(jump)
                }
            }
            // Values stay on the stack with the label's types.
            _ = try popRaw(types)
            for t in types { push(t) }
            for i in 0..<vals.count where i < operands.count {
                operands[operands.count - vals.count + i].slot = vals[i].slot
                operands[operands.count - vals.count + i].constant = vals[i].constant
            }
        case 0x0E:  // br_table
            try translateBrTable()
        case 0x0F:  // return
            let vals = try popRaw(type.results)
            operands.append(contentsOf: vals)
            emitReturn()
            markUnreachable()
        case 0x06:  // try (legacy exception handling)
            try translateLegacyTry()
        case 0x07:  // catch (legacy)
            try translateLegacyCatch(all: false)
        case 0x19:  // catch_all (legacy)
            try translateLegacyCatch(all: true)
        case 0x18:  // delegate (legacy)
            try translateDelegate()
        case 0x09:  // rethrow (legacy)
            try translateRethrow()
        case 0x08:  // throw
            try translateThrow()
        case 0x0A:  // throw_ref
            try translateThrowRef()
        case 0x1F:  // try_table
            try translateTryTable()
        case 0x12:  // return_call
            let index = Int(try reader.readU32())
            guard index < context.functionTypeIndices.count else { throw invalid("unknown function") }
            let ft = context.types[Int(context.functionTypeIndices[index])]
            guard context.areSubtypes(ft.results, of: type.results) else { throw typeMismatch() }
            if optimize && index == functionIndex {
                try emitSelfTailCall(ft, producer: producer, startCount: startCount)
            } else {
                let start = try prepareTailCall(ft)
                emit(.returnCall, start, imm: UInt32(index))
            }
            markUnreachable()
        case 0x13:  // return_call_indirect
            let typeIndex = Int(try reader.readU32())
            let tableIndex = Int(try reader.readU32())
            guard tableIndex < context.tables.count else { throw invalid("unknown table") }
            guard typeIndex < context.types.count else { throw invalid("unknown type") }
            guard context.isSubtype(context.tables[tableIndex].elementType, of: .funcref) else { throw typeMismatch() }
            let ft = context.types[typeIndex]
            guard context.areSubtypes(ft.results, of: type.results) else { throw typeMismatch() }
            let element = try tableOperand(tableIndex)
            let start = try prepareTailCall(ft)
            emit(.returnCallIndirect, start, element.slot, tableIndex)
            emitRaw(UInt64(typeIndex))
            markUnreachable()
        case 0x14, 0x15:  // call_ref, return_call_ref
            try translateCallReference(tail: opcode == 0x15)
        case 0xD4:  // ref.as_non_null
            try translateRefAsNonNull()
        case 0xD5:  // br_on_null
            try translateBrOnNull(producer: producer, startCount: startCount)
        case 0xD6:  // br_on_non_null
            try translateBrOnNonNull()
        case 0x10:  // call
            let index = Int(try reader.readU32())
            guard index < context.functionTypeIndices.count else { throw invalid("unknown function") }
            let ft = context.types[Int(context.functionTypeIndices[index])]
            let start = try prepareCall(ft)
            emit(.call, start, imm: UInt32(index))
            finishCall(ft)
        case 0x11:  // call_indirect
            let typeIndex = Int(try reader.readU32())
            let tableIndex = Int(try reader.readU32())
            guard tableIndex < context.tables.count else { throw invalid("unknown table") }
            guard typeIndex < context.types.count else { throw invalid("unknown type") }
            guard context.isSubtype(context.tables[tableIndex].elementType, of: .funcref) else { throw typeMismatch() }
            let ft = context.types[typeIndex]
            let element = try tableOperand(tableIndex)
            let start = try prepareCall(ft)
            emit(.callIndirect, start, element.slot, tableIndex)
            emitRaw(UInt64(typeIndex))
            finishCall(ft)
        case 0x1A:  // drop
            _ = try pop()
        case 0x1B:  // select
            let cond = try pop(.i32)
            let b = try pop()
            let a = try pop()
            if let t = a.type, t.isReference { throw typeMismatch() }
            if let t = b.type, t.isReference { throw typeMismatch() }
            if let ta = a.type, let tb = b.type, ta != tb { throw typeMismatch() }
            push(a.type ?? b.type)
            emitSelect(cond: cond, a: a, b: b)
        case 0x1C:  // select t*
            let count = try reader.readU32()
            guard count == 1 else { throw invalid("invalid result arity") }
            let t = try reader.readValueType(features: info.features)
            try checkValueType(t)
            let cond = try pop(.i32)
            let b = try pop(t)
            let a = try pop(t)
            push(t)
            emitSelect(cond: cond, a: a, b: b)
        case 0x20:  // local.get
            let index = Int(try reader.readU32())
            guard index < localTypes.count else { throw invalid("unknown local") }
            if !localInitialized.isEmpty && !localInitialized[index] { throw invalid("uninitialized local") }
            pushLocal(index)
        case 0x21, 0x22:  // local.set, local.tee
            let index = Int(try reader.readU32())
            guard index < localTypes.count else { throw invalid("unknown local") }
            let value = try popRaw(localTypes[index])
            let before = code.count
            materializeReads(ofLocal: index)
            if let constant = value.constant {
                emitConstant(constant, into: index)
            } else if value.slot != index {
                if optimize, let p = producer, p.slot == value.slot, code.count == before,
                    p.at == before - producerLength(p.at)
                {
                    // Retarget the producing instruction straight into the local.
                    code[p.at] = (code[p.at] & ~(0xFFFF << 16)) | UInt64(index) << 16
                } else {
                    emitCopy(index, value.slot, type: localTypes[index])
                }
            }
            if !localInitialized.isEmpty && !localInitialized[index] {
                localInitialized[index] = true
                initializedLog.append(index)
            }
            if opcode == 0x22 { pushLocal(index) }
        case 0x23:  // global.get
            let index = Int(try reader.readU32())
            guard index < context.globals.count else { throw invalid("unknown global") }
            push(context.globals[index].valueType)
            if context.globals[index].valueType == .v128 {
                emitSIMD(.v128GlobalGet, dst: topSlot, extra: [UInt64(index)], produces: true)
            } else {
                emitProducer(Op.word(.globalGet, topSlot, imm: UInt32(index)))
            }
        case 0x24:  // global.set
            let index = Int(try reader.readU32())
            guard index < context.globals.count else { throw invalid("unknown global") }
            guard context.globals[index].isMutable else { throw invalid("global is immutable") }
            let value = try pop(context.globals[index].valueType)
            if context.globals[index].valueType == .v128 {
                emitSIMD(.v128GlobalSet, x: value.slot, extra: [UInt64(index)])
            } else {
                emit(.globalSet, value.slot, imm: UInt32(index))
            }
        case 0x25:  // table.get
            let table = try tableIndex()
            let i = try tableOperand(table)
            push(context.tables[table].elementType)
            emitProducer(Op.word(.tableGet, topSlot, i.slot, table))
        case 0x26:  // table.set
            let table = try tableIndex()
            let v = try pop(context.tables[table].elementType)
            let i = try tableOperand(table)
            emit(.tableSet, i.slot, v.slot, table)
        case 0x28...0x35:
            try translateLoad(opcode, producer: producer, startCount: startCount)
        case 0x36...0x3E:
            try translateStore(opcode, producer: producer, startCount: startCount)
        case 0x3F:  // memory.size
            let memory = try memoryIndex()
            if usesGeneralPath(memory) {
                push(context.memories[memory].addressType)
                emitMemoryGeneral(.size, a: topSlot, memory: memory, produces: true)
            } else {
                push(.i32)
                emitProducer(Op.word(.memorySize, topSlot))
            }
        case 0x40:  // memory.grow
            let memory = try memoryIndex()
            let addressType = context.memories[memory].addressType
            let delta = try pop(addressType)
            push(addressType)
            if usesGeneralPath(memory) {
                emitMemoryGeneral(.grow, a: topSlot, b: delta.slot, memory: memory, produces: true)
            } else {
                emitProducer(Op.word(.memoryGrow, topSlot, delta.slot))
            }
        case 0x41:  // i32.const
            pushConstant(.i32, UInt64(UInt32(bitPattern: try reader.readS32())))
        case 0x42:  // i64.const
            pushConstant(.i64, UInt64(bitPattern: try reader.readS64()))
        case 0x43:  // f32.const
            pushConstant(.f32, UInt64(try reader.readFixedU32()))
        case 0x44:  // f64.const
            pushConstant(.f64, try reader.readFixedU64())
        case 0x45...0xC4:
            try translateNumeric(UInt32(opcode), producer: producer, startCount: startCount)
        case 0xD0:  // ref.null
            let heapAt = reader.offset
            let t = try reader.readHeapType()
            try ByteReader.checkFeatures(of: t, at: heapAt, info.features, malformed: "malformed reference type")
            try checkValueType(t)
            pushConstant(t, 0)
        case 0xD1:  // ref.is_null
            let v = try pop()
            if let t = v.type, !t.isReference { throw typeMismatch() }
            push(.i32)
            emitProducer(Op.word(.i64Eqz, topSlot, v.slot))
        case 0xD2:  // ref.func
            let index = try reader.readU32()
            guard Int(index) < context.functionTypeIndices.count else { throw invalid("unknown function \(index)") }
            guard context.declaredFunctionReferences.contains(index) else {
                throw invalid("undeclared function reference")
            }
            push(.reference(.defined(context.functionTypeIndices[Int(index)]), nullable: false))
            emitProducer(Op.word(.refFunc, topSlot, imm: index))
        case 0xFC:
            try translatePrefixed(try reader.readU32())
        case 0xFD:
            try translateSIMD(try reader.readU32(), producer: producer, startCount: startCount)
        case 0xFE:
            throw WasmFeatures.atomicsUnsupported(offset: instructionOffset)
        default:
            throw DecodeError("illegal opcode", offset: instructionOffset)
        }
    }

    /// Slot of the operand on top of the stack.
    var topSlot: Int { slot(ofHeight: operands.count - 1) }

    /// Words of the instruction at `at` (for the retargeting check).
    func producerLength(_ at: Int) -> Int {
        Op.length(code[at])
    }

    /// Emits an instruction (plus optional extra word) that writes the top operand's own slot.
    mutating func emitProducer(_ w: UInt64, extra: UInt64? = nil) {
        guard isEmitting else { return }
        let at = code.count
        code.append(w)
        if let extra { code.append(extra) }
        lastProducer = (at, topSlot)
    }

    mutating func emitConst64(_ v: UInt64) {
        emitProducer(Op.word(.const64, topSlot), extra: v)
    }

    mutating func emitSelect(cond: Operand, a: Operand, b: Operand) {
        if a.type == .v128 || b.type == .v128 {
            emitSIMD(.v128Select, dst: topSlot, x: a.slot, y: b.slot, z: cond.slot, produces: true)
            return
        }
        emitProducer(Op.word(.select, topSlot, a.slot, b.slot), extra: UInt64(cond.slot))
    }

    mutating func zeroByte() throws {
        let at = reader.offset
        guard try reader.readByte() == 0 else { throw DecodeError("zero byte expected", offset: at) }
    }

    /// The number of data segments `memory.init` / `data.drop` may name. A module
    /// with data segments must declare them in a data count section (malformed
    /// otherwise); one without any has none to name.
    func requiredDataCount() throws(DecodeError) -> Int {
        if let n = context.dataCount { return n }
        guard info.data.isEmpty else {
            throw DecodeError("data count section required", offset: instructionOffset)
        }
        return 0
    }

    func requireMemory() throws(ValidationError) {
        guard !context.memories.isEmpty else { throw invalid("unknown memory 0") }
    }

    /// Pops an index (or count) operand of table `table` (nil: an i32). A 64-bit table's i64
    /// is narrowed, saturating, into the operand's own stack slot (`MemoryInstruction.narrowIndex`),
    /// so the 32-bit table instructions see an index of 2^32 or more as out of range.
    mutating func tableOperand(_ table: Int?) throws -> Operand {
        guard let table, context.tables[table].is64 else { return try pop(.i32) }
        let wide = try pop(.i64)
        let narrow = Operand(type: .i64, slot: slot(ofHeight: operands.count))
        emitMemoryGeneral(.narrowIndex, a: narrow.slot, b: wide.slot, memory: 0)
        return narrow
    }

    mutating func tableIndex() throws -> Int {
        let t = Int(try reader.readU32())
        guard t < context.tables.count else { throw invalid("unknown table \(t)") }
        return t
    }

    /// Checks and materializes call arguments; returns the callee frame's first slot.
    mutating func prepareCall(_ ft: FunctionType) throws -> Int {
        let args = try pop(ft.parameters)
        operands.append(contentsOf: args)
        materializeTop(args.count)
        let start = slot(ofHeight: operands.count - args.count)
        operands.removeLast(args.count)
        return start
    }

    /// A `return_call` of the function itself (optimising tier): a loop. The arguments become the
    /// parameters, the declared locals are zeroed as on entry, and a branch goes back to the
    /// function's first instruction (an interrupt check, as at any back-edge). It costs what a
    /// `br` loop costs; the reference tier keeps the general `returnCall`.
    ///
    /// The argument moves are a parallel assignment. An argument that is `local.get i` of its own
    /// parameter `i` needs no move. A non-v128 last argument computed by the instruction just
    /// before is retargeted straight into its parameter (as `local.set` does) when no other
    /// argument still reads that parameter lazily. An earlier argument whose value one pure
    /// instruction computed (`Op.pureReads`) has that instruction sunk below the later arguments'
    /// code and retargeted into its parameter, when that code is pure, holds no branch target and
    /// writes none of its inputs, and no remaining move reads the parameter lazily
    /// (`sinkArgumentProducer`): `f(n - 1, acc + n)` then compiles to what the `br` loop does. A
    /// lazy read of a parameter that another move writes (swaps, cycles) is first copied to the
    /// argument's own temporary; every other source (temporaries, constants, unwritten locals) is
    /// moved directly.
    mutating func emitSelfTailCall(_ ft: FunctionType, producer: (at: Int, slot: Int)?, startCount: Int) throws {
        // Constants stay lazy: each is written straight into its parameter.
        let args = try popRaw(ft.parameters)
        let base = operands.count
        operands.append(contentsOf: args)
        defer { operands.removeLast(args.count) }
        guard isEmitting else { return }
        let n = args.count
        let paramCount = ft.parameters.count
        func readsLazily(_ a: Operand, _ local: Int) -> Bool { a.constant == nil && a.slot == local }
        // Moves still to do: every argument except one already in its parameter.
        var moves = (0..<n).map { !readsLazily(args[$0], $0) }
        if n > 0, moves[n - 1], let p = producer, args[n - 1].type != .v128, args[n - 1].constant == nil,
            p.slot == args[n - 1].slot, p.slot >= localCount, code.count == startCount,
            p.at == startCount - producerLength(p.at),
            !(0..<(n - 1)).contains(where: { moves[$0] && readsLazily(args[$0], n - 1) })
        {
            code[p.at] = (code[p.at] & ~(0xFFFF << 16)) | UInt64(n - 1) << 16
            moves[n - 1] = false
        }
        // Earlier arguments computed by one pure instruction: sunk below the later arguments' code
        // and retargeted into their parameters, unless a remaining move reads that parameter lazily.
        // Producers are in argument order; each one sunk moves the code after it down by its length.
        var sunkWords = 0
        for k in 0..<max(n - 1, 0) where moves[k] {
            let a = args[k]
            guard a.constant == nil, a.producedAt >= 0, ft.parameters[k] != .v128, a.slot >= stackBase,
                !(0..<n).contains(where: { $0 != k && moves[$0] && readsLazily(args[$0], k) }),
                let length = sinkArgumentProducer(at: a.producedAt - sunkWords, slot: a.slot, into: k)
            else { continue }
            moves[k] = false
            sunkWords += length
        }
        for j in 0..<n where moves[j] {
            let source = operands[base + j]
            if source.constant == nil, source.slot < paramCount, source.slot != j, moves[source.slot] {
                materialize(base + j)
            }
        }
        for j in 0..<n where moves[j] {
            let source = operands[base + j]
            if let value = source.constant {
                emitConstant(value, into: j)
            } else {
                emitCopy(j, source.slot, type: ft.parameters[j])
            }
        }
        for i in ft.parameters.count..<localCount where localTypes[i] != .v128 { emit(.const32, i, imm: 0) }
        lastCopyAt = -1
        let at = code.count
        code.append(Op.word(.br, 0, imm: UInt32(bitPattern: Int32(0 - at))))
    }

    /// Moves the instruction at `at`, which computes `slot` (an argument of a self tail call), to
    /// the end of the code and retargets it into parameter `parameter`; returns its length. Only
    /// when it is pure (`Op.pureReads`), no branch target lies after it, and the code after it is
    /// pure instructions that do not write what it reads nor touch `slot`; nil (nothing changed)
    /// otherwise.
    mutating func sinkArgumentProducer(at: Int, slot: Int, into parameter: Int) -> Int? {
        guard at >= 0, at < code.count, labelAt <= at else { return nil }
        let word = code[at]
        guard let reads = Op.pureReads(word), Self.field(word, 1) == slot else { return nil }
        let length = Op.length(word)
        let inputs = (1...2).prefix(reads).map { Self.field(word, $0 + 1) }
        var i = at + length
        while i < code.count {
            let w = code[i]
            guard let r = Op.pureReads(w) else { return nil }
            let written = Self.field(w, 1)
            if written == slot || inputs.contains(written) { return nil }
            if (1...2).prefix(r).contains(where: { Self.field(w, $0 + 1) == slot }) { return nil }
            i += Op.length(w)
        }
        guard i == code.count else { return nil }
        var moved = Array(code[at..<(at + length)])
        moved[0] = (word & ~(0xFFFF << 16)) | UInt64(parameter) << 16
        code.removeSubrange(at..<(at + length))
        code.append(contentsOf: moved)
        // Positions that named code after `at` are stale: no copy merges into the moved words.
        lastCopyAt = -1
        lastAddAt = -1
        return length
    }

    /// Field `n` of an instruction word (1: a, 2: b, 3: c).
    static func field(_ word: UInt64, _ n: Int) -> Int { Int(truncatingIfNeeded: (word >> (16 * UInt64(n))) & 0xFFFF) }

    /// `prepareCall` for a tail call: a v128 argument's high half moves down to its parameter's
    /// shadow first (the interpreter moves the low halves).
    mutating func prepareTailCall(_ ft: FunctionType) throws -> Int {
        let start = try prepareCall(ft)
        if ft.parameters.contains(.v128) { emitSIMD(.v128CopyHighs, x: start, imm: ft.parameters.count) }
        return start
    }

    mutating func finishCall(_ ft: FunctionType) {
        for t in ft.results { push(t) }
    }

    mutating func translateEnd() throws {
        let frame = controls[controls.count - 1]
        let reachable = !frame.unreachable && !frame.dead
        let bodyEnd = code.count
        if reachable {
            if frame.kind == .function {
                emitReturn()
            } else {
                materializeTop(frame.endTypes.count)
                emitMoveDownHidden(frame)
            }
        }
        _ = try pop(frame.endTypes)
        guard operands.count == frame.floor else { throw typeMismatch() }
        if frame.kind == .if && frame.startTypes != frame.endTypes { throw typeMismatch() }
        resetInitializedLocals(to: frame.initializedHeight)
        controls.removeLast()
        operands.removeSubrange(min(frame.height, operands.count)...)
        let target = code.count
        if let e = frame.elseBranch { patch(e, to: target) }
        for b in frame.pendingBranches { patch(b, to: target) }
        if !frame.pendingHandlers.isEmpty {
            closeHandlers(frame, end: bodyEnd)
            labelAt = target
        }
        if frame.kind == .function { return }
        for t in frame.endTypes { push(t) }
    }

    mutating func translateBrTable() throws {
        let count = Int(try reader.readU32())
        guard count <= reader.remaining else { throw DecodeError("unexpected end", offset: reader.offset) }
        var depths: [Int] = []
        depths.reserveCapacity(count + 1)
        for _ in 0..<count { depths.append(try label(try reader.readU32())) }
        let defaultDepth = try label(try reader.readU32())
        depths.append(defaultDepth)
        let index = try pop(.i32)
        let arity = controls[controls.count - 1 - defaultDepth].labelTypes.count
        for d in depths {
            let types = controls[controls.count - 1 - d].labelTypes
            guard types.count == arity else { throw typeMismatch() }
            let vals = try popRaw(types)
            operands.append(contentsOf: vals)
        }
        if isEmitting {
            let tableAt = code.count
            emit(.brTable, index.slot, imm: UInt32(count))
            var trampolines: [(entry: Int, depth: Int)] = []
            for d in depths {
                if controls[controls.count - 1 - d].kind == .function || needsTransfer(toLabel: d) {
                    trampolines.append((code.count, d))
                    code.append(0)
                } else {
                    emitTableEntry(toLabel: d)
                }
            }
            _ = tableAt
            // Each trampoline runs alone: what one writes (materialized operands) the next cannot assume.
            let saved = operands
            for (entry, d) in trampolines {
                code[entry] = UInt64(bitPattern: Int64(code.count - entry))
                labelAt = code.count
                emitJump(toLabel: d)
                operands = saved
            }
        }
        markUnreachable()
    }

    mutating func translateLoad(_ opcode: UInt8, producer: (at: Int, slot: Int)?, startCount: Int) throws {
        let (op, natural, type): (Op, UInt32, ValueType) =
            switch opcode {
            case 0x28: (.i32Load, 2, .i32)
            case 0x29: (.i64Load, 3, .i64)
            case 0x2A: (.i32Load, 2, .f32)
            case 0x2B: (.i64Load, 3, .f64)
            case 0x2C: (.i32Load8S, 0, .i32)
            case 0x2D: (.i32Load8U, 0, .i32)
            case 0x2E: (.i32Load16S, 1, .i32)
            case 0x2F: (.i32Load16U, 1, .i32)
            case 0x30: (.i64Load8S, 0, .i64)
            case 0x31: (.i64Load8U, 0, .i64)
            case 0x32: (.i64Load16S, 1, .i64)
            case 0x33: (.i64Load16U, 1, .i64)
            case 0x34: (.i64Load32S, 2, .i64)
            default: (.i64Load32U, 2, .i64)
            }
        let (offset, memory) = try readMemArg(natural: natural)
        if usesGeneralPath(memory) {
            let address = try pop(context.memories[memory].addressType)
            push(type)
            emitMemoryGeneral(
                Translator.generalLoad(opcode), a: topSlot, b: address.slot, memory: memory, third: offset,
                produces: true)
            return
        }
        let address = try popRaw(.i32)
        // Ask whether the load has an indexed form before folding: folding removes the add.
        if optimize, let indexed = Translator.indexedLoad(op),
            let (x, y) = foldIndexedAddress(address, producer: producer, startCount: startCount)
        {
            push(type)
            emitProducer(Op.word(indexed, topSlot, x, y), extra: offset)
            return
        }
        let (base, addend) =
            address.constant.map { (zeroSlot, UInt32(truncatingIfNeeded: $0)) }
            ?? foldAddress(address, producer: producer, startCount: startCount)
        push(type)
        emitProducer(Op.word(op, topSlot, base), extra: offset | UInt64(addend) << 32)
    }

    /// The load that takes its address as the sum of two slots, if `op` has one.
    static func indexedLoad(_ op: Op) -> Op? {
        switch op {
        case .i32Load: .i32LoadIndexed
        case .i64Load: .i64LoadIndexed
        case .i32Load8U: .i32Load8UIndexed
        case .i32Load8S: .i32Load8SIndexed
        case .i32Load16U: .i32Load16UIndexed
        case .i32Load16S: .i32Load16SIndexed
        default: nil
        }
    }

    /// When the address was just computed by `i32.add x, y` of two slots into a temporary
    /// (`a[i]`), removes that add and returns x and y for an indexed load.
    mutating func foldIndexedAddress(_ address: Operand, producer: (at: Int, slot: Int)?, startCount: Int) -> (
        Int, Int
    )? {
        guard optimize, isEmitting, address.constant == nil, let p = producer, p.slot == address.slot,
            address.slot == slot(ofHeight: operands.count), p.at + 1 == startCount, p.at + 1 == code.count,
            labelAt != startCount, Op.decode(code[p.at]) == .i32Add
        else { return nil }
        let w = code[p.at]
        code.removeLast()
        lastCopyAt = -1
        return (Int((w &>> 32) & 0xFFFF), Int(w &>> 48))
    }

    /// When the address was just computed by `i32.add base, K` into a temporary,
    /// the access takes `base` and `K` itself (the add still wraps at 32 bits:
    /// the effective address is `UInt32(base &+ K) + offset`).
    mutating func foldAddress(_ address: Operand, producer: (at: Int, slot: Int)?, startCount: Int) -> (Int, UInt32) {
        guard optimize, isEmitting, let p = producer, p.slot == address.slot, p.at + 2 == startCount, p.at + 2 == code.count,
            Op(rawValue: UInt16(truncatingIfNeeded: code[p.at])) == .i32AddImm
        else { return (address.slot, 0) }
        let base = Int((code[p.at] &>> 32) & 0xFFFF)
        let addend = UInt32(truncatingIfNeeded: code[p.at + 1])
        code.removeSubrange(p.at..<(p.at + 2))
        lastCopyAt = -1
        return (base, addend)
    }

    mutating func translateStore(_ opcode: UInt8, producer: (at: Int, slot: Int)?, startCount: Int) throws {
        let (op, natural, type): (Op, UInt32, ValueType) =
            switch opcode {
            case 0x36: (.store32, 2, .i32)
            case 0x37: (.store64, 3, .i64)
            case 0x38: (.store32, 2, .f32)
            case 0x39: (.store64, 3, .f64)
            case 0x3A: (.store8, 0, .i32)
            case 0x3B: (.store16, 1, .i32)
            case 0x3C: (.store8, 0, .i64)
            case 0x3D: (.store16, 1, .i64)
            default: (.store32, 2, .i64)
            }
        let (offset, memory) = try readMemArg(natural: natural)
        if usesGeneralPath(memory) {
            let value = try pop(type)
            let address = try pop(context.memories[memory].addressType)
            emitMemoryGeneral(
                Translator.generalStore(opcode), a: address.slot, b: value.slot, memory: memory, third: offset)
            return
        }
        let value = try popRaw(type)
        let address = try popRaw(.i32)
        // A constant address uses the zero slot as its base; otherwise fold the address
        // computation (emitted just before, when the value is a local or a constant).
        // A constant value then takes the immediate form.
        let (base, addend): (Int, UInt32)
        if let constant = address.constant {
            (base, addend) = (zeroSlot, UInt32(truncatingIfNeeded: constant))
        } else if code.count == startCount {
            (base, addend) = foldAddress(address, producer: producer, startCount: startCount)
        } else {
            (base, addend) = (address.slot, 0)
        }
        if let constant = value.constant {
            let immediateOp: Op =
                switch op {
                case .store8: .store8Imm
                case .store16: .store16Imm
                case .store32: .store32Imm
                default: .store64Imm
                }
            emit(immediateOp, base)
            emitRaw(offset | UInt64(addend) << 32)
            emitRaw(constant)
        } else {
            emit(op, base, value.slot)
            emitRaw(offset | UInt64(addend) << 32)
        }
    }

    /// Reads a memarg: the alignment exponent (bit 6 set: a memory index follows, multi-memory),
    /// the memory index, the offset (a u64 with memory64; below 2^32 for a 32-bit memory).
    /// Checks the alignment against the access's natural alignment.
    mutating func readMemArg(natural: UInt32) throws -> (offset: UInt64, memory: Int) {
        let alignAt = reader.offset
        var align = try reader.readU32()
        var memory = 0
        if align & 0x40 != 0 && align < 0x80 {
            guard info.features.multiMemory else {
                throw DecodeError("malformed memop flags: multi-memory support is not enabled", offset: alignAt)
            }
            align -= 0x40
            memory = Int(try reader.readU32())
        } else if align >= (info.features.multiMemory ? 0x40 : 32) {
            throw DecodeError("malformed memop flags", offset: alignAt)
        }
        let offset = info.features.memory64 ? try reader.readUnsignedLEB(bits: 64) : UInt64(try reader.readU32())
        guard memory < context.memories.count else { throw invalid("unknown memory \(memory)") }
        guard align <= natural else { throw invalid("alignment must not be larger than natural") }
        if !context.memories[memory].is64 && offset > UInt64(UInt32.max) { throw invalid("offset out of range") }
        return (offset, memory)
    }

    /// A memory index immediate (`memory.size`, `memory.grow`, bulk memory): a zero byte
    /// without multi-memory, else a u32; the memory must exist.
    mutating func memoryIndex() throws -> Int {
        let at = reader.offset
        let memory: Int
        if info.features.multiMemory {
            memory = Int(try reader.readU32())
        } else {
            guard try reader.readByte() == 0 else {
                throw DecodeError("zero byte expected: multi-memory support is not enabled", offset: at)
            }
            memory = 0
        }
        guard memory < context.memories.count else { throw invalid("unknown memory \(memory)") }
        return memory
    }

    /// Whether instructions on `memory` take `Op.memoryGeneral` (any memory but a 32-bit memory 0).
    func usesGeneralPath(_ memory: Int) -> Bool {
        memory != 0 || context.memories[0].is64
    }

    /// Emits an `Op.memoryGeneral` instruction on `memory` (and `second`, the source of a copy).
    mutating func emitMemoryGeneral(
        _ kind: MemoryInstruction, a: Int = 0, b: Int = 0, c: Int = 0, memory: Int, second: Int = 0,
        third: UInt64 = 0, produces: Bool = false
    ) {
        guard isEmitting else { return }
        let at = code.count
        code.append(Op.word(.memoryGeneral, a, b, c))
        let is64 = memory < context.memories.count && context.memories[memory].is64
        let secondIs64 = second < context.memories.count && context.memories[second].is64
        code.append(MemoryInstruction.word(kind, memory: memory, is64: is64, second: second, secondIs64: secondIs64))
        code.append(third)
        lastCopyAt = -1
        if produces { lastProducer = (at, topSlot) }
    }

    /// The general memory kind of a load opcode (0x28...0x35).
    static func generalLoad(_ opcode: UInt8) -> MemoryInstruction {
        switch opcode {
        case 0x28, 0x2A, 0x35: .load32
        case 0x29, 0x2B: .load64
        case 0x2C: .load8S32
        case 0x2D, 0x31: .load8U
        case 0x2E: .load16S32
        case 0x2F, 0x33: .load16U
        case 0x30: .load8S64
        case 0x32: .load16S64
        default: .load32S64
        }
    }

    /// The general memory kind of a store opcode (0x36...0x3E).
    static func generalStore(_ opcode: UInt8) -> MemoryInstruction {
        switch opcode {
        case 0x36, 0x38, 0x3E: .store32
        case 0x37, 0x39: .store64
        case 0x3A, 0x3C: .store8
        default: .store16
        }
    }

    mutating func translateNumeric(
        _ opcode: UInt32, producer: (at: Int, slot: Int)? = nil, startCount: Int = -1
    ) throws {
        guard let n = Translator.numericOp(opcode) else {
            throw DecodeError("illegal opcode", offset: instructionOffset)
        }
        if let second = n.second {
            var b = try popRaw(second)
            var a = try popRaw(n.first)
            if n.commutative && a.constant != nil && b.constant == nil { swap(&a, &b) }
            if fuseMultiply(into: n.op, a, b, producer: producer, startCount: startCount) { return }
            if fuseLoad(into: n.op, a, b, producer: producer, startCount: startCount) { return }
            if fuseShift(into: n.op, a, b, producer: producer, startCount: startCount) { return }
            if let immediateOp = n.immediate, let value = b.constant {
                a = writeConstant(a)
                push(n.result)
                emitProducer(Op.word(immediateOp, topSlot, a.slot), extra: value)
            } else {
                a = writeConstant(a)
                b = writeConstant(b)
                push(n.result)
                emitProducer(Op.word(n.op, topSlot, a.slot, b.slot))
            }
            if n.op == .i32Add, let p = lastProducer { lastAddAt = p.at }
        } else {
            let a = try pop(n.first)
            push(n.result)
            emitProducer(Op.word(n.op, topSlot, a.slot))
            // An eqz right after the instruction computing its operand: remember that
            // instruction, so a following branch can fuse all three (and + eqz + br_if).
            if n.op == .i32Eqz || n.op == .i64Eqz, let p = producer, p.slot == a.slot,
                p.at + producerLength(p.at) == startCount, lastProducer?.at == startCount
            {
                eqzFeeder = p
            }
        }
    }

    /// The instruction just before this one, when it wrote one of the popped operands `a`, `b`
    /// (neither a lazy constant) to that operand's own stack slot, so nothing else reads its
    /// result and it can be rewritten into a fused instruction: its code index and op, whether
    /// its result is the first operand, and the other operand.
    func fusibleProducer(
        _ a: Operand, _ b: Operand, producer: (at: Int, slot: Int)?, startCount: Int
    ) -> (at: Int, op: Op, isFirst: Bool, other: Operand)? {
        guard optimize, isEmitting, let p = producer, code.count == startCount, labelAt != startCount,
            p.at + Op.length(code[p.at]) == startCount, a.constant == nil, b.constant == nil
        else { return nil }
        let height = operands.count  // a's stack height; b's is one above
        if p.slot == a.slot && a.slot == slot(ofHeight: height) {
            return (p.at, Op.decode(code[p.at]), true, b)
        }
        if p.slot == b.slot && b.slot == slot(ofHeight: height + 1) {
            return (p.at, Op.decode(code[p.at]), false, a)
        }
        return nil
    }

    /// When an f64 add, sub or mul takes the result of the `f64.mul` just before it (a stack
    /// temporary nothing else reads), rewrites that mul into one fused instruction
    /// (`f64MulAdd` and kin: the product is still rounded before the second operation, so
    /// results are bit-identical). `a` and `b` are the popped operands. Returns whether it did.
    mutating func fuseMultiply(
        into op: Op, _ a: Operand, _ b: Operand, producer: (at: Int, slot: Int)?, startCount: Int
    ) -> Bool {
        guard op == .f64Add || op == .f64Sub || op == .f64Mul,
            let p = fusibleProducer(a, b, producer: producer, startCount: startCount), p.op == .f64Mul
        else { return false }
        let fused: Op
        switch op {
        case .f64Add: fused = .f64MulAdd
        case .f64Mul: fused = .f64MulMul
        default: fused = p.isFirst ? .f64MulSub : .f64MulRSub
        }
        push(.f64)
        let mul = code[p.at]
        code[p.at] = (mul & ~0xFFFF_FFFF) | UInt64(fused.rawValue) | UInt64(topSlot) << 16
        code.append(UInt64(p.other.slot))
        lastProducer = (p.at, topSlot)
        return true
    }

    /// A loop's closing branch right after the `i32.add` that stepped the value it tests
    /// (`i += k; br_if (i != n)` and kin): the two become one loop-step instruction
    /// (`i32AddImmBrIfI32NeImm` and the others of `Scripts/generate-opcodes.py`).
    /// `branch` was just emitted and patched to `target`, the loop's start.
    mutating func fuseLoopStep(branch: PendingBranch, target: Int) {
        let add = lastAddAt
        guard optimize, isEmitting, add >= 0, add < code.count, labelAt <= add, target <= add else { return }
        let addWord = code[add]
        let addOp = Op.decode(addWord)
        guard addOp == .i32Add || addOp == .i32AddImm, add + Op.length(addWord) == branch.at,
            branch.at + Op.length(code[branch.at]) == code.count
        else { return }
        let branchWord = code[branch.at]
        guard (branchWord &>> 16) & 0xFFFF == (addWord &>> 16) & 0xFFFF else { return }
        let plain = addOp == .i32Add
        let fused: Op
        switch Op.decode(branchWord) {
        case .brIf: fused = plain ? .i32AddBrIf : .i32AddImmBrIf
        case .brIfI32NeImm: fused = plain ? .i32AddBrIfI32NeImm : .i32AddImmBrIfI32NeImm
        case .brIfI32LtUImm: fused = plain ? .i32AddBrIfI32LtUImm : .i32AddImmBrIfI32LtUImm
        case .brIfI32GtUImm: fused = plain ? .i32AddBrIfI32GtUImm : .i32AddImmBrIfI32GtUImm
        case .brIfI32LtSImm: fused = plain ? .i32AddBrIfI32LtSImm : .i32AddImmBrIfI32LtSImm
        case .brIfI32GtSImm: fused = plain ? .i32AddBrIfI32GtSImm : .i32AddImmBrIfI32GtSImm
        default: return
        }
        let addend = plain ? 0 : code[add + 1] & 0xFFFF_FFFF
        let bound = Op.decode(branchWord) == .brIf ? 0 : code[branch.at + 1] & 0xFFFF_FFFF
        code.removeSubrange(add..<code.count)
        code.append((addWord & ~0xFFFF) | UInt64(fused.rawValue))
        code.append(addend | bound << 32)
        code.append(UInt64(bitPattern: Int64(target - add)))
        lastCopyAt = -1
        lastAddAt = -1
        lastProducer = nil
    }

    /// When an f64 add, sub or mul takes the value the `f64.load` just before it left in a
    /// stack temporary (or an i32 add, sub, and, or, xor the value of an `i32.load`), rewrites
    /// that load into one instruction that reads memory itself (`f64AddMem`, `i32AddMem` and
    /// kin; the load's bounds check and trap come first, as before).
    /// `a` and `b` are the popped operands. Returns whether it did.
    mutating func fuseLoad(
        into op: Op, _ a: Operand, _ b: Operand, producer: (at: Int, slot: Int)?, startCount: Int
    ) -> Bool {
        let wide = op == .f64Add || op == .f64Sub || op == .f64Mul
        let narrow = op == .i32Add || op == .i32Sub || op == .i32And || op == .i32Or || op == .i32Xor
        guard wide || narrow, let p = fusibleProducer(a, b, producer: producer, startCount: startCount),
            p.op == (wide ? .i64Load : .i32Load)
        else { return false }
        let fused: Op
        switch op {
        case .f64Add: fused = .f64AddMem
        case .f64Mul: fused = .f64MulMem
        case .f64Sub: fused = p.isFirst ? .f64RSubMem : .f64SubMem
        case .i32Add: fused = .i32AddMem
        case .i32And: fused = .i32AndMem
        case .i32Or: fused = .i32OrMem
        case .i32Xor: fused = .i32XorMem
        default: fused = p.isFirst ? .i32RSubMem : .i32SubMem
        }
        push(wide ? .f64 : .i32)
        let base = (code[p.at] &>> 32) & 0xFFFF
        code[p.at] = Op.word(fused, topSlot, p.other.slot, Int(base))
        lastProducer = (p.at, topSlot)
        return true
    }

    /// When an i32 xor, add or or takes the result of the shift or rotate by a constant just
    /// before it (a stack temporary), rewrites the two into one instruction (`i32XorRotlImm`
    /// and kin, generated by `Scripts/generate-opcodes.py`): `d = a op (x shift k)`.
    mutating func fuseShift(
        into op: Op, _ a: Operand, _ b: Operand, producer: (at: Int, slot: Int)?, startCount: Int
    ) -> Bool {
        guard op == .i32Xor || op == .i32Add || op == .i32Or,
            let p = fusibleProducer(a, b, producer: producer, startCount: startCount)
        else { return false }
        let fused: Op
        switch (op, p.op) {
        case (.i32Xor, .i32ShlImm): fused = .i32XorShlImm
        case (.i32Xor, .i32ShrUImm): fused = .i32XorShrUImm
        case (.i32Xor, .i32RotlImm): fused = .i32XorRotlImm
        case (.i32Add, .i32ShlImm): fused = .i32AddShlImm
        case (.i32Add, .i32ShrUImm): fused = .i32AddShrUImm
        case (.i32Add, .i32RotlImm): fused = .i32AddRotlImm
        case (.i32Or, .i32ShlImm): fused = .i32OrShlImm
        case (.i32Or, .i32ShrUImm): fused = .i32OrShrUImm
        case (.i32Or, .i32RotlImm): fused = .i32OrRotlImm
        default: return false
        }
        // All three operations are commutative: the other operand goes first either way.
        push(.i32)
        let source = Int((code[p.at] &>> 32) & 0xFFFF)
        code[p.at] = Op.word(fused, topSlot, p.other.slot, source)
        lastProducer = (p.at, topSlot)
        return true
    }

    /// Emits a jump taken when `cond` is non-zero (zero when `negate`). When the
    /// previous instruction computed `cond` with a comparison (or `i32.eqz`), the
    /// two become one fused compare-and-branch. Returns the branch to patch.
    mutating func emitConditionalJump(
        _ cond: Operand, producer: (at: Int, slot: Int)?, startCount: Int, negate: Bool
    ) -> PendingBranch? {
        guard isEmitting else { return nil }
        if optimize, cond.constant == nil, let p = producer, p.slot == cond.slot, p.at + producerLength(p.at) == startCount {
            let w = code[p.at]
            let op = Op(rawValue: UInt16(truncatingIfNeeded: w))
            if let op, let fused = Translator.branchFusion(op) {
                // The comparison's operands move from fields b/c to a/b; an immediate stays in the next word.
                let a = (w &>> 32) & 0xFFFF
                let op = UInt64((negate ? fused.branchNot : fused.branch).rawValue)
                if fused.immediate {
                    let imm = code[p.at + 1]
                    code.removeSubrange(p.at..<(p.at + 2))
                    lastCopyAt = -1
                    let at = code.count
                    code.append(contentsOf: [op | a << 16, imm, 0])
                    return PendingBranch(at: at, kind: .word(2))
                }
                code.remove(at: p.at)
                lastCopyAt = -1
                let at = code.count
                code.append(op | a << 16 | ((w &>> 48) << 32))
                code.append(0)
                return PendingBranch(at: at, kind: .word(1))
            }
            if op == .i32AndImm || op == .i64AndImm {
                // Test bits and branch: (a & imm) != 0, or == 0 when negated.
                let a = (w &>> 32) & 0xFFFF
                let imm = code[p.at + 1]
                let wide = op == .i64AndImm
                let fusedOp: Op = negate ? (wide ? .brIfNotAnd64 : .brIfNotAnd32) : (wide ? .brIfAnd64 : .brIfAnd32)
                code.removeSubrange(p.at..<(p.at + 2))
                lastCopyAt = -1
                let at = code.count
                code.append(contentsOf: [UInt64(fusedOp.rawValue) | a << 16, imm, 0])
                return PendingBranch(at: at, kind: .word(2))
            }
            if op == .i32Eqz || op == .i64Eqz, let f = currentFeeder, f.at + 2 == p.at, labelAt != p.at,
                f.slot == Int((w &>> 32) & 0xFFFF),
                Op(rawValue: UInt16(truncatingIfNeeded: code[f.at])) == (op == .i64Eqz ? .i64AndImm : .i32AndImm)
            {
                // and + eqz + br_if: branch on (a & imm) == 0 (or != 0 when negated).
                let andWord = code[f.at]
                let a = (andWord &>> 32) & 0xFFFF
                let imm = code[f.at + 1]
                let wide = op == .i64Eqz
                let fusedOp: Op = negate ? (wide ? .brIfAnd64 : .brIfAnd32) : (wide ? .brIfNotAnd64 : .brIfNotAnd32)
                code.removeSubrange(f.at..<(p.at + 1))
                lastCopyAt = -1
                let at = code.count
                code.append(contentsOf: [UInt64(fusedOp.rawValue) | a << 16, imm, 0])
                return PendingBranch(at: at, kind: .word(2))
            }
            if op == .i32Eqz || op == .i64Eqz {
                // Branch if zero = branch-if-not on the eqz's operand (64-bit test for i64).
                let a = Int((w &>> 32) & 0xFFFF)
                code.remove(at: p.at)
                lastCopyAt = -1
                let at = code.count
                let wide = op == .i64Eqz
                code.append(Op.word(negate ? (wide ? .brIf64 : .brIf) : (wide ? .brIfNot64 : .brIfNot), a))
                return PendingBranch(at: at, kind: .immediate)
            }
        }
        let c = writeConstant(cond)
        let at = code.count
        code.append(Op.word(negate ? .brIfNot : .brIf, c.slot))
        return PendingBranch(at: at, kind: .immediate)
    }

    mutating func translatePrefixed(_ sub: UInt32) throws {
        switch sub {
        case 0...7:
            try translateNumeric(0xFC00 | sub)
        case 8:  // memory.init
            let segment = try reader.readU32()
            let dataCount = try requiredDataCount()
            let memory = try memoryIndex()
            guard segment < dataCount else { throw invalid("unknown data segment \(segment)") }
            let n = try pop(.i32)
            let s = try pop(.i32)
            let d = try pop(context.memories[memory].addressType)
            if usesGeneralPath(memory) {
                emitMemoryGeneral(.initialize, a: d.slot, b: s.slot, c: n.slot, memory: memory, third: UInt64(segment))
            } else {
                emit(.memoryInit, d.slot, s.slot, n.slot)
                emitRaw(UInt64(segment))
            }
        case 9:  // data.drop
            let segment = try reader.readU32()
            let dataCount = try requiredDataCount()
            guard segment < dataCount else { throw invalid("unknown data segment \(segment)") }
            emit(.dataDrop, 0, imm: segment)
        case 10:  // memory.copy
            let destination = try memoryIndex()
            let source = try memoryIndex()
            let d64 = context.memories[destination].is64, s64 = context.memories[source].is64
            let n = try pop(d64 && s64 ? .i64 : .i32)
            let s = try pop(s64 ? .i64 : .i32)
            let d = try pop(d64 ? .i64 : .i32)
            if destination != 0 || source != 0 || d64 || s64 {
                emitMemoryGeneral(.copy, a: d.slot, b: s.slot, c: n.slot, memory: destination, second: source)
            } else {
                emit(.memoryCopy, d.slot, s.slot, n.slot)
            }
        case 11:  // memory.fill
            let memory = try memoryIndex()
            let addressType = context.memories[memory].addressType
            let n = try pop(addressType)
            let v = try pop(.i32)
            let d = try pop(addressType)
            if usesGeneralPath(memory) {
                emitMemoryGeneral(.fill, a: d.slot, b: v.slot, c: n.slot, memory: memory)
            } else {
                emit(.memoryFill, d.slot, v.slot, n.slot)
            }
        case 12:  // table.init
            let segment = Int(try reader.readU32())
            let table = try tableIndex()
            guard segment < context.elementTypes.count else { throw invalid("unknown elem segment \(segment)") }
            guard context.isSubtype(context.elementTypes[segment], of: context.tables[table].elementType) else {
                throw typeMismatch()
            }
            let n = try pop(.i32)
            let s = try pop(.i32)
            let d = try tableOperand(table)
            emit(.tableInit, d.slot, s.slot, n.slot)
            emitRaw(UInt64(table) | UInt64(segment) << 32)
        case 13:  // elem.drop
            let segment = Int(try reader.readU32())
            guard segment < context.elementTypes.count else { throw invalid("unknown elem segment \(segment)") }
            emit(.elemDrop, 0, imm: UInt32(segment))
        case 14:  // table.copy
            let dst = try tableIndex()
            let src = try tableIndex()
            guard context.isSubtype(context.tables[src].elementType, of: context.tables[dst].elementType) else {
                throw typeMismatch()
            }
            let wide = context.tables[dst].is64 && context.tables[src].is64
            let n = try tableOperand(wide ? dst : nil)
            let s = try tableOperand(src)
            let d = try tableOperand(dst)
            emit(.tableCopy, d.slot, s.slot, n.slot)
            emitRaw(UInt64(dst) | UInt64(src) << 32)
        case 15:  // table.grow
            let table = try tableIndex()
            let n = try tableOperand(table)
            let v = try pop(context.tables[table].elementType)
            push(context.tables[table].addressType)
            emit(.tableGrow, topSlot, v.slot, n.slot)
            emitRaw(UInt64(table))
            if context.tables[table].is64 { emitMemoryGeneral(.widenGrowResult, a: topSlot, memory: 0) }
        case 16:  // table.size
            let table = try tableIndex()
            push(context.tables[table].addressType)
            emitProducer(Op.word(.tableSize, topSlot, imm: UInt32(table)))
        case 17:  // table.fill
            let table = try tableIndex()
            let n = try tableOperand(table)
            let v = try pop(context.tables[table].elementType)
            let i = try tableOperand(table)
            emit(.tableFill, i.slot, v.slot, n.slot)
            emitRaw(UInt64(table))
        default:
            throw DecodeError("illegal opcode", offset: instructionOffset)
        }
    }
}
