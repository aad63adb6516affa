import ArgumentParsing
import Foundation
import SpinHost
import SpinTooling

/// `spin add [NAME] [-t TEMPLATE] [-f spin.toml] ...`: the options of `spin new`, plus `-f`.
public enum SpinAddCommand {
    public static let spec = CommandSpec<TemplateCommandOptions>(
        "spin add", abstract: "Scaffold a new component into an existing application",
        arguments: [
            .option(
                "-f", "--file", value: "APP_MANIFEST_FILE",
                help: "Path to spin.toml (or its directory) [default: spin.toml]", \.file)
        ] + TemplateCommandOptions.arguments(noun: "component"))

    public static func run(arguments: [String], console: Console = .standard) -> Int32 {
        spec.run(arguments, defaults: TemplateCommandOptions(), console: console) { o in
            o.run(manifestPath: o.file ?? Manifest.defaultFileName, spec: spec, console: console)
        }
    }
}
