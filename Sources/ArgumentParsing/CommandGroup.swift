/// A command made of subcommands (`spin`, `spin wasm`, `spin templates`): dispatches on the
/// first word and writes the list of subcommands as its help.
///
/// - `NAME SUB ARGS...` runs `SUB` with `ARGS`.
/// - `NAME`, with nothing after it, prints the help to stderr (exit 2).
/// - `NAME -h`/`--help` prints the help (exit 0); `NAME help SUB...` prints `SUB`'s help.
/// - `NAME -V`/`--version` prints `version`, when there is one.
/// - An unknown subcommand or option is a usage error (exit 2).
/// - A subcommand's aliases run it too (`spin u` is `spin up`).
public struct CommandGroup: Sendable {
    /// One subcommand: its name, a one-line description for the list, and its entry point.
    public struct Subcommand: Sendable {
        public var name: String
        public var abstract: String
        public var run: @Sendable (_ arguments: [String], _ console: Console) -> Int32
        /// Left out of the help's list (tools for the project's own scripts); still runs.
        public var isHidden: Bool
        /// Other names that run it (`spin u` for `spin up`), accepted but not listed.
        public var aliases: [String]

        public init(
            _ name: String, abstract: String, aliases: [String] = [], isHidden: Bool = false,
            run: @escaping @Sendable (_ arguments: [String], _ console: Console) -> Int32
        ) {
            self.name = name
            self.abstract = abstract
            self.aliases = aliases
            self.isHidden = isHidden
            self.run = run
        }

        func answers(to word: String) -> Bool { word == name || aliases.contains(word) }
    }

    public var name: String
    public var abstract: String
    public var subcommands: [Subcommand]
    public var version: String?
    /// Text printed after the list of subcommands.
    public var discussion: String

    public init(
        _ name: String, abstract: String, version: String? = nil, discussion: String = "", subcommands: [Subcommand]
    ) {
        self.name = name
        self.abstract = abstract
        self.version = version
        self.discussion = discussion
        self.subcommands = subcommands
    }

    public var usage: String { "Usage: \(name) <COMMAND>" }

    public var help: String {
        var text = abstract + "\n\n" + usage + "\n\nCommands:\n"
        text += helpTable(
            subcommands.filter { !$0.isHidden }.map { ($0.name, $0.abstract) }
                + [("help", "Print the help of the given subcommand")])
        var options = [("-h, --help", "Print help")]
        if version != nil { options.append(("-V, --version", "Print version")) }
        text += "\nOptions:\n" + helpTable(options)
        if !discussion.isEmpty { text += "\n" + discussion + (discussion.hasSuffix("\n") ? "" : "\n") }
        return text
    }

    public func run(_ arguments: [String], console: Console) -> Int32 {
        guard let first = arguments.first else {
            console.err(help)
            return 2
        }
        let rest = Array(arguments.dropFirst())
        switch first {
        case "-h", "--help":
            console.out(help)
            return 0
        case "-V", "--version":
            guard let version else { return unknown(first, console) }
            console.print(version)
            return 0
        case "help":
            guard let sub = rest.first else {
                console.out(help)
                return 0
            }
            guard let command = subcommands.first(where: { $0.answers(to: sub) }) else { return unknown(sub, console) }
            return command.run(Array(rest.dropFirst()) + ["--help"], console)
        default:
            guard let command = subcommands.first(where: { $0.answers(to: first) }) else {
                return unknown(first, console)
            }
            return command.run(rest, console)
        }
    }

    private func unknown(_ word: String, _ console: Console) -> Int32 {
        let what = word.hasPrefix("-") ? "unknown option '\(word)'" : "unknown command '\(name) \(word)'"
        let names = subcommands.map(\.name).joined(separator: ", ")
        console.err(
            "error: \(what) (commands: \(names))\n\n\(usage)\n\nFor more information, try '\(name) --help'.\n")
        return 2
    }
}
