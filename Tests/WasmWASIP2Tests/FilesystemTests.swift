import Foundation
import WasmComponents
import WasmWASI
import WasmWASIP2
import Testing

/// `wasi:filesystem`: files beneath a preopen work; nothing reaches outside it.
struct FilesystemTests {
    static let types = "wasi:filesystem/types"

    /// `open-at` beneath `dir`; the result as the guest sees it.
    static func open(
        _ f: P2Fixture, _ dir: UInt32, _ path: String, create: Bool = false, directory: Bool = false,
        follow: Bool = false, read: Bool = true, write: Bool = false
    ) throws -> ComponentValue? {
        var openFlags: Set<Int> = []
        if create { openFlags.insert(0) }
        if directory { openFlags.insert(1) }
        var flags: Set<Int> = []
        if read { flags.insert(0) }
        if write { flags.insert(1) }
        return try f.call(types, "[method]descriptor.open-at", [.borrow(dir), .flags(follow ? [0] : []), .string(path), .flags(openFlags), .flags(flags)])
    }

    static func error(_ code: FilesystemErrorCode) -> ComponentValue { .err(.enumeration(code.rawValue)) }

    @Test func preopensAreListedWithTheirGuestPaths() throws {
        let f = try P2Fixture()
        guard case .list(let l)? = try f.call("wasi:filesystem/preopens", "get-directories"), l.count == 1,
            case .tuple(let t) = l[0], t.count == 2
        else { Issue.record("get-directories"); return }
        #expect(t[1] == .string("/sandbox"))
        let dir = try #require(P2Fixture.rep(t[0]))
        #expect(try f.call(Self.types, "[method]descriptor.get-type", [.borrow(dir)]) == .ok(.enumeration(3)))
        #expect(try f.call(Self.types, "[method]descriptor.get-flags", [.borrow(dir)]) == .ok(.flags([0, 1, 5])))
    }

    @Test func writeThenReadAFileAndListTheDirectory() throws {
        let f = try P2Fixture()
        let dir = try f.preopen()
        let file = try #require(P2Fixture.rep(P2Fixture.ok(try Self.open(f, dir, "notes.txt", create: true, write: true))))
        #expect(try f.call(Self.types, "[method]descriptor.write", [.borrow(file), .bytes(Array("hello".utf8)), .u64(0)]) == .ok(.u64(5)))
        // Through streams: write at an offset, then append.
        let out = try #require(P2Fixture.rep(P2Fixture.ok(try f.call(Self.types, "[method]descriptor.write-via-stream", [.borrow(file), .u64(5)]))))
        #expect(try f.call("wasi:io/streams", "[method]output-stream.write", [.borrow(out), .bytes(Array(", world".utf8))]) == .ok(nil))
        let append = try #require(P2Fixture.rep(P2Fixture.ok(try f.call(Self.types, "[method]descriptor.append-via-stream", [.borrow(file)]))))
        #expect(try f.call("wasi:io/streams", "[method]output-stream.write", [.borrow(append), .bytes(Array("!".utf8))]) == .ok(nil))
        #expect(try String(contentsOfFile: f.directory + "/notes.txt", encoding: .utf8) == "hello, world!")

        #expect(
            try f.call(Self.types, "[method]descriptor.read", [.borrow(file), .u64(100), .u64(7)])
                == .ok(.tuple([.bytes(Array("world!".utf8)), .bool(true)])))
        let input = try #require(P2Fixture.rep(P2Fixture.ok(try f.call(Self.types, "[method]descriptor.read-via-stream", [.borrow(file), .u64(7)]))))
        #expect(try f.call("wasi:io/streams", "[method]input-stream.read", [.borrow(input), .u64(5)]) == .ok(.bytes(Array("world".utf8))))

        guard case .ok(.record(let stat)?)? = try f.call(Self.types, "[method]descriptor.stat", [.borrow(file)]) else {
            Issue.record("stat")
            return
        }
        #expect(stat[0] == .enumeration(6))  // regular-file
        #expect(stat[2] == .u64(13))

        #expect(try f.call(Self.types, "[method]descriptor.create-directory-at", [.borrow(dir), .string("sub")]) == .ok(nil))
        let entries = try #require(P2Fixture.rep(P2Fixture.ok(try f.call(Self.types, "[method]descriptor.read-directory", [.borrow(dir)]))))
        var names: [String] = []
        while case .ok(.option(.record(let e)?)?)? = try f.call(Self.types, "[method]directory-entry-stream.read-directory-entry", [.borrow(entries)]) {
            if case .string(let n) = e[1] { names.append(n) }
        }
        #expect(names.sorted() == ["notes.txt", "sub"])
        #expect(try f.call(Self.types, "[method]descriptor.unlink-file-at", [.borrow(dir), .string("notes.txt")]) == .ok(nil))
        #expect(!FileManager.default.fileExists(atPath: f.directory + "/notes.txt"))
    }

    @Test func pathsThatLeaveThePreopenAreRefused() throws {
        let f = try P2Fixture()
        let dir = try f.preopen()
        let outside = f.directory + "-outside.txt"
        FileManager.default.createFile(atPath: outside, contents: Data("secret".utf8))
        defer { try? FileManager.default.removeItem(atPath: outside) }
        let name = (outside as NSString).lastPathComponent
        let notPermitted = Self.error(.notPermitted)
        #expect(try Self.open(f, dir, "../\(name)") == notPermitted)
        #expect(try Self.open(f, dir, "/etc/passwd") == notPermitted)
        #expect(try Self.open(f, dir, "a/../../\(name)") == Self.error(.noEntry) || Self.open(f, dir, "a/../../\(name)") == notPermitted)
        #expect(try f.call(Self.types, "[method]descriptor.stat-at", [.borrow(dir), .flags([]), .string("../\(name)")]) == notPermitted)
        // A link pointing outside is not followed out of the sandbox.
        try FileManager.default.createSymbolicLink(atPath: f.directory + "/escape", withDestinationPath: outside)
        #expect(try Self.open(f, dir, "escape", follow: true) == notPermitted)
        try FileManager.default.createSymbolicLink(atPath: f.directory + "/up", withDestinationPath: "..")
        #expect(try Self.open(f, dir, "up/\(name)", follow: true) == notPermitted)
        #expect(try f.call(Self.types, "[method]descriptor.symlink-at", [.borrow(dir), .string("x"), .string("../evil")]) == notPermitted)
        #expect(try f.call(Self.types, "[method]descriptor.create-directory-at", [.borrow(dir), .string("../made")]) == notPermitted)
        #expect(!FileManager.default.fileExists(atPath: (f.directory as NSString).deletingLastPathComponent + "/made"))
        #expect(try String(contentsOfFile: outside, encoding: .utf8) == "secret")
    }

    @Test func readOnlyMountsStayReadOnly() throws {
        let f = try P2Fixture(readOnly: true)
        FileManager.default.createFile(atPath: f.directory + "/data.txt", contents: Data("fixed".utf8))
        let dir = try f.preopen()
        #expect(try f.call(Self.types, "[method]descriptor.get-flags", [.borrow(dir)]) == .ok(.flags([0])))
        let file = try #require(P2Fixture.rep(P2Fixture.ok(try Self.open(f, dir, "data.txt"))))
        #expect(try f.call(Self.types, "[method]descriptor.read", [.borrow(file), .u64(5), .u64(0)]) == .ok(.tuple([.bytes(Array("fixed".utf8)), .bool(false)])))
        #expect(try f.call(Self.types, "[method]descriptor.write", [.borrow(file), .bytes([1]), .u64(0)]) == Self.error(.badDescriptor))
        #expect(try Self.open(f, dir, "data.txt", write: true) == Self.error(.notPermitted))
        #expect(try Self.open(f, dir, "new.txt", create: true) == Self.error(.notPermitted))
        #expect(try f.call(Self.types, "[method]descriptor.unlink-file-at", [.borrow(dir), .string("data.txt")]) == Self.error(.notPermitted))
        #expect(try String(contentsOfFile: f.directory + "/data.txt", encoding: .utf8) == "fixed")
    }

    @Test func droppingADescriptorClosesIt() throws {
        let f = try P2Fixture()
        let dir = try f.preopen()
        let file = try #require(P2Fixture.rep(P2Fixture.ok(try Self.open(f, dir, "x", create: true, write: true))))
        let held = try f.context.table.get(file, as: HostDescriptor.self)
        try f.context.dropResource(file)
        #expect(throws: Errno.badf) { try f.context.wasi.fdFilestatGet(fd: held.fd) }
        // The preopen survives drops of its get-directories handles.
        try f.context.dropResource(dir)
        let again = try f.preopen()
        #expect(try f.call(Self.types, "[method]descriptor.stat", [.borrow(again)]) != nil)
        #expect(try P2Fixture.ok(f.call(Self.types, "[method]descriptor.get-type", [.borrow(again)])) == .enumeration(3))
    }
}
