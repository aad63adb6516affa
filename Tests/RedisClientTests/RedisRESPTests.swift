import TestSupport
import Testing

@testable import RedisClient

@Suite struct RedisRESPTests {
    func decodeAll(_ s: String) throws -> RESPValue {
        let bytes = Array(s.utf8)
        guard case .value(let v, let n) = try RESPDecoder.decode(bytes) else {
            Issue.record("needMore for \(s.debugDescription)")
            return .null
        }
        #expect(n == bytes.count)
        return v
    }

    @Test func decodesEveryType() throws {
        #expect(try decodeAll("+OK\r\n") == .simpleString("OK"))
        #expect(try decodeAll("-ERR wrong type\r\n") == .error("ERR wrong type"))
        #expect(try decodeAll(":0\r\n") == .integer(0))
        #expect(try decodeAll(":-42\r\n") == .integer(-42))
        #expect(try decodeAll(":9223372036854775807\r\n") == .integer(.max))
        #expect(try decodeAll(":-9223372036854775808\r\n") == .integer(.min))
        #expect(try decodeAll("$5\r\nhello\r\n") == .bulk("hello"))
        #expect(try decodeAll("$0\r\n\r\n") == .bulkString([]))
        #expect(try decodeAll("$-1\r\n") == .bulkString(nil))
        #expect(try decodeAll("*-1\r\n") == .array(nil))
        #expect(try decodeAll("*0\r\n") == .array([]))
        #expect(
            try decodeAll("*3\r\n:1\r\n$2\r\nab\r\n*2\r\n+x\r\n$-1\r\n")
                == .array([.integer(1), .bulk("ab"), .array([.simpleString("x"), .null])]))
    }

    @Test func bulkStringsAreBinarySafe() throws {
        let payload: [UInt8] = [0, 13, 10, 255, 36, 42, 13, 10]
        let encoded = RESPEncoder.encode(.bulkString(payload))
        #expect(try RESPDecoder.decode(encoded) == .value(.bulkString(payload), consumed: encoded.count))
    }

    @Test func reportsConsumedAndLeavesTheRest() throws {
        let bytes = Array("+OK\r\n:5\r\n".utf8)
        #expect(try RESPDecoder.decode(bytes) == .value(.simpleString("OK"), consumed: 5))
        #expect(try RESPDecoder.decode(bytes[5...]) == .value(.integer(5), consumed: 4))
    }

    @Test func encodesCommands() {
        #expect(RESPEncoder.command(["SET", "k", "v"]) == Array("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n".utf8))
        #expect(RESPEncoder.command([[UInt8]]()) == Array("*0\r\n".utf8))
        #expect(RESPEncoder.command([[], [0, 1]]) == Array("*2\r\n$0\r\n\r\n$2\r\n".utf8) + [0, 1, 13, 10])
    }

    static let samples: [RESPValue] = [
        .simpleString("OK"), .error("ERR x"), .integer(-7), .bulk("payload"), .bulkString([]), .null, .array(nil),
        .array([]),
        .array([.integer(1), .array([.bulk("a"), .null, .array([.simpleString("deep")])]), .bulkString([0, 13, 10])]),
    ]

    @Test(arguments: samples) func encodeDecodeRoundTrip(_ value: RESPValue) throws {
        let bytes = RESPEncoder.encode(value)
        #expect(try RESPDecoder.decode(bytes) == .value(value, consumed: bytes.count))
    }

    @Test(arguments: samples) func byteAtATime(_ value: RESPValue) throws {
        let bytes = RESPEncoder.encode(value)
        for n in 0..<bytes.count {
            #expect(try RESPDecoder.decode(Array(bytes[0..<n])) == .needMore, "prefix of \(n) bytes")
        }
        // Feed the way a connection does: append one byte at a time, decode after each.
        var buffer: [UInt8] = []
        var got: RESPValue? = nil
        for b in bytes {
            buffer.append(b)
            if case .value(let v, let consumed) = try RESPDecoder.decode(buffer) {
                #expect(consumed == buffer.count)
                got = v
            }
        }
        #expect(got == value)
    }

    @Test(arguments: [
        "?x\r\n", ":\r\n", ":12a\r\n", ":-\r\n", ":99999999999999999999\r\n", "+OK\rX", "+O\nK\r\n", "$-2\r\n",
        "$3\r\nabcde",
        "$3\r\nabc\n\n", "*-5\r\n", "*1\r\n!\r\n", "$x\r\n", "$ 3\r\nabc\r\n",
    ])
    func malformedRepliesThrow(_ text: String) {
        #expect(throws: RESPProtocolError.self) { try RESPDecoder.decode(Array(text.utf8)) }
    }

    @Test func limits() throws {
        #expect(throws: RESPProtocolError.self) { try RESPDecoder.decode(Array("$536870913\r\n".utf8)) }
        #expect(try RESPDecoder.decode(Array("$536870912\r\n".utf8)) == .needMore)
        var small = RESPDecoder()
        small.maxBulkLength = 4
        #expect(throws: RESPProtocolError.self) { try small.decode(Array("$5\r\nhello\r\n".utf8)) }
        small.maxArrayCount = 2
        #expect(throws: RESPProtocolError.self) { try small.decode(Array("*3\r\n".utf8)) }
        // Nesting depth: 32 levels are fine, 33 are not; 100 000 never recurse that deep.
        let ok = String(repeating: "*1\r\n", count: 31) + ":1\r\n"
        guard case .value = try RESPDecoder.decode(Array(ok.utf8)) else { Issue.record("depth 32 rejected"); return }
        let tooDeep = String(repeating: "*1\r\n", count: 32) + ":1\r\n"
        #expect(throws: RESPProtocolError.self) { try RESPDecoder.decode(Array(tooDeep.utf8)) }
        #expect(throws: RESPProtocolError.self) {
            try RESPDecoder.decode(Array(String(repeating: "*1\r\n", count: 100_000).utf8))
        }
        // A line that never ends is refused once it passes the line limit.
        #expect(throws: RESPProtocolError.self) {
            try RESPDecoder.decode(Array(("+" + String(repeating: "a", count: 70_000)).utf8))
        }
        // A huge declared array does not allocate up front.
        #expect(try RESPDecoder.decode(Array("*16000000\r\n".utf8)) == .needMore)
    }

    /// A stream of replies cut into random chunks, decoded the way a connection
    /// does (append what arrived, decode while values come out): same replies, in order.
    @Test func randomChunksOfAStream() throws {
        var rng = RedisFuzzRNG(seed: 42)
        for _ in 0..<200 {
            let values = (0..<(1 + Int(rng.next() % 6))).map { _ in
                Self.samples[Int(rng.next() % UInt64(Self.samples.count))]
            }
            let stream = values.flatMap { RESPEncoder.encode($0) }
            var buffer: [UInt8] = []
            var decoded: [RESPValue] = []
            var offset = 0
            while offset < stream.count {
                let n = min(stream.count - offset, 1 + Int(rng.next() % 12))
                buffer += stream[offset..<(offset + n)]
                offset += n
                while case .value(let v, let consumed) = try RESPDecoder.decode(buffer) {
                    decoded.append(v)
                    buffer.removeFirst(consumed)
                }
            }
            #expect(decoded == values)
            #expect(buffer.isEmpty)
        }
    }

    /// Random bytes, random mutations of valid replies and random truncations:
    /// the decoder must answer (value / needMore / error) without crashing, and
    /// a value never claims more bytes than it was given.
    @Test func fuzzNeverCrashes() {
        var rng = RedisFuzzRNG(seed: 0x5EED)
        let alphabet = Array("+-:$*\r\n0123456789-abc".utf8)
        let valid = Self.samples.map { RESPEncoder.encode($0) }
        for i in 0..<20_000 {
            var input: [UInt8]
            switch i % 3 {
            case 0:
                input = (0..<Int(rng.next() % 40)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            case 1:
                input = valid[Int(rng.next() % UInt64(valid.count))]
                for _ in 0..<(1 + Int(rng.next() % 3)) where !input.isEmpty {
                    input[Int(rng.next() % UInt64(input.count))] = UInt8(truncatingIfNeeded: rng.next())
                }
            default:
                input = (0..<Int(rng.next() % 64)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            }
            do {
                if case .value(_, let consumed) = try RESPDecoder.decode(input) {
                    #expect(consumed > 0 && consumed <= input.count)
                }
            } catch {}
        }
    }
}

struct RedisFuzzRNG {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct RedisAddressTests {
    @Test func parsesURLs() throws {
        let a = try RedisAddress(parsing: "redis://localhost")
        #expect(a == RedisAddress(host: "localhost", port: 6379))
        let b = try RedisAddress(parsing: "redis://user:p%40ss@127.0.0.1:6380/2")
        #expect(b == RedisAddress(host: "127.0.0.1", port: 6380, username: "user", password: "p@ss", database: 2))
        #expect(b.description == "redis://user:***@127.0.0.1:6380/2")
        let c = try RedisAddress(parsing: "redis://:secret@h:1/")
        #expect(c.username == nil && c.password == "secret" && c.database == 0)
        let d = try RedisAddress(parsing: "redis://[::1]:7000/3")
        #expect(d.host == "::1" && d.port == 7000 && d.database == 3)
    }

    @Test func refusesTLSClearly() {
        do {
            _ = try RedisAddress(parsing: "rediss://user:pw@example.com:6380")
            Issue.record("rediss accepted")
        } catch {
            #expect(error.description.contains("TLS (rediss://) is not supported"))
            #expect(!error.description.contains("pw"))
        }
    }

    @Test(arguments: [
        "localhost:6379", "http://x", "redis://", "redis://h:0", "redis://h:99999", "redis://h:x", "redis://h/x",
        "redis://[::1",
    ])
    func refusesBadAddresses(_ url: String) {
        #expect(throws: RedisError.self) { try RedisAddress(parsing: url) }
    }

    @Test func backoffDoublesUpToTheCap() {
        var b = Backoff(initial: 0.1, maximum: 5)
        let delays = (0..<10).map { _ in b.next() }
        #expect(delays[0] == 0.1 && delays[1] == 0.2 && delays[5] == 3.2 && delays[6] == 5 && delays[9] == 5)
    }
}
