import Foundation
import SpinHost
import TOML

/// `spin new` and `spin add`: collect parameter values, render the template's
/// files and write them.
package struct TemplateGenerator {
    /// Where parameter values come from, in order: `values` (`-v`, then
    /// `--values-file`), then the default when `acceptDefaults`, else `prompt`.
    package struct Inputs {
        package var values: [String: String] = [:]
        package var acceptDefaults = false
        /// Asks for one parameter; returns the raw answer ("" = take the
        /// default) or nil at end of input. nil: no prompting (non-interactive).
        package var prompt: ((TemplateManifest.Parameter) -> String?)?
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

    /// Spin's rule for project names (they become component ids and file names).
    package static func validateName(_ name: String) throws(TemplateError) {
        let ok =
            name.first.map { $0.isASCII && $0.isLetter } == true
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
        guard ok else {
            throw TemplateError(
                "invalid name '\(name)': a name must start with a letter and contain only letters, digits, '-' and '_'")
        }
    }

    /// Reads a `--values-file` (TOML: `name = "value"`).
    package static func readValuesFile(_ path: String) throws(TemplateError) -> [String: String] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TemplateError("cannot read values file '\(path)'")
        }
        let t: TOMLTable
        do { t = try TOML.parse(bytes: [UInt8](data)) } catch {
            throw TemplateError("\(path):\(error.line): \(error.message)")
        }
        var out: [String: String] = [:]
        for k in t.keys {
            switch t[k]! {
            case .string(let s): out[k] = s
            case .integer(let i): out[k] = String(i)
            case .boolean(let b): out[k] = String(b)
            case .float(let f): out[k] = String(f)
            default: throw TemplateError("\(path):\(t.keyPosition(k)?.line ?? 1): value of `\(k)` must be a string")
            }
        }
        return out
    }

    /// Parses `-v KEY=VALUE`.
    package static func parseValue(_ s: String) throws(TemplateError) -> (String, String) {
        guard let eq = s.firstIndex(of: "="), eq != s.startIndex else {
            throw TemplateError("invalid value '\(s)': expected KEY=VALUE")
        }
        return (String(s[..<eq]), String(s[s.index(after: eq)...]))
    }

    static func gitAuthors() -> String {
        func git(_ key: String) -> String {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["git", "config", "--get", key]
            let out = Pipe()
            p.standardOutput = out
            p.standardError = FileHandle.nullDevice
            p.standardInput = FileHandle.nullDevice
            guard (try? p.run()) != nil else { return "" }
            let d = out.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            return String(decoding: d, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let name = git("user.name"), email = git("user.email")
        if email.isEmpty { return name }
        return name.isEmpty ? "<\(email)>" : "\(name) <\(email)>"
    }

    /// Values for `parameters` (minus `skip`), plus the built-ins.
    package static func collectValues(
        _ template: Template, name: String, outputPath: String, skip: [String] = [],
        inputs: Inputs
    ) throws(TemplateError) -> [String: String] {
        var values: [String: String] = [
            "project-name": name,
            "output-path": outputPath,
            "authors": inputs.authors ?? gitAuthors(),
        ]
        for p in template.manifest.parameters where !skip.contains(p.name) {
            if let given = inputs.values[p.name] {
                if let why = p.validate(given) {
                    throw TemplateError("invalid value '\(given)' for '\(p.name)': \(why)")
                }
                values[p.name] = given
                continue
            }
            if inputs.acceptDefaults, let d = p.defaultValue {
                values[p.name] = d
                continue
            }
            guard let prompt = inputs.prompt else {
                if let d = p.defaultValue {
                    values[p.name] = d
                    continue
                }
                throw TemplateError("no value for '\(p.name)' (pass -v \(p.name)=VALUE)")
            }
            while true {
                guard let answer = prompt(p) else {
                    if let d = p.defaultValue {
                        values[p.name] = d
                        break
                    }
                    throw TemplateError("no value for '\(p.name)' (end of input; pass -v \(p.name)=VALUE)")
                }
                let v = answer.isEmpty ? (p.defaultValue ?? "") : answer
                if answer.isEmpty && p.defaultValue == nil {
                    inputs.report("A value is required.")
                    continue
                }
                if let why = p.validate(v) {
                    inputs.report("Invalid value '\(v)': \(why)")
                    continue
                }
                values[p.name] = v
                break
            }
        }
        return values
    }

    /// True when `path` is absent or an empty directory.
    static func isFreeDirectory(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { return true }
        guard isDir.boolValue else { return false }
        return ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? ["?"]).isEmpty
    }

    /// Renders the content files (minus `skip`) into `[relative path: bytes]`.
    static func render(_ template: Template, values: [String: String], skip: [String]) throws(TemplateError) -> [(
        String, [UInt8]
    )] {
        var out: [(String, [UInt8])] = []
        for (path, bytes) in template.contentFiles where !skip.contains(path) {
            if let text = String(validating: bytes, as: UTF8.self) {
                let rendered = try TemplateRenderer.render(text, values: values, file: "\(template.id)/content/\(path)")
                out.append((path, Array(rendered.utf8)))
            } else {
                out.append((path, bytes))
            }
        }
        return out
    }

    static func write(_ files: [(String, [UInt8])], into dir: String) throws(TemplateError) {
        let fm = FileManager.default
        do {
            try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
            for (path, bytes) in files {
                let file = (dir as NSString).appendingPathComponent(path)
                try fm.createDirectory(
                    atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try Data(bytes).write(to: URL(fileURLWithPath: file))
            }
        } catch {
            throw TemplateError("cannot write to '\(dir)': \(error.localizedDescription)")
        }
    }

    /// `spin new`: renders the whole `content/` tree into `outputDirectory`
    /// (default `./name`), which must not exist or be empty. Returns the directory.
    @discardableResult
    package static func newApplication(
        _ template: Template, name: String, outputDirectory: String? = nil,
        inputs: Inputs
    ) throws(TemplateError) -> String {
        guard template.manifest.supportsNew else {
            throw TemplateError("template '\(template.id)' cannot create a new application (use `spin add`)")
        }
        try validateName(name)
        let dir = outputDirectory ?? name
        guard isFreeDirectory(dir) else {
            throw TemplateError("cannot create '\(dir)': the directory already exists and is not empty")
        }
        let values = try collectValues(template, name: name, outputPath: dir, inputs: inputs)
        let files = try render(template, values: values, skip: [])
        try write(files, into: dir)
        return dir
    }

    /// `spin add`: renders `content/` (minus `skip_files`) into
    /// `outputDirectory` (default `<manifest dir>/<name>`) and appends the
    /// rendered `component` snippet to the manifest, as text, so that its
    /// formatting and comments stay as they were (a v1 snippet is rewritten
    /// in the v2 shape for a v2 manifest). The result is parsed before
    /// anything is written. Returns the component directory.
    @discardableResult
    package static func addComponent(
        _ template: Template, name: String, manifestPath: String, outputDirectory: String? = nil,
        inputs: Inputs
    ) throws(TemplateError) -> String {
        guard let add = template.manifest.addComponent, let snippetFile = add.snippets["component"],
            let snippet = template.snippet(snippetFile)
        else {
            throw TemplateError(
                "template '\(template.id)' cannot add a component to an application (it has no component snippet)")
        }
        try validateName(name)
        var manifestFile = manifestPath
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: manifestFile, isDirectory: &isDir), isDir.boolValue {
            manifestFile = (manifestFile as NSString).appendingPathComponent(Manifest.defaultFileName)
        }
        guard let data = FileManager.default.contents(atPath: manifestFile) else {
            throw TemplateError(
                "cannot read manifest '\(manifestFile)' (run `spin add` in an application directory, or pass -f)")
        }
        let original = String(decoding: data, as: UTF8.self)
        let app: AppManifest
        do { app = try Manifest.parse(bytes: [UInt8](data), path: manifestFile) } catch {
            throw TemplateError("cannot add to '\(manifestFile)': \(error.description)")
        }
        let id = TemplateRenderer.kebabCase(name)
        if app.component(id: id) != nil {
            throw TemplateError("cannot add '\(name)': '\(manifestFile)' already has a component with id '\(id)'")
        }
        if app.schemaVersion == .v1, let t = template.manifest.triggerType, let appTrigger = v1TriggerType(original),
            t != appTrigger
        {
            throw TemplateError(
                "cannot add '\(name)': template '\(template.id)' is for \(t) applications, '\(manifestFile)' is a \(appTrigger) application"
            )
        }

        let base = URL(fileURLWithPath: manifestFile).deletingLastPathComponent().standardizedFileURL.path
        let dir =
            outputDirectory.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
            ?? URL(fileURLWithPath: base).appendingPathComponent(name).standardizedFileURL.path
        guard isFreeDirectory(dir) else {
            throw TemplateError("cannot create '\(dir)': the directory already exists and is not empty")
        }
        let relative = relativePath(dir, from: base)
        let values = try collectValues(
            template, name: name, outputPath: relative, skip: add.skipParameters, inputs: inputs)
        let snippetPath = "\(template.id)/metadata/snippets/\(snippetFile)"
        var component = try TemplateRenderer.render(snippet, values: values, file: snippetPath)
        if app.schemaVersion == .v2 && component.contains("[[component]]") {
            component = try SnippetConversion.v1ToV2(
                component, triggerType: template.manifest.triggerType, file: snippetPath)
        }
        var updated = original
        if !updated.isEmpty && !updated.hasSuffix("\n") { updated += "\n" }
        updated += "\n" + component
        if !updated.hasSuffix("\n") { updated += "\n" }
        do { _ = try Manifest.parse(updated, path: manifestFile) } catch {
            throw TemplateError("template '\(template.id)' produced an invalid manifest: \(error.description)")
        }
        let files = try render(template, values: values, skip: add.skipFiles)
        try write(files, into: dir)
        do { try Data(updated.utf8).write(to: URL(fileURLWithPath: manifestFile)) } catch {
            throw TemplateError("cannot write '\(manifestFile)': \(error.localizedDescription)")
        }
        return dir
    }

    /// The app-level `trigger = { type = "..." }` of a v1 manifest.
    static func v1TriggerType(_ text: String) -> String? {
        guard let t = try? TOML.parse(text), let trig = t["trigger"]?.tableValue else { return nil }
        return trig["type"]?.stringValue
    }

    /// `path` relative to `base` (both absolute, standardized), with `..` where needed.
    static func relativePath(_ path: String, from base: String) -> String {
        let p = path.split(separator: "/"), b = base.split(separator: "/")
        var i = 0
        while i < p.count && i < b.count && p[i] == b[i] { i += 1 }
        let parts = Array(repeating: "..", count: b.count - i) + p[i...].map(String.init)
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }
}
