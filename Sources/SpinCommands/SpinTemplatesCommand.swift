import ArgumentParsing
import Foundation
import SpinHost
import SpinTooling

#if canImport(Glibc)
    import Glibc
#endif

/// `spin templates install | upgrade | uninstall | list`, as Spin 3 (`src/commands/templates.rs`).
public enum SpinTemplatesCommand {
    public static let group = CommandGroup(
        "spin templates", abstract: "Commands for working with WebAssembly component templates",
        discussion: "Installed templates live in $SPIN_TEMPLATES_DIR, else ~/.local/share/spin/templates.",
        subcommands: [
            .init("install", abstract: installSpec.abstract) { install(arguments: $0, console: $1) },
            .init("upgrade", abstract: upgradeSpec.abstract) { upgrade(arguments: $0, console: $1) },
            .init("uninstall", abstract: uninstallSpec.abstract) { uninstall(arguments: $0, console: $1) },
            .init("list", abstract: listSpec.abstract) { list(arguments: $0, console: $1) },
        ])

    // MARK: list

    public struct ListOptions: Sendable {
        public var tags: [String] = []
        public var verbose = false
        public var format = "table"
        public init() {}
    }

    public static let listSpec = CommandSpec<ListOptions>(
        "spin templates list", abstract: "List the installed templates",
        arguments: [
            .option("--tag", value: "TAG", help: "Filter templates matching all provided tags", \.tags),
            .flag("--verbose", help: "Show additional template details (where each was installed from)", \.verbose),
            .option("--format", value: "FORMAT", help: "table or json [default: table]", hidden: true) {
                guard $1 == "table" || $1 == "json" else {
                    throw ValueError("invalid value '\($1)' for '--format <FORMAT>' (possible values: table, json)")
                }
                $0.format = $1
            },
        ])

    public static func list(arguments: [String], console: Console = .standard) -> Int32 {
        listSpec.run(arguments, defaults: ListOptions(), console: console) { o in
            let repo = TemplateRepository()
            let all = repo.all()
            let templates = all.filter { $0.manifest.matchesAllTags(o.tags) }
            if o.format == "json" {
                console.print(json(templates))
                return 0
            }
            if templates.isEmpty {
                console.print(all.isEmpty ? "" : "No templates matched tags (\(all.count) templates skipped)")
            } else {
                var rows = [["Name", "Description"] + (o.verbose ? ["Installed from"] : [])]
                for t in templates {
                    var row = [t.id, t.description]
                    if o.verbose {
                        row.append(t.origin == .builtin ? "(built into spin)" : (t.installedFrom?.source ?? ""))
                    }
                    rows.append(row)
                }
                console.print(table(rows))
            }
            let invalid = repo.scanInstalled().invalid
            if !invalid.isEmpty {
                if !templates.isEmpty { console.print("") }
                for (name, reason) in invalid {
                    console.print("note: ignored invalid entry \(name) (Template load error: \(reason))")
                }
            }
            return 0
        }
    }

    /// A table like Spin's (comfy-table's ASCII_BORDERS_ONLY_CONDENSED): the
    /// first row is the header, with a `=` rule under it.
    static func table(_ rows: [[String]]) -> String {
        let columns = rows.map(\.count).max() ?? 0
        let widths = (0..<columns).map { c in rows.map { c < $0.count ? $0[c].count : 0 }.max() ?? 0 }
        let inner = widths.reduce(0, +) + 3 * (columns - 1) + 2
        func line(_ row: [String]) -> String {
            "| "
                + (0..<columns).map { c in
                    let s = c < row.count ? row[c] : ""
                    return s + String(repeating: " ", count: widths[c] - s.count)
                }.joined(separator: "   ") + " |"
        }
        var out = ["+" + String(repeating: "-", count: inner) + "+", line(rows[0])]
        out.append("+" + String(repeating: "=", count: inner) + "+")
        out += rows.dropFirst().map(line)
        out.append("+" + String(repeating: "-", count: inner) + "+")
        return out.joined(separator: "\n")
    }

    /// `--format json`: `[{ "id": ..., "description": ... }]`, pretty-printed as serde_json does.
    static func json(_ templates: [Template]) -> String {
        func quote(_ s: String) -> String {
            var o = "\""
            for u in s.unicodeScalars {
                switch u {
                case "\"": o += "\\\""
                case "\\": o += "\\\\"
                case "\n": o += "\\n"
                case "\r": o += "\\r"
                case "\t": o += "\\t"
                default:
                    if u.value < 0x20 {
                        let hex = String(u.value, radix: 16)
                        o += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    } else {
                        o.unicodeScalars.append(u)
                    }
                }
            }
            return o + "\""
        }
        guard !templates.isEmpty else { return "[]" }
        let items = templates.map { t in
            var fields = ["    \"id\": \(quote(t.id))"]
            if let d = t.manifest.description { fields.append("    \"description\": \(quote(d))") }
            return "  {\n" + fields.joined(separator: ",\n") + "\n  }"
        }
        return "[\n" + items.joined(separator: ",\n") + "\n]"
    }

    // MARK: install

    public struct InstallOptions: Sendable {
        public var dir: String?
        public var git: String?
        public var branch: String?
        public var tar: String?
        public var upgrade = false
        public init() {}
    }

    public static let installSpec = CommandSpec<InstallOptions>(
        "spin templates install", abstract: "Install templates from a Git repository or local directory",
        arguments: [
            .option(
                "--git", value: "FROM_GIT", aliases: ["--repo"],
                help: "The URL of the templates git repository (templates in its templates/ folder)", \.git),
            .option("--branch", value: "BRANCH", help: "The optional branch of the git repository", \.branch),
            .option("--dir", value: "FROM_DIR", help: "Local directory containing the template(s) to install", \.dir),
            .option("--tar", value: "FROM_TAR", help: "URL to a .tar.gz containing the template(s) to install", \.tar),
            .flag(
                "--upgrade", aliases: ["--update"], help: "Update existing templates instead of skipping them",
                \.upgrade),
        ],
        discussion:
            "Give exactly one of --git, --dir and --tar. Without --branch, --git installs the repository's spin/templates/v\(TemplateRepository.preferredTag(spinVersion: SpinCompatibility.version).dropFirst("spin/templates/v".count)) tag when it has one (as Spin \(SpinCompatibility.version) does), else its default branch."
    )

    public static func install(arguments: [String], console: Console = .standard) -> Int32 {
        installSpec.run(arguments, defaults: InstallOptions(), console: console) { o in
            let sources = [o.git, o.dir, o.tar].compactMap { $0 }
            guard sources.count == 1 else {
                return installSpec.fail("Exactly one of `git`, `dir`, or `tar` must be specified", console: console)
            }
            if o.branch != nil && o.git == nil {
                return installSpec.fail("--branch can only be used with --git", console: console)
            }
            let source: TemplateRepository.Source =
                if let git = o.git {
                    .git(url: TemplateRepository.inferGitHub(git), branch: o.branch)
                } else if let dir = o.dir {
                    .directory(dir)
                } else {
                    .tar(o.tar!)
                }
            do {
                let results = try TemplateRepository().install(source, upgrade: o.upgrade) { console.print($0) }
                printResults(results, verb: "Installed", console: console)
                return 0
            } catch {
                console.error("Failed to install one or more templates: \(error)")
                return 1
            }
        }
    }

    static func printResults(_ results: TemplateRepository.InstallResults, verb: String, console: Console) {
        if results.installed.isEmpty && results.skipped.isEmpty {
            console.print("The specified source contained no templates")
            return
        }
        console.print("\(verb) \(results.installed.count) template(s)")
        if !results.installed.isEmpty {
            console.print("")
            console.print(table([["Name", "Description"]] + results.installed.map { [$0.id, $0.description] }))
        }
        if !results.skipped.isEmpty {
            console.print("")
            console.print("Skipped \(results.skipped.count) template(s)")
            console.print("")
            console.print(table([["Name", "Reason skipped"]] + results.skipped.map { [$0.id, $0.reason] }))
        }
    }

    // MARK: upgrade

    public struct UpgradeOptions: Sendable {
        public var repo: String?
        public var branch: String?
        public var all = false
        public init() {}
    }

    public static let upgradeSpec = CommandSpec<UpgradeOptions>(
        "spin templates upgrade", abstract: "Upgrade templates to match your current version of Spin",
        arguments: [
            .option("--repo", value: "GIT_URL", help: "Upgrade only this repository, without prompting", \.repo),
            .option("--branch", value: "BRANCH", help: "With --repo: the branch of the repository", \.branch),
            .flag("--all", help: "Upgrade all repositories without prompting", \.all),
        ])

    public static func upgrade(arguments: [String], console: Console = .standard) -> Int32 {
        upgradeSpec.run(arguments, defaults: UpgradeOptions(), console: console) { o in
            if o.all && o.repo != nil { return upgradeSpec.fail("--all cannot be used with --repo", console: console) }
            if o.branch != nil && o.repo == nil {
                return upgradeSpec.fail("--branch can only be used with --repo", console: console)
            }
            let repository = TemplateRepository()
            if let repo = o.repo {
                do {
                    let results = try repository.install(
                        .git(url: TemplateRepository.inferGitHub(repo), branch: o.branch), upgrade: true
                    ) { console.print($0) }
                    printResults(results, verb: "Installed", console: console)
                    return 0
                } catch {
                    console.error("Failed to install one or more templates: \(error)")
                    return 1
                }
            }
            var repos = repository.installedRepositories()
            if repos.isEmpty {
                console.err("No template repositories found to upgrade\n\n")
                console.err(
                    "Your template repositories were either:\n* Installed from a directory; or\n* Installed using an older version of Spin\n"
                )
                console.err("To upgrade them, run `spin templates install --upgrade` with the --git or --dir option\n")
                return 0
            }
            if !o.all {
                guard isatty(0) != 0 && isatty(2) != 0 else {
                    return upgradeSpec.fail(
                        "choose the repositories to upgrade: --all, or --repo URL (found: \(repos.joined(separator: ", ")))",
                        console: console)
                }
                console.err("Select repos to upgrade (numbers separated by spaces; empty for none):\n")
                for (i, r) in repos.enumerated() {
                    let tag = TemplateRepository.versionMatchedTag(r).map { " (at \($0))" } ?? ""
                    console.err("  \(i + 1)) \(r)\(tag)\n")
                }
                let picks = (readLine() ?? "").split(separator: " ").compactMap { Int($0) }.filter {
                    repos.indices.contains($0 - 1)
                }
                repos = picks.map { repos[$0 - 1] }
                if repos.isEmpty {
                    console.err("No template repositories selected\n")
                    return 0
                }
            }
            var upgraded: [Template] = []
            var errors: [[String]] = []
            for r in repos {
                console.print("Upgrading templates from \(r)...")
                do {
                    upgraded += try repository.install(.git(url: r, branch: nil), upgrade: true) { console.print($0) }
                        .installed
                } catch {
                    errors.append([r, "\(error)"])
                }
                console.print("")
            }
            if upgraded.isEmpty {
                console.print("No templates were installed")
            } else {
                console.print("Upgraded \(upgraded.count) template(s)")
                console.print("")
                console.print(table([["Name", "Description"]] + upgraded.map { [$0.id, $0.description] }))
            }
            console.print("")
            if !errors.isEmpty {
                console.print("Errors upgrading \(errors.count) repository/ies")
                console.print("")
                console.print(table([["URL", "Error"]] + errors))
                console.print("")
                return 1
            }
            return 0
        }
    }

    // MARK: uninstall

    public struct UninstallOptions: Sendable {
        public var id: String?
        public init() {}
    }

    public static let uninstallSpec = CommandSpec<UninstallOptions>(
        "spin templates uninstall", abstract: "Remove a template from your installation",
        arguments: [.positional("TEMPLATE_ID", help: "The template to uninstall", required: true, \.id)])

    public static func uninstall(arguments: [String], console: Console = .standard) -> Int32 {
        uninstallSpec.run(arguments, defaults: UninstallOptions(), console: console) { o in
            do {
                try TemplateRepository().uninstall(id: o.id!)
                return 0
            } catch {
                console.error("Failed to uninstall template: \(error)")
                return 1
            }
        }
    }
}
