import WasmWASI

/// Why a stream operation failed: `stream-error` of `wasi:io/streams`.
public enum StreamFailure: Error, Sendable, Equatable {
    /// The stream is closed (input: end of stream); no more operations will succeed.
    case closed
    /// The last operation failed: `last-operation-failed(error)` with this message and, for
    /// a file, its `wasi:filesystem` error code.
    case failed(String, filesystemCode: FilesystemErrorCode?)
}

/// An `input-stream` resource: the bytes of a request body, a file from an offset, stdin.
public final class HostInputStream {
    /// Where the bytes come from.
    public enum Source {
        /// A fixed byte string, then end of stream.
        case bytes([UInt8])
        /// A preview1 descriptor of the context's `WASI`, from `offset` on (nil: its position).
        case descriptor(fd: UInt32, offset: UInt64?)
        /// End of stream at once.
        case empty
    }

    var source: Source
    var position = 0
    /// Set when the stream's parent (e.g. an `incoming-body`) is gone.
    public var isClosed = false

    public init(_ source: Source) { self.source = source }

    /// Reads at most `count` bytes; an empty result only when `count` is 0.
    /// At the end of the stream throws `.closed`.
    public func read(_ count: UInt64, wasi: WASI) throws(StreamFailure) -> [UInt8] {
        if isClosed { throw .closed }
        let n = Int(min(count, 1 << 20))
        if n == 0 { return [] }
        switch source {
        case .empty:
            throw .closed
        case .bytes(let bytes):
            guard position < bytes.count else { throw .closed }
            let end = min(bytes.count, position + n)
            defer { position = end }
            return Array(bytes[position..<end])
        case .descriptor(let fd, let offset):
            let got: [UInt8]
            do {
                got = try wasi.readBytes(fd: fd, count: n, offset: offset)
            } catch {
                throw .failed("read: \(error)", filesystemCode: FilesystemErrorCode(error))
            }
            if got.isEmpty { throw .closed }
            if let offset { source = .descriptor(fd: fd, offset: offset + UInt64(got.count)) }
            return got
        }
    }
}

/// Where an `outgoing-body` (or any buffered output stream) collects its bytes.
public final class ByteSink {
    public private(set) var bytes: [UInt8] = []
    /// The largest byte count accepted (further writes fail).
    public let limit: Int

    /// When set, appended bytes go here instead of being kept (a body sent as it is written;
    /// the closure may block, e.g. while the client is slow). `limit` does not apply then.
    public var forward: (([UInt8]) throws(StreamFailure) -> Void)?

    public init(limit: Int = Int.max) { self.limit = limit }

    public func append(_ more: [UInt8]) throws(StreamFailure) {
        if let forward {
            try forward(more)
            return
        }
        guard bytes.count + more.count <= limit else {
            throw .failed("the body is larger than the \(limit) bytes allowed", filesystemCode: nil)
        }
        bytes += more
    }

    /// Returns the bytes and empties the sink.
    public func take() -> [UInt8] {
        defer { bytes = [] }
        return bytes
    }
}

/// An `output-stream` resource: stdout/stderr, a file at an offset or appending, a body.
public final class HostOutputStream {
    public enum Sink {
        /// A preview1 descriptor of the context's `WASI`, at `offset` (nil: its position or end).
        case descriptor(fd: UInt32, offset: UInt64?)
        /// A preview1 descriptor, always at its end (`append-via-stream`).
        case append(fd: UInt32)
        /// An in-memory sink (an HTTP body).
        case bytes(ByteSink)
        /// Thrown away.
        case discard
    }

    var sink: Sink
    /// Set when the stream's parent (e.g. an `outgoing-body` that was finished) is gone.
    public var isClosed = false

    /// What `check-write` grants: writes of up to this many bytes at a time.
    public static let writeBudget: UInt64 = 1 << 20

    public init(_ sink: Sink) { self.sink = sink }

    public func checkWrite() throws(StreamFailure) -> UInt64 {
        if isClosed { throw .closed }
        return Self.writeBudget
    }

    /// Writes all of `bytes`.
    public func write(_ bytes: [UInt8], wasi: WASI) throws(StreamFailure) {
        if isClosed { throw .closed }
        switch sink {
        case .discard:
            return
        case .bytes(let s):
            try s.append(bytes)
        case .append(let fd):
            do {
                try wasi.writeBytes(fd: fd, bytes, offset: try wasi.fdFilestatGet(fd: fd).size)
            } catch {
                throw .failed("write: \(error)", filesystemCode: FilesystemErrorCode(error))
            }
        case .descriptor(let fd, let offset):
            do {
                let n = try wasi.writeBytes(fd: fd, bytes, offset: offset)
                if let offset { sink = .descriptor(fd: fd, offset: offset + UInt64(n)) }
            } catch {
                throw .failed("write: \(error)", filesystemCode: FilesystemErrorCode(error))
            }
        }
    }

    public func flush() throws(StreamFailure) {
        if isClosed { throw .closed }
    }
}
