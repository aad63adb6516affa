import ArgumentParsing
import Foundation

/// The suite's command line (`spin-bench --help`).
struct Options {
    enum Section: String, CaseIterable {
        case engine, simd, startup, instantiate, image, http, components
    }

    var quick = false
    var rounds = 3
    var startupRuns = 10
    var requests = 20000
    var concurrency = 50
    var sections = Set(Section.allCases)
    var root = FileManager.default.currentDirectoryPath
    var wasmDir: String
    var spin: String
    var wasmkit = "wasmkit"
    var hey = "hey"
    var wasmtime = "wasmtime"
    /// Where `Scripts/build-components` put the big (Python) components.
    var componentsDirectory = "/tmp/components"
    /// A component whose core module with the most data the `image` section also measures.
    var imageComponent: String?
    /// What was given explicitly, so --quick leaves it alone.
    private var explicit: (rounds: Bool, runs: Bool, requests: Bool) = (false, false, false)
    private var only: Set<Section> = []

    init() {
        wasmDir = root + "/../shared/bench-wasm"
        spin =
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("spin")
            .path
    }

    static let spec = CommandSpec<Options>(
        "spin-bench", abstract: "The project's benchmark suite: prints the benchmark tables",
        arguments: [
            .flag("--quick", help: "Fewer rounds, runs and requests (unless given)", \.quick),
            .option(
                "--rounds", value: "N", help: "Rounds per engine benchmark [default: 3]", parse: Parse.integer(in: 1...)
            ) {
                $0.rounds = $1
                $0.explicit.rounds = true
            },
            .option(
                "--only", value: "SECTIONS",
                help:
                    "Run only these sections, comma-separated: \(Section.allCases.map(\.rawValue).joined(separator: ", "))",
                repeatable: true,
                parse: { list in
                    try list.split(separator: ",").map { name in
                        guard let s = Section(rawValue: String(name)) else {
                            throw ValueError(
                                "unknown section \(name) (\(Section.allCases.map(\.rawValue).joined(separator: ", ")))")
                        }
                        return s
                    }
                }
            ) { $0.only.formUnion($1) },
            .option(
                "--startup-runs", value: "N", help: "Runs per startup measurement [default: 10]",
                parse: Parse.integer(in: 1...)
            ) {
                $0.startupRuns = $1
                $0.explicit.runs = true
            },
            .option(
                "-n", "--requests", value: "N", help: "HTTP requests per run [default: 20000]",
                parse: Parse.integer(in: 1...)
            ) {
                $0.requests = $1
                $0.explicit.requests = true
            },
            .option(
                "-c", "--concurrency", value: "N", help: "Concurrent HTTP clients [default: 50]",
                parse: Parse.integer(in: 1...), \.concurrency),
            .option("--wasm-dir", value: "DIR", help: "The bench modules [default: ../shared/bench-wasm]", \.wasmDir),
            .option("--spin", value: "PATH", help: "The spin to measure [default: the one next to spin-bench]", \.spin),
            .option("--wasmkit", value: "PATH", help: "wasmkit, to compare with [default: wasmkit on PATH]", \.wasmkit),
            .option("--hey", value: "PATH", help: "The HTTP load generator [default: hey on PATH]", \.hey),
            .option(
                "--wasmtime", value: "PATH", help: "wasmtime, the components section's peer [default: on PATH]",
                \.wasmtime),
            .option(
                "--components-dir", value: "DIR",
                help: "Scripts/build-components' output, for py-proxy [default: /tmp/components]",
                \.componentsDirectory),
            .option(
                "--image-component", value: "PATH",
                help: "A core module (or component) the image section also instantiates", \.imageComponent),
        ],
        discussion: """
            Times are never asserted. Run from the package root (Scripts/bench does).
            `spin-bench instantiate [ITERATIONS]` times instantiate+call of hello-world alone.
            """)

    /// The options `arguments` give, with --quick's and --only's effects applied; nil for --help.
    static func parse(_ arguments: [String]) throws(UsageError) -> Options? {
        guard var o = try spec.parse(arguments, into: Options()) else { return nil }
        if !o.only.isEmpty { o.sections = o.only }
        if o.quick {
            if !o.explicit.rounds { o.rounds = 1 }
            if !o.explicit.runs { o.startupRuns = 3 }
            if !o.explicit.requests { o.requests = 2000 }
        }
        return o
    }

    /// `spin-bench instantiate [ITERATIONS]`.
    static let instantiateSpec = CommandSpec<Int>(
        "spin-bench instantiate", abstract: "Time instantiate+call of the hello-world example",
        arguments: [
            .positional("ITERATIONS", help: "How many [default: 2000]") { n, text in
                n = try Parse.integer(in: 1...)(text)
            }
        ])
}
