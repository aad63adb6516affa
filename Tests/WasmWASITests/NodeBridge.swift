import Foundation
import Testing
import WasmCore
import WasmWASI

/// Runs a real guest on Node's WebAssembly engine with *our* WASI behind every
/// import, so WasmWASI meets real wasi-libc code before our own interpreter can
/// run it. Node sends each WASI call (name, arguments, the 4 KiB chunks of linear
/// memory that changed since the last call) over a pipe; we apply it to a
/// `Memory` through `WASI.call` and send back the result and the chunks the call
/// changed. Only tests use this; it needs `node` on the PATH.
enum NodeBridge {
    static let node: String? = ["/usr/bin/node", "/usr/local/bin/node"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }
    static var available: Bool { node != nil }

    static let script = #"""
        const fs = require('fs');
        const bytes = fs.readFileSync(process.argv[2]);
        function readExact(n) {
          const b = Buffer.alloc(n); let off = 0;
          while (off < n) {
            let r;
            try { r = fs.readSync(0, b, off, n - off, null); } catch (e) { if (e.code === 'EAGAIN') continue; throw e; }
            if (r === 0) throw new Error('bridge closed');
            off += r;
          }
          return b;
        }
        let memory = null;
        let shadow = Buffer.alloc(0);
        const CHUNK = 4096;
        class Exit { constructor(code) { this.code = code; } }
        // Memory travels as the 4 KiB chunks that differ from what the other side last saw.
        function changedChunks() {
          const mem = memory ? Buffer.from(memory.buffer) : Buffer.alloc(0);
          if (shadow.length !== mem.length) { const s = Buffer.alloc(mem.length); shadow.copy(s); shadow = s; }
          const parts = [];
          for (let i = 0; i < mem.length; i += CHUNK) {
            if (mem.compare(shadow, i, i + CHUNK, i, i + CHUNK) !== 0) {
              const h = Buffer.alloc(4); h.writeUInt32LE(i, 0);
              parts.push(h, mem.subarray(i, i + CHUNK));
              mem.copy(shadow, i, i, i + CHUNK);
            }
          }
          const head = Buffer.alloc(8); head.writeUInt32LE(mem.length, 0); head.writeUInt32LE(parts.length / 2, 4);
          return Buffer.concat([head, ...parts]);
        }
        function applyChunks() {
          const mem = memory ? Buffer.from(memory.buffer) : Buffer.alloc(0);
          const count = readExact(4).readUInt32LE(0);
          for (let k = 0; k < count; k++) {
            const at = readExact(4).readUInt32LE(0);
            const data = readExact(CHUNK);
            data.copy(mem, at); data.copy(shadow, at);
          }
        }
        function send(name, args) {
          const nameB = Buffer.from(name);
          const head = Buffer.alloc(4 + nameB.length + 4 + args.length * 9);
          let p = 0;
          head.writeUInt32LE(nameB.length, p); p += 4; nameB.copy(head, p); p += nameB.length;
          head.writeUInt32LE(args.length, p); p += 4;
          for (const a of args) {
            if (typeof a === 'bigint') { head.writeUInt8(1, p); head.writeBigUInt64LE(BigInt.asUintN(64, a), p + 1); }
            else { head.writeUInt8(0, p); head.writeBigUInt64LE(BigInt(a >>> 0), p + 1); }
            p += 9;
          }
          fs.writeSync(1, Buffer.concat([head, changedChunks()]));
          const status = readExact(1)[0];
          const value = readExact(4).readUInt32LE(0);
          const hasResult = readExact(1)[0];
          applyChunks();
          if (status === 1) throw new Exit(value);
          if (status === 2) throw new Error('host error in ' + name);
          return hasResult ? (value | 0) : undefined;
        }
        const mod = new WebAssembly.Module(bytes);
        const imports = {};
        for (const imp of WebAssembly.Module.imports(mod)) {
          if (imp.kind !== 'function') continue;
          imports[imp.module] ??= {};
          imports[imp.module][imp.name] = (...args) => send(imp.name, args);
        }
        const inst = new WebAssembly.Instance(mod, imports);
        memory = inst.exports.memory;
        let code = 0;
        try { inst.exports._start(); } catch (e) { if (e instanceof Exit) code = e.code; else { console.error(String(e)); code = 255; } }
        memory = null;
        send('', [code]);
        """#

    /// Runs `wasm` with `wasi`; returns the exit code.
    static func run(_ wasmPath: String, _ wasi: WASI) throws -> UInt32 {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wasi-bridge-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let scriptURL = dir.appendingPathComponent("bridge.js")
        try script.write(to: scriptURL, atomically: true, encoding: .utf8)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: node!)
        process.arguments = [scriptURL.path, wasmPath]
        let toNode = Pipe(), fromNode = Pipe()
        process.standardInput = toNode
        process.standardOutput = fromNode
        try process.run()
        defer { process.waitUntilExit() }
        let input = fromNode.fileHandleForReading.fileDescriptor
        let output = toNode.fileHandleForWriting.fileDescriptor
        defer { try? toNode.fileHandleForWriting.close() }

        func readExact(into p: UnsafeMutableRawPointer, _ n: Int) throws {
            var done = 0
            while done < n {
                let r = Glibc.read(input, p + done, n - done)
                if r < 0 && errno == EINTR { continue }
                guard r > 0 else { throw WASIError("node bridge closed") }
                done += r
            }
        }
        func readExact(_ n: Int) throws -> [UInt8] {
            var buffer = [UInt8](repeating: 0, count: n)
            if n > 0 { try buffer.withUnsafeMutableBytes { try readExact(into: $0.baseAddress!, n) } }
            return buffer
        }
        func u32(_ b: [UInt8], _ at: Int = 0) -> UInt32 { b[at..<at + 4].reversed().reduce(0) { $0 << 8 | UInt32($1) } }
        func u64(_ b: [UInt8], _ at: Int) -> UInt64 { b[at..<at + 8].reversed().reduce(0) { $0 << 8 | UInt64($1) } }
        func writeAll(_ p: UnsafeRawPointer, _ count: Int) {
            var done = 0
            while done < count {
                let r = Glibc.write(output, p + done, count - done)
                if r <= 0 { return }
                done += r
            }
        }
        func le(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> ($0 * 8)) } }

        let chunk = 4096
        let memory = try Memory(type: MemoryType(limits: Limits(min: 0)))
        // What Node last saw of the memory; only chunks that differ from it travel.
        var shadow = [UInt8]()
        while true {
            let name = String(decoding: try readExact(Int(u32(try readExact(4)))), as: UTF8.self)
            let argc = Int(u32(try readExact(4)))
            let raw = try readExact(argc * 9)
            let args: [Value] = (0..<argc).map { i in
                raw[i * 9] == 1 ? .i64(u64(raw, i * 9 + 1)) : .i32(UInt32(truncatingIfNeeded: u64(raw, i * 9 + 1)))
            }
            let memLength = Int(u32(try readExact(4)))
            if memory.byteCount < memLength { memory.grow(by: (memLength - memory.byteCount) / Memory.pageSize) }
            if shadow.count < memLength { shadow += [UInt8](repeating: 0, count: memLength - shadow.count) }
            for _ in 0..<Int(u32(try readExact(4))) {
                let at = Int(u32(try readExact(4)))
                try readExact(into: memory.baseAddress + at, chunk)
                shadow.withUnsafeMutableBytes {
                    $0.baseAddress!.advanced(by: at).copyMemory(from: memory.baseAddress + at, byteCount: chunk)
                }
            }
            if name.isEmpty {
                guard case .i32(let code) = args.first else { return 255 }
                return code
            }
            var status: UInt8 = 0, value: UInt32 = 0, hasResult: UInt8 = 0
            do {
                let results = try wasi.call(name, memory: memory, args)
                if case .i32(let e)? = results.first { value = e; hasResult = 1 }
            } catch let exit as WASIExit {
                status = 1
                value = exit.code
            } catch {
                status = 2
            }
            var changed: [Int] = []
            shadow.withUnsafeMutableBytes { sh in
                for at in stride(from: 0, to: memLength, by: chunk)
                where memcmp(sh.baseAddress! + at, memory.baseAddress + at, chunk) != 0 {
                    changed.append(at)
                    (sh.baseAddress! + at).copyMemory(from: memory.baseAddress + at, byteCount: chunk)
                }
            }
            let head = [status] + le(value) + [hasResult] + le(UInt32(changed.count))
            head.withUnsafeBytes { writeAll($0.baseAddress!, $0.count) }
            for at in changed {
                le(UInt32(at)).withUnsafeBytes { writeAll($0.baseAddress!, 4) }
                writeAll(memory.baseAddress + at, chunk)
            }
        }
    }
}

@Suite(.enabled(if: NodeBridge.available, "needs node")) struct NodeBridgeTests {
    @Test func wasiLibcFileSystemGuest() throws {
        let tree = try TempTree()
        let out = OutputBuffer()
        let wasi = try WASI(
            configuration: WASIConfiguration(
                args: ["fs.wasm", "arg1"], environment: ["GREETING": "hi"],
                preopens: [.init(hostPath: tree.sandbox, guestPath: "/sandbox")],
                stdin: .bytes(Array("from stdin\n".utf8)), stdout: .buffer(out), stderr: .buffer(out)))
        let code = try NodeBridge.run(GuestIntegrationTests.fixtures.appendingPathComponent("fs.wasm").path, wasi)
        #expect(code == 3)
        #expect(out.string.split(separator: "\n") == GuestIntegrationTests.fsExpected.split(separator: "\n"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: tree.sandbox).isEmpty)
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

    @Test func wasiLibcSecondGuest() throws {
        let tree = try TempTree()
        let out = OutputBuffer()
        let wasi = try WASI(
            configuration: WASIConfiguration(
                args: ["more.wasm"], preopens: [.init(hostPath: tree.sandbox, guestPath: "/sandbox")],
                stdin: .bytes(Array("ping\n".utf8)), stdout: .buffer(out), stderr: .buffer(out)))
        let code = try NodeBridge.run(GuestIntegrationTests.fixtures.appendingPathComponent("more.wasm").path, wasi)
        #expect(code == 0)
        #expect(out.string.split(separator: "\n") == Self.moreExpected.split(separator: "\n"))
    }

    @Test(arguments: [("hello.wasm", [String](), "hello from wasm"), ("fib.wasm", ["20"], "fib(20) = 6765")])
    func benchCommands(file: String, args: [String], expected: String) throws {
        let path = GuestIntegrationTests.benchDirectory + "/" + file
        guard FileManager.default.fileExists(atPath: path) else { return }
        let out = OutputBuffer()
        let wasi = try WASI(configuration: WASIConfiguration(args: [file] + args, stdout: .buffer(out)))
        #expect(try NodeBridge.run(path, wasi) == 0)
        #expect(out.string.trimmingCharacters(in: .whitespacesAndNewlines) == expected)
    }
}
