import WasmComponents
import WasmWASIP2

/// `fermyon:spin/key-value@2.0.0`: resource `store` (`open` by label, `get`, `set`, `delete`,
/// `exists`, `get-keys`) over the app's key-value stores (`ComponentKeyValue`), as Spin's
/// factor-key-value: a missing key is `ok(none)`; a back-end failure is `other(message)`.
///
/// WIT: spin-sdk 3.4.1 `spin_sdk/wit/key-value.wit`. `spin:key-value/key-value@3.0.0` (spin-sdk
/// 5.x) declares every function `async` (and `get-keys` returns a stream): it needs the async ABI
/// and is not provided here.
public enum SpinKeyValueInterface {
    public static let interface = "fermyon:spin/key-value@2.0.0"

    /// The `key-value::error` value (`store-table-full` 0, `no-such-store` 1, `access-denied` 2,
    /// `other(string)` 3).
    static func error(_ failure: ComponentKeyValue.OpenFailure) -> ComponentValue {
        switch failure {
        case .storeTableFull: .variant(case: 0, payload: nil)
        case .noSuchStore: .variant(case: 1, payload: nil)
        case .accessDenied: .variant(case: 2, payload: nil)
        case .unavailable(let m): .variant(case: 3, payload: .string(m))
        }
    }

    /// `ok(body())`, or `err(other(message))` when the back-end fails.
    static func result(_ body: () throws(KeyValueError) -> ComponentValue?) -> ComponentValue {
        do {
            return .ok(try body())
        } catch {
            return .err(.variant(case: 3, payload: .string(error.description)))
        }
    }

    /// Adds the interface to `d`.
    public static func define(_ d: inout WASIP2Definitions) {
        let i = interface
        ComponentKeyValue.defineSharedFunctions(
            &d, interface: i, resource: "store", open: "[static]store.open", error: error, result: result)
        d.function(i, "[method]store.get-keys") { c, a in
            let s = try ComponentKeyValue.store(c, a, 0)
            return result { () throws(KeyValueError) in .list(try s.backend.keys().map { .string($0) }) }
        }
    }
}
