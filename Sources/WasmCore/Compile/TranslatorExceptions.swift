/// Exception handling in the translator: `throw`, `throw_ref`, `try_table` and the legacy
/// `try`/`catch`/`catch_all`/`delegate`/`rethrow`.
///
/// Spec: https://webassembly.github.io/spec/core/valid/instructions.html#exception-instructions
/// Legacy: https://github.com/WebAssembly/exception-handling/blob/main/proposals/exception-handling/legacy/Exceptions.md
///
/// Nothing is emitted for handlers on the normal path except one `br` over a `try_table`'s
/// landing pads: each handler is an entry of the function's exception table
/// (`ExceptionHandler`: the protected code range, what it catches, where the caught values
/// go and where to go on), which only a throw reads.
extension Translator {
    /// The parameter types of tag `index` ("unknown tag").
    func tagType(_ index: UInt32) throws(ValidationError) -> FunctionType {
        guard Int(index) < context.tags.count else { throw invalid("unknown tag \(index)") }
        return context.types[Int(context.tags[Int(index)])]
    }

    /// `throw x`: the tag's values are the arguments, as for a call.
    mutating func translateThrow() throws {
        let index = try reader.readU32()
        let ft = try tagType(index)
        let start = try prepareCall(FunctionType(parameters: ft.parameters))
        emit(.throwTag, start, imm: index)
        markUnreachable()
    }

    /// `throw_ref`: throws the exception an `exnref` refers to (traps on null).
    mutating func translateThrowRef() throws {
        let exn = try pop(.exnref)
        emit(.throwRef, exn.slot)
        markUnreachable()
    }

    /// `try_table bt catch* instr* end`.
    mutating func translateTryTable() throws {
        let bt = try readBlockType()
        let count = Int(try reader.readU32())
        guard count <= reader.remaining else { throw DecodeError("unexpected end", offset: reader.offset) }
        var clauses: [(kind: ExceptionHandler.Kind, tag: Int, depth: Int)] = []
        for _ in 0..<count {
            let at = reader.offset
            let kindByte = try reader.readByte()
            let kind: ExceptionHandler.Kind
            var tag = 0
            var values: [ValueType] = []
            switch kindByte {
            case 0, 1:
                let index = try reader.readU32()
                values = try tagType(index).parameters
                tag = Int(index)
                kind = kindByte == 0 ? .catchTag : .catchRef
                if kindByte == 1 { values.append(.reference(.exception, nullable: false)) }
            case 2: kind = .catchAll
            case 3:
                kind = .catchAllRef
                values = [.reference(.exception, nullable: false)]
            default: throw DecodeError("malformed catch clause", offset: at)
            }
            // Catch labels are relative to the try_table's surroundings (its own frame is not pushed yet).
            let depth = try label(try reader.readU32())
            guard context.areSubtypes(values, of: controls[controls.count - 1 - depth].labelTypes) else {
                throw typeMismatch()
            }
            clauses.append((kind, tag, depth))
        }
        let params = try pop(bt.params)
        operands.append(contentsOf: params)
        materializeAll()
        var pending: [ExceptionHandler] = []
        if isEmitting && !clauses.isEmpty {
            // Landing pads, jumped over on entry: the unwinder writes the caught values into the
            // target label's slots and resumes at the pad, which branches to the label.
            let skip = code.count
            code.append(Op.word(.br, 0))
            for clause in clauses {
                let frameIndex = controls.count - 1 - clause.depth
                let frame = controls[frameIndex]
                let destination = slot(ofHeight: frame.height)
                let target = code.count
                if frame.kind == .function {
                    emitReturn(from: destination, count: frame.labelTypes.count, types: frame.labelTypes)
                } else {
                    emitBranch(.br, 0, toLabel: clause.depth)
                }
                pending.append(
                    ExceptionHandler(
                        kind: clause.kind, start: 0, end: 0, tag: clause.tag, destination: destination,
                        target: target, depth: controls.count))
            }
            patchInstruction(skip, to: code.count)
        }
        pushControl(.tryTable, start: bt.params, end: bt.results)
        controls[controls.count - 1].tryStart = code.count
        controls[controls.count - 1].pendingHandlers = pending
        labelAt = code.count
        lastCopyAt = -1
    }

    /// Returns `count` values from `source` onwards (a landing pad of a handler whose label is the function's).
    mutating func emitReturn(from source: Int, count: Int, types: [ValueType]) {
        if count == 0 {
            emit(.return0)
        } else if types.contains(.v128) {
            emitSIMD(.v128CopyHighs, x: source, imm: count)
            emit(.returnN, source, count)
        } else if count == 1 {
            emit(.return1, source)
        } else {
            emit(.returnN, source, count)
        }
    }

    /// Legacy `try bt`.
    mutating func translateLegacyTry() throws {
        let bt = try readBlockType()
        let params = try pop(bt.params)
        operands.append(contentsOf: params)
        materializeAll()
        pushControl(.legacyTry, start: bt.params, end: bt.results)
        controls[controls.count - 1].tryStart = code.count
        labelAt = code.count
        lastCopyAt = -1
    }

    /// Ends the current try body or catch block: its results go to the block's result slots
    /// and it jumps to the block's end.
    mutating func closeLegacyBlock() throws {
        let frame = controls[controls.count - 1]
        if !frame.unreachable && !frame.dead {
            materializeTop(frame.endTypes.count)
            emitMoveDownHidden(frame)
        }
        _ = try pop(frame.endTypes)
        guard operands.count == frame.floor else { throw typeMismatch() }
        emitBranch(.br, 0, toLabel: 0)
    }

    /// A catch block's results sit one slot above the block's result slots (the hidden
    /// exception is below them): moves them down.
    mutating func emitMoveDownHidden(_ frame: ControlFrame) {
        guard frame.hidden == 1 else { return }
        let n = frame.endTypes.count
        guard operands.count - n == frame.floor else { return }
        for i in 0..<n {
            emitCopy(slot(ofHeight: frame.height + i), slot(ofHeight: frame.floor + i), type: frame.endTypes[i])
        }
    }

    /// Legacy `catch x` (`tag` non-nil) or `catch_all`.
    mutating func translateLegacyCatch(all: Bool) throws {
        var values: [ValueType] = []
        var tag = 0
        if !all {
            let index = try reader.readU32()
            values = try tagType(index).parameters
            tag = Int(index)
        }
        let frame = controls[controls.count - 1]
        guard frame.kind == .legacyTry || frame.kind == .legacyCatch else {
            throw invalid(all ? "catch_all without matching try" : "catch without matching try")
        }
        let bodyEnd = code.count
        try closeLegacyBlock()
        let top = controls.count - 1
        if frame.kind == .legacyTry { controls[top].tryEnd = bodyEnd }
        operands.removeSubrange(frame.height...)
        controls[top].kind = .legacyCatch
        controls[top].unreachable = false
        resetInitializedLocals(to: frame.initializedHeight)
        controls[top].hidden = 1
        let target = code.count
        labelAt = target
        lastCopyAt = -1
        if isEmitting {
            controls[top].pendingHandlers.append(
                ExceptionHandler(
                    kind: all ? .catchAll : .catchTag, start: controls[top].tryStart, end: controls[top].tryEnd,
                    tag: tag, destination: slot(ofHeight: frame.height + 1), target: target, depth: top,
                    exceptionSlot: slot(ofHeight: frame.height)))
        }
        push(.exnref)
        for t in values { push(t) }
    }

    /// Legacy `delegate l`: ends the `try`; its body's exceptions go to the handlers of label `l`
    /// (relative to the try's surroundings) and outside it.
    mutating func translateDelegate() throws {
        let depth = Int(try reader.readU32())
        let frame = controls[controls.count - 1]
        guard frame.kind == .legacyTry else { throw invalid("delegate without matching try") }
        guard depth < controls.count - 1 else { throw invalid("unknown label") }
        let top = controls.count - 1
        if !frame.dead {  // (the body's end may be unreachable; the handler still applies)
            controls[top].pendingHandlers.append(
                ExceptionHandler(
                    kind: .delegate, start: frame.tryStart, end: code.count, depth: top,
                    delegateDepth: top - 1 - depth))
        }
        controls[top].kind = .block
        try translateEnd()
    }

    /// Legacy `rethrow l`: throws again the exception of the catch block at label `l`.
    mutating func translateRethrow() throws {
        let depth = try label(try reader.readU32())
        let frame = controls[controls.count - 1 - depth]
        guard frame.kind == .legacyCatch else { throw invalid("invalid rethrow label") }
        emit(.throwRef, slot(ofHeight: frame.height))
        markUnreachable()
    }

    /// At the `end` of a `try_table` or `try`: its handlers enter the function's table.
    mutating func closeHandlers(_ frame: ControlFrame, end: Int) {
        for var h in frame.pendingHandlers {
            if frame.kind == .tryTable {
                h.start = frame.tryStart
                h.end = end
            }
            handlers.append(h)
        }
    }
}
