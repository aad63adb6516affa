import Foundation

/// A response body that a handler produces while the server sends it: a bounded buffer
/// between one writer (the handler's worker thread) and the server's I/O thread.
///
/// The writer blocks in `write` while `capacity` bytes wait to be sent, so a slow client
/// never makes the server hold more than that. The server cancels the stream when the
/// connection goes away; later writes then fail.
///
///     let stream = HTTPResponseBodyStream()
///     request.startResponse?(HTTPResponse(status: 200, bodyStream: stream))
///     try stream.write(Array("first".utf8))
///     stream.finish()
public final class HTTPResponseBodyStream: @unchecked Sendable {
    /// Why a write failed.
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// The client went away (or the server stopped) before the body was sent.
        case cancelled
        /// The deadline passed while the client did not take the bytes.
        case timedOut
        /// More bytes than the response's `content-length` (`declared`).
        case tooLong(declared: Int)
        /// `finish`, `abort` or a failure already ended the stream.
        case ended

        public var description: String {
            switch self {
            case .cancelled: "the client closed the connection"
            case .timedOut: "the client did not take the response body in time"
            case .tooLong(let n): "the body is longer than its content-length \(n)"
            case .ended: "the body was already ended"
            }
        }
    }

    /// How the stream ended, as the reader sees it.
    public enum End: Sendable {
        /// Complete, with these trailers (sent only with chunked framing).
        case finished(trailers: HTTPHeaders)
        /// Incomplete: the connection must be closed without completing the message.
        case aborted
    }

    /// Most bytes buffered before `write` blocks.
    public let capacity: Int
    /// The `content-length` the response declared (nil: none), checked by `write` and `finish`.
    public let declaredLength: Int?

    private let condition = NSCondition()
    // Guarded by `condition`:
    private var buffer: [UInt8] = []
    private var written = 0
    private var end: End?
    private var cancelled = false
    private var onReadable: (@Sendable () -> Void)?

    public init(capacity: Int = 64 << 10, declaredLength: Int? = nil) {
        self.capacity = max(1, capacity)
        self.declaredLength = declaredLength
    }

    // MARK: Writer side

    /// Appends `bytes`, waiting while the buffer is full (until `deadline`, if given). Past
    /// `declaredLength`, the bytes that fit are appended and then `tooLong` is thrown (as
    /// wasmtime's outgoing bodies do).
    public func write(_ bytes: [UInt8], deadline: Date? = nil) throws(Failure) {
        var offset = 0
        condition.lock()
        defer { condition.unlock() }
        if end != nil { throw .ended }
        let count = declaredLength.map { min(bytes.count, max(0, $0 - written)) } ?? bytes.count
        while offset < count {
            while buffer.count >= capacity && !cancelled {
                if let deadline {
                    if !condition.wait(until: deadline) && buffer.count >= capacity && !cancelled { throw .timedOut }
                } else {
                    condition.wait()
                }
            }
            if cancelled { throw .cancelled }
            let n = min(capacity - buffer.count, count - offset)
            buffer.append(contentsOf: bytes[offset..<offset + n])
            offset += n
            written += n
            let notify = onReadable
            condition.unlock()
            notify?()
            condition.lock()
        }
        if count < bytes.count, let declaredLength { throw .tooLong(declared: declaredLength) }
    }

    /// Ends the body. Returns false (and aborts) when fewer bytes than `declaredLength` were written.
    @discardableResult
    public func finish(trailers: HTTPHeaders = []) -> Bool {
        condition.lock()
        guard end == nil else {
            condition.unlock()
            return false
        }
        let complete = declaredLength.map { written == $0 } ?? true
        end = complete ? .finished(trailers: trailers) : .aborted
        let notify = onReadable
        condition.unlock()
        notify?()
        return complete
    }

    /// Ends the body as incomplete (the writer failed); no effect once ended.
    public func abort() {
        condition.lock()
        if end == nil { end = .aborted }
        let notify = onReadable
        condition.unlock()
        notify?()
    }

    /// Body bytes written so far.
    public var writtenByteCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return written
    }

    // MARK: Reader side (the server)

    /// Takes up to `max` buffered bytes, and the end once everything before it was taken.
    package func read(max: Int) -> (bytes: [UInt8], end: End?) {
        condition.lock()
        defer { condition.unlock() }
        let n = min(max, buffer.count)
        let bytes = Array(buffer[0..<n])
        buffer.removeFirst(n)
        if n > 0 { condition.broadcast() }
        return (bytes, buffer.isEmpty ? end : nil)
    }

    /// Called (on the writer's thread, without the lock) whenever bytes or the end arrive.
    package func setReadableHandler(_ handler: @escaping @Sendable () -> Void) {
        condition.lock()
        onReadable = handler
        condition.unlock()
        handler()
    }

    /// The reader is gone: wakes a blocked writer, whose writes now fail.
    package func cancel() {
        condition.lock()
        cancelled = true
        buffer = []
        onReadable = nil
        condition.broadcast()
        condition.unlock()
    }
}
