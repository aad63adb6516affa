/// Size limits applied while parsing messages.
public struct HTTPLimits: Sendable, Equatable {
    /// Start line plus header section (including line ends), and separately the
    /// trailer section of a chunked body. Exceeding it yields 431.
    public var maxHeaderBytes: Int
    /// Body after de-chunking. Exceeding it yields 413.
    public var maxBodyBytes: Int
    /// Longest accepted chunk-size line (size + extensions). Exceeding it yields 400.
    public var maxChunkLineBytes: Int
    /// Most header fields in one message (and, separately, trailer fields). Exceeding it
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

/// A message the parser refuses, with the status a server answers before closing the connection.
package struct HTTPParseError: Error, Sendable, Equatable, CustomStringConvertible {
    package var status: Int
    package var reason: String

    package init(status: Int, reason: String) {
        self.status = status
        self.reason = reason
    }

    package var description: String { "\(status) \(HTTPStatus.reasonPhrase(status)): \(reason)" }

    static func bad(_ reason: String) -> HTTPParseError { .init(status: 400, reason: reason) }
}

/// How the body of a message is delimited (RFC 9112 §6).
package enum HTTPBodyFraming: Sendable, Equatable {
    case none
    case contentLength(Int)
    case chunked
    /// Everything until the connection closes (responses only).
    case untilClose

    package var hasBody: Bool {
        switch self {
        case .none: return false
        case .contentLength(let n): return n > 0
        case .chunked, .untilClose: return true
        }
    }
}

/// The framing of HTTP/1.x messages (RFC 9112), shared by the server's request parser and
/// the client's response parser: the head section (start line and fields, within the
/// limits), then a body delimited by Content-Length, by the chunked coding (with its
/// trailer section) or, for responses, by the end of the connection.
///
/// It performs no I/O: `feed` bytes as they arrive and call `next()` until it returns nil
/// (needs more bytes). A `.head` gives the lines of the head section; its owner parses the
/// start line, decides the body framing and calls `beginBody(_:)` before the next
/// `next()`. After `.end` it continues with the next (pipelined) message in the buffer.
/// After a thrown error it is poisoned and keeps throwing the same error.
package struct HTTPMessageFramer: Sendable {
    /// What the messages are, for the wording of errors.
    package enum Role: Sendable {
        case request, response
    }

    package enum Event: Sendable {
        /// A complete head section: the ranges (for `line(_:)`) of its non-empty lines,
        /// the start line first.
        case head([Range<Int>])
        /// Some body bytes (already de-chunked).
        case body([UInt8])
        /// The message is complete.
        case end(trailers: HTTPHeaders)
    }

    package let limits: HTTPLimits
    package let role: Role

    private enum State: Sendable {
        case head
        /// A head was returned; `beginBody` has not been called yet.
        case headDone
        case fixedBody(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers
        case untilClose
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
    /// Bytes of chunked framing (size lines with extensions, CRLFs after data) of the body
    /// being read: bounded too, so tiny chunks cannot make the bytes received for a body
    /// run far past the body limit.
    private var chunkFramingReceived = 0
    private var maxChunkFramingBytes: Int { max(limits.maxBodyBytes, 64 * 1024) }
    /// Lines of the section currently being collected (head or trailers), as index ranges.
    private var lines: [Range<Int>] = []
    /// `.end` of a Content-Length (or body-less) message is reported on the call after
    /// its last body bytes / its head.
    private var pendingEnd = false

    package init(role: Role, limits: HTTPLimits = .default) {
        self.role = role
        self.limits = limits
    }

    /// Number of bytes received but not yet consumed into events.
    package var bufferedByteCount: Int { buffer.count - start }

    /// True when no bytes of a further message have been received (between messages).
    package var isAtMessageBoundary: Bool {
        if case .head = state { return bufferedByteCount == 0 && !pendingEnd }
        return false
    }

    /// True while inside a message (head partially read or body pending).
    package var isInsideMessage: Bool {
        switch state {
        case .head: return bufferedByteCount > 0 || pendingEnd
        case .failed: return false
        default: return true
        }
    }

    /// Appends received bytes.
    package mutating func feed<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
        compactIfUseful()
        buffer.append(contentsOf: bytes)
    }

    /// Produces the next event, or nil when more bytes are needed.
    package mutating func next() throws(HTTPParseError) -> Event? {
        do {
            return try step()
        } catch {
            state = .failed(error)
            throw error
        }
    }

    /// The bytes of a head line (a range from `.head`), valid until the next `feed`.
    package func line(_ range: Range<Int>) -> ArraySlice<UInt8> { buffer[range] }

    /// After `.head`: how its body is delimited. A Content-Length above the body limit is 413.
    package mutating func beginBody(_ framing: HTTPBodyFraming) throws(HTTPParseError) {
        precondition(isHeadDone, "beginBody(_:) without a head")
        resetScan()
        bodyReceived = 0
        chunkFramingReceived = 0
        switch framing {
        case .none, .contentLength(0):
            pendingEnd = true
            state = .head
        case .contentLength(let n):
            if n > limits.maxBodyBytes {
                fail(HTTPParseError(status: 413, reason: "content-length \(n) exceeds \(limits.maxBodyBytes) bytes"))
            } else {
                state = .fixedBody(remaining: n)
            }
        case .chunked:
            state = .chunkSize
        case .untilClose:
            state = .untilClose
        }
        if case .failed(let error) = state { throw error }
    }

    /// Refuses the message being read (e.g. its start line), poisoning the framer.
    package mutating func fail(_ error: HTTPParseError) {
        state = .failed(error)
    }

    /// The connection has ended (no more bytes will come): a body delimited by the close
    /// ends here (`.end`); nil when no message was begun; an error inside any other message.
    package mutating func finish() throws(HTTPParseError) -> Event? {
        if case .failed(let error) = state { throw error }
        if pendingEnd {
            pendingEnd = false
            return .end(trailers: [])
        }
        if case .untilClose = state {
            state = .head
            return .end(trailers: [])
        }
        if isAtMessageBoundary { return nil }
        let error = HTTPParseError.bad("the connection closed inside a \(role == .request ? "request" : "response")")
        state = .failed(error)
        throw error
    }

    private var isHeadDone: Bool {
        if case .headDone = state { return true }
        return false
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

    private var roleName: String { role == .request ? "request" : "response" }

    private mutating func step() throws(HTTPParseError) -> Event? {
        if pendingEnd {
            pendingEnd = false
            return .end(trailers: [])
        }
        switch state {
        case .failed(let error):
            throw error
        case .headDone:
            preconditionFailure("next() before beginBody(_:)")
        case .head:
            guard
                let sectionEnd = try collectLines(
                    limit: limits.maxHeaderBytes, skipLeadingEmpty: true,
                    tooLarge: HTTPParseError(
                        status: 431,
                        reason: "\(role == .request ? "request" : "status") line and headers exceed "
                            + "\(limits.maxHeaderBytes) bytes"))
            else { return nil }
            let sectionLines = lines
            lines = []
            start = sectionEnd
            state = .headDone
            return .head(sectionLines)
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
        case .untilClose:
            let available = buffer.count - start
            guard available > 0 else { return nil }
            if available > limits.maxBodyBytes - bodyReceived {
                throw HTTPParseError(status: 413, reason: "\(roleName) body exceeds \(limits.maxBodyBytes) bytes")
            }
            bodyReceived += available
            let chunk = Array(buffer[start...])
            start = buffer.count
            resetScan()
            return .body(chunk)
        case .chunkSize:
            guard
                let lineEnd = try findLineEnd(
                    limit: limits.maxChunkLineBytes,
                    tooLarge: .bad("chunk size line too long"))
            else { return nil }
            let line = line(start..<lineEnd.contentEnd)
            try countChunkFraming(lineEnd.next - start)
            start = lineEnd.next
            resetScan()
            let size = try Self.parseChunkSize(line)
            if size == 0 {
                state = .trailers
                return try step()
            }
            if size > limits.maxBodyBytes - bodyReceived {
                throw HTTPParseError(status: 413, reason: "\(roleName) body exceeds \(limits.maxBodyBytes) bytes")
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
                try countChunkFraming(1)
                start += 1
            } else if buffer[start] == 0x0D {
                guard available >= 2 else { return nil }
                guard buffer[start + 1] == 0x0A else { throw .bad("chunk data not followed by CRLF") }
                try countChunkFraming(2)
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
                trailers.append(try Self.parseField(line(range)))
            }
            start = sectionEnd
            resetScan()
            state = .head
            bodyReceived = 0
            return .end(trailers: trailers)
        }
    }

    private mutating func countChunkFraming(_ n: Int) throws(HTTPParseError) {
        chunkFramingReceived += n
        if chunkFramingReceived > maxChunkFramingBytes {
            throw HTTPParseError(
                status: 413, reason: "chunked framing of the \(roleName) body exceeds \(maxChunkFramingBytes) bytes")
        }
    }

    private mutating func resetScan() {
        scan = start
        lineStart = start
    }

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
                        // RFC 9112 §2.2: ignore empty lines before the start line.
                        start = i + 1
                        lineStart = i + 1
                    } else {
                        scan = i + 1
                        lineStart = i + 1
                        if i + 1 - start > limit { throw tooLarge }
                        return i + 1
                    }
                } else {
                    // The head's first line is the start line, not a field.
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

    // MARK: - Syntax both directions share

    /// A field line (RFC 9112 §5): `name: value`, the name a token (lower-cased here), the
    /// value without surrounding whitespace and without control characters; no line folding.
    package static func parseField(_ line: ArraySlice<UInt8>) throws(HTTPParseError) -> (name: String, value: String) {
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

    /// The fields of a head section (every line after the start line).
    package func fields(_ sectionLines: [Range<Int>]) throws(HTTPParseError) -> HTTPHeaders {
        var headers: HTTPHeaders = []
        headers.reserveCapacity(sectionLines.count - 1)
        for range in sectionLines.dropFirst() {
            headers.append(try Self.parseField(line(range)))
        }
        return headers
    }

    /// `HTTP/1.x`: the version of a start line; another major version is 505.
    package static func parseVersion(_ bytes: ArraySlice<UInt8>) throws(HTTPParseError) -> HTTPVersion {
        let b = Array(bytes)
        guard b.count == 8, b[0] == 0x48, b[1] == 0x54, b[2] == 0x54, b[3] == 0x50, b[4] == 0x2F,
            isDigit(b[5]), b[6] == 0x2E, isDigit(b[7])
        else { throw .bad("malformed HTTP version") }
        let major = Int(b[5] - 0x30), minor = Int(b[7] - 0x30)
        guard major == 1 else {
            throw HTTPParseError(status: 505, reason: "HTTP/\(major).\(minor) is not supported")
        }
        // RFC 9110 §6.2: a 1.x message with a higher minor is handled as the highest we support.
        return minor == 0 ? .http1_0 : .http1_1
    }

    /// The framing fields of a head (RFC 9112 §6.1-6.3), as both directions check them.
    package enum FramingFields: Sendable, Equatable {
        /// Neither Transfer-Encoding nor Content-Length.
        case none
        /// One valid Content-Length.
        case contentLength(Int)
        /// The transfer codings, lower-cased, in order (Content-Length absent).
        case transferCodings([String])
    }

    /// Finds the framing fields: both Transfer-Encoding and Content-Length is refused (a
    /// front end that chose the other one would see another message), and so is any
    /// Content-Length but exactly one decimal number.
    package static func framingFields(_ head: HTTPHeaders) throws(HTTPParseError) -> FramingFields {
        var te: [String] = []
        var cl: [String] = []
        for (name, value) in head {
            if name == "transfer-encoding" { te.append(value) } else if name == "content-length" { cl.append(value) }
        }
        if !te.isEmpty {
            if !cl.isEmpty { throw .bad("both Content-Length and Transfer-Encoding") }
            return .transferCodings(te.flatMap { HTTPRequestHead.tokens($0) })
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

    /// The framing of transfer codings that end in `chunked`: chunked applied twice is
    /// refused, and other codings are not implemented (501).
    package static func chunkedFraming(_ codings: [String]) throws(HTTPParseError) -> HTTPBodyFraming {
        if codings.filter({ $0 == "chunked" }).count > 1 { throw .bad("chunked applied more than once") }
        if codings.count > 1 {
            throw HTTPParseError(
                status: 501, reason: "unsupported transfer coding \(codings.dropLast().joined(separator: ", "))")
        }
        return .chunked
    }

    private static func parseChunkSize(_ line: ArraySlice<UInt8>) throws(HTTPParseError) -> Int {
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

@inline(__always) func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

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
