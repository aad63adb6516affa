import Foundation
import PostgresClient

/// PostgreSQL connections of one guest instance, by connection string exactly
/// as the guest wrote it (Spin keeps one per address per instance). Closed by
/// `closeAll()` when the instance ends (or when the cache goes away).
package final class PostgresConnectionCache: @unchecked Sendable {
    private let cache = ConnectionCache<PostgresConnection>()

    /// The instance's deadline (`Watchdog.now()` clock): no connection or statement waits past it.
    package var deadline: UInt64?

    package init() {}

    /// The connection for `address`, opened on first use. A string that does not
    /// parse, or a server that cannot be reached or refuses us, is `connection-failed`.
    package func connection(
        for address: String, isAllowed: (PostgresAddress) -> Bool = { _ in true }
    ) throws(DatabaseError) -> PostgresConnection {
        try cache.connection(for: address) { () throws(DatabaseError) -> PostgresConnection in
            let parsed: PostgresAddress
            do {
                parsed = try PostgresAddress(parsing: address)
            } catch {
                throw .connectionFailed("invalid connection string `\(PostgresAddress.redact(address))`: \(error)")
            }
            guard isAllowed(parsed) else {
                throw .connectionFailed(
                    "destination not allowed: postgres://\(parsed.endpoint) is not in allowed_outbound_hosts")
            }
            do throws(PostgresError) {
                return try PostgresConnection(address: parsed, deadline: deadline)
            } catch {
                throw DatabaseError(error)
            }
        }
    }

    package var count: Int { cache.count }

    package func closeAll() { cache.closeAll() }
}

extension PostgresConnection: ClosableConnection {}
