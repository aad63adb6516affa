/// Owns every runtime object instantiated in it and runs their code.
///
/// Spec: https://webassembly.github.io/spec/core/exec/runtime.html#store
/// A store is used by one thread at a time. Objects created in it stay alive as
/// long as the store does.
public final class Store: @unchecked Sendable {
    public let configuration: EngineConfiguration
    /// Keeps instances and host objects alive; compiled code holds unretained pointers to them.
    @exclusivity(unchecked) var retained: [AnyObject] = []
    var executionStack: ExecutionStack?
    /// Data the embedder attaches to this store; host functions reach it through
    /// `Caller.store` (e.g. the WASI context of one request). Read by every WASI and Spin host call,
    /// so its exclusivity is not checked at run time (the store is used by one thread at a time).
    @exclusivity(unchecked) public var data: AnyObject?
    /// Stops this store's guest code from another thread (deadlines, cancellation).
    public let interruptHandle = InterruptHandle()

    /// One counter per internal-code op while `configuration.countsInstructions` is set.
    let instructionCountBuffer: UnsafeMutablePointer<UInt64>?

    public init(configuration: EngineConfiguration = EngineConfiguration()) {
        self.configuration = configuration
        if configuration.countsInstructions {
            instructionCountBuffer = .allocate(capacity: Op.count)
            instructionCountBuffer!.initialize(repeating: 0, count: Op.count)
        } else {
            instructionCountBuffer = nil
        }
    }

    deinit { instructionCountBuffer?.deallocate() }

    /// How often code run in this store executed each internal-code op, by op name (the names
    /// `spin wasm inspect --ir` prints), when `configuration.countsInstructions` is set; ops
    /// never executed are left out. Empty otherwise.
    public var instructionCounts: [String: UInt64] {
        guard let buffer = instructionCountBuffer else { return [:] }
        var counts: [String: UInt64] = [:]
        for raw in 0..<Op.count where buffer[raw] > 0 {
            if let op = Op(rawValue: UInt16(raw)) { counts["\(op)"] = buffer[raw] }
        }
        return counts
    }

    /// Exceptions an `exnref` of this store's code may refer to (slots hold them unretained).
    @exclusivity(unchecked) var exceptions: [Exception] = []

    /// Keeps `exception` alive as long as this store (an `exnref` slot now refers to it).
    func retainException(_ exception: Exception) {
        if let last = exceptions.last, last === exception { return }
        exceptions.append(exception)
    }

    /// Keeps `object` alive as long as this store.
    public func retain(_ object: AnyObject) {
        retained.append(object)
    }

    /// Instantiates `module` with `imports`.
    ///
    /// Throws `LinkError` when an import is missing or has the wrong type, and
    /// `Trap` when initialisation (segments, start function) traps; effects on
    /// imported objects made before such a trap remain, as the spec requires.
    public func instantiate(_ module: Module, imports: Imports = Imports()) throws -> Instance {
        try Instance.instantiate(module, imports: imports, store: self)
    }

    /// Instantiates `module` with imports resolved in advance by `Module.link`
    /// (the fast path for making many instances of one module).
    public func instantiate(_ module: Module, linked: LinkedImports) throws -> Instance {
        try Instance.instantiate(module, linked: linked, store: self)
    }

    /// Calls `function` with `arguments` (checked against its type).
    public func invoke(_ function: Function, _ arguments: [Value]) throws -> [Value] {
        let type = function.type
        guard arguments.count == type.parameters.count,
            zip(arguments, type.parameters).allSatisfy({ $0.isInstance(of: $1) })
        else {
            throw Trap(.host("argument mismatch: \(function.type) called with \(arguments)"))
        }
        return try Interpreter.invoke(function, arguments, store: self)
    }
}
