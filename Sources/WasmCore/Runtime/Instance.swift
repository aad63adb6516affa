/// A module instance.
///
/// Spec: https://webassembly.github.io/spec/core/exec/runtime.html#module-instances
public final class Instance: @unchecked Sendable {
    public let module: Module
    let entity: UnsafeMutablePointer<InstanceEntity>
    // The arrays below are built on every instantiation (a Spin request) and read by export lookups,
    // so their exclusivity is not checked at run time (`@exclusivity(unchecked)`).
    /// Imported functions (retained), then objects of defined functions, made on demand.
    @exclusivity(unchecked) private var functionObjects: [Function?] = []
    /// Entities of the functions this module defines, in one block.
    private let definedEntities: UnsafeMutablePointer<FunctionEntity>
    private let definedCount: Int
    @exclusivity(unchecked) public private(set) var tables: [Table] = []
    @exclusivity(unchecked) public private(set) var memories: [Memory] = []
    @exclusivity(unchecked) public private(set) var globals: [Global] = []
    /// Exception tags, imported ones first (a defined tag is new for every instance).
    @exclusivity(unchecked) public private(set) var tags: [Tag] = []
    /// Exports by name, in the module's order. (Names that differ only in Unicode
    /// normalisation stay distinct here and in `export(_:)`.)
    public var exports: [(name: String, value: ExternalValue)] {
        module.info.exports.map { ($0.name, externalValue($0)) }
    }

    /// Number of functions in the function index space.
    public var functionCount: Int { functionObjects.count }

    /// Function `index` of the function index space (imports first).
    public func function(at index: Int) -> Function {
        if let f = functionObjects[index] { return f }
        let defined = index - (functionObjects.count - definedCount)
        let entity = definedEntities + defined
        let f = Function(type: module.info.types[Int(module.info.functions[defined])], entity: entity)
        functionObjects[index] = f
        return f
    }

    /// Every function of the function index space.
    public var functions: [Function] { (0..<functionObjects.count).map(function(at:)) }

    private func externalValue(_ e: Export) -> ExternalValue {
        let i = Int(e.index)
        switch e.kind {
        case .function: return .function(function(at: i))
        case .table: return .table(tables[i])
        case .memory: return .memory(memories[i])
        case .global: return .global(globals[i])
        case .tag: return .tag(tags[i])
        }
    }
    /// The store that owns this instance. Not retained (the store retains its
    /// instances): keep the store alive while using the instance.
    private(set) weak var store: Store?

    // Storage behind the entity's index arrays.
    private let functionEntities: UnsafeMutablePointer<UnsafeMutablePointer<FunctionEntity>>
    private let tableEntities: UnsafeMutablePointer<UnsafeMutablePointer<TableEntity>>
    private let memoryEntities: UnsafeMutablePointer<UnsafeMutablePointer<MemoryEntity>>
    private let globalCells: UnsafeMutablePointer<UnsafeMutablePointer<UInt64>>
    private let typeIDs: UnsafeMutablePointer<Int>
    private let dataSegments: UnsafeMutablePointer<DataSegmentEntity>
    private let elementSegments: UnsafeMutablePointer<ElementSegmentEntity>

    private init(module: Module, store: Store) {
        self.module = module
        self.store = store
        let info = module.info
        let functionCount = module.importedFunctionCount + info.functions.count
        definedCount = info.functions.count
        definedEntities = .allocate(capacity: max(definedCount, 1))
        functionEntities = .allocate(capacity: max(functionCount, 1))
        tableEntities = .allocate(capacity: max(module.importedTableCount + info.tables.count, 1))
        memoryEntities = .allocate(capacity: max(module.importedMemoryCount + info.memories.count, 1))
        globalCells = .allocate(capacity: max(module.importedGlobalCount + info.globals.count, 1))
        typeIDs = .allocate(capacity: max(module.typeIDs.count, 1))
        typeIDs.initialize(from: module.typeIDs, count: module.typeIDs.count)
        dataSegments = .allocate(capacity: max(info.data.count, 1))
        dataSegments.initialize(repeating: DataSegmentEntity(bytes: nil, count: 0), count: max(info.data.count, 1))
        elementSegments = .allocate(capacity: max(info.elements.count, 1))
        elementSegments.initialize(
            repeating: ElementSegmentEntity(elements: nil, count: 0), count: max(info.elements.count, 1))
        entity = .allocate(capacity: 1)
        entity.initialize(
            to: InstanceEntity(
                memories: memoryEntities, globals: globalCells, functions: functionEntities,
                tables: tableEntities, typeIDs: typeIDs, dataSegments: dataSegments,
                elementSegments: elementSegments, interrupt: store.interruptHandle.flag,
                object: .passUnretained(self)))
        entity.pointee.object = .passUnretained(self)
    }

    deinit {
        for i in 0..<module.info.elements.count {
            elementSegments[i].elements?.deallocate()
        }
        definedEntities.deinitialize(count: definedCount)
        definedEntities.deallocate()
        functionEntities.deallocate()
        tableEntities.deallocate()
        memoryEntities.deallocate()
        globalCells.deallocate()
        typeIDs.deallocate()
        dataSegments.deallocate()
        elementSegments.deallocate()
        entity.deallocate()
    }

    /// The export named `name`.
    public func export(_ name: String) -> ExternalValue? {
        module.exportPositions[ExactName(name)].map { externalValue(module.info.exports[$0]) }
    }

    /// The export at `position` in the module's export list (`module.info.exports`; a position
    /// from `Module.exportPosition(named:)`): what `export(_:)` finds, without hashing the name.
    public func export(at position: Int) -> ExternalValue {
        externalValue(module.info.exports[position])
    }

    /// The exported function named `name`.
    public func function(named name: String) -> Function? {
        if case .function(let f)? = export(name) { return f }
        return nil
    }

    /// The exported memory named `name`.
    public func memory(named name: String) -> Memory? {
        if case .memory(let m)? = export(name) { return m }
        return nil
    }

    /// The exported global named `name`.
    public func global(named name: String) -> Global? {
        if case .global(let g)? = export(name) { return g }
        return nil
    }

    /// Calls the exported function `name`.
    public func invoke(_ name: String, _ arguments: [Value] = []) throws -> [Value] {
        guard let f = function(named: name) else {
            throw LinkError("no exported function named \"\(name)\"")
        }
        guard let store else {
            throw LinkError(
                "the store of this instance has been released; keep the Store alive while using its instances")
        }
        return try store.invoke(f, arguments)
    }

    // MARK: Instantiation

    static func instantiate(_ module: Module, imports: Imports, store: Store) throws -> Instance {
        try instantiate(module, linked: module.link(imports), store: store)
    }

    static func instantiate(_ module: Module, linked: LinkedImports, store: Store) throws -> Instance {
        let info = module.info
        guard linked.module === module else { throw LinkError("the imports were linked for another module") }
        let instance = Instance(module: module, store: store)

        // 1. Imports, already resolved and checked in module order.
        for value in linked.values {
            switch value {
            case .function(let f): instance.functionObjects.append(f)
            case .table(let t): instance.tables.append(t)
            case .memory(let m): instance.memories.append(m)
            case .global(let g): instance.globals.append(g)
            case .tag(let t): instance.tags.append(t)
            }
        }
        for t in info.tags { instance.tags.append(Tag(type: info.types[Int(t)], typeID: module.typeIDs[Int(t)])) }

        // 2. Functions defined by the module: entities in one block, objects on demand.
        let importedFunctions = instance.functionObjects.count
        for (i, f) in instance.functionObjects.enumerated() { instance.functionEntities[i] = f!.entity }
        let definedCount = info.functions.count
        module.copyFunctionTemplates(to: instance.definedEntities)
        let functionEntities = instance.functionEntities + importedFunctions
        let instanceEntity = instance.entity
        for i in 0..<definedCount {
            instance.definedEntities[i].instance = instanceEntity
            functionEntities[i] = instance.definedEntities + i
        }
        instance.functionObjects.append(contentsOf: repeatElement(nil, count: info.functions.count))

        // 3. Tables and memories.
        let limits = store.configuration
        for var t in info.tables {
            t.elementType = module.canonical(t.elementType)  // comparable with other modules' types
            instance.tables.append(try Table(type: t, maxElements: limits.maxTableElements))
        }
        for (i, t) in instance.tables.enumerated() { instance.tableEntities[i] = t.entity }
        // A memory whose image is mapped here already holds its data segments (step 7 skips them).
        let threshold = limits.memoryImageThreshold ?? .max
        let images = module.memoryImages(threshold: threshold)
        for (i, m) in info.memories.enumerated() {
            let image = i < images.count ? images[i].flatMap { $0.dataBytes >= threshold ? $0 : nil } : nil
            instance.memories.append(try Memory(type: m, maxPages: limits.maxMemoryPages, image: image))
        }
        for (i, m) in instance.memories.enumerated() { instance.memoryEntities[i] = m.entity }
        // Memories (of the first 64) whose image is mapped, as bits (images imply no imported memory).
        var imaged: UInt64 = 0
        if !images.isEmpty {
            for (i, m) in instance.memories.prefix(64).enumerated() where m.image != nil { imaged |= 1 << i }
        }
        if instance.memories.isEmpty { instance.memoryEntities[0] = emptyMemoryEntity }

        // 4. Globals (initialisers may read imported globals and name functions).
        for i in 0..<instance.globals.count { instance.globalCells[i] = instance.globals[i].cell }
        for g in info.globals {
            let slot = instance.evaluate(g.initializer)
            let type = GlobalType(valueType: module.canonical(g.type.valueType), isMutable: g.type.isMutable)
            let global = Global(type: type, slot: slot, high: instance.evaluateHigh(g.initializer))
            instance.globalCells[instance.globals.count] = global.cell
            instance.globals.append(global)
        }

        // 5. Tables with an initializer expression (typed function references) get its value.
        for (i, initializer) in info.tableInitializers.enumerated() {
            guard let initializer else { continue }
            let table = instance.tableEntities[module.importedTableCount + i]
            table.pointee.elements.update(repeating: instance.evaluate(initializer), count: table.pointee.count)
        }

        // 6. Passive element segments get their references; active ones are written
        // straight into their table in step 7 (declarative ones are dropped at once).
        for (i, seg) in info.elements.enumerated() {
            guard case .passive = seg.mode else { continue }
            let count = seg.initializers.count
            let elements = UnsafeMutablePointer<UInt64>.allocate(capacity: max(count, 1))
            instance.fillReferences(elements, segment: i)
            instance.elementSegments[i] = ElementSegmentEntity(elements: elements, count: count)
        }
        for (i, seg) in info.data.enumerated() {
            instance.dataSegments[i] = module.dataSegmentStorage(i)
            _ = seg
        }

        // The store keeps the instance (and through it all its objects) alive from here on.
        store.retain(instance)

        // 7. Active element segments, then active data segments, in order; then drop them.
        for (i, seg) in info.elements.enumerated() {
            switch seg.mode {
            case .active(let tableIndex, let offsetExpr):
                let table = instance.tableEntities[Int(tableIndex)]
                // A 64-bit table's offset is an i64; anything beyond Int is out of range.
                let value = instance.evaluate(offsetExpr)
                let wide = instance.tables[Int(tableIndex)].type.is64
                let offset = wide ? Int(clamping: value) : Int(UInt32(truncatingIfNeeded: value))
                let n = seg.initializers.count
                guard offset >= 0, offset <= table.pointee.count, n <= table.pointee.count - offset else {
                    // The functions already written to an imported table may read the memories:
                    // no data segment has been applied yet.
                    for m in instance.memories.suffix(info.memories.count) where !m.discardImage() {
                        throw LinkError("cannot unmap a memory image after an element segment trapped")
                    }
                    throw Trap(.outOfBoundsTableAccess)
                }
                if n > 0 { instance.fillReferences(table.pointee.elements + offset, segment: i) }
                instance.elementSegments[i].count = 0
            case .declarative:
                instance.elementSegments[i].count = 0
            case .passive:
                break
            }
        }
        for (i, seg) in info.data.enumerated() {
            guard case .active(let memoryIndex, let offsetExpr) = seg.mode else { continue }
            if memoryIndex < 64 && imaged & (1 << memoryIndex) != 0 {
                instance.dataSegments[i].count = 0
                continue
            }
            let value = instance.evaluate(offsetExpr)
            // A 64-bit memory's offset is an i64; anything beyond Int is out of range.
            let offset =
                instance.memories[Int(memoryIndex)].type.is64
                ? Int(clamping: value) : Int(UInt32(truncatingIfNeeded: value))
            let memory = instance.memoryEntities[Int(memoryIndex)]
            let n = seg.bytes.count
            guard offset >= 0, offset <= memory.pointee.byteCount, n <= memory.pointee.byteCount - offset else {
                throw Trap(.outOfBoundsMemoryAccess)
            }
            if n > 0 {
                seg.bytes.withUnsafeBytes { src in
                    (memory.pointee.base + offset).copyMemory(from: src.baseAddress!, byteCount: n)
                }
            }
            instance.dataSegments[i].count = 0
        }

        // 8. Start function.
        if let start = info.start {
            _ = try store.invoke(instance.function(at: Int(start)), [])
        }
        return instance
    }

    /// Writes the references of element segment `segment` to `destination`.
    func fillReferences(_ destination: UnsafeMutablePointer<UInt64>, segment: Int) {
        let plan = module.elementPlans[segment]
        plan.withUnsafeBufferPointer { plan in
            for (j, item) in plan.enumerated() {
                if item >= 0 {
                    destination[j] = UInt64(UInt(bitPattern: functionEntities[Int(item)]))
                } else if item == -1 {
                    destination[j] = 0
                } else {
                    destination[j] = evaluate(module.info.elements[segment].initializers[j])
                }
            }
        }
    }

    /// Evaluates a (validated) constant expression to a slot value.
    func evaluate(_ expr: ConstExpression) -> UInt64 {
        if expr.instructions.count == 1 {
            switch expr.instructions[0] {
            case .i32Const(let v): return UInt64(v)
            case .i64Const(let v): return v
            case .f32Const(let v): return UInt64(v)
            case .f64Const(let v): return v
            case .v128Const(let v): return v.low
            case .refNull: return 0
            case .refFunc(let i): return UInt64(UInt(bitPattern: functionEntities[Int(i)]))
            case .globalGet(let i): return globalCells[Int(i)].pointee
            default: break
            }
        }
        var stack: [UInt64] = []
        /// Extended constant expressions: i32 results wrap at 32 bits (kept zero-extended).
        func binary(_ f: (UInt64, UInt64) -> UInt64, wide: Bool) {
            let b = stack.removeLast()
            let a = stack.removeLast()
            let r = f(a, b)
            stack.append(wide ? r : r & 0xFFFF_FFFF)
        }
        for ins in expr.instructions {
            switch ins {
            case .i32Add: binary(&+, wide: false)
            case .i32Sub: binary(&-, wide: false)
            case .i32Mul: binary(&*, wide: false)
            case .i64Add: binary(&+, wide: true)
            case .i64Sub: binary(&-, wide: true)
            case .i64Mul: binary(&*, wide: true)
            case .i32Const(let v): stack.append(UInt64(v))
            case .i64Const(let v): stack.append(v)
            case .f32Const(let v): stack.append(UInt64(v))
            case .f64Const(let v): stack.append(v)
            case .v128Const(let v): stack.append(v.low)
            case .refNull: stack.append(0)
            case .refFunc(let i): stack.append(UInt64(UInt(bitPattern: functionEntities[Int(i)])))
            case .globalGet(let i): stack.append(globalCells[Int(i)].pointee)
            }
        }
        return stack.last ?? 0
    }

    /// The high half of a (validated) v128 constant expression's value; 0 for other types.
    func evaluateHigh(_ expr: ConstExpression) -> UInt64 {
        switch expr.instructions.last {
        case .v128Const(let v): v.high
        case .globalGet(let i): globalCells[Int(i)][1]
        default: 0
        }
    }
}

extension Module {
    /// The images (`MemoryImage`) of the module's memories, by memory index, if one has at least
    /// `threshold` bytes of data (instantiation maps those); else empty.
    func memoryImages(threshold: Int) -> [MemoryImage?] {
        guard threshold < .max, !info.data.isEmpty, !info.memories.isEmpty else { return [] }
        let images = memoryImages.images(of: self)
        return images.contains(where: { ($0?.dataBytes ?? -1) >= threshold }) ? images : []
    }

    /// Where data segment `i`'s bytes live; the module outlives its instances' use of them.
    func dataSegmentStorage(_ i: Int) -> DataSegmentEntity {
        DataSegmentEntity(bytes: dataPointers[i], count: info.data[i].bytes.count)
    }
}

/// Memory 0 of instances that have no memory: zero bytes, so every access traps.
nonisolated(unsafe) let emptyMemoryEntity: UnsafeMutablePointer<MemoryEntity> = {
    let p = UnsafeMutablePointer<MemoryEntity>.allocate(capacity: 1)
    p.initialize(
        to: MemoryEntity(
            base: UnsafeMutableRawPointer.allocate(byteCount: 16, alignment: 16), byteCount: 0, maxPages: 0))
    return p
}()
