/// Why execution trapped.
///
/// Spec: https://webassembly.github.io/spec/core/exec/runtime.html#syntax-trap
/// The messages are the spec test suite's texts.
public enum TrapReason: Error, Sendable, Equatable {
    case unreachable
    case integerDivideByZero
    case integerOverflow
    case invalidConversionToInteger
    case outOfBoundsMemoryAccess
    case outOfBoundsTableAccess
    case undefinedElement
    case uninitializedElement
    case indirectCallTypeMismatch
    case callStackExhausted
    /// `call_ref`/`return_call_ref` of a null function reference.
    case nullFunctionReference
    /// `ref.as_non_null` of null.
    case nullReference
    /// `throw_ref` of a null exception reference.
    case nullExceptionReference
    /// The guest ran past its fuel or deadline.
    case interrupted
    /// A host function reported an error.
    case host(String)

    public var message: String {
        switch self {
        case .unreachable: "unreachable"
        case .integerDivideByZero: "integer divide by zero"
        case .integerOverflow: "integer overflow"
        case .invalidConversionToInteger: "invalid conversion to integer"
        case .outOfBoundsMemoryAccess: "out of bounds memory access"
        case .outOfBoundsTableAccess: "out of bounds table access"
        case .undefinedElement: "undefined element"
        case .uninitializedElement: "uninitialized element"
        case .indirectCallTypeMismatch: "indirect call type mismatch"
        case .callStackExhausted: "call stack exhausted"
        case .nullFunctionReference: "null function reference"
        case .nullReference: "null reference"
        case .nullExceptionReference: "null exception reference"
        case .interrupted: "execution interrupted"
        case .host(let m): m
        }
    }
}

/// A trap: execution of WebAssembly code stopped abnormally.
public struct Trap: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: TrapReason
    /// Names of the guest functions on the stack when it trapped, innermost first
    /// (from the `name` section when present, else `func[N]`).
    public var backtrace: [String]

    public init(_ reason: TrapReason, backtrace: [String] = []) {
        self.reason = reason
        self.backtrace = backtrace
    }

    public var message: String { reason.message }

    public var description: String {
        if let top = backtrace.first { return "\(reason.message) (in \(top))" }
        return reason.message
    }
}
