import Testing

@testable import HTTP1

/// A parsed response as the tests see it.
struct ParsedResponse {
    var head: HTTPResponseHead
    var framing: HTTPBodyFraming
    var body: [UInt8] = []
    var trailers: HTTPHeaders = []
    var complete = false
}

/// Feeds `input` in pieces of `step` bytes (all at once when nil), then ends the connection
/// when `close` is set, and collects the responses.
func parseResponses(
    _ input: String, step: Int? = nil, method: String = "GET", close: Bool = false, limits: HTTPLimits = .default
) -> (responses: [ParsedResponse], error: HTTPParseError?) {
    var parser = HTTPResponseParser(requestMethod: method, limits: limits)
    var responses: [ParsedResponse] = []
    let bytes = Array(input.utf8)
    let size = step ?? max(bytes.count, 1)
    var offset = 0
    func collect(_ event: HTTPResponseEvent) {
        switch event {
        case .head(let head, let framing): responses.append(ParsedResponse(head: head, framing: framing))
        case .body(let b): responses[responses.count - 1].body += b
        case .end(let trailers):
            responses[responses.count - 1].trailers = trailers
            responses[responses.count - 1].complete = true
        }
    }
    do {
        repeat {
            let end = min(offset + size, bytes.count)
            parser.feed(bytes[offset..<end])
            offset = end
            while let event = try parser.next() { collect(event) }
        } while offset < bytes.count
        if close {
            while let event = try parser.finish() { collect(event) }
        }
    } catch {
        return (responses, error)
    }
    return (responses, nil)
}

/// The client's response parser: the framing the server uses for requests
/// (`HTTPMessageFramer`), with the response rules of RFC 9112 §6.3.
@Suite struct HTTPResponseParserTests {
    static let steps: [Int?] = [nil, 1, 2, 3, 7, 64]

    @Test(arguments: steps)
    func contentLength(step: Int?) {
        let (rs, err) = parseResponses(
            "HTTP/1.1 201 Created\r\nContent-Length: 5\r\nX-Multi:  a \r\nContent-Type: text/plain\r\n\r\nhello",
            step: step)
        #expect(err == nil)
        #expect(rs.count == 1 && rs[0].complete)
        #expect(rs[0].head.status == 201 && rs[0].head.reason == "Created" && rs[0].head.version == .http1_1)
        #expect(rs[0].head.headers.map(\.name) == ["content-length", "x-multi", "content-type"])
        #expect(rs[0].head.headers.map(\.value) == ["5", "a", "text/plain"])
        #expect(rs[0].framing == .contentLength(5))
        #expect(rs[0].body == Array("hello".utf8))
    }

    @Test(arguments: steps)
    func chunkedWithExtensionsAndTrailers(step: Int?) {
        let (rs, err) = parseResponses(
            "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nx-trailer: y\r\n\r\n",
            step: step)
        #expect(err == nil)
        #expect(rs.count == 1 && rs[0].complete && rs[0].framing == .chunked)
        #expect(rs[0].body == Array("hello, world".utf8))
        #expect(rs[0].trailers.map(\.name) == ["x-trailer"])
    }

    @Test(arguments: steps)
    func bodyUntilTheConnectionCloses(step: Int?) {
        let open = parseResponses("HTTP/1.0 200 OK\r\n\r\nuntil the end", step: step)
        #expect(open.error == nil && open.responses.count == 1 && !open.responses[0].complete)
        #expect(open.responses[0].framing == .untilClose)
        let (rs, err) = parseResponses("HTTP/1.0 200 OK\r\n\r\nuntil the end", step: step, close: true)
        #expect(err == nil && rs.count == 1 && rs[0].complete)
        #expect(rs[0].body == Array("until the end".utf8))
        // A transfer coding that is not chunked last: the close ends the body too.
        let gzip = parseResponses("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nxyz", step: step, close: true)
        #expect(gzip.error == nil && gzip.responses.first?.framing == .untilClose)
        #expect(gzip.responses.first?.body == Array("xyz".utf8))
    }

    @Test func responsesWithoutABody() {
        let interim = parseResponses("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n")
        #expect(interim.error == nil)
        #expect(interim.responses.map(\.head.status) == [100, 204])
        #expect(interim.responses.allSatisfy { $0.complete && $0.body.isEmpty && $0.framing == .none })
        let head = parseResponses("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", method: "HEAD")
        #expect(head.error == nil && head.responses.count == 1 && head.responses[0].complete)
        let notModified = parseResponses("HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\n")
        #expect(notModified.error == nil && notModified.responses.first?.complete == true)
        // No reason phrase, not even its space.
        let bare = parseResponses("HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n")
        #expect(bare.error == nil && bare.responses.first?.head.reason == "")
    }

    @Test func theRequestRulesApplyToResponses() {
        func status(_ input: String, close: Bool = false, limits: HTTPLimits = .default) -> Int? {
            parseResponses(input, close: close, limits: limits).error?.status
        }
        #expect(status("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n") == 400)
        #expect(status("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nab") == 400)
        #expect(status("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n") == 400)
        #expect(status("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, chunked\r\n\r\n") == 400)
        #expect(status("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n") == 501)
        #expect(status("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n") == 400)
        #expect(status("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n") == 400)
        #expect(status("HTTP/1.1 200 OK\r\nX: a\r\n  folded\r\n\r\n") == 400)
        #expect(status("HTTP/1.1 200 OK\r\nX: a\u{01}b\r\n\r\n") == 400)
        #expect(status("HTTP/1.1 2000 OK\r\n\r\n") == 400)
        #expect(status("HTTP/1.1 099 Low\r\n\r\n") == 400)
        #expect(status("HTTX/1.1 200 OK\r\n\r\n") == 400)
        #expect(status("HTTP/2.0 200 OK\r\n\r\n") == 505)
        let small = HTTPLimits(maxHeaderBytes: 64, maxBodyBytes: 4, maxChunkLineBytes: 8, maxHeaderCount: 2)
        #expect(status("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", limits: small) == 413)
        #expect(
            status("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", limits: small) == 413
        )
        #expect(status("HTTP/1.1 200 OK\r\n\r\nhello", close: true, limits: small) == 413)
        #expect(status("HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", limits: small) == 431)
        #expect(status("HTTP/1.1 200 OK\r\nX-Long: \(String(repeating: "x", count: 80))\r\n\r\n", limits: small) == 431)
        #expect(
            status(
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;\(String(repeating: "e", count: 20))\r\n",
                limits: small)
                == 400)
    }

    @Test func theCloseCutsAResponseShort() {
        #expect(parseResponses("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhel", close: true).error != nil)
        #expect(
            parseResponses("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel", close: true).error != nil)
        #expect(parseResponses("HTTP/1.1 200 OK\r\nContent-", close: true).error != nil)
        let nothing = parseResponses("", close: true)
        #expect(nothing.error == nil && nothing.responses.isEmpty)
    }
}
