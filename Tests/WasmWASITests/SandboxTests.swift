import Foundation
import Testing
import WasmCore
import WasmWASI

/// Every way out of a preopen must fail and leave the outside untouched.
@Suite struct SandboxEscapeTests {
    @Test(arguments: [
        "..", "../outside/secret.txt", "sub/../../outside/secret.txt", "/etc/passwd", "/", "sub/../..", "./..",
    ])
    func dotDotAndAbsolutePathsAreNotCapable(path: String) throws {
        let tree = try TempTree()
        try tree.file("sub/f", "")
        let guest = try tree.guest()
        #expect(try guest.open(3, path, rights: readOnlyRights).0 == .notcapable)
        #expect(try guest.stat(3, path).0 == .notcapable)
        #expect(try guest.pathCall("path_create_directory", 3, path + "/new") == .notcapable)
        #expect(try guest.pathCall("path_unlink_file", 3, path) == .notcapable)
        #expect(try guest.pathCall("path_remove_directory", 3, path) == .notcapable)
    }

    @Test func relativeSymlinkOutIsNotFollowed() throws {
        let tree = try TempTree()
        try tree.symlink("out", to: "../outside/secret.txt")
        let guest = try tree.guest()
        #expect(try guest.open(3, "out").0 == .notcapable)
        #expect(try guest.open(3, "out", follow: false).0 == .loop)
        #expect(try guest.stat(3, "out").0 == .notcapable)
        #expect(try guest.stat(3, "out", follow: false).1 == FileType.symbolicLink.rawValue)
        // Reading the link's text is fine; it is only data.
        let (l, ln) = guest.str("out")
        let buf = guest.alloc(64), used = guest.alloc(4)
        #expect(try guest.call("path_readlink", .i32(3), l, ln, .i32(buf), .i32(64), .i32(used)) == .success)
        // Unlinking the link removes the link, not its target.
        #expect(try guest.pathCall("path_unlink_file", 3, "out") == .success)
        #expect(tree.exists(tree.outside + "/secret.txt"))
    }

    @Test func absoluteSymlinkIsNotFollowed() throws {
        let tree = try TempTree()
        try tree.symlink("abs", to: tree.outside + "/secret.txt")
        try tree.symlink("absdir", to: tree.outside)
        try tree.symlink("root", to: "/")
        let guest = try tree.guest()
        #expect(try guest.open(3, "abs").0 == .notcapable)
        #expect(try guest.stat(3, "abs").0 == .notcapable)
        #expect(try guest.open(3, "absdir/secret.txt").0 == .notcapable)
        #expect(try guest.stat(3, "root/etc/passwd").0 == .notcapable)
        #expect(try guest.stat(3, "absdir/", follow: false).0 == .notcapable)
    }

    @Test func symlinkedIntermediateDirectoryOut() throws {
        let tree = try TempTree()
        try tree.symlink("dirlink", to: "../outside")
        try FileManager.default.createDirectory(atPath: tree.sandbox + "/deep/er", withIntermediateDirectories: true)
        try tree.symlink("deep/er/up", to: "../../..")
        let guest = try tree.guest()
        // No follow flag: intermediate components are still resolved, inside only.
        #expect(try guest.open(3, "dirlink/secret.txt", follow: false).0 == .notcapable)
        #expect(try guest.stat(3, "dirlink/secret.txt", follow: false).0 == .notcapable)
        #expect(try guest.open(3, "deep/er/up/outside/secret.txt").0 == .notcapable)
        #expect(try guest.pathCall("path_create_directory", 3, "dirlink/new") == .notcapable)
        #expect(try guest.pathCall("path_unlink_file", 3, "dirlink/secret.txt") == .notcapable)
        #expect(tree.exists(tree.outside + "/secret.txt"))
        #expect(!tree.exists(tree.outside + "/new"))
    }

    @Test func creatingThroughADanglingLinkOutFails() throws {
        let tree = try TempTree()
        try tree.symlink("dangling", to: "../outside/created.txt")
        try tree.symlink("dangling-abs", to: tree.outside + "/created2.txt")
        let guest = try tree.guest()
        #expect(try guest.open(3, "dangling", oflags: creat).0 == .notcapable)
        #expect(try guest.open(3, "dangling-abs", oflags: creat).0 == .notcapable)
        #expect(try guest.open(3, "dangling", oflags: creat, follow: false).0 == .loop)
        #expect(try guest.open(3, "dangling", oflags: creat | excl).0 == .exist)
        #expect(!tree.exists(tree.outside + "/created.txt"))
        #expect(!tree.exists(tree.outside + "/created2.txt"))
    }

    @Test func renameAndLinkCannotLeave() throws {
        let tree = try TempTree()
        try tree.file("in.txt", "IN")
        try tree.symlink("out", to: "../outside/secret.txt")
        try tree.symlink("outdir", to: "../outside")
        let guest = try tree.guest()
        let (i, inn) = guest.str("in.txt")
        for target in ["../moved.txt", "outdir/moved.txt", "/tmp/moved.txt"] {
            let (t, tn) = guest.str(target)
            #expect(try guest.call("path_rename", .i32(3), i, inn, .i32(3), t, tn) == .notcapable)
            #expect(try guest.call("path_link", .i32(3), .i32(0), i, inn, .i32(3), t, tn) == .notcapable)
            let (s, sn) = guest.str(target)
            #expect(try guest.call("path_rename", .i32(3), s, sn, .i32(3), i, inn) == .notcapable)
        }
        // Hard-linking the secret in by following the link out.
        let (o, on) = guest.str("out"), (h, hn) = guest.str("stolen.txt")
        #expect(try guest.call("path_link", .i32(3), .i32(1), o, on, .i32(3), h, hn) == .notcapable)
        #expect(!tree.exists(tree.sandbox + "/stolen.txt"))
        #expect(!tree.exists(tree.outside + "/moved.txt"))
        #expect(tree.contents("in.txt") == "IN")
    }

    @Test func symlinksMayBeCreatedButNeverLeadOut() throws {
        let tree = try TempTree()
        let guest = try tree.guest()
        let (abs, absn) = guest.str("/etc/passwd"), (l, ln) = guest.str("l")
        #expect(try guest.call("path_symlink", abs, absn, .i32(3), l, ln) == .notcapable)
        let (rel, reln) = guest.str("../outside/secret.txt")
        #expect(try guest.call("path_symlink", rel, reln, .i32(3), l, ln) == .success)
        #expect(try guest.open(3, "l").0 == .notcapable)
        let (up, upn) = guest.str("../x")
        #expect(try guest.call("path_symlink", rel, reln, .i32(3), up, upn) == .notcapable)
        #expect(!tree.exists(tree.root.path + "/x"))
    }

    @Test func setTimesAndReadlinkCannotLeave() throws {
        let tree = try TempTree()
        try tree.symlink("out", to: "../outside/secret.txt")
        let guest = try tree.guest()
        let (o, on) = guest.str("out")
        #expect(
            try guest.call("path_filestat_set_times", .i32(3), .i32(1), o, on, .i64(0), .i64(0), .i32(8)) == .notcapable
        )
        let (p, pn) = guest.str("../outside/secret.txt")
        #expect(try guest.call("path_readlink", .i32(3), p, pn, .i32(64), .i32(8), .i32(80)) == .notcapable)
    }

    @Test func swappingADirectoryForALinkAfterOpeningItCannotRedirect() throws {
        // The guest holds a descriptor for `sub`; the host then replaces `sub`
        // with a link out. Paths beneath the held descriptor still resolve in
        // the original directory (now detached), never in the link's target.
        let tree = try TempTree()
        try tree.file("sub/f", "F")
        let guest = try tree.guest()
        let (_, sub) = try guest.open(3, "sub", oflags: directory)
        try FileManager.default.moveItem(atPath: tree.sandbox + "/sub", toPath: tree.sandbox + "/old")
        try tree.symlink("sub", to: tree.outside)
        #expect(try guest.open(sub, "f").0 == .success)
        #expect(try guest.open(sub, "secret.txt").0 == .noent)
        #expect(try guest.stat(3, "sub/secret.txt").0 == .notcapable)
    }
}

@Suite struct ReadOnlyPreopenTests {
    @Test func readsWorkWritesAreEROFS() throws {
        let tree = try TempTree()
        try tree.file("a.txt", "A")
        try tree.file("d/b.txt", "B")
        let guest = try tree.guest(readOnly: true)
        let (e, fd) = try guest.open(3, "a.txt", rights: readOnlyRights)
        #expect(e == .success)
        #expect(try guest.read(fd) == (.success, "A"))
        #expect(try guest.stat(3, "d/b.txt").2 == 1)
        let buf = guest.alloc(512), used = guest.alloc(4)
        #expect(try guest.call("fd_readdir", .i32(3), .i32(buf), .i32(512), .i64(0), .i32(used)) == .success)

        #expect(try guest.open(3, "a.txt").0 == .rofs)  // asks for write rights
        #expect(try guest.open(3, "new.txt", oflags: creat, rights: readOnlyRights).0 == .rofs)
        #expect(try guest.open(3, "a.txt", oflags: trunc, rights: readOnlyRights).0 == .rofs)
        #expect(try guest.pathCall("path_create_directory", 3, "x") == .rofs)
        #expect(try guest.pathCall("path_unlink_file", 3, "a.txt") == .rofs)
        #expect(try guest.pathCall("path_remove_directory", 3, "d") == .rofs)
        let (a, an) = guest.str("a.txt"), (b, bn) = guest.str("c.txt")
        #expect(try guest.call("path_rename", .i32(3), a, an, .i32(3), b, bn) == .rofs)
        #expect(try guest.call("path_link", .i32(3), .i32(0), a, an, .i32(3), b, bn) == .rofs)
        #expect(try guest.call("path_symlink", a, an, .i32(3), b, bn) == .rofs)
        #expect(try guest.call("path_filestat_set_times", .i32(3), .i32(0), a, an, .i64(0), .i64(0), .i32(8)) == .rofs)

        // A descriptor opened beneath a read-only preopen cannot write either.
        #expect(try guest.write(fd, "x").0 == .notcapable)
        #expect(try guest.call("fd_filestat_set_size", .i32(fd), .i64(0)) == .notcapable)
        #expect(try guest.call("fd_fdstat_set_rights", .i32(fd), .i64(Rights.fdWrite.rawValue), .i64(0)) == .notcapable)
        // Subdirectories inherit the restriction.
        let (_, d) = try guest.open(3, "d", oflags: directory, rights: .all)
        #expect(try guest.pathCall("path_unlink_file", d, "b.txt") == .rofs)
        #expect(try guest.open(d, "n", oflags: creat, rights: readOnlyRights).0 == .rofs)
        #expect(tree.contents("a.txt") == "A" && tree.contents("d/b.txt") == "B")
        #expect(!tree.exists(tree.sandbox + "/new.txt"))
    }

    @Test func readOnlyAndWritablePreopensSideBySide() throws {
        let tree = try TempTree()
        try tree.file("a.txt", "A")
        let guest = try Guest(
            WASIConfiguration(preopens: [
                .init(hostPath: tree.sandbox, guestPath: "/ro", readOnly: true),
                .init(hostPath: tree.outside, guestPath: "/rw"),
            ]))
        #expect(try guest.open(3, "new", oflags: creat).0 == .rofs)
        #expect(try guest.open(4, "new", oflags: creat).0 == .success)
        let (a, an) = guest.str("a.txt"), (b, bn) = guest.str("a.txt")
        // Renaming across preopens out of a read-only one is refused.
        #expect(try guest.call("path_rename", .i32(3), a, an, .i32(4), b, bn) == .rofs)
        #expect(tree.contents("a.txt") == "A")
    }
}
