/// Typed function references in the translator: `call_ref`, `return_call_ref`, `ref.as_non_null`,
/// `br_on_null`, `br_on_non_null`, and the initialisation rule of non-defaultable locals.
///
/// Spec: https://webassembly.github.io/spec/core/valid/instructions.html#reference-instructions
extension Translator {
    /// A defined type index in a value type must exist ("unknown type").
    func checkValueType(_ t: ValueType) throws(ValidationError) {
        if t.code == ValueType.concreteCode, Int(t.typeIndex) >= context.types.count {
            throw invalid("unknown type \(t.typeIndex)")
        }
    }

    /// At the end of a block (or `else`, `catch`): locals first set inside it are unset again.
    mutating func resetInitializedLocals(to height: Int) {
        guard initializedLog.count > height else { return }
        for i in initializedLog[height...] { localInitialized[i] = false }
        initializedLog.removeSubrange(height...)
    }

    /// Pops a reference operand (any reference type, or unknown in unreachable code).
    mutating func popReference() throws -> Operand {
        let op = try pop()
        if let t = op.type, !t.isReference { throw typeMismatch() }
        return op
    }

    /// `call_ref $t` / `return_call_ref $t`: calls the function a `(ref null $t)` refers to.
    mutating func translateCallReference(tail: Bool) throws {
        let typeIndex = try reader.readU32()
        guard Int(typeIndex) < context.types.count else { throw invalid("unknown type \(typeIndex)") }
        let ft = context.types[Int(typeIndex)]
        let function = try pop(.reference(.defined(typeIndex), nullable: true))
        if tail {
            guard context.areSubtypes(ft.results, of: type.results) else { throw typeMismatch() }
            let start = try prepareTailCall(ft)
            emit(.returnCallRef, start, function.slot)
            markUnreachable()
        } else {
            let start = try prepareCall(ft)
            emit(.callRef, start, function.slot)
            finishCall(ft)
        }
    }

    /// `ref.as_non_null`: traps on null; the reference stays where it is, now non-null.
    mutating func translateRefAsNonNull() throws {
        let op = try popReference()
        emit(.refAsNonNull, op.slot)
        operands.append(Operand(type: op.type?.withNullable(false), slot: op.slot))
    }

    /// `br_on_null l`: branches to `l` (with the values under the reference) when it is null;
    /// otherwise the reference stays, non-null.
    mutating func translateBrOnNull(producer: (at: Int, slot: Int)?, startCount: Int) throws {
        let depth = try label(try reader.readU32())
        let ref = try popReference()
        let types = controls[controls.count - 1 - depth].labelTypes
        let vals = try popRaw(types)
        pushKeepingSlots(vals, as: types)
        emitBranchOnReference(toLabel: depth, whenNull: true, reference: ref.slot)
        operands.append(Operand(type: ref.type?.withNullable(false), slot: ref.slot))
    }

    /// `br_on_non_null l`: branches to `l` with the values under it and the (non-null) reference
    /// when it is not null; otherwise the reference is dropped.
    mutating func translateBrOnNonNull() throws {
        let depth = try label(try reader.readU32())
        let ref = try popReference()
        let types = controls[controls.count - 1 - depth].labelTypes
        guard let last = types.last else { throw typeMismatch() }
        if let t = ref.type, !context.isSubtype(t.withNullable(false), of: last) { throw typeMismatch() }
        let vals = try popRaw(Array(types.dropLast()))
        pushKeepingSlots(vals, as: Array(types.dropLast()))
        operands.append(Operand(type: ref.type?.withNullable(false), slot: ref.slot))
        emitBranchOnReference(toLabel: depth, whenNull: false, reference: ref.slot)
        operands.removeLast()
    }

    /// Pushes `vals` back with the label's types (not their own, maybe narrower, ones), each
    /// still where it lives (spec: pop_operands(label_types); push_operands(label_types)).
    mutating func pushKeepingSlots(_ vals: [Operand], as types: [ValueType]) {
        for (v, t) in zip(vals, types) { operands.append(Operand(type: t, slot: v.slot, constant: v.constant)) }
    }

    /// A conditional branch to label `depth` on whether the reference in `reference` is null; the
    /// label's values are the top operands. Copies (when needed) happen on the taken path only.
    mutating func emitBranchOnReference(toLabel depth: Int, whenNull: Bool, reference: Int) {
        guard isEmitting else { return }
        let target = controls[controls.count - 1 - depth]
        if target.kind == .function || needsTransfer(toLabel: depth) {
            let saved = operands
            let skip = code.count
            code.append(Op.word(whenNull ? .brOnNonNull : .brOnNull, reference))
            emitJump(toLabel: depth)
            patchInstruction(skip, to: code.count)
            labelAt = code.count
            lastCopyAt = -1
            operands = saved
        } else {
            emitBranch(whenNull ? .brOnNull : .brOnNonNull, reference, toLabel: depth)
        }
    }
}
