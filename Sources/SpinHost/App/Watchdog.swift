import Foundation
import WasmCore

#if canImport(Glibc)
    import Glibc
#endif

/// Interrupts guests whose deadline has passed.
///
/// One thread scans a table of armed deadlines every `interval` and calls
/// `InterruptHandle.interrupt()` on each that has expired; the guest then traps
/// with `TrapReason.interrupted` at its next loop back-edge or call. Arming and
/// disarming take a lock for a few stores into preallocated slots (no allocation
/// unless more guests run at once than ever before); the thread sleeps while
/// nothing is armed.
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
    private let condition = NSCondition()
    private var slots: [Slot]
    private var free: [Int]
    private var armed = 0
    private var threadStarted = false

    /// The process's watchdog (what `GuestHost` uses unless given another).
    public static let shared = Watchdog()

    public init(interval: Duration = .milliseconds(10), capacity: Int = 64) {
        self.interval = interval
        slots = Array(repeating: Slot(), count: capacity)
        free = Array((0..<capacity).reversed())
        free.reserveCapacity(capacity)
    }

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
        condition.lock()
        defer { condition.unlock() }
        if !threadStarted {
            threadStarted = true
            let thread = Thread { [self] in run() }
            thread.stackSize = 256 << 10
            thread.start()
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
        if armed == 1 { condition.signal() }
        return index
    }

    /// Stops watching the guest of `ticket`. Returns whether its deadline had fired.
    @discardableResult
    public func disarm(_ ticket: Int) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard ticket >= 0, ticket < slots.count, slots[ticket].deadline != 0 else { return false }
        let fired = slots[ticket].fired
        slots[ticket] = Slot()
        free.append(ticket)
        armed -= 1
        return fired
    }

    /// Guests currently watched.
    public var armedCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return armed
    }

    private func run() {
        setCurrentThreadName("spin-watchdog")
        let tick = useconds_t(clamping: Watchdog.nanoseconds(interval) / 1000)
        while true {
            condition.lock()
            while armed == 0 { condition.wait() }
            let now = Watchdog.now()
            for i in slots.indices where slots[i].deadline != 0 && !slots[i].fired && now >= slots[i].deadline {
                slots[i].fired = true
                slots[i].handle?.interrupt()
            }
            condition.unlock()
            usleep(max(tick, 1000))
        }
    }
}
