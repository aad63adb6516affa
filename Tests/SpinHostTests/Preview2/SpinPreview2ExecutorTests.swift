import Foundation
import HTTP1
import TestSupport
import Testing
import WasmCore

@testable import SpinHost

/// The hand-built 1.4–1.5 module (Fixtures/spin15) through `GuestHost` and
/// `SpinPreview2HTTPExecutor`, as `spin up` runs it, in this process.
@Suite struct SpinPreview2ExecutorTests {
    let component: LoadedComponent
    let host: GuestHost
    let log = LogCollector()

    init() throws {
        let path = try Preview2.app(
            Preview2.httpApp(
                component: """
                    key_value_stores = ["default"]
                    [component.guest.variables]
                    message = "from {{ who }}"
                    """, application: "[variables]\nwho = { default = \"the host\" }"))
        let app = try LoadedApp.load(path: path)
        let services = try AppServices.start(
            app: app.manifest, stateDirectory: "", environment: [:], log: LogSink { [log] in log.append($0) })
        let spin = SpinInterfaces.guestHostInterfaces(services: services)
        host = GuestHost(
            output: GuestOutput(quiet: true), log: { [log] in log.append($0) }, services: services,
            interfaces: { c, imports in
                spin(c, &imports)
                OutboundRedis.defineForGuestHost(into: &imports)
            })
        component = try #require(app.components["guest"])
        #expect(component.moduleABI == .preview2)
    }

    func send(_ method: String, _ uri: String, headers: HTTPHeaders = [], body: String = "") throws -> HTTPResponse {
        try SpinPreview2HTTPExecutor.execute(
            component, host: host, method: method, uri: uri, headers: headers, body: Array(body.utf8))
    }

    /// The request arrives lowered (method enum, URI, headers, body) and the guest's answer is
    /// lifted back: every line of the body is something the guest computed from what it got.
    @Test func getAndPostEchoWhatTheGuestSaw() throws {
        let get = try send("GET", "/echo?x=1", headers: [("x-test", "ünïcode ✓"), ("accept", "*/*")])
        #expect(get.status == 200)
        #expect(get.headers.first { $0.name == "x-echo-method" }?.value == "GET")
        #expect(get.headers.first { $0.name == "content-type" }?.value == "text/plain")
        #expect(
            String(decoding: get.body, as: UTF8.self)
                == "method=GET\nuri=/echo?x=1\nx-test=ünïcode ✓\nheaders=2\nbody=")
        let body = String(repeating: "0123456789", count: 2_000)
        let post = try send("POST", "/upload", headers: [("content-length", "\(body.utf8.count)")], body: body)
        #expect(post.status == 200)
        #expect(post.headers.first { $0.name == "x-echo-method" }?.value == "POST")
        #expect(
            String(decoding: post.body, as: UTF8.self) == "method=POST\nuri=/upload\nx-test=\nheaders=1\nbody=\(body)")
        for (index, method) in SpinHTTPExecutor.methods.enumerated() where method != "HEAD" {
            let r = try send(method, "/m\(index)")
            #expect(String(decoding: r.body, as: UTF8.self).hasPrefix("method=\(method)\nuri=/m\(index)\n"))
        }
        // Methods outside the enum are answered 405 without calling the guest.
        #expect(try send("TRACE", "/").status == 405)
    }

    @Test func configValuesAndErrorsReachTheGuest() throws {
        let ok = try send("GET", "/config?key=message")
        #expect(ok.status == 200)
        #expect(String(decoding: ok.body, as: UTF8.self) == "from the host")
        let unknown = try send("GET", "/config?key=missing")
        #expect(unknown.status == 500)
        // error::other(string) is case 3.
        #expect(String(decoding: unknown.body, as: UTF8.self) == #"error=3: unknown config path "guest.missing""#)
        let invalid = try send("GET", "/config?key=Bad-Key")
        #expect(String(decoding: invalid.body, as: UTF8.self).hasPrefix("error=1: invalid key"))  // invalid-key
    }

    @Test func keyValueOperationsUseTheAppsStore() throws {
        for i in 1...3 {
            #expect(String(decoding: try send("GET", "/kv?op=count&key=hits").body, as: UTF8.self) == "\(i)")
        }
        #expect(String(decoding: try send("GET", "/kv?op=set&key=a&value=alpha").body, as: UTF8.self) == "ok")
        #expect(String(decoding: try send("GET", "/kv?op=get&key=a").body, as: UTF8.self) == "alpha")
        #expect(String(decoding: try send("GET", "/kv?op=exists&key=a").body, as: UTF8.self) == "true")
        #expect(
            String(decoding: try send("GET", "/kv?op=keys").body, as: UTF8.self).split(separator: ",").sorted() == [
                "a", "hits",
            ])
        #expect(String(decoding: try send("GET", "/kv?op=delete&key=a").body, as: UTF8.self) == "deleted")
        #expect(String(decoding: try send("GET", "/kv?op=exists&key=a").body, as: UTF8.self) == "false")
        // error::no-such-key is case 4; a store the component may not use is access-denied (2).
        let missing = try send("GET", "/kv?op=get&key=a")
        #expect(missing.status == 500)
        #expect(String(decoding: missing.body, as: UTF8.self) == "error=4")
        #expect(String(decoding: try send("GET", "/kv?op=get&store=other").body, as: UTF8.self) == "error=2")
    }

    @Test func unsupportedInterfacesAnswerTheirErrorCase() throws {
        let r = try send("GET", "/unsupported")
        #expect(
            String(decoding: r.body, as: UTF8.self) == """
                mysql=1:error=5: MySQL is not supported yet
                sqlite=1:error=4: sqlite is not supported by this host
                llm=1:error=1: llm is not supported by this host
                """)
        #expect(log.lines.contains { $0.contains("fermyon:spin/llm.infer: llm is not supported by this host") })
    }

    @Test func outboundHTTPRefusedByTheAllowList() throws {
        // No allowed_outbound_hosts: http-error::destination-not-allowed (1), not a trap.
        let r = try send("GET", "/http?url=http://127.0.0.1:1/")
        #expect(r.status == 502)
        #expect(String(decoding: r.body, as: UTF8.self) == "error=1")
    }

    @Test func trapsAndBadStatusesFailTheRequest() throws {
        #expect(throws: Trap.self) { try send("GET", "/trap") }
        let bad = try #require(throws: ExecutorError.self) { try send("GET", "/status?code=700") }
        #expect(bad.message == "the guest returned the invalid status 700")
        #expect(try send("GET", "/status?code=204").status == 204)
    }

    /// `cabi_post_…` runs once per call, with the return pointer, after the response was
    /// copied out (the guest frees the body there): two calls on one instance, then the
    /// fixture's count of post-return calls that got its response area.
    @Test func postReturnRunsOncePerCallAfterTheCopy() throws {
        let guest = try host.instantiate(component)
        defer { guest.close() }
        try guest.initializeIfNeeded()
        let body = String(repeating: "x", count: 100_000)
        for i in 1...2 {
            let r = try SpinPreview2HTTPExecutor.call(
                guest, methodIndex: 2, uri: "/big\(i)", headers: [], body: Array(body.utf8))
            #expect(
                String(decoding: r.body, as: UTF8.self) == "method=PUT\nuri=/big\(i)\nx-test=\nheaders=0\nbody=\(body)")
        }
        #expect(try guest.instance.invoke("spin15-post-returns") == [.i32(2)])
    }
}

/// A guest that breaks the canonical ABI (Fixtures/spin15/abi-violations.wat) traps: the
/// request fails (a 500 under `spin up`) instead of the host reading past memory or passing
/// on invalid text.
@Suite struct SpinPreview2ABIViolationTests {
    let component: LoadedComponent
    let host = GuestHost(output: GuestOutput(quiet: true))

    init() throws {
        let app = try LoadedApp.load(path: try Preview2.app(Preview2.httpApp(), wasm: "abi-violations.wasm"))
        component = try #require(app.components["guest"])
    }

    func send(_ method: String, body: Int = 0) throws -> HTTPResponse {
        try SpinPreview2HTTPExecutor.execute(
            component, host: host, method: method, uri: "/", headers: [], body: Array(repeating: 0x61, count: body))
    }

    @Test func aValidResponseFromTheSameGuestIsServed() throws {
        let r = try send("PUT")
        #expect(r.status == 200)
        #expect(r.headers.map { "\($0.name): \($0.value)" } == ["x-ok: x-ok"])
        #expect(r.body.isEmpty)
    }

    @Test func aPointerPastMemoryTraps() throws {
        let trap = try #require(throws: Trap.self) { try send("GET") }
        #expect(trap.message.contains("out of bounds"), "\(trap.message)")
    }

    @Test func invalidUTF8Traps() throws {
        let trap = try #require(throws: Trap.self) { try send("POST") }
        #expect(trap.message.lowercased().contains("utf-8"), "\(trap.message)")
    }

    @Test func aReallocPointerPastMemoryTraps() throws {
        let trap = try #require(throws: Trap.self) { try send("PUT", body: 7777) }
        #expect(trap.message == "realloc return: beyond end of memory", "\(trap.message)")
    }
}
