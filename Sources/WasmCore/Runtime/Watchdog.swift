#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Interrupts guests whose deadline has passed.
///
/// One thread scans a table of armed deadlines every `interval` and calls
/// `InterruptHandle.interrupt()` on each that has expired; the guest then traps
/// with `TrapReason.interrupted` at its next loop back-edge or call. Arming and
/// disarming take a lock for a few stores into preallocated slots (no allocation
/// unless more guests run at once than ever before); the thread sleeps while
/// nothing is armed. It is a thread of its own, not a Dispatch timer: Dispatch's
/// few pool threads may all be busy running the very guests it must stop.
public final class Watchdog: @unchecked Sendable {
    struct Slot {
        /// CLOCK_MONOTONIC nanoseconds; 0 = free.
        var deadline: UInt64 = 0
        var handle: InterruptHandle?
        var fired = false
    }

    /// How often armed deadlines are checked: the most a deadline may be overrun by
    /// (plus the guest's time to its next back-edge or call).
    public let interval: Duration
    /// Guards everything below; `wake` is signalled when the first deadline is armed. (The state is
    /// changed on every request's arm and disarm under `mutex`: its exclusivity is not checked at run time.)
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let wake: UnsafeMutablePointer<pthread_cond_t>
    @exclusivity(unchecked) private var slots: [Slot]
    @exclusivity(unchecked) private var free: [Int]
    @exclusivity(unchecked) private var armed = 0
    @exclusivity(unchecked) private var threadStarted = false

    /// The process's watchdog (what `spin up` and the fuzz targets use unless given another).
    public static let shared = Watchdog()

    public init(interval: Duration = .milliseconds(10), capacity: Int = 64) {
        self.interval = interval
        slots = Array(repeating: Slot(), count: capacity)
        free = Array((0..<capacity).reversed())
        free.reserveCapacity(capacity)
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        wake = .allocate(capacity: 1)
        pthread_cond_init(wake, nil)
    }

    deinit {
        // Only reached when the thread never started (it keeps its watchdog alive).
        pthread_cond_destroy(wake)
        wake.deallocate()
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    private func lock() { pthread_mutex_lock(mutex) }
    private func unlock() { pthread_mutex_unlock(mutex) }

    /// Current CLOCK_MONOTONIC time in nanoseconds (the clock deadlines use).
    public static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }

    /// Nanoseconds in `duration` (saturating).
    public static func nanoseconds(_ duration: Duration) -> UInt64 {
        let (seconds, attoseconds) = duration.components
        let (ns, overflow) = UInt64(clamping: seconds).multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? UInt64.max : ns &+ min(UInt64(clamping: attoseconds / 1_000_000_000), UInt64.max - ns)
    }

    /// Interrupts `handle` once `deadline` (see `now()`) passes, until `disarm` is called
    /// with the returned ticket.
    public func arm(_ handle: InterruptHandle, deadline: UInt64) -> Int {
        lock()
        defer { unlock() }
        if !threadStarted {
            threadStarted = true
            startThread()
        }
        let index: Int
        if let i = free.popLast() {
            index = i
        } else {
            index = slots.count
            slots.append(Slot())
        }
        slots[index] = Slot(deadline: max(deadline, 1), handle: handle, fired: false)
        armed += 1
        if armed == 1 { pthread_cond_signal(wake) }
        return index
    }

    /// Stops watching the guest of `ticket`. Returns whether its deadline had fired.
    @discardableResult
    public func disarm(_ ticket: Int) -> Bool {
        lock()
        defer { unlock() }
        guard ticket >= 0, ticket < slots.count, slots[ticket].deadline != 0 else { return false }
        let fired = slots[ticket].fired
        slots[ticket] = Slot()
        free.append(ticket)
        armed -= 1
        return fired
    }

    /// Guests currently watched.
    public var armedCount: Int {
        lock()
        defer { unlock() }
        return armed
    }

    /// Starts the scanning thread (256 KiB stack); it lives as long as the process.
    private func startThread() {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        pthread_attr_setstacksize(&attributes, 256 << 10)
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        var thread = pthread_t()
        let context = Unmanaged.passRetained(self).toOpaque()
        let created = pthread_create(
            &thread, &attributes,
            { context in
                Unmanaged<Watchdog>.fromOpaque(context!).takeRetainedValue().run()
                return nil
            }, context)
        pthread_attr_destroy(&attributes)
        precondition(created == 0, "cannot start the watchdog thread")
    }

    private func run() -> Never {
        // Named for `top -H` and debuggers (glibc's pthread_setname_np is not imported).
        let fd = open("/proc/thread-self/comm", O_WRONLY)
        if fd >= 0 {
            _ = write(fd, "spin-watchdog", 13)
            close(fd)
        }
        let tick = useconds_t(clamping: Watchdog.nanoseconds(interval) / 1000)
        while true {
            lock()
            while armed == 0 { pthread_cond_wait(wake, mutex) }
            let now = Watchdog.now()
            for i in slots.indices where slots[i].deadline != 0 && !slots[i].fired && now >= slots[i].deadline {
                slots[i].fired = true
                slots[i].handle?.interrupt()
            }
            unlock()
            usleep(max(tick, 1000))
        }
    }
}
