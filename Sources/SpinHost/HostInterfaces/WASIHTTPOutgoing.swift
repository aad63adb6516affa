import WasmComponents
import WasmCore
import WasmWASIP2

/// Per-instance state of `wasi:http`: where outbound requests may go and how long they may
/// take. Part of `ComponentHostState` (kept in `WASIP2Context.embedder`).
public final class WASIHTTPState {
    let allowedHosts: AllowedOutboundHosts
    let settings: OutboundHTTPSettings
    /// `scheme://authority` of the incoming request, for `self` requests.
    let origin: String?
    /// `Watchdog.now()` instant the instance's time is up; nil = no limit.
    let deadline: UInt64?
    /// Called when the guest calls `response-outparam.set` with a response (the executor
    /// starts streaming it from here).
    var responseWasSet: ((WASIOutgoingResponse) -> Void)?

    package init(allowedHosts: AllowedOutboundHosts, settings: OutboundHTTPSettings, origin: String?, deadline: UInt64?) {
        self.allowedHosts = allowedHosts
        self.settings = settings
        self.origin = origin
        self.deadline = deadline
    }
}

/// `wasi:http/outgoing-handler` 0.2: outbound requests through `HTTPClient`, only to hosts
/// the component's `allowed_outbound_hosts` lists (else `HTTP-request-denied`).
public enum WASIHTTPOutgoingHandler {
    public static let interface = "wasi:http/outgoing-handler@0.2.0"

    /// The error code for a failed outbound request.
    static func errorCode(_ e: OutboundHTTPError) -> WASIHTTPErrorCode {
        switch e {
        case .destinationNotAllowed: .httpRequestDenied
        case .invalidURL: .httpRequestURIInvalid
        case .requestError(let m), .runtimeError(let m): .internalError(m)
        }
    }

    /// Sends `request` (its body as finished so far) under `state`'s allow-list and limits.
    static func send(_ request: WASIOutgoingRequest, state: WASIHTTPState?) -> Result<WASIIncomingResponse, WASIHTTPErrorCode> {
        guard let state else { return .failure(.internalError("outbound HTTP is not available to this component")) }
        guard let authority = request.authority, !authority.isEmpty else { return .failure(.httpRequestURIInvalid) }
        let scheme = request.scheme ?? "https"
        let url = "\(scheme)://\(authority)\(request.pathWithQuery ?? "/")"
        guard let parsed = ParsedURL(url) else { return .failure(.httpRequestURIInvalid) }
        guard state.allowedHosts.allows(parsed) else { return .failure(.httpRequestDenied) }
        if let body = request.body, body.isAbandoned { return .failure(.internalError("the request body was not finished")) }
        var settings = state.settings
        if let deadline = state.deadline {
            let now = Watchdog.now()
            guard now < deadline else { return .failure(.internalError("the request's deadline has passed")) }
            let left = Double(deadline - now) / 1e9
            settings.timeoutSeconds = min(settings.timeoutSeconds, left)
            settings.totalTimeoutSeconds = min(settings.totalTimeoutSeconds, left)
        }
        let body = request.body?.sink.bytes
        let outbound = OutboundHTTPRequest(method: request.method, url: url, headers: request.headers.headers, body: body)
        let allowed = state.allowedHosts
        do {
            let r = try HTTPClient.send(outbound, settings: settings, isAllowed: { allowed.allows($0) })
            return .success(WASIIncomingResponse(status: r.status, headers: .received(r.headers), body: r.body))
        } catch {
            return .failure(errorCode(error))
        }
    }

    static func define(_ d: inout WASIP2Definitions) {
        d.function(interface, "handle") { c, a in
            let request = try WASIHTTPTypes.take(c, a, 0, as: WASIOutgoingRequest.self)
            if case .own(let rep)? = try a.option(1) { c.table.remove(rep) }
            let state = ComponentHostState.of(c)?.http
            if request.authority == nil { return .err(WASIHTTPErrorCode.httpRequestURIInvalid.value) }
            let waiting = { request.body.map { !$0.isFinished && !$0.isAbandoned } ?? false }
            return .ok(c.own(WASIFutureIncomingResponse(isWaitingForBody: waiting) { send(request, state: state) }))
        }
    }
}

/// Everything `wasi:http` 0.2 this host provides to components: `types` and `outgoing-handler`.
public enum WASIHTTP {
    public static let incomingHandler = "wasi:http/incoming-handler@0.2.0"

    public static let definitions: WASIP2Definitions = {
        var d = WASIP2Definitions()
        WASIHTTPTypes.define(&d)
        WASIHTTPOutgoingHandler.define(&d)
        return d
    }()

    /// WASI 0.2 and `wasi:http` together: what a `wasi:http/proxy` component is linked against.
    public static let proxyDefinitions: WASIP2Definitions = {
        var d = WASIP2.definitions
        d.merge(definitions)
        return d
    }()
}
