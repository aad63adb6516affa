import TOML

/// Reads one TOML table against a fixed schema: typed getters that name the
/// key, the section and the line on error, and `finish()` which rejects any
/// key nobody asked for (serde's `deny_unknown_fields`).
struct TableReader {
    let table: TOMLTable
    /// How the section is named in messages: "[component.trigger]", "the top level".
    let section: String
    let file: String
    private(set) var seen: Set<String> = []
    /// The section's schema, once `allow` has been called.
    private(set) var declared: [String]?

    init(_ table: TOMLTable, section: String, file: String) {
        self.table = table
        self.section = section
        self.file = file
    }

    var position: TOMLPosition { table.position }

    func keyPosition(_ key: String) -> TOMLPosition { table.keyPosition(key) ?? table.position }

    func has(_ key: String) -> Bool { table[key] != nil }

    func error(_ kind: ManifestError.Kind, _ message: String, key: String? = nil, at: TOMLPosition? = nil)
        -> ManifestError
    {
        ManifestError(kind, message, file: file, position: at ?? key.map(keyPosition) ?? position, key: key)
    }

    private func wrongType(_ key: String, _ expected: String, _ v: TOMLValue) -> ManifestError {
        error(.wrongType, "`\(key)` in \(section) must be \(expected), found \(v.typeName)", key: key)
    }

    private func missing(_ key: String) -> ManifestError {
        error(.missingKey, "missing required key `\(key)` in \(section)", key: key, at: position)
    }

    mutating func value(_ key: String) -> TOMLValue? {
        seen.insert(key)
        return table[key]
    }

    mutating func string(_ key: String) throws(ManifestError) -> String? {
        guard let v = value(key) else { return nil }
        guard case .string(let s) = v else { throw wrongType(key, "a string", v) }
        return s
    }

    mutating func requiredString(_ key: String) throws(ManifestError) -> String {
        guard let s = try string(key) else { throw missing(key) }
        return s
    }

    mutating func bool(_ key: String) throws(ManifestError) -> Bool? {
        guard let v = value(key) else { return nil }
        guard case .boolean(let b) = v else { throw wrongType(key, "a boolean", v) }
        return b
    }

    mutating func table(_ key: String) throws(ManifestError) -> TOMLTable? {
        guard let v = value(key) else { return nil }
        guard case .table(let t) = v else { throw wrongType(key, "a table", v) }
        return t
    }

    mutating func requiredTable(_ key: String) throws(ManifestError) -> TOMLTable {
        guard let t = try table(key) else { throw missing(key) }
        return t
    }

    mutating func array(_ key: String) throws(ManifestError) -> TOMLArray? {
        guard let v = value(key) else { return nil }
        guard case .array(let a) = v else { throw wrongType(key, "an array", v) }
        return a
    }

    /// An array of strings (absent = empty).
    mutating func stringArray(_ key: String) throws(ManifestError) -> [String] {
        try optionalStringArray(key) ?? []
    }

    mutating func optionalStringArray(_ key: String) throws(ManifestError) -> [String]? {
        guard let a = try array(key) else { return nil }
        var out: [String] = []
        for (n, v) in a.elements.enumerated() {
            guard case .string(let s) = v else {
                throw error(
                    .wrongType,
                    "`\(key)` in \(section) must be an array of strings, but element \(n + 1) is a \(v.typeName)",
                    key: key, at: a.positions[n])
            }
            out.append(s)
        }
        return out
    }

    /// A table of string values (absent = empty).
    mutating func stringMap(_ key: String) throws(ManifestError) -> [String: String] {
        guard let t = try table(key) else { return [:] }
        var out: [String: String] = [:]
        for k in t.keys {
            guard case .string(let s) = t[k]! else {
                throw error(
                    .wrongType, "`\(key).\(k)` in \(section) must be a string, found \(t[k]!.typeName)",
                    key: "\(key).\(k)", at: t.keyPosition(k))
            }
            out[k] = s
        }
        return out
    }

    /// Declares the section's keys and fails on the first other key (in
    /// document order). Called before reading, so a misspelt key is reported
    /// as unknown rather than as a missing required key.
    mutating func allow(_ keys: [String]) throws(ManifestError) {
        declared = keys
        let set = Set(keys)
        for k in table.keys where !set.contains(k) { throw unknownKey(k) }
    }

    private func unknownKey(_ k: String) -> ManifestError {
        let known = (declared ?? seen.sorted()).sorted().map { "`\($0)`" }.joined(separator: ", ")
        return error(
            .unknownKey, "unknown key `\(k)` in \(section)" + (known.isEmpty ? "" : " (expected one of \(known))"),
            key: k)
    }

    /// Fails on the first key (in document order) that no getter asked for.
    func finish() throws(ManifestError) {
        for k in table.keys where !seen.contains(k) { throw unknownKey(k) }
    }
}
