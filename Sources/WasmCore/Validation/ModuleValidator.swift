/// Validates everything of a module except function bodies, and builds the
/// context the function-body validator (the translator) needs.
///
/// Spec: https://webassembly.github.io/spec/core/valid/modules.html
///
/// Checks run in the reference interpreter's order (types, imports, globals,
/// tables, memories, element and data segments, start, exports, memory count)
/// and use its texts. Index errors name the index, as the reference interpreter
/// does ("unknown global 3"); the spec suite's expected texts are prefixes of
/// these ("unknown global").
public enum ModuleValidator {
    /// Largest number of pages of a 32-bit memory.
    static let maxPages: UInt64 = 65536

    public static func validate(_ info: ModuleInfo) throws(ValidationError) -> ModuleContext {
        var c = ModuleContext()
        c.types = info.types
        // A function type may refer only to the types before it (a recursive type needs GC's
        // rec groups, which this engine does not support).
        for (i, t) in info.types.enumerated() {
            for v in t.parameters + t.results { try checkValueType(v, in: info, before: i) }
        }
        c.typeIDs = ModuleContext.canonicalTypeIDs(info.types)

        // Imports populate the index spaces first.
        for imp in info.imports {
            switch imp.descriptor {
            case .function(let typeIndex):
                try checkTypeIndex(typeIndex, in: info)
                c.functionTypeIndices.append(typeIndex)
            case .table(let t):
                try checkTable(t)
                try checkValueType(t.elementType, in: info)
                c.tables.append(t)
            case .memory(let m):
                try checkMemory(m)
                c.memories.append(m)
            case .global(let g):
                try checkValueType(g.valueType, in: info)
                c.globals.append(g)
            case .tag(let typeIndex):
                try checkTag(typeIndex, in: info)
                c.tags.append(typeIndex)
            }
        }
        for typeIndex in info.tags {
            try checkTag(typeIndex, in: info)
            c.tags.append(typeIndex)
        }

        // C.refs: every function index outside function bodies and the start section.
        c.declaredFunctionReferences = declaredFunctionReferences(info)

        // Context C' of the spec: all functions, tables, memories, but only the
        // imported globals (constant expressions may only use those).
        for typeIndex in info.functions {
            try checkTypeIndex(typeIndex, in: info)
            c.functionTypeIndices.append(typeIndex)
        }
        c.tables += info.tables
        c.memories += info.memories
        c.elementTypes = info.elements.map(\.type)
        if let n = info.dataCount { c.dataCount = Int(n) }

        // Wasm 3.0 (the function-references/GC rule): a global's initializer may read every
        // global before it, and segment offsets every global; Wasm 2.0: only the imported ones.
        let extended = info.features.functionReferences
        // Table initializers come before the global section: they may read only imported globals.
        var tableContext = c
        for global in info.globals {
            try checkValueType(global.type.valueType, in: info)
            try checkConst(global.initializer, type: global.type.valueType, context: c, features: info.features)
            if extended { c.globals.append(global.type) }
        }
        for (i, table) in info.tables.enumerated() {
            try checkTable(table)
            try checkValueType(table.elementType, in: info)
            if i < info.tableInitializers.count, let initializer = info.tableInitializers[i] {
                tableContext.tables = c.tables
                try checkConst(initializer, type: table.elementType, context: tableContext, features: info.features)
            } else if !table.elementType.isDefaultable {
                throw ValidationError("type mismatch: a table of \(table.elementType) needs an initializer")
            }
        }
        for memory in info.memories { try checkMemory(memory) }
        for segment in info.elements {
            try checkValueType(segment.type, in: info)
            try checkElement(segment, context: c, features: info.features)
        }
        for segment in info.data {
            if case .active(let memory, let offset) = segment.mode {
                guard Int(memory) < c.memories.count else { throw ValidationError("unknown memory \(memory)") }
                try checkConst(offset, type: c.memories[Int(memory)].addressType, context: c, features: info.features)
            }
        }

        // The full context.
        if !extended { c.globals += info.globals.map(\.type) }

        if let start = info.start {
            let type = try functionType(start, context: c)
            guard type.parameters.isEmpty && type.results.isEmpty else {
                throw ValidationError("start function must not have parameters or results")
            }
        }

        // Names are compared as UTF-8 byte strings: Swift's `String` equality is
        // Unicode canonical equivalence, under which distinct names can be equal.
        var exportNames = Set<[UInt8]>()
        for export in info.exports {
            switch export.kind {
            case .function: _ = try functionType(export.index, context: c)
            case .table:
                guard Int(export.index) < c.tables.count else { throw ValidationError("unknown table \(export.index)") }
            case .memory:
                guard Int(export.index) < c.memories.count else {
                    throw ValidationError("unknown memory \(export.index)")
                }
            case .global:
                guard Int(export.index) < c.globals.count else {
                    throw ValidationError("unknown global \(export.index)")
                }
            case .tag:
                guard Int(export.index) < c.tags.count else { throw ValidationError("unknown tag \(export.index)") }
            }
            guard exportNames.insert(Array(export.name.utf8)).inserted else {
                throw ValidationError("duplicate export name")
            }
        }

        if c.memories.count > 1 && !info.features.multiMemory {
            // Named as Wasm 2.0 does ("multiple memories"), and the switched-off feature.
            let at = info.sections.first { $0.id == 5 }?.payloadStart ?? info.sections.first { $0.id == 2 }?.payloadStart
            throw ValidationError("multiple memories: multi-memory support is not enabled", offset: at)
        }
        return c
    }

    // MARK: - Pieces

    static func checkTypeIndex(_ index: UInt32, in info: ModuleInfo) throws(ValidationError) {
        guard Int(index) < info.types.count else { throw ValidationError("unknown type \(index)") }
    }

    /// A tag's type: a function type with no results.
    static func checkTag(_ typeIndex: UInt32, in info: ModuleInfo) throws(ValidationError) {
        try checkTypeIndex(typeIndex, in: info)
        guard info.types[Int(typeIndex)].results.isEmpty else { throw ValidationError("non-empty tag result type") }
    }

    static func functionType(_ index: UInt32, context c: ModuleContext) throws(ValidationError) -> FunctionType {
        guard Int(index) < c.functionTypeIndices.count else { throw ValidationError("unknown function \(index)") }
        return c.types[Int(c.functionTypeIndices[Int(index)])]
    }

    /// Spec: https://webassembly.github.io/spec/core/valid/types.html#limits
    static func checkLimits(_ limits: Limits, range: UInt64, message: String) throws(ValidationError) {
        guard limits.min <= range else { throw ValidationError(message) }
        if let max = limits.max {
            guard max <= range else { throw ValidationError(message) }
            guard limits.min <= max else {
                throw ValidationError("size minimum must not be greater than maximum")
            }
        }
    }

    static func checkTable(_ table: TableType) throws(ValidationError) {
        if table.is64 {
            try checkLimits(table.limits, range: UInt64.max, message: "table size must be at most 2^64-1")
        } else {
            try checkLimits(table.limits, range: 0xFFFF_FFFF, message: "table size must be at most 2^32-1")
        }
    }

    /// Largest number of pages of a 64-bit memory (2^48: 2^64 bytes).
    static let maxPages64: UInt64 = 1 << 48

    static func checkMemory(_ memory: MemoryType) throws(ValidationError) {
        if memory.isShared && memory.limits.max == nil {
            throw ValidationError("shared memory must have maximum")
        }
        if memory.is64 {
            try checkLimits(
                memory.limits, range: maxPages64, message: "memory size must be at most 2^48 pages (16 EiB)")
        } else {
            try checkLimits(memory.limits, range: maxPages, message: "memory size must be at most 65536 pages (4GiB)")
        }
    }

    /// Spec: https://webassembly.github.io/spec/core/valid/instructions.html#constant-expressions
    /// The instructions must all be constant (`global.get` only of an immutable
    /// global of `context`), then produce exactly one value of `type`.
    /// With extended-const, `i32`/`i64` `add`, `sub` and `mul` combine the values before them.
    static func checkConst(
        _ expr: ConstExpression, type: ValueType, context c: ModuleContext, features: WasmFeatures = WasmFeatures()
    ) throws(ValidationError) {
        let constantCount = expr.nonConstant?.position ?? expr.instructions.count
        var stack: [ValueType] = []
        func binary(_ t: ValueType) throws(ValidationError) {
            guard stack.count >= 2, stack[stack.count - 1] == t, stack[stack.count - 2] == t else {
                throw ValidationError("type mismatch")
            }
            stack.removeLast()
        }
        for (i, instruction) in expr.instructions.enumerated() where i < constantCount {
            switch instruction {
            case .i32Const: stack.append(.i32)
            case .i64Const: stack.append(.i64)
            case .f32Const: stack.append(.f32)
            case .f64Const: stack.append(.f64)
            case .v128Const: stack.append(.v128)
            case .refNull(let t): stack.append(t)
            case .refFunc(let index):
                _ = try functionType(index, context: c)
                stack.append(.reference(.defined(c.functionTypeIndices[Int(index)]), nullable: false))
            case .globalGet(let index):
                guard Int(index) < c.globals.count else { throw ValidationError("unknown global \(index)") }
                let global = c.globals[Int(index)]
                guard !global.isMutable else { throw ValidationError("constant expression required") }
                stack.append(global.valueType)
            case .i32Add, .i32Sub, .i32Mul: try binary(.i32)
            case .i64Add, .i64Sub, .i64Mul: try binary(.i64)
            }
        }
        if let nonConstant = expr.nonConstant {
            if !features.extendedConst && [0x6A, 0x6B, 0x6C, 0x7C, 0x7D, 0x7E].contains(nonConstant.opcode) {
                throw ValidationError(
                    "constant expression required: extended-const support is not enabled", offset: nonConstant.offset)
            }
            throw ValidationError("constant expression required", offset: nonConstant.offset)
        }
        guard stack.count == 1, c.isSubtype(stack[0], of: type) else {
            throw ValidationError("type mismatch")
        }
    }

    /// A value type's defined type index must exist ("unknown type").
    static func checkValueType(_ t: ValueType, in info: ModuleInfo, before limit: Int? = nil) throws(ValidationError) {
        if t.code == ValueType.concreteCode, Int(t.typeIndex) >= (limit ?? info.types.count) {
            throw ValidationError("unknown type \(t.typeIndex)")
        }
    }

    /// Spec: https://webassembly.github.io/spec/core/valid/modules.html#element-segments
    static func checkElement(
        _ segment: ElementSegment, context c: ModuleContext, features: WasmFeatures = WasmFeatures()
    ) throws(ValidationError) {
        for initializer in segment.initializers {
            try checkConst(initializer, type: segment.type, context: c, features: features)
        }
        if case .active(let table, let offset) = segment.mode {
            guard Int(table) < c.tables.count else { throw ValidationError("unknown table \(table)") }
            let tableType = c.tables[Int(table)].elementType
            guard c.isSubtype(segment.type, of: tableType) else {
                throw ValidationError(
                    "type mismatch: element segment's type \(segment.type) does not match table's element type \(tableType)"
                )
            }
            try checkConst(offset, type: c.tables[Int(table)].addressType, context: c, features: features)
        }
    }

    /// Spec C.refs: the function indices occurring in the module outside function
    /// bodies and the start section (globals, element segments, exports).
    static func declaredFunctionReferences(_ info: ModuleInfo) -> Set<UInt32> {
        var refs = Set<UInt32>()
        func add(_ expr: ConstExpression) {
            for case .refFunc(let index) in expr.instructions { refs.insert(index) }
        }
        for global in info.globals { add(global.initializer) }
        for segment in info.elements {
            segment.initializers.forEach(add)
            if case .active(_, let offset) = segment.mode { add(offset) }
        }
        for segment in info.data {
            if case .active(_, let offset) = segment.mode { add(offset) }
        }
        for export in info.exports where export.kind == .function { refs.insert(export.index) }
        return refs
    }
}
