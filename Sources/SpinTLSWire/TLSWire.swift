/// The messages between `spin` and its `spin-tls` helper process.
///
/// `https://` requests go through FoundationNetworking's URLSession, which
/// loads libcurl and about forty system libraries: linked into `spin`, that
/// alone cost ~4 ms of every start. So `spin` links no FoundationNetworking;
/// for each outbound https request it starts `spin-tls`, writes one encoded
/// `TLSWire.Request` to its stdin and reads one encoded `TLSWire.Response`
/// from its stdout. The format is little-endian, length-prefixed fields.
public enum TLSWire {
    public struct Request: Equatable, Sendable {
        public var method: String
        public var url: String
        public var headers: [Header]
        public var body: [UInt8]?
        /// Connect timeout and the longest the server may stay silent, in seconds.
        public var timeoutSeconds: Double
        /// Overall limit for this request, in seconds.
        public var totalSeconds: Double
        /// Largest response body accepted.
        public var maxResponseBytes: Int

        public init(
            method: String, url: String, headers: [Header], body: [UInt8]?, timeoutSeconds: Double,
            totalSeconds: Double, maxResponseBytes: Int
        ) {
            self.method = method
            self.url = url
            self.headers = headers
            self.body = body
            self.timeoutSeconds = timeoutSeconds
            self.totalSeconds = totalSeconds
            self.maxResponseBytes = maxResponseBytes
        }
    }

    public struct Header: Equatable, Sendable {
        public var name: String
        public var value: String
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public enum Response: Equatable, Sendable {
        case response(status: UInt16, headers: [Header], body: [UInt8])
        /// The request failed: invalid URL, transport error, timeout or size limit.
        case failure(kind: FailureKind, message: String)
    }

    public enum FailureKind: UInt8, Sendable {
        case invalidURL = 2
        case requestError = 3
        case runtimeError = 4
    }

    /// A malformed message (truncated, bad tag, bad UTF-8).
    public struct DecodingError: Error, Equatable, CustomStringConvertible {
        public var offset: Int
        public var what: String
        public var description: String { "malformed spin-tls message at byte \(offset): \(what)" }
        public init(offset: Int, what: String) {
            self.offset = offset
            self.what = what
        }
    }

    // MARK: encoding

    public static func encode(_ r: Request) -> [UInt8] {
        var w = Writer()
        w.string(r.method)
        w.string(r.url)
        w.headers(r.headers)
        if let body = r.body {
            w.u8(1)
            w.bytes(body)
        } else {
            w.u8(0)
        }
        w.u64(r.timeoutSeconds.bitPattern)
        w.u64(r.totalSeconds.bitPattern)
        w.u64(UInt64(max(0, r.maxResponseBytes)))
        return w.out
    }

    public static func encode(_ r: Response) -> [UInt8] {
        var w = Writer()
        switch r {
        case .response(let status, let headers, let body):
            w.u8(0)
            w.u64(UInt64(status))
            w.headers(headers)
            w.bytes(body)
        case .failure(let kind, let message):
            w.u8(kind.rawValue)
            w.string(message)
        }
        return w.out
    }

    public static func decodeRequest(_ bytes: [UInt8]) throws(DecodingError) -> Request {
        var r = Reader(data: bytes)
        let method = try r.string()
        let url = try r.string()
        let headers = try r.headers()
        let body: [UInt8]? = try r.u8() == 1 ? try r.field() : nil
        let timeout = Double(bitPattern: try r.u64())
        let total = Double(bitPattern: try r.u64())
        let limit = try r.u64()
        try r.end()
        return Request(
            method: method, url: url, headers: headers, body: body, timeoutSeconds: timeout, totalSeconds: total,
            maxResponseBytes: Int(min(limit, UInt64(Int.max))))
    }

    public static func decodeResponse(_ bytes: [UInt8]) throws(DecodingError) -> Response {
        var r = Reader(data: bytes)
        let tag = try r.u8()
        let response: Response
        if tag == 0 {
            let status = try r.u64()
            guard status <= UInt64(UInt16.max) else { throw DecodingError(offset: 1, what: "status \(status)") }
            let headers = try r.headers()
            response = .response(status: UInt16(status), headers: headers, body: try r.field())
        } else if let kind = FailureKind(rawValue: tag) {
            response = .failure(kind: kind, message: try r.string())
        } else {
            throw DecodingError(offset: 0, what: "unknown response tag \(tag)")
        }
        try r.end()
        return response
    }

    struct Writer {
        var out: [UInt8] = []
        mutating func u8(_ v: UInt8) { out.append(v) }
        mutating func u64(_ v: UInt64) {
            for i in 0..<8 { out.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(i)))) }
        }
        mutating func bytes(_ b: [UInt8]) {
            u64(UInt64(b.count))
            out += b
        }
        mutating func string(_ s: String) { bytes(Array(s.utf8)) }
        mutating func headers(_ h: [Header]) {
            u64(UInt64(h.count))
            for x in h {
                string(x.name)
                string(x.value)
            }
        }
    }

    struct Reader {
        let data: [UInt8]
        var at = 0
        mutating func u8() throws(DecodingError) -> UInt8 {
            guard at < data.count else { throw DecodingError(offset: at, what: "unexpected end") }
            at += 1
            return data[at - 1]
        }
        mutating func u64() throws(DecodingError) -> UInt64 {
            guard data.count - at >= 8 else { throw DecodingError(offset: at, what: "unexpected end") }
            var v: UInt64 = 0
            for i in 0..<8 { v |= UInt64(data[at + i]) << (8 * UInt64(i)) }
            at += 8
            return v
        }
        mutating func field() throws(DecodingError) -> [UInt8] {
            let start = at
            let n = try u64()
            guard n <= UInt64(data.count - at) else {
                throw DecodingError(offset: start, what: "length \(n) runs past the end")
            }
            defer { at += Int(n) }
            return Array(data[at..<at + Int(n)])
        }
        mutating func string() throws(DecodingError) -> String {
            let start = at
            guard let s = String(validating: try field(), as: UTF8.self) else {
                throw DecodingError(offset: start, what: "invalid UTF-8")
            }
            return s
        }
        mutating func headers() throws(DecodingError) -> [Header] {
            let start = at
            let n = try u64()
            // Each header takes at least 16 bytes: a bound that stops absurd counts early.
            guard n <= UInt64(data.count - at) / 16 else {
                throw DecodingError(offset: start, what: "header count \(n) runs past the end")
            }
            var out: [Header] = []
            for _ in 0..<n { out.append(Header(name: try string(), value: try string())) }
            return out
        }
        func end() throws(DecodingError) {
            guard at == data.count else { throw DecodingError(offset: at, what: "\(data.count - at) trailing bytes") }
        }
    }
}
