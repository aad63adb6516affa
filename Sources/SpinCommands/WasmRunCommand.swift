import ArgumentParsing
import Foundation
import WasmCore
import WasmSpec
import WasmWASI

/// `spin wasm run [OPTIONS] FILE.wasm [ARGS...]` (options: `spin wasm run --help`)
///
/// Like `wasmtime run`: runs a WASI command's `_start` (or the export named by
/// `--invoke`, with its arguments parsed from ARGS and its results printed) and
/// exits with the guest's exit code. A trap prints its message and the guest
/// function it happened in, and exits with 134.
///
/// Function bodies are validated and translated on their first call, as wasm3 does,
/// so a large module starts in the time it takes to decode; `--eager` (wasm3's
/// `--compile`) validates and translates every body before running.
///
/// `--no-optimize` runs the reference translation (one internal instruction per Wasm
/// instruction, no fusions), the oracle the optimised code is tested against;
/// `--count-instructions` prints how often each internal op ran, on stderr, at exit.
public enum WasmRunCommand {
    public struct Options: Sendable {
        public var invoke: String?
        /// Seconds.
        public var timeout: Double?
        public var compilation = CompilationMode.lazy
        public var optimize = true
        public var countsInstructions = false
        /// The Wasm features the module may use (`-W NAME=y|n`).
        public var features = WasmFeatures()
        public var preopens: [WASIConfiguration.Preopen] = []
        public var environment: [String: String] = [:]
        public var file: String?
        /// The guest's arguments (or, with `--invoke`, the function's).
        public var arguments: [String] = []
        public init() {}
    }

    public static let spec = CommandSpec<Options>(
        "spin wasm run", abstract: "Run a WebAssembly module (a WASI command, or one export with --invoke)",
        arguments: [
            .option(
                "--dir", value: "HOST[::GUEST]",
                help: "Give the guest a host directory, at GUEST (default: the same path)",
                repeatable: true,
                parse: { v in
                    let parts = v.components(separatedBy: "::")
                    return WASIConfiguration.Preopen(
                        hostPath: parts[0], guestPath: parts.count > 1 ? parts[1] : parts[0])
                }
            ) { $0.preopens.append($1) },
            .option(
                "--mapdir", value: "GUEST::HOST", help: "The same, in wasmtime's older spelling", repeatable: true,
                parse: { v in
                    guard let sep = v.range(of: "::") else { throw ValueError("expected GUEST::HOST") }
                    return WASIConfiguration.Preopen(
                        hostPath: String(v[sep.upperBound...]), guestPath: String(v[..<sep.lowerBound]))
                }
            ) { $0.preopens.append($1) },
            .option(
                "--env", value: "KEY[=VALUE]",
                help: "Set an environment variable for the guest (KEY alone: the host's value)",
                repeatable: true
            ) { o, v in
                if let eq = v.firstIndex(of: "=") {
                    o.environment[String(v[..<eq])] = String(v[v.index(after: eq)...])
                } else if let inherited = ProcessInfo.processInfo.environment[v] {
                    o.environment[v] = inherited
                }
            },
            .option(
                "--invoke", value: "NAME",
                help: "Call this export instead of _start: ARGS are its arguments, its results are printed",
                \.invoke),
            .option(
                "--timeout", value: "DURATION", help: "Interrupt the guest after this long: 10, 2.5s, 500ms or 1m",
                parse: { text in
                    guard let seconds = parseDuration(text) else {
                        throw ValueError("expected a duration such as 10, 2.5s or 500ms")
                    }
                    return seconds
                }
            ) { $0.timeout = $1 },
            .flag(
                "--eager", aliases: ["--compile"],
                help: "Validate and translate every function body before running (default: on its first call)"
            ) { $0.compilation = .eager },
            .flag("--no-optimize", help: "Run the reference translation (no fusions): the oracle for tests") {
                $0.optimize = false
            },
            .flag(
                "--count-instructions", help: "Print how often each internal instruction ran, on stderr, at exit",
                \.countsInstructions),
            WasmFeatureFlag.argument(\.features),
            .positional("FILE", help: "The module (.wasm)", required: true, \.file),
            .remainder(
                "ARGS", help: "The guest's arguments; options end at FILE, so these may start with -", \.arguments),
        ],
        discussion: """
            Like `wasmtime run`: exits with the guest's exit code; a trap prints its message and the
            guest functions it happened in, and exits with 134.
            """)

    public static func run(arguments: [String], console: Console = .standard) -> Int32 {
        spec.run(arguments, defaults: Options(), console: console) { o in run(o, console: console) }
    }

    static func run(_ o: Options, console: Console) -> Int32 {
        func fail(_ message: String) -> Int32 {
            console.error(message)
            return 1
        }
        let file = o.file!
        let invoke = o.invoke, timeout = o.timeout, countsInstructions = o.countsInstructions
        let rest = o.arguments

        let bytes: [UInt8]
        do {
            bytes = try FileBytes.read(file)
        } catch {
            return fail("cannot read \(file): \(error)")
        }
        if isComponent(bytes) { return runComponent(bytes, file: file, options: o, console: console) }
        let module: Module
        do {
            module = try Module(bytes: bytes, compilation: o.compilation, optimize: o.optimize, features: o.features)
        } catch {
            return fail("\(file): \(error)")
        }
        do {
            let wasi = try WASI(
                configuration: WASIConfiguration(
                    args: [(file as NSString).lastPathComponent] + (invoke == nil ? rest : []),
                    environment: o.environment, preopens: o.preopens, stdin: .inherit, stdout: .inherit,
                    stderr: .inherit))
            defer { wasi.close() }
            var configuration = EngineConfiguration()
            configuration.interruptible = timeout != nil
            configuration.countsInstructions = countsInstructions
            configuration.features = o.features
            let store = Store(configuration: configuration)
            defer { if countsInstructions { printInstructionCounts(store, console: console) } }
            if let timeout {
                _ = Watchdog.shared.arm(
                    store.interruptHandle, deadline: Watchdog.now() + UInt64(min(timeout, 1e9) * 1e9))
            }
            let instance = try store.instantiate(module, imports: wasi.imports())
            guard let name = invoke else {
                if instance.function(named: "_start") == nil {
                    return fail("\(file) exports no _start function; use --invoke NAME to call an export")
                }
                return Int32(bitPattern: try wasi.runCommand(instance))
            }
            guard let function = instance.function(named: name) else {
                return fail("\(file) has no exported function '\(name)'")
            }
            let parameters = function.type.parameters
            guard rest.count == parameters.count else {
                return fail("'\(name)' takes \(parameters.count) argument(s) \(function.type), got \(rest.count)")
            }
            var args: [Value] = []
            for (t, text) in zip(parameters, rest) {
                guard let v = parseValue(text, t) else { return fail("cannot parse '\(text)' as \(t)") }
                args.append(v)
            }
            var results: [Value] = []
            let code = try WASI.exitCode { results = try instance.invoke(name, args) }
            for r in results { console.print(format(r)) }
            return Int32(bitPattern: code)
        } catch let trap as Trap {
            var message = "error: wasm trap: \(trap.message)"
            if let top = trap.backtrace.first { message += "\n  in function \(top)" }
            // Deep recursion repeats one name thousands of times: print each run once with its count.
            var rest = trap.backtrace.dropFirst()[...]
            while let f = rest.first {
                let run = rest.prefix { $0 == f }.count
                message += "\n  called from \(f)" + (run > 1 ? " (\(run) times)" : "")
                rest = rest.dropFirst(run)
            }
            console.err(message + "\n")
            return 134
        } catch let exception as WasmCore.Exception {
            // A guest exception nothing caught ends the run as a trap does.
            console.err("error: uncaught wasm exception: \(exception.tag) with values \(exception.values)\n")
            return 134
        } catch let error as ValidationError {
            // A body found invalid on its first call (lazy translation).
            return fail("\(file): \(error)")
        } catch let error as DecodeError {
            // A body found malformed on its first call (lazy translation).
            return fail("\(file): \(error)")
        } catch {
            return fail("\(error)")
        }
    }

    /// The store's instruction counts on stderr, most executed first, and their total.
    static func printInstructionCounts(_ store: Store, console: Console) {
        let counts = store.instructionCounts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        let total = counts.reduce(UInt64(0)) { $0 + $1.value }
        var text = "instructions executed: \(total)\n"
        for (name, count) in counts { text += "\(count)\t\(name)\n" }
        console.err(text)
    }

    /// Seconds from `10`, `2.5s`, `500ms` or `1m`.
    static func parseDuration(_ text: String) -> Double? {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            guard let v = Double(text.dropLast(suffix.count)), v > 0, v.isFinite else { return nil }
            return v * scale
        }
        guard let v = Double(text), v > 0, v.isFinite else { return nil }
        return v
    }

    static func parseValue(_ text: String, _ type: ValueType) -> Value? {
        switch type {
        case .i32:
            if let v = Int32(text) { return .int32(v) }
            return UInt32(text).map { .i32($0) }
        case .i64:
            if let v = Int64(text) { return .int64(v) }
            return UInt64(text).map { .i64($0) }
        case .f32: return Float(text).map { .float($0) }
        case .f64: return Double(text).map { .double($0) }
        case .v128:
            // A 128-bit integer in hexadecimal, as wasmtime takes it: 0x followed by up to 32 digits.
            guard text.hasPrefix("0x"), text.count > 2, text.count <= 34 else { return nil }
            let digits = text.dropFirst(2)
            let high = digits.dropLast(min(16, digits.count))
            guard let low = UInt64(digits.suffix(16), radix: 16), let hi = high.isEmpty ? 0 : UInt64(high, radix: 16)
            else { return nil }
            return .v128(V128(low: low, high: hi))
        default:
            // A reference argument: only `null` (of a nullable type) can be written on a command line.
            guard type.isReference, type.isNullable, text == "null" else { return nil }
            return Value.zero(type)
        }
    }

    /// 16 hexadecimal digits.
    private static func hex(_ v: UInt64) -> String {
        let digits = String(v, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    static func format(_ value: Value) -> String {
        switch value {
        case .i32(let v): "\(Int32(bitPattern: v))"
        case .i64(let v): "\(Int64(bitPattern: v))"
        case .f32(let v): "\(Float(bitPattern: v))"
        case .f64(let v): "\(Double(bitPattern: v))"
        case .v128(let v): "0x" + hex(v.high) + hex(v.low)
        // References print as wasmtime prints them.
        case .funcref(let f): f == nil ? "<null funcref>" : "<funcref>"
        case .externref(let e): e == nil ? "<null externref>" : "<externref>"
        case .exnref(let e): e == nil ? "<null exnref>" : "<exnref>"
        }
    }
}
