import Foundation
import TOML

/// `spin up --variable` (Spin 3): `KEY=VALUE`, or `@FILE.json` / `@FILE.toml` holding a flat
/// table of string values. Later values win.
package enum CommandLineVariables {
    /// The variables one `--variable` value gives; a bad file is an error naming it.
    package static func parse(_ text: String) throws(VariablesError) -> [String: String] {
        guard text.hasPrefix("@") else {
            guard let eq = text.firstIndex(of: "="), eq != text.startIndex else {
                throw VariablesError("expected KEY=VALUE, @FILE.json or @FILE.toml")
            }
            return [String(text[..<eq]): String(text[text.index(after: eq)...])]
        }
        let path = String(text.dropFirst())
        guard let data = FileManager.default.contents(atPath: path) else {
            throw VariablesError("cannot read variables file \(path)")
        }
        if path.hasSuffix(".json") {
            guard let object = try? JSONSerialization.jsonObject(with: data), let table = object as? [String: Any]
            else { throw VariablesError("\(path): expected a JSON object of string values") }
            var out: [String: String] = [:]
            for (k, v) in table {
                guard let s = v as? String else {
                    throw VariablesError("\(path): the value of `\(k)` must be a string")
                }
                out[k] = s
            }
            return out
        }
        if path.hasSuffix(".toml") {
            let table: TOMLTable
            do { table = try TOML.parse(bytes: [UInt8](data)) } catch {
                throw VariablesError("\(path):\(error.position.line): \(error.message)")
            }
            var out: [String: String] = [:]
            for k in table.keys {
                guard case .string(let s)? = table[k] else {
                    throw VariablesError("\(path): the value of `\(k)` must be a string")
                }
                out[k] = s
            }
            return out
        }
        throw VariablesError("variables file \(path) must end in .json or .toml")
    }
}
