/// Validates a function body and translates it into the interpreter's code in one pass.
///
/// Spec (validation algorithm): https://webassembly.github.io/spec/core/appendix/algorithm.html
///
/// The internal code is register-style: every operand is a frame slot. A frame
/// is `[parameters][locals][operand stack]`; the value at operand-stack height
/// `h` lives in slot `localCount + 1 + h` (one hidden local, always zero, sits
/// between them: loads and stores at constant addresses use it as their base),
/// so heights are static and no instruction
/// moves a stack pointer. `local.get` is lazy: the operand refers to the local's
/// slot until something could change that local, and only then is it copied.
struct Translator: ~Copyable {
    /// A value on the validator's operand stack and where it currently lives.
    struct Operand {
        /// nil: unknown (popped from the polymorphic stack of unreachable code).
        var type: ValueType?
        /// Slot holding the value: its own stack slot, or a local's slot (lazy `local.get`).
        var slot: Int
        /// A constant not yet written anywhere (lazy `*.const`); `slot` is then its own slot.
        var constant: UInt64? = nil
        /// Code index of the single instruction that computed this operand into its own slot, when
        /// it was the last one emitted as the operand was pushed (optimising tier; -1: none).
        var producedAt = -1
    }

    enum FrameKind {
        case block, loop, `if`, `else`, function
        /// `try_table` (exception handling): a block whose body has handlers.
        case tryTable
        /// The legacy `try` before its first `catch`/`catch_all`, and its catch blocks.
        case legacyTry, legacyCatch
    }

    /// A forward jump waiting for its label's address.
    struct PendingBranch {
        enum Kind {
            /// The instruction's imm32 field holds the offset from the instruction.
            case immediate
            /// A `br_table` entry: the whole word is the offset from the entry itself.
            case tableEntry
            /// A fused compare-and-branch: word `at + n` holds the offset from the instruction.
            case word(Int)
        }
        /// Code index of the instruction (or table entry).
        var at: Int
        var kind: Kind
    }

    struct ControlFrame {
        var kind: FrameKind
        var startTypes: [ValueType]
        var endTypes: [ValueType]
        /// Operand-stack height at entry (parameters excluded).
        var height: Int
        var unreachable = false
        /// Code in this frame can never run (it was opened inside unreachable code).
        var dead = false
        /// Code index of the loop header (branch target of a loop).
        var loopStart = 0
        /// Branch words to patch with the end's address.
        var pendingBranches: [PendingBranch] = []
        /// The `if`'s conditional jump, to patch with the else/end address.
        var elseBranch: PendingBranch? = nil
        /// `try_table`/`try`: code index of the body's first instruction.
        var tryStart = 0
        /// Legacy `try`: code index after the body (its first catch).
        var tryEnd = 0
        /// Handlers of this `try_table`/`try`, entered into the function's table at its end.
        var pendingHandlers: [ExceptionHandler] = []
        /// `initializedLog`'s length when the block began.
        var initializedHeight = 0
        /// A legacy catch block keeps its exception (for `rethrow`) in a hidden operand at
        /// `height`, below the block's own operands: 1 then, else 0.
        var hidden = 0
        /// The lowest operand height the frame's own code may pop to.
        var floor: Int { height + hidden }

        var labelTypes: [ValueType] { kind == .loop ? startTypes : endTypes }
    }

    let info: ModuleInfo
    let context: ModuleContext
    /// false: the reference translation, one internal instruction per Wasm instruction
    /// (`local.get` and constants copied at once, no immediates, fusions or
    /// superinstructions). It is the oracle that optimised code is tested against.
    let optimize: Bool
    let functionIndex: Int
    let type: FunctionType
    /// Parameters followed by declared locals.
    let localTypes: [ValueType]
    var reader: ByteReader
    var code: [UInt64] = []
    var operands: [Operand] = []
    var controls: [ControlFrame] = []
    var maxHeight = 0
    /// Offset of the instruction being translated, for error messages.
    var instructionOffset = 0
    /// The previous instruction when it computed a value into a fresh stack slot
    /// (its destination field can be retargeted by a following `local.set`).
    var lastProducer: (at: Int, slot: Int)?
    /// The `and` feeding the last `eqz` (when adjacent), for and + eqz + br_if fusion.
    var eqzFeeder: (at: Int, slot: Int)?
    /// `eqzFeeder` as it was when the current instruction started.
    var currentFeeder: (at: Int, slot: Int)?
    /// Code index of the last single `copy` (two in a row become one `copy2`).
    var lastCopyAt = -1
    /// Code index of the last `i32Add`/`i32AddImm` (a loop's closing branch may fuse with it).
    var lastAddAt = -1
    /// The latest code index that is a branch target (no merging across it).
    var labelAt = -1
    /// Whether each local is set (typed function references: a local of a non-nullable
    /// reference type must be set before it is read); empty when every local is defaultable.
    var localInitialized: [Bool] = []
    /// The locals set since each block began (undone at the block's end).
    var initializedLog: [Int] = []
    /// The exception table (`try_table`, `try`), innermost first.
    var handlers: [ExceptionHandler] = []

    static let maxSlots = 65535

    static func translate(
        module info: ModuleInfo, context: ModuleContext, definedIndex: Int, optimize: Bool = true
    ) throws -> CompiledFunction {
        let functionIndex = info.importedFunctionCount + definedIndex
        let type = info.types[Int(info.functions[definedIndex])]
        let body = info.codes[definedIndex]
        return try info.bytes.withUnsafeBufferPointer { buffer in
            var t = Translator(
                info: info, context: context, optimize: optimize, functionIndex: functionIndex, type: type,
                localTypes: type.parameters + body.locals,
                reader: ByteReader(base: buffer.baseAddress!, offset: body.codeStart, limit: body.codeEnd))
            do {
                return try t.run()
            } catch let e as ValidationError {
                var e = e
                e.functionIndex = functionIndex
                if e.offset == nil { e.offset = t.instructionOffset }
                throw e
            }
        }
    }

    private init(
        info: ModuleInfo, context: ModuleContext, optimize: Bool, functionIndex: Int, type: FunctionType,
        localTypes: [ValueType], reader: consuming ByteReader
    ) {
        self.info = info
        self.context = context
        self.optimize = optimize
        self.functionIndex = functionIndex
        self.type = type
        self.localTypes = localTypes
        self.reader = reader
    }

    var localCount: Int { localTypes.count }

    mutating func run() throws -> CompiledFunction {
        guard localCount <= Translator.maxSlots else {
            throw ValidationError(
                "function has \(localCount) locals; this engine supports at most \(Translator.maxSlots)")
        }
        for t in localTypes { try checkValueType(t) }
        if localTypes.contains(where: { !$0.isDefaultable }) {
            localInitialized = localTypes.enumerated().map { $0.offset < type.parameters.count || $0.element.isDefaultable }
        }
        controls.append(ControlFrame(kind: .function, startTypes: [], endTypes: type.results, height: 0))
        emitVectorLocalsZeroing()
        while !controls.isEmpty {
            instructionOffset = reader.offset
            guard !reader.isAtEnd else {
                throw DecodeError("unexpected end of section or function", offset: reader.offset)
            }
            let opcode = try reader.readByte()
            try translateInstruction(opcode)
            if optimize, let p = lastProducer, let top = operands.last, top.constant == nil, top.slot == p.slot,
                top.slot >= stackBase
            {
                operands[operands.count - 1].producedAt = p.at
            }
        }
        guard reader.isAtEnd else {
            throw DecodeError("section size mismatch", offset: reader.offset)
        }
        let frameSize = stackBase + maxHeight
        guard frameSize <= Translator.maxSlots else {
            throw ValidationError(
                "function needs \(frameSize) value slots; this engine supports at most \(Translator.maxSlots)")
        }
        return CompiledFunction(
            words: code, frameSize: max(frameSize, type.results.count, 1),
            localCount: localCount + 1 - type.parameters.count, handlers: handlers)
    }

    // MARK: Errors

    func typeMismatch() -> ValidationError { ValidationError("type mismatch", offset: instructionOffset) }
    func invalid(_ message: String) -> ValidationError { ValidationError(message, offset: instructionOffset) }

    // MARK: Operand stack

    var height: Int { operands.count }
    func slot(ofHeight h: Int) -> Int { stackBase + h }

    /// A slot that always holds zero: the hidden local after the declared ones.
    var zeroSlot: Int { localCount }
    /// The first operand-stack slot.
    var stackBase: Int { localCount + 1 }

    var isEmitting: Bool {
        let top = controls[controls.count - 1]
        return !top.unreachable && !top.dead
    }

    mutating func push(_ type: ValueType?) {
        operands.append(Operand(type: type, slot: slot(ofHeight: operands.count)))
        if operands.count > maxHeight { maxHeight = operands.count }
    }

    /// Pushes a lazy reference to a local (the reference translation copies it at once).
    mutating func pushLocal(_ index: Int) {
        guard optimize else {
            push(localTypes[index])
            emitCopy(topSlot, index, type: localTypes[index])
            return
        }
        operands.append(Operand(type: localTypes[index], slot: index))
        if operands.count > maxHeight { maxHeight = operands.count }
    }

    /// Pops an operand of any type (spec: pop_val()); a lazy constant stays unwritten.
    mutating func popRaw() throws(ValidationError) -> Operand {
        let frame = controls[controls.count - 1]
        if operands.count == frame.floor {
            if frame.unreachable { return Operand(type: nil, slot: slot(ofHeight: operands.count)) }
            throw typeMismatch()
        }
        return operands.removeLast()
    }

    /// Pops an operand that must have type `expected` (spec: pop_val(expect)), constants unwritten.
    mutating func popRaw(_ expected: ValueType) throws(ValidationError) -> Operand {
        let op = try popRaw()
        if let t = op.type, t != expected, !context.isSubtype(t, of: expected) { throw typeMismatch() }
        return op
    }

    mutating func popRaw(_ types: [ValueType]) throws(ValidationError) -> [Operand] {
        var result = [Operand](repeating: Operand(type: nil, slot: 0), count: types.count)
        for i in stride(from: types.count - 1, through: 0, by: -1) {
            result[i] = try popRaw(types[i])
        }
        return result
    }

    /// Pops an operand of any type; a constant is written to its slot first.
    mutating func pop() throws(ValidationError) -> Operand {
        writeConstant(try popRaw())
    }

    /// Pops an operand that must have type `expected`; a constant is written to its slot first.
    mutating func pop(_ expected: ValueType) throws(ValidationError) -> Operand {
        writeConstant(try popRaw(expected))
    }

    mutating func pop(_ types: [ValueType]) throws(ValidationError) -> [Operand] {
        try popRaw(types).map { writeConstant($0) }
    }

    /// Emits a lazy constant into its own slot; returns the operand as a plain slot.
    mutating func writeConstant(_ op: Operand) -> Operand {
        guard let value = op.constant else { return op }
        emitConstant(value, into: op.slot)
        return Operand(type: op.type, slot: op.slot)
    }

    /// Writes `value` into `slot`.
    mutating func emitConstant(_ value: UInt64, into slot: Int) {
        if value <= 0xFFFF_FFFF {
            emit(.const32, slot, imm: UInt32(value))
        } else {
            emit(.const64, slot)
            emitRaw(value)
        }
    }

    /// Pushes a lazy constant (the reference translation writes it to its slot at once).
    mutating func pushConstant(_ type: ValueType, _ value: UInt64) {
        guard optimize else {
            push(type)
            emitConstant(value, into: topSlot)
            return
        }
        operands.append(Operand(type: type, slot: slot(ofHeight: operands.count), constant: value))
        if operands.count > maxHeight { maxHeight = operands.count }
    }

    /// Copies operand `i` into its own slot if it still refers to a local or is a lazy constant.
    mutating func materialize(_ i: Int) {
        let own = slot(ofHeight: i)
        if let value = operands[i].constant {
            emitConstant(value, into: own)
            operands[i].constant = nil
            operands[i].slot = own
        } else if operands[i].slot != own {
            emitCopy(own, operands[i].slot, type: operands[i].type)
            operands[i].slot = own
        }
    }

    /// Materializes every lazy operand (before control flow joins).
    mutating func materializeAll() {
        for i in 0..<operands.count { materialize(i) }
    }

    mutating func materializeTop(_ n: Int) {
        for i in max(0, operands.count - n)..<operands.count { materialize(i) }
    }

    /// Before writing local `index`: copy every pending lazy read of it.
    mutating func materializeReads(ofLocal index: Int) {
        for i in 0..<operands.count where operands[i].slot == index && index < localCount {
            materialize(i)
        }
    }

    // MARK: Emission

    mutating func emit(_ op: Op, _ a: Int = 0, _ b: Int = 0, _ c: Int = 0) {
        guard isEmitting else { return }
        if op == .copy {
            // Two copies in a row (register rotations, block results) are one dispatch:
            // copy2 d1 s1 d2 + word s2, done in order.
            if optimize, lastCopyAt >= 0, lastCopyAt == code.count - 1, labelAt != code.count {
                let first = code[lastCopyAt]
                code[lastCopyAt] =
                    UInt64(Op.copy2.rawValue) | (first & 0xFFFF_FFFF_0000) | UInt64(UInt16(truncatingIfNeeded: a)) << 48
                code.append(UInt64(b))
                lastCopyAt = -1
                return
            }
            lastCopyAt = code.count
        }
        code.append(Op.word(op, a, b, c))
    }

    mutating func emit(_ op: Op, _ a: Int, imm: UInt32) {
        guard isEmitting else { return }
        code.append(Op.word(op, a, imm: imm))
    }

    mutating func emitRaw(_ w: UInt64) {
        guard isEmitting else { return }
        code.append(w)
    }

    /// Emits a jump-type instruction whose target is patched later; records it on frame `depth`.
    mutating func emitBranch(_ op: Op, _ a: Int, toLabel depth: Int) {
        guard isEmitting else { return }
        let frameIndex = controls.count - 1 - depth
        let at = code.count
        if controls[frameIndex].kind == .loop {
            code.append(Op.word(op, a, imm: UInt32(bitPattern: Int32(controls[frameIndex].loopStart - at))))
        } else {
            code.append(Op.word(op, a))
            controls[frameIndex].pendingBranches.append(PendingBranch(at: at, kind: .immediate))
        }
    }

    /// Emits a `br_table` entry word for label `depth`.
    mutating func emitTableEntry(toLabel depth: Int) {
        let frameIndex = controls.count - 1 - depth
        let at = code.count
        if controls[frameIndex].kind == .loop {
            code.append(UInt64(bitPattern: Int64(controls[frameIndex].loopStart - at)))
        } else {
            code.append(0)
            controls[frameIndex].pendingBranches.append(PendingBranch(at: at, kind: .tableEntry))
        }
    }

    /// Patches a pending branch to jump to `target`.
    mutating func patch(_ branch: PendingBranch, to target: Int) {
        if target == code.count { labelAt = target }
        switch branch.kind {
        case .tableEntry: code[branch.at] = UInt64(bitPattern: Int64(target - branch.at))
        case .immediate: patchInstruction(branch.at, to: target)
        case .word(let n): code[branch.at + n] = UInt64(bitPattern: Int64(target - branch.at))
        }
    }

    /// Sets the imm32 jump offset of the instruction at `at`.
    mutating func patchInstruction(_ at: Int, to target: Int) {
        code[at] = (code[at] & 0xFFFF_FFFF) | UInt64(UInt32(bitPattern: Int32(target - at))) << 32
    }

    // MARK: Branch value transfer

    /// Emits the copies that move the branch values of label `depth` into the label's slots.
    /// Returns true when any copy was needed.
    mutating func needsTransfer(toLabel depth: Int) -> Bool {
        let frame = controls[controls.count - 1 - depth]
        let arity = frame.labelTypes.count
        let base = operands.count - arity
        for i in 0..<arity where base + i >= 0 {
            if operands[base + i].constant != nil || operands[base + i].slot != slot(ofHeight: frame.height + i) {
                return true
            }
        }
        return false
    }

    mutating func emitTransfer(toLabel depth: Int) {
        let frame = controls[controls.count - 1 - depth]
        let arity = frame.labelTypes.count
        let base = operands.count - arity
        for i in 0..<arity where base + i >= 0 {
            let dst = slot(ofHeight: frame.height + i)
            if let value = operands[base + i].constant {
                emitConstant(value, into: dst)
            } else if operands[base + i].slot != dst {
                emitCopy(dst, operands[base + i].slot, type: frame.labelTypes[i])
            }
        }
    }

    /// Unconditional branch to label `depth` (values already type-checked).
    mutating func emitJump(toLabel depth: Int) {
        let frameIndex = controls.count - 1 - depth
        if controls[frameIndex].kind == .function {
            emitReturn()
            return
        }
        emitTransfer(toLabel: depth)
        emitBranch(.br, 0, toLabel: depth)
    }

    /// Returns the function's results (on top of the stack) to the caller.
    mutating func emitReturn() {
        let n = type.results.count
        if n == 0 {
            emit(.return0)
        } else if n == 1 {
            if let top = operands.last, let value = top.constant {
                emitConstant(value, into: 0)
                emit(.return0)
            } else if type.results[0] == .v128 {
                emitCopy(0, operands.last?.slot ?? 0, type: .v128)
                emit(.return0)
            } else {
                emit(.return1, operands.count >= 1 ? operands[operands.count - 1].slot : 0)
            }
        } else {
            materializeTop(n)
            if type.results.contains(.v128) {
                emitSIMD(.v128CopyHighs, x: slot(ofHeight: max(operands.count - n, 0)), imm: n)
            }
            emit(.returnN, slot(ofHeight: max(operands.count - n, 0)), n)
        }
    }

    // MARK: Control frames

    mutating func pushControl(_ kind: FrameKind, start: [ValueType], end: [ValueType]) {
        let parent = controls[controls.count - 1]
        var frame = ControlFrame(kind: kind, startTypes: start, endTypes: end, height: operands.count - start.count)
        frame.dead = parent.unreachable || parent.dead
        frame.initializedHeight = initializedLog.count
        controls.append(frame)
    }

    mutating func markUnreachable() {
        let h = controls[controls.count - 1].floor
        operands.removeSubrange(h...)
        controls[controls.count - 1].unreachable = true
    }

    func label(_ depth: UInt32) throws(ValidationError) -> Int {
        guard depth < controls.count else { throw invalid("unknown label") }
        return Int(depth)
    }

    mutating func readBlockType() throws -> (params: [ValueType], results: [ValueType]) {
        let b = try reader.peekByte()
        if b == 0x40 {
            _ = try reader.readByte()
            return ([], [])
        }
        if let t = ValueType(rawValue: b) {
            try ByteReader.checkFeatures(of: t, at: reader.offset, info.features, malformed: "malformed value type")
            _ = try reader.readByte()
            return ([], [t])
        }
        if b == 0x63 || b == 0x64 {
            let t = try reader.readValueType(features: info.features)
            try checkValueType(t)
            return ([], [t])
        }
        let index = try reader.readS33()
        guard index >= 0, index < context.types.count else { throw invalid("unknown type") }
        let ft = context.types[Int(index)]
        return (ft.parameters, ft.results)
    }
}
