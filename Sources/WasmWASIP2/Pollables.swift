#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import WasmCore

/// A `pollable` resource of `wasi:io/poll`: ready now, or at a monotonic instant. (Host
/// operations here complete synchronously, so everything but a clock is ready at once.)
public final class HostPollable {
    public enum Kind {
        case ready
        /// `CLOCK_MONOTONIC` nanoseconds.
        case deadline(UInt64)
    }

    public let kind: Kind
    public init(_ kind: Kind) { self.kind = kind }

    public var isReady: Bool {
        switch kind {
        case .ready: return true
        case .deadline(let t): return Clock.monotonicNow() >= t
        }
    }

    /// Blocks until one of `pollables` is ready; returns the indices of those that are.
    /// Waits never pass `limit` (the instance's deadline): that is `Trap(.interrupted)`.
    public static func poll(_ pollables: [HostPollable], limit: UInt64?) throws -> [UInt32] {
        if pollables.isEmpty { throw Trap(.host("wasi:io/poll.poll: the list of pollables is empty")) }
        while true {
            var ready: [UInt32] = []
            var earliest = UInt64.max
            for (i, p) in pollables.enumerated() {
                switch p.kind {
                case .ready: ready.append(UInt32(i))
                case .deadline(let t):
                    if Clock.monotonicNow() >= t { ready.append(UInt32(i)) } else { earliest = min(earliest, t) }
                }
            }
            if !ready.isEmpty { return ready }
            let now = Clock.monotonicNow()
            if let limit, earliest > limit {
                Clock.sleep(until: limit)
                throw Trap(.interrupted)
            }
            if earliest > now { Clock.sleep(until: earliest) }
        }
    }
}

/// The host clocks.
public enum Clock {
    /// `CLOCK_MONOTONIC`, in nanoseconds.
    public static func monotonicNow() -> UInt64 { read(CLOCK_MONOTONIC) }

    /// `CLOCK_REALTIME`: seconds and nanoseconds since the Unix epoch.
    public static func wallNow() -> (seconds: UInt64, nanoseconds: UInt32) {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return (UInt64(clamping: ts.tv_sec), UInt32(clamping: ts.tv_nsec))
    }

    static func read(_ id: clockid_t) -> UInt64 {
        var ts = timespec()
        clock_gettime(id, &ts)
        return UInt64(clamping: ts.tv_sec) &* 1_000_000_000 &+ UInt64(clamping: ts.tv_nsec)
    }

    /// Sleeps until monotonic instant `t` (nanoseconds).
    static func sleep(until t: UInt64) {
        while true {
            let now = monotonicNow()
            if now >= t { return }
            let wait = t - now
            var ts = timespec(tv_sec: Int(wait / 1_000_000_000), tv_nsec: Int(wait % 1_000_000_000))
            _ = nanosleep(&ts, nil)
        }
    }
}
