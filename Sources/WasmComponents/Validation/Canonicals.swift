import WasmCore

/// `canon` definitions and `start`.
extension ComponentValidator {
    func addCanonical(_ canonical: CanonicalFunction) throws {
        let abi = CanonicalABI(types: types)
        switch canonical {
        case .lift(let coreIndex, let options, let typeIndex):
            let (id, f) = try functionTypeAt(typeIndex)
            let core = try coreFunctionAt(coreIndex)
            let isAsync = options.contains(.async)
            if isAsync && !f.isAsync { throw fail("the `async` canonical option requires an async function type") }
            var info = abi.lowering(f, lower: false, async: isAsync)
            if isAsync && !options.contains(where: { if case .callback = $0 { true } else { false } }) {
                info.results = []
            }
            try checkOptions(options, info, lift: true, coreResults: core.results)
            if core.parameters != info.parameters {
                throw fail(
                    "lowered parameter types `\(Self.debug(info.parameters))` do not match parameter types `\(Self.debug(core.parameters))` of core function \(coreIndex)"
                )
            }
            if core.results != info.results {
                throw fail(
                    "lowered result types `\(Self.debug(info.results))` do not match result types `\(Self.debug(core.results))` of core function \(coreIndex)"
                )
            }
            if isAsync || f.isAsync {
                unsupported("canon lift with the async ABI")
            }
            current.spaces.functions.append(id)
        case .lower(let functionIndex, let options):
            let f = types.function(try functionAt(functionIndex))!
            let isAsync = options.contains(.async)
            if isAsync && !f.isAsync { throw fail("the `async` canonical option requires an async function type") }
            let info = abi.lowering(f, lower: true, async: isAsync)
            try checkOptions(options, info, lift: false, coreResults: [])
            if isAsync || f.isAsync { unsupported("canon lower with the async ABI") }
            current.spaces.coreFunctions.append(FunctionType(parameters: info.parameters, results: info.results))
        case .resourceNew(let t):
            _ = try localResource(t)
            current.spaces.coreFunctions.append(FunctionType(parameters: [.i32], results: [.i32]))
        case .resourceDrop(let t, _):
            _ = try resourceAt(t)
            current.spaces.coreFunctions.append(FunctionType(parameters: [.i32], results: []))
        case .resourceRep(let t):
            _ = try localResource(t)
            current.spaces.coreFunctions.append(FunctionType(parameters: [.i32], results: [.i32]))
        case .builtin(let b):
            try addBuiltin(b)
        }
    }

    func localResource(_ t: UInt32) throws -> ResourceID {
        let (_, r) = try resourceAt(t)
        guard localResources.contains(r), current.definedResources.contains(r) else {
            throw fail("type \(t) is not a local resource")
        }
        return r
    }

    func unsupported(_ feature: String) {
        current.unsupported.append(ComponentUnsupportedError(feature, offset: offset))
    }

    /// Rust's `Debug` of core value types, as the reference tests print signatures (`[I32, I64]`).
    static func debug(_ types: [ValueType]) -> String {
        "[" + types.map { t in
            switch t {
            case .i32: "I32"
            case .i64: "I64"
            case .f32: "F32"
            case .f64: "F64"
            case .v128: "V128"
            case .funcref: "Ref(funcref)"
            case .externref: "Ref(externref)"
            case .exnref: "Ref(exnref)"
            default: "Ref(\(t))"
            }
        }.joined(separator: ", ") + "]"
    }

    static func encodingName(_ o: CanonicalOption) -> String {
        switch o {
        case .utf16: "utf16"
        case .latin1UTF16: "latin1-utf16"
        default: "utf8"
        }
    }

    func checkOptions(
        _ options: [CanonicalOption], _ info: CanonicalABI.Lowering, lift: Bool, coreResults: [ValueType]
    ) throws {
        var encoding: CanonicalOption?
        var memory: UInt32?
        var realloc: UInt32?
        var postReturn: UInt32?
        var isAsync = false
        var callback: UInt32?
        func once(_ name: String, _ present: Bool) throws {
            if present { throw fail("canonical option `\(name)` is specified more than once") }
        }
        for o in options {
            switch o {
            case .utf8, .utf16, .latin1UTF16:
                if let e = encoding {
                    throw fail(
                        "canonical encoding option `\(Self.encodingName(e))` conflicts with option `\(Self.encodingName(o))`")
                }
                encoding = o
            case .memory(let i):
                try once("memory", memory != nil)
                _ = try lookup(current.spaces.coreMemories, i, "memory", "memory")
                memory = i
            case .realloc(let i):
                try once("realloc", realloc != nil)
                let f = try coreFunctionAt(i)
                guard f == FunctionType(parameters: [.i32, .i32, .i32, .i32], results: [.i32]) else {
                    throw fail("canonical option `realloc` uses a core function with an incorrect signature")
                }
                realloc = i
            case .postReturn(let i):
                try once("post-return", postReturn != nil)
                guard lift else { throw fail("canonical option `post-return` cannot be specified for lowerings") }
                let f = try coreFunctionAt(i)
                guard f == FunctionType(parameters: coreResults, results: []) else {
                    throw fail("canonical option `post-return` uses a core function with an incorrect signature")
                }
                postReturn = i
            case .async:
                try once("async", isAsync)
                isAsync = true
            case .callback(let i):
                try once("callback", callback != nil)
                let f = try coreFunctionAt(i)
                guard f == FunctionType(parameters: [.i32, .i32, .i32], results: [.i32]) else {
                    throw fail("canonical option `callback` uses a core function with an incorrect signature")
                }
                callback = i
            case .coreType, .gc:
                throw fail("canonical option `\(o)` is not supported")
            }
        }
        if callback != nil && !(lift && isAsync) {
            throw fail("canonical option `callback` requires the `async` option and a lift")
        }
        if realloc != nil && memory == nil {
            throw fail("canonical option `realloc` requires `memory` to also be specified")
        }
        if info.requiresMemory && memory == nil { throw fail("canonical option `memory` is required") }
        if info.requiresRealloc && realloc == nil { throw fail("canonical option `realloc` is required") }
    }

    /// The async ABI's, threads' and error contexts' built-ins: their immediates are checked
    /// and they get their core signatures, but instantiation will refuse them.
    func addBuiltin(_ b: CanonicalBuiltin) throws {
        let abi = CanonicalABI(types: types)
        let i32 = ValueType.i32
        var signature = FunctionType()
        func streamOrFuture(_ stream: Bool) throws {
            guard let t = b.typeIndex else { return }
            let id = try typeAt(t)
            switch types.defined(id) {
            case .stream? where stream, .future? where !stream: break
            default: throw fail("`\(b.name)` requires a \(stream ? "stream" : "future") type")
            }
        }
        switch b.name {
        case "task.return":
            let result = try b.result.map(valueType)
            let flat = result.map(abi.flatten) ?? []
            signature = FunctionType(parameters: flat.count > CanonicalABI.maxFlatParams ? [i32] : flat, results: [])
            _ = try options(b.options)
        case "context.get": signature = FunctionType(parameters: [], results: [i32])
        case "context.set": signature = FunctionType(parameters: [i32], results: [])
        case "backpressure.set": signature = FunctionType(parameters: [i32], results: [])
        case "backpressure.inc", "backpressure.dec", "task.cancel": signature = FunctionType()
        case "subtask.cancel": signature = FunctionType(parameters: [i32], results: [i32])
        case "subtask.drop", "waitable-set.drop", "error-context.drop", "thread.resume-later":
            signature = FunctionType(parameters: [i32], results: [])
        case "stream.new", "future.new":
            try streamOrFuture(b.name.hasPrefix("stream"))
            signature = FunctionType(parameters: [], results: [.i64])
        case "stream.read", "stream.write":
            try streamOrFuture(true)
            _ = try options(b.options)
            signature = FunctionType(parameters: [i32, i32, i32], results: [i32])
        case "future.read", "future.write":
            try streamOrFuture(false)
            _ = try options(b.options)
            signature = FunctionType(parameters: [i32, i32], results: [i32])
        case "stream.cancel-read", "stream.cancel-write", "future.cancel-read", "future.cancel-write":
            try streamOrFuture(b.name.hasPrefix("stream"))
            signature = FunctionType(parameters: [i32], results: [i32])
        case "stream.drop-readable", "stream.drop-writable", "future.drop-readable", "future.drop-writable":
            try streamOrFuture(b.name.hasPrefix("stream"))
            signature = FunctionType(parameters: [i32], results: [])
        case "error-context.new":
            _ = try options(b.options)
            signature = FunctionType(parameters: [i32, i32], results: [i32])
        case "error-context.debug-message":
            _ = try options(b.options)
            signature = FunctionType(parameters: [i32, i32], results: [])
        case "waitable-set.new", "thread.index", "thread.available-parallelism":
            signature = FunctionType(parameters: [], results: [i32])
        case "waitable-set.wait", "waitable-set.poll":
            _ = try options(b.options)
            signature = FunctionType(parameters: [i32, i32], results: [i32])
        case "waitable.join": signature = FunctionType(parameters: [i32, i32], results: [])
        case "thread.yield", "thread.suspend": signature = FunctionType(parameters: [], results: [i32])
        case "thread.new-indirect":
            let t = try coreTypeAt(b.immediates[0])
            guard case .coreFunction = types[t] else { throw fail("core type index \(b.immediates[0]) is not a function type") }
            _ = try lookup(current.spaces.coreTables, b.immediates[1], "table", "table")
            signature = FunctionType(parameters: [i32, i32], results: [i32])
        case "thread.spawn-ref", "thread.spawn-indirect":
            signature = FunctionType(parameters: [i32, i32], results: [i32])
        default:
            signature = FunctionType(parameters: [i32], results: [i32])
        }
        unsupported("canon `\(b.name)`")
        current.spaces.coreFunctions.append(signature)
    }

    /// Checks the memory and realloc options of a built-in.
    func options(_ options: [CanonicalOption]) throws -> Bool {
        for o in options {
            switch o {
            case .memory(let i): _ = try lookup(current.spaces.coreMemories, i, "memory", "memory")
            case .realloc(let i): _ = try coreFunctionAt(i)
            default: break
            }
        }
        return true
    }

    func addStart(_ start: StartDefinition) throws {
        if current.hasStart { throw fail("component cannot have more than one start function") }
        let f = types.function(try functionAt(start.function))!
        if f.parameters.count != start.arguments.count {
            throw fail(
                "component start function requires \(f.parameters.count) arguments but was given \(start.arguments.count)")
        }
        for (i, (p, a)) in zip(f.parameters, start.arguments).enumerated() {
            try context("value type mismatch for component start function argument \(i)") {
                try checkValue(try valueAt(a), p.type)
            }
        }
        if let result = f.result { current.spaces.values.append(result) }
        current.hasStart = true
        unsupported("component start functions (values)")
    }
}
