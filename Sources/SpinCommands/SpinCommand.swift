import Foundation
import WasmCore

/// Top-level command dispatch.
public enum SpinCommand {
    static let usage = """
        spin: a Spin-compatible WebAssembly application platform in pure Swift

        Usage: spin <command> [options]

        Commands:
          up [-f spin.toml] [--listen ADDR]  Start the Spin application
          new TEMPLATE NAME [-o DIR] [-v KEY=VALUE]... [--accept-defaults]   Create an application from a template
          add TEMPLATE NAME [-f spin.toml]     Add a component from a template to an application
          build [-f spin.toml] [-c ID]... [--up [UP_ARGS...]]   Run the components' build commands
          watch [-f spin.toml] [-c] [-d MS] [--skip-build] [UP_ARGS...]   Rebuild and restart on changes
          templates list | install (--dir DIR | --git URL) | uninstall ID
          wasm run [--dir HOST[::GUEST]]... [--env KEY=VALUE]... [--invoke NAME] [--eager] FILE.wasm [ARGS...]
          wasm inspect FILE.wasm
          wasm spectest PATH...
        """

    public static func run(_ arguments: [String]) -> Int32 {
        guard let command = arguments.first else {
            print(usage)
            return 2
        }
        let rest = Array(arguments.dropFirst())
        switch command {
        case "up":
            return SpinUpCommand.run(rest)
        case "wasm":
            return WasmCommand.run(rest)
        case "new": return SpinNewCommand.run(rest)
        case "add": return SpinAddCommand.run(rest)
        case "build": return SpinBuildCommand.run(rest)
        case "watch": return SpinWatchCommand.run(rest)
        case "templates": return SpinTemplatesCommand.run(rest)
        case "--help", "-h", "help":
            print(usage)
            return 0
        case "--version", "-V":
            print("spin 0.1.0 (pure Swift)")
            return 0
        default:
            FileHandle.standardError.write(Data("error: unknown command '\(command)'\n\n\(usage)\n".utf8))
            return 2
        }
    }
}
