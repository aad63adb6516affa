// The interpreter loop, hand-written: edit it here. Only the regions between
// `// BEGIN GENERATED: <region> (Scripts/generate-opcodes.py; do not edit)` and `// END GENERATED`
// are rewritten by Scripts/generate-opcodes.py (the numeric cases from Utilities/numeric-ops.txt and
// the superinstructions of its tables); a test fails when they are stale.
import Synchronization

/// The interpreter loop: one function, a `switch` over the internal code.
///
/// Hot state (pc, frame pointer, memory base and size) lives in locals; calls
/// between Wasm functions push a `Frame` on our own stack, never a Swift frame.
extension Interpreter {
    static func run(
        _ entry: UnsafeMutablePointer<FunctionEntity>, sp base: UnsafeMutablePointer<UInt64>,
        stack: ExecutionStack, store: Store
    ) throws {
        // Only pc, sp, the instance and memory base/size stay in registers; what calls
        // and returns need lives behind one pointer (`st`), so the loop does not spill.
        try withUnsafeTemporaryAllocation(of: LoopState.self, capacity: 1) { buffer in
            let st = buffer.baseAddress!
            let memory0 = entry.pointee.instance!.pointee.memories[0]
            st.initialize(
                to: LoopState(
                    function: entry, memory: memory0, frames: stack.frames, depth: stack.depth,
                    entryDepth: stack.depth, maxDepth: stack.maxDepth, stackEnd: stack.slots + stack.slotCount,
                    shadow: stack.slotCount))
            if store.instructionCountBuffer != nil {
                try runLoop(entry, sp: base, st: st, stack: stack, store: store, policy: CountInstructions.self)
            } else if store.configuration.interruptible {
                try runLoop(entry, sp: base, st: st, stack: stack, store: store, policy: CheckInterrupts.self)
            } else {
                try runLoop(entry, sp: base, st: st, stack: stack, store: store, policy: IgnoreInterrupts.self)
            }
        }
    }

    /// A memory access's address: the i32 `base` plus a folded `i32.add` addend
    /// (high half of `arg`, wrapping at 32 bits) plus the static offset (low half).
    @inline(__always)
    static func effectiveAddress(_ base: UInt64, _ arg: UInt64) -> UInt64 {
        UInt64(UInt32(truncatingIfNeeded: base) &+ UInt32(truncatingIfNeeded: arg &>> 32)) &+ (arg & 0xFFFF_FFFF)
    }

    /// Whether the store's `InterruptHandle` was triggered.
    @inline(__always)
    static func interrupted(_ instance: UnsafeMutablePointer<InstanceEntity>) -> Bool {
        instance.pointee.interrupt.pointee.load(ordering: .relaxed) != 0
    }

    protocol InterruptPolicy {
        static var checksInterrupts: Bool { get }
        /// Whether every dispatched instruction is counted in `Store.instructionCounts`.
        static var countsInstructions: Bool { get }
    }
    enum CheckInterrupts: InterruptPolicy {
        static var checksInterrupts: Bool { true }
        static var countsInstructions: Bool { false }
    }
    enum IgnoreInterrupts: InterruptPolicy {
        static var checksInterrupts: Bool { false }
        static var countsInstructions: Bool { false }
    }
    /// The profiling loop (`EngineConfiguration.countsInstructions`): interruptible, and it counts.
    enum CountInstructions: InterruptPolicy {
        static var checksInterrupts: Bool { true }
        static var countsInstructions: Bool { true }
    }

    /// State of `runLoop` that is not needed on every instruction.
    struct LoopState {
        var function: UnsafeMutablePointer<FunctionEntity>
        var memory: UnsafeMutablePointer<MemoryEntity>
        let frames: UnsafeMutablePointer<Frame>
        var depth: Int
        let entryDepth: Int
        let maxDepth: Int
        let stackEnd: UnsafeMutablePointer<UInt64>
        /// Distance from a slot to its shadow (the high half of a v128).
        let shadow: Int
    }

    /// The loop is specialized three times: with interrupt checks at back-edges and calls, without
    /// them for stores that never need stopping (`EngineConfiguration.interruptible == false`), and
    /// counting every instruction it dispatches (`EngineConfiguration.countsInstructions`).
    static func runLoop<Policy: InterruptPolicy>(
        _ entry: UnsafeMutablePointer<FunctionEntity>, sp base: UnsafeMutablePointer<UInt64>,
        st: UnsafeMutablePointer<LoopState>, stack: ExecutionStack, store: Store, policy: Policy.Type
    ) throws {
        var pc = entry.pointee.code!
        var sp = base
        var instance = entry.pointee.instance!
        var memoryBase = st.pointee.memory.pointee.base
        var memorySize = UInt64(st.pointee.memory.pointee.byteCount)
        var trap: TrapReason? = nil
        var hostError: (any Error)? = nil
        var thrown: Exception? = nil
        // A host function called in tail position threw: its caller's frame is already gone.
        var tailHost = false

        outer: while true {
        loop: while true {
            if Policy.countsInstructions { store.instructionCountBuffer.unsafelyUnwrapped[Int(pc.opcode)] &+= 1 }
            switch Op.decode(UInt64(pc.opcode)) {
            case .unreachable:
                trap = .unreachable
                break loop
            // A taken branch that does not go forward is a loop back-edge: there (and at calls)
            // the store's interrupt flag is checked, so every guest can be stopped.
            case .br:
                let offset = Int(Int32(bitPattern: pc.immediate32))
                if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                pc += offset
            case .brIf:
                if UInt32(truncatingIfNeeded: sp[pc.fieldA]) != 0 {
                    let offset = Int(Int32(bitPattern: pc.immediate32))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 1
                }
            case .brIfNot:
                if UInt32(truncatingIfNeeded: sp[pc.fieldA]) == 0 {
                    let offset = Int(Int32(bitPattern: pc.immediate32))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 1
                }
            case .brIf64:
                if sp[pc.fieldA] != 0 {
                    let offset = Int(Int32(bitPattern: pc.immediate32))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 1
                }
            case .brIfNot64:
                if sp[pc.fieldA] == 0 {
                    let offset = Int(Int32(bitPattern: pc.immediate32))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 1
                }
            // Bit tests: next word = mask, the one after = branch offset from this instruction.
            case .brIfAnd32:
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldA])
                if a & UInt32(truncatingIfNeeded: pc[1]) != 0 {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[2]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 3
                }
            case .brIfNotAnd32:
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldA])
                if a & UInt32(truncatingIfNeeded: pc[1]) == 0 {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[2]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 3
                }
            case .brIfAnd64:
                if sp[pc.fieldA] & pc[1] != 0 {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[2]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 3
                }
            case .brIfNotAnd64:
                if sp[pc.fieldA] & pc[1] == 0 {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[2]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 3
                }
            case .brTable:
                let index = UInt32(truncatingIfNeeded: sp[pc.fieldA])
                let count = pc.immediate32
                let entry = pc + 1 + Int(min(index, count))
                let offset = Int(Int64(bitPattern: entry.pointee))
                if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                pc = entry + offset
            case .call, .callIndirect:
                let callee: UnsafeMutablePointer<FunctionEntity>
                let length: Int
                if pc.opcode == Op.call.rawValue {
                    callee = instance.pointee.functions[Int(pc.immediate32)]
                    length = 1
                } else {
                    guard let f = indirectCallee(pc, sp: sp, instance: instance, trap: &trap) else { break loop }
                    callee = f
                    length = 2
                }
                let calleeSp = sp + pc.fieldA
                guard let code = callee.pointee.code else {
                    // Host function.
                    stack.depth = st.pointee.depth
                    do {
                        try callHost(callee, sp: calleeSp, instance: instance, stack: stack, store: store)
                    } catch {
                        hostError = error
                        break loop
                    }
                    memorySize = UInt64(st.pointee.memory.pointee.byteCount)
                    pc += length
                    continue loop
                }
                let depth = st.pointee.depth
                guard depth < st.pointee.maxDepth, calleeSp + callee.pointee.frameSize <= st.pointee.stackEnd else {
                    trap = .callStackExhausted
                    break loop
                }
                if Policy.checksInterrupts && Interpreter.interrupted(instance) {
                    trap = .interrupted
                    break loop
                }
                st.pointee.frames[depth] = Frame(pc: pc + length, sp: sp, function: st.pointee.function)
                st.pointee.depth = depth + 1
                (calleeSp + callee.pointee.parameterCount).update(repeating: 0, count: callee.pointee.localCount)
                sp = calleeSp
                st.pointee.function = callee
                pc = code
                let calleeInstance = callee.pointee.instance.unsafelyUnwrapped
                if calleeInstance != instance {
                    instance = calleeInstance
                    st.pointee.memory = instance.pointee.memories[0]
                    memoryBase = st.pointee.memory.pointee.base
                    memorySize = UInt64(st.pointee.memory.pointee.byteCount)
                }
            case .return0, .return1, .returnN:
                let op = pc.opcode
                if op == Op.return1.rawValue {
                    sp[0] = sp[pc.fieldA]
                } else if op == Op.returnN.rawValue {
                    let src = pc.fieldA
                    let n = pc.fieldB
                    for i in 0..<n { sp[i] = sp[src + i] }
                }
                if st.pointee.depth == st.pointee.entryDepth { break loop }
                st.pointee.depth -= 1
                let frame = st.pointee.frames[st.pointee.depth]
                pc = frame.pc
                sp = frame.sp
                st.pointee.function = frame.function
                let callerInstance = frame.function.pointee.instance.unsafelyUnwrapped
                if callerInstance != instance {
                    instance = callerInstance
                    st.pointee.memory = instance.pointee.memories[0]
                    memoryBase = st.pointee.memory.pointee.base
                }
                memorySize = UInt64(st.pointee.memory.pointee.byteCount)
            case .copy:
                sp[pc.fieldA] = sp[pc.fieldB]
                pc += 1
            case .copy2:  // two copies, in order: a = b, then c = slot in the next word
                sp[pc.fieldA] = sp[pc.fieldB]
                sp[pc.fieldC] = sp[Int(truncatingIfNeeded: pc[1])]
                pc += 2
            case .const32:
                sp[pc.fieldA] = UInt64(pc.immediate32)
                pc += 1
            case .const64:
                sp[pc.fieldA] = pc[1]
                pc += 2
            case .globalGet:
                sp[pc.fieldA] = instance.pointee.globals[Int(pc.immediate32)].pointee
                pc += 1
            case .globalSet:
                instance.pointee.globals[Int(pc.immediate32)].pointee = sp[pc.fieldA]
                pc += 1
            case .select:
                let cond = UInt32(truncatingIfNeeded: sp[Int(truncatingIfNeeded: pc[1])])
                sp[pc.fieldA] =
                    cond != 0 ? sp[pc.fieldB] : sp[pc.fieldC]
                pc += 2

            // Loads: a = destination, b = address base, next word = offset | addend << 32.
            case .i32Load:
                let address = Interpreter.effectiveAddress(sp[pc.fieldB], pc[1])
                guard address &+ 4 <= memorySize else { trap = .outOfBoundsMemoryAccess; break loop }
                let p = memoryBase + Int(truncatingIfNeeded: address)
                sp[pc.fieldA] = UInt64(p.unalignedUInt32)
                pc += 2
            case .i64Load:
                let address = Interpreter.effectiveAddress(sp[pc.fieldB], pc[1])
                guard address &+ 8 <= memorySize else { trap = .outOfBoundsMemoryAccess; break loop }
                let p = memoryBase + Int(truncatingIfNeeded: address)
                sp[pc.fieldA] = p.unalignedUInt64
                pc += 2
            case .i32Load8S:
                let address = Interpreter.effectiveAddress(sp[pc.fieldB], pc[1])
                guard address &+ 1 <= memorySize else { trap = .outOfBoundsMemoryAccess; break loop }
                let p = memoryBase + Int(truncatingIfNeeded: address)
                sp[pc.fieldA] = UInt64(UInt32(bitPattern: Int32(p.byteInt8)))
                pc += 2
            case .i32Load8U:
                let address = Interpreter.effectiveAddress(sp[pc.fieldB], pc[1])
                guard address &+ 1 <= memorySize else { trap = .outOfBoundsMemoryAccess; break loop }
                let p = memoryBase + Int(truncatingIfNeeded: address)
                sp[pc.fieldA] = UInt64(p.byteUInt8)
                pc += 2
            case .i32Load16S:
                let address = Interpreter.effectiveAddress(sp[pc.fieldB], pc[1])
                guard address &+ 2 <= memorySize else { trap = .outOfBoundsMemoryAccess; break loop }
                let p = memoryBase + Int(truncatingIfNeeded: address)
                sp[pc.fieldA] = UInt64(UInt32(bitPattern: Int32(p.unalignedInt16)))
                pc += 2
            case .i32Load16U:
                let address = Interpreter.effectiveAddress(sp[pc.fieldB], pc[1])
                guard address &+ 2 <= memorySize else { trap = .outOfBoundsMemoryAccess; break loop }
                let p = memoryBase + Int(truncatingIfNeeded: address)
                sp[pc.fieldA] = UInt64(p.unalignedUInt16)
                pc += 2
            case .i64Load8S:
                let address = Interpreter.effectiveAddress(sp[pc.fieldB], pc[1])
                guard address &+ 1 <= memorySize else { trap = .outOfBoundsMemoryAccess; break loop }
                let p = memoryBase + Int(truncatingIfNeeded: address)
                sp[pc.fieldA] = UInt64(bitPattern: Int64(p.byteInt8))
                pc += 2
            case .i64Load8U:
                let address = Interpreter.effectiveAddress(sp[pc.fieldB], pc[1])
                guard address &+ 1 <= memorySize else { trap = .outOfBoundsMemoryAccess; break loop }
                let p = memoryBase + Int(truncatingIfNeeded: address)
                sp[pc.fieldA] = UInt64(p.byteUInt8)
                pc += 2
            case .i64Load16S:
                let address = Interpreter.effectiveAddress(sp[pc.fieldB], pc[1])
                guard address &+ 2 <= memorySize else { trap = .outOfBoundsMemoryAccess; break loop }
                let p = memoryBase + Int(truncatingIfNeeded: address)
                sp[pc.fieldA] = UInt64(bitPattern: Int64(p.unalignedInt16))
                pc += 2
            case .i64Load16U:
                let address = Interpreter.effectiveAddress(sp[pc.fieldB], pc[1])
                guard address &+ 2 <= memorySize else { trap = .outOfBoundsMemoryAccess; break loop }
                let p = memoryBase + Int(truncatingIfNeeded: address)
                sp[pc.fieldA] = UInt64(p.unalignedUInt16)
                pc += 2
            case .i64Load32S:
                let address = Interpreter.effectiveAddress(sp[pc.fieldB], pc[1])
                guard address &+ 4 <= memorySize else { trap = .outOfBoundsMemoryAccess; break loop }
                let p = memoryBase + Int(truncatingIfNeeded: address)
                sp[pc.fieldA] = UInt64(bitPattern: Int64(p.unalignedInt32))
                pc += 2
            case .i64Load32U:
                let address = Interpreter.effectiveAddress(sp[pc.fieldB], pc[1])
                guard address &+ 4 <= memorySize else { trap = .outOfBoundsMemoryAccess; break loop }
                let p = memoryBase + Int(truncatingIfNeeded: address)
                sp[pc.fieldA] = UInt64(p.unalignedUInt32)
                pc += 2

            // Stores: a = address, b = value, next word = offset.
            case .store8:
                let address = Interpreter.effectiveAddress(sp[pc.fieldA], pc[1])
                guard address < memorySize else { trap = .outOfBoundsMemoryAccess; break loop }
                (memoryBase + Int(truncatingIfNeeded: address)).storeUnaligned(UInt8(truncatingIfNeeded: sp[pc.fieldB]))
                pc += 2
            case .store16:
                let address = Interpreter.effectiveAddress(sp[pc.fieldA], pc[1])
                guard address &+ 2 <= memorySize else { trap = .outOfBoundsMemoryAccess; break loop }
                (memoryBase + Int(truncatingIfNeeded: address)).storeUnaligned(UInt16(truncatingIfNeeded: sp[pc.fieldB]))
                pc += 2
            case .store32:
                let address = Interpreter.effectiveAddress(sp[pc.fieldA], pc[1])
                guard address &+ 4 <= memorySize else { trap = .outOfBoundsMemoryAccess; break loop }
                (memoryBase + Int(truncatingIfNeeded: address)).storeUnaligned(UInt32(truncatingIfNeeded: sp[pc.fieldB]))
                pc += 2
            case .store64:
                let address = Interpreter.effectiveAddress(sp[pc.fieldA], pc[1])
                guard address &+ 8 <= memorySize else { trap = .outOfBoundsMemoryAccess; break loop }
                (memoryBase + Int(truncatingIfNeeded: address)).storeUnaligned(sp[pc.fieldB])
                pc += 2

            // Stores of a constant: next word = offset | addend << 32, the one after = the value.
            case .store8Imm:
                let address = Interpreter.effectiveAddress(sp[pc.fieldA], pc[1])
                guard address < memorySize else { trap = .outOfBoundsMemoryAccess; break loop }
                (memoryBase + Int(truncatingIfNeeded: address)).storeUnaligned(UInt8(truncatingIfNeeded: pc[2]))
                pc += 3
            case .store16Imm:
                let address = Interpreter.effectiveAddress(sp[pc.fieldA], pc[1])
                guard address &+ 2 <= memorySize else { trap = .outOfBoundsMemoryAccess; break loop }
                (memoryBase + Int(truncatingIfNeeded: address)).storeUnaligned(UInt16(truncatingIfNeeded: pc[2]))
                pc += 3
            case .store32Imm:
                let address = Interpreter.effectiveAddress(sp[pc.fieldA], pc[1])
                guard address &+ 4 <= memorySize else { trap = .outOfBoundsMemoryAccess; break loop }
                (memoryBase + Int(truncatingIfNeeded: address)).storeUnaligned(UInt32(truncatingIfNeeded: pc[2]))
                pc += 3
            case .store64Imm:
                let address = Interpreter.effectiveAddress(sp[pc.fieldA], pc[1])
                guard address &+ 8 <= memorySize else { trap = .outOfBoundsMemoryAccess; break loop }
                (memoryBase + Int(truncatingIfNeeded: address)).storeUnaligned(pc[2])
                pc += 3

            case .memorySize:
                sp[pc.fieldA] = memorySize / UInt64(Memory.pageSize)
                pc += 1
            case .memoryGrow:
                let delta = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                let old = Memory.grow(st.pointee.memory, by: Int(delta))
                sp[pc.fieldA] = old.map { UInt64($0) } ?? 0xFFFF_FFFF
                memorySize = UInt64(st.pointee.memory.pointee.byteCount)
                pc += 1
            case .memoryFill, .memoryCopy, .memoryInit, .dataDrop, .tableGet, .tableSet, .tableSize, .tableGrow,
                .tableFill, .tableCopy, .tableInit, .elemDrop, .refFunc:
                let w = pc.pointee
                if let reason = bulkOperation(w, pc: pc, sp: sp, instance: instance) {
                    trap = reason
                    break loop
                }
                memorySize = UInt64(st.pointee.memory.pointee.byteCount)
                pc += instructionLength(w)
            case .memoryGeneral:  // other memories, 64-bit memories: out of line (Interpreter+Memory.swift)
                if let reason = memoryGeneral(pc: pc, sp: sp, instance: instance) {
                    trap = reason
                    break loop
                }
                memorySize = UInt64(st.pointee.memory.pointee.byteCount)
                pc += 3
            case .simd:  // every v128 instruction: one out-of-line handler (Interpreter+SIMD.swift)
                if let reason = simdOperation(
                    pc.pointee, pc: pc, sp: sp, shadow: st.pointee.shadow, instance: instance, memory: st.pointee.memory)
                {
                    trap = reason
                    break loop
                }
                pc += pc.fieldC
            // The whole code of a function a lazily compiled module has not translated yet: the call
            // set up a frame as small as the function's parameters; translate, then enter for real.
            case .lazyTranslate:
                let function = st.pointee.function
                do {
                    try translateLazily(function)
                } catch {
                    hostError = error
                    break loop
                }
                guard sp + function.pointee.frameSize <= st.pointee.stackEnd else {
                    trap = .callStackExhausted
                    break loop
                }
                (sp + function.pointee.parameterCount).update(repeating: 0, count: function.pointee.localCount)
                pc = function.pointee.code.unsafelyUnwrapped

            // Tail calls: the callee replaces this frame (the frame stack does not grow). The
            // arguments move down to slot 0; a host callee runs and its results are returned.
            case .returnCall:
                // The running function itself (the reference tier's self tail calls): the frame
                // size, code and instance stay, so only the arguments move and the locals reset.
                // (Its own case: folded into the general path below it costs 6 more instructions
                // per call, 170 against 164 per iteration of tail-bench's loop.)
                let callee = instance.pointee.functions[Int(pc.immediate32)]
                if callee == st.pointee.function, let code = callee.pointee.code {
                    let count = callee.pointee.parameterCount
                    let arguments = sp + pc.fieldA
                    for i in 0..<count { sp[i] = arguments[i] }
                    if Policy.checksInterrupts && Interpreter.interrupted(instance) {
                        trap = .interrupted
                        break loop
                    }
                    zeroDeclaredLocals(sp + count, count: callee.pointee.localCount)
                    pc = code
                    continue loop
                }
                fallthrough
            case .returnCallIndirect, .returnCallRef:
                let callee: UnsafeMutablePointer<FunctionEntity>
                let op = pc.opcode
                if op == Op.returnCall.rawValue {
                    callee = instance.pointee.functions[Int(pc.immediate32)]
                } else if op == Op.returnCallRef.rawValue {
                    guard let f = UnsafeMutablePointer<FunctionEntity>(bitPattern: UInt(sp[pc.fieldB])) else {
                        trap = .nullFunctionReference
                        break loop
                    }
                    callee = f
                } else {
                    guard let f = indirectCallee(pc, sp: sp, instance: instance, trap: &trap) else { break loop }
                    callee = f
                }
                let arguments = sp + pc.fieldA
                for i in 0..<callee.pointee.parameterCount { sp[i] = arguments[i] }
                if Policy.checksInterrupts && Interpreter.interrupted(instance) {
                    trap = .interrupted
                    break loop
                }
                guard let code = callee.pointee.code else {
                    // A host function: call it in this frame's place, then return its results.
                    stack.depth = st.pointee.depth
                    do {
                        try callHost(callee, sp: sp, instance: instance, stack: stack, store: store)
                    } catch {
                        hostError = error
                        tailHost = true
                        break loop
                    }
                    if st.pointee.depth == st.pointee.entryDepth { break loop }
                    st.pointee.depth -= 1
                    let frame = st.pointee.frames[st.pointee.depth]
                    pc = frame.pc
                    sp = frame.sp
                    st.pointee.function = frame.function
                    let callerInstance = frame.function.pointee.instance.unsafelyUnwrapped
                    if callerInstance != instance {
                        instance = callerInstance
                        st.pointee.memory = instance.pointee.memories[0]
                        memoryBase = st.pointee.memory.pointee.base
                    }
                    memorySize = UInt64(st.pointee.memory.pointee.byteCount)
                    continue loop
                }
                guard sp + callee.pointee.frameSize <= st.pointee.stackEnd else {
                    trap = .callStackExhausted
                    break loop
                }
                zeroDeclaredLocals(sp + callee.pointee.parameterCount, count: callee.pointee.localCount)
                st.pointee.function = callee
                pc = code
                let calleeInstance = callee.pointee.instance.unsafelyUnwrapped
                if calleeInstance != instance {
                    instance = calleeInstance
                    st.pointee.memory = instance.pointee.memories[0]
                    memoryBase = st.pointee.memory.pointee.base
                    memorySize = UInt64(st.pointee.memory.pointee.byteCount)
                }
            // call_ref: a = the arguments' first slot, b = the function reference.
            case .callRef:
                guard let callee = UnsafeMutablePointer<FunctionEntity>(bitPattern: UInt(sp[pc.fieldB])) else {
                    trap = .nullFunctionReference
                    break loop
                }
                let calleeSp = sp + pc.fieldA
                guard let code = callee.pointee.code else {
                    stack.depth = st.pointee.depth
                    do {
                        try callHost(callee, sp: calleeSp, instance: instance, stack: stack, store: store)
                    } catch {
                        hostError = error
                        break loop
                    }
                    memorySize = UInt64(st.pointee.memory.pointee.byteCount)
                    pc += 1
                    continue loop
                }
                let depth = st.pointee.depth
                guard depth < st.pointee.maxDepth, calleeSp + callee.pointee.frameSize <= st.pointee.stackEnd else {
                    trap = .callStackExhausted
                    break loop
                }
                if Policy.checksInterrupts && Interpreter.interrupted(instance) {
                    trap = .interrupted
                    break loop
                }
                st.pointee.frames[depth] = Frame(pc: pc + 1, sp: sp, function: st.pointee.function)
                st.pointee.depth = depth + 1
                (calleeSp + callee.pointee.parameterCount).update(repeating: 0, count: callee.pointee.localCount)
                sp = calleeSp
                st.pointee.function = callee
                pc = code
                let calleeInstance = callee.pointee.instance.unsafelyUnwrapped
                if calleeInstance != instance {
                    instance = calleeInstance
                    st.pointee.memory = instance.pointee.memories[0]
                    memoryBase = st.pointee.memory.pointee.base
                    memorySize = UInt64(st.pointee.memory.pointee.byteCount)
                }
            case .refAsNonNull:  // a = the reference (checked in place)
                guard sp[pc.fieldA] != 0 else {
                    trap = .nullReference
                    break loop
                }
                pc += 1
            case .brOnNull:  // a = the reference; jumps (imm32 offset) when it is null
                if sp[pc.fieldA] == 0 {
                    let offset = Int(Int32(bitPattern: pc.immediate32))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 1
                }
            case .brOnNonNull:  // a = the reference; jumps (imm32 offset) when it is not null
                if sp[pc.fieldA] != 0 {
                    let offset = Int(Int32(bitPattern: pc.immediate32))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 1
                }
            // Exceptions: the handler search (after the loop, out of line: throwing is rare)
            // unwinds frames and resumes at the handler.
            case .throwTag, .throwRef:
                let exception: Exception
                if pc.opcode == Op.throwTag.rawValue {
                    exception = Interpreter.makeException(
                        tag: Int(pc.immediate32), arguments: sp + pc.fieldA, shadow: st.pointee.shadow,
                        instance: instance, store: store)
                } else {
                    guard let e = Exception.from(slot: sp[pc.fieldA]) else {
                        trap = .nullExceptionReference
                        break loop
                    }
                    exception = e
                }
                thrown = exception
                break loop

            // BEGIN GENERATED: fused f64 cases (Scripts/generate-opcodes.py; do not edit)
            case .f64MulAdd:  // t = b * c (rounded), then a = t + z; next word = z's slot (Translator.fuseMultiply)
                let t = unsafeBitCast(sp[pc.fieldB], to: Double.self)
                    * unsafeBitCast(sp[pc.fieldC], to: Double.self)
                let z = unsafeBitCast(sp[Int(truncatingIfNeeded: pc[1])], to: Double.self)
                sp[pc.fieldA] = unsafeBitCast(t + z, to: UInt64.self)
                pc += 2
            case .f64MulSub:  // t = b * c (rounded), then a = t - z; next word = z's slot (Translator.fuseMultiply)
                let t = unsafeBitCast(sp[pc.fieldB], to: Double.self)
                    * unsafeBitCast(sp[pc.fieldC], to: Double.self)
                let z = unsafeBitCast(sp[Int(truncatingIfNeeded: pc[1])], to: Double.self)
                sp[pc.fieldA] = unsafeBitCast(t - z, to: UInt64.self)
                pc += 2
            case .f64MulRSub:  // t = b * c (rounded), then a = z - t; next word = z's slot (Translator.fuseMultiply)
                let t = unsafeBitCast(sp[pc.fieldB], to: Double.self)
                    * unsafeBitCast(sp[pc.fieldC], to: Double.self)
                let z = unsafeBitCast(sp[Int(truncatingIfNeeded: pc[1])], to: Double.self)
                sp[pc.fieldA] = unsafeBitCast(z - t, to: UInt64.self)
                pc += 2
            case .f64AddMem:  // a = x + m, m = the f64 at memory[c + offset] (Translator.fuseLoad)
                let address = Interpreter.effectiveAddress(sp[pc.fieldC], pc[1])
                guard address &+ 8 <= memorySize else { trap = .outOfBoundsMemoryAccess; break loop }
                let m = unsafeBitCast((memoryBase + Int(truncatingIfNeeded: address)).unalignedUInt64, to: Double.self)
                let x = unsafeBitCast(sp[pc.fieldB], to: Double.self)
                sp[pc.fieldA] = unsafeBitCast(x + m, to: UInt64.self)
                pc += 2
            case .f64SubMem:  // a = x - m, m = the f64 at memory[c + offset] (Translator.fuseLoad)
                let address = Interpreter.effectiveAddress(sp[pc.fieldC], pc[1])
                guard address &+ 8 <= memorySize else { trap = .outOfBoundsMemoryAccess; break loop }
                let m = unsafeBitCast((memoryBase + Int(truncatingIfNeeded: address)).unalignedUInt64, to: Double.self)
                let x = unsafeBitCast(sp[pc.fieldB], to: Double.self)
                sp[pc.fieldA] = unsafeBitCast(x - m, to: UInt64.self)
                pc += 2
            case .f64RSubMem:  // a = m - x, m = the f64 at memory[c + offset] (Translator.fuseLoad)
                let address = Interpreter.effectiveAddress(sp[pc.fieldC], pc[1])
                guard address &+ 8 <= memorySize else { trap = .outOfBoundsMemoryAccess; break loop }
                let m = unsafeBitCast((memoryBase + Int(truncatingIfNeeded: address)).unalignedUInt64, to: Double.self)
                let x = unsafeBitCast(sp[pc.fieldB], to: Double.self)
                sp[pc.fieldA] = unsafeBitCast(m - x, to: UInt64.self)
                pc += 2
            case .f64MulMem:  // a = x * m, m = the f64 at memory[c + offset] (Translator.fuseLoad)
                let address = Interpreter.effectiveAddress(sp[pc.fieldC], pc[1])
                guard address &+ 8 <= memorySize else { trap = .outOfBoundsMemoryAccess; break loop }
                let m = unsafeBitCast((memoryBase + Int(truncatingIfNeeded: address)).unalignedUInt64, to: Double.self)
                let x = unsafeBitCast(sp[pc.fieldB], to: Double.self)
                sp[pc.fieldA] = unsafeBitCast(x * m, to: UInt64.self)
                pc += 2
            case .f64MulMul:  // t = b * c (rounded), then a = t * z; next word = z's slot (Translator.fuseMultiply)
                let t = unsafeBitCast(sp[pc.fieldB], to: Double.self)
                    * unsafeBitCast(sp[pc.fieldC], to: Double.self)
                let z = unsafeBitCast(sp[Int(truncatingIfNeeded: pc[1])], to: Double.self)
                sp[pc.fieldA] = unsafeBitCast(t * z, to: UInt64.self)
                pc += 2
            // END GENERATED

            // Numeric instructions that can trap.
            case .i32DivS:
                let a = Int32(truncatingIfNeeded: sp[pc.fieldB])
                let b = Int32(truncatingIfNeeded: sp[pc.fieldC])
                if b == 0 { trap = .integerDivideByZero; break loop }
                if a == Int32.min && b == -1 { trap = .integerOverflow; break loop }
                sp[pc.fieldA] = UInt64(UInt32(bitPattern: a / b))
                pc += 1
            case .i32DivU:
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                let b = UInt32(truncatingIfNeeded: sp[pc.fieldC])
                if b == 0 { trap = .integerDivideByZero; break loop }
                sp[pc.fieldA] = UInt64(a / b)
                pc += 1
            case .i32RemS:
                let a = Int32(truncatingIfNeeded: sp[pc.fieldB])
                let b = Int32(truncatingIfNeeded: sp[pc.fieldC])
                if b == 0 { trap = .integerDivideByZero; break loop }
                sp[pc.fieldA] = b == -1 ? 0 : UInt64(UInt32(bitPattern: a % b))
                pc += 1
            case .i32RemU:
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                let b = UInt32(truncatingIfNeeded: sp[pc.fieldC])
                if b == 0 { trap = .integerDivideByZero; break loop }
                sp[pc.fieldA] = UInt64(a % b)
                pc += 1
            case .i64DivS:
                let a = Int64(bitPattern: sp[pc.fieldB])
                let b = Int64(bitPattern: sp[pc.fieldC])
                if b == 0 { trap = .integerDivideByZero; break loop }
                if a == Int64.min && b == -1 { trap = .integerOverflow; break loop }
                sp[pc.fieldA] = UInt64(bitPattern: a / b)
                pc += 1
            case .i64DivU:
                let a = sp[pc.fieldB]
                let b = sp[pc.fieldC]
                if b == 0 { trap = .integerDivideByZero; break loop }
                sp[pc.fieldA] = a / b
                pc += 1
            case .i64RemS:
                let a = Int64(bitPattern: sp[pc.fieldB])
                let b = Int64(bitPattern: sp[pc.fieldC])
                if b == 0 { trap = .integerDivideByZero; break loop }
                sp[pc.fieldA] = b == -1 ? 0 : UInt64(bitPattern: a % b)
                pc += 1
            case .i64RemU:
                let a = sp[pc.fieldB]
                let b = sp[pc.fieldC]
                if b == 0 { trap = .integerDivideByZero; break loop }
                sp[pc.fieldA] = a % b
                pc += 1
            case .i32TruncF32S, .i32TruncF32U, .i32TruncF64S, .i32TruncF64U, .i64TruncF32S, .i64TruncF32U,
                .i64TruncF64S, .i64TruncF64U:
                let a = sp[pc.fieldB]
                switch Numerics.truncate(Op(rawValue: pc.opcode).unsafelyUnwrapped, a) {
                case .success(let v): sp[pc.fieldA] = v
                case .failure(let reason): trap = reason; break loop
                }
                pc += 1

            // The numeric instructions of Utilities/numeric-ops.txt and the superinstructions built from them.
            // BEGIN GENERATED: numeric cases (Scripts/generate-opcodes.py; do not edit)
            case .i32Eqz:  // i32.eqz
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                sp[pc.fieldA] = ((a == 0) ? 1 : 0)
                pc += 1
            case .i32Eq:  // i32.eq
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                let b = UInt32(truncatingIfNeeded: sp[pc.fieldC])
                sp[pc.fieldA] = ((a == b) ? 1 : 0)
                pc += 1
            case .i32EqImm:  // i32.eq with an immediate
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                let b = UInt32(truncatingIfNeeded: pc[1])
                sp[pc.fieldA] = ((a == b) ? 1 : 0)
                pc += 2
            case .i32Ne:  // i32.ne
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                let b = UInt32(truncatingIfNeeded: sp[pc.fieldC])
                sp[pc.fieldA] = ((a != b) ? 1 : 0)
                pc += 1
            case .i32NeImm:  // i32.ne with an immediate
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                let b = UInt32(truncatingIfNeeded: pc[1])
                sp[pc.fieldA] = ((a != b) ? 1 : 0)
                pc += 2
            case .i32LtS:  // i32.lt_s
                let a = Int32(truncatingIfNeeded: sp[pc.fieldB])
                let b = Int32(truncatingIfNeeded: sp[pc.fieldC])
                sp[pc.fieldA] = ((a < b) ? 1 : 0)
                pc += 1
            case .i32LtSImm:  // i32.lt_s with an immediate
                let a = Int32(truncatingIfNeeded: sp[pc.fieldB])
                let b = Int32(truncatingIfNeeded: pc[1])
                sp[pc.fieldA] = ((a < b) ? 1 : 0)
                pc += 2
            case .i32LtU:  // i32.lt_u
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                let b = UInt32(truncatingIfNeeded: sp[pc.fieldC])
                sp[pc.fieldA] = ((a < b) ? 1 : 0)
                pc += 1
            case .i32LtUImm:  // i32.lt_u with an immediate
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                let b = UInt32(truncatingIfNeeded: pc[1])
                sp[pc.fieldA] = ((a < b) ? 1 : 0)
                pc += 2
            case .i32GtS:  // i32.gt_s
                let a = Int32(truncatingIfNeeded: sp[pc.fieldB])
                let b = Int32(truncatingIfNeeded: sp[pc.fieldC])
                sp[pc.fieldA] = ((a > b) ? 1 : 0)
                pc += 1
            case .i32GtSImm:  // i32.gt_s with an immediate
                let a = Int32(truncatingIfNeeded: sp[pc.fieldB])
                let b = Int32(truncatingIfNeeded: pc[1])
                sp[pc.fieldA] = ((a > b) ? 1 : 0)
                pc += 2
            case .i32GtU:  // i32.gt_u
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                let b = UInt32(truncatingIfNeeded: sp[pc.fieldC])
                sp[pc.fieldA] = ((a > b) ? 1 : 0)
                pc += 1
            case .i32GtUImm:  // i32.gt_u with an immediate
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                let b = UInt32(truncatingIfNeeded: pc[1])
                sp[pc.fieldA] = ((a > b) ? 1 : 0)
                pc += 2
            case .i32LeS:  // i32.le_s
                let a = Int32(truncatingIfNeeded: sp[pc.fieldB])
                let b = Int32(truncatingIfNeeded: sp[pc.fieldC])
                sp[pc.fieldA] = ((a <= b) ? 1 : 0)
                pc += 1
            case .i32LeSImm:  // i32.le_s with an immediate
                let a = Int32(truncatingIfNeeded: sp[pc.fieldB])
                let b = Int32(truncatingIfNeeded: pc[1])
                sp[pc.fieldA] = ((a <= b) ? 1 : 0)
                pc += 2
            case .i32LeU:  // i32.le_u
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                let b = UInt32(truncatingIfNeeded: sp[pc.fieldC])
                sp[pc.fieldA] = ((a <= b) ? 1 : 0)
                pc += 1
            case .i32LeUImm:  // i32.le_u with an immediate
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                let b = UInt32(truncatingIfNeeded: pc[1])
                sp[pc.fieldA] = ((a <= b) ? 1 : 0)
                pc += 2
            case .i32GeS:  // i32.ge_s
                let a = Int32(truncatingIfNeeded: sp[pc.fieldB])
                let b = Int32(truncatingIfNeeded: sp[pc.fieldC])
                sp[pc.fieldA] = ((a >= b) ? 1 : 0)
                pc += 1
            case .i32GeSImm:  // i32.ge_s with an immediate
                let a = Int32(truncatingIfNeeded: sp[pc.fieldB])
                let b = Int32(truncatingIfNeeded: pc[1])
                sp[pc.fieldA] = ((a >= b) ? 1 : 0)
                pc += 2
            case .i32GeU:  // i32.ge_u
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                let b = UInt32(truncatingIfNeeded: sp[pc.fieldC])
                sp[pc.fieldA] = ((a >= b) ? 1 : 0)
                pc += 1
            case .i32GeUImm:  // i32.ge_u with an immediate
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                let b = UInt32(truncatingIfNeeded: pc[1])
                sp[pc.fieldA] = ((a >= b) ? 1 : 0)
                pc += 2
            case .i64Eqz:  // i64.eqz
                let a = sp[pc.fieldB]
                sp[pc.fieldA] = ((a == 0) ? 1 : 0)
                pc += 1
            case .i64Eq:  // i64.eq
                let a = sp[pc.fieldB]
                let b = sp[pc.fieldC]
                sp[pc.fieldA] = ((a == b) ? 1 : 0)
                pc += 1
            case .i64EqImm:  // i64.eq with an immediate
                let a = sp[pc.fieldB]
                let b = pc[1]
                sp[pc.fieldA] = ((a == b) ? 1 : 0)
                pc += 2
            case .i64Ne:  // i64.ne
                let a = sp[pc.fieldB]
                let b = sp[pc.fieldC]
                sp[pc.fieldA] = ((a != b) ? 1 : 0)
                pc += 1
            case .i64NeImm:  // i64.ne with an immediate
                let a = sp[pc.fieldB]
                let b = pc[1]
                sp[pc.fieldA] = ((a != b) ? 1 : 0)
                pc += 2
            case .i64LtS:  // i64.lt_s
                let a = Int64(bitPattern: sp[pc.fieldB])
                let b = Int64(bitPattern: sp[pc.fieldC])
                sp[pc.fieldA] = ((a < b) ? 1 : 0)
                pc += 1
            case .i64LtSImm:  // i64.lt_s with an immediate
                let a = Int64(bitPattern: sp[pc.fieldB])
                let b = Int64(bitPattern: pc[1])
                sp[pc.fieldA] = ((a < b) ? 1 : 0)
                pc += 2
            case .i64LtU:  // i64.lt_u
                let a = sp[pc.fieldB]
                let b = sp[pc.fieldC]
                sp[pc.fieldA] = ((a < b) ? 1 : 0)
                pc += 1
            case .i64LtUImm:  // i64.lt_u with an immediate
                let a = sp[pc.fieldB]
                let b = pc[1]
                sp[pc.fieldA] = ((a < b) ? 1 : 0)
                pc += 2
            case .i64GtS:  // i64.gt_s
                let a = Int64(bitPattern: sp[pc.fieldB])
                let b = Int64(bitPattern: sp[pc.fieldC])
                sp[pc.fieldA] = ((a > b) ? 1 : 0)
                pc += 1
            case .i64GtSImm:  // i64.gt_s with an immediate
                let a = Int64(bitPattern: sp[pc.fieldB])
                let b = Int64(bitPattern: pc[1])
                sp[pc.fieldA] = ((a > b) ? 1 : 0)
                pc += 2
            case .i64GtU:  // i64.gt_u
                let a = sp[pc.fieldB]
                let b = sp[pc.fieldC]
                sp[pc.fieldA] = ((a > b) ? 1 : 0)
                pc += 1
            case .i64GtUImm:  // i64.gt_u with an immediate
                let a = sp[pc.fieldB]
                let b = pc[1]
                sp[pc.fieldA] = ((a > b) ? 1 : 0)
                pc += 2
            case .i64LeS:  // i64.le_s
                let a = Int64(bitPattern: sp[pc.fieldB])
                let b = Int64(bitPattern: sp[pc.fieldC])
                sp[pc.fieldA] = ((a <= b) ? 1 : 0)
                pc += 1
            case .i64LeSImm:  // i64.le_s with an immediate
                let a = Int64(bitPattern: sp[pc.fieldB])
                let b = Int64(bitPattern: pc[1])
                sp[pc.fieldA] = ((a <= b) ? 1 : 0)
                pc += 2
            case .i64LeU:  // i64.le_u
                let a = sp[pc.fieldB]
                let b = sp[pc.fieldC]
                sp[pc.fieldA] = ((a <= b) ? 1 : 0)
                pc += 1
            case .i64LeUImm:  // i64.le_u with an immediate
                let a = sp[pc.fieldB]
                let b = pc[1]
                sp[pc.fieldA] = ((a <= b) ? 1 : 0)
                pc += 2
            case .i64GeS:  // i64.ge_s
                let a = Int64(bitPattern: sp[pc.fieldB])
                let b = Int64(bitPattern: sp[pc.fieldC])
                sp[pc.fieldA] = ((a >= b) ? 1 : 0)
                pc += 1
            case .i64GeSImm:  // i64.ge_s with an immediate
                let a = Int64(bitPattern: sp[pc.fieldB])
                let b = Int64(bitPattern: pc[1])
                sp[pc.fieldA] = ((a >= b) ? 1 : 0)
                pc += 2
            case .i64GeU:  // i64.ge_u
                let a = sp[pc.fieldB]
                let b = sp[pc.fieldC]
                sp[pc.fieldA] = ((a >= b) ? 1 : 0)
                pc += 1
            case .i64GeUImm:  // i64.ge_u with an immediate
                let a = sp[pc.fieldB]
                let b = pc[1]
                sp[pc.fieldA] = ((a >= b) ? 1 : 0)
                pc += 2
            case .f32Eq:  // f32.eq
                let a = unsafeBitCast(UInt32(truncatingIfNeeded: sp[pc.fieldB]), to: Float.self)
                let b = unsafeBitCast(UInt32(truncatingIfNeeded: sp[pc.fieldC]), to: Float.self)
                sp[pc.fieldA] = ((a == b) ? 1 : 0)
                pc += 1
            case .f32Ne:  // f32.ne
                let a = unsafeBitCast(UInt32(truncatingIfNeeded: sp[pc.fieldB]), to: Float.self)
                let b = unsafeBitCast(UInt32(truncatingIfNeeded: sp[pc.fieldC]), to: Float.self)
                sp[pc.fieldA] = ((a != b) ? 1 : 0)
                pc += 1
            case .f32Lt:  // f32.lt
                let a = unsafeBitCast(UInt32(truncatingIfNeeded: sp[pc.fieldB]), to: Float.self)
                let b = unsafeBitCast(UInt32(truncatingIfNeeded: sp[pc.fieldC]), to: Float.self)
                sp[pc.fieldA] = ((a < b) ? 1 : 0)
                pc += 1
            case .f32Gt:  // f32.gt
                let a = unsafeBitCast(UInt32(truncatingIfNeeded: sp[pc.fieldB]), to: Float.self)
                let b = unsafeBitCast(UInt32(truncatingIfNeeded: sp[pc.fieldC]), to: Float.self)
                sp[pc.fieldA] = ((a > b) ? 1 : 0)
                pc += 1
            case .f32Le:  // f32.le
                let a = unsafeBitCast(UInt32(truncatingIfNeeded: sp[pc.fieldB]), to: Float.self)
                let b = unsafeBitCast(UInt32(truncatingIfNeeded: sp[pc.fieldC]), to: Float.self)
                sp[pc.fieldA] = ((a <= b) ? 1 : 0)
                pc += 1
            case .f32Ge:  // f32.ge
                let a = unsafeBitCast(UInt32(truncatingIfNeeded: sp[pc.fieldB]), to: Float.self)
                let b = unsafeBitCast(UInt32(truncatingIfNeeded: sp[pc.fieldC]), to: Float.self)
                sp[pc.fieldA] = ((a >= b) ? 1 : 0)
                pc += 1
            case .f64Eq:  // f64.eq
                let a = unsafeBitCast(sp[pc.fieldB], to: Double.self)
                let b = unsafeBitCast(sp[pc.fieldC], to: Double.self)
                sp[pc.fieldA] = ((a == b) ? 1 : 0)
                pc += 1
            case .f64Ne:  // f64.ne
                let a = unsafeBitCast(sp[pc.fieldB], to: Double.self)
                let b = unsafeBitCast(sp[pc.fieldC], to: Double.self)
                sp[pc.fieldA] = ((a != b) ? 1 : 0)
                pc += 1
            case .f64Lt:  // f64.lt
                let a = unsafeBitCast(sp[pc.fieldB], to: Double.self)
                let b = unsafeBitCast(sp[pc.fieldC], to: Double.self)
                sp[pc.fieldA] = ((a < b) ? 1 : 0)
                pc += 1
            case .f64Gt:  // f64.gt
                let a = unsafeBitCast(sp[pc.fieldB], to: Double.self)
                let b = unsafeBitCast(sp[pc.fieldC], to: Double.self)
                sp[pc.fieldA] = ((a > b) ? 1 : 0)
                pc += 1
            case .f64Le:  // f64.le
                let a = unsafeBitCast(sp[pc.fieldB], to: Double.self)
                let b = unsafeBitCast(sp[pc.fieldC], to: Double.self)
                sp[pc.fieldA] = ((a <= b) ? 1 : 0)
                pc += 1
            case .f64Ge:  // f64.ge
                let a = unsafeBitCast(sp[pc.fieldB], to: Double.self)
                let b = unsafeBitCast(sp[pc.fieldC], to: Double.self)
                sp[pc.fieldA] = ((a >= b) ? 1 : 0)
                pc += 1
            case .i32Clz:  // i32.clz
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                sp[pc.fieldA] = UInt64(UInt32(a.leadingZeroBitCount))
                pc += 1
            case .i32Ctz:  // i32.ctz
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                sp[pc.fieldA] = UInt64(UInt32(a.trailingZeroBitCount))
                pc += 1
            case .i32Popcnt:  // i32.popcnt
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                sp[pc.fieldA] = UInt64(UInt32(a.nonzeroBitCount))
                pc += 1
            case .i32Add:  // i32.add
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                let b = UInt32(truncatingIfNeeded: sp[pc.fieldC])
                sp[pc.fieldA] = UInt64(a &+ b)
                pc += 1
            case .i32AddImm:  // i32.add with an immediate
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                let b = UInt32(truncatingIfNeeded: pc[1])
                sp[pc.fieldA] = UInt64(a &+ b)
                pc += 2
            case .i32Sub:  // i32.sub
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                let b = UInt32(truncatingIfNeeded: sp[pc.fieldC])
                sp[pc.fieldA] = UInt64(a &- b)
                pc += 1
            case .i32SubImm:  // i32.sub with an immediate
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                let b = UInt32(truncatingIfNeeded: pc[1])
                sp[pc.fieldA] = UInt64(a &- b)
                pc += 2
            case .i32Mul:  // i32.mul
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                let b = UInt32(truncatingIfNeeded: sp[pc.fieldC])
                sp[pc.fieldA] = UInt64(a &* b)
                pc += 1
            case .i32MulImm:  // i32.mul with an immediate
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                let b = UInt32(truncatingIfNeeded: pc[1])
                sp[pc.fieldA] = UInt64(a &* b)
                pc += 2
            case .i32And:  // i32.and
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                let b = UInt32(truncatingIfNeeded: sp[pc.fieldC])
                sp[pc.fieldA] = UInt64(a & b)
                pc += 1
            case .i32AndImm:  // i32.and with an immediate
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                let b = UInt32(truncatingIfNeeded: pc[1])
                sp[pc.fieldA] = UInt64(a & b)
                pc += 2
            case .i32Or:  // i32.or
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                let b = UInt32(truncatingIfNeeded: sp[pc.fieldC])
                sp[pc.fieldA] = UInt64(a | b)
                pc += 1
            case .i32OrImm:  // i32.or with an immediate
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                let b = UInt32(truncatingIfNeeded: pc[1])
                sp[pc.fieldA] = UInt64(a | b)
                pc += 2
            case .i32Xor:  // i32.xor
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                let b = UInt32(truncatingIfNeeded: sp[pc.fieldC])
                sp[pc.fieldA] = UInt64(a ^ b)
                pc += 1
            case .i32XorImm:  // i32.xor with an immediate
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                let b = UInt32(truncatingIfNeeded: pc[1])
                sp[pc.fieldA] = UInt64(a ^ b)
                pc += 2
            case .i32Shl:  // i32.shl
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                let b = UInt32(truncatingIfNeeded: sp[pc.fieldC])
                sp[pc.fieldA] = UInt64(a &<< b)
                pc += 1
            case .i32ShlImm:  // i32.shl with an immediate
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                let b = UInt32(truncatingIfNeeded: pc[1])
                sp[pc.fieldA] = UInt64(a &<< b)
                pc += 2
            case .i32ShrS:  // i32.shr_s
                let a = Int32(truncatingIfNeeded: sp[pc.fieldB])
                let b = UInt32(truncatingIfNeeded: sp[pc.fieldC])
                sp[pc.fieldA] = UInt64(UInt32(bitPattern: a &>> Int32(bitPattern: b)))
                pc += 1
            case .i32ShrSImm:  // i32.shr_s with an immediate
                let a = Int32(truncatingIfNeeded: sp[pc.fieldB])
                let b = UInt32(truncatingIfNeeded: pc[1])
                sp[pc.fieldA] = UInt64(UInt32(bitPattern: a &>> Int32(bitPattern: b)))
                pc += 2
            case .i32ShrU:  // i32.shr_u
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                let b = UInt32(truncatingIfNeeded: sp[pc.fieldC])
                sp[pc.fieldA] = UInt64(a &>> b)
                pc += 1
            case .i32ShrUImm:  // i32.shr_u with an immediate
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                let b = UInt32(truncatingIfNeeded: pc[1])
                sp[pc.fieldA] = UInt64(a &>> b)
                pc += 2
            case .i32Rotl:  // i32.rotl
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                let b = UInt32(truncatingIfNeeded: sp[pc.fieldC])
                sp[pc.fieldA] = UInt64((a &<< b) | (a &>> (32 &- b)))
                pc += 1
            case .i32RotlImm:  // i32.rotl with an immediate
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                let b = UInt32(truncatingIfNeeded: pc[1])
                sp[pc.fieldA] = UInt64((a &<< b) | (a &>> (32 &- b)))
                pc += 2
            case .i32Rotr:  // i32.rotr
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                let b = UInt32(truncatingIfNeeded: sp[pc.fieldC])
                sp[pc.fieldA] = UInt64((a &>> b) | (a &<< (32 &- b)))
                pc += 1
            case .i32RotrImm:  // i32.rotr with an immediate
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                let b = UInt32(truncatingIfNeeded: pc[1])
                sp[pc.fieldA] = UInt64((a &>> b) | (a &<< (32 &- b)))
                pc += 2
            case .i64Clz:  // i64.clz
                let a = sp[pc.fieldB]
                sp[pc.fieldA] = UInt64(a.leadingZeroBitCount)
                pc += 1
            case .i64Ctz:  // i64.ctz
                let a = sp[pc.fieldB]
                sp[pc.fieldA] = UInt64(a.trailingZeroBitCount)
                pc += 1
            case .i64Popcnt:  // i64.popcnt
                let a = sp[pc.fieldB]
                sp[pc.fieldA] = UInt64(a.nonzeroBitCount)
                pc += 1
            case .i64Add:  // i64.add
                let a = sp[pc.fieldB]
                let b = sp[pc.fieldC]
                sp[pc.fieldA] = a &+ b
                pc += 1
            case .i64AddImm:  // i64.add with an immediate
                let a = sp[pc.fieldB]
                let b = pc[1]
                sp[pc.fieldA] = a &+ b
                pc += 2
            case .i64Sub:  // i64.sub
                let a = sp[pc.fieldB]
                let b = sp[pc.fieldC]
                sp[pc.fieldA] = a &- b
                pc += 1
            case .i64SubImm:  // i64.sub with an immediate
                let a = sp[pc.fieldB]
                let b = pc[1]
                sp[pc.fieldA] = a &- b
                pc += 2
            case .i64Mul:  // i64.mul
                let a = sp[pc.fieldB]
                let b = sp[pc.fieldC]
                sp[pc.fieldA] = a &* b
                pc += 1
            case .i64MulImm:  // i64.mul with an immediate
                let a = sp[pc.fieldB]
                let b = pc[1]
                sp[pc.fieldA] = a &* b
                pc += 2
            case .i64And:  // i64.and
                let a = sp[pc.fieldB]
                let b = sp[pc.fieldC]
                sp[pc.fieldA] = a & b
                pc += 1
            case .i64AndImm:  // i64.and with an immediate
                let a = sp[pc.fieldB]
                let b = pc[1]
                sp[pc.fieldA] = a & b
                pc += 2
            case .i64Or:  // i64.or
                let a = sp[pc.fieldB]
                let b = sp[pc.fieldC]
                sp[pc.fieldA] = a | b
                pc += 1
            case .i64OrImm:  // i64.or with an immediate
                let a = sp[pc.fieldB]
                let b = pc[1]
                sp[pc.fieldA] = a | b
                pc += 2
            case .i64Xor:  // i64.xor
                let a = sp[pc.fieldB]
                let b = sp[pc.fieldC]
                sp[pc.fieldA] = a ^ b
                pc += 1
            case .i64XorImm:  // i64.xor with an immediate
                let a = sp[pc.fieldB]
                let b = pc[1]
                sp[pc.fieldA] = a ^ b
                pc += 2
            case .i64Shl:  // i64.shl
                let a = sp[pc.fieldB]
                let b = sp[pc.fieldC]
                sp[pc.fieldA] = a &<< b
                pc += 1
            case .i64ShlImm:  // i64.shl with an immediate
                let a = sp[pc.fieldB]
                let b = pc[1]
                sp[pc.fieldA] = a &<< b
                pc += 2
            case .i64ShrS:  // i64.shr_s
                let a = Int64(bitPattern: sp[pc.fieldB])
                let b = sp[pc.fieldC]
                sp[pc.fieldA] = UInt64(bitPattern: a &>> Int64(bitPattern: b))
                pc += 1
            case .i64ShrSImm:  // i64.shr_s with an immediate
                let a = Int64(bitPattern: sp[pc.fieldB])
                let b = pc[1]
                sp[pc.fieldA] = UInt64(bitPattern: a &>> Int64(bitPattern: b))
                pc += 2
            case .i64ShrU:  // i64.shr_u
                let a = sp[pc.fieldB]
                let b = sp[pc.fieldC]
                sp[pc.fieldA] = a &>> b
                pc += 1
            case .i64ShrUImm:  // i64.shr_u with an immediate
                let a = sp[pc.fieldB]
                let b = pc[1]
                sp[pc.fieldA] = a &>> b
                pc += 2
            case .i64Rotl:  // i64.rotl
                let a = sp[pc.fieldB]
                let b = sp[pc.fieldC]
                sp[pc.fieldA] = (a &<< b) | (a &>> (64 &- b))
                pc += 1
            case .i64RotlImm:  // i64.rotl with an immediate
                let a = sp[pc.fieldB]
                let b = pc[1]
                sp[pc.fieldA] = (a &<< b) | (a &>> (64 &- b))
                pc += 2
            case .i64Rotr:  // i64.rotr
                let a = sp[pc.fieldB]
                let b = sp[pc.fieldC]
                sp[pc.fieldA] = (a &>> b) | (a &<< (64 &- b))
                pc += 1
            case .f32Abs:  // f32.abs
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                sp[pc.fieldA] = UInt64(a & 0x7FFF_FFFF)
                pc += 1
            case .f32Neg:  // f32.neg
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                sp[pc.fieldA] = UInt64(a ^ 0x8000_0000)
                pc += 1
            case .f32Ceil:  // f32.ceil
                let a = unsafeBitCast(UInt32(truncatingIfNeeded: sp[pc.fieldB]), to: Float.self)
                sp[pc.fieldA] = UInt64(unsafeBitCast(a.rounded(.up), to: UInt32.self))
                pc += 1
            case .f32Floor:  // f32.floor
                let a = unsafeBitCast(UInt32(truncatingIfNeeded: sp[pc.fieldB]), to: Float.self)
                sp[pc.fieldA] = UInt64(unsafeBitCast(a.rounded(.down), to: UInt32.self))
                pc += 1
            case .f32Trunc:  // f32.trunc
                let a = unsafeBitCast(UInt32(truncatingIfNeeded: sp[pc.fieldB]), to: Float.self)
                sp[pc.fieldA] = UInt64(unsafeBitCast(a.rounded(.towardZero), to: UInt32.self))
                pc += 1
            case .f32Nearest:  // f32.nearest
                let a = unsafeBitCast(UInt32(truncatingIfNeeded: sp[pc.fieldB]), to: Float.self)
                sp[pc.fieldA] = UInt64(unsafeBitCast(a.rounded(.toNearestOrEven), to: UInt32.self))
                pc += 1
            case .f32Sqrt:  // f32.sqrt
                let a = unsafeBitCast(UInt32(truncatingIfNeeded: sp[pc.fieldB]), to: Float.self)
                sp[pc.fieldA] = UInt64(unsafeBitCast(a.squareRoot(), to: UInt32.self))
                pc += 1
            case .f32Add:  // f32.add
                let a = unsafeBitCast(UInt32(truncatingIfNeeded: sp[pc.fieldB]), to: Float.self)
                let b = unsafeBitCast(UInt32(truncatingIfNeeded: sp[pc.fieldC]), to: Float.self)
                sp[pc.fieldA] = UInt64(unsafeBitCast(a + b, to: UInt32.self))
                pc += 1
            case .f32AddImm:  // f32.add with an immediate
                let a = unsafeBitCast(UInt32(truncatingIfNeeded: sp[pc.fieldB]), to: Float.self)
                let b = unsafeBitCast(UInt32(truncatingIfNeeded: pc[1]), to: Float.self)
                sp[pc.fieldA] = UInt64(unsafeBitCast(a + b, to: UInt32.self))
                pc += 2
            case .f32Sub:  // f32.sub
                let a = unsafeBitCast(UInt32(truncatingIfNeeded: sp[pc.fieldB]), to: Float.self)
                let b = unsafeBitCast(UInt32(truncatingIfNeeded: sp[pc.fieldC]), to: Float.self)
                sp[pc.fieldA] = UInt64(unsafeBitCast(a - b, to: UInt32.self))
                pc += 1
            case .f32SubImm:  // f32.sub with an immediate
                let a = unsafeBitCast(UInt32(truncatingIfNeeded: sp[pc.fieldB]), to: Float.self)
                let b = unsafeBitCast(UInt32(truncatingIfNeeded: pc[1]), to: Float.self)
                sp[pc.fieldA] = UInt64(unsafeBitCast(a - b, to: UInt32.self))
                pc += 2
            case .f32Mul:  // f32.mul
                let a = unsafeBitCast(UInt32(truncatingIfNeeded: sp[pc.fieldB]), to: Float.self)
                let b = unsafeBitCast(UInt32(truncatingIfNeeded: sp[pc.fieldC]), to: Float.self)
                sp[pc.fieldA] = UInt64(unsafeBitCast(a * b, to: UInt32.self))
                pc += 1
            case .f32MulImm:  // f32.mul with an immediate
                let a = unsafeBitCast(UInt32(truncatingIfNeeded: sp[pc.fieldB]), to: Float.self)
                let b = unsafeBitCast(UInt32(truncatingIfNeeded: pc[1]), to: Float.self)
                sp[pc.fieldA] = UInt64(unsafeBitCast(a * b, to: UInt32.self))
                pc += 2
            case .f32Div:  // f32.div
                let a = unsafeBitCast(UInt32(truncatingIfNeeded: sp[pc.fieldB]), to: Float.self)
                let b = unsafeBitCast(UInt32(truncatingIfNeeded: sp[pc.fieldC]), to: Float.self)
                sp[pc.fieldA] = UInt64(unsafeBitCast(a / b, to: UInt32.self))
                pc += 1
            case .f32DivImm:  // f32.div with an immediate
                let a = unsafeBitCast(UInt32(truncatingIfNeeded: sp[pc.fieldB]), to: Float.self)
                let b = unsafeBitCast(UInt32(truncatingIfNeeded: pc[1]), to: Float.self)
                sp[pc.fieldA] = UInt64(unsafeBitCast(a / b, to: UInt32.self))
                pc += 2
            case .f32Min:  // f32.min
                let a = unsafeBitCast(UInt32(truncatingIfNeeded: sp[pc.fieldB]), to: Float.self)
                let b = unsafeBitCast(UInt32(truncatingIfNeeded: sp[pc.fieldC]), to: Float.self)
                sp[pc.fieldA] = UInt64(unsafeBitCast(Numerics.min(a, b), to: UInt32.self))
                pc += 1
            case .f32Max:  // f32.max
                let a = unsafeBitCast(UInt32(truncatingIfNeeded: sp[pc.fieldB]), to: Float.self)
                let b = unsafeBitCast(UInt32(truncatingIfNeeded: sp[pc.fieldC]), to: Float.self)
                sp[pc.fieldA] = UInt64(unsafeBitCast(Numerics.max(a, b), to: UInt32.self))
                pc += 1
            case .f32Copysign:  // f32.copysign
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                let b = UInt32(truncatingIfNeeded: sp[pc.fieldC])
                sp[pc.fieldA] = UInt64((a & 0x7FFF_FFFF) | (b & 0x8000_0000))
                pc += 1
            case .f64Abs:  // f64.abs
                let a = sp[pc.fieldB]
                sp[pc.fieldA] = a & 0x7FFF_FFFF_FFFF_FFFF
                pc += 1
            case .f64Neg:  // f64.neg
                let a = sp[pc.fieldB]
                sp[pc.fieldA] = a ^ 0x8000_0000_0000_0000
                pc += 1
            case .f64Ceil:  // f64.ceil
                let a = unsafeBitCast(sp[pc.fieldB], to: Double.self)
                sp[pc.fieldA] = unsafeBitCast(a.rounded(.up), to: UInt64.self)
                pc += 1
            case .f64Floor:  // f64.floor
                let a = unsafeBitCast(sp[pc.fieldB], to: Double.self)
                sp[pc.fieldA] = unsafeBitCast(a.rounded(.down), to: UInt64.self)
                pc += 1
            case .f64Trunc:  // f64.trunc
                let a = unsafeBitCast(sp[pc.fieldB], to: Double.self)
                sp[pc.fieldA] = unsafeBitCast(a.rounded(.towardZero), to: UInt64.self)
                pc += 1
            case .f64Nearest:  // f64.nearest
                let a = unsafeBitCast(sp[pc.fieldB], to: Double.self)
                sp[pc.fieldA] = unsafeBitCast(a.rounded(.toNearestOrEven), to: UInt64.self)
                pc += 1
            case .f64Sqrt:  // f64.sqrt
                let a = unsafeBitCast(sp[pc.fieldB], to: Double.self)
                sp[pc.fieldA] = unsafeBitCast(a.squareRoot(), to: UInt64.self)
                pc += 1
            case .f64Add:  // f64.add
                let a = unsafeBitCast(sp[pc.fieldB], to: Double.self)
                let b = unsafeBitCast(sp[pc.fieldC], to: Double.self)
                sp[pc.fieldA] = unsafeBitCast(a + b, to: UInt64.self)
                pc += 1
            case .f64AddImm:  // f64.add with an immediate
                let a = unsafeBitCast(sp[pc.fieldB], to: Double.self)
                let b = unsafeBitCast(pc[1], to: Double.self)
                sp[pc.fieldA] = unsafeBitCast(a + b, to: UInt64.self)
                pc += 2
            case .f64Sub:  // f64.sub
                let a = unsafeBitCast(sp[pc.fieldB], to: Double.self)
                let b = unsafeBitCast(sp[pc.fieldC], to: Double.self)
                sp[pc.fieldA] = unsafeBitCast(a - b, to: UInt64.self)
                pc += 1
            case .f64SubImm:  // f64.sub with an immediate
                let a = unsafeBitCast(sp[pc.fieldB], to: Double.self)
                let b = unsafeBitCast(pc[1], to: Double.self)
                sp[pc.fieldA] = unsafeBitCast(a - b, to: UInt64.self)
                pc += 2
            case .f64Mul:  // f64.mul
                let a = unsafeBitCast(sp[pc.fieldB], to: Double.self)
                let b = unsafeBitCast(sp[pc.fieldC], to: Double.self)
                sp[pc.fieldA] = unsafeBitCast(a * b, to: UInt64.self)
                pc += 1
            case .f64MulImm:  // f64.mul with an immediate
                let a = unsafeBitCast(sp[pc.fieldB], to: Double.self)
                let b = unsafeBitCast(pc[1], to: Double.self)
                sp[pc.fieldA] = unsafeBitCast(a * b, to: UInt64.self)
                pc += 2
            case .f64Div:  // f64.div
                let a = unsafeBitCast(sp[pc.fieldB], to: Double.self)
                let b = unsafeBitCast(sp[pc.fieldC], to: Double.self)
                sp[pc.fieldA] = unsafeBitCast(a / b, to: UInt64.self)
                pc += 1
            case .f64DivImm:  // f64.div with an immediate
                let a = unsafeBitCast(sp[pc.fieldB], to: Double.self)
                let b = unsafeBitCast(pc[1], to: Double.self)
                sp[pc.fieldA] = unsafeBitCast(a / b, to: UInt64.self)
                pc += 2
            case .f64Min:  // f64.min
                let a = unsafeBitCast(sp[pc.fieldB], to: Double.self)
                let b = unsafeBitCast(sp[pc.fieldC], to: Double.self)
                sp[pc.fieldA] = unsafeBitCast(Numerics.min(a, b), to: UInt64.self)
                pc += 1
            case .f64Max:  // f64.max
                let a = unsafeBitCast(sp[pc.fieldB], to: Double.self)
                let b = unsafeBitCast(sp[pc.fieldC], to: Double.self)
                sp[pc.fieldA] = unsafeBitCast(Numerics.max(a, b), to: UInt64.self)
                pc += 1
            case .f64Copysign:  // f64.copysign
                let a = sp[pc.fieldB]
                let b = sp[pc.fieldC]
                sp[pc.fieldA] = (a & 0x7FFF_FFFF_FFFF_FFFF) | (b & 0x8000_0000_0000_0000)
                pc += 1
            case .i32WrapI64:  // i32.wrap_i64
                let a = sp[pc.fieldB]
                sp[pc.fieldA] = UInt64(UInt32(truncatingIfNeeded: a))
                pc += 1
            case .i64ExtendI32S:  // i64.extend_i32_s
                let a = Int32(truncatingIfNeeded: sp[pc.fieldB])
                sp[pc.fieldA] = UInt64(bitPattern: Int64(a))
                pc += 1
            case .i64ExtendI32U:  // i64.extend_i32_u
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                sp[pc.fieldA] = UInt64(a)
                pc += 1
            case .f32ConvertI32S:  // f32.convert_i32_s
                let a = Int32(truncatingIfNeeded: sp[pc.fieldB])
                sp[pc.fieldA] = UInt64(unsafeBitCast(Float(a), to: UInt32.self))
                pc += 1
            case .f32ConvertI32U:  // f32.convert_i32_u
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                sp[pc.fieldA] = UInt64(unsafeBitCast(Float(a), to: UInt32.self))
                pc += 1
            case .f32ConvertI64S:  // f32.convert_i64_s
                let a = Int64(bitPattern: sp[pc.fieldB])
                sp[pc.fieldA] = UInt64(unsafeBitCast(Float(a), to: UInt32.self))
                pc += 1
            case .f32ConvertI64U:  // f32.convert_i64_u
                let a = sp[pc.fieldB]
                sp[pc.fieldA] = UInt64(unsafeBitCast(Float(a), to: UInt32.self))
                pc += 1
            case .f32DemoteF64:  // f32.demote_f64
                let a = unsafeBitCast(sp[pc.fieldB], to: Double.self)
                sp[pc.fieldA] = UInt64(unsafeBitCast(Float(a), to: UInt32.self))
                pc += 1
            case .f64ConvertI32S:  // f64.convert_i32_s
                let a = Int32(truncatingIfNeeded: sp[pc.fieldB])
                sp[pc.fieldA] = unsafeBitCast(Double(a), to: UInt64.self)
                pc += 1
            case .f64ConvertI32U:  // f64.convert_i32_u
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                sp[pc.fieldA] = unsafeBitCast(Double(a), to: UInt64.self)
                pc += 1
            case .f64ConvertI64S:  // f64.convert_i64_s
                let a = Int64(bitPattern: sp[pc.fieldB])
                sp[pc.fieldA] = unsafeBitCast(Double(a), to: UInt64.self)
                pc += 1
            case .f64ConvertI64U:  // f64.convert_i64_u
                let a = sp[pc.fieldB]
                sp[pc.fieldA] = unsafeBitCast(Double(a), to: UInt64.self)
                pc += 1
            case .f64PromoteF32:  // f64.promote_f32
                let a = unsafeBitCast(UInt32(truncatingIfNeeded: sp[pc.fieldB]), to: Float.self)
                sp[pc.fieldA] = unsafeBitCast(Double(a), to: UInt64.self)
                pc += 1
            case .i32ReinterpretF32:  // i32.reinterpret_f32
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                sp[pc.fieldA] = UInt64(a)
                pc += 1
            case .i64ReinterpretF64:  // i64.reinterpret_f64
                let a = sp[pc.fieldB]
                sp[pc.fieldA] = a
                pc += 1
            case .f32ReinterpretI32:  // f32.reinterpret_i32
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                sp[pc.fieldA] = UInt64(a)
                pc += 1
            case .f64ReinterpretI64:  // f64.reinterpret_i64
                let a = sp[pc.fieldB]
                sp[pc.fieldA] = a
                pc += 1
            case .i32Extend8S:  // i32.extend8_s
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                sp[pc.fieldA] = UInt64(UInt32(bitPattern: Int32(Int8(truncatingIfNeeded: a))))
                pc += 1
            case .i32Extend16S:  // i32.extend16_s
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                sp[pc.fieldA] = UInt64(UInt32(bitPattern: Int32(Int16(truncatingIfNeeded: a))))
                pc += 1
            case .i64Extend8S:  // i64.extend8_s
                let a = sp[pc.fieldB]
                sp[pc.fieldA] = UInt64(bitPattern: Int64(Int8(truncatingIfNeeded: a)))
                pc += 1
            case .i64Extend16S:  // i64.extend16_s
                let a = sp[pc.fieldB]
                sp[pc.fieldA] = UInt64(bitPattern: Int64(Int16(truncatingIfNeeded: a)))
                pc += 1
            case .i64Extend32S:  // i64.extend32_s
                let a = sp[pc.fieldB]
                sp[pc.fieldA] = UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: a)))
                pc += 1
            case .i32TruncSatF32S:  // i32.trunc_sat_f32_s
                let a = unsafeBitCast(UInt32(truncatingIfNeeded: sp[pc.fieldB]), to: Float.self)
                sp[pc.fieldA] = UInt64(UInt32(bitPattern: Numerics.truncSat(a, Int32.self)))
                pc += 1
            case .i32TruncSatF32U:  // i32.trunc_sat_f32_u
                let a = unsafeBitCast(UInt32(truncatingIfNeeded: sp[pc.fieldB]), to: Float.self)
                sp[pc.fieldA] = UInt64(Numerics.truncSat(a, UInt32.self))
                pc += 1
            case .i32TruncSatF64S:  // i32.trunc_sat_f64_s
                let a = unsafeBitCast(sp[pc.fieldB], to: Double.self)
                sp[pc.fieldA] = UInt64(UInt32(bitPattern: Numerics.truncSat(a, Int32.self)))
                pc += 1
            case .i32TruncSatF64U:  // i32.trunc_sat_f64_u
                let a = unsafeBitCast(sp[pc.fieldB], to: Double.self)
                sp[pc.fieldA] = UInt64(Numerics.truncSat(a, UInt32.self))
                pc += 1
            case .i64TruncSatF32S:  // i64.trunc_sat_f32_s
                let a = unsafeBitCast(UInt32(truncatingIfNeeded: sp[pc.fieldB]), to: Float.self)
                sp[pc.fieldA] = UInt64(bitPattern: Numerics.truncSat(a, Int64.self))
                pc += 1
            case .i64TruncSatF32U:  // i64.trunc_sat_f32_u
                let a = unsafeBitCast(UInt32(truncatingIfNeeded: sp[pc.fieldB]), to: Float.self)
                sp[pc.fieldA] = Numerics.truncSat(a, UInt64.self)
                pc += 1
            case .i64TruncSatF64S:  // i64.trunc_sat_f64_s
                let a = unsafeBitCast(sp[pc.fieldB], to: Double.self)
                sp[pc.fieldA] = UInt64(bitPattern: Numerics.truncSat(a, Int64.self))
                pc += 1
            case .i64TruncSatF64U:  // i64.trunc_sat_f64_u
                let a = unsafeBitCast(sp[pc.fieldB], to: Double.self)
                sp[pc.fieldA] = Numerics.truncSat(a, UInt64.self)
                pc += 1
            case .i32AddMem:  // a = x &+ m, m = the i32 at memory[c + offset] (Translator.fuseLoad)
                let address = Interpreter.effectiveAddress(sp[pc.fieldC], pc[1])
                guard address &+ 4 <= memorySize else { trap = .outOfBoundsMemoryAccess; break loop }
                let m = (memoryBase + Int(truncatingIfNeeded: address)).unalignedUInt32
                let x = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                sp[pc.fieldA] = UInt64(x &+ m)
                pc += 2
            case .i32SubMem:  // a = x &- m, m = the i32 at memory[c + offset] (Translator.fuseLoad)
                let address = Interpreter.effectiveAddress(sp[pc.fieldC], pc[1])
                guard address &+ 4 <= memorySize else { trap = .outOfBoundsMemoryAccess; break loop }
                let m = (memoryBase + Int(truncatingIfNeeded: address)).unalignedUInt32
                let x = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                sp[pc.fieldA] = UInt64(x &- m)
                pc += 2
            case .i32RSubMem:  // a = m &- x, m = the i32 at memory[c + offset] (Translator.fuseLoad)
                let address = Interpreter.effectiveAddress(sp[pc.fieldC], pc[1])
                guard address &+ 4 <= memorySize else { trap = .outOfBoundsMemoryAccess; break loop }
                let m = (memoryBase + Int(truncatingIfNeeded: address)).unalignedUInt32
                let x = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                sp[pc.fieldA] = UInt64(m &- x)
                pc += 2
            case .i32AndMem:  // a = x & m, m = the i32 at memory[c + offset] (Translator.fuseLoad)
                let address = Interpreter.effectiveAddress(sp[pc.fieldC], pc[1])
                guard address &+ 4 <= memorySize else { trap = .outOfBoundsMemoryAccess; break loop }
                let m = (memoryBase + Int(truncatingIfNeeded: address)).unalignedUInt32
                let x = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                sp[pc.fieldA] = UInt64(x & m)
                pc += 2
            case .i32OrMem:  // a = x | m, m = the i32 at memory[c + offset] (Translator.fuseLoad)
                let address = Interpreter.effectiveAddress(sp[pc.fieldC], pc[1])
                guard address &+ 4 <= memorySize else { trap = .outOfBoundsMemoryAccess; break loop }
                let m = (memoryBase + Int(truncatingIfNeeded: address)).unalignedUInt32
                let x = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                sp[pc.fieldA] = UInt64(x | m)
                pc += 2
            case .i32XorMem:  // a = x ^ m, m = the i32 at memory[c + offset] (Translator.fuseLoad)
                let address = Interpreter.effectiveAddress(sp[pc.fieldC], pc[1])
                guard address &+ 4 <= memorySize else { trap = .outOfBoundsMemoryAccess; break loop }
                let m = (memoryBase + Int(truncatingIfNeeded: address)).unalignedUInt32
                let x = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                sp[pc.fieldA] = UInt64(x ^ m)
                pc += 2
            case .i32XorShlImm:  // i32Xor of b and i32ShlImm of c (Translator.fuseShift)
                let x = UInt32(truncatingIfNeeded: sp[pc.fieldC])
                let k = UInt32(truncatingIfNeeded: pc[1])
                let y = x &<< k
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                sp[pc.fieldA] = UInt64(a ^ y)
                pc += 2
            case .i32XorShrUImm:  // i32Xor of b and i32ShrUImm of c (Translator.fuseShift)
                let x = UInt32(truncatingIfNeeded: sp[pc.fieldC])
                let k = UInt32(truncatingIfNeeded: pc[1])
                let y = x &>> k
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                sp[pc.fieldA] = UInt64(a ^ y)
                pc += 2
            case .i32XorRotlImm:  // i32Xor of b and i32RotlImm of c (Translator.fuseShift)
                let x = UInt32(truncatingIfNeeded: sp[pc.fieldC])
                let k = UInt32(truncatingIfNeeded: pc[1])
                let y = (x &<< k) | (x &>> (32 &- k))
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                sp[pc.fieldA] = UInt64(a ^ y)
                pc += 2
            case .i32AddShlImm:  // i32Add of b and i32ShlImm of c (Translator.fuseShift)
                let x = UInt32(truncatingIfNeeded: sp[pc.fieldC])
                let k = UInt32(truncatingIfNeeded: pc[1])
                let y = x &<< k
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                sp[pc.fieldA] = UInt64(a &+ y)
                pc += 2
            case .i32AddShrUImm:  // i32Add of b and i32ShrUImm of c (Translator.fuseShift)
                let x = UInt32(truncatingIfNeeded: sp[pc.fieldC])
                let k = UInt32(truncatingIfNeeded: pc[1])
                let y = x &>> k
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                sp[pc.fieldA] = UInt64(a &+ y)
                pc += 2
            case .i32AddRotlImm:  // i32Add of b and i32RotlImm of c (Translator.fuseShift)
                let x = UInt32(truncatingIfNeeded: sp[pc.fieldC])
                let k = UInt32(truncatingIfNeeded: pc[1])
                let y = (x &<< k) | (x &>> (32 &- k))
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                sp[pc.fieldA] = UInt64(a &+ y)
                pc += 2
            case .i32OrShlImm:  // i32Or of b and i32ShlImm of c (Translator.fuseShift)
                let x = UInt32(truncatingIfNeeded: sp[pc.fieldC])
                let k = UInt32(truncatingIfNeeded: pc[1])
                let y = x &<< k
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                sp[pc.fieldA] = UInt64(a | y)
                pc += 2
            case .i32OrShrUImm:  // i32Or of b and i32ShrUImm of c (Translator.fuseShift)
                let x = UInt32(truncatingIfNeeded: sp[pc.fieldC])
                let k = UInt32(truncatingIfNeeded: pc[1])
                let y = x &>> k
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                sp[pc.fieldA] = UInt64(a | y)
                pc += 2
            case .i32OrRotlImm:  // i32Or of b and i32RotlImm of c (Translator.fuseShift)
                let x = UInt32(truncatingIfNeeded: sp[pc.fieldC])
                let k = UInt32(truncatingIfNeeded: pc[1])
                let y = (x &<< k) | (x &>> (32 &- k))
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                sp[pc.fieldA] = UInt64(a | y)
                pc += 2
            case .i32LoadIndexed:  // i32Load at b + c (wrapping at 32 bits) + offset
                let address = UInt64(UInt32(truncatingIfNeeded: sp[pc.fieldB]) &+ UInt32(truncatingIfNeeded: sp[pc.fieldC])) &+ (pc[1] & 0xFFFF_FFFF)
                guard address &+ 4 <= memorySize else { trap = .outOfBoundsMemoryAccess; break loop }
                let p = memoryBase + Int(truncatingIfNeeded: address)
                sp[pc.fieldA] = UInt64(p.unalignedUInt32)
                pc += 2
            case .i64LoadIndexed:  // i64Load at b + c (wrapping at 32 bits) + offset
                let address = UInt64(UInt32(truncatingIfNeeded: sp[pc.fieldB]) &+ UInt32(truncatingIfNeeded: sp[pc.fieldC])) &+ (pc[1] & 0xFFFF_FFFF)
                guard address &+ 8 <= memorySize else { trap = .outOfBoundsMemoryAccess; break loop }
                let p = memoryBase + Int(truncatingIfNeeded: address)
                sp[pc.fieldA] = p.unalignedUInt64
                pc += 2
            case .i32Load8UIndexed:  // i32Load8U at b + c (wrapping at 32 bits) + offset
                let address = UInt64(UInt32(truncatingIfNeeded: sp[pc.fieldB]) &+ UInt32(truncatingIfNeeded: sp[pc.fieldC])) &+ (pc[1] & 0xFFFF_FFFF)
                guard address &+ 1 <= memorySize else { trap = .outOfBoundsMemoryAccess; break loop }
                let p = memoryBase + Int(truncatingIfNeeded: address)
                sp[pc.fieldA] = UInt64(p.byteUInt8)
                pc += 2
            case .i32Load8SIndexed:  // i32Load8S at b + c (wrapping at 32 bits) + offset
                let address = UInt64(UInt32(truncatingIfNeeded: sp[pc.fieldB]) &+ UInt32(truncatingIfNeeded: sp[pc.fieldC])) &+ (pc[1] & 0xFFFF_FFFF)
                guard address &+ 1 <= memorySize else { trap = .outOfBoundsMemoryAccess; break loop }
                let p = memoryBase + Int(truncatingIfNeeded: address)
                sp[pc.fieldA] = UInt64(UInt32(bitPattern: Int32(p.byteInt8)))
                pc += 2
            case .i32Load16UIndexed:  // i32Load16U at b + c (wrapping at 32 bits) + offset
                let address = UInt64(UInt32(truncatingIfNeeded: sp[pc.fieldB]) &+ UInt32(truncatingIfNeeded: sp[pc.fieldC])) &+ (pc[1] & 0xFFFF_FFFF)
                guard address &+ 2 <= memorySize else { trap = .outOfBoundsMemoryAccess; break loop }
                let p = memoryBase + Int(truncatingIfNeeded: address)
                sp[pc.fieldA] = UInt64(p.unalignedUInt16)
                pc += 2
            case .i32Load16SIndexed:  // i32Load16S at b + c (wrapping at 32 bits) + offset
                let address = UInt64(UInt32(truncatingIfNeeded: sp[pc.fieldB]) &+ UInt32(truncatingIfNeeded: sp[pc.fieldC])) &+ (pc[1] & 0xFFFF_FFFF)
                guard address &+ 2 <= memorySize else { trap = .outOfBoundsMemoryAccess; break loop }
                let p = memoryBase + Int(truncatingIfNeeded: address)
                sp[pc.fieldA] = UInt64(UInt32(bitPattern: Int32(p.unalignedInt16)))
                pc += 2
            case .i32AddBrIf:  // i32Add then brIf on the sum (Translator.fuseLoopStep)
                let x = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                let v = x &+ UInt32(truncatingIfNeeded: sp[pc.fieldC])
                sp[pc.fieldA] = UInt64(v)
                if v != 0 {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[2]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 3
                }
            case .i32AddBrIfI32NeImm:  // i32Add then brIfI32NeImm on the sum (Translator.fuseLoopStep)
                let x = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                let v = x &+ UInt32(truncatingIfNeeded: sp[pc.fieldC])
                sp[pc.fieldA] = UInt64(v)
                let k = UInt32(truncatingIfNeeded: pc[1] &>> 32)
                if v != k {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[2]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 3
                }
            case .i32AddBrIfI32LtUImm:  // i32Add then brIfI32LtUImm on the sum (Translator.fuseLoopStep)
                let x = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                let v = x &+ UInt32(truncatingIfNeeded: sp[pc.fieldC])
                sp[pc.fieldA] = UInt64(v)
                let k = UInt32(truncatingIfNeeded: pc[1] &>> 32)
                if v < k {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[2]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 3
                }
            case .i32AddBrIfI32GtUImm:  // i32Add then brIfI32GtUImm on the sum (Translator.fuseLoopStep)
                let x = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                let v = x &+ UInt32(truncatingIfNeeded: sp[pc.fieldC])
                sp[pc.fieldA] = UInt64(v)
                let k = UInt32(truncatingIfNeeded: pc[1] &>> 32)
                if v > k {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[2]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 3
                }
            case .i32AddBrIfI32LtSImm:  // i32Add then brIfI32LtSImm on the sum (Translator.fuseLoopStep)
                let x = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                let v = x &+ UInt32(truncatingIfNeeded: sp[pc.fieldC])
                sp[pc.fieldA] = UInt64(v)
                let k = UInt32(truncatingIfNeeded: pc[1] &>> 32)
                if Int32(bitPattern: v) < Int32(bitPattern: k) {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[2]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 3
                }
            case .i32AddBrIfI32GtSImm:  // i32Add then brIfI32GtSImm on the sum (Translator.fuseLoopStep)
                let x = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                let v = x &+ UInt32(truncatingIfNeeded: sp[pc.fieldC])
                sp[pc.fieldA] = UInt64(v)
                let k = UInt32(truncatingIfNeeded: pc[1] &>> 32)
                if Int32(bitPattern: v) > Int32(bitPattern: k) {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[2]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 3
                }
            case .i32AddImmBrIf:  // i32AddImm then brIf on the sum (Translator.fuseLoopStep)
                let x = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                let v = x &+ UInt32(truncatingIfNeeded: pc[1])
                sp[pc.fieldA] = UInt64(v)
                if v != 0 {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[2]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 3
                }
            case .i32AddImmBrIfI32NeImm:  // i32AddImm then brIfI32NeImm on the sum (Translator.fuseLoopStep)
                let x = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                let v = x &+ UInt32(truncatingIfNeeded: pc[1])
                sp[pc.fieldA] = UInt64(v)
                let k = UInt32(truncatingIfNeeded: pc[1] &>> 32)
                if v != k {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[2]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 3
                }
            case .i32AddImmBrIfI32LtUImm:  // i32AddImm then brIfI32LtUImm on the sum (Translator.fuseLoopStep)
                let x = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                let v = x &+ UInt32(truncatingIfNeeded: pc[1])
                sp[pc.fieldA] = UInt64(v)
                let k = UInt32(truncatingIfNeeded: pc[1] &>> 32)
                if v < k {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[2]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 3
                }
            case .i32AddImmBrIfI32GtUImm:  // i32AddImm then brIfI32GtUImm on the sum (Translator.fuseLoopStep)
                let x = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                let v = x &+ UInt32(truncatingIfNeeded: pc[1])
                sp[pc.fieldA] = UInt64(v)
                let k = UInt32(truncatingIfNeeded: pc[1] &>> 32)
                if v > k {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[2]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 3
                }
            case .i32AddImmBrIfI32LtSImm:  // i32AddImm then brIfI32LtSImm on the sum (Translator.fuseLoopStep)
                let x = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                let v = x &+ UInt32(truncatingIfNeeded: pc[1])
                sp[pc.fieldA] = UInt64(v)
                let k = UInt32(truncatingIfNeeded: pc[1] &>> 32)
                if Int32(bitPattern: v) < Int32(bitPattern: k) {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[2]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 3
                }
            case .i32AddImmBrIfI32GtSImm:  // i32AddImm then brIfI32GtSImm on the sum (Translator.fuseLoopStep)
                let x = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                let v = x &+ UInt32(truncatingIfNeeded: pc[1])
                sp[pc.fieldA] = UInt64(v)
                let k = UInt32(truncatingIfNeeded: pc[1] &>> 32)
                if Int32(bitPattern: v) > Int32(bitPattern: k) {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[2]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 3
                }
            case .brIfI32Eq:
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldA])
                let b = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                if a == b {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[1]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 2
                }
            case .brIfNotI32Eq:
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldA])
                let b = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                if !(a == b) {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[1]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 2
                }
            case .brIfI32EqImm:
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldA])
                let b = UInt32(truncatingIfNeeded: pc[1])
                if a == b {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[2]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 3
                }
            case .brIfNotI32EqImm:
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldA])
                let b = UInt32(truncatingIfNeeded: pc[1])
                if !(a == b) {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[2]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 3
                }
            case .brIfI32Ne:
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldA])
                let b = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                if a != b {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[1]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 2
                }
            case .brIfNotI32Ne:
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldA])
                let b = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                if !(a != b) {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[1]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 2
                }
            case .brIfI32NeImm:
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldA])
                let b = UInt32(truncatingIfNeeded: pc[1])
                if a != b {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[2]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 3
                }
            case .brIfNotI32NeImm:
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldA])
                let b = UInt32(truncatingIfNeeded: pc[1])
                if !(a != b) {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[2]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 3
                }
            case .brIfI32LtS:
                let a = Int32(truncatingIfNeeded: sp[pc.fieldA])
                let b = Int32(truncatingIfNeeded: sp[pc.fieldB])
                if a < b {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[1]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 2
                }
            case .brIfNotI32LtS:
                let a = Int32(truncatingIfNeeded: sp[pc.fieldA])
                let b = Int32(truncatingIfNeeded: sp[pc.fieldB])
                if !(a < b) {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[1]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 2
                }
            case .brIfI32LtSImm:
                let a = Int32(truncatingIfNeeded: sp[pc.fieldA])
                let b = Int32(truncatingIfNeeded: pc[1])
                if a < b {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[2]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 3
                }
            case .brIfNotI32LtSImm:
                let a = Int32(truncatingIfNeeded: sp[pc.fieldA])
                let b = Int32(truncatingIfNeeded: pc[1])
                if !(a < b) {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[2]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 3
                }
            case .brIfI32LtU:
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldA])
                let b = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                if a < b {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[1]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 2
                }
            case .brIfNotI32LtU:
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldA])
                let b = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                if !(a < b) {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[1]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 2
                }
            case .brIfI32LtUImm:
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldA])
                let b = UInt32(truncatingIfNeeded: pc[1])
                if a < b {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[2]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 3
                }
            case .brIfNotI32LtUImm:
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldA])
                let b = UInt32(truncatingIfNeeded: pc[1])
                if !(a < b) {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[2]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 3
                }
            case .brIfI32GtS:
                let a = Int32(truncatingIfNeeded: sp[pc.fieldA])
                let b = Int32(truncatingIfNeeded: sp[pc.fieldB])
                if a > b {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[1]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 2
                }
            case .brIfNotI32GtS:
                let a = Int32(truncatingIfNeeded: sp[pc.fieldA])
                let b = Int32(truncatingIfNeeded: sp[pc.fieldB])
                if !(a > b) {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[1]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 2
                }
            case .brIfI32GtSImm:
                let a = Int32(truncatingIfNeeded: sp[pc.fieldA])
                let b = Int32(truncatingIfNeeded: pc[1])
                if a > b {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[2]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 3
                }
            case .brIfNotI32GtSImm:
                let a = Int32(truncatingIfNeeded: sp[pc.fieldA])
                let b = Int32(truncatingIfNeeded: pc[1])
                if !(a > b) {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[2]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 3
                }
            case .brIfI32GtU:
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldA])
                let b = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                if a > b {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[1]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 2
                }
            case .brIfNotI32GtU:
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldA])
                let b = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                if !(a > b) {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[1]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 2
                }
            case .brIfI32GtUImm:
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldA])
                let b = UInt32(truncatingIfNeeded: pc[1])
                if a > b {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[2]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 3
                }
            case .brIfNotI32GtUImm:
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldA])
                let b = UInt32(truncatingIfNeeded: pc[1])
                if !(a > b) {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[2]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 3
                }
            case .brIfI32LeS:
                let a = Int32(truncatingIfNeeded: sp[pc.fieldA])
                let b = Int32(truncatingIfNeeded: sp[pc.fieldB])
                if a <= b {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[1]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 2
                }
            case .brIfNotI32LeS:
                let a = Int32(truncatingIfNeeded: sp[pc.fieldA])
                let b = Int32(truncatingIfNeeded: sp[pc.fieldB])
                if !(a <= b) {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[1]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 2
                }
            case .brIfI32LeSImm:
                let a = Int32(truncatingIfNeeded: sp[pc.fieldA])
                let b = Int32(truncatingIfNeeded: pc[1])
                if a <= b {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[2]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 3
                }
            case .brIfNotI32LeSImm:
                let a = Int32(truncatingIfNeeded: sp[pc.fieldA])
                let b = Int32(truncatingIfNeeded: pc[1])
                if !(a <= b) {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[2]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 3
                }
            case .brIfI32LeU:
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldA])
                let b = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                if a <= b {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[1]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 2
                }
            case .brIfNotI32LeU:
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldA])
                let b = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                if !(a <= b) {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[1]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 2
                }
            case .brIfI32LeUImm:
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldA])
                let b = UInt32(truncatingIfNeeded: pc[1])
                if a <= b {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[2]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 3
                }
            case .brIfNotI32LeUImm:
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldA])
                let b = UInt32(truncatingIfNeeded: pc[1])
                if !(a <= b) {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[2]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 3
                }
            case .brIfI32GeS:
                let a = Int32(truncatingIfNeeded: sp[pc.fieldA])
                let b = Int32(truncatingIfNeeded: sp[pc.fieldB])
                if a >= b {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[1]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 2
                }
            case .brIfNotI32GeS:
                let a = Int32(truncatingIfNeeded: sp[pc.fieldA])
                let b = Int32(truncatingIfNeeded: sp[pc.fieldB])
                if !(a >= b) {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[1]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 2
                }
            case .brIfI32GeSImm:
                let a = Int32(truncatingIfNeeded: sp[pc.fieldA])
                let b = Int32(truncatingIfNeeded: pc[1])
                if a >= b {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[2]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 3
                }
            case .brIfNotI32GeSImm:
                let a = Int32(truncatingIfNeeded: sp[pc.fieldA])
                let b = Int32(truncatingIfNeeded: pc[1])
                if !(a >= b) {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[2]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 3
                }
            case .brIfI32GeU:
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldA])
                let b = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                if a >= b {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[1]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 2
                }
            case .brIfNotI32GeU:
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldA])
                let b = UInt32(truncatingIfNeeded: sp[pc.fieldB])
                if !(a >= b) {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[1]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 2
                }
            case .brIfI32GeUImm:
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldA])
                let b = UInt32(truncatingIfNeeded: pc[1])
                if a >= b {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[2]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 3
                }
            case .brIfNotI32GeUImm:
                let a = UInt32(truncatingIfNeeded: sp[pc.fieldA])
                let b = UInt32(truncatingIfNeeded: pc[1])
                if !(a >= b) {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[2]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 3
                }
            case .brIfI64Eq:
                let a = sp[pc.fieldA]
                let b = sp[pc.fieldB]
                if a == b {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[1]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 2
                }
            case .brIfNotI64Eq:
                let a = sp[pc.fieldA]
                let b = sp[pc.fieldB]
                if !(a == b) {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[1]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 2
                }
            case .brIfI64EqImm:
                let a = sp[pc.fieldA]
                let b = pc[1]
                if a == b {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[2]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 3
                }
            case .brIfNotI64EqImm:
                let a = sp[pc.fieldA]
                let b = pc[1]
                if !(a == b) {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[2]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 3
                }
            case .brIfI64Ne:
                let a = sp[pc.fieldA]
                let b = sp[pc.fieldB]
                if a != b {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[1]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 2
                }
            case .brIfNotI64Ne:
                let a = sp[pc.fieldA]
                let b = sp[pc.fieldB]
                if !(a != b) {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[1]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 2
                }
            case .brIfI64NeImm:
                let a = sp[pc.fieldA]
                let b = pc[1]
                if a != b {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[2]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 3
                }
            case .brIfNotI64NeImm:
                let a = sp[pc.fieldA]
                let b = pc[1]
                if !(a != b) {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[2]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 3
                }
            case .brIfI64LtS:
                let a = Int64(bitPattern: sp[pc.fieldA])
                let b = Int64(bitPattern: sp[pc.fieldB])
                if a < b {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[1]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 2
                }
            case .brIfNotI64LtS:
                let a = Int64(bitPattern: sp[pc.fieldA])
                let b = Int64(bitPattern: sp[pc.fieldB])
                if !(a < b) {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[1]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 2
                }
            case .brIfI64LtSImm:
                let a = Int64(bitPattern: sp[pc.fieldA])
                let b = Int64(bitPattern: pc[1])
                if a < b {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[2]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 3
                }
            case .brIfNotI64LtSImm:
                let a = Int64(bitPattern: sp[pc.fieldA])
                let b = Int64(bitPattern: pc[1])
                if !(a < b) {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[2]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 3
                }
            case .brIfI64LtU:
                let a = sp[pc.fieldA]
                let b = sp[pc.fieldB]
                if a < b {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[1]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 2
                }
            case .brIfNotI64LtU:
                let a = sp[pc.fieldA]
                let b = sp[pc.fieldB]
                if !(a < b) {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[1]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 2
                }
            case .brIfI64LtUImm:
                let a = sp[pc.fieldA]
                let b = pc[1]
                if a < b {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[2]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 3
                }
            case .brIfNotI64LtUImm:
                let a = sp[pc.fieldA]
                let b = pc[1]
                if !(a < b) {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[2]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 3
                }
            case .brIfI64GtS:
                let a = Int64(bitPattern: sp[pc.fieldA])
                let b = Int64(bitPattern: sp[pc.fieldB])
                if a > b {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[1]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 2
                }
            case .brIfNotI64GtS:
                let a = Int64(bitPattern: sp[pc.fieldA])
                let b = Int64(bitPattern: sp[pc.fieldB])
                if !(a > b) {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[1]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 2
                }
            case .brIfI64GtSImm:
                let a = Int64(bitPattern: sp[pc.fieldA])
                let b = Int64(bitPattern: pc[1])
                if a > b {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[2]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 3
                }
            case .brIfNotI64GtSImm:
                let a = Int64(bitPattern: sp[pc.fieldA])
                let b = Int64(bitPattern: pc[1])
                if !(a > b) {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[2]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 3
                }
            case .brIfI64GtU:
                let a = sp[pc.fieldA]
                let b = sp[pc.fieldB]
                if a > b {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[1]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 2
                }
            case .brIfNotI64GtU:
                let a = sp[pc.fieldA]
                let b = sp[pc.fieldB]
                if !(a > b) {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[1]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 2
                }
            case .brIfI64GtUImm:
                let a = sp[pc.fieldA]
                let b = pc[1]
                if a > b {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[2]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 3
                }
            case .brIfNotI64GtUImm:
                let a = sp[pc.fieldA]
                let b = pc[1]
                if !(a > b) {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[2]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 3
                }
            case .brIfI64LeS:
                let a = Int64(bitPattern: sp[pc.fieldA])
                let b = Int64(bitPattern: sp[pc.fieldB])
                if a <= b {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[1]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 2
                }
            case .brIfNotI64LeS:
                let a = Int64(bitPattern: sp[pc.fieldA])
                let b = Int64(bitPattern: sp[pc.fieldB])
                if !(a <= b) {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[1]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 2
                }
            case .brIfI64LeSImm:
                let a = Int64(bitPattern: sp[pc.fieldA])
                let b = Int64(bitPattern: pc[1])
                if a <= b {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[2]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 3
                }
            case .brIfNotI64LeSImm:
                let a = Int64(bitPattern: sp[pc.fieldA])
                let b = Int64(bitPattern: pc[1])
                if !(a <= b) {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[2]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 3
                }
            case .brIfI64LeU:
                let a = sp[pc.fieldA]
                let b = sp[pc.fieldB]
                if a <= b {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[1]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 2
                }
            case .brIfNotI64LeU:
                let a = sp[pc.fieldA]
                let b = sp[pc.fieldB]
                if !(a <= b) {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[1]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 2
                }
            case .brIfI64LeUImm:
                let a = sp[pc.fieldA]
                let b = pc[1]
                if a <= b {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[2]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 3
                }
            case .brIfNotI64LeUImm:
                let a = sp[pc.fieldA]
                let b = pc[1]
                if !(a <= b) {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[2]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 3
                }
            case .brIfI64GeS:
                let a = Int64(bitPattern: sp[pc.fieldA])
                let b = Int64(bitPattern: sp[pc.fieldB])
                if a >= b {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[1]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 2
                }
            case .brIfNotI64GeS:
                let a = Int64(bitPattern: sp[pc.fieldA])
                let b = Int64(bitPattern: sp[pc.fieldB])
                if !(a >= b) {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[1]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 2
                }
            case .brIfI64GeSImm:
                let a = Int64(bitPattern: sp[pc.fieldA])
                let b = Int64(bitPattern: pc[1])
                if a >= b {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[2]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 3
                }
            case .brIfNotI64GeSImm:
                let a = Int64(bitPattern: sp[pc.fieldA])
                let b = Int64(bitPattern: pc[1])
                if !(a >= b) {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[2]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 3
                }
            case .brIfI64GeU:
                let a = sp[pc.fieldA]
                let b = sp[pc.fieldB]
                if a >= b {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[1]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 2
                }
            case .brIfNotI64GeU:
                let a = sp[pc.fieldA]
                let b = sp[pc.fieldB]
                if !(a >= b) {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[1]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 2
                }
            case .brIfI64GeUImm:
                let a = sp[pc.fieldA]
                let b = pc[1]
                if a >= b {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[2]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 3
                }
            case .brIfNotI64GeUImm:
                let a = sp[pc.fieldA]
                let b = pc[1]
                if !(a >= b) {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[2]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 3
                }
            case .brIfF32Eq:
                let a = unsafeBitCast(UInt32(truncatingIfNeeded: sp[pc.fieldA]), to: Float.self)
                let b = unsafeBitCast(UInt32(truncatingIfNeeded: sp[pc.fieldB]), to: Float.self)
                if a == b {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[1]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 2
                }
            case .brIfNotF32Eq:
                let a = unsafeBitCast(UInt32(truncatingIfNeeded: sp[pc.fieldA]), to: Float.self)
                let b = unsafeBitCast(UInt32(truncatingIfNeeded: sp[pc.fieldB]), to: Float.self)
                if !(a == b) {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[1]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 2
                }
            case .brIfF32Ne:
                let a = unsafeBitCast(UInt32(truncatingIfNeeded: sp[pc.fieldA]), to: Float.self)
                let b = unsafeBitCast(UInt32(truncatingIfNeeded: sp[pc.fieldB]), to: Float.self)
                if a != b {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[1]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 2
                }
            case .brIfNotF32Ne:
                let a = unsafeBitCast(UInt32(truncatingIfNeeded: sp[pc.fieldA]), to: Float.self)
                let b = unsafeBitCast(UInt32(truncatingIfNeeded: sp[pc.fieldB]), to: Float.self)
                if !(a != b) {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[1]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 2
                }
            case .brIfF32Lt:
                let a = unsafeBitCast(UInt32(truncatingIfNeeded: sp[pc.fieldA]), to: Float.self)
                let b = unsafeBitCast(UInt32(truncatingIfNeeded: sp[pc.fieldB]), to: Float.self)
                if a < b {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[1]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 2
                }
            case .brIfNotF32Lt:
                let a = unsafeBitCast(UInt32(truncatingIfNeeded: sp[pc.fieldA]), to: Float.self)
                let b = unsafeBitCast(UInt32(truncatingIfNeeded: sp[pc.fieldB]), to: Float.self)
                if !(a < b) {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[1]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 2
                }
            case .brIfF32Gt:
                let a = unsafeBitCast(UInt32(truncatingIfNeeded: sp[pc.fieldA]), to: Float.self)
                let b = unsafeBitCast(UInt32(truncatingIfNeeded: sp[pc.fieldB]), to: Float.self)
                if a > b {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[1]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 2
                }
            case .brIfNotF32Gt:
                let a = unsafeBitCast(UInt32(truncatingIfNeeded: sp[pc.fieldA]), to: Float.self)
                let b = unsafeBitCast(UInt32(truncatingIfNeeded: sp[pc.fieldB]), to: Float.self)
                if !(a > b) {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[1]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 2
                }
            case .brIfF32Le:
                let a = unsafeBitCast(UInt32(truncatingIfNeeded: sp[pc.fieldA]), to: Float.self)
                let b = unsafeBitCast(UInt32(truncatingIfNeeded: sp[pc.fieldB]), to: Float.self)
                if a <= b {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[1]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 2
                }
            case .brIfNotF32Le:
                let a = unsafeBitCast(UInt32(truncatingIfNeeded: sp[pc.fieldA]), to: Float.self)
                let b = unsafeBitCast(UInt32(truncatingIfNeeded: sp[pc.fieldB]), to: Float.self)
                if !(a <= b) {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[1]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 2
                }
            case .brIfF32Ge:
                let a = unsafeBitCast(UInt32(truncatingIfNeeded: sp[pc.fieldA]), to: Float.self)
                let b = unsafeBitCast(UInt32(truncatingIfNeeded: sp[pc.fieldB]), to: Float.self)
                if a >= b {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[1]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 2
                }
            case .brIfNotF32Ge:
                let a = unsafeBitCast(UInt32(truncatingIfNeeded: sp[pc.fieldA]), to: Float.self)
                let b = unsafeBitCast(UInt32(truncatingIfNeeded: sp[pc.fieldB]), to: Float.self)
                if !(a >= b) {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[1]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 2
                }
            case .brIfF64Eq:
                let a = unsafeBitCast(sp[pc.fieldA], to: Double.self)
                let b = unsafeBitCast(sp[pc.fieldB], to: Double.self)
                if a == b {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[1]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 2
                }
            case .brIfNotF64Eq:
                let a = unsafeBitCast(sp[pc.fieldA], to: Double.self)
                let b = unsafeBitCast(sp[pc.fieldB], to: Double.self)
                if !(a == b) {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[1]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 2
                }
            case .brIfF64Ne:
                let a = unsafeBitCast(sp[pc.fieldA], to: Double.self)
                let b = unsafeBitCast(sp[pc.fieldB], to: Double.self)
                if a != b {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[1]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 2
                }
            case .brIfNotF64Ne:
                let a = unsafeBitCast(sp[pc.fieldA], to: Double.self)
                let b = unsafeBitCast(sp[pc.fieldB], to: Double.self)
                if !(a != b) {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[1]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 2
                }
            case .brIfF64Lt:
                let a = unsafeBitCast(sp[pc.fieldA], to: Double.self)
                let b = unsafeBitCast(sp[pc.fieldB], to: Double.self)
                if a < b {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[1]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 2
                }
            case .brIfNotF64Lt:
                let a = unsafeBitCast(sp[pc.fieldA], to: Double.self)
                let b = unsafeBitCast(sp[pc.fieldB], to: Double.self)
                if !(a < b) {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[1]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 2
                }
            case .brIfF64Gt:
                let a = unsafeBitCast(sp[pc.fieldA], to: Double.self)
                let b = unsafeBitCast(sp[pc.fieldB], to: Double.self)
                if a > b {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[1]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 2
                }
            case .brIfNotF64Gt:
                let a = unsafeBitCast(sp[pc.fieldA], to: Double.self)
                let b = unsafeBitCast(sp[pc.fieldB], to: Double.self)
                if !(a > b) {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[1]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 2
                }
            case .brIfF64Le:
                let a = unsafeBitCast(sp[pc.fieldA], to: Double.self)
                let b = unsafeBitCast(sp[pc.fieldB], to: Double.self)
                if a <= b {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[1]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 2
                }
            case .brIfNotF64Le:
                let a = unsafeBitCast(sp[pc.fieldA], to: Double.self)
                let b = unsafeBitCast(sp[pc.fieldB], to: Double.self)
                if !(a <= b) {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[1]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 2
                }
            case .brIfF64Ge:
                let a = unsafeBitCast(sp[pc.fieldA], to: Double.self)
                let b = unsafeBitCast(sp[pc.fieldB], to: Double.self)
                if a >= b {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[1]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 2
                }
            case .brIfNotF64Ge:
                let a = unsafeBitCast(sp[pc.fieldA], to: Double.self)
                let b = unsafeBitCast(sp[pc.fieldB], to: Double.self)
                if !(a >= b) {
                    let offset = Int(truncatingIfNeeded: Int64(bitPattern: pc[1]))
                    if Policy.checksInterrupts && offset <= 0 && Interpreter.interrupted(instance) { trap = .interrupted; break loop }
                    pc += offset
                } else {
                    pc += 2
                }
            // END GENERATED
            }
        }
        // A guest exception (thrown here, or by a host function as a `WasmException`): find its
        // handler; when there is one, go on there, else it leaves this invocation.
        if thrown != nil || hostError is Exception {
            let exception = thrown ?? (hostError as! Exception)
            // (sp comes back in the result, not inout: an inout `sp` would live in memory in the loop.)
            if let (handler, handlerSp) = Interpreter.unwind(
                exception, pc: pc, sp: sp, skippingCurrent: tailHost, st: st, store: store)
            {
                thrown = nil
                hostError = nil
                tailHost = false
                pc = handler
                sp = handlerSp
                instance = st.pointee.function.pointee.instance.unsafelyUnwrapped
                st.pointee.memory = instance.pointee.memories[0]
                memoryBase = st.pointee.memory.pointee.base
                memorySize = UInt64(st.pointee.memory.pointee.byteCount)
                continue outer
            }
            hostError = exception
        }
        break outer
        }

        let entryDepth = st.pointee.entryDepth
        if let hostError {
            stack.depth = entryDepth
            throw hostError
        }
        if let trap {
            let backtrace = Interpreter.backtrace(st)
            stack.depth = entryDepth
            throw Trap(trap, backtrace: backtrace)
        }
        stack.depth = entryDepth
    }

    /// The names of the functions a trap unwinds, innermost first. Out of line, so that the
    /// loop's code does not depend on how the array code is inlined into it.
    @inline(never)
    static func backtrace(_ st: UnsafeMutablePointer<LoopState>) -> [String] {
        let entryDepth = st.pointee.entryDepth
        var backtrace: [String] = [functionName(st.pointee.function)]
        var d = st.pointee.depth
        while d > entryDepth {
            d -= 1
            backtrace.append(functionName(st.pointee.frames[d].function))
        }
        return backtrace
    }
}

/// The function `call_indirect` / `return_call_indirect` at `pc` calls: element `sp[fieldB]` of
/// table `fieldC`, which must have type `pc[1]`; nil, with `trap` set, when the element is out of
/// range, null or of another type.
@inline(__always)
private func indirectCallee(
    _ pc: UnsafeMutablePointer<UInt64>, sp: UnsafeMutablePointer<UInt64>, instance: UnsafeMutablePointer<InstanceEntity>,
    trap: inout TrapReason?
) -> UnsafeMutablePointer<FunctionEntity>? {
    let table = instance.pointee.tables[pc.fieldC]
    let i = UInt32(truncatingIfNeeded: sp[pc.fieldB])
    guard Int(i) < table.pointee.count else {
        trap = .undefinedElement
        return nil
    }
    let ref = table.pointee.elements[Int(i)]
    guard ref != 0, let f = UnsafeMutablePointer<FunctionEntity>(bitPattern: UInt(ref)) else {
        trap = .uninitializedElement
        return nil
    }
    guard f.pointee.typeID == instance.pointee.typeIDs[Int(truncatingIfNeeded: pc[1])] else {
        trap = .indirectCallTypeMismatch
        return nil
    }
    return f
}

/// Zeroes a tail-called frame's declared locals: up to three by plain stores (a tail-call loop
/// pays no libc `memset` call for its few locals), more with `update(repeating:count:)`.
@inline(__always)
private func zeroDeclaredLocals(_ locals: UnsafeMutablePointer<UInt64>, count: Int) {
    switch count {
    case 0: break
    case 1: locals[0] = 0
    case 2:
        locals[0] = 0
        locals[1] = 0
    case 3:
        locals[0] = 0
        locals[1] = 0
        locals[2] = 0
    default: locals.update(repeating: 0, count: count)
    }
}
