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
        // Index counters per sort follow definitions in order (imports, aliases and exports too).
        var next: [ComponentSort: Int] = [:]
        func take(_ sort: ComponentSort) -> Int {
            defer { next[sort, default: 0] += 1 }
            return next[sort, default: 0]
        }
        var lines: [String] = []
        func add(_ s: String) { lines.append(s) }
        func sortOf(_ d: ExternDescriptor) -> ComponentSort {
            switch d {
            case .module: .core(.module)
            case .function: .function
            case .value: .value
            case .type: .type
            case .instance: .instance
            case .component: .component
            }
        }
        for s in syntax.sections {
            switch s.content {
            case .coreModule(let m):
                let info = m.info
                add(
                    "core module \(take(.core(.module))): \(m.range.count) bytes at \(hex(m.range.lowerBound)), "
                        + "\(info.imports.count) imports, \(info.exports.count) exports, "
                        + "\(info.functions.count) functions, \(info.memories.count) memories")
            case .component(let c):
                add(
                    "component \(take(.component)): \(c.range.count) bytes at \(hex(c.range.lowerBound)), "
                        + "\(c.sections.count) sections")
            case .coreTypes(let items):
                for _ in items { _ = take(.core(.type)) }
            case .types(let items):
                for _ in items { _ = take(.type) }
            case .coreInstances(let items):
                for item in items {
                    let i = take(.core(.instance))
                    switch item.value {
                    case .instantiate(let m, let args):
                        let with = args.map { "\"\($0.name)\": core instance \($0.instance)" }.joined(separator: ", ")
                        add("core instance \(i) = instantiate core module \(m)" + (args.isEmpty ? "" : " with \(with)"))
                    case .exports(let exports):
                        let list = exports.prefix(8).map { "\"\($0.name)\": core \($0.item.sort) \($0.item.index)" }
                        add(
                            "core instance \(i) = exports {\(list.joined(separator: ", "))"
                                + (exports.count > 8 ? ", ... \(exports.count - 8) more" : "") + "}")
                    }
                }
            case .instances(let items):
                for item in items {
                    let i = take(.instance)
                    switch item.value {
                    case .instantiate(let c, let args):
                        let with = args.map { "\"\($0.name)\": \($0.item.sort) \($0.item.index)" }.joined(separator: ", ")
                        add("instance \(i) = instantiate component \(c)" + (args.isEmpty ? "" : " with \(with)"))
                    case .exports(let exports):
                        let list = exports.prefix(8).map { "\"\($0.name.name)\": \($0.item.sort) \($0.item.index)" }
                        add(
                            "instance \(i) = exports {\(list.joined(separator: ", "))"
                                + (exports.count > 8 ? ", ... \(exports.count - 8) more" : "") + "}")
                    }
                }
            case .aliases(let items):
                for item in items {
                    let sort = item.value.sort
                    let target: String
                    switch item.value {
                    case .instanceExport(_, let i, let name): target = "instance \(i) export \"\(name)\""
                    case .coreInstanceExport(_, let i, let name): target = "core instance \(i) export \"\(name)\""
                    case .outer(_, let count, let index): target = "outer \(count) \(sort) \(index)"
                    }
                    add("\(sort) \(take(sort)) = alias \(target)")
                }
            case .canonicals(let items):
                for item in items {
                    switch item.value {
                    case .lift(let core, let options, let type):
                        add("func \(take(.function)) = canon lift core func \(core) (type \(type))\(optionsText(options))")
                    case .lower(let f, let options):
                        add("core func \(take(.core(.function))) = canon lower func \(f)\(optionsText(options))")
                    case .resourceNew(let t):
                        add("core func \(take(.core(.function))) = canon resource.new (type \(t))")
                    case .resourceDrop(let t, _):
                        add("core func \(take(.core(.function))) = canon resource.drop (type \(t))")
                    case .resourceRep(let t):
                        add("core func \(take(.core(.function))) = canon resource.rep (type \(t))")
                    case .builtin(let b):
                        add("core func \(take(.core(.function))) = canon \(b)")
                    }
                }
            case .imports(let items):
                for item in items { _ = take(sortOf(item.value.type)) }
            case .exports(let items):
                for item in items { _ = take(item.value.item.sort) }
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
