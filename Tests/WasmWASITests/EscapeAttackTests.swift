import Foundation
import Testing
import WasmCore
import WasmWASI

/// Escape attempts not covered by `SandboxEscapeTests`, one test per attack: hard links to
/// outside files, `..` above a directory descriptor that is not the preopen, bytes that C
/// would read differently (NUL), and host environment variables the guest was not given.
@Suite(.serialized) struct EscapeAttackTests {
    func link(_ guest: Guest, follow: Bool = false, from old: String, to new: String) throws -> Errno {
        let (o, on) = guest.str(old), (n, nn) = guest.str(new)
        return try guest.call("path_link", .i32(3), .i32(follow ? 1 : 0), o, on, .i32(3), n, nn)
    }

    @Test func hardLinkToAnOutsideFileCannotBeMade() throws {
        let tree = try TempTree()
        try tree.symlink("outdir", to: "../outside")
        try tree.symlink("outfile", to: "../outside/secret.txt")
        try tree.symlink("absfile", to: tree.outside + "/secret.txt")
        try tree.file("sub/f", "")
        let guest = try tree.guest()
        let attempts: [(String, Bool)] = [
            ("../outside/secret.txt", false), (tree.outside + "/secret.txt", false), ("outdir/secret.txt", false),
            ("outdir/secret.txt", true), ("outfile", true), ("absfile", true), ("sub/../../outside/secret.txt", false),
        ]
        for (i, (old, follow)) in attempts.enumerated() {
            #expect(try link(guest, follow: follow, from: old, to: "stolen\(i)") == .notcapable, "\(old)")
            #expect(!tree.exists(tree.sandbox + "/stolen\(i)"), "\(old)")
        }
        // Without the follow flag, linking a link copies the link itself: still never followed out.
        #expect(try link(guest, from: "outfile", to: "copy") == .success)
        #expect(try guest.open(3, "copy").0 == .notcapable)
        #expect(try guest.stat(3, "copy", follow: false).1 == FileType.symbolicLink.rawValue)
        #expect(try String(contentsOfFile: tree.outside + "/secret.txt", encoding: .utf8) == "secret")
    }

    @Test func hardLinkFromInsideToOutsideCannotBeMade() throws {
        let tree = try TempTree()
        try tree.file("mine.txt", "mine")
        try tree.symlink("outdir", to: "../outside")
        let guest = try tree.guest()
        for target in ["../outside/planted.txt", tree.outside + "/planted.txt", "outdir/planted.txt"] {
            #expect(try link(guest, from: "mine.txt", to: target) == .notcapable, "\(target)")
        }
        #expect(!tree.exists(tree.outside + "/planted.txt"))
    }

    @Test func dotDotAboveADirectoryDescriptorIsNotCapable() throws {
        // A descriptor for a subdirectory is a sandbox of its own: `..` may not climb out of
        // it, even though the parent is still inside the preopen.
        let tree = try TempTree()
        try tree.file("top.txt", "top")
        try tree.file("sub/inner.txt", "inner")
        try tree.file("sub/x/f", "")
        let guest = try tree.guest()
        let (e, sub) = try guest.open(3, "sub", oflags: directory)
        #expect(e == .success)
        #expect(try guest.open(sub, "inner.txt").0 == .success)
        #expect(try guest.open(sub, "../top.txt").0 == .notcapable)
        #expect(try guest.open(sub, "..").0 == .notcapable)
        #expect(try guest.open(sub, "x/../../top.txt").0 == .notcapable)
        #expect(try guest.stat(sub, "../sub/inner.txt").0 == .notcapable)
    }

    @Test func nulInAPathCannotShortenIt() throws {
        // C stops at NUL; "f\0/../../outside" must not become "f" at one layer and climb at another.
        let tree = try TempTree()
        try tree.file("f", "inside")
        let guest = try tree.guest()
        for path in ["f\0", "f\0/../../outside/secret.txt", "../outside/secret.txt\0", "\0/etc/passwd"] {
            let (e, fd) = try guest.open(3, path, rights: readOnlyRights)
            #expect(e != .success, "\(path.debugDescription) opened fd \(fd)")
        }
    }

    @Test func hostEnvironmentIsNotInheritedByGuests() throws {
        setenv("WASI_TEST_HOST_ONLY_SECRET", "leak", 1)
        defer { unsetenv("WASI_TEST_HOST_ONLY_SECRET") }
        #expect(ProcessInfo.processInfo.environment["PATH"] != nil, "the host has variables to leak")
        for given in [[:], ["GIVEN": "1"]] as [[String: String]] {
            let guest = try Guest(WASIConfiguration(environment: given))
            let sizes = guest.alloc(8)
            #expect(try guest.call("environ_sizes_get", .i32(sizes), .i32(sizes + 4)) == .success)
            #expect(guest.u32(sizes) == UInt32(given.count))
            let bytes = Int(guest.u32(sizes + 4))
            let env = guest.alloc(8), buf = guest.alloc(max(bytes, 1))
            #expect(try guest.call("environ_get", .i32(env), .i32(buf)) == .success)
            let text = guest.string(buf, bytes)
            #expect(text == given.map { "\($0.key)=\($0.value)\0" }.joined())
            #expect(!text.contains("WASI_TEST_HOST_ONLY_SECRET") && !text.contains("PATH="))
        }
    }
}
