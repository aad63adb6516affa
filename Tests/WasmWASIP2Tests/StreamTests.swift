import Foundation
import WasmComponents
import WasmCore
import WasmWASI
import WasmWASIP2
import Testing

/// `wasi:io/streams`, `poll`, `error`: the semantics a guest relies on.
struct StreamTests {
    @Test func readReturnsWhatIsThereThenClosed() throws {
        let f = try P2Fixture(stdin: Array("hello world".utf8))
        let stdin = try #require(P2Fixture.rep(try f.call("wasi:cli/stdin", "get-stdin")))
        #expect(try f.call("wasi:io/streams", "[method]input-stream.read", [.borrow(stdin), .u64(5)]) == .ok(.bytes(Array("hello".utf8))))
        // A zero-length read is an empty success, not end of stream.
        #expect(try f.call("wasi:io/streams", "[method]input-stream.read", [.borrow(stdin), .u64(0)]) == .ok(.bytes([])))
        #expect(try f.call("wasi:io/streams", "[method]input-stream.skip", [.borrow(stdin), .u64(1)]) == .ok(.u64(1)))
        #expect(
            try f.call("wasi:io/streams", "[method]input-stream.blocking-read", [.borrow(stdin), .u64(100)])
                == .ok(.bytes(Array("world".utf8))))
        // End of stream: the `closed` case (1) of stream-error, with no payload.
        #expect(
            try f.call("wasi:io/streams", "[method]input-stream.read", [.borrow(stdin), .u64(1)])
                == .err(.variant(case: 1, payload: nil)))
    }

    @Test func stdoutWritesReachTheSink() throws {
        let f = try P2Fixture()
        let out = try #require(P2Fixture.rep(try f.call("wasi:cli/stdout", "get-stdout")))
        let budget = try f.call("wasi:io/streams", "[method]output-stream.check-write", [.borrow(out)])
        guard case .ok(.u64(let permit)?)? = budget else { Issue.record("check-write: \(String(describing: budget))"); return }
        #expect(permit > 0)
        #expect(try f.call("wasi:io/streams", "[method]output-stream.write", [.borrow(out), .bytes(Array("ab".utf8))]) == .ok(nil))
        #expect(
            try f.call("wasi:io/streams", "[method]output-stream.blocking-write-and-flush", [.borrow(out), .bytes(Array("cd".utf8))])
                == .ok(nil))
        #expect(try f.call("wasi:io/streams", "[method]output-stream.write-zeroes", [.borrow(out), .u64(2)]) == .ok(nil))
        #expect(try f.call("wasi:io/streams", "[method]output-stream.blocking-flush", [.borrow(out)]) == .ok(nil))
        #expect(f.stdout.bytes == Array("abcd".utf8) + [0, 0])
    }

    @Test func spliceMovesBytesAndReportsEndOfInput() throws {
        let f = try P2Fixture(stdin: Array("0123456789".utf8))
        let stdin = try #require(P2Fixture.rep(try f.call("wasi:cli/stdin", "get-stdin")))
        let out = try #require(P2Fixture.rep(try f.call("wasi:cli/stdout", "get-stdout")))
        #expect(try f.call("wasi:io/streams", "[method]output-stream.splice", [.borrow(out), .borrow(stdin), .u64(4)]) == .ok(.u64(4)))
        #expect(
            try f.call("wasi:io/streams", "[method]output-stream.blocking-splice", [.borrow(out), .borrow(stdin), .u64(100)])
                == .ok(.u64(6)))
        #expect(f.stdout.string == "0123456789")
        #expect(
            try f.call("wasi:io/streams", "[method]output-stream.splice", [.borrow(out), .borrow(stdin), .u64(1)])
                == .err(.variant(case: 1, payload: nil)))
    }

    @Test func pollWaitsForTheEarliestDeadline() throws {
        let f = try P2Fixture()
        let stdout = try #require(P2Fixture.rep(try f.call("wasi:cli/stdout", "get-stdout")))
        let ready = try #require(P2Fixture.rep(try f.call("wasi:io/streams", "[method]output-stream.subscribe", [.borrow(stdout)])))
        let soon = try #require(P2Fixture.rep(try f.call("wasi:clocks/monotonic-clock", "subscribe-duration", [.u64(20_000_000)])))
        let late = try #require(P2Fixture.rep(try f.call("wasi:clocks/monotonic-clock", "subscribe-duration", [.u64(60_000_000_000)])))
        #expect(try f.call("wasi:io/poll", "[method]pollable.ready", [.borrow(ready)]) == .bool(true))
        #expect(try f.call("wasi:io/poll", "[method]pollable.ready", [.borrow(soon)]) == .bool(false))
        #expect(try f.call("wasi:io/poll", "poll", [.list([.borrow(late), .borrow(ready)])]) == .list([.u32(1)]))
        let start = Clock.monotonicNow()
        #expect(try f.call("wasi:io/poll", "poll", [.list([.borrow(late), .borrow(soon)])]) == .list([.u32(1)]))
        #expect(Clock.monotonicNow() - start >= 15_000_000)
        #expect(try f.call("wasi:io/poll", "[method]pollable.ready", [.borrow(soon)]) == .bool(true))
        // An empty list would wait forever: a trap.
        #expect(throws: Trap.self) { try f.call("wasi:io/poll", "poll", [.list([])]) }
    }

    @Test func pollNeverWaitsPastTheInstanceDeadline() throws {
        let f = try P2Fixture()
        f.context.wasi.setTimeout(.milliseconds(30))
        let late = try #require(P2Fixture.rep(try f.call("wasi:clocks/monotonic-clock", "subscribe-duration", [.u64(60_000_000_000)])))
        #expect(throws: Trap(.interrupted)) { try f.call("wasi:io/poll", "[method]pollable.block", [.borrow(late)]) }
    }

    @Test func failedFileWriteCarriesAnErrorWithAFilesystemCode() throws {
        let f = try P2Fixture()
        let dir = try f.preopen()
        try FileManager.default.createDirectory(atPath: f.directory + "/d", withIntermediateDirectories: false)
        let opened = try f.call(
            "wasi:filesystem/types", "[method]descriptor.open-at",
            [.borrow(dir), .flags([]), .string("d"), .flags([1]), .flags([0])])
        let d = try #require(P2Fixture.rep(P2Fixture.ok(opened)))
        // A directory read as a stream: the read fails with last-operation-failed(error).
        let stream = try #require(P2Fixture.rep(P2Fixture.ok(try f.call(
            "wasi:filesystem/types", "[method]descriptor.read-via-stream", [.borrow(d), .u64(0)]))))
        let result = try f.call("wasi:io/streams", "[method]input-stream.read", [.borrow(stream), .u64(10)])
        guard case .err(.variant(case: 0, payload: .own(let error)?))? = result else {
            Issue.record("expected last-operation-failed, got \(String(describing: result))")
            return
        }
        guard case .string(let message)? = try f.call("wasi:io/error", "[method]error.to-debug-string", [.borrow(error)]) else {
            Issue.record("to-debug-string returned no string")
            return
        }
        #expect(message.contains("read"))
        #expect(
            try f.call("wasi:filesystem/types", "filesystem-error-code", [.borrow(error)])
                == .option(.enumeration(FilesystemErrorCode.isDirectory.rawValue)))
        // The error resource is dropped like any other.
        try f.context.dropResource(error)
        #expect(f.context.table.lookup(error, as: HostIOError.self) == nil)
    }
}
