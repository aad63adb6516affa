/// A component binary that is not well formed (the Component Model's "malformed").
///
/// `message` uses the wording of the Component Model's reference tests (wasmparser's texts,
/// e.g. "unexpected end-of-file", "invalid leading byte (0x2) for core instance"); `offset` is
/// the byte offset in the outermost binary where decoding failed, and `section` names the
/// section being decoded, when there is one.
public struct ComponentDecodeError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var offset: Int
    /// The section being decoded ("type", "canon", "core module", ...), nil for the preamble.
    public var section: String?

    public init(_ message: String, offset: Int, section: String? = nil) {
        self.message = message
        self.offset = offset
        self.section = section
    }

    public var description: String {
        let place = section.map { " in the \($0) section" } ?? ""
        return "\(message)\(place) (at byte offset \(offset))"
    }
}

/// A well-formed component that is not valid (the Component Model's "invalid").
///
/// `message` uses the reference tests' wording (e.g. "type index out of bounds",
/// "canonical option `memory` is required"); nested causes are joined with ": ", outermost
/// first (e.g. "type mismatch for import `x`: expected u32, found tuple").
public struct ComponentValidationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    /// Byte offset (in the outermost binary) of the item that failed.
    public var offset: Int
    /// The section the item belongs to, when known.
    public var section: String?

    public init(_ message: String, offset: Int, section: String? = nil) {
        self.message = message
        self.offset = offset
        self.section = section
    }

    public var description: String {
        let place = section.map { " in the \($0) section" } ?? ""
        return "\(message)\(place) (at byte offset \(offset))"
    }
}

/// A valid component that uses something this implementation does not run yet (the async
/// ABI, threads, `stream`/`future` types, ...): decoding and validation accept it, instantiation
/// refuses it with this error.
public struct ComponentUnsupportedError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is not supported, e.g. "canon `task.return` (async ABI)".
    public var feature: String
    public var offset: Int
    public init(_ feature: String, offset: Int) {
        self.feature = feature
        self.offset = offset
    }
    public var description: String { "\(feature) is not supported (at byte offset \(offset))" }
}
