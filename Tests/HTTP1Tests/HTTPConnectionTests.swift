import Testing

@testable import HTTP1

func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

@Suite struct HTTPResponseSerializerTests {
    @Test func basicResponse() {
        let r = HTTPResponse(status: 200, headers: [("content-type", "text/plain"), ("x-a", "1")], text: "hello")
        let out = text(HTTPResponseSerializer.serialize(r, close: false, date: nil))
        #expect(out == "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\nx-a: 1\r\ncontent-length: 5\r\n\r\nhello")
    }

    @Test func closeAndDate() {
        let out = text(
            HTTPResponseSerializer.serialize(
                HTTPResponse(status: 404), close: true, date: "Sun, 06 Nov 1994 08:49:37 GMT"))
        #expect(
            out
                == "HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\ndate: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\n"
        )
    }

    @Test func managedHeadersReplaced() {
        let r = HTTPResponse(
            status: 201,
            headers: [
                ("Content-Length", "999"), ("Transfer-Encoding", "chunked"),
                ("Connection", "keep-alive"), ("bad name", "x"), ("x-split", "a\r\nInjected: 1"),
            ],
            text: "abc")
        let out = text(HTTPResponseSerializer.serialize(r, close: false, date: nil))
        #expect(out == "HTTP/1.1 201 Created\r\nx-split: a  Injected: 1\r\ncontent-length: 3\r\n\r\nabc")
    }

    @Test func headResponseHasNoBody() {
        let r = HTTPResponse(status: 200, text: "hello")
        let out = text(HTTPResponseSerializer.serialize(r, requestMethod: "HEAD", close: false, date: nil))
        #expect(out == "HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\n")
        let explicit = HTTPResponse(status: 200, headers: [("content-length", "42")])
        #expect(
            text(HTTPResponseSerializer.serialize(explicit, requestMethod: "HEAD", close: false, date: nil))
                == "HTTP/1.1 200 OK\r\ncontent-length: 42\r\n\r\n")
    }

    @Test func noBodyStatuses() {
        for status in [204, 304] {
            let out = text(
                HTTPResponseSerializer.serialize(HTTPResponse(status: status, text: "x"), close: false, date: nil))
            #expect(out == "HTTP/1.1 \(status) \(HTTPStatus.reasonPhrase(status))\r\n\r\n")
        }
    }

    @Test func http10() {
        let keep = text(
            HTTPResponseSerializer.serialize(
                HTTPResponse(status: 200), requestVersion: .http1_0, close: false, date: nil))
        #expect(keep == "HTTP/1.0 200 OK\r\ncontent-length: 0\r\nconnection: keep-alive\r\n\r\n")
        let close = text(
            HTTPResponseSerializer.serialize(
                HTTPResponse(status: 200), requestVersion: .http1_0, close: true, date: nil))
        #expect(close == "HTTP/1.0 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
    }

    @Test func invalidStatusBecomes500() {
        for status in [0, 42, 1000] {
            let out = text(HTTPResponseSerializer.serialize(HTTPResponse(status: status), close: false, date: nil))
            #expect(out.hasPrefix("HTTP/1.1 500 Internal Server Error\r\n"))
        }
    }

    @Test func reasonPhrases() {
        #expect(HTTPStatus.reasonPhrase(413) == "Payload Too Large")
        #expect(HTTPStatus.reasonPhrase(431) == "Request Header Fields Too Large")
        #expect(HTTPStatus.reasonPhrase(599) == "<none>")
    }

    @Test func dateFormat() {
        #expect(httpDate(784111777) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(httpDate(0) == "Thu, 01 Jan 1970 00:00:00 GMT")
    }
}

@Suite struct HTTPConnectionStateMachineTests {
    /// Drives a state machine over `input` fed `step` bytes at a time; answers every
    /// dispatched request with `respond`. Returns what was written and whether it closed.
    func drive(
        _ input: String, step: Int? = nil, limits: HTTPLimits = .default,
        respond: (HTTPRequestHead, [UInt8]) -> HTTPResponse = { h, _ in HTTPResponse(status: 200, text: h.path) }
    )
        -> (written: String, closed: Bool, requests: [(HTTPRequestHead, [UInt8])])
    {
        var sm = HTTPConnectionStateMachine(limits: limits)
        let bytes = Array(input.utf8)
        let size = step ?? max(bytes.count, 1)
        var written: [UInt8] = []
        var requests: [(HTTPRequestHead, [UInt8])] = []
        var offset = 0
        while true {
            switch sm.nextAction() {
            case .needMoreData:
                if offset >= bytes.count { return (text(written), false, requests) }
                let end = min(offset + size, bytes.count)
                sm.feed(bytes[offset..<end])
                offset = end
            case .sendContinue:
                written += HTTPResponseSerializer.continueResponse
            case .dispatch(let head, let body, _):
                requests.append((head, body))
                let (out, close) = sm.responseBytes(for: respond(head, body), date: nil)
                written += out
                if close { return (text(written), true, requests) }
            case .respondAndClose(_, let out):
                written += out.prefix { _ in true }
                return (text(written).replacingDate(), true, requests)
            case .close:
                return (text(written), true, requests)
            case .awaitingResponse:
                Issue.record("unexpected awaitingResponse")
                return (text(written), true, requests)
            }
        }
    }

    @Test(arguments: [nil, 1, 5] as [Int?])
    func keepAliveTwoRequests(step: Int?) {
        let r = drive("GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n", step: step)
        #expect(!r.closed)
        #expect(
            r.written == "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n/aHTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n/b")
    }

    @Test func connectionCloseStopsPipeline() {
        let r = drive("GET /a HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\nGET /b HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(r.closed)
        #expect(r.requests.count == 1)
        #expect(r.written == "HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\n/a")
    }

    @Test func http10ClosesByDefault() {
        let r = drive("GET /a HTTP/1.0\r\n\r\nGET /b HTTP/1.0\r\n\r\n")
        #expect(r.closed)
        #expect(r.requests.count == 1)
        let k = drive("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /b HTTP/1.0\r\n\r\n")
        #expect(k.requests.count == 2)
        #expect(k.closed)
        #expect(k.written.hasPrefix("HTTP/1.0 200 OK\r\ncontent-length: 2\r\nconnection: keep-alive\r\n\r\n/a"))
    }

    @Test func handlerConnectionCloseHonoured() {
        let r = drive("GET /a HTTP/1.1\r\nHost: t\r\n\r\nGET /b HTTP/1.1\r\nHost: t\r\n\r\n") { _, _ in
            HTTPResponse(status: 200, headers: [("connection", "close")])
        }
        #expect(r.closed)
        #expect(r.requests.count == 1)
    }

    @Test(arguments: [nil, 1] as [Int?])
    func continueSentBeforeBody(step: Int?) {
        var sm = HTTPConnectionStateMachine()
        sm.feed(Array("POST /u HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n".utf8))
        guard case .sendContinue = sm.nextAction() else { Issue.record("expected 100-continue"); return }
        guard case .needMoreData = sm.nextAction() else { Issue.record("expected needMoreData"); return }
        sm.feed(Array("abc".utf8))
        guard case .dispatch(_, let body, _) = sm.nextAction() else { Issue.record("expected dispatch"); return }
        #expect(body == Array("abc".utf8))
    }

    @Test func noContinueWhenBodyAlreadyHere() {
        let r = drive("POST /u HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\nabc")
        #expect(!r.written.contains("100 Continue"))
        #expect(r.requests.count == 1)
        let empty = drive("POST /u HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 0\r\n\r\n")
        #expect(!empty.written.contains("100 Continue"))
    }

    @Test func continueNotSentWhenTooLarge() {
        let r = drive(
            "POST /u HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 100\r\n\r\n",
            limits: HTTPLimits(maxBodyBytes: 10))
        #expect(r.closed)
        #expect(r.written.hasPrefix("HTTP/1.1 413 Payload Too Large\r\ncontent-length: 0\r\nconnection: close\r\n"))
        #expect(r.requests.isEmpty)
    }

    @Test(arguments: [nil, 1] as [Int?])
    func chunkedRequestDispatchesWholeBody(step: Int?) {
        let r = drive(
            "POST /c HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\nGET /n HTTP/1.1\r\nHost: t\r\n\r\n",
            step: step
        ) { h, b in
            HTTPResponse(status: 200, body: b)
        }
        #expect(r.requests.count == 2)
        #expect(r.requests[0].1 == Array("abcde".utf8))
        #expect(!r.closed)
    }

    @Test func errorsRespondAndClose() {
        let r = drive("GET / HTTP/1.1\r\nHost: t\r\nBad Header\r\n\r\n")
        #expect(r.closed)
        #expect(r.written.hasPrefix("HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\nconnection: close\r\n"))
        let big = drive("GET / HTTP/1.1\r\nHost: t\r\nX: " + String(repeating: "y", count: 70_000) + "\r\n\r\n", step: 1000)
        #expect(big.written.hasPrefix("HTTP/1.1 431 Request Header Fields Too Large\r\n"))
        // An error in a pipelined request follows the good response.
        let p = drive("GET /ok HTTP/1.1\r\nHost: t\r\n\r\nBROKEN\r\n\r\n")
        #expect(p.requests.count == 1)
        #expect(p.written.hasPrefix("HTTP/1.1 200 OK\r\ncontent-length: 3\r\n\r\n/okHTTP/1.1 400 Bad Request\r\n"))
    }

    @Test func idleAndTimeouts() {
        var sm = HTTPConnectionStateMachine()
        #expect(sm.isIdle)
        sm.feed(Array("GET / HT".utf8))
        _ = sm.nextAction()
        #expect(!sm.isIdle)
        guard case .respondAndClose(let status, _) = sm.timedOut() else { Issue.record("expected 408"); return }
        #expect(status == 408)

        var idle = HTTPConnectionStateMachine()
        guard case .close = idle.timedOut() else { Issue.record("expected close"); return }

        var busy = HTTPConnectionStateMachine()
        busy.feed(Array("GET / HTTP/1.1\r\nHost: t\r\n\r\n".utf8))
        guard case .dispatch = busy.nextAction() else { Issue.record("expected dispatch"); return }
        #expect(busy.isAwaitingResponse && !busy.isIdle)
        guard case .awaitingResponse = busy.nextAction() else { Issue.record("expected awaiting"); return }
        let (_, close) = busy.responseBytes(for: HTTPResponse(status: 200), forceClose: true)
        #expect(close)
        #expect(busy.isClosed)
    }

    @Test func headRequest() {
        let r = drive("HEAD /x HTTP/1.1\r\nHost: t\r\n\r\n") { _, _ in HTTPResponse(status: 200, text: "body") }
        #expect(r.written == "HTTP/1.1 200 OK\r\ncontent-length: 4\r\n\r\n")
    }
}

extension String {
    /// Test helper: drops a trailing `date:` header line so outputs compare exactly.
    func replacingDate() -> String {
        var lines = self.split(separator: "\r\n", omittingEmptySubsequences: false)
        lines.removeAll { $0.hasPrefix("date: ") }
        return lines.joined(separator: "\r\n")
    }
}
