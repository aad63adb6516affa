/// What the request parser produced from the bytes it has.
package enum HTTPParserEvent: Sendable {
    /// Request line and headers; `expectContinue` is set for `Expect: 100-continue`.
    case head(HTTPRequestHead, framing: HTTPBodyFraming, expectContinue: Bool)
    /// Some body bytes (already de-chunked).
    case body([UInt8])
    /// The request is complete; the parser is ready for the next (pipelined) one.
    case end(trailers: HTTPHeaders)
}

/// An incremental HTTP/1.x request parser (the server's): the request line and the
/// request framing rules over the shared `HTTPMessageFramer`. It performs no I/O: `feed`
/// bytes as they arrive and call `next()` until it returns nil (needs more bytes). After
/// `.end` it continues with the next pipelined request from the same buffer. After a
/// thrown error the parser is poisoned and keeps throwing the same error.
package struct HTTPRequestParser: Sendable {
    private var framer: HTTPMessageFramer

    package init(limits: HTTPLimits = .default) {
        framer = HTTPMessageFramer(role: .request, limits: limits)
    }

    package var limits: HTTPLimits { framer.limits }

    /// Number of bytes received but not yet consumed into events.
    package var bufferedByteCount: Int { framer.bufferedByteCount }

    /// True when no bytes of a further request have been received (between requests).
    package var isAtMessageBoundary: Bool { framer.isAtMessageBoundary }

    /// True while the parser is inside a request (head partially read or body pending).
    package var isInsideMessage: Bool { framer.isInsideMessage }

    /// Appends received bytes.
    package mutating func feed<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
        framer.feed(bytes)
    }

    /// Produces the next event, or nil when more bytes are needed.
    package mutating func next() throws(HTTPParseError) -> HTTPParserEvent? {
        switch try framer.next() {
        case nil: return nil
        case .body(let bytes): return .body(bytes)
        case .end(let trailers): return .end(trailers: trailers)
        case .head(let lines):
            do {
                return try head(lines)
            } catch {
                framer.fail(error)
                throw error
            }
        }
    }

    private mutating func head(_ sectionLines: [Range<Int>]) throws(HTTPParseError) -> HTTPParserEvent {
        guard let first = sectionLines.first else { throw .bad("missing request line") }
        let (method, target, version) = try parseRequestLine(framer.line(first))
        let headers = try framer.fields(sectionLines)
        let head = HTTPRequestHead(method: method, target: target, version: version, headers: headers)
        if head.headerValues("host").count > 1 { throw .bad("more than one Host header") }
        let framing = try bodyFraming(head)
        let expect = head.headerValues("expect").flatMap { HTTPRequestHead.tokens($0) }
        let expectContinue = version == .http1_1 && expect.contains("100-continue")
        try framer.beginBody(framing)
        return .head(head, framing: framing, expectContinue: expectContinue)
    }

    private func parseRequestLine(_ line: ArraySlice<UInt8>) throws(HTTPParseError) -> (String, String, HTTPVersion) {
        let parts = line.split(separator: 0x20, maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .bad("malformed request line") }
        let methodBytes = parts[0], targetBytes = parts[1], versionBytes = parts[2]
        guard !methodBytes.isEmpty, methodBytes.allSatisfy(isTokenChar) else { throw .bad("invalid method") }
        guard !targetBytes.isEmpty, targetBytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw .bad("invalid request target")
        }
        let version = try HTTPMessageFramer.parseVersion(versionBytes)
        let method = String(decoding: methodBytes, as: UTF8.self)
        let target = String(decoding: targetBytes, as: UTF8.self)
        let validForm = target.hasPrefix("/") || target == "*" || target.contains("://") || method == "CONNECT"
        guard validForm else { throw .bad("invalid request target form") }
        return (method, target, version)
    }

    /// RFC 9112 §6.3 for requests: chunked (only in HTTP/1.1, and last), else Content-Length,
    /// else no body.
    private func bodyFraming(_ head: HTTPRequestHead) throws(HTTPParseError) -> HTTPBodyFraming {
        switch try HTTPMessageFramer.framingFields(head.headers) {
        case .none:
            return .none
        case .contentLength(let n):
            return .contentLength(n)
        case .transferCodings(let codings):
            if head.version == .http1_0 { throw .bad("Transfer-Encoding in an HTTP/1.0 request") }
            guard codings.last == "chunked" else { throw .bad("Transfer-Encoding does not end in chunked") }
            return try HTTPMessageFramer.chunkedFraming(codings)
        }
    }
}
