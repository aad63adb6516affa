import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A fixed set of threads running submitted jobs in FIFO order.
final class WorkerPool: Sendable {
    typealias Job = @Sendable () -> Void

    private let queue = Mutex<[Job?]>([])
    private let available = DispatchSemaphore(value: 0)
    private let finished = DispatchGroup()
    let threadCount: Int

    init(threads: Int, stackSize: Int, name: String) {
        threadCount = max(1, threads)
        for i in 0..<threadCount {
            finished.enter()
            let threadName = "\(name)-\(i)"
            let thread = Thread { [self] in
                setCurrentThreadName(threadName)
                runLoop()
                finished.leave()
            }
            if stackSize > 0 { thread.stackSize = stackSize }
            thread.start()
        }
    }

    func submit(_ job: @escaping Job) {
        queue.withLock { $0.append(job) }
        available.signal()
    }

    /// Lets queued jobs finish, then ends the threads. Waits at most `timeout` for them.
    @discardableResult
    func shutdown(timeout: DispatchTime = .distantFuture) -> Bool {
        queue.withLock { q in
            for _ in 0..<threadCount { q.append(nil) }
        }
        for _ in 0..<threadCount { available.signal() }
        return finished.wait(timeout: timeout) == .success
    }

    private func runLoop() {
        while true {
            available.wait()
            let job: Job?? = queue.withLock { q in q.isEmpty ? .none : .some(q.removeFirst()) }
            guard let next = job else { continue }
            guard let run = next else { return }
            run()
        }
    }
}

/// Sets the kernel-visible name of the calling thread (shown by `top -H`, debuggers).
/// Foundation's `Thread.name` does not reliably reach the kernel on Linux.
func setCurrentThreadName(_ name: String) {
    let fd = open("/proc/thread-self/comm", O_WRONLY)
    guard fd >= 0 else { return }
    let bytes = Array(name.utf8.prefix(15))
    _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    close(fd)
}

/// The kernel-visible name of the calling thread.
func currentThreadName() -> String {
    let fd = open("/proc/thread-self/comm", O_RDONLY)
    guard fd >= 0 else { return "" }
    defer { close(fd) }
    var buf = [UInt8](repeating: 0, count: 32)
    let n = read(fd, &buf, buf.count)
    guard n > 0 else { return "" }
    return String(decoding: buf[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
}
