import Foundation
import SpinHost

/// The hook `spin up` calls for an application that is not a local file or directory:
/// `--from REFERENCE` (when `isProbablyReference` says so) and `--from-registry REFERENCE`.
/// 
enum RegistryApplications {
    /// What a registry failure throws.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Whether `source` (which names no existing file or directory) looks like a registry
    /// reference: `[host[:port]/]name[:tag][@digest]` with a `/`, `:` or `@`.
    static func isProbablyReference(_ source: String) -> Bool {
        guard !source.isEmpty, !source.hasPrefix("/"), !source.hasPrefix("."), !source.contains(" ") else {
            return false
        }
        if source.hasSuffix(".toml") || source.hasSuffix(".wasm") || source.hasSuffix(".wat") { return false }
        return source.contains("/") || source.contains(":") || source.contains("@")
    }

    /// The application at `reference`, pulled (`insecure`: `-k`, `cacheDirectory`:
    /// `--cache-dir`): its locked app is pulled into the cache (digests checked) and read as
    /// an `AppManifest` (SpinHost/Registry).
    static func load(reference: String, insecure: Bool, cacheDirectory: String?) throws -> AppManifest {
        try RegistryApp.manifest(reference: reference, insecure: insecure, cache: RegistryCache(root: cacheDirectory))
    }
}
