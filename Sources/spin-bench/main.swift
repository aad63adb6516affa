import Foundation

// spin-bench: the project's benchmark suite (README "Benchmarks"; run it with Scripts/bench).
let arguments = Array(CommandLine.arguments.dropFirst())
let root = FileManager.default.currentDirectoryPath

if arguments.first == "instantiate" {
    let n = arguments.count > 1 ? Int(arguments[1]) ?? 2000 : 2000
    let r = try InstantiationBenchmark.run(name: "hello-world", manifest: root + "/Examples/hello-world", iterations: n)
    print(
        String(
            format: "%@: %.1f µs per instantiate+call (%.0f per second)", r.name, r.microsecondsPerRequest,
            r.requestsPerSecond))
    exit(0)
}

let options: Options
do {
    options = try Options(arguments)
} catch let error as OptionError {
    if let message = error.message {
        FileHandle.standardError.write(Data("spin-bench: \(message)\n\(Options.usage)\n".utf8))
        exit(2)
    }
    print(Options.usage)
    exit(0)
}

let report = Report()
print("# spin-bench \(options.quick ? "(quick) " : "")— \(ISO8601DateFormatter().string(from: Date()))\n")
for section in Options.Section.allCases where options.sections.contains(section) {
    let table: Table
    switch section {
    case .engine: table = EngineBenchmark.run(options, report: report)
    case .simd: table = SIMDBenchmark.run(options, report: report)
    case .startup: table = StartupBenchmark.run(options, report: report)
    case .instantiate: table = InstantiationBenchmark.table(options, report: report)
    case .http: table = HTTPBenchmark.run(options, report: report)
    }
    print(table.render())
    fflush(nil)
}
if !report.problems.isEmpty {
    print("problems (\(report.problems.count)):")
    for p in report.problems { print("- \(p)") }
    exit(1)
}
