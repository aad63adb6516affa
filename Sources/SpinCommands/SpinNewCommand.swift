import ArgumentParsing
import Foundation
import SpinHost
import SpinTooling

/// `spin new TEMPLATE NAME [-o DIR] [-v KEY=VALUE]... [--values-file F] [-a/--accept-defaults]`
public enum SpinNewCommand {
    public static let spec = CommandSpec<TemplateCommandOptions>(
        "spin new", abstract: "Scaffold a new application from a template",
        arguments: TemplateCommandOptions.arguments(
            output: "The directory to create the application in [default: ./NAME]"),
        discussion: "Templates: see `spin templates list`. Without NAME (and without -a), spin new asks for it.")

    public static func run(arguments: [String], console: Console = .standard) -> Int32 {
        spec.run(arguments, defaults: TemplateCommandOptions(), console: console) { o in
            var name = o.name
            if o.templateID != nil && name == nil && !o.acceptDefaults {
                // Like Spin: ask for the name when it is not on the command line.
                console.out("Enter a name for your new application: ")
                fflush(nil)
                name = readLine()?.trimmingCharacters(in: .whitespaces)
                if name?.isEmpty == true { name = nil }
            }
            guard let templateID = o.templateID, let name else {
                let ids = TemplateRepository().all().map(\.id).joined(separator: ", ")
                return spec.fail(
                    "spin new needs a template and a name: spin new TEMPLATE NAME (templates: \(ids))", console: console
                )
            }
            do {
                let template = try TemplateRepository().template(id: templateID)
                _ = try TemplateGenerator.newApplication(
                    template, name: name, outputDirectory: o.output, inputs: try o.inputs(console: console))
                return 0
            } catch {
                console.error("\(error)")
                return 1
            }
        }
    }
}

/// The options `spin new` and `spin add` share.
public struct TemplateCommandOptions: Sendable {
    public var templateID: String?
    public var name: String?
    public var output: String?
    /// `spin add -f`: the application's manifest.
    public var file: String?
    public var values: [String: String] = [:]
    public var valuesFile: String?
    public var acceptDefaults = false
    public init() {}

    /// The declarations: `spin add` adds `-f` to these.
    static func arguments(output: String) -> [Argument<TemplateCommandOptions>] {
        [
            .positional("TEMPLATE_ID", help: "The template to start from (see `spin templates list`)", \.templateID),
            .positional("NAME", help: "The name of the new application or component", \.name),
            .option("-o", "--output", value: "DIR", help: output, \.output),
            .option(
                "-v", "--value", value: "KEY=VALUE", help: "A parameter value, not prompted for", repeatable: true,
                parse: Parse.keyValue
            ) { $0.values[$1.key] = $1.value },
            .option(
                "--values-file", value: "FILE", help: "A TOML file of parameter values (name = \"value\")", \.valuesFile
            ),
            .flag(
                "-a", "--accept-defaults", help: "Use the default for every parameter not given with -v",
                \.acceptDefaults),
            // Spin's, not implemented here: named in the error rather than "unknown".
            .option(
                "--tag", value: "TAG", help: "", hidden: true,
                parse: { _ in throw ValueError("--tag: not supported by this spin") }
            ) { _, _ in },
            .flag("--init", help: "", hidden: true) { _ in throw ValueError("not supported by this spin") },
        ]
    }

    /// Values from -v override the values file; prompts read stdin.
    func inputs(console: Console) throws(TemplateError) -> TemplateGenerator.Inputs {
        var values =
            try valuesFile.map { (f: String) throws(TemplateError) in try TemplateGenerator.readValuesFile(f) } ?? [:]
        for (k, v) in self.values { values[k] = v }
        var inputs = TemplateGenerator.Inputs(values: values, acceptDefaults: acceptDefaults)
        inputs.prompt = { p in
            let shown = p.defaultValue.map { $0.isEmpty ? "" : " [\($0)]" } ?? ""
            console.out("\(p.prompt)\(shown): ")
            fflush(nil)
            let line = readLine(strippingNewline: true)
            if line == nil { console.print("") }
            return line?.trimmingCharacters(in: .whitespaces)
        }
        inputs.report = {
            console.print($0)
            fflush(nil)
        }
        return inputs
    }
}
