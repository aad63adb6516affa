import WasmComponents
import WasmWASIP2

/// `fermyon:spin/variables@2.0.0`: `get(name) -> result<string, error>` over the component's
/// variables (`ComponentVariables`), with Spin's error cases.
///
/// WIT: spin-sdk 3.4.1 `spin_sdk/wit/variables.wit`. `spin:variables/variables@3.0.0` (spin-sdk
/// 5.x) declares `get` as an `async func` and needs the async ABI: not provided here.
public enum SpinVariablesInterface {
    public static let interface = "fermyon:spin/variables@2.0.0"

    /// Adds the interface to `d`.
    public static func define(_ d: inout WASIP2Definitions) {
        d.function(interface, "get") { c, a in
            switch ComponentVariables.resolve(ComponentVariables.guest(c), try a.string(0)) {
            case .success(let v): .ok(.string(v))
            case .failure(let e): .err(e.value)
            }
        }
    }
}
