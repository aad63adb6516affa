import Foundation

// spin-bench: the project's benchmark suite (see README "Benchmarks").
let args = Array(CommandLine.arguments.dropFirst())
let root = FileManager.default.currentDirectoryPath
if args.first == "instantiate" {
    let n = args.count > 1 ? Int(args[1]) ?? 2000 : 2000
    let r = try InstantiationBenchmark.run(name: "hello-world", manifest: root + "/Examples/hello-world", iterations: n)
    print(String(format: "%@: %.1f µs per instantiate+call (%.0f per second)", r.name, r.microsecondsPerRequest, r.requestsPerSecond))
}
