/// The two engines compared on whole-process runs: ours (`spin wasm run`) and
/// the toolchain's WasmKit CLI (`wasmkit run`), the baseline.
struct Engine {
    var name: String
    var command: [String]

    func argv(_ file: String, _ args: [String]) -> [String] { command + [file] + args }

    static func spin(_ options: Options) -> Engine { Engine(name: "spin", command: [options.spin, "wasm", "run"]) }

    /// nil when `wasmkit` is not installed.
    static func wasmkit(_ options: Options) -> Engine? {
        Subprocess.find(options.wasmkit).map { Engine(name: "wasmkit", command: [$0, "run"]) }
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
                        result[c.name, default: [:]][engine.name, default: []].append(run.seconds)
                    } catch {
                        report.problem("\(engine.name) \(c.name): \(error)")
                    }
                }
            }
        }
        return result
    }
}
