import Foundation
import WasmCore

extension GuestState {
    /// This instance's Redis connections (by address), closed when the instance is closed.
    public var redisConnections: RedisConnectionCache {
        if let c = interfaceState[ObjectIdentifier(RedisConnectionCache.self)] as? RedisConnectionCache { return c }
        let c = RedisConnectionCache()
        interfaceState[ObjectIdentifier(RedisConnectionCache.self)] = c
        onClose.append { c.closeAll() }
        return c
    }
}

extension OutboundRedis {
    /// For `GuestHost`: the functions are linked once per component and use the
    /// calling instance's `GuestState.redisConnections`.
    public static func defineForGuestHost(into imports: inout Imports) {
        define(into: &imports) { caller in
            guard let state = caller.store.data as? GuestState else {
                throw GuestABIError("outbound-redis called from an instance without guest state")
            }
            return state.redisConnections
        }
    }
}

extension RedisTriggerRunner {
    /// A handler for `spin up`: each message runs on a fresh instance from `host`
    /// (WASI, host interfaces and per-instance state as for HTTP requests), closed
    /// afterwards. Errors and traps are logged; the next message is handled as usual.
    public static func handler(app: LoadedApp, host: GuestHost, log: @escaping @Sendable (String) -> Void) -> Handler {
        { componentID, payload in
            guard let component = app.components[componentID] else {
                log("redis: no component `\(componentID)`; message dropped")
                return
            }
            do {
                let guest = try host.instantiate(component)
                defer { guest.close() }
                try guest.enforcingLimits {
                    try guest.initializeIfNeeded()
                    try RedisExecutor.handle(store: guest.store, instance: guest.instance, payload: payload)
                }
            } catch let error as GuestLimitExceeded {
                log("redis: \(error); message (\(payload.count) bytes) dropped")
            } catch {
                log("redis: component `\(componentID)` failed to handle a message (\(payload.count) bytes): \(error)")
            }
        }
    }
}
