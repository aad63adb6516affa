import ArgumentParsing
import Foundation

/// `spin`: dispatches to the commands. Every command has a `run(arguments:console:)` entry
/// taking the words after its name; add a command by adding it to `group`.
public enum SpinCommand {
    public static let version = "spin 0.1.0 (pure Swift)"

    public static let group = CommandGroup(
        "spin", abstract: "spin: a Spin-compatible WebAssembly application platform in pure Swift",
        version: version,
        discussion: "See 'spin <COMMAND> --help' for a command's options.",
        subcommands: [
            .init("up", abstract: SpinUpCommand.spec.abstract) { SpinUpCommand.run(arguments: $0, console: $1) },
            .init("new", abstract: SpinNewCommand.spec.abstract) { SpinNewCommand.run(arguments: $0, console: $1) },
            .init("add", abstract: SpinAddCommand.spec.abstract) { SpinAddCommand.run(arguments: $0, console: $1) },
            .init("build", abstract: SpinBuildCommand.spec.abstract) {
                SpinBuildCommand.run(arguments: $0, console: $1)
            },
            .init("watch", abstract: SpinWatchCommand.spec.abstract) {
                SpinWatchCommand.run(arguments: $0, console: $1)
            },
            .init("templates", abstract: SpinTemplatesCommand.group.abstract) {
                SpinTemplatesCommand.group.run($0, console: $1)
            },
            .init("registry", abstract: SpinRegistryCommand.group.abstract) {
                SpinRegistryCommand.group.run($0, console: $1)
            },
            .init("wasm", abstract: WasmCommand.group.abstract) { WasmCommand.group.run($0, console: $1) },
        ])

    /// Runs `spin` with `arguments` (those after the program name); returns the exit status.
    public static func run(arguments: [String], console: Console = .standard) -> Int32 {
        group.run(arguments, console: console)
    }
}

/// `error: <message>` on stderr, for code without a `Console` at hand.
func printError(_ message: String) {
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
}
