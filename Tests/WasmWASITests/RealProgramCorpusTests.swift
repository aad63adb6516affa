import Foundation
import TestSupport
import Testing
import WasmCore
import WasmWASI

/// Real programs (Rust std, C from Lua / zstd / SQLite / QuickJS, C++ with libc++; see
/// `Fixtures/corpus/programs.txt`) run in-process through the optimising translation and the
/// plain reference translation, each in a fresh store, and must both print byte for byte what
/// `wasmtime run` printed (recorded by `Fixtures/corpus/build.sh`). Unit and spec tests
/// exercise one instruction at a time; these catch an optimisation that miscompiles the
/// combinations compilers really emit.
@Suite("Real-program corpus")
struct RealProgramCorpusTests {
    // MARK: the corpus

    struct Program: Sendable, CustomTestStringConvertible {
        /// `DIR/NAME` as written in programs.txt.
        let path: String
        let name: String
        let directory: URL
        let stdinFile: String?
        /// Where a fresh temporary directory is preopened, if anywhere.
        let guestDirectory: String?
        let big: Bool
        /// `expected-from=NAME`: the recording came from wasmtime running DIR/NAME.wasm (a build
        /// of the same source that wasmtime can run).
        var expectedFrom: String? = nil
        let description: String

        var testDescription: String { name }
        var wasm: URL { directory.appendingPathComponent(name + ".wasm") }
        var isPresent: Bool { FileManager.default.fileExists(atPath: wasm.path) }

        func file(_ suffix: String) -> URL { directory.appendingPathComponent(name + suffix) }

        func optionalLines(_ suffix: String) throws -> [String] {
            guard FileManager.default.fileExists(atPath: file(suffix).path) else { return [] }
            var lines = try String(contentsOf: file(suffix), encoding: .utf8).components(separatedBy: "\n")
            if lines.last == "" { lines.removeLast() }
            return lines
        }

        var args: [String] { get throws { [name + ".wasm"] + (try optionalLines(".args")) } }

        var environment: [String: String] {
            get throws {
                var env: [String: String] = [:]
                for line in try optionalLines(".env") where !line.isEmpty {
                    let parts = line.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                    env[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
                }
                return env
            }
        }

        var stdin: [UInt8] {
            get throws {
                guard let stdinFile else { return [] }
                return Array(try Data(contentsOf: directory.appendingPathComponent(stdinFile)))
            }
        }

        var expected: Outcome {
            get throws {
                let exit = try String(contentsOf: file(".exit"), encoding: .utf8)
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                return Outcome(
                    stdout: Array(try Data(contentsOf: file(".expected"))),
                    stderr: Array(try Data(contentsOf: file(".stderr"))),
                    exitCode: try #require(Int32(exit), "bad \(name).exit: \(exit)"))
            }
        }
    }

    /// What a run produced. `exitCode` 134 stands for a trap (wasmtime's exit status for one).
    struct Outcome: Equatable, Sendable {
        var stdout: [UInt8]
        var stderr: [UInt8]
        var exitCode: Int32
        var trap: String? = nil

        static func == (a: Outcome, b: Outcome) -> Bool {
            a.stdout == b.stdout && a.stderr == b.stderr && a.exitCode == b.exitCode
        }
    }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/corpus")

    static let programs: [Program] = {
        guard let text = try? String(contentsOf: root.appendingPathComponent("programs.txt"), encoding: .utf8) else {
            return []
        }
        var result: [Program] = []
        for line in text.components(separatedBy: "\n") {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard let path = fields.first, !path.hasPrefix("#") else { continue }
            var stdinFile: String?
            var guest: String?
            var big = false
            var expectedFrom: String?
            var notes: [String] = []
            for option in fields.dropFirst() {
                if option.hasPrefix("stdin=") {
                    stdinFile = String(option.dropFirst(6))
                } else if option.hasPrefix("dir=") {
                    guest = String(option.dropFirst(4))
                } else if option == "big" {
                    big = true
                } else if option.hasPrefix("expected-from=") {
                    expectedFrom = String(option.dropFirst(14))
                    notes.append(option)
                } else {
                    notes.append(option)
                }
            }
            let slash = path.lastIndex(of: "/")!
            result.append(
                Program(
                    path: path, name: String(path[path.index(after: slash)...]),
                    directory: root.appendingPathComponent(String(path[..<slash])), stdinFile: stdinFile,
                    guestDirectory: guest, big: big, expectedFrom: expectedFrom,
                    description: notes.joined(separator: " ")))
        }
        return result
    }()

    static let present = programs.filter(\.isPresent)
    static let absent = programs.filter { !$0.isPresent }

    static var absentMessage: Comment {
        Comment(
            rawValue: "not built (run Fixtures/corpus/build.sh to build them): "
                + absent.map { "\($0.name)\($0.big ? " (big, not committed)" : "")" }.joined(separator: ", "))
    }

    // MARK: running a program in-process

    /// Runs `program` in a fresh store, through the optimising (`optimize`) or the reference
    /// translation. The guest gets the same argv, environment, stdin and preopen as under
    /// wasmtime; a hang is stopped after `timeout` seconds and reported as a trap.
    static func run(
        _ program: Program, optimize: Bool, countsInstructions: Bool = false, timeout: Double = 120
    ) throws -> (outcome: Outcome, counts: [String: UInt64]) {
        let bytes = Array(try Data(contentsOf: program.wasm))
        let module = try Module(bytes: bytes, optimize: optimize)
        var configuration = EngineConfiguration()
        configuration.interruptible = true
        configuration.countsInstructions = countsInstructions
        let store = Store(configuration: configuration)

        var preopens: [WASIConfiguration.Preopen] = []
        var scratch: URL?
        if let guest = program.guestDirectory {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
                "corpus-\(program.name)-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            scratch = dir
            preopens.append(.init(hostPath: dir.path, guestPath: guest))
        }
        defer { if let scratch { try? FileManager.default.removeItem(at: scratch) } }

        let stdout = OutputBuffer()
        let stderr = OutputBuffer()
        let wasi = try WASI(
            configuration: WASIConfiguration(
                args: try program.args, environment: try program.environment, preopens: preopens,
                stdin: .bytes(try program.stdin), stdout: .buffer(stdout), stderr: .buffer(stderr)))
        defer { wasi.close() }
        let ticket = Watchdog.shared.arm(store.interruptHandle, deadline: Watchdog.now() + UInt64(timeout * 1e9))
        defer { _ = Watchdog.shared.disarm(ticket) }

        let instance = try store.instantiate(module, imports: wasi.imports())
        var exitCode: Int32
        var trap: String?
        do {
            exitCode = Int32(bitPattern: try wasi.runCommand(instance))
        } catch let t as Trap {
            exitCode = 134
            trap = t.message + (t.backtrace.first.map { " in \($0)" } ?? "")
        }
        let outcome = Outcome(stdout: stdout.bytes, stderr: stderr.bytes, exitCode: exitCode, trap: trap)
        return (outcome, countsInstructions ? store.instructionCounts : [:])
    }

    /// A readable account of how `actual` differs from `expected`.
    static func difference(_ actual: Outcome, _ expected: Outcome) -> String {
        var notes: [String] = []
        if actual.exitCode != expected.exitCode {
            notes.append("exit code \(actual.exitCode), expected \(expected.exitCode)")
        }
        if let trap = actual.trap { notes.append("trapped: \(trap)") }
        for (label, a, e) in [("stdout", actual.stdout, expected.stdout), ("stderr", actual.stderr, expected.stderr)]
        where a != e {
            let aLines = String(decoding: a, as: UTF8.self).components(separatedBy: "\n")
            let eLines = String(decoding: e, as: UTF8.self).components(separatedBy: "\n")
            let first = Array(zip(aLines, eLines)).firstIndex { $0.0 != $0.1 } ?? min(aLines.count, eLines.count)
            let got = first < aLines.count ? aLines[first] : "<end of output>"
            let want = first < eLines.count ? eLines[first] : "<end of output>"
            notes.append(
                "\(label) differs (\(a.count) bytes, expected \(e.count)) first at line \(first + 1):\n"
                    + "    got:      \(got.prefix(300))\n    expected: \(want.prefix(300))")
        }
        return notes.joined(separator: "\n")
    }

    // MARK: tests

    /// The committed programs must all be there; a missing one is a failure, not a skip.
    @Test("every committed program of the manifest is present")
    func committedProgramsPresent() {
        #expect(!Self.programs.isEmpty)
        let missing = Self.absent.filter { !$0.big }.map(\.name)
        #expect(missing.isEmpty, "committed corpus programs missing: \(missing)")
    }

    /// Big programs are not committed: `Fixtures/corpus/build.sh` builds them on demand.
    @Test(
        "every big program is built",
        .enabled(
            if: !absent.contains(where: \.big),
            Comment(
                rawValue: "built on demand (big guests, not committed; Fixtures/corpus/build.sh builds them): "
                    + absent.filter(\.big).map(\.name).joined(separator: ", "))))
    func bigProgramsPresent() {
        #expect(Self.programs.contains { $0.big })
    }

    @Test("optimised and reference runs print what wasmtime printed", arguments: present)
    func matchesWasmtime(_ program: Program) throws {
        let expected = try program.expected
        let clock = ContinuousClock()
        var start = clock.now
        let optimised = try Self.run(program, optimize: true).outcome
        let optimisedTime = clock.now - start
        start = clock.now
        let reference = try Self.run(program, optimize: false).outcome
        print(
            "corpus \(program.name): optimised \(optimisedTime), reference \(clock.now - start), exit \(optimised.exitCode)"
        )
        #expect(
            reference == expected,
            "\(program.name): the reference translation differs from wasmtime:\n\(Self.difference(reference, expected))")
        #expect(
            optimised == expected,
            """
            \(program.name): the optimised translation differs from wasmtime \
            (the reference translation \(reference == expected ? "matches" : "differs too")):
            \(Self.difference(optimised, expected))
            """)
    }

    /// The recorded `.expected` files are still what wasmtime prints (a rebuilt module whose
    /// output was not re-recorded would otherwise compare against stale text).
    @Test(
        "wasmtime still prints the recorded output",
        .tags(.live),
        .enabled(if: wasmtimePath != nil, "wasmtime is not on PATH"),
        arguments: present)
    func recordingIsCurrent(_ program: Program) throws {
        let expected = try program.expected
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(Self.wasmtimePath))
        // The Wasm 3.0 features the corpus uses, as build.sh records them.
        var arguments = ["run", "-W", "exceptions=y,tail-call=y"]
        var scratch: URL?
        if let guest = program.guestDirectory {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
                "corpus-wasmtime-\(program.name)-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            scratch = dir
            arguments += ["--dir", "\(dir.path)::\(guest)"]
        }
        defer { if let scratch { try? FileManager.default.removeItem(at: scratch) } }
        for (key, value) in try program.environment.sorted(by: { $0.key < $1.key }) {
            arguments += ["--env", "\(key)=\(value)"]
        }
        var args = try program.args
        if let other = program.expectedFrom { args[0] = other + ".wasm" }
        arguments += args
        process.arguments = arguments
        process.currentDirectoryURL = program.directory
        let stdinPipe = Pipe()
        let stdoutFile = FileManager.default.temporaryDirectory.appendingPathComponent("corpus-out-\(UUID().uuidString)")
        let stderrFile = FileManager.default.temporaryDirectory.appendingPathComponent("corpus-err-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: stdoutFile.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrFile.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: stdoutFile)
            try? FileManager.default.removeItem(at: stderrFile)
        }
        process.standardInput = stdinPipe
        process.standardOutput = try FileHandle(forWritingTo: stdoutFile)
        process.standardError = try FileHandle(forWritingTo: stderrFile)
        try process.run()
        try stdinPipe.fileHandleForWriting.write(contentsOf: Data(try program.stdin))
        try stdinPipe.fileHandleForWriting.close()
        process.waitUntilExit()
        let stdout = Array(try Data(contentsOf: stdoutFile))
        var stderr = Array(try Data(contentsOf: stderrFile))
        // After a trap wasmtime appends its own report to what the guest wrote.
        if let marker = String(decoding: stderr, as: UTF8.self).range(of: "Error: failed to run main module") {
            stderr = Array(String(decoding: stderr, as: UTF8.self)[..<marker.lowerBound].utf8)
        }
        let live = Outcome(stdout: stdout, stderr: stderr, exitCode: process.terminationStatus)
        #expect(
            live == expected,
            "wasmtime now prints something else for \(program.name) (re-record with Fixtures/corpus/build.sh --record):\n\(Self.difference(live, expected))"
        )
    }

    static let wasmtimePath: String? = {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let candidate = "\(dir)/wasmtime"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }()

    /// Every op only the optimising translator emits must run somewhere in the corpus: an op
    /// no real program reaches is an op no real program tests. Prints the count of each.
    @Test("the corpus executes every optimised op")
    func coversOptimisedOps() throws {
        var totals: [String: UInt64] = [:]
        for program in Self.present {
            let counts = try Self.run(program, optimize: true, countsInstructions: true).counts
            totals.merge(counts, uniquingKeysWith: +)
        }
        let ops = InternalCode.optimizedOperations
        let width = ops.map(\.count).max() ?? 0
        var table = "optimised op coverage over \(Self.present.count) programs:\n"
        for op in ops {
            table += "  \(op.padding(toLength: width, withPad: " ", startingAt: 0))  \(totals[op] ?? 0)\n"
        }
        let unreached = ops.filter { (totals[$0] ?? 0) == 0 }
        table += "reached \(ops.count - unreached.count) of \(ops.count)"
        print(table)
        #expect(
            unreached.isEmpty,
            "\(unreached.count) optimised op(s) never executed by the corpus: \(unreached.joined(separator: ", "))")
    }
}
