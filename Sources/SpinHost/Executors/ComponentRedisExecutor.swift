import WasmComponents
import WasmCore

/// The Redis executor for components: runs a message on a fresh instance of a component that
/// exports Spin's `fermyon:spin/inbound-redis` (see `InboundRedisExport`) — calls
/// `handle-message(payload)` and reads its `result<_, error>`. The instance gets what an HTTP
/// request's does (`ComponentGuestInstance`): WASI, the limits, the output budget and the Spin
/// host features over `host.services`.
public enum ComponentRedisExecutor {
    /// Runs one message.
    ///
    /// - Throws: `RedisHandlerError` when the guest returned `err(...)` (its `guestErrorCode` is
    ///   the `error` enum's case: 0 `success`, 1 `error`) or lacks the export; `Trap`,
    ///   `GuestLimitExceeded` or `WASIExit` when it failed.
    public static func handle(
        _ component: LoadedWasmComponent, host: GuestHost, payload: [UInt8],
        outboundHTTP: OutboundHTTPSettings = OutboundHTTPSettings()
    ) throws {
        guard case .redis(let interface) = component.world else {
            throw RedisHandlerError("component `\(component.id)` is not a Redis handler (it serves \(component.world))")
        }
        let guest = try ComponentGuestInstance(component, host: host, origin: nil, outboundHTTP: outboundHTTP)
        defer { guest.close() }
        guard let handler = guest.instance.function(interface: interface, name: InboundRedisExport.function) else {
            throw RedisHandlerError("no `\(InboundRedisExport.function)` function in the export `\(interface)`")
        }
        let result = try guest.enforcingLimits { try handler.call([.bytes(payload)]) }
        switch result {
        case .ok?:
            return
        case .err(let error)?:
            let name = describe(error, of: handler)
            var code: UInt8?
            if case .enumeration(let c)? = error, let c8 = UInt8(exactly: c) { code = c8 }
            throw RedisHandlerError("the component returned an error (\(name))", guestErrorCode: code)
        default:
            throw RedisHandlerError(
                "`\(interface)#\(InboundRedisExport.function)` returned \(result.map { "\($0)" } ?? "nothing") instead of a result"
            )
        }
    }

    /// The error value in words: the enum case's or variant case's name (Spin's `error` enum:
    /// `success`, `error`), with a variant's payload.
    static func describe(_ error: ComponentValue?, of handler: ComponentFunction) -> String {
        guard let error else { return "no value" }
        let types = handler.types
        guard case .defined(let r)? = handler.type.result, case .result(_, let e?)? = types.defined(r),
            case .defined(let d) = e
        else { return "\(error)" }
        switch (types.defined(d), error) {
        case (.enum(let names)?, .enumeration(let i)) where names.indices.contains(i):
            return names[i]
        case (.variant(let cases)?, .variant(let i, let payload)) where cases.indices.contains(i):
            return cases[i].label + (payload.map { ": \(Self.text($0))" } ?? "")
        default:
            return "\(error)"
        }
    }

    private static func text(_ v: ComponentValue) -> String {
        if case .string(let s) = v { return s }
        return "\(v)"
    }
}
