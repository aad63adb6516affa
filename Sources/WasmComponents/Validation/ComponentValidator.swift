import WasmCore

/// How `Component(bytes:options:)` validates.
public struct ComponentValidationOptions: Sendable {
    /// Whether nested core modules' function bodies are validated (and translated) now, as the
    /// spec requires; with `false` they are only delimited (WasmCore's `.lazy` compilation).
    public var validatesFunctionBodies = true
    public init(validatesFunctionBodies: Bool = true) { self.validatesFunctionBodies = validatesFunctionBodies }
}

/// Validates a decoded component (Binary.md / Explainer.md validation rules, with the
/// reference tests' messages), building its index spaces and types.
///
/// Errors are `ComponentValidationError`s, except that a nested core module that cannot be
/// decoded again reports a `ComponentDecodeError`.
final class ComponentValidator {
    var types = ComponentTypes()
    var scopes: [Scope] = []
    let options: ComponentValidationOptions
    /// The offset of the item being validated, for errors.
    var offset = 0
    var section: String?

    init(options: ComponentValidationOptions) { self.options = options }

    var current: Scope { scopes[scopes.count - 1] }

    func fail(_ message: String) -> ComponentValidationError {
        ComponentValidationError(message, offset: offset, section: section)
    }

    /// Runs `body`, prefixing the message of a validation error it throws with `context`.
    func context<T>(_ context: @autoclosure () -> String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch var e as ComponentValidationError {
            e.message = context() + ": " + e.message
            throw e
        }
    }

    // MARK: Components

    func validateComponent(_ syntax: ComponentSyntax) throws -> ComponentInfo {
        scopes.append(Scope(kind: .component))
        for section in syntax.sections {
            self.section = section.name
            offset = section.range.lowerBound
            switch section.content {
            case .custom:
                break
            case .coreModule(let module):
                try addCoreModule(module)
            case .coreInstances(let items):
                for item in items {
                    offset = item.offset
                    try addCoreInstance(item.value)
                }
            case .coreTypes(let items):
                for item in items {
                    offset = item.offset
                    current.spaces.coreTypes.append(try coreTypeDefinition(item.value))
                }
            case .component(let nested):
                let info = try validateComponent(nested)
                self.section = section.name
                current.spaces.components.append(info.type)
                current.nested.append(info)
            case .instances(let items):
                for item in items {
                    offset = item.offset
                    try addInstance(item.value)
                }
            case .aliases(let items):
                for item in items {
                    offset = item.offset
                    try addAlias(item.value)
                }
            case .types(let items):
                for item in items {
                    offset = item.offset
                    try addType(item.value)
                }
            case .canonicals(let items):
                for item in items {
                    offset = item.offset
                    try addCanonical(item.value)
                }
            case .start(let start):
                offset = start.offset
                try addStart(start.value)
            case .imports(let items):
                for item in items {
                    offset = item.offset
                    try addImport(item.value.name, item.value.type)
                }
            case .exports(let items):
                for item in items {
                    offset = item.offset
                    try addExport(item.value)
                }
            case .values:
                throw fail("component value sections are not supported")
            }
        }
        let scope = scopes.removeLast()
        let type = types.add(
            .component(
                ComponentType(
                    imports: scope.imports, exports: scope.exports, importedResources: scope.importedResources,
                    definedResources: scope.definedResources.map { ($0, []) },
                    explicitResources: scope.explicitResources)))
        return ComponentInfo(
            syntax: syntax, spaces: scope.spaces, type: type, modules: scope.modules, nested: scope.nested,
            unsupported: scope.unsupported)
    }

    // MARK: Index lookups

    func lookup<T>(_ space: [T], _ index: UInt32, _ what: String, _ kind: String) throws -> T {
        guard Int(index) < space.count else { throw fail("unknown \(what) \(index): \(kind) index out of bounds") }
        return space[Int(index)]
    }

    func typeAt(_ i: UInt32, in scope: Scope? = nil) throws -> TypeID {
        try lookup((scope ?? current).spaces.types, i, "type", "type")
    }
    func coreTypeAt(_ i: UInt32, in scope: Scope? = nil) throws -> TypeID {
        try lookup((scope ?? current).spaces.coreTypes, i, "core type", "type")
    }
    func moduleAt(_ i: UInt32, in scope: Scope? = nil) throws -> TypeID {
        try lookup((scope ?? current).spaces.coreModules, i, "module", "module")
    }
    func coreInstanceAt(_ i: UInt32) throws -> TypeID {
        try lookup(current.spaces.coreInstances, i, "core instance", "instance")
    }
    func coreFunctionAt(_ i: UInt32) throws -> FunctionType {
        try lookup(current.spaces.coreFunctions, i, "core function", "function")
    }
    func functionAt(_ i: UInt32) throws -> TypeID { try lookup(current.spaces.functions, i, "function", "function") }
    func valueAt(_ i: UInt32) throws -> ComponentValueType { try lookup(current.spaces.values, i, "value", "value") }
    func instanceAt(_ i: UInt32) throws -> TypeID { try lookup(current.spaces.instances, i, "instance", "instance") }
    func componentAt(_ i: UInt32, in scope: Scope? = nil) throws -> TypeID {
        try lookup((scope ?? current).spaces.components, i, "component", "component")
    }

    func functionTypeAt(_ i: UInt32) throws -> (TypeID, ComponentFunctionType) {
        let id = try typeAt(i)
        guard let f = types.function(id) else { throw fail("type index \(i) is not a function type") }
        return (id, f)
    }

    func resourceAt(_ i: UInt32) throws -> (TypeID, ResourceID) {
        let id = try typeAt(i)
        guard let r = types.resource(id) else { throw fail("type index \(i) is not a resource type") }
        return (id, r)
    }

    // MARK: Core modules and instances

    func addCoreModule(_ definition: CoreModuleDefinition) throws {
        offset = definition.range.lowerBound
        let module: Module
        do {
            module = try Module(
                bytes: definition.info.bytes, compilation: options.validatesFunctionBodies ? .eager : .lazy)
        } catch let error as ValidationError {
            throw ComponentValidationError(
                Self.coreValidationMessage(error), offset: definition.range.lowerBound + (error.offset ?? 0),
                section: "core module")
        } catch let error as DecodeError {
            throw ComponentDecodeError(
                ComponentDecoder.coreDecodeMessage(error), offset: definition.range.lowerBound + error.offset,
                section: "core module")
        }
        var seen = Set<[UInt8]>()
        for imp in module.info.imports {
            let key = Array(imp.module.utf8) + [0xFF] + Array(imp.name.utf8)
            if !seen.insert(key).inserted {
                throw fail(
                    "module has a duplicate import name `\(imp.module):\(imp.name)` that is not allowed in components")
            }
        }
        current.spaces.coreModules.append(types.add(.coreModule(Self.moduleType(of: module.info))))
        current.modules.append(module)
    }

    /// The reference tests' text for a WasmCore validation error, keeping WasmCore's words.
    static func coreValidationMessage(_ error: ValidationError) -> String {
        var m = error.message
        if let f = error.functionIndex { m = "func \(f) failed to validate: " + m }
        if m.hasPrefix("unknown type") { m += ": type index out of bounds" }
        if m.hasPrefix("duplicate export name") { m += " already defined" }
        return m
    }

    static func coreType(_ t: TableType) -> CoreTableType {
        CoreTableType(elementType: t.elementType, limits: CoreLimits(min: t.limits.min, max: t.limits.max))
    }

    static func coreType(_ m: MemoryType) -> CoreMemoryType {
        CoreMemoryType(limits: CoreLimits(min: m.limits.min, max: m.limits.max), isShared: m.isShared, is64: m.is64)
    }

    /// The core module type of a (valid) module: its imports and exports.
    static func moduleType(of info: ModuleInfo) -> CoreModuleType {
        var functions: [FunctionType] = []
        var tables: [CoreTableType] = []
        var memories: [CoreMemoryType] = []
        var globals: [GlobalType] = []
        var tags: [FunctionType] = []
        var imports: [CoreModuleImport] = []
        for imp in info.imports {
            let entity: CoreEntityType
            switch imp.descriptor {
            case .function(let t):
                functions.append(info.types[Int(t)])
                entity = .function(info.types[Int(t)])
            case .table(let t):
                tables.append(coreType(t))
                entity = .table(coreType(t))
            case .memory(let m):
                memories.append(coreType(m))
                entity = .memory(coreType(m))
            case .global(let g):
                globals.append(g)
                entity = .global(g)
            case .tag(let t):
                tags.append(info.types[Int(t)])
                entity = .tag(info.types[Int(t)])
            }
            imports.append(CoreModuleImport(module: imp.module, name: imp.name, type: entity))
        }
        functions += info.functions.map { info.types[Int($0)] }
        tables += info.tables.map(coreType)
        memories += info.memories.map(coreType)
        globals += info.globals.map(\.type)
        tags += info.tags.map { info.types[Int($0)] }
        var exports = OrderedMap<CoreEntityType>()
        for e in info.exports {
            let i = Int(e.index)
            switch e.kind {
            case .function: exports.insert(e.name, .function(functions[i]))
            case .table: exports.insert(e.name, .table(tables[i]))
            case .memory: exports.insert(e.name, .memory(memories[i]))
            case .global: exports.insert(e.name, .global(globals[i]))
            case .tag: exports.insert(e.name, .tag(tags[i]))
            }
        }
        return CoreModuleType(imports: imports, exports: exports)
    }

    func addCoreInstance(_ definition: CoreInstanceDefinition) throws {
        switch definition {
        case .instantiate(let moduleIndex, let arguments):
            let moduleID = try moduleAt(moduleIndex)
            let module = types.coreModule(moduleID)!
            var args: [[UInt8]: (String, CoreInstanceType)] = [:]
            for arg in arguments {
                let instance = types.coreInstance(try coreInstanceAt(arg.instance))!
                if args.updateValue((arg.name, instance), forKey: Array(arg.name.utf8)) != nil {
                    throw fail("duplicate module instantiation argument named `\(arg.name)`")
                }
            }
            for imp in module.imports {
                guard let (_, instance) = args[Array(imp.module.utf8)] else {
                    throw fail("missing module instantiation argument named `\(imp.module)`")
                }
                guard let actual = instance.exports[imp.name] else {
                    throw fail("module instantiation argument `\(imp.module)` does not export an item named `\(imp.name)`")
                }
                try context("type mismatch for export `\(imp.name)` of module instantiation argument `\(imp.module)`") {
                    try checkCoreEntity(actual: actual, expected: imp.type)
                }
            }
            current.spaces.coreInstances.append(types.add(.coreInstance(CoreInstanceType(exports: module.exports))))
        case .exports(let exports):
            var map = OrderedMap<CoreEntityType>()
            var seen = Set<[UInt8]>()
            for e in exports {
                let entity = try coreEntity(e.item)
                if !seen.insert(Array(e.name.utf8)).inserted {
                    throw fail("duplicate instantiation export name `\(e.name)` already defined")
                }
                map.insert(e.name, entity)
            }
            current.spaces.coreInstances.append(types.add(.coreInstance(CoreInstanceType(exports: map))))
        }
    }

    func coreEntity(_ item: CoreSortIndex) throws -> CoreEntityType {
        let s = current.spaces
        switch item.sort {
        case .function: return .function(try coreFunctionAt(item.index))
        case .table: return .table(try lookup(s.coreTables, item.index, "table", "table"))
        case .memory: return .memory(try lookup(s.coreMemories, item.index, "memory", "memory"))
        case .global: return .global(try lookup(s.coreGlobals, item.index, "global", "global"))
        case .tag: return .tag(try lookup(s.coreTags, item.index, "tag", "tag"))
        case .type, .module, .instance:
            throw fail("core instances cannot export a core \(item.sort)")
        }
    }

    // MARK: Core types

    func coreTypeDefinition(_ definition: CoreTypeDefinition) throws -> TypeID {
        switch definition {
        case .function(let f): return types.add(.coreFunction(f))
        case .module(let declarations): return types.add(.coreModule(try moduleType(declarations)))
        }
    }

    func moduleType(_ declarations: [Positioned<CoreModuleDeclaration>]) throws -> CoreModuleType {
        var local: [TypeID] = []
        var imports: [CoreModuleImport] = []
        var importNames = Set<[UInt8]>()
        var exports = OrderedMap<CoreEntityType>()
        for d in declarations {
            offset = d.offset
            switch d.value {
            case .import(let module, let name, let descriptor):
                let entity = try coreEntity(descriptor, local)
                if !importNames.insert(Array(module.utf8) + [0xFF] + Array(name.utf8)).inserted {
                    throw fail(
                        "module has a duplicate import name `\(module):\(name)` that is not allowed in components")
                }
                imports.append(CoreModuleImport(module: module, name: name, type: entity))
            case .type(let t):
                if case .module = t { throw fail("invalid leading byte (0x50) for type: nested module types") }
                local.append(try coreTypeDefinition(t))
            case .outerTypeAlias(let count, let index):
                switch count {
                case 0:
                    guard Int(index) < local.count else { throw fail("unknown type \(index): type index out of bounds") }
                    local.append(local[Int(index)])
                case 1:
                    let t = try coreTypeAt(index)
                    if types.coreModule(t) != nil { throw fail("cannot alias a core module type into a module type") }
                    local.append(t)
                default:
                    throw fail("invalid outer alias count of \(count)")
                }
            case .export(let name, let descriptor):
                if !exports.insert(name, try coreEntity(descriptor, local)) {
                    throw fail("duplicate export name `\(name)` already defined")
                }
            }
        }
        return CoreModuleType(imports: imports, exports: exports)
    }

    func coreEntity(_ descriptor: CoreImportDescriptor, _ local: [TypeID]) throws -> CoreEntityType {
        func function(_ t: UInt32) throws -> FunctionType {
            guard Int(t) < local.count else { throw fail("unknown type \(t): type index out of bounds") }
            guard case .coreFunction(let f) = types[local[Int(t)]] else {
                throw fail("type index \(t) is not a function type")
            }
            return f
        }
        func checkLimits(_ l: CoreLimits, maximum: UInt64, _ tooLarge: String) throws {
            if let max = l.max, l.min > max { throw fail("size minimum must not be greater than maximum") }
            if l.min > maximum || (l.max ?? 0) > maximum { throw fail(tooLarge) }
        }
        switch descriptor {
        case .function(let t): return .function(try function(t))
        case .table(let t):
            try checkLimits(t.limits, maximum: t.is64 ? UInt64.max : UInt64(UInt32.max), "table size must be at most 2^32-1")
            return .table(t)
        case .memory(let m):
            try checkLimits(
                m.limits, maximum: m.is64 ? 1 << 48 : 1 << 16,
                m.is64 ? "memory size must be at most 2**48 pages" : "memory size must be at most 65536 pages (4GiB)")
            if m.isShared && m.limits.max == nil { throw fail("shared memory must have maximum size") }
            return .memory(m)
        case .global(let g): return .global(g)
        case .tag(let t): return .tag(try function(t))
        }
    }

    // MARK: Component types

    func addType(_ definition: TypeDefinition) throws {
        let id: TypeID
        switch definition {
        case .defined(let d):
            id = types.add(.defined(try definedType(d)))
            try checkValueSize(id)
        case .function(let f):
            id = types.add(.function(try functionType(f)))
        case .component(let declarations):
            id = types.add(.component(try componentType(declarations)))
        case .instance(let declarations):
            id = types.add(.instance(try instanceType(declarations)))
        case .resource(let representation, let destructor):
            guard current.kind == .component else {
                throw fail("resources can only be defined within a concrete component")
            }
            guard representation == .i32 else { throw fail("resources can only be represented by `i32`") }
            if let destructor {
                let f = try coreFunctionAt(destructor)
                guard f == FunctionType(parameters: [.i32], results: []) else {
                    throw fail("core function \(destructor) has wrong signature for a destructor")
                }
            }
            let (r, rid) = types.freshResource()
            current.definedResources.append(r)
            localResources.insert(r)
            id = rid
        }
        current.spaces.types.append(id)
    }

    /// Resources defined with `(resource (rep i32))` (which `resource.new`/`resource.rep` accept).
    var localResources: Set<ResourceID> = []

    func valueType(_ v: ValueTypeReference) throws -> ComponentValueType {
        switch v {
        case .primitive(let p): return .primitive(p)
        case .index(let i):
            let id = try typeAt(i)
            guard types.defined(id) != nil else { throw fail("type index \(i) is not a defined type") }
            return .defined(id)
        }
    }

    func checkLabels(_ labels: [String], what: String, kind: String) throws {
        var seen: [String: String] = [:]
        for label in labels {
            if label.isEmpty { throw fail("\(what) name cannot be empty") }
            guard ComponentName.isKebabCase(label) else { throw fail("\(what) name `\(label)` is not in kebab case") }
            let key = label.lowercased()
            if let previous = seen[key] {
                throw fail("\(what) name `\(label)` conflicts with previous \(kind) name `\(previous)`")
            }
            seen[key] = label
        }
    }

    func definedType(_ d: DefinedTypeDefinition) throws -> ComponentDefinedType {
        switch d {
        case .primitive(let p): return .primitive(p)
        case .record(let fields):
            if fields.isEmpty { throw fail("record type must have at least one field") }
            try checkLabels(fields.map(\.label), what: "record field", kind: "field")
            return .record(try fields.map { ComponentField(label: $0.label, type: try valueType($0.type)) })
        case .variant(let cases):
            if cases.isEmpty { throw fail("variant type must have at least one case") }
            try checkLabels(cases.map(\.label), what: "variant case", kind: "case")
            return .variant(try cases.map { ComponentField(label: $0.label, type: try $0.type.map(valueType)) })
        case .list(let t): return .list(try valueType(t))
        case .fixedList(let t, let n):
            if n == 0 { throw fail("Fixed size lists must have more than zero elements") }
            return .fixedList(try valueType(t), n)
        case .tuple(let ts):
            if ts.isEmpty { throw fail("tuple type must have at least one type") }
            return .tuple(try ts.map(valueType))
        case .flags(let names):
            if names.isEmpty { throw fail("flags must have at least one entry") }
            if names.count > 32 { throw fail("cannot have more than 32 flags") }
            try checkLabels(names, what: "flag", kind: "flag")
            return .flags(names)
        case .enum(let names):
            if names.isEmpty { throw fail("enum type must have at least one variant") }
            try checkLabels(names, what: "enum tag", kind: "tag")
            return .enum(names)
        case .option(let t): return .option(try valueType(t))
        case .result(let ok, let error): return .result(ok: try ok.map(valueType), error: try error.map(valueType))
        case .own(let i): return .own(try resourceAt(i).0)
        case .borrow(let i): return .borrow(try resourceAt(i).0)
        case .stream(let t):
            if t == .primitive(.char) {
                throw fail(
                    "`stream<char>` is not valid at this time, use `stream<u8>` with a defined by encoding instead for now")
            }
            return .stream(try t.map(valueType))
        case .future(let t): return .future(try t.map(valueType))
        case .map(let k, let v): return .map(try valueType(k), try valueType(v))
        }
    }

    func checkValueSize(_ id: TypeID) throws {
        let (size, _) = CanonicalABI(types: types).sizeAndAlignment(.defined(id))
        if size >= CanonicalABI.maxValueSize {
            throw fail("value type's maximum in-memory size exceeds maximum byte size")
        }
    }

    func functionType(_ f: FunctionTypeDefinition) throws -> ComponentFunctionType {
        try checkLabels(f.parameters.map(\.label), what: "function parameter", kind: "parameter")
        let parameters = try f.parameters.map { (label: $0.label, type: try valueType($0.type)) }
        let result = try f.result.map(valueType)
        if let result, containsBorrow(result) { throw fail("function result cannot contain a `borrow` type") }
        return ComponentFunctionType(isAsync: f.isAsync, parameters: parameters, result: result)
    }

    func containsBorrow(_ v: ComponentValueType) -> Bool {
        guard case .defined(let id) = v, let d = types.defined(id) else { return false }
        switch d {
        case .borrow: return true
        case .primitive, .flags, .enum, .own, .stream, .future: return false
        case .record(let fs), .variant(let fs): return fs.contains { $0.type.map(containsBorrow) ?? false }
        case .list(let t), .fixedList(let t, _), .option(let t): return containsBorrow(t)
        case .tuple(let ts): return ts.contains(where: containsBorrow)
        case .result(let ok, let error):
            return (ok.map(containsBorrow) ?? false) || (error.map(containsBorrow) ?? false)
        case .map(let k, let v): return containsBorrow(k) || containsBorrow(v)
        }
    }

    func componentType(_ declarations: [Positioned<TypeDeclaration>]) throws -> ComponentType {
        scopes.append(Scope(kind: .componentType))
        defer { scopes.removeLast() }
        try declare(declarations)
        let s = current
        return ComponentType(
            imports: s.imports, exports: s.exports, importedResources: s.importedResources,
            definedResources: s.definedResources.map { ($0, []) }, explicitResources: s.explicitResources)
    }

    func instanceType(_ declarations: [Positioned<TypeDeclaration>]) throws -> ComponentInstanceType {
        scopes.append(Scope(kind: .instanceType))
        defer { scopes.removeLast() }
        try declare(declarations)
        let s = current
        return ComponentInstanceType(
            exports: s.exports, definedResources: s.definedResources, explicitResources: s.explicitResources)
    }

    func declare(_ declarations: [Positioned<TypeDeclaration>]) throws {
        for d in declarations {
            offset = d.offset
            switch d.value {
            case .coreType(let t): current.spaces.coreTypes.append(try coreTypeDefinition(t))
            case .type(let t): try addType(t)
            case .alias(let a): try addAlias(a)
            case .import(let name, let descriptor): try addImport(name, descriptor)
            case .export(let name, let descriptor): try addExportDeclaration(name, descriptor)
            }
        }
    }
}
