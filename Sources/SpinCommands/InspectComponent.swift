import ArgumentParsing
import WasmComponents
import WasmCore

/// `spin wasm inspect FILE` for a component: its sections, nested modules and components,
/// instances, aliases and canonical functions, then its imports and exports at the WIT level.
///
/// Returns 0 for a valid component, 1 when it is malformed (nothing printed but the error) or
/// invalid (the structure is printed, then the validation error).
func runComponentInspect(bytes: [UInt8], fileName: String, console: Console) -> Int32 {
    let syntax: ComponentSyntax
    do {
        syntax = try ComponentDecoder.decode(bytes)
    } catch {
        console.error("\(error.message) at byte offset \(error.offset)\(error.section.map { " (\($0) section)" } ?? "")")
        return 1
    }
    var component: Component?
    var failure: Error?
    do {
        component = try Component(bytes: bytes, syntax: syntax, options: ComponentValidationOptions())
    } catch {
        failure = error
    }
    console.out(ComponentSummary(syntax: syntax, component: component, fileName: fileName, size: bytes.count).render())
    if let failure {
        console.error("invalid component: \(failure)")
        return 1
    }
    return 0
}

/// Renders a decoded (and, when valid, validated) component as text.
struct ComponentSummary {
    let syntax: ComponentSyntax
    let component: Component?
    let fileName: String
    let size: Int
    /// Longer lists are cut after this many entries.
    var listLimit = 60

    func render() -> String {
        var out = "\(fileName): \(size) bytes, WebAssembly component (binary version 0x0d, layer 1)\n"
        out += structure(syntax, component: component, indent: "")
        if let component {
            out += "\nWIT:\n"
            out += WITPrinter(component).render().split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.isEmpty ? "" : "  " + $0 }.joined(separator: "\n")
            if !component.allUnsupportedFeatures.isEmpty {
                out += "\nNot supported yet (instantiation will refuse):\n"
                for f in component.allUnsupportedFeatures.prefix(listLimit) { out += "  \(f)\n" }
            }
        }
        return out
    }

    private func hex(_ value: Int) -> String { "0x" + String(value, radix: 16) }

    /// The sections of one component, then (recursively) its nested components.
    private func structure(_ syntax: ComponentSyntax, component: Component?, indent: String) -> String {
        var out = "\n\(indent)Sections (\(syntax.sections.count)):\n"
        out += "\(indent)  id  name           offset      payload size\n"
        for s in syntax.sections {
            let id = String(s.id).leftPadded(2)
            let name = s.name.rightPadded(13)
            let offset = hex(s.range.lowerBound).rightPadded(10)
            var line = indent + "  " + id + "  " + name + "  " + offset + "  \(s.payload.count) bytes"
            if case .custom(let name, _) = s.content { line += "  \"\(name)\"" }
            if let n = itemCount(s.content) { line += "  (\(n) \(n == 1 ? "item" : "items"))" }
            out += line + "\n"
        }
        var moduleIndex = 0
        var componentIndex = 0
        var coreInstance = 0
        var instance = 0
        var coreFunc = 0
        var function = 0
        var lines: [String] = []
        func add(_ s: String) { lines.append(s) }
        // Index counters follow definitions in order (imports and aliases included).
        for s in syntax.sections {
            switch s.content {
            case .coreModule(let m):
                let info = m.info
                let defined = info.functions.count
                add(
                    "core module \(moduleIndex): \(m.range.count) bytes at \(hex(m.range.lowerBound)), "
                        + "\(info.imports.count) imports, \(info.exports.count) exports, \(defined) functions, "
                        + "\(info.memories.count) memories")
                moduleIndex += 1
            case .component(let c):
                add("component \(componentIndex): \(c.range.count) bytes at \(hex(c.range.lowerBound)), \(c.sections.count) sections")
                componentIndex += 1
            case .coreInstances(let items):
                for item in items {
                    switch item.value {
                    case .instantiate(let m, let args):
                        let with = args.map { "\"\($0.name)\": core instance \($0.instance)" }.joined(separator: ", ")
                        add("core instance \(coreInstance) = instantiate core module \(m)" + (args.isEmpty ? "" : " with \(with)"))
                    case .exports(let exports):
                        let list = exports.prefix(8).map { "\"\($0.name)\": core \($0.item.sort) \($0.item.index)" }
                        add(
                            "core instance \(coreInstance) = exports {\(list.joined(separator: ", "))"
                                + (exports.count > 8 ? ", ... \(exports.count - 8) more" : "") + "}")
                    }
                    coreInstance += 1
                }
            case .instances(let items):
                for item in items {
                    switch item.value {
                    case .instantiate(let c, let args):
                        let with = args.map { "\"\($0.name)\": \($0.item.sort) \($0.item.index)" }.joined(separator: ", ")
                        add("instance \(instance) = instantiate component \(c)" + (args.isEmpty ? "" : " with \(with)"))
                    case .exports(let exports):
                        let list = exports.prefix(8).map { "\"\($0.name.name)\": \($0.item.sort) \($0.item.index)" }
                        add(
                            "instance \(instance) = exports {\(list.joined(separator: ", "))"
                                + (exports.count > 8 ? ", ... \(exports.count - 8) more" : "") + "}")
                    }
                    instance += 1
                }
            case .aliases(let items):
                for item in items {
                    switch item.value {
                    case .instanceExport(let sort, let i, let name):
                        add("alias \(sort) = instance \(i) export \"\(name)\"")
                        if sort == .function { function += 1 }
                        if sort == .instance { instance += 1 }
                        if sort == .component { componentIndex += 1 }
                        if sort == .core(.module) { moduleIndex += 1 }
                    case .coreInstanceExport(let sort, let i, let name):
                        add("alias core \(sort) = core instance \(i) export \"\(name)\"")
                        if sort == .function { coreFunc += 1 }
                    case .outer(let sort, let count, let index):
                        add("alias \(sort) = outer \(count) \(sort) \(index)")
                        if sort == .component { componentIndex += 1 }
                        if sort == .core(.module) { moduleIndex += 1 }
                    }
                }
            case .canonicals(let items):
                for item in items {
                    switch item.value {
                    case .lift(let core, let options, let type):
                        add("func \(function) = canon lift core func \(core) (type \(type))\(optionsText(options))")
                        function += 1
                    case .lower(let f, let options):
                        add("core func \(coreFunc) = canon lower func \(f)\(optionsText(options))")
                        coreFunc += 1
                    case .resourceNew(let t):
                        add("core func \(coreFunc) = canon resource.new (type \(t))")
                        coreFunc += 1
                    case .resourceDrop(let t, _):
                        add("core func \(coreFunc) = canon resource.drop (type \(t))")
                        coreFunc += 1
                    case .resourceRep(let t):
                        add("core func \(coreFunc) = canon resource.rep (type \(t))")
                        coreFunc += 1
                    case .builtin(let b):
                        add("core func \(coreFunc) = canon \(b)")
                        coreFunc += 1
                    }
                }
            case .imports(let items):
                for item in items {
                    switch item.value.type {
                    case .instance: instance += 1
                    case .function: function += 1
                    case .component: componentIndex += 1
                    case .module: moduleIndex += 1
                    default: break
                    }
                }
            case .exports(let items):
                for item in items {
                    switch item.value.item.sort {
                    case .instance: instance += 1
                    case .function: function += 1
                    case .component: componentIndex += 1
                    case .core(.module): moduleIndex += 1
                    default: break
                    }
                }
            default:
                break
            }
        }
        if !lines.isEmpty {
            out += "\n\(indent)Definitions (\(lines.count)):\n"
            for l in lines.prefix(listLimit) { out += "\(indent)  \(l)\n" }
            if lines.count > listLimit { out += "\(indent)  ... \(lines.count - listLimit) more\n" }
        }
        let imports = syntax.sections.flatMap { s -> [Positioned<ComponentImport>] in
            if case .imports(let items) = s.content { return items }
            return []
        }
        if !imports.isEmpty {
            out += "\n\(indent)Imports (\(imports.count)):\n"
            for i in imports { out += "\(indent)  \"\(i.value.name.name)\": \(i.value.type.sortName)\n" }
        }
        let exports = syntax.sections.flatMap { s -> [Positioned<ComponentExport>] in
            if case .exports(let items) = s.content { return items }
            return []
        }
        if !exports.isEmpty {
            out += "\n\(indent)Exports (\(exports.count)):\n"
            for e in exports { out += "\(indent)  \"\(e.value.name.name)\": \(e.value.item.sort) \(e.value.item.index)\n" }
        }
        var nestedIndex = 0
        for s in syntax.sections {
            guard case .component(let nested) = s.content else { continue }
            let validated = component.flatMap { nestedIndex < $0.components.count ? $0.components[nestedIndex] : nil }
            out += "\n\(indent)Nested component \(nestedIndex) (\(nested.range.count) bytes at \(hex(nested.range.lowerBound))):"
            out += structure(nested, component: validated, indent: indent + "  ")
            nestedIndex += 1
        }
        return out
    }

    private func itemCount(_ content: ComponentSection.Content) -> Int? {
        switch content {
        case .coreInstances(let i): i.count
        case .coreTypes(let i): i.count
        case .instances(let i): i.count
        case .aliases(let i): i.count
        case .types(let i): i.count
        case .canonicals(let i): i.count
        case .imports(let i): i.count
        case .exports(let i): i.count
        default: nil
        }
    }

    private func optionsText(_ options: [CanonicalOption]) -> String {
        options.isEmpty ? "" : " " + options.map(\.description).joined(separator: " ")
    }
}

extension Component {
    /// The unsupported features of this component and all nested ones.
    var allUnsupportedFeatures: [ComponentUnsupportedError] {
        unsupportedFeatures + components.flatMap(\.allUnsupportedFeatures)
    }
}
