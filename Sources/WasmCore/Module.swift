/// Limits and switches of the engine.
public struct EngineConfiguration: Sendable {
    /// Guest call depth at which a call traps with "call stack exhausted".
    public var maxCallDepth: Int = 20_000
    /// Value-stack slots (8 bytes each) available to one invocation.
    public var stackSlots: Int = 1 << 22
    /// Whether `Store.interruptHandle` can stop running code: guests then check
    /// the store's interrupt flag at every loop back-edge and call (one relaxed
    /// load; callgrind counts up to ~6% more instructions on tight loops). With
    /// `false`, an interrupt takes effect only at the next call into the store,
    /// as with Wasmtime's epoch interruption switched off.
    public var interruptible: Bool = true
    /// Most pages (64 KiB each) any memory the module defines may have: `memory.grow`
    /// beyond it returns -1, and a module whose initial size exceeds it fails to
    /// instantiate. nil = only the module's own maximum (at most 4 GiB).
    public var maxMemoryPages: Int? = nil
    /// Most elements any table the module defines may have: `table.grow` beyond it
    /// returns -1, and a larger initial size fails instantiation. nil = `Table.maxElements`.
    public var maxTableElements: Int? = nil
    /// Fewest bytes of data segments (of one memory) that instantiation maps copy-on-write from
    /// the module's memory image, made once per module, instead of copying the data segments
    /// into the new memory; nil = always copy. Only for
    /// modules whose active data segments all have `i32.const` offsets within their memory and
    /// which import no memory. Mapping costs a fixed ~20 µs (page faults, `MADV_DONTNEED` at
    /// release); copying is cheaper up to a few hundred KiB, while the pool keeps the copied
    /// pages resident (`spin-bench --only image`: copy 17 µs vs 33 µs at 256 KiB, 45 vs 32 at 512 KiB).
    public var memoryImageThreshold: Int? = 384 * 1024
    /// Counts every internal instruction the store's code executes, by op, in
    /// `Store.instructionCounts` (a profile of which superinstructions real code reaches).
    /// Runs a third specialisation of the interpreter loop, with interrupt checks and one
    /// counter increment per instruction; the other two loops are unchanged.
    public var countsInstructions: Bool = false
    /// The Wasm 3.0 features modules may use (all supported ones on by default). Pass them to
    /// `Module(bytes:compilation:optimize:features:)`; a module using one that is off fails
    /// to load with an error naming the feature and the byte offset.
    public var features = WasmFeatures()
    public init() {}
}

/// Facts about the engine's internal code, for tools and tests.
public enum InternalCode {
    /// The names of every op that only the optimising translation emits: immediates, fused
    /// compare-and-branch, address folding, superinstructions. The reference translation
    /// (`Module(bytes:optimize: false)`) emits none of them.
    public static var optimizedOperations: [String] { Op.optimized.map { "\($0)" } }

    /// The name of every op of the internal code, in opcode order.
    public static var operations: [String] {
        (0..<Op.count).compactMap { Op(rawValue: UInt16($0)).map { "\($0)" } }
    }
}

/// When `Module(bytes:compilation:)` validates and translates the function bodies.
public enum CompilationMode: Sendable {
    /// All bodies in `Module(bytes:)`: an invalid body makes the module fail there, as the
    /// spec requires. The default, and what `spin up` uses (a server should fail at start).
    case eager
    /// Each body on its first call (as wasm3 does, and wasmi's `CompilationMode::Lazy`): the
    /// module's sections are decoded and validated up front, its function bodies only
    /// delimited, so start-up costs little more than reading the binary. A body that is
    /// malformed or invalid is reported when it is first called, by that call throwing the
    /// `DecodeError` or `ValidationError`; bodies never called are never checked.
    case lazy
}

/// A validated, translated module: immutable, `Sendable`, instantiable any number of times.
///
/// Spec: https://webassembly.github.io/spec/core/syntax/modules.html
public final class Module: @unchecked Sendable {
    /// Everything the binary declares.
    public let info: ModuleInfo
    /// Translated code of each function the module defines (not the imported ones);
    /// nil until first called when `compilation` is `.lazy` (then guarded by `lazyLock`). Read for every
    /// function at load, or at its first call: exclusivity not checked at run time.
    @exclusivity(unchecked) private var compiledFunctions: [CompiledFunction?]
    /// When the function bodies are validated and translated.
    public let compilation: CompilationMode
    /// Whether the bodies get the optimising translation (immediates, fused compare-and-branch,
    /// superinstructions) or the reference one (see `init(bytes:compilation:optimize:)`).
    public let optimize: Bool
    /// What the translator needs of the module, kept for lazy translation.
    let context: ModuleContext
    /// Serializes lazy translation with itself and with instantiation's copy of `functionTemplates`.
    private let lazyLock = SpinLock()
    /// The code of every function not yet translated: one `lazyTranslate` word.
    private let lazyStub: UnsafeMutablePointer<UInt64>
    /// Canonical type id of each type index.
    let typeIDs: [Int]
    /// The position of each export in `info.exports`, by exact name (validation makes names unique).
    let exportPositions: [ExactName: Int]
    /// Entities of the defined functions with everything but the instance filled in;
    /// instantiation copies the block (no per-function ARC traffic).
    let functionTemplates: UnsafeMutablePointer<FunctionEntity>
    /// Imports by kind, counted once.
    let importedFunctionCount: Int
    let importedTableCount: Int
    let importedMemoryCount: Int
    let importedGlobalCount: Int
    /// Each element segment's items, worked out once: a function index (>= 0),
    /// null (-1), or -2 for anything that must be evaluated per instance.
    let elementPlans: [[Int32]]
    /// Stable copies of the data segments' bytes, for `memory.init`.
    let dataPointers: [UnsafePointer<UInt8>?]
    /// The initial contents of the memories it defines, made on first use (`MemoryImage`).
    let memoryImages = MemoryImages()

    /// Decodes, validates and translates `bytes` (the function bodies now or, with
    /// `.lazy`, each on its first call).
    ///
    /// With `optimize: false` the bodies get the *reference translation*: one internal
    /// instruction per Wasm instruction, with no immediates, fusions or superinstructions
    /// (`InternalCode.optimizedOperations` lists what it leaves out). It runs slower and
    /// exists as the oracle that the optimising translation is tested against
    /// (`spin wasm run --no-optimize`).
    ///
    /// `features` says which Wasm 3.0 features the module may use (all by default; see
    /// `EngineConfiguration.features`).
    ///
    /// Throws `DecodeError` when the binary is malformed or uses a switched-off feature, and
    /// `ValidationError` when it is invalid.
    public init(
        bytes: [UInt8], compilation: CompilationMode = .eager, optimize: Bool = true,
        features: WasmFeatures = WasmFeatures()
    ) throws {
        // A lazy module's bodies are not even scanned now: the translator reports a malformed
        // body (DecodeError) as it reports an invalid one, on the first call.
        let info = try ModuleDecoder.decode(bytes, scanningBodies: compilation == .eager, features: features)
        let context = try ModuleValidator.validate(info)
        self.info = info
        self.context = context
        self.compilation = compilation
        self.optimize = optimize
        self.typeIDs = context.typeIDs
        var compiled: [CompiledFunction?] = []
        compiled.reserveCapacity(info.codes.count)
        if compilation == .eager {
            for i in 0..<info.codes.count {
                compiled.append(
                    try Translator.translate(module: info, context: context, definedIndex: i, optimize: optimize))
            }
        } else {
            compiled = Array(repeating: nil, count: info.codes.count)
        }
        self.compiledFunctions = compiled
        lazyStub = .allocate(capacity: 1)
        lazyStub.initialize(to: UInt64(Op.lazyTranslate.rawValue))
        var exportPositions: [ExactName: Int] = [:]
        for (position, e) in info.exports.enumerated() { exportPositions[ExactName(e.name)] = position }
        self.exportPositions = exportPositions
        importedFunctionCount = info.importedFunctionCount
        importedTableCount = info.importedTableCount
        importedMemoryCount = info.importedMemoryCount
        importedGlobalCount = info.importedGlobalCount
        functionTemplates = .allocate(capacity: max(info.functions.count, 1))
        for (i, typeIndex) in info.functions.enumerated() {
            let type = info.types[Int(typeIndex)]
            // An untranslated function's frame holds just its arguments and results until
            // `lazyTranslate` knows the real size.
            let c = compiled[i]
            (functionTemplates + i).initialize(
                to: FunctionEntity(
                    code: c?.code ?? lazyStub, instance: nil,
                    frameSize: c?.frameSize ?? max(type.parameters.count, type.results.count),
                    parameterCount: type.parameters.count, localCount: c?.localCount ?? 0,
                    resultCount: type.results.count, typeID: typeIDs[Int(typeIndex)],
                    functionIndex: importedFunctionCount + i, object: nil))
        }
        self.elementPlans = info.elements.map { seg in
            seg.initializers.map { e -> Int32 in
                guard e.instructions.count == 1 else { return -2 }
                switch e.instructions[0] {
                case .refFunc(let f): return Int32(f)
                case .refNull: return -1
                default: return -2
                }
            }
        }
        self.dataPointers = info.data.map { seg in
            guard !seg.bytes.isEmpty else { return nil }
            let p = UnsafeMutablePointer<UInt8>.allocate(capacity: seg.bytes.count)
            p.initialize(from: seg.bytes, count: seg.bytes.count)
            return UnsafePointer(p)
        }
    }

    deinit {
        for p in dataPointers { p?.deallocate() }
        functionTemplates.deallocate()
        lazyStub.deallocate()
    }

    /// `t` with a defined type's index replaced by its canonical id, so that it compares
    /// across modules (the types of globals and tables as instances hold them).
    func canonical(_ t: ValueType) -> ValueType { context.canonical(t) }

    /// The translated code of defined function `index`, translating it now if the module is lazy.
    ///
    /// Throws the body's `DecodeError` or `ValidationError` (each time it is asked for) when the
    /// body is malformed or invalid.
    func compiledFunction(defined index: Int) throws -> CompiledFunction {
        if compilation == .eager { return compiledFunctions[index]! }
        return try lazyLock.withLock {
            if let c = compiledFunctions[index] { return c }
            let c = try Translator.translate(module: info, context: context, definedIndex: index, optimize: optimize)
            compiledFunctions[index] = c
            // Instances made from now on start with the code.
            functionTemplates[index].code = c.code
            functionTemplates[index].frameSize = c.frameSize
            functionTemplates[index].localCount = c.localCount
            return c
        }
    }

    /// Copies the defined functions' entities (instantiation), consistent with lazy translation.
    func copyFunctionTemplates(to destination: UnsafeMutablePointer<FunctionEntity>) {
        let count = info.functions.count
        if compilation == .eager {
            destination.initialize(from: functionTemplates, count: count)
        } else {
            lazyLock.withLock { destination.initialize(from: functionTemplates, count: count) }
        }
    }

    /// Translates every function not yet translated (a lazy module's bodies are then all
    /// decoded and validated); throws the first body's `DecodeError` or `ValidationError`.
    public func translateAll() throws {
        for i in 0..<info.codes.count { _ = try compiledFunction(defined: i) }
    }

    public var imports: [Import] { info.imports }
    public var exports: [Export] { info.exports }

    /// The type of function `index` in the function index space.
    public func functionType(at index: Int) -> FunctionType? {
        var imported = 0
        for imp in info.imports {
            if case .function(let t) = imp.descriptor {
                if imported == index { return info.types[Int(t)] }
                imported += 1
            }
        }
        let defined = index - imported
        guard defined >= 0, defined < info.functions.count else { return nil }
        return info.types[Int(info.functions[defined])]
    }

    /// A readable name of function `index`: from the `name` section, else an export name, else `func[N]`.
    public func functionName(at index: Int) -> String {
        if let n = info.names?.functionNames[UInt32(index)] { return n }
        if let e = info.exports.first(where: { $0.kind == .function && $0.index == UInt32(index) }) {
            return e.name
        }
        return "func[\(index)]"
    }
}

/// Translated code of one function.
final class CompiledFunction: @unchecked Sendable {
    let code: UnsafeMutablePointer<UInt64>
    let codeCount: Int
    /// Parameters + locals + operand-stack slots.
    let frameSize: Int
    /// Declared (non-parameter) locals.
    let localCount: Int
    /// The exception handlers (`try_table`, `try`), innermost first; empty for most functions.
    let handlers: [ExceptionHandler]

    init(words: [UInt64], frameSize: Int, localCount: Int, handlers: [ExceptionHandler] = []) {
        self.handlers = handlers
        code = .allocate(capacity: max(words.count, 1))
        code.initialize(from: words, count: words.count)
        codeCount = words.count
        self.frameSize = frameSize
        self.localCount = localCount
    }

    deinit { code.deallocate() }
}
