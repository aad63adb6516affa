import Foundation
import SpinHost

/// How `spin up --from X` (and `-f X`) picks the app: a file or folder that exists is a local
/// app; otherwise an argument naming a registry (`127.0.0.1:5000/app:v1`, `ghcr.io/o/app:1`)
/// is pulled (`RegistryApp.load`); anything else is read as a manifest path (and fails as one).
enum RegistryAppSource {
    /// Loads the app `from` names. `fromRegistry` (Spin's `--from-registry`) forces a pull.
    static func load(
        _ from: String, options: AppLoadOptions, fromRegistry: Bool = false, insecure: Bool = false,
        cacheDirectory: String? = nil
    ) throws -> LoadedApp {
        if fromRegistry || (!FileManager.default.fileExists(atPath: from) && ImageReference.looksLikeReference(from)) {
            return try RegistryApp.load(
                reference: from, options: options, insecure: insecure, cache: RegistryCache(root: cacheDirectory))
        }
        return try LoadedApp.load(path: from, options: options)
    }
}
