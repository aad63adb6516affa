import Foundation
import SpinHost
import SpinTooling

/// `spin add TEMPLATE NAME [-f spin.toml] [-o DIR] [-v KEY=VALUE]... [--values-file F] [-a]`
enum SpinAddCommand {
    static let usage = """
        Scaffold a new component into an existing application

        Usage: spin add <TEMPLATE_ID> <NAME> [OPTIONS]

        Options:
          -f, --file <MANIFEST>       The application to add to: spin.toml or its directory [default: spin.toml]
          -o, --output <DIR>          The directory to create the component in [default: NAME next to spin.toml]
          -v, --value <KEY=VALUE>     A parameter value (repeatable); not prompted for
              --values-file <FILE>    A TOML file of parameter values (name = "value")
          -a, --accept-defaults       Use the default for every parameter not given with -v
          -h, --help                  Print help
        """

    static func run(_ arguments: [String]) -> Int32 {
        let o: TemplateCommandOptions
        do {
            guard let parsed = try TemplateCommandOptions.parse(arguments, allowFile: true) else {
                print(usage)
                return 0
            }
            o = parsed
        } catch {
            printError("\(error)")
            return 2
        }
        guard let templateID = o.templateID, let name = o.name else {
            printError("spin add needs a template and a name: spin add TEMPLATE NAME [-f spin.toml]")
            return 2
        }
        do {
            let template = try TemplateRepository().template(id: templateID)
            try TemplateGenerator.addComponent(
                template, name: name, manifestPath: o.file ?? Manifest.defaultFileName,
                outputDirectory: o.output, inputs: try o.inputs())
            return 0
        } catch {
            printError("\(error)")
            return 1
        }
    }
}
