/// What the function-body validator needs to know about the module (spec: the context C).
///
/// Spec: https://webassembly.github.io/spec/core/valid/conventions.html#contexts
public struct ModuleContext: Sendable {
    public var types: [FunctionType] = []
    /// Canonical id of every type index (`TypeRegistry`; see `canonicalTypeIDs`).
    public var typeIDs: [Int] = []
    /// Type index of every function in the function index space (imports first).
    public var functionTypeIndices: [UInt32] = []
    /// Tables in the table index space (imports first).
    public var tables: [TableType] = []
    /// Memories in the memory index space (imports first).
    public var memories: [MemoryType] = []
    /// Globals in the global index space (imports first).
    public var globals: [GlobalType] = []
    /// Type index of every tag in the tag index space (imports first).
    public var tags: [UInt32] = []
    /// Element type of every element segment.
    public var elementTypes: [ValueType] = []
    /// Number of data segments declared by the data count section, if present.
    public var dataCount: Int?
    /// Functions that may be referenced by `ref.func` in function bodies (spec: C.refs).
    public var declaredFunctionReferences: Set<UInt32> = []

    public init() {}
}
