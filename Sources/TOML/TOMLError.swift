/// A TOML syntax or semantic error, with the 1-based position where it was found.
public struct TOMLError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public var line: Int
    public var column: Int

    public init(_ message: String, line: Int, column: Int) {
        self.message = message
        self.line = line
        self.column = column
    }

    public var position: TOMLPosition { TOMLPosition(line: line, column: column) }

    /// "line 3, column 7: expected '=' after key"
    public var description: String { "line \(line), column \(column): \(message)" }
}
