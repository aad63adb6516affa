import WasmCore

// `canon` definitions at instantiation: lifted functions, lowering trampolines (core host
// functions), resource built-ins, and the built-ins that run without the async ABI.
// Spec: component-model `design/mvp/CanonicalABI.md` (`canon_lift`, `canon_lower`,
// `canon_resource_*`, `canon_task_return`, `canon_context_*`).

extension Instantiator {
    /// The run-time objects canonical options name.
    func options(_ list: [CanonicalOption], _ env: Environment) -> CanonicalOptions {
        var o = CanonicalOptions()
        for option in list {
            switch option {
            case .utf8: o.encoding = .utf8
            case .utf16: o.encoding = .utf16
            case .latin1UTF16: o.encoding = .latin1UTF16
            case .memory(let i): o.memory = env.coreMemories[Int(i)]
            case .realloc(let i): o.realloc = env.coreFunctions[Int(i)]
            case .postReturn(let i): o.postReturn = env.coreFunctions[Int(i)]
            default: break
            }
        }
        return o
    }

    func canonical(_ c: CanonicalFunction, plan: ComponentPlan, cursor: Int, _ env: Environment) throws {
        let state = env.state
        let i32 = ValueType.i32
        switch c {
        case .lift(let core, let list, _):
            let lifted = LiftedFunction(
                state: state, core: env.coreFunctions[Int(core)], options: options(list, env), abi: plan.canonABIs[cursor]!,
                isAsync: list.contains(.async), hasCallback: list.contains { if case .callback = $0 { true } else { false } })
            env.functions.append(
                RuntimeFunction(
                    name: "lifted function (canon #\(cursor))", type: plan.canonTypes[cursor]!, types: env.component.types,
                    body: .lifted(lifted)))
        case .lower(let f, let list):
            let callee = env.functions[Int(f)]
            let adapter: Bool
            if case .lifted = callee.body { adapter = true } else { adapter = false }
            let call = LoweredCall(
                state: state, callee: callee, options: options(list, env), abi: plan.canonABIs[cursor]!, adapter: adapter,
                isAsync: list.contains(.async))
            let signature = env.component.indexSpaces.coreFunctions[env.coreFunctions.count]
            addHostFunction(signature, env) { _, args in try call.call(args) }
        case .resourceNew(let t):
            let rt = try resourceType(t, env)
            addHostFunction(FunctionType(parameters: [i32], results: [i32]), env) { _, args in
                [.i32(try state.resourceNew(rt, rep: Self.i32(args)))]
            }
        case .resourceRep(let t):
            let rt = try resourceType(t, env)
            addHostFunction(FunctionType(parameters: [i32], results: [i32]), env) { _, args in
                [.i32(try state.resourceRep(rt, handle: Self.i32(args)))]
            }
        case .resourceDrop(let t, _):
            let rt = try resourceType(t, env)
            addHostFunction(FunctionType(parameters: [i32], results: []), env) { _, args in
                try state.resourceDrop(rt, handle: Self.i32(args))
                return []
            }
        case .builtin(let b) where b.name == "context.get" || b.name == "context.set":
            // Task-local storage: the slots of the innermost call into this instance.
            let slot = min(Int(b.immediates.last ?? 0), 1)
            if b.name == "context.get" {
                addHostFunction(FunctionType(parameters: [], results: [i32]), env) { _, _ in
                    [.i32(state.frames.last?.context[slot] ?? 0)]
                }
            } else {
                addHostFunction(FunctionType(parameters: [i32], results: []), env) { _, args in
                    state.frames.last?.context[slot] = Self.i32(args)
                    return []
                }
            }
        case .builtin(let b) where b.name == "task.return":
            // Delivers the result of an async-lifted call that runs to completion.
            let abi = plan.canonABIs[cursor]!
            let cx = CanonicalContext(state: state, options: options(b.options, env))
            let signature = env.component.indexSpaces.coreFunctions[env.coreFunctions.count]
            addHostFunction(signature, env) { _, args in
                try state.checkMayLeave()
                guard let frame = state.frames.last, frame.isAsync else {
                    throw Trap(.host("task.return called outside an async-lifted call"))
                }
                if frame.hasReturned { throw Trap(.host("task.return called more than once")) }
                var reader = FlatReader(args)
                let values = try cx.liftValues(
                    abi.parameters, tuple: abi.parameterTuple, maxFlat: FunctionABI.maxFlatParams, from: &reader)
                frame.result = values.first
                frame.hasReturned = true
                return []
            }
        case .builtin(let b) where b.name.hasPrefix("backpressure."):
            // Backpressure only matters to async callers, which do not run: a counter.
            let signature = env.component.indexSpaces.coreFunctions[env.coreFunctions.count]
            let name = b.name
            addHostFunction(signature, env) { _, args in
                switch name {
                case "backpressure.inc": state.backpressure += 1
                case "backpressure.dec": state.backpressure -= 1
                default: state.backpressure = Int(Self.i32(args))
                }
                return []
            }
        case .builtin(let b):
            let signature = env.component.indexSpaces.coreFunctions[env.coreFunctions.count]
            let name = b.name
            addHostFunction(signature, env) { _, _ in
                try state.checkMayLeave()
                throw Trap(.host("canon `\(name)` is not supported (async ABI, threads and error contexts do not run)"))
            }
        }
    }

    static func i32(_ args: [Value]) -> UInt32 {
        if case .i32(let x)? = args.first { return x }
        return 0
    }

    func resourceType(_ t: UInt32, _ env: Environment) throws -> RuntimeResourceType {
        guard let rt = env.types[Int(t)] else { throw Self.unsupported("type \(t) is not a resource at run time") }
        return rt
    }

    func addHostFunction(_ type: FunctionType, _ env: Environment, _ body: @escaping HostFunctionBody) {
        let f = Function(type: type, body: body)
        store.retain(f)
        env.coreFunctions.append(f)
    }
}
