import WasmCore

// Wiring a component's core instances by position instead of by name.
//
// A component instantiates its inner core modules with arguments that are other core instances
// (`(instantiate $m (with "env" (instance $i)))`) and takes their exports by name
// (`(alias core export $i "f")`). Done by name, every instantiation hashes every import and
// export name again: CPython's component wires thousands of them per request. The names never
// change between instantiations, and neither do the modules, so linking resolves each one once
// to a position (the export's place in the module's export list, or in an inline `exports`
// bag), and instantiation reads the positions. Whatever cannot be resolved statically (a module
// that is imported, an argument instance of unknown shape, a name that is missing) keeps the
// name path, which also reports the error as before.
//
// Proof that the two paths agree: `WiringMode.checked` makes every positional lookup also do
// the name lookup and fail on any difference, and `.names` ignores the plan (the reference);
// CoreWiringTests run hand-written near-misses and every real component the tests have both ways.

/// How instantiation resolves core imports and `alias core export`s.
enum WiringMode: Sendable {
    /// By the positions linking computed, names only where it could not (the default).
    case positions
    /// By name only, ignoring the plan: the reference the positional path must equal.
    case names
    /// By position, and each one also by name: a difference throws.
    case checked
}

/// Export `position` of core instance `instance`, as linking planned it: made from the module
/// `module` (nil: an inline `exports` bag). Instantiation checks the module before it trusts the
/// position (one pointer comparison), so a plan that did not match would fall back to names,
/// never wire the wrong export.
struct CoreExportPosition: Sendable, Hashable {
    var instance: Int
    var position: Int
    var module: ObjectIdentifier?
}

/// The positional wiring of one component's core instances (part of its `ComponentPlan`).
struct CoreWiring: Sendable {
    /// Per core instance (index in the core instance space): for `instantiate`, each import's
    /// source in the module's import order; nil for inline `exports` and where names must be used.
    var instantiations: [[CoreExportPosition]?] = []
    /// Per inline `exports` core instance: its names in order (shared by every instantiation).
    var bagNames: [[String]?] = []
    /// Per alias definition (in order among the component's aliases): for `alias core export`,
    /// the export's position in its instance; nil for other aliases and where names must be used.
    var aliasPositions: [CoreExportPosition?] = []
    /// How many of the aliases are `alias core export`s.
    var coreExportAliasCount = 0
}

/// What linking knows of a core instance before any instantiation.
private enum CoreInstanceShape {
    case module(Module)
    case bag([String])
    case unknown

    /// Where export `name` of core instance `instance` (of this shape) is: in the module's export
    /// list, or the last one of that name in the bag (a dictionary built from the bag would keep
    /// the last).
    func position(of name: String, instance: Int) -> CoreExportPosition? {
        switch self {
        case .module(let m):
            m.exportPosition(named: name).map { CoreExportPosition(instance: instance, position: $0, module: ObjectIdentifier(m)) }
        case .bag(let names):
            names.lastIndex(of: name).map { CoreExportPosition(instance: instance, position: $0, module: nil) }
        case .unknown: nil
        }
    }
}

extension CoreWiring {
    /// Computes the wiring of `component`, whose outer aliases see `outerModules` (the module
    /// index spaces of the enclosing components, innermost first, as far as they are known).
    /// Also returns, per nested component, the module spaces its outer aliases see.
    static func compute(
        _ component: Component, outerModules: [[Module?]]
    ) -> (wiring: CoreWiring, nestedOuter: [ObjectIdentifier: [[Module?]]]) {
        var wiring = CoreWiring()
        var modules: [Module?] = []
        var instances: [CoreInstanceShape] = []
        var moduleCursor = 0
        var componentCursor = 0
        var nestedOuter: [ObjectIdentifier: [[Module?]]] = [:]
        for section in component.syntax.sections {
            switch section.content {
            case .coreModule:
                modules.append(component.modules[moduleCursor])
                moduleCursor += 1
            case .component:
                // Its outer aliases see this component's modules as defined so far.
                nestedOuter[ObjectIdentifier(component.components[componentCursor])] = [modules] + outerModules
                componentCursor += 1
            case .coreInstances(let items):
                for item in items {
                    switch item.value {
                    case .instantiate(let m, let args):
                        let module = Int(m) < modules.count ? modules[Int(m)] : nil
                        wiring.instantiations.append(module.flatMap { sources(of: $0, args: args, instances: instances) })
                        wiring.bagNames.append(nil)
                        instances.append(module.map { .module($0) } ?? .unknown)
                    case .exports(let list):
                        let names = list.map(\.name)
                        wiring.instantiations.append(nil)
                        wiring.bagNames.append(names)
                        instances.append(.bag(names))
                    }
                }
            case .aliases(let items):
                for item in items {
                    switch item.value {
                    case .coreInstanceExport(_, let i, let name):
                        wiring.coreExportAliasCount += 1
                        wiring.aliasPositions.append(
                            Int(i) < instances.count ? instances[Int(i)].position(of: name, instance: Int(i)) : nil)
                    case .instanceExport(let sort, _, _):
                        wiring.aliasPositions.append(nil)
                        if sort == .core(.module) { modules.append(nil) }
                    case .outer(let sort, let count, let index):
                        wiring.aliasPositions.append(nil)
                        if sort == .core(.module) {
                            let outer = Int(count) >= 1 && Int(count) <= outerModules.count ? outerModules[Int(count) - 1] : []
                            modules.append(Int(index) < outer.count ? outer[Int(index)] : nil)
                        }
                    }
                }
            case .imports(let items):
                for item in items {
                    if case .module = item.value.type { modules.append(nil) }
                }
            case .exports(let items):
                for item in items where item.value.item.sort == .core(.module) {
                    let i = Int(item.value.item.index)
                    modules.append(i < modules.count ? modules[i] : nil)
                }
            default:
                break
            }
        }
        return (wiring, nestedOuter)
    }

    /// Each import of `module` as an argument instance's export position, or nil when one cannot
    /// be resolved statically (the name path then runs, and reports a missing import).
    private static func sources(
        of module: Module, args: [CoreInstantiationArgument], instances: [CoreInstanceShape]
    ) -> [CoreExportPosition]? {
        var result: [CoreExportPosition] = []
        result.reserveCapacity(module.info.imports.count)
        for imp in module.info.imports {
            // The last argument of that name, as the name path's `Imports` keeps the last.
            guard let arg = args.last(where: { $0.name == imp.module }),
                Int(arg.instance) < instances.count,
                let position = instances[Int(arg.instance)].position(of: imp.name, instance: Int(arg.instance))
            else { return nil }
            result.append(position)
        }
        return result
    }
}

extension CoreInstanceValue {
    /// The export the plan's `p` names, when this core instance is the one linking planned for
    /// (made from `p.module`, or a bag with that position); nil otherwise.
    func export(at p: CoreExportPosition) -> ExternalValue? {
        switch self {
        case .instance(let i):
            guard let m = p.module, ObjectIdentifier(i.module) == m else { return nil }
            return i.export(at: p.position)
        case .exports(_, let values):
            guard p.module == nil, p.position < values.count else { return nil }
            return values[p.position]
        }
    }
}

/// `WiringMode.checked` found a position that does not give what the name gives.
struct WiringMismatch: Error, CustomStringConvertible {
    var what: String
    var description: String { "the positional wiring differs from the name path at \(what)" }
}

/// Whether `a` and `b` are the same run-time object.
func sameObject(_ a: ExternalValue, _ b: ExternalValue) -> Bool {
    switch (a, b) {
    case (.function(let x), .function(let y)): x == y
    case (.table(let x), .table(let y)): x === y
    case (.memory(let x), .memory(let y)): x === y
    case (.global(let x), .global(let y)): x === y
    case (.tag(let x), .tag(let y)): x === y
    default: false
    }
}

extension CoreWiring {
    /// How much of the component's core wiring is positional: core instances made by
    /// `instantiate` (planned, all) and `alias core export`s (planned, all).
    var coverage: (instantiations: (planned: Int, all: Int), aliases: (planned: Int, all: Int)) {
        let instantiations = zip(instantiations, bagNames).filter { $0.1 == nil }
        return (
            (instantiations.filter { $0.0 != nil }.count, instantiations.count),
            (aliasPositions.filter { $0 != nil }.count, coreExportAliasCount)
        )
    }
}
