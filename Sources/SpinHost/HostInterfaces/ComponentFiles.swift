import Foundation
import Glibc
import WasmWASI

/// A directory or file the WASI layer should preopen for a component.
package struct PreopenMount: Hashable, Sendable {
    package var hostPath: String
    package var guestPath: String
    package var readOnly: Bool

    package init(hostPath: String, guestPath: String, readOnly: Bool = true) {
        self.hostPath = hostPath
        self.guestPath = guestPath
        self.readOnly = readOnly
    }
}

package struct ComponentFilesError: Error, Equatable, Sendable, CustomStringConvertible {
    package var message: String
    package init(_ m: String) { message = m }
    package var description: String { message }
}

/// A component's `files` / `exclude_files` (docs/spin-1x.md#manifest-v1-component), the Spin 1.x way: the
/// selected files are copied into a per-component directory that is preopened
/// read-only at guest `/`.
public enum ComponentFiles {
    /// One selected file: its host path and its absolute guest path.
    package struct Entry: Hashable, Sendable {
        package var hostPath: String
        package var guestPath: String
    }

    /// The files `component` selects (paths relative to `baseDirectory`):
    /// string entries are globs (`**`, `*`, `?`, `[...]`), each matched
    /// *file* mounted at its relative path under `/`; placements copy a whole
    /// directory tree to `destination`. `exclude_files` globs (matched against
    /// the path relative to the app directory) win. Sorted by guest path; a
    /// later entry for the same guest path replaces an earlier one.
    package static func expand(_ component: Component, baseDirectory: String) throws(ComponentFilesError) -> [Entry] {
        let base = (baseDirectory as NSString).standardizingPath
        let excludes = component.excludeFiles.map { FileGlob($0) }
        func excluded(_ rel: String) -> Bool { excludes.contains { $0.matches(rel) } }
        var byGuest: [String: String] = [:]
        for mount in component.files {
            switch mount {
            case .pattern(let pattern):
                let p = pattern.hasPrefix("./") ? String(pattern.dropFirst(2)) : pattern
                guard !p.hasPrefix("/"), !p.split(separator: "/").contains("..") else {
                    throw ComponentFilesError(
                        "file pattern `\(pattern)` must be relative to the app directory and stay inside it")
                }
                let glob = FileGlob(p)
                if !glob.hasWildcards {
                    let full = (base as NSString).appendingPathComponent(p)
                    var isDir: ObjCBool = false
                    guard FileManager.default.fileExists(atPath: full, isDirectory: &isDir) else {
                        throw ComponentFilesError("file `\(pattern)` does not exist (in \(base))")
                    }
                    if isDir.boolValue {
                        // A bare directory selects the files under it (as `dir/**/*`).
                        for rel in walk(base, under: p) where !excluded(rel) {
                            byGuest["/" + rel] = (base as NSString).appendingPathComponent(rel)
                        }
                    } else if !excluded(p) {
                        byGuest["/" + p] = full
                    }
                    continue
                }
                for rel in walk(base, under: glob.literalPrefixDirectory) where glob.matches(rel) && !excluded(rel) {
                    byGuest["/" + rel] = (base as NSString).appendingPathComponent(rel)
                }
            case .placement(let source, let destination):
                guard destination.hasPrefix("/") else {
                    throw ComponentFilesError("file placement destination `\(destination)` must be an absolute path")
                }
                let src = source.hasPrefix("./") ? String(source.dropFirst(2)) : source
                guard !src.hasPrefix("/"), !src.split(separator: "/").contains("..") else {
                    throw ComponentFilesError(
                        "file placement source `\(source)` must be a relative directory inside the app directory")
                }
                let full = (base as NSString).appendingPathComponent(src)
                var isDir: ObjCBool = false
                guard FileManager.default.fileExists(atPath: full, isDirectory: &isDir), isDir.boolValue else {
                    throw ComponentFilesError("file placement source `\(source)` is not a directory (in \(base))")
                }
                let prefix = src == "." || src.isEmpty ? "" : src
                for rel in walk(base, under: prefix) where !excluded(rel) {
                    let inner = prefix.isEmpty ? rel : String(rel.dropFirst(prefix.count + 1))
                    let dest = destination.hasSuffix("/") ? destination + inner : destination + "/" + inner
                    byGuest[dest] = (base as NSString).appendingPathComponent(rel)
                }
            }
        }
        return byGuest.keys.sorted().map { Entry(hostPath: byGuest[$0]!, guestPath: $0) }
    }

    /// Copies the selected files into `directory` (created; should be empty)
    /// and returns the mount the WASI layer preopens: `directory` at guest `/`,
    /// read-only. Returns no mounts when the component selects no files.
    /// `writable` (`spin up --allow-transient-write`): the copies stay writable and the mount
    /// is read-write; what the guest changes lives in the copy and is gone at exit.
    package static func prepare(
        _ component: Component, baseDirectory: String, into directory: String, writable: Bool = false
    )
        throws(ComponentFilesError) -> [PreopenMount]
    {
        let entries = try expand(component, baseDirectory: baseDirectory)
        if component.files.isEmpty { return [] }
        let fm = FileManager.default
        do {
            try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
            for e in entries {
                let target = directory + e.guestPath
                try fm.createDirectory(
                    atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                if fm.fileExists(atPath: target) { try fm.removeItem(atPath: target) }
                try fm.copyItem(atPath: e.hostPath, toPath: target)
                _ = chmod(target, writable ? 0o644 : 0o444)
            }
        } catch {
            throw ComponentFilesError("cannot copy component files into \(directory): \(error.localizedDescription)")
        }
        return [PreopenMount(hostPath: directory, guestPath: "/", readOnly: !writable)]
    }

    /// Where `spin up` copies components' selected files (one folder per
    /// process, one per component under it); `removeDefaultCopies` at exit.
    package static let defaultCopyRoot = NSTemporaryDirectory() + "spin-files-\(getpid())"

    public static func removeDefaultCopies() {
        try? FileManager.default.removeItem(atPath: defaultCopyRoot)
    }

    /// `prepare` in the WASI layer's terms: a per-component copy under
    /// `tempRoot/<component id>` preopened read-only at `/`.
    package static func preopens(
        for component: Component, appDirectory: String, tempRoot: String, writable: Bool = false
    )
        throws(ComponentFilesError) -> [WASIConfiguration.Preopen]
    {
        let safeID = String(component.id.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
        return try prepare(
            component, baseDirectory: appDirectory, into: (tempRoot as NSString).appendingPathComponent(safeID),
            writable: writable
        )
        .map { WASIConfiguration.Preopen(hostPath: $0.hostPath, guestPath: $0.guestPath, readOnly: $0.readOnly) }
    }

    /// Regular files under `base/sub` (recursively, symlinks to files
    /// followed, symlinked directories not entered), relative to `base`.
    static func walk(_ base: String, under sub: String) -> [String] {
        var out: [String] = []
        func visit(_ rel: String) {
            let full = rel.isEmpty ? base : (base as NSString).appendingPathComponent(rel)
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: full) else { return }
            for name in names.sorted() {
                let r = rel.isEmpty ? name : rel + "/" + name
                let p = (base as NSString).appendingPathComponent(r)
                var ls = stat()
                guard lstat(p, &ls) == 0 else { continue }
                let mode = ls.st_mode & S_IFMT
                if mode == S_IFDIR {
                    visit(r)
                } else if mode == S_IFREG {
                    out.append(r)
                } else if mode == S_IFLNK {
                    var st = stat()
                    if stat(p, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG { out.append(r) }
                }
            }
        }
        visit(sub)
        return out
    }
}

/// A glob over `/`-separated relative paths: `**` (any number of whole
/// segments), `*` and `?` (within a segment), `[abc]`/`[a-z]`/`[!a]`.
package struct FileGlob: Sendable {
    package let pattern: String
    let segments: [String]

    package init(_ pattern: String) {
        self.pattern = pattern
        segments = pattern.split(separator: "/", omittingEmptySubsequences: true).map(String.init).filter { $0 != "." }
    }

    package var hasWildcards: Bool { pattern.contains { "*?[".contains($0) } }

    /// The directory before the first wildcard segment ("" = the base).
    var literalPrefixDirectory: String {
        var prefix: [String] = []
        for s in segments.dropLast() {
            if s.contains(where: { "*?[".contains($0) }) { break }
            prefix.append(s)
        }
        return prefix.joined(separator: "/")
    }

    package func matches(_ path: String) -> Bool {
        Glob.match(segments.joined(separator: "/"), path)
    }
}
