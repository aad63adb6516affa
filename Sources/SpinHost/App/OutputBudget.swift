import Synchronization
import WasmWASI

/// The bytes one request's guest may still write to stdout and stderr together
/// (`GuestLimits.maxOutputBytes`). Writes past it are dropped; the first drop is reported once.
final class OutputBudget: Sendable {
    let limit: Int
    private let state = Mutex<(used: Int, exceeded: Bool)>((0, false))
    private let onFirstExcess: @Sendable () -> Void

    init(limit: Int, onFirstExcess: @escaping @Sendable () -> Void) {
        self.limit = limit
        self.onFirstExcess = onFirstExcess
    }

    /// Whether some output was dropped.
    var exceeded: Bool { state.withLock { $0.exceeded } }

    /// How many of `count` bytes may be written.
    func take(_ count: Int) -> Int {
        let (allowed, first) = state.withLock { s -> (Int, Bool) in
            let allowed = min(count, limit - s.used)
            s.used += allowed
            let first = allowed < count && !s.exceeded
            if allowed < count { s.exceeded = true }
            return (allowed, first)
        }
        if first { onFirstExcess() }
        return allowed
    }

    /// `sink`, with writes counted against this budget.
    func capping(_ sink: OutputSink) -> OutputSink {
        switch sink {
        case .inherit, .discard: return sink
        case .buffer(let buffer):
            return .sink { [self] bytes in
                let n = take(bytes.count)
                if n > 0 { buffer.append(bytes.prefix(n)) }
            }
        case .sink(let write):
            return .sink { [self] bytes in
                let n = take(bytes.count)
                if n == bytes.count { write(bytes) } else if n > 0 { write(Array(bytes.prefix(n))) }
            }
        }
    }
}
