/// A value in a Liquid template. Template parameters are strings; literals
/// in the template can also be numbers, booleans or nil.
package enum LiquidValue: Equatable, Sendable {
    case `nil`
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)

    /// The text `{{ value }}` writes: nil writes nothing.
    var text: String {
        switch self {
        case .nil: ""
        case .bool(let b): String(b)
        case .int(let i): String(i)
        case .float(let f): String(f)
        case .string(let s): s
        }
    }

    /// Liquid's truthiness: only nil and false are false (an empty string is true).
    var isTruthy: Bool {
        switch self {
        case .nil, .bool(false): false
        default: true
        }
    }
}

/// An operand: a literal or a variable (a parameter such as `project-name`,
/// or a name bound by `{% assign %}`).
enum LiquidOperand: Sendable {
    case literal(LiquidValue)
    case variable(String)
}

/// `{{ operand | filter: arg, arg | filter }}`.
struct LiquidExpression: Sendable {
    var operand: LiquidOperand
    var filters: [(name: String, arguments: [LiquidOperand])]
}

/// The condition of `{% if %}`, `{% elsif %}` and `{% unless %}`.
indirect enum LiquidCondition: Sendable {
    case truthy(LiquidOperand)
    case compare(LiquidOperand, String, LiquidOperand)
    case and(LiquidCondition, LiquidCondition)
    case or(LiquidCondition, LiquidCondition)
    case not(LiquidCondition)
}

/// A parsed piece of a template.
indirect enum LiquidNode: Sendable {
    case text(String)
    case output(LiquidExpression)
    /// `if`/`elsif`/`else` (and `unless`, as a negated first branch): the
    /// first branch whose condition holds (nil: `else`) is rendered.
    case branches([(condition: LiquidCondition?, body: [LiquidNode])])
    case assign(String, LiquidExpression)
}

/// Why a text is not a template. Spin (`renderer.rs`, `infer_from_bytes`)
/// copies a file Liquid cannot parse unchanged, except when the reason is an
/// unknown filter, which fails the run.
package enum LiquidParseError: Error, Equatable, Sendable {
    /// Not valid Liquid (an unterminated `{{`, `{{1, 2}}`, an unknown tag):
    /// the file is copied as it is.
    case syntax(String)
    /// A filter neither Spin nor Liquid's standard library defines.
    case unknownFilter(String)
    /// A Liquid feature (tag or standard filter) this implementation does not have.
    case unsupported(String)
}

/// A parsed Liquid template, the subset of Liquid
/// (https://shopify.github.io/liquid/) that templates use: `{{ expression }}`
/// with filters and arguments, whitespace control (`{{-`, `-}}`, `{%-`,
/// `-%}`), `raw`, `comment`, `if`/`elsif`/`else`/`unless` with `==`, `!=`,
/// `<>`, `<`, `>`, `<=`, `>=`, `contains`, `and`, `or`, and `assign`.
package struct LiquidTemplate: Sendable {
    let nodes: [LiquidNode]

    /// Parses `text`; throws `LiquidParseError`.
    package init(parsing text: String) throws(LiquidParseError) {
        var parser = LiquidParser(text)
        nodes = try parser.parseDocument()
    }

    /// Renders with `values` as the variables; `file` names the template in errors.
    package func render(values: [String: String], file: String) throws(TemplateError) -> String {
        var context = LiquidContext(values: values, file: file)
        var out = ""
        try context.render(nodes, into: &out)
        return out
    }
}

/// Variables while rendering: the parameters and the `assign`ed names.
struct LiquidContext {
    let values: [String: String]
    let file: String
    var assigned: [String: LiquidValue] = [:]

    init(values: [String: String], file: String) {
        self.values = values
        self.file = file
    }

    mutating func render(_ nodes: [LiquidNode], into out: inout String) throws(TemplateError) {
        for node in nodes {
            switch node {
            case .text(let t): out += t
            case .output(let e): out += try evaluate(e).text
            case .assign(let name, let e): assigned[name] = try evaluate(e)
            case .branches(let branches):
                for b in branches
                where try b.condition.map({ (c: LiquidCondition) throws(TemplateError) in try holds(c) }) ?? true {
                    try render(b.body, into: &out)
                    break
                }
            }
        }
    }

    /// A variable's value; unknown variables are an error, as in Spin's
    /// (liquid-rust's) rendering, unless `lenient` (conditions, where an
    /// unknown variable is nil).
    func value(_ operand: LiquidOperand, lenient: Bool = false) throws(TemplateError) -> LiquidValue {
        switch operand {
        case .literal(let v): return v
        case .variable(let name):
            if let v = assigned[name] { return v }
            if let v = values[name] { return .string(v) }
            if lenient { return .nil }
            throw TemplateError("\(file): unknown variable `\(name)`")
        }
    }

    func evaluate(_ e: LiquidExpression) throws(TemplateError) -> LiquidValue {
        var v = try value(e.operand)
        for f in e.filters {
            var args: [LiquidValue] = []
            for a in f.arguments { args.append(try value(a)) }
            do { v = try LiquidFilters.apply(f.name, to: v, arguments: args) } catch {
                throw TemplateError("\(file): filter `\(f.name)`: \(error.message)")
            }
        }
        return v
    }

    func holds(_ c: LiquidCondition) throws(TemplateError) -> Bool {
        switch c {
        case .truthy(let o): return try value(o, lenient: true).isTruthy
        case .not(let c): return try !holds(c)
        case .and(let a, let b):
            guard try holds(a) else { return false }
            return try holds(b)
        case .or(let a, let b):
            if try holds(a) { return true }
            return try holds(b)
        case .compare(let l, let op, let r):
            let a = try value(l, lenient: true), b = try value(r, lenient: true)
            switch op {
            case "==": return Self.equal(a, b)
            case "!=", "<>": return !Self.equal(a, b)
            case "contains":
                if case .string(let s) = a { return s.contains(b.text) }
                return false
            default:
                guard let order = Self.order(a, b) else { return false }
                switch op {
                case "<": return order < 0
                case ">": return order > 0
                case "<=": return order <= 0
                default: return order >= 0
                }
            }
        }
    }

    static func number(_ v: LiquidValue) -> Double? {
        switch v {
        case .int(let i): Double(i)
        case .float(let f): f
        default: nil
        }
    }

    static func equal(_ a: LiquidValue, _ b: LiquidValue) -> Bool {
        if let x = number(a), let y = number(b) { return x == y }
        return a == b
    }

    static func order(_ a: LiquidValue, _ b: LiquidValue) -> Int? {
        if let x = number(a), let y = number(b) { return x < y ? -1 : (x > y ? 1 : 0) }
        if case .string(let x) = a, case .string(let y) = b { return x < y ? -1 : (x > y ? 1 : 0) }
        return nil
    }
}
