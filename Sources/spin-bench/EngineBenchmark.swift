/// Section 1: the compute modules under `spin wasm run` against `wasmkit run`.
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
        var table = Table(
            "Engine: compute modules, whole process (median of \(options.rounds) alternating A/B rounds, seconds)",
            headers: ["module", "wasmkit run", "spin wasm run", "wasmkit/spin"])
        let cases = cases(options.wasmDir)
        let times = ABRunner.times(
            cases, engines: [spin] + (wasmkit.map { [$0] } ?? []), runs: options.rounds, report: report)
        var ratios: [Double] = []
        for c in cases {
            let ours = Statistics.median(times[c.name]?["spin"] ?? [])
            let theirs = Statistics.median(times[c.name]?["wasmkit"] ?? [])
            let ratio = theirs / ours
            if ratio.isFinite { ratios.append(ratio) }
            table.add([
                c.name, wasmkit == nil ? "skipped" : Format.seconds(theirs), Format.seconds(ours), Format.ratio(ratio),
            ])
        }
        table.add([
            "geometric mean", "", "",
            ratios.count == cases.count ? Format.ratio(Statistics.geometricMean(ratios)) : "–",
        ])
        table.notes.append("ratio > 1: spin is faster. Every run's stdout is checked against bench-wasm/README.md.")
        if wasmkit == nil { table.notes.append("skipped: wasmkit not found") }
        return table
    }
}
