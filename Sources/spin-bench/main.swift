import ArgumentParsing
import Foundation

// spin-bench: the project's benchmark suite (README "Benchmarks"; run it with Scripts/bench).
let arguments = Array(CommandLine.arguments.dropFirst())
let root = FileManager.default.currentDirectoryPath

if arguments.first == "instantiate" {
    let status = Options.instantiateSpec.run(Array(arguments.dropFirst()), defaults: 2000, console: .standard) { n in
        do {
            let r = try InstantiationBenchmark.run(
                name: "hello-world", manifest: root + "/Examples/hello-world", iterations: n)
            print(
                String(
                    format: "%@: %.1f µs per instantiate+call (%.0f per second)", r.name, r.microsecondsPerRequest,
                    r.requestsPerSecond))
            return 0
        } catch {
            Console.standard.error("\(error)")
            return 1
        }
    }
    exit(status)
}

let options: Options
do throws(UsageError) {
    guard let parsed = try Options.parse(arguments) else {
        print(Options.spec.help, terminator: "")
        exit(0)
    }
    options = parsed
} catch {
    exit(Options.spec.fail(error.message, console: .standard))
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
    case .image: table = MemoryImageBenchmark.run(options, report: report)
    case .http: table = HTTPBenchmark.run(options, report: report)
    case .components: table = ComponentHTTPBenchmark.run(options, report: report)
    }
    print(table.render())
    fflush(nil)
}
if !report.problems.isEmpty {
    print("problems (\(report.problems.count)):")
    for p in report.problems { print("- \(p)") }
    exit(1)
}
