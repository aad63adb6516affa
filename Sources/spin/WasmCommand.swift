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
            guard let path = rest.first, rest.count == 1 else {
                printError("usage: spin wasm inspect FILE.wasm")
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
