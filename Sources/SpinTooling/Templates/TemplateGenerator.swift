import Foundation
import SpinHost
import TOML

/// `spin new` and `spin add`: runs a template as Spin's `Run`
/// (`crates/templates/src/run.rs`) does: checks the request, collects the
/// parameter values, renders the content files, snippets and extra outputs,
/// then writes them.
package struct TemplateGenerator {
    /// Where parameter values come from, in order: `values` (`-v`, then
    /// `--values-file`), then the default when `acceptDefaults`, else `prompt`.
    package struct Inputs {
        package var values: [String: String] = [:]
        package var acceptDefaults = false
        /// Asks for one parameter; returns the raw answer ("" = take the
        /// default) or nil at end of input. nil: no prompting (non-interactive,
        /// as Spin when stderr is not a terminal).
        package var prompt: ((TemplateManifest.Parameter) -> String?)?
        /// Asks a yes/no question (generating into a folder that has files).
        /// nil: non-interactive, which refuses.
        package var confirm: ((String) -> Bool)?
        /// Where prompting reports an invalid answer before asking again.
        package var report: (String) -> Void = { _ in }
        /// Overrides the `authors` value (default: `git config user.name/email`).
        package var authors: String?

        package init(
            values: [String: String] = [:], acceptDefaults: Bool = false,
            prompt: ((TemplateManifest.Parameter) -> String?)? = nil, authors: String? = nil
        ) {
            self.values = values
            self.acceptDefaults = acceptDefaults
            self.prompt = prompt
            self.authors = authors
        }
    }

    /// What `spin new`/`spin add` asked for besides the template and values.
    package struct Request {
        package var name: String
        /// `-o` as given; nil: the name made path-safe; `--init`: ".".
        package var outputPath: String?
        /// `--no-vcs`: no `.gitignore` files.
        package var noVCS = false
        /// `--allow-overwrite`: generate into a folder that already has files.
        package var allowOverwrite = false

        package init(name: String, outputPath: String? = nil, noVCS: Bool = false, allowOverwrite: Bool = false) {
            self.name = name
            self.outputPath = outputPath
            self.noVCS = noVCS
            self.allowOverwrite = allowOverwrite
        }
    }

    /// Spin's rule for names (`validate_name` in Spin's `commands/new.rs`):
    /// each part between characters that are not letters or digits must
    /// start with a letter.
    package static func validateName(_ name: String) throws(TemplateError) {
        let bad = name.split(omittingEmptySubsequences: false) { !($0.isLetter || $0.isNumber) }
            .filter { !($0.first?.isLetter ?? false) }.map { "'\($0)'" }
        guard bad.isEmpty else {
            throw TemplateError(
                "invalid name '\(name)': Each segment of the name must start with a letter. \(bad.joined(separator: ", ")) \(bad.count == 1 ? "does" : "do") not start with a letter"
            )
        }
    }

    /// The default output folder for a name (`path_safe` in Spin): every
    /// character other than `-`, `_`, `.`, ASCII letters and digits becomes `_`.
    package static func pathSafe(_ name: String) -> String {
        String(name.map { c in c.isASCII && (c.isLetter || c.isNumber || c == "-" || c == "_" || c == ".") ? c : "_" })
    }

    /// Reads a `--values-file`: TOML whose values are all strings (`name = "value"`).
    package static func readValuesFile(_ path: String) throws(TemplateError) -> [String: String] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TemplateError("Failed to read text from values file \(path)")
        }
        let t: TOMLTable
        do { t = try TOML.parse(bytes: [UInt8](data)) } catch {
            throw TemplateError("\(path):\(error.line): \(error.message)")
        }
        var out: [String: String] = [:]
        for k in t.keys {
            guard let s = t[k]?.stringValue else {
                throw TemplateError("\(path):\(t.keyPosition(k)?.line ?? 1): the value of `\(k)` must be a string")
            }
            out[k] = s
        }
        return out
    }

    /// Parses `-v KEY=VALUE` (split at the first `=`).
    package static func parseValue(_ s: String) throws(TemplateError) -> (String, String) {
        guard let eq = s.firstIndex(of: "=") else {
            throw TemplateError("'\(s)' should be in the form name=value")
        }
        return (String(s[..<eq]), String(s[s.index(after: eq)...]))
    }

    /// `git config --list` as a dictionary (empty when git is missing or fails).
    static func gitConfig() -> [String: String] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["git", "config", "--list"]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        p.standardInput = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return [:] }
        let d = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { return [:] }
        var config: [String: String] = [:]
        for line in String(decoding: d, as: UTF8.self).split(separator: "\n") {
            guard let eq = line.firstIndex(of: "=") else { continue }
            config[String(line[..<eq])] = String(line[line.index(after: eq)...])
        }
        return config
    }

    /// `authors` and `username` as Spin's `environment.rs` (after cargo) finds
    /// them: the name from $GIT_AUTHOR_NAME, $GIT_COMMITTER_NAME, git's
    /// user.name, $USER, $USERNAME, $NAME; the email from $GIT_AUTHOR_EMAIL,
    /// $GIT_COMMITTER_EMAIL, $EMAIL, git's user.email. "Name <email>", or the
    /// name alone; both empty when no name is found.
    package static func authors(environment: [String: String], gitConfig: [String: String]) -> (
        author: String, username: String
    ) {
        func first(_ names: [String]) -> String? { names.lazy.compactMap { environment[$0] }.first }
        guard
            var name = first(["GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME"]) ?? gitConfig["user.name"]
                ?? first(["USER", "USERNAME", "NAME"])
        else { return ("", "") }
        name = name.trimmingCharacters(in: .whitespaces)
        guard var email = first(["GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL", "EMAIL"]) ?? gitConfig["user.email"] else {
            return (name, name)
        }
        email = email.trimmingCharacters(in: .whitespaces)
        if email.hasPrefix("<") && email.hasSuffix(">") && email.count >= 2 {
            email = String(email.dropFirst().dropLast())
        }
        return ("\(name) <\(email)>", name)
    }

    static func authorsAndUsername(override: String?) -> (String, String) {
        let found = authors(environment: ProcessInfo.processInfo.environment, gitConfig: gitConfig())
        return (override ?? found.author, found.username)
    }

    /// The values the templates see: the parameters not skipped, then
    /// `authors`, `username`, `project-name` and `output-path`.
    package static func collectValues(
        _ template: Template, name: String, outputPath: String, skip: [String] = [],
        inputs: Inputs
    ) throws(TemplateError) -> [String: String] {
        let (authors, username) = authorsAndUsername(override: inputs.authors)
        var values: [String: String] = [
            "authors": authors, "username": username, "project-name": name, "output-path": outputPath,
        ]
        for p in template.manifest.parameters where !skip.contains(p.name) {
            if let given = inputs.values[p.name] {
                values[p.name] = given
                continue
            }
            if inputs.acceptDefaults, let d = p.defaultValue {
                values[p.name] = d
                continue
            }
            guard let prompt = inputs.prompt else {
                throw TemplateError("Parameter '\(p.name)' not provided")
            }
            while true {
                guard let answer = prompt(p) else {
                    throw TemplateError("Parameter '\(p.name)' not provided (end of input)")
                }
                let v = answer.isEmpty ? (p.defaultValue ?? "") : answer
                if let why = p.validate(v) {
                    inputs.report("Invalid value: \(why)")
                    continue
                }
                values[p.name] = v
                break
            }
        }
        return values
    }

    /// Spin's `validate_provided_values`: every given value must name a
    /// parameter and satisfy its pattern.
    static func validateProvided(_ template: Template, _ values: [String: String]) throws(TemplateError) {
        var errors: [String] = []
        for (name, value) in values.sorted(by: { $0.key < $1.key }) {
            guard let p = template.manifest.parameter(name) else {
                errors.append("Template does not contain a parameter named '\(name)'")
                continue
            }
            if let why = p.validate(value) { errors.append("\(name): \(why)") }
        }
        guard errors.isEmpty else {
            throw TemplateError(
                "The following provided value(s) are invalid according to the template:\n"
                    + errors.map { "- \($0)" }.joined(separator: "\n"))
        }
    }

    /// True when `path` is absent or an empty directory (Spin's `is_directory_empty`).
    static func isFreeDirectory(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { return true }
        guard isDir.boolValue else { return false }
        return ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? ["?"]).isEmpty
    }

    /// `Cargo.toml.tmpl` -> `Cargo.toml`: a `.tmpl` extension is removed (as
    /// Rust's `Path::extension`, a name that is only `.tmpl` has none).
    package static func outputName(_ path: String) -> String {
        let name = (path as NSString).lastPathComponent
        guard name.hasSuffix(".tmpl"), name.count > ".tmpl".count, !name.dropLast(5).allSatisfy({ $0 == "." }) else {
            return path
        }
        return String(path.dropLast(".tmpl".count))
    }

    /// `spin new`: renders the template's `content/` into `request.outputPath`
    /// (default: the name made path-safe). Returns the directory.
    @discardableResult
    package static func newApplication(_ template: Template, request: Request, inputs: Inputs) throws(TemplateError)
        -> String
    {
        try run(template, request: request, manifestPath: nil, inputs: inputs)
    }

    /// `spin new` with `-o`.
    @discardableResult
    package static func newApplication(
        _ template: Template, name: String, outputDirectory: String? = nil, inputs: Inputs
    ) throws(TemplateError) -> String {
        try newApplication(template, request: Request(name: name, outputPath: outputDirectory), inputs: inputs)
    }

    /// `spin add`: renders `content/` (minus `skip_files`) into
    /// `<manifest folder>/<request.outputPath>` and appends the snippets to
    /// the manifest (its text is kept as it is). `manifestPath` may name the
    /// application's folder. Returns the component directory.
    @discardableResult
    package static func addComponent(
        _ template: Template, request: Request, manifestPath: String, inputs: Inputs
    ) throws(TemplateError) -> String {
        var manifestFile = manifestPath
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: manifestFile, isDirectory: &isDir), isDir.boolValue {
            manifestFile = (manifestFile as NSString).appendingPathComponent(Manifest.defaultFileName)
        }
        let absolute = URL(fileURLWithPath: manifestFile).standardizedFileURL.path
        guard FileManager.default.fileExists(atPath: absolute) else {
            throw TemplateError("Can't add component to \(absolute): file does not exist")
        }
        return try run(template, request: request, manifestPath: absolute, inputs: inputs)
    }

    /// `spin add` with `-o`.
    @discardableResult
    package static func addComponent(
        _ template: Template, name: String, manifestPath: String, outputDirectory: String? = nil, inputs: Inputs
    ) throws(TemplateError) -> String {
        try addComponent(
            template, request: Request(name: name, outputPath: outputDirectory), manifestPath: manifestPath,
            inputs: inputs)
    }

    /// The manifest version of an application manifest's text (nil: unreadable).
    static func manifestVersion(_ table: TOMLTable) -> Int? {
        if table["spin_manifest_version"]?.integerValue == 2 { return 2 }
        if table["spin_manifest_version"]?.stringValue == "1" || table["spin_version"]?.stringValue == "1" { return 1 }
        return nil
    }

    static func run(_ template: Template, request: Request, manifestPath: String?, inputs: Inputs)
        throws(TemplateError) -> String
    {
        let fm = FileManager.default
        let operation = manifestPath == nil ? "new application" : "add component"
        guard let declared = manifestPath == nil ? template.manifest.newApplication : template.manifest.addComponent
        else {
            throw TemplateError("Template \(template.id) doesn't support the '\(operation)' operation")
        }
        var manifestText: String?
        if let manifestPath {
            guard let data = fm.contents(atPath: manifestPath) else {
                throw TemplateError("Can't open \(manifestPath) to append")
            }
            manifestText = String(decoding: data, as: UTF8.self)
        }
        let variant = declared.resolved(manifest: manifestText)

        // Spin's validate_version and validate_trigger (forgiving when the manifest does not parse).
        if let manifestText, let app = try? TOML.parse(manifestText), let appVersion = manifestVersion(app) {
            if let t = template.contentManifestVersion, t != appVersion {
                throw TemplateError("This template is for a different version of the Spin manifest")
            }
            if appVersion == 1, let appTrigger = app["trigger"]?.tableValue?["type"]?.stringValue,
                let t = template.triggerType, t != appTrigger
            {
                throw TemplateError(
                    "Component trigger type '\(t)' does not match application trigger type '\(appTrigger)'")
            }
        }

        let outputPath = request.outputPath ?? pathSafe(request.name)
        let manifestDir = manifestPath.map { ($0 as NSString).deletingLastPathComponent }
        let target: String =
            if let manifestDir, !outputPath.hasPrefix("/") {
                URL(fileURLWithPath: manifestDir).appendingPathComponent(outputPath).standardizedFileURL.path
            } else {
                outputPath
            }
        if !request.allowOverwrite && !isFreeDirectory(target) {
            guard let confirm = inputs.confirm else {
                throw TemplateError("Can't generate into \(target) as it already contains other files")
            }
            guard confirm("Directory '\(target)' already contains other files. Generate into it anyway?") else {
                throw TemplateError("Cancelled: \(target) already contains other files")
            }
        }
        try validateProvided(template, inputs.values)

        // Files, snippets and extra outputs, parsed before any value is asked for.
        var files: [(path: String, content: TemplateRenderer.Content, source: String)] = []
        for (path, bytes) in template.contentFiles {
            if request.noVCS && (path as NSString).lastPathComponent == ".gitignore" { continue }
            if variant.skipFiles.contains(path) { continue }
            let source = "\(template.id)/content/\(path)"
            files.append((outputName(path), try TemplateRenderer.content(bytes, file: source), source))
        }
        var snippets: [(kind: String, content: TemplateRenderer.Content, source: String)] = []
        for (kind, file) in variant.snippets.sorted(by: { $0.key < $1.key }) {
            let source = "\(template.id)/metadata/snippets/\(file)"
            guard let bytes = template.files["metadata/snippets/\(file)"] else {
                throw TemplateError("Error reading snippet file \(file): \(source) does not exist")
            }
            guard ["component", "application_trigger", "variables"].contains(kind) else {
                throw TemplateError("Spin doesn't know what to do with snippet \(kind)")
            }
            guard manifestPath != nil else {
                throw TemplateError(
                    "Spin doesn't know what to do with a '\(kind)' snippet outside an 'add component' operation")
            }
            snippets.append((kind, try TemplateRenderer.content(bytes, file: source), source))
        }

        let values = try collectValues(
            template, name: request.name, outputPath: outputPath, skip: variant.skipParameters, inputs: inputs)

        func render(_ c: TemplateRenderer.Content, _ source: String) throws(TemplateError) -> [UInt8] {
            switch c {
            case .binary(let b): return b
            case .template(let t): return Array(try t.render(values: values, file: source).utf8)
            }
        }
        var outputs: [(String, [UInt8])] = []
        for f in files {
            outputs.append(((target as NSString).appendingPathComponent(f.path), try render(f.content, f.source)))
        }
        var updatedManifest = manifestText
        for s in snippets {
            let text = String(decoding: try render(s.content, s.source), as: UTF8.self)
            if s.kind == "variables" {
                updatedManifest = try ManifestText.merge(text, intoTable: "variables", of: updatedManifest ?? "")
            } else {
                updatedManifest = ManifestText.append(text, to: updatedManifest ?? "")
            }
        }
        var directories: [String] = []
        for o in template.manifest.outputs {
            let rendered = String(
                decoding: try TemplateRenderer.render(
                    Array(o.path.utf8), values: values,
                    file: "\(template.id)/metadata/spin-template.toml outputs.\(o.name)"),
                as: UTF8.self)
            let base = o.atManifest ? (manifestDir ?? target) : target
            directories.append((base as NSString).appendingPathComponent(rendered))
        }
        guard !outputs.isEmpty || !directories.isEmpty || updatedManifest != manifestText else {
            throw TemplateError("Nothing to create")
        }
        if let manifestPath, let updatedManifest, updatedManifest != manifestText,
            (try? TOML.parse(manifestText ?? "")) != nil
        {
            do { _ = try TOML.parse(updatedManifest) } catch {
                throw TemplateError(
                    "template '\(template.id)' would make \(manifestPath) invalid (line \(error.line): \(error.message)); nothing was written"
                )
            }
        }

        do {
            for (path, bytes) in outputs {
                try fm.createDirectory(
                    atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try Data(bytes).write(to: URL(fileURLWithPath: path))
            }
            if let manifestPath, let updatedManifest, updatedManifest != manifestText {
                try Data(updatedManifest.utf8).write(to: URL(fileURLWithPath: manifestPath))
            }
            for d in directories { try fm.createDirectory(atPath: d, withIntermediateDirectories: true) }
        } catch {
            throw TemplateError("cannot write into '\(target)': \(error.localizedDescription)")
        }
        return target
    }
}
