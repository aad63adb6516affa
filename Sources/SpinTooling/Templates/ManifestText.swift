import TOML

/// Edits of an application manifest's text that keep its formatting and
/// comments, as Spin's `writer.rs` does for `spin add`.
enum ManifestText {
    /// `AppendToml`: the manifest without trailing whitespace, a blank line, the snippet.
    static func append(_ snippet: String, to manifest: String) -> String {
        var existing = Substring(manifest)
        while let c = existing.last, c.isWhitespace { existing.removeLast() }
        return existing + "\n\n" + snippet
    }

    /// `MergeToml`: the snippet's keys set in the top-level table `name`
    /// (`[variables]`): an existing key's line is replaced, new keys follow
    /// the table's last line; without the table, it is added at the end.
    static func merge(_ snippet: String, intoTable name: String, of manifest: String) throws(TemplateError) -> String {
        let merging: TOMLTable
        do { merging = try TOML.parse(snippet) } catch {
            throw TemplateError("Can't merge snippet - it's not valid TOML (line \(error.line): \(error.message))")
        }
        let doc: TOMLTable
        do { doc = try TOML.parse(manifest) } catch {
            throw TemplateError(
                "Can't merge into the existing manifest - it's not valid TOML (line \(error.line): \(error.message))")
        }
        let snippetLines = snippet.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            .filter { !$0.trimmingWhitespace().isEmpty }
        guard let existing = doc[name] else {
            var out = Substring(manifest)
            while let c = out.last, c.isWhitespace { out.removeLast() }
            return out + "\n\n[\(name)]\n" + snippetLines.joined(separator: "\n") + "\n"
        }
        guard existing.tableValue != nil else {
            throw TemplateError("Cannot merge template data into \(name) as it is not a table")
        }
        var lines = manifest.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let header = lines.firstIndex(where: { $0.trimmingWhitespace() == "[\(name)]" }) else {
            throw TemplateError("Cannot merge template data into \(name): it is not a [\(name)] table in the manifest")
        }
        var end = header + 1
        while end < lines.count, !lines[end].trimmingWhitespace().hasPrefix("[") { end += 1 }
        // Existing keys the snippet sets: drop their (one-line) definitions.
        for k in merging.keys {
            var i = header + 1
            while i < end {
                let line = lines[i].trimmingWhitespace()
                let key = String(line.prefix { $0 != "=" }).trimmingWhitespace()
                if line.contains("="), key == k || key == "\"\(k)\"" {
                    lines.remove(at: i)
                    end -= 1
                } else {
                    i += 1
                }
            }
        }
        var insertAt = end
        while insertAt > header + 1, lines[insertAt - 1].trimmingWhitespace().isEmpty { insertAt -= 1 }
        lines.insert(contentsOf: snippetLines, at: insertAt)
        return lines.joined(separator: "\n")
    }
}
