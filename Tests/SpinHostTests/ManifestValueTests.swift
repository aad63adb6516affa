import Foundation
import Testing

@testable import SpinHost

/// Manifest values this host cannot honour are errors at start that name the file, line and
/// key, never dropped silently (issue 22): outbound hosts and routes.
@Suite struct ManifestValueTests {
    static func v2(outbound: String, route: String = "/") -> String {
        """
        spin_manifest_version = 2

        [application]
        name = "x"

        [[trigger.http]]
        route = "\(route)"
        component = "a"

        [component.a]
        source = "a.wasm"
        allowed_outbound_hosts = [
            "https://fine.example.com",
            \(outbound),
        ]
        """
    }

    static let malformed: [(entry: String, says: String)] = [
        ("http://[::1", "closing `]`"),
        ("https://exa mple.com", "not a host name"),
        (":99999", "must include a scheme"),
        ("/path", "must include a scheme"),
        ("ftp://", "has no host"),
        ("https://example.com:99999", "not a port"),
        ("https://example.com:90..80", "not a port"),
        ("https://example.com/api", "must not include a path"),
        ("ht tp://example.com", "not a URL scheme"),
        ("https://{{ host }}", "variable template"),
        ("https://[zz::1]:80", "not an IPv6 address"),
    ]

    @Test(arguments: malformed)
    func malformedOutboundHostIsAnErrorAtItsLine(_ entry: String, _ says: String) throws {
        let error = try #require(manifestError(Self.v2(outbound: "\"\(entry)\"")), "`\(entry)` was accepted")
        #expect(error.kind == .invalidValue)
        #expect(error.key == "allowed_outbound_hosts")
        #expect(error.line == 14, "\(error)")
        #expect(error.description.hasPrefix("spin.toml:14: "), "\(error)")
        #expect(error.message.contains(entry) && error.message.contains(says), "\(error)")
    }

    static let wellFormed = [
        "https://*.example.com", "*://*:*", "redis://cache:6379", "postgres://db:5432", "http://localhost:8000..8080",
        "http://[::1]:3000", "https://example.com/", "self", "http://self", "mysql://*:*", "https://EXAMPLE.com:443",
    ]

    @Test(arguments: wellFormed)
    func wellFormedOutboundHostsLoad(_ entry: String) {
        #expect(manifestError(Self.v2(outbound: "\"\(entry)\"")) == nil, "`\(entry)` was refused")
    }

    @Test func v1AllowedHTTPHostsAreCheckedToo() throws {
        let text = """
            spin_manifest_version = "1"
            name = "x"
            version = "1.0.0"
            trigger = { type = "http", base = "/" }

            [[component]]
            id = "a"
            source = "a.wasm"
            allowed_http_hosts = ["example.com", "bad host.com"]
            [component.trigger]
            route = "/a"
            """
        let error = try #require(manifestError(text))
        #expect(error.line == 9 && error.key == "allowed_http_hosts", "\(error)")
        #expect(error.message.contains("bad host.com"), "\(error)")
    }

    @Test func aRouteWithoutALeadingSlashIsAnError() throws {
        let error = try #require(manifestError(Self.v2(outbound: "\"self\"", route: "api")))
        #expect(error.key == "route" && error.line == 7, "\(error)")
        #expect(error.message.contains("route `api`") && error.message.contains("must start with `/`"), "\(error)")
        let v1 = """
            spin_manifest_version = "1"
            name = "x"
            version = "1.0.0"
            trigger = { type = "http", base = "/" }

            [[component]]
            id = "a"
            source = "a.wasm"
            [component.trigger]
            route = "hello/..."
            """
        let e1 = try #require(manifestError(v1))
        #expect(e1.key == "route" && e1.line == 10, "\(e1)")
    }
}
