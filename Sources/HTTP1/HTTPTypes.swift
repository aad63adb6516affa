/// HTTP protocol version of a request (only 1.0 and 1.1 are accepted).
public struct HTTPVersion: Sendable, Hashable, CustomStringConvertible {
    public var major: Int
    public var minor: Int

    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    public static let http1_0 = HTTPVersion(major: 1, minor: 0)
    public static let http1_1 = HTTPVersion(major: 1, minor: 1)

    public var description: String { "HTTP/\(major).\(minor)" }
}

/// A header list in wire order. Names of request headers are lower-cased.
public typealias HTTPHeaders = [(name: String, value: String)]

/// The parsed request line and header section of a request.
package struct HTTPRequestHead: Sendable {
    package var method: String
    /// The request-target exactly as sent (`/a/b?x=1`, or absolute-form `http://h/a`).
    package var target: String
    package var version: HTTPVersion
    /// Header fields in the order received, names lower-cased, values trimmed.
    package var headers: HTTPHeaders

    package init(method: String, target: String, version: HTTPVersion, headers: HTTPHeaders) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
    }

    /// Raw (percent-encoded) path of the target, without the query.
    package var path: String { HTTPRequestHead.splitTarget(target).path }
    /// Raw query string without `?`, or nil when the target has none.
    package var query: String? { HTTPRequestHead.splitTarget(target).query }

    /// First value of a header (name compared case-insensitively).
    package func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first(where: { $0.name == lower })?.value
    }

    /// All values of a header, in order.
    package func headerValues(_ name: String) -> [String] {
        let lower = name.lowercased()
        return headers.filter { $0.name == lower }.map(\.value)
    }

    /// Comma-separated tokens of all `Connection` headers, lower-cased.
    package var connectionTokens: [String] {
        headerValues("connection").flatMap { HTTPRequestHead.tokens($0) }
    }

    /// Whether the connection may stay open after this request (RFC 9112 §9.3):
    /// HTTP/1.1 unless `Connection: close`; HTTP/1.0 only with `Connection: keep-alive`.
    package var keepAlive: Bool {
        let tokens = connectionTokens
        if tokens.contains("close") { return false }
        if version == .http1_1 { return true }
        return tokens.contains("keep-alive")
    }

    /// Splits a request-target into raw path and query. For absolute-form targets
    /// (`http://host:port/p?q`) the scheme and authority are dropped.
    package static func splitTarget(_ target: String) -> (path: String, query: String?) {
        var rest = Substring(target)
        if !rest.hasPrefix("/"), let schemeEnd = rest.firstRange(of: "://") {
            rest = rest[schemeEnd.upperBound...]
            if let slash = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) {
                rest = rest[slash...]
            } else {
                rest = ""
            }
            if !rest.hasPrefix("/") { rest = "/" + rest }
        }
        if let q = rest.firstIndex(of: "?") {
            return (String(rest[..<q]), String(rest[rest.index(after: q)...]))
        }
        return (String(rest), nil)
    }

    static func tokens(_ value: String) -> [String] {
        value.split(separator: ",").map { $0.trimmingOWS().lowercased() }.filter { !$0.isEmpty }
    }
}

/// A complete request as handed to an `HTTPHandler`.
public struct HTTPRequest: Sendable {
    public var method: String
    /// The request-target as sent.
    public var target: String
    /// Raw (percent-encoded) path without the query.
    public var path: String
    /// Raw query without `?`, or nil when absent.
    public var query: String?
    public var version: HTTPVersion
    /// Header fields in order; names lower-cased.
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// Trailer fields of a chunked body (names lower-cased); usually empty.
    public var trailers: HTTPHeaders
    /// Peer address, e.g. `127.0.0.1:53412` (IPv6 as `[::1]:53412`).
    public var remoteAddress: String
    /// Local address the connection was accepted on, e.g. `127.0.0.1:3000`.
    public var localAddress: String
    /// Set by the server: sends a response (typically one with a `bodyStream`) before the
    /// handler returns. The first call wins; the response the handler then returns is dropped.
    /// Nil outside a server.
    public var startResponse: (@Sendable (HTTPResponse) -> Void)? = nil

    public init(
        method: String, target: String, version: HTTPVersion = .http1_1,
        headers: HTTPHeaders = [], body: [UInt8] = [], trailers: HTTPHeaders = [],
        remoteAddress: String = "", localAddress: String = ""
    ) {
        self.method = method
        self.target = target
        let split = HTTPRequestHead.splitTarget(target)
        self.path = split.path
        self.query = split.query
        self.version = version
        self.headers = headers.map { ($0.name.lowercased(), $0.value) }
        self.body = body
        self.trailers = trailers
        self.remoteAddress = remoteAddress
        self.localAddress = localAddress
    }

    package init(
        head: HTTPRequestHead, body: [UInt8], trailers: HTTPHeaders = [],
        remoteAddress: String, localAddress: String
    ) {
        self.init(
            method: head.method, target: head.target, version: head.version,
            headers: head.headers, body: body, trailers: trailers,
            remoteAddress: remoteAddress, localAddress: localAddress)
    }

    /// First value of a header (case-insensitive name).
    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first(where: { $0.name == lower })?.value
    }
}

/// A response produced by a handler.
public struct HTTPResponse: Sendable {
    public var status: Int
    /// Header fields in order. `content-length`, `transfer-encoding` and `connection`
    /// are managed by the server and ignored here (except `connection: close`, which is honoured).
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// Who answered, for the request log line (e.g. the component id); never sent.
    public var logLabel: String? = nil
    /// A body sent while the handler still writes it (then `body` is ignored): framed with the
    /// handler's `content-length` when it set one, else chunked (HTTP/1.0: until close).
    public var bodyStream: HTTPResponseBodyStream? = nil

    public init(status: Int, headers: HTTPHeaders = [], body: [UInt8] = [], bodyStream: HTTPResponseBodyStream? = nil) {
        self.status = status
        self.headers = headers
        self.body = body
        self.bodyStream = bodyStream
    }

    public init(status: Int, headers: HTTPHeaders = [], text: String) {
        self.init(status: status, headers: headers, body: Array(text.utf8))
    }

    /// An empty-bodied response with the given status.
    public static func status(_ code: Int) -> HTTPResponse { HTTPResponse(status: code) }

    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first(where: { $0.name.lowercased() == lower })?.value
    }
}

/// Standard reason phrases (RFC 9110 and friends).
package enum HTTPStatus {
    package static func reasonPhrase(_ code: Int) -> String {
        switch code {
        case 100: return "Continue"
        case 101: return "Switching Protocols"
        case 102: return "Processing"
        case 103: return "Early Hints"
        case 200: return "OK"
        case 201: return "Created"
        case 202: return "Accepted"
        case 203: return "Non-Authoritative Information"
        case 204: return "No Content"
        case 205: return "Reset Content"
        case 206: return "Partial Content"
        case 207: return "Multi-Status"
        case 208: return "Already Reported"
        case 226: return "IM Used"
        case 300: return "Multiple Choices"
        case 301: return "Moved Permanently"
        case 302: return "Found"
        case 303: return "See Other"
        case 304: return "Not Modified"
        case 305: return "Use Proxy"
        case 307: return "Temporary Redirect"
        case 308: return "Permanent Redirect"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 402: return "Payment Required"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 406: return "Not Acceptable"
        case 407: return "Proxy Authentication Required"
        case 408: return "Request Timeout"
        case 409: return "Conflict"
        case 410: return "Gone"
        case 411: return "Length Required"
        case 412: return "Precondition Failed"
        case 413: return "Payload Too Large"
        case 414: return "URI Too Long"
        case 415: return "Unsupported Media Type"
        case 416: return "Range Not Satisfiable"
        case 417: return "Expectation Failed"
        case 418: return "I'm a teapot"
        case 421: return "Misdirected Request"
        case 422: return "Unprocessable Entity"
        case 423: return "Locked"
        case 424: return "Failed Dependency"
        case 425: return "Too Early"
        case 426: return "Upgrade Required"
        case 428: return "Precondition Required"
        case 429: return "Too Many Requests"
        case 431: return "Request Header Fields Too Large"
        case 451: return "Unavailable For Legal Reasons"
        case 500: return "Internal Server Error"
        case 501: return "Not Implemented"
        case 502: return "Bad Gateway"
        case 503: return "Service Unavailable"
        case 504: return "Gateway Timeout"
        case 505: return "HTTP Version Not Supported"
        case 506: return "Variant Also Negotiates"
        case 507: return "Insufficient Storage"
        case 508: return "Loop Detected"
        case 510: return "Not Extended"
        case 511: return "Network Authentication Required"
        default: return "<none>"  // what hyper (Spin's server) writes for unregistered codes
        }
    }
}

extension StringProtocol {
    /// Trims optional whitespace (SP / HTAB) from both ends.
    func trimmingOWS() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}
