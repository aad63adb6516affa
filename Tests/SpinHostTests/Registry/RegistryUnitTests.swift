import Foundation
import Testing

@testable import SpinHost

/// Registry pieces that need no server: references, challenges, digests, the locked app.
struct RegistryUnitTests {
    @Test func referencesFollowDockersRules() throws {
        let local = try ImageReference(parsing: "127.0.0.1:5000/team/app:v1.2")
        #expect(local.registry == "127.0.0.1:5000" && local.repository == "team/app" && local.tag == "v1.2")
        #expect(local.digest == nil && local.manifestReference == "v1.2")
        #expect(local.description == "127.0.0.1:5000/team/app:v1.2")

        let hub = try ImageReference(parsing: "hello")
        #expect(hub.registry == "docker.io" && hub.repository == "library/hello" && hub.manifestReference == "latest")

        let digest = "sha256:" + String(repeating: "ab", count: 32)
        let pinned = try ImageReference(parsing: "ghcr.io/o/app@" + digest)
        #expect(pinned.registry == "ghcr.io" && pinned.tag == nil && pinned.manifestReference == digest)
        #expect(try ImageReference(parsing: "localhost/app").registry == "localhost")
        #expect(try ImageReference(parsing: "oci://ghcr.io/o/app:1").tag == "1")
    }

    @Test(arguments: [
        ("", "it is empty"),
        ("ghcr.io/o/App", "repository segment `App`"),
        ("ghcr.io/o/app:", "invalid tag ``"),
        ("ghcr.io/o/app@sha256:12", "the digest must be `sha256:` and 64 hex digits, found `sha256:12`"),
        ("ghcr.io//app", "repository segment ``"),
    ])
    func badReferencesSayWhatIsWrong(text: String, why: String) {
        #expect {
            try ImageReference(parsing: text)
        } throws: { error in
            "\(error)" == "invalid registry reference `\(text)`: \(why)"
                || "\(error)".hasPrefix("invalid registry reference `\(text)`: \(why)")
        }
    }

    @Test func onlyReferencesNamingARegistryLookLikeOnes() {
        #expect(ImageReference.looksLikeReference("127.0.0.1:5000/app:v1"))
        #expect(ImageReference.looksLikeReference("ghcr.io/owner/app:1.0"))
        #expect(ImageReference.looksLikeReference("localhost/app"))
        for path in ["spin.toml", "app", "apps/spin.toml", "./x/spin.toml", "dir/app.wasm", "/abs/path", "a/b"] {
            #expect(!ImageReference.looksLikeReference(path), "\(path)")
        }
    }

    /// Plain HTTP for loopback names (or with --insecure), HTTPS otherwise; Docker Hub's API host.
    @Test func theSchemeFollowsTheHost() throws {
        let none = RegistryCredential(username: "", password: "")
        for (registry, scheme) in [
            ("127.0.0.1:5000", "http"), ("localhost", "http"), ("[::1]:5000", "http"), ("ghcr.io", "https"),
            ("127.0.0.2:5000", "https"), ("registry.local:443", "https"),
        ] {
            #expect(try RegistryClient(registry: registry, credential: none).scheme == scheme, "\(registry)")
        }
        #expect(try RegistryClient(registry: "ghcr.io", insecure: true, credential: none).scheme == "http")
        #expect(try RegistryClient(registry: "docker.io", credential: none).registry == "index.docker.io")
    }

    @Test func challengesParseAsRFC7235() throws {
        let bearer = try #require(
            RegistryAuthChallenge(
                #"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/x:pull""#
            ))
        #expect(bearer.scheme == "bearer")
        #expect(
            bearer.parameters == [
                "realm": "https://auth.docker.io/token", "service": "registry.docker.io",
                "scope": "repository:library/x:pull",
            ])
        let basic = try #require(RegistryAuthChallenge(#"Basic realm="a \"quoted\" realm""#))
        #expect(basic.scheme == "basic" && basic.parameters["realm"] == #"a "quoted" realm"#)
        #expect(RegistryAuthChallenge("Bearer realm=x, service=y")?.parameters == ["realm": "x", "service": "y"])
        #expect(RegistryAuthChallenge("") == nil)
    }

    @Test func digestsAreSHA256AndMismatchesNameBoth() {
        #expect(Digest.sha256([]) == "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        let right = Digest.sha256(Array("abc".utf8))
        #expect(right == "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(throws: Never.self) { try Digest.check(Array("abc".utf8), expected: right, what: "x") }
        #expect {
            try Digest.check(Array("abd".utf8), expected: right, what: "layer 3")
        } throws: { error in
            "\(error)" == "digest mismatch for layer 3: expected \(right), got \(Digest.sha256(Array("abd".utf8)))"
        }
    }

    @Test func credentialsEncodeAsSpinStoresThem() throws {
        let c = RegistryCredential(username: "alice", password: "pa:ss")
        #expect(c.encoded == "YWxpY2U6cGE6c3M=")
        #expect(RegistryCredential(encoded: c.encoded) == c)
        #expect(RegistryCredential(encoded: "not base64!") == nil)
        #expect(RegistryCredentials.serverKey("https://ghcr.io/v2/") == "ghcr.io")
        #expect(RegistryCredentials.serverKey("127.0.0.1:5000") == "127.0.0.1:5000")
        #expect(RegistryCredentials.serverKey("docker.io") == "index.docker.io")
    }

    @Test func errorsPrintTheirCausesAsSpinDoes() {
        let e = RegistryError("inner").context("outer")
        #expect(e.description == "outer\n\nCaused by:\n      inner")
        #expect(e.context("top").description == "top\n\nCaused by:\n   0: outer\n   1: inner")
    }

    /// The locked app of a manifest reads back into the same triggers and components.
    @Test func theLockedAppRoundTrips() throws {
        let dir = NSTemporaryDirectory() + "locked-app-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let manifest = try Manifest.parse(
            """
            spin_manifest_version = 2
            [application]
            name = "locked"
            version = "2.0.0"
            description = "round trip"
            authors = ["a", "b"]
            [application.trigger.redis]
            address = "redis://127.0.0.1:6379"
            [variables]
            greeting = { default = "hi" }
            token = { required = true, secret = true }
            [[trigger.http]]
            route = "/api/..."
            component = "api"
            [[trigger.http]]
            route = "/cgi"
            component = "cgi"
            executor = { type = "wagi", argv = "x ${ARGS}" }
            [[trigger.redis]]
            channel = "events"
            component = "api"
            [component.api]
            source = "api.wasm"
            environment = { A = "1" }
            allowed_outbound_hosts = ["https://example.com"]
            key_value_stores = ["default"]
            variables = { message = "{{ greeting }}" }
            [component.cgi]
            source = "cgi.wasm"
            """, path: dir + "/spin.toml")
        let fileDigest = Digest.sha256(Array("content".utf8))
        let cache = RegistryCache(root: dir + "/cache")
        try cache.write(Array("content".utf8), to: cache.dataPath(fileDigest))
        let json = LockedApp.json(
            for: manifest,
            content: [
                "api": .init(wasmDigest: Digest.sha256([1]), files: [.init(path: "a/b.txt", digest: fileDigest)]),
                "cgi": .init(wasmDigest: Digest.sha256([2]), files: []),
            ])
        let back = try LockedApp.manifest(
            from: json, origin: "test", cache: cache, mountDirectory: dir + "/mounts", baseDirectory: dir)
        #expect(back.name == "locked" && back.version == "2.0.0" && back.description == "round trip")
        #expect(back.authors == ["a", "b"] && back.redisAddress == "redis://127.0.0.1:6379")
        #expect(back.variables == manifest.variables)
        #expect(back.httpTriggers == manifest.httpTriggers)
        #expect(back.redisTriggers == manifest.redisTriggers)
        let api = try #require(back.component(id: "api"))
        let original = try #require(manifest.component(id: "api"))
        #expect(api.source == .file(cache.wasmPath(Digest.sha256([1]))))
        #expect(api.environment == original.environment && api.variables == original.variables)
        #expect(api.allowedOutboundHosts == original.allowedOutboundHosts && api.keyValueStores == ["default"])
        #expect(api.files == [.placement(source: dir + "/mounts/api", destination: "/")])
        #expect(FileManager.default.contents(atPath: dir + "/mounts/api/a/b.txt") == Data("content".utf8))
        #expect(back.component(id: "cgi")?.files == [])
    }

    /// A component id from the registry never names a folder outside the mount folder.
    @Test func aHostileComponentIDStaysInsideTheMountFolder() throws {
        let dir = NSTemporaryDirectory() + "locked-id-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let json =
            #"{"spin_lock_version": 1, "triggers": [], "components": [{"id": "../../escape", "source": {"digest": "sha256:0000000000000000000000000000000000000000000000000000000000000000"}, "files": [{"path": "f.txt", "inline": "aGk="}]}]}"#
        let app = try LockedApp.manifest(
            from: Array(json.utf8), origin: "x", cache: RegistryCache(root: dir + "/cache"),
            mountDirectory: dir + "/mounts/m", baseDirectory: dir)
        #expect(app.components.first?.files == [.placement(source: dir + "/mounts/m/______escape", destination: "/")])
        #expect(FileManager.default.contents(atPath: dir + "/mounts/m/______escape/f.txt") == Data("hi".utf8))
        #expect(!FileManager.default.fileExists(atPath: dir + "/escape"))
    }

    @Test(arguments: [
        (#"{"spin_lock_version": 2, "triggers": [], "components": []}"#, "`spin_lock_version` must be 0 or 1, found 2"),
        (
            #"{"spin_lock_version": 1, "must_understand": ["frobs"], "triggers": [], "components": []}"#,
            "`must_understand` names `frobs`"
        ),
        (
            #"{"spin_lock_version": 1, "triggers": [{"id": "t", "trigger_type": "http", "trigger_config": {"component": "nope", "route": "/"}}], "components": []}"#,
            "trigger `t` names component `nope`, which the app does not have"
        ),
        (
            #"{"spin_lock_version": 1, "triggers": [], "components": [{"id": "c", "source": {"content_type": "application/wasm", "digest": "sha256:00"}}]}"#,
            "component `c`: source digest `sha256:00` is not sha256:HEX"
        ),
        (
            #"{"spin_lock_version": 1, "triggers": [], "components": [{"id": "c", "source": {"digest": "sha256:0000000000000000000000000000000000000000000000000000000000000000"}, "files": [{"path": "../x", "inline": ""}]}]}"#,
            "component `c`: files[0]: unsafe path `../x`"
        ),
    ])
    func badLockedAppsAreRefusedNamingTheProblem(json: String, why: String) {
        let dir = NSTemporaryDirectory() + "locked-bad-\(getpid())"
        #expect {
            try LockedApp.manifest(
                from: Array(json.utf8), origin: "x", cache: RegistryCache(root: dir), mountDirectory: dir,
                baseDirectory: dir)
        } throws: { error in
            "\(error)".hasPrefix("locked app x: \(why)")
        }
    }
}
