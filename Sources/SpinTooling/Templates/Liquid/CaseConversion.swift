/// The case conversions behind Spin's template filters, as the `heck` crate
/// (which Spin's `crates/templates/src/filters.rs` calls) defines them.
package enum CaseConversion {
    /// Splits `text` into words as heck's `transform` does: at every
    /// character that is not a letter or digit; after a lower-case letter (or
    /// a digit following one) that is followed by an upper-case letter
    /// ("helloWorld" -> hello, World); and before the last capital of a run
    /// of capitals followed by a lower-case letter ("HTTPServer" -> HTTP,
    /// Server). A digit keeps the mode of the character before it.
    package static func words(_ text: String) -> [String] {
        enum Mode { case boundary, lowercase, uppercase }
        var words: [String] = []
        for segment in text.split(whereSeparator: { !($0.isLetter || $0.isNumber) }) {
            let chars = Array(segment)
            var start = 0
            var mode = Mode.boundary
            for i in chars.indices {
                let c = chars[i]
                guard i + 1 < chars.count else {
                    words.append(String(chars[start...]))
                    break
                }
                let next = chars[i + 1]
                let nextMode: Mode = c.isLowercase ? .lowercase : (c.isUppercase ? .uppercase : mode)
                if nextMode == .lowercase && next.isUppercase {
                    words.append(String(chars[start...i]))
                    start = i + 1
                    mode = .boundary
                } else if mode == .uppercase && c.isUppercase && next.isLowercase {
                    words.append(String(chars[start..<i]))
                    start = i
                    mode = .boundary
                } else {
                    mode = nextMode
                }
            }
        }
        return words
    }

    /// heck's `capitalize`: the first character upper-cased, the rest lower-cased.
    static func capitalized(_ word: String) -> String {
        guard let first = word.first else { return word }
        return first.uppercased() + word.dropFirst().lowercased()
    }

    /// `kebab_case` (heck `to_kebab_case`): "Hello World" -> "hello-world".
    package static func kebab(_ text: String) -> String { words(text).map { $0.lowercased() }.joined(separator: "-") }

    /// `snake_case` (heck `to_snake_case`): "HelloWorld" -> "hello_world".
    package static func snake(_ text: String) -> String { words(text).map { $0.lowercased() }.joined(separator: "_") }

    /// `pascal_case` (heck `to_upper_camel_case`): "hello-world" -> "HelloWorld".
    package static func pascal(_ text: String) -> String { words(text).map(capitalized).joined() }

    /// `dotted_pascal_case`: each `.`-separated part in PascalCase, joined by
    /// `.` ("originally.semi-dotted" -> "Originally.SemiDotted").
    package static func dottedPascal(_ text: String) -> String {
        text.split(separator: ".", omittingEmptySubsequences: false).map { pascal(String($0)) }.joined(separator: ".")
    }

    /// `http_wildcard`: a route ending in `/...` as it is; one ending in `/`
    /// gets `...`; any other gets `/...`.
    package static func httpWildcard(_ route: String) -> String {
        if route.hasSuffix("/...") { return route }
        if route.hasSuffix("/") { return route + "..." }
        return route + "/..."
    }
}
