import Foundation
import Testing
import WasmWASI

@testable import WasmCore

/// A fake guest: one page of real linear memory, a bump allocator, and calls
/// through the `Function` objects the adapter builds (as the engine will).
final class Guest {
    let wasi: WASI
    let memory: Memory
    let functions: [String: Function]
    private var heap: UInt32 = 1024

    init(_ configuration: WASIConfiguration = WASIConfiguration()) throws {
        wasi = try WASI(configuration: configuration)
        memory = try Memory(type: MemoryType(limits: Limits(min: 1)))
        functions = Dictionary(uniqueKeysWithValues: wasi.functions().map { ($0.name, $0.function) })
    }

    deinit { wasi.close() }

    /// Calls `name` with i32/i64 arguments and returns the errno.
    @discardableResult
    func call(_ name: String, _ args: Value...) throws -> Errno {
        let f = try #require(functions[name], "no function \(name)")
        let results = try f.hostBody!(Caller(store: Store(), instance: nil, memory: memory), args)
        guard case .i32(let e)? = results.first else { return .success }
        return try #require(Errno(rawValue: UInt16(e)))
    }

    func alloc(_ count: Int) -> UInt32 {
        let p = heap
        heap += UInt32((count + 7) & ~7)
        precondition(Int(heap) < memory.byteCount)
        return p
    }

    func put(_ bytes: [UInt8]) -> UInt32 {
        let p = alloc(bytes.count)
        try! memory.write(bytes, at: Int(p))
        return p
    }

    /// A string's (pointer, length) as i32 values.
    func str(_ s: String) -> (Value, Value) {
        let bytes = Array(s.utf8)
        return (.i32(put(bytes)), .i32(UInt32(bytes.count)))
    }

    /// An iovec array over `buffers`.
    func iovecs(_ buffers: [(UInt32, UInt32)]) -> UInt32 {
        let p = alloc(buffers.count * 8)
        for (i, b) in buffers.enumerated() {
            try! memory.store(b.0, at: Int(p) + i * 8)
            try! memory.store(b.1, at: Int(p) + i * 8 + 4)
        }
        return p
    }

    func u8(_ p: UInt32) -> UInt8 { try! memory.load(at: Int(p)) }
    func u16(_ p: UInt32) -> UInt16 { try! memory.load(at: Int(p)) }
    func u32(_ p: UInt32) -> UInt32 { try! memory.load(at: Int(p)) }
    func u64(_ p: UInt32) -> UInt64 { try! memory.load(at: Int(p)) }
    func bytes(_ p: UInt32, _ n: Int) -> [UInt8] { try! memory.read(at: Int(p), count: n) }
    func string(_ p: UInt32, _ n: Int) -> String { String(decoding: bytes(p, n), as: UTF8.self) }

    // MARK: conveniences over the ABI

    /// Writes `text` to `fd`; returns (errno, bytes written).
    func write(_ fd: UInt32, _ text: String) throws -> (Errno, UInt32) {
        let data = put(Array(text.utf8))
        let iov = iovecs([(data, UInt32(text.utf8.count))])
        let out = alloc(4)
        let e = try call("fd_write", .i32(fd), .i32(iov), .i32(1), .i32(out))
        return (e, u32(out))
    }

    /// Reads up to `max` bytes from `fd`.
    func read(_ fd: UInt32, max: Int = 4096) throws -> (Errno, String) {
        let buf = alloc(max)
        let iov = iovecs([(buf, UInt32(max))])
        let out = alloc(4)
        let e = try call("fd_read", .i32(fd), .i32(iov), .i32(1), .i32(out))
        return (e, e == .success ? string(buf, Int(u32(out))) : "")
    }

    /// path_open beneath `dir`; returns (errno, new fd).
    func open(
        _ dir: UInt32, _ path: String, oflags: UInt32 = 0, rights: Rights = .all, follow: Bool = true,
        fdflags: UInt32 = 0
    ) throws -> (Errno, UInt32) {
        let (p, n) = str(path)
        let out = alloc(4)
        try memory.store(UInt32(0xFFFF_FFFF), at: Int(out))
        let e = try call(
            "path_open", .i32(dir), .i32(follow ? 1 : 0), p, n, .i32(oflags), .i64(rights.rawValue),
            .i64(Rights.all.rawValue),
            .i32(fdflags), .i32(out))
        return (e, u32(out))
    }

    /// path_filestat_get; returns (errno, filetype, size, nlink).
    func stat(_ dir: UInt32, _ path: String, follow: Bool = true) throws -> (Errno, UInt8, UInt64, UInt64) {
        let (p, n) = str(path)
        let out = alloc(64)
        let e = try call("path_filestat_get", .i32(dir), .i32(follow ? 1 : 0), p, n, .i32(out))
        return (e, u8(out + 16), u64(out + 32), u64(out + 24))
    }

    /// Calls a `(fd, path_ptr, path_len)` function.
    func pathCall(_ name: String, _ dir: UInt32, _ path: String) throws -> Errno {
        let (p, n) = str(path)
        return try call(name, .i32(dir), p, n)
    }
}

/// A temporary directory tree: `root/sandbox` is preopened, `root/outside` is not.
final class TempTree {
    let root: URL
    var sandbox: String { root.appendingPathComponent("sandbox").path }
    var outside: String { root.appendingPathComponent("outside").path }

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("wasi-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            atPath: root.appendingPathComponent("sandbox").path, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(
            atPath: root.appendingPathComponent("outside").path, withIntermediateDirectories: true)
        try "secret".write(toFile: outside + "/secret.txt", atomically: false, encoding: .utf8)
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    func file(_ relative: String, _ contents: String) throws {
        let path = sandbox + "/" + relative
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try contents.write(toFile: path, atomically: false, encoding: .utf8)
    }

    func symlink(_ relative: String, to target: String) throws {
        try FileManager.default.createSymbolicLink(atPath: sandbox + "/" + relative, withDestinationPath: target)
    }

    func contents(_ relative: String) -> String? {
        try? String(contentsOfFile: sandbox + "/" + relative, encoding: .utf8)
    }

    func exists(_ path: String) -> Bool {
        var st = Foundation.stat()
        return lstat(path, &st) == 0
    }

    func guest(readOnly: Bool = false, stdout: OutputSink = .discard) throws -> Guest {
        try Guest(
            WASIConfiguration(
                args: ["test"], preopens: [.init(hostPath: sandbox, guestPath: "/sandbox", readOnly: readOnly)],
                stdout: stdout))
    }
}

/// The first preopen's descriptor number.
let preopenFD: UInt32 = 3
