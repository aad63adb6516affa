import Foundation
import WasmCore

/// `spin wasm ...`: tools to inspect and run WebAssembly modules.
enum WasmCommand {
    static func run(_ arguments: [String]) -> Int32 {
        guard let sub = arguments.first else {
            print(SpinCommand.usage)
            return 2
        }
        let rest = Array(arguments.dropFirst())
        switch sub {
        case "run":
            return WasmRunCommand.run(rest)
        case "inspect":
            let optimize = !rest.contains("--no-optimize")
            let rest = rest.filter { $0 != "--no-optimize" }
            if rest.count == 3, rest[0] == "--ir", let index = Int(rest[1]) {
                return runInspectIR(path: rest[2], function: index, optimize: optimize)
            }
            guard let path = rest.first, rest.count == 1 else {
                printError("usage: spin wasm inspect [--ir FUNCTION-INDEX [--no-optimize]] FILE.wasm")
                return 2
            }
            return runInspect(path: path)
        case "spectest":
            return runSpecTest(arguments: rest)
        default:
            FileHandle.standardError.write(Data("error: unknown command 'wasm \(sub)'\n".utf8))
            return 2
        }
    }
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
}

/// `spin wasm inspect --ir N FILE.wasm`: the engine's internal code for function N
/// (`--no-optimize`: its reference translation).
func runInspectIR(path: String, function index: Int, optimize: Bool = true) -> Int32 {
    do {
        let module = try Module(bytes: FileBytes.read(path), optimize: optimize)
        guard let text = module.disassemble(function: index) else {
            printError("function \(index) is not defined in \(path) (imported or out of range)")
            return 1
        }
        print(text, terminator: "")
        return 0
    } catch {
        printError("\(path): \(error)")
        return 1
    }
}
