/// Manifest features this host parses but cannot run: `LoadedApp.load` refuses a component
/// that uses one, at start, instead of letting its requests fail later.
enum UnsupportedFeatures {
    /// The first unsupported feature `component` uses, as an error naming the component, the
    /// manifest key and what to do; nil when it uses none.
    static func problem(with component: Component, manifestPath: String) -> AppLoadError? {
        let id = component.id
        if !component.dependencies.isEmpty {
            let names = component.dependencies.keys.sorted().map { "\"\($0)\"" }.joined(separator: ", ")
            return AppLoadError(
                "\(manifestPath): component `\(id)` has `dependencies` (\(names)); composing components is not supported by this host yet"
            )
        }
        if case .registry(let registry, let package, let version) = component.source {
            let from = registry.map { " from \($0)" } ?? ""
            return AppLoadError(
                "\(manifestPath): component `\(id)`: `source = { package = \"\(package)\", version = \"\(version)\" }`\(from) is a registry package; loading components from a package registry is not supported by this host (build it and use a local `source` path)"
            )
        }
        if !component.aiModels.isEmpty {
            return AppLoadError(
                "\(manifestPath): component `\(id)` uses `ai_models = [\(component.aiModels.map { "\"\($0)\"" }.joined(separator: ", "))]`; AI inferencing (llm) is not supported by this host"
            )
        }
        return nil
    }
}
