import Dispatch
import Foundation
import Testing
import WasmCore

@testable import WasmComponents

/// A stub `wasi:http@0.2.0` host (just what `c-zig-nostdio` imports), recording what the
/// guest does: resources are numbers into the host's own tables, as `ComponentValue` documents.
final class StubHTTPHost: @unchecked Sendable {
    var fields: [UInt32: [(String, [UInt8])]] = [:]
    var responses: [UInt32: (headers: UInt32, status: UInt16)] = [:]
    var bodies: [UInt32: [UInt8]] = [:]
    /// Output stream rep to the body it writes.
    var streams: [UInt32: UInt32] = [:]
    var finished: Set<UInt32> = []
    var responseSet: ComponentValue?
    var dropped: [String] = []
    var next: UInt32 = 100
    /// What the guest wrote to stderr (the stream rep `stderrRep`).
    var stderr: [UInt8] = []
    let stderrRep: UInt32 = 7

    func fresh() -> UInt32 {
        next += 1
        return next
    }

    /// A linker with every function and resource the component imports.
    func linker() -> ComponentLinker {
        var l = ComponentLinker()
        let http = "wasi:http/types@0.2.0"
        let io = "wasi:io/streams@0.2.0"
        l.defineResource(interface: "wasi:io/error@0.2.0", name: "error")
        l.defineResource(interface: io, name: "output-stream") { [unowned self] _, rep in dropped.append("stream \(rep)") }
        for r in ["incoming-request", "fields", "outgoing-response", "outgoing-body", "response-outparam"] {
            l.defineResource(interface: http, name: r) { [unowned self] _, rep in dropped.append("\(r) \(rep)") }
        }
        l.defineFunction(interface: http, name: "[method]incoming-request.method") { _, args in
            guard case .borrow = args[0] else { throw Trap(.host("self is not a borrow: \(args)")) }
            return .variant(case: 2, payload: nil)  // post
        }
        l.defineFunction(interface: http, name: "[method]incoming-request.path-with-query") { _, _ in
            .option(.string("/hello?q=é"))
        }
        l.defineFunction(interface: http, name: "[constructor]fields") { [unowned self] _, _ in
            let rep = fresh()
            fields[rep] = []
            return .own(rep)
        }
        l.defineFunction(interface: http, name: "[method]fields.append") { [unowned self] _, args in
            guard case .borrow(let rep) = args[0], case .string(let name) = args[1], case .bytes(let value) = args[2] else {
                throw Trap(.host("bad fields.append arguments \(args)"))
            }
            fields[rep, default: []].append((name, value))
            return .ok(nil)
        }
        l.defineFunction(interface: http, name: "[constructor]outgoing-response") { [unowned self] _, args in
            guard case .own(let headers) = args[0] else { throw Trap(.host("headers not owned")) }
            let rep = fresh()
            responses[rep] = (headers, 200)
            return .own(rep)
        }
        l.defineFunction(interface: http, name: "[method]outgoing-response.set-status-code") { [unowned self] _, args in
            guard case .borrow(let rep) = args[0], case .u16(let status) = args[1] else { throw Trap(.host("bad status")) }
            responses[rep]!.status = status
            return .ok(nil)
        }
        l.defineFunction(interface: http, name: "[method]outgoing-response.body") { [unowned self] _, _ in
            let rep = fresh()
            bodies[rep] = []
            return .ok(.own(rep))
        }
        l.defineFunction(interface: http, name: "[method]outgoing-body.write") { [unowned self] _, args in
            guard case .borrow(let body) = args[0] else { throw Trap(.host("bad body")) }
            let rep = fresh()
            streams[rep] = body
            return .ok(.own(rep))
        }
        l.defineFunction(interface: http, name: "[static]outgoing-body.finish") { [unowned self] _, args in
            guard case .own(let body) = args[0], case .option(nil) = args[1] else { throw Trap(.host("bad finish \(args)")) }
            finished.insert(body)
            return .ok(nil)
        }
        l.defineFunction(interface: http, name: "[static]response-outparam.set") { [unowned self] _, args in
            guard case .own = args[0] else { throw Trap(.host("outparam not owned")) }
            responseSet = args[1]
            return nil
        }
        l.defineFunction(interface: io, name: "[method]output-stream.blocking-write-and-flush") { [unowned self] _, args in
            try write(args)
        }
        return l
    }

    private func write(_ args: [ComponentValue]) throws -> ComponentValue? {
        guard case .borrow(let rep) = args[0], case .bytes(let bytes) = args[1] else { throw Trap(.host("bad write \(args)")) }
        if rep == stderrRep {
            stderr += bytes
        } else if let body = streams[rep] {
            bodies[body, default: []] += bytes
        } else {
            throw Trap(.host("write to unknown stream \(rep)"))
        }
        return .ok(nil)
    }

    /// `linker()` plus what the preview1 adapter of `c-zig-stdio` imports: stdio, the wall
    /// clock and (empty) preopens; the rest traps if called.
    func stdioLinker() -> ComponentLinker {
        var l = linker()
        let io = "wasi:io/streams@0.2.0"
        let fs = "wasi:filesystem/types@0.2.0"
        l.defineResource(interface: io, name: "input-stream")
        l.defineResource(interface: fs, name: "descriptor")
        l.defineResource(interface: fs, name: "directory-entry-stream")
        l.defineFunction(interface: "wasi:cli/stderr@0.2.0", name: "get-stderr") { [unowned self] _, _ in .own(stderrRep) }
        l.defineFunction(interface: "wasi:cli/stdout@0.2.0", name: "get-stdout") { [unowned self] _, _ in .own(stderrRep) }
        l.defineFunction(interface: "wasi:cli/stdin@0.2.0", name: "get-stdin") { _, _ in .own(9) }
        l.defineFunction(interface: io, name: "[method]output-stream.check-write") { _, _ in .ok(.u64(65536)) }
        l.defineFunction(interface: io, name: "[method]output-stream.write") { [unowned self] _, args in try write(args) }
        l.defineFunction(interface: io, name: "[method]output-stream.blocking-flush") { _, _ in .ok(nil) }
        l.defineFunction(interface: "wasi:clocks/wall-clock@0.2.0", name: "now") { _, _ in .record([.u64(1), .u32(2)]) }
        l.defineFunction(interface: "wasi:filesystem/preopens@0.2.0", name: "get-directories") { _, _ in .list([]) }
        l.defineFunction(interface: fs, name: "filesystem-error-code") { _, _ in .option(nil) }
        for name in [
            "[method]descriptor.write-via-stream", "[method]descriptor.append-via-stream", "[method]descriptor.get-type",
            "[method]descriptor.stat",
        ] {
            l.defineFunction(interface: fs, name: name) { _, _ in throw Trap(.host("\(name) is not stubbed")) }
        }
        return l
    }
}

@Suite("Component runtime on real components")
struct RuntimeFixtureTests {
    static func component() throws -> Component {
        try Component(bytes: try FixtureTests.load(FixtureTests.fixtures + "/c-zig-nostdio.wasm"))
    }

    /// The C handler runs end to end against the stub host: request in, response (status,
    /// headers, body) out, every resource handed back or dropped.
    @Test func cHandlerServesARequest() throws {
        let host = StubHTTPHost()
        let linked = try host.linker().link(try Self.component())
        let store = Store()
        let instance = try linked.instantiate(in: store)
        let handle = try #require(instance.function(interface: "wasi:http/incoming-handler@0.2.0", name: "handle"))
        #expect(handle.type.parameters.map(\.label) == ["request", "response-out"])
        #expect(try handle.call([.own(1), .own(2)]) == nil)

        guard case .ok(.own(let response))? = host.responseSet, let r = host.responses[response] else {
            Issue.record("no response set: \(String(describing: host.responseSet))")
            return
        }
        #expect(r.status == 200)
        #expect(host.fields[r.headers]!.map(\.0) == ["content-type", "x-guest"])
        #expect(host.fields[r.headers]!.map { String(decoding: $0.1, as: UTF8.self) } == ["text/plain", "c-zig"])
        let body = host.bodies.values.first { !$0.isEmpty }.map { String(decoding: $0, as: UTF8.self) }
        #expect(body == "Hello from a C (zig cc) component: POST /hello?q=é\n")
        #expect(host.finished.count == 1)
        // The guest dropped the request (rep 1) and the stream it wrote.
        #expect(host.dropped.contains("incoming-request 1"))
        #expect(host.dropped.contains { $0.hasPrefix("stream ") })
    }

    /// The same handler behind the preview1 reactor adapter: its `fprintf(stderr)` goes through
    /// the adapter's core modules to `wasi:cli/stderr` and `output-stream`.
    @Test func adaptedHandlerWritesToStderr() throws {
        let component = try Component(bytes: try FixtureTests.load(FixtureTests.fixtures + "/c-zig-stdio.wasm"))
        let host = StubHTTPHost()
        let linked = try host.stdioLinker().link(component)
        let instance = try linked.instantiate(in: Store())
        let handle = try #require(instance.function(interface: "wasi:http/incoming-handler@0.2.0", name: "handle"))
        _ = try handle.call([.own(1), .own(2)])
        #expect(String(decoding: host.stderr, as: UTF8.self) == "c-zig guest: POST /hello?q=é\n")
        let body = host.bodies.values.first { !$0.isEmpty }.map { String(decoding: $0, as: UTF8.self) }
        #expect(body == "Hello from a C (zig cc) component: POST /hello?q=é\n")
    }

    /// A host function that calls back into the instance it serves traps (recursive
    /// reentrance), and the trap leaves the instance unusable.
    @Test func hostReentranceTraps() throws {
        let host = StubHTTPHost()
        var linker = host.linker()
        final class Box: @unchecked Sendable { var handle: ComponentFunction? }
        let box = Box()
        linker.defineFunction(interface: "wasi:http/types@0.2.0", name: "[constructor]fields") { _, _ in
            _ = try box.handle!.call([.own(1), .own(2)])
            return .own(1)
        }
        let instance = try linker.link(try Self.component()).instantiate(in: Store())
        box.handle = instance.function(interface: "wasi:http/incoming-handler@0.2.0", name: "handle")
        #expect {
            try box.handle!.call([.own(1), .own(2)])
        } throws: { ($0 as? Trap)?.message.contains("cannot enter component instance (recursive reentrance)") == true }
        #expect {
            try box.handle!.call([.own(1), .own(2)])
        } throws: { ($0 as? Trap)?.message.contains("cannot enter component instance: it trapped earlier") == true }
        box.handle = nil
    }

    /// A host function returning the wrong type traps with its name and both types; so do
    /// wrong arguments from the host.
    @Test func typeMismatchesNameTheFunction() throws {
        let host = StubHTTPHost()
        defer { withExtendedLifetime(host) {} }
        var linker = host.linker()
        linker.defineFunction(interface: "wasi:http/types@0.2.0", name: "[constructor]fields") { _, _ in .string("oops") }
        let instance = try linker.link(try Self.component()).instantiate(in: Store())
        let handle = try #require(instance.function(interface: "wasi:http/incoming-handler@0.2.0", name: "handle"))
        #expect {
            try handle.call([.own(1), .own(2)])
        } throws: {
            ($0 as? Trap)?.message
                == "result of host function `wasi:http/types@0.2.0#[constructor]fields`: type mismatch: value string(\"oops\") is not a own<resource>"
        }
        let fresh = try linker.link(try Self.component()).instantiate(in: Store())
        let handle2 = try #require(fresh.function(interface: "wasi:http/incoming-handler@0.2.0", name: "handle"))
        #expect {
            try handle2.call([.u32(1), .own(2)])
        } throws: { ($0 as? Trap)?.message.contains("arguments of lifted function") == true }
    }

    /// A component `start` function without values runs during instantiation (here: an
    /// imported host function).
    @Test func startFunctionRuns() throws {
        typealias B = ComponentBuilder
        var b = ComponentBuilder()
        b.vectorSection(7, [[0x40, 0x00, 0x01, 0x00]])  // type 0: func()
        b.vectorSection(10, [B.externName("ping") + [0x01, 0x00]])  // import "ping": func type 0
        b.section(9, [0x00, 0x00, 0x00])  // start: func 0, no arguments, no results
        let component = try Component(bytes: b.bytes)
        final class Counter: @unchecked Sendable { var calls = 0 }
        let counter = Counter()
        var linker = ComponentLinker()
        linker.defineFunction(interface: nil, name: "ping") { _, _ in
            counter.calls += 1
            return nil
        }
        let linked = try linker.link(component)
        _ = try linked.instantiate(in: Store())
        _ = try linked.instantiate(in: Store())
        #expect(counter.calls == 2)
    }

    /// A semver-compatible host interface satisfies the import; an incomplete one names the
    /// import and the missing member.
    @Test func linkErrorsNameTheImportAndMember() throws {
        let component = try Self.component()
        var linker = StubHTTPHost().linker()
        _ = try linker.link(component)
        var partial = ComponentLinker()
        partial.defineResource(interface: "wasi:io/error@0.2.0", name: "error")
        partial.defineResource(interface: "wasi:io/streams@0.2.1", name: "output-stream")
        do {
            _ = try partial.link(component)
            Issue.record("linking without the stream functions succeeded")
        } catch let e as ComponentLinkError {
            #expect(e.importName == "wasi:io/streams@0.2.0")
            #expect(e.member == "[method]output-stream.blocking-write-and-flush")
        }
        linker = ComponentLinker()
        do {
            _ = try linker.link(component)
            Issue.record("linking with an empty linker succeeded")
        } catch let e as ComponentLinkError {
            #expect(e.importName == "wasi:io/error@0.2.0")
            #expect(e.member == nil)
        }
    }

    /// Per-request cost: a fresh store, instantiate, one `handle` call (printed; the bound is
    /// generous, against a regression to per-call linking).
    @Test func instantiateAndCallCost() throws {
        let host = StubHTTPHost()
        let linked = try host.linker().link(try Self.component())
        let iterations = 200
        var best = UInt64.max
        var total: UInt64 = 0
        for _ in 0..<iterations {
            let start = DispatchTime.now().uptimeNanoseconds
            let store = Store()
            let instance = try linked.instantiate(in: store)
            let handle = instance.function(interface: "wasi:http/incoming-handler@0.2.0", name: "handle")!
            _ = try handle.call([.own(1), .own(2)])
            let elapsed = DispatchTime.now().uptimeNanoseconds - start
            best = min(best, elapsed)
            total += elapsed
        }
        #if DEBUG
            let build = "debug"
        #else
            let build = "release"
        #endif
        print("c-zig-nostdio instantiate+handle (\(build) build): best \(best / 1000) µs, mean \(total / UInt64(iterations) / 1000) µs")
        // The call alone, on one instance (14 host calls and their lifting and lowering).
        let instance = try linked.instantiate(in: Store())
        let handle = instance.function(interface: "wasi:http/incoming-handler@0.2.0", name: "handle")!
        var bestCall = UInt64.max
        for i in 0..<iterations {
            let start = DispatchTime.now().uptimeNanoseconds
            _ = try handle.call([.own(UInt32(1000 + 2 * i)), .own(UInt32(1001 + 2 * i))])
            bestCall = min(bestCall, DispatchTime.now().uptimeNanoseconds - start)
        }
        print("c-zig-nostdio handle on one instance (\(build) build): best \(bestCall / 1000) µs")
        #expect(best < 50_000_000)
    }
}
