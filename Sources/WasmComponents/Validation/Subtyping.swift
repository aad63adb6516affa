import WasmCore

/// Resource substitutions of an instantiation, with the types already rewritten.
struct Remapping {
    var resources: [ResourceID: ResourceID] = [:]
    /// Types supplied for type imports: the import's type (as the component refers to it) to
    /// the argument's.
    var types: [TypeID: TypeID] = [:]
    var memo: [TypeID: TypeID] = [:]

    var isEmpty: Bool { resources.isEmpty && types.isEmpty }
}

/// Substitution of resources, and subtyping (Explainer.md "Type checking"), with the
/// reference tests' messages (`actual` is what is given, `expected` what is asked for).
extension ComponentValidator {
    // MARK: Remapping

    func remap(_ e: ComponentEntityType, _ m: inout Remapping) -> ComponentEntityType {
        guard !m.isEmpty else { return e }
        switch e {
        case .module: return e
        case .function(let t): return .function(remap(t, &m))
        case .value(let v): return .value(remap(v, &m))
        case .type(let r, let c): return .type(referenced: remap(r, &m), created: remap(c, &m))
        case .instance(let t): return .instance(remap(t, &m))
        case .component(let t): return .component(remap(t, &m))
        }
    }

    func remap(_ v: ComponentValueType, _ m: inout Remapping) -> ComponentValueType {
        if case .defined(let id) = v { return .defined(remap(id, &m)) }
        return v
    }

    func remap(_ id: TypeID, _ m: inout Remapping) -> TypeID {
        guard !m.isEmpty else { return id }
        if let supplied = m.types[id] { return supplied }
        if let done = m.memo[id] { return done }
        let old = types[id]
        var new = old
        func v(_ x: ComponentValueType?, _ m: inout Remapping) -> ComponentValueType? { x.map { remap($0, &m) } }
        switch old {
        case .resource(let r):
            if let n = m.resources[r] { new = .resource(n) }
        case .defined(let d):
            let nd: ComponentDefinedType
            switch d {
            case .primitive, .flags, .enum: nd = d
            case .record(let fs): nd = .record(fs.map { ComponentField(label: $0.label, type: v($0.type, &m)) })
            case .variant(let fs): nd = .variant(fs.map { ComponentField(label: $0.label, type: v($0.type, &m)) })
            case .list(let t): nd = .list(remap(t, &m))
            case .fixedList(let t, let n): nd = .fixedList(remap(t, &m), n)
            case .tuple(let ts): nd = .tuple(ts.map { remap($0, &m) })
            case .option(let t): nd = .option(remap(t, &m))
            case .result(let ok, let error): nd = .result(ok: v(ok, &m), error: v(error, &m))
            case .own(let r): nd = .own(remap(r, &m))
            case .borrow(let r): nd = .borrow(remap(r, &m))
            case .stream(let t): nd = .stream(v(t, &m))
            case .future(let t): nd = .future(v(t, &m))
            case .map(let k, let x): nd = .map(remap(k, &m), remap(x, &m))
            }
            new = .defined(nd)
        case .function(var f):
            f.parameters = f.parameters.map { (label: $0.label, type: remap($0.type, &m)) }
            f.result = v(f.result, &m)
            new = .function(f)
        case .instance(var i):
            i.exports = i.exports.mapValues { remap($0, &m) }
            i.definedResources = i.definedResources.map { m.resources[$0] ?? $0 }
            var explicit: [ResourceID: [String]] = [:]
            for (r, p) in i.explicitResources { explicit[m.resources[r] ?? r] = p }
            i.explicitResources = explicit
            new = .instance(i)
        case .component(var c):
            c.imports = c.imports.mapValues { remap($0, &m) }
            c.exports = c.exports.mapValues { remap($0, &m) }
            c.importedResources = c.importedResources.map { (m.resources[$0.0] ?? $0.0, $0.1) }
            c.definedResources = c.definedResources.map { (m.resources[$0.0] ?? $0.0, $0.1) }
            new = .component(c)
        case .coreFunction, .coreModule, .coreInstance:
            break
        }
        let result = new == old ? id : types.add(new)
        m.memo[id] = result
        return result
    }

    /// Records, for each resource of `expected` in `allowed` not yet substituted, the resource
    /// `actual` supplies at the same place.
    func registerRenamings(
        actual: ComponentEntityType, expected: ComponentEntityType, restrictedTo allowed: Set<ResourceID>,
        _ m: inout Remapping
    ) {
        switch (actual, expected) {
        case (.type(let a, _), .type(let e, let created)):
            if let er = types.resource(e), allowed.contains(er), m.resources[er] == nil, let ar = types.resource(a) {
                m.resources[er] = ar
                m.memo.removeAll()
            }
            // Only a type of the same kind substitutes (else the check reports the mismatch).
            let sameKind = (types.resource(a) != nil) == (types.resource(e) != nil)
                && (types.defined(a) != nil) == (types.defined(e) != nil)
            if sameKind && m.types[created] == nil && created != a {
                m.types[created] = a
                m.memo.removeAll()
            }
        case (.instance(let a), .instance(let e)):
            let ai = types.instance(a)!
            for (name, ee) in types.instance(e)!.exports {
                if let ae = ai.exports[name] { registerRenamings(actual: ae, expected: ee, restrictedTo: allowed, &m) }
            }
        default:
            break
        }
    }

    // MARK: Subtyping

    func checkEntity(_ a: ComponentEntityType, _ b: ComponentEntityType) throws {
        switch (a, b) {
        case (.module(let x), .module(let y)): try checkModule(types.coreModule(x)!, types.coreModule(y)!)
        case (.function(let x), .function(let y)): try checkFunction(types.function(x)!, types.function(y)!)
        case (.value(let x), .value(let y)): try checkValue(x, y)
        case (.type(let x, _), .type(let y, _)): try checkAnyType(x, y)
        case (.instance(let x), .instance(let y)): try checkInstance(x, y)
        case (.component(let x), .component(let y)): try checkComponent(x, y)
        default: throw fail("expected \(b.kindName), found \(a.kindName)")
        }
    }

    func checkAnyType(_ a: TypeID, _ b: TypeID) throws {
        if a == b { return }
        switch (types[a], types[b]) {
        case (.resource(let x), .resource(let y)):
            if x != y { throw fail("resource types are not the same") }
        case (.resource, .defined): throw fail("expected defined type, found resource")
        case (.defined, .resource): throw fail("expected resource, found defined type")
        case (.defined, .defined): try checkValue(.defined(a), .defined(b))
        case (.function(let x), .function(let y)): try checkFunction(x, y)
        case (.instance, .instance): try checkInstance(a, b)
        case (.component, .component): try checkComponent(a, b)
        case (let x, let y): throw fail("expected \(y.kindName), found \(x.kindName)")
        }
    }

    func checkInstance(_ a: TypeID, _ b: TypeID) throws {
        if a == b { return }
        let ai = types.instance(a)!
        for (name, be) in types.instance(b)!.exports {
            guard let ae = ai.exports[name] else { throw fail("missing expected export `\(name)`") }
            try context("type mismatch in instance export `\(name)`") { try checkEntity(ae, be) }
        }
    }

    func checkComponent(_ a: TypeID, _ b: TypeID) throws {
        if a == b { return }
        let ac = types.component(a)!
        let bc = types.component(b)!
        var m = Remapping()
        let aImported = Set(ac.importedResources.map(\.0))
        for (name, ai) in ac.imports {
            guard let bi = bc.imports[name] else { throw fail("missing expected import `\(name)`") }
            registerRenamings(actual: bi, expected: remap(ai, &m), restrictedTo: aImported, &m)
            let expected = remap(ai, &m)
            try context("type mismatch in import `\(name)`") { try checkEntity(bi, expected) }
        }
        for (name, be) in bc.exports {
            guard let ae0 = ac.exports[name] else { throw fail("missing expected export `\(name)`") }
            // The expected type's own (abstract) resources stand for whatever the actual defines.
            var reverse = Remapping()
            registerRenamings(actual: remap(ae0, &m), expected: be, restrictedTo: Set(bc.definedResources.map(\.0)), &reverse)
            let ae = remap(ae0, &m)
            let expected = remap(be, &reverse)
            try context("type mismatch in export `\(name)`") { try checkEntity(ae, expected) }
        }
    }

    func checkFunction(_ a: ComponentFunctionType, _ b: ComponentFunctionType) throws {
        if a.isAsync != b.isAsync {
            throw fail(b.isAsync ? "expected async function, found sync function" : "expected sync function, found async function")
        }
        if a.parameters.count != b.parameters.count {
            throw fail("expected \(b.parameters.count) parameters, found \(a.parameters.count)")
        }
        for (ap, bp) in zip(a.parameters, b.parameters) {
            if ap.label != bp.label { throw fail("expected parameter named `\(bp.label)`, found `\(ap.label)`") }
            try context("type mismatch in function parameter `\(ap.label)`") { try checkValue(ap.type, bp.type) }
        }
        switch (a.result, b.result) {
        case (let x?, let y?): try context("type mismatch with result type") { try checkValue(x, y) }
        case (nil, nil): break
        case (.some, nil): throw fail("expected a result, found none")
        case (nil, .some): throw fail("expected no result, found one")
        }
    }

    func checkValue(_ a: ComponentValueType, _ b: ComponentValueType) throws {
        switch (a, b) {
        case (.primitive(let x), .primitive(let y)):
            if x != y { throw fail("expected primitive `\(y)` found primitive `\(x)`") }
        case (.primitive(let x), .defined(let y)):
            let yd = types.defined(y)!
            if case .primitive(let yp) = yd {
                try checkValue(.primitive(x), .primitive(yp))
            } else {
                throw fail("expected \(yd.kindName), found \(x)")
            }
        case (.defined(let x), .primitive(let y)):
            let xd = types.defined(x)!
            if case .primitive(let xp) = xd {
                try checkValue(.primitive(xp), .primitive(y))
            } else {
                throw fail("expected \(y), found \(xd.kindName)")
            }
        case (.defined(let x), .defined(let y)):
            if x == y { return }
            try checkDefined(types.defined(x)!, types.defined(y)!)
        }
    }

    func checkDefined(_ a: ComponentDefinedType, _ b: ComponentDefinedType) throws {
        switch (a, b) {
        case (.primitive(let x), .primitive(let y)): try checkValue(.primitive(x), .primitive(y))
        case (.primitive(let x), _): throw fail("expected \(b.kindName), found \(x)")
        case (.record(let x), .record(let y)):
            if x.count != y.count { throw fail("expected \(y.count) fields, found \(x.count)") }
            for (xf, yf) in zip(x, y) {
                if xf.label != yf.label { throw fail("expected field name `\(yf.label)`, found `\(xf.label)`") }
                try context("type mismatch in record field `\(xf.label)`") { try checkValue(xf.type!, yf.type!) }
            }
        case (.variant(let x), .variant(let y)):
            if x.count != y.count { throw fail("expected \(y.count) cases, found \(x.count)") }
            for (xc, yc) in zip(x, y) {
                if xc.label != yc.label { throw fail("expected case named `\(yc.label)`, found `\(xc.label)`") }
                switch (xc.type, yc.type) {
                case (let s?, let t?):
                    try context("type mismatch in variant case `\(xc.label)`") { try checkValue(s, t) }
                case (nil, nil): break
                case (nil, .some): throw fail("expected case `\(xc.label)` to have a type, found none")
                case (.some, nil): throw fail("expected case `\(xc.label)` to have no type")
                }
            }
        case (.list(let x), .list(let y)), (.option(let x), .option(let y)): try checkValue(x, y)
        case (.fixedList(let x, let n), .fixedList(let y, let k)):
            if n != k { throw fail("expected list of \(k) elements, found \(n)") }
            try checkValue(x, y)
        case (.tuple(let x), .tuple(let y)):
            if x.count != y.count { throw fail("expected \(y.count) types, found \(x.count)") }
            for (i, (s, t)) in zip(x, y).enumerated() {
                try context("type mismatch in tuple field \(i)") { try checkValue(s, t) }
            }
        case (.flags(let x), .flags(let y)):
            if x != y { throw fail("mismatch in flags elements") }
        case (.enum(let x), .enum(let y)):
            if x != y { throw fail("mismatch in enum elements") }
        case (.result(let xo, let xe), .result(let yo, let ye)):
            switch (xo, yo) {
            case (let s?, let t?): try context("type mismatch in ok variant") { try checkValue(s, t) }
            case (nil, nil): break
            case (.some, nil): throw fail("expected ok type to not be present")
            case (nil, .some): throw fail("expected ok type, but found none")
            }
            switch (xe, ye) {
            case (let s?, let t?): try context("type mismatch in err variant") { try checkValue(s, t) }
            case (nil, nil): break
            case (.some, nil): throw fail("expected err type to not be present")
            case (nil, .some): throw fail("expected err type, but found none")
            }
        case (.own(let x), .own(let y)), (.borrow(let x), .borrow(let y)):
            if types.resource(x) != types.resource(y) { throw fail("resource types are not the same") }
        case (.stream(let x), .stream(let y)), (.future(let x), .future(let y)):
            switch (x, y) {
            case (let s?, let t?): try checkValue(s, t)
            case (nil, nil): break
            default: throw fail("expected \(b.kindName) element type to match")
            }
        case (.map(let xk, let xv), .map(let yk, let yv)):
            try checkValue(xk, yk)
            try checkValue(xv, yv)
        default:
            throw fail("expected \(b.kindName), found \(a.kindName)")
        }
    }

    // MARK: Core types

    func checkModule(_ a: CoreModuleType, _ b: CoreModuleType) throws {
        for ai in a.imports {
            let name = "\(ai.module)::\(ai.name)"
            guard let bi = b.imports.first(where: { $0.module == ai.module && $0.name == ai.name }) else {
                throw fail("missing expected import `\(name)`")
            }
            try context("type mismatch in import `\(name)`") { try checkCoreEntity(actual: bi.type, expected: ai.type) }
        }
        for (name, be) in b.exports {
            guard let ae = a.exports[name] else { throw fail("missing expected export `\(name)`") }
            try context("type mismatch in export `\(name)`") { try checkCoreEntity(actual: ae, expected: be) }
        }
    }

    static func limitsMatch(_ a: CoreLimits, _ b: CoreLimits) -> Bool {
        guard a.min >= b.min else { return false }
        guard let bmax = b.max else { return true }
        guard let amax = a.max else { return false }
        return amax <= bmax
    }

    func checkCoreEntity(actual a: CoreEntityType, expected b: CoreEntityType) throws {
        switch (a, b) {
        case (.function(let x), .function(let y)), (.tag(let x), .tag(let y)):
            if x != y {
                throw fail("expected: \(CoreEntityType.text(y)), found: \(CoreEntityType.text(x))")
            }
        case (.table(let x), .table(let y)):
            if x.elementType != y.elementType {
                throw fail("expected table element type \(y.elementType), found \(x.elementType)")
            }
            if x.is64 != y.is64 { throw fail("mismatch in index type used for tables") }
            if !Self.limitsMatch(x.limits, y.limits) { throw fail("mismatch in table limits") }
        case (.memory(let x), .memory(let y)):
            if x.is64 != y.is64 { throw fail("mismatch in index type used for memories") }
            if x.isShared != y.isShared { throw fail("mismatch in the shared flag for memories") }
            if !Self.limitsMatch(x.limits, y.limits) { throw fail("mismatch in memory limits") }
        case (.global(let x), .global(let y)):
            if x.isMutable != y.isMutable { throw fail("global types differ in mutability") }
            if x.valueType != y.valueType {
                throw fail("expected global type \(y.valueType), found \(x.valueType)")
            }
        default:
            throw fail("expected \(b.kindName), found \(a.kindName)")
        }
    }
}
