import Foundation

/// A component's outbound allow-list (`Component.allowedOutboundHosts`: the
/// v2 `allowed_outbound_hosts` plus v1 `allowed_http_hosts` normalised by
/// `Compat.outboundHosts`), with §7.2's matching rules:
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
            let text = raw.trimmingCharacters(in: .whitespaces)
            if text == "insecure:allow-all" {
                entries.append(Entry(scheme: "http", host: "*", port: .any))
                entries.append(Entry(scheme: "https", host: "*", port: .any))
                allowsSelf = true
                continue
            }
            if text == "self" { allowsSelf = true; continue }
            guard let sep = text.range(of: "://") else { ignored.append(raw); continue }
            let scheme = text[..<sep.lowerBound].lowercased()
            var rest = text[sep.upperBound...]
            if rest.hasSuffix("/") { rest = rest.dropLast() }
            guard !rest.contains("/"), !rest.isEmpty else { ignored.append(raw); continue }
            var host = rest
            var port: PortSpec = .schemeDefault
            if rest.first == "[" {
                guard let close = rest.firstIndex(of: "]") else { ignored.append(raw); continue }
                host = rest[rest.index(after: rest.startIndex)..<close]
                let after = rest[rest.index(after: close)...]
                if after.hasPrefix(":") {
                    guard let p = Self.port(after.dropFirst()) else { ignored.append(raw); continue }
                    port = p
                }
            } else if let c = rest.lastIndex(of: ":") {
                host = rest[..<c]
                guard let p = Self.port(rest[rest.index(after: c)...]) else { ignored.append(raw); continue }
                port = p
            }
            let h = host.lowercased()
            if h == "self" {
                if scheme == "http" || scheme == "https" || scheme == "*" { allowsSelf = true }
                continue
            }
            entries.append(Entry(scheme: scheme, host: h, port: port))
        }
        self.entries = entries
        self.allowsSelf = allowsSelf
        self.ignored = ignored
    }

    static func port(_ s: Substring) -> PortSpec? {
        if s == "*" { return .any }
        if let r = s.range(of: "..") {
            guard let lo = Int(s[..<r.lowerBound]), let hi = Int(s[r.upperBound...]), lo <= hi else { return nil }
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
