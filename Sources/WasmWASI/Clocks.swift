#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `clock_res_get`, `clock_time_get`.
extension WASI {
    static func hostClock(_ id: UInt32) throws(Errno) -> clockid_t {
        switch ClockID(rawValue: id) {
        case .realtime: CLOCK_REALTIME
        case .monotonic: CLOCK_MONOTONIC
        case .processCPUTime: CLOCK_PROCESS_CPUTIME_ID
        case .threadCPUTime: CLOCK_THREAD_CPUTIME_ID
        case nil: throw .inval
        }
    }

    /// Resolution of clock `id` in nanoseconds.
    public func clockResGet(id: UInt32) throws(Errno) -> UInt64 {
        var ts = timespec()
        guard clock_getres(try WASI.hostClock(id), &ts) == 0 else { throw Errno.current }
        return max(nanoseconds(ts), 1)
    }

    /// Current time of clock `id` in nanoseconds. `precision` is a hint and is ignored.
    public func clockTimeGet(id: UInt32, precision: UInt64 = 0) throws(Errno) -> UInt64 {
        try WASI.now(WASI.hostClock(id))
    }

    static func now(_ clock: clockid_t) throws(Errno) -> UInt64 {
        var ts = timespec()
        guard clock_gettime(clock, &ts) == 0 else { throw Errno.current }
        return nanoseconds(ts)
    }
}
