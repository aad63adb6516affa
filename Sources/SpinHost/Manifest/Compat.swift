import Foundation

/// Naming rules and the v1→v2 normalisations of Spin's `compat.rs`.
package enum Compat {
    /// Spin 2's id migration: `_` → `-`, lower-cased.
    package static func kebabCase(_ id: String) -> String {
        id.replacingOccurrences(of: "_", with: "-").lowercased()
    }

    /// Spin's config key / v1 variable name rule (docs/spin-1x.md#config-keys): non-empty, only `[a-z0-9_]`, starts
    /// with a lowercase letter, ends with a letter or digit, no `__`.
    package static func configKeyProblem(_ key: String) -> String? {
        let u = Array(key.utf8)
        guard let first = u.first, let last = u.last else { return "must not be empty" }
        for c in u where !((c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x5F) {
            return "may contain only lowercase letters, digits and '_'"
        }
        if !(first >= 0x61 && first <= 0x7A) { return "must start with a lowercase letter" }
        if last == 0x5F { return "must end with a letter or digit" }
        if key.contains("__") { return "must not contain '__'" }
        return nil
    }

    /// Spin 2 variable names: snake-case words of ASCII letters and digits,
    /// starting with a letter. (Looser than the config-key rule because Spin 2's own
    /// `maximal` fixture uses `var_TWO`.)
    package static func variableNameProblemV2(_ name: String) -> String? {
        idProblem(name, separator: "_", lowercaseOnly: false)
    }

    /// Spin 2 component / trigger ids (KebabId): lowercase words of letters and
    /// digits separated by single `-`, starting with a letter.
    package static func kebabIDProblem(_ id: String) -> String? {
        idProblem(id, separator: "-", lowercaseOnly: true)
    }

    static func idProblem(_ id: String, separator: Character, lowercaseOnly: Bool) -> String? {
        if id.isEmpty { return "must not be empty" }
        let other: Character = separator == "-" ? "_" : "-"
        if id.contains(other) {
            return "must use '\(separator)' between words, not '\(other)'"
        }
        guard let f = id.unicodeScalars.first,
            ("a"..."z").contains(f) || (!lowercaseOnly && ("A"..."Z").contains(f))
        else { return lowercaseOnly ? "must start with a lowercase letter" : "must start with a letter" }
        for word in id.split(separator: separator, omittingEmptySubsequences: false) {
            if word.isEmpty { return "'\(separator)' must be followed by a letter or digit" }
            for s in word.unicodeScalars {
                let ok =
                    ("a"..."z").contains(s) || ("0"..."9").contains(s) || (!lowercaseOnly && ("A"..."Z").contains(s))
                if !ok {
                    return lowercaseOnly && ("A"..."Z").contains(s)
                        ? "must be lowercase" : "may contain only letters, digits and '\(separator)'"
                }
            }
        }
        return nil
    }

    /// Key-value store / SQLite database labels: words of `[A-Za-z][A-Za-z0-9]*`
    /// separated by single `_`; each word all lower-case or all upper-case.
    package static func labelProblem(_ label: String) -> String? {
        if label.isEmpty { return "must not be empty" }
        for word in label.split(separator: "_", omittingEmptySubsequences: false) {
            guard let f = word.unicodeScalars.first else { return "'_' must separate words" }
            guard ("a"..."z").contains(f) || ("A"..."Z").contains(f) else {
                return "each word must start with a letter"
            }
            var lower = false, upper = false
            for s in word.unicodeScalars {
                if ("a"..."z").contains(s) {
                    lower = true
                } else if ("A"..."Z").contains(s) {
                    upper = true
                } else if !("0"..."9").contains(s) {
                    return "may contain only letters, digits and '_'"
                }
            }
            if lower && upper { return "each word must be all lower-case or all upper-case" }
        }
        return nil
    }

    /// v1 `allowed_http_hosts` → `allowed_outbound_hosts` entries:
    /// `insecure:allow-all` ⇒ `http://*:*`, `https://*:*`, `http://self`;
    /// `self` ⇒ `http://self`; `host[:port]` ⇒ `http://host[:port]`, `https://host[:port]`;
    /// an entry that already has an http(s) scheme is kept (without a trailing `/`).
    /// Returns nil and a reason for an entry that is not a host.
    package static func outboundHosts(fromHTTPHost host: String) -> Result<[String], HostError> {
        let result = outboundHostsUnchecked(fromHTTPHost: host)
        if case .success(let entries) = result {
            for entry in entries {
                if let problem = AllowedOutboundHosts.problem(with: entry) {
                    return .failure(HostError("`\(host)` \(problem)"))
                }
            }
        }
        return result
    }

    private static func outboundHostsUnchecked(fromHTTPHost host: String) -> Result<[String], HostError> {
        let h = host.trimmingCharacters(in: .whitespaces)
        if h == "insecure:allow-all" { return .success(["http://*:*", "https://*:*", "http://self"]) }
        if h == "self" { return .success(["http://self"]) }
        if h.isEmpty { return .failure(HostError("an allowed host must not be empty")) }
        if let r = h.range(of: "://") {
            let scheme = h[..<r.lowerBound].lowercased()
            guard scheme == "http" || scheme == "https" else {
                return .failure(HostError("`\(h)`: allowed_http_hosts only accepts http and https URLs"))
            }
            var rest = h[r.upperBound...]
            if rest.hasSuffix("/") { rest = rest.dropLast() }
            guard !rest.isEmpty, !rest.contains("/") else {
                return .failure(HostError("`\(h)`: an allowed host must not include a path"))
            }
            return .success(["\(scheme)://\(rest)"])
        }
        guard !h.contains("/") else { return .failure(HostError("`\(h)`: an allowed host must not include a path")) }
        return .success(["http://\(h)", "https://\(h)"])
    }

    package struct HostError: Error, Hashable, Sendable {
        package var message: String
        init(_ m: String) { message = m }
    }

    /// The outbound hosts Spin 2 adds to a migrated v1 component that had no
    /// `allowed_outbound_hosts` (1.x never restricted these).
    package static let v1ImplicitOutboundHosts = ["redis://*:*", "mysql://*:*", "postgres://*:*"]

    /// Variable names referenced by a template (`"{{ name }}"`), or an error text.
    package static func templateReferences(_ template: String) -> Result<[String], HostError> {
        var refs: [String] = []
        var rest = template[...]
        while let open = rest.range(of: "{{") {
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                return .failure(HostError("unterminated `{{` in template `\(template)`"))
            }
            let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            if name.isEmpty {
                return .failure(HostError("empty variable reference `{{}}` in template `\(template)`"))
            }
            refs.append(name)
            rest = rest[close.upperBound...]
        }
        return .success(refs)
    }
}
