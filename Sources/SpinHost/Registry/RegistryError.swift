/// Why a registry operation (push, pull, login, a `source.url` download) failed: what was
/// being done, and the cause, printed as Spin prints them (`…` then `Caused by:` lines).
public struct RegistryError: Error, Sendable, CustomStringConvertible {
    /// What failed, e.g. "cannot pull 127.0.0.1:5000/app:v1".
    public var message: String
    /// The causes, outermost first.
    public var causes: [String]

    /// An error saying what failed, with its causes outermost first.
    public init(_ message: String, causes: [String] = []) {
        self.message = message
        self.causes = causes
    }

    /// This error with `context` as its message and the old message as the first cause.
    package func context(_ context: String) -> RegistryError {
        RegistryError(context, causes: [message] + causes)
    }

    /// The message, then Spin's (anyhow's) `Caused by:` list: one cause indented six spaces,
    /// several numbered `0:`, `1:`...
    public var description: String {
        guard !causes.isEmpty else { return message }
        let lines = causes.enumerated().map { i, cause in
            (causes.count > 1 ? String(repeating: " ", count: max(0, 4 - "\(i)".count)) + "\(i): " : "      ") + cause
        }
        return message + "\n\nCaused by:\n" + lines.joined(separator: "\n")
    }
}
