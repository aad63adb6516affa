import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// One test's temporary folders (config, cache, state, apps), removed when it ends.
private final class Scratch {
    let root = NSTemporaryDirectory() + "spin-registry-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"

    /// A fresh folder under `root`.
    func folder(_ name: String) throws -> String {
        let path = root + "/" + name + "-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// XDG folders of a fresh user: no credentials, an empty cache.
    func freshUser() throws -> [String: String] {
        let home = try folder("home")
        return [
            "XDG_CONFIG_HOME": home + "/config", "XDG_CACHE_HOME": home + "/cache", "DOCKER_CONFIG": home + "/docker",
        ]
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }
}

/// Runs the built `spin` with `arguments`, `environment` added and `input` on stdin.
private func runSpin(_ arguments: [String], environment: [String: String], input: String? = nil) throws -> (
    status: Int32, out: String, err: String
) {
    let spin = try #require(spinExecutable(), "the spin executable has not been built")
    let p = Process()
    p.executableURL = URL(fileURLWithPath: spin)
    p.arguments = arguments
    p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let out = Pipe()
    let err = Pipe()
    let stdin = Pipe()
    p.standardOutput = out
    p.standardError = err
    p.standardInput = stdin
    try p.run()
    if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
    try stdin.fileHandleForWriting.close()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
}

/// One client's view of the requests the tests compare: status and body of each (the
/// server's port, which echoing guests repeat, written as PORT; the client address left out).
private func responses(_ up: SpinUpProcess, _ requests: [(String, String, String?)]) throws -> [String] {
    try requests.map { method, target, body in
        let r = try up.request(method, target, body: body)
        let text = r.text.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("spin-client-addr: ") }.joined(separator: "\n")
        return "\(method) \(target) -> \(r.status) \(text)".replacingOccurrences(of: ":\(up.port)", with: ":PORT")
    }
}

/// `spin registry push/pull/login` and `spin up --from REF` against a real registry
/// (Debian's docker-registry, started per test on a free port).
@Suite(.tags(.live), .enabled(if: RegistryTestServer.available, RegistryTestServer.skipMessage))
struct RegistryLiveTests {
    private static let helloRequests: [(String, String, String?)] = [
        ("GET", "/?name=John", nil), ("POST", "/", "{\"name\":\"Jane\"}"), ("DELETE", "/", nil), ("GET", "/", nil),
    ]

    @Test func thePushedExampleServesTheSameResponsesFromTheRegistry() throws {
        let registry = try RegistryTestServer()
        let scratch = Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let env = try scratch.freshUser()
        let ref = "\(registry.address)/hello-world:v1"
        let push = try runSpin(
            ["registry", "push", "-f", packageRoot + "/Examples/hello-world", ref], environment: env)
        #expect(push.status == 0, "\(push.err)")
        #expect(push.out.contains("Pushed with digest sha256:"), "\(push.out)")

        let state = try scratch.folder("state")
        let local = try SpinUpProcess(
            ["-f", packageRoot + "/Examples/hello-world", "--state-dir", state + "/local", "--log-dir", state + "/l1"])
        let expected = try responses(local, Self.helloRequests)
        local.stop()
        #expect(expected[0] == "GET /?name=John -> 200 Hello, John")

        // A tag the registry does not have is named in the error, with the registry's own code.
        let missing = try runSpin(["registry", "pull", "\(registry.address)/hello-world:v2"], environment: env)
        #expect(missing.status == 1)
        #expect(
            missing.err.contains(
                "GET manifest hello-world:v2: \(registry.address) answered 404 (MANIFEST_UNKNOWN: manifest unknown)"),
            "\(missing.err)")

        let remote = try SpinUpProcess(
            ["--from", ref, "--state-dir", state + "/remote", "--log-dir", state + "/l2"], environment: env)
        #expect(try responses(remote, Self.helloRequests) == expected)
        remote.stop()

        // The cache holds Spin's layout: the manifest and locked app by reference, the module by digest.
        let cache = env["XDG_CACHE_HOME"]! + "/spin/registry"
        let manifestDir = cache + "/manifests/\(registry.address)/hello-world/v1"
        let manifest = try String(contentsOfFile: manifestDir + "/manifest.json", encoding: .utf8)
        // Spin 3's layout: an image config, the module and the locked app as layers, inferred annotations.
        #expect(manifest.contains("\"config\":{\"digest\":\"sha256:"), "\(manifest)")
        #expect(manifest.contains("\"mediaType\":\"application/vnd.oci.image.config.v1+json\""))
        #expect(manifest.contains("\"mediaType\":\"application/vnd.fermyon.spin.application.v1+config\""))
        #expect(manifest.contains("\"mediaType\":\"application/vnd.wasm.content.layer.v1+wasm\""))
        #expect(manifest.contains("\"org.opencontainers.image.title\":\"hello-world\""))
        #expect(manifest.contains("\"org.opencontainers.image.version\":\"1.0.0\""))
        let locked = try String(contentsOfFile: manifestDir + "/config.json", encoding: .utf8)
        #expect(locked.contains("\"spin_lock_version\" : 0") && locked.contains("\"route\" : \"/...\""), "\(locked)")
        let modules = try FileManager.default.contentsOfDirectory(atPath: cache + "/wasm")
        #expect(modules.count == 1 && modules[0].hasPrefix("sha256:"))
        let module = try Data(contentsOf: URL(fileURLWithPath: cache + "/wasm/" + modules[0]))
        #expect(module == (try Data(contentsOf: URL(fileURLWithPath: packageRoot + "/Examples/hello-world/main.wasm"))))
    }

    /// Several components sharing a module, WAGI, environment and mounted files: small ones
    /// inline in the locked app, larger ones as layers, an empty one, one in a subfolder.
    @Test func anAppWithFilesAndWagiRoundTrips() throws {
        let registry = try RegistryTestServer()
        let scratch = Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let env = try scratch.freshUser()
        let app = try scratch.folder("fixtures") + "/http"
        try FileManager.default.copyItem(atPath: packageRoot + "/Fixtures/http", toPath: app)
        let big = String(repeating: "0123456789abcdef", count: 64)
        try big.write(toFile: app + "/static/big.txt", atomically: true, encoding: .utf8)
        try "".write(toFile: app + "/static/empty.txt", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: app + "/static/sub", withIntermediateDirectories: true)
        try "nested\n".write(toFile: app + "/static/sub/nested.txt", atomically: true, encoding: .utf8)

        let ref = "\(registry.address)/fixtures/http:latest"
        let push = try runSpin(["registry", "push", "-f", app, ref, "-a", "org.example.note=hi"], environment: env)
        #expect(push.status == 0, "\(push.err)")
        let pull = try runSpin(["registry", "pull", ref], environment: env)
        #expect(pull.status == 0, "\(pull.err)")
        #expect(pull.out.contains("Successfully pulled \(ref)"), "\(pull.out)")
        let cache = env["XDG_CACHE_HOME"]! + "/spin/registry"
        let data = try FileManager.default.contentsOfDirectory(atPath: cache + "/data")
        #expect(data.count == 1, "only big.txt is a layer: \(data)")
        #expect(FileManager.default.contents(atPath: cache + "/data/" + data[0]) == Data(big.utf8))
        let modules = try FileManager.default.contentsOfDirectory(atPath: cache + "/wasm")
        #expect(modules.count == 6, "7 components, echo.wasm serving two: \(modules)")
        let dir = cache + "/manifests/\(registry.address)/fixtures/http/latest"
        let locked = try String(contentsOfFile: dir + "/config.json", encoding: .utf8)
        #expect(locked.contains("\"inline\" : \"\(Data("hello from a mounted file\n".utf8).base64EncodedString())\""))
        #expect(locked.contains("\"path\" : \"sub/nested.txt\""))
        #expect(locked.contains("\"type\" : \"wagi\""))
        let manifest = try String(contentsOfFile: dir + "/manifest.json", encoding: .utf8)
        #expect(manifest.contains("\"org.example.note\":\"hi\""))

        let requests: [(String, String, String?)] = [
            ("GET", "/static/hello.txt", nil), ("GET", "/static/big.txt", nil), ("GET", "/static/empty.txt", nil),
            ("GET", "/static/sub/nested.txt", nil), ("GET", "/static/missing", nil), ("GET", "/echo/x?y=1", nil),
            ("POST", "/echo/exact", "body"), ("GET", "/env/a", nil), ("GET", "/bad-status", nil),
        ]
        let state = try scratch.folder("state")
        let local = try SpinUpProcess(["-f", app, "--state-dir", state, "-q"])
        let expected = try responses(local, requests)
        local.stop()
        #expect(expected[0] == "GET /static/hello.txt -> 200 hello from a mounted file\n")
        #expect(expected[1] == "GET /static/big.txt -> 200 " + big)
        #expect(expected[2] == "GET /static/empty.txt -> 200 ")
        let remote = try SpinUpProcess(["--from", ref, "--state-dir", state, "-q"], environment: env)
        let got = try responses(remote, requests)
        // The pulled files live in the process's copy folder, which goes when it exits.
        let copies = NSTemporaryDirectory() + "spin-files-\(remote.process.processIdentifier)"
        let mounted = try FileManager.default.contentsOfDirectory(atPath: copies)
        #expect(mounted.count == 1 && mounted[0].hasPrefix("registry-"), "\(mounted)")
        #expect(FileManager.default.contents(atPath: "\(copies)/\(mounted[0])/wagi-files/big.txt") == Data(big.utf8))
        remote.stop()
        #expect(!FileManager.default.fileExists(atPath: copies))
        // WAGI's environment names the manifest's folder in a few CGI variables; compare the rest.
        #expect(got.count == expected.count)
        for (g, e) in zip(got, expected) where !g.hasPrefix("GET /env/") { #expect(g == e) }
        #expect(got[7].hasPrefix("GET /env/a -> 200 ") && got[7].contains("FIXTURE=wagi"), "\(got[7])")

        // SPIN_OCI_ARCHIVE_LAYERS: the files go as one gzipped tar per component; same responses.
        let archived = "\(registry.address)/fixtures/http:archived"
        var archiveEnv = try scratch.freshUser()
        let pushArchived = try runSpin(
            ["registry", "push", "-f", app, archived],
            environment: archiveEnv.merging(["SPIN_OCI_ARCHIVE_LAYERS": "1"]) { $1 })
        #expect(pushArchived.status == 0, "\(pushArchived.err)")
        archiveEnv["SPIN_OCI_ARCHIVE_LAYERS"] = nil
        let fromArchive = try SpinUpProcess(["--from", archived, "--state-dir", state, "-q"], environment: archiveEnv)
        let gotArchived = try responses(fromArchive, requests)
        fromArchive.stop()
        for (g, e) in zip(gotArchived, expected) where !g.hasPrefix("GET /env/") { #expect(g == e) }
        let archivedManifest = try String(
            contentsOfFile: archiveEnv["XDG_CACHE_HOME"]!
                + "/spin/registry/manifests/\(registry.address)/fixtures/http/archived/manifest.json",
            encoding: .utf8)
        #expect(archivedManifest.contains("application/vnd.wasm.content.bundle.v1.tar+gzip"))
        #expect(!archivedManifest.contains("application/vnd.wasm.content.layer.v1+data"))
    }

    @Test func aTamperedLayerIsRefusedWithADigestError() throws {
        let registry = try RegistryTestServer()
        let scratch = Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let env = try scratch.freshUser()
        let ref = "\(registry.address)/hello-world:tampered"
        let push = try runSpin(
            ["registry", "push", "-f", packageRoot + "/Examples/hello-world", ref], environment: env)
        #expect(push.status == 0, "\(push.err)")
        // Find the module's blob in the registry's storage and change one byte.
        let wasm = try Data(contentsOf: URL(fileURLWithPath: packageRoot + "/Examples/hello-world/main.wasm"))
        let blobs = registry.storage + "/docker/registry/v2/blobs"
        let files = FileManager.default.enumerator(atPath: blobs)?.compactMap { $0 as? String } ?? []
        let blob = try #require(
            files.map { blobs + "/" + $0 }.first {
                $0.hasSuffix("/data") && FileManager.default.contents(atPath: $0) == wasm
            })
        var tampered = wasm
        tampered[200] ^= 0xFF
        try tampered.write(to: URL(fileURLWithPath: blob))

        let state = try scratch.folder("state")
        let r = try runSpin(["up", "--from", ref, "--listen", "127.0.0.1:0", "--state-dir", state], environment: env)
        #expect(r.status == 1)
        #expect(r.err.contains("cannot pull Spin application from \(ref)"), "\(r.err)")
        #expect(r.err.contains("digest mismatch for layer 0 (Wasm module)"), "\(r.err)")
        let digest = URL(fileURLWithPath: blob).deletingLastPathComponent().lastPathComponent
        #expect(r.err.contains("expected sha256:\(digest), got sha256:"), "\(r.err)")
        // Nothing unchecked reached the cache.
        let wasmDir = env["XDG_CACHE_HOME"]! + "/spin/registry/wasm"
        #expect((try? FileManager.default.contentsOfDirectory(atPath: wasmDir))?.isEmpty ?? true)
    }

    @Test(.enabled(if: RegistryTestServer.htpasswd != nil, RegistryTestServer.htpasswdSkipMessage))
    func loginChecksCredentialsAndPushAndUpUseThem() throws {
        let registry = try RegistryTestServer(user: "alice", password: "s3cret")
        let scratch = Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let env = try scratch.freshUser()
        let ref = "\(registry.address)/hello-world:auth"
        let example = packageRoot + "/Examples/hello-world"

        let anonymous = try runSpin(["registry", "push", "-f", example, ref], environment: env)
        #expect(anonymous.status == 1)
        #expect(anonymous.err.contains("requires authentication; run `spin registry login \(registry.address)`"))

        let wrong = try runSpin(
            ["registry", "login", "-u", "alice", "--password-stdin", registry.address], environment: env,
            input: "wrong\n")
        #expect(wrong.status == 1)
        #expect(wrong.err.contains("cannot log in as alice to registry \(registry.address)"), "\(wrong.err)")
        #expect(wrong.err.contains("refused the credentials of alice (401 Unauthorized)"), "\(wrong.err)")
        let authFile = env["XDG_CONFIG_HOME"]! + "/fermyon/registry-auth.json"
        #expect(!FileManager.default.fileExists(atPath: authFile))

        let login = try runSpin(
            ["registry", "login", "-u", "alice", "--password-stdin", "http://\(registry.address)"], environment: env,
            input: "s3cret\n")
        #expect(login.status == 0, "\(login.err)")
        let saved = try String(contentsOfFile: authFile, encoding: .utf8)
        #expect(saved.contains("\"\(registry.address)\" : \"\(Data("alice:s3cret".utf8).base64EncodedString())\""))

        let push = try runSpin(["registry", "push", "-f", example, ref], environment: env)
        #expect(push.status == 0, "\(push.err)")
        let state = try scratch.folder("state")
        let up = try SpinUpProcess(["--from", ref, "--state-dir", state, "-q"], environment: env)
        #expect(try up.request("GET", "/?name=Alice").text == "Hello, Alice")
        up.stop()

        // -p works too; a password given twice is a usage error.
        let p = try runSpin(["registry", "login", "-u", "alice", "-p", "s3cret", registry.address], environment: env)
        #expect(p.status == 0, "\(p.err)")
        let both = try runSpin(
            ["registry", "login", "-u", "alice", "-p", "x", "--password-stdin", registry.address], environment: env,
            input: "x")
        #expect(both.status == 2 && both.err.contains("cannot be used together"))
    }

    /// `source = { url, digest }`: downloaded into the same cache, its digest checked.
    @Test func aURLSourceIsDownloadedIntoTheCacheAndChecked() throws {
        let registry = try RegistryTestServer()
        let scratch = Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let env = try scratch.freshUser()
        let push = try runSpin(
            ["registry", "push", "-f", packageRoot + "/Examples/hello-world", "\(registry.address)/hello:v1"],
            environment: env)
        #expect(push.status == 0, "\(push.err)")
        // The registry serves the module as a blob: a plain-HTTP URL for a v2 manifest.
        let wasm = try Data(contentsOf: URL(fileURLWithPath: packageRoot + "/Examples/hello-world/main.wasm"))
        let blobs = registry.storage + "/docker/registry/v2/blobs"
        let files = FileManager.default.enumerator(atPath: blobs)?.compactMap { $0 as? String } ?? []
        let blob = try #require(
            files.map { blobs + "/" + $0 }.first {
                $0.hasSuffix("/data") && FileManager.default.contents(atPath: $0) == wasm
            })
        let digest = "sha256:" + URL(fileURLWithPath: blob).deletingLastPathComponent().lastPathComponent
        let url = "http://\(registry.address)/v2/hello/blobs/\(digest)"

        func app(digest: String) throws -> String {
            let dir = try scratch.folder("url-app")
            try """
            spin_manifest_version = 2
            [application]
            name = "remote"
            [[trigger.http]]
            route = "/..."
            component = "remote-hello"
            [component.remote-hello]
            source = { url = "\(url)", digest = "\(digest)" }
            allowed_outbound_hosts = []
            """.write(toFile: dir + "/spin.toml", atomically: true, encoding: .utf8)
            return dir
        }
        let state = try scratch.folder("state")
        let good = try SpinUpProcess(["-f", try app(digest: digest), "--state-dir", state, "-q"], environment: env)
        #expect(try good.request("GET", "/?name=URL").text == "Hello, URL")
        good.stop()
        let cached = env["XDG_CACHE_HOME"]! + "/spin/registry/wasm/" + digest
        #expect(FileManager.default.contents(atPath: cached) == wasm)

        let wrongDigest = "sha256:" + String(repeating: "0", count: 64)
        let bad = try runSpin(
            ["up", "-f", try app(digest: wrongDigest), "--listen", "127.0.0.1:0", "--state-dir", state],
            environment: env)
        #expect(bad.status == 1)
        #expect(
            bad.err.contains(
                "component `remote-hello`: source \(url) does not match its digest: expected \(wrongDigest), got \(digest)"
            ),
            "\(bad.err)")
    }

    /// A registry that is not on localhost is spoken to over HTTPS, through the spin-tls
    /// helper, which verifies its certificate: a self-signed one is refused.
    @Test(.enabled(if: RegistryTestServer.openssl != nil, "openssl is not installed; the HTTPS registry test skipped"))
    func aRemoteRegistryIsHTTPSAndItsCertificateIsVerified() throws {
        let registry = try RegistryTestServer(host: "127.0.0.2", tls: true)
        let scratch = Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let env = try scratch.freshUser()
        let ref = "\(registry.address)/hello:v1"
        let push = try runSpin(
            ["registry", "push", "-f", packageRoot + "/Examples/hello-world", ref], environment: env)
        #expect(push.status == 1)
        #expect(push.err.contains("cannot push Spin application to \(ref)"), "\(push.err)")
        #expect(push.err.contains("https://\(registry.address)/v2/hello/blobs/sha256:"), "\(push.err)")
        #expect(push.err.contains("certificate"), "\(push.err)")
        // --insecure speaks plain HTTP, which the TLS registry refuses.
        let insecure = try runSpin(["registry", "pull", "--insecure", ref], environment: env)
        #expect(insecure.status == 1)
        #expect(
            insecure.err.contains(
                "GET manifest hello:v1: \(registry.address) answered 400 (Client sent an HTTP request to an HTTPS server.)"
            ),
            "\(insecure.err)")
    }

    /// `push --build` runs the components' build commands first (as `spin build` does).
    @Test func pushBuildBuildsFirst() throws {
        let registry = try RegistryTestServer()
        let scratch = Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let env = try scratch.freshUser()
        let app = try scratch.folder("build-app")
        try FileManager.default.copyItem(
            atPath: packageRoot + "/Examples/hello-world/main.wasm", toPath: app + "/prebuilt.wasm")
        try """
        spin_manifest_version = 2
        [application]
        name = "built"
        [[trigger.http]]
        route = "/..."
        component = "hello"
        [component.hello]
        source = "main.wasm"
        [component.hello.build]
        command = "cp prebuilt.wasm main.wasm"
        """.write(toFile: app + "/spin.toml", atomically: true, encoding: .utf8)
        let ref = "\(registry.address)/built:v1"
        let unbuilt = try runSpin(["registry", "push", "-f", app, ref], environment: env)
        #expect(unbuilt.status == 1)
        #expect(unbuilt.err.contains("component `hello`: cannot read source \(app)/main.wasm"), "\(unbuilt.err)")
        let built = try runSpin(["registry", "push", "--build", "-f", app, ref], environment: env)
        #expect(built.status == 0, "\(built.err)")
        #expect(FileManager.default.fileExists(atPath: app + "/main.wasm"))
        let up = try SpinUpProcess(["--from", ref, "--state-dir", try scratch.folder("state"), "-q"], environment: env)
        #expect(try up.request("GET", "/?name=Built").text == "Hello, Built")
        up.stop()
    }

    @Test func registryCommandsHaveHelpAndRefuseBadReferences() throws {
        let scratch = Scratch()
        defer { withExtendedLifetime(scratch) {} }
        let env = try scratch.freshUser()
        for command in ["push", "pull", "login"] {
            let help = try runSpin(["registry", command, "--help"], environment: env)
            #expect(help.status == 0 && help.out.contains("Usage: spin registry \(command) [OPTIONS]"), "\(help.out)")
        }
        let bad = try runSpin(["registry", "pull", "127.0.0.1:1/Bad_Name:v1"], environment: env)
        #expect(bad.status == 1)
        #expect(bad.err.contains("invalid registry reference `127.0.0.1:1/Bad_Name:v1`: repository segment `Bad_Name`"))
        let missing = try runSpin(["registry", "push"], environment: env)
        #expect(missing.status == 2)
    }
}
