import Foundation

/// Glob patterns as Spin's `build.watch` and `files` use them: `*` and `?`
/// within one path segment, `**` for any number of segments, `[abc]` sets.
public enum Glob {
    public static func hasWildcard(_ s: some StringProtocol) -> Bool {
        s.contains { $0 == "*" || $0 == "?" || $0 == "[" }
    }

    /// Does `/`-separated `path` match `pattern`?
    public static func match(_ pattern: String, _ path: String) -> Bool {
        matchSegments(
            pattern.split(separator: "/", omittingEmptySubsequences: true)[...],
            path.split(separator: "/", omittingEmptySubsequences: true)[...])
    }

    static func matchSegments(_ p: ArraySlice<Substring>, _ s: ArraySlice<Substring>) -> Bool {
        guard let first = p.first else { return s.isEmpty }
        if first == "**" {
            let rest = p.dropFirst()
            var i = s.startIndex
            while true {
                if matchSegments(rest, s[i...]) { return true }
                if i == s.endIndex { return false }
                i += 1
            }
        }
        guard let seg = s.first, matchSegment(Array(first)[...], Array(seg)[...]) else { return false }
        return matchSegments(p.dropFirst(), s.dropFirst())
    }

    static func matchSegment(_ p: ArraySlice<Character>, _ s: ArraySlice<Character>) -> Bool {
        guard let c = p.first else { return s.isEmpty }
        switch c {
        case "*":
            var i = s.startIndex
            while true {
                if matchSegment(p.dropFirst(), s[i...]) { return true }
                if i == s.endIndex { return false }
                i += 1
            }
        case "?":
            return !s.isEmpty && matchSegment(p.dropFirst(), s.dropFirst())
        case "[":
            guard let close = p.dropFirst().firstIndex(of: "]"), let ch = s.first else {
                return s.first == "[" && matchSegment(p.dropFirst(), s.dropFirst())
            }
            var set = p[(p.startIndex + 1)..<close]
            let negate = set.first == "!" || set.first == "^"
            if negate { set = set.dropFirst() }
            var hit = false
            var i = set.startIndex
            while i < set.endIndex {
                if i + 2 < set.endIndex, set[i + 1] == "-" {
                    if set[i] <= ch && ch <= set[i + 2] { hit = true }
                    i += 3
                } else {
                    if set[i] == ch { hit = true }
                    i += 1
                }
            }
            return hit != negate && matchSegment(p[(close + 1)...], s.dropFirst())
        default:
            return s.first == c && matchSegment(p.dropFirst(), s.dropFirst())
        }
    }

    /// Files (not directories) under `base` matching `pattern` (relative to
    /// `base`, may start with `../`; an absolute pattern is taken as is).
    /// Returns absolute, standardized paths, sorted.
    public static func files(_ pattern: String, base: String) -> [String] {
        let absolute = pattern.hasPrefix("/") ? pattern : (base as NSString).appendingPathComponent(pattern)
        let segments = absolute.split(separator: "/")
        // Literal leading directory, then the wildcard rest.
        var root: [Substring] = []
        var i = 0
        while i < segments.count && !hasWildcard(segments[i]) { root.append(segments[i]); i += 1 }
        let rootPath = URL(fileURLWithPath: "/" + root.joined(separator: "/")).standardizedFileURL.path
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: rootPath, isDirectory: &isDir) else { return [] }
        if i == segments.count {
            // No wildcard: a file, or every file under a directory.
            if !isDir.boolValue { return [rootPath] }
            return walk(rootPath).map { (rootPath as NSString).appendingPathComponent($0) }
        }
        guard isDir.boolValue else { return [] }
        let rest = segments[i...].joined(separator: "/")
        return walk(rootPath).filter { match(rest, $0) }.map { (rootPath as NSString).appendingPathComponent($0) }
    }

    /// Relative paths of the regular files under `dir`, skipping `.git`.
    static func walk(_ dir: String) -> [String] {
        guard let e = FileManager.default.enumerator(atPath: dir) else { return [] }
        var out: [String] = []
        while let rel = e.nextObject() as? String {
            if (rel as NSString).lastPathComponent == ".git" { e.skipDescendants(); continue }
            if let type = e.fileAttributes?[.type] as? FileAttributeType, type == .typeDirectory { continue }
            out.append(rel)
        }
        return out.sorted()
    }
}

/// Modification times and sizes of a set of files, to notice changes by polling.
public struct FileSnapshot: Equatable, Sendable {
    public struct Stamp: Equatable, Sendable {
        var modified: Double
        var size: UInt64
    }

    public var stamps: [String: Stamp] = [:]

    public init() {}

    public init(paths: [String]) {
        for p in paths { stamps[p] = Self.stamp(p) }
    }

    static func stamp(_ path: String) -> Stamp? {
        guard let a = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
        let m = (a[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        let s = (a[.size] as? NSNumber)?.uint64Value ?? 0
        return Stamp(modified: m, size: s)
    }

    /// Paths added, removed or changed between `self` and `other`.
    public func changes(to other: FileSnapshot) -> [String] {
        var out: Set<String> = []
        for (k, v) in stamps where other.stamps[k] != v { out.insert(k) }
        for k in other.stamps.keys where stamps[k] == nil { out.insert(k) }
        return out.sorted()
    }
}

/// What `spin watch` watches for an application: the manifest, each
/// component's `build.watch` globs (relative to its workdir, else the
/// manifest directory) and each component's `files` mounts.
public struct WatchPlan: Sendable {
    public var manifestPath: String
    /// Per component id: the build.watch patterns, resolved.
    public var buildPatterns: [(component: String, base: String, patterns: [String])]
    /// Asset patterns from `files`, resolved against the manifest directory.
    public var assetPatterns: [(base: String, pattern: String)]

    public init(app: AppManifest, manifestPath: String) {
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
    public init(manifestPath: String) {
        self.manifestPath = manifestPath
        buildPatterns = []
        assetPatterns = []
    }

    public func manifestSnapshot() -> FileSnapshot { FileSnapshot(paths: [manifestPath]) }

    public func buildSnapshot(component: String) -> FileSnapshot {
        var paths: [String] = []
        for entry in buildPatterns where entry.component == component {
            for p in entry.patterns { paths += Glob.files(p, base: entry.base) }
        }
        return FileSnapshot(paths: paths)
    }

    public func assetSnapshot() -> FileSnapshot {
        FileSnapshot(paths: assetPatterns.flatMap { Glob.files($0.pattern, base: $0.base) })
    }
}
