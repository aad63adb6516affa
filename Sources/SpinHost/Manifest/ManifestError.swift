import TOML

/// An error loading `spin.toml` or a runtime config file. The description
/// names the file and line: "spin.toml:12: unknown key `rout` in [component.trigger]".
public struct ManifestError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        /// The file could not be read.
        case io
        /// TOML syntax error.
        case syntax
        /// A key the schema does not allow.
        case unknownKey
        /// A key with a value of the wrong TOML type.
        case wrongType
        /// A required key is absent.
        case missingKey
        /// A value of the right type but not allowed (bad id, bad URL, ...).
        case invalidValue
        /// Two components with one id, and similar.
        case duplicate
        /// `spin_manifest_version` missing or not supported.
        case unsupportedVersion
    }

    public var kind: Kind
    public var message: String
    /// The file as given by the caller.
    public var file: String
    public var line: Int?
    public var column: Int?
    /// The key the error is about, when there is one (`rout`, `component.trigger.route`).
    public var key: String?

    package init(_ kind: Kind, _ message: String, file: String, position: TOMLPosition? = nil, key: String? = nil) {
        self.kind = kind
        self.message = message
        self.file = file
        self.line = position?.line
        self.column = position?.column
        self.key = key
    }

    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }
}
