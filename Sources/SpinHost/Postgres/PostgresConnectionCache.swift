import Foundation

/// PostgreSQL connections of one guest instance, by connection string exactly
/// as the guest wrote it (Spin keeps one per address per instance). Closed by
/// `closeAll()` when the instance ends (or when the cache goes away).
public final class PostgresConnectionCache: @unchecked Sendable {
    private let lock = NSLock()
    private var connections: [String: PostgresConnection] = [:]

    public init() {}

    deinit { closeAll() }

    /// The connection for `address`, opened on first use. A string that does not
    /// parse, or a server that cannot be reached or refuses us, is `connection-failed`.
    public func connection(
        for address: String, isAllowed: (PostgresAddress) -> Bool = { _ in true }
    ) throws(DatabaseError) -> PostgresConnection {
        lock.lock()
        defer { lock.unlock() }
        if let c = connections[address] { return c }
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
        let c = try PostgresConnection(address: parsed)
        connections[address] = c
        return c
    }

    public var count: Int { lock.withLock { connections.count } }

    public func closeAll() {
        let all = lock.withLock {
            let all = connections.values
            connections.removeAll()
            return all
        }
        for c in all { c.close() }
    }
}
