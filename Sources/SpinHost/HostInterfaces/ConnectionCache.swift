import Foundation

/// A connection a guest instance keeps open to an outside server.
protocol ClosableConnection: AnyObject {
    func close()
}

/// The connections of one guest instance by address, exactly as the guest wrote it
/// (Spin keeps one per address per instance), shared by the Redis and PostgreSQL
/// interfaces. `closeAll()` (or the cache going away) closes them.
final class ConnectionCache<Connection: ClosableConnection>: @unchecked Sendable {
    private let lock = NSLock()
    private var connections: [String: Connection] = [:]

    deinit { closeAll() }

    /// The connection for `address`; `open` makes it on first use (under the cache's lock,
    /// so two threads never open the same address twice).
    func connection<Failure: Error>(
        for address: String, open: () throws(Failure) -> Connection
    ) throws(Failure) -> Connection {
        lock.lock()
        defer { lock.unlock() }
        if let c = connections[address] { return c }
        let c = try open()
        connections[address] = c
        return c
    }

    var count: Int { lock.withLock { connections.count } }

    func closeAll() {
        let all = lock.withLock {
            let all = connections.values
            connections.removeAll()
            return all
        }
        for c in all { c.close() }
    }
}
