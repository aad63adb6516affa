import WasmComponents
import WasmWASIP2

/// `wasi:config/store@0.2.0-draft-2024-09-27` (`get`, `get-all`) over the component's variables,
/// mapped as Spin's factor-variables maps them: an undefined variable is `ok(none)`; an invalid
/// name or a host problem is `io(message)`; a provider's failure is `upstream(message)`.
///
/// WIT: spin-sdk 3.4.1 `spin_sdk/wit/deps/wasi-runtime-config-2024-09-27/store.wit`.
public enum WASIConfigStoreInterface {
    public static let interface = "wasi:config/store@0.2.0-draft-2024-09-27"

    /// The `store::error` value for a variables failure (`upstream` 0, `io` 1).
    static func error(_ failure: ComponentVariables.Failure) -> ComponentValue {
        switch failure {
        case .provider(let m): .variant(case: 0, payload: .string(m))
        case .invalidName(let m), .undefined(let m), .other(let m): .variant(case: 1, payload: .string(m))
        }
    }

    /// Adds the interface to `d`.
    public static func define(_ d: inout WASIP2Definitions) {
        d.function(interface, "get") { c, a in
            switch ComponentVariables.resolve(ComponentVariables.guest(c), try a.string(0)) {
            case .success(let v): .ok(.option(.string(v)))
            case .failure(.undefined): .ok(.option(nil))
            case .failure(let e): .err(error(e))
            }
        }
        d.function(interface, "get-all") { c, _ in
            switch ComponentVariables.resolveAll(ComponentVariables.guest(c)) {
            case .success(let all): .ok(.list(all.map { .tuple([.string($0.name), .string($0.value)]) }))
            case .failure(let e): .err(error(e))
            }
        }
    }
}
