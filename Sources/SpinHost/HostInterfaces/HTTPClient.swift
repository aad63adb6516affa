import Dispatch
import Foundation
import HTTP1
import SpinTLSWire

/// An outbound request as the guest described it (URL already absolute).
package struct OutboundHTTPRequest: Sendable {
    package var method: String
    package var url: String
    package var headers: [(name: String, value: String)]
    package var body: [UInt8]?

    package init(method: String, url: String, headers: [(name: String, value: String)] = [], body: [UInt8]? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

package struct OutboundHTTPResponse: Sendable {
    package var status: UInt16
    /// Lower-case names, in the order received.
    package var headers: [(name: String, value: String)]
    package var body: [UInt8]

    package func header(_ name: String) -> String? {
        headers.first { $0.name == name.lowercased() }?.value
    }
}

/// `http-error` of `wasi-outbound-http` (codes are the enum indices).
package enum OutboundHTTPError: Error, Equatable, Sendable, CustomStringConvertible {
    case destinationNotAllowed(String)
    case invalidURL(String)
    case requestError(String)
    case runtimeError(String)

    package var code: UInt8 {
        switch self {
        case .destinationNotAllowed: 1
        case .invalidURL: 2
        case .requestError: 3
        case .runtimeError: 4
        }
    }

    package var description: String {
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

/// The outbound HTTP client: `HTTP1Client` (HTTP/1.1 over our own sockets) for `http://`,
/// the `spin-tls` helper process (URLSession) for `https://`.
package enum HTTPClient {
    /// Sends `request`, following redirects whose targets `isAllowed` accepts.
    package static func send(
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

    // MARK: http:// through HTTP1Client

    /// Headers the client computes itself (guest values are dropped).
    static let hopHeaders: Set<String> = [
        "host", "content-length", "transfer-encoding", "connection", "keep-alive", "te", "upgrade",
    ]

    /// The guest's headers as sent: hop-by-hop ones dropped (the client writes its own), and
    /// HeaderMap::insert semantics: a later header of the same name replaces an earlier one.
    static func headersToSend(_ req: OutboundHTTPRequest) -> HTTPHeaders {
        var seen: [String: Int] = [:]
        var headers: HTTPHeaders = []
        for h in req.headers {
            let n = h.name.lowercased()
            if hopHeaders.contains(n) { continue }
            if let i = seen[n] {
                headers[i] = (n, h.value)
            } else {
                seen[n] = headers.count; headers.append((n, h.value))
            }
        }
        return headers
    }

    static func sendPlain(_ req: OutboundHTTPRequest, url: ParsedURL, settings: OutboundHTTPSettings, deadline: Date)
        throws(OutboundHTTPError) -> OutboundHTTPResponse
    {
        // Every guest header must be writable, including those the client replaces.
        for h in req.headers where !HTTPClientRequest.isValidField(name: h.name, value: h.value) {
            throw .requestError("invalid header `\(h.name)`")
        }
        guard let port = url.effectivePort else { throw .invalidURL(url.scheme) }
        // No content-length for an empty body of a method that has none.
        let body = req.body.flatMap {
            !$0.isEmpty || !["GET", "HEAD", "OPTIONS", "DELETE"].contains(req.method) ? $0 : nil
        }
        let request = HTTPClientRequest(
            method: req.method, target: url.path, host: url.hostHeader, headers: headersToSend(req), body: body)
        var limits = HTTP1Client.defaultLimits
        limits.maxBodyBytes = settings.maxResponseBytes
        do {
            let response = try HTTP1Client.send(
                request, host: url.host, port: port, timeout: settings.timeoutSeconds, deadline: deadline,
                limits: limits)
            return OutboundHTTPResponse(status: UInt16(response.status), headers: response.headers, body: response.body)
        } catch {
            switch error.kind {
            case .invalidRequest: throw .requestError(error.description)
            case .failed: throw .runtimeError(error.description)
            }
        }
    }

    // MARK: https:// through the spin-tls helper process

    /// Where the `spin-tls` helper is: `SPIN_TLS_HELPER`, else next to the running executable.
    static func tlsHelperPath() -> String? {
        if let path = ProcessInfo.processInfo.environment["SPIN_TLS_HELPER"], !path.isEmpty { return path }
        guard let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else { return nil }
        return (exe as NSString).deletingLastPathComponent + "/spin-tls"
    }

    /// Sends one https request through `spin-tls` (see `TLSWire`): FoundationNetworking and
    /// libcurl are loaded by that short-lived process only, never by `spin`.
    static func sendTLS(_ req: OutboundHTTPRequest, url: ParsedURL, settings: OutboundHTTPSettings, deadline: Date)
        throws(OutboundHTTPError) -> OutboundHTTPResponse
    {
        let helperPath = tlsHelperPath()
        guard let helper = helperPath, FileManager.default.isExecutableFile(atPath: helper) else {
            throw .runtimeError(
                "https:// needs the spin-tls helper next to the spin executable (\(helperPath ?? "unknown path")"
                    + " is missing; `swift build -c release` builds it) or at SPIN_TLS_HELPER")
        }
        let remaining = deadline.timeIntervalSinceNow
        guard remaining > 0 else { throw .runtimeError("request timed out") }
        let message = TLSWire.encode(
            TLSWire.Request(
                // Rebuilt from the parsed parts the allow-list checked, so that Foundation's own URL
                // parsing in the helper (userinfo, backslashes, ...) cannot pick another host.
                method: req.method, url: "\(url.scheme)://\(url.hostHeader)\(url.path)",
                headers: req.headers.filter { !hopHeaders.contains($0.name.lowercased()) }.map {
                    TLSWire.Header(name: $0.name, value: $0.value)
                },
                body: req.body, timeoutSeconds: settings.timeoutSeconds, totalSeconds: remaining,
                maxResponseBytes: settings.maxResponseBytes))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: helper)
        let input = Pipe()
        let output = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw .runtimeError("cannot start \(helper): \(error.localizedDescription)")
        }
        // The helper enforces the deadline itself; this one only guards against a hung helper.
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + remaining + 5, execute: watchdog)
        defer { watchdog.cancel() }
        input.fileHandleForWriting.write(Data(message))
        try? input.fileHandleForWriting.close()
        let reply = [UInt8](output.fileHandleForReading.readDataToEndOfFile())
        let diagnostics = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let text = String(decoding: diagnostics, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw .runtimeError(
                "spin-tls exited with status \(process.terminationStatus)" + (text.isEmpty ? "" : ": \(text)"))
        }
        let response: TLSWire.Response
        do {
            response = try TLSWire.decodeResponse(reply)
        } catch {
            throw .runtimeError("\(error)")
        }
        switch response {
        case .response(let status, let headers, let body):
            return OutboundHTTPResponse(status: status, headers: headers.map { ($0.name, $0.value) }, body: body)
        case .failure(.invalidURL, let message): throw .invalidURL(message)
        case .failure(.requestError, let message): throw .requestError(message)
        case .failure(.runtimeError, let message): throw .runtimeError(message)
        }
    }
}
