import Foundation

/// An `invoke` or `get` action of a script.
public struct SpecAction: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case invoke
        case get
    }

    public var kind: Kind
    /// The `$name` of the module to act on; nil means the current module.
    public var module: String?
    /// The export name.
    public var field: String
    /// Arguments (only for `invoke`).
    public var arguments: [SpecValue]

    public init(kind: Kind, module: String? = nil, field: String, arguments: [SpecValue] = []) {
        self.kind = kind
        self.module = module
        self.field = field
        self.arguments = arguments
    }
}

/// Whether a module of an `assert_*` command is a binary (`.wasm`) or text (`.wat`) module.
public enum SpecModuleType: String, Sendable, Hashable {
    case binary
    case text
}

/// A module file named by an `assert_malformed` / `assert_invalid` / ... command.
public struct SpecModuleFile: Sendable, Hashable {
    /// File name relative to the JSON file's folder.
    public var filename: String
    public var moduleType: SpecModuleType
    /// The assertion's expected message (the reference interpreter's wording).
    public var text: String

    public init(filename: String, moduleType: SpecModuleType = .binary, text: String) {
        self.filename = filename
        self.moduleType = moduleType
        self.text = text
    }
}

/// One command of a wast2json script.
public struct SpecCommand: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// Decode, validate and instantiate; becomes the current module. With `definition`,
        /// only decode and validate it and keep it under `name` for `instance`.
        /// A `filename` ending in `.wat` is a text module without a binary equivalent (skipped).
        case module(name: String?, filename: String, definition: Bool)
        /// Instantiate the module definition `definition` anew as `name` (Wasm 3.0 scripts).
        case instance(name: String?, definition: String)
        /// Make the exports of `name` (nil: the current module) importable as `as`.
        case register(name: String?, as: String)
        /// Perform the action; it must not trap.
        case action(SpecAction)
        /// The results must match one of the alternatives (one alternative unless the script uses `either`).
        case assertReturn(SpecAction, alternatives: [[SpecValue]])
        /// The action must trap with `text`.
        case assertTrap(SpecAction, text: String)
        /// The action must exhaust the call stack.
        case assertExhaustion(SpecAction, text: String)
        /// The action must throw an uncaught Wasm exception.
        case assertException(SpecAction)
        /// Decoding must fail.
        case assertMalformed(SpecModuleFile)
        /// Decoding must succeed and validation fail.
        case assertInvalid(SpecModuleFile)
        /// Instantiation must fail while resolving imports.
        case assertUnlinkable(SpecModuleFile)
        /// Instantiation must trap.
        case assertUninstantiable(SpecModuleFile)
        /// A command kind this runner does not know (reported as skipped).
        case unsupported(type: String)
    }

    /// 1-based line of the command in the `.wast` script.
    public var line: Int
    /// The JSON `type` string, e.g. `"assert_return"`.
    public var type: String
    public var kind: Kind

    public init(line: Int, type: String, kind: Kind) {
        self.line = line
        self.type = type
        self.kind = kind
    }
}

/// A parsed wast2json script.
public struct SpecScript: Sendable {
    /// The `.wast` file the script was converted from (`source_filename`).
    public var sourceFilename: String
    public var commands: [SpecCommand]

    public init(sourceFilename: String, commands: [SpecCommand]) {
        self.sourceFilename = sourceFilename
        self.commands = commands
    }

    /// Parses the JSON text of a script.
    public static func parse(data: Data) throws(SpecParseError) -> SpecScript {
        let top: Any
        do {
            top = try JSONSerialization.jsonObject(with: escapingByteOrderMarks(data))
        } catch {
            throw SpecParseError("not valid JSON: \(error)")
        }
        guard let object = top as? [String: Any] else { throw SpecParseError("top level is not an object") }
        guard let commands = object["commands"] as? [Any] else { throw SpecParseError("no \"commands\" list") }
        let source = object["source_filename"] as? String ?? "?"
        var parsed: [SpecCommand] = []
        parsed.reserveCapacity(commands.count)
        for (i, c) in commands.enumerated() {
            do {
                parsed.append(try SpecCommand.parse(c))
            } catch {
                throw SpecParseError("command \(i): \(error.message)")
            }
        }
        return SpecScript(sourceFilename: source, commands: parsed)
    }

    /// Foundation's JSONSerialization (on Linux) drops a raw U+FEFF (UTF-8 `EF BB BF`) even inside
    /// a string, but names.wast exports a function named "\u{FEFF}" and wast2json writes it raw.
    /// So a leading byte order mark is removed and every other one becomes the escape `\ufeff`
    /// (U+FEFF is not JSON whitespace, so outside strings it was invalid anyway).
    static func escapingByteOrderMarks(_ data: Data) -> Data {
        let bytes = [UInt8](data)
        var start = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        var hasMark = false
        var j = start
        while j + 2 < bytes.count {
            if bytes[j] == 0xEF && bytes[j + 1] == 0xBB && bytes[j + 2] == 0xBF {
                hasMark = true
                break
            }
            j += 1
        }
        if !hasMark { return start == 0 ? data : Data(bytes[start...]) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 16)
        var i = start
        while i < bytes.count {
            if i + 2 < bytes.count, bytes[i] == 0xEF, bytes[i + 1] == 0xBB, bytes[i + 2] == 0xBF {
                out += Array(#"\ufeff"#.utf8)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return Data(out)
    }

    /// Parses a JSON string (for tests).
    public static func parse(json: String) throws(SpecParseError) -> SpecScript {
        try parse(data: Data(json.utf8))
    }
}

extension SpecCommand {
    /// Parses one command object.
    public static func parse(_ json: Any) throws(SpecParseError) -> SpecCommand {
        guard let c = json as? [String: Any] else { throw SpecParseError("command is not an object") }
        guard let type = c["type"] as? String else { throw SpecParseError("command without a type") }
        guard let line = intValue(c["line"]) else { throw SpecParseError("\(type) without a line") }

        func string(_ key: String) throws(SpecParseError) -> String {
            guard let s = c[key] as? String else {
                throw SpecParseError("line \(line): \(type) without \"\(key)\"")
            }
            return s
        }
        func action() throws(SpecParseError) -> SpecAction {
            guard let a = c["action"] else { throw SpecParseError("line \(line): \(type) without an action") }
            do {
                return try SpecAction.parse(a)
            } catch {
                throw SpecParseError("line \(line): \(error.message)")
            }
        }
        func values(_ list: Any?) throws(SpecParseError) -> [SpecValue] {
            guard let list = list as? [Any] else { throw SpecParseError("line \(line): value list is not a list") }
            var out: [SpecValue] = []
            for v in list {
                do { out.append(try SpecValue.parse(v)) } catch {
                    throw SpecParseError("line \(line): \(error.message)")
                }
            }
            return out
        }
        func moduleFile() throws(SpecParseError) -> SpecModuleFile {
            let typeText = c["module_type"] as? String ?? "binary"
            guard let moduleType = SpecModuleType(rawValue: typeText) else {
                throw SpecParseError("line \(line): unknown module_type \"\(typeText)\"")
            }
            // wasm-tools writes text modules that have a binary equivalent with both file names.
            if let binary = c["binary_filename"] as? String {
                return SpecModuleFile(filename: binary, moduleType: .binary, text: c["text"] as? String ?? "")
            }
            return SpecModuleFile(
                filename: try string("filename"), moduleType: moduleType, text: c["text"] as? String ?? "")
        }

        let kind: Kind
        switch type {
        case "module", "module_definition":
            // wasm-tools writes `(component definition ...)` as a "module_definition" command.
            let definition =
                type == "module_definition" || (c["definition"] as? String) == "true" || (c["definition"] as? Bool) == true
            let file: String
            if let binary = c["binary_filename"] as? String { file = binary } else { file = try string("filename") }
            kind = .module(name: c["name"] as? String, filename: file, definition: definition)
        case "instance":
            kind = .instance(name: c["instance"] as? String, definition: try string("definition"))
        case "module_instance":
            // wasm-tools: `(component instance $i $Definition)`.
            kind = .instance(name: c["instance"] as? String, definition: try string("module"))
        case "register":
            kind = .register(name: c["name"] as? String, as: try string("as"))
        case "action":
            kind = .action(try action())
        case "assert_return":
            let a = try action()
            if let either = c["either"] {
                let alternatives = try values(either).map { [$0] }
                kind = .assertReturn(a, alternatives: alternatives)
            } else {
                kind = .assertReturn(a, alternatives: [try values(c["expected"] ?? [Any]())])
            }
        case "assert_trap" where c["action"] == nil && c["filename"] != nil:
            // `(assert_trap (module ...) "text")`: wast2json writes assert_uninstantiable, but be lenient.
            kind = .assertUninstantiable(try moduleFile())
        case "assert_trap":
            kind = .assertTrap(try action(), text: c["text"] as? String ?? "")
        case "assert_exhaustion":
            kind = .assertExhaustion(try action(), text: c["text"] as? String ?? "")
        case "assert_exception":
            kind = .assertException(try action())
        case "assert_malformed":
            kind = .assertMalformed(try moduleFile())
        case "assert_invalid":
            kind = .assertInvalid(try moduleFile())
        case "assert_unlinkable":
            kind = .assertUnlinkable(try moduleFile())
        case "assert_uninstantiable":
            kind = .assertUninstantiable(try moduleFile())
        default:
            kind = .unsupported(type: type)
        }
        return SpecCommand(line: line, type: type, kind: kind)
    }

    static func intValue(_ any: Any?) -> Int? {
        switch any {
        case let i as Int: i
        case let n as NSNumber: n.intValue
        case let s as String: Int(s)
        default: nil
        }
    }
}

extension SpecAction {
    /// Parses `{"type": "invoke"|"get", "module"?: "$name", "field": F, "args"?: [...]}`.
    public static func parse(_ json: Any) throws(SpecParseError) -> SpecAction {
        guard let a = json as? [String: Any] else { throw SpecParseError("action is not an object") }
        guard let typeText = a["type"] as? String, let kind = Kind(rawValue: typeText) else {
            throw SpecParseError("unknown action type \(a["type"] ?? "nil")")
        }
        guard let field = a["field"] as? String else { throw SpecParseError("action without a field") }
        var arguments: [SpecValue] = []
        if let args = a["args"] as? [Any] {
            for v in args { arguments.append(try SpecValue.parse(v)) }
        }
        return SpecAction(kind: kind, module: a["module"] as? String, field: field, arguments: arguments)
    }
}
