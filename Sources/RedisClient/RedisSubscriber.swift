import Foundation
import Synchronization

/// Subscribes to channels on one Redis server and hands every message to a
/// callback, on the subscriber's own thread, one message at a time.
///
/// When the connection breaks (server restart, network error) it reconnects
/// with exponential backoff (capped at `backoff.maximum`), logging every
/// attempt, and subscribes again to the same channels. Messages published
/// while disconnected are lost, as with any Redis pub/sub client.
package final class RedisSubscriber: Sendable {
    package typealias MessageHandler = @Sendable (_ channel: String, _ payload: [UInt8]) -> Void

    package let address: RedisAddress
    package let channels: [String]
    private let onMessage: MessageHandler
    private let log: @Sendable (String) -> Void
    private let backoffSettings: Backoff
    private let timeout: Double

    private struct State {
        var stopping = false
        var running = false
        var finished = false
        /// Incremented each time all channels are confirmed subscribed.
        var subscriptions = 0
        var connection: RedisConnection?
    }
    private let state = Mutex(State())
    private let changed = NSCondition()

    /// - Parameters:
    ///   - backoff: reconnect delays (default 0.1 s doubling up to 5 s).
    ///   - timeout: connect timeout and the bound on waiting for subscribe confirmations.
    ///   - log: receives one line per (re)connect attempt and per problem.
    package init(
        address: RedisAddress, channels: [String], backoff: Backoff = Backoff(initial: 0.1, maximum: 5),
        timeout: Double = 5,
        log: @escaping @Sendable (String) -> Void = { RedisLog.standardError($0) },
        onMessage: @escaping MessageHandler
    ) {
        self.address = address
        self.channels = channels
        self.backoffSettings = backoff
        self.timeout = timeout
        self.log = log
        self.onMessage = onMessage
    }

    /// How many times the subscriber has (re)subscribed to all its channels.
    package var subscriptionCount: Int { state.withLock { $0.subscriptions } }

    /// Blocks until the subscriber has subscribed at least `count` times in total; false on timeout.
    package func waitUntilSubscribed(count: Int = 1, timeout: Double) -> Bool {
        let end = Date().addingTimeInterval(timeout)
        changed.lock()
        defer { changed.unlock() }
        while subscriptionCount < count {
            if !changed.wait(until: end) { return subscriptionCount >= count }
        }
        return true
    }

    /// Runs the subscription loop on a new thread.
    package func start() {
        let alreadyRunning = state.withLock { s -> Bool in
            if s.running { return true }
            s.running = true
            return false
        }
        if alreadyRunning { return }
        let thread = Thread { [self] in
            self.loop()
        }
        thread.name = "redis-subscriber \(address)"
        thread.start()
    }

    /// Asks the loop to end (it notices within a fraction of a second) and closes the connection.
    package func stop() {
        state.withLock { $0.stopping = true }
    }

    /// Blocks until the loop has ended after `stop()`; false on timeout.
    package func wait(timeout: Double = 10) -> Bool {
        let end = Date().addingTimeInterval(timeout)
        changed.lock()
        defer { changed.unlock() }
        while !state.withLock({ $0.finished || !$0.running }) {
            if !changed.wait(until: end) { return state.withLock { $0.finished || !$0.running } }
        }
        return true
    }

    private var stopping: Bool { state.withLock { $0.stopping } }

    private func signal() {
        changed.lock()
        changed.broadcast()
        changed.unlock()
    }

    /// The subscription loop; returns after `stop()`.
    package func run() {
        state.withLock { $0.running = true }
        loop()
    }

    private func loop() {
        defer {
            state.withLock {
                $0.finished = true
                $0.connection?.close()
                $0.connection = nil
            }
            signal()
        }
        var backoff = backoffSettings
        var attempt = 0
        var everConnected = false
        while !stopping {
            attempt += 1
            let connection = RedisConnection(unconnected: address, timeout: timeout)
            do {
                try connection.connect()
                try subscribe(connection)
            } catch {
                connection.close()
                if stopping { break }
                let delay = backoff.next()
                log(
                    "redis: \(everConnected ? "reconnecting" : "connecting") to \(address) failed (attempt \(attempt)): \(error); retrying in \(RedisConnection.format(delay)) s"
                )
                if !RedisConnection.sleep(delay, shouldStop: { self.stopping }) { break }
                continue
            }
            if everConnected {
                log(
                    "redis: reconnected to \(address) after \(attempt) attempt\(attempt == 1 ? "" : "s"); resubscribed to \(channels.joined(separator: ", "))"
                )
            }
            everConnected = true
            attempt = 0
            backoff.reset()
            state.withLock {
                $0.connection = connection
                $0.subscriptions += 1
            }
            signal()
            do {
                try receiveMessages(connection)
            } catch {
                connection.close()
                if stopping { break }
                log("redis: lost the subscription connection to \(address): \(error); reconnecting")
            }
            state.withLock { $0.connection = nil }
        }
    }

    /// SUBSCRIBE and wait for one confirmation per channel.
    private func subscribe(_ connection: RedisConnection) throws(RedisError) {
        guard !channels.isEmpty else { return }
        try connection.send([Array("SUBSCRIBE".utf8)] + channels.map { Array($0.utf8) })
        var pending = Set(channels)
        let deadline = RedisConnection.now() + timeout
        while !pending.isEmpty {
            let reply = try connection.readReply(deadline: deadline, shouldStop: { self.stopping })
            switch reply {
            case .array(let items?) where items.count == 3:
                if case .bulkString(let kind?) = items[0], kind == Array("subscribe".utf8),
                    case .bulkString(let ch?) = items[1]
                {
                    pending.remove(String(decoding: ch, as: UTF8.self))
                } else {
                    deliver(items)
                }
            case .error(let e):
                throw RedisError(.server, "SUBSCRIBE failed: \(e)")
            default:
                throw RedisError(.unexpectedReply, "unexpected reply to SUBSCRIBE: \(reply)")
            }
        }
    }

    private func receiveMessages(_ connection: RedisConnection) throws(RedisError) {
        while !stopping {
            let reply: RESPValue
            do {
                reply = try connection.readReply(deadline: nil, shouldStop: { self.stopping })
            } catch {
                if error.kind == .closed && stopping { return }
                throw error
            }
            guard case .array(let items?) = reply else {
                log("redis: ignoring unexpected push from \(address): \(reply)")
                continue
            }
            deliver(items)
        }
    }

    private func deliver(_ items: [RESPValue]) {
        guard items.count == 3, case .bulkString(let kind?) = items[0], kind == Array("message".utf8),
            case .bulkString(let channel?) = items[1], case .bulkString(let payload?) = items[2]
        else { return }
        onMessage(String(decoding: channel, as: UTF8.self), payload)
    }
}

/// Where the Redis code logs by default.
package enum RedisLog {
    package static func standardError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
