import WasmComponents
import WasmWASIP2

/// How a component's variables resolve: what `fermyon:spin/variables` and `wasi:config/store`
/// share. A name is looked up among the component's `[component.NAME.variables]` templates,
/// which expand over the app's variables and providers (`VariableResolver`, as `spin-config`
/// for 1.x modules); errors follow Spin's `spin_expressions` (crates/expressions, factor-variables).
package enum ComponentVariables {
    /// Spin's `variables::error` cases, in declaration order (`fermyon:spin/variables@2.0.0`).
    package enum Failure: Error, Equatable, Sendable {
        /// The name breaks Spin's key rule: `"NAME": reason`.
        case invalidName(String)
        /// The component defines no such variable: `no variable for "COMPONENT"."NAME"`.
        case undefined(String)
        /// A provider failed, or nothing resolved a required app variable.
        case provider(String)
        /// Anything else (the host runs without app services).
        case other(String)

        /// The `variables::error` value.
        package var value: ComponentValue {
            switch self {
            case .invalidName(let m): .variant(case: 0, payload: .string(m))
            case .undefined(let m): .variant(case: 1, payload: .string(m))
            case .provider(let m): .variant(case: 2, payload: .string(m))
            case .other(let m): .variant(case: 3, payload: .string(m))
            }
        }
    }

    /// What the guest hears when the host runs it without Spin's app services.
    package static func unavailable(_ feature: String) -> String {
        "\(feature) is not available: this host runs the component without Spin app services"
    }

    /// The value of the component's variable `name`.
    package static func resolve(_ guest: GuestContext?, _ name: String) -> Result<String, Failure> {
        if let problem = Compat.configKeyProblem(name) {
            return .failure(.invalidName("\"\(name)\": \(problem)"))
        }
        guard let guest else { return .failure(.other(unavailable("variable `\(name)`"))) }
        guard let template = guest.component.variables[name] else {
            return .failure(.undefined("no variable for \"\(guest.component.id)\".\"\(name)\""))
        }
        do {
            return .success(try guest.services.variables.expand(template))
        } catch {
            return .failure(.provider(error.message))
        }
    }

    /// Every variable of the component with its value, sorted by name; the first that fails
    /// to resolve fails the whole.
    package static func resolveAll(_ guest: GuestContext?) -> Result<[(name: String, value: String)], Failure> {
        guard let guest else { return .failure(.other(unavailable("variables"))) }
        var out: [(name: String, value: String)] = []
        for name in guest.component.variables.keys.sorted() {
            switch resolve(guest, name) {
            case .success(let v): out.append((name, v))
            case .failure(let e): return .failure(e)
            }
        }
        return .success(out)
    }

    /// The `GuestContext` of the instance that made a host call (nil without app services).
    package static func guest(_ context: WASIP2Context) -> GuestContext? {
        ComponentHostState.of(context)?.guest
    }
}
