import ArgumentParsing
import Foundation
import SpinHost

/// Finds the manifest `spin build`, `spin up` and `spin watch` work on, as Spin does
/// (`spin_common::paths`): a given path is a manifest file or a directory holding
/// `spin.toml`; with no path, `spin.toml` in the current directory, else in the nearest parent
/// directory (up to 19 levels, stopping at the root of a Git repository).
enum ManifestLocator {
    /// A failure to find the manifest, in Spin's words.
    struct NotFound: Error, CustomStringConvertible {
        var description: String
    }

    /// The manifest for `provided` (nil: search upwards from the current directory) and how many
    /// directories above the current one it was found (0 when given or in the current directory).
    static func find(_ provided: String?, from directory: String = FileManager.default.currentDirectoryPath)
        throws(NotFound) -> (path: String, distance: Int)
    {
        if let provided { return (try resolve(provided), 0) }
        guard let found = searchUpwards(from: directory) else {
            throw NotFound(description: "\"\(Manifest.defaultFileName)\" not found")
        }
        return found
    }

    /// A manifest file, or `<dir>/spin.toml` for a directory.
    static func resolve(_ path: String) throws(NotFound) -> String {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw NotFound(description: "No such file or directory '\(path)'")
        }
        guard isDir.boolValue else { return path }
        let file = (path as NSString).appendingPathComponent(Manifest.defaultFileName)
        var fileIsDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file, isDirectory: &fileIsDir), !fileIsDir.boolValue else {
            throw NotFound(description: "Directory \(path) does not contain a file named '\(Manifest.defaultFileName)'")
        }
        return file
    }

    /// `spin.toml` in `directory` or the nearest parent that has one, with its distance.
    static func searchUpwards(from directory: String) -> (path: String, distance: Int)? {
        let fm = FileManager.default
        var dir = URL(fileURLWithPath: directory).standardizedFileURL
        for distance in 0..<20 {
            let candidate = dir.appendingPathComponent(Manifest.defaultFileName).path
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: candidate, isDirectory: &isDir), !isDir.boolValue {
                // Relative to the current directory, as Spin shows it (`../spin.toml`).
                let relative = String(repeating: "../", count: distance) + Manifest.defaultFileName
                return (directory == fm.currentDirectoryPath ? relative : candidate, distance)
            }
            if distance > 0, fm.fileExists(atPath: dir.appendingPathComponent(".git").path, isDirectory: &isDir),
                isDir.boolValue
            {
                return nil
            }
            let parent = dir.deletingLastPathComponent()
            if parent.path == dir.path { return nil }
            dir = parent
        }
        return nil
    }

    /// Spin's note when the manifest came from a parent directory.
    static func notifyIfFromParent(_ path: String, distance: Int, console: Console) {
        guard distance > 0 else { return }
        let relation =
            switch distance {
            case 1: "parent"
            case 2: "grandparent"
            default: String(repeating: "great-", count: distance - 2) + "grandparent"
            }
        console.err(
            "No '\(Manifest.defaultFileName)' in current directory. Using '\(Manifest.defaultFileName)' from \(relation) directory (\(path))\n"
        )
    }
}
