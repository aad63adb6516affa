#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where a command writes: its standard output and standard error, replaceable so tests can
/// run commands in-process and read what they printed.
///
/// Both writers take text as is (add the `"\n"` yourself, or use `print`/`error`).
public struct Console: Sendable {
    public var out: @Sendable (String) -> Void
    public var err: @Sendable (String) -> Void

    public init(out: @escaping @Sendable (String) -> Void, err: @escaping @Sendable (String) -> Void) {
        self.out = out
        self.err = err
    }

    /// The process's stdout (through Swift's `print`, so it shares `print`'s buffer and
    /// ordering) and stderr (unbuffered).
    public static let standard = Console(
        out: { Swift.print($0, terminator: "") },
        err: { text in
            var bytes = Array(text.utf8)[...]
            while !bytes.isEmpty {
                let n = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return }
                bytes = bytes.dropFirst(n)
            }
        })

    /// One line on stdout.
    public func print(_ line: String) { out(line + "\n") }

    /// `error: <message>` on stderr.
    public func error(_ message: String) { err("error: \(message)\n") }
}
