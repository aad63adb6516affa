/// Section 2: whole-process start-up (parse, validate, instantiate, first call) on both engines.
enum StartupBenchmark {
    static func cases(_ dir: String) -> [WasmCase] {
        [
            WasmCase(name: "hello", file: dir + "/hello.wasm", expected: "hello from wasm\n"),
            WasmCase(name: "hello-16m", file: dir + "/hello-16m.wasm", expected: "hello from wasm\n"),
            WasmCase(
                name: "big (first call)", file: dir + "/big.wasm", expected: "big: 1500 functions, f0 -> 1326310451\n"),
            WasmCase(
                name: "big all", file: dir + "/big.wasm", args: ["all"],
                expected: "big: called 1500 functions, acc=-157098843\n"),
        ]
    }

    static func run(_ options: Options, report: Report) -> Table {
        let spin = Engine.spin(options)
        let wasmkit = Engine.wasmkit(options)
        var table = Table(
            "Start-up: whole process (median of \(options.startupRuns) alternating runs, milliseconds)",
            headers: ["module", "wasmkit run", "spin wasm run", "wasmkit/spin"])
        let cases = cases(options.wasmDir)
        let times = ABRunner.times(
            cases, engines: [spin] + (wasmkit.map { [$0] } ?? []), runs: options.startupRuns, report: report)
        for c in cases {
            let ours = Statistics.median(times[c.name]?["spin"] ?? [])
            let theirs = Statistics.median(times[c.name]?["wasmkit"] ?? [])
            table.add([
                c.name, wasmkit == nil ? "skipped" : Format.milliseconds(theirs), Format.milliseconds(ours),
                Format.ratio(theirs / ours),
            ])
        }
        table.notes.append(
            "`big` calls only f0 (what an engine does before the first call); `big all` calls all 1500 functions.")
        if wasmkit == nil { table.notes.append("skipped: wasmkit not found") }
        return table
    }
}
