import Foundation
import Testing
import WasmCore
import WasmWASI

let creat: UInt32 = 1, directory: UInt32 = 2, excl: UInt32 = 4, trunc: UInt32 = 8
let readOnlyRights: Rights = [.fdRead, .fdSeek, .fdTell, .fdFilestatGet, .fdReaddir, .pathOpen, .pathFilestatGet]

/// Parses `used` bytes of `fd_readdir` output: (next cookie, name, type) per complete entry.
func dirents(_ guest: Guest, _ buf: UInt32, _ used: UInt32) -> [(UInt64, String, UInt8)] {
    var result: [(UInt64, String, UInt8)] = []
    var p = buf
    while p + 24 <= buf + used {
        let next = guest.u64(p)
        let length = guest.u32(p + 16)
        let type = guest.u8(p + 20)
        guard p + 24 + length <= buf + used else { break }
        result.append((next, guest.string(p + 24, Int(length)), type))
        p += 24 + length
    }
    return result
}

@Suite struct FileSystemTests {
    @Test func preopenIsDescribed() throws {
        let tree = try TempTree()
        let guest = try tree.guest()
        let p = guest.alloc(8)
        #expect(try guest.call("fd_prestat_get", .i32(3), .i32(p)) == .success)
        #expect(guest.u8(p) == 0 && guest.u32(p + 4) == 8)
        let name = guest.alloc(8)
        #expect(try guest.call("fd_prestat_dir_name", .i32(3), .i32(name), .i32(8)) == .success)
        #expect(guest.string(name, 8) == "/sandbox")
        #expect(try guest.call("fd_prestat_dir_name", .i32(3), .i32(name), .i32(4)) == .nametoolong)
        #expect(try guest.call("fd_prestat_dir_name", .i32(3), .i32(65533), .i32(8)) == .fault)
        #expect(try guest.call("fd_prestat_get", .i32(3), .i32(65533)) == .fault)
        #expect(try guest.call("fd_prestat_get", .i32(4), .i32(p)) == .badf)
        let st = guest.alloc(24)
        #expect(try guest.call("fd_fdstat_get", .i32(3), .i32(st)) == .success)
        #expect(guest.u8(st) == FileType.directory.rawValue)
        #expect(Rights(rawValue: guest.u64(st + 8)).contains(.pathOpen))
    }

    @Test func missingPreopenDirectoryIsAnError() {
        #expect(throws: WASIError.self) {
            try WASI(
                configuration: WASIConfiguration(preopens: [
                    .init(hostPath: "/nonexistent/dir/\(UUID())", guestPath: "/")
                ]))
        }
    }

    @Test func createWriteSeekReadStat() throws {
        let tree = try TempTree()
        let guest = try tree.guest()
        let (e, fd) = try guest.open(preopenFD, "notes.txt", oflags: creat | trunc)
        #expect(e == .success)
        #expect(fd == 4)
        #expect(try guest.write(fd, "hello, file") == (.success, 11))
        let pos = guest.alloc(8)
        #expect(try guest.call("fd_tell", .i32(fd), .i32(pos)) == .success)
        #expect(guest.u64(pos) == 11)
        #expect(try guest.call("fd_seek", .i32(fd), .i64(UInt64(bitPattern: -4)), .i32(1), .i32(pos)) == .success)
        #expect(guest.u64(pos) == 7)
        #expect(try guest.read(fd) == (.success, "file"))
        #expect(try guest.call("fd_seek", .i32(fd), .i64(0), .i32(0), .i32(pos)) == .success)
        #expect(try guest.read(fd, max: 5) == (.success, "hello"))
        #expect(try guest.call("fd_seek", .i32(fd), .i64(0), .i32(2), .i32(pos)) == .success)
        #expect(guest.u64(pos) == 11)
        #expect(try guest.call("fd_seek", .i32(fd), .i64(UInt64(bitPattern: -100)), .i32(0), .i32(pos)) == .inval)
        #expect(try guest.call("fd_seek", .i32(fd), .i64(0), .i32(3), .i32(pos)) == .inval)
        let fs = guest.alloc(64)
        #expect(try guest.call("fd_filestat_get", .i32(fd), .i32(fs)) == .success)
        #expect(guest.u8(fs + 16) == FileType.regularFile.rawValue)
        #expect(guest.u64(fs + 32) == 11)
        #expect(guest.u64(fs + 24) == 1)
        #expect(guest.u64(fs + 48) > 0)
        let st = guest.alloc(24)
        #expect(try guest.call("fd_fdstat_get", .i32(fd), .i32(st)) == .success)
        #expect(guest.u8(st) == FileType.regularFile.rawValue)
        #expect(try guest.call("fd_close", .i32(fd)) == .success)
        #expect(try guest.call("fd_close", .i32(fd)) == .badf)
        #expect(tree.contents("notes.txt") == "hello, file")
        #expect(try guest.stat(preopenFD, "notes.txt").0 == .success)
        #expect(try guest.stat(preopenFD, "notes.txt").1 == FileType.regularFile.rawValue)
        #expect(try guest.stat(preopenFD, "notes.txt").2 == 11)
    }

    @Test func openErrors() throws {
        let tree = try TempTree()
        try tree.file("a.txt", "A")
        let guest = try tree.guest()
        #expect(try guest.open(preopenFD, "missing.txt").0 == .noent)
        #expect(try guest.open(preopenFD, "a.txt", oflags: creat | excl).0 == .exist)
        #expect(try guest.open(preopenFD, "a.txt", oflags: directory).0 == .notdir)
        #expect(try guest.open(preopenFD, "a.txt/").0 == .notdir)
        #expect(try guest.open(preopenFD, "").0 == .noent)
        #expect(try guest.open(0, "a.txt").0 == .notdir)
        #expect(try guest.open(42, "a.txt").0 == .badf)
        // Opening through a file descriptor as if it were a directory.
        let (_, fd) = try guest.open(preopenFD, "a.txt", rights: readOnlyRights)
        #expect(try guest.open(fd, "x").0 == .notdir)
        #expect(try guest.open(preopenFD, "a.txt/x").0 == .notdir)
        // Bad path pointers and invalid UTF-8.
        #expect(
            try guest.call(
                "path_open", .i32(3), .i32(0), .i32(65530), .i32(10), .i32(0), .i64(0), .i64(0), .i32(0), .i32(64))
                == .fault)
        let bad = guest.put([0x61, 0xFF])
        #expect(
            try guest.call(
                "path_open", .i32(3), .i32(0), .i32(bad), .i32(2), .i32(0), .i64(0), .i64(0), .i32(0), .i32(64))
                == .ilseq)
        let (p, n) = guest.str("a.txt")
        #expect(
            try guest.call("path_open", .i32(3), .i32(0), p, n, .i32(0), .i64(0), .i64(0), .i32(0), .i32(65534))
                == .fault)
    }

    @Test func readOnlyRightsForbidWriting() throws {
        let tree = try TempTree()
        try tree.file("a.txt", "A")
        let guest = try tree.guest()
        let (e, fd) = try guest.open(preopenFD, "a.txt", rights: readOnlyRights)
        #expect(e == .success)
        #expect(try guest.read(fd) == (.success, "A"))
        #expect(try guest.write(fd, "B").0 == .notcapable)
        #expect(try guest.call("fd_filestat_set_size", .i32(fd), .i64(0)) == .notcapable)
        #expect(tree.contents("a.txt") == "A")
    }

    @Test func preadAndPwriteKeepThePosition() throws {
        let tree = try TempTree()
        try tree.file("data.bin", "0123456789")
        let guest = try tree.guest()
        let (_, fd) = try guest.open(preopenFD, "data.bin")
        let buf = guest.alloc(4), n = guest.alloc(4), pos = guest.alloc(8)
        #expect(
            try guest.call("fd_pread", .i32(fd), .i32(guest.iovecs([(buf, 4)])), .i32(1), .i64(3), .i32(n)) == .success)
        #expect(guest.u32(n) == 4 && guest.string(buf, 4) == "3456")
        let data = guest.put(Array("ab".utf8))
        #expect(
            try guest.call("fd_pwrite", .i32(fd), .i32(guest.iovecs([(data, 2)])), .i32(1), .i64(8), .i32(n))
                == .success)
        #expect(guest.u32(n) == 2)
        #expect(try guest.call("fd_tell", .i32(fd), .i32(pos)) == .success)
        #expect(guest.u64(pos) == 0)
        #expect(
            try guest.call("fd_pread", .i32(fd), .i32(guest.iovecs([(buf, 4)])), .i32(1), .i64(100), .i32(n))
                == .success)
        #expect(guest.u32(n) == 0)
        #expect(tree.contents("data.bin") == "01234567ab")
        #expect(
            try guest.call("fd_pread", .i32(preopenFD), .i32(guest.iovecs([(buf, 4)])), .i32(1), .i64(0), .i32(n))
                == .notcapable)
        #expect(
            try guest.call("fd_pwrite", .i32(fd), .i32(guest.iovecs([(65535, 4)])), .i32(1), .i64(0), .i32(n)) == .fault
        )
        #expect(
            try guest.call(
                "fd_pread", .i32(fd), .i32(guest.iovecs([(buf, 4)])), .i32(1), .i64(UInt64(Int64.max)), .i32(n))
                == .inval)
        #expect(
            try guest.call("fd_pwrite", .i32(fd), .i32(guest.iovecs([(buf, 4)])), .i32(1), .i64(UInt64.max), .i32(n))
                == .inval)
        // Seeking to the edge is the file system's call; overflowing it is an error, never a crash.
        for _ in 0..<2 {
            #expect(
                [.success, .inval, .overflow].contains(
                    try guest.call("fd_seek", .i32(fd), .i64(UInt64(Int64.max)), .i32(1), .i32(n))))
        }
    }

    @Test func sizesTimesFlagsRightsAndHints() throws {
        let tree = try TempTree()
        try tree.file("f", "123456")
        let guest = try tree.guest()
        let (_, fd) = try guest.open(preopenFD, "f")
        #expect(try guest.call("fd_filestat_set_size", .i32(fd), .i64(2)) == .success)
        #expect(tree.contents("f") == "12")
        #expect(try guest.call("fd_allocate", .i32(fd), .i64(0), .i64(100)) == .success)
        #expect(try guest.stat(preopenFD, "f").2 == 100)
        #expect(try guest.call("fd_advise", .i32(fd), .i64(0), .i64(10), .i32(1)) == .success)
        #expect(try guest.call("fd_advise", .i32(fd), .i64(0), .i64(10), .i32(9)) == .inval)
        #expect(try guest.call("fd_sync", .i32(fd)) == .success)
        #expect(try guest.call("fd_datasync", .i32(fd)) == .success)
        #expect(try guest.call("fd_sync", .i32(33)) == .badf)

        // Times: explicit values through the fd and through the path.
        let t: UInt64 = 1_000_000_000 * 1_600_000_000 + 5
        #expect(
            try guest.call("fd_filestat_set_times", .i32(fd), .i64(t), .i64(t + 1_000_000_000), .i32(1 | 4)) == .success
        )
        let fs = guest.alloc(64)
        #expect(try guest.call("fd_filestat_get", .i32(fd), .i32(fs)) == .success)
        #expect(guest.u64(fs + 40) == t && guest.u64(fs + 48) == t + 1_000_000_000)
        #expect(try guest.call("fd_filestat_set_times", .i32(fd), .i64(0), .i64(0), .i32(1 | 2)) == .inval)
        let (p, n) = guest.str("f")
        #expect(
            try guest.call("path_filestat_set_times", .i32(3), .i32(1), p, n, .i64(0), .i64(t), .i32(4)) == .success)
        #expect(try guest.call("fd_filestat_get", .i32(fd), .i32(fs)) == .success)
        #expect(guest.u64(fs + 48) == t && guest.u64(fs + 40) == t)
        #expect(
            try guest.call("path_filestat_set_times", .i32(3), .i32(1), p, n, .i64(0), .i64(0), .i32(8)) == .success)
        #expect(try guest.call("fd_filestat_get", .i32(fd), .i32(fs)) == .success)
        #expect(guest.u64(fs + 48) > t)
        let (mp, mn) = guest.str("missing")
        #expect(
            try guest.call("path_filestat_set_times", .i32(3), .i32(1), mp, mn, .i64(0), .i64(0), .i32(8)) == .noent)

        // Flags: append.
        #expect(try guest.call("fd_fdstat_set_flags", .i32(fd), .i32(1)) == .success)
        let st = guest.alloc(24)
        #expect(try guest.call("fd_fdstat_get", .i32(fd), .i32(st)) == .success)
        #expect(guest.u16(st + 2) & 1 == 1)
        #expect(try guest.call("fd_filestat_set_size", .i32(fd), .i64(2)) == .success)
        #expect(try guest.write(fd, "Z").0 == .success)
        #expect(tree.contents("f") == "12Z")

        // Rights can be dropped, never regained.
        #expect(try guest.call("fd_fdstat_set_rights", .i32(fd), .i64(Rights.fdRead.rawValue), .i64(0)) == .success)
        #expect(try guest.write(fd, "Y").0 == .notcapable)
        #expect(try guest.call("fd_fdstat_set_rights", .i32(fd), .i64(Rights.all.rawValue), .i64(0)) == .notcapable)
        #expect(try guest.call("fd_fdstat_set_rights", .i32(99), .i64(0), .i64(0)) == .badf)
    }

    @Test func directoriesAreNotFiles() throws {
        let tree = try TempTree()
        let guest = try tree.guest()
        #expect(try guest.read(preopenFD).0 == .notcapable)
        let (e, fd) = try guest.open(
            preopenFD, ".", oflags: directory, rights: [.fdRead, .fdReaddir, .pathOpen, .fdSeek])
        #expect(e == .success)
        #expect(try guest.read(fd).0 == .isdir)
        #expect(try guest.call("fd_seek", .i32(fd), .i64(0), .i32(0), .i32(64)) == .badf)
        #expect(try guest.call("fd_tell", .i32(fd), .i32(64)) == .badf)
        #expect(
            try guest.call("fd_pread", .i32(fd), .i32(guest.iovecs([(64, 1)])), .i32(1), .i64(0), .i32(72)) == .isdir)
        #expect(try guest.call("fd_allocate", .i32(preopenFD), .i64(0), .i64(1)) == .notcapable)
    }

    @Test func readdirListsEntriesAndResumesFromCookies() throws {
        let tree = try TempTree()
        try tree.file("one.txt", "1")
        try tree.file("sub/two.txt", "2")
        try tree.symlink("link", to: "one.txt")
        let guest = try tree.guest()
        let buf = guest.alloc(1024), used = guest.alloc(4)
        #expect(try guest.call("fd_readdir", .i32(3), .i32(buf), .i32(1024), .i64(0), .i32(used)) == .success)
        #expect(guest.u32(used) < 1024)
        let all = dirents(guest, buf, guest.u32(used))
        let byName = Dictionary(uniqueKeysWithValues: all.map { ($0.1, $0.2) })
        #expect(Set(byName.keys) == [".", "..", "one.txt", "sub", "link"])
        #expect(byName["one.txt"] == FileType.regularFile.rawValue)
        #expect(byName["sub"] == FileType.directory.rawValue)
        #expect(byName["link"] == FileType.symbolicLink.rawValue)
        #expect(all.map(\.0) == Array(1...5).map(UInt64.init))

        // Resume after the second entry.
        #expect(try guest.call("fd_readdir", .i32(3), .i32(buf), .i32(1024), .i64(2), .i32(used)) == .success)
        #expect(dirents(guest, buf, guest.u32(used)).map(\.1) == all.dropFirst(2).map(\.1))

        // A small buffer is filled completely; the last entry is cut.
        #expect(try guest.call("fd_readdir", .i32(3), .i32(buf), .i32(30), .i64(0), .i32(used)) == .success)
        #expect(guest.u32(used) == 30)
        #expect(dirents(guest, buf, 30).count == 1)

        // Cookies continue the listing taken at cookie 0; a new cookie 0 sees changes.
        try tree.file("late.txt", "")
        #expect(try guest.call("fd_readdir", .i32(3), .i32(buf), .i32(1024), .i64(2), .i32(used)) == .success)
        #expect(!dirents(guest, buf, guest.u32(used)).map(\.1).contains("late.txt"))
        #expect(try guest.call("fd_readdir", .i32(3), .i32(buf), .i32(1024), .i64(0), .i32(used)) == .success)
        #expect(dirents(guest, buf, guest.u32(used)).map(\.1).contains("late.txt"))
        try FileManager.default.removeItem(atPath: tree.sandbox + "/late.txt")
        #expect(try guest.call("fd_readdir", .i32(3), .i32(buf), .i32(1024), .i64(0), .i32(used)) == .success)

        // Past the end: nothing.
        #expect(try guest.call("fd_readdir", .i32(3), .i32(buf), .i32(1024), .i64(5), .i32(used)) == .success)
        #expect(guest.u32(used) == 0)

        #expect(try guest.call("fd_readdir", .i32(1), .i32(buf), .i32(1024), .i64(0), .i32(used)) == .notcapable)
        #expect(try guest.call("fd_readdir", .i32(3), .i32(65500), .i32(1024), .i64(0), .i32(used)) == .fault)

        // A subdirectory opened with path_open can be listed too.
        let (_, sub) = try guest.open(3, "sub", oflags: directory)
        #expect(try guest.call("fd_readdir", .i32(sub), .i32(buf), .i32(1024), .i64(0), .i32(used)) == .success)
        #expect(Set(dirents(guest, buf, guest.u32(used)).map(\.1)) == [".", "..", "two.txt"])
    }

    @Test func directoriesCreateRemove() throws {
        let tree = try TempTree()
        let guest = try tree.guest()
        #expect(try guest.pathCall("path_create_directory", 3, "d") == .success)
        #expect(try guest.pathCall("path_create_directory", 3, "d") == .exist)
        #expect(try guest.pathCall("path_create_directory", 3, "d/e/") == .success)
        #expect(try guest.pathCall("path_create_directory", 3, "x/y") == .noent)
        #expect(try guest.stat(3, "d/e").1 == FileType.directory.rawValue)
        #expect(try guest.pathCall("path_remove_directory", 3, "d") == .notempty)
        #expect(try guest.pathCall("path_unlink_file", 3, "d/e") == .isdir)
        #expect(try guest.pathCall("path_remove_directory", 3, "d/e") == .success)
        #expect(try guest.pathCall("path_remove_directory", 3, "d/") == .success)
        #expect(try guest.pathCall("path_remove_directory", 3, "d") == .noent)
        try tree.file("f", "")
        #expect(try guest.pathCall("path_remove_directory", 3, "f") == .notdir)
        #expect(try guest.pathCall("path_create_directory", 1, "z") == .notdir)
    }

    @Test func renameLinkUnlink() throws {
        let tree = try TempTree()
        try tree.file("a.txt", "A")
        let guest = try tree.guest()
        #expect(try guest.pathCall("path_create_directory", 3, "dir") == .success)
        let (o, on) = guest.str("a.txt"), (n, nn) = guest.str("dir/b.txt")
        #expect(try guest.call("path_rename", .i32(3), o, on, .i32(3), n, nn) == .success)
        #expect(tree.contents("a.txt") == nil && tree.contents("dir/b.txt") == "A")
        #expect(try guest.call("path_rename", .i32(3), o, on, .i32(3), n, nn) == .noent)

        let (l, ln) = guest.str("hard.txt")
        #expect(try guest.call("path_link", .i32(3), .i32(0), n, nn, .i32(3), l, ln) == .success)
        #expect(try guest.stat(3, "hard.txt").3 == 2)
        #expect(try guest.call("path_link", .i32(3), .i32(0), n, nn, .i32(3), l, ln) == .exist)

        #expect(try guest.pathCall("path_unlink_file", 3, "hard.txt") == .success)
        #expect(try guest.pathCall("path_unlink_file", 3, "hard.txt") == .noent)
        #expect(try guest.pathCall("path_unlink_file", 3, "dir/b.txt/") == .notdir)
        #expect(try guest.stat(3, "dir/b.txt").3 == 1)
        #expect(try guest.pathCall("path_unlink_file", 3, "dir") == .isdir)
    }

    @Test func symlinkAndReadlink() throws {
        let tree = try TempTree()
        try tree.file("sub/target.txt", "T")
        let guest = try tree.guest()
        let (t, tn) = guest.str("sub/target.txt"), (l, ln) = guest.str("link")
        #expect(try guest.call("path_symlink", t, tn, .i32(3), l, ln) == .success)
        #expect(try guest.call("path_symlink", t, tn, .i32(3), l, ln) == .exist)
        let buf = guest.alloc(64), used = guest.alloc(4)
        #expect(try guest.call("path_readlink", .i32(3), l, ln, .i32(buf), .i32(64), .i32(used)) == .success)
        #expect(guest.string(buf, Int(guest.u32(used))) == "sub/target.txt")
        #expect(try guest.call("path_readlink", .i32(3), l, ln, .i32(buf), .i32(3), .i32(used)) == .success)
        #expect(guest.u32(used) == 3)
        #expect(try guest.call("path_readlink", .i32(3), t, tn, .i32(buf), .i32(64), .i32(used)) == .inval)
        #expect(try guest.call("path_readlink", .i32(3), l, ln, .i32(65530), .i32(64), .i32(used)) == .fault)

        // Followed inside the sandbox.
        let (e, fd) = try guest.open(3, "link")
        #expect(e == .success)
        #expect(try guest.read(fd) == (.success, "T"))
        #expect(try guest.stat(3, "link").1 == FileType.regularFile.rawValue)
        #expect(try guest.stat(3, "link", follow: false).1 == FileType.symbolicLink.rawValue)
        #expect(try guest.open(3, "link", follow: false).0 == .loop)

        // A link to a directory used as an intermediate component, and `..` after it.
        try tree.symlink("dirlink", to: "sub")
        #expect(try guest.stat(3, "dirlink/target.txt").0 == .success)
        #expect(try guest.stat(3, "dirlink/../sub/target.txt").0 == .success)
        #expect(try guest.stat(3, "dirlink/", follow: false).1 == FileType.directory.rawValue)

        #expect(try guest.pathCall("path_unlink_file", 3, "link") == .success)
        #expect(tree.contents("sub/target.txt") == "T")
    }

    @Test func symlinkLoopsAreELOOP() throws {
        let tree = try TempTree()
        try tree.symlink("a", to: "b")
        try tree.symlink("b", to: "a")
        try tree.symlink("self", to: "self/x")
        let guest = try tree.guest()
        #expect(try guest.open(3, "a").0 == .loop)
        #expect(try guest.stat(3, "a").0 == .loop)
        #expect(try guest.stat(3, "a/x").0 == .loop)
        #expect(try guest.stat(3, "self").0 == .loop)
        #expect(try guest.stat(3, "a", follow: false).0 == .success)
    }

    @Test func dotAndDotDotInsideTheSandbox() throws {
        let tree = try TempTree()
        try tree.file("sub/f", "F")
        let guest = try tree.guest()
        #expect(try guest.stat(3, ".").1 == FileType.directory.rawValue)
        #expect(try guest.stat(3, "sub/..").1 == FileType.directory.rawValue)
        #expect(try guest.stat(3, "./sub/./f").2 == 1)
        #expect(try guest.stat(3, "sub//f").0 == .success)
        let (e, fd) = try guest.open(3, "sub/../sub/f")
        #expect(e == .success)
        #expect(try guest.read(fd) == (.success, "F"))
    }
}
