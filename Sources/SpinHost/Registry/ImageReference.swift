/// An OCI image reference, `[REGISTRY/]REPOSITORY[:TAG][@DIGEST]`, read with Docker's rules:
/// the first path segment is the registry when it has a `.` or `:` or is `localhost`;
/// otherwise the registry is Docker Hub (`docker.io`, `library/` for one-segment names).
public struct ImageReference: Hashable, Sendable, CustomStringConvertible {
    /// `host[:port]` as written (`docker.io` for Docker Hub).
    public var registry: String
    /// The repository path, e.g. `team/app`.
    public var repository: String
    /// The tag; nil when absent (`latest` is used unless a digest is given).
    public var tag: String?
    /// `sha256:<hex>` when the reference pins a digest.
    public var digest: String?

    /// Parses `text`; the error names what is wrong with it.
    public init(parsing text: String) throws(RegistryError) {
        func fail(_ why: String) -> RegistryError { RegistryError("invalid registry reference `\(text)`: \(why)") }
        var rest = Substring(text)
        if rest.hasPrefix("oci://") { rest = rest.dropFirst(6) }
        guard !rest.isEmpty else { throw fail("it is empty") }
        if let at = rest.firstIndex(of: "@") {
            let d = String(rest[rest.index(after: at)...])
            guard Self.isDigest(d) else { throw fail("the digest must be `sha256:` and 64 hex digits, found `\(d)`") }
            digest = d
            rest = rest[..<at]
        }
        let segments = rest.split(separator: "/", omittingEmptySubsequences: false)
        var path = Array(segments)
        if segments.count > 1, segments[0].contains(".") || segments[0].contains(":") || segments[0] == "localhost" {
            registry = String(segments[0])
            path = Array(segments.dropFirst())
        } else {
            registry = "docker.io"
        }
        if let last = path.last, let colon = last.lastIndex(of: ":") {
            let t = String(last[last.index(after: colon)...])
            guard !t.isEmpty, t.count <= 128, t.first != "." && t.first != "-",
                t.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) })
            else { throw fail("invalid tag `\(t)`") }
            tag = t
            path[path.index(before: path.endIndex)] = last[..<colon]
        }
        guard !path.isEmpty else { throw fail("no repository name") }
        for s in path {
            guard !s.isEmpty,
                s.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || "._-".contains($0)) }),
                s.first!.isLetter || s.first!.isNumber
            else {
                throw fail(
                    "repository segment `\(s)` must be lower-case letters, digits and . _ - (starting with a letter or digit)"
                )
            }
        }
        repository = path.joined(separator: "/")
        if registry == "docker.io" && path.count == 1 { repository = "library/" + repository }
    }

    /// Whether `text` names a registry explicitly (`host.name/…`, `host:port/…`, `localhost/…`)
    /// and parses as a reference: how `spin up --from` tells a registry app from a missing file.
    public static func looksLikeReference(_ text: String) -> Bool {
        guard let slash = text.firstIndex(of: "/"), slash != text.startIndex else { return false }
        let host = text[..<slash]
        guard host.contains(".") || host.contains(":") || host == "localhost" else { return false }
        guard !text.hasSuffix(".toml"), !text.hasSuffix(".wasm") else { return false }
        return (try? ImageReference(parsing: text)) != nil
    }

    /// Whether `text` is `sha256:` and 64 lower-case hex digits.
    package static func isDigest(_ text: String) -> Bool {
        guard text.hasPrefix("sha256:") else { return false }
        let hex = text.dropFirst(7)
        return hex.count == 64 && hex.allSatisfy { $0.isHexDigit && !$0.isUppercase }
    }

    /// What the manifest is fetched by: the digest, else the tag, else `latest`.
    package var manifestReference: String { digest ?? tag ?? "latest" }

    /// The reference written out in full, e.g. `127.0.0.1:5000/app:v1`.
    public var description: String {
        var s = registry + "/" + repository
        if let tag { s += ":" + tag }
        if let digest { s += "@" + digest }
        return s
    }
}
