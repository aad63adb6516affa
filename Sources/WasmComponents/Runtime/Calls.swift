import WasmCore

// Component functions at run time and the two directions of the canonical ABI's calls:
// `canon lift` (a core function called with component values) and `canon lower` (a core host
// function that lifts its arguments, calls a component function and lowers its result).
// Spec: component-model `design/mvp/CanonicalABI.md` (`canon_lift`, `canon_lower`).

/// A component function: a lifted core function of some instance, or a host function.
final class RuntimeFunction: @unchecked Sendable {
    enum Body {
        case host(ComponentHostFunctionBody)
        case lifted(LiftedFunction)
    }

    /// For messages: "host function `wasi:http/types@0.2.0#[constructor]fields`", ...
    let name: String
    let type: ComponentFunctionType
    let types: ComponentTypes
    let body: Body

    init(name: String, type: ComponentFunctionType, types: ComponentTypes, body: Body) {
        self.name = name
        self.type = type
        self.types = types
        self.body = body
    }

    /// Calls the function with lifted arguments. `source` is the string encoding of the
    /// caller (utf8 for the host); the result comes with the callee's.
    func invoke(_ arguments: [ComponentValue], source: StringEncoding, caller: InstanceState?, adapter: Bool)
        throws -> (ComponentValue?, StringEncoding)
    {
        switch body {
        case .host(let f):
            let root = caller?.root
            guard let caller, let root else { throw Trap(.host("host function called without an instance")) }
            do {
                return (try f(ComponentCaller(store: caller.store, instance: root), arguments), .utf8)
            } catch let t as Trap {
                throw t
            } catch {
                throw Trap(.host("host function failed: \(error)"))
            }
        case .lifted(let l):
            return (try l.call(arguments, source: source, adapter: adapter, caller: caller), l.options.encoding)
        }
    }
}

/// `canon lift`: a core function with the options and type that make it a component function.
final class LiftedFunction {
    let state: InstanceState
    let core: Function
    let options: CanonicalOptions
    let abi: FunctionABI
    /// `async` lift: the result comes through `task.return`, and no `post-return` runs.
    let isAsync: Bool
    let hasCallback: Bool

    init(state: InstanceState, core: Function, options: CanonicalOptions, abi: FunctionABI, isAsync: Bool, hasCallback: Bool) {
        self.state = state
        self.core = core
        self.options = options
        self.abi = abi
        self.isAsync = isAsync
        self.hasCallback = hasCallback
    }

    /// Lowers the arguments into the callee, runs it, lifts its result, runs `post-return`
    /// and ends the call's borrows.
    func call(_ arguments: [ComponentValue], source: StringEncoding, adapter: Bool, caller: InstanceState?) throws
        -> ComponentValue?
    {
        try state.checkMayEnter(from: caller)
        let root = state.root
        root.activeCalls.append(state)
        defer { root.activeCalls.removeLast() }
        do {
            return try enter(arguments, source: source, adapter: adapter)
        } catch {
            state.poisoned = true
            throw error
        }
    }

    private func enter(_ arguments: [ComponentValue], source: StringEncoding, adapter: Bool) throws -> ComponentValue? {
        let frame = CallFrame()
        frame.isAsync = isAsync
        state.frames.append(frame)
        defer { state.frames.removeLast() }
        let cx = CanonicalContext(state: state, options: options, adapter: adapter)
        let flat = try cx.lowerValues(
            arguments, abi.parameters, tuple: abi.parameterTuple, maxFlat: FunctionABI.maxFlatParams, source: source)
        let coreArguments = zip(flat, core.type.parameters).map { Value.raw($0, $1) }
        let results = try state.store.invoke(core, coreArguments)
        if isAsync {
            // Only calls that finish without waiting run: a callback's code must be EXIT (0).
            if hasCallback, case .i32(let code)? = results.first, code & 0xF != 0 {
                throw Trap(.host("async-lifted export waits (callback code \(code)): waiting is not supported"))
            }
            guard frame.hasReturned else { throw Trap(.host("async-lifted export failed to produce a result")) }
            if frame.borrowCount != 0 { throw Trap(.host("borrow handles still remain at the end of the call")) }
            return frame.result
        }
        var result: ComponentValue? = nil
        if let r = abi.result {
            var reader = FlatReader(results)
            if r.flat.count > FunctionABI.maxFlatResults {
                let ptr = reader.next32()
                try cx.checkRange(ptr, size: r.size, alignment: r.alignment, outOfBounds: "pointer out of bounds of memory")
                result = try cx.load(r, Int(ptr))
            } else {
                result = try cx.liftFlat(r, &reader)
            }
        }
        if let post = options.postReturn {
            state.mayLeave = false
            defer { state.mayLeave = true }
            _ = try state.store.invoke(post, results)
        }
        if frame.borrowCount != 0 { throw Trap(.host("borrow handles still remain at the end of the call")) }
        return result
    }
}

/// `canon lower`: the core host function body that calls `callee` from `state`'s code.
struct LoweredCall {
    let state: InstanceState
    let callee: RuntimeFunction
    let options: CanonicalOptions
    let abi: FunctionABI
    /// Whether the callee is another guest (only changes trap wording).
    let adapter: Bool
    /// `async` lower: at most 4 flat parameters, the result stored through the last pointer
    /// argument, and a status returned (always RETURNED: callees run to completion).
    let isAsync: Bool

    static let maxFlatAsyncParams = 4
    static let returned: UInt32 = 2

    func call(_ arguments: [Value]) throws -> [Value] {
        try state.checkMayLeave()
        let lend = CallFrame()
        defer { lend.releaseLenders() }
        let cx = CanonicalContext(state: state, options: options, lendingCall: lend, adapter: adapter)
        var reader = FlatReader(arguments)
        let values = try cx.liftValues(
            abi.parameters, tuple: abi.parameterTuple,
            maxFlat: isAsync ? Self.maxFlatAsyncParams : FunctionABI.maxFlatParams, from: &reader)
        let (result, encoding) = try callee.invoke(values, source: options.encoding, caller: state, adapter: adapter)
        if isAsync {
            if let r = abi.result {
                guard let result else { throw Trap(.host("\(callee.name) returned no value where \(r) was expected")) }
                _ = try cx.lowerValues(
                    [result], [r], tuple: abi.resultTuple!, maxFlat: 0, source: encoding, outPointer: reader.next32())
            }
            return [.i32(Self.returned)]
        }
        guard let r = abi.result else { return [] }
        guard let result else { throw Trap(.host("\(callee.name) returned no value where \(r) was expected")) }
        let retPtr: UInt32? = abi.resultSpills ? reader.next32() : nil
        do {
            let flat = try cx.lowerValues(
                [result], [r], tuple: abi.resultTuple!, maxFlat: FunctionABI.maxFlatResults, source: encoding,
                outPointer: retPtr)
            return zip(flat, r.flat).map { Value.raw($0, $1) }
        } catch let t as Trap where t.message.hasPrefix("type mismatch") {
            throw Trap(.host("result of \(callee.name): \(t.message)"), backtrace: t.backtrace)
        }
    }
}
