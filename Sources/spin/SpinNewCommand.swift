import Foundation
import SpinHost
import SpinTooling

/// `spin new TEMPLATE NAME [-o DIR] [-v KEY=VALUE]... [--values-file F] [-a/--accept-defaults]`
enum SpinNewCommand {
    static let usage = """
        Scaffold a new application from a template

        Usage: spin new <TEMPLATE_ID> <NAME> [OPTIONS]

        Options:
          -o, --output <DIR>          The directory to create the application in [default: ./NAME]
          -v, --value <KEY=VALUE>     A parameter value (repeatable); not prompted for
              --values-file <FILE>    A TOML file of parameter values (name = "value")
          -a, --accept-defaults       Use the default for every parameter not given with -v
          -h, --help                  Print help

        Templates: see `spin templates list`.
        """

    static func run(_ arguments: [String]) -> Int32 {
        let o: TemplateCommandOptions
        do {
            guard let parsed = try TemplateCommandOptions.parse(arguments, allowFile: false) else {
                print(usage)
                return 0
            }
            o = parsed
        } catch {
            printError("\(error)")
            return 2
        }
        var name = o.name
        if o.templateID != nil && name == nil && !o.acceptDefaults {
            // Like Spin: ask for the name when it is not on the command line.
            print("Enter a name for your new application: ", terminator: "")
            fflush(nil)
            name = readLine()?.trimmingCharacters(in: .whitespaces)
            if name?.isEmpty == true { name = nil }
        }
        guard let templateID = o.templateID, let name else {
            printError(
                "spin new needs a template and a name: spin new TEMPLATE NAME (templates: \(TemplateRepository().all().map(\.id).joined(separator: ", ")))"
            )
            return 2
        }
        do {
            let template = try TemplateRepository().template(id: templateID)
            let dir = try TemplateGenerator.newApplication(
                template, name: name, outputDirectory: o.output, inputs: try o.inputs())
            _ = dir
            return 0
        } catch {
            printError("\(error)")
            return 1
        }
    }
}

/// The options `spin new` and `spin add` share.
struct TemplateCommandOptions {
    var templateID: String?
    var name: String?
    var output: String?
    var file: String?
    var values: [String: String] = [:]
    var valuesFile: String?
    var acceptDefaults = false

    /// nil for --help.
    static func parse(_ arguments: [String], allowFile: Bool) throws(TemplateError) -> TemplateCommandOptions? {
        var o = TemplateCommandOptions()
        var positional: [String] = []
        var i = 0
        while i < arguments.count {
            var a = arguments[i]
            var inline: String?
            if a.hasPrefix("--"), let eq = a.firstIndex(of: "=") {
                inline = String(a[a.index(after: eq)...])
                a = String(a[..<eq])
            }
            func value() throws(TemplateError) -> String {
                if let inline { return inline }
                i += 1
                guard i < arguments.count else { throw TemplateError("\(a) needs a value") }
                return arguments[i]
            }
            switch a {
            case "-o", "--output": o.output = try value()
            case "-v", "--value":
                let (k, v) = try TemplateGenerator.parseValue(try value())
                o.values[k] = v
            case "--values-file": o.valuesFile = try value()
            case "-a", "--accept-defaults": o.acceptDefaults = true
            case "-f",
                "--file" where allowFile:
                o.file = try value()
            case "--tag", "--init": throw TemplateError("\(a) is not supported")
            case "-h", "--help": return nil
            default:
                if a.hasPrefix("-") && a.count > 1 { throw TemplateError("unexpected argument '\(arguments[i])'") }
                positional.append(arguments[i])
            }
            i += 1
        }
        guard positional.count <= 2 else { throw TemplateError("unexpected argument '\(positional[2])'") }
        o.templateID = positional.first
        o.name = positional.count > 1 ? positional[1] : nil
        return o
    }

    /// Values from -v override the values file; prompts read stdin.
    func inputs() throws(TemplateError) -> TemplateGenerator.Inputs {
        var values =
            try valuesFile.map { (f: String) throws(TemplateError) in try TemplateGenerator.readValuesFile(f) } ?? [:]
        for (k, v) in self.values { values[k] = v }
        var inputs = TemplateGenerator.Inputs(values: values, acceptDefaults: acceptDefaults)
        inputs.prompt = { p in
            let shown = p.defaultValue.map { $0.isEmpty ? "" : " [\($0)]" } ?? ""
            print("\(p.prompt)\(shown): ", terminator: "")
            fflush(nil)
            let line = readLine(strippingNewline: true)
            if line == nil { print("") }
            return line?.trimmingCharacters(in: .whitespaces)
        }
        inputs.report = {
            print($0); fflush(nil)
        }
        return inputs
    }
}
