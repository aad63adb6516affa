import Foundation
import TestSupport
import Testing

/// `spin wasm run` as a user runs it: the bench-wasm modules, exit codes, traps.
@Suite(.serialized, .tags(.live), .timeLimit(.minutes(3)))
struct WasmRunCLITests {
    static let bench = SharedData.benchWasm.path
    static let benchPresent = SharedData.benchWasmAvailable

    /// Runs a command; returns (status, stdout, stderr).
    static func run(_ executable: String, _ arguments: [String]) throws -> (Int32, String, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    static var wasmkit: String? {
        (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/wasmkit" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Small arguments keep the debug build fast; the expected output comes from the
    /// bench README where it is documented for these arguments, else from wasmkit.
    @Test(
        .enabled(if: benchPresent, "../shared/bench-wasm is absent; bench modules not run"),
        arguments: [
            ("hello.wasm", [String](), "hello from wasm\n"), ("hello-16m.wasm", [], "hello from wasm\n"),
            ("fib.wasm", ["20"], "fib(20) = 6765\n"), ("big.wasm", [], "big: 1500 functions, f0 -> 1326310451\n"),
            ("sieve.wasm", ["1"], nil), ("matmul.wasm", ["1"], nil), ("sha256.wasm", ["1"], nil),
            ("primes64.wasm", ["2000"], nil), ("nbody.wasm", ["1000"], nil),
        ] as [(String, [String], String?)])
    func benchModulesPrintTheirExpectedOutput(file: String, args: [String], expected: String?) throws {
        let spin = try #require(spinExecutable())
        let (status, out, err) = try Self.run(spin, ["wasm", "run", Self.bench + "/" + file] + args)
        #expect(status == 0, "stderr: \(err)")
        if let expected {
            #expect(out == expected)
        } else {
            // No documented output: wasmkit (shipped with the Swift toolchain) is the reference.
            let wasmkit = try #require(Self.wasmkit, "wasmkit is not on PATH; \(file) output cannot be compared")
            let (_, reference, _) = try Self.run(wasmkit, ["run", Self.bench + "/" + file] + args)
            #expect(out == reference)
            #expect(!out.isEmpty)
        }
    }

    @Test func trapReportsMessageAndFunctionName() throws {
        // (func $boom (export "_start") unreachable) with a name section naming it "boom".
        var names: [UInt8] = [1]  // function names subsection
        let entries: [UInt8] = [1, 0, 4] + Array("boom".utf8)
        names += [UInt8(entries.count)] + entries
        let nameSection: [UInt8] = [4] + Array("name".utf8) + names
        let bytes: [UInt8] =
            [0x00, 0x61, 0x73, 0x6D, 1, 0, 0, 0]
            + [1, 4, 1, 0x60, 0, 0]  // type () -> ()
            + [3, 2, 1, 0]  // one function
            + [7, 10, 1, 6] + Array("_start".utf8) + [0, 0]  // export
            + [10, 5, 1, 3, 0, 0x00, 0x0B]  // body: unreachable
            + [0, UInt8(nameSection.count)] + nameSection
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("trap-\(getpid()).wasm").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (status, _, err) = try Self.run(try #require(spinExecutable()), ["wasm", "run", path])
        #expect(status != 0)
        #expect(err.contains("wasm trap: unreachable"))
        #expect(err.contains("in function boom"))
    }

    @Test(.enabled(if: benchPresent, "../shared/bench-wasm is absent; fib.wasm not run"))
    func timeoutStopsALongRunningGuest() throws {
        let spin = try #require(spinExecutable())
        // fib(60) would take hours; the timeout stops it within a fraction of a second.
        let start = Date()
        let (status, out, err) = try Self.run(
            spin, ["wasm", "run", "--timeout", "200ms", Self.bench + "/fib.wasm", "60"])
        #expect(status == 134)
        #expect(out.isEmpty)
        #expect(err.contains("wasm trap: execution interrupted"), "stderr: \(err)")
        #expect(Date().timeIntervalSince(start) < 10)
        // A generous timeout does not change a run that finishes.
        let (ok, text, _) = try Self.run(spin, ["wasm", "run", "--timeout", "60s", Self.bench + "/fib.wasm", "20"])
        #expect(ok == 0)
        #expect(text == "fib(20) = 6765\n")
        let (bad, _, message) = try Self.run(spin, ["wasm", "run", "--timeout", "soon", Self.bench + "/fib.wasm"])
        #expect(bad == 2)  // a usage error
        #expect(message.contains("invalid value 'soon' for --timeout <DURATION>: expected a duration"), "\(message)")
    }

    /// Bodies are checked on their first call; `--eager` checks them all before running.
    @Test func lazyTranslationReportsAnInvalidBodyWhenCalledAndEagerAtLoad() throws {
        // Exports good () -> i32 = 42 and bad () -> i32 whose body leaves an i64 (invalid).
        let bytes: [UInt8] =
            [0x00, 0x61, 0x73, 0x6D, 1, 0, 0, 0]
            + [1, 5, 1, 0x60, 0, 1, 0x7F]  // type () -> i32
            + [3, 3, 2, 0, 0]  // two functions
            + [7, 14, 2, 4] + Array("good".utf8) + [0, 0] + [3] + Array("bad".utf8) + [0, 1]
            + [10, 11, 2, 4, 0, 0x41, 42, 0x0B, 4, 0, 0x42, 1, 0x0B]
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lazy-\(getpid()).wasm").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let spin = try #require(spinExecutable())
        let (ok, out, _) = try Self.run(spin, ["wasm", "run", "--invoke", "good", path])
        #expect(ok == 0)
        #expect(out == "42\n")
        let (bad, _, err) = try Self.run(spin, ["wasm", "run", "--invoke", "bad", path])
        #expect(bad == 1)
        #expect(err.contains("\(path): type mismatch in function 1"), "stderr: \(err)")
        let (eager, eagerOut, eagerErr) = try Self.run(spin, ["wasm", "run", "--eager", "--invoke", "good", path])
        #expect(eager == 1)
        #expect(eagerOut.isEmpty)
        #expect(eagerErr.contains("type mismatch in function 1"), "stderr: \(eagerErr)")

        // A malformed body (opcode 0xFF) is not even scanned until called.
        var malformed = bytes
        malformed[malformed.count - 3] = 0xFF  // bad's `i64.const 1` becomes 0xFF 0x01
        let malformedPath = path + ".malformed.wasm"
        try Data(malformed).write(to: URL(fileURLWithPath: malformedPath))
        defer { try? FileManager.default.removeItem(atPath: malformedPath) }
        let (fine, fineOut, _) = try Self.run(spin, ["wasm", "run", "--invoke", "good", malformedPath])
        #expect(fine == 0)
        #expect(fineOut == "42\n")
        let (broken, _, brokenErr) = try Self.run(spin, ["wasm", "run", "--invoke", "bad", malformedPath])
        #expect(broken == 1)
        #expect(brokenErr.contains("\(malformedPath): illegal opcode"), "stderr: \(brokenErr)")
        let (missing, _, missingErr) = try Self.run(spin, ["wasm", "run", path + ".absent"])
        #expect(missing == 1)
        #expect(missingErr.contains("cannot read \(path).absent: No such file or directory"), "stderr: \(missingErr)")
    }

    @Test func exitCodeAndInvoke() throws {
        let spin = try #require(spinExecutable())
        let fixture = packageRoot + "/Fixtures/http/wagi-exit.wasm"
        let (status, out, _) = try Self.run(spin, ["wasm", "run", fixture, "7"])
        #expect(status == 7)
        #expect(out.contains("exiting"))
        let (bad, _, err) = try Self.run(spin, ["wasm", "run", "--invoke", "nope", fixture])
        #expect(bad != 0)
        #expect(err.contains("has no exported function 'nope'"))
    }

    @Test func environmentAndMappedDirectories() throws {
        let spin = try #require(spinExecutable())
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mapdir-\(getpid())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "mounted\n".write(toFile: dir + "/hello.txt", atomically: true, encoding: .utf8)
        setenv("SPIN_TEST_INHERITED", "from-host", 1)
        let fixture = packageRoot + "/Fixtures/http/wagi-env.wasm"
        let (status, out, _) = try Self.run(
            spin, ["wasm", "run", "--env", "SPIN_TEST_INHERITED", "--env", "K=V", fixture, "a", "b"])
        #expect(status == 0)
        for line in ["argv[1]=a", "argv[2]=b", "SPIN_TEST_INHERITED=from-host", "K=V"] {
            #expect(out.contains(line + "\n"), "missing \(line)")
        }
        // The WAGI file server reads PATH_INFO from the directory mapped at "/".
        let files = packageRoot + "/Fixtures/http/wagi-files.wasm"
        let (s2, served, _) = try Self.run(
            spin, ["wasm", "run", "--mapdir", "/::" + dir, "--env", "PATH_INFO=/hello.txt", files])
        #expect(s2 == 0)
        #expect(served.hasSuffix("\n\nmounted\n"))
    }
}
