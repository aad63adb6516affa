import ArgumentParsing
import Foundation
import SpinHost
import SpinTooling

#if canImport(Glibc)
    import Glibc
#endif

/// `spin new [NAME] [-t TEMPLATE] [-o DIR | --init] [-v KEY=VALUE]... [--values-file F] [-a] [--no-vcs]
/// [--allow-overwrite] [--tag TAG]...`, as Spin 3 (`src/commands/new.rs`); Spin 1's
/// `spin new TEMPLATE NAME` still works.
public enum SpinNewCommand {
    public static let spec = CommandSpec<TemplateCommandOptions>(
        "spin new", abstract: "Scaffold a new application based on a template",
        arguments: TemplateCommandOptions.arguments(noun: "application"),
        discussion:
            "Templates: see `spin templates list`. Without NAME or -t, spin new asks for them when run in a terminal.")

    public static func run(arguments: [String], console: Console = .standard) -> Int32 {
        spec.run(arguments, defaults: TemplateCommandOptions(), console: console) { o in
            o.run(manifestPath: nil, spec: spec, console: console)
        }
    }
}

/// The options `spin new` and `spin add` share (Spin's `TemplateNewCommandCore`).
public struct TemplateCommandOptions: Sendable {
    /// The first positional: the name (Spin 2 syntax), or the template (Spin 1 syntax, with a second).
    public var name: String?
    /// The second positional (Spin 1 syntax: `spin new TEMPLATE NAME`).
    public var nameBackCompat: String?
    /// `-t/--template`.
    public var templateID: String?
    /// `--tag`: narrows the templates offered when none is given.
    public var tags: [String] = []
    public var output: String?
    /// `--init`: generate into the current folder.
    public var initialize = false
    /// `spin add -f`: the application's manifest.
    public var file: String?
    public var values: [String: String] = [:]
    public var valuesFile: String?
    public var acceptDefaults = false
    /// `--no-vcs`: no `.gitignore`.
    public var noVCS = false
    /// `--allow-overwrite`: generate into a folder that has files.
    public var allowOverwrite = false
    public init() {}

    /// The declarations: `spin add` adds `-f` to these.
    static func arguments(noun: String) -> [Argument<TemplateCommandOptions>] {
        [
            .positional("NAME", help: "The name of the new \(noun)", \.name),
            .positional(
                "NAME_BACK_COMPAT", help: "Spin 1 syntax: with two names, the first is the template and this the name",
                \.nameBackCompat),
            .option(
                "-t", "--template", value: "TEMPLATE_ID",
                help: "The template from which to create the new \(noun) (see `spin templates list`)", \.templateID),
            .option("--tag", value: "TAG", help: "Filter templates to select by tags", \.tags),
            .option(
                "-o", "--output", value: "OUTPUT_PATH",
                help: "The directory in which to create the new \(noun) [default: NAME]", \.output),
            .flag("--init", help: "Create the new \(noun) in the current directory", \.initialize),
            .option(
                "-v", "--value", value: "VALUES", help: "Parameter values to be passed to the template (name=value)",
                repeatable: true, parse: Parse.keyValue
            ) { $0.values[$1.key] = $1.value },
            .option(
                "--values-file", value: "VALUES_FILE",
                help: "A TOML file of parameter values (name = \"value\"); -v values take precedence", \.valuesFile),
            .flag(
                "-a", "--accept-defaults", help: "Use the template's default for every parameter not given with -v",
                \.acceptDefaults),
            .flag("--no-vcs", help: "Do not create .gitignore files", \.noVCS),
            .flag(
                "--allow-overwrite", aliases: ["--allow-overwrites"],
                help: "Generate into a directory that already has files, overwriting files of the same names",
                \.allowOverwrite),
        ]
    }

    /// Interactive as Spin decides: when stderr is a terminal.
    static var interactive: Bool { isatty(2) != 0 && isatty(0) != 0 }

    /// Values from -v override the values file; prompts read stdin when interactive.
    func inputs(console: Console) throws(TemplateError) -> TemplateGenerator.Inputs {
        var values =
            try valuesFile.map { (f: String) throws(TemplateError) in try TemplateGenerator.readValuesFile(f) } ?? [:]
        for (k, v) in self.values { values[k] = v }
        var inputs = TemplateGenerator.Inputs(values: values, acceptDefaults: acceptDefaults)
        guard Self.interactive else { return inputs }
        inputs.prompt = { p in
            let shown = p.defaultValue.map { $0.isEmpty ? "" : " [\($0)]" } ?? ""
            console.err("\(p.prompt)\(shown): ")
            return readLine(strippingNewline: true)?.trimmingCharacters(in: .whitespaces)
        }
        inputs.confirm = { question in
            console.err("\(question) [y/N] ")
            let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
            return answer == "y" || answer == "yes"
        }
        inputs.report = { console.err($0 + "\n") }
        return inputs
    }

    /// Spin's `resolve_name_template_syntax`: (name, template id).
    func resolveNameAndTemplate(noun: String, command: String, console: Console) throws(TemplateError) -> (
        String?, String?
    ) {
        switch (name, nameBackCompat, templateID) {
        case (_, nil, .some): return (name, templateID)
        case (_, .some, .some): throw TemplateError("Cannot supply both positional and named template id")
        case (.some(let tpl), .some(let compatName), nil):
            console.err(
                "Using Spin 1 command syntax. The recommended syntax in Spin 2 is 'spin \(command) \(compatName) -t \(tpl)'\n"
            )
            return (compatName, tpl)
        case (.some(let n), nil, nil):
            if TemplateRepository().all().contains(where: { $0.id == n }) {
                let article = noun == "application" ? "an" : "a"
                console.err(
                    "This will create \(article) \(noun) called \(n). If you meant to use the \(n) template, write '-t \(n)'.\n"
                )
            }
            return (name, nil)
        default: return (nil, nil)
        }
    }

    /// Asks which template to use (terminal only), among those matching `--tag`.
    func pickTemplate(noun: String, adding: Bool, console: Console) throws(TemplateError) -> Template {
        let candidates = TemplateRepository().all().filter {
            $0.manifest.matchesAllTags(tags) && (adding ? $0.manifest.addComponent != nil : $0.manifest.supportsNew)
        }
        guard !candidates.isEmpty else {
            throw TemplateError(tags.count == 1 ? "No templates matched '\(tags[0])'" : "No templates matched all tags")
        }
        guard Self.interactive else {
            throw TemplateError(
                "no template given: pass -t TEMPLATE_ID (templates: \(candidates.map(\.id).joined(separator: ", ")))")
        }
        console.err("Pick a template to start your \(noun) with:\n")
        for (i, t) in candidates.enumerated() { console.err("  \(i + 1)) \(t.id) (\(t.description))\n") }
        while true {
            console.err("Number [1]: ")
            guard let line = readLine()?.trimmingCharacters(in: .whitespaces) else {
                throw TemplateError("no template chosen")
            }
            if line.isEmpty { return candidates[0] }
            if let n = Int(line), candidates.indices.contains(n - 1) { return candidates[n - 1] }
        }
    }

    /// Runs `spin new` (manifestPath nil) or `spin add`.
    func run(manifestPath: String?, spec: CommandSpec<TemplateCommandOptions>, console: Console) -> Int32 {
        let noun = manifestPath == nil ? "application" : "component"
        if initialize && output != nil { return spec.fail("--init cannot be used with --output", console: console) }
        if templateID != nil && !tags.isEmpty {
            return spec.fail("--tag cannot be used with --template", console: console)
        }
        do {
            let (givenName, givenTemplate) = try resolveNameAndTemplate(
                noun: noun, command: manifestPath == nil ? "new" : "add", console: console)
            if let givenName { try TemplateGenerator.validateName(givenName) }
            let template: Template
            if let id = givenTemplate {
                // As Spin: an unknown id offers the templates tagged with it (in a terminal).
                do { template = try TemplateRepository().template(id: id) } catch {
                    guard Self.interactive else { throw error }
                    var tagged = self
                    tagged.tags = [id]
                    template = try tagged.pickTemplate(noun: noun, adding: manifestPath != nil, console: console)
                }
            } else {
                template = try pickTemplate(noun: noun, adding: manifestPath != nil, console: console)
            }
            var name = givenName
            if name == nil {
                guard Self.interactive else {
                    throw TemplateError(
                        "no name given: spin \(manifestPath == nil ? "new" : "add") NAME -t \(template.id)")
                }
                var prompt = "Enter a name for your new \(noun)"
                while name == nil {
                    console.err(prompt + ": ")
                    guard let line = readLine() else { throw TemplateError("no name given") }
                    let trimmed = line.trimmingCharacters(in: .whitespaces)
                    if trimmed.isEmpty {
                        prompt = "Name is required. Try another \(noun) name (or Ctrl+C to exit)"
                    } else {
                        name = trimmed
                    }
                }
            }
            let request = TemplateGenerator.Request(
                name: name!, outputPath: initialize ? "." : output, noVCS: noVCS, allowOverwrite: allowOverwrite)
            let inputs = try inputs(console: console)
            if let manifestPath {
                try TemplateGenerator.addComponent(
                    template, request: request, manifestPath: manifestPath, inputs: inputs)
            } else {
                try TemplateGenerator.newApplication(template, request: request, inputs: inputs)
            }
            return 0
        } catch {
            console.error("\(error)")
            return 1
        }
    }
}
