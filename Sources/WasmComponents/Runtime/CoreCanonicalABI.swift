import WasmCore

/// The canonical ABI over one *core* instance, for modules that a bindings generator made to
/// follow it without wrapping them into a component (Spin 1.4–1.5 SDK modules: wit-bindgen 0.8).
/// The instance's memory and its `realloc` export play the roles of the canonical options
/// `memory` and `realloc`; strings are UTF-8.
///
/// Both directions use the same lift and lower code as components:
/// - `call(_:_:_:postReturn:)` is `canon lift`: the host calls an export with component values.
/// - `liftArguments(_:_:)` and `lowerResult(_:_:_:)` are the host side of `canon lower`: a host
///   function the module imports reads its arguments and writes its result with them
///   (`hostFunction(_:abi:_:)` wraps both around a body).
///
/// Make one per instance and keep it for the instance's life: calls into the module and the
/// host functions it calls share its `may_leave` and reentrance state, as one component
/// instance's would.
public final class CoreCanonicalABI {
    /// The component instance the state belongs to (holds nothing but the store, unretained: a
    /// binding is kept in its store's data, and a reference back would keep the store forever).
    private let root: ComponentInstance
    let state: InstanceState
    let options: CanonicalOptions

    /// Binds to `memory` and `realloc` of an instance in `store`. Without `realloc`, a value
    /// with strings or lists can be lifted but not lowered (lowering one traps). The binding
    /// does not keep `store` alive: use it only while the store is (keeping it in the store's
    /// `data`, as Spin's executors do, is the intended home).
    public init(store: Store, memory: Memory, realloc: Function?) {
        root = ComponentInstance(store: store, retainingStore: false)
        state = InstanceState(store: store, root: root, parent: nil, resourceCount: 0)
        root.states.append(state)
        var options = CanonicalOptions()
        options.memory = memory
        options.realloc = realloc
        self.options = options
    }

    /// Calls the core export `function` (whose type must be `type.exportType`) with
    /// `arguments`: lowers them into the instance (through `realloc`), runs it, lifts the
    /// result (copying strings and lists out), then runs `postReturn` with the core results.
    ///
    /// - Throws: a `Trap` from the module, or when a value breaks the ABI (a pointer out of
    ///   bounds, invalid UTF-8, an invalid discriminant); the instance cannot be entered again
    ///   after a trap.
    public func call(
        _ function: Function, _ type: CanonicalFunctionType, _ arguments: [ComponentValue], postReturn: Function? = nil
    ) throws -> ComponentValue? {
        guard function.type == type.exportType else {
            throw Trap(.host("export has core type \(function.type), expected \(type.exportType)"))
        }
        var options = self.options
        options.postReturn = postReturn
        let lifted = LiftedFunction(
            state: state, core: function, options: options, abi: type.abi, isAsync: false, hasCallback: false)
        return try lifted.call(arguments, source: .utf8, adapter: false, caller: nil)
    }

    /// The arguments of a call the module made to an imported function of type `type`, lifted
    /// from its core arguments (and from memory when they spilled).
    public func liftArguments(_ type: CanonicalFunctionType, _ core: [Value]) throws -> [ComponentValue] {
        try state.checkMayLeave()
        let cx = CanonicalContext(state: state, options: options)
        var reader = FlatReader(core)
        return try cx.liftValues(
            type.abi.parameters, tuple: type.abi.parameterTuple, maxFlat: FunctionABI.maxFlatParams, from: &reader)
    }

    /// The core results of an imported function of type `type` returning `result`: its flat
    /// value, or nothing after writing it at the return pointer (the last core argument) when
    /// it spills. Strings and lists are allocated with the module's `realloc`.
    public func lowerResult(_ result: ComponentValue?, _ type: CanonicalFunctionType, _ core: [Value]) throws
        -> [Value]
    {
        guard let r = type.abi.result else { return [] }
        guard let result else { throw Trap(.host("a host function returned no value where \(r) was expected")) }
        var retPtr: UInt32? = nil
        if type.abi.resultSpills {
            guard case .i32(let p)? = core.last else { throw Trap(.host("missing return pointer argument")) }
            retPtr = p
        }
        let cx = CanonicalContext(state: state, options: options)
        let flat = try cx.lowerValues(
            [result], [r], tuple: type.abi.resultTuple!, maxFlat: FunctionABI.maxFlatResults, source: .utf8,
            outPointer: retPtr)
        return zip(flat, r.flat).map { Value.raw($0, $1) }
    }

    /// A core host function of `type.importType` that lifts its arguments, runs `body` and
    /// lowers what it returns. `abi` finds the calling instance's binding (e.g. kept with the
    /// instance's host state); a `Trap` from `body` or the ABI stops the module.
    public static func hostFunction(
        _ type: CanonicalFunctionType, abi: @escaping (Caller) throws -> CoreCanonicalABI,
        _ body: @escaping (Caller, [ComponentValue]) throws -> ComponentValue?
    ) -> Function {
        Function(type: type.importType) { caller, arguments in
            let binding = try abi(caller)
            let values = try binding.liftArguments(type, arguments)
            return try binding.lowerResult(try body(caller, values), type, arguments)
        }
    }
}
