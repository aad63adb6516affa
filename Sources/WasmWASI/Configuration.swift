import Synchronization

/// What a WASI instance sees: arguments, environment, preopened directories and stdio.
public struct WASIConfiguration: Sendable {
    /// A host directory offered to the guest under `guestPath`.
    public struct Preopen: Sendable, Equatable {
        public var hostPath: String
        public var guestPath: String
        /// When true, nothing under this directory can be created, changed or removed (`EROFS`).
        public var readOnly: Bool

        public init(hostPath: String, guestPath: String, readOnly: Bool = false) {
            self.hostPath = hostPath
            self.guestPath = guestPath
            self.readOnly = readOnly
        }
    }

    /// `argv`, including the program name as `args[0]`.
    public var args: [String]
    /// Environment variables; the guest sees them sorted by name.
    public var environment: [String: String]
    public var preopens: [Preopen]
    public var stdin: InputSource
    public var stdout: OutputSink
    public var stderr: OutputSink

    public init(
        args: [String] = [], environment: [String: String] = [:], preopens: [Preopen] = [],
        stdin: InputSource = .bytes([]), stdout: OutputSink = .inherit, stderr: OutputSink = .inherit
    ) {
        self.args = args
        self.environment = environment
        self.preopens = preopens
        self.stdin = stdin
        self.stdout = stdout
        self.stderr = stderr
    }
}

/// Where the guest's stdin comes from.
public enum InputSource: Sendable {
    /// The host process's standard input.
    case inherit
    /// A fixed byte string, then end of file (WAGI: the request body).
    case bytes([UInt8])
}

/// Where the guest's stdout or stderr goes.
public enum OutputSink: Sendable {
    /// The host process's stdout / stderr.
    case inherit
    /// Appended to an in-memory buffer (WAGI: the response).
    case buffer(OutputBuffer)
    /// Passed to a closure, one call per `fd_write`.
    case sink(@Sendable ([UInt8]) -> Void)
    /// Thrown away.
    case discard
}

/// Collects bytes a guest writes. Safe to read from another thread.
public final class OutputBuffer: Sendable {
    private let storage = Mutex<[UInt8]>([])

    public init() {}

    public func append(_ bytes: some Sequence<UInt8>) {
        storage.withLock { $0.append(contentsOf: bytes) }
    }

    /// Everything written so far.
    public var bytes: [UInt8] { storage.withLock { $0 } }

    /// Everything written so far, decoded as UTF-8 (invalid sequences repaired).
    public var string: String { String(decoding: bytes, as: UTF8.self) }

    /// Returns the contents and empties the buffer.
    public func take() -> [UInt8] {
        storage.withLock { b in
            defer { b = [] }
            return b
        }
    }
}

/// Thrown out of the `proc_exit` host function: the guest asked to end with `code`.
/// The engine propagates it unchanged to whoever invoked the guest.
public struct WASIExit: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: UInt32
    public init(code: UInt32) { self.code = code }
    public var description: String { "guest exited with code \(code)" }
}

/// Setting up a WASI instance failed (e.g. a preopen directory cannot be opened).
public struct WASIError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
