/// Throwing and catching WebAssembly exceptions. All of it is out of line: a function with
/// handlers runs exactly the code it would without them (a `try_table` costs one `br` on
/// entry), and calls and returns do nothing extra. A throw looks the handler up in the
/// per-function table the translator built (`CompiledFunction.handlers`), unwinding the
/// engine's own frames until a handler matches.
extension Interpreter {
    /// A new exception with tag `tag` (an index of the current instance) and the values at `arguments`.
    @inline(never)
    static func makeException(
        tag: Int, arguments: UnsafeMutablePointer<UInt64>, shadow: Int,
        instance: UnsafeMutablePointer<InstanceEntity>, store: Store
    ) -> Exception {
        let t = instance.pointee.object.takeUnretainedValue().tags[tag]
        let parameters = t.type.parameters
        var slots: [UInt64] = []
        var highs: [UInt64] = []
        slots.reserveCapacity(parameters.count)
        highs.reserveCapacity(parameters.count)
        for (i, type) in parameters.enumerated() {
            slots.append(arguments[i])
            highs.append(type == .v128 ? arguments[i + shadow] : 0)
        }
        return Exception(tag: t, slots: slots, highs: highs)
    }

    /// Finds the handler of `exception` thrown at `pc` (in `st.function`, frame `sp`), unwinding
    /// frames of this invocation as needed. On success `st.function` and `st.depth` describe the
    /// handling frame, and its code and frame are returned; nil when no frame of this invocation
    /// handles it (`st.depth` is then the invocation's entry depth). `skippingCurrent`: the current
    /// frame was already left (a host function called in tail position threw).
    @inline(never)
    static func unwind(
        _ exception: Exception, pc: UnsafeMutablePointer<UInt64>, sp: UnsafeMutablePointer<UInt64>,
        skippingCurrent: Bool, st: UnsafeMutablePointer<LoopState>, store: Store
    ) -> (pc: UnsafeMutablePointer<UInt64>, sp: UnsafeMutablePointer<UInt64>)? {
        var pc = pc
        var sp = sp
        var skip = skippingCurrent
        while true {
            if !skip, let handler = handle(exception, at: pc, sp: sp, function: st.pointee.function, st: st, store: store) {
                return (handler, sp)
            }
            skip = false
            if st.pointee.depth == st.pointee.entryDepth { return nil }
            st.pointee.depth -= 1
            let frame = st.pointee.frames[st.pointee.depth]
            // The call instruction's first word: inside the same handler ranges as the call.
            pc = frame.pc - 1
            sp = frame.sp
            st.pointee.function = frame.function
        }
    }

    /// The handler of `function` for `exception` thrown at `pc`, with the caught values written
    /// to its slots; nil when the function does not catch it.
    static func handle(
        _ exception: Exception, at pc: UnsafeMutablePointer<UInt64>, sp: UnsafeMutablePointer<UInt64>,
        function: UnsafeMutablePointer<FunctionEntity>, st: UnsafeMutablePointer<LoopState>, store: Store
    ) -> UnsafeMutablePointer<UInt64>? {
        guard let instanceEntity = function.pointee.instance, let code = function.pointee.code else { return nil }
        let instance = instanceEntity.pointee.object.takeUnretainedValue()
        let module = instance.module
        guard let compiled = try? module.compiledFunction(defined: function.pointee.functionIndex - module.importedFunctionCount),
            !compiled.handlers.isEmpty
        else { return nil }
        let index = pc - code
        var limit = Int.max
        for h in compiled.handlers where h.start <= index && index < h.end && h.depth <= limit {
            let count: Int
            switch h.kind {
            case .delegate:
                limit = h.delegateDepth
                continue
            case .catchTag, .catchRef:
                guard exception.tag === instance.tags[h.tag] else { continue }
                count = exception.slots.count
                let parameters = exception.tag.type.parameters
                for i in 0..<count {
                    sp[h.destination + i] = exception.slots[i]
                    if parameters[i] == .v128 { sp[h.destination + i + st.pointee.shadow] = exception.highs[i] }
                }
            case .catchAll, .catchAllRef:
                count = 0
            }
            if h.kind == .catchRef || h.kind == .catchAllRef {
                store.retainException(exception)
                sp[h.destination + count] = exception.slot
            }
            if h.exceptionSlot >= 0 {
                store.retainException(exception)
                sp[h.exceptionSlot] = exception.slot
            }
            return code + h.target
        }
        return nil
    }
}

/// One handler of a function's exception table: what a `try_table` catch clause, a legacy
/// `catch`/`catch_all` or a `delegate` does with an exception thrown in `start..<end`.
/// Entries are in order, innermost first.
struct ExceptionHandler: Sendable {
    enum Kind: Sendable { case catchTag, catchRef, catchAll, catchAllRef, delegate }
    var kind: Kind
    /// Code indices (of the function's internal code) of the protected instructions.
    var start: Int
    var end: Int
    /// Tag index (`catchTag`, `catchRef`).
    var tag: Int = 0
    /// First slot of the caught values (then the `exnref` for the `*Ref` kinds).
    var destination: Int = 0
    /// Code index to go on at.
    var target: Int = 0
    /// Control-stack depth of the `try`/`try_table` (the function's body is 0).
    var depth: Int
    /// `delegate`: only handlers of `try`s at this depth or outside it apply.
    var delegateDepth: Int = 0
    /// Legacy `catch`: the hidden slot that keeps the exception for `rethrow`; -1 for none.
    var exceptionSlot: Int = -1
}
