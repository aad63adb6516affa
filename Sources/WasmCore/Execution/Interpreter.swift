#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A guest call's return point on the engine's own call stack.
struct Frame {
    var pc: UnsafeMutablePointer<UInt64>
    var sp: UnsafeMutablePointer<UInt64>
    var function: UnsafeMutablePointer<FunctionEntity>
}

/// The value stack and call stack one store runs on. Reserved with `mmap`, so
/// only the pages a program touches are ever committed.
///
/// Every slot has a shadow `slotCount` slots further on: a v128 value keeps its
/// low half in the slot and its high half in the shadow. Scalar code never
/// touches the shadows (their pages are never committed), and a frame's layout
/// is the same whether or not it holds vectors.
final class ExecutionStack {
    let slots: UnsafeMutablePointer<UInt64>
    /// Slots (the distance from a slot to its shadow).
    let slotCount: Int
    let frames: UnsafeMutablePointer<Frame>
    let maxDepth: Int
    /// Frames in use (nested invocations from host functions start above).
    var depth = 0
    /// First free slot for a nested invocation. (Unchecked exclusivity: moved on every host call.)
    @exclusivity(unchecked) var slotTop: UnsafeMutablePointer<UInt64>

    init(configuration: EngineConfiguration) {
        slotCount = configuration.stackSlots
        maxDepth = configuration.maxCallDepth
        let slotBytes = 2 * slotCount * MemoryLayout<UInt64>.stride
        let frameBytes = maxDepth * MemoryLayout<Frame>.stride
        let p = ReservationPool.shared.acquire(size: slotBytes)
        let q = ReservationPool.shared.acquire(size: frameBytes)
        precondition(p != nil && q != nil, "cannot reserve the execution stack")
        slots = p!.bindMemory(to: UInt64.self, capacity: 2 * slotCount)
        frames = q!.bindMemory(to: Frame.self, capacity: maxDepth)
        slotTop = slots
    }

    deinit {
        // Stack contents need not be zero for the next user: frames are written before they are read.
        ReservationPool.shared.release(
            UnsafeMutableRawPointer(slots), size: 2 * slotCount * MemoryLayout<UInt64>.stride, dirtyBytes: 0)
        ReservationPool.shared.release(
            UnsafeMutableRawPointer(frames), size: maxDepth * MemoryLayout<Frame>.stride, dirtyBytes: 0)
    }
}

/// Runs guest code.
enum Interpreter {
    /// Calls `function` with already type-checked `arguments`.
    static func invoke(_ function: Function, _ arguments: [Value], store: Store) throws -> [Value] {
        let entity = function.entity
        if let body = function.hostBody {
            return try body(Caller(store: store, instance: nil, memory: nil), arguments)
        }
        let stack: ExecutionStack
        if let s = store.executionStack {
            stack = s
        } else {
            stack = ExecutionStack(configuration: store.configuration)
            store.executionStack = stack
        }
        if store.interruptHandle.isInterrupted { throw Trap(.interrupted) }
        let base = stack.slotTop
        let frameSize = entity.pointee.frameSize
        guard base + frameSize <= stack.slots + stack.slotCount, stack.depth < stack.maxDepth else {
            throw Trap(.callStackExhausted)
        }
        for (i, a) in arguments.enumerated() {
            base[i] = a.slot
            if case .v128(let v) = a { base[i + stack.slotCount] = v.high }
        }
        (base + entity.pointee.parameterCount).update(repeating: 0, count: entity.pointee.localCount)
        let savedTop = stack.slotTop
        let savedDepth = stack.depth
        defer {
            stack.slotTop = savedTop
            stack.depth = savedDepth
        }
        try run(entity, sp: base, stack: stack, store: store)
        let results = function.type.results
        return results.indices.map { Value(slot: base[$0], high: base[$0 + stack.slotCount], type: results[$0]) }
    }

    /// Calls a host function whose arguments sit at `sp`; writes its results there.
    @inline(never)
    static func callHost(
        _ callee: UnsafeMutablePointer<FunctionEntity>, sp: UnsafeMutablePointer<UInt64>,
        instance: UnsafeMutablePointer<InstanceEntity>, stack: ExecutionStack, store: Store
    ) throws {
        let function = callee.pointee.object!.takeUnretainedValue()
        let type = function.type
        var arguments: [Value] = []
        arguments.reserveCapacity(type.parameters.count)
        for (i, t) in type.parameters.enumerated() {
            arguments.append(Value(slot: sp[i], high: sp[i + stack.slotCount], type: t))
        }
        let savedTop = stack.slotTop
        stack.slotTop = sp + max(type.parameters.count, type.results.count)
        defer { stack.slotTop = savedTop }
        let callerInstance = instance.pointee.object.takeUnretainedValue()
        let caller = Caller(store: store, instance: callerInstance, memory: callerInstance.memories.first)
        let results = try function.hostBody!(caller, arguments)
        guard results.count == type.results.count, zip(results, type.results).allSatisfy({ $0.isInstance(of: $1) }) else {
            throw Trap(.host("host function returned \(results) where \(type) was expected"))
        }
        for (i, r) in results.enumerated() {
            sp[i] = r.slot
            if case .v128(let v) = r { sp[i + stack.slotCount] = v.high }
        }
    }

    /// Translates `function` of a `.lazy` module on its first call and fills in its entity.
    @inline(never)
    static func translateLazily(_ function: UnsafeMutablePointer<FunctionEntity>) throws {
        let instance = function.pointee.instance.unsafelyUnwrapped.pointee.object.takeUnretainedValue()
        let module = instance.module
        let compiled = try module.compiledFunction(
            defined: function.pointee.functionIndex - module.importedFunctionCount)
        function.pointee.code = compiled.code
        function.pointee.frameSize = compiled.frameSize
        function.pointee.localCount = compiled.localCount
    }

    /// Words taken by the out-of-line instructions.
    static func instructionLength(_ w: UInt64) -> Int { Op.length(w) }

    static func functionName(_ f: UnsafeMutablePointer<FunctionEntity>) -> String {
        guard let instance = f.pointee.instance else { return "host function" }
        return instance.pointee.object.takeUnretainedValue().module.functionName(at: f.pointee.functionIndex)
    }

    /// Bulk memory, table and reference instructions (kept out of the hot loop).
    @inline(never)
    static func bulkOperation(
        _ w: UInt64, pc: UnsafeMutablePointer<UInt64>, sp: UnsafeMutablePointer<UInt64>,
        instance: UnsafeMutablePointer<InstanceEntity>
    ) -> TrapReason? {
        let a = Int(truncatingIfNeeded: (w &>> 16) & 0xFFFF)
        let b = Int(truncatingIfNeeded: (w &>> 32) & 0xFFFF)
        let c = Int(truncatingIfNeeded: w &>> 48)
        let imm = Int(truncatingIfNeeded: w &>> 32)
        @inline(__always) func u32(_ slot: Int) -> Int { Int(UInt32(truncatingIfNeeded: sp[slot])) }
        let memory = instance.pointee.memories[0]
        switch Op(rawValue: UInt16(truncatingIfNeeded: w)).unsafelyUnwrapped {
        case .memoryFill:
            let d = u32(a)
            let n = u32(c)
            guard d + n <= memory.pointee.byteCount else { return .outOfBoundsMemoryAccess }
            (memory.pointee.base + d).initializeMemory(
                as: UInt8.self, repeating: UInt8(truncatingIfNeeded: sp[b]), count: n)
        case .memoryCopy:
            let d = u32(a)
            let s = u32(b)
            let n = u32(c)
            let size = memory.pointee.byteCount
            guard d + n <= size, s + n <= size else { return .outOfBoundsMemoryAccess }
            if n > 0 { memmove(memory.pointee.base + d, memory.pointee.base + s, n) }
        case .memoryInit:
            let segment = instance.pointee.dataSegments + Int(truncatingIfNeeded: pc[1])
            let d = u32(a)
            let s = u32(b)
            let n = u32(c)
            guard d + n <= memory.pointee.byteCount, s + n <= segment.pointee.count else {
                return .outOfBoundsMemoryAccess
            }
            if n > 0 { (memory.pointee.base + d).copyMemory(from: segment.pointee.bytes! + s, byteCount: n) }
        case .dataDrop:
            instance.pointee.dataSegments[imm].count = 0
        case .tableGet:
            let table = instance.pointee.tables[c]
            let i = u32(b)
            guard i < table.pointee.count else { return .outOfBoundsTableAccess }
            sp[a] = table.pointee.elements[i]
        case .tableSet:
            let table = instance.pointee.tables[c]
            let i = u32(a)
            guard i < table.pointee.count else { return .outOfBoundsTableAccess }
            table.pointee.elements[i] = sp[b]
        case .tableSize:
            sp[a] = UInt64(instance.pointee.tables[imm].pointee.count)
        case .tableGrow:
            let table = instance.pointee.tables[Int(truncatingIfNeeded: pc[1])]
            let old = Table.grow(table, by: u32(c), filling: sp[b])
            sp[a] = old.map { UInt64($0) } ?? 0xFFFF_FFFF
        case .tableFill:
            let table = instance.pointee.tables[Int(truncatingIfNeeded: pc[1])]
            let i = u32(a)
            let n = u32(c)
            guard i + n <= table.pointee.count else { return .outOfBoundsTableAccess }
            (table.pointee.elements + i).update(repeating: sp[b], count: n)
        case .tableCopy:
            let dst = instance.pointee.tables[Int(truncatingIfNeeded: pc[1] & 0xFFFF_FFFF)]
            let src = instance.pointee.tables[Int(truncatingIfNeeded: pc[1] &>> 32)]
            let d = u32(a)
            let s = u32(b)
            let n = u32(c)
            guard d + n <= dst.pointee.count, s + n <= src.pointee.count else { return .outOfBoundsTableAccess }
            if n > 0 {
                memmove(dst.pointee.elements + d, src.pointee.elements + s, n * MemoryLayout<UInt64>.stride)
            }
        case .tableInit:
            let table = instance.pointee.tables[Int(truncatingIfNeeded: pc[1] & 0xFFFF_FFFF)]
            let segment = instance.pointee.elementSegments + Int(truncatingIfNeeded: pc[1] &>> 32)
            let d = u32(a)
            let s = u32(b)
            let n = u32(c)
            guard d + n <= table.pointee.count, s + n <= segment.pointee.count else { return .outOfBoundsTableAccess }
            if n > 0 { (table.pointee.elements + d).update(from: segment.pointee.elements! + s, count: n) }
        case .elemDrop:
            instance.pointee.elementSegments[imm].count = 0
        case .refFunc:
            sp[a] = UInt64(UInt(bitPattern: instance.pointee.functions[imm]))
        default:
            fatalError("not a bulk operation")
        }
        return nil
    }
}
