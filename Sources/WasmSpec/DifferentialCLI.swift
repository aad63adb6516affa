import Foundation
import WasmCore

/// `spin wasm difftest-exec [--timeout SECONDS] [--uninterruptible] [--coverage] FILE...`: our columns of the
/// differential test (`Scripts/difftest`, which runs it for batches of modules and compares
/// the columns with wasmtime's). Not in `spin`'s usage text: it exists for the script.
///
/// For each file it writes, in one piece (so that a crash shows which module it happened in):
///
///     module FILE
///     tier optimized
///     <the column of Module(bytes:)>
///     tier reference
///     <the column of Module(bytes:optimize: false)>
///     end
///
/// `--uninterruptible` adds `tier uninterruptible`: the optimised translation in a store with
/// `EngineConfiguration.interruptible` off, the interpreter loop without interrupt checks that
/// `spin wasm run` uses (no deadline can stop it; Scripts/difftest kills a batch that hangs).
///
/// With `--coverage`, each module also runs optimised in a store that counts instructions
/// (`tier counted`, a column that must equal the optimised one), and the output ends with
/// `coverage OP COUNT` for every op in `InternalCode.optimizedOperations`: which fusions and
/// superinstructions the batch reached.
public enum DifferentialCLI {
    /// The command's help text.
    public static let usage = """
        usage: spin wasm difftest-exec [--timeout SECONDS] [--uninterruptible] [--coverage] FILE...

        Runs each module's differential plan (Sources/WasmSpec/DifferentialPlan.swift) in the
        optimised and the reference translation and prints both columns for Scripts/difftest.
          --timeout SECONDS   how long instantiation and each call may run (default 5)
          --uninterruptible   also run the optimised code in the loop without interrupt checks
          --coverage          also count instructions; print the optimiser's ops reached
        """

    /// Runs the command; `output` gets each module's block and the coverage lines.
    /// Returns the exit status: 0, or 2 for bad arguments (a module that cannot be read is a
    /// column with a `unreadable` line, not an error).
    public static func run(arguments: [String], output: (String) -> Void, errorOutput: (String) -> Void) -> Int32 {
        var timeout = Duration.seconds(5)
        var coverage = false
        var uninterruptible = false
        var files: [String] = []
        var index = 0
        while index < arguments.count {
            let a = arguments[index]
            switch a {
            case "--timeout":
                index += 1
                guard index < arguments.count, let seconds = Double(arguments[index]), seconds > 0 else {
                    errorOutput("--timeout needs a number of seconds\n" + usage)
                    return 2
                }
                timeout = .nanoseconds(Int64(min(seconds, 1e6) * 1e9))
            case "--coverage":
                coverage = true
            case "--uninterruptible":
                uninterruptible = true
            case "-h", "--help":
                output(usage)
                return 0
            default:
                if a.hasPrefix("-") {
                    errorOutput("unknown option '\(a)'\n" + usage)
                    return 2
                }
                files.append(a)
            }
            index += 1
        }
        guard !files.isEmpty else {
            errorOutput(usage)
            return 2
        }

        var counts: [String: UInt64] = [:]
        for file in files {
            var block = ["module \(file)"]
            guard let bytes = readFile(file) else {
                block += ["tier optimized", "unreadable", "tier reference", "unreadable", "end"]
                output(block.joined(separator: "\n"))
                continue
            }
            block.append("tier optimized")
            block += DifferentialExecution.column(of: bytes, options: .init(optimize: true, callTimeout: timeout))
            block.append("tier reference")
            block += DifferentialExecution.column(of: bytes, options: .init(optimize: false, callTimeout: timeout))
            if uninterruptible {
                var options = DifferentialExecution.Options(optimize: true, callTimeout: timeout)
                options.configuration.interruptible = false
                block.append("tier uninterruptible")
                block += DifferentialExecution.column(of: bytes, options: options)
            }
            if coverage {
                var configuration = EngineConfiguration()
                configuration.countsInstructions = true
                let store = Store(configuration: configuration)
                var options = DifferentialExecution.Options(optimize: true, callTimeout: timeout)
                options.configuration = configuration
                block.append("tier counted")
                block += DifferentialExecution.column(of: bytes, options: options, store: store)
                for (op, count) in store.instructionCounts { counts[op, default: 0] += count }
            }
            block.append("end")
            output(block.joined(separator: "\n"))
        }
        if coverage {
            output(InternalCode.optimizedOperations.map { "coverage \($0) \(counts[$0] ?? 0)" }.joined(separator: "\n"))
        }
        return 0
    }

    /// The bytes of `path`, or nil.
    static func readFile(_ path: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path).map { [UInt8]($0) }
    }
}
