import SpinHost
import TOML

/// `spin add` into a v2 manifest: the built-in snippets are v1
/// (`[[component]]` with `[component.trigger]`); this rewrites one into the v2
/// shape (`[[trigger.<type>]]` + `[component.<id>]`), as Spin 2's v1->v2
/// migration would.
enum SnippetConversion {
    static func v1ToV2(_ snippet: String, triggerType: String?, file: String) throws(TemplateError) -> String {
        let t: TOMLTable
        do { t = try TOML.parse(snippet) } catch {
            throw TemplateError("\(file):\(error.line): \(error.message)")
        }
        guard let comps = t["component"]?.arrayValue, comps.count == 1, let c = comps[0].tableValue,
            let id = c["id"]?.stringValue
        else {
            throw TemplateError("\(file): expected exactly one [[component]] with an `id`")
        }
        let type = triggerType ?? (c["trigger"]?.tableValue?["channel"] != nil ? "redis" : "http")
        var out = "[[trigger.\(type)]]\n"
        if let trig = c["trigger"]?.tableValue {
            for k in trig.keys {
                out += "\(key(k)) = \(literal(trig[k]!))\n"
            }
        }
        out += "component = \(literal(.string(id)))\n\n"
        out += "[component.\(key(id))]\n"
        var build: TOMLTable?
        for k in c.keys where k != "id" && k != "trigger" {
            if k == "build", let b = c[k]?.tableValue { build = b; continue }
            // v2 renames: config -> variables
            let name = k == "config" ? "variables" : k
            out += "\(key(name)) = \(literal(c[k]!))\n"
        }
        if let build {
            out += "[component.\(key(id)).build]\n"
            for k in build.keys { out += "\(key(k)) = \(literal(build[k]!))\n" }
        }
        return out
    }

    static func key(_ k: String) -> String {
        let bare = !k.isEmpty && k.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
        return bare ? k : literal(.string(k))
    }

    /// A TOML literal for a value (inline tables and arrays on one line).
    static func literal(_ v: TOMLValue) -> String {
        switch v {
        case .string(let s):
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
        case .integer(let i): return String(i)
        case .float(let f): return String(f)
        case .boolean(let b): return String(b)
        case .offsetDateTime(let d), .localDateTime(let d): return d.description
        case .localDate(let d): return d.description
        case .localTime(let t): return t.description
        case .array(let a): return "[" + a.elements.map(literal).joined(separator: ", ") + "]"
        case .table(let t):
            return "{ " + t.keys.map { "\(key($0)) = \(literal(t[$0]!))" }.joined(separator: ", ") + " }"
        }
    }
}
