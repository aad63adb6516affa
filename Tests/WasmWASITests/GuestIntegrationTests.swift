import Foundation
import TestSupport
import Testing
import WasmCore
import WasmWASI

/// Real guests through `WASI.imports()` and `runCommand`.
@Suite struct GuestIntegrationTests {
    /// Writes "hello ", echoes stdin, exits with 7:
    ///
    /// ```wat
    /// (module
    ///   (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
    ///   (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
    ///   (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
    ///   (memory (export "memory") 1)
    ///   (data (i32.const 16) "hello ")
    ///   (func (export "_start")
    ///     (i32.store (i32.const 0) (i32.const 16))
    ///     (i32.store (i32.const 4) (i32.const 6))
    ///     (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    ///     (i32.store (i32.const 0) (i32.const 100))
    ///     (i32.store (i32.const 4) (i32.const 1000))
    ///     (drop (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))
    ///     (i32.store (i32.const 4) (i32.load (i32.const 8)))
    ///     (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    ///     (call $proc_exit (i32.const 7))))
    /// ```
    static let echoModule: [UInt8] = [
        0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x10, 0x03, 0x60, 0x04, 0x7f, 0x7f, 0x7f,
        0x7f, 0x01, 0x7f, 0x60, 0x01, 0x7f, 0x00, 0x60, 0x00, 0x00, 0x02, 0x67, 0x03, 0x16, 0x77, 0x61,
        0x73, 0x69, 0x5f, 0x73, 0x6e, 0x61, 0x70, 0x73, 0x68, 0x6f, 0x74, 0x5f, 0x70, 0x72, 0x65, 0x76,
        0x69, 0x65, 0x77, 0x31, 0x08, 0x66, 0x64, 0x5f, 0x77, 0x72, 0x69, 0x74, 0x65, 0x00, 0x00, 0x16,
        0x77, 0x61, 0x73, 0x69, 0x5f, 0x73, 0x6e, 0x61, 0x70, 0x73, 0x68, 0x6f, 0x74, 0x5f, 0x70, 0x72,
        0x65, 0x76, 0x69, 0x65, 0x77, 0x31, 0x07, 0x66, 0x64, 0x5f, 0x72, 0x65, 0x61, 0x64, 0x00, 0x00,
        0x16, 0x77, 0x61, 0x73, 0x69, 0x5f, 0x73, 0x6e, 0x61, 0x70, 0x73, 0x68, 0x6f, 0x74, 0x5f, 0x70,
        0x72, 0x65, 0x76, 0x69, 0x65, 0x77, 0x31, 0x09, 0x70, 0x72, 0x6f, 0x63, 0x5f, 0x65, 0x78, 0x69,
        0x74, 0x00, 0x01, 0x03, 0x02, 0x01, 0x02, 0x05, 0x03, 0x01, 0x00, 0x01, 0x07, 0x13, 0x02, 0x06,
        0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02, 0x00, 0x06, 0x5f, 0x73, 0x74, 0x61, 0x72, 0x74, 0x00,
        0x03, 0x0a, 0x51, 0x01, 0x4f, 0x00, 0x41, 0x00, 0x41, 0x10, 0x36, 0x02, 0x00, 0x41, 0x04, 0x41,
        0x06, 0x36, 0x02, 0x00, 0x41, 0x01, 0x41, 0x00, 0x41, 0x01, 0x41, 0x08, 0x10, 0x00, 0x1a, 0x41,
        0x00, 0x41, 0xe4, 0x00, 0x36, 0x02, 0x00, 0x41, 0x04, 0x41, 0xe8, 0x07, 0x36, 0x02, 0x00, 0x41,
        0x00, 0x41, 0x00, 0x41, 0x01, 0x41, 0x08, 0x10, 0x01, 0x1a, 0x41, 0x04, 0x41, 0x08, 0x28, 0x02,
        0x00, 0x36, 0x02, 0x00, 0x41, 0x01, 0x41, 0x00, 0x41, 0x01, 0x41, 0x08, 0x10, 0x00, 0x1a, 0x41,
        0x07, 0x10, 0x02, 0x0b, 0x0b, 0x0c, 0x01, 0x00, 0x41, 0x10, 0x0b, 0x06, 0x68, 0x65, 0x6c, 0x6c,
        0x6f, 0x20,
    ]

    @Test func echoGuestWritesReadsAndExits() throws {
        let out = OutputBuffer()
        let wasi = try WASI(configuration: WASIConfiguration(stdin: .bytes(Array("world".utf8)), stdout: .buffer(out)))
        let store = Store()
        let instance = try store.instantiate(Module(bytes: Self.echoModule), imports: wasi.imports())
        #expect(try wasi.runCommand(instance) == 7)
        #expect(out.string == "hello world")
        #expect(wasi.exitCode == 7)
    }

    /// `../shared/bench-wasm` (or `$SPIN_SHARED_DIR/bench-wasm`).
    static let benchDirectory = SharedData.benchWasm.path

    /// `Fixtures/wasi` at the package root (guest sources, `build.sh`, built modules).
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/wasi")

    static func fixture(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: fixtures.appendingPathComponent(name)))
    }

    /// What fs.wasm prints.
    static let fsExpected = """
        argc=2 argv1=arg1 env=hi
        fopen w: ok
        fopen r: ok
        read 13: one
        line two
        stat: ok
        size=18 regular=1
        mkdir: ok
        rename: ok
        symlink: ok
        readlink=dir/moved.txt
        stat via link: ok
        opendir: ok
        entry=moved.txt
        escape dotdot: refused
        escape absolute: refused
        escape symlink: refused
        unlink link: ok
        unlink evil: ok
        unlink file: ok
        rmdir: ok
        slept>=10ms: yes
        stdin=from stdin
        """

    @Test func wasiLibcFileSystemGuest() throws {
        let tree = try TempTree()
        let out = OutputBuffer()
        let wasi = try WASI(
            configuration: WASIConfiguration(
                args: ["fs.wasm", "arg1"], environment: ["GREETING": "hi"],
                preopens: [.init(hostPath: tree.sandbox, guestPath: "/sandbox")],
                stdin: .bytes(Array("from stdin\n".utf8)), stdout: .buffer(out), stderr: .buffer(out)))
        let store = Store()
        let instance = try store.instantiate(Module(bytes: Self.fixture("fs.wasm")), imports: wasi.imports())
        #expect(try wasi.runCommand(instance) == 3)
        // Checked against Node 20's WASI, except "unlink evil": Node refuses to create a
        // link whose text points outside; we create it (it is only data) and never follow it out.
        #expect(out.string.split(separator: "\n") == Self.fsExpected.split(separator: "\n"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: tree.sandbox).isEmpty)
        #expect(tree.contents("../outside/secret.txt") == "secret")
    }

    /// What more.wasm prints. Node 20's own WASI differs in two lines: it hides `.`
    /// and `..` from readdir and drops the nanoseconds of times.
    static let moreExpected = """
        mkdir big: ok
        readdir: 300 entries, 300 distinct, 2 dots, first=file-with-a-rather-long-name-000.txt last=file-with-a-rather-long-name-299.txt
        open rw: ok
        pwrite: ok
        pread: ok
        pread=3456 offset=0
        ftruncate: ok
        size after truncate=4
        futimens: ok
        mtime=1200000000.000000500
        link: ok
        nlink=2
        open append: ok
        append: ok
        after append=0123XY
        write to read-only fd fails: ok
        poll stdin: 1 POLLIN
        stdin=ping
        getentropy: ok
        clock_getres: ok
        realtime: ok
        sched_yield: ok
        isatty(stdout)=0
        rmdir non-empty fails: ok
        open missing fails: ok
        """

    /// more.wasm on the engine (it used to run on Node's engine through a bridge, before ours ran guests).
    @Test func wasiLibcSecondGuest() throws {
        let tree = try TempTree()
        let out = OutputBuffer()
        let wasi = try WASI(
            configuration: WASIConfiguration(
                args: ["more.wasm"], preopens: [.init(hostPath: tree.sandbox, guestPath: "/sandbox")],
                stdin: .bytes(Array("ping\n".utf8)), stdout: .buffer(out), stderr: .buffer(out)))
        let store = Store()
        let instance = try store.instantiate(Module(bytes: Self.fixture("more.wasm")), imports: wasi.imports())
        #expect(try wasi.runCommand(instance) == 0)
        #expect(out.string.split(separator: "\n") == Self.moreExpected.split(separator: "\n"))
    }

    @Test(
        .enabled(if: SharedData.benchWasmAvailable, SharedData.benchWasmSkipMessage),
        arguments: [("hello.wasm", [String](), "hello from wasm"), ("fib.wasm", ["20"], "fib(20) = 6765")])
    func wasiLibcCommands(file: String, args: [String], expected: String) throws {
        let path = Self.benchDirectory + "/" + file
        let bytes = try #require(FileManager.default.contents(atPath: path), "\(path) is missing")
        let out = OutputBuffer()
        let wasi = try WASI(configuration: WASIConfiguration(args: [file] + args, stdout: .buffer(out)))
        let store = Store()
        let instance = try store.instantiate(Module(bytes: Array(bytes)), imports: wasi.imports())
        #expect(try wasi.runCommand(instance) == 0)
        #expect(out.string.trimmingCharacters(in: .whitespacesAndNewlines) == expected)
    }
}

/// Import signatures of real wasi-libc modules against ours. The binary is read
/// by a minimal type/import section reader here, so this runs before the engine's
/// decoder exists.
@Suite struct ImportSignatureTests {
    /// (module, name, type) of each function import.
    static func functionImports(_ bytes: [UInt8]) throws -> [(String, String, FunctionType)] {
        var p = 8
        func byte() throws -> UInt8 {
            guard p < bytes.count else { throw WASIError("unexpected end") }
            defer { p += 1 }
            return bytes[p]
        }
        func leb() throws -> UInt32 {
            var result: UInt32 = 0, shift: UInt32 = 0
            while true {
                let b = try byte()
                result |= UInt32(b & 0x7F) << shift
                if b & 0x80 == 0 { return result }
                shift += 7
            }
        }
        func name() throws -> String {
            let n = Int(try leb())
            defer { p += n }
            return String(decoding: bytes[p..<p + n], as: UTF8.self)
        }
        func valueType() throws -> ValueType {
            guard let t = ValueType(rawValue: try byte()) else { throw WASIError("bad value type") }
            return t
        }
        func limits() throws {
            let flags = try byte()
            _ = try leb()
            if flags & 1 != 0 { _ = try leb() }
        }
        var types: [FunctionType] = []
        var imports: [(String, String, FunctionType)] = []
        while p < bytes.count {
            let id = try byte()
            let size = Int(try leb())
            let end = p + size
            switch id {
            case 1:
                for _ in 0..<(try leb()) {
                    guard try byte() == 0x60 else { throw WASIError("not a function type") }
                    let params = try (0..<(try leb())).map { _ in try valueType() }
                    let results = try (0..<(try leb())).map { _ in try valueType() }
                    types.append(FunctionType(parameters: params, results: results))
                }
            case 2:
                for _ in 0..<(try leb()) {
                    let module = try name(), field = try name()
                    switch try byte() {
                    case 0: imports.append((module, field, types[Int(try leb())]))
                    case 1: _ = try byte(); try limits()
                    case 2: try limits()
                    default: _ = try byte(); _ = try byte()
                    }
                }
            default: break
            }
            p = end
        }
        return imports
    }

    @Test(
        .enabled(if: SharedData.benchWasmAvailable, SharedData.benchWasmSkipMessage),
        arguments: ["hello.wasm", "fib.wasm", "big.wasm", "nbody.wasm", "sieve.wasm"])
    func benchModulesMatchOurSignatures(file: String) throws {
        let path = GuestIntegrationTests.benchDirectory + "/" + file
        let data = try #require(FileManager.default.contents(atPath: path), "\(path) is missing")
        let imports = try Self.functionImports(Array(data)).filter { $0.0 == WASI.moduleName }
        #expect(!imports.isEmpty)
        for (_, name, type) in imports {
            #expect(WASI.functionType(name) == type, "\(name)")
        }
    }

    /// wasi-libc's own `wasi/api.h` declarations of all 46 functions, compiled.
    @Test func wasiLibcDeclarationsMatchOurSignatures() throws {
        let imports = try Self.functionImports(GuestIntegrationTests.fixture("all_imports.wasm"))
        #expect(Set(imports.map(\.1)) == Set(WASI.functionNames))
        for (module, name, type) in imports {
            #expect(module == WASI.moduleName)
            #expect(WASI.functionType(name) == type, "\(name)")
        }
    }

    @Test func echoModuleMatchesOurSignatures() throws {
        let imports = try Self.functionImports(GuestIntegrationTests.echoModule)
        #expect(imports.map(\.1) == ["fd_write", "fd_read", "proc_exit"])
        for (_, name, type) in imports { #expect(WASI.functionType(name) == type) }
    }
}
