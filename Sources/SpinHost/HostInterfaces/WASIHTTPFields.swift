/// `header-error` of `wasi:http/types` 0.2 (raw value: the variant case).
public enum HTTPHeaderError: Int, Error, Sendable, Equatable {
    case invalidSyntax = 0
    case forbidden = 1
    case immutable = 2
}

/// A `fields` resource of `wasi:http/types` (headers or trailers), with wasmtime's rules:
/// names are HTTP tokens, kept lower-case; values are visible ASCII, obs-text, space or tab;
/// hop-by-hop names (`connection`, `transfer-encoding`, …) are forbidden; fields that belong
/// to a request or response (`incoming-request.headers`, …) are immutable.
public final class HTTPFields {
    /// In insertion order; names lower-case.
    public private(set) var entries: [(name: String, value: [UInt8])]
    public let isImmutable: Bool

    /// Names a guest may neither set nor read from an incoming request (wasmtime's
    /// `DEFAULT_FORBIDDEN_HEADERS`).
    public static let forbiddenNames: Set<String> = [
        "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection", "te",
        "transfer-encoding", "upgrade", "http2-settings",
    ]

    public init(_ entries: [(name: String, value: [UInt8])] = [], immutable: Bool = false) {
        self.entries = entries
        self.isImmutable = immutable
    }

    /// Fields from a host request or response: names lower-cased, forbidden ones left out.
    public static func received(_ headers: [(name: String, value: String)], immutable: Bool = true) -> HTTPFields {
        HTTPFields(
            headers.compactMap { h in
                let name = h.name.lowercased()
                return forbiddenNames.contains(name) ? nil : (name, Array(h.value.utf8))
            }, immutable: immutable)
    }

    /// A mutable copy.
    public func copy() -> HTTPFields { HTTPFields(entries) }

    /// An immutable copy (what `headers()` of a request or response hands out).
    public func frozen() -> HTTPFields { HTTPFields(entries, immutable: true) }

    /// `from-list`.
    public static func fromList(_ list: [(name: String, value: [UInt8])]) throws(HTTPHeaderError) -> HTTPFields {
        let f = HTTPFields()
        for (name, value) in list { try f.append(name, value) }
        return f
    }

    /// The lower-case name, or `invalid-syntax` / `forbidden`.
    static func checkedName(_ name: String) throws(HTTPHeaderError) -> String {
        let lower = name.lowercased()
        guard !lower.isEmpty, lower.utf8.allSatisfy(SpinHTTPExecutor.isTokenByte) else { throw .invalidSyntax }
        if forbiddenNames.contains(lower) { throw .forbidden }
        return lower
    }

    /// Whether `value` may be a field value (as the `http` crate's `HeaderValue::from_bytes`).
    static func isValidValue(_ value: [UInt8]) -> Bool {
        value.allSatisfy { $0 == 0x09 || ($0 >= 0x20 && $0 != 0x7F) }
    }

    /// `get`: every value of `name` (none for an invalid name).
    public func get(_ name: String) -> [[UInt8]] {
        let lower = name.lowercased()
        return entries.filter { $0.name == lower }.map(\.value)
    }

    /// `has`.
    public func has(_ name: String) -> Bool {
        let lower = name.lowercased()
        return entries.contains { $0.name == lower }
    }

    /// `set`: replaces every value of `name`.
    public func set(_ name: String, _ values: [[UInt8]]) throws(HTTPHeaderError) {
        if isImmutable { throw .immutable }
        let lower = try Self.checkedName(name)
        guard values.allSatisfy(Self.isValidValue) else { throw .invalidSyntax }
        entries.removeAll { $0.name == lower }
        for v in values { entries.append((lower, v)) }
    }

    /// `delete`.
    public func delete(_ name: String) throws(HTTPHeaderError) {
        if isImmutable { throw .immutable }
        let lower = try Self.checkedName(name)
        entries.removeAll { $0.name == lower }
    }

    /// `append`.
    public func append(_ name: String, _ value: [UInt8]) throws(HTTPHeaderError) {
        if isImmutable { throw .immutable }
        let lower = try Self.checkedName(name)
        guard Self.isValidValue(value) else { throw .invalidSyntax }
        entries.append((lower, value))
    }

    /// The entries as host headers (values decoded as UTF-8, invalid sequences repaired).
    public var headers: [(name: String, value: String)] {
        entries.map { ($0.name, String(decoding: $0.value, as: UTF8.self)) }
    }
}
