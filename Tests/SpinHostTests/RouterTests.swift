import Testing

@testable import HTTP1
@testable import SpinHost

@Suite struct RouterTests {
    @Test func patternConstruction() {
        #expect(RoutePattern.from(base: "/", route: "/") == .exact(""))
        #expect(RoutePattern.from(base: "/base/", route: "/foo/") == .exact("/base/foo"))
        #expect(RoutePattern.from(base: "/", route: "/...") == .wildcard(""))
        #expect(RoutePattern.from(base: "/", route: "/foo/...") == .wildcard("/foo"))
        #expect(RoutePattern.from(base: "/base", route: "/foo/...") == .wildcard("/base/foo"))
        #expect(RoutePattern.from(base: "/", route: "foo") == .exact("/foo"))
        #expect(RoutePattern.from(base: "/", route: "foo/...") == .wildcard("/foo"))
        // Only one trailing slash is stripped.
        #expect(RoutePattern.from(base: "/", route: "/foo//") == .exact("/foo/"))
        #expect(RoutePattern.sanitize("/a//") == "/a/")
        #expect(RoutePattern.sanitize("/") == "")
    }

    @Test func exactMatching() {
        let p = RoutePattern.from(base: "/", route: "/foo")
        #expect(p.matches(path: "/foo"))
        #expect(p.matches(path: "/foo/"))
        #expect(!p.matches(path: "/foo/bar"))
        #expect(!p.matches(path: "/fo"))
        #expect(!p.matches(path: "/foobar"))
        let root = RoutePattern.from(base: "/", route: "/")
        #expect(root.matches(path: "/"))
        #expect(!root.matches(path: "/a"))
    }

    @Test func wildcardMatching() {
        let p = RoutePattern.from(base: "/", route: "/foo/...")
        #expect(p.matches(path: "/foo"))
        #expect(p.matches(path: "/foo/"))
        #expect(p.matches(path: "/foo/bar/baz"))
        #expect(!p.matches(path: "/"))
        #expect(!p.matches(path: "/foobar"))
        let all = RoutePattern.from(base: "/", route: "/...")
        #expect(all.matches(path: "/"))
        #expect(all.matches(path: "/anything/at/all"))
    }

    @Test func exactBeatsWildcard() {
        let r = Router(routes: [("one", "/one"), ("all", "/...")])
        #expect(r.route(path: "/one")?.componentID == "one")
        #expect(r.route(path: "/two")?.componentID == "all")
        let r2 = Router(routes: [("all", "/..."), ("one", "/one")])
        #expect(r2.route(path: "/one")?.componentID == "one")
        #expect(r2.route(path: "/one/")?.componentID == "one")
        #expect(r2.route(path: "/one/x")?.componentID == "all")
    }

    @Test(arguments: [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]])
    func longestWildcardWins(order: [Int]) {
        let all = [("c1", "/one/..."), ("c2", "/one/two/..."), ("c3", "/one/two/three/...")]
        let r = Router(routes: order.map { all[$0] })
        #expect(r.route(path: "/one/two/three/four")?.componentID == "c3")
        #expect(r.route(path: "/one/two/three")?.componentID == "c3")
        #expect(r.route(path: "/one/two/thre")?.componentID == "c2")
        #expect(r.route(path: "/one/x")?.componentID == "c1")
        #expect(r.route(path: "/x") == nil)
    }

    @Test func firstExactInManifestOrderWins() {
        // Different routes that normalise to the same exact pattern are duplicates; last wins.
        let r = Router(routes: [("a", "/x"), ("b", "/x/")])
        #expect(r.route(path: "/x")?.componentID == "b")
        #expect(r.entries.count == 1)
    }

    @Test func duplicatesLastWinsKeepsSlot() {
        let r = Router(
            base: "/",
            routes: [
                ("a", "/dup"), ("b", "/other"), ("c", "/dup"), ("d", "/"), ("e", "/"), ("f", "/w/..."), ("g", "/w/..."),
            ])
        #expect(r.entries.map(\.componentID) == ["c", "b", "e", "g"])
        #expect(r.route(path: "/dup")?.componentID == "c")
        #expect(
            r.duplicateWarningLines == [
                "The following component routes are duplicates and will never be used:",
                "  a: /dup (duplicate of c)",
                "  d: / (duplicate of e)",
                "  f: /w/... (duplicate of g)",
            ])
        #expect(Router(routes: [("a", "/a")]).duplicateWarningLines.isEmpty)
    }

    @Test func noMatch() {
        let r = Router(routes: [("a", "/a"), ("b", "/b/...")])
        #expect(r.route(path: "/") == nil)
        #expect(r.route(path: "/c") == nil)
        #expect(r.route(path: "/bb") == nil)
    }

    @Test func baseApplies() {
        let r = Router(base: "/base", routes: [("a", "/foo/..."), ("b", "/exact")])
        #expect(r.route(path: "/base/foo/bar")?.componentID == "a")
        #expect(r.route(path: "/base/exact")?.componentID == "b")
        #expect(r.route(path: "/foo/bar") == nil)
    }

    @Test func rawPathNotDecoded() {
        let r = Router(routes: [("a", "/hello world"), ("b", "/hello%20world")])
        #expect(r.route(path: "/hello%20world")?.componentID == "b")
    }

    // MARK: well-known

    @Test func wellKnown() {
        let health = SpinWellKnown.response(path: "/.well-known/spin/health", appName: "app", appVersion: "1.0.0")
        #expect(health?.status == 200)
        #expect(health?.body == Array("OK".utf8))
        let info = SpinWellKnown.response(path: "/.well-known/spin/info", appName: "my \"app\"", appVersion: "1.2.3")
        #expect(info?.status == 200)
        #expect(info?.header("content-type") == "application/json")
        #expect(
            String(decoding: info!.body, as: UTF8.self)
                == "{\n  \"name\": \"my \\\"app\\\"\",\n  \"version\": \"1.2.3\",\n  \"bindle_version\": null\n}")
        #expect(SpinWellKnown.response(path: "/.well-known/spin/other", appName: "a", appVersion: nil)?.status == 404)
        #expect(SpinWellKnown.response(path: "/.well-known/spin/health/", appName: "a", appVersion: nil)?.status == 404)
        #expect(SpinWellKnown.response(path: "/.well-known/other", appName: "a", appVersion: nil) == nil)
        #expect(SpinWellKnown.response(path: "/health", appName: "a", appVersion: nil) == nil)
    }

    // MARK: special headers

    func values(_ v: [SpinSpecialValue]) -> [String: String] {
        Dictionary(uniqueKeysWithValues: v.map { ($0.header, $0.value) })
    }

    @Test func workedExampleWithBase() {
        let v = SpinSpecialHeaders.compute(
            path: "/base/foo/bar", pathAndQuery: "/base/foo/bar?key1=value1&key2=value2",
            host: "fermyon.dev", scheme: "https", base: "/base", rawRoute: "/foo/...",
            clientAddress: "127.0.0.1:8777")
        #expect(
            v.map(\.header) == [
                "spin-path-info", "spin-full-url", "spin-matched-route", "spin-base-path",
                "spin-raw-component-route", "spin-component-route", "spin-client-addr",
            ])
        #expect(
            v.map(\.wagiVariable) == [
                "PATH_INFO", "X_FULL_URL", "X_MATCHED_ROUTE", "X_BASE_PATH",
                "X_RAW_COMPONENT_ROUTE", "X_COMPONENT_ROUTE", "X_CLIENT_ADDR",
            ])
        let d = values(v)
        #expect(d["spin-full-url"] == "https://fermyon.dev/base/foo/bar?key1=value1&key2=value2")
        #expect(d["spin-path-info"] == "/bar")
        #expect(d["spin-matched-route"] == "/base/foo/...")
        #expect(d["spin-base-path"] == "/base")
        #expect(d["spin-raw-component-route"] == "/foo/...")
        #expect(d["spin-component-route"] == "/foo")
        #expect(d["spin-client-addr"] == "127.0.0.1:8777")
    }

    @Test func workedExampleRootBase() {
        let d = values(
            SpinSpecialHeaders.compute(
                path: "/foo/bar", pathAndQuery: "/foo/bar?key1=value1&key2=value2",
                host: "fermyon.dev", scheme: "https", base: "/", rawRoute: "/foo/...",
                clientAddress: "127.0.0.1:8777"))
        #expect(d["spin-matched-route"] == "/foo/...")
        #expect(d["spin-base-path"] == "/")
        #expect(d["spin-path-info"] == "/bar")
        #expect(d["spin-full-url"] == "https://fermyon.dev/foo/bar?key1=value1&key2=value2")
    }

    @Test func specialHeadersFromRequest() {
        let router = Router(base: "/", routes: [("hello", "/hello/...")])
        let req = HTTPRequest(
            method: "GET", target: "/hello/a%20b/?x=1",
            headers: [("Host", "127.0.0.1:3000"), ("spin-path-info", "spoof")],
            remoteAddress: "127.0.0.1:53412", localAddress: "127.0.0.1:3000")
        let entry = router.route(path: req.path)!
        let headers = SpinSpecialHeaders.headersForGuest(req, entry: entry, base: router.base)
        #expect(headers.count == 9)
        #expect(headers[0].name == "host" && headers[1].value == "spoof")
        let appended = Dictionary(uniqueKeysWithValues: headers.dropFirst(2).map { ($0.name, $0.value) })
        #expect(appended["spin-path-info"] == "/a%20b/")
        #expect(appended["spin-full-url"] == "http://127.0.0.1:3000/hello/a%20b/?x=1")
        #expect(appended["spin-client-addr"] == "127.0.0.1:53412")
        #expect(appended["spin-component-route"] == "/hello")

        let noHost = HTTPRequest(method: "GET", target: "/hello", remoteAddress: "127.0.0.1:1")
        let d = values(SpinSpecialHeaders.compute(for: noHost, entry: entry, base: "/"))
        #expect(d["spin-full-url"] == "http://localhost/hello")
        #expect(d["spin-path-info"] == "")
    }

    @Test func exactRoutePathInfo() {
        let d = values(
            SpinSpecialHeaders.compute(
                path: "/foo/", pathAndQuery: "/foo/", host: "h", base: "/", rawRoute: "/foo", clientAddress: "c"))
        #expect(d["spin-path-info"] == "/")
        #expect(d["spin-component-route"] == "/foo")
        #expect(d["spin-matched-route"] == "/foo")
    }

    // MARK: listing

    @Test func routeListing() {
        let router = Router(
            base: "/", routes: [("hello", "/hello"), ("all", "/..."), ("static", "/static/..."), ("root", "/")])
        let text = SpinRouteListing.format(
            baseURL: SpinRouteListing.baseURL(listenAddress: "127.0.0.1:3000"), router: router,
            descriptions: ["hello": "A simple component that returns hello."])
        #expect(
            text == """

                Serving http://127.0.0.1:3000
                Available Routes:
                  hello: http://127.0.0.1:3000/hello
                    A simple component that returns hello.
                  all: http://127.0.0.1:3000 (wildcard)
                  static: http://127.0.0.1:3000/static (wildcard)
                  root: http://127.0.0.1:3000

                """)
    }
}

@Suite struct SpinHTTPDispatchTests {
    @Test func wellKnownThenRoutesThen404() {
        let router = Router(base: "/", routes: [("hello", "/hello"), ("files", "/static/...")])
        let handler = SpinHTTPDispatch.handler(router: router, appName: "demo", appVersion: "0.1.0") { req, entry in
            HTTPResponse(status: 200, text: entry.componentID)
        }
        #expect(handler(HTTPRequest(method: "GET", target: "/.well-known/spin/health")).body == Array("OK".utf8))
        #expect(
            handler(HTTPRequest(method: "GET", target: "/.well-known/spin/info")).header("content-type")
                == "application/json")
        #expect(handler(HTTPRequest(method: "GET", target: "/.well-known/spin/nope")).status == 404)
        #expect(handler(HTTPRequest(method: "GET", target: "/hello?x=1")).body == Array("hello".utf8))
        #expect(handler(HTTPRequest(method: "POST", target: "/static/a/b.css")).body == Array("files".utf8))
        let missing = handler(HTTPRequest(method: "GET", target: "/missing"))
        #expect(missing.status == 404 && missing.body.isEmpty)
    }

    @Test func logLine() {
        let req = HTTPRequest(method: "GET", target: "/hello?x=1")
        #expect(HTTPServer.logLine(req, HTTPResponse(status: 200), .microseconds(1234)) == "GET /hello?x=1 200 1.234ms")
        #expect(HTTPServer.logLine(req, HTTPResponse(status: 404), .milliseconds(12)) == "GET /hello?x=1 404 12.000ms")
    }
}
