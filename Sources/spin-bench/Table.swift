/// A Markdown table printed with aligned columns (readable in a terminal, pastable into docs).
struct Table {
    var title: String
    var headers: [String]
    /// Columns after the first are right-aligned (numbers).
    var rows: [[String]] = []
    var notes: [String] = []

    init(_ title: String, headers: [String]) {
        self.title = title
        self.headers = headers
    }

    mutating func add(_ row: [String]) { rows.append(row) }

    func render() -> String {
        let all = [headers] + rows
        var widths = headers.map(\.count)
        for row in all {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for (i, w) in widths.enumerated() {
                let cell = i < cells.count ? cells[i] : ""
                let pad = String(repeating: " ", count: w - cell.count)
                parts.append(i == 0 ? cell + pad : pad + cell)
            }
            return "| " + parts.joined(separator: " | ") + " |"
        }
        var out = ["## \(title)", "", line(headers)]
        out.append(
            "|"
                + widths.enumerated().map { i, w in
                    i == 0 ? String(repeating: "-", count: w + 2) : String(repeating: "-", count: w + 1) + ":"
                }.joined(separator: "|") + "|")
        out += rows.map(line)
        if !notes.isEmpty { out += [""] + notes }
        return out.joined(separator: "\n") + "\n"
    }
}

/// Number formatting shared by the sections.
enum Format {
    static func fixed(_ v: Double, _ digits: Int) -> String {
        v.isFinite ? String(format: "%.\(digits)f", v) : "–"
    }

    static func ratio(_ v: Double) -> String { v.isFinite ? String(format: "%.2fx", v) : "–" }

    static func seconds(_ v: Double) -> String { fixed(v, 3) }

    static func milliseconds(_ seconds: Double) -> String { fixed(seconds * 1000, 1) }
}
