import Foundation
import HTTP1
import WasmComponents
import WasmCore
import WasmWASI
import WasmWASIP2

/// The `wasi:http` executor: runs a request on a fresh instance of a component exporting
/// `wasi:http/incoming-handler@0.2.x` — calls `handle(incoming-request, response-outparam)`
/// and answers with what the guest set (status, headers, the body it wrote and finished).
///
/// With `startResponse` (the server's `HTTPRequest.startResponse`), a response whose body is
/// still open when the guest calls `response-outparam.set` is sent at once and its body
/// streamed as the guest writes it, through a bounded `HTTPResponseBodyStream`: a blocking
/// write waits while the client is slow (until the request deadline). The request body is
/// still handed over whole (the server dispatches complete requests).
public enum ComponentHTTPExecutor {
    /// Runs one request.
    ///
    /// - Parameters:
    ///   - headers: the client's headers followed by Spin's `spin-*` ones.
    ///   - scheme: `http` (the trigger listens without TLS).
    /// - Throws: `ExecutorError` when the guest set no response, set an `error-code`, or dropped
    ///   the body unfinished; `Trap`, `GuestLimitExceeded` or `WASIExit` when it failed.
    public static func execute(
        _ component: LoadedWasmComponent, host: GuestHost, method: String, pathWithQuery: String,
        headers: HTTPHeaders, body: [UInt8], scheme: String = "http",
        outboundHTTP: OutboundHTTPSettings = OutboundHTTPSettings(),
        startResponse: (@Sendable (HTTPResponse) -> Void)? = nil
    ) throws -> HTTPResponse {
        let id = component.id
        let authority = headers.first { $0.name.lowercased() == "host" }?.value
        let guest = try ComponentGuestInstance(
            component, host: host, origin: authority.map { "\(scheme)://\($0)" }, outboundHTTP: outboundHTTP)
        defer { guest.close() }
        if let startResponse {
            guest.hostState.http.responseWasSet = { [deadline = guest.deadline] r in
                streamResponse(r, deadline: deadline, start: startResponse)
            }
        }
        guard let handle = guest.instance.function(interface: WASIHTTP.incomingHandler, name: "handle") else {
            throw ExecutorError("no `handle` function in the export `\(WASIHTTP.incomingHandler)`")
        }
        let request = WASIIncomingRequest(
            method: method, pathWithQuery: pathWithQuery, scheme: scheme, authority: authority,
            headers: .received(headers), body: body)
        let outparam = WASIResponseOutparam()
        let requestRep = guest.context.table.insert(request)
        let outparamRep = guest.context.table.insert(outparam)
        _ = try guest.enforcingLimits { try handle.call([.own(requestRep), .own(outparamRep)]) }
        return try response(of: outparam, component: id)
    }

    /// Sends `r` through `start` and streams its body from now on, when the guest has not
    /// finished the body yet (a finished or absent body is answered whole at the end).
    static func streamResponse(
        _ r: WASIOutgoingResponse, deadline: UInt64?, start: @Sendable (HTTPResponse) -> Void
    ) {
        guard let body = r.body, !body.isFinished, !body.isAbandoned, body.responseStream == nil else { return }
        let headers = r.headers.headers
        let declared = headers.first { $0.name.lowercased() == "content-length" }.flatMap { h -> Int? in
            let v = h.value.trimmingCharacters(in: .whitespaces)
            return !v.isEmpty && v.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) ? Int(v) : nil
        }
        let stream = HTTPResponseBodyStream(declaredLength: declared)
        let until: Date? = deadline.map { d in
            Date(timeIntervalSinceNow: Double(Int64(bitPattern: d &- Watchdog.now())) / 1e9)
        }
        let pending = body.sink.take()
        body.responseStream = stream
        body.sink.forward = { bytes throws(StreamFailure) in
            do throws(HTTPResponseBodyStream.Failure) {
                try stream.write(bytes, deadline: until)
            } catch {
                if error == .cancelled { throw .closed }
                throw .failed(error.description, filesystemCode: nil)
            }
        }
        start(HTTPResponse(status: Int(r.status), headers: headers, bodyStream: stream))
        if !pending.isEmpty {
            do { try stream.write(pending, deadline: until) } catch { stream.abort() }
        }
    }

    /// The HTTP response the guest put in `outparam`.
    static func response(of outparam: WASIResponseOutparam, component id: String) throws -> HTTPResponse {
        switch outparam.response {
        case nil:
            throw ExecutorError("`handle` returned without setting a response")
        case .failure(let code):
            throw ExecutorError("the guest answered with the error \(code)")
        case .success(let r):
            var body: [UInt8] = []
            if let b = r.body {
                if b.isAbandoned {
                    throw ExecutorError("the guest dropped the response body without finishing it")
                }
                if let stream = b.responseStream {
                    // Already sent; a body left open is incomplete (the server closes the connection).
                    if !b.isFinished { stream.abort() }
                    return HTTPResponse(status: Int(r.status), headers: r.headers.headers, bodyStream: stream)
                }
                body = b.sink.take()
            }
            return HTTPResponse(status: Int(r.status), headers: r.headers.headers, body: body)
        }
    }
}
