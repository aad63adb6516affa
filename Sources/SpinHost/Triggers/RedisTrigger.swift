import Foundation
import RedisClient
import WasmCore

/// The Redis trigger of an app: one subscriber per Redis address, each
/// subscribed once to every channel that some component listens on there.
///
/// v1 manifests: the app-level `trigger.address` and each component's
/// `trigger.channel`; two components on one channel: the last one in the manifest
/// wins (Spin 1.x's map). v2: `[[trigger.redis]]` with an optional per-trigger
/// `address` (else `[application.trigger.redis] address`), the address and channel
/// being templates over the app's variables (`{{ redis_url }}`); every trigger on a
/// channel runs for each of its messages, concurrently (Spin 2 and 3 `join_all` them).
///
/// Messages are handled one at a time per address (as Spin's listener awaits each),
/// on the subscriber's thread, by the caller's handler; what the handler does with
/// errors is its business (`handler(modules:imports:log:)` logs them and goes on, as
/// Spin does).
///
/// (Named `RedisTriggerRunner` because `RedisTrigger` is the manifest's trigger record.)
public final class RedisTriggerRunner: Sendable {
    public typealias Handler = @Sendable (_ componentID: String, _ payload: [UInt8]) -> Void

    /// One Redis server and what listens on it.
    package struct Subscription: Hashable, Sendable {
        package var address: RedisAddress
        /// The address as written in the manifest (for messages).
        package var addressText: String
        /// Channel -> the ids of the components that handle its messages, in manifest order.
        package var components: [String: [String]]
        /// Channels in first-seen manifest order.
        package var channels: [String]
    }

    package let subscriptions: [Subscription]
    private let subscribers: [RedisSubscriber]
    private let log: @Sendable (String) -> Void

    /// Works out the subscriptions of `manifest` (throws on a missing, invalid or `rediss://`
    /// address, or a v2 template that `variables` cannot expand).
    /// - Parameter variables: expands v2 addresses and channels (nil: taken as written).
    package static func subscriptions(
        for manifest: AppManifest, variables: VariableResolver? = nil
    ) throws(RedisError) -> [Subscription] {
        var order: [RedisAddress] = []
        var byAddress: [RedisAddress: Subscription] = [:]
        for trigger in manifest.redisTriggers {
            let what = "Redis trigger `\(trigger.id)` (component `\(trigger.componentID)`)"
            guard var text = manifest.redisAddress(for: trigger) else {
                throw RedisError(.invalidAddress, "\(what) has no address and the app sets none")
            }
            var channel = trigger.channel
            if manifest.schemaVersion == .v2, let variables {
                do throws(VariablesError) {
                    text = try variables.expand(text)
                } catch {
                    throw RedisError(.invalidAddress, "\(what): address `\(text)`: \(error)")
                }
                do throws(VariablesError) {
                    channel = try variables.expand(channel)
                } catch {
                    throw RedisError(.invalidAddress, "\(what): channel `\(channel)`: \(error)")
                }
            }
            let address: RedisAddress
            do {
                address = try RedisAddress(parsing: text)
            } catch {
                throw RedisError(.invalidAddress, "\(what): \(error.message)")
            }
            if byAddress[address] == nil {
                order.append(address)
                byAddress[address] = Subscription(address: address, addressText: text, components: [:], channels: [])
            }
            if byAddress[address]!.components[channel] == nil {
                byAddress[address]!.channels.append(channel)
            }
            if manifest.schemaVersion == .v2 {
                byAddress[address]!.components[channel, default: []].append(trigger.componentID)
            } else {
                byAddress[address]!.components[channel] = [trigger.componentID]
            }
        }
        return order.map { byAddress[$0]! }
    }

    /// Works out the subscriptions of `manifest` (throws on a missing, invalid or `rediss://`
    /// address); subscribers reconnect after 0.1 s, doubling up to 5 s.
    /// - Parameters:
    ///   - log: startup, reconnect and error lines.
    ///   - handler: called for each message with the component listening on its channel.
    ///   - services: the app's services, whose variables expand v2 addresses and channels
    ///     written as templates.
    public convenience init(
        manifest: AppManifest, services: AppServices? = nil, log: @escaping @Sendable (String) -> Void,
        handler: @escaping Handler
    ) throws(RedisError) {
        try self.init(
            manifest: manifest, variables: services?.variables, backoff: Backoff(initial: 0.1, maximum: 5), log: log,
            handler: handler)
    }

    /// - Parameters:
    ///   - backoff: reconnect delays of the subscribers.
    ///   - log: startup, reconnect and error lines.
    ///   - handler: called for each message with the component listening on its channel.
    package init(
        manifest: AppManifest, variables: VariableResolver? = nil, backoff: Backoff,
        log: @escaping @Sendable (String) -> Void = { RedisLog.standardError($0) }, handler: @escaping Handler
    ) throws(RedisError) {
        let subscriptions = try Self.subscriptions(for: manifest, variables: variables)
        self.subscriptions = subscriptions
        self.log = log
        self.subscribers = subscriptions.map { sub in
            let components = sub.components
            return RedisSubscriber(address: sub.address, channels: sub.channels, backoff: backoff, log: log) {
                channel, payload in
                guard let ids = components[channel] else { return }
                if ids.count == 1 {
                    handler(ids[0], payload)
                } else {
                    // Every component on the channel, concurrently; the next message waits for all.
                    DispatchQueue.concurrentPerform(iterations: ids.count) { handler(ids[$0], payload) }
                }
            }
        }
    }

    /// Starts one subscriber thread per address.
    public func start() {
        for (sub, s) in zip(subscriptions, subscribers) {
            log(
                "Serving Redis \(sub.address): "
                    + sub.channels.map { channel in
                        let ids = sub.components[channel]!.map { "`\($0)`" }.joined(separator: ", ")
                        return "channel `\(channel)` -> component\(sub.components[channel]!.count > 1 ? "s" : "") \(ids)"
                    }.joined(separator: ", "))
            s.start()
        }
    }

    /// True once every subscriber has subscribed (at least once).
    public func waitUntilSubscribed(timeout: Double) -> Bool {
        let end = Date().addingTimeInterval(timeout)
        return subscribers.allSatisfy { $0.waitUntilSubscribed(timeout: max(0, end.timeIntervalSinceNow)) }
    }

    public func stop() {
        subscribers.forEach { $0.stop() }
    }

    /// Blocks until every subscriber has ended after `stop()`.
    public func wait(timeout: Double = 10) -> Bool {
        subscribers.allSatisfy { $0.wait(timeout: timeout) }
    }

    /// A handler that runs each message through `RedisExecutor` on a fresh instance of the
    /// component's module, with `imports(componentID, connections)` plus `outbound-redis`
    /// on a per-message connection cache (closed afterwards). Errors and traps are
    /// logged; the next message is handled as usual.
    package static func handler(
        modules: [String: Module],
        imports: @escaping @Sendable (_ componentID: String, _ connections: RedisConnectionCache) throws -> Imports = {
            _, _ in Imports()
        },
        log: @escaping @Sendable (String) -> Void = { RedisLog.standardError($0) }
    ) -> Handler {
        { componentID, payload in
            guard let module = modules[componentID] else {
                log("redis: no module for component `\(componentID)`; message dropped")
                return
            }
            let connections = RedisConnectionCache(log: log)
            defer { connections.closeAll() }
            do {
                var all = try imports(componentID, connections)
                OutboundRedis.define(into: &all, connections: connections)
                try RedisExecutor.handle(module: module, imports: all, payload: payload)
            } catch {
                log("redis: component `\(componentID)` failed to handle a message (\(payload.count) bytes): \(error)")
            }
        }
    }
}

extension RedisTriggerRunner {
    /// A handler for `spin up`: each message runs on a fresh instance from `host`
    /// (WASI, host interfaces and per-instance state as for HTTP requests), closed
    /// afterwards — a component binary through `ComponentRedisExecutor`, a Spin 1.x module
    /// through `RedisExecutor`. Errors and traps are logged; the next message is handled as usual.
    public static func handler(app: LoadedApp, host: GuestHost, log: @escaping @Sendable (String) -> Void) -> Handler {
        { componentID, payload in
            if let component = app.redisComponents[componentID] {
                do {
                    try ComponentRedisExecutor.handle(component, host: host, payload: payload)
                } catch let error as GuestLimitExceeded {
                    log("redis: \(error); message (\(payload.count) bytes) dropped")
                } catch {
                    log(
                        "redis: component `\(componentID)` failed to handle a message (\(payload.count) bytes): \(error)")
                }
                return
            }
            guard let component = app.components[componentID] else {
                log("redis: no component `\(componentID)`; message dropped")
                return
            }
            do {
                let guest = try host.instantiate(component)
                defer { guest.close() }
                try guest.enforcingLimits {
                    try guest.initializeIfNeeded()
                    if component.moduleABI == .preview2 {
                        try SpinPreview2RedisExecutor.handle(guest, payload: payload)
                    } else {
                        try RedisExecutor.handle(store: guest.store, instance: guest.instance, payload: payload)
                    }
                }
            } catch let error as GuestLimitExceeded {
                log("redis: \(error); message (\(payload.count) bytes) dropped")
            } catch {
                log("redis: component `\(componentID)` failed to handle a message (\(payload.count) bytes): \(error)")
            }
        }
    }
}
