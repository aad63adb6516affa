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

    /// A failed command, the way Spin (anyhow) prints it on stderr: `Error: <message>`, then,
    /// when there are causes, a blank line, `Caused by:` and each cause (indented, numbered
    /// `0:`, `1:`... when there are several). Usage errors keep clap's `error: ` form
    /// (`CommandSpec.fail`).
    public func error(_ message: String, causes: [String] = []) {
        var text = "Error: \(message)\n"
        if !causes.isEmpty {
            text += "\nCaused by:\n"
            for (i, cause) in causes.enumerated() {
                let lead =
                    causes.count > 1 ? String(repeating: " ", count: max(0, 4 - "\(i)".count)) + "\(i): " : "      "
                let indent = "\n" + String(repeating: " ", count: lead.count)
                text +=
                    lead + cause.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: indent)
                    + "\n"
            }
        }
        err(text)
    }
}
