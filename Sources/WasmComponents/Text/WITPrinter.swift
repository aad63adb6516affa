/// Prints a component's imports and exports at the WIT level, roughly as
/// `wasm-tools component wit` does: a `world` with its imports and exports, then one
/// `interface` block per imported or exported instance (types, resources with their methods,
/// functions), with `use` lines for types defined by another interface.
///
/// Spec: WebAssembly/component-model `design/mvp/WIT.md`. This is a reading aid: names of
/// worlds and packages are not recorded in the binary and interfaces are printed under their
/// full names (`interface wasi:io/streams@0.2.0 { ... }`).
public struct WITPrinter {
    let types: ComponentTypes
    let component: ComponentType

    /// Where each type got its WIT name: the interface (nil for the world) and the name.
    struct Origin: Hashable {
        var interface: String?
        var name: String
    }

    var byType: [TypeID: Origin] = [:]
    var byResource: [ResourceID: Origin] = [:]

    public init(_ component: Component) {
        self.init(types: component.types, component: component.type)
    }

    public init(types: ComponentTypes, component: ComponentType) {
        self.types = types
        self.component = component
        for (interface, entity) in component.imports.map({ ($0.key, $0.value) }) + component.exports.map({ ($0.key, $0.value) }) {
            switch entity {
            case .instance(let id):
                for (name, e) in types.instance(id)!.exports { record(e, Origin(interface: interface, name: name)) }
            case .type:
                record(entity, Origin(interface: nil, name: interface))
            default:
                break
            }
        }
    }

    mutating func record(_ e: ComponentEntityType, _ origin: Origin) {
        guard case .type(let referenced, let created) = e else { return }
        if byType[created] == nil { byType[created] = origin }
        if let r = types.resource(referenced) {
            if byResource[r] == nil { byResource[r] = origin }
        } else if byType[referenced] == nil {
            byType[referenced] = origin
        }
    }

    /// The whole text: the world, then each interface.
    public func render(worldName: String = "root") -> String {
        var out = "world \(worldName) {\n"
        for (name, e) in component.imports { out += "  " + worldItem("import", name, e) + "\n" }
        if !component.imports.isEmpty && !component.exports.isEmpty { out += "\n" }
        for (name, e) in component.exports { out += "  " + worldItem("export", name, e) + "\n" }
        out += "}\n"
        for (name, e) in component.imports.map({ ($0.key, $0.value) }) + component.exports.map({ ($0.key, $0.value) }) {
            guard case .instance(let id) = e else { continue }
            out += "\n" + interface(name, types.instance(id)!)
        }
        return out
    }

    func worldItem(_ keyword: String, _ name: String, _ e: ComponentEntityType) -> String {
        switch e {
        case .instance:
            return ComponentInterfaceName(name) != nil ? "\(keyword) \(name);" : "\(keyword) \(name): interface { ... };"
        case .function(let f): return "\(keyword) \(name): \(signature(types.function(f)!, scope: nil));"
        case .type(let referenced, _): return "\(keyword) \(name): \(typeDefinitionText(referenced, scope: nil));"
        case .value(let v): return "\(keyword) \(name): value \(typeText(v, scope: nil));"
        case .module: return "\(keyword) \(name): core module;"
        case .component: return "\(keyword) \(name): component;"
        }
    }

    /// One `interface NAME { ... }` block.
    func interface(_ name: String, _ instance: ComponentInstanceType) -> String {
        var uses: [String: [String]] = [:]
        var useOrder: [String] = []
        var body: [String] = []
        var resourceBodies: [String: [String]] = [:]
        var resourceOrder: [String] = []
        var functions: [String] = []
        for (exportName, e) in instance.exports {
            switch e {
            case .type(let referenced, _):
                let defining: Origin?
                if let r = types.resource(referenced) {
                    defining = byResource[r]
                } else {
                    defining = byType[referenced]
                }
                if let defining, defining.interface != name, let other = defining.interface {
                    let item = defining.name == exportName ? exportName : "\(defining.name) as \(exportName)"
                    if uses[other] == nil { useOrder.append(other) }
                    uses[other, default: []].append(item)
                } else if let defining, defining.name != exportName {
                    // Another name for a type of this interface: `type headers = fields;`.
                    body.append("type \(exportName) = \(defining.name);")
                } else if types.resource(referenced) != nil {
                    resourceOrder.append(exportName)
                    resourceBodies[exportName] = resourceBodies[exportName] ?? []
                } else {
                    body.append(typeDefinition(exportName, referenced, scope: name))
                }
            case .function(let f):
                let ft = types.function(f)!
                switch try? ComponentName.parse(exportName) {
                case .constructor(let r)?:
                    let params = ft.parameters.map { "\($0.label): \(typeText($0.type, scope: name))" }
                    resourceBodies[r, default: []].append("constructor(\(params.joined(separator: ", ")));")
                case .method(let r, let m)?:
                    var method = ft
                    method.parameters = Array(ft.parameters.dropFirst())
                    resourceBodies[r, default: []].append("\(m): \(signature(method, scope: name));")
                case .static(let r, let m)?:
                    resourceBodies[r, default: []].append("\(m): static \(signature(ft, scope: name));")
                default:
                    functions.append("\(exportName): \(signature(ft, scope: name));")
                }
            default:
                functions.append("\(exportName): \(e.kindName);")
            }
        }
        var out = "interface \(name) {\n"
        for other in useOrder { out += "  use \(other).{\(uses[other]!.joined(separator: ", "))};\n" }
        if !useOrder.isEmpty { out += "\n" }
        var blocks: [String] = []
        for r in resourceOrder {
            let members = resourceBodies[r] ?? []
            if members.isEmpty {
                blocks.append("  resource \(r);")
            } else {
                blocks.append("  resource \(r) {\n" + members.map { "    \($0)\n" }.joined() + "  }")
            }
        }
        blocks += body.map { "  " + $0.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n  ") }
        blocks += functions.map { "  " + $0 }
        out += blocks.joined(separator: "\n") + "\n}\n"
        return out
    }

    func signature(_ f: ComponentFunctionType, scope: String?) -> String {
        let params = f.parameters.map { "\($0.label): \(typeText($0.type, scope: scope))" }.joined(separator: ", ")
        var s = (f.isAsync ? "async func(" : "func(") + params + ")"
        if let r = f.result { s += " -> " + typeText(r, scope: scope) }
        return s
    }

    /// A named type's definition: `record r { ... }`, `variant`, `enum`, `flags` or `type x = ...`.
    func typeDefinition(_ name: String, _ id: TypeID, scope: String?) -> String {
        guard let d = types.defined(id) else { return "type \(name) = \(typeDefinitionText(id, scope: scope));" }
        func fields(_ items: [String]) -> String { "{\n" + items.map { "  \($0),\n" }.joined() + "}" }
        switch d {
        case .record(let fs):
            return "record \(name) " + fields(fs.map { "\(escape($0.label)): \(typeText($0.type!, scope: scope))" })
        case .variant(let cs):
            return "variant \(name) " + fields(cs.map { c in c.type.map { "\(c.label)(\(typeText($0, scope: scope)))" } ?? c.label })
        case .enum(let cases): return "enum \(name) " + fields(cases)
        case .flags(let names): return "flags \(name) " + fields(names)
        default: return "type \(name) = \(structural(d, scope: scope));"
        }
    }

    func typeDefinitionText(_ id: TypeID, scope: String?) -> String {
        switch types[id] {
        case .defined(let d): return structural(d, scope: scope)
        case .resource: return "resource"
        case .function(let f): return signature(f, scope: scope)
        case .instance: return "interface"
        case .component: return "component"
        default: return "core type"
        }
    }

    /// WIT keywords used as names get a `%` prefix.
    func escape(_ s: String) -> String {
        let keywords: Set<String> = [
            "type", "func", "record", "variant", "enum", "flags", "resource", "own", "borrow", "list", "option",
            "result", "tuple", "string", "char", "bool", "use", "interface", "world", "import", "export", "package",
            "static", "constructor", "include", "with", "as", "from", "stream", "future", "async",
        ]
        return keywords.contains(s) ? "%" + s : s
    }

    func name(of id: TypeID, scope: String?) -> String? {
        if let o = byType[id] { return o.name }
        if let r = types.resource(id), let o = byResource[r] { return o.name }
        return nil
    }

    func typeText(_ v: ComponentValueType, scope: String?) -> String {
        switch v {
        case .primitive(let p): return p.description
        case .defined(let id):
            if let n = name(of: id, scope: scope) { return n }
            return structural(types.defined(id)!, scope: scope)
        }
    }

    func structural(_ d: ComponentDefinedType, scope: String?) -> String {
        func t(_ v: ComponentValueType) -> String { typeText(v, scope: scope) }
        func resourceName(_ id: TypeID) -> String { name(of: id, scope: scope) ?? "resource" }
        switch d {
        case .primitive(let p): return p.description
        case .list(let e): return "list<\(t(e))>"
        case .fixedList(let e, let n): return "list<\(t(e)), \(n)>"
        case .option(let e): return "option<\(t(e))>"
        case .tuple(let ts): return "tuple<\(ts.map(t).joined(separator: ", "))>"
        case .result(nil, nil): return "result"
        case .result(let ok?, nil): return "result<\(t(ok))>"
        case .result(nil, let e?): return "result<_, \(t(e))>"
        case .result(let ok?, let e?): return "result<\(t(ok)), \(t(e))>"
        case .own(let r): return resourceName(r)
        case .borrow(let r): return "borrow<\(resourceName(r))>"
        case .stream(let e): return e.map { "stream<\(t($0))>" } ?? "stream"
        case .future(let e): return e.map { "future<\(t($0))>" } ?? "future"
        case .map(let k, let v): return "map<\(t(k)), \(t(v))>"
        case .record: return "record { ... }"
        case .variant: return "variant { ... }"
        case .enum: return "enum { ... }"
        case .flags: return "flags { ... }"
        }
    }
}
