import Foundation
import SpinHost

/// Where templates come from: the ones compiled into `spin`
/// (`EmbeddedTemplates`, generated at build time from Templates/ and SDK/ by
/// the EmbedTemplates plugin) and the user template
/// directory (`$SPIN_TEMPLATES_DIR`, else Spin's `$SPIN_DATA_DIR/templates`, else
/// `~/.local/share/spin/templates`),
/// one sub-directory per installed template. An installed template with the
/// id of a built-in one takes precedence.
package struct TemplateRepository: Sendable {
    package var userDirectory: String

    package init(userDirectory: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.userDirectory = userDirectory ?? Self.defaultUserDirectory(environment: environment)
    }

    package static func defaultUserDirectory(environment: [String: String]) -> String {
        if let d = environment["SPIN_TEMPLATES_DIR"], !d.isEmpty { return d }
        // Spin's data directory (spin_common::data_dir).
        if let d = environment["SPIN_DATA_DIR"], !d.isEmpty {
            return (d as NSString).appendingPathComponent("templates")
        }
        let dataHome =
            environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["HOME"] ?? NSHomeDirectory()) as NSString).appendingPathComponent(".local/share")
        return (dataHome as NSString).appendingPathComponent("spin/templates")
    }

    /// The templates compiled into the binary, sorted by id.
    package static let builtin: [Template] = {
        var byID: [String: [String: [UInt8]]] = [:]
        for f in EmbeddedTemplates.files {
            byID[f.id, default: [:]][f.path] = f.bytes
        }
        return byID.keys.sorted().compactMap { id in
            try? Template(files: byID[id]!, origin: .builtin, name: id)
        }
    }()

    /// Templates in the user directory, sorted by id. Unreadable ones are skipped.
    package func installed() -> [Template] {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: userDirectory) else { return [] }
        return names.sorted().compactMap { name in
            let dir = (userDirectory as NSString).appendingPathComponent(name)
            return try? Template.load(directory: dir)
        }.sorted { $0.id < $1.id }
    }

    /// Built-in and installed templates (installed win on id clashes), sorted by id.
    package func all() -> [Template] {
        var byID: [String: Template] = [:]
        for t in Self.builtin { byID[t.id] = t }
        for t in installed() { byID[t.id] = t }
        return byID.keys.sorted().map { byID[$0]! }
    }

    package func template(id: String) throws(TemplateError) -> Template {
        if let t = all().first(where: { $0.id == id }) { return t }
        throw TemplateError("no template with id '\(id)' (run `spin templates list` to see the installed templates)")
    }

    /// Installs every template found under `source`: `source` itself when it
    /// holds `metadata/spin-template.toml`, else each `source/templates/*` (the
    /// layout of Spin's template repositories) or `source/Templates/*` or
    /// `source/*`. Returns the installed ids. Refuses to replace an installed
    /// template unless `upgrade`.
    @discardableResult
    package func install(from source: String, upgrade: Bool = false) throws(TemplateError) -> [String] {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: source, isDirectory: &isDir), isDir.boolValue else {
            throw TemplateError("cannot install templates: '\(source)' is not a directory")
        }
        var found: [Template] = []
        func isTemplate(_ dir: String) -> Bool {
            fm.fileExists(atPath: (dir as NSString).appendingPathComponent("metadata/spin-template.toml"))
        }
        if isTemplate(source) {
            found.append(try Template.load(directory: source))
        } else {
            let roots = ["templates", "Templates", ""].map {
                ($0.isEmpty ? source : (source as NSString).appendingPathComponent($0))
            }
            for root in roots {
                guard let names = try? fm.contentsOfDirectory(atPath: root) else { continue }
                for n in names.sorted() {
                    let dir = (root as NSString).appendingPathComponent(n)
                    if isTemplate(dir) { found.append(try Template.load(directory: dir)) }
                }
                if !found.isEmpty { break }
            }
        }
        guard !found.isEmpty else {
            throw TemplateError(
                "no templates found in '\(source)' (expected templates/<id>/metadata/spin-template.toml)")
        }
        let existing = Set(installed().map(\.id))
        if !upgrade, let clash = found.first(where: { existing.contains($0.id) }) {
            throw TemplateError("template '\(clash.id)' is already installed (use --upgrade to replace it)")
        }
        do {
            try fm.createDirectory(atPath: userDirectory, withIntermediateDirectories: true)
            for t in found {
                let dest = (userDirectory as NSString).appendingPathComponent(t.id)
                if let old = installed().first(where: { $0.id == t.id }), case .installed(let oldDir) = old.origin {
                    try fm.removeItem(atPath: oldDir)
                }
                if fm.fileExists(atPath: dest) { try fm.removeItem(atPath: dest) }
                for (path, bytes) in t.files {
                    let file = (dest as NSString).appendingPathComponent(path)
                    try fm.createDirectory(
                        atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                    try Data(bytes).write(to: URL(fileURLWithPath: file))
                }
            }
        } catch {
            throw TemplateError("cannot install templates into '\(userDirectory)': \(error.localizedDescription)")
        }
        return found.map(\.id)
    }

    /// Clones `url` (optionally at `branch`) with git into a temporary
    /// directory and installs the templates in it.
    @discardableResult
    package func install(git url: String, branch: String? = nil, upgrade: Bool = false) throws(TemplateError)
        -> [String]
    {
        let tmp = (NSTemporaryDirectory() as NSString).appendingPathComponent("spin-templates-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        var args = ["clone", "--quiet", "--depth", "1"]
        if let branch { args += ["--branch", branch] }
        args += ["--", url, tmp]
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["git"] + args
        var env = ProcessInfo.processInfo.environment
        env["GIT_TERMINAL_PROMPT"] = "0"
        p.environment = env
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        p.standardInput = FileHandle.nullDevice
        do { try p.run() } catch {
            throw TemplateError("cannot run git to clone '\(url)': \(error.localizedDescription)")
        }
        let data = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            let reason =
                lines.last(where: { $0.hasPrefix("fatal:") }).map {
                    String($0.dropFirst("fatal:".count)).trimmingCharacters(in: .whitespaces)
                }
                ?? lines.last ?? "git exited with status \(p.terminationStatus)"
            throw TemplateError("cannot clone template repository '\(url)': \(reason)")
        }
        return try install(from: tmp, upgrade: upgrade)
    }

    /// Removes an installed template. Built-in templates cannot be removed.
    package func uninstall(id: String) throws(TemplateError) {
        guard let t = installed().first(where: { $0.id == id }), case .installed(let dir) = t.origin else {
            if Self.builtin.contains(where: { $0.id == id }) {
                throw TemplateError("template '\(id)' is built into spin and cannot be uninstalled")
            }
            throw TemplateError("template '\(id)' is not installed")
        }
        do { try FileManager.default.removeItem(atPath: dir) } catch {
            throw TemplateError("cannot remove '\(dir)': \(error.localizedDescription)")
        }
    }
}
