import Foundation
import Testing
import WasmCore
import WasmWASI

/// What `fd_fdstat_get` reports, held to the values wasmtime 49 reports for the
/// same descriptors (observed with `Fixtures/wasi/rights.c`; see `rights.expected`).
@Suite struct RightsTests {
    /// wasmtime's rights, as observed.
    enum Observed {
        static let preopenBase: UInt64 = 129_498_624
        static let preopenInheriting: UInt64 = 267_911_167
        static let readOnlyFile: UInt64 = 1_073_741_759
        static let writeOnlyFile: UInt64 = 1_073_725_437
        static let readWriteFile: UInt64 = 1_073_741_823
        static let directory: UInt64 = 1_069_023_163
    }

    /// (filetype, fdflags, base, inheriting) from `fd_fdstat_get`.
    static func fdstat(_ guest: Guest, _ fd: UInt32) throws -> (UInt8, UInt16, UInt64, UInt64) {
        let st = guest.alloc(FdStat.size)
        try #require(try guest.call("fd_fdstat_get", .i32(fd), .i32(st)) == .success)
        return (guest.u8(st), guest.u16(st + 2), guest.u64(st + 8), guest.u64(st + 16))
    }

    @Test func preopenReportsWasmtimesRights() throws {
        let tree = try TempTree()
        let guest = try tree.guest()
        let (type, flags, base, inheriting) = try Self.fdstat(guest, preopenFD)
        #expect(type == FileType.directory.rawValue && flags == 0)
        #expect(base == Observed.preopenBase)
        #expect(inheriting == Observed.preopenInheriting)
        #expect(!Rights(rawValue: base).contains(.fdSeek) && !Rights(rawValue: base).contains(.fdTell))
    }

    @Test func openedDirectoryReportsNoSeekButTell() throws {
        let tree = try TempTree()
        try FileManager.default.createDirectory(atPath: tree.sandbox + "/d", withIntermediateDirectories: false)
        let guest = try tree.guest()
        // Whatever rights are asked for, wasmtime reports the same for a directory.
        for asked: Rights in [.all, [.fdReaddir, .pathOpen], []] {
            let (e, fd) = try guest.open(preopenFD, "d", oflags: directory, rights: asked)
            try #require(e == .success)
            let (type, _, base, inheriting) = try Self.fdstat(guest, fd)
            #expect(type == FileType.directory.rawValue)
            #expect(base == Observed.directory && inheriting == Observed.directory)
            #expect(!Rights(rawValue: base).contains(.fdSeek))
            #expect(Rights(rawValue: base).contains(.fdTell))
            // fd_seek and fd_tell on a directory are EBADF either way.
            #expect(try guest.call("fd_seek", .i32(fd), .i64(0), .i32(0), .i32(64)) == .badf)
        }
        let (_, dot) = try guest.open(preopenFD, ".", rights: [.fdRead, .fdReaddir])
        #expect(try Self.fdstat(guest, dot).2 == Observed.directory)
    }

    @Test func openedFileReportsRightsOfItsAccessMode() throws {
        let tree = try TempTree()
        try tree.file("f", "x")
        let guest = try tree.guest()
        let cases: [(Rights, UInt64)] = [
            (.fdRead, Observed.readOnlyFile),
            ([.fdRead, .fdSeek, .fdTell], Observed.readOnlyFile),
            ([], Observed.readOnlyFile),
            (.fdWrite, Observed.writeOnlyFile),
            ([.fdRead, .fdWrite], Observed.readWriteFile),
            (.all, Observed.readWriteFile),
        ]
        for (asked, reported) in cases {
            let (e, fd) = try guest.open(preopenFD, "f", rights: asked)
            try #require(e == .success)
            let (type, flags, base, inheriting) = try Self.fdstat(guest, fd)
            #expect(type == FileType.regularFile.rawValue && flags == 0)
            #expect(base == reported, "asked for \(asked.rawValue)")
            #expect(inheriting == reported, "asked for \(asked.rawValue)")
        }
        let (_, appending) = try guest.open(
            preopenFD, "f", rights: .fdWrite, fdflags: UInt32(FdFlags.append.rawValue))
        #expect(try Self.fdstat(guest, appending).1 == FdFlags.append.rawValue)
    }

    @Test func stdioReportsReadOrWriteOnly() throws {
        let guest = try Guest(WASIConfiguration(stdin: .bytes([1]), stdout: .discard, stderr: .buffer(OutputBuffer())))
        let (inType, inFlags, inBase, inInheriting) = try Self.fdstat(guest, 0)
        #expect(inType == FileType.unknown.rawValue && inFlags == 0)
        #expect(inBase == Rights.fdRead.rawValue && inInheriting == Rights.fdRead.rawValue)
        for fd: UInt32 in [1, 2] {
            let (type, flags, base, inheriting) = try Self.fdstat(guest, fd)
            #expect(type == FileType.unknown.rawValue && flags == 0)
            #expect(base == Rights.fdWrite.rawValue && inheriting == Rights.fdWrite.rawValue)
        }
        // Still usable as before: the rights enforced are not the ones reported.
        #expect(try guest.read(0) == (.success, "\u{1}"))
        #expect(try guest.write(2, "e").0 == .success)
    }

    @Test func inheritedStdioIsACharacterDeviceOnlyWhenATerminal() throws {
        let guest = try Guest(WASIConfiguration(stdin: .inherit, stdout: .inherit, stderr: .inherit))
        for fd: UInt32 in [0, 1, 2] {
            let (type, flags, _, _) = try Self.fdstat(guest, fd)
            let expected: FileType = isatty(Int32(fd)) == 1 ? .characterDevice : .unknown
            #expect(type == expected.rawValue, "fd \(fd)")
            #expect(flags == 0)
        }
    }

    @Test func readOnlyPreopenReportsNothingThatChanges() throws {
        let tree = try TempTree()
        try tree.file("f", "x")
        let guest = try tree.guest(readOnly: true)
        let (_, _, base, inheriting) = try Self.fdstat(guest, preopenFD)
        #expect(Rights(rawValue: base).isDisjoint(with: .mutating))
        #expect(Rights(rawValue: inheriting).isDisjoint(with: .mutating))
        #expect(Rights(rawValue: base).contains([.pathOpen, .fdReaddir, .pathFilestatGet]))
        let (_, fd) = try guest.open(preopenFD, "f", rights: readOnlyRights)
        let (_, _, fileBase, _) = try Self.fdstat(guest, fd)
        #expect(Rights(rawValue: fileBase).isDisjoint(with: .mutating))
        #expect(Rights(rawValue: fileBase).contains([.fdRead, .fdSeek]))
    }

    @Test func droppedRightsAreNoLongerReported() throws {
        let tree = try TempTree()
        try tree.file("f", "x")
        let guest = try tree.guest()
        let (_, fd) = try guest.open(preopenFD, "f", rights: [.fdRead, .fdWrite, .fdSeek, .fdTell])
        let (_, _, base, inheriting) = try Self.fdstat(guest, fd)
        // What fd_fdstat_get returned, less fd_write, is accepted...
        let withoutWrite = base & ~Rights.fdWrite.rawValue
        #expect(try guest.call("fd_fdstat_set_rights", .i32(fd), .i64(withoutWrite), .i64(inheriting)) == .success)
        #expect(try Self.fdstat(guest, fd).2 == withoutWrite)
        #expect(try guest.write(fd, "y").0 == .notcapable)
        #expect(try guest.read(fd) == (.success, "x"))
        // ...and what was dropped cannot come back.
        #expect(try guest.call("fd_fdstat_set_rights", .i32(fd), .i64(base), .i64(inheriting)) == .notcapable)
        #expect(try guest.call("fd_fdstat_set_rights", .i32(fd), .i64(0), .i64(0)) == .success)
        #expect(try Self.fdstat(guest, fd).2 == 0)
        #expect(try guest.read(fd).0 == .notcapable)
    }
}
