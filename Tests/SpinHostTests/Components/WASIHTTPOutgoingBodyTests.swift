import Foundation
import Testing
import WasmComponents
import WasmWASI
import WasmWASIP2

@testable import SpinHost

/// `future-incoming-response.get` while the request's body is still being written answers
/// "not yet" (`none`): a guest may hand the request over, wait for the response and write the
/// body from another task (the Python Spin SDK's `http.send` does), and the host sends the
/// body whole once it is finished. Found by SpinSDKComponentLiveTests (the Python app's POST
/// arrived with an empty body).
struct WASIHTTPOutgoingBodyTests {
    static let types = "wasi:http/types@0.2.0"
    let context: WASIP2Context

    init() throws {
        context = WASIP2Context(wasi: try WASI(configuration: WASIConfiguration()))
        context.embedder = ComponentHostState(
            http: WASIHTTPState(
                allowedHosts: AllowedOutboundHosts(["http://127.0.0.1:1"]), settings: OutboundHTTPSettings(),
                origin: nil, deadline: nil),
            guest: nil)
    }

    @discardableResult
    func call(_ name: String, _ args: [ComponentValue] = [], interface: String = Self.types) throws -> ComponentValue? {
        guard let f = WASIHTTP.proxyDefinitions.function(interface, name) else { throw ExecutorError("no \(name)") }
        return try f(context, args)
    }

    func own(_ v: ComponentValue?) throws -> UInt32 {
        switch v {
        case .own(let r)?, .ok(.own(let r)?)?: return r
        default: throw ExecutorError("expected an owned handle, got \(String(describing: v))")
        }
    }

    /// A POST to `authority` whose body the guest has taken; returns (future, body).
    func handedOver(authority: String) throws -> (future: UInt32, body: UInt32) {
        let request = try own(
            try call("[constructor]outgoing-request", [.own(try own(try call("[constructor]fields")))]))
        #expect(
            try call("[method]outgoing-request.set-method", [.borrow(request), .variant(case: 2, payload: nil)])
                == .ok(nil))
        #expect(
            try call(
                "[method]outgoing-request.set-scheme", [.borrow(request), .option(.variant(case: 0, payload: nil))])
                == .ok(nil))
        #expect(
            try call("[method]outgoing-request.set-authority", [.borrow(request), .option(.string(authority))])
                == .ok(nil))
        let body = try own(try call("[method]outgoing-request.body", [.borrow(request)]))
        let future = try own(
            try call("handle", [.own(request), .option(nil)], interface: "wasi:http/outgoing-handler@0.2.0"))
        return (future, body)
    }

    @Test func theResponseWaitsForTheBodyToBeFinished() throws {
        let (future, body) = try handedOver(authority: "denied.example")
        #expect(try call("[method]future-incoming-response.get", [.borrow(future)]) == .option(nil))
        let stream = try own(try call("[method]outgoing-body.write", [.borrow(body)]))
        #expect(
            try call(
                "[method]output-stream.blocking-write-and-flush", [.borrow(stream), .bytes([1, 2, 3])],
                interface: "wasi:io/streams@0.2.0")
                == .ok(nil))
        #expect(try call("[method]future-incoming-response.get", [.borrow(future)]) == .option(nil))
        try context.dropResource(stream)
        #expect(try call("[static]outgoing-body.finish", [.own(body), .option(nil)]) == .ok(nil))
        // Now it is sent (here: denied, HTTP-request-denied), once.
        #expect(
            try call("[method]future-incoming-response.get", [.borrow(future)])
                == .option(.ok(.err(.variant(case: 15, payload: nil)))))
        #expect(try call("[method]future-incoming-response.get", [.borrow(future)]) == .option(.err(nil)))
    }

    @Test func aDroppedBodyEndsTheWaitWithAnError() throws {
        let (future, body) = try handedOver(authority: "127.0.0.1:1")
        #expect(try call("[method]future-incoming-response.get", [.borrow(future)]) == .option(nil))
        try context.dropResource(body)
        // internal-error (case 38) naming the unfinished body; no connection is attempted.
        #expect(
            try call("[method]future-incoming-response.get", [.borrow(future)])
                == .option(
                    .ok(.err(.variant(case: 38, payload: .option(.string("the request body was not finished")))))))
    }
}
