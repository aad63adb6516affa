/// What sort of argument a declaration is (see `Argument`).
enum ArgumentKind: Equatable {
    /// `--quiet`: no value.
    case flag
    /// `--from VALUE`, `--from=VALUE`, `-f VALUE`, `-f=VALUE`.
    case option(value: String)
    /// A bare word; `repeating` takes every remaining bare word.
    case positional(value: String, required: Bool, repeating: Bool)
    /// A bare word and everything after it, verbatim (options end where it starts).
    case remainder(value: String)
    /// A named option after which everything is taken verbatim (`spin build --up ARGS...`).
    case trailing(value: String)
}

/// One declared command-line argument of a command whose parsed form is `Options`: a flag,
/// an option with a value, a positional argument, or a way to take the rest of the line.
///
/// Build them with the static functions below; each carries its help text and what it does
/// to `Options` when it occurs (a closure, or a key path for the common cases):
///
///     .flag("-q", "--quiet", help: "Do not print component output", \.quiet)
///     .option("-f", "--from", value: "APPLICATION", help: "The application to run", \.from)
///     .option("--debounce", value: "MS", help: "...", parse: Parse.integer(in: 0...)) { $0.debounceMS = $1 }
///     .positional("FILE", help: "The module to run", required: true, \.file)
///     .remainder("ARGS", help: "Arguments for the guest", \.guestArguments)
///
/// Names are spelled as typed: `-f` (a short name), `--from` (a long one). `aliases` are
/// accepted but left out of the help.
public struct Argument<Options>: Sendable {
    let kind: ArgumentKind
    /// The names shown in the help (`-f`, `--from`); empty for positionals.
    public let names: [String]
    /// More names, accepted but not shown.
    public let aliases: [String]
    public let help: String
    let repeatable: Bool
    let hidden: Bool
    /// Applies one occurrence: no strings for a flag, one for an option or positional,
    /// the rest of the line for a remainder or trailing argument.
    let apply: @Sendable ([String], inout Options) throws -> Void

    var isPositional: Bool {
        switch kind {
        case .positional, .remainder: true
        case .flag, .option, .trailing: false
        }
    }

    /// `<FILE>`, `[NAME]`, `<PATH>...`, `[ARGS]...`; for options, the value placeholder.
    var valueText: String {
        switch kind {
        case .flag: ""
        case .option(let v): "<\(v)>"
        case .positional(let v, let required, let repeating):
            (required ? "<\(v)>" : "[\(v)]") + (repeating ? "..." : "")
        case .remainder(let v), .trailing(let v): "[\(v)]..."
        }
    }

    /// The names and value as the help table shows them: `-f, --from <APPLICATION>`.
    var signature: String {
        let text = names.joined(separator: ", ")
        return valueText.isEmpty ? text : text.isEmpty ? valueText : text + " " + valueText
    }
}

// MARK: - Flags

extension Argument {
    /// A flag (no value) that runs `set` each time it occurs.
    public static func flag(
        _ names: String..., aliases: [String] = [], help: String, repeatable: Bool = false, hidden: Bool = false,
        _ set: @escaping @Sendable (inout Options) throws -> Void
    ) -> Argument {
        Argument(
            kind: .flag, names: names, aliases: aliases, help: help, repeatable: repeatable, hidden: hidden,
            apply: { _, o in try set(&o) })
    }

    /// A flag that sets a `Bool` to true.
    public static func flag(
        _ names: String..., aliases: [String] = [], help: String, hidden: Bool = false,
        _ keyPath: WritableKeyPath<Options, Bool> & Sendable
    ) -> Argument {
        Argument(
            kind: .flag, names: names, aliases: aliases, help: help, repeatable: false, hidden: hidden,
            apply: { _, o in o[keyPath: keyPath] = true })
    }
}

// MARK: - Options with a value

extension Argument {
    /// An option with a value `parse` turns into a `Value` (a thrown error is reported as an
    /// invalid value for the option), then `set` stores. `value` names the value in the help.
    public static func option<Value>(
        _ names: String..., value: String, aliases: [String] = [], help: String, repeatable: Bool = false,
        hidden: Bool = false, parse: @escaping @Sendable (String) throws -> Value,
        _ set: @escaping @Sendable (inout Options, Value) -> Void
    ) -> Argument {
        Argument(
            kind: .option(value: value), names: names, aliases: aliases, help: help, repeatable: repeatable,
            hidden: hidden, apply: { v, o in set(&o, try parse(v[0])) })
    }

    /// An option whose value `set` handles as it is.
    public static func option(
        _ names: String..., value: String, aliases: [String] = [], help: String, repeatable: Bool = false,
        hidden: Bool = false, _ set: @escaping @Sendable (inout Options, String) throws -> Void
    ) -> Argument {
        Argument(
            kind: .option(value: value), names: names, aliases: aliases, help: help, repeatable: repeatable,
            hidden: hidden, apply: { v, o in try set(&o, v[0]) })
    }

    /// An option whose value is stored as it is.
    public static func option(
        _ names: String..., value: String, aliases: [String] = [], help: String, hidden: Bool = false,
        _ keyPath: WritableKeyPath<Options, String> & Sendable
    ) -> Argument {
        Argument(
            kind: .option(value: value), names: names, aliases: aliases, help: help, repeatable: false,
            hidden: hidden, apply: { v, o in o[keyPath: keyPath] = v[0] })
    }

    /// An option whose value is stored as it is; nil when not given.
    public static func option(
        _ names: String..., value: String, aliases: [String] = [], help: String, hidden: Bool = false,
        _ keyPath: WritableKeyPath<Options, String?> & Sendable
    ) -> Argument {
        Argument(
            kind: .option(value: value), names: names, aliases: aliases, help: help, repeatable: false,
            hidden: hidden, apply: { v, o in o[keyPath: keyPath] = v[0] })
    }

    /// A repeatable option: each value is appended.
    public static func option(
        _ names: String..., value: String, aliases: [String] = [], help: String, hidden: Bool = false,
        _ keyPath: WritableKeyPath<Options, [String]> & Sendable
    ) -> Argument {
        Argument(
            kind: .option(value: value), names: names, aliases: aliases, help: help, repeatable: true,
            hidden: hidden, apply: { v, o in o[keyPath: keyPath].append(v[0]) })
    }

    /// An option whose value `parse` converts before it is stored.
    public static func option<Value>(
        _ names: String..., value: String, aliases: [String] = [], help: String, hidden: Bool = false,
        parse: @escaping @Sendable (String) throws -> Value, _ keyPath: WritableKeyPath<Options, Value> & Sendable
    ) -> Argument {
        Argument(
            kind: .option(value: value), names: names, aliases: aliases, help: help, repeatable: false,
            hidden: hidden, apply: { v, o in o[keyPath: keyPath] = try parse(v[0]) })
    }
}

// MARK: - Positional arguments and the rest of the line

extension Argument {
    /// One bare word, in declaration order with the other positionals.
    public static func positional(
        _ value: String, help: String, required: Bool = false,
        _ set: @escaping @Sendable (inout Options, String) throws -> Void
    ) -> Argument {
        Argument(
            kind: .positional(value: value, required: required, repeating: false), names: [], aliases: [],
            help: help, repeatable: false, hidden: false, apply: { v, o in try set(&o, v[0]) })
    }

    /// One bare word stored in a `String?`.
    public static func positional(
        _ value: String, help: String, required: Bool = false, _ keyPath: WritableKeyPath<Options, String?> & Sendable
    ) -> Argument {
        positional(value, help: help, required: required) { o, v in o[keyPath: keyPath] = v }
    }

    /// Every remaining bare word (options may come between them): `PATH...`.
    public static func positionals(
        _ value: String, help: String, required: Bool = false, _ keyPath: WritableKeyPath<Options, [String]> & Sendable
    ) -> Argument {
        Argument(
            kind: .positional(value: value, required: required, repeating: true), names: [], aliases: [],
            help: help, repeatable: true, hidden: false, apply: { v, o in o[keyPath: keyPath] += v })
    }

    /// The rest of the line, verbatim, once the positionals declared before it are filled: option
    /// parsing stops there (`spin wasm run [OPTIONS] FILE ARGS...` passes `ARGS` to the guest).
    /// Declared first, it starts at the first bare word.
    public static func remainder(
        _ value: String, help: String, _ keyPath: WritableKeyPath<Options, [String]> & Sendable
    )
        -> Argument
    {
        Argument(
            kind: .remainder(value: value), names: [], aliases: [], help: help, repeatable: false, hidden: false,
            apply: { v, o in o[keyPath: keyPath] = v })
    }

    /// A named option that takes everything after it, verbatim (`spin build --up UP_ARGS...`).
    public static func trailing(
        _ names: String..., value: String, help: String, _ set: @escaping @Sendable (inout Options, [String]) -> Void
    ) -> Argument {
        Argument(
            kind: .trailing(value: value), names: names, aliases: [], help: help, repeatable: false, hidden: false,
            apply: { v, o in set(&o, v) })
    }
}

// MARK: - Passing options through

extension Argument {
    /// This flag or option, accepted by another command whose options are `Target` and passed
    /// on as text: each occurrence is checked as this command would check it (against
    /// `scratch`), then appended to `keyPath` as `--name VALUE` (`spin watch` passes `spin up`'s
    /// options to `spin up` this way). It is left out of this command's help (the other
    /// command's help lists it). nil for positional and trailing arguments.
    public func forwarded<Target>(
        to keyPath: WritableKeyPath<Target, [String]> & Sendable, checkingWith scratch: Options
    ) -> Argument<Target>? where Options: Sendable {
        guard let name = names.last ?? aliases.first else { return nil }
        let apply = self.apply
        switch kind {
        case .flag, .option:
            return Argument<Target>(
                kind: kind, names: names, aliases: aliases, help: help, repeatable: repeatable, hidden: true,
                apply: { v, o in
                    var check = scratch
                    try apply(v, &check)
                    o[keyPath: keyPath] += [name] + v
                })
        case .positional, .remainder, .trailing: return nil
        }
    }
}
