import ArgumentParsing
import Foundation
import SpinHost
import SpinTooling

/// `spin add TEMPLATE NAME [-f spin.toml] [-o DIR] [-v KEY=VALUE]... [--values-file F] [-a]`
public enum SpinAddCommand {
    public static let spec = CommandSpec<TemplateCommandOptions>(
        "spin add", abstract: "Scaffold a new component into an existing application",
        arguments: [
            .option(
                "-f", "--file", value: "MANIFEST",
                help: "The application to add to: spin.toml or its directory [default: spin.toml]", \.file)
        ]
            + TemplateCommandOptions.arguments(
                output: "The directory to create the component in [default: NAME next to spin.toml]"))

    public static func run(arguments: [String], console: Console = .standard) -> Int32 {
        spec.run(arguments, defaults: TemplateCommandOptions(), console: console) { o in
            guard let templateID = o.templateID, let name = o.name else {
                return spec.fail(
                    "spin add needs a template and a name: spin add TEMPLATE NAME [-f spin.toml]", console: console)
            }
            do {
                let template = try TemplateRepository().template(id: templateID)
                try TemplateGenerator.addComponent(
                    template, name: name, manifestPath: o.file ?? Manifest.defaultFileName,
                    outputDirectory: o.output, inputs: try o.inputs(console: console))
                return 0
            } catch {
                console.error("\(error)")
                return 1
            }
        }
    }
}
