import Testing

@testable import HTTP1

/// A parsed request as the tests see it.
struct ParsedRequest {
    var head: HTTPRequestHead
    var framing: HTTPBodyFraming
    var expectContinue: Bool
    var body: [UInt8] = []
    var trailers: HTTPHeaders = []
    var complete = false
}

/// Feeds `input` in pieces of `step` bytes (all at once when nil) and collects requests.
func parseAll(_ input: String, step: Int? = nil, limits: HTTPLimits = .default) -> (
    requests: [ParsedRequest], error: HTTPParseError?
) {
    parseAll(Array(input.utf8), step: step, limits: limits)
}

func parseAll(_ bytes: [UInt8], step: Int? = nil, limits: HTTPLimits = .default) -> (
    requests: [ParsedRequest], error: HTTPParseError?
) {
    var parser = HTTPRequestParser(limits: limits)
    var requests: [ParsedRequest] = []
    let size = step ?? max(bytes.count, 1)
    var offset = 0
    repeat {
        let end = min(offset + size, bytes.count)
        parser.feed(bytes[offset..<end])
        offset = end
        do {
            while let event = try parser.next() {
                switch event {
                case .head(let head, let framing, let expect):
                    requests.append(ParsedRequest(head: head, framing: framing, expectContinue: expect))
                case .body(let b):
                    requests[requests.count - 1].body += b
                case .end(let trailers):
                    requests[requests.count - 1].trailers = trailers
                    requests[requests.count - 1].complete = true
                }
            }
        } catch {
            return (requests, error)
        }
    } while offset < bytes.count
    return (requests, nil)
}

@Suite struct HTTPParserTests {
    static let steps: [Int?] = [nil, 1, 2, 3, 7, 64]

    @Test(arguments: steps)
    func simpleGet(step: Int?) {
        let (reqs, err) = parseAll(
            "GET /hello/world?x=1&y=2 HTTP/1.1\r\nHost: localhost:3000\r\nX-Custom-Header:  some value \r\nACCEPT: */*\r\n\r\n",
            step: step)
        #expect(err == nil)
        #expect(reqs.count == 1)
        let r = reqs[0]
        #expect(r.complete)
        #expect(r.head.method == "GET")
        #expect(r.head.target == "/hello/world?x=1&y=2")
        #expect(r.head.path == "/hello/world")
        #expect(r.head.query == "x=1&y=2")
        #expect(r.head.version == .http1_1)
        #expect(r.head.headers.map(\.name) == ["host", "x-custom-header", "accept"])
        #expect(r.head.headers.map(\.value) == ["localhost:3000", "some value", "*/*"])
        #expect(r.framing == .none)
        #expect(r.body.isEmpty)
        #expect(r.head.keepAlive)
    }

    @Test(arguments: steps)
    func contentLengthBody(step: Int?) {
        let (reqs, err) = parseAll("POST /p HTTP/1.1\r\nContent-Length: 11\r\n\r\nhello world", step: step)
        #expect(err == nil)
        #expect(reqs.count == 1)
        #expect(reqs[0].complete)
        #expect(reqs[0].framing == .contentLength(11))
        #expect(String(decoding: reqs[0].body, as: UTF8.self) == "hello world")
    }

    @Test(arguments: steps)
    func chunkedBodyWithTrailers(step: Int?) {
        let input =
            "POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5\r\nhello\r\n"
            + "1;ext=1;other\r\n \r\n"
            + "A\r\n0123456789\r\n"
            + "0\r\nX-Trailer: yes\r\nX-Other: 2\r\n\r\n"
        let (reqs, err) = parseAll(input, step: step)
        #expect(err == nil)
        #expect(reqs.count == 1)
        #expect(reqs[0].complete)
        #expect(reqs[0].framing == .chunked)
        #expect(String(decoding: reqs[0].body, as: UTF8.self) == "hello 0123456789")
        #expect(reqs[0].trailers.map(\.name) == ["x-trailer", "x-other"])
        #expect(reqs[0].trailers.map(\.value) == ["yes", "2"])
    }

    @Test func chunkedUppercaseHexAndBareLF() {
        let (reqs, err) = parseAll(
            "POST / HTTP/1.1\nTransfer-Encoding: Chunked\n\n1f\n0123456789012345678901234567890\n0\n\n")
        #expect(err == nil)
        #expect(reqs.count == 1 && reqs[0].complete)
        #expect(reqs[0].body.count == 31)
    }

    @Test(arguments: steps)
    func pipelinedRequests(step: Int?) {
        let input =
            "GET /a HTTP/1.1\r\nHost: x\r\n\r\n"
            + "POST /b HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc"
            + "PUT /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n"
            + "DELETE /d HTTP/1.0\r\n\r\n"
        let (reqs, err) = parseAll(input, step: step)
        #expect(err == nil)
        #expect(reqs.map(\.head.method) == ["GET", "POST", "PUT", "DELETE"])
        #expect(reqs.map(\.head.path) == ["/a", "/b", "/c", "/d"])
        #expect(reqs.map { String(decoding: $0.body, as: UTF8.self) } == ["", "abc", "hi", ""])
        #expect(reqs.allSatisfy { $0.complete })
        #expect(reqs[3].head.version == .http1_0)
    }

    @Test func leadingEmptyLinesIgnored() {
        let (reqs, err) = parseAll("\r\n\r\nGET / HTTP/1.1\r\n\r\n")
        #expect(err == nil)
        #expect(reqs.count == 1)
    }

    @Test func incompleteNeedsMore() throws {
        var p = HTTPRequestParser()
        p.feed(Array("GET / HTTP/1.1\r\nHost: a\r\n".utf8))
        let first = try p.next()
        #expect(first == nil)
        #expect(p.isInsideMessage)
        p.feed(Array("\r\n".utf8))
        guard case .head = try p.next() else { Issue.record("expected head"); return }
        guard case .end = try p.next() else { Issue.record("expected end"); return }
        let last = try p.next()
        #expect(last == nil)
        #expect(p.isAtMessageBoundary)
    }

    @Test func expectContinue() {
        let (reqs, _) = parseAll("POST / HTTP/1.1\r\nExpect: 100-Continue\r\nContent-Length: 2\r\n\r\n")
        #expect(reqs.count == 1)
        #expect(reqs[0].expectContinue)
        #expect(!reqs[0].complete)
        let (reqs10, _) = parseAll("POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n")
        #expect(!reqs10[0].expectContinue)
    }

    @Test func keepAliveRules() {
        func head(_ s: String) -> HTTPRequestHead { parseAll(s).requests[0].head }
        #expect(head("GET / HTTP/1.1\r\n\r\n").keepAlive)
        #expect(!head("GET / HTTP/1.1\r\nConnection: close\r\n\r\n").keepAlive)
        #expect(!head("GET / HTTP/1.1\r\nConnection: Upgrade, Close\r\n\r\n").keepAlive)
        #expect(!head("GET / HTTP/1.0\r\n\r\n").keepAlive)
        #expect(head("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").keepAlive)
        #expect(!head("GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n").keepAlive)
    }

    @Test func absoluteFormTarget() {
        let r = parseAll("GET http://example.com:8080/x/y?q=1 HTTP/1.1\r\n\r\n").requests[0]
        #expect(r.head.path == "/x/y")
        #expect(r.head.query == "q=1")
        let r2 = parseAll("GET http://example.com HTTP/1.1\r\n\r\n").requests[0]
        #expect(r2.head.path == "/")
        #expect(r2.head.query == nil)
    }

    @Test func emptyQuery() {
        let r = parseAll("GET /x? HTTP/1.1\r\n\r\n").requests[0]
        #expect(r.head.path == "/x")
        #expect(r.head.query == "")
    }

    /// RFC 9112 §6.3 allows merging identical duplicates; we refuse every duplicate (smuggling defence).
    @Test func identicalDuplicateContentLengthRefused() {
        let (reqs, err) = parseAll("POST / HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nab")
        #expect(reqs.isEmpty)
        #expect(err == HTTPParseError(status: 400, reason: "duplicate Content-Length"))
        #expect(parseAll("POST / HTTP/1.1\r\nContent-Length: 2,2\r\n\r\nab").error?.status == 400)
    }

    @Test func chunkSizeWithLeadingZerosAccepted() {
        let (reqs, err) = parseAll(
            "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n00000000000000000000003\r\nabc\r\n0\r\n\r\n")
        #expect(err == nil)
        #expect(reqs.first?.body == Array("abc".utf8))
    }

    @Test(arguments: [nil, 1] as [Int?])
    func headerFieldFloodGets431(step: Int?) {
        let limits = HTTPLimits(maxHeaderCount: 10)
        let fields = (0..<10).map { "X-\($0): v\r\n" }.joined()
        #expect(parseAll("GET / HTTP/1.1\r\n" + fields + "\r\n", step: step, limits: limits).error == nil)
        let flood = "GET / HTTP/1.1\r\n" + fields + "X-Eleventh: v\r\n\r\n"
        #expect(parseAll(flood, step: step, limits: limits).error?.status == 431)
        let trailers = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n" + fields + "T: x\r\n\r\n"
        #expect(parseAll(trailers, step: step, limits: limits).error?.status == 431)
        #expect(HTTPLimits.default.maxHeaderCount == 100)
    }

    // MARK: errors

    static let malformed: [(String, Int)] = [
        ("GET / HTTP/1.1 extra\r\n\r\n", 400),
        ("GET  / HTTP/1.1\r\n\r\n", 400),
        ("GET /\r\n\r\n", 400),
        ("GET / HTTX/1.1\r\n\r\n", 400),
        ("GET / HTTP/1.10\r\n\r\n", 400),
        ("GET / HTTP/2.0\r\n\r\n", 505),
        ("G(T / HTTP/1.1\r\n\r\n", 400),
        ("GET foo HTTP/1.1\r\n\r\n", 400),
        ("GET /a\u{7F} HTTP/1.1\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nNo colon here\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nBad Name: x\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nName : x\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\n: x\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nA: b\r\n folded\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nA: b\rc\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nA: b\u{01}c\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc", 400),
        ("POST / HTTP/1.1\r\nContent-Length: 2, 3\r\n\r\nabc", 400),
        ("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nContent-Length: 1x\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nContent-Length:\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501),
        ("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2 x\r\nab\r\n0\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nbad trailer\r\n\r\n", 400),
        // Request smuggling and invalid chunk sizes.
        ("POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc", 400),
        ("POST / HTTP/1.1\r\nContent-Length: 3, 3\r\n\r\nabc", 400),
        ("POST / HTTP/1.1\r\nContent-Length: +3\r\n\r\nabc", 400),
        ("POST / HTTP/1.1\r\nContent-Length: 0x3\r\n\r\nabc", 400),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nTransfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\u{0B}\r\n\r\n0\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n", 400),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0x5\r\nabcde\r\n0\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n 5\r\nabcde\r\n0\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabcdefgh\r\n0\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffffff\r\n", 400),
    ]

    @Test(arguments: malformed)
    func malformedRequests(input: String, status: Int) {
        for step in [nil, 1] as [Int?] {
            let (_, err) = parseAll(input, step: step)
            #expect(err?.status == status, "\(input.debugDescription) step \(String(describing: step))")
        }
    }

    @Test func errorIsSticky() {
        var p = HTTPRequestParser()
        p.feed(Array("BAD\r\n\r\n".utf8))
        #expect(throws: HTTPParseError.self) { try p.next() }
        p.feed(Array("GET / HTTP/1.1\r\n\r\n".utf8))
        #expect(throws: HTTPParseError.self) { try p.next() }
    }

    @Test(arguments: [nil, 1, 1000] as [Int?])
    func headerTooLarge(step: Int?) {
        let big = "GET / HTTP/1.1\r\nX-Big: " + String(repeating: "a", count: 70_000) + "\r\n\r\n"
        let (reqs, err) = parseAll(big, step: step)
        #expect(reqs.isEmpty)
        #expect(err?.status == 431)
    }

    @Test func headerLimitBoundary() {
        let limits = HTTPLimits(maxHeaderBytes: 64)
        let prefix = "GET / HTTP/1.1\r\nA: "
        let fill = 64 - prefix.utf8.count - 4
        let exact = prefix + String(repeating: "x", count: fill) + "\r\n\r\n"
        #expect(exact.utf8.count == 64)
        #expect(parseAll(exact, limits: limits).error == nil)
        #expect(parseAll(exact, step: 1, limits: limits).error == nil)
        let over = prefix + String(repeating: "x", count: fill + 1) + "\r\n\r\n"
        #expect(parseAll(over, limits: limits).error?.status == 431)
        #expect(parseAll(over, step: 1, limits: limits).error?.status == 431)
        let longLine = "GET /" + String(repeating: "a", count: 100)
        #expect(parseAll(longLine, step: 1, limits: limits).error?.status == 431)
    }

    @Test func bodyTooLargeContentLength() {
        let limits = HTTPLimits(maxBodyBytes: 10)
        let (reqs, err) = parseAll("POST / HTTP/1.1\r\nContent-Length: 11\r\n\r\n", limits: limits)
        #expect(reqs.isEmpty)
        #expect(err?.status == 413)
        #expect(parseAll("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n0123456789", limits: limits).error == nil)
        #expect(parseAll("POST / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n").error?.status == 413)
    }

    @Test(arguments: [nil, 1] as [Int?])
    func bodyTooLargeChunked(step: Int?) {
        let limits = HTTPLimits(maxBodyBytes: 10)
        let ok = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n01234\r\n5\r\n56789\r\n0\r\n\r\n"
        #expect(parseAll(ok, step: step, limits: limits).error == nil)
        let over = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n01234\r\n6\r\n567890\r\n0\r\n\r\n"
        #expect(parseAll(over, step: step, limits: limits).error?.status == 413)
        let huge = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffff\r\n"
        #expect(parseAll(huge, step: step).error?.status == 413)
    }

    @Test func defaultLimits() {
        #expect(HTTPLimits.default.maxHeaderBytes == 65536)
        #expect(HTTPLimits.default.maxBodyBytes == 10 * 1024 * 1024)
    }

    @Test func largeBodyFedInPieces() {
        let body = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        var bytes = Array("PUT /big HTTP/1.1\r\nContent-Length: \(body.count)\r\n\r\n".utf8)
        bytes += body
        let (reqs, err) = parseAll(bytes, step: 4093)
        #expect(err == nil)
        #expect(reqs.count == 1 && reqs[0].complete)
        #expect(reqs[0].body == body)
    }

    /// Random split points must not change what a pipeline parses to.
    @Test func randomSplitsAgreeWithWholeParse() {
        let input = Array(
            ("GET /a?b=c HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n\r\n"
                + "POST /b HTTP/1.1\r\nContent-Length: 10\r\n\r\n0123456789"
                + "PUT /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\nT: v\r\n\r\n"
                + "\r\nOPTIONS * HTTP/1.0\r\n\r\n").utf8)
        let whole = parseAll(input)
        #expect(whole.error == nil)
        #expect(whole.requests.count == 4)
        var rng = SplitMix(seed: 42)
        for _ in 0..<300 {
            var parser = HTTPRequestParser()
            var heads: [String] = [], bodies: [[UInt8]] = [], ends = 0
            var offset = 0
            while offset < input.count {
                let n = min(input.count - offset, Int(rng.next() % 9) + 1)
                parser.feed(input[offset..<(offset + n)])
                offset += n
                while let event = try? parser.next() {
                    switch event {
                    case .head(let h, _, _): heads.append(h.target); bodies.append([])
                    case .body(let b): bodies[bodies.count - 1] += b
                    case .end: ends += 1
                    }
                }
            }
            #expect(heads == whole.requests.map(\.head.target))
            #expect(bodies == whole.requests.map(\.body))
            #expect(ends == 4)
        }
    }

    @Test func nonUTF8HeaderValueIsKept() {
        var bytes = Array("GET / HTTP/1.1\r\nX-Bin: a".utf8)
        bytes += [0xFF, 0x62]
        bytes += Array("\r\n\r\n".utf8)
        let (reqs, err) = parseAll(bytes)
        #expect(err == nil)
        #expect(reqs[0].head.header("x-bin")?.hasPrefix("a") == true)
    }
}

struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
