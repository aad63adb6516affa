import ArgumentParsing
import Foundation

/// `spin`: dispatches to the commands. Every command has a `run(arguments:console:)` entry
/// taking the words after its name; add a command by adding it to `group`.
public enum SpinCommand {
    /// This implementation's version.
    public static let implementationVersion = "0.1.0"
    /// The Spin release whose command line and manifests this one follows.
    public static let compatibleSpinVersion = "3.1.2"
    /// `spin --version`, in Spin's shape (`spin 3.1.2 (3d37ac5 2025-01-15)`): the version, then in
    /// parentheses what Spin puts its commit in — here, the implementation and the Spin release
    /// it follows.
    public static let version =
        "spin \(implementationVersion) (pure Swift; compatible with Spin \(compatibleSpinVersion))"

    /// Spin's aliases (`spin u`, `spin b`, `spin n`, `spin a`, `spin w`, `spin template`).
    public static let group = CommandGroup(
        "spin", abstract: "spin: a Spin-compatible WebAssembly application platform in pure Swift",
        version: version,
        discussion: "See 'spin <COMMAND> --help' for a command's options.",
        subcommands: [
            .init("templates", abstract: SpinTemplatesCommand.group.abstract, aliases: ["template"]) {
                SpinTemplatesCommand.group.run($0, console: $1)
            },
            .init("new", abstract: SpinNewCommand.spec.abstract, aliases: ["n"]) {
                SpinNewCommand.run(arguments: $0, console: $1)
            },
            .init("add", abstract: SpinAddCommand.spec.abstract, aliases: ["a"]) {
                SpinAddCommand.run(arguments: $0, console: $1)
            },
            .init("up", abstract: SpinUpCommand.spec.abstract, aliases: ["u"]) {
                SpinUpCommand.run(arguments: $0, console: $1)
            },
            .init("build", abstract: SpinBuildCommand.spec.abstract, aliases: ["b"]) {
                SpinBuildCommand.run(arguments: $0, console: $1)
            },
            .init("watch", abstract: SpinWatchCommand.spec.abstract, aliases: ["w"]) {
                SpinWatchCommand.run(arguments: $0, console: $1)
            },
            .init("registry", abstract: SpinRegistryCommand.group.abstract, aliases: ["oci"]) {
                SpinRegistryCommand.group.run($0, console: $1)
            },
            .init("wasm", abstract: WasmCommand.group.abstract) { WasmCommand.group.run($0, console: $1) },
        ] + unsupported)

    /// Spin commands this implementation does not have: named in a clear error (exit 1)
    /// rather than "unknown command", and left out of the help.
    static let unsupported: [CommandGroup.Subcommand] = [
        ("plugins", ["plugin"], "plugins are Rust/Go executables Spin downloads from its plugin index"),
        ("doctor", [], "it checks Spin's own installation and manifests for known problems"),
        ("deploy", ["d"], "deploying goes through the Fermyon Cloud plugin"),
        ("login", [], "logging in goes through the Fermyon Cloud plugin"),
        ("cloud", [], "Fermyon Cloud commands come from the cloud plugin"),
    ].map { name, aliases, why in
        CommandGroup.Subcommand(name, abstract: "", aliases: aliases, isHidden: true) { _, console in
            console.error("`spin \(name)` is a Spin command this implementation does not have (\(why))")
            return 1
        }
    }

    /// Runs `spin` with `arguments` (those after the program name); returns the exit status.
    public static func run(arguments: [String], console: Console = .standard) -> Int32 {
        group.run(arguments, console: console)
    }
}

/// `Error: <message>` on stderr, for code without a `Console` at hand.
func printError(_ message: String) {
    FileHandle.standardError.write(Data("Error: \(message)\n".utf8))
}
