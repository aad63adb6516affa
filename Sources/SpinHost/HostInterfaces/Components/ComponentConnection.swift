import WasmWASIP2

/// How many connections one instance holds open through one interface family's `connection`
/// resources. Spin keeps them in a resource table of 1024 entries per instance
/// (`spin_resource_table::Table::new(1024)` in `factor-outbound-redis` and `factor-outbound-pg`);
/// opening one more is that interface's "too many connections" error.
final class ComponentConnectionSlots {
    /// Spin's table capacity.
    static let capacity = 1024
    private(set) var live = 0

    /// Takes a slot; false when all are taken.
    func take() -> Bool {
        guard live < Self.capacity else { return false }
        live += 1
        return true
    }

    func release() { live -= 1 }
}

/// The host object behind a `connection` resource handle (Redis or PostgreSQL): one client
/// connection of its own, closed when the guest drops the handle or the instance ends.
final class ComponentConnection<Connection: ClosableConnection>: HostResourceDropping, HostResourceClosing {
    let connection: Connection
    private let slots: ComponentConnectionSlots
    private var released = false

    init(_ connection: Connection, slots: ComponentConnectionSlots) {
        self.connection = connection
        self.slots = slots
    }

    func dropped(in context: WASIP2Context) throws { release() }

    func close(in context: WASIP2Context) { release() }

    private func release() {
        guard !released else { return }
        released = true
        connection.close()
        slots.release()
    }
}
