/// A TOML syntax or semantic error, with the 1-based position where it was found.
package struct TOMLError: Error, Hashable, Sendable, CustomStringConvertible {
    package var message: String
    package var line: Int
    package var column: Int

    package init(_ message: String, line: Int, column: Int) {
        self.message = message
        self.line = line
        self.column = column
    }

    package var position: TOMLPosition { TOMLPosition(line: line, column: column) }

    /// "line 3, column 7: expected '=' after key"
    package var description: String { "line \(line), column \(column): \(message)" }
}
