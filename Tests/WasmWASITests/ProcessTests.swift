import Foundation
import Testing
import WasmCore
import WasmWASI

@Suite struct ArgsAndEnvironTests {
    @Test func argsLayout() throws {
        let guest = try Guest(WASIConfiguration(args: ["prog", "a b", "ü"]))
        let sizes = guest.alloc(8)
        #expect(try guest.call("args_sizes_get", .i32(sizes), .i32(sizes + 4)) == .success)
        #expect(guest.u32(sizes) == 3)
        #expect(guest.u32(sizes + 4) == 5 + 4 + 3)
        let argv = guest.alloc(12)
        let buf = guest.alloc(12)
        #expect(try guest.call("args_get", .i32(argv), .i32(buf)) == .success)
        #expect(guest.u32(argv) == buf)
        #expect(guest.u32(argv + 4) == buf + 5)
        #expect(guest.u32(argv + 8) == buf + 9)
        #expect(guest.bytes(buf, 12) == Array("prog\0a b\0ü\0".utf8))
    }

    @Test func environLayoutIsSortedKeyEqualsValue() throws {
        let guest = try Guest(WASIConfiguration(environment: ["B": "2", "A": "x=y"]))
        let sizes = guest.alloc(8)
        #expect(try guest.call("environ_sizes_get", .i32(sizes), .i32(sizes + 4)) == .success)
        #expect(guest.u32(sizes) == 2)
        #expect(guest.u32(sizes + 4) == 6 + 4)
        let env = guest.alloc(8)
        let buf = guest.alloc(10)
        #expect(try guest.call("environ_get", .i32(env), .i32(buf)) == .success)
        #expect(guest.u32(env) == buf)
        #expect(guest.u32(env + 4) == buf + 6)
        #expect(guest.string(buf, 10) == "A=x=y\0B=2\0")
    }

    @Test func emptyArgs() throws {
        let guest = try Guest()
        let sizes = guest.alloc(8)
        #expect(try guest.call("args_sizes_get", .i32(sizes), .i32(sizes + 4)) == .success)
        #expect(guest.u32(sizes) == 0 && guest.u32(sizes + 4) == 0)
        #expect(try guest.call("environ_get", .i32(0), .i32(0)) == .success)
    }

    @Test func outOfBoundsPointersAreEFAULT() throws {
        let guest = try Guest(WASIConfiguration(args: ["prog"], environment: ["K": "V"]))
        #expect(try guest.call("args_get", .i32(65534), .i32(100)) == .fault)
        #expect(try guest.call("args_get", .i32(100), .i32(65533)) == .fault)
        #expect(try guest.call("args_sizes_get", .i32(100), .i32(0xFFFF_FFFF)) == .fault)
        #expect(try guest.call("environ_get", .i32(0xFFFF_FFFC), .i32(100)) == .fault)
        #expect(try guest.call("environ_sizes_get", .i32(65536), .i32(100)) == .fault)
    }
}

@Suite struct ClockTests {
    @Test func realtimeIsNow() throws {
        let guest = try Guest()
        let out = guest.alloc(8)
        #expect(try guest.call("clock_time_get", .i32(0), .i64(1), .i32(out)) == .success)
        let now = Date().timeIntervalSince1970
        #expect(abs(Double(guest.u64(out)) / 1e9 - now) < 5)
    }

    @Test func monotonicAdvances() throws {
        let guest = try Guest()
        let a = guest.alloc(8), b = guest.alloc(8)
        #expect(try guest.call("clock_time_get", .i32(1), .i64(0), .i32(a)) == .success)
        usleep(2000)
        #expect(try guest.call("clock_time_get", .i32(1), .i64(0), .i32(b)) == .success)
        #expect(guest.u64(b) >= guest.u64(a) + 1_000_000)
    }

    @Test(arguments: [UInt32(0), 1, 2, 3]) func everyClockHasTimeAndResolution(id: UInt32) throws {
        let guest = try Guest()
        let out = guest.alloc(8)
        #expect(try guest.call("clock_time_get", .i32(id), .i64(0), .i32(out)) == .success)
        #expect(guest.u64(out) > 0)
        #expect(try guest.call("clock_res_get", .i32(id), .i32(out)) == .success)
        #expect(guest.u64(out) > 0 && guest.u64(out) < 1_000_000_000)
    }

    @Test func unknownClockIsEINVALAndBadPointerEFAULT() throws {
        let guest = try Guest()
        #expect(try guest.call("clock_time_get", .i32(4), .i64(0), .i32(64)) == .inval)
        #expect(try guest.call("clock_res_get", .i32(99), .i32(64)) == .inval)
        #expect(try guest.call("clock_time_get", .i32(0), .i64(0), .i32(65532)) == .fault)
        #expect(try guest.call("clock_res_get", .i32(1), .i32(65529)) == .fault)
    }
}

@Suite struct RandomTests {
    @Test func fillsTheBuffer() throws {
        let guest = try Guest()
        let a = guest.alloc(61), b = guest.alloc(61)
        #expect(try guest.call("random_get", .i32(a), .i32(61)) == .success)
        #expect(try guest.call("random_get", .i32(b), .i32(61)) == .success)
        #expect(guest.bytes(a, 61) != guest.bytes(b, 61))
        #expect(guest.bytes(a, 61).contains { $0 != 0 })
        #expect(try guest.call("random_get", .i32(a), .i32(0)) == .success)
    }

    @Test func outOfBoundsIsEFAULT() throws {
        let guest = try Guest()
        #expect(try guest.call("random_get", .i32(65530), .i32(7)) == .fault)
        #expect(try guest.call("random_get", .i32(0), .i32(0xFFFF_FFFF)) == .fault)
    }
}

@Suite struct ProcTests {
    @Test func procExitThrowsWASIExit() throws {
        let guest = try Guest()
        #expect(throws: WASIExit(code: 3)) { try guest.call("proc_exit", .i32(3)) }
        #expect(guest.wasi.exitCode == 3)
        let results = try? guest.wasi.call("proc_exit", memory: nil, [.i32(0)])
        #expect(results == nil)
        #expect(guest.wasi.exitCode == 0)
    }

    @Test func procRaiseIsUnsupportedAndSchedYieldSucceeds() throws {
        let guest = try Guest()
        #expect(try guest.call("proc_raise", .i32(6)) == .nosys)
        #expect(try guest.call("sched_yield") == .success)
    }

    @Test func socketsAreNotSockets() throws {
        let guest = try Guest()
        #expect(try guest.call("sock_accept", .i32(1), .i32(0), .i32(64)) == .notsock)
        #expect(try guest.call("sock_recv", .i32(0), .i32(64), .i32(1), .i32(0), .i32(80), .i32(88)) == .notsock)
        #expect(try guest.call("sock_send", .i32(1), .i32(64), .i32(1), .i32(0), .i32(80)) == .notsock)
        #expect(try guest.call("sock_shutdown", .i32(1), .i32(2)) == .notsock)
        #expect(try guest.call("sock_accept", .i32(42), .i32(0), .i32(64)) == .badf)
        #expect(try guest.call("sock_recv", .i32(42), .i32(64), .i32(1), .i32(0), .i32(80), .i32(88)) == .badf)
        #expect(try guest.call("sock_send", .i32(42), .i32(64), .i32(1), .i32(0), .i32(80)) == .badf)
        #expect(try guest.call("sock_shutdown", .i32(42), .i32(2)) == .badf)
        #expect(try guest.call("sock_accept", .i32(1), .i32(0), .i32(65534)) == .fault)
    }
}

@Suite struct CommandTests {
    @Test func exitCodeOfARun() throws {
        #expect(try WASI.exitCode {} == 0)
        #expect(try WASI.exitCode { throw WASIExit(code: 42) } == 42)
        let guest = try Guest()
        #expect(try WASI.exitCode { try guest.call("proc_exit", .i32(9)) } == 9)
        #expect(throws: Trap.self) { try WASI.exitCode { throw Trap(.unreachable) } }
    }

    @Test func iovecTotalsBeyondU32AreEINVAL() throws {
        // 65537 iovecs over the same 64 KiB: more than 4 GiB in total.
        let guest = try Guest(WASIConfiguration(stdout: .discard))
        guest.memory.grow(by: 15)
        let p = guest.iovecs(Array(repeating: (UInt32(0), UInt32(65536)), count: 65537))
        #expect(try guest.call("fd_write", .i32(1), .i32(p), .i32(65537), .i32(64)) == .inval)
        #expect(try guest.call("fd_write", .i32(1), .i32(p), .i32(2), .i32(64)) == .success)
        #expect(guest.u32(64) == 131072)
    }
}
