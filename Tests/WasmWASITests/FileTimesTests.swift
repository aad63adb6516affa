import Foundation
import Testing
import WasmCore
import WasmWASI

/// `fd_filestat_set_times` and `path_filestat_set_times`, read back through
/// `fd_filestat_get`, `path_filestat_get` and the host's own `lstat` and
/// `FileManager`.
@Suite struct FileTimesTests {
    static let second: UInt64 = 1_000_000_000
    /// Times with nanosecond parts, as WASI timestamps carry them.
    static let t1: UInt64 = 1_500_000_000 * second + 123_456_789
    static let t2: UInt64 = 1_600_000_000 * second + 987_654_321
    static let t3: UInt64 = 1_400_000_000 * second + 5

    /// `fst_flags` as the i32 argument.
    static func flags(_ f: FstFlags) -> Value { .i32(UInt32(f.rawValue)) }

    /// The host's (atime, mtime) of `path` in nanoseconds, not following a final link.
    static func hostTimes(_ path: String) throws -> (access: UInt64, modification: UInt64) {
        var st = stat()
        try #require(lstat(path, &st) == 0, "lstat \(path)")
        func ns(_ t: timespec) -> UInt64 { UInt64(t.tv_sec) * second + UInt64(t.tv_nsec) }
        return (ns(st.st_atim), ns(st.st_mtim))
    }

    /// The host's wall clock in nanoseconds.
    static func now() -> UInt64 {
        var t = timespec()
        clock_gettime(CLOCK_REALTIME, &t)
        return UInt64(t.tv_sec) * second + UInt64(t.tv_nsec)
    }

    /// (atime, mtime) from `fd_filestat_get`.
    static func guestTimes(_ guest: Guest, fd: UInt32) throws -> (access: UInt64, modification: UInt64) {
        let fs = guest.alloc(FileStat.size)
        try #require(try guest.call("fd_filestat_get", .i32(fd), .i32(fs)) == .success)
        return (guest.u64(fs + 40), guest.u64(fs + 48))
    }

    /// (atime, mtime) from `path_filestat_get`.
    static func guestTimes(_ guest: Guest, path: String, follow: Bool = true) throws -> (
        access: UInt64, modification: UInt64
    ) {
        let (p, n) = guest.str(path)
        let fs = guest.alloc(FileStat.size)
        try #require(
            try guest.call("path_filestat_get", .i32(preopenFD), .i32(follow ? 1 : 0), p, n, .i32(fs)) == .success)
        return (guest.u64(fs + 40), guest.u64(fs + 48))
    }

    @Test func descriptorTimesReachTheHostFile() throws {
        let tree = try TempTree()
        try tree.file("f", "contents")
        let path = tree.sandbox + "/f"
        let guest = try tree.guest()
        let (opened, fd) = try guest.open(preopenFD, "f")
        try #require(opened == .success)
        let setTimes = { (atim: UInt64, mtim: UInt64, f: FstFlags) throws -> Errno in
            try guest.call("fd_filestat_set_times", .i32(fd), .i64(atim), .i64(mtim), Self.flags(f))
        }

        #expect(try setTimes(Self.t1, Self.t2, [.atim, .mtim]) == .success)
        #expect(try Self.guestTimes(guest, fd: fd) == (Self.t1, Self.t2))
        #expect(try Self.guestTimes(guest, path: "f") == (Self.t1, Self.t2))
        #expect(try Self.hostTimes(path) == (Self.t1, Self.t2))
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        let modified = try #require(attributes[.modificationDate] as? Date)
        #expect(abs(modified.timeIntervalSince1970 - 1_600_000_000.987654321) < 0.000_01)

        // One time at a time; the other is left alone.
        #expect(try setTimes(0, Self.t3, .mtim) == .success)
        #expect(try Self.hostTimes(path) == (Self.t1, Self.t3))
        #expect(try setTimes(Self.t2, 0, .atim) == .success)
        #expect(try Self.hostTimes(path) == (Self.t2, Self.t3))
        #expect(try setTimes(Self.t1, Self.t1, []) == .success)
        #expect(try Self.hostTimes(path) == (Self.t2, Self.t3))

        // "Now" is the host's clock (file systems stamp with a coarse clock, hence the slack).
        let before = Self.now() - Self.second
        #expect(try setTimes(0, 0, .mtimNow) == .success)
        let afterMtime = try Self.hostTimes(path)
        #expect(afterMtime.access == Self.t2)
        #expect(afterMtime.modification >= before && afterMtime.modification <= Self.now() + Self.second)
        #expect(try setTimes(0, 0, .atimNow) == .success)
        let afterAtime = try Self.hostTimes(path)
        #expect(afterAtime.access >= before && afterAtime.access <= Self.now() + Self.second)
        #expect(afterAtime.modification == afterMtime.modification)
    }

    @Test func invalidFlagsAreRefusedBeforeAnythingChanges() throws {
        let tree = try TempTree()
        try tree.file("f", "contents")
        let path = tree.sandbox + "/f"
        let guest = try tree.guest()
        let (_, fd) = try guest.open(preopenFD, "f")
        #expect(
            try guest.call("fd_filestat_set_times", .i32(fd), .i64(Self.t1), .i64(Self.t2), Self.flags([.atim, .mtim]))
                == .success)
        let (p, n) = guest.str("f")
        // A time both given and "now", or a bit WASI does not define (wasmtime traps on those; we refuse them).
        for invalid: FstFlags in [[.atim, .atimNow], [.mtim, .mtimNow], [.mtim, FstFlags(rawValue: 0x10)]] {
            #expect(
                try guest.call("fd_filestat_set_times", .i32(fd), .i64(Self.t3), .i64(Self.t3), Self.flags(invalid))
                    == .inval)
            #expect(
                try guest.call(
                    "path_filestat_set_times", .i32(preopenFD), .i32(1), p, n, .i64(Self.t3), .i64(Self.t3),
                    Self.flags(invalid)) == .inval)
        }
        #expect(try Self.hostTimes(path) == (Self.t1, Self.t2))
        // As in wasmtime, the flags are checked before the descriptor and the path.
        let bad = Self.flags([.mtim, .mtimNow])
        #expect(try guest.call("fd_filestat_set_times", .i32(99), .i64(0), .i64(0), bad) == .inval)
        #expect(try guest.call("fd_filestat_set_times", .i32(99), .i64(0), .i64(0), Self.flags(.mtim)) == .badf)
        let (mp, mn) = guest.str("missing")
        #expect(try guest.call("path_filestat_set_times", .i32(99), .i32(1), p, n, .i64(0), .i64(0), bad) == .inval)
        #expect(
            try guest.call("path_filestat_set_times", .i32(preopenFD), .i32(1), mp, mn, .i64(0), .i64(0), bad) == .inval
        )
        #expect(
            try guest.call("path_filestat_set_times", .i32(preopenFD), .i32(1), mp, mn, .i64(0), .i64(0), .i32(4))
                == .noent)
    }

    @Test func pathTimesReachTheHostFileAndLinks() throws {
        let tree = try TempTree()
        try tree.file("f", "contents")
        try tree.symlink("link", to: "f")
        let guest = try tree.guest()
        let setTimes = { (path: String, follow: Bool, atim: UInt64, mtim: UInt64, f: FstFlags) throws -> Errno in
            let (p, n) = guest.str(path)
            return try guest.call(
                "path_filestat_set_times", .i32(preopenFD), .i32(follow ? 1 : 0), p, n, .i64(atim), .i64(mtim),
                Self.flags(f))
        }

        #expect(try setTimes("f", true, Self.t1, Self.t2, [.atim, .mtim]) == .success)
        #expect(try Self.hostTimes(tree.sandbox + "/f") == (Self.t1, Self.t2))
        #expect(try Self.guestTimes(guest, path: "f") == (Self.t1, Self.t2))
        #expect(try setTimes("f", true, 0, Self.t3, .mtim) == .success)
        #expect(try Self.hostTimes(tree.sandbox + "/f") == (Self.t1, Self.t3))

        // Followed, a link's target changes; not followed, the link itself.
        // (Resolving the link reads it, which may touch its atime; its mtime stays.)
        let linkModified = try Self.hostTimes(tree.sandbox + "/link").modification
        #expect(try setTimes("link", true, Self.t2, Self.t2, [.atim, .mtim]) == .success)
        #expect(try Self.hostTimes(tree.sandbox + "/f") == (Self.t2, Self.t2))
        #expect(try Self.hostTimes(tree.sandbox + "/link").modification == linkModified)
        #expect(try setTimes("link", false, Self.t3, Self.t1, [.atim, .mtim]) == .success)
        #expect(try Self.hostTimes(tree.sandbox + "/link") == (Self.t3, Self.t1))
        #expect(try Self.guestTimes(guest, path: "link", follow: false) == (Self.t3, Self.t1))
        #expect(try Self.hostTimes(tree.sandbox + "/f") == (Self.t2, Self.t2))

        // Directories, including the preopen itself.
        try FileManager.default.createDirectory(atPath: tree.sandbox + "/d", withIntermediateDirectories: false)
        #expect(try setTimes("d", true, Self.t1, Self.t2, [.atim, .mtim]) == .success)
        #expect(try Self.hostTimes(tree.sandbox + "/d") == (Self.t1, Self.t2))
        #expect(try setTimes(".", true, Self.t3, Self.t3, [.atim, .mtim]) == .success)
        #expect(try Self.hostTimes(tree.sandbox) == (Self.t3, Self.t3))
    }
}
