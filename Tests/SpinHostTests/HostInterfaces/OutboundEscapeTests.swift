import Foundation
import Testing

@testable import SpinHost

/// Ways a guest might reach a host outside `allowed_http_hosts`: another spelling of an
/// allowed host (IP literal for a name, case, trailing dot), userinfo, bytes the resolver
/// reads differently from the allow-list (NUL, percent, backslash, non-ASCII), and redirects.
@Suite(.serialized) struct OutboundEscapeTests {
    func decision(_ list: [String], _ uri: String) -> String {
        switch AllowedOutboundHosts(list).resolve(uri: uri, origin: nil) {
        case .success: "allowed"
        case .failure(.destinationNotAllowed): "denied"
        case .failure(.invalidURL): "invalid"
        case .failure(let e): "\(e)"
        }
    }

    @Test func ipLiteralIsNotTheNameItResolvesTo() {
        let byName = ["http://localhost:8080"]
        for uri in [
            "http://127.0.0.1:8080/", "http://[::1]:8080/", "http://127.1:8080/", "http://2130706433:8080/",
            "http://0x7f000001:8080/", "http://0177.0.0.1:8080/",
        ] {
            #expect(decision(byName, uri) == "denied", "\(uri)")
        }
        let byAddress = ["http://127.0.0.1:8080"]
        #expect(decision(byAddress, "http://127.0.0.1:8080/") == "allowed")
        for uri in [
            "http://localhost:8080/", "http://127.1:8080/", "http://127.0.0.01:8080/",
            "http://[::ffff:127.0.0.1]:8080/",
        ] {
            #expect(decision(byAddress, uri) == "denied", "\(uri)")
        }
    }

    @Test func userinfoDoesNotChooseTheHost() {
        let list = ["http://allowed.test"]
        #expect(decision(list, "http://user:pw@allowed.test/") == "allowed")
        for uri in [
            "http://allowed.test@evil.test/", "http://allowed.test:80@evil.test/", "http://allowed.test:80:@evil.test/",
            "http://a@allowed.test@evil.test/",
        ] {
            #expect(decision(list, uri) == "denied", "\(uri)")
            #expect(ParsedURL(uri)?.host == "evil.test", "\(uri)")
        }
        // Delimiters after the host end the authority: the host is the one before them.
        for uri in [
            "http://evil.test#@allowed.test/", "http://evil.test?@allowed.test/", "http://evil.test/@allowed.test",
        ] {
            #expect(decision(list, uri) == "denied", "\(uri)")
        }
        // A backslash is not a delimiter to us, but is to WHATWG parsers: refused outright.
        #expect(decision(list, "http://evil.test\\@allowed.test/") == "invalid")
    }

    @Test func caseAndTrailingDotVariants() {
        let list = ["http://allowed.test", "https://*.wild.test"]
        #expect(decision(list, "http://ALLOWED.Test/") == "allowed")
        #expect(decision(list, "HTTP://allowed.test/") == "allowed")
        #expect(decision(list, "https://API.Wild.TEST/") == "allowed")
        // The exact-name rule of Spin 1.x: a trailing dot is another string, hence denied.
        #expect(decision(list, "http://allowed.test./") == "denied")
        #expect(decision(list, "https://api.wild.test./") == "denied")
        #expect(decision(list, "https://wild.test/") == "denied")
        #expect(decision(list, "https://evilwild.test/") == "denied")
        #expect(decision(list, "https://wild.test.evil/") == "denied")
        #expect(decision(["http://allowed.test."], "http://allowed.test/") == "denied")
    }

    @Test func hostsTheResolverWouldReadDifferentlyAreInvalid() {
        let list = ["https://*.allowed.test", "http://allowed.test"]
        for uri in [
            "https://evil.test\0.allowed.test/", "http://allowed.test\0/", "https://evil%2etest.allowed.test/",
            "http://allowed%2Etest/", "https://evil.test%00.allowed.test/", "http://allowed.tést/",
            "http://allowed.test\t/", "http://allo wed.test/", "http://[::1%25eth0]/",
        ] {
            #expect(decision(list, uri) == "invalid", "\(uri.debugDescription)")
        }
    }

    /// Redirects from an allowed server to another one, in every spelling, are returned to
    /// the guest as they are, and the other server never hears from us.
    @Test func redirectsToDisallowedHostsAreNotFollowed() throws {
        let evil = try TinyHTTPServer { _, _ in TinyHTTPServer.response(200, "evil") }
        defer { evil.stop() }
        let e = evil.port
        let locations = [
            "http://127.0.0.1:\(e)/", "//127.0.0.1:\(e)/", "http://localhost:\(e)/", "http://LOCALHOST:\(e)/x",
            "http://127.0.0.1:\(e)./", "http://ignored@127.0.0.1:\(e)/",
        ]
        let allowedServer = try TinyHTTPServer { head, _ in
            let index = Int(head.split(separator: " ")[1].dropFirst()) ?? 0
            return TinyHTTPServer.response(302, "", headers: ["location: \(locations[index])"])
        }
        defer { allowedServer.stop() }
        let origin = "http://127.0.0.1:\(allowedServer.port)"
        // Userinfo naming the allowed server, for a redirect that goes elsewhere.
        let sneaky = "http://127.0.0.1:\(allowedServer.port)@127.0.0.1:\(e)/"
        let list = AllowedOutboundHosts([origin])
        for (i, location) in locations.enumerated() {
            let r = try HTTPClient.send(
                OutboundHTTPRequest(method: "GET", url: "\(origin)/\(i)"), isAllowed: { list.allows($0) })
            #expect(r.status == 302, "\(location)")
        }
        #expect(decision([origin], sneaky) == "denied")
        #expect(evil.requests.isEmpty, "the disallowed server was contacted: \(evil.requests.map(\.head))")
    }

    /// The same through a real guest (Fixtures/hostif/outbound_http.wasm) and the Spin interfaces.
    @Test func guestCannotReachADisallowedServer() throws {
        let evil = try TinyHTTPServer { _, _ in TinyHTTPServer.response(200, "evil") }
        defer { evil.stop() }
        let allowed = try TinyHTTPServer { _, _ in
            TinyHTTPServer.response(307, "", headers: ["location: http://localhost:\(evil.port)/"])
        }
        defer { allowed.stop() }
        let app = try HostIf.app(HostIf.v1("allowed_http_hosts = [\"127.0.0.1:\(allowed.port)\"]"))
        let services = try HostIf.services(app)
        let wasm = HostIf.fixture("outbound_http.wasm")
        func fetch(_ url: String) throws -> String {
            let ctx = GuestContext(component: app.components[0], services: services)
            return try HostIf.call(wasm, context: ctx, uri: "/?url=" + url).text
        }
        let a = allowed.port, e = evil.port
        for url in [
            "http://127.0.0.1:\(a)@127.0.0.1:\(e)/", "http://localhost:\(e)/", "http://LOCALHOST:\(e)/",
            "http://127.0.0.1:\(e)/", "http://2130706433:\(e)/",
        ] {
            #expect(try fetch(url) == "error=destination-not-allowed", "\(url)")
        }
        #expect(try fetch("http://127.0.0.1:\(a)/") == "status=307\n")
        #expect(evil.requests.isEmpty, "the disallowed server was contacted: \(evil.requests.map(\.head))")
    }
}
