import ArgumentParsing
import Foundation
import WasmCore
import WasmSpec

/// `spin wasm ...`: tools to run, inspect and test WebAssembly modules.
public enum WasmCommand {
    public static let group = CommandGroup(
        "spin wasm", abstract: "Run, inspect and test WebAssembly modules",
        subcommands: [
            .init("run", abstract: WasmRunCommand.spec.abstract) { WasmRunCommand.run(arguments: $0, console: $1) },
            .init("inspect", abstract: WasmInspectCommand.spec.abstract) {
                WasmInspectCommand.run(arguments: $0, console: $1)
            },
            .init("spectest", abstract: SpecTestCommand.abstract) { SpecTestCommand.run(arguments: $0, console: $1) },
            // Scripts/difftest's columns of our engine (documented in DifferentialCLI and Fuzz/README.md).
            .init("difftest-exec", abstract: "Run modules for Scripts/difftest", isHidden: true) { arguments, console in
                DifferentialCLI.run(
                    arguments: arguments, output: { console.out($0 + "\n") }, errorOutput: { console.err($0 + "\n") })
            },
        ])
}

/// `spin wasm inspect [--ir N [--no-optimize]] FILE.wasm`
public enum WasmInspectCommand {
    public struct Options: Sendable {
        public var file: String?
        /// `--ir N`: show function N's internal code instead of the summary.
        public var function: Int?
        public var optimize = true
        public init() {}
    }

    public static let spec = CommandSpec<Options>(
        "spin wasm inspect",
        abstract: "Print what a module or component holds, or the engine's internal code for one function",
        arguments: [
            .option(
                "--ir", value: "FUNCTION_INDEX",
                help: "Print the engine's internal code for this function instead of the summary",
                parse: Parse.integer(in: 0...)
            ) { $0.function = $1 },
            .flag("--no-optimize", help: "With --ir: the reference translation (no fusions)") { $0.optimize = false },
            .positional("FILE", help: "The module or component (.wasm)", required: true, \.file),
        ],
        discussion: """
            The summary lists sections, types, imports and exports, functions, tables, memories,
            globals, segments and custom sections; an invalid module is summarised, then its
            validation error printed (exit status 1). For a component: its sections, nested
            modules and components, instances, aliases and canonical functions, then its imports
            and exports as WIT (a world and its interfaces).
            """)

    public static func run(arguments: [String], console: Console = .standard) -> Int32 {
        spec.run(arguments, defaults: Options(), console: console) { o in
            let path = o.file!
            if let function = o.function {
                return runInspectIR(path: path, function: function, optimize: o.optimize, console: console)
            }
            return runInspect(path: path, console: console)
        }
    }
}

/// `spin wasm inspect --ir N FILE.wasm`: the engine's internal code for function N
/// (`--no-optimize`: its reference translation).
func runInspectIR(path: String, function index: Int, optimize: Bool, console: Console) -> Int32 {
    do {
        let module = try Module(bytes: FileBytes.read(path), optimize: optimize)
        guard let text = module.disassemble(function: index) else {
            console.error("function \(index) is not defined in \(path) (imported or out of range)")
            return 1
        }
        console.out(text)
        return 0
    } catch {
        console.error("\(path): \(error)")
        return 1
    }
}
