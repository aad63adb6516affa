/// What an import asks for.
public enum ImportDescriptor: Sendable, Hashable {
    case function(typeIndex: UInt32)
    case table(TableType)
    case memory(MemoryType)
    case global(GlobalType)
    /// An exception tag of the given function type (parameters only).
    case tag(typeIndex: UInt32)

    public var kind: ExternalKind {
        switch self {
        case .function: .function
        case .table: .table
        case .memory: .memory
        case .global: .global
        case .tag: .tag
        }
    }
}

/// Spec: https://webassembly.github.io/spec/core/syntax/modules.html#imports
public struct Import: Sendable, Hashable {
    public var module: String
    public var name: String
    public var descriptor: ImportDescriptor
    public init(module: String, name: String, descriptor: ImportDescriptor) {
        self.module = module
        self.name = name
        self.descriptor = descriptor
    }
}

/// Spec: https://webassembly.github.io/spec/core/syntax/modules.html#exports
public struct Export: Sendable, Hashable {
    public var name: String
    public var kind: ExternalKind
    public var index: UInt32
    public init(name: String, kind: ExternalKind, index: UInt32) {
        self.name = name
        self.kind = kind
        self.index = index
    }
}

/// One instruction of a constant expression.
///
/// Spec: https://webassembly.github.io/spec/core/valid/instructions.html#constant-expressions
/// (Wasm 2.0 allows exactly one such instruction; extended-const adds i32/i64 add, sub and mul.)
public enum ConstInstruction: Sendable, Hashable {
    case i32Const(UInt32)
    case i64Const(UInt64)
    /// The IEEE-754 bit pattern.
    case f32Const(UInt32)
    /// The IEEE-754 bit pattern.
    case f64Const(UInt64)
    case v128Const(V128)
    case refNull(ValueType)
    case refFunc(UInt32)
    case globalGet(UInt32)
    /// Extended constant expressions: `i32.add`, `i32.sub`, `i32.mul`, `i64.add`, `i64.sub`,
    /// `i64.mul` of the two values before them.
    case i32Add, i32Sub, i32Mul, i64Add, i64Sub, i64Mul
}

/// An instruction that is well formed but not allowed in a constant expression
/// (e.g. `i32.add`), which the decoder records so that `ModuleValidator` can
/// report "constant expression required".
public struct NonConstantInstruction: Sendable, Hashable {
    /// The instruction's first opcode byte (the prefix byte for 0xFC/0xFD instructions).
    public var opcode: UInt8
    /// Byte offset of the instruction in the module.
    public var offset: Int
    /// How many entries of `ConstExpression.instructions` precede it.
    public var position: Int
    public init(opcode: UInt8, offset: Int, position: Int) {
        self.opcode = opcode
        self.offset = offset
        self.position = position
    }
}

/// A constant expression: the instructions before its `end`.
public struct ConstExpression: Sendable, Hashable {
    public var instructions: [ConstInstruction]
    /// The first non-constant instruction, if the expression has one; such an
    /// expression never passes `ModuleValidator` ("constant expression required").
    /// `instructions` then holds only the expression's constant instructions
    /// (`nonConstant.position` of them precede the non-constant one).
    public var nonConstant: NonConstantInstruction?
    public init(_ instructions: [ConstInstruction], nonConstant: NonConstantInstruction? = nil) {
        self.instructions = instructions
        self.nonConstant = nonConstant
    }
}

/// Spec: https://webassembly.github.io/spec/core/syntax/modules.html#globals
public struct GlobalDefinition: Sendable, Hashable {
    public var type: GlobalType
    public var initializer: ConstExpression
    public init(type: GlobalType, initializer: ConstExpression) {
        self.type = type
        self.initializer = initializer
    }
}

/// Spec: https://webassembly.github.io/spec/core/syntax/modules.html#element-segments
public struct ElementSegment: Sendable, Hashable {
    public enum Mode: Sendable, Hashable {
        case passive
        case active(table: UInt32, offset: ConstExpression)
        case declarative
    }
    public var mode: Mode
    public var type: ValueType
    /// One constant expression per element (`ref.func i` for the function-index encodings).
    public var initializers: [ConstExpression]
    public init(mode: Mode, type: ValueType, initializers: [ConstExpression]) {
        self.mode = mode
        self.type = type
        self.initializers = initializers
    }
}

/// Spec: https://webassembly.github.io/spec/core/syntax/modules.html#data-segments
public struct DataSegment: Sendable, Hashable {
    public enum Mode: Sendable, Hashable {
        case passive
        case active(memory: UInt32, offset: ConstExpression)
    }
    public var mode: Mode
    public var bytes: [UInt8]
    public init(mode: Mode, bytes: [UInt8]) {
        self.mode = mode
        self.bytes = bytes
    }
}

/// A function body as it appears in the code section, not yet validated.
///
/// `ModuleDecoder` has already scanned the instructions for well-formedness
/// (known opcodes, valid LEB128 immediates, zero reserved bytes, memarg
/// alignment exponent < 32, properly nested blocks, final `end` exactly at
/// `codeEnd - 1`); the translator only has to validate them.
public struct FunctionBody: Sendable, Hashable {
    /// Declared locals (not the parameters), expanded in order.
    public var locals: [ValueType]
    /// Byte offset (in the module) of the first instruction of the body.
    public var codeStart: Int
    /// Byte offset one past the final `end` of the body.
    public var codeEnd: Int
    public init(locals: [ValueType], codeStart: Int, codeEnd: Int) {
        self.locals = locals
        self.codeStart = codeStart
        self.codeEnd = codeEnd
    }
}

/// A custom section: its name and where its payload lies in the module bytes.
public struct CustomSection: Sendable, Hashable {
    public var name: String
    public var payload: Range<Int>
    public init(name: String, payload: Range<Int>) {
        self.name = name
        self.payload = payload
    }
}

/// Contents of the `name` custom section.
///
/// Spec: https://webassembly.github.io/spec/core/appendix/custom.html#name-section
public struct NameSection: Sendable, Hashable {
    public var moduleName: String?
    public var functionNames: [UInt32: String] = [:]
    public var localNames: [UInt32: [UInt32: String]] = [:]
    public init() {}
}

/// A section's id and its byte range (header included), for tools such as `inspect`.
public struct SectionRecord: Sendable, Hashable {
    public var id: UInt8
    /// Offset of the section's id byte.
    public var start: Int
    /// Offset of the first byte of the section's payload.
    public var payloadStart: Int
    /// Offset one past the payload.
    public var end: Int
    public init(id: UInt8, start: Int, payloadStart: Int, end: Int) {
        self.id = id
        self.start = start
        self.payloadStart = payloadStart
        self.end = end
    }
}

/// A decoded (well-formed) module before validation: every section's contents.
///
/// Function bodies stay as byte ranges into `bytes`; the translator decodes and
/// validates their instructions in one pass.
public struct ModuleInfo: Sendable {
    /// The whole binary, which `FunctionBody` and `CustomSection` ranges point into.
    public var bytes: [UInt8]
    public var types: [FunctionType] = []
    public var imports: [Import] = []
    /// Type index of every function defined in this module (not the imported ones).
    public var functions: [UInt32] = []
    public var tables: [TableType] = []
    /// The initializer expression of each defined table that has one (typed function references:
    /// `table tabletype expr`), nil for the others (filled with null).
    public var tableInitializers: [ConstExpression?] = []
    public var memories: [MemoryType] = []
    public var globals: [GlobalDefinition] = []
    /// Type index of every tag defined in this module (exception handling; the tag section).
    public var tags: [UInt32] = []
    public var exports: [Export] = []
    public var start: UInt32?
    public var elements: [ElementSegment] = []
    public var dataCount: UInt32?
    public var codes: [FunctionBody] = []
    public var data: [DataSegment] = []
    public var customSections: [CustomSection] = []
    public var names: NameSection?
    public var sections: [SectionRecord] = []
    /// The features the module was decoded with (a module using one that is off fails to load).
    public var features: WasmFeatures

    public init(bytes: [UInt8], features: WasmFeatures = WasmFeatures()) {
        self.bytes = bytes
        self.features = features
    }

    public var importedFunctionCount: Int {
        imports.count { if case .function = $0.descriptor { true } else { false } }
    }
    public var importedTableCount: Int { imports.count { if case .table = $0.descriptor { true } else { false } } }
    public var importedMemoryCount: Int { imports.count { if case .memory = $0.descriptor { true } else { false } } }
    public var importedGlobalCount: Int { imports.count { if case .global = $0.descriptor { true } else { false } } }
    public var importedTagCount: Int { imports.count { if case .tag = $0.descriptor { true } else { false } } }
}
