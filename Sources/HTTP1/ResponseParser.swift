/// The status line and header section of a response.
package struct HTTPResponseHead: Sendable {
    package var version: HTTPVersion
    package var status: Int
    package var reason: String
    /// Header fields in the order received, names lower-cased, values trimmed.
    package var headers: HTTPHeaders
}

/// What the response parser produced from the bytes it has.
package enum HTTPResponseEvent: Sendable {
    /// Status line and headers (also of each interim 1xx response).
    case head(HTTPResponseHead, framing: HTTPBodyFraming)
    /// Some body bytes (already de-chunked).
    case body([UInt8])
    /// The response is complete.
    case end(trailers: HTTPHeaders)
}

/// An incremental HTTP/1.x response parser (the client's): the status line and the
/// response framing rules over the shared `HTTPMessageFramer`. Set `requestMethod` to the
/// method of the request each response answers (a response to HEAD has no body). At the
/// end of the connection call `finish()`, which ends a body delimited by the close.
package struct HTTPResponseParser: Sendable {
    private var framer: HTTPMessageFramer
    /// The method of the request the next response answers.
    package var requestMethod: String

    package init(requestMethod: String, limits: HTTPLimits = .default) {
        self.requestMethod = requestMethod
        framer = HTTPMessageFramer(role: .response, limits: limits)
    }

    package mutating func feed<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
        framer.feed(bytes)
    }

    /// Produces the next event, or nil when more bytes are needed.
    package mutating func next() throws(HTTPParseError) -> HTTPResponseEvent? {
        try map(try framer.next())
    }

    /// The connection has ended: `.end` of a body delimited by the close, nil when no
    /// response had begun, an error when one was cut short.
    package mutating func finish() throws(HTTPParseError) -> HTTPResponseEvent? {
        try map(try framer.finish())
    }

    private mutating func map(_ event: HTTPMessageFramer.Event?) throws(HTTPParseError) -> HTTPResponseEvent? {
        switch event {
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

    private mutating func head(_ sectionLines: [Range<Int>]) throws(HTTPParseError) -> HTTPResponseEvent {
        guard let first = sectionLines.first else { throw .bad("missing status line") }
        let (version, status, reason) = try parseStatusLine(framer.line(first))
        let head = HTTPResponseHead(
            version: version, status: status, reason: reason, headers: try framer.fields(sectionLines))
        let framing = try bodyFraming(head)
        try framer.beginBody(framing)
        return .head(head, framing: framing)
    }

    /// `HTTP/1.x SP 3DIGIT SP reason` (the reason may be empty, and so may its space).
    private func parseStatusLine(_ line: ArraySlice<UInt8>) throws(HTTPParseError) -> (HTTPVersion, Int, String) {
        let parts = line.split(separator: 0x20, maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2 else { throw .bad("malformed status line") }
        let version = try HTTPMessageFramer.parseVersion(parts[0])
        let code = parts[1]
        guard code.count == 3, code.allSatisfy(isDigit), code.first != 0x30 else {
            throw .bad("malformed status code")
        }
        let reason = parts.count == 3 ? parts[2] : []
        for b in reason where !(b == 0x09 || (b >= 0x20 && b != 0x7F)) { throw .bad("invalid character in reason") }
        return (version, code.reduce(0) { $0 * 10 + Int($1 - 0x30) }, String(decoding: reason, as: UTF8.self))
    }

    /// RFC 9112 §6.3 for responses: none to HEAD and for 1xx, 204 and 304; chunked when it is
    /// the last transfer coding, else until the close; Content-Length; else until the close.
    private func bodyFraming(_ head: HTTPResponseHead) throws(HTTPParseError) -> HTTPBodyFraming {
        if requestMethod == "HEAD" || head.status < 200 || head.status == 204 || head.status == 304 { return .none }
        switch try HTTPMessageFramer.framingFields(head.headers) {
        case .none:
            return .untilClose
        case .contentLength(let n):
            return .contentLength(n)
        case .transferCodings(let codings):
            guard codings.last == "chunked" else { return .untilClose }
            return try HTTPMessageFramer.chunkedFraming(codings)
        }
    }
}
