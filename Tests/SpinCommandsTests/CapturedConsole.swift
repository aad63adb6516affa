import ArgumentParsing
import Foundation

/// A `Console` that keeps what a command writes, for running commands in-process.
final class CapturedConsole: @unchecked Sendable {
    private let lock = NSLock()
    private var outText = ""
    private var errText = ""

    var out: String { lock.withLock { outText } }
    var err: String { lock.withLock { errText } }

    var console: Console {
        Console(
            out: { text in self.lock.withLock { self.outText += text } },
            err: { text in self.lock.withLock { self.errText += text } })
    }

    /// Runs `body` with this console; returns its exit status.
    static func run(_ body: (Console) -> Int32) -> (status: Int32, out: String, err: String) {
        let captured = CapturedConsole()
        let status = body(captured.console)
        return (status, captured.out, captured.err)
    }
}
