import Foundation
import SpinHost

/// Modification times and sizes of a set of files, to notice changes by polling.
package struct FileSnapshot: Equatable, Sendable {
    package struct Stamp: Equatable, Sendable {
        var modified: Double
        var size: UInt64
    }

    package var stamps: [String: Stamp] = [:]

    package init() {}

    package init(paths: [String]) {
        for p in paths { stamps[p] = Self.stamp(p) }
    }

    static func stamp(_ path: String) -> Stamp? {
        guard let a = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
        let m = (a[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        let s = (a[.size] as? NSNumber)?.uint64Value ?? 0
        return Stamp(modified: m, size: s)
    }

    /// Paths added, removed or changed between `self` and `other`.
    package func changes(to other: FileSnapshot) -> [String] {
        var out: Set<String> = []
        for (k, v) in stamps where other.stamps[k] != v { out.insert(k) }
        for k in other.stamps.keys where stamps[k] == nil { out.insert(k) }
        return out.sorted()
    }
}

/// What `spin watch` watches for an application: the manifest, each
/// component's `build.watch` globs (relative to its workdir, else the
/// manifest directory) and each component's `files` mounts.
package struct WatchPlan: Sendable {
    package var manifestPath: String
    /// Per component id: the build.watch patterns, resolved.
    package var buildPatterns: [(component: String, base: String, patterns: [String])]
    /// Asset patterns from `files`, resolved against the manifest directory.
    package var assetPatterns: [(base: String, pattern: String)]

    package init(app: AppManifest, manifestPath: String) {
        self.manifestPath = manifestPath
        buildPatterns = app.components.compactMap { c in
            guard let b = c.build, !b.watch.isEmpty else { return nil }
            let base =
                b.workdir.map {
                    URL(fileURLWithPath: app.baseDirectory).appendingPathComponent($0).standardizedFileURL.path
                } ?? app.baseDirectory
            return (c.id, base, b.watch)
        }
        assetPatterns = app.components.flatMap { c in
            c.files.map { f -> (String, String) in
                switch f {
                case .pattern(let p): return (app.baseDirectory, p)
                case .placement(let source, _): return (app.baseDirectory, source)
                }
            }
        }
    }

    /// Watches only the manifest (while it does not load).
    package init(manifestPath: String) {
        self.manifestPath = manifestPath
        buildPatterns = []
        assetPatterns = []
    }

    package func manifestSnapshot() -> FileSnapshot { FileSnapshot(paths: [manifestPath]) }

    package func buildSnapshot(component: String) -> FileSnapshot {
        var paths: [String] = []
        for entry in buildPatterns where entry.component == component {
            for p in entry.patterns { paths += Glob.files(p, base: entry.base) }
        }
        return FileSnapshot(paths: paths)
    }

    package func assetSnapshot() -> FileSnapshot {
        FileSnapshot(paths: assetPatterns.flatMap { Glob.files($0.pattern, base: $0.base) })
    }
}
