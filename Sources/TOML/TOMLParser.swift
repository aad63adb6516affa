/// TOML 1.0.0 reader.
///
/// ```swift
/// let table = try TOML.parse("a = 1")          // throws(TOMLError)
/// table["a"]                                   // .integer(1)
/// table.keyPosition("a")                       // line 1, column 1
/// ```
package enum TOML {
    /// Parses a TOML document.
    package static func parse(_ text: String) throws(TOMLError) -> TOMLTable {
        var p = TOMLParser(Array(text.utf8), validateUTF8: false)
        return try p.parseDocument()
    }

    /// Parses raw bytes. The bytes must be UTF-8 (one leading BOM is skipped);
    /// anything else is a `TOMLError`.
    package static func parse(bytes: [UInt8]) throws(TOMLError) -> TOMLTable {
        var p = TOMLParser(bytes, validateUTF8: true)
        return try p.parseDocument()
    }
}

/// Alias for callers that prefer the Decoder naming.
package typealias TOMLDecoder = TOML

// ASCII constants
private let LF: UInt8 = 0x0A, CR: UInt8 = 0x0D, TAB: UInt8 = 0x09, SPACE: UInt8 = 0x20
private let QUOTE: UInt8 = 0x22, APOS: UInt8 = 0x27, BACKSLASH: UInt8 = 0x5C
private let HASH: UInt8 = 0x23, EQUALS: UInt8 = 0x3D, DOT: UInt8 = 0x2E, COMMA: UInt8 = 0x2C
private let LBRACKET: UInt8 = 0x5B, RBRACKET: UInt8 = 0x5D, LBRACE: UInt8 = 0x7B, RBRACE: UInt8 = 0x7D
private let PLUS: UInt8 = 0x2B, MINUS: UInt8 = 0x2D, UNDERSCORE: UInt8 = 0x5F, COLON: UInt8 = 0x3A

@inline(__always) private func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
@inline(__always) private func isBareKeyChar(_ c: UInt8) -> Bool {
    (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || isDigit(c) || c == MINUS || c == UNDERSCORE
}
/// Control characters that may not appear literally in strings or comments (tab is allowed).
@inline(__always) private func isForbiddenControl(_ c: UInt8) -> Bool {
    (c < 0x20 && c != TAB) || c == 0x7F
}
private func hexValue(_ c: UInt8) -> UInt32? {
    switch c {
    case 0x30...0x39: UInt32(c - 0x30)
    case 0x41...0x46: UInt32(c - 0x41 + 10)
    case 0x61...0x66: UInt32(c - 0x61 + 10)
    default: nil
    }
}

struct TOMLParser {
    private let b: [UInt8]
    private var i = 0
    private var line = 1
    private var lineStart = 0
    private let validateUTF8: Bool
    private static let maxDepth = 256

    init(_ bytes: [UInt8], validateUTF8: Bool) {
        self.b = bytes
        self.validateUTF8 = validateUTF8
    }

    // MARK: positions and errors

    private func position(at offset: Int) -> TOMLPosition {
        var col = 1
        var k = lineStart
        while k < offset && k < b.count {
            if b[k] & 0xC0 != 0x80 { col += 1 }
            k += 1
        }
        return TOMLPosition(line: line, column: col)
    }

    private var here: TOMLPosition { position(at: i) }

    private func error(_ message: String, at offset: Int? = nil) -> TOMLError {
        let p = position(at: offset ?? i)
        return TOMLError(message, line: p.line, column: p.column)
    }

    private func error(_ message: String, at p: TOMLPosition) -> TOMLError {
        TOMLError(message, line: p.line, column: p.column)
    }

    @inline(__always) private func peek(_ off: Int = 0) -> UInt8? {
        let k = i + off
        return k < b.count ? b[k] : nil
    }

    private func describe(_ c: UInt8?) -> String {
        guard let c else { return "end of input" }
        switch c {
        case LF: return "newline"
        case CR: return "carriage return"
        case 0x20...0x7E: return "'\(Character(Unicode.Scalar(c)))'"
        default: return "byte 0x" + String(c, radix: 16, uppercase: true)
        }
    }

    // MARK: whitespace, comments, newlines

    private mutating func skipWS() {
        while i < b.count, b[i] == SPACE || b[i] == TAB { i += 1 }
    }

    /// Consumes a newline (LF or CRLF) at `i`. Returns false if there is none.
    private mutating func consumeNewline() throws(TOMLError) -> Bool {
        guard i < b.count else { return false }
        if b[i] == LF {
            i += 1
        } else if b[i] == CR {
            guard peek(1) == LF else { throw error("carriage return must be followed by a newline") }
            i += 2
        } else {
            return false
        }
        line += 1
        lineStart = i
        return true
    }

    /// Skips a comment starting at `#`, up to (not including) the newline.
    private mutating func skipComment() throws(TOMLError) {
        i += 1
        while i < b.count {
            let c = b[i]
            if c == LF || (c == CR && peek(1) == LF) { return }
            if isForbiddenControl(c) { throw error("control character \(describe(c)) is not allowed in a comment") }
            i += 1
        }
    }

    /// Skips whitespace, comments and newlines (inside arrays).
    private mutating func skipWSCommentsNewlines() throws(TOMLError) {
        while true {
            skipWS()
            guard let c = peek() else { return }
            if c == HASH { try skipComment(); continue }
            if try consumeNewline() { continue }
            return
        }
    }

    // MARK: document

    mutating func parseDocument() throws(TOMLError) -> TOMLTable {
        if b.count >= 3, b[0] == 0xEF, b[1] == 0xBB, b[2] == 0xBF {
            i = 3
            lineStart = 3
        }
        if validateUTF8, let bad = firstInvalidUTF8(from: i) {
            // Compute the line of the bad byte for the message.
            var ln = 1, ls = i
            for k in i..<bad where b[k] == LF { ln += 1; ls = k + 1 }
            line = ln
            lineStart = ls
            throw error("invalid UTF-8", at: bad)
        }
        let root = PTable(origin: .header, position: TOMLPosition(line: 1, column: 1))
        var current = root
        while true {
            skipWS()
            guard let c = peek() else { break }
            if c == HASH {
                try skipComment()
            } else if c == LF || c == CR {
                _ = try consumeNewline()
                continue
            } else if c == LBRACKET {
                current = try parseHeader(root: root)
            } else {
                try parseKeyValue(into: current, depth: 0)
            }
            skipWS()
            if peek() == HASH { try skipComment() }
            if i >= b.count { break }
            if !(try consumeNewline()) {
                throw error("expected a newline or end of input, found \(describe(peek()))")
            }
        }
        return root.freeze()
    }

    // MARK: keys

    private typealias KeyPart = (name: String, position: TOMLPosition)

    /// Parses a (possibly dotted) key. Leading and trailing whitespace is skipped.
    private mutating func parseKey() throws(TOMLError) -> [KeyPart] {
        var parts: [KeyPart] = []
        while true {
            skipWS()
            let p = here
            guard let c = peek() else { throw error("expected a key, found end of input") }
            if c == QUOTE {
                if peek(1) == QUOTE && peek(2) == QUOTE { throw error("a multi-line string cannot be a key") }
                parts.append((try parseBasicString(), p))
            } else if c == APOS {
                if peek(1) == APOS && peek(2) == APOS { throw error("a multi-line string cannot be a key") }
                parts.append((try parseLiteralString(), p))
            } else if isBareKeyChar(c) {
                let start = i
                while i < b.count, isBareKeyChar(b[i]) { i += 1 }
                parts.append((String(decoding: b[start..<i], as: UTF8.self), p))
            } else {
                throw error("expected a key, found \(describe(c))")
            }
            skipWS()
            if peek() == DOT { i += 1 } else { break }
        }
        return parts
    }

    private func dotted(_ parts: [KeyPart]) -> String {
        parts.map { p in
            p.name.utf8.allSatisfy(isBareKeyChar) && !p.name.isEmpty ? p.name : "\"\(p.name)\""
        }.joined(separator: ".")
    }

    // MARK: headers

    private mutating func parseHeader(root: PTable) throws(TOMLError) -> PTable {
        let headerPos = here
        i += 1
        let isArray = peek() == LBRACKET
        if isArray { i += 1 }
        let key = try parseKey()
        guard peek() == RBRACKET else {
            throw error("expected ']' to close the table header, found \(describe(peek()))")
        }
        i += 1
        if isArray {
            guard peek() == RBRACKET else { throw error("expected ']]' to close the array-of-tables header") }
            i += 1
        }

        var t = root
        for (n, part) in key.dropLast().enumerated() {
            if let e = t.entries[part.name] {
                switch e.node {
                case .table(let sub): t = sub
                case .tableArray(let arr): t = arr.tables[arr.tables.count - 1]
                case .value(let v):
                    throw error(
                        "cannot define a table under `\(dotted(Array(key[...n])))`, which is a \(v.typeName) defined at \(e.keyPosition)",
                        at: part.position)
                }
            } else {
                let sub = PTable(origin: .implicit, position: headerPos)
                t.insert(part.name, PEntry(node: .table(sub), keyPosition: part.position, valuePosition: headerPos))
                t = sub
            }
        }
        let last = key[key.count - 1]
        let name = dotted(key)
        if isArray {
            if let e = t.entries[last.name] {
                guard case .tableArray(let arr) = e.node else {
                    throw error(
                        "cannot define array of tables `\(name)`: the key is already defined at \(e.keyPosition)",
                        at: last.position)
                }
                let sub = PTable(origin: .arrayElement, position: headerPos)
                arr.tables.append(sub)
                return sub
            }
            let arr = PTableArray(position: headerPos)
            let sub = PTable(origin: .arrayElement, position: headerPos)
            arr.tables.append(sub)
            t.insert(last.name, PEntry(node: .tableArray(arr), keyPosition: last.position, valuePosition: headerPos))
            return sub
        }
        if let e = t.entries[last.name] {
            if case .table(let sub) = e.node, sub.origin == .implicit {
                sub.origin = .header
                sub.position = headerPos
                return sub
            }
            throw error("table `\(name)` is already defined at \(e.keyPosition)", at: last.position)
        }
        let sub = PTable(origin: .header, position: headerPos)
        t.insert(last.name, PEntry(node: .table(sub), keyPosition: last.position, valuePosition: headerPos))
        return sub
    }

    // MARK: key/value pairs

    private mutating func parseKeyValue(into table: PTable, depth: Int) throws(TOMLError) {
        let key = try parseKey()
        guard peek() == EQUALS else {
            throw error("expected '=' after key `\(dotted(key))`, found \(describe(peek()))")
        }
        i += 1
        skipWS()
        let valuePos = here
        let value = try parseValue(depth: depth)

        var t = table
        for (n, part) in key.dropLast().enumerated() {
            if let e = t.entries[part.name] {
                switch e.node {
                case .table(let sub) where sub.origin == .dotted || sub.origin == .implicit:
                    sub.origin = .dotted
                    t = sub
                case .table:
                    throw error(
                        "cannot add keys to table `\(dotted(Array(key[...n])))` with a dotted key: it is defined by a header at \(e.keyPosition)",
                        at: part.position)
                case .tableArray:
                    throw error(
                        "cannot add keys to array of tables `\(dotted(Array(key[...n])))` with a dotted key",
                        at: part.position)
                case .value(let v):
                    let what =
                        if case .table = v { "an inline table, which cannot be extended" } else { "a \(v.typeName)" }
                    throw error(
                        "`\(dotted(Array(key[...n])))` is \(what) (defined at \(e.keyPosition))", at: part.position)
                }
            } else {
                let sub = PTable(origin: .dotted, position: part.position)
                t.insert(part.name, PEntry(node: .table(sub), keyPosition: part.position, valuePosition: part.position))
                t = sub
            }
        }
        let last = key[key.count - 1]
        if let e = t.entries[last.name] {
            throw error("duplicate key `\(dotted(key))` (first defined at \(e.keyPosition))", at: last.position)
        }
        t.insert(last.name, PEntry(node: .value(value), keyPosition: last.position, valuePosition: valuePos))
    }

    // MARK: values

    private mutating func parseValue(depth: Int) throws(TOMLError) -> TOMLValue {
        guard depth < Self.maxDepth else { throw error("values are nested too deeply") }
        guard let c = peek() else { throw error("expected a value, found end of input") }
        switch c {
        case QUOTE:
            if peek(1) == QUOTE && peek(2) == QUOTE { return .string(try parseMultilineBasicString()) }
            return .string(try parseBasicString())
        case APOS:
            if peek(1) == APOS && peek(2) == APOS { return .string(try parseMultilineLiteralString()) }
            return .string(try parseLiteralString())
        case 0x74:  // t
            try expectWord("true")
            return .boolean(true)
        case 0x66:  // f
            try expectWord("false")
            return .boolean(false)
        case LBRACKET:
            return try parseArray(depth: depth + 1)
        case LBRACE:
            return try parseInlineTable(depth: depth + 1)
        case PLUS, MINUS, 0x69, 0x6E, 0x30...0x39:  // + - i n digits
            return try parseNumberOrDateTime()
        default:
            throw error("expected a value, found \(describe(c))")
        }
    }

    private mutating func expectWord(_ word: StaticString) throws(TOMLError) {
        let start = i
        let w = word.utf8Start
        for k in 0..<word.utf8CodeUnitCount {
            guard peek() == w[k] else { throw error("expected a value (did you mean `\(word)`?)", at: start) }
            i += 1
        }
        if let c = peek(), isBareKeyChar(c) {
            throw error("expected a value (did you mean `\(word)`?)", at: start)
        }
    }

    private mutating func parseArray(depth: Int) throws(TOMLError) -> TOMLValue {
        let start = here
        i += 1
        var elements: [TOMLValue] = []
        var positions: [TOMLPosition] = []
        while true {
            try skipWSCommentsNewlines()
            if peek() == RBRACKET { i += 1; break }
            positions.append(here)
            elements.append(try parseValue(depth: depth))
            try skipWSCommentsNewlines()
            if peek() == COMMA { i += 1; continue }
            if peek() == RBRACKET { i += 1; break }
            throw error("expected ',' or ']' in array, found \(describe(peek()))")
        }
        return .array(TOMLArray(elements: elements, positions: positions, position: start))
    }

    private mutating func parseInlineTable(depth: Int) throws(TOMLError) -> TOMLValue {
        let table = PTable(origin: .inline, position: here)
        i += 1
        skipWS()
        if peek() == RBRACE {
            i += 1
            return .table(table.freeze())
        }
        while true {
            if peek() == LF || peek() == CR { throw error("newlines are not allowed in inline tables") }
            try parseKeyValue(into: table, depth: depth)
            skipWS()
            guard let c = peek() else { throw error("unterminated inline table") }
            if c == COMMA {
                i += 1
                skipWS()
                if peek() == RBRACE { throw error("trailing comma is not allowed in an inline table") }
                continue
            }
            if c == RBRACE { i += 1; break }
            if c == LF || c == CR { throw error("newlines are not allowed in inline tables") }
            throw error("expected ',' or '}' in inline table, found \(describe(c))")
        }
        return .table(table.freeze())
    }

    // MARK: strings

    /// Reads an escape sequence after the backslash (at `i`) and appends its UTF-8.
    private mutating func parseEscape(into out: inout [UInt8]) throws(TOMLError) {
        let start = i - 1
        guard let c = peek() else { throw error("unterminated escape sequence", at: start) }
        i += 1
        switch c {
        case 0x62: out.append(0x08)  // b
        case 0x74: out.append(TAB)  // t
        case 0x6E: out.append(LF)  // n
        case 0x66: out.append(0x0C)  // f
        case 0x72: out.append(CR)  // r
        case QUOTE: out.append(QUOTE)
        case BACKSLASH: out.append(BACKSLASH)
        case 0x75, 0x55:  // u U
            let n = c == 0x75 ? 4 : 8
            var v: UInt32 = 0
            for _ in 0..<n {
                guard let ch = peek(), let h = hexValue(ch) else {
                    throw error("\\\(c == 0x75 ? "u" : "U") escape needs \(n) hex digits", at: start)
                }
                v = v << 4 | h
                i += 1
            }
            guard let scalar = Unicode.Scalar(v) else {
                throw error(
                    "escape \\\(c == 0x75 ? "u" : "U")\(String(v, radix: 16, uppercase: true)) is not a Unicode scalar value",
                    at: start)
            }
            out.append(contentsOf: Array(String(Character(scalar)).utf8))
        default:
            throw error("invalid escape sequence \\\(describe(c).trimmingQuotes)", at: start)
        }
    }

    private mutating func parseBasicString() throws(TOMLError) -> String {
        let start = i
        i += 1
        var out: [UInt8] = []
        while true {
            guard let c = peek() else { throw error("unterminated string", at: start) }
            if c == QUOTE { i += 1; break }
            if c == BACKSLASH {
                i += 1
                try parseEscape(into: &out)
                continue
            }
            if c == LF || c == CR { throw error("newline in a single-line string (use \"\"\" for multi-line strings)") }
            if isForbiddenControl(c) { throw error("control character \(describe(c)) must be escaped in a string") }
            out.append(c)
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    private mutating func parseLiteralString() throws(TOMLError) -> String {
        let start = i
        i += 1
        let s = i
        while true {
            guard let c = peek() else { throw error("unterminated literal string", at: start) }
            if c == APOS { break }
            if c == LF || c == CR { throw error("newline in a single-line literal string") }
            if isForbiddenControl(c) {
                throw error("control character \(describe(c)) is not allowed in a literal string")
            }
            i += 1
        }
        let str = String(decoding: b[s..<i], as: UTF8.self)
        i += 1
        return str
    }

    /// After an opening triple quote: a newline immediately following is trimmed.
    private mutating func trimLeadingNewline() throws(TOMLError) {
        _ = try consumeNewline()
    }

    /// At a run of `q` quotes inside a multi-line string: returns true when the
    /// string is closed (appending up to two content quotes first).
    private mutating func quoteRun(_ q: UInt8, _ out: inout [UInt8]) throws(TOMLError) -> Bool {
        var n = 0
        while peek(n) == q { n += 1 }
        if n < 3 {
            out.append(contentsOf: repeatElement(q, count: n))
            i += n
            return false
        }
        if n > 5 { throw error("too many quotes at the end of a multi-line string", at: i + 5) }
        out.append(contentsOf: repeatElement(q, count: n - 3))
        i += n
        return true
    }

    private mutating func parseMultilineBasicString() throws(TOMLError) -> String {
        let start = i
        i += 3
        try trimLeadingNewline()
        var out: [UInt8] = []
        while true {
            guard let c = peek() else { throw error("unterminated multi-line string", at: start) }
            switch c {
            case QUOTE:
                if try quoteRun(QUOTE, &out) { return String(decoding: out, as: UTF8.self) }
            case BACKSLASH:
                // Line-ending backslash: optional whitespace, a newline, then
                // all whitespace and newlines are trimmed.
                var k = i + 1
                while k < b.count, b[k] == SPACE || b[k] == TAB { k += 1 }
                if k < b.count, b[k] == LF || (b[k] == CR && k + 1 < b.count && b[k + 1] == LF) {
                    i = k
                    while true {
                        skipWS()
                        if !(try consumeNewline()) { break }
                    }
                } else {
                    i += 1
                    try parseEscape(into: &out)
                }
            case LF, CR:
                _ = try consumeNewline()
                out.append(LF)
            default:
                if isForbiddenControl(c) { throw error("control character \(describe(c)) must be escaped in a string") }
                out.append(c)
                i += 1
            }
        }
    }

    private mutating func parseMultilineLiteralString() throws(TOMLError) -> String {
        let start = i
        i += 3
        try trimLeadingNewline()
        var out: [UInt8] = []
        while true {
            guard let c = peek() else { throw error("unterminated multi-line literal string", at: start) }
            switch c {
            case APOS:
                if try quoteRun(APOS, &out) { return String(decoding: out, as: UTF8.self) }
            case LF, CR:
                _ = try consumeNewline()
                out.append(LF)
            default:
                if isForbiddenControl(c) {
                    throw error("control character \(describe(c)) is not allowed in a literal string")
                }
                out.append(c)
                i += 1
            }
        }
    }

    // MARK: numbers and date-times

    private func digitsAhead(_ n: Int, from k: Int) -> Bool {
        guard k + n <= b.count else { return false }
        for j in k..<(k + n) where !isDigit(b[j]) { return false }
        return true
    }

    private mutating func parseNumberOrDateTime() throws(TOMLError) -> TOMLValue {
        if digitsAhead(4, from: i), peek(4) == MINUS { return try parseDateOrDateTime() }
        if digitsAhead(2, from: i), peek(2) == COLON { return .localTime(try parseTime()) }
        let start = i
        while i < b.count {
            let c = b[i]
            if isBareKeyChar(c) || c == DOT || c == PLUS { i += 1 } else { break }
        }
        let tok = Array(b[start..<i])
        switch NumberLexer.parse(tok) {
        case .success(let v): return v
        case .failure(let e): throw error(e.message, at: start)
        }
    }

    private mutating func fixedDigits(_ n: Int, _ what: String) throws(TOMLError) -> Int {
        guard digitsAhead(n, from: i) else { throw error("expected \(n) digits for the \(what)") }
        var v = 0
        for _ in 0..<n { v = v * 10 + Int(b[i] - 0x30); i += 1 }
        return v
    }

    private mutating func expectByte(_ c: UInt8, _ what: String) throws(TOMLError) {
        guard peek() == c else { throw error("expected \(what), found \(describe(peek()))") }
        i += 1
    }

    private mutating func parseDateOrDateTime() throws(TOMLError) -> TOMLValue {
        let start = i
        let year = try fixedDigits(4, "year")
        try expectByte(MINUS, "'-' in date")
        let month = try fixedDigits(2, "month")
        try expectByte(MINUS, "'-' in date")
        let day = try fixedDigits(2, "day")
        guard (1...12).contains(month) else { throw error("month \(month) is out of range", at: start) }
        guard day >= 1 && day <= daysInMonth(year, month) else {
            throw error("day \(day) is out of range for \(pad(year, 4))-\(pad(month, 2))", at: start)
        }
        let date = TOMLDate(year: year, month: month, day: day)
        let sep = peek()
        let hasTime = sep == 0x54 || sep == 0x74 || (sep == SPACE && digitsAhead(2, from: i + 1) && peek(3) == COLON)
        guard hasTime else { return .localDate(date) }
        i += 1
        let time = try parseTime()
        switch peek() {
        case 0x5A, 0x7A:  // Z z
            i += 1
            return .offsetDateTime(TOMLDateTime(date: date, time: time, offsetMinutes: 0))
        case PLUS, MINUS:
            let neg = peek() == MINUS
            i += 1
            let oh = try fixedDigits(2, "offset hour")
            try expectByte(COLON, "':' in offset")
            let om = try fixedDigits(2, "offset minute")
            guard oh <= 23, om <= 59 else { throw error("offset \(pad(oh, 2)):\(pad(om, 2)) is out of range") }
            let off = (oh * 60 + om) * (neg ? -1 : 1)
            return .offsetDateTime(TOMLDateTime(date: date, time: time, offsetMinutes: off))
        default:
            return .localDateTime(TOMLDateTime(date: date, time: time))
        }
    }

    private mutating func parseTime() throws(TOMLError) -> TOMLTime {
        let start = i
        let h = try fixedDigits(2, "hour")
        try expectByte(COLON, "':' in time")
        let m = try fixedDigits(2, "minute")
        try expectByte(COLON, "':' in time (seconds are required in TOML 1.0)")
        let s = try fixedDigits(2, "second")
        guard h <= 23, m <= 59, s <= 60 else {
            throw error("time \(pad(h, 2)):\(pad(m, 2)):\(pad(s, 2)) is out of range", at: start)
        }
        var ns = 0, digits = 0
        if peek() == DOT {
            i += 1
            guard let c = peek(), isDigit(c) else { throw error("expected digits after '.' in time") }
            while let c = peek(), isDigit(c) {
                if digits < 9 { ns = ns * 10 + Int(c - 0x30) }
                digits += 1
                i += 1
            }
            for _ in min(digits, 9)..<9 { ns *= 10 }
        }
        return TOMLTime(hour: h, minute: m, second: s, nanosecond: ns, fractionDigits: digits)
    }

    // MARK: UTF-8

    private func firstInvalidUTF8(from start: Int) -> Int? {
        var k = start
        let n = b.count
        while k < n {
            let c = b[k]
            if c < 0x80 { k += 1; continue }
            var need = 0
            var minV: UInt32 = 0
            var v: UInt32 = 0
            switch c {
            case 0xC2...0xDF: need = 1; v = UInt32(c & 0x1F); minV = 0x80
            case 0xE0...0xEF: need = 2; v = UInt32(c & 0x0F); minV = 0x800
            case 0xF0...0xF4: need = 3; v = UInt32(c & 0x07); minV = 0x10000
            default: return k
            }
            guard k + need < n else { return k }
            for j in 1...need {
                let cc = b[k + j]
                guard cc & 0xC0 == 0x80 else { return k }
                v = v << 6 | UInt32(cc & 0x3F)
            }
            if v < minV || v > 0x10FFFF || (0xD800...0xDFFF).contains(v) { return k }
            k += need + 1
        }
        return nil
    }
}

private extension String {
    var trimmingQuotes: String {
        hasPrefix("'") && hasSuffix("'") && count >= 3 ? String(dropFirst().dropLast()) : self
    }
}

/// Numbers (integers and floats) given as a whole token.
enum NumberLexer {
    static func parse(_ tok: [UInt8]) -> Result<TOMLValue, NumberLexError> {
        var s = tok[...]
        var neg = false, signed = false
        if let f = s.first, f == PLUS || f == MINUS {
            neg = f == MINUS
            signed = true
            s = s.dropFirst()
        }
        let text = String(decoding: tok, as: UTF8.self)
        if s.elementsEqual("inf".utf8) { return .success(.float(neg ? -.infinity : .infinity)) }
        if s.elementsEqual("nan".utf8) { return .success(.float(neg ? -Double.nan : .nan)) }
        guard !s.isEmpty else { return .failure("invalid number `\(text)`") }

        if s.count >= 2, s.first == 0x30, let p = s.dropFirst().first, p == 0x78 || p == 0x6F || p == 0x62 {
            let radix: UInt64 = p == 0x78 ? 16 : p == 0x6F ? 8 : 2
            if signed {
                return .failure(
                    "a sign is not allowed on a \(radix == 16 ? "hexadecimal" : radix == 8 ? "octal" : "binary") integer `\(text)`"
                )
            }
            let body = s.dropFirst(2)
            guard validUnderscores(body) else { return .failure("invalid integer `\(text)`") }
            var v: UInt64 = 0
            for c in body where c != UNDERSCORE {
                guard let d = hexValue(c).map(UInt64.init), d < radix else {
                    return .failure("invalid digit in integer `\(text)`")
                }
                let (m, o1) = v.multipliedReportingOverflow(by: radix)
                let (a, o2) = m.addingReportingOverflow(d)
                if o1 || o2 { return .failure("integer `\(text)` does not fit in 64 bits") }
                v = a
            }
            guard v <= UInt64(Int64.max) else { return .failure("integer `\(text)` does not fit in 64 bits") }
            return .success(.integer(Int64(v)))
        }

        // Decimal: int [frac] [exp]
        var k = s.startIndex
        let end = s.endIndex
        func scanDigits() -> Range<Int> {
            let st = k
            while k < end, isDigit(s[k]) || s[k] == UNDERSCORE { k += 1 }
            return st..<k
        }
        let intPart = scanDigits()
        guard !intPart.isEmpty, validUnderscores(s[intPart]) else { return .failure("invalid number `\(text)`") }
        if s[intPart].count > 1 && s[intPart.lowerBound] == 0x30 {
            return .failure("leading zeros are not allowed in `\(text)`")
        }
        var isFloat = false
        if k < end, s[k] == DOT {
            k += 1
            isFloat = true
            let frac = scanDigits()
            guard !frac.isEmpty, validUnderscores(s[frac]) else {
                return .failure("invalid float `\(text)`: digits must follow '.'")
            }
        }
        if k < end, s[k] == 0x65 || s[k] == 0x45 {
            k += 1
            isFloat = true
            if k < end, s[k] == PLUS || s[k] == MINUS { k += 1 }
            let ex = scanDigits()
            guard !ex.isEmpty, validUnderscores(s[ex]) else { return .failure("invalid float exponent in `\(text)`") }
        }
        guard k == end else { return .failure("invalid number `\(text)`") }
        let clean = String(decoding: tok.filter { $0 != UNDERSCORE }, as: UTF8.self)
        if isFloat {
            guard let d = Double(clean) else { return .failure("invalid float `\(text)`") }
            return .success(.float(d))
        }
        guard let v = Int64(clean) else { return .failure("integer `\(text)` does not fit in 64 bits") }
        return .success(.integer(v))
    }

    /// Non-empty, underscores only between two digits.
    private static func validUnderscores(_ s: ArraySlice<UInt8>) -> Bool {
        guard let f = s.first, let l = s.last, f != UNDERSCORE, l != UNDERSCORE else { return false }
        var prev: UInt8 = 0
        for c in s {
            if c == UNDERSCORE && prev == UNDERSCORE { return false }
            prev = c
        }
        return true
    }
}

struct NumberLexError: Error, ExpressibleByStringInterpolation {
    var message: String
    init(stringLiteral value: String) { message = value }
    init(stringInterpolation: DefaultStringInterpolation) { message = String(stringInterpolation: stringInterpolation) }
}
