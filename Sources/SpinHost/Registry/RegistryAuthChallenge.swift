import Foundation

/// A `WWW-Authenticate` challenge from a registry (RFC 7235): `Basic realm="…"`, or
/// `Bearer realm="https://auth/token",service="…",scope="…"` (the distribution token flow).
package struct RegistryAuthChallenge: Equatable, Sendable {
    /// `basic` or `bearer` (lower-cased).
    package var scheme: String
    /// The parameters, names lower-cased.
    package var parameters: [String: String]

    /// Parses one challenge; nil when `header` is empty or has no scheme.
    package init?(_ header: String) {
        var rest = Substring(header).drop { $0 == " " }
        let schemeEnd = rest.firstIndex(of: " ") ?? rest.endIndex
        let scheme = rest[..<schemeEnd].lowercased()
        guard !scheme.isEmpty else { return nil }
        self.scheme = scheme
        rest = rest[schemeEnd...]
        var parameters: [String: String] = [:]
        while true {
            rest = rest.drop { $0 == " " || $0 == "," }
            guard let eq = rest.firstIndex(of: "=") else { break }
            let name = rest[..<eq].trimmingCharacters(in: .whitespaces).lowercased()
            rest = rest[rest.index(after: eq)...]
            var value = ""
            if rest.first == "\"" {
                rest = rest.dropFirst()
                var escaped = false
                while let c = rest.first {
                    rest = rest.dropFirst()
                    if escaped {
                        value.append(c); escaped = false
                    } else if c == "\\" {
                        escaped = true
                    } else if c == "\"" {
                        break
                    } else {
                        value.append(c)
                    }
                }
            } else {
                let end = rest.firstIndex(of: ",") ?? rest.endIndex
                value = rest[..<end].trimmingCharacters(in: .whitespaces)
                rest = rest[end...]
            }
            parameters[name] = value
        }
        self.parameters = parameters
    }
}
