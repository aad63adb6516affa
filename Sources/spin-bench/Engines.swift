import Foundation

/// The engines compared: ours (`spin wasm run`) and the toolchain's WasmKit CLI
/// (`wasmkit run`), the baseline, on whole-process runs; and, when the `pywasm3`
/// package is installed, wasm3 0.5 through `Scripts/wasm3-run.py`, timed in-process.
struct Engine {
    var name: String
    var command: [String]
    /// When set, the engine writes its own run time (seconds) to this file, and that is
    /// the time taken instead of the whole process's.
    var timeFile: String? = nil

    func argv(_ file: String, _ args: [String]) -> [String] { command + (timeFile.map { [$0] } ?? []) + [file] + args }

    static func spin(_ options: Options) -> Engine { Engine(name: "spin", command: [options.spin, "wasm", "run"]) }

    /// nil when `wasmkit` is not installed.
    static func wasmkit(_ options: Options) -> Engine? {
        Subprocess.find(options.wasmkit).map { Engine(name: "wasmkit", command: [$0, "run"]) }
    }

    /// wasm3 0.5 via `pywasm3` (`pip install pywasm3`); nil when python3 cannot import it.
    /// Its time is `_start` in-process (after parse, load and link), without Python's start-up.
    static func wasm3(_ options: Options) -> Engine? {
        guard let python = Subprocess.find("python3"),
            let probe = try? Subprocess.run([python, "-c", "import wasm3"]), probe.status == 0
        else { return nil }
        return Engine(
            name: "wasm3", command: [python, options.root + "/Scripts/wasm3-run.py"],
            timeFile: NSTemporaryDirectory() + "spin-bench-wasm3-\(getpid()).time")
    }
}

/// One module run: file, arguments and the exact stdout it must print
/// (../shared/bench-wasm/README.md, "expected output").
struct WasmCase {
    var name: String
    var file: String
    var args: [String] = []
    var expected: String
}

/// Times every case on every engine `runs` times, alternating which engine goes
/// first each round (A B, B A, ...) so drift on a shared machine hits both alike.
/// A run whose stdout or exit status is wrong is reported to `report` and not timed.
enum ABRunner {
    static func times(
        _ cases: [WasmCase], engines: [Engine], runs: Int, report: Report
    ) -> [String: [String: [Double]]] {
        var result: [String: [String: [Double]]] = [:]
        for round in 0..<runs {
            for c in cases {
                let order = round % 2 == 0 ? engines : engines.reversed()
                for engine in order {
                    do {
                        let run = try Subprocess.run(engine.argv(c.file, c.args))
                        if run.status != 0 || run.stdout != c.expected {
                            report.problem(
                                "\(engine.name) \(c.name): exit \(run.status), stdout \(run.stdout.debugDescription), expected \(c.expected.debugDescription)"
                            )
                            continue
                        }
                        var seconds = run.seconds
                        if let file = engine.timeFile {
                            guard let text = try? String(contentsOfFile: file, encoding: .utf8),
                                let own = Double(text.trimmingCharacters(in: .whitespacesAndNewlines))
                            else {
                                report.problem("\(engine.name) \(c.name): no time in \(file)")
                                continue
                            }
                            seconds = own
                        }
                        result[c.name, default: [:]][engine.name, default: []].append(seconds)
                    } catch {
                        report.problem("\(engine.name) \(c.name): \(error)")
                    }
                }
            }
        }
        return result
    }
}
