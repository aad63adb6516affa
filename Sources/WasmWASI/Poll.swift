import WasmCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `poll_oneoff`: wait for clocks and descriptor readiness.
extension WASI {
    /// A decoded `subscription`.
    public struct Subscription: Sendable, Equatable {
        public enum Kind: Sendable, Equatable {
            case clock(id: UInt32, timeout: UInt64, precision: UInt64, flags: UInt16)
            case fdRead(UInt32)
            case fdWrite(UInt32)
        }
        public var userdata: UInt64
        public var kind: Kind
        public init(userdata: UInt64, kind: Kind) {
            self.userdata = userdata
            self.kind = kind
        }
    }

    /// An `event` to report.
    public struct Event: Sendable, Equatable {
        public var userdata: UInt64
        public var error: Errno
        public var type: EventType
        public var nbytes: UInt64 = 0
        public var flags: UInt16 = 0
    }

    /// Decodes `count` subscriptions at `in`, waits, writes the events to `out`; returns their number.
    /// Throws `Errno`, or `Trap(.interrupted)` when the wait would pass `blockingDeadline`.
    public func pollOneoff(_ memory: GuestMemory, in input: UInt32, out: UInt32, count: UInt32) throws -> UInt32 {
        if count == 0 { throw Errno.inval }
        try memory.check(input, Int(count) * Layout.subscription)
        try memory.check(out, Int(count) * Layout.event)
        var subscriptions: [Subscription] = []
        for i in 0..<count {
            let p = input + i * UInt32(Layout.subscription)
            let userdata: UInt64 = try memory.load(at: p)
            let tag: UInt8 = try memory.load(at: p + 8)
            switch EventType(rawValue: tag) {
            case .clock:
                subscriptions.append(
                    Subscription(
                        userdata: userdata,
                        kind: .clock(
                            id: try memory.load(at: p + 16), timeout: try memory.load(at: p + 24),
                            precision: try memory.load(at: p + 32), flags: try memory.load(at: p + 40))))
            case .fdRead:
                subscriptions.append(Subscription(userdata: userdata, kind: .fdRead(try memory.load(at: p + 16))))
            case .fdWrite:
                subscriptions.append(Subscription(userdata: userdata, kind: .fdWrite(try memory.load(at: p + 16))))
            case nil: throw Errno.inval
            }
        }
        let events = try pollOneoff(subscriptions)
        for (i, e) in events.enumerated() {
            let p = out + UInt32(i * Layout.event)
            try memory.zero(p, Layout.event)
            try memory.store(e.userdata, at: p)
            try memory.store(e.error.rawValue, at: p + 8)
            try memory.store(e.type.rawValue, at: p + 10)
            try memory.store(e.nbytes, at: p + 16)
            try memory.store(e.flags, at: p + 24)
        }
        return UInt32(events.count)
    }

    /// Waits until at least one subscription fires; returns the events that did.
    /// Throws `Errno`, or `Trap(.interrupted)` when the wait would pass `blockingDeadline`.
    public func pollOneoff(_ subscriptions: [Subscription]) throws -> [Event] {
        if subscriptions.isEmpty { throw Errno.inval }
        var immediate: [Event] = []
        // Clock deadlines on the monotonic clock.
        var clocks: [(userdata: UInt64, deadline: UInt64)] = []
        // Host descriptors to poll, with the subscription each answers.
        var polled: [(sub: Subscription, type: EventType)] = []
        var pollFDs: [pollfd] = []
        let start = try WASI.now(CLOCK_MONOTONIC)

        for s in subscriptions {
            switch s.kind {
            case .clock(let id, let timeout, _, let flags):
                let absolute = flags & subscriptionClockAbstime != 0
                switch ClockID(rawValue: id) {
                case .monotonic:
                    clocks.append((s.userdata, absolute ? timeout : start &+ min(timeout, UInt64.max - start)))
                case .realtime:
                    if absolute {
                        let now = try WASI.now(CLOCK_REALTIME)
                        clocks.append((s.userdata, start &+ (timeout > now ? timeout - now : 0)))
                    } else {
                        clocks.append((s.userdata, start &+ min(timeout, UInt64.max - start)))
                    }
                default:
                    immediate.append(Event(userdata: s.userdata, error: .inval, type: .clock))
                }
            case .fdRead(let fd), .fdWrite(let fd):
                let type: EventType = if case .fdRead = s.kind { .fdRead } else { .fdWrite }
                guard let d = table[fd] else {
                    immediate.append(Event(userdata: s.userdata, error: .badf, type: type))
                    continue
                }
                guard
                    d.rightsBase.contains(.pollFdReadwrite)
                        || d.rightsBase.contains(type == .fdRead ? .fdRead : .fdWrite)
                else {
                    immediate.append(Event(userdata: s.userdata, error: .notcapable, type: type))
                    continue
                }
                switch d.kind {
                case .memoryInput:
                    let left = UInt64(d.input.count - d.position)
                    if type == .fdRead {
                        immediate.append(
                            Event(
                                userdata: s.userdata, error: .success, type: type, nbytes: left,
                                flags: left == 0 ? eventFdReadwriteHangup : 0))
                    } else {
                        immediate.append(Event(userdata: s.userdata, error: .badf, type: type))
                    }
                case .memoryOutput:
                    if type == .fdWrite {
                        immediate.append(Event(userdata: s.userdata, error: .success, type: type))
                    } else {
                        immediate.append(Event(userdata: s.userdata, error: .badf, type: type))
                    }
                case .directory:
                    immediate.append(Event(userdata: s.userdata, error: .badf, type: type))
                case .file(let host):
                    if d.filetype == .regularFile {
                        // Regular files are always ready; report what is left to read.
                        var nbytes: UInt64 = 0
                        if type == .fdRead {
                            var st = stat()
                            let pos = lseek(host, 0, SEEK_CUR)
                            if fstat(host, &st) == 0, pos >= 0, st.st_size > pos { nbytes = UInt64(st.st_size - pos) }
                        }
                        immediate.append(Event(userdata: s.userdata, error: .success, type: type, nbytes: nbytes))
                    } else {
                        polled.append((s, type))
                        pollFDs.append(pollfd(fd: host, events: Int16(type == .fdRead ? POLLIN : POLLOUT), revents: 0))
                    }
                }
            }
        }

        while true {
            var events = immediate
            let now = try WASI.now(CLOCK_MONOTONIC)
            let nextDeadline = clocks.map(\.deadline).min()
            // Nanoseconds to wait: 0 when something already fired, nil for "until an fd is ready".
            var wait: UInt64? = nil
            if !events.isEmpty { wait = 0 } else if let d = nextDeadline { wait = d > now ? d - now : 0 }
            if let limit = blockingDeadline, wait != 0 {
                if now >= limit { throw Trap(.interrupted) }
                wait = min(wait ?? UInt64.max, limit - now)
            }

            if !pollFDs.isEmpty {
                let ms: Int32 = wait.map { Int32(clamping: $0 / 1_000_000 + ($0 % 1_000_000 == 0 ? 0 : 1)) } ?? -1
                let r = poll(&pollFDs, nfds_t(pollFDs.count), ms)
                if r < 0 && errno != EINTR { throw Errno.current }
                if r > 0 {
                    for (i, p) in pollFDs.enumerated() where p.revents != 0 {
                        let s = polled[i]
                        var e = Event(userdata: s.sub.userdata, error: .success, type: s.type)
                        if p.revents & Int16(POLLNVAL) != 0 {
                            e.error = .badf
                        } else if p.revents & Int16(POLLERR) != 0 {
                            e.error = .io
                        } else {
                            if p.revents & Int16(POLLHUP) != 0 { e.flags = eventFdReadwriteHangup }
                            if s.type == .fdRead {
                                var available: Int32 = 0
                                if ioctl(p.fd, UInt(FIONREAD), &available) == 0 { e.nbytes = UInt64(max(available, 0)) }
                            }
                        }
                        events.append(e)
                    }
                }
            } else if let w = wait, w > 0 {
                var ts = timespec(tv_sec: Int(w / 1_000_000_000), tv_nsec: Int(w % 1_000_000_000))
                var rest = timespec()
                while nanosleep(&ts, &rest) != 0 && errno == EINTR { ts = rest }
            } else if wait == nil {
                // Nothing can ever fire.
                throw Errno.inval
            }

            let after = try WASI.now(CLOCK_MONOTONIC)
            for c in clocks where c.deadline <= after {
                events.append(Event(userdata: c.userdata, error: .success, type: .clock))
            }
            if !events.isEmpty { return events }
            if let limit = blockingDeadline, after >= limit { throw Trap(.interrupted) }
        }
    }
}
