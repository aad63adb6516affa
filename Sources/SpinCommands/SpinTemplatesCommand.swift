import ArgumentParsing
import Foundation
import SpinHost
import SpinTooling

/// `spin templates list | install (--dir DIR | --git URL [--branch B]) [--upgrade] | uninstall ID`
public enum SpinTemplatesCommand {
    public static let group = CommandGroup(
        "spin templates", abstract: "Commands for working with WebAssembly component templates",
        discussion: "Installed templates live in $SPIN_TEMPLATES_DIR, else ~/.local/share/spin/templates.",
        subcommands: [
            .init("list", abstract: listSpec.abstract) { list(arguments: $0, console: $1) },
            .init("install", abstract: installSpec.abstract) { install(arguments: $0, console: $1) },
            .init("uninstall", abstract: uninstallSpec.abstract) { uninstall(arguments: $0, console: $1) },
        ])

    public struct ListOptions: Sendable {
        public var tags: [String] = []
        public init() {}
    }

    public static let listSpec = CommandSpec<ListOptions>(
        "spin templates list", abstract: "List the templates (built-in and installed)",
        arguments: [.option("--tag", value: "TAG", help: "Only templates with this tag", \.tags)])

    public static func list(arguments: [String], console: Console = .standard) -> Int32 {
        listSpec.run(arguments, defaults: ListOptions(), console: console) { o in
            let templates = TemplateRepository().all().filter { t in o.tags.allSatisfy { t.manifest.tags.contains($0) }
            }
            if templates.isEmpty {
                let tags = o.tags.isEmpty ? "" : " with tags \(o.tags.joined(separator: ", "))"
                console.print("You have no templates installed\(tags).")
                return 0
            }
            console.print(table(templates))
            return 0
        }
    }

    /// A table like Spin's: name and description, with a rule under the header.
    static func table(_ templates: [Template]) -> String {
        let nameWidth = max(4, templates.map { $0.id.count }.max() ?? 0)
        let descWidth = max(11, templates.map { $0.description.count }.max() ?? 0)
        func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(0, n - s.count)) }
        var lines = ["+" + String(repeating: "-", count: nameWidth + descWidth + 5) + "+"]
        lines.append("| " + pad("Name", nameWidth) + "   " + pad("Description", descWidth) + " |")
        lines.append("+" + String(repeating: "=", count: nameWidth + descWidth + 5) + "+")
        for t in templates {
            lines.append("| " + pad(t.id, nameWidth) + "   " + pad(t.description, descWidth) + " |")
        }
        lines.append("+" + String(repeating: "-", count: nameWidth + descWidth + 5) + "+")
        return lines.joined(separator: "\n")
    }

    public struct InstallOptions: Sendable {
        public var dir: String?
        public var git: String?
        public var branch: String?
        public var upgrade = false
        public init() {}
    }

    public static let installSpec = CommandSpec<InstallOptions>(
        "spin templates install", abstract: "Install templates into the user template directory",
        arguments: [
            .option(
                "--dir", value: "DIR", help: "A local directory holding templates/<id>/..., or one template", \.dir),
            .option("--git", value: "URL", aliases: ["--repo"], help: "A git repository holding templates", \.git),
            .option("--branch", value: "BRANCH", help: "With --git: the branch to clone", \.branch),
            .flag(
                "--upgrade", aliases: ["--update"], help: "Replace templates that are already installed", \.upgrade),
        ],
        discussion: "Give exactly one of --dir and --git.")

    public static func install(arguments: [String], console: Console = .standard) -> Int32 {
        installSpec.run(arguments, defaults: InstallOptions(), console: console) { o in
            guard (o.dir == nil) != (o.git == nil) else {
                return installSpec.fail(
                    "spin templates install needs exactly one of --dir DIR and --git URL", console: console)
            }
            let repo = TemplateRepository()
            do {
                let ids =
                    try o.git.map { (u: String) throws(TemplateError) in
                        try repo.install(git: u, branch: o.branch, upgrade: o.upgrade)
                    }
                    ?? repo.install(from: o.dir!, upgrade: o.upgrade)
                console.print("Installed \(ids.count) template(s) into \(repo.userDirectory):")
                for id in ids { console.print("  \(id)") }
                return 0
            } catch {
                console.error("\(error)")
                return 1
            }
        }
    }

    public struct UninstallOptions: Sendable {
        public var id: String?
        public init() {}
    }

    public static let uninstallSpec = CommandSpec<UninstallOptions>(
        "spin templates uninstall", abstract: "Remove an installed template",
        arguments: [.positional("ID", help: "The template's id (see `spin templates list`)", required: true, \.id)])

    public static func uninstall(arguments: [String], console: Console = .standard) -> Int32 {
        uninstallSpec.run(arguments, defaults: UninstallOptions(), console: console) { o in
            do {
                try TemplateRepository().uninstall(id: o.id!)
                console.print("Uninstalled \(o.id!)")
                return 0
            } catch {
                console.error("\(error)")
                return 1
            }
        }
    }
}
