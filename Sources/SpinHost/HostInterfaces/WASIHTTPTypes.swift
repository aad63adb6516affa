import WasmComponents
import WasmCore
import WasmWASIP2

/// `wasi:http/types` 0.2: fields, requests, responses, bodies, outparams, error codes.
///
/// WIT: `spin_sdk/wit/deps/http/types.wit` (wasi:http@0.2.0). Bodies are collected in memory:
/// an incoming body is the whole request body, an outgoing body is sent once finished.
public enum WASIHTTPTypes {
    public static let interface = "wasi:http/types@0.2.0"

    /// The most bytes an outgoing body may hold (a larger write fails with `last-operation-failed`).
    public static let maxBodyBytes = 64 << 20

    static func headerResult(_ body: () throws(HTTPHeaderError) -> ComponentValue?) -> ComponentValue {
        do {
            return .ok(try body())
        } catch {
            return .err(.variant(case: error.rawValue, payload: nil))
        }
    }

    /// `list<tuple<field-key, field-value>>` as host pairs.
    static func pairs(_ a: [ComponentValue], _ i: Int) throws -> [(name: String, value: [UInt8])] {
        try a.list(i).map { v in
            guard case .tuple(let t) = v, t.count == 2, case .string(let name) = t[0] else {
                throw Trap(.host("argument \(i): expected list<tuple<field-key, field-value>>"))
            }
            return (name, try [t[1]].bytes(0))
        }
    }

    /// RFC 3986 `scheme`: a letter, then letters, digits, `+`, `-`, `.`.
    static func isSchemeName(_ s: String) -> Bool {
        func letter(_ b: UInt8) -> Bool { (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) }
        guard let first = s.utf8.first, letter(first) else { return false }
        return s.utf8.allSatisfy { letter($0) || (0x30...0x39).contains($0) || $0 == 0x2B || $0 == 0x2D || $0 == 0x2E }
    }

    /// Takes the object of an `own` argument out of the table: the host owns it now.
    static func take<T: AnyObject>(_ c: WASIP2Context, _ a: [ComponentValue], _ i: Int, as type: T.Type) throws -> T {
        let rep = try a.resource(i)
        let object = try c.table.get(rep, as: T.self)
        c.table.remove(rep)
        return object
    }

    static func define(_ d: inout WASIP2Definitions) {
        let i = interface
        for r in [
            "fields", "incoming-request", "outgoing-request", "request-options", "response-outparam",
            "incoming-response", "incoming-body", "future-trailers", "outgoing-response", "outgoing-body",
            "future-incoming-response",
        ] {
            d.resource(i, r)
        }
        d.function(i, "http-error-code") { _, _ in .option(nil) }

        // fields
        d.function(i, "[constructor]fields") { c, _ in c.own(HTTPFields()) }
        d.function(i, "[static]fields.from-list") { c, a in
            let list = try pairs(a, 0)
            return headerResult { () throws(HTTPHeaderError) in c.own(try HTTPFields.fromList(list)) }
        }
        d.function(i, "[method]fields.get") { c, a in
            let f = try c.table.get(a.resource(0), as: HTTPFields.self)
            return .list(f.get(try a.string(1)).map { .bytes($0) })
        }
        d.function(i, "[method]fields.has") { c, a in
            .bool(try c.table.get(a.resource(0), as: HTTPFields.self).has(try a.string(1)))
        }
        d.function(i, "[method]fields.set") { c, a in
            let f = try c.table.get(a.resource(0), as: HTTPFields.self)
            let (name, values) = (try a.string(1), try a.list(2).map { try [$0].bytes(0) })
            return headerResult { () throws(HTTPHeaderError) in try f.set(name, values); return nil }
        }
        d.function(i, "[method]fields.delete") { c, a in
            let f = try c.table.get(a.resource(0), as: HTTPFields.self)
            let name = try a.string(1)
            return headerResult { () throws(HTTPHeaderError) in try f.delete(name); return nil }
        }
        d.function(i, "[method]fields.append") { c, a in
            let f = try c.table.get(a.resource(0), as: HTTPFields.self)
            let (name, value) = (try a.string(1), try a.bytes(2))
            return headerResult { () throws(HTTPHeaderError) in try f.append(name, value); return nil }
        }
        d.function(i, "[method]fields.entries") { c, a in
            .list(try c.table.get(a.resource(0), as: HTTPFields.self).entries.map { .tuple([.string($0.name), .bytes($0.value)]) })
        }
        d.function(i, "[method]fields.clone") { c, a in
            c.own(try c.table.get(a.resource(0), as: HTTPFields.self).copy())
        }

        // incoming-request
        @Sendable func request(_ c: WASIP2Context, _ a: [ComponentValue]) throws -> WASIIncomingRequest {
            try c.table.get(a.resource(0), as: WASIIncomingRequest.self)
        }
        d.function(i, "[method]incoming-request.method") { c, a in WASIHTTPMethod.value(try request(c, a).method) }
        d.function(i, "[method]incoming-request.path-with-query") { c, a in
            .option(.string(try request(c, a).pathWithQuery))
        }
        d.function(i, "[method]incoming-request.scheme") { c, a in
            .option(WASIIncomingRequest.scheme(try request(c, a).scheme))
        }
        d.function(i, "[method]incoming-request.authority") { c, a in
            .option(try request(c, a).authority.map { .string($0) })
        }
        d.function(i, "[method]incoming-request.headers") { c, a in c.own(try request(c, a).headers.frozen()) }
        d.function(i, "[method]incoming-request.consume") { c, a in
            let r = try request(c, a)
            guard let body = r.body else { return .err(nil) }
            r.body = nil
            return .ok(c.own(WASIIncomingBody(body)))
        }

        // incoming-body, future-trailers
        d.function(i, "[method]incoming-body.stream") { c, a in
            let b = try c.table.get(a.resource(0), as: WASIIncomingBody.self)
            guard !b.streamTaken else { return .err(nil) }
            b.streamTaken = true
            defer { b.bytes = [] }
            return .ok(c.own(HostInputStream(.bytes(b.bytes))))
        }
        d.function(i, "[static]incoming-body.finish") { c, a in
            _ = try take(c, a, 0, as: WASIIncomingBody.self)
            return c.own(WASIFutureTrailers())
        }
        d.function(i, "[method]future-trailers.subscribe") { c, _ in c.own(HostPollable(.ready)) }
        d.function(i, "[method]future-trailers.get") { c, a in
            let f = try c.table.get(a.resource(0), as: WASIFutureTrailers.self)
            if f.delivered { return .option(.err(nil)) }
            f.delivered = true
            return .option(.ok(.ok(.option(nil))))
        }

        // outgoing-response, outgoing-body, response-outparam
        d.function(i, "[constructor]outgoing-response") { c, a in
            c.own(WASIOutgoingResponse(headers: try take(c, a, 0, as: HTTPFields.self).copy()))
        }
        @Sendable func response(_ c: WASIP2Context, _ a: [ComponentValue]) throws -> WASIOutgoingResponse {
            try c.table.get(a.resource(0), as: WASIOutgoingResponse.self)
        }
        d.function(i, "[method]outgoing-response.status-code") { c, a in .u16(try response(c, a).status) }
        d.function(i, "[method]outgoing-response.set-status-code") { c, a in
            let r = try response(c, a)
            let status = try a.u16(1)
            guard (100...999).contains(status) else { return .err(nil) }
            r.status = status
            return .ok(nil)
        }
        d.function(i, "[method]outgoing-response.headers") { c, a in c.own(try response(c, a).headers.frozen()) }
        d.function(i, "[method]outgoing-response.body") { c, a in
            let r = try response(c, a)
            guard r.body == nil else { return .err(nil) }
            let body = WASIOutgoingBody(limit: maxBodyBytes)
            r.body = body
            return .ok(c.own(body))
        }
        d.function(i, "[method]outgoing-body.write") { c, a in
            let b = try c.table.get(a.resource(0), as: WASIOutgoingBody.self)
            guard !b.streamTaken else { return .err(nil) }
            b.streamTaken = true
            let stream = HostOutputStream(.bytes(b.sink))
            b.stream = stream
            return .ok(c.own(stream))
        }
        d.function(i, "[static]outgoing-body.finish") { c, a in
            let b = try take(c, a, 0, as: WASIOutgoingBody.self)
            var trailers: [(name: String, value: String)] = []
            if case .own(let rep)? = try a.option(1) {
                trailers = try c.table.get(rep, as: HTTPFields.self).headers
                c.table.remove(rep)
            }
            b.isFinished = true
            b.stream?.isClosed = true
            if let stream = b.responseStream, !stream.finish(trailers: trailers) {
                // Fewer bytes than the declared content-length, as wasmtime reports it.
                return .err(WASIHTTPErrorCode.httpResponseBodySize(UInt64(stream.writtenByteCount)).value)
            }
            return .ok(nil)
        }
        d.function(i, "[static]response-outparam.set") { c, a in
            let param = try take(c, a, 0, as: WASIResponseOutparam.self)
            switch try a.at(1) {
            case .ok(.own(let rep)?):
                let r = try c.table.get(rep, as: WASIOutgoingResponse.self)
                c.table.remove(rep)
                param.response = .success(r)
                ComponentHostState.of(c)?.http.responseWasSet?(r)
            case .err(let code?):
                param.response = .failure(WASIHTTPErrorCode(code) ?? .internalError("unknown error code"))
            default:
                throw a.mismatch(1, "result<outgoing-response, error-code>")
            }
            return nil
        }

        // outgoing-request, request-options
        d.function(i, "[constructor]outgoing-request") { c, a in
            c.own(WASIOutgoingRequest(headers: try take(c, a, 0, as: HTTPFields.self).copy()))
        }
        @Sendable func outgoing(_ c: WASIP2Context, _ a: [ComponentValue]) throws -> WASIOutgoingRequest {
            try c.table.get(a.resource(0), as: WASIOutgoingRequest.self)
        }
        d.function(i, "[method]outgoing-request.body") { c, a in
            let r = try outgoing(c, a)
            guard r.body == nil else { return .err(nil) }
            let body = WASIOutgoingBody(limit: maxBodyBytes)
            r.body = body
            return .ok(c.own(body))
        }
        d.function(i, "[method]outgoing-request.method") { c, a in WASIHTTPMethod.value(try outgoing(c, a).method) }
        d.function(i, "[method]outgoing-request.set-method") { c, a in
            let r = try outgoing(c, a)
            guard let m = WASIHTTPMethod.name(try a.at(1)) else { return .err(nil) }
            r.method = m
            return .ok(nil)
        }
        d.function(i, "[method]outgoing-request.path-with-query") { c, a in
            .option(try outgoing(c, a).pathWithQuery.map { .string($0) })
        }
        d.function(i, "[method]outgoing-request.set-path-with-query") { c, a in
            let r = try outgoing(c, a)
            var p: String?
            if case .string(let s)? = try a.option(1) { p = s }
            if let p, p.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F }) || (!p.isEmpty && !p.hasPrefix("/") && p != "*") {
                return .err(nil)
            }
            r.pathWithQuery = p
            return .ok(nil)
        }
        d.function(i, "[method]outgoing-request.scheme") { c, a in
            .option(try outgoing(c, a).scheme.map { WASIIncomingRequest.scheme($0) })
        }
        d.function(i, "[method]outgoing-request.set-scheme") { c, a in
            let r = try outgoing(c, a)
            switch try a.option(1) {
            case nil: r.scheme = nil
            case .variant(0, _)?: r.scheme = "http"
            case .variant(1, _)?: r.scheme = "https"
            case .variant(2, .string(let s)?)?:
                guard isSchemeName(s) else { return .err(nil) }
                r.scheme = s.lowercased()
            default: return .err(nil)
            }
            return .ok(nil)
        }
        d.function(i, "[method]outgoing-request.authority") { c, a in
            .option(try outgoing(c, a).authority.map { .string($0) })
        }
        d.function(i, "[method]outgoing-request.set-authority") { c, a in
            let r = try outgoing(c, a)
            var s: String?
            if case .string(let v)? = try a.option(1) { s = v }
            if let s, s.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F || $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }) {
                return .err(nil)
            }
            r.authority = s
            return .ok(nil)
        }
        d.function(i, "[method]outgoing-request.headers") { c, a in c.own(try outgoing(c, a).headers.frozen()) }

        d.function(i, "[constructor]request-options") { c, _ in c.own(WASIRequestOptions()) }
        let timeouts: [(String, ReferenceWritableKeyPath<WASIRequestOptions, UInt64?>)] = [
            ("connect-timeout", \.connectTimeout), ("first-byte-timeout", \.firstByteTimeout),
            ("between-bytes-timeout", \.betweenBytesTimeout),
        ]
        for (name, path) in timeouts {
            nonisolated(unsafe) let path = path
            d.function(i, "[method]request-options.\(name)") { c, a in
                .option(try c.table.get(a.resource(0), as: WASIRequestOptions.self)[keyPath: path].map { .u64($0) })
            }
            d.function(i, "[method]request-options.set-\(name)") { c, a in
                let o = try c.table.get(a.resource(0), as: WASIRequestOptions.self)
                if case .u64(let v)? = try a.option(1) { o[keyPath: path] = v } else { o[keyPath: path] = nil }
                return .ok(nil)
            }
        }

        // incoming-response, future-incoming-response
        @Sendable func incoming(_ c: WASIP2Context, _ a: [ComponentValue]) throws -> WASIIncomingResponse {
            try c.table.get(a.resource(0), as: WASIIncomingResponse.self)
        }
        d.function(i, "[method]incoming-response.status") { c, a in .u16(try incoming(c, a).status) }
        d.function(i, "[method]incoming-response.headers") { c, a in c.own(try incoming(c, a).headers.frozen()) }
        d.function(i, "[method]incoming-response.consume") { c, a in
            let r = try incoming(c, a)
            guard let body = r.body else { return .err(nil) }
            r.body = nil
            return .ok(c.own(WASIIncomingBody(body)))
        }
        d.function(i, "[method]future-incoming-response.subscribe") { c, _ in c.own(HostPollable(.ready)) }
        d.function(i, "[method]future-incoming-response.get") { c, a in
            let f = try c.table.get(a.resource(0), as: WASIFutureIncomingResponse.self)
            if f.delivered { return .option(.err(nil)) }
            if f.outcome == nil && f.isWaitingForBody() { return .option(nil) }
            f.delivered = true
            let outcome = f.outcome ?? f.send()
            f.outcome = nil
            switch outcome {
            case .success(let r): return .option(.ok(.ok(c.own(r))))
            case .failure(let e): return .option(.ok(.err(e.value)))
            }
        }
    }
}
