import Foundation

/// A component's outbound allow-list (`Component.allowedOutboundHosts`: the
/// v2 `allowed_outbound_hosts` plus v1 `allowed_http_hosts` normalised by
/// `Compat.outboundHosts`), with Spin's matching rules (docs/spin-1x.md#allowed-hosts):
///
/// - `insecure:allow-all` ⇒ `http://*:*`, `https://*:*`, `http://self`;
/// - `host` ⇒ http and https on their *default* ports only;
/// - `host:port` ⇒ that explicit port only; hosts compare exactly (case-insensitive);
/// - `self` ⇒ URIs starting with `/` go to the incoming request's `scheme://authority`;
/// - from v2 syntax: `*` as host or port, `*.example.com` subdomains, port ranges `8000..8080`.
///
/// One deliberate difference from 1.x: `host:80` also allows `http://host`
/// (1.x's `url.port()` is `None` for a default port, so it denied that).
package struct AllowedOutboundHosts: Sendable, Hashable {
    enum PortSpec: Hashable, Sendable {
        case schemeDefault
        case any
        case range(Int, Int)
    }

    struct Entry: Hashable, Sendable {
        var scheme: String  // "*" = any
        var host: String  // "*" = any, "*.x" = subdomains of x
        var port: PortSpec
    }

    let entries: [Entry]
    /// Whether relative URIs (`self`) are allowed.
    package let allowsSelf: Bool
    /// Entries that could not be understood (ignored).
    package let ignored: [String]

    package init(_ list: [String]) {
        var entries: [Entry] = []
        var allowsSelf = false
        var ignored: [String] = []
        for raw in list {
            switch Self.parse(raw) {
            case .failure: ignored.append(raw)
            case .success(let parsed):
                entries += parsed.entries
                allowsSelf = allowsSelf || parsed.allowsSelf
            }
        }
        self.entries = entries
        self.allowsSelf = allowsSelf
        self.ignored = ignored
    }

    /// Why `entry` cannot be honoured (nil when it can): the manifest loader reports it at start.
    public static func problem(with entry: String) -> String? {
        if case .failure(let reason) = parse(entry) { return reason.message }
        return nil
    }

    struct Problem: Error { var message: String }

    /// One allow-list entry: what it allows, or why it is not an entry this host understands.
    static func parse(_ raw: String) -> Result<(entries: [Entry], allowsSelf: Bool), Problem> {
        let text = raw.trimmingCharacters(in: .whitespaces)
        if text == "insecure:allow-all" {
            return .success(
                ([Entry(scheme: "http", host: "*", port: .any), Entry(scheme: "https", host: "*", port: .any)], true))
        }
        if text == "self" { return .success(([], true)) }
        if text.contains("{{") {
            return .failure(
                Problem(
                    message: "uses a variable template (`{{ ... }}`), which this host does not support in allowed hosts"
                ))
        }
        guard let sep = text.range(of: "://") else {
            return .failure(Problem(message: "must include a scheme (for example `https://\(text)`)"))
        }
        let scheme = text[..<sep.lowerBound].lowercased()
        guard
            scheme == "*"
                || (scheme.first?.isLetter == true
                    && scheme.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) })
        else { return .failure(Problem(message: "has `\(scheme)`, which is not a URL scheme")) }
        var rest = text[sep.upperBound...]
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        guard !rest.isEmpty else { return .failure(Problem(message: "has no host")) }
        guard !rest.contains("/") else {
            return .failure(Problem(message: "must not include a path (allowed hosts are scheme://host[:port])"))
        }
        var host = rest
        var port: PortSpec = .schemeDefault
        if rest.first == "[" {
            guard let close = rest.firstIndex(of: "]") else {
                return .failure(Problem(message: "has an IPv6 address without its closing `]`"))
            }
            host = rest[rest.index(after: rest.startIndex)..<close]
            guard !host.isEmpty, host.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else {
                return .failure(Problem(message: "has `[\(host)]`, which is not an IPv6 address"))
            }
            let after = rest[rest.index(after: close)...]
            if after.hasPrefix(":") {
                guard let p = Self.port(after.dropFirst()) else { return .failure(badPort(after.dropFirst())) }
                port = p
            } else if !after.isEmpty {
                return .failure(Problem(message: "has `\(after)` after the IPv6 address"))
            }
        } else if let c = rest.lastIndex(of: ":") {
            host = rest[..<c]
            let p = rest[rest.index(after: c)...]
            guard let parsed = Self.port(p) else { return .failure(badPort(p)) }
            port = parsed
        }
        let h = host.lowercased()
        if h == "self" {
            return .success(([], scheme == "http" || scheme == "https" || scheme == "*"))
        }
        guard !h.isEmpty else { return .failure(Problem(message: "has no host")) }
        let name = h.hasPrefix("*.") ? h.dropFirst(2) : Substring(h)
        guard
            h == "*" || rest.first == "["
                || (!name.isEmpty
                    && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-._".contains($0)) })
        else {
            return .failure(
                Problem(
                    message:
                        "has `\(host)`, which is not a host name (letters, digits, `-`, `.`; `*` or `*.` for wildcards)"
                ))
        }
        return .success(([Entry(scheme: scheme, host: h, port: port)], false))
    }

    static func badPort(_ text: Substring) -> Problem {
        Problem(
            message:
                "has `\(text)`, which is not a port (a number from 0 to 65535, `*`, or a range such as `8000..8080`)")
    }

    static func port(_ s: Substring) -> PortSpec? {
        if s == "*" { return .any }
        if let r = s.range(of: "..") {
            guard let lo = Int(s[..<r.lowerBound]), let hi = Int(s[r.upperBound...]), 0 <= lo, lo <= hi, hi <= 65535
            else { return nil }
            return .range(lo, hi)
        }
        guard let p = Int(s), (0...65535).contains(p) else { return nil }
        return .range(p, p)
    }

    /// Whether a request to `url` is allowed.
    package func allows(_ url: ParsedURL) -> Bool {
        guard let port = url.effectivePort else { return false }
        return entries.contains { e in
            guard e.scheme == "*" || e.scheme == url.scheme else { return false }
            let hostOK: Bool
            if e.host == "*" {
                hostOK = true
            } else if e.host.hasPrefix("*.") {
                hostOK = url.host.hasSuffix(String(e.host.dropFirst(1)))
            } else {
                hostOK = e.host == url.host
            }
            guard hostOK else { return false }
            switch e.port {
            case .any: return true
            case .range(let lo, let hi): return (lo...hi).contains(port)
            case .schemeDefault:
                let d = ParsedURL.defaultPort(of: e.scheme == "*" ? url.scheme : e.scheme)
                return d == port
            }
        }
    }

    /// The absolute URL a guest's `uri` goes to, or why it may not.
    /// `origin` is the incoming request's `scheme://authority` (for `self`).
    package func resolve(uri: String, origin: String?) -> Result<String, OutboundHTTPError> {
        if uri.hasPrefix("/") {
            guard allowsSelf else {
                return .failure(.destinationNotAllowed("relative URI \(uri) requires `self` in allowed_outbound_hosts"))
            }
            guard let origin, ParsedURL(origin + uri) != nil else {
                return .failure(.invalidURL("relative URI \(uri) but the incoming request's origin is unknown"))
            }
            return .success(origin + uri)
        }
        guard let url = ParsedURL(uri) else { return .failure(.invalidURL(uri)) }
        guard url.scheme == "http" || url.scheme == "https" else {
            return .failure(.destinationNotAllowed("\(uri): only http and https are supported"))
        }
        guard allows(url) else { return .failure(.destinationNotAllowed(uri)) }
        return .success(uri)
    }
}
