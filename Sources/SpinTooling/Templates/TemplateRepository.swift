import Foundation
import SpinHost

/// Where templates come from: the ones compiled into `spin`
/// (`EmbeddedTemplates`, generated at build time from Templates/ and SDK/ by
/// the EmbedTemplates plugin) and the user template directory
/// (`$SPIN_TEMPLATES_DIR`, else `~/.local/share/spin/templates`, Spin's
/// store), one sub-directory per installed template. An installed template
/// with the id of a built-in one takes precedence.
package struct TemplateRepository: Sendable {
    package var userDirectory: String

    package init(userDirectory: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.userDirectory = userDirectory ?? Self.defaultUserDirectory(environment: environment)
    }

    package static func defaultUserDirectory(environment: [String: String]) -> String {
        if let d = environment["SPIN_TEMPLATES_DIR"], !d.isEmpty { return d }
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

    /// Templates in the user directory, sorted by id, and the folders that
    /// hold no valid template (folder name, reason), as Spin's list warnings.
    package func scanInstalled() -> (templates: [Template], invalid: [(name: String, reason: String)]) {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: userDirectory) else { return ([], []) }
        var templates: [Template] = []
        var invalid: [(String, String)] = []
        for name in names.sorted() where !name.hasPrefix(".") {
            let dir = (userDirectory as NSString).appendingPathComponent(name)
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else { continue }
            do { templates.append(try Template.load(directory: dir)) } catch { invalid.append((name, error.message)) }
        }
        return (templates.sorted { $0.id < $1.id }, invalid)
    }

    /// Templates in the user directory, sorted by id. Unreadable ones are skipped.
    package func installed() -> [Template] { scanInstalled().templates }

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

    // MARK: - Installing

    /// Where templates are installed from.
    package enum Source: Sendable {
        /// A local folder.
        case directory(String)
        /// A git repository; without a branch, the tag `spin/templates/vMAJOR.MINOR`
        /// of `SpinCompatibility.version` when the repository has it, else its HEAD.
        case git(url: String, branch: String?)
        /// A `.tar.gz` (URL or path), as `--tar`.
        case tar(String)
    }

    /// What an install did: the templates installed and those skipped (id, reason).
    package struct InstallResults: Sendable {
        package var installed: [Template] = []
        package var skipped: [(id: String, reason: String)] = []
    }

    /// The tag Spin prefers for its version (`version_preferred_tag`):
    /// `spin/templates/v` and MAJOR.MINOR of a semantic version, else the whole text.
    package static func preferredTag(spinVersion: String) -> String {
        let core = spinVersion.prefix { $0 != "-" && $0 != "+" }
        let parts = core.split(separator: ".", omittingEmptySubsequences: false)
        let isSemver =
            parts.count == 3
            && parts.allSatisfy { p in !p.isEmpty && p.allSatisfy(\.isASCII) && p.allSatisfy(\.isNumber) }
            && (core.count == spinVersion.count || spinVersion.dropFirst(core.count).count > 1)
        return "spin/templates/v" + (isSemver ? "\(parts[0]).\(parts[1])" : spinVersion)
    }

    /// `fermyon/spin` -> `https://github.com/fermyon/spin` (Spin's `infer_github`):
    /// text that is not an absolute URL names a GitHub repository.
    package static func inferGitHub(_ raw: String) -> String {
        let scheme = raw.prefix { $0 != ":" }
        let isURL =
            scheme.count < raw.count && !scheme.isEmpty && scheme.first!.isLetter
            && scheme.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == ".") }
        if isURL { return raw }
        return raw.hasPrefix("/") ? "https://github.com\(raw)" : "https://github.com/\(raw)"
    }

    /// Installs the templates of `source`. A template already installed is
    /// skipped ("Already exists") unless `upgrade`; a folder without a valid
    /// template manifest is skipped with the reason. `report` gets progress
    /// lines ("Installing template http-rust...").
    package func install(_ source: Source, upgrade: Bool = false, report: (String) -> Void = { _ in })
        throws(TemplateError) -> InstallResults
    {
        let tmp = (NSTemporaryDirectory() as NSString).appendingPathComponent("spin-templates-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        let root: String
        let record: InstallRecord
        switch source {
        case .directory(let dir):
            let absolute = URL(fileURLWithPath: dir).standardizedFileURL.path
            guard FileManager.default.fileExists(atPath: absolute) else {
                throw TemplateError("Failed to get template source: Path not found: \(absolute)")
            }
            root = absolute
            record = .directory(absolute)
        case .git(let url, let branch):
            report("Copying remote template source")
            let tag = branch == nil ? Self.versionMatchedTag(url) : nil
            try Self.clone(url, branch: branch ?? tag, into: tmp)
            root = tmp
            record = .git(url)
        case .tar(let location):
            report("Copying remote template source")
            root = try Self.unpack(location, into: tmp)
            record = .remoteTar(location)
        }
        return try install(from: root, record: record, upgrade: upgrade, report: report)
    }

    /// The template folders under `root`: `root/templates/*` (Spin's layout);
    /// else `root` itself when it is a template; else `root/Templates/*` or `root/*`.
    static func templateDirectories(_ root: String) throws(TemplateError) -> [String] {
        let fm = FileManager.default
        func isTemplate(_ dir: String) -> Bool {
            fm.fileExists(atPath: (dir as NSString).appendingPathComponent("metadata/spin-template.toml"))
        }
        func subdirectories(_ dir: String) -> [String] {
            ((try? fm.contentsOfDirectory(atPath: dir)) ?? []).sorted().compactMap { n in
                let p = (dir as NSString).appendingPathComponent(n)
                var isDir: ObjCBool = false
                return !n.hasPrefix(".") && fm.fileExists(atPath: p, isDirectory: &isDir) && isDir.boolValue ? p : nil
            }
        }
        let spinLayout = (root as NSString).appendingPathComponent("templates")
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: spinLayout, isDirectory: &isDir), isDir.boolValue { return subdirectories(spinLayout) }
        if isTemplate(root) { return [root] }
        for candidate in [(root as NSString).appendingPathComponent("Templates"), root] {
            let dirs = subdirectories(candidate)
            if dirs.contains(where: isTemplate) { return dirs }
        }
        throw TemplateError(
            "Could not find templates in source: \(root) does not contain a 'templates' directory (expected templates/<id>/metadata/spin-template.toml)"
        )
    }

    func install(from root: String, record: InstallRecord, upgrade: Bool, report: (String) -> Void)
        throws(TemplateError) -> InstallResults
    {
        let fm = FileManager.default
        var results = InstallResults()
        let existing = installed()
        for dir in try Self.templateDirectories(root) {
            let template: Template
            do { template = try Template.load(directory: dir) } catch {
                results.skipped.append(((dir as NSString).lastPathComponent, "Template load error: \(error.message)"))
                continue
            }
            report("Installing template \(template.id)...")
            let old = existing.first { $0.id == template.id }
            if old != nil && !upgrade {
                results.skipped.append((template.id, "Already exists"))
                continue
            }
            // Spin's store names the folder after the id with unsafe characters as `_`.
            let folder = String(
                template.id.map { c in c.isASCII && (c.isLetter || c.isNumber || c == "-" || c == "_") ? c : "_" })
            let dest = (userDirectory as NSString).appendingPathComponent(folder)
            let stage = dest + ".stage"
            do {
                try? fm.removeItem(atPath: stage)
                for (path, bytes) in template.files where path != InstallRecord.fileName {
                    let file = (stage as NSString).appendingPathComponent(path)
                    try fm.createDirectory(
                        atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                    try Data(bytes).write(to: URL(fileURLWithPath: file))
                }
                try fm.createDirectory(atPath: stage + "/content", withIntermediateDirectories: true)
                try Data(record.text.utf8).write(
                    to: URL(fileURLWithPath: (stage as NSString).appendingPathComponent(InstallRecord.fileName)))
                if let old, case .installed(let oldDir) = old.origin { try fm.removeItem(atPath: oldDir) }
                if fm.fileExists(atPath: dest) { try fm.removeItem(atPath: dest) }
                try fm.moveItem(atPath: stage, toPath: dest)
                results.installed.append(try Template.load(directory: dest))
            } catch let e as TemplateError {
                try? fm.removeItem(atPath: stage)
                throw e
            } catch {
                try? fm.removeItem(atPath: stage)
                throw TemplateError(
                    "Failed to install template from \(dir): cannot write into '\(userDirectory)': \(error.localizedDescription)"
                )
            }
        }
        results.installed.sort { $0.id < $1.id }
        results.skipped.sort { $0.id < $1.id }
        return results
    }

    /// Installs from a folder; returns the ids installed (compatibility helper for tests and callers).
    @discardableResult
    package func install(from source: String, upgrade: Bool = false) throws(TemplateError) -> [String] {
        try install(.directory(source), upgrade: upgrade).installed.map(\.id)
    }

    /// The git repositories installed templates came from (their `.install.toml`), sorted.
    package func installedRepositories() -> [String] {
        Array(
            Set(
                installed().compactMap { t -> String? in
                    if case .git(let url) = t.installedFrom { return url }
                    return nil
                })
        ).sorted()
    }

    // MARK: - git and tar

    /// Runs a program; returns (status, stderr).
    static func runTool(_ args: [String]) throws(TemplateError) -> (Int32, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        env["GIT_TERMINAL_PROMPT"] = "0"
        p.environment = env
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        p.standardInput = FileHandle.nullDevice
        do { try p.run() } catch {
            throw TemplateError("cannot run \(args[0]): \(error.localizedDescription)")
        }
        let data = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// `spin/templates/vX.Y` for this spin's version when `url` has that tag (`git ls-remote --exit-code`).
    package static func versionMatchedTag(_ url: String, spinVersion: String = SpinCompatibility.version) -> String? {
        let tag = preferredTag(spinVersion: spinVersion)
        guard let (status, _) = try? runTool(["git", "ls-remote", "--exit-code", url, tag]), status == 0 else {
            return nil
        }
        return tag
    }

    static func clone(_ url: String, branch: String?, into dir: String) throws(TemplateError) {
        var args = ["git", "clone", "--quiet", "--depth", "1"]
        if let branch { args += ["--branch", branch] }
        args += ["--", url, dir]
        let (status, stderr) = try runTool(args)
        guard status == 0 else {
            let lines = stderr.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            let reason =
                lines.last(where: { $0.hasPrefix("fatal:") }).map {
                    String($0.dropFirst("fatal:".count)).trimmingCharacters(in: .whitespaces)
                } ?? lines.last ?? "git exited with status \(status)"
            throw TemplateError("Failed to get template source: Error cloning Git repo \(url): \(reason)")
        }
    }

    /// Downloads (with curl, for http/https) and unpacks a `.tar.gz`; returns
    /// the root holding `templates/`, skipping a single top folder as GitHub's
    /// release archives have (Spin's `bypass_gh_added_root`).
    static func unpack(_ location: String, into dir: String) throws(TemplateError) -> String {
        let fm = FileManager.default
        try? fm.createDirectory(atPath: dir + "/unpacked", withIntermediateDirectories: true)
        var archive = location
        if location.hasPrefix("http://") || location.hasPrefix("https://") {
            archive = dir + "/download.tar.gz"
            let (status, stderr) = try runTool(["curl", "-fsSL", "-o", archive, "--", location])
            guard status == 0 else {
                throw TemplateError(
                    "Failed to download from \(location): \(stderr.trimmingCharacters(in: .whitespacesAndNewlines))")
            }
        } else if location.hasPrefix("file://") {
            archive = String(location.dropFirst("file://".count))
        } else if location.contains("://") {
            throw TemplateError("Invalid URL for remote tar: \(location) (supported: http, https, file)")
        }
        guard fm.fileExists(atPath: archive) else {
            throw TemplateError("Failed to get template source: Path not found: \(archive)")
        }
        let (status, stderr) = try runTool(["tar", "-xzf", archive, "-C", dir + "/unpacked"])
        guard status == 0 else {
            throw TemplateError(
                "Failed to unpack tar archive \(location): \(stderr.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        let unpacked = dir + "/unpacked"
        if fm.fileExists(atPath: unpacked + "/templates") { return unpacked }
        let entries = (try? fm.contentsOfDirectory(atPath: unpacked)) ?? []
        if entries.count == 1, fm.fileExists(atPath: unpacked + "/" + entries[0] + "/templates") {
            return unpacked + "/" + entries[0]
        }
        return unpacked
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
            throw TemplateError("Failed to delete template directory \(dir): \(error.localizedDescription)")
        }
    }
}
