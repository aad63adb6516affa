import Foundation

/// The suite's command line (see `usage`).
struct Options {
    enum Section: String, CaseIterable {
        case engine, simd, startup, instantiate, http
    }

    static let usage = """
        usage: spin-bench [--quick] [--rounds N] [--only engine|simd|startup|instantiate|http]...
                          [--startup-runs N] [--requests N] [--concurrency N]
                          [--wasm-dir DIR] [--spin PATH] [--wasmkit PATH] [--hey PATH]
               spin-bench instantiate [ITERATIONS]      (hello-world only, as before)

        Prints the benchmark tables; times are never asserted. Run from the package root
        (Scripts/bench does). --only can be repeated or take a comma-separated list.
        """

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

    init(_ arguments: [String]) throws {
        wasmDir = root + "/../shared/bench-wasm"
        spin =
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("spin")
            .path
        var explicit: (rounds: Bool, runs: Bool, requests: Bool) = (false, false, false)
        var only: Set<Section> = []
        var i = 0
        func value(_ flag: String) throws -> String {
            i += 1
            guard i < arguments.count else { throw OptionError("\(flag) needs a value") }
            return arguments[i]
        }
        func number(_ flag: String) throws -> Int {
            let v = try value(flag)
            guard let n = Int(v), n > 0 else { throw OptionError("\(flag) needs a positive number, not \(v)") }
            return n
        }
        while i < arguments.count {
            let a = arguments[i]
            switch a {
            case "--quick": quick = true
            case "--rounds": rounds = try number(a); explicit.rounds = true
            case "--startup-runs": startupRuns = try number(a); explicit.runs = true
            case "--requests", "-n": requests = try number(a); explicit.requests = true
            case "--concurrency", "-c": concurrency = try number(a)
            case "--only":
                for name in try value(a).split(separator: ",") {
                    guard let s = Section(rawValue: String(name)) else {
                        throw OptionError("--only: unknown section \(name) (engine, simd, startup, instantiate, http)")
                    }
                    only.insert(s)
                }
            case "--wasm-dir": wasmDir = try value(a)
            case "--spin": spin = try value(a)
            case "--wasmkit": wasmkit = try value(a)
            case "--hey": hey = try value(a)
            case "-h", "--help": throw OptionError(nil)
            default: throw OptionError("unknown option \(a)")
            }
            i += 1
        }
        if !only.isEmpty { sections = only }
        if quick {
            if !explicit.rounds { rounds = 1 }
            if !explicit.runs { startupRuns = 3 }
            if !explicit.requests { requests = 2000 }
        }
    }
}

struct OptionError: Error {
    /// nil: just print the usage (--help).
    var message: String?
    init(_ message: String?) { self.message = message }
}
