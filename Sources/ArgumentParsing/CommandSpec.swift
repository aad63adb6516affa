/// A mistake on the command line (unknown option, missing or bad value, missing or extra
/// argument). Commands print it as `error: <message>` followed by the usage line and exit
/// with status 2, as clap-based tools (Spin, wasmtime) do.
public struct UsageError: Error, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// What a value parser throws for a value it cannot use; the message says what was expected.
public struct ValueError: Error, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A command's declared arguments: parses its command line into `Options` and writes its help.
///
///     let spec = CommandSpec<Options>("spin watch", abstract: "Rebuild and restart on changes", arguments: [...])
///     return spec.run(arguments, defaults: Options(), console: console) { options in ... }
///
/// Rules, the same for every command:
/// - `--name VALUE` and `--name=VALUE` are the same; so are `-n VALUE` and `-n=VALUE`.
/// - An option's value is the next word, unless that word is one of the command's own option
///   names (then the value is missing), so `--listen --quiet` is an error, not a listen address.
/// - `-h`/`--help` anywhere before `--` asks for the help, which goes to stdout (exit 0).
/// - `--` ends the options: every later word is positional. A lone `-` is positional.
/// - An option that is not `repeatable` may be given once. Short flags do not combine (`-qa`).
/// - Bare words fill the declared positionals in order. Once those before a `remainder` are
///   filled, the remainder takes the rest of the line verbatim (options included).
public struct CommandSpec<Options>: Sendable {
    /// The command as typed, e.g. `spin up`.
    public var name: String
    /// One line saying what the command does: the first line of the help.
    public var abstract: String
    public var arguments: [Argument<Options>]
    /// Text printed after the option table.
    public var discussion: String

    public init(_ name: String, abstract: String, arguments: [Argument<Options>], discussion: String = "") {
        self.name = name
        self.abstract = abstract
        self.arguments = arguments
        self.discussion = discussion
    }

    private static var helpNames: [String] { ["-h", "--help"] }

    // MARK: Parsing

    /// The declaration answering to `name` (a name or an alias).
    private func declaration(named name: String) -> Argument<Options>? {
        arguments.first { !$0.isPositional && ($0.names.contains(name) || $0.aliases.contains(name)) }
    }

    /// Whether `word` would be read as one of this command's options (`--help` included).
    private func isOptionName(_ word: String) -> Bool {
        let name = Self.split(word).name
        return Self.helpNames.contains(name) || declaration(named: name) != nil
    }

    /// `--name=value` and `-n=value` into name and value; other words unchanged.
    private static func split(_ word: String) -> (name: String, value: String?) {
        guard let eq = word.firstIndex(of: "="),
            word.hasPrefix("--") || word.distance(from: word.startIndex, to: eq) == 2
        else { return (word, nil) }
        return (String(word[..<eq]), String(word[word.index(after: eq)...]))
    }

    /// Applies `words` to `options`, in order. Returns nil when `-h`/`--help` was given.
    public func parse(_ words: [String], into options: Options) throws(UsageError) -> Options? {
        var options = options
        let positionals = arguments.filter(\.isPositional)
        var nextPositional = 0
        var filled = Set<Int>()
        var seen = Set<String>()
        var optionsEnded = false
        var i = 0

        func apply(_ argument: Argument<Options>, _ values: [String], as name: String) throws(UsageError) {
            do {
                try argument.apply(values, &options)
            } catch {
                let message = "\(error)"
                switch argument.kind {
                case .option, .positional:
                    // A message that already names the option (as the guest-limit parsers' do) stands alone.
                    if message.hasPrefix(name) { throw UsageError(message) }
                    let what = argument.names.isEmpty ? argument.valueText : "\(name) \(argument.valueText)"
                    throw UsageError("invalid value '\(values[0])' for \(what): \(message)")
                case .flag, .remainder, .trailing: throw UsageError("\(name): \(message)")
                }
            }
        }

        while i < words.count {
            // Once the positionals before a remainder are filled, the rest is the remainder's.
            if nextPositional > 0, nextPositional < positionals.count,
                case .remainder = positionals[nextPositional].kind
            {
                filled.insert(nextPositional)
                try apply(positionals[nextPositional], Array(words[i...]), as: positionals[nextPositional].valueText)
                break
            }
            let word = words[i]
            i += 1
            if !optionsEnded && word == "--" {
                optionsEnded = true
                continue
            }
            if !optionsEnded && word.hasPrefix("-") && word != "-" {
                let (name, inline) = Self.split(word)
                if Self.helpNames.contains(name) && inline == nil { return nil }
                guard let argument = declaration(named: name) else {
                    throw UsageError("unknown option '\(name)'")
                }
                let key = argument.names.first ?? name
                guard argument.repeatable || seen.insert(key).inserted else {
                    throw UsageError("\(name) was given more than once")
                }
                switch argument.kind {
                case .flag:
                    guard inline == nil else { throw UsageError("\(name) takes no value (got '\(word)')") }
                    try apply(argument, [], as: name)
                case .option:
                    let value: String
                    if let inline {
                        value = inline
                    } else {
                        guard i < words.count, words[i] != "--", !isOptionName(words[i]) else {
                            throw UsageError("\(name) needs a value \(argument.valueText)")
                        }
                        value = words[i]
                        i += 1
                    }
                    try apply(argument, [value], as: name)
                case .trailing:
                    guard inline == nil else { throw UsageError("\(name) takes no value (got '\(word)')") }
                    try apply(argument, Array(words[i...]), as: name)
                    i = words.count
                case .positional, .remainder: break
                }
                continue
            }
            guard nextPositional < positionals.count else { throw UsageError("unexpected argument '\(word)'") }
            let argument = positionals[nextPositional]
            filled.insert(nextPositional)
            switch argument.kind {
            case .remainder:
                try apply(argument, [word] + words[i...], as: argument.valueText)
                i = words.count
            case .positional(_, _, let repeating):
                try apply(argument, [word], as: argument.valueText)
                if !repeating { nextPositional += 1 }
            case .flag, .option, .trailing: break
            }
        }
        for (index, argument) in positionals.enumerated() where !filled.contains(index) {
            if case .positional(_, true, _) = argument.kind {
                throw UsageError("missing \(argument.valueText)")
            }
        }
        return options
    }

    /// Parses `words` and runs `body` with the options. `--help` prints the help (exit 0); a
    /// usage error prints `error: ...` and the usage line to stderr (exit 2).
    public func run(_ words: [String], defaults: Options, console: Console, _ body: (Options) -> Int32) -> Int32 {
        let options: Options?
        do {
            options = try parse(words, into: defaults)
        } catch {
            return fail(error.message, console: console)
        }
        guard let options else {
            console.out(help)
            return 0
        }
        return body(options)
    }

    /// Reports a usage error found after parsing (e.g. a missing combination of options) the way
    /// parse errors are reported; returns 2, the exit status for usage errors.
    public func fail(_ message: String, console: Console) -> Int32 {
        console.err("error: \(message)\n\n\(usage)\n\nFor more information, try '\(name) --help'.\n")
        return 2
    }

    // MARK: Help

    /// `Usage: spin wasm run [OPTIONS] <FILE> [ARGS]...`
    public var usage: String {
        var parts = ["Usage:", name, "[OPTIONS]"]
        parts += arguments.filter(\.isPositional).map(\.valueText)
        for a in arguments {
            if case .trailing = a.kind { parts.append("[\(a.names.last ?? "") \(a.valueText)]") }
        }
        return parts.joined(separator: " ")
    }

    /// The whole help: abstract, usage line, arguments and options with their help, discussion.
    public var help: String {
        var text = abstract + "\n\n" + usage + "\n"
        let shown = arguments.filter { !$0.hidden }
        let positionals = shown.filter(\.isPositional).map { ($0.valueText, $0.help) }
        var options = shown.filter { !$0.isPositional }.map { a in
            (Self.optionColumn(a), a.help + (a.repeatable ? " (repeatable)" : ""))
        }
        options.append(("-h, --help", "Print help"))
        if !positionals.isEmpty { text += "\nArguments:\n" + helpTable(positionals) }
        text += "\nOptions:\n" + helpTable(options)
        if !discussion.isEmpty { text += "\n" + discussion + (discussion.hasSuffix("\n") ? "" : "\n") }
        return text
    }

    /// `-f, --from <APPLICATION>`, long-only names indented to line up with the long names.
    private static func optionColumn(_ a: Argument<Options>) -> String {
        let startsShort = a.names.first.map { !$0.hasPrefix("--") } ?? false
        return (startsShort ? "" : "    ") + a.signature
    }
}

/// Two columns; help lines after the first are indented to the second column.
func helpTable(_ rows: [(String, String)]) -> String {
    let width = rows.map(\.0.count).max() ?? 0
    var text = ""
    for (left, right) in rows {
        let pad = String(repeating: " ", count: width - left.count + 2)
        let continuation = "\n" + String(repeating: " ", count: width + 4)
        text +=
            "  " + left + pad
            + right.split(separator: "\n", omittingEmptySubsequences: false)
            .joined(separator: continuation) + "\n"
    }
    return text
}

/// Value parsers for `Argument.option(..., parse:)`.
public enum Parse {
    /// A whole number, optionally within `range`.
    public static func integer(in range: PartialRangeFrom<Int>) -> @Sendable (String) throws -> Int {
        { text in
            guard let n = Int(text), range.contains(n) else {
                throw ValueError("expected a whole number of at least \(range.lowerBound)")
            }
            return n
        }
    }

    /// `KEY=VALUE`: a non-empty key; the value may be empty or hold more `=`.
    public static func keyValue(_ text: String) throws -> (key: String, value: String) {
        guard let eq = text.firstIndex(of: "="), eq != text.startIndex else { throw ValueError("expected KEY=VALUE") }
        return (String(text[..<eq]), String(text[text.index(after: eq)...]))
    }
}
