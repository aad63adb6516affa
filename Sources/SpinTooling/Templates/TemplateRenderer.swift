/// The subset of Liquid that Spin templates use: `{{ name }}`,
/// `{{ name | filter | filter }}`, whitespace-trimming `{{-`/`-}}`, string
/// literals (`{{ "x" | upcase }}`) and `{% raw %}...{% endraw %}`.
///
/// Filters: Spin's `kebab_case`, `snake_case`, `pascal_case`,
/// `dotted_pascal_case`, `http_wildcard`, and Liquid's `downcase`, `upcase`,
/// `capitalize`. An unknown variable or filter is an error, as in Spin
/// (Liquid's strict mode). Braces that do not hold a variable or literal
/// (C initialisers `{{1, 2}}`, `printf("{%d}")`) are left as they are, so
/// copied source files need no escaping.
package enum TemplateRenderer {
    package static func render(_ text: String, values: [String: String], file: String = "template")
        throws(TemplateError)
        -> String
    {
        var out = ""
        var rest = Substring(text)
        while let open = rest.firstRange(of: "{") {
            let after = rest[open.upperBound...]
            guard let next = after.first, next == "{" || next == "%" else {
                out += rest[..<open.upperBound]
                rest = after
                continue
            }
            let close = next == "{" ? "}}" : "%}"
            let body = after.dropFirst()
            guard let end = body.firstRange(of: close) else {
                let start = body.drop { $0 == " " || $0 == "-" }.first
                if next == "%" || start.map({ !($0.isLetter || $0 == "_" || $0 == "\"" || $0 == "'") }) ?? true {
                    out += rest[..<body.startIndex]  // not a template expression; keep the text
                    rest = body
                    continue
                }
                throw TemplateError("\(file): unterminated `{\(next)`")
            }
            var inner = body[..<end.lowerBound]
            var rhs = body[end.upperBound...]
            let trimLeft = inner.hasPrefix("-")
            if trimLeft { inner = inner.dropFirst() }
            var trimRight = false
            if inner.hasSuffix("-") {
                inner = inner.dropLast()
                trimRight = true
            }
            var replacement = ""
            if next == "{" {
                guard let v = try evaluate(String(inner), values: values, file: file) else {
                    // Not a template expression (C's `{{1, 2}, {3, 4}}`): keep the text.
                    out += rest[..<body.startIndex]
                    rest = body
                    continue
                }
                replacement = v
            } else {
                let tag = inner.trimmingCharacters(in: .whitespaces)
                guard tag == "raw" else { throw TemplateError("\(file): unsupported tag `{% \(tag) %}`") }
                guard let r = rhs.firstRange(of: #/\{%-?\s*endraw\s*-?%\}/#) else {
                    throw TemplateError("\(file): `{% raw %}` without `{% endraw %}`")
                }
                replacement = String(rhs[..<r.lowerBound])
                rhs = rhs[r.upperBound...]
            }
            out += rest[..<open.lowerBound]
            if trimLeft { while let c = out.last, c.isWhitespace { out.removeLast() } }
            out += replacement
            if trimRight { rhs = rhs.drop { $0.isWhitespace } }
            rest = rhs
        }
        out += rest
        return out
    }

    /// nil when `expression` is not a variable or literal with filters.
    static func evaluate(_ expression: String, values: [String: String], file: String) throws(TemplateError) -> String?
    {
        let parts = expression.split(separator: "|", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        let head = parts[0]
        var value: String
        let isName =
            head.first.map { $0.isASCII && ($0.isLetter || $0 == "_") } == true
            && head.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == ".") }
        if head.count >= 2, let q = head.first, q == "\"" || q == "'", head.last == q {
            value = String(head.dropFirst().dropLast())
        } else if !isName {
            return nil
        } else if let v = values[head] {
            value = v
        } else {
            throw TemplateError("\(file): unknown variable `\(head)` in `{{\(expression)}}`")
        }
        for f in parts.dropFirst() {
            guard let filter = filters[f] else {
                throw TemplateError("\(file): unknown filter `\(f)` in `{{\(expression)}}`")
            }
            value = filter(value)
        }
        return value
    }

    package static let filters: [String: @Sendable (String) -> String] = [
        "kebab_case": kebabCase,
        "snake_case": snakeCase,
        "pascal_case": pascalCase,
        "dotted_pascal_case": dottedPascalCase,
        "http_wildcard": httpWildcard,
        "downcase": { $0.lowercased() },
        "upcase": { $0.uppercased() },
        "capitalize": { $0.prefix(1).uppercased() + $0.dropFirst() },
    ]

    /// Splits into words like the `heck` crate: at non-alphanumerics, at a
    /// lower-to-upper change ("helloWorld") and before the last capital of an
    /// acronym ("HTTPServer" -> HTTP, Server).
    package static func words(_ s: String) -> [String] {
        var words: [String] = []
        var current: [Character] = []
        let chars = Array(s)
        for (i, c) in chars.enumerated() {
            guard c.isLetter || c.isNumber else {
                if !current.isEmpty { words.append(String(current)); current = [] }
                continue
            }
            if let prev = current.last, c.isUppercase {
                let nextIsLower = i + 1 < chars.count && chars[i + 1].isLowercase
                if prev.isLowercase || prev.isNumber || (prev.isUppercase && nextIsLower) {
                    words.append(String(current))
                    current = []
                }
            }
            current.append(c)
        }
        if !current.isEmpty { words.append(String(current)) }
        return words
    }

    package static func kebabCase(_ s: String) -> String { words(s).map { $0.lowercased() }.joined(separator: "-") }
    package static func snakeCase(_ s: String) -> String { words(s).map { $0.lowercased() }.joined(separator: "_") }
    package static func pascalCase(_ s: String) -> String {
        words(s).map { $0.prefix(1).uppercased() + $0.dropFirst().lowercased() }.joined()
    }
    package static func dottedPascalCase(_ s: String) -> String {
        words(s).map { $0.prefix(1).uppercased() + $0.dropFirst().lowercased() }.joined(separator: ".")
    }
    /// `/hello` -> `/hello/...`, `/hello/` -> `/hello/...`, `/...` unchanged.
    package static func httpWildcard(_ s: String) -> String {
        if s.hasSuffix("/...") { return s }
        if s.hasSuffix("/") { return s + "..." }
        return s + "/..."
    }
}
