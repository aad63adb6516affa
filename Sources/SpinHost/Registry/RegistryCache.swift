import Foundation

/// The local content-addressed cache, in Spin's layout under its cache folder
/// (`--cache-dir`, else `$XDG_CACHE_HOME/spin`, else `~/.cache/spin`):
///
/// - `registry/manifests/REGISTRY/REPOSITORY/TAG/manifest.json` and `config.json` (the locked app)
/// - `registry/wasm/sha256:HEX`: Wasm modules (registry layers and `source.url` downloads)
/// - `registry/data/sha256:HEX`: static files
///
/// Content is written only after its digest has been checked, through a temporary file
/// renamed into place, so a reader never sees a partial or unchecked file.
public struct RegistryCache: Sendable {
    /// The cache folder (holding `registry/`).
    public var root: String

    /// The cache at `root` (`--cache-dir`), else at Spin's default folder.
    public init(root: String? = nil) {
        if let root, !root.isEmpty {
            self.root = root
        } else {
            let env = ProcessInfo.processInfo.environment
            let base = env["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (NSHomeDirectory() + "/.cache")
            self.root = base + "/spin"
        }
    }

    package var manifestsDirectory: String { root + "/registry/manifests" }
    package var wasmDirectory: String { root + "/registry/wasm" }
    package var dataDirectory: String { root + "/registry/data" }

    /// The folder holding `manifest.json` and `config.json` for `reference`.
    package func manifestDirectory(for reference: ImageReference) -> String {
        manifestsDirectory + "/" + reference.registry + "/" + reference.repository + "/"
            + (reference.digest ?? reference.tag ?? "latest")
    }

    package func wasmPath(_ digest: String) -> String { wasmDirectory + "/" + digest }
    package func dataPath(_ digest: String) -> String { dataDirectory + "/" + digest }

    /// Whether `path` holds content with `digest` (re-hashed, so a damaged entry is fetched again).
    package func holds(_ path: String, digest: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: path) else { return false }
        return Digest.sha256([UInt8](data)) == digest
    }

    /// Writes `bytes` to `path` atomically, creating its folder.
    package func write(_ bytes: [UInt8], to path: String) throws(RegistryError) {
        let dir = (path as NSString).deletingLastPathComponent
        let temporary = path + ".partial-\(getpid())"
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try Data(bytes).write(to: URL(fileURLWithPath: temporary))
            if rename(temporary, path) != 0 {
                throw RegistryError("rename to \(path): \(String(cString: strerror(errno)))")
            }
        } catch let error as RegistryError {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw RegistryError("cannot write \(path) in the registry cache: \(error.localizedDescription)")
        }
    }
}
