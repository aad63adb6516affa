/// Parses Liquid markup into `LiquidNode`s (see `LiquidTemplate`).
struct LiquidParser {
    /// One piece of markup before block structure is resolved.
    enum Token {
        case text(String)
        case output(String)
        case tag(name: String, rest: String)
    }

    let chars: [Unicode.Scalar]
    var tokens: [Token] = []
    var position = 0

    init(_ text: String) { chars = Array(text.unicodeScalars) }

    /// Liquid tags this parser does not implement: a clear error rather than
    /// a silently copied file.
    static let unsupportedTags: Set<String> = [
        "for", "endfor", "case", "when", "endcase", "capture", "endcapture", "cycle", "tablerow", "endtablerow",
        "include", "render", "increment", "decrement", "break", "continue", "ifchanged", "endifchanged", "echo",
        "liquid",
    ]

    mutating func parseDocument() throws(LiquidParseError) -> [LiquidNode] {
        try tokenize()
        position = 0
        let (nodes, end) = try parseBlock(until: [])
        if let end { throw .syntax("unexpected `{% \(end) %}`") }
        return nodes
    }

    // MARK: - Tokens

    func string(_ range: Range<Int>) -> String {
        var s = String.UnicodeScalarView()
        s.append(contentsOf: chars[range])
        return String(s)
    }

    /// The index of `close` ("}}" or "%}") at or after `from`, outside quotes.
    func find(_ close: Unicode.Scalar, from: Int) -> Int? {
        var i = from
        var quote: Unicode.Scalar?
        while i + 1 < chars.count {
            let c = chars[i]
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == close && chars[i + 1] == "}" {
                return i
            }
            i += 1
        }
        return nil
    }

    /// Splits the text into text, output and tag tokens, applying whitespace
    /// control and taking `raw` and `comment` bodies.
    mutating func tokenize() throws(LiquidParseError) {
        var i = 0
        var textStart = 0
        var trimNext = false
        func isSpace(_ c: Unicode.Scalar) -> Bool {
            c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\u{0B}" || c == "\u{0C}"
        }
        while i + 1 < chars.count {
            guard chars[i] == "{", chars[i + 1] == "{" || chars[i + 1] == "%" else {
                i += 1
                continue
            }
            let isOutput = chars[i + 1] == "{"
            var innerStart = i + 2
            let trimLeft = innerStart < chars.count && chars[innerStart] == "-"
            if trimLeft { innerStart += 1 }
            guard let close = find(isOutput ? "}" : "%", from: innerStart) else {
                throw .syntax("unterminated `\(isOutput ? "{{" : "{%")`")
            }
            var innerEnd = close
            let trimRight = innerEnd > innerStart && chars[innerEnd - 1] == "-"
            if trimRight { innerEnd -= 1 }
            var text = string(textStart..<i)
            if trimNext { text = String(text.drop { $0.isWhitespace }) }
            if trimLeft { while let c = text.unicodeScalars.last, isSpace(c) { text.unicodeScalars.removeLast() } }
            if !text.isEmpty { tokens.append(.text(text)) }
            let inner = string(innerStart..<innerEnd).trimmingWhitespace()
            i = close + 2
            textStart = i
            trimNext = trimRight
            if isOutput {
                tokens.append(.output(inner))
                continue
            }
            let name = String(inner.prefix { !$0.isWhitespace })
            let rest = String(inner.dropFirst(name.count)).trimmingWhitespace()
            if name == "raw" || name == "comment" {
                guard let (bodyEnd, after, trim) = findEnd("end" + name, from: i) else {
                    throw .syntax("`{% \(name) %}` without `{% end\(name) %}`")
                }
                if name == "raw" {
                    var body = string(i..<bodyEnd)
                    if trimRight { body = String(body.drop { $0.isWhitespace }) }
                    if !body.isEmpty { tokens.append(.text(body)) }
                }
                i = after
                textStart = i
                trimNext = trim
                continue
            }
            tokens.append(.tag(name: name, rest: rest))
        }
        var text = string(textStart..<chars.count)
        if trimNext { text = String(text.drop { $0.isWhitespace }) }
        if !text.isEmpty { tokens.append(.text(text)) }
    }

    /// `{% endNAME %}` (with optional `-`) at or after `from`: where it
    /// starts, where it ends, and whether it trims what follows.
    func findEnd(_ name: String, from: Int) -> (Int, Int, Bool)? {
        var i = from
        while i + 1 < chars.count {
            if chars[i] == "{" && chars[i + 1] == "%", let close = find("%", from: i + 2) {
                var inner = string(i + 2..<close)
                let trim = inner.hasSuffix("-")
                if inner.hasPrefix("-") { inner.removeFirst() }
                if trim { inner.removeLast() }
                if inner.trimmingWhitespace() == name { return (i, close + 2, trim) }
            }
            i += 1
        }
        return nil
    }

    // MARK: - Blocks

    /// Nodes up to one of the tags in `ends` (returned; nil at the end of the text).
    mutating func parseBlock(until ends: Set<String>) throws(LiquidParseError) -> ([LiquidNode], String?) {
        var nodes: [LiquidNode] = []
        while position < tokens.count {
            let token = tokens[position]
            position += 1
            switch token {
            case .text(let t): nodes.append(.text(t))
            case .output(let inner):
                var lexer = try LiquidLexer(inner)
                let e = try lexer.parseExpression()
                try lexer.expectEnd()
                nodes.append(.output(e))
            case .tag(let name, let rest):
                if ends.contains(name) {
                    position -= 1
                    return (nodes, name)
                }
                nodes.append(try parseTag(name, rest))
            }
        }
        return (nodes, nil)
    }

    mutating func parseTag(_ name: String, _ rest: String) throws(LiquidParseError) -> LiquidNode {
        switch name {
        case "if", "unless":
            let endName = "end" + name
            var lexer = try LiquidLexer(rest)
            var condition = try lexer.parseCondition()
            try lexer.expectEnd()
            if name == "unless" { condition = .not(condition) }
            var branches: [(condition: LiquidCondition?, body: [LiquidNode])] = []
            var current: LiquidCondition? = condition
            var sawElse = false
            while true {
                let (body, end) = try parseBlock(until: ["elsif", "else", endName])
                branches.append((current, body))
                guard let end, case .tag(_, let tagRest) = tokens[position] else {
                    throw .syntax("`{% \(name) %}` without `{% \(endName) %}`")
                }
                position += 1
                if end == endName { break }
                if sawElse { throw .syntax("`{% \(end) %}` after `{% else %}`") }
                if end == "else" {
                    sawElse = true
                    current = nil
                } else {
                    if name == "unless" { throw .syntax("`{% elsif %}` in `{% unless %}`") }
                    var l = try LiquidLexer(tagRest)
                    current = try l.parseCondition()
                    try l.expectEnd()
                }
            }
            return .branches(branches)
        case "assign":
            var lexer = try LiquidLexer(rest)
            guard case .identifier(let target) = lexer.next() else { throw .syntax("`assign` needs a variable name") }
            guard case .punctuation("=") = lexer.next() else { throw .syntax("`assign` needs `=`") }
            let e = try lexer.parseExpression()
            try lexer.expectEnd()
            return .assign(target, e)
        default:
            if Self.unsupportedTags.contains(name) { throw .unsupported("the Liquid tag `{% \(name) %}`") }
            throw .syntax("unknown tag `\(name)`")
        }
    }
}

/// The words inside `{{ }}` or a tag.
struct LiquidLexer {
    enum Token: Equatable {
        case identifier(String)
        case literal(LiquidValue)
        case punctuation(String)
    }

    var tokens: [Token] = []
    var index = 0

    init(_ text: String) throws(LiquidParseError) {
        let c = Array(text.unicodeScalars)
        var i = 0
        func isIdentStart(_ u: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(u) || ("A"..."Z").contains(u) || u == "_"
        }
        func isIdent(_ u: Unicode.Scalar) -> Bool { isIdentStart(u) || ("0"..."9").contains(u) || u == "-" }
        func isDigit(_ u: Unicode.Scalar) -> Bool { ("0"..."9").contains(u) }
        func str(_ r: Range<Int>) -> String {
            var s = String.UnicodeScalarView()
            s.append(contentsOf: c[r])
            return String(s)
        }
        while i < c.count {
            let u = c[i]
            if u == " " || u == "\t" || u == "\n" || u == "\r" {
                i += 1
            } else if u == "\"" || u == "'" {
                guard let end = c[(i + 1)...].firstIndex(of: u) else { throw .syntax("unterminated string") }
                tokens.append(.literal(.string(str(i + 1..<end))))
                i = end + 1
            } else if isDigit(u) || (u == "-" && i + 1 < c.count && isDigit(c[i + 1])) {
                var j = i + 1
                while j < c.count && isDigit(c[j]) { j += 1 }
                if j + 1 < c.count && c[j] == "." && isDigit(c[j + 1]) {
                    j += 1
                    while j < c.count && isDigit(c[j]) { j += 1 }
                    tokens.append(.literal(.float(Double(str(i..<j)) ?? 0)))
                } else {
                    guard let n = Int(str(i..<j)) else { throw .syntax("bad number") }
                    tokens.append(.literal(.int(n)))
                }
                if j < c.count && isIdent(c[j]) { throw .syntax("bad number") }
                i = j
            } else if isIdentStart(u) {
                var j = i + 1
                while j < c.count && (isIdent(c[j]) || (c[j] == "." && j + 1 < c.count && isIdentStart(c[j + 1]))) {
                    j += 1
                }
                tokens.append(.identifier(str(i..<j)))
                i = j
            } else {
                let two = i + 1 < c.count ? str(i..<i + 2) : ""
                if ["==", "!=", "<>", "<=", ">="].contains(two) {
                    tokens.append(.punctuation(two))
                    i += 2
                } else if "|:,<>=".unicodeScalars.contains(u) {
                    tokens.append(.punctuation(String(u)))
                    i += 1
                } else {
                    throw .syntax("unexpected `\(u)`")
                }
            }
        }
    }

    mutating func next() -> Token? {
        guard index < tokens.count else { return nil }
        defer { index += 1 }
        return tokens[index]
    }

    func peek() -> Token? { index < tokens.count ? tokens[index] : nil }

    func expectEnd() throws(LiquidParseError) {
        if index < tokens.count { throw .syntax("unexpected text in expression") }
    }

    mutating func parseOperand() throws(LiquidParseError) -> LiquidOperand {
        switch next() {
        case .literal(let v): return .literal(v)
        case .identifier(let name):
            switch name {
            case "true": return .literal(.bool(true))
            case "false": return .literal(.bool(false))
            case "nil", "null": return .literal(.nil)
            case "empty", "blank": return .literal(.string(""))
            default: return .variable(name)
            }
        default: throw .syntax("expected a value")
        }
    }

    /// `operand (| filter (: arg (, arg)*)?)*`; filters are checked here, as
    /// liquid-rust checks them when parsing.
    mutating func parseExpression() throws(LiquidParseError) -> LiquidExpression {
        var e = LiquidExpression(operand: try parseOperand(), filters: [])
        while peek() == .punctuation("|") {
            index += 1
            guard case .identifier(let name) = next() else { throw .syntax("expected a filter name") }
            try LiquidFilters.check(name)
            var args: [LiquidOperand] = []
            if peek() == .punctuation(":") {
                index += 1
                args.append(try parseOperand())
                while peek() == .punctuation(",") {
                    index += 1
                    args.append(try parseOperand())
                }
            }
            e.filters.append((name, args))
        }
        return e
    }

    /// `comparison ((and | or) condition)?`, grouped from the right as Liquid evaluates them.
    mutating func parseCondition() throws(LiquidParseError) -> LiquidCondition {
        let left = try parseComparison()
        switch peek() {
        case .identifier("and"):
            index += 1
            return .and(left, try parseCondition())
        case .identifier("or"):
            index += 1
            return .or(left, try parseCondition())
        default:
            return left
        }
    }

    mutating func parseComparison() throws(LiquidParseError) -> LiquidCondition {
        let left = try parseOperand()
        switch peek() {
        case .punctuation(let op) where ["==", "!=", "<>", "<", ">", "<=", ">="].contains(op):
            index += 1
            return .compare(left, op, try parseOperand())
        case .identifier("contains"):
            index += 1
            return .compare(left, "contains", try parseOperand())
        default:
            return .truthy(left)
        }
    }
}

extension String {
    /// Without leading and trailing spaces, tabs and line breaks.
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }
}
