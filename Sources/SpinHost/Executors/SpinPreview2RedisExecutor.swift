import WasmComponents
import WasmCore

/// Runs one Redis message through a Spin 1.4–1.5 SDK module (wit-bindgen 0.8):
/// `fermyon:spin/inbound-redis#handle-message(payload) -> result<_, error>` through the
/// canonical ABI (docs/spin-1x.md#preview2-modules).
public enum SpinPreview2RedisExecutor {
    /// Calls the handler on an instance that is ready (already initialised).
    ///
    /// Throws `RedisHandlerError` when the guest returns `err(...)` or lacks the export, and
    /// whatever the call threw (a `Trap`).
    public static func handle(_ guest: GuestInstance, payload: [UInt8]) throws {
        let export = SpinPreview2ABI.handleMessage
        guard let handler = guest.instance.function(named: export) else {
            throw RedisHandlerError("the component does not export `\(export)` (is it a Redis component?)")
        }
        let abi = try guest.state.preview2Binding(store: guest.store, instance: guest.instance)
        let result = try abi.call(
            handler, SpinPreview2Types.handleMessage, [.bytes(payload)],
            postReturn: guest.instance.function(named: SpinPreview2ABI.postReturn(export)))
        switch result {
        case .ok?: return
        case .err(.enumeration(let code)?)?:
            let name = code == 0 ? "success" : code == 1 ? "error" : "unknown error \(code)"
            throw RedisHandlerError("the component returned an error (\(name))", guestErrorCode: UInt8(code))
        default:
            throw RedisHandlerError("`\(export)` returned a malformed result")
        }
    }
}
