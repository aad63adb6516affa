import Foundation
import SpinHost
import TOML

/// A problem with a template, a parameter value or a `spin new`/`spin add`
/// request. `description` is the message (one line, or a list of lines).
package struct TemplateError: Error, Hashable, Sendable, CustomStringConvertible {
    package var message: String
    package init(_ message: String) { self.message = message }
    package var description: String { message }
}

/// A Spin template: `content/**` (the files `spin new` renders; a `.tmpl`
/// suffix is removed on output), `metadata/spin-template.toml` and
/// `metadata/snippets/*` (manifest fragments `spin add` appends). Layout as in
/// Spin (`crates/templates/src/store.rs`, `TemplateLayout`).
package struct Template: Sendable {
    package enum Origin: Hashable, Sendable {
        /// Compiled into the `spin` binary (Templates/ at the repository root).
        case builtin
        /// Installed into the user template directory (the path of the template).
        case installed(String)
    }

    package var manifest: TemplateManifest
    /// Files by path inside the template ("content/main.c", "metadata/snippets/component.txt").
    package var files: [String: [UInt8]]
    package var origin: Origin

    package var id: String { manifest.id }
    package var description: String { manifest.description ?? "" }

    package init(manifest: TemplateManifest, files: [String: [UInt8]], origin: Origin) {
        self.manifest = manifest
        self.files = files
        self.origin = origin
    }

    /// Builds a template from its files; `metadata/spin-template.toml` must be among them.
    package init(files: [String: [UInt8]], origin: Origin, name: String) throws(TemplateError) {
        guard let toml = files["metadata/spin-template.toml"] else {
            throw TemplateError("template '\(name)' has no metadata/spin-template.toml")
        }
        let manifest = try TemplateManifest.parse(bytes: toml, file: "\(name)/metadata/spin-template.toml")
        self.init(manifest: manifest, files: files, origin: origin)
    }

    /// Reads a template directory (one holding `content/` and `metadata/`).
    /// A `metadata/sdk.txt` (this repository's Templates/) is replaced by the
    /// files it names under the `SDK/` folder beside Templates/, as
    /// `content/sdk/<name>`, as the EmbedTemplates plugin does.
    package static func load(directory: String, origin: Origin? = nil) throws(TemplateError) -> Template {
        var files = readTree(directory)
        let name = (directory as NSString).lastPathComponent
        if let list = files.removeValue(forKey: "metadata/sdk.txt") {
            let root = URL(fileURLWithPath: directory).deletingLastPathComponent().deletingLastPathComponent()
            let sdk = root.appendingPathComponent("SDK").path
            for (index, line) in String(decoding: list, as: UTF8.self).split(
                separator: "\n", omittingEmptySubsequences: false
            ).enumerated() {
                let entry = String(line.prefix { $0 != "#" }).trimmingWhitespace()
                if entry.isEmpty { continue }
                let path = (sdk as NSString).appendingPathComponent(entry)
                guard !entry.hasPrefix("/"), !entry.split(separator: "/").contains(".."),
                    let bytes = FileManager.default.contents(atPath: path)
                else {
                    throw TemplateError("\(directory)/metadata/sdk.txt:\(index + 1): no file \(path)")
                }
                files["content/sdk/" + (entry as NSString).lastPathComponent] = [UInt8](bytes)
            }
        }
        return try Template(files: files, origin: origin ?? .installed(directory), name: name)
    }

    /// The `content/` files, by path relative to `content/`, sorted.
    package var contentFiles: [(path: String, bytes: [UInt8])] {
        files.keys.sorted().compactMap { k in
            k.hasPrefix("content/") ? (String(k.dropFirst("content/".count)), files[k]!) : nil
        }
    }

    /// The text of `metadata/snippets/<name>`.
    package func snippet(_ name: String) -> String? {
        files["metadata/snippets/\(name)"].map { String(decoding: $0, as: UTF8.self) }
    }

    /// Where an installed template came from (its `.install.toml`, as Spin
    /// writes it): `git = "URL"`, `dir = "PATH"` or `url = "URL"`.
    package var installedFrom: InstallRecord? {
        files[InstallRecord.fileName].flatMap { InstallRecord(parsing: $0) }
    }

    /// The manifest version of `content/spin.toml` (1 or 2), found as Spin
    /// finds it (`check_compatible_manifest_format`): by the text
    /// `spin_manifest_version = "1"` or `spin_manifest_version = 2`; nil when
    /// neither or both appear.
    package var contentManifestVersion: Int? {
        guard let bytes = files["content/spin.toml"] else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        let v1 = text.contains("spin_manifest_version = \"1\""), v2 = text.contains("spin_manifest_version = 2")
        return v1 == v2 ? nil : (v1 ? 1 : 2)
    }

    /// The trigger type a component of this template needs: `trigger_type`,
    /// else that of a v1 `content/spin.toml` that parses as it is; nil: any.
    package var triggerType: String? {
        if let t = manifest.triggerType { return t }
        guard let bytes = files["content/spin.toml"], let t = try? TOML.parse(bytes: bytes) else { return nil }
        return t["trigger"]?.tableValue?["type"]?.stringValue
    }

    /// All regular files under `root`, by `/`-separated relative path (no `.git`).
    static func readTree(_ root: String) -> [String: [UInt8]] {
        var out: [String: [UInt8]] = [:]
        let fm = FileManager.default
        guard let e = fm.enumerator(atPath: root) else { return out }
        while let rel = e.nextObject() as? String {
            let full = (root as NSString).appendingPathComponent(rel)
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: full, isDirectory: &isDir), !isDir.boolValue else { continue }
            if rel.split(separator: "/").contains(".git") { continue }
            if let d = fm.contents(atPath: full) { out[rel] = [UInt8](d) }
        }
        return out
    }
}

/// `<template>/.install.toml`: where an installed template came from.
package enum InstallRecord: Hashable, Sendable {
    case git(String)
    case directory(String)
    case remoteTar(String)

    static let fileName = ".install.toml"

    init?(parsing bytes: [UInt8]) {
        guard let t = try? TOML.parse(bytes: bytes) else { return nil }
        if let g = t["git"]?.stringValue {
            self = .git(g)
        } else if let d = t["dir"]?.stringValue {
            self = .directory(d)
        } else if let u = t["url"]?.stringValue {
            self = .remoteTar(u)
        } else {
            return nil
        }
    }

    /// The source, as `spin templates list --verbose` shows it.
    package var source: String {
        switch self {
        case .git(let s), .directory(let s), .remoteTar(let s): s
        }
    }

    /// The file's text.
    var text: String {
        switch self {
        case .git(let s): "git = \(SpinTOML.quoted(s))\n"
        case .directory(let s): "dir = \(SpinTOML.quoted(s))\n"
        case .remoteTar(let s): "url = \(SpinTOML.quoted(s))\n"
        }
    }
}

/// Small TOML text helpers.
enum SpinTOML {
    /// A basic TOML string literal.
    static func quoted(_ s: String) -> String {
        var o = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": o += "\\\""
            case "\\": o += "\\\\"
            case "\n": o += "\\n"
            case "\t": o += "\\t"
            case "\r": o += "\\r"
            default:
                if u.value < 0x20 || u.value == 0x7f {
                    let hex = String(u.value, radix: 16, uppercase: true)
                    o += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    o.unicodeScalars.append(u)
                }
            }
        }
        return o + "\""
    }
}

/// One file of a built-in template, as stored in `EmbeddedTemplates`.
struct EmbeddedTemplateFile: Sendable {
    let id: String
    let path: String
    let bytes: [UInt8]

    init(id: String, path: String, text: String) {
        self.id = id
        self.path = path
        self.bytes = Array(text.utf8)
    }

    init(id: String, path: String, base64: String) {
        self.id = id
        self.path = path
        self.bytes = Data(base64Encoded: base64).map { [UInt8]($0) } ?? []
    }
}
