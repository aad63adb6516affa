import WasmCore

/// Imports, exports, instances and aliases.
extension ComponentValidator {
    // MARK: Extern descriptors

    /// The entity type an `externdesc` describes. A type bound makes a new type (an alias of
    /// the `eq` type, or a fresh resource for `sub resource`).
    func entityType(_ descriptor: ExternDescriptor) throws -> ComponentEntityType {
        switch descriptor {
        case .module(let t):
            let id = try coreTypeAt(t)
            guard types.coreModule(id) != nil else { throw fail("core type index \(t) is not a module type") }
            return .module(id)
        case .function(let t):
            return .function(try functionTypeAt(t).0)
        case .value(.eq(let v)):
            return .value(try valueAt(v))
        case .value(.type(let v)):
            return .value(try valueType(v))
        case .type(.eq(let t)):
            let referenced = try typeAt(t)
            return .type(referenced: referenced, created: types.alias(referenced))
        case .type(.subResource):
            let (_, id) = types.freshResource()
            return .type(referenced: id, created: id)
        case .instance(let t):
            let id = try typeAt(t)
            guard types.instance(id) != nil else { throw fail("type index \(t) is not an instance type") }
            return .instance(id)
        case .component(let t):
            let id = try typeAt(t)
            guard types.component(id) != nil else { throw fail("type index \(t) is not a component type") }
            return .component(id)
        }
    }

    /// Adds an entity to the index space of its sort.
    func push(_ entity: ComponentEntityType) {
        switch entity {
        case .module(let t): current.spaces.coreModules.append(t)
        case .function(let t): current.spaces.functions.append(t)
        case .value(let v): current.spaces.values.append(v)
        case .type(_, let created): current.spaces.types.append(created)
        case .instance(let t): current.spaces.instances.append(t)
        case .component(let t): current.spaces.components.append(t)
        }
    }

    // MARK: Names

    /// Checks an import or export name and its attributes; returns the parsed name.
    func checkName(_ name: ComponentExternName, entity: ComponentEntityType, kind: String) throws -> ComponentName {
        let parsed: ComponentName
        do {
            parsed = try ComponentName.parse(name.name)
        } catch {
            if error.isSyntax {
                throw fail("\(kind) name `\(name.name)` is not a valid extern name: \(error.message)")
            }
            throw fail("\(kind) name `\(name.name)` is not valid: \(error.message)")
        }
        if let duplicate = name.duplicateAttribute { throw fail("duplicate '\(duplicate)' option in name") }
        if let implements = name.implements {
            guard case .instance = entity else { throw fail("only instances can have an `implements`") }
            guard case .label = parsed else { throw fail("name `\(name.name)` is not valid with `implements`") }
            let target: ComponentName
            do {
                target = try ComponentName.parse(implements)
            } catch {
                throw fail("`\(implements)` is not a valid name: \(error.message)")
            }
            guard case .interface = target else { throw fail("name `\(implements)` must be an interface") }
        }
        return parsed
    }

    /// Strong uniqueness of `name` among `keys` (case-insensitive, annotations folded).
    func checkUnique(_ name: String, _ keys: inout [String: String], kind: String) throws {
        let key = ComponentName.uniquenessKey(name)
        if let previous = keys[key] { throw fail("\(kind) name `\(name)` conflicts with previous name `\(previous)`") }
        keys[key] = name
    }

    /// The rules of `[constructor]`, `[method]` and `[static]` names; `names` are the resource
    /// types named in the same namespace (imports or exports) so far.
    func checkAnnotated(
        _ parsed: ComponentName, _ name: String, entity: ComponentEntityType, names: [TypeID: String], kind: String
    ) throws {
        func invalid(_ m: String) -> ComponentValidationError { fail("\(kind) name `\(name)` is not valid: \(m)") }
        func function() throws -> ComponentFunctionType {
            guard case .function(let f) = entity else { throw invalid("item is not a func") }
            return types.function(f)!
        }
        func checkResource(_ id: TypeID, _ expected: String) throws {
            guard let actual = names[id] else {
                throw invalid("resource used in function does not have a name in this context")
            }
            guard actual == expected else { throw invalid("function does not match expected resource name `\(actual)`") }
        }
        switch parsed {
        case .constructor(let resource):
            let f = try function()
            guard var result = f.result else { throw invalid("function should return one value") }
            if case .defined(let id) = result, case .result(let ok?, _)? = types.defined(id) { result = ok }
            guard case .defined(let id) = result, case .own(let r)? = types.defined(id) else {
                throw invalid("function should return `(own $T)` or `(result (own $T))`")
            }
            try checkResource(r, resource)
        case .method(let resource, _):
            let f = try function()
            guard let first = f.parameters.first else { throw invalid("function should have at least one argument") }
            guard first.label == "self" else { throw invalid("function should have a first argument called `self`") }
            guard case .defined(let id) = first.type, case .borrow(let r)? = types.defined(id) else {
                throw invalid("function should take a first argument of `(borrow $T)`")
            }
            try checkResource(r, resource)
        case .static(let resource, _):
            _ = try function()
            guard names.values.contains(resource) else {
                throw invalid("static resource name is not known in this context")
            }
        case .label, .interface:
            break
        }
    }

    // MARK: Imports

    func addImport(_ name: ComponentExternName, _ descriptor: ExternDescriptor) throws {
        var entity = try entityType(descriptor)
        let parsed = try checkName(name, entity: entity, kind: "import")
        try checkUnique(name.name, &current.importKeys, kind: "import")
        if case .instance(let id) = entity {
            entity = .instance(freshenInstance(id, path: [name.name], imported: true))
        }
        try checkAnnotated(parsed, name.name, entity: entity, names: current.importResourceNames, kind: "import")
        if current.kind != .instanceType, !isNamed(entity, current.importNamed) {
            throw fail("\(entity.kindName) not valid to be used as import")
        }
        if case .type(let referenced, let created) = entity, let r = types.resource(referenced) {
            current.importResourceNames[created] = name.name
            current.explicitResources[r] = [name.name]
            if referenced == created { current.importedResources.append((r, [name.name])) }
        }
        registerNamed(entity, into: &current.importNamed)
        registerNamed(entity, into: &current.exportNamed)
        current.imports.insert(name.name, entity)
        push(entity)
    }

    /// An imported (or, in a type, exported) instance type with fresh identities for the
    /// resources it defines; those become imported (or defined) resources of the current scope.
    func freshenInstance(_ id: TypeID, path: [String], imported: Bool) -> TypeID {
        let instance = types.instance(id)!
        guard !instance.definedResources.isEmpty else { return id }
        var mapping = Remapping()
        var fresh: [ResourceID] = []
        for old in instance.definedResources {
            let (r, _) = types.freshResource()
            mapping.resources[old] = r
            fresh.append(r)
        }
        var new = instance
        new.exports = instance.exports.mapValues { remap($0, &mapping) }
        new.definedResources = []
        new.explicitResources = [:]
        for (r, p) in instance.explicitResources { new.explicitResources[mapping.resources[r] ?? r] = p }
        for (old, r) in zip(instance.definedResources, fresh) {
            let subpath = path + (instance.explicitResources[old] ?? [])
            if imported {
                current.importedResources.append((r, subpath))
            } else {
                current.definedResources.append(r)
            }
        }
        return types.add(.instance(new))
    }

    // MARK: Exports

    /// The entity a `sortidx` refers to (as an export or instantiation argument).
    func entity(of item: ComponentSortIndex) throws -> ComponentEntityType {
        switch item.sort {
        case .core(.module): return .module(try moduleAt(item.index))
        case .core(let s): throw fail("only core modules can be exported or passed, not core \(s)s")
        case .function: return .function(try functionAt(item.index))
        case .value: return .value(try valueAt(item.index))
        case .type:
            let t = try typeAt(item.index)
            return .type(referenced: t, created: t)
        case .instance: return .instance(try instanceAt(item.index))
        case .component: return .component(try componentAt(item.index))
        }
    }

    func addExport(_ export: ComponentExport) throws {
        var entity = try entity(of: export.item)
        if let ascribed = export.type {
            entity = try ascribe(entity, ascribed)
        }
        if case .type(.subResource)? = export.type {
            // Exported abstractly: a new resource type, defined by this component.
            let (r, id) = types.freshResource()
            current.definedResources.append(r)
            entity = .type(referenced: id, created: id)
        }
        if case .type(let referenced, _) = entity {
            entity = .type(referenced: referenced, created: types.alias(referenced))
        }
        let parsed = try checkName(export.name, entity: entity, kind: "export")
        try checkUnique(export.name.name, &current.exportKeys, kind: "export")
        try checkAnnotated(
            parsed, export.name.name, entity: entity, names: current.exportResourceNames, kind: "export")
        if !isNamed(entity, current.exportNamed) {
            throw fail("\(entity.kindName) not valid to be used as export")
        }
        if case .type(let referenced, let created) = entity, let r = types.resource(referenced) {
            current.exportResourceNames[created] = export.name.name
            current.explicitResources[r] = [export.name.name]
        }
        registerNamed(entity, into: &current.exportNamed)
        current.exports.insert(export.name.name, entity)
        push(entity)
    }

    /// An export's item seen through its ascribed type (which it must be a subtype of).
    func ascribe(_ entity: ComponentEntityType, _ descriptor: ExternDescriptor) throws -> ComponentEntityType {
        if case .type(.subResource) = descriptor {
            guard case .type(let referenced, _) = entity, types.resource(referenced) != nil else {
                throw fail("ascribed type of export is not compatible with item's type: expected resource, found \(entity.kindName)")
            }
            return entity
        }
        let expected = try entityType(descriptor)
        try context("ascribed type of export is not compatible with item's type") {
            try checkEntity(entity, expected)
        }
        if case .type(let referenced, _) = entity { return .type(referenced: referenced, created: referenced) }
        return expected
    }

    /// An export declaration of a component or instance type.
    func addExportDeclaration(_ name: ComponentExternName, _ descriptor: ExternDescriptor) throws {
        var entity = try entityType(descriptor)
        let parsed = try checkName(name, entity: entity, kind: "export")
        try checkUnique(name.name, &current.exportKeys, kind: "export")
        if case .instance(let id) = entity {
            entity = .instance(freshenInstance(id, path: [name.name], imported: false))
        }
        try checkAnnotated(parsed, name.name, entity: entity, names: current.exportResourceNames, kind: "export")
        if current.kind == .componentType, !isNamed(entity, current.exportNamed) {
            throw fail("\(entity.kindName) not valid to be used as export")
        }
        if case .type(let referenced, let created) = entity, let r = types.resource(referenced) {
            current.exportResourceNames[created] = name.name
            current.explicitResources[r] = [name.name]
            if referenced == created { current.definedResources.append(r) }
        }
        registerNamed(entity, into: &current.exportNamed)
        current.exports.insert(name.name, entity)
        push(entity)
    }

    // MARK: External visibility of types

    /// Adds the types an import or export names (its type's new alias, and the types an
    /// instance exports) to `set`.
    func registerNamed(_ entity: ComponentEntityType, into set: inout Set<TypeID>) {
        switch entity {
        case .type(_, let created): set.insert(created)
        case .instance(let id):
            for e in types.instance(id)!.exports.values { registerNamed(e, into: &set) }
        default: break
        }
    }

    /// Whether every record, variant, enum, flags and resource type the entity refers to has
    /// an externally visible name in `set` (Explainer.md, "External visibility of types").
    func isNamed(_ entity: ComponentEntityType, _ set: Set<TypeID>) -> Bool {
        switch entity {
        case .module: return true
        case .function(let f): return functionNamed(f, set)
        case .value(let v): return valueNamed(v, set)
        case .type(let referenced, _): return contentsNamed(referenced, set)
        case .instance(let i): return instanceNamed(i, set)
        case .component(let c): return componentNamed(c, set)
        }
    }

    func contentsNamed(_ id: TypeID, _ set: Set<TypeID>) -> Bool {
        switch types[id] {
        case .defined(let d): return definedContentsNamed(d, set)
        case .function: return functionNamed(id, set)
        case .instance: return instanceNamed(id, set)
        case .component: return componentNamed(id, set)
        default: return true
        }
    }

    func functionNamed(_ id: TypeID, _ set: Set<TypeID>) -> Bool {
        let f = types.function(id)!
        return f.parameters.allSatisfy { valueNamed($0.type, set) } && (f.result.map { valueNamed($0, set) } ?? true)
    }

    func instanceNamed(_ id: TypeID, _ set: Set<TypeID>) -> Bool {
        var local = set
        for e in types.instance(id)!.exports.values {
            guard isNamed(e, local) else { return false }
            registerNamed(e, into: &local)
            // Inside the instance, the type an export names is visible under that name too.
            if case .type(let referenced, _) = e { local.insert(referenced) }
        }
        return true
    }

    func componentNamed(_ id: TypeID, _ set: Set<TypeID>) -> Bool {
        let c = types.component(id)!
        var local = set
        for e in c.imports.values + c.exports.values {
            guard isNamed(e, local) else { return false }
            registerNamed(e, into: &local)
        }
        return true
    }

    func valueNamed(_ v: ComponentValueType, _ set: Set<TypeID>) -> Bool {
        guard case .defined(let id) = v, let d = types.defined(id) else { return true }
        switch d {
        case .record, .variant, .flags, .enum: return set.contains(id)
        default: return definedContentsNamed(d, set)
        }
    }

    func definedContentsNamed(_ d: ComponentDefinedType, _ set: Set<TypeID>) -> Bool {
        switch d {
        case .primitive, .flags, .enum: return true
        case .record(let fs), .variant(let fs): return fs.allSatisfy { $0.type.map { valueNamed($0, set) } ?? true }
        case .tuple(let ts): return ts.allSatisfy { valueNamed($0, set) }
        case .list(let t), .fixedList(let t, _), .option(let t): return valueNamed(t, set)
        case .result(let ok, let error):
            return (ok.map { valueNamed($0, set) } ?? true) && (error.map { valueNamed($0, set) } ?? true)
        case .own(let r), .borrow(let r): return set.contains(r)
        case .stream(let t), .future(let t): return t.map { valueNamed($0, set) } ?? true
        case .map(let k, let v): return valueNamed(k, set) && valueNamed(v, set)
        }
    }

    // MARK: Instances

    func addInstance(_ definition: InstanceDefinition) throws {
        switch definition {
        case .instantiate(let componentIndex, let arguments):
            let id = try componentAt(componentIndex)
            var args: [String: ComponentEntityType] = [:]
            var keys: [String: String] = [:]
            for arg in arguments {
                let entity = try entity(of: arg.item)
                let key = ComponentName.uniquenessKey(arg.name)
                if let previous = keys[key] {
                    throw fail("instantiation argument `\(arg.name)` conflicts with previous argument `\(previous)`")
                }
                keys[key] = arg.name
                args[arg.name] = entity
            }
            current.spaces.instances.append(try instantiate(id, args))
        case .exports(let exports):
            var map = OrderedMap<ComponentEntityType>()
            var keys: [String: String] = [:]
            var names: [TypeID: String] = [:]
            var explicit: [ResourceID: [String]] = [:]
            for e in exports {
                var entity = try entity(of: e.item)
                // A resource exported here gets a new name (its own alias); other types keep theirs.
                if case .type(let referenced, _) = entity, types.resource(referenced) != nil {
                    entity = .type(referenced: referenced, created: types.alias(referenced))
                }
                let parsed = try checkName(e.name, entity: entity, kind: "export")
                try checkUnique(e.name.name, &keys, kind: "export")
                try checkAnnotated(parsed, e.name.name, entity: entity, names: names, kind: "export")
                if case .type(let referenced, let created) = entity, let r = types.resource(referenced) {
                    names[created] = e.name.name
                    explicit[r] = [e.name.name]
                }
                map.insert(e.name.name, entity)
            }
            current.spaces.instances.append(
                types.add(.instance(ComponentInstanceType(exports: map, definedResources: [], explicitResources: explicit))))
        }
    }

    /// Type-checks instantiating component type `id` with `args` and returns the instance type.
    func instantiate(_ id: TypeID, _ args: [String: ComponentEntityType]) throws -> TypeID {
        let component = types.component(id)!
        let imported = Set(component.importedResources.map(\.0))
        var mapping = Remapping()
        for (name, declared) in component.imports {
            guard let actual = args[name] else { throw fail("missing import named `\(name)`") }
            let before = remap(declared, &mapping)
            registerRenamings(actual: actual, expected: before, restrictedTo: imported, &mapping)
            let expected = remap(declared, &mapping)
            try context("type mismatch for import `\(name)`") { try checkEntity(actual, expected) }
        }
        var fresh: [ResourceID] = []
        for (r, _) in component.definedResources {
            let (n, _) = types.freshResource()
            mapping.resources[r] = n
            mapping.memo.removeAll()
            fresh.append(n)
        }
        current.definedResources += fresh
        var explicit: [ResourceID: [String]] = [:]
        for (r, p) in component.explicitResources { explicit[mapping.resources[r] ?? r] = p }
        let exports = component.exports.mapValues { remap($0, &mapping) }
        return types.add(
            .instance(ComponentInstanceType(exports: exports, definedResources: [], explicitResources: explicit)))
    }

    // MARK: Aliases

    func addAlias(_ alias: AliasDefinition) throws {
        let inType = current.kind != .component
        switch alias {
        case .instanceExport(let sort, let instanceIndex, let name):
            if inType && sort != .type && sort != .instance {
                throw fail("aliases in a component or instance type may only refer to types or instances")
            }
            let instance = types.instance(try instanceAt(instanceIndex))!
            guard let e = instance.exports[name] else {
                throw fail("instance \(instanceIndex) has no export named `\(name)`")
            }
            let matches: Bool
            switch (sort, e) {
            case (.core(.module), .module), (.function, .function), (.value, .value), (.type, .type),
                (.instance, .instance), (.component, .component):
                matches = true
            default:
                matches = false
            }
            guard matches else {
                let sortName: String
                if case .core(let s) = sort { sortName = "\(s)" } else { sortName = "\(sort)" }
                throw fail("export `\(name)` for instance \(instanceIndex) is not a \(sortName)")
            }
            push(e)
        case .coreInstanceExport(let sort, let instanceIndex, let name):
            if inType { throw fail("aliases in a component or instance type may only refer to types or instances") }
            let instance = types.coreInstance(try coreInstanceAt(instanceIndex))!
            guard let e = instance.exports[name] else {
                throw fail("core instance \(instanceIndex) has no export named `\(name)`")
            }
            switch (sort, e) {
            case (.function, .function(let f)): current.spaces.coreFunctions.append(f)
            case (.table, .table(let t)): current.spaces.coreTables.append(t)
            case (.memory, .memory(let m)): current.spaces.coreMemories.append(m)
            case (.global, .global(let g)): current.spaces.coreGlobals.append(g)
            case (.tag, .tag(let f)): current.spaces.coreTags.append(f)
            default:
                throw fail("export `\(name)` for core instance \(instanceIndex) is not a \(sort)")
            }
        case .outer(let sort, let count, let index):
            if inType && sort != .type && sort != .core(.type) {
                throw fail("aliases in a component or instance type may only refer to types or instances")
            }
            guard Int(count) < scopes.count else { throw fail("invalid outer alias count of \(count)") }
            let target = scopes[scopes.count - 1 - Int(count)]
            switch sort {
            case .core(.module): current.spaces.coreModules.append(try moduleAt(index, in: target))
            case .core(.type): current.spaces.coreTypes.append(try coreTypeAt(index, in: target))
            case .component: current.spaces.components.append(try componentAt(index, in: target))
            case .type:
                let t = try typeAt(index, in: target)
                let crossed = scopes[(scopes.count - Int(count))...].contains { $0.kind == .component }
                if count > 0 && crossed && !freeResources(t).isEmpty {
                    throw fail(
                        "cannot alias outer type which transitively refers to resources not defined in the current component")
                }
                current.spaces.types.append(t)
            default:
                throw fail("invalid outer alias sort \(sort)")
            }
        }
    }

    /// The resources `id` refers to that it does not itself define or import.
    func freeResources(_ id: TypeID) -> Set<ResourceID> {
        var out: Set<ResourceID> = []
        var visited: Set<TypeID> = []
        func value(_ v: ComponentValueType?) {
            if case .defined(let d)? = v { type(d) }
        }
        func entity(_ e: ComponentEntityType) {
            switch e {
            case .module: break
            case .function(let t), .instance(let t), .component(let t): type(t)
            case .value(let v): value(v)
            case .type(let r, _): type(r)
            }
        }
        func type(_ id: TypeID) {
            guard visited.insert(id).inserted else { return }
            switch types[id] {
            case .resource(let r): out.insert(r)
            case .defined(let d):
                switch d {
                case .primitive, .flags, .enum: break
                case .record(let fs), .variant(let fs): fs.forEach { value($0.type) }
                case .tuple(let ts): ts.forEach(value)
                case .list(let t), .fixedList(let t, _), .option(let t): value(t)
                case .result(let ok, let error):
                    value(ok)
                    value(error)
                case .own(let r), .borrow(let r): type(r)
                case .stream(let t), .future(let t): value(t)
                case .map(let k, let v):
                    value(k)
                    value(v)
                }
            case .function(let f):
                f.parameters.forEach { value($0.type) }
                value(f.result)
            case .instance(let i):
                var inner: Set<ResourceID> = []
                swap(&inner, &out)
                i.exports.values.forEach(entity)
                swap(&inner, &out)
                out.formUnion(inner.subtracting(i.definedResources))
            case .component(let c):
                var inner: Set<ResourceID> = []
                swap(&inner, &out)
                (c.imports.values + c.exports.values).forEach(entity)
                swap(&inner, &out)
                out.formUnion(
                    inner.subtracting(c.importedResources.map(\.0)).subtracting(c.definedResources.map(\.0)))
            case .coreFunction, .coreModule, .coreInstance: break
            }
        }
        type(id)
        return out
    }
}
