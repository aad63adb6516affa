import Foundation

/// Glob patterns as Spin's `build.watch` and `files` use them: `*` and `?`
/// within one path segment, `**` for any number of segments, `[abc]` sets.
package enum Glob {
    package static func hasWildcard(_ s: some StringProtocol) -> Bool {
        s.contains { $0 == "*" || $0 == "?" || $0 == "[" }
    }

    /// Does `/`-separated `path` match `pattern`?
    package static func match(_ pattern: String, _ path: String) -> Bool {
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
    package static func files(_ pattern: String, base: String) -> [String] {
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
