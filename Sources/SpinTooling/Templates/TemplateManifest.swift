import Foundation
import TOML

/// `metadata/spin-template.toml`, version 1, as Spin reads it
/// (`crates/templates/src/reader.rs` and `template.rs`). Unknown keys are
/// errors, as there (`deny_unknown_fields`).
package struct TemplateManifest: Hashable, Sendable {
    package struct Parameter: Hashable, Sendable {
        package var name: String
        /// "string", the only type Spin defines.
        package var type: String
        package var prompt: String
        package var defaultValue: String?
        /// A regular expression the value must match (anywhere, as Rust's `Regex::is_match`).
        package var pattern: String?
        /// When set, the value must be one of these (an extension of this spin).
        package var allowedValues: [String]?
    }

    /// `[new_application]` or `[add_component]`.
    package struct Variant: Hashable, Sendable {
        package var skipFiles: [String] = []
        package var skipParameters: [String] = []
        /// Snippet file names by kind: "component", "application_trigger", "variables".
        package var snippets: [String: String] = [:]
        /// `[add_component.conditions.<name>]`, sorted by name.
        package var conditions: [Conditional] = []
    }

    /// A condition and what it skips when it holds.
    package struct Conditional: Hashable, Sendable {
        package var name: String
        /// `condition = { manifest_entry_exists = "application.trigger.redis" }`: the dotted path.
        package var manifestEntryExists: [String]
        package var skipFiles: [String] = []
        package var skipParameters: [String] = []
        package var skipSnippets: [String] = []
    }

    /// `[outputs.<name>]`: `{ action = "create_dir", path = "{{ files-path }}", at = "manifest" }`.
    package struct ExtraOutput: Hashable, Sendable {
        package var name: String
        /// A Liquid template for the directory.
        package var path: String
        /// Relative to the manifest's folder (else the component's).
        package var atManifest: Bool
    }

    package var id: String
    package var description: String?
    package var triggerType: String?
    /// Lower-cased, as Spin normalises them.
    package var tags: [String]
    /// nil: `spin new` is not supported (`[new_application] supported = false`).
    package var newApplication: Variant?
    /// nil: `spin add` is not supported (no `[add_component]`, or `supported = false`).
    package var addComponent: Variant?
    /// In declaration order.
    package var parameters: [Parameter]
    package var outputs: [ExtraOutput]

    package var supportsNew: Bool { newApplication != nil }

    package func parameter(_ name: String) -> Parameter? { parameters.first { $0.name == name } }

    /// True when the template has every tag in `tags` (case-insensitively).
    package func matchesAllTags(_ tags: [String]) -> Bool { tags.allSatisfy { self.tags.contains($0.lowercased()) } }

    package static func parse(bytes: [UInt8], file: String) throws(TemplateError) -> TemplateManifest {
        let t: TOMLTable
        do {
            t = try TOML.parse(bytes: bytes)
        } catch {
            throw TemplateError("\(file):\(error.position.line): \(error.message)")
        }
        var reader = Reader(file: file)
        return try reader.manifest(t)
    }

    /// Reads the TOML tree, naming the file, line and key in errors.
    struct Reader {
        let file: String

        func fail(_ msg: String, _ key: String? = nil, in table: TOMLTable) -> TemplateError {
            let line = key.flatMap { table.keyPosition($0)?.line }
            return TemplateError(line.map { "\(file):\($0): \(msg)" } ?? "\(file): \(msg)")
        }

        func only(_ allowed: [String], in table: TOMLTable, _ what: String) throws(TemplateError) {
            for k in table.keys where !allowed.contains(k) {
                throw fail(
                    "unknown key `\(k)` in \(what) (expected one of: \(allowed.joined(separator: ", ")))", k, in: table)
            }
        }

        func string(_ table: TOMLTable, _ key: String) throws(TemplateError) -> String? {
            guard let v = table[key] else { return nil }
            guard let s = v.stringValue else { throw fail("`\(key)` must be a string", key, in: table) }
            return s
        }

        func strings(_ table: TOMLTable, _ key: String) throws(TemplateError) -> [String] {
            guard let v = table[key] else { return [] }
            guard let a = v.arrayValue else { throw fail("`\(key)` must be an array of strings", key, in: table) }
            var out: [String] = []
            for e in a.elements {
                guard let s = e.stringValue else { throw fail("`\(key)` must be an array of strings", key, in: table) }
                out.append(s)
            }
            return out
        }

        func table(_ parent: TOMLTable, _ key: String) throws(TemplateError) -> TOMLTable? {
            guard let v = parent[key] else { return nil }
            guard let t = v.tableValue else { throw fail("`\(key)` must be a table", key, in: parent) }
            return t
        }

        mutating func manifest(_ t: TOMLTable) throws(TemplateError) -> TemplateManifest {
            guard let version = t["manifest_version"] else {
                throw fail("missing `manifest_version` (expected manifest_version = \"1\")", in: t)
            }
            guard version.stringValue == "1" else {
                throw fail("unsupported template manifest_version (supported: \"1\")", "manifest_version", in: t)
            }
            try only(
                [
                    "manifest_version", "id", "description", "trigger_type", "tags", "new_application", "add_component",
                    "parameters", "custom_filters", "outputs",
                ], in: t, "the template manifest")
            if t["custom_filters"] != nil {
                throw fail(
                    "Custom filters are not supported in this version of Spin. Please update your template.",
                    "custom_filters", in: t)
            }
            guard let id = try string(t, "id") else { throw fail("missing `id`", in: t) }
            var seenTags: [String] = []
            for tag in try strings(t, "tags").map({ $0.lowercased() }) where !seenTags.contains(tag) {
                seenTags.append(tag)
            }
            var params: [Parameter] = []
            if let pt = try table(t, "parameters") {
                for name in pt.keys {
                    guard let def = pt[name]?.tableValue else {
                        throw fail("parameter `\(name)` must be a table", name, in: pt)
                    }
                    params.append(try parameter(name, def, in: pt))
                }
            }
            var outputs: [ExtraOutput] = []
            if let ot = try table(t, "outputs") {
                for name in ot.keys {
                    guard let o = ot[name]?.tableValue else {
                        throw fail("output `\(name)` must be a table", name, in: ot)
                    }
                    try only(["action", "path", "at"], in: o, "output `\(name)`")
                    guard try string(o, "action") == "create_dir" else {
                        throw fail("output `\(name)`: `action` must be \"create_dir\"", "action", in: o)
                    }
                    guard let path = try string(o, "path") else {
                        throw fail("output `\(name)`: missing `path`", name, in: ot)
                    }
                    let at = try string(o, "at") ?? "component"
                    guard at == "component" || at == "manifest" else {
                        throw fail("output `\(name)`: `at` must be \"component\" or \"manifest\"", "at", in: o)
                    }
                    outputs.append(ExtraOutput(name: name, path: path, atManifest: at == "manifest"))
                }
            }
            return TemplateManifest(
                id: id, description: try string(t, "description"), triggerType: try string(t, "trigger_type"),
                tags: seenTags, newApplication: try variant(t, "new_application", supportedByDefault: true),
                addComponent: try variant(t, "add_component", supportedByDefault: false), parameters: params,
                outputs: outputs)
        }

        func parameter(_ name: String, _ def: TOMLTable, in pt: TOMLTable) throws(TemplateError) -> Parameter {
            try only(["type", "prompt", "default", "pattern", "allowed_values"], in: def, "parameter `\(name)`")
            guard let type = try string(def, "type") else {
                throw fail("parameter `\(name)`: missing `type`", name, in: pt)
            }
            guard type == "string" else {
                throw fail("parameter `\(name)`: Unrecognised data type '\(type)' (supported: string)", name, in: pt)
            }
            guard let prompt = try string(def, "prompt") else {
                throw fail("parameter `\(name)`: missing `prompt`", name, in: pt)
            }
            let pattern = try string(def, "pattern")
            if let pattern, (try? NSRegularExpression(pattern: pattern)) == nil {
                throw fail("parameter `\(name)`: invalid pattern `\(pattern)`", name, in: pt)
            }
            let allowed = def["allowed_values"] == nil ? nil : try strings(def, "allowed_values")
            return Parameter(
                name: name, type: type, prompt: prompt, defaultValue: try string(def, "default"), pattern: pattern,
                allowedValues: allowed)
        }

        /// A variant, as Spin's `get_variant`: absent means supported for
        /// `new_application` and unsupported for `add_component`.
        func variant(_ t: TOMLTable, _ key: String, supportedByDefault: Bool) throws(TemplateError) -> Variant? {
            guard let vt = try table(t, key) else { return supportedByDefault ? Variant() : nil }
            try only(["supported", "skip_files", "skip_parameters", "snippets", "conditions"], in: vt, "[\(key)]")
            if let s = vt["supported"] {
                guard let b = s.boolValue else { throw fail("`supported` must be true or false", "supported", in: vt) }
                if !b { return nil }
            }
            var v = Variant(
                skipFiles: try strings(vt, "skip_files"), skipParameters: try strings(vt, "skip_parameters"))
            if let st = try table(vt, "snippets") {
                for k in st.keys {
                    guard let f = st[k]?.stringValue else {
                        throw fail("snippet `\(k)` must be a file name", k, in: st)
                    }
                    v.snippets[k] = f
                }
            }
            if let ct = try table(vt, "conditions") {
                for name in ct.keys.sorted() {
                    guard let c = ct[name]?.tableValue else {
                        throw fail("condition `\(name)` must be a table", name, in: ct)
                    }
                    try only(
                        ["condition", "skip_files", "skip_parameters", "skip_snippets"], in: c, "condition `\(name)`")
                    guard let cond = c["condition"]?.tableValue, cond.keys.count == 1 else {
                        throw fail(
                            "Invalid condition: should be a single-entry table",
                            c["condition"] == nil ? nil : "condition", in: c.keys.isEmpty ? ct : c)
                    }
                    guard let pathValue = cond["manifest_entry_exists"] else {
                        throw fail("Invalid condition: unknown condition type", "condition", in: c)
                    }
                    guard let path = pathValue.stringValue else {
                        throw fail(
                            "Invalid condition: 'manifest_entry_exists' should be a dotted-path string", "condition",
                            in: c)
                    }
                    v.conditions.append(
                        Conditional(
                            name: name,
                            manifestEntryExists: path.split(separator: ".", omittingEmptySubsequences: false).map(
                                String.init),
                            skipFiles: try strings(c, "skip_files"), skipParameters: try strings(c, "skip_parameters"),
                            skipSnippets: try strings(c, "skip_snippets")))
                }
            }
            return v
        }
    }
}

extension TemplateManifest.Parameter {
    /// nil when `value` is acceptable, else the reason, in Spin's words
    /// (`constraints.rs`): "Input 'x' does not match pattern '^/\S*$'".
    package func validate(_ value: String) -> String? {
        if let allowed = allowedValues, !allowed.contains(value) {
            return "Input '\(value)' is not one of \(allowed.map { "'\($0)'" }.joined(separator: ", "))"
        }
        if let pattern, let re = try? NSRegularExpression(pattern: pattern) {
            if re.firstMatch(in: value, range: NSRange(value.startIndex..., in: value)) == nil {
                return "Input '\(value)' does not match pattern '\(pattern)'"
            }
        }
        return nil
    }
}

extension TemplateManifest.Variant {
    /// The variant with its conditions applied (Spin's `resolve_conditions`):
    /// each condition that holds adds its skipped files and parameters and
    /// removes its skipped snippets. `manifest` is the application's manifest
    /// text for `spin add`, nil for `spin new` (where no condition holds).
    package func resolved(manifest: String?) -> Self {
        var out = self
        guard let manifest, let table = try? TOML.parse(manifest) else { return out }
        for c in conditions where Self.entryExists(c.manifestEntryExists, in: table) {
            out.skipFiles += c.skipFiles
            out.skipParameters += c.skipParameters
            for s in c.skipSnippets { out.snippets[s] = nil }
        }
        return out
    }

    static func entryExists(_ path: [String], in table: TOMLTable) -> Bool {
        var current: TOMLValue = .table(table)
        for part in path {
            switch current {
            case .table(let t):
                guard let next = t[part] else { return false }
                current = next
            case .array(let a):
                guard let i = Int(part), a.elements.indices.contains(i) else { return false }
                current = a.elements[i]
            default:
                return false
            }
        }
        return true
    }
}
