import Foundation
import TOML

/// Loads `spin.toml` (v1 or v2) into an `AppManifest`.
///
/// ```swift
/// let app = try Manifest.load(path: "examples/hello/spin.toml")   // or a directory holding spin.toml
/// for t in app.httpTriggers { ... app.component(id: t.componentID) ... }
/// ```
/// Every problem is a `ManifestError` whose description names the file and
/// line ("spin.toml:12: unknown key `rout` in [component.trigger] ...").
public enum Manifest {
    public static let defaultFileName = "spin.toml"

    /// Loads a manifest file, or `<dir>/spin.toml` when `path` is a directory.
    public static func load(path: String) throws(ManifestError) -> AppManifest {
        var file = path
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue {
            file = (path as NSString).appendingPathComponent(defaultFileName)
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            throw ManifestError(.io, "cannot read manifest: \(error.localizedDescription)", file: file)
        }
        return try parse(bytes: [UInt8](data), path: file)
    }

    public static func load(fileURL: URL) throws(ManifestError) -> AppManifest {
        try load(path: fileURL.path)
    }

    /// Parses manifest text. `path` names the file in messages and its
    /// directory is the base for relative paths.
    public static func parse(_ text: String, path: String = defaultFileName) throws(ManifestError) -> AppManifest {
        try parse(bytes: Array(text.utf8), path: path)
    }

    public static func parse(bytes: [UInt8], path: String) throws(ManifestError) -> AppManifest {
        let table: TOMLTable
        do {
            table = try TOML.parse(bytes: bytes)
        } catch {
            throw ManifestError(
                .syntax, "TOML error at column \(error.column): \(error.message)", file: path, position: error.position)
        }
        let base = URL(fileURLWithPath: path).deletingLastPathComponent().standardizedFileURL.path
        let ctx = ManifestContext(file: path, baseDirectory: base)
        switch try detectVersion(table, ctx) {
        case .v1: return try ManifestV1.read(table, ctx)
        case .v2: return try ManifestV2.read(table, ctx)
        }
    }

    /// `spin_manifest_version` / `spin_version`: the STRING "1" is v1, the
    /// INTEGER 2 is v2; everything else is rejected with a specific message.
    static func detectVersion(_ t: TOMLTable, _ ctx: ManifestContext) throws(ManifestError) -> AppManifest.SchemaVersion
    {
        let a = t["spin_manifest_version"], b = t["spin_version"]
        if a != nil && b != nil {
            throw ctx.error(
                .duplicate,
                "`spin_manifest_version` and `spin_version` are the same setting; keep only `spin_manifest_version`",
                at: t.keyPosition("spin_version"), key: "spin_version")
        }
        let key = a != nil ? "spin_manifest_version" : "spin_version"
        guard let v = a ?? b else {
            throw ctx.error(
                .unsupportedVersion,
                "missing `spin_manifest_version` (use `spin_manifest_version = 2`, or the string \"1\" for a v1 manifest)",
                at: TOMLPosition(line: 1, column: 1), key: "spin_manifest_version")
        }
        let at = t.keyPosition(key)
        switch v {
        case .string("1"):
            return .v1
        case .integer(2) where key == "spin_manifest_version":
            return .v2
        case .integer(2):
            throw ctx.error(
                .unsupportedVersion, "`spin_version = 2` is not valid: a v2 manifest uses `spin_manifest_version = 2`",
                at: at, key: key)
        case .integer(1):
            throw ctx.error(
                .unsupportedVersion,
                "`\(key) = 1` must be the string \"1\" (write `\(key) = \"1\"`), or use `spin_manifest_version = 2` for a v2 manifest",
                at: at, key: key)
        case .string("2"):
            throw ctx.error(
                .unsupportedVersion, "`\(key) = \"2\"` must be the integer 2 (write `spin_manifest_version = 2`)",
                at: at, key: key)
        case .string(let s):
            throw ctx.error(
                .unsupportedVersion, "unsupported manifest version \"\(s)\" (supported: \"1\" and 2)", at: at, key: key)
        case .integer(let n):
            throw ctx.error(
                .unsupportedVersion, "unsupported manifest version \(n) (supported: \"1\" and 2)", at: at, key: key)
        default:
            throw ctx.error(
                .wrongType, "`\(key)` must be the string \"1\" or the integer 2, found \(v.typeName)", at: at, key: key)
        }
    }
}

/// Per-file state shared by the v1 and v2 readers.
struct ManifestContext {
    let file: String
    let baseDirectory: String

    func error(_ kind: ManifestError.Kind, _ message: String, at: TOMLPosition?, key: String? = nil) -> ManifestError {
        ManifestError(kind, message, file: file, position: at, key: key)
    }

    func reader(_ t: TOMLTable, _ section: String) -> TableReader {
        TableReader(t, section: section, file: file)
    }

    /// Absolute, standardized path for a manifest-relative path.
    func resolve(_ path: String) -> String {
        if path.hasPrefix("/") { return URL(fileURLWithPath: path).standardizedFileURL.path }
        return URL(fileURLWithPath: baseDirectory, isDirectory: true).appendingPathComponent(path).standardizedFileURL
            .path
    }
}
