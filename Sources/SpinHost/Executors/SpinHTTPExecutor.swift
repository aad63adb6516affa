import HTTP1
import WasmCore
import WasmWASI

/// The Spin HTTP executor: calls `handle-http-request` with the wit-bindgen 0.2
/// canonical ABI (docs/spin-1x.md#spin-http-executor).
public enum SpinHTTPExecutor {
    /// The methods of the `method` enum, in discriminant order.
    package static let methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]

    /// Runs one request on a fresh instance.
    ///
    /// - Parameters:
    ///   - uri: path and query, e.g. `/hello?x=1`.
    ///   - headers: lower-case names, the client's headers followed by the `spin-*` ones.
    /// - Returns: the guest's response; 405 without calling the guest for other methods.
    /// - Throws: `ExecutorError`, `Trap` or WASI errors when the guest fails.
    public static func execute(
        _ component: LoadedComponent, host: GuestHost, method: String, uri: String, headers: HTTPHeaders,
        body: [UInt8]
    ) throws -> HTTPResponse {
        guard let methodIndex = methods.firstIndex(of: method) else {
            return HTTPResponse(status: 405)
        }
        let guest = try host.instantiate(component)
        defer { guest.close() }
        return try guest.enforcingLimits {
            try call(guest, methodIndex: methodIndex, uri: uri, headers: headers, body: body)
        }
    }

    /// Calls the guest's handler with the request and reads its response.
    static func call(
        _ guest: GuestInstance, methodIndex: Int, uri: String, headers: HTTPHeaders, body: [UInt8]
    ) throws -> HTTPResponse {
        try guest.initializeIfNeeded()
        let abi = try CanonicalABI(store: guest.store, instance: guest.instance)

        // Request: uri, header array, empty params, body, each via canonical_abi_realloc (docs/spin-1x.md#http-call-sequence).
        let (uriPtr, uriLen) = try abi.write(uri)
        let headerArray = try abi.allocate(count: 16 * headers.count, align: 4)
        for (i, h) in headers.enumerated() {
            let (kp, kl) = try abi.write(h.name)
            let (vp, vl) = try abi.write(h.value)
            let at = Int(headerArray) + 16 * i
            try abi.memory.store(kp, at: at)
            try abi.memory.store(kl, at: at + 4)
            try abi.memory.store(vp, at: at + 8)
            try abi.memory.store(vl, at: at + 12)
        }
        let params = try abi.allocate(count: 0, align: 4)
        let (bodyPtr, bodyLen) = try abi.write(body)
        let args: [Value] = [
            .i32(UInt32(methodIndex)), .i32(uriPtr), .i32(uriLen), .i32(headerArray), .i32(UInt32(headers.count)),
            .i32(params), .i32(0), .i32(1), .i32(bodyPtr), .i32(bodyLen),
        ]
        let result = try guest.instance.invoke("handle-http-request", args)
        guard case .i32(let ret)? = result.first else {
            throw ExecutorError("handle-http-request returned no response pointer")
        }

        // Response (the 28-byte area of docs/spin-1x.md#http-response-layout): copy out, then free what the guest returned.
        let memory = abi.memory
        let status: UInt16 = try memory.load(at: Int(ret))
        var responseHeaders: HTTPHeaders = []
        if try memory.load(UInt8.self, at: Int(ret) + 4) != 0 {
            let array: UInt32 = try memory.load(at: Int(ret) + 8)
            let count: UInt32 = try memory.load(at: Int(ret) + 12)
            for i in 0..<Int(count) {
                let at = Int(array) + 16 * i
                let kp: UInt32 = try memory.load(at: at)
                let kl: UInt32 = try memory.load(at: at + 4)
                let vp: UInt32 = try memory.load(at: at + 8)
                let vl: UInt32 = try memory.load(at: at + 12)
                let name = try abi.readString(kp, kl)
                let value = try abi.readString(vp, vl)
                try abi.free(kp, kl, align: 1)
                try abi.free(vp, vl, align: 1)
                responseHeaders.append((name, value))
            }
            try abi.free(array, count * 16, align: 4)
        }
        var responseBody: [UInt8] = []
        if try memory.load(UInt8.self, at: Int(ret) + 16) != 0 {
            let p: UInt32 = try memory.load(at: Int(ret) + 20)
            let n: UInt32 = try memory.load(at: Int(ret) + 24)
            responseBody = try abi.read(p, n)
            try abi.free(p, n, align: 1)
        }

        // Validation: a status outside 100...600 is a 500 (docs/spin-1x.md#http-call-sequence).
        guard (100...600).contains(status) else {
            throw ExecutorError("the guest returned the invalid status \(status)")
        }
        return HTTPResponse(status: Int(status), headers: try normalize(responseHeaders), body: responseBody)
    }

    /// Spin applies response headers with `HeaderMap::insert`: a repeated name keeps
    /// its first position and its last value. Invalid names or values are an error.
    static func normalize(_ headers: HTTPHeaders) throws -> HTTPHeaders {
        var result: HTTPHeaders = []
        var index: [String: Int] = [:]
        for (name, value) in headers {
            let lower = name.lowercased()
            guard !lower.isEmpty, lower.utf8.allSatisfy(isTokenByte) else {
                throw ExecutorError("the guest returned an invalid header name \"\(name)\"")
            }
            guard value.utf8.allSatisfy({ $0 == 0x09 || ($0 >= 0x20 && $0 != 0x7F) }) else {
                throw ExecutorError("the guest returned an invalid value for header \"\(name)\"")
            }
            if let i = index[lower] {
                result[i].value = value
            } else {
                index[lower] = result.count
                result.append((lower, value))
            }
        }
        return result
    }

    static func isTokenByte(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): return true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
            UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
            UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            return true
        default: return false
        }
    }
}
