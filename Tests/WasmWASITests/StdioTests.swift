import Foundation
import Synchronization
import Testing
import WasmCore
import WasmWASI

@Suite struct StdioTests {
    @Test func fdWriteGathersIovecsIntoTheBuffer() throws {
        let out = OutputBuffer()
        let guest = try Guest(WASIConfiguration(stdout: .buffer(out)))
        let a = guest.put(Array("hello ".utf8)), b = guest.put(Array("world".utf8))
        let iov = guest.iovecs([(a, 6), (b, 5), (b, 0)])
        let n = guest.alloc(4)
        #expect(try guest.call("fd_write", .i32(1), .i32(iov), .i32(3), .i32(n)) == .success)
        #expect(guest.u32(n) == 11)
        #expect(out.string == "hello world")
        #expect(try guest.write(1, "!").0 == .success)
        #expect(out.bytes == Array("hello world!".utf8))
        #expect(out.take().count == 12 && out.bytes.isEmpty)
    }

    @Test func stderrToAClosureSink() throws {
        let seen = Mutex<[[UInt8]]>([])
        let guest = try Guest(WASIConfiguration(stderr: .sink { bytes in seen.withLock { $0.append(bytes) } }))
        #expect(try guest.write(2, "oops") == (.success, 4))
        #expect(seen.withLock { $0 } == [Array("oops".utf8)])
    }

    @Test func discardedOutputStillCountsBytes() throws {
        let guest = try Guest(WASIConfiguration(stdout: .discard))
        #expect(try guest.write(1, "abc") == (.success, 3))
    }

    @Test func fdWriteErrors() throws {
        let guest = try Guest(WASIConfiguration(stdout: .discard))
        #expect(try guest.write(9, "x").0 == .badf)
        let iovBad = guest.iovecs([(65530, 10)])
        #expect(try guest.call("fd_write", .i32(1), .i32(iovBad), .i32(1), .i32(64)) == .fault)
        #expect(try guest.call("fd_write", .i32(1), .i32(65532), .i32(2), .i32(64)) == .fault)
        let iov = guest.iovecs([(64, 1)])
        #expect(try guest.call("fd_write", .i32(1), .i32(iov), .i32(1), .i32(65535)) == .fault)
        // Writing to stdin (in memory) is not possible.
        #expect(try guest.write(0, "x").0 == .badf)
    }

    @Test func stdinFromBytes() throws {
        let guest = try Guest(WASIConfiguration(stdin: .bytes(Array("request body".utf8))))
        #expect(try guest.read(0, max: 7) == (.success, "request"))
        // Two iovecs, the second only partly filled.
        let a = guest.alloc(3), b = guest.alloc(10)
        let iov = guest.iovecs([(a, 3), (b, 10)])
        let n = guest.alloc(4)
        #expect(try guest.call("fd_read", .i32(0), .i32(iov), .i32(2), .i32(n)) == .success)
        #expect(guest.u32(n) == 5)
        #expect(guest.string(a, 3) + guest.string(b, 2) == " body")
        #expect(try guest.read(0) == (.success, ""))
        #expect(try guest.read(1).0 == .badf)
        #expect(try guest.read(77).0 == .badf)
        #expect(try guest.call("fd_read", .i32(0), .i32(guest.iovecs([(65535, 2)])), .i32(1), .i32(64)) == .fault)
    }

    @Test func stdioStatAndSeek() throws {
        let guest = try Guest(WASIConfiguration(stdin: .bytes([1, 2, 3]), stdout: .discard))
        let st = guest.alloc(24)
        #expect(try guest.call("fd_fdstat_get", .i32(0), .i32(st)) == .success)
        let rights = Rights(rawValue: guest.u64(st + 8))
        #expect(rights.contains(.fdRead) && !rights.contains(.fdSeek))
        let fs = guest.alloc(64)
        #expect(try guest.call("fd_filestat_get", .i32(0), .i32(fs)) == .success)
        #expect(guest.u64(fs + 32) == 3)
        #expect(try guest.call("fd_seek", .i32(0), .i64(0), .i32(0), .i32(64)) == .spipe)
        #expect(try guest.call("fd_tell", .i32(1), .i32(64)) == .spipe)
        #expect(
            try guest.call("fd_pread", .i32(0), .i32(guest.iovecs([(64, 1)])), .i32(1), .i64(0), .i32(72))
                == .notcapable)
        #expect(try guest.call("fd_fdstat_get", .i32(5), .i32(st)) == .badf)
        #expect(try guest.call("fd_fdstat_get", .i32(0), .i32(65530)) == .fault)
        #expect(try guest.call("fd_filestat_get", .i32(0), .i32(65530)) == .fault)
        #expect(try guest.call("fd_fdstat_set_flags", .i32(1), .i32(UInt32(FdFlags.nonblock.rawValue))) == .success)
        #expect(try guest.call("fd_fdstat_set_flags", .i32(1), .i32(UInt32(FdFlags.sync.rawValue))) == .notsup)
        #expect(try guest.call("fd_sync", .i32(1)) == .notcapable)
    }

    @Test func inheritedStdoutWritesToTheProcess() throws {
        // Writing nothing to the real stdout exercises the host path without noise.
        let guest = try Guest(WASIConfiguration(stdout: .inherit))
        #expect(try guest.call("fd_write", .i32(1), .i32(guest.iovecs([])), .i32(0), .i32(64)) == .success)
        #expect(guest.u32(64) == 0)
    }

    @Test func closeAndRenumberStdio() throws {
        let out = OutputBuffer()
        let guest = try Guest(WASIConfiguration(stdout: .discard, stderr: .buffer(out)))
        #expect(try guest.call("fd_renumber", .i32(2), .i32(1)) == .success)
        #expect(try guest.write(1, "to stderr") == (.success, 9))
        #expect(out.string == "to stderr")
        #expect(try guest.write(2, "x").0 == .badf)
        #expect(try guest.call("fd_renumber", .i32(2), .i32(1)) == .badf)
        #expect(try guest.call("fd_renumber", .i32(1), .i32(7)) == .badf)
        #expect(try guest.call("fd_close", .i32(1)) == .success)
        #expect(try guest.call("fd_close", .i32(1)) == .badf)
    }

    @Test func prestatOfNonPreopenIsEBADF() throws {
        let guest = try Guest()
        #expect(try guest.call("fd_prestat_get", .i32(0), .i32(64)) == .badf)
        #expect(try guest.call("fd_prestat_get", .i32(3), .i32(64)) == .badf)
        #expect(try guest.call("fd_prestat_dir_name", .i32(3), .i32(64), .i32(10)) == .badf)
    }
}

@Suite struct PollTests {
    /// Writes a clock subscription; returns its address.
    func clockSubscription(
        _ guest: Guest, at p: UInt32, userdata: UInt64, id: UInt32 = 1, timeout: UInt64, abstime: Bool = false
    ) {
        try! guest.memory.write([UInt8](repeating: 0, count: 48), at: Int(p))
        try! guest.memory.store(userdata, at: Int(p))
        try! guest.memory.store(UInt8(0), at: Int(p) + 8)
        try! guest.memory.store(id, at: Int(p) + 16)
        try! guest.memory.store(timeout, at: Int(p) + 24)
        try! guest.memory.store(UInt16(abstime ? 1 : 0), at: Int(p) + 40)
    }

    func fdSubscription(_ guest: Guest, at p: UInt32, userdata: UInt64, fd: UInt32, write: Bool = false) {
        try! guest.memory.write([UInt8](repeating: 0, count: 48), at: Int(p))
        try! guest.memory.store(userdata, at: Int(p))
        try! guest.memory.store(UInt8(write ? 2 : 1), at: Int(p) + 8)
        try! guest.memory.store(fd, at: Int(p) + 16)
    }

    func monotonicNow() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    @Test func clockSleep() throws {
        let guest = try Guest()
        let subs = guest.alloc(48), events = guest.alloc(32), n = guest.alloc(4)
        clockSubscription(guest, at: subs, userdata: 0xABCD, timeout: 20_000_000)
        let start = monotonicNow()
        #expect(try guest.call("poll_oneoff", .i32(subs), .i32(events), .i32(1), .i32(n)) == .success)
        #expect(monotonicNow() - start >= 20_000_000)
        #expect(guest.u32(n) == 1)
        #expect(guest.u64(events) == 0xABCD)
        #expect(guest.u16(events + 8) == 0)
        #expect(guest.u8(events + 10) == 0)
    }

    @Test func earliestClockFiresAlone() throws {
        let guest = try Guest()
        let subs = guest.alloc(96), events = guest.alloc(64), n = guest.alloc(4)
        clockSubscription(guest, at: subs, userdata: 1, id: 0, timeout: 5_000_000_000)
        clockSubscription(guest, at: subs + 48, userdata: 2, timeout: 1_000_000)
        #expect(try guest.call("poll_oneoff", .i32(subs), .i32(events), .i32(2), .i32(n)) == .success)
        #expect(guest.u32(n) == 1)
        #expect(guest.u64(events) == 2)
    }

    @Test func absoluteDeadlineInThePastFiresAtOnce() throws {
        let guest = try Guest()
        let subs = guest.alloc(48), events = guest.alloc(32), n = guest.alloc(4)
        clockSubscription(guest, at: subs, userdata: 7, timeout: 1, abstime: true)
        #expect(try guest.call("poll_oneoff", .i32(subs), .i32(events), .i32(1), .i32(n)) == .success)
        #expect(guest.u32(n) == 1 && guest.u64(events) == 7)
    }

    @Test func readyDescriptorsBeatTheClock() throws {
        let guest = try Guest(WASIConfiguration(stdin: .bytes([1, 2, 3, 4]), stdout: .discard))
        let subs = guest.alloc(48 * 4), events = guest.alloc(32 * 4), n = guest.alloc(4)
        clockSubscription(guest, at: subs, userdata: 1, timeout: 10_000_000_000)
        fdSubscription(guest, at: subs + 48, userdata: 2, fd: 0)
        fdSubscription(guest, at: subs + 96, userdata: 3, fd: 1, write: true)
        fdSubscription(guest, at: subs + 144, userdata: 4, fd: 99)
        let start = monotonicNow()
        #expect(try guest.call("poll_oneoff", .i32(subs), .i32(events), .i32(4), .i32(n)) == .success)
        #expect(monotonicNow() - start < 5_000_000_000)
        #expect(guest.u32(n) == 3)
        #expect(guest.u64(events) == 2 && guest.u8(events + 10) == 1 && guest.u64(events + 16) == 4)
        #expect(guest.u64(events + 32) == 3 && guest.u8(events + 42) == 2 && guest.u16(events + 40) == 0)
        #expect(guest.u64(events + 64) == 4 && guest.u16(events + 72) == Errno.badf.rawValue)
    }

    @Test func blockingDeadlineInterruptsALongSleep() throws {
        let guest = try Guest()
        let subs = guest.alloc(48), events = guest.alloc(32), n = guest.alloc(4)
        clockSubscription(guest, at: subs, userdata: 1, timeout: 60_000_000_000)
        guest.wasi.setTimeout(.milliseconds(30))
        let start = monotonicNow()
        #expect(throws: Trap(.interrupted)) {
            try guest.call("poll_oneoff", .i32(subs), .i32(events), .i32(1), .i32(n))
        }
        let elapsed = monotonicNow() - start
        #expect(elapsed >= 20_000_000 && elapsed < 10_000_000_000)
        // Past the deadline, waiting at all traps at once; ready events still return.
        #expect(throws: Trap(.interrupted)) {
            try guest.call("poll_oneoff", .i32(subs), .i32(events), .i32(1), .i32(n))
        }
        clockSubscription(guest, at: subs, userdata: 2, timeout: 0)
        #expect(try guest.call("poll_oneoff", .i32(subs), .i32(events), .i32(1), .i32(n)) == .success)
        guest.wasi.blockingDeadline = nil
        clockSubscription(guest, at: subs, userdata: 3, timeout: 1_000_000)
        #expect(try guest.call("poll_oneoff", .i32(subs), .i32(events), .i32(1), .i32(n)) == .success)
    }

    @Test func errors() throws {
        let guest = try Guest()
        #expect(try guest.call("poll_oneoff", .i32(64), .i32(128), .i32(0), .i32(200)) == .inval)
        #expect(try guest.call("poll_oneoff", .i32(65500), .i32(128), .i32(1), .i32(200)) == .fault)
        #expect(try guest.call("poll_oneoff", .i32(64), .i32(65530), .i32(1), .i32(200)) == .fault)
        let subs = guest.alloc(48)
        try guest.memory.store(UInt8(9), at: Int(subs) + 8)
        #expect(try guest.call("poll_oneoff", .i32(subs), .i32(128), .i32(1), .i32(200)) == .inval)
    }
}
