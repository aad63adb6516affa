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
    public init() {}
}

/// A validated, translated module: immutable, `Sendable`, instantiable any number of times.
///
/// Spec: https://webassembly.github.io/spec/core/syntax/modules.html
public final class Module: @unchecked Sendable {
    /// Everything the binary declares.
    public let info: ModuleInfo
    /// Translated code of each function the module defines (not the imported ones).
    let compiledFunctions: [CompiledFunction]
    /// Canonical type id of each type index.
    let typeIDs: [Int]
    /// Exports by exact name.
    let exportIndex: [ExactName: Export]
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

    /// Decodes, validates and translates `bytes`.
    ///
    /// Throws `DecodeError` when the binary is malformed and `ValidationError`
    /// when it is invalid.
    public init(bytes: [UInt8]) throws {
        let info = try ModuleDecoder.decode(bytes)
        let context = try ModuleValidator.validate(info)
        self.info = info
        self.typeIDs = info.types.map { TypeRegistry.shared.id(of: $0) }
        var compiled: [CompiledFunction] = []
        compiled.reserveCapacity(info.codes.count)
        for i in 0..<info.codes.count {
            compiled.append(try Translator.translate(module: info, context: context, definedIndex: i))
        }
        self.compiledFunctions = compiled
        var exportIndex: [ExactName: Export] = [:]
        for e in info.exports { exportIndex[ExactName(e.name)] = e }
        self.exportIndex = exportIndex
        importedFunctionCount = info.importedFunctionCount
        importedTableCount = info.importedTableCount
        importedMemoryCount = info.importedMemoryCount
        importedGlobalCount = info.importedGlobalCount
        functionTemplates = .allocate(capacity: max(info.functions.count, 1))
        for (i, typeIndex) in info.functions.enumerated() {
            let c = compiled[i]
            let type = info.types[Int(typeIndex)]
            (functionTemplates + i).initialize(
                to: FunctionEntity(
                    code: c.code, instance: nil, frameSize: c.frameSize, parameterCount: type.parameters.count,
                    localCount: c.localCount, resultCount: type.results.count, typeID: typeIDs[Int(typeIndex)],
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

    init(words: [UInt64], frameSize: Int, localCount: Int) {
        code = .allocate(capacity: max(words.count, 1))
        code.initialize(from: words, count: words.count)
        codeCount = words.count
        self.frameSize = frameSize
        self.localCount = localCount
    }

    deinit { code.deallocate() }
}
