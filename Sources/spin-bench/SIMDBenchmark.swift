/// Section: the same C loops (Fixtures/simd/vecsum.c) built with and without
/// `-msimd128`, both under `spin wasm run` (wasmkit does not run SIMD).
enum SIMDBenchmark {
    static let expected = "dot -52820314936 bright 940836 out 699308 ysum 4080.000\n"

    static func run(_ options: Options, report: Report) -> Table {
        let dir = options.root + "/Fixtures/simd"
        let scalar = WasmCase(name: "vecsum-scalar", file: dir + "/vecsum-scalar.wasm", expected: expected)
        let simd = WasmCase(name: "vecsum-simd", file: dir + "/vecsum-simd.wasm", expected: expected)
        let times = ABRunner.times(
            [scalar, simd], engines: [Engine.spin(options)], runs: options.rounds, report: report)
        let scalarTime = Statistics.median(times[scalar.name]?["spin"] ?? [])
        let simdTime = Statistics.median(times[simd.name]?["spin"] ?? [])
        var table = Table(
            "SIMD: Fixtures/simd/vecsum.c without and with -msimd128 (median of \(options.rounds) rounds, seconds)",
            headers: ["module", "spin wasm run", "scalar/this"])
        table.add([scalar.name, Format.seconds(scalarTime), Format.ratio(1)])
        table.add([simd.name, Format.seconds(simdTime), Format.ratio(scalarTime / simdTime)])
        table.notes.append(
            "ratio > 1: the -msimd128 build is faster (i32x4 dot product, f32x4 update, i8x16.add_sat_u).")
        return table
    }
}
