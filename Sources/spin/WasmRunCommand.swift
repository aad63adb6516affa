import Foundation
import WasmCore
import WasmWASI

/// `spin wasm run [--dir HOST[::GUEST]]... [--env KEY=VALUE]... [--invoke NAME] [--timeout DURATION] FILE.wasm [ARGS...]`
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
enum WasmRunCommand {
    static let usage =
        "usage: spin wasm run [--dir HOST[::GUEST]]... [--mapdir GUEST::HOST]... [--env KEY[=VALUE]]... [--invoke NAME] [--timeout DURATION] [--eager] [--no-optimize] [--count-instructions] FILE.wasm [ARGS...]"

    static func run(_ arguments: [String]) -> Int32 {
        var invoke: String?
        var timeout: Double?
        var compilation = CompilationMode.lazy
        var optimize = true
        var countsInstructions = false
        var preopens: [WASIConfiguration.Preopen] = []
        var environment: [String: String] = [:]
        var index = 0
        var file: String?
        var rest: [String] = []
        while index < arguments.count {
            let a = arguments[index]
            if file != nil {
                rest.append(a)
                index += 1
                continue
            }
            func value() -> String? {
                if let eq = a.firstIndex(of: "="), a.hasPrefix("--") { return String(a[a.index(after: eq)...]) }
                index += 1
                return index < arguments.count ? arguments[index] : nil
            }
            let flag = a.split(separator: "=", maxSplits: 1).first.map(String.init) ?? a
            switch flag {
            case "--invoke":
                guard let v = value() else { return fail("--invoke needs a function name") }
                invoke = v
            case "--eager", "--compile":
                compilation = .eager
            case "--no-optimize":
                optimize = false
            case "--count-instructions":
                countsInstructions = true
            case "--timeout":
                guard let v = value(), let seconds = parseDuration(v) else {
                    return fail("--timeout needs a duration such as 10, 2.5s or 500ms")
                }
                timeout = seconds
            case "--dir":
                guard let v = value() else { return fail("--dir needs HOST[::GUEST]") }
                let parts = v.components(separatedBy: "::")
                preopens.append(.init(hostPath: parts[0], guestPath: parts.count > 1 ? parts[1] : parts[0]))
            case "--mapdir":
                // wasmtime's older spelling: GUEST::HOST.
                guard let v = value(), let sep = v.range(of: "::") else { return fail("--mapdir needs GUEST::HOST") }
                preopens.append(.init(hostPath: String(v[sep.upperBound...]), guestPath: String(v[..<sep.lowerBound])))
            case "--env":
                guard let v = value() else { return fail("--env needs KEY=VALUE (or KEY to pass the host's value)") }
                if let eq = v.firstIndex(of: "=") {
                    environment[String(v[..<eq])] = String(v[v.index(after: eq)...])
                } else if let inherited = ProcessInfo.processInfo.environment[v] {
                    environment[v] = inherited
                }
            case "-h", "--help":
                print(usage)
                return 0
            default:
                if a.hasPrefix("-") && a != "-" { return fail("unknown option '\(a)'\n\(usage)") }
                file = a
            }
            index += 1
        }
        guard let file else { return fail("missing FILE.wasm\n\(usage)") }

        let bytes: [UInt8]
        do {
            bytes = try FileBytes.read(file)
        } catch {
            return fail("cannot read \(file): \(error)")
        }
        let module: Module
        do {
            module = try Module(bytes: bytes, compilation: compilation, optimize: optimize)
        } catch {
            return fail("\(file): \(error)")
        }
        do {
            let wasi = try WASI(
                configuration: WASIConfiguration(
                    args: [(file as NSString).lastPathComponent] + (invoke == nil ? rest : []),
                    environment: environment, preopens: preopens, stdin: .inherit, stdout: .inherit,
                    stderr: .inherit))
            defer { wasi.close() }
            var configuration = EngineConfiguration()
            configuration.interruptible = timeout != nil
            configuration.countsInstructions = countsInstructions
            let store = Store(configuration: configuration)
            defer { if countsInstructions { printInstructionCounts(store) } }
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
            for r in results { print(format(r)) }
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
            FileHandle.standardError.write(Data((message + "\n").utf8))
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
    static func printInstructionCounts(_ store: Store) {
        let counts = store.instructionCounts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        let total = counts.reduce(UInt64(0)) { $0 + $1.value }
        var text = "instructions executed: \(total)\n"
        for (name, count) in counts { text += "\(count)\t\(name)\n" }
        FileHandle.standardError.write(Data(text.utf8))
    }

    static func fail(_ message: String) -> Int32 {
        printError(message)
        return 1
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
        default: return nil
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
        default: "\(value)"
        }
    }
}
