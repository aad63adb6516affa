import Foundation
import WasmComponents
import WasmCore
import WasmWASI
import WasmWASIP2

/// A fresh instance of a component for one request or message, with everything the host keeps
/// per instance: WASI (the component's environment and preopens; stdout and stderr into the
/// component's log through the `max_output` budget), a store under the host's engine limits,
/// the watchdog armed for the `timeout` limit, and `ComponentHostState` (`wasi:http`'s state and
/// the Spin `GuestContext` over `host.services`). Shared by `ComponentHTTPExecutor` and
/// `ComponentRedisExecutor`; `close()` releases it all (call it once, when done).
final class ComponentGuestInstance {
    let store: Store
    let context: WASIP2Context
    let hostState: ComponentHostState
    let instance: ComponentInstance
    /// When the `timeout` limit runs out (`Watchdog.now()` nanoseconds), if there is one.
    let deadline: UInt64?
    private let host: GuestHost
    private let componentID: String
    private let ticket: Int?

    /// Sets up the per-instance state and instantiates `component` under the limits.
    /// - Parameters:
    ///   - origin: `scheme://authority` of the incoming request (nil for a Redis message).
    ///   - outboundHTTP: limits of the instance's outbound `wasi:http` requests.
    init(
        _ component: LoadedWasmComponent, host: GuestHost, origin: String?,
        outboundHTTP: OutboundHTTPSettings = OutboundHTTPSettings()
    ) throws {
        let id = component.id
        let maxOutput = host.limits.maxOutputBytes
        let log = host.log
        let budget = OutputBudget(limit: maxOutput) {
            log("component `\(id)` wrote more than \(maxOutput) bytes to stdout/stderr; the rest is dropped (max_output)")
        }
        let wasi = try WASI(
            configuration: WASIConfiguration(
                args: [id], environment: component.environment, preopens: component.preopens, stdin: .bytes([]),
                stdout: budget.capping(host.output.sink(component: id, stream: .stdout)),
                stderr: budget.capping(host.output.sink(component: id, stream: .stderr))))
        let store = Store(configuration: host.limits.engineConfiguration)
        let context = WASIP2Context(wasi: wasi)
        var deadline: UInt64?
        var ticket: Int?
        if let timeout = host.limits.timeout {
            let d = Watchdog.now() &+ min(Watchdog.nanoseconds(timeout), UInt64.max / 2)
            wasi.blockingDeadline = d
            deadline = d
            ticket = host.watchdog.arm(store.interruptHandle, deadline: d)
        }
        let http = WASIHTTPState(
            allowedHosts: component.allowedHosts, settings: outboundHTTP, origin: origin, deadline: deadline)
        let guest = host.services.map { services in
            let g = GuestContext(component: component.component, services: services, incomingOrigin: origin)
            g.deadline = deadline
            return g
        }
        let hostState = ComponentHostState(http: http, guest: guest)
        context.embedder = hostState
        store.data = context
        do {
            instance = try Self.enforcingLimits(store: store, host: host, component: id) {
                try component.linked.instantiate(in: store)
            }
        } catch {
            Self.release(hostState: hostState, host: host, ticket: ticket, context: context)
            throw error
        }
        self.store = store
        self.context = context
        self.hostState = hostState
        self.deadline = deadline
        self.host = host
        self.componentID = id
        self.ticket = ticket
    }

    /// Runs `body` (a call into the instance), turning an interrupt by the watchdog into
    /// `GuestLimitExceeded(.timeout)`.
    func enforcingLimits<T>(_ body: () throws -> T) throws -> T {
        try Self.enforcingLimits(store: store, host: host, component: componentID, body)
    }

    /// Releases the instance's state (connections, open stores), disarms the watchdog and
    /// closes WASI.
    func close() {
        Self.release(hostState: hostState, host: host, ticket: ticket, context: context)
    }

    private static func enforcingLimits<T>(
        store: Store, host: GuestHost, component id: String, _ body: () throws -> T
    ) throws -> T {
        do {
            return try body()
        } catch {
            if let timeout = host.limits.timeout,
                store.interruptHandle.isInterrupted || (error as? Trap)?.reason == .interrupted
            {
                throw GuestLimitExceeded(component: id, limit: .timeout(timeout))
            }
            throw error
        }
    }

    private static func release(hostState: ComponentHostState, host: GuestHost, ticket: Int?, context: WASIP2Context) {
        hostState.close()
        if let ticket { host.watchdog.disarm(ticket) }
        context.close()
    }
}
