import Foundation
import Synchronization
import TestSupport
import Testing

@testable import RedisClient

@Suite(.tags(.live), .enabled(if: RedisTestServer.available, RedisTestServer.skipMessage))
struct RedisConnectionTests {
    /// Every reply type, and the commands the outbound-redis imports use.
    @Test func commandRoundTrips() throws {
        let server = try RedisTestServer()
        let c = try RedisConnection(url: server.url)
        #expect(try c.command(["PING"]) == .simpleString("PONG"))
        #expect(try c.command(["SET", "k", "v"]) == .simpleString("OK"))
        #expect(try c.command(["GET", "k"]) == .bulk("v"))
        #expect(try c.command(["GET", "missing"]) == .null)
        let binary: [UInt8] = [0, 13, 10, 255, 0x24]
        #expect(try c.command([Array("SET".utf8), Array("bin".utf8), binary]) == .simpleString("OK"))
        #expect(try c.command(["GET", "bin"]) == .bulkString(binary))
        #expect(try c.command(["SET", "empty", ""]) == .simpleString("OK"))
        #expect(try c.command(["GET", "empty"]) == .bulkString([]))
        #expect(try c.command(["INCR", "n"]) == .integer(1))
        #expect(try c.command(["INCRBY", "n", "-5"]) == .integer(-4))
        #expect(try c.command(["SADD", "s", "a", "b", "a"]) == .integer(2))
        guard case .array(let members?) = try c.command(["SMEMBERS", "s"]) else { Issue.record("SMEMBERS"); return }
        #expect(Set(members) == [.bulk("a"), .bulk("b")])
        #expect(try c.command(["SREM", "s", "a", "zz"]) == .integer(1))
        #expect(try c.command(["DEL", "k", "n", "nothing"]) == .integer(2))
        #expect(try c.command(["PUBLISH", "nobody", "x"]) == .integer(0))
        #expect(try c.command(["RPUSH", "l", "1", "2"]) == .integer(2))
        #expect(try c.command(["LRANGE", "l", "0", "-1"]) == .array([.bulk("1"), .bulk("2")]))
        #expect(try c.command(["BLPOP", "nolist", "0.01"]) == .array(nil))
        if case .error(let e) = try c.command(["INCR", "s"]) {
            #expect(e.hasPrefix("WRONGTYPE"))
        } else {
            Issue.record("no error reply")
        }
        #expect(throws: RedisError.self) { try c.call(["NOSUCHCOMMAND"]) }
        // The connection is still usable after error replies.
        #expect(try c.command(["ECHO", "still here"]) == .bulk("still here"))
        // A large value crosses many reads.
        let big = [UInt8](repeating: 0x61, count: 3 * 1024 * 1024 + 7)
        #expect(try c.command([Array("SET".utf8), Array("big".utf8), big]) == .simpleString("OK"))
        #expect(try c.command(["GET", "big"]) == .bulkString(big))
        c.close()
    }

    @Test func authAndSelect() throws {
        let server = try RedisTestServer(extraArguments: ["--requirepass", "s3cret"])
        #expect(throws: RedisError.self) { _ = try RedisConnection(url: "redis://:wrong@127.0.0.1:\(server.port)") }
        let c = try RedisConnection(url: "redis://:s3cret@127.0.0.1:\(server.port)/3")
        #expect(try c.command(["SET", "where", "db3"]) == .simpleString("OK"))
        let d = try RedisConnection(url: "redis://default:s3cret@127.0.0.1:\(server.port)")
        #expect(try d.command(["GET", "where"]) == .null)
        #expect(try d.command(["SELECT", "3"]) == .simpleString("OK"))
        #expect(try d.command(["GET", "where"]) == .bulk("db3"))
        // Without a password the server refuses commands.
        let e = try RedisConnection(url: server.url)
        guard case .error(let message) = try e.command(["GET", "where"]) else { Issue.record("no NOAUTH"); return }
        #expect(message.hasPrefix("NOAUTH"))
    }

    /// A deadline (a guest instance's) bounds the reply wait below `timeout`, and a deadline
    /// already passed stops connecting; with none, the same command waits for its reply.
    @Test func theDeadlineCutsWaitsShort() throws {
        let server = try RedisTestServer()
        let c = try RedisConnection(url: server.url, timeout: 10)
        func nanoseconds(in seconds: Double) -> UInt64 {
            var ts = timespec()
            clock_gettime(CLOCK_MONOTONIC, &ts)
            return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec) + UInt64(seconds * 1e9)
        }
        c.deadline = nanoseconds(in: 0.3)
        let start = Date()
        do {
            _ = try c.command(["BLPOP", "nothing-here", "5"])  // the server holds the reply for 5 s
            Issue.record("BLPOP answered before the deadline")
        } catch {
            #expect(error.kind == .timeout)
            #expect(error.message.contains("before the deadline"), "\(error)")
        }
        let waited = Date().timeIntervalSince(start)
        #expect(waited >= 0.25 && waited < 3, "waited \(waited) s")
        // Past the deadline nothing is tried: not even a connection.
        do {
            _ = try RedisConnection(address: try RedisAddress(parsing: server.url), timeout: 10, deadline: nanoseconds(in: 0) - 1)
            Issue.record("connected after the deadline")
        } catch {
            #expect(error.kind == .timeout && error.message.contains("deadline"), "\(error)")
        }
        // Without one, the connection reconnects and the server's own timeout answers.
        c.deadline = nil
        #expect(try c.command(["BLPOP", "nothing-here", "0.2"]) == .array(nil))
    }

    @Test func connectionRefusedIsAnIOError() throws {
        let port = try freePort()
        do {
            _ = try RedisConnection(url: "redis://127.0.0.1:\(port)", timeout: 1)
            Issue.record("connected to a closed port")
        } catch {
            #expect(error.kind == .io)
            #expect(error.message.contains("\(port)"))
        }
    }

    @Test func reconnectsAfterServerRestart() throws {
        let server = try RedisTestServer()
        let log = LogCollector()
        let c = try RedisConnection(url: server.url)
        c.log = log.sink
        #expect(try c.command(["SET", "a", "1"]) == .simpleString("OK"))
        try server.restart()
        // The dead socket is noticed before sending; the command runs on a new connection.
        #expect(try c.command(["INCR", "counter"]) == .integer(1))
        #expect(try c.command(["GET", "a"]) == .null)  // --save '': the restart lost the data
        #expect(log.lines.contains { $0.contains("reconnecting") })
    }

    @Test func reconnectGivesUpAfterTheAttemptsWithBackoff() throws {
        let server = try RedisTestServer()
        let log = LogCollector()
        let c = try RedisConnection(url: server.url)
        c.log = log.sink
        c.reconnectAttempts = 3
        c.backoff = Backoff(initial: 0.05, maximum: 0.1)
        server.stop()
        let start = Date()
        #expect(throws: RedisError.self) { try c.command(["PING"]) }
        #expect(Date().timeIntervalSince(start) >= 0.14)  // waited 0.05 + 0.1 between the three attempts
        #expect(log.lines.filter { $0.contains("attempt") }.count == 2)
    }

    @Test func subscriberDeliversAndResubscribesAfterRestart() throws {
        let server = try RedisTestServer()
        let log = LogCollector()
        let received = Mutex<[(String, [UInt8])]>([])
        let sub = RedisSubscriber(
            address: server.address, channels: ["one", "two"], backoff: Backoff(initial: 0.05, maximum: 0.5),
            log: log.sink
        ) { channel, payload in
            received.withLock { $0.append((channel, payload)) }
        }
        sub.start()
        defer {
            sub.stop()
            _ = sub.wait()
        }
        #expect(sub.waitUntilSubscribed(timeout: 10))
        let pub = try server.client()
        #expect(try pub.command(["PUBLISH", "one", "hello"]) == .integer(1))
        #expect(try pub.command([Array("PUBLISH".utf8), Array("two".utf8), [0, 255, 13, 10]]) == .integer(1))
        #expect(try pub.command(["PUBLISH", "three", "nobody"]) == .integer(0))
        #expect(eventually { received.withLock { $0.count } == 2 })
        received.withLock {
            #expect($0.map(\.0) == ["one", "two"])
            #expect($0.map(\.1) == [Array("hello".utf8), [0, 255, 13, 10]])
        }

        // Stop the server for a while: the subscriber keeps trying, logging every attempt.
        server.stop()
        #expect(eventually { log.lines.filter { $0.contains("attempt") }.count >= 2 })
        try server.start()
        #expect(sub.waitUntilSubscribed(count: 2, timeout: 15))
        #expect(log.lines.contains { $0.contains("reconnected") })
        let pub2 = try server.client()
        #expect(try pub2.command(["PUBLISH", "two", "after restart"]) == .integer(1))
        #expect(eventually { received.withLock { $0.count } == 3 })
        received.withLock { #expect($0.last?.1 == Array("after restart".utf8)) }
    }

    @Test func subscriberStopsPromptly() throws {
        let server = try RedisTestServer()
        let sub = RedisSubscriber(address: server.address, channels: ["c"], log: { _ in }) { _, _ in }
        sub.start()
        #expect(sub.waitUntilSubscribed(timeout: 10))
        let start = Date()
        sub.stop()
        #expect(sub.wait(timeout: 5))
        #expect(Date().timeIntervalSince(start) < 2)
    }
}
