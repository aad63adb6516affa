import WasmComponents
import WasmCore

/// `wasi:clocks` 0.2 (`monotonic-clock`, `wall-clock`) and `wasi:random` 0.2 (`random`,
/// `insecure`, `insecure-seed`).
///
/// WIT: `spin_sdk/wit/deps/clocks/*.wit`, `spin_sdk/wit/deps/random/*.wit` (0.2.0).
public enum WASIClocksRandom {
    public static let monotonicClock = "wasi:clocks/monotonic-clock@0.2.0"
    public static let wallClock = "wasi:clocks/wall-clock@0.2.0"
    public static let random = "wasi:random/random@0.2.0"
    public static let insecure = "wasi:random/insecure@0.2.0"
    public static let insecureSeed = "wasi:random/insecure-seed@0.2.0"

    /// The most bytes one `get-random-bytes` call returns (a larger request traps, as the
    /// caller could not have meant it: 64 MiB would not fit a 32-bit guest's spare memory).
    public static let maxRandomBytes: UInt64 = 64 << 20

    /// `len` cryptographically secure random bytes.
    public static func randomBytes(_ len: UInt64) throws -> [UInt8] {
        guard len <= maxRandomBytes else {
            throw Trap(.host("get-random-bytes: \(len) bytes is more than the \(maxRandomBytes) allowed"))
        }
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8](repeating: 0, count: Int(len))
        var i = 0
        while i < bytes.count {
            var word = generator.next()
            for _ in 0..<8 where i < bytes.count {
                bytes[i] = UInt8(truncatingIfNeeded: word)
                word >>= 8
                i += 1
            }
        }
        return bytes
    }

    static func datetime(_ seconds: UInt64, _ nanoseconds: UInt32) -> ComponentValue {
        .record([.u64(seconds), .u32(nanoseconds)])
    }

    static func define(_ d: inout WASIP2Definitions) {
        d.function(monotonicClock, "now") { _, _ in .u64(Clock.monotonicNow()) }
        d.function(monotonicClock, "resolution") { _, _ in .u64(1) }
        d.function(monotonicClock, "subscribe-instant") { c, a in
            c.own(HostPollable(.deadline(try a.u64(0))))
        }
        d.function(monotonicClock, "subscribe-duration") { c, a in
            let now = Clock.monotonicNow()
            return c.own(HostPollable(.deadline(now &+ min(try a.u64(0), UInt64.max - now))))
        }
        d.function(wallClock, "now") { _, _ in
            let (s, ns) = Clock.wallNow()
            return datetime(s, ns)
        }
        d.function(wallClock, "resolution") { _, _ in datetime(0, 1) }

        for interface in [random, insecure] {
            let prefix = interface == random ? "get-random" : "get-insecure-random"
            d.function(interface, "\(prefix)-bytes") { _, a in .bytes(try randomBytes(try a.u64(0))) }
            d.function(interface, "\(prefix)-u64") { _, _ in
                var g = SystemRandomNumberGenerator()
                return .u64(g.next())
            }
        }
        d.function(insecureSeed, "insecure-seed") { _, _ in
            var g = SystemRandomNumberGenerator()
            return .tuple([.u64(g.next()), .u64(g.next())])
        }
    }
}
