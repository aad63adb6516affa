import WasmComponents
import WasmCore

/// An `error` resource of `wasi:io/error`.
public final class HostIOError {
    public let message: String
    /// The `wasi:filesystem` code, when a file operation failed.
    public let filesystemCode: FilesystemErrorCode?

    public init(_ message: String, filesystemCode: FilesystemErrorCode? = nil) {
        self.message = message
        self.filesystemCode = filesystemCode
    }
}

/// `wasi:io` 0.2: `error`, `poll` and `streams`.
///
/// WIT: `spin_sdk/wit/deps/io/{error,poll,streams}.wit` (wasi:io@0.2.0).
public enum WASIIO {
    public static let error = "wasi:io/error@0.2.0"
    public static let poll = "wasi:io/poll@0.2.0"
    public static let streams = "wasi:io/streams@0.2.0"

    /// `stream-error` for `failure`: `last-operation-failed(error)` (a new `error`) or `closed`.
    public static func streamError(_ failure: StreamFailure, _ context: WASIP2Context) -> ComponentValue {
        switch failure {
        case .closed:
            return .variant(case: 1, payload: nil)
        case .failed(let message, let code):
            return .variant(case: 0, payload: context.own(HostIOError(message, filesystemCode: code)))
        }
    }

    /// `result<T, stream-error>` of running `body`.
    static func result(_ context: WASIP2Context, _ body: () throws(StreamFailure) -> ComponentValue?)
        -> ComponentValue
    {
        do {
            return .ok(try body())
        } catch {
            return .err(streamError(error, context))
        }
    }

    static func define(_ d: inout WASIP2Definitions) {
        d.resource(error, "error")
        d.function(error, "[method]error.to-debug-string") { c, a in
            .string(try c.table.get(a.resource(0), as: HostIOError.self).message)
        }

        d.resource(poll, "pollable")
        d.function(poll, "[method]pollable.ready") { c, a in
            .bool(try c.table.get(a.resource(0), as: HostPollable.self).isReady)
        }
        d.function(poll, "[method]pollable.block") { c, a in
            _ = try HostPollable.poll([try c.table.get(a.resource(0), as: HostPollable.self)], limit: c.wasi.blockingDeadline)
            return nil
        }
        d.function(poll, "poll") { c, a in
            let pollables = try a.list(0).map { v -> HostPollable in
                guard case .borrow(let rep) = v else { throw a.mismatch(0, "list<borrow<pollable>>") }
                return try c.table.get(rep, as: HostPollable.self)
            }
            return .list(try HostPollable.poll(pollables, limit: c.wasi.blockingDeadline).map { .u32($0) })
        }

        d.resource(streams, "input-stream")
        d.resource(streams, "output-stream")
        for prefix in ["", "blocking-"] {
            d.function(streams, "[method]input-stream.\(prefix)read") { c, a in
                let s = try c.table.get(a.resource(0), as: HostInputStream.self)
                let n = try a.u64(1)
                return result(c) { () throws(StreamFailure) in .bytes(try s.read(n, wasi: c.wasi)) }
            }
            d.function(streams, "[method]input-stream.\(prefix)skip") { c, a in
                let s = try c.table.get(a.resource(0), as: HostInputStream.self)
                let n = try a.u64(1)
                return result(c) { () throws(StreamFailure) in .u64(UInt64(try s.read(n, wasi: c.wasi).count)) }
            }
        }
        d.function(streams, "[method]input-stream.subscribe") { c, a in
            _ = try c.table.get(a.resource(0), as: HostInputStream.self)
            return c.own(HostPollable(.ready))
        }
        d.function(streams, "[method]output-stream.check-write") { c, a in
            let s = try c.table.get(a.resource(0), as: HostOutputStream.self)
            return result(c) { () throws(StreamFailure) in .u64(try s.checkWrite()) }
        }
        for name in ["write", "blocking-write-and-flush"] {
            d.function(streams, "[method]output-stream.\(name)") { c, a in
                let s = try c.table.get(a.resource(0), as: HostOutputStream.self)
                let bytes = try a.bytes(1)
                return result(c) { () throws(StreamFailure) in
                    try s.write(bytes, wasi: c.wasi)
                    return nil
                }
            }
        }
        for name in ["write-zeroes", "blocking-write-zeroes-and-flush"] {
            d.function(streams, "[method]output-stream.\(name)") { c, a in
                let s = try c.table.get(a.resource(0), as: HostOutputStream.self)
                let n = try a.u64(1)
                guard n <= HostOutputStream.writeBudget else {
                    throw Trap(.host("output-stream.\(name): \(n) bytes is more than check-write allowed"))
                }
                return result(c) { () throws(StreamFailure) in
                    try s.write([UInt8](repeating: 0, count: Int(n)), wasi: c.wasi)
                    return nil
                }
            }
        }
        for name in ["flush", "blocking-flush"] {
            d.function(streams, "[method]output-stream.\(name)") { c, a in
                let s = try c.table.get(a.resource(0), as: HostOutputStream.self)
                return result(c) { () throws(StreamFailure) in
                    try s.flush()
                    return nil
                }
            }
        }
        d.function(streams, "[method]output-stream.subscribe") { c, a in
            _ = try c.table.get(a.resource(0), as: HostOutputStream.self)
            return c.own(HostPollable(.ready))
        }
        for name in ["splice", "blocking-splice"] {
            d.function(streams, "[method]output-stream.\(name)") { c, a in
                let out = try c.table.get(a.resource(0), as: HostOutputStream.self)
                let input = try c.table.get(a.resource(1), as: HostInputStream.self)
                let n = try a.u64(2)
                return result(c) { () throws(StreamFailure) in
                    _ = try out.checkWrite()
                    let bytes = try input.read(min(n, HostOutputStream.writeBudget), wasi: c.wasi)
                    try out.write(bytes, wasi: c.wasi)
                    return .u64(UInt64(bytes.count))
                }
            }
        }
    }
}
