import HTTP1

/// A component route as Spin 1.x (v0.9 – v2.4) understands it (docs/spin-1x.md#http-routing).
package enum RoutePattern: Sendable, Hashable, CustomStringConvertible {
    /// Matches exactly this path (after one trailing `/` is stripped from the request path).
    case exact(String)
    /// Matches this prefix and everything below it (`<prefix>/...`).
    case wildcard(String)

    /// Builds the pattern for `route` under the application `base`:
    /// `sanitize(base) + sanitize(absolutize(route))`; a trailing `/...` makes it a wildcard.
    package static func from(base: String, route: String) -> RoutePattern {
        let full = sanitize(base) + sanitize(absolutize(route))
        if full.hasSuffix("/...") {
            return .wildcard(String(full.dropLast(4)))
        }
        return .exact(full)
    }

    /// Strips exactly one trailing `/`.
    package static func sanitize(_ s: String) -> String {
        s.hasSuffix("/") ? String(s.dropLast()) : s
    }

    /// Prepends `/` when missing (Spin v1.3+).
    package static func absolutize(_ s: String) -> String {
        s.hasPrefix("/") ? s : "/" + s
    }

    /// `sanitize(base) + sanitize(route)`: the value of `spin-matched-route`.
    package static func sanitizeWithBase(_ base: String, _ route: String) -> String {
        sanitize(base) + sanitize(route)
    }

    /// Whether a raw request path (no query) matches.
    package func matches(path: String) -> Bool {
        let p = RoutePattern.sanitize(path)
        switch self {
        case .exact(let x): return p == x
        case .wildcard(let x): return p == x || p.hasPrefix(x + "/")
        }
    }

    /// The exact path or the wildcard prefix.
    package var pathOrPrefix: String {
        switch self {
        case .exact(let s), .wildcard(let s): return s
        }
    }

    /// The pattern with a trailing `/...` for wildcards.
    package var fullPattern: String {
        switch self {
        case .exact(let s): return s
        case .wildcard(let s): return s + "/..."
        }
    }

    /// `fullPattern`, but `/` for the empty exact pattern (as Spin's duplicate warning prints it).
    package var fullPatternNonEmpty: String {
        if case .exact(let s) = self, s.isEmpty { return "/" }
        return fullPattern
    }

    /// The request path with the exact path / prefix removed; `""` when it is not a prefix.
    package func relative(path: String) -> String {
        let base = pathOrPrefix
        return path.hasPrefix(base) ? String(path.dropFirst(base.count)) : ""
    }

    /// As Spin displays routes: `/path`, or `<prefix> (wildcard)`.
    package var description: String {
        switch self {
        case .exact(let s): return s
        case .wildcard(let s): return "\(s) (wildcard)"
        }
    }
}

/// One routing entry: which component serves which pattern.
package struct RouteEntry: Sendable, Equatable {
    package var componentID: String
    package var pattern: RoutePattern
    /// The component's `route` exactly as written in the manifest.
    package var rawRoute: String

    package init(componentID: String, pattern: RoutePattern, rawRoute: String) {
        self.componentID = componentID
        self.pattern = pattern
        self.rawRoute = rawRoute
    }
}

/// A route that lost to a later component with an identical pattern.
package struct DuplicateRoute: Sendable, Equatable {
    package var replacedID: String
    package var pattern: RoutePattern
    package var effectiveID: String
}

/// Spin 1.x HTTP router: exact routes first (in manifest order), then the longest wildcard prefix.
package struct Router: Sendable {
    package let base: String
    /// Entries in manifest order after de-duplication (a duplicate keeps the first one's slot).
    package let entries: [RouteEntry]
    /// Patterns declared more than once: the last declaration wins.
    package let duplicates: [DuplicateRoute]

    /// - Parameter routes: `(component id, route)` pairs in manifest order.
    package init(base: String = "/", routes: [(componentID: String, route: String)]) {
        self.base = base
        var entries: [RouteEntry] = []
        var slot: [RoutePattern: Int] = [:]
        var duplicates: [DuplicateRoute] = []
        for (id, route) in routes {
            let pattern = RoutePattern.from(base: base, route: route)
            let entry = RouteEntry(componentID: id, pattern: pattern, rawRoute: route)
            if let i = slot[pattern] {
                duplicates.append(DuplicateRoute(replacedID: entries[i].componentID, pattern: pattern, effectiveID: id))
                entries[i] = entry
            } else {
                slot[pattern] = entries.count
                entries.append(entry)
            }
        }
        self.entries = entries
        self.duplicates = duplicates
    }

    /// The entry serving a raw request path (no query), or nil (⇒ 404).
    package func route(path: String) -> RouteEntry? {
        var best: RouteEntry?
        var bestLength = -1
        for entry in entries where entry.pattern.matches(path: path) {
            switch entry.pattern {
            case .exact:
                return entry
            case .wildcard(let prefix):
                if prefix.count >= bestLength {
                    best = entry
                    bestLength = prefix.count
                }
            }
        }
        return best
    }

    /// The lines Spin logs (at error level) at startup when patterns are duplicated; empty otherwise.
    package var duplicateWarningLines: [String] {
        guard !duplicates.isEmpty else { return [] }
        return ["The following component routes are duplicates and will never be used:"]
            + duplicates.map {
                "  \($0.replacedID): \($0.pattern.fullPatternNonEmpty) (duplicate of \($0.effectiveID))"
            }
    }
}

// MARK: - Reserved `/.well-known/spin/` routes

package enum SpinWellKnown {
    package static let prefix = "/.well-known/spin/"

    /// Answers requests under `/.well-known/spin/` (checked before routing, not base-prefixed):
    /// `health` ⇒ 200 `OK`, `info` ⇒ pretty JSON, anything else ⇒ 404. Nil for other paths.
    package static func response(
        path: String, appName: String, appVersion: String?,
        bindleVersion: String? = nil
    ) -> HTTPResponse? {
        guard path.hasPrefix(prefix) else { return nil }
        switch path.dropFirst(prefix.count) {
        case "health":
            return HTTPResponse(status: 200, text: "OK")
        case "info":
            return HTTPResponse(
                status: 200, headers: [("content-type", "application/json")],
                text: infoJSON(appName: appName, appVersion: appVersion, bindleVersion: bindleVersion))
        default:
            return HTTPResponse(status: 404)
        }
    }

    /// `{"name": ..., "version": ..., "bindle_version": ...}` pretty-printed like serde_json.
    package static func infoJSON(appName: String, appVersion: String?, bindleVersion: String? = nil) -> String {
        func value(_ s: String?) -> String { s.map(jsonString) ?? "null" }
        return
            "{\n  \"name\": \(jsonString(appName)),\n  \"version\": \(value(appVersion)),\n  \"bindle_version\": \(value(bindleVersion))\n}"
    }

    static func jsonString(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

// MARK: - Special `spin-*` headers / WAGI variables (docs/spin-1x.md#spin-headers)

/// One special value, with its Spin header name and WAGI environment variable name.
package struct SpinSpecialValue: Sendable, Equatable {
    package var header: String
    package var wagiVariable: String
    package var value: String
}

package enum SpinSpecialHeaders {
    /// Computes the values Spin appends after the client's headers, in Spin's order:
    /// path-info, full-url, matched-route, base-path, raw-component-route, component-route, client-addr.
    ///
    /// - Parameters:
    ///   - path: raw request path (no query); `pathAndQuery` the raw path with `?query` if any.
    ///   - host: the request's `Host` header, if any (`localhost` is used otherwise).
    ///   - scheme: `http` (or `https` behind TLS).
    ///   - base: the application base verbatim; `rawRoute`: the component route verbatim.
    ///   - clientAddress: peer address like `127.0.0.1:53412`.
    package static func compute(
        path: String, pathAndQuery: String, host: String?, scheme: String = "http",
        base: String, rawRoute: String, clientAddress: String
    ) -> [SpinSpecialValue] {
        let pattern = RoutePattern.from(base: base, route: rawRoute)
        let componentRoute = rawRoute.hasSuffix("/...") ? String(rawRoute.dropLast(4)) : rawRoute
        return [
            .init(header: "spin-path-info", wagiVariable: "PATH_INFO", value: pattern.relative(path: path)),
            .init(
                header: "spin-full-url", wagiVariable: "X_FULL_URL",
                value: "\(scheme)://\(host ?? "localhost")\(pathAndQuery)"),
            .init(
                header: "spin-matched-route", wagiVariable: "X_MATCHED_ROUTE",
                value: RoutePattern.sanitizeWithBase(base, rawRoute)),
            .init(header: "spin-base-path", wagiVariable: "X_BASE_PATH", value: base),
            .init(header: "spin-raw-component-route", wagiVariable: "X_RAW_COMPONENT_ROUTE", value: rawRoute),
            .init(header: "spin-component-route", wagiVariable: "X_COMPONENT_ROUTE", value: componentRoute),
            .init(header: "spin-client-addr", wagiVariable: "X_CLIENT_ADDR", value: clientAddress),
        ]
    }

    /// The values for a request routed to `entry` by a router with `base`.
    package static func compute(
        for request: HTTPRequest, entry: RouteEntry, base: String,
        scheme: String = "http"
    ) -> [SpinSpecialValue] {
        let pathAndQuery = request.query.map { "\(request.path)?\($0)" } ?? request.path
        return compute(
            path: request.path, pathAndQuery: pathAndQuery, host: request.header("host"),
            scheme: scheme, base: base, rawRoute: entry.rawRoute, clientAddress: request.remoteAddress)
    }

    /// The request's headers followed by the special `spin-*` headers.
    package static func headersForGuest(
        _ request: HTTPRequest, entry: RouteEntry, base: String,
        scheme: String = "http"
    ) -> HTTPHeaders {
        request.headers + compute(for: request, entry: entry, base: base, scheme: scheme).map { ($0.header, $0.value) }
    }
}

// MARK: - `spin up` route listing (docs/spin-1x.md#cli)

package struct RouteListingItem: Sendable {
    package var componentID: String
    package var pattern: RoutePattern
    package var description: String?

    package init(componentID: String, pattern: RoutePattern, description: String? = nil) {
        self.componentID = componentID
        self.pattern = pattern
        self.description = description
    }
}

package enum SpinRouteListing {
    /// The text `spin up` prints, starting with a blank line:
    ///
    ///     (blank)
    ///     Serving http://127.0.0.1:3000
    ///     Available Routes:
    ///       hello: http://127.0.0.1:3000/hello
    ///         optional description
    ///       all: http://127.0.0.1:3000 (wildcard)
    ///
    /// Every line ends in `\n`.
    package static func format(baseURL: String, routes: [RouteListingItem]) -> String {
        var out = "\nServing \(baseURL)\nAvailable Routes:\n"
        for item in routes {
            out += "  \(item.componentID): \(baseURL)\(item.pattern)\n"
            if let d = item.description {
                out += "    \(d)\n"
            }
        }
        return out
    }

    /// The listing for a router's entries, with descriptions looked up by component id.
    package static func format(baseURL: String, router: Router, descriptions: [String: String] = [:]) -> String {
        format(
            baseURL: baseURL,
            routes: router.entries.map {
                RouteListingItem(
                    componentID: $0.componentID, pattern: $0.pattern, description: descriptions[$0.componentID])
            })
    }

    /// `http://<address>` for a listen address like `127.0.0.1:3000`.
    package static func baseURL(listenAddress: String, scheme: String = "http") -> String {
        "\(scheme)://\(listenAddress)"
    }
}

// MARK: - Composing the trigger's handler

package enum SpinHTTPDispatch {
    /// The server handler for a Spin app: `/.well-known/spin/*` first, then the router;
    /// no route ⇒ 404 with an empty body; otherwise `execute(request, entry)` (the executor
    /// adds the `spin-*` headers with `SpinSpecialHeaders` and maps its failures to 500).
    package static func handler(
        router: Router, appName: String, appVersion: String?,
        execute: @escaping @Sendable (HTTPRequest, RouteEntry) -> HTTPResponse
    ) -> HTTPHandler {
        { request in
            if let reserved = SpinWellKnown.response(path: request.path, appName: appName, appVersion: appVersion) {
                return reserved
            }
            guard let entry = router.route(path: request.path) else { return HTTPResponse(status: 404) }
            return execute(request, entry)
        }
    }
}
