import HTTP1
import WasmComponents
import WasmWASIP2

/// The method of a request (`method` variant of `wasi:http/types`).
enum WASIHTTPMethod {
    /// Case names in declaration order (`other(string)` is case 9).
    static let names = ["GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"]

    static func value(_ method: String) -> ComponentValue {
        if let i = names.firstIndex(of: method) { return .variant(case: i, payload: nil) }
        return .variant(case: 9, payload: .string(method))
    }

    /// The method a guest passed, or nil when `other` holds no valid token.
    static func name(_ value: ComponentValue) -> String? {
        guard case .variant(let c, let payload) = value else { return nil }
        if c < names.count { return names[c] }
        guard case .string(let s)? = payload, !s.isEmpty, s.utf8.allSatisfy(SpinHTTPExecutor.isTokenByte) else {
            return nil
        }
        return s
    }
}

/// An `incoming-request`: the request the host received.
public final class WASIIncomingRequest {
    public let method: String
    public let pathWithQuery: String
    /// `http` or `https`.
    public let scheme: String
    public let authority: String?
    public let headers: HTTPFields
    var body: [UInt8]?

    public init(method: String, pathWithQuery: String, scheme: String, authority: String?, headers: HTTPFields, body: [UInt8]) {
        self.method = method
        self.pathWithQuery = pathWithQuery
        self.scheme = scheme
        self.authority = authority
        self.headers = headers
        self.body = body
    }

    static func scheme(_ s: String) -> ComponentValue {
        switch s.lowercased() {
        case "http": .variant(case: 0, payload: nil)
        case "https": .variant(case: 1, payload: nil)
        default: .variant(case: 2, payload: .string(s))
        }
    }
}

/// An `incoming-body` (of a request or of an outbound response).
public final class WASIIncomingBody {
    var bytes: [UInt8]
    var streamTaken = false
    init(_ bytes: [UInt8]) { self.bytes = bytes }
}

/// A `future-trailers`: incoming bodies here never have trailers.
public final class WASIFutureTrailers {
    var delivered = false
}

/// An `outgoing-body`: what the guest writes, collected in memory.
public final class WASIOutgoingBody: HostResourceDropping {
    public let sink: ByteSink
    var stream: HostOutputStream?
    /// `finish` was called.
    public internal(set) var isFinished = false
    /// Dropped without `finish`: the message is incomplete.
    public internal(set) var isAbandoned = false
    var streamTaken = false
    /// Where the body goes once the response is sent while the guest still writes
    /// (`sink.forward` writes into it); `finish` or a drop ends it.
    var responseStream: HTTPResponseBodyStream?

    init(limit: Int) { sink = ByteSink(limit: limit) }

    public func dropped(in context: WASIP2Context) throws {
        if !isFinished {
            isAbandoned = true
            responseStream?.abort()
        }
        stream?.isClosed = true
    }
}

/// An `outgoing-response`: the guest's answer.
public final class WASIOutgoingResponse {
    public var status: UInt16 = 200
    public let headers: HTTPFields
    public var body: WASIOutgoingBody?
    init(headers: HTTPFields) { self.headers = headers }
}

/// A `response-outparam`: where `set` puts the guest's answer.
public final class WASIResponseOutparam {
    /// The response, or the `error-code` the guest reported instead.
    public internal(set) var response: Result<WASIOutgoingResponse, WASIHTTPErrorCode>?
}

/// An `outgoing-request`: a request the guest sends (`outgoing-handler`).
public final class WASIOutgoingRequest {
    var method = "GET"
    var pathWithQuery: String?
    var scheme: String?
    var authority: String?
    let headers: HTTPFields
    var body: WASIOutgoingBody?
    init(headers: HTTPFields) { self.headers = headers }
}

/// A `request-options`: timeouts, in nanoseconds.
public final class WASIRequestOptions {
    var connectTimeout: UInt64?
    var firstByteTimeout: UInt64?
    var betweenBytesTimeout: UInt64?
}

/// An `incoming-response`: the answer to an outbound request.
public final class WASIIncomingResponse {
    let status: UInt16
    let headers: HTTPFields
    var body: [UInt8]?
    init(status: UInt16, headers: HTTPFields, body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// A `future-incoming-response`. The request is sent when its response is first asked for,
/// so that a guest which calls `handle` before writing the body sends the whole body.
public final class WASIFutureIncomingResponse {
    let send: () -> Result<WASIIncomingResponse, WASIHTTPErrorCode>
    /// True while the request's body is still being written (taken, neither finished nor
    /// dropped): `get` answers "not yet" meanwhile, so a guest that waits for the response
    /// while another task writes the body (the Python Spin SDK's `send`) sends it whole.
    let isWaitingForBody: () -> Bool
    var outcome: Result<WASIIncomingResponse, WASIHTTPErrorCode>?
    var delivered = false
    init(
        isWaitingForBody: @escaping () -> Bool = { false },
        send: @escaping () -> Result<WASIIncomingResponse, WASIHTTPErrorCode>
    ) {
        self.isWaitingForBody = isWaitingForBody
        self.send = send
    }
}

/// An `error-code` of `wasi:http/types`: the variant case and its payload.
public struct WASIHTTPErrorCode: Error, Sendable, Equatable, CustomStringConvertible {
    public var caseIndex: Int
    public var payload: ComponentValue?

    public static let httpRequestDenied = WASIHTTPErrorCode(caseIndex: 15, payload: nil)
    public static let httpRequestMethodInvalid = WASIHTTPErrorCode(caseIndex: 18, payload: nil)
    public static let httpRequestURIInvalid = WASIHTTPErrorCode(caseIndex: 19, payload: nil)
    public static let httpResponseIncomplete = WASIHTTPErrorCode(caseIndex: 25, payload: nil)
    /// `HTTP-response-body-size(option<u64>)`: the body did not match its content-length.
    public static func httpResponseBodySize(_ written: UInt64?) -> WASIHTTPErrorCode {
        WASIHTTPErrorCode(caseIndex: 28, payload: .option(written.map { .u64($0) }))
    }
    public static func internalError(_ message: String?) -> WASIHTTPErrorCode {
        WASIHTTPErrorCode(caseIndex: 38, payload: .option(message.map { .string($0) }))
    }

    public var value: ComponentValue { .variant(case: caseIndex, payload: payload) }

    public init(caseIndex: Int, payload: ComponentValue?) {
        self.caseIndex = caseIndex
        self.payload = payload
    }

    public init?(_ value: ComponentValue) {
        guard case .variant(let c, let p) = value else { return nil }
        self.init(caseIndex: c, payload: p)
    }

    public var description: String {
        if caseIndex == 38, case .option(.string(let m)?)? = payload { return "internal-error(\(m))" }
        return "error-code case \(caseIndex)\(payload.map { " (\($0))" } ?? "")"
    }
}
