#if canImport(Glibc)
    import Glibc
#endif

/// Turns an `HTTPResponse` into wire bytes.
package enum HTTPResponseSerializer {
    /// Serialises `response` as the answer to a request with `requestMethod` / `requestVersion`.
    ///
    /// - The status line echoes HTTP/1.0 for 1.0 requests, HTTP/1.1 otherwise, with the reason phrase.
    /// - `content-length`, `transfer-encoding`, `connection` and `keep-alive` from the handler are
    ///   replaced by the server's own; invalid header names are dropped and CR/LF in values become spaces.
    /// - `content-length` is the body size (none for 1xx/204/304). A HEAD response keeps the
    ///   handler's `content-length` when its body is empty, and never carries a body.
    /// - `connection: close` is added when `close`; `connection: keep-alive` for kept 1.0 connections.
    /// - `date` is added unless the handler set one (pass `date: nil` to omit it).
    /// - With a `bodyStream`, only the head is written, framed as `streamFraming` says
    ///   (the handler's `content-length`, else `transfer-encoding: chunked`); the server sends the body.
    package static func serialize(
        _ response: HTTPResponse, requestMethod: String = "GET", requestVersion: HTTPVersion = .http1_1,
        close: Bool, date: String? = httpDate()
    ) -> [UInt8] {
        // A status that cannot be written as three digits is the handler's fault: 500.
        let status = (100...999).contains(response.status) ? response.status : 500
        let isHead = requestMethod == "HEAD"
        let bodyAllowed = !(status < 200 || status == 204 || status == 304)
        var out: [UInt8] = []
        out.reserveCapacity(128 + response.headers.count * 32 + (isHead ? 0 : response.body.count))
        let versionText = requestVersion == .http1_0 ? "HTTP/1.0" : "HTTP/1.1"
        append(&out, "\(versionText) \(status) \(HTTPStatus.reasonPhrase(status))\r\n")

        var handlerLength: String?
        var hasDate = false
        for (name, value) in response.headers {
            let lower = name.lowercased()
            switch lower {
            case "content-length":
                handlerLength = value
                continue
            case "transfer-encoding", "connection", "keep-alive":
                continue
            case "date":
                hasDate = true
            default:
                break
            }
            guard !name.isEmpty, name.utf8.allSatisfy(isTokenChar) else { continue }
            append(&out, name)
            append(&out, ": ")
            for b in value.utf8 { out.append(b == 0x0D || b == 0x0A || b == 0 ? 0x20 : b) }
            append(&out, "\r\n")
        }
        if bodyAllowed, response.bodyStream != nil {
            switch streamFraming(response, requestMethod: requestMethod, requestVersion: requestVersion) {
            case .length(let n): append(&out, "content-length: \(n)\r\n")
            case .chunked: append(&out, "transfer-encoding: chunked\r\n")
            case .none:
                if isHead, let given = handlerLength?.trimmingOWS(), !given.isEmpty,
                    given.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 })
                {
                    append(&out, "content-length: \(given)\r\n")
                }
            case .untilClose: break
            }
        } else if bodyAllowed {
            var length = String(response.body.count)
            if isHead, response.body.isEmpty, let given = handlerLength?.trimmingOWS(),
                !given.isEmpty, given.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 })
            {
                length = given
            }
            append(&out, "content-length: \(length)\r\n")
        }
        if close {
            append(&out, "connection: close\r\n")
        } else if requestVersion == .http1_0 {
            append(&out, "connection: keep-alive\r\n")
        }
        if !hasDate, let date { append(&out, "date: \(date)\r\n") }
        append(&out, "\r\n")
        if bodyAllowed && !isHead && response.bodyStream == nil { out.append(contentsOf: response.body) }
        return out
    }

    /// How a streamed body (`response.bodyStream`) is delimited on the wire.
    package enum StreamFraming: Equatable {
        /// No body is sent (HEAD, 1xx, 204, 304); the stream's bytes are dropped.
        case none
        /// Exactly this many bytes (the handler's `content-length`).
        case length(Int)
        /// `transfer-encoding: chunked`, trailers allowed.
        case chunked
        /// HTTP/1.0 without a length: the body ends when the connection closes.
        case untilClose
    }

    /// The framing of a streamed `response` answering `requestMethod` / `requestVersion`.
    package static func streamFraming(
        _ response: HTTPResponse, requestMethod: String, requestVersion: HTTPVersion
    ) -> StreamFraming {
        let status = (100...999).contains(response.status) ? response.status : 500
        if status < 200 || status == 204 || status == 304 { return .none }
        let given = response.header("content-length")?.trimmingOWS()
        let length = given.flatMap { g in g.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) ? Int(g) : nil }
        if requestMethod == "HEAD" { return .none }
        if let length { return .length(length) }
        return requestVersion == .http1_0 ? .untilClose : .chunked
    }

    /// The interim response sent for `Expect: 100-continue`.
    package static let continueResponse: [UInt8] = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    @inline(__always) private static func append(_ out: inout [UInt8], _ s: String) {
        out.append(contentsOf: s.utf8)
    }
}

/// IMF-fixdate for `time` (default: now), e.g. `Sun, 06 Nov 1994 08:49:37 GMT`.
package func httpDate(_ time: Int? = nil) -> String {
    var t = time_t(time ?? Int(Glibc.time(nil)))
    var tmv = tm()
    gmtime_r(&t, &tmv)
    let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
    return "\(days[Int(tmv.tm_wday)]), \(two(tmv.tm_mday)) \(months[Int(tmv.tm_mon)]) \(tmv.tm_year + 1900) "
        + "\(two(tmv.tm_hour)):\(two(tmv.tm_min)):\(two(tmv.tm_sec)) GMT"
}
