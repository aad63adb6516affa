import Foundation
import WasmComponents
import WasmCore
import WasmWASI
import WasmWASIP2
import Testing

@testable import SpinHost

/// `wasi:http/types`: the rules of `fields`, requests, responses and bodies, called as the
/// linker calls them (component values on a context).
struct WASIHTTPTypesTests {
    static let types = "wasi:http/types@0.2.0"
    let context: WASIP2Context

    init() throws {
        context = WASIP2Context(wasi: try WASI(configuration: WASIConfiguration()))
    }

    @discardableResult
    func call(_ name: String, _ args: [ComponentValue] = [], interface: String = Self.types) throws -> ComponentValue? {
        guard let f = WASIHTTP.proxyDefinitions.function(interface, name) else { throw ExecutorError("no \(name)") }
        return try f(context, args)
    }

    func own(_ v: ComponentValue?) throws -> UInt32 {
        switch v {
        case .own(let r)?, .ok(.own(let r)?)?: return r
        default: throw ExecutorError("expected an owned handle, got \(String(describing: v))")
        }
    }

    static func headerError(_ e: HTTPHeaderError) -> ComponentValue { .err(.variant(case: e.rawValue, payload: nil)) }
    static func pair(_ n: String, _ v: String) -> ComponentValue { .tuple([.string(n), .bytes(Array(v.utf8))]) }

    @Test func fieldsAppendGetSetDeleteEntriesClone() throws {
        let f = try own(try call("[constructor]fields"))
        #expect(try call("[method]fields.append", [.borrow(f), .string("Content-Type"), .bytes(Array("text/plain".utf8))]) == .ok(nil))
        #expect(try call("[method]fields.append", [.borrow(f), .string("x-a"), .bytes(Array("1".utf8))]) == .ok(nil))
        #expect(try call("[method]fields.append", [.borrow(f), .string("X-A"), .bytes(Array("2".utf8))]) == .ok(nil))
        // Names compare case-insensitively and come back lower-case.
        #expect(try call("[method]fields.get", [.borrow(f), .string("x-A")]) == .list([.bytes([0x31]), .bytes([0x32])]))
        #expect(try call("[method]fields.has", [.borrow(f), .string("CONTENT-TYPE")]) == .bool(true))
        #expect(try call("[method]fields.has", [.borrow(f), .string("nope")]) == .bool(false))
        #expect(try call("[method]fields.set", [.borrow(f), .string("x-a"), .list([.bytes([0x33])])]) == .ok(nil))
        #expect(try call("[method]fields.entries", [.borrow(f)]) == .list([Self.pair("content-type", "text/plain"), Self.pair("x-a", "3")]))
        let copy = try own(try call("[method]fields.clone", [.borrow(f)]))
        #expect(try call("[method]fields.delete", [.borrow(f), .string("x-a")]) == .ok(nil))
        #expect(try call("[method]fields.entries", [.borrow(f)]) == .list([Self.pair("content-type", "text/plain")]))
        // The clone is independent of the original.
        #expect(try call("[method]fields.get", [.borrow(copy), .string("x-a")]) == .list([.bytes([0x33])]))
    }

    @Test func invalidAndForbiddenNamesAndValues() throws {
        let f = try own(try call("[constructor]fields"))
        for bad in ["", "bad name", "semi;colon", "caf\u{e9}", "a:b"] {
            #expect(try call("[method]fields.append", [.borrow(f), .string(bad), .bytes([0x31])]) == Self.headerError(.invalidSyntax), "\(bad)")
        }
        for value: [UInt8] in [[0x0A], [0x0D], [0x00], [0x7F], Array("a\r\nb".utf8)] {
            #expect(try call("[method]fields.append", [.borrow(f), .string("x"), .bytes(value)]) == Self.headerError(.invalidSyntax))
        }
        // Tab, space, obs-text are fine.
        #expect(try call("[method]fields.append", [.borrow(f), .string("x"), .bytes([0x61, 0x09, 0x20, 0xE9])]) == .ok(nil))
        for name in ["Connection", "transfer-encoding", "keep-alive", "upgrade", "proxy-connection", "te"] {
            #expect(try call("[method]fields.append", [.borrow(f), .string(name), .bytes([0x31])]) == Self.headerError(.forbidden), "\(name)")
            #expect(try call("[method]fields.set", [.borrow(f), .string(name), .list([])]) == Self.headerError(.forbidden))
        }
        #expect(try call("[method]fields.get", [.borrow(f), .string("bad name")]) == .list([]))
        #expect(try call("[static]fields.from-list", [.list([Self.pair("ok", "1"), Self.pair("bad name", "2")])]) == Self.headerError(.invalidSyntax))
        #expect(try call("[static]fields.from-list", [.list([Self.pair("upgrade", "h2")])]) == Self.headerError(.forbidden))
        let fromList = try own(try call("[static]fields.from-list", [.list([Self.pair("A", "1"), Self.pair("b", "2")])]))
        #expect(try call("[method]fields.entries", [.borrow(fromList)]) == .list([Self.pair("a", "1"), Self.pair("b", "2")]))
    }

    @Test func requestHeadersAreImmutableAndForbiddenOnesHidden() throws {
        let request = WASIIncomingRequest(
            method: "PATCH", pathWithQuery: "/a?b=c", scheme: "http", authority: "example.com:8080",
            headers: .received([("Host", "example.com:8080"), ("Connection", "close"), ("X-Test", "yes")]),
            body: Array("body!".utf8))
        let r = context.table.insert(request)
        #expect(try call("[method]incoming-request.method", [.borrow(r)]) == .variant(case: 8, payload: nil))
        #expect(try call("[method]incoming-request.path-with-query", [.borrow(r)]) == .option(.string("/a?b=c")))
        #expect(try call("[method]incoming-request.scheme", [.borrow(r)]) == .option(.variant(case: 0, payload: nil)))
        #expect(try call("[method]incoming-request.authority", [.borrow(r)]) == .option(.string("example.com:8080")))
        let h = try own(try call("[method]incoming-request.headers", [.borrow(r)]))
        #expect(try call("[method]fields.entries", [.borrow(h)]) == .list([Self.pair("host", "example.com:8080"), Self.pair("x-test", "yes")]))
        #expect(try call("[method]fields.append", [.borrow(h), .string("x"), .bytes([0x31])]) == Self.headerError(.immutable))
        #expect(try call("[method]fields.set", [.borrow(h), .string("x"), .list([])]) == Self.headerError(.immutable))
        #expect(try call("[method]fields.delete", [.borrow(h), .string("x-test")]) == Self.headerError(.immutable))
        // A clone of immutable fields is mutable.
        let c = try own(try call("[method]fields.clone", [.borrow(h)]))
        #expect(try call("[method]fields.delete", [.borrow(c), .string("x-test")]) == .ok(nil))

        // The body: consumed once, streamed once, then end of stream and trailers.
        let body = try own(try call("[method]incoming-request.consume", [.borrow(r)]))
        #expect(try call("[method]incoming-request.consume", [.borrow(r)]) == .err(nil))
        let stream = try own(try call("[method]incoming-body.stream", [.borrow(body)]))
        #expect(try call("[method]incoming-body.stream", [.borrow(body)]) == .err(nil))
        let streams = "wasi:io/streams@0.2.0"
        #expect(try call("[method]input-stream.blocking-read", [.borrow(stream), .u64(100)], interface: streams) == .ok(.bytes(Array("body!".utf8))))
        #expect(try call("[method]input-stream.read", [.borrow(stream), .u64(1)], interface: streams) == .err(.variant(case: 1, payload: nil)))
        let trailers = try own(try call("[static]incoming-body.finish", [.own(body)]))
        #expect(try call("[method]future-trailers.get", [.borrow(trailers)]) == .option(.ok(.ok(.option(nil)))))
        #expect(try call("[method]future-trailers.get", [.borrow(trailers)]) == .option(.err(nil)))
    }

    @Test func outgoingResponseStatusBodyAndOutparam() throws {
        let h = try own(try call("[static]fields.from-list", [.list([Self.pair("content-type", "text/plain")])]))
        let response = try own(try call("[constructor]outgoing-response", [.own(h)]))
        #expect(try call("[method]outgoing-response.status-code", [.borrow(response)]) == .u16(200))
        #expect(try call("[method]outgoing-response.set-status-code", [.borrow(response), .u16(99)]) == .err(nil))
        #expect(try call("[method]outgoing-response.set-status-code", [.borrow(response), .u16(1000)]) == .err(nil))
        #expect(try call("[method]outgoing-response.set-status-code", [.borrow(response), .u16(418)]) == .ok(nil))
        // The response's headers are immutable once it owns them.
        let rh = try own(try call("[method]outgoing-response.headers", [.borrow(response)]))
        #expect(try call("[method]fields.append", [.borrow(rh), .string("x"), .bytes([0x31])]) == Self.headerError(.immutable))
        let body = try own(try call("[method]outgoing-response.body", [.borrow(response)]))
        #expect(try call("[method]outgoing-response.body", [.borrow(response)]) == .err(nil))
        let out = try own(try call("[method]outgoing-body.write", [.borrow(body)]))
        #expect(try call("[method]outgoing-body.write", [.borrow(body)]) == .err(nil))

        let outparam = WASIResponseOutparam()
        let param = context.table.insert(outparam)
        try call("[static]response-outparam.set", [.own(param), .ok(.own(response))])
        let streams = "wasi:io/streams@0.2.0"
        #expect(try call("[method]output-stream.blocking-write-and-flush", [.borrow(out), .bytes(Array("tea".utf8))], interface: streams) == .ok(nil))
        #expect(try call("[static]outgoing-body.finish", [.own(body), .option(nil)]) == .ok(nil))
        // After finish the stream is closed.
        #expect(try call("[method]output-stream.write", [.borrow(out), .bytes([0x21])], interface: streams) == .err(.variant(case: 1, payload: nil)))

        let http = try ComponentHTTPExecutor.response(of: outparam, component: "test")
        #expect(http.status == 418)
        #expect(http.headers.map { "\($0.name): \($0.value)" } == ["content-type: text/plain"])
        #expect(http.body == Array("tea".utf8))
    }

    @Test func unfinishedOrMissingResponsesAreErrors() throws {
        let none = WASIResponseOutparam()
        #expect(throws: ExecutorError.self) { try ComponentHTTPExecutor.response(of: none, component: "t") }

        let failed = WASIResponseOutparam()
        let p = context.table.insert(failed)
        try call("[static]response-outparam.set", [.own(p), .err(.variant(case: 38, payload: .option(.string("boom"))))])
        #expect { try ComponentHTTPExecutor.response(of: failed, component: "t") } throws: { "\($0)".contains("internal-error(boom)") }

        let dropped = WASIResponseOutparam()
        let response = try own(try call("[constructor]outgoing-response", [.own(try own(try call("[constructor]fields")))]))
        let body = try own(try call("[method]outgoing-response.body", [.borrow(response)]))
        try call("[static]response-outparam.set", [.own(context.table.insert(dropped)), .ok(.own(response))])
        try context.dropResource(body)
        #expect { try ComponentHTTPExecutor.response(of: dropped, component: "t") } throws: { "\($0)".contains("without finishing") }
    }

    @Test func outgoingRequestsOnlyGoWhereAllowed() throws {
        context.embedder = ComponentHostState(
            http: WASIHTTPState(
                allowedHosts: AllowedOutboundHosts(["http://allowed.example"]), settings: OutboundHTTPSettings(),
                origin: nil, deadline: nil),
            guest: nil)
        let request = try own(try call("[constructor]outgoing-request", [.own(try own(try call("[constructor]fields")))]))
        #expect(try call("[method]outgoing-request.method", [.borrow(request)]) == .variant(case: 0, payload: nil))
        #expect(try call("[method]outgoing-request.set-method", [.borrow(request), .variant(case: 9, payload: .string("bad method"))]) == .err(nil))
        #expect(try call("[method]outgoing-request.set-scheme", [.borrow(request), .option(.variant(case: 0, payload: nil))]) == .ok(nil))
        #expect(try call("[method]outgoing-request.set-authority", [.borrow(request), .option(.string("denied.example"))]) == .ok(nil))
        #expect(try call("[method]outgoing-request.set-path-with-query", [.borrow(request), .option(.string("no slash"))]) == .err(nil))
        #expect(try call("[method]outgoing-request.set-path-with-query", [.borrow(request), .option(.string("/x?y"))]) == .ok(nil))
        let future = try own(try call("handle", [.own(request), .option(nil)], interface: "wasi:http/outgoing-handler@0.2.0"))
        // HTTP-request-denied (case 15), without any connection attempt.
        #expect(try call("[method]future-incoming-response.get", [.borrow(future)]) == .option(.ok(.err(.variant(case: 15, payload: nil)))))
        #expect(try call("[method]future-incoming-response.get", [.borrow(future)]) == .option(.err(nil)))
    }
}
