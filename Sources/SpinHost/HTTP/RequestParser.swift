/// Size limits applied while parsing requests.
public struct HTTPLimits: Sendable, Equatable {
    /// Request line plus header section (including line ends), and separately the
    /// trailer section of a chunked body. Exceeding it yields 431.
    public var maxHeaderBytes: Int
    /// Request body after de-chunking. Exceeding it yields 413.
    public var maxBodyBytes: Int
    /// Longest accepted chunk-size line (size + extensions). Exceeding it yields 400.
    public var maxChunkLineBytes: Int
    /// Most header fields in one request (and, separately, trailer fields). Exceeding it
    /// yields 431: a flood of tiny fields costs more to process than its byte size suggests.
    public var maxHeaderCount: Int

    public init(
        maxHeaderBytes: Int = 64 * 1024, maxBodyBytes: Int = 10 * 1024 * 1024,
        maxChunkLineBytes: Int = 4096, maxHeaderCount: Int = 100
    ) {
        self.maxHeaderBytes = maxHeaderBytes
        self.maxBodyBytes = maxBodyBytes
        self.maxChunkLineBytes = maxChunkLineBytes
        self.maxHeaderCount = maxHeaderCount
    }

    public static let `default` = HTTPLimits()
}

/// A request the parser refuses, with the status to answer before closing the connection.
public struct HTTPParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var status: Int
    public var reason: String

    public init(status: Int, reason: String) {
        self.status = status
        self.reason = reason
    }

    public var description: String { "\(status) \(HTTPStatus.reasonPhrase(status)): \(reason)" }

    static func bad(_ reason: String) -> HTTPParseError { .init(status: 400, reason: reason) }
}

/// How the body of a request is delimited.
public enum HTTPBodyFraming: Sendable, Equatable {
    case none
    case contentLength(Int)
    case chunked

    public var hasBody: Bool {
        switch self {
        case .none: return false
        case .contentLength(let n): return n > 0
        case .chunked: return true
        }
    }
}

/// What the parser produced from the bytes it has.
public enum HTTPParserEvent: Sendable {
    /// Request line and headers; `expectContinue` is set for `Expect: 100-continue`.
    case head(HTTPRequestHead, framing: HTTPBodyFraming, expectContinue: Bool)
    /// Some body bytes (already de-chunked).
    case body([UInt8])
    /// The request is complete; the parser is ready for the next (pipelined) one.
    case end(trailers: HTTPHeaders)
}

/// An incremental HTTP/1.x request parser. It performs no I/O: `feed` bytes as they
/// arrive and call `next()` until it returns nil (needs more bytes). After `.end` it
/// continues with the next pipelined request from the same buffer. After a thrown
/// error the parser is poisoned and keeps throwing the same error.
public struct HTTPRequestParser: Sendable {
    public let limits: HTTPLimits

    private enum State: Sendable {
        case head
        case fixedBody(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers
        case failed(HTTPParseError)
    }

    private var buffer: [UInt8] = []
    /// Start of unconsumed bytes in `buffer`.
    private var start = 0
    /// Where line scanning resumes (absolute index into `buffer`).
    private var scan = 0
    /// Start of the current line being scanned (absolute index).
    private var lineStart = 0
    private var state: State = .head
    private var bodyReceived = 0
    /// Lines of the section currently being collected (head or trailers), as index ranges.
    private var lines: [Range<Int>] = []
    /// `.end` of a Content-Length (or body-less) request is reported on the call after
    /// its last body bytes / its head.
    private var pendingEnd = false

    public init(limits: HTTPLimits = .default) {
        self.limits = limits
    }

    /// Number of bytes received but not yet consumed into events.
    public var bufferedByteCount: Int { buffer.count - start }

    /// True when no bytes of a further request have been received (between requests).
    public var isAtMessageBoundary: Bool {
        if case .head = state { return bufferedByteCount == 0 && !pendingEnd }
        return false
    }

    /// True while the parser is inside a request (head partially read or body pending).
    public var isInsideMessage: Bool {
        switch state {
        case .head: return bufferedByteCount > 0 || pendingEnd
        case .failed: return false
        default: return true
        }
    }

    /// Appends received bytes.
    public mutating func feed<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
        compactIfUseful()
        buffer.append(contentsOf: bytes)
    }

    /// Produces the next event, or nil when more bytes are needed.
    public mutating func next() throws(HTTPParseError) -> HTTPParserEvent? {
        do {
            return try step()
        } catch {
            state = .failed(error)
            throw error
        }
    }

    // MARK: - Implementation

    private mutating func compactIfUseful() {
        // Drop consumed bytes when they dominate the buffer.
        guard start > 0, start >= 4096 || start == buffer.count else { return }
        if start >= buffer.count / 2 || start == buffer.count {
            buffer.removeSubrange(0..<start)
            scan -= start
            lineStart -= start
            lines = lines.map { ($0.lowerBound - start)..<($0.upperBound - start) }
            start = 0
        }
    }

    private mutating func step() throws(HTTPParseError) -> HTTPParserEvent? {
        if pendingEnd {
            pendingEnd = false
            return .end(trailers: [])
        }
        switch state {
        case .failed(let error):
            throw error
        case .head:
            guard
                let sectionEnd = try collectLines(
                    limit: limits.maxHeaderBytes, skipLeadingEmpty: true,
                    tooLarge: HTTPParseError(
                        status: 431, reason: "request line and headers exceed \(limits.maxHeaderBytes) bytes"))
            else { return nil }
            let sectionLines = lines
            lines = []
            start = sectionEnd
            return try parseHead(sectionLines)
        case .fixedBody(let remaining):
            let available = buffer.count - start
            guard available > 0 else { return nil }
            let n = min(available, remaining)
            let chunk = Array(buffer[start..<(start + n)])
            start += n
            resetScan()
            if remaining - n == 0 {
                state = .head
                // Deliver the bytes first; `.end` follows on the next call.
                pendingEnd = true
            } else {
                state = .fixedBody(remaining: remaining - n)
            }
            return .body(chunk)
        case .chunkSize:
            guard
                let lineEnd = try findLineEnd(
                    limit: limits.maxChunkLineBytes,
                    tooLarge: .bad("chunk size line too long"))
            else { return nil }
            let line = lineBytes(start..<lineEnd.contentEnd)
            start = lineEnd.next
            resetScan()
            let size = try parseChunkSize(line)
            if size == 0 {
                state = .trailers
                return try step()
            }
            if size > limits.maxBodyBytes - bodyReceived {
                throw HTTPParseError(status: 413, reason: "request body exceeds \(limits.maxBodyBytes) bytes")
            }
            bodyReceived += size
            state = .chunkData(remaining: size)
            return try step()
        case .chunkData(let remaining):
            let available = buffer.count - start
            guard available > 0 else { return nil }
            let n = min(available, remaining)
            let chunk = Array(buffer[start..<(start + n)])
            start += n
            resetScan()
            state = remaining - n == 0 ? .chunkDataEnd : .chunkData(remaining: remaining - n)
            return .body(chunk)
        case .chunkDataEnd:
            // Exactly CRLF (or a bare LF) must follow chunk data.
            let available = buffer.count - start
            guard available > 0 else { return nil }
            if buffer[start] == 0x0A {
                start += 1
            } else if buffer[start] == 0x0D {
                guard available >= 2 else { return nil }
                guard buffer[start + 1] == 0x0A else { throw .bad("chunk data not followed by CRLF") }
                start += 2
            } else {
                throw .bad("chunk data longer than its declared size")
            }
            resetScan()
            state = .chunkSize
            return try step()
        case .trailers:
            guard
                let sectionEnd = try collectLines(
                    limit: limits.maxHeaderBytes, skipLeadingEmpty: false,
                    tooLarge: HTTPParseError(
                        status: 431, reason: "trailer section exceeds \(limits.maxHeaderBytes) bytes"))
            else { return nil }
            let sectionLines = lines
            lines = []
            var trailers: HTTPHeaders = []
            for range in sectionLines {
                trailers.append(try parseField(lineBytes(range)))
            }
            start = sectionEnd
            resetScan()
            state = .head
            bodyReceived = 0
            return .end(trailers: trailers)
        }
    }

    private mutating func resetScan() {
        scan = start
        lineStart = start
    }

    private func lineBytes(_ range: Range<Int>) -> ArraySlice<UInt8> { buffer[range] }

    /// Finds the end of the next line starting at `start`. Returns the index where its
    /// content ends (before CR LF / LF) and where the next line starts.
    private mutating func findLineEnd(limit: Int, tooLarge: HTTPParseError) throws(HTTPParseError) -> (
        contentEnd: Int, next: Int
    )? {
        var i = scan
        let end = buffer.count
        while i < end {
            if buffer[i] == 0x0A {
                let contentEnd = (i > start && buffer[i - 1] == 0x0D) ? i - 1 : i
                scan = i + 1
                return (contentEnd, i + 1)
            }
            i += 1
            if i - start > limit { throw tooLarge }
        }
        scan = i
        return nil
    }

    /// Collects lines up to an empty line into `lines`; returns the index after the empty line.
    private mutating func collectLines(limit: Int, skipLeadingEmpty: Bool, tooLarge: HTTPParseError)
        throws(HTTPParseError) -> Int?
    {
        let end = buffer.count
        var i = scan
        while i < end {
            if buffer[i] == 0x0A {
                var contentEnd = i
                if contentEnd > lineStart && buffer[contentEnd - 1] == 0x0D { contentEnd -= 1 }
                let isEmpty = contentEnd == lineStart
                if isEmpty {
                    if lines.isEmpty && skipLeadingEmpty {
                        // RFC 9112 §2.2: ignore empty lines before the request line.
                        start = i + 1
                        lineStart = i + 1
                    } else {
                        scan = i + 1
                        lineStart = i + 1
                        if i + 1 - start > limit { throw tooLarge }
                        return i + 1
                    }
                } else {
                    // The head's first line is the request line, not a field.
                    if lines.count - (skipLeadingEmpty ? 1 : 0) >= limits.maxHeaderCount {
                        throw HTTPParseError(
                            status: 431, reason: "more than \(limits.maxHeaderCount) header fields")
                    }
                    lines.append(lineStart..<contentEnd)
                    lineStart = i + 1
                }
            }
            i += 1
            if i - start > limit { throw tooLarge }
        }
        scan = i
        return nil
    }

    private mutating func parseHead(_ sectionLines: [Range<Int>]) throws(HTTPParseError) -> HTTPParserEvent {
        guard let first = sectionLines.first else { throw .bad("missing request line") }
        let (method, target, version) = try parseRequestLine(lineBytes(first))
        var headers: HTTPHeaders = []
        headers.reserveCapacity(sectionLines.count - 1)
        for range in sectionLines.dropFirst() {
            headers.append(try parseField(lineBytes(range)))
        }
        let head = HTTPRequestHead(method: method, target: target, version: version, headers: headers)
        if head.headerValues("host").count > 1 { throw .bad("more than one Host header") }
        let framing = try bodyFraming(head)
        let expect = head.headerValues("expect").flatMap { HTTPRequestHead.tokens($0) }
        let expectContinue = version == .http1_1 && expect.contains("100-continue")

        resetScan()
        bodyReceived = 0
        switch framing {
        case .none, .contentLength(0):
            pendingEnd = true
            state = .head
        case .contentLength(let n):
            if n > limits.maxBodyBytes {
                throw HTTPParseError(status: 413, reason: "content-length \(n) exceeds \(limits.maxBodyBytes) bytes")
            }
            state = .fixedBody(remaining: n)
        case .chunked:
            state = .chunkSize
        }
        return .head(head, framing: framing, expectContinue: expectContinue)
    }

    private func parseRequestLine(_ line: ArraySlice<UInt8>) throws(HTTPParseError) -> (String, String, HTTPVersion) {
        let parts = line.split(separator: 0x20, maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .bad("malformed request line") }
        let methodBytes = parts[0], targetBytes = parts[1], versionBytes = parts[2]
        guard !methodBytes.isEmpty, methodBytes.allSatisfy(isTokenChar) else { throw .bad("invalid method") }
        guard !targetBytes.isEmpty, targetBytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw .bad("invalid request target")
        }
        let version = try parseVersion(versionBytes)
        let method = String(decoding: methodBytes, as: UTF8.self)
        let target = String(decoding: targetBytes, as: UTF8.self)
        let validForm = target.hasPrefix("/") || target == "*" || target.contains("://") || method == "CONNECT"
        guard validForm else { throw .bad("invalid request target form") }
        return (method, target, version)
    }

    private func parseVersion(_ bytes: ArraySlice<UInt8>) throws(HTTPParseError) -> HTTPVersion {
        let b = Array(bytes)
        guard b.count == 8, b[0] == 0x48, b[1] == 0x54, b[2] == 0x54, b[3] == 0x50, b[4] == 0x2F,
            isDigit(b[5]), b[6] == 0x2E, isDigit(b[7])
        else { throw .bad("malformed HTTP version") }
        let major = Int(b[5] - 0x30), minor = Int(b[7] - 0x30)
        guard major == 1 else {
            throw HTTPParseError(status: 505, reason: "HTTP/\(major).\(minor) is not supported")
        }
        // RFC 9110 §6.2: a 1.x request with a higher minor is handled as the highest we support.
        return minor == 0 ? .http1_0 : .http1_1
    }

    private func parseField(_ line: ArraySlice<UInt8>) throws(HTTPParseError) -> (name: String, value: String) {
        guard let first = line.first else { throw .bad("empty header line") }
        if first == 0x20 || first == 0x09 { throw .bad("obsolete header line folding") }
        guard let colon = line.firstIndex(of: 0x3A) else { throw .bad("header line without ':'") }
        let nameBytes = line[line.startIndex..<colon]
        guard !nameBytes.isEmpty, nameBytes.allSatisfy(isTokenChar) else { throw .bad("invalid header name") }
        var valueBytes = line[(colon + 1)...]
        while let f = valueBytes.first, f == 0x20 || f == 0x09 { valueBytes.removeFirst() }
        while let l = valueBytes.last, l == 0x20 || l == 0x09 { valueBytes.removeLast() }
        for b in valueBytes where !(b == 0x09 || (b >= 0x20 && b != 0x7F)) {
            throw .bad("invalid character in header value")
        }
        let name = String(decoding: nameBytes.map { ($0 >= 0x41 && $0 <= 0x5A) ? $0 + 0x20 : $0 }, as: UTF8.self)
        return (name, String(decoding: valueBytes, as: UTF8.self))
    }

    private func bodyFraming(_ head: HTTPRequestHead) throws(HTTPParseError) -> HTTPBodyFraming {
        let te = head.headerValues("transfer-encoding")
        let cl = head.headerValues("content-length")
        if !te.isEmpty {
            if !cl.isEmpty { throw .bad("both Content-Length and Transfer-Encoding") }
            if head.version == .http1_0 { throw .bad("Transfer-Encoding in an HTTP/1.0 request") }
            let codings = te.flatMap { HTTPRequestHead.tokens($0) }
            guard codings.last == "chunked" else { throw .bad("Transfer-Encoding does not end in chunked") }
            if codings.filter({ $0 == "chunked" }).count > 1 { throw .bad("chunked applied more than once") }
            if codings.count > 1 {
                throw HTTPParseError(
                    status: 501, reason: "unsupported transfer coding \(codings.dropLast().joined(separator: ", "))")
            }
            return .chunked
        }
        if !cl.isEmpty {
            // RFC 9112 §6.3 lets a recipient merge identical duplicates; any duplicate is refused
            // here, as a front end that picked a different one would see a different body.
            guard cl.count == 1, !cl[0].contains(",") else { throw .bad("duplicate Content-Length") }
            let digits = cl[0]
            guard !digits.isEmpty, digits.utf8.allSatisfy(isDigit) else { throw .bad("invalid Content-Length") }
            guard digits.utf8.count <= 18, let n = Int(digits) else {
                throw HTTPParseError(status: 413, reason: "content-length \(digits) too large")
            }
            return .contentLength(n)
        }
        return .none
    }

    private func parseChunkSize(_ line: ArraySlice<UInt8>) throws(HTTPParseError) -> Int {
        var size = 0
        var digits = 0
        var i = line.startIndex
        while i < line.endIndex, let v = hexValue(line[i]) {
            // Leading zeros are allowed; more than 15 significant hex digits would overflow.
            if size >= 1 << 56 { throw .bad("chunk size does not fit in 60 bits") }
            size = size * 16 + v
            digits += 1
            i += 1
        }
        guard digits > 0 else { throw .bad("invalid chunk size") }
        while i < line.endIndex, line[i] == 0x20 || line[i] == 0x09 { i += 1 }
        if i < line.endIndex {
            guard line[i] == 0x3B else { throw .bad("invalid chunk size line") }
            for b in line[i...] where !(b == 0x09 || (b >= 0x20 && b != 0x7F)) {
                throw .bad("invalid chunk extension")
            }
        }
        return size
    }
}

@inline(__always) private func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

@inline(__always) private func hexValue(_ b: UInt8) -> Int? {
    switch b {
    case 0x30...0x39: return Int(b - 0x30)
    case 0x41...0x46: return Int(b - 0x41 + 10)
    case 0x61...0x66: return Int(b - 0x61 + 10)
    default: return nil
    }
}

/// RFC 9110 tchar.
@inline(__always) func isTokenChar(_ b: UInt8) -> Bool {
    switch b {
    case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
    case 0x21, 0x23, 0x24, 0x25, 0x26, 0x27, 0x2A, 0x2B, 0x2D, 0x2E, 0x5E, 0x5F, 0x60, 0x7C, 0x7E: return true
    default: return false
    }
}
