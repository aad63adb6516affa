import Foundation
import SpinHost
import SpinTooling

/// `spin templates list | install (--dir DIR | --git URL [--branch B]) [--upgrade] | uninstall ID`
enum SpinTemplatesCommand {
    static let usage = """
        Commands for working with WebAssembly component templates

        Usage: spin templates <COMMAND>

        Commands:
          list [--tag TAG]                                  List the templates (built-in and installed)
          install (--dir DIR | --git URL [--branch B]) [--upgrade]
                                                            Install templates into the user template directory
          uninstall <ID>                                    Remove an installed template

        Installed templates live in $SPIN_TEMPLATES_DIR, else ~/.local/share/spin/templates.
        """

    static func run(_ arguments: [String]) -> Int32 {
        guard let sub = arguments.first else {
            print(usage)
            return 2
        }
        let rest = Array(arguments.dropFirst())
        switch sub {
        case "list": return list(rest)
        case "install": return install(rest)
        case "uninstall": return uninstall(rest)
        case "-h", "--help", "help":
            print(usage)
            return 0
        default:
            printError("unknown command 'templates \(sub)' (commands: list, install, uninstall)")
            return 2
        }
    }

    static func list(_ args: [String]) -> Int32 {
        var tags: [String] = []
        var i = 0
        while i < args.count {
            switch args[i] {
            case "--tag" where i + 1 < args.count:
                tags.append(args[i + 1])
                i += 1
            case "-h", "--help":
                print("Usage: spin templates list [--tag TAG]...")
                return 0
            default:
                printError("unexpected argument '\(args[i])' (usage: spin templates list [--tag TAG]...)")
                return 2
            }
            i += 1
        }
        let repo = TemplateRepository()
        let templates = repo.all().filter { t in tags.allSatisfy { t.manifest.tags.contains($0) } }
        if templates.isEmpty {
            print("You have no templates installed\(tags.isEmpty ? "" : " with tags \(tags.joined(separator: ", "))").")
            return 0
        }
        print(table(templates))
        return 0
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

    static func install(_ args: [String]) -> Int32 {
        var dir: String?, git: String?, branch: String?
        var upgrade = false
        var i = 0
        func value() -> String? {
            i += 1
            return i < args.count ? args[i] : nil
        }
        while i < args.count {
            let a = args[i]
            switch a {
            case "--dir": dir = value()
            case "--git", "--repo": git = value()
            case "--branch": branch = value()
            case "--upgrade", "--update": upgrade = true
            case "-h", "--help":
                print("Usage: spin templates install (--dir DIR | --git URL [--branch BRANCH]) [--upgrade]")
                return 0
            default:
                printError(
                    "unexpected argument '\(a)' (usage: spin templates install (--dir DIR | --git URL) [--upgrade])")
                return 2
            }
            if (a == "--dir" && dir == nil) || (a == "--git" && git == nil) || (a == "--branch" && branch == nil) {
                printError("\(a) needs a value")
                return 2
            }
            i += 1
        }
        guard (dir == nil) != (git == nil) else {
            printError("spin templates install needs exactly one of --dir DIR and --git URL")
            return 2
        }
        let repo = TemplateRepository()
        do {
            let ids =
                try git.map { (u: String) throws(TemplateError) in
                    try repo.install(git: u, branch: branch, upgrade: upgrade)
                }
                ?? repo.install(from: dir!, upgrade: upgrade)
            print("Installed \(ids.count) template(s) into \(repo.userDirectory):")
            for id in ids { print("  \(id)") }
            return 0
        } catch {
            printError("\(error)")
            return 1
        }
    }

    static func uninstall(_ args: [String]) -> Int32 {
        guard args.count == 1, !args[0].hasPrefix("-") else {
            printError("usage: spin templates uninstall ID")
            return 2
        }
        do {
            try TemplateRepository().uninstall(id: args[0])
            print("Uninstalled \(args[0])")
            return 0
        } catch {
            printError("\(error)")
            return 1
        }
    }
}
