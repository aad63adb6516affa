/// The per-connection protocol logic of the server, without I/O.
///
/// The owner feeds received bytes and asks `nextAction()` what to do until it answers
/// `.needMoreData` (read more) or `.dispatch` (run the handler; stop reading). When the
/// response is ready, `responseBytes(for:)` serialises it and says whether to close;
/// then the owner asks `nextAction()` again, which may already dispatch a pipelined request.
package struct HTTPConnectionStateMachine: Sendable {
    package enum Action: Sendable {
        /// Read more bytes and `feed` them.
        case needMoreData
        /// Write `HTTPResponseSerializer.continueResponse`, then call `nextAction()` again.
        case sendContinue
        /// A complete request: run the handler. No further actions until `responseBytes(for:)`.
        case dispatch(HTTPRequestHead, body: [UInt8], trailers: HTTPHeaders)
        /// Write `bytes` (an error response) and close the connection.
        case respondAndClose(status: Int, bytes: [UInt8])
        /// Close the connection without writing.
        case close
        /// A request was dispatched and its response has not been supplied yet.
        case awaitingResponse
    }

    private enum State: Sendable {
        case reading
        case awaitingResponse(HTTPRequestHead)
        case closed
    }

    private var parser: HTTPRequestParser
    private var state: State = .reading
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    private var continuePending = false
    /// Declared body length reserved for the request being read (Content-Length), or 0.
    private var reservedBodyBytes = 0
    /// Most body bytes this connection may hold now (set by the owner before `nextAction()`
    /// from a budget shared by all connections). A request whose declared or received body
    /// would exceed it is answered 503 and the connection closed.
    package var bodyBudget = Int.max
    /// Number of requests fully answered on this connection.
    package private(set) var completedRequests = 0

    package init(limits: HTTPLimits = .default) {
        parser = HTTPRequestParser(limits: limits)
    }

    /// Appends received bytes.
    package mutating func feed<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
        parser.feed(bytes)
    }

    /// True between requests with nothing of a next request received: safe to close
    /// on idle timeout or shutdown without losing work.
    package var isIdle: Bool {
        if case .reading = state { return head == nil && parser.isAtMessageBoundary }
        return false
    }

    /// True while a request has been dispatched and awaits its response.
    package var isAwaitingResponse: Bool {
        if case .awaitingResponse = state { return true }
        return false
    }

    /// True once the connection should be (or has been) closed.
    package var isClosed: Bool {
        if case .closed = state { return true }
        return false
    }

    /// Bytes received but not yet parsed into events (e.g. a pipelined next request).
    package var bufferedByteCount: Int { parser.bufferedByteCount }

    /// Bytes of request body this connection holds (received, or reserved for a declared length).
    package var heldBodyBytes: Int { max(body.count, reservedBodyBytes) }

    /// True when the request being read has its head complete (body in progress).
    package var isReadingBody: Bool { head != nil }

    package mutating func nextAction() -> Action {
        switch state {
        case .closed:
            return .close
        case .awaitingResponse:
            return .awaitingResponse
        case .reading:
            break
        }
        while true {
            let event: HTTPParserEvent?
            do {
                event = try parser.next()
            } catch {
                return fail(status: error.status)
            }
            guard let event else {
                if continuePending {
                    continuePending = false
                    return .sendContinue
                }
                return .needMoreData
            }
            switch event {
            case .head(let h, let framing, let expectContinue):
                // RFC 9112 §3.2: an HTTP/1.1 request without Host is refused.
                if h.version == .http1_1 && h.headerValues("host").isEmpty { return fail(status: 400) }
                // RFC 9110 §10.1.1: an expectation other than 100-continue cannot be met.
                let expectations = h.headerValues("expect").flatMap { HTTPRequestHead.tokens($0) }
                if expectations.contains(where: { $0 != "100-continue" }) { return fail(status: 417) }
                head = h
                body = []
                reservedBodyBytes = 0
                if case .contentLength(let n) = framing {
                    if n > bodyBudget { return fail(status: 503) }
                    reservedBodyBytes = n
                    body.reserveCapacity(n)
                }
                continuePending = expectContinue && framing.hasBody
            case .body(let bytes):
                continuePending = false  // the client did not wait; no interim response needed
                if body.count + bytes.count > bodyBudget { return fail(status: 503) }
                body.append(contentsOf: bytes)
            case .end(let trailers):
                continuePending = false
                let h = head!
                head = nil
                let b = body
                body = []
                reservedBodyBytes = 0
                state = .awaitingResponse(h)
                return .dispatch(h, body: b, trailers: trailers)
            }
        }
    }

    /// Serialises the response to the dispatched request. `close` is true when the
    /// connection must be closed after writing: the request asked for it, the handler
    /// set `connection: close`, or `forceClose` (e.g. server shutting down).
    /// How `response`'s `bodyStream` is framed for the dispatched request (call before `responseBytes`).
    package func streamFraming(for response: HTTPResponse) -> HTTPResponseSerializer.StreamFraming {
        guard case .awaitingResponse(let h) = state else { return .none }
        return HTTPResponseSerializer.streamFraming(response, requestMethod: h.method, requestVersion: h.version)
    }

    package mutating func responseBytes(
        for response: HTTPResponse, forceClose: Bool = false,
        date: String? = httpDate()
    ) -> (bytes: [UInt8], close: Bool) {
        guard case .awaitingResponse(let h) = state else {
            preconditionFailure("responseBytes(for:) without a dispatched request")
        }
        let handlerClose = response.headers.contains {
            $0.name.lowercased() == "connection" && HTTPRequestHead.tokens($0.value).contains("close")
        }
        let untilClose =
            response.bodyStream != nil
            && HTTPResponseSerializer.streamFraming(response, requestMethod: h.method, requestVersion: h.version)
                == .untilClose
        let close = forceClose || handlerClose || !h.keepAlive || untilClose
        let bytes = HTTPResponseSerializer.serialize(
            response, requestMethod: h.method,
            requestVersion: h.version, close: close, date: date)
        completedRequests += 1
        state = close ? .closed : .reading
        return (bytes, close)
    }

    /// The peer closed its sending side.
    package mutating func peerClosed() -> Action {
        state = .closed
        return .close
    }

    /// A read timeout fired: a half-received request gets 408, an idle connection is just closed.
    package mutating func timedOut() -> Action {
        if case .reading = state, !isIdle {
            return fail(status: 408)
        }
        state = .closed
        return .close
    }

    private mutating func fail(status: Int) -> Action {
        state = .closed
        // Give the memory back at once (a refused body may be large).
        head = nil
        body = []
        reservedBodyBytes = 0
        let bytes = HTTPResponseSerializer.serialize(
            HTTPResponse(status: status), requestMethod: "GET",
            requestVersion: .http1_1, close: true)
        return .respondAndClose(status: status, bytes: bytes)
    }
}
