import Foundation

/// The filters a template can use: Spin's own (`kebab_case`, `snake_case`,
/// `pascal_case`, `dotted_pascal_case`, `http_wildcard`, registered in Spin's
/// `run.rs`) and the string filters of Liquid's standard library.
enum LiquidFilters {
    struct Failure: Error { let message: String }

    /// Filters of Liquid's standard library this implementation lacks (array,
    /// number and date filters; template parameters are strings).
    static let unsupported: Set<String> = [
        "abs", "at_least", "at_most", "ceil", "compact", "concat", "date", "divided_by", "escape", "escape_once",
        "first", "floor", "join", "last", "map", "minus", "modulo", "newline_to_br", "plus", "reverse", "round",
        "sort", "sort_natural", "split", "strip_html", "times", "truncatewords", "uniq", "url_decode", "url_encode",
        "where", "push", "pop", "shift", "unshift",
    ]

    /// Filter names and how many arguments each takes (minimum, maximum).
    static let arity: [String: (Int, Int)] = [
        "kebab_case": (0, 0), "snake_case": (0, 0), "pascal_case": (0, 0), "dotted_pascal_case": (0, 0),
        "http_wildcard": (0, 0), "downcase": (0, 0), "upcase": (0, 0), "capitalize": (0, 0), "strip": (0, 0),
        "lstrip": (0, 0), "rstrip": (0, 0), "strip_newlines": (0, 0), "size": (0, 0), "append": (1, 1),
        "prepend": (1, 1), "remove": (1, 1), "remove_first": (1, 1), "replace": (2, 2), "replace_first": (2, 2),
        "default": (1, 1), "truncate": (0, 2), "slice": (1, 2),
    ]

    /// Parse-time check: an unknown filter fails the template as in Spin.
    static func check(_ name: String) throws(LiquidParseError) {
        if arity[name] != nil { return }
        if unsupported.contains(name) { throw .unsupported("the Liquid filter `\(name)`") }
        throw .unknownFilter(name)
    }

    static func apply(_ name: String, to value: LiquidValue, arguments: [LiquidValue]) throws(Failure) -> LiquidValue {
        let (least, most) = arity[name] ?? (0, 0)
        guard (least...most).contains(arguments.count) else {
            let want = least == most ? "\(least)" : "\(least) to \(most)"
            throw Failure(message: "expects \(want) argument(s), got \(arguments.count)")
        }
        let s = value.text
        func arg(_ i: Int) -> String { arguments[i].text }
        func int(_ i: Int) throws(Failure) -> Int {
            switch arguments[i] {
            case .int(let n): return n
            case .string(let t): if let n = Int(t) { return n }
            default: break
            }
            throw Failure(message: "argument \(i + 1) must be a whole number")
        }
        switch name {
        case "kebab_case", "snake_case", "pascal_case", "dotted_pascal_case", "http_wildcard":
            if case .nil = value { throw Failure(message: "String expected") }
            switch name {
            case "kebab_case": return .string(CaseConversion.kebab(s))
            case "snake_case": return .string(CaseConversion.snake(s))
            case "pascal_case": return .string(CaseConversion.pascal(s))
            case "dotted_pascal_case": return .string(CaseConversion.dottedPascal(s))
            default: return .string(CaseConversion.httpWildcard(s))
            }
        case "downcase": return .string(s.lowercased())
        case "upcase": return .string(s.uppercased())
        case "capitalize": return .string(s.prefix(1).uppercased() + s.dropFirst())
        case "strip": return .string(s.trimmingWhitespace())
        case "lstrip": return .string(String(s.drop { $0.isWhitespace }))
        case "rstrip": return .string(String(s.reversed().drop { $0.isWhitespace }.reversed()))
        case "strip_newlines": return .string(s.filter { $0 != "\n" && $0 != "\r\n" && $0 != "\r" })
        case "size": return .int(s.count)
        case "append": return .string(s + arg(0))
        case "prepend": return .string(arg(0) + s)
        case "remove": return .string(s.replacing(arg(0), with: ""))
        case "remove_first": return .string(replaceFirst(s, arg(0), ""))
        case "replace": return .string(s.replacing(arg(0), with: arg(1)))
        case "replace_first": return .string(replaceFirst(s, arg(0), arg(1)))
        case "default":
            switch value {
            case .nil, .bool(false): return arguments[0]
            case .string(""): return arguments[0]
            default: return value
            }
        case "truncate":
            let length = arguments.isEmpty ? 50 : try int(0)
            let ellipsis = arguments.count > 1 ? arg(1) : "..."
            guard s.count > length else { return .string(s) }
            return .string(String(s.prefix(max(0, length - ellipsis.count))) + ellipsis)
        case "slice":
            let chars = Array(s)
            var start = try int(0)
            let length = arguments.count > 1 ? try int(1) : 1
            if start < 0 { start += chars.count }
            guard start >= 0, start < chars.count, length > 0 else { return .string("") }
            return .string(String(chars[start..<min(chars.count, start + length)]))
        default:
            throw Failure(message: "unknown filter")
        }
    }

    static func replaceFirst(_ s: String, _ target: String, _ replacement: String) -> String {
        guard !target.isEmpty, let r = s.range(of: target) else { return s }
        return s.replacingCharacters(in: r, with: replacement)
    }
}
