import Dispatch
import Foundation
import Glibc

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// An outbound request as the guest described it (URL already absolute).
public struct OutboundHTTPRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]?

    public init(method: String, url: String, headers: [(name: String, value: String)] = [], body: [UInt8]? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

public struct OutboundHTTPResponse: Sendable {
    public var status: UInt16
    /// Lower-case names, in the order received.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public func header(_ name: String) -> String? {
        headers.first { $0.name == name.lowercased() }?.value
    }
}

/// `http-error` of `wasi-outbound-http` (codes are the enum indices).
public enum OutboundHTTPError: Error, Equatable, Sendable, CustomStringConvertible {
    case destinationNotAllowed(String)
    case invalidURL(String)
    case requestError(String)
    case runtimeError(String)

    public var code: UInt8 {
        switch self {
        case .destinationNotAllowed: 1
        case .invalidURL: 2
        case .requestError: 3
        case .runtimeError: 4
        }
    }

    public var description: String {
        switch self {
        case .destinationNotAllowed(let m): "destination not allowed: \(m)"
        case .invalidURL(let m): "invalid URL: \(m)"
        case .requestError(let m): "request error: \(m)"
        case .runtimeError(let m): "runtime error: \(m)"
        }
    }
}

/// Limits of outbound HTTP requests.
public struct OutboundHTTPSettings: Sendable {
    /// Connect timeout, and the longest the server may stay silent.
    public var timeoutSeconds: Double
    /// Overall limit for one request (all redirects included).
    public var totalTimeoutSeconds: Double
    /// Largest response body accepted (larger ⇒ `runtime-error`).
    public var maxResponseBytes: Int
    /// Redirects followed (like reqwest's default policy, which Spin 1.x used);
    /// every hop is checked against the allow-list. 0 = return 3xx to the guest.
    public var maxRedirects: Int

    public init(
        timeoutSeconds: Double = 30, totalTimeoutSeconds: Double = 120, maxResponseBytes: Int = 64 << 20,
        maxRedirects: Int = 10
    ) {
        self.timeoutSeconds = timeoutSeconds
        self.totalTimeoutSeconds = totalTimeoutSeconds
        self.maxResponseBytes = maxResponseBytes
        self.maxRedirects = maxRedirects
    }
}

/// The outbound HTTP client: HTTP/1.1 over our own sockets for `http://`,
/// FoundationNetworking's URLSession for `https://`.
public enum HTTPClient {
    /// Sends `request`, following redirects whose targets `isAllowed` accepts.
    public static func send(
        _ request: OutboundHTTPRequest, settings: OutboundHTTPSettings = OutboundHTTPSettings(),
        isAllowed: (ParsedURL) -> Bool = { _ in true }
    ) throws(OutboundHTTPError) -> OutboundHTTPResponse {
        var req = request
        let deadline = Date().addingTimeInterval(settings.totalTimeoutSeconds)
        var hops = 0
        while true {
            guard let url = ParsedURL(req.url) else { throw .invalidURL(req.url) }
            let response: OutboundHTTPResponse
            switch url.scheme {
            case "http": response = try sendPlain(req, url: url, settings: settings, deadline: deadline)
            case "https": response = try sendTLS(req, url: url, settings: settings, deadline: deadline)
            default: throw .destinationNotAllowed("unsupported scheme \(url.scheme)")
            }
            guard [301, 302, 303, 307, 308].contains(response.status), hops < settings.maxRedirects,
                let location = response.header("location"),
                let next = resolve(location, against: url), isAllowed(next)
            else { return response }
            hops += 1
            let nextURL = "\(next.scheme)://\(next.hostHeader)\(next.path)"
            if response.status == 303 || ((response.status == 301 || response.status == 302) && req.method == "POST") {
                if req.method != "HEAD" { req.method = "GET" }
                req.body = nil
                req.headers.removeAll {
                    ["content-length", "content-type", "transfer-encoding"].contains($0.name.lowercased())
                }
            }
            if next.host != url.host || next.effectivePort != url.effectivePort || next.scheme != url.scheme {
                req.headers.removeAll {
                    ["authorization", "cookie", "proxy-authorization"].contains($0.name.lowercased())
                }
            }
            req.url = nextURL
        }
    }

    /// Resolves a `Location` value against the URL that returned it.
    static func resolve(_ location: String, against base: ParsedURL) -> ParsedURL? {
        if location.contains("://") { return ParsedURL(location) }
        let origin = "\(base.scheme)://\(base.hostHeader)"
        if location.hasPrefix("//") { return ParsedURL("\(base.scheme):\(location)") }
        if location.hasPrefix("/") { return ParsedURL(origin + location) }
        var dir = base.path
        if let q = dir.firstIndex(of: "?") { dir = String(dir[..<q]) }
        if let slash = dir.lastIndex(of: "/") { dir = String(dir[...slash]) }
        return ParsedURL(origin + dir + location)
    }

    // MARK: http:// over POSIX sockets

    /// Headers the client computes itself (guest values are dropped).
    static let hopHeaders: Set<String> = [
        "host", "content-length", "transfer-encoding", "connection", "keep-alive", "te", "upgrade",
    ]

    static func requestBytes(_ req: OutboundHTTPRequest, url: ParsedURL) -> [UInt8] {
        var head = "\(req.method) \(url.path) HTTP/1.1\r\nhost: \(url.hostHeader)\r\n"
        // HeaderMap::insert semantics: a later header of the same name replaces an earlier one.
        var seen: [String: Int] = [:]
        var headers: [(String, String)] = []
        for h in req.headers {
            let n = h.name.lowercased()
            if hopHeaders.contains(n) { continue }
            if let i = seen[n] {
                headers[i] = (n, h.value)
            } else {
                seen[n] = headers.count; headers.append((n, h.value))
            }
        }
        for (n, v) in headers { head += "\(n): \(v)\r\n" }
        if let body = req.body, !body.isEmpty || !["GET", "HEAD", "OPTIONS", "DELETE"].contains(req.method) {
            head += "content-length: \(body.count)\r\n"
        }
        head += "connection: close\r\n\r\n"
        return Array(head.utf8) + (req.body ?? [])
    }

    static func sendPlain(_ req: OutboundHTTPRequest, url: ParsedURL, settings: OutboundHTTPSettings, deadline: Date)
        throws(OutboundHTTPError) -> OutboundHTTPResponse
    {
        for h in req.headers
        where h.name.contains(where: { $0 == "\r" || $0 == "\n" || $0 == ":" })
            || h.value.contains(where: { $0 == "\r" || $0 == "\n" }) || h.name.isEmpty
        {
            throw .requestError("invalid header `\(h.name)`")
        }
        guard let port = url.effectivePort else { throw .invalidURL(url.scheme) }
        let fd: Int32
        do {
            fd = try TCPClientSocket.connect(host: url.host, port: port, timeoutSeconds: settings.timeoutSeconds)
        } catch {
            throw .runtimeError("\(error)")
        }
        defer { close(fd) }
        do { try TCPClientSocket.sendAll(fd, requestBytes(req, url: url)) } catch { throw .runtimeError("\(error)") }
        var reader = ResponseReader(fd: fd, deadline: deadline, limit: settings.maxResponseBytes)
        return try reader.readResponse(head: req.method == "HEAD")
    }

    /// Reads and parses one HTTP/1.x response from a socket.
    struct ResponseReader {
        let fd: Int32
        let deadline: Date
        let limit: Int
        var buffer: [UInt8] = []
        var pos = 0
        var eof = false

        init(fd: Int32, deadline: Date, limit: Int) {
            self.fd = fd
            self.deadline = deadline
            self.limit = limit
        }

        mutating func fill() throws(OutboundHTTPError) {
            if Date() > deadline { throw .runtimeError("request timed out") }
            if pos > 65536 { buffer.removeFirst(pos); pos = 0 }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, 65536, 0) }
            if n < 0 {
                if errno == EINTR { return }
                if errno == EAGAIN || errno == EWOULDBLOCK { throw .runtimeError("timed out waiting for the response") }
                throw .runtimeError("receive failed: \(String(cString: strerror(errno)))")
            }
            if n == 0 { eof = true; return }
            buffer += chunk[0..<n]
        }

        mutating func line(max: Int = 65536) throws(OutboundHTTPError) -> String {
            while true {
                if let i = buffer[pos...].firstIndex(of: 10) {
                    var end = i
                    if end > pos && buffer[end - 1] == 13 { end -= 1 }
                    let s = String(decoding: buffer[pos..<end], as: UTF8.self)
                    pos = i + 1
                    return s
                }
                if buffer.count - pos > max { throw .runtimeError("response header line too long") }
                if eof { throw .runtimeError("connection closed before the response was complete") }
                try fill()
            }
        }

        mutating func bytes(_ n: Int) throws(OutboundHTTPError) -> ArraySlice<UInt8> {
            while buffer.count - pos < n {
                if eof { throw .runtimeError("connection closed before the response body was complete") }
                try fill()
            }
            defer { pos += n }
            return buffer[pos..<(pos + n)]
        }

        mutating func readResponse(head: Bool) throws(OutboundHTTPError) -> OutboundHTTPResponse {
            var status = 0
            var headers: [(name: String, value: String)] = []
            repeat {
                let statusLine = try line()
                let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
                guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let s = Int(parts[1]), (100...999).contains(s)
                else {
                    throw .runtimeError("malformed status line from server")
                }
                status = s
                headers = []
                var total = 0
                while true {
                    let l = try line()
                    if l.isEmpty { break }
                    total += l.utf8.count
                    if total > 256 * 1024 || headers.count > 1000 { throw .runtimeError("response headers too large") }
                    guard let c = l.firstIndex(of: ":") else { throw .runtimeError("malformed response header") }
                    headers.append(
                        (
                            l[..<c].trimmingCharacters(in: .whitespaces).lowercased(),
                            l[l.index(after: c)...].trimmingCharacters(in: .whitespaces)
                        ))
                }
            } while (100..<200).contains(status) && status != 101
            func value(_ n: String) -> String? { headers.last { $0.name == n }?.value }
            var body: [UInt8] = []
            if head || status == 204 || status == 304 || (100..<200).contains(status) {
                // no body
            } else if let te = value("transfer-encoding"), te.lowercased().contains("chunked") {
                while true {
                    let sizeLine = try line()
                    let hex = sizeLine.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
                    guard let size = Int(hex, radix: 16), size >= 0 else { throw .runtimeError("malformed chunk size") }
                    if size == 0 {
                        while try !line().isEmpty {}  // trailers
                        break
                    }
                    if body.count + size > limit {
                        throw .runtimeError("response body exceeds the limit of \(limit) bytes")
                    }
                    body += try bytes(size)
                    guard try line().isEmpty else { throw .runtimeError("malformed chunk") }
                }
            } else if let cl = value("content-length") {
                guard let n = Int(cl.trimmingCharacters(in: .whitespaces)), n >= 0 else {
                    throw .runtimeError("malformed content-length")
                }
                if n > limit { throw .runtimeError("response body exceeds the limit of \(limit) bytes") }
                body = Array(try bytes(n))
            } else {
                while true {
                    body += buffer[pos...]
                    pos = buffer.count
                    if body.count > limit { throw .runtimeError("response body exceeds the limit of \(limit) bytes") }
                    if eof { break }
                    try fill()
                }
            }
            return OutboundHTTPResponse(status: UInt16(status), headers: headers, body: body)
        }
    }

    // MARK: https:// through URLSession

    final class SessionDelegate: NSObject, URLSessionDataDelegate, @unchecked Sendable {
        let limit: Int
        let done = DispatchSemaphore(value: 0)
        var data: [UInt8] = []
        var response: HTTPURLResponse?
        var error: OutboundHTTPError?
        let lock = NSLock()

        init(limit: Int) { self.limit = limit }

        func urlSession(
            _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
            newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void
        ) {
            completionHandler(nil)  // redirects are followed (and allow-list checked) by `send`
        }

        func urlSession(
            _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
            completionHandler: @escaping (URLSession.ResponseDisposition) -> Void
        ) {
            lock.withLock { self.response = response as? HTTPURLResponse }
            completionHandler(.allow)
        }

        func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
            let over = lock.withLock { () -> Bool in
                self.data += data
                return self.data.count > limit
            }
            if over {
                lock.withLock { error = .runtimeError("response body exceeds the limit of \(limit) bytes") }
                dataTask.cancel()
            }
        }

        func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
            lock.withLock {
                if let error, self.error == nil {
                    let ns = error as NSError
                    self.error =
                        ns.code == NSURLErrorTimedOut
                        ? .runtimeError("request timed out") : .runtimeError(ns.localizedDescription)
                }
            }
            done.signal()
        }
    }

    static func sendTLS(_ req: OutboundHTTPRequest, url: ParsedURL, settings: OutboundHTTPSettings, deadline: Date)
        throws(OutboundHTTPError) -> OutboundHTTPResponse
    {
        // Rebuilt from the parsed parts the allow-list checked, so that Foundation's own URL
        // parsing (userinfo, backslashes, ...) cannot pick another host.
        guard let u = URL(string: "\(url.scheme)://\(url.hostHeader)\(url.path)") else { throw .invalidURL(req.url) }
        var r = URLRequest(url: u)
        r.httpMethod = req.method
        r.timeoutInterval = settings.timeoutSeconds
        for h in req.headers where !hopHeaders.contains(h.name.lowercased()) {
            r.setValue(h.value, forHTTPHeaderField: h.name)
        }
        if let body = req.body { r.httpBody = Data(body) }
        let delegate = SessionDelegate(limit: settings.maxResponseBytes)
        let config = URLSessionConfiguration.ephemeral
        config.timeoutIntervalForRequest = settings.timeoutSeconds
        config.timeoutIntervalForResource = max(1, deadline.timeIntervalSinceNow)
        config.httpCookieStorage = nil
        config.urlCache = nil
        let session = URLSession(configuration: config, delegate: delegate, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        let task = session.dataTask(with: r)
        task.resume()
        if delegate.done.wait(timeout: .now() + max(1, deadline.timeIntervalSinceNow)) == .timedOut {
            task.cancel()
            throw .runtimeError("request timed out")
        }
        let (failure, response, data) = delegate.lock.withLock { (delegate.error, delegate.response, delegate.data) }
        if let failure { throw failure }
        guard let resp = response else { throw .runtimeError("no response") }
        var headers: [(name: String, value: String)] = []
        for (k, v) in resp.allHeaderFields {
            headers.append(("\(k)".lowercased(), "\(v)"))
        }
        headers.sort { $0.name < $1.name }
        return OutboundHTTPResponse(status: UInt16(clamping: resp.statusCode), headers: headers, body: data)
    }
}
