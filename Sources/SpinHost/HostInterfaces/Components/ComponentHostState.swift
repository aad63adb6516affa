import WasmComponents
import WasmWASIP2

/// Per-instance state of SpinHost's component interfaces, kept in `WASIP2Context.embedder`:
/// `wasi:http`'s state (where outbound requests may go, the response hook) and the Spin host
/// features' `GuestContext` (variables, key-value, PostgreSQL, ...) over the app's
/// `AppServices`. Executors make one per instance and drop it with the instance.
public final class ComponentHostState {
    /// `wasi:http`: allowed outbound hosts, limits, the response hook.
    public let http: WASIHTTPState
    /// The Spin host features of this instance; nil when the host runs without app services
    /// (then every Spin interface answers with its error value saying so).
    package let guest: GuestContext?
    /// State of individual interfaces, by type (open stores, connections, ...).
    private var interfaceState: [ObjectIdentifier: AnyObject] = [:]
    /// Called once when the instance is done.
    private var onClose: [() -> Void] = []

    package init(http: WASIHTTPState, guest: GuestContext?) {
        self.http = http
        self.guest = guest
    }

    /// The state object of interface type `T`, made by `make` on first use.
    package func state<T: AnyObject>(_ type: T.Type, make: () -> T) -> T {
        if let s = interfaceState[ObjectIdentifier(type)] as? T { return s }
        let s = make()
        interfaceState[ObjectIdentifier(type)] = s
        return s
    }

    /// Runs `body` when the instance is closed.
    package func whenClosed(_ body: @escaping () -> Void) { onClose.append(body) }

    /// Releases what the instance holds (database connections, ...).
    package func close() {
        let pending = onClose
        onClose = []
        for f in pending { f() }
        guest?.close()
    }

    /// The state of the instance that made a host call, when it runs under SpinHost.
    package static func of(_ context: WASIP2Context) -> ComponentHostState? {
        context.embedder as? ComponentHostState
    }
}
