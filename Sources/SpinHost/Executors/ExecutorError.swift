/// Why an executor could not produce a response (the trigger answers 500 and logs it).
public struct ExecutorError: Error, CustomStringConvertible, Sendable {
    public var message: String
    package init(_ message: String) { self.message = message }
    public var description: String { message }
}
