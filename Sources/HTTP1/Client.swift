import Foundation
import Sockets

#if canImport(Glibc)
    import Glibc
#endif

/// A request for `HTTP1Client.send`.
package struct HTTPClientRequest: Sendable {
    package var method: String
    /// The request-target in origin form: path and query.
    package var target: String
    /// The `host` field value (`host[:port]`).
    package var host: String
    /// Sent as given, in order, after `host`.
    package var headers: HTTPHeaders
    /// Sent with a `content-length`; nil sends neither.
    package var body: [UInt8]?

    package init(method: String, target: String, host: String, headers: HTTPHeaders = [], body: [UInt8]? = nil) {
        self.method = method
        self.target = target
        self.host = host
        self.headers = headers
        self.body = body
    }

    /// Whether a field can be written without changing the message: a name without CR,
    /// LF or `:` (and not empty), a value without CR or LF.
    package static func isValidField(name: String, value: String) -> Bool {
        !name.isEmpty && !name.contains(where: { $0 == "\r" || $0 == "\n" || $0 == ":" })
            && !value.contains(where: { $0 == "\r" || $0 == "\n" })
    }

    /// The request's bytes: the fields given, `content-length` with a body, and
    /// `connection: close` (one request per connection).
    package var bytes: [UInt8] {
        var head = "\(method) \(target) HTTP/1.1\r\nhost: \(host)\r\n"
        for (n, v) in headers { head += "\(n): \(v)\r\n" }
        if let body { head += "content-length: \(body.count)\r\n" }
        head += "connection: close\r\n\r\n"
        return Array(head.utf8) + (body ?? [])
    }
}

/// A complete response.
package struct HTTPClientResponse: Sendable {
    package var status: Int
    /// Names lower-cased, in the order received.
    package var headers: HTTPHeaders
    package var body: [UInt8]
}

/// Why a request failed.
package struct HTTPClientError: Error, Sendable, CustomStringConvertible {
    package enum Kind: Sendable, Equatable {
        /// The request cannot be sent as given (e.g. a field with a line break).
        case invalidRequest
        /// Connecting, sending or receiving failed, timed out, or the response is malformed
        /// or beyond the limits.
        case failed
    }

    package var kind: Kind
    package var description: String

    package init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }
}

/// The HTTP/1.1 client: one request per TCP connection (`connection: close`), the response
/// read with the same framing as the server reads requests (`HTTPMessageFramer`).
package enum HTTP1Client {
    /// The limits responses are read with unless the caller gives others: a generous header
    /// section (cookies), the server's chunk-line limit, 64 MiB of body.
    package static let defaultLimits = HTTPLimits(
        maxHeaderBytes: 256 * 1024, maxBodyBytes: 64 << 20, maxChunkLineBytes: 4096, maxHeaderCount: 1000)

    /// Sends `request` to `host`:`port` and reads the response. `timeout` bounds connecting
    /// and each wait for the server; `deadline` the whole exchange.
    package static func send(
        _ request: HTTPClientRequest, host: String, port: Int, timeout: Double, deadline: Date,
        limits: HTTPLimits = defaultLimits
    ) throws(HTTPClientError) -> HTTPClientResponse {
        for (name, value) in request.headers where !HTTPClientRequest.isValidField(name: name, value: value) {
            throw HTTPClientError(.invalidRequest, "invalid header `\(name)`")
        }
        let fd: Int32
        do {
            fd = try Socket.connect(host: host, port: port, timeout: timeout)
        } catch {
            throw HTTPClientError(.failed, error.description)
        }
        defer { close(fd) }
        do {
            try Socket.sendAll(fd, request.bytes)
        } catch {
            throw HTTPClientError(.failed, error.description)
        }
        return try readResponse(fd: fd, requestMethod: request.method, deadline: deadline, limits: limits)
    }

    /// Reads one response from `fd` (interim 1xx responses are skipped, except 101).
    package static func readResponse(fd: Int32, requestMethod: String, deadline: Date, limits: HTTPLimits)
        throws(HTTPClientError) -> HTTPClientResponse
    {
        var parser = HTTPResponseParser(requestMethod: requestMethod, limits: limits)
        var head: HTTPResponseHead?
        var body: [UInt8] = []
        var input: [UInt8] = []
        var closed = false
        func failure(_ error: HTTPParseError) -> HTTPClientError {
            switch error.status {
            case 413: HTTPClientError(.failed, "response body exceeds the limit of \(limits.maxBodyBytes) bytes")
            case 431: HTTPClientError(.failed, "response headers too large: \(error.reason)")
            default: HTTPClientError(.failed, "malformed response from the server: \(error.reason)")
            }
        }
        while true {
            while true {
                let event: HTTPResponseEvent?
                do {
                    event = closed ? try parser.finish() : try parser.next()
                } catch {
                    if closed { throw HTTPClientError(.failed, "connection closed before the response was complete") }
                    throw failure(error)
                }
                guard let event else { break }
                switch event {
                case .head(let h, _):
                    // An interim response (100 Continue, 103 Early Hints) precedes the real one.
                    head = (100..<200).contains(h.status) && h.status != 101 ? nil : h
                case .body(let bytes):
                    body += bytes
                case .end:
                    if let head { return HTTPClientResponse(status: head.status, headers: head.headers, body: body) }
                }
            }
            if closed { throw HTTPClientError(.failed, "connection closed before the response was complete") }
            if Date() > deadline { throw HTTPClientError(.failed, "request timed out") }
            input.removeAll(keepingCapacity: true)
            let n: Int
            do {
                n = try Socket.receive(fd, into: &input)
            } catch {
                throw HTTPClientError(
                    .failed, error.kind == .timedOut ? "timed out waiting for the response" : error.description)
            }
            if n == 0 { closed = true } else { parser.feed(input) }
        }
    }
}
