import HTTP1
import WasmComponents
import WasmCore

/// The Spin HTTP executor for Spin 1.4–1.5 SDK modules (wit-bindgen 0.8): calls
/// `fermyon:spin/inbound-http#handle-request` through the canonical ABI
/// (docs/spin-1x.md#preview2-modules). The request and response are the old executor's
/// (`SpinHTTPExecutor`): same method enum, URI, headers and body, same status check and
/// header normalisation; only the encoding differs.
public enum SpinPreview2HTTPExecutor {
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
        guard let methodIndex = SpinHTTPExecutor.methods.firstIndex(of: method) else {
            return HTTPResponse(status: 405)
        }
        let guest = try host.instantiate(component)
        defer { guest.close() }
        return try guest.enforcingLimits {
            try guest.initializeIfNeeded()
            return try call(guest, methodIndex: methodIndex, uri: uri, headers: headers, body: body)
        }
    }

    /// Calls the handler of an initialised instance with the request and lifts its response.
    static func call(
        _ guest: GuestInstance, methodIndex: Int, uri: String, headers: HTTPHeaders, body: [UInt8]
    ) throws -> HTTPResponse {
        let export = SpinPreview2ABI.handleRequest
        guard let handler = guest.instance.function(named: export) else {
            throw ExecutorError("failed to find function export \(export)")
        }
        let abi = try guest.state.preview2Binding(store: guest.store, instance: guest.instance)
        // `record request { method, uri, headers, params, body }`: params are always empty and the
        // body is always `some` (Spin's trigger passes the whole body, even an empty one).
        let request = ComponentValue.record([
            .enumeration(methodIndex), .string(uri), SpinPreview2Interfaces.pairs(headers.map { ($0.name, $0.value) }),
            .list([]), .option(.bytes(body)),
        ])
        let result = try abi.call(
            handler, SpinPreview2Types.handleRequest, [request],
            postReturn: guest.instance.function(named: SpinPreview2ABI.postReturn(export)))
        guard case .record(let fields)? = result, fields.count == 3, case .u16(let status) = fields[0],
            case .option(let headerList) = fields[1], case .option(let bodyValue) = fields[2]
        else {
            throw ExecutorError("\(export) returned a malformed response")
        }
        // Validation: a status outside 100...600 is a 500 (docs/spin-1x.md#http-call-sequence).
        guard (100...600).contains(status) else {
            throw ExecutorError("the guest returned the invalid status \(status)")
        }
        let responseHeaders = try headerList.map(SpinPreview2Interfaces.pairs) ?? []
        return HTTPResponse(
            status: Int(status), headers: try SpinHTTPExecutor.normalize(responseHeaders.map { ($0.name, $0.value) }),
            body: try bodyValue.map(SpinPreview2Interfaces.bytes) ?? [])
    }
}
