import Foundation
import RedisClient
import WasmCore

extension GuestState {
    /// This instance's Redis connections (by address), closed when the instance is closed.
    package var redisConnections: RedisConnectionCache {
        if let c = interfaceState[ObjectIdentifier(RedisConnectionCache.self)] as? RedisConnectionCache { return c }
        let c = RedisConnectionCache()
        c.deadline = deadline
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
