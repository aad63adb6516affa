import Foundation
import SpinHost
import TOML

/// A problem with a template, a parameter value or a `spin new`/`spin add`
/// request. `description` is one line suitable for `error: ...`.
package struct TemplateError: Error, Hashable, Sendable, CustomStringConvertible {
    package var message: String
    package init(_ message: String) { self.message = message }
    package var description: String { message }
}

/// A Spin template: `content/**` (copied and rendered by `spin new`),
/// `metadata/spin-template.toml` and `metadata/snippets/*.txt` (manifest
/// fragments appended by `spin add`). Layout as in Spin 1.x
/// (`crates/templates/src/reader.rs`).
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
    package var description: String { manifest.description }

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
    package static func load(directory: String, origin: Origin? = nil) throws(TemplateError) -> Template {
        let files = readTree(directory)
        let name = (directory as NSString).lastPathComponent
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

    /// All regular files under `root`, by `/`-separated relative path.
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

/// `metadata/spin-template.toml`.
package struct TemplateManifest: Hashable, Sendable {
    package struct Parameter: Hashable, Sendable {
        package var name: String
        /// Only "string" is defined by Spin 1.x.
        package var type: String
        package var prompt: String
        package var defaultValue: String?
        /// A regular expression the whole value must match.
        package var pattern: String?
        /// When set, the value must be one of these.
        package var allowedValues: [String]?
    }

    package var id: String
    package var description: String
    package var triggerType: String?
    package var tags: [String]
    /// `[new_application] supported = false` disables `spin new`.
    package var supportsNew: Bool
    /// `[add_component]`; nil: `spin add` is not supported.
    package var addComponent: AddComponent?
    /// In declaration order.
    package var parameters: [Parameter]

    package struct AddComponent: Hashable, Sendable {
        package var skipFiles: [String]
        package var skipParameters: [String]
        /// Snippet file names by kind ("component" -> "component.txt").
        package var snippets: [String: String]
    }

    package func parameter(_ name: String) -> Parameter? { parameters.first { $0.name == name } }

    package static func parse(bytes: [UInt8], file: String) throws(TemplateError) -> TemplateManifest {
        let t: TOMLTable
        do {
            t = try TOML.parse(bytes: bytes)
        } catch {
            throw TemplateError("\(file):\(error.position.line): \(error.message)")
        }
        func fail(_ msg: String, _ key: String? = nil, in table: TOMLTable? = nil) -> TemplateError {
            let line = key.flatMap { (table ?? t).keyPosition($0)?.line }
            return TemplateError(line.map { "\(file):\($0): \(msg)" } ?? "\(file): \(msg)")
        }
        func string(_ table: TOMLTable, _ key: String) throws(TemplateError) -> String? {
            guard let v = table[key] else { return nil }
            guard let s = v.stringValue else { throw fail("`\(key)` must be a string", key, in: table) }
            return s
        }
        func strings(_ table: TOMLTable, _ key: String) throws(TemplateError) -> [String]? {
            guard let v = table[key] else { return nil }
            guard let a = v.arrayValue else { throw fail("`\(key)` must be an array of strings", key, in: table) }
            var out: [String] = []
            for e in a.elements {
                guard let s = e.stringValue else { throw fail("`\(key)` must be an array of strings", key, in: table) }
                out.append(s)
            }
            return out
        }

        let version = t["manifest_version"]
        if let version, version.stringValue != "1" && version.integerValue != 1 {
            throw fail("unsupported template manifest_version (supported: \"1\")", "manifest_version")
        }
        guard let id = try string(t, "id") else { throw fail("missing `id`") }
        var supportsNew = true
        if let n = t["new_application"] {
            guard let nt = n.tableValue else { throw fail("`new_application` must be a table", "new_application") }
            if let s = nt["supported"] {
                guard let b = s.boolValue else { throw fail("`supported` must be a boolean", "supported", in: nt) }
                supportsNew = b
            }
        }
        var add: AddComponent?
        if let a = t["add_component"] {
            guard let at = a.tableValue else { throw fail("`add_component` must be a table", "add_component") }
            var snippets: [String: String] = [:]
            if let s = at["snippets"] {
                guard let st = s.tableValue else { throw fail("`snippets` must be a table", "snippets", in: at) }
                for k in st.keys {
                    guard let f = st[k]?.stringValue else {
                        throw fail("snippet `\(k)` must be a file name", k, in: st)
                    }
                    snippets[k] = f
                }
            }
            add = AddComponent(
                skipFiles: try strings(at, "skip_files") ?? [],
                skipParameters: try strings(at, "skip_parameters") ?? [],
                snippets: snippets)
        }
        var params: [Parameter] = []
        if let p = t["parameters"] {
            guard let pt = p.tableValue else { throw fail("`parameters` must be a table", "parameters") }
            for name in pt.keys {
                guard let def = pt[name]?.tableValue else {
                    throw fail("parameter `\(name)` must be a table", name, in: pt)
                }
                let type = try string(def, "type") ?? "string"
                guard type == "string" else {
                    throw fail("parameter `\(name)`: unsupported type `\(type)` (supported: string)", name, in: pt)
                }
                let pattern = try string(def, "pattern")
                if let pattern, (try? NSRegularExpression(pattern: pattern)) == nil {
                    throw fail("parameter `\(name)`: invalid pattern `\(pattern)`", name, in: pt)
                }
                params.append(
                    Parameter(
                        name: name, type: type, prompt: try string(def, "prompt") ?? name,
                        defaultValue: try string(def, "default"), pattern: pattern,
                        allowedValues: try strings(def, "allowed_values")))
            }
        }
        return TemplateManifest(
            id: id, description: try string(t, "description") ?? "",
            triggerType: try string(t, "trigger_type"), tags: try strings(t, "tags") ?? [],
            supportsNew: supportsNew, addComponent: add, parameters: params)
    }
}

extension TemplateManifest.Parameter {
    /// nil when `value` is acceptable, else the reason (one line).
    package func validate(_ value: String) -> String? {
        if let allowed = allowedValues, !allowed.contains(value) {
            return "must be one of \(allowed.map { "'\($0)'" }.joined(separator: ", "))"
        }
        if let pattern, let re = try? NSRegularExpression(pattern: pattern) {
            let range = NSRange(value.startIndex..., in: value)
            guard let m = re.firstMatch(in: value, range: range), m.range == range else {
                return "must match the pattern \(pattern)"
            }
        }
        return nil
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
