/// The binary is not well formed (spec: "malformed").
///
/// `message` uses the spec test suite's wording (e.g. "unexpected end",
/// "magic header not detected"); `offset` is the byte offset in the module.
public struct DecodeError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var offset: Int
    public init(_ message: String, offset: Int) {
        self.message = message
        self.offset = offset
    }
    public var description: String { "\(message) (at byte offset \(offset))" }
}

/// The module is well formed but not valid (spec: "invalid").
public struct ValidationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    /// Byte offset of the offending instruction or entry, when known.
    public var offset: Int?
    /// Index (in the function index space) of the function being validated, when any.
    public var functionIndex: Int?
    public init(_ message: String, offset: Int? = nil, functionIndex: Int? = nil) {
        self.message = message
        self.offset = offset
        self.functionIndex = functionIndex
    }
    public var description: String {
        var s = message
        if let functionIndex { s += " in function \(functionIndex)" }
        if let offset { s += " (at byte offset \(offset))" }
        return s
    }
}

/// Instantiation failed while resolving imports (spec: "unlinkable").
public struct LinkError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    /// Which import, as `module.name`, when the error is about one.
    public var importName: String?
    public init(_ message: String, importName: String? = nil) {
        self.message = message
        self.importName = importName
    }
    public var description: String {
        if let importName { return "\(message): \(importName)" }
        return message
    }
}
