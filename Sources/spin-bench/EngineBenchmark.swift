/// Section 1: the compute modules under `spin wasm run` against `wasmkit run` (and wasm3,
/// when `pywasm3` is installed).
enum EngineBenchmark {
    static func cases(_ dir: String) -> [WasmCase] {
        [
            WasmCase(name: "fib", file: dir + "/fib.wasm", expected: "fib(35) = 9227465\n"),
            WasmCase(name: "sieve", file: dir + "/sieve.wasm", expected: "primes below 8000000: 539777 (x10)\n"),
            WasmCase(
                name: "matmul", file: dir + "/matmul.wasm",
                expected: "matmul 200x200 x12: sum=237.963894 check=4.659437\n"),
            WasmCase(
                name: "sha256", file: dir + "/sha256.wasm",
                expected: "sha256 4MiB x4: 231dbd576fcf1732ddb4b70e86ed8b3771fd65b161b126b073ee857973d6a361\n"),
            WasmCase(
                name: "primes64", file: dir + "/primes64.wasm",
                expected: "primes64: 135896 primes among 1500000 candidates, hash e513343ebb3f419c\n"),
            WasmCase(name: "nbody", file: dir + "/nbody.wasm", expected: "-0.169075164\n-0.169086185\n"),
        ]
    }

    static func run(_ options: Options, report: Report) -> Table {
        let spin = Engine.spin(options)
        let wasmkit = Engine.wasmkit(options)
        let wasm3 = Engine.wasm3(options)
        var headers = ["module", "wasmkit run", "spin wasm run", "wasmkit/spin"]
        if wasm3 != nil { headers += ["wasm3 (in-process)", "wasm3/spin"] }
        var table = Table(
            "Engine: compute modules, whole process (median of \(options.rounds) alternating A/B rounds, seconds)",
            headers: headers)
        let cases = cases(options.wasmDir)
        let engines = [spin] + (wasmkit.map { [$0] } ?? []) + (wasm3.map { [$0] } ?? [])
        let times = ABRunner.times(cases, engines: engines, runs: options.rounds, report: report)
        var ratios: [Double] = []
        var wasm3Ratios: [Double] = []
        for c in cases {
            let ours = Statistics.median(times[c.name]?["spin"] ?? [])
            let theirs = Statistics.median(times[c.name]?["wasmkit"] ?? [])
            let ratio = theirs / ours
            if ratio.isFinite { ratios.append(ratio) }
            var row = [
                c.name, wasmkit == nil ? "skipped" : Format.seconds(theirs), Format.seconds(ours), Format.ratio(ratio),
            ]
            if wasm3 != nil {
                let w3 = Statistics.median(times[c.name]?["wasm3"] ?? [])
                if (w3 / ours).isFinite { wasm3Ratios.append(w3 / ours) }
                row += [Format.seconds(w3), Format.ratio(w3 / ours)]
            }
            table.add(row)
        }
        var mean = [
            "geometric mean", "", "",
            ratios.count == cases.count ? Format.ratio(Statistics.geometricMean(ratios)) : "–",
        ]
        if wasm3 != nil {
            mean += ["", wasm3Ratios.count == cases.count ? Format.ratio(Statistics.geometricMean(wasm3Ratios)) : "–"]
        }
        table.add(mean)
        table.notes.append("ratio > 1: spin is faster. Every run's stdout is checked against bench-wasm/README.md.")
        if wasmkit == nil { table.notes.append("skipped: wasmkit not found") }
        if wasm3 != nil {
            table.notes.append(
                "wasm3 is wasm3 0.5 (pip `pywasm3`) under Scripts/wasm3-run.py, timed in-process (`_start` only), "
                    + "while spin's time is the whole process.")
        } else {
            table.notes.append("wasm3 column skipped: python3 cannot import wasm3 (pip install pywasm3)")
        }
        return table
    }
}
