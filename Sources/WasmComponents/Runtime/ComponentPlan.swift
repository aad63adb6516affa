import WasmCore

// What linking computes once per component of a tree, so that instantiating is a walk.

/// What linking computed once for one component of the tree: the ABI of every `canon`
/// definition (by its position among the component's `canon` definitions).
struct ComponentPlan: @unchecked Sendable {
    /// `canon lift`: the function type and ABI; `canon lower`: the callee's ABI as the
    /// component sees it. Nil for other `canon` definitions.
    var canonTypes: [ComponentFunctionType?] = []
    var canonABIs: [FunctionABI?] = []
    /// The core instances' imports and `alias core export`s as positions (CoreWiring.swift).
    var wiring = CoreWiring()
}

extension Instantiator {
    /// Makes the plan of `component` and its nested components (throws for what cannot run).
    /// `outerModules`: the module index spaces the component's outer aliases see (innermost first).
    static func plan(
        _ component: Component, into plans: inout [ObjectIdentifier: ComponentPlan], outerModules: [[Module?]] = []
    ) throws {
        var resolver = ABITypeResolver(types: component.types)
        var plan = ComponentPlan()
        let (wiring, nestedOuter) = CoreWiring.compute(component, outerModules: outerModules)
        plan.wiring = wiring
        let spaces = component.indexSpaces
        for section in component.syntax.sections {
            switch section.content {
            case .start(let s) where !s.value.arguments.isEmpty || s.value.resultCount != 0:
                throw ComponentUnsupportedError("component start functions with values", offset: s.offset)
            case .canonicals(let items):
                for item in items {
                    switch item.value {
                    case .lift(_, _, let typeIndex):
                        let f = component.types.function(spaces.types[Int(typeIndex)])!
                        plan.canonTypes.append(f)
                        plan.canonABIs.append(resolver.function(f))
                    case .lower(let function, _):
                        let f = component.types.function(spaces.functions[Int(function)])!
                        plan.canonTypes.append(f)
                        plan.canonABIs.append(resolver.function(f))
                    case .builtin(let b) where b.name == "task.return":
                        // The ABI of the values `task.return` receives, as parameters.
                        let result: ComponentValueType? = b.result.map {
                            switch $0 {
                            case .primitive(let p): .primitive(p)
                            case .index(let i): .defined(spaces.types[Int(i)])
                            }
                        }
                        plan.canonTypes.append(nil)
                        plan.canonABIs.append(FunctionABI(parameters: result.map { [resolver.resolve($0)] } ?? [], result: nil))
                    default:
                        plan.canonTypes.append(nil)
                        plan.canonABIs.append(nil)
                    }
                }
            default:
                break
            }
        }
        plans[ObjectIdentifier(component)] = plan
        for c in component.components {
            try Self.plan(c, into: &plans, outerModules: nestedOuter[ObjectIdentifier(c)] ?? [])
        }
    }
}
