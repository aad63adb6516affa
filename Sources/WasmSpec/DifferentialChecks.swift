import WasmCore

/// Recorded wasmtime columns: the `wasmtime.txt` that `Scripts/difftest generate` writes next
/// to its modules (`Fixtures/difftest`, and the set `DifferentialWasmtimeTests` makes).
public enum DifferentialExpectations {
    /// One module's recorded column.
    public struct Entry: Sendable, Equatable {
        /// The module's file name, relative to the `modules` folder.
        public var module: String
        /// The recorded column.
        public var lines: [String]
    }

    /// Parses `text`: `#` comment lines, then for each module a `module NAME` line followed by
    /// its column.
    public static func parse(_ text: String) -> [Entry] {
        var entries: [Entry] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("#") { continue }
            if line.hasPrefix("module ") {
                entries.append(Entry(module: String(line.dropFirst("module ".count)), lines: []))
            } else if !entries.isEmpty {
                entries[entries.count - 1].lines.append(String(line))
            }
        }
        return entries
    }
}

/// The outcome of comparing the three columns of one module.
public struct DifferentialVerdict: Sendable, CustomStringConvertible {
    /// The columns, by name: `wasmtime` (when recorded), `optimized`, `reference`.
    public var columns: [(name: String, lines: [String])]
    /// The first pair of columns that disagree, and the line where they do; nil when all agree.
    public var mismatch: (first: String, second: String, line: Int)?

    /// Compares every pair of `columns` (in order: optimized-reference first, so that an
    /// optimiser bug is named as such).
    public init(columns: [(name: String, lines: [String])]) {
        self.columns = columns
        mismatch = nil
        for i in columns.indices {
            for j in columns.indices where j > i {
                if let line = DifferentialPlan.firstDifference(columns[i].lines, columns[j].lines) {
                    mismatch = (columns[i].name, columns[j].name, line)
                    return
                }
            }
        }
    }

    /// The columns' lines around the first difference, one column after the other.
    public var description: String {
        guard let mismatch else { return "all columns agree" }
        var text = "\(mismatch.first) and \(mismatch.second) differ at line \(mismatch.line + 1)\n"
        for (name, lines) in columns {
            text += "== \(name)\n"
            for (i, line) in lines.enumerated() where abs(i - mismatch.line) <= 6 {
                text += (i == mismatch.line ? ">> " : "   ") + line + "\n"
            }
            if mismatch.line >= lines.count { text += ">> <missing>\n" }
        }
        return text
    }
}
