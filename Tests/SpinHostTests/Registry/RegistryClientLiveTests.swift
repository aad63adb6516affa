import Foundation
import HTTP1
import TestSupport
import Testing

@testable import SpinHost

/// What the fake registry's handler shares with the test.
private final class TokenLog: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [(query: String, authorization: String?)] = []
    private var storedPort = 0

    var requests: [(query: String, authorization: String?)] { lock.withLock { entries } }
    var port: Int {
        get { lock.withLock { storedPort } }
        set { lock.withLock { storedPort = newValue } }
    }
    func append(_ query: String, _ authorization: String?) { lock.withLock { entries.append((query, authorization)) } }
}

/// A fake registry that wants a Bearer token from its own token service (the flow of
/// Docker Hub, GHCR and most hosted registries), which hands one to `alice`/`s3cret` only.
private final class TokenRegistry: Sendable {
    let server: HTTPServer
    /// The token service's requests: query and Authorization header.
    let log = TokenLog()

    init() throws {
        let log = self.log
        server = HTTPServer(
            configuration: HTTPServerConfiguration(address: "127.0.0.1:0"),
            handler: { request in
                switch request.path {
                case "/token":
                    let authorization = request.header("authorization")
                    log.append(request.query ?? "", authorization)
                    guard authorization == "Basic " + Data("alice:s3cret".utf8).base64EncodedString() else {
                        return HTTPResponse(status: 401, text: "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}")
                    }
                    return HTTPResponse(status: 200, text: "{\"token\":\"tok-alice\",\"expires_in\":300}")
                case "/v2/":
                    if request.header("authorization") == "Bearer tok-alice" {
                        return HTTPResponse(status: 200, text: "{}")
                    }
                    return HTTPResponse(
                        status: 401,
                        headers: [
                            (
                                "www-authenticate",
                                "Bearer realm=\"http://127.0.0.1:\(log.port)/token\",service=\"fake-registry\""
                            )
                        ], text: "{}")
                default:
                    return HTTPResponse(status: 404)
                }
            })
        try server.start()
        log.port = server.port
    }

    var reference: ImageReference { try! ImageReference(parsing: "127.0.0.1:\(server.port)/team/app:v1") }

    deinit { server.stop() }
}

@Suite(.tags(.live)) struct RegistryClientLiveTests {
    @Test func aBearerChallengeIsAnsweredWithATokenFromTheRealm() throws {
        let registry = try TokenRegistry()
        let client = try RegistryClient(
            reference: registry.reference, credential: RegistryCredential(username: "alice", password: "s3cret"))
        try client.checkAccess()
        let requests = registry.log.requests
        #expect(requests.count == 1)
        #expect(requests.first?.query == "service=fake-registry")
        #expect(requests.first?.authorization == "Basic " + Data("alice:s3cret".utf8).base64EncodedString())
    }

    @Test func aRefusedTokenRequestNamesTheUserAndTheService() throws {
        let registry = try TokenRegistry()
        let realm = "http://127.0.0.1:\(registry.server.port)/token"
        for (credential, who) in [
            (RegistryCredential(username: "alice", password: "wrong"), "alice"), (nil, "anonymous access"),
        ] {
            let client = try RegistryClient(reference: registry.reference, credential: credential)
            #expect {
                try client.checkAccess()
            } throws: { error in
                "\(error)" == "the token service \(realm) refused \(who) (401)"
            }
        }
    }

    /// Spin 1 pushed the locked app as the manifest's config and empty files as two bytes with
    /// an annotation; such artifacts still pull and load.
    @Test(.enabled(if: RegistryTestServer.available, RegistryTestServer.skipMessage))
    func spin1ArtifactsStillPull() throws {
        let registry = try RegistryTestServer()
        let reference = try ImageReference(parsing: "\(registry.address)/old/app:v1")
        let client = try RegistryClient(
            reference: reference, credential: RegistryCredential(username: "", password: ""))
        let wasm = Array(try Data(contentsOf: URL(fileURLWithPath: packageRoot + "/Examples/hello-world/main.wasm")))
        let wasmDigest = Digest.sha256(wasm)
        let placeholder: [UInt8] = [0, 0]
        let emptyDigest = Digest.sha256(placeholder)
        let locked = Array(
            """
            {"spin_lock_version": 0,
             "metadata": {"name": "old", "trigger": {"type": "http", "base": "/base"}},
             "triggers": [{"id": "t", "trigger_type": "http", "trigger_config": {"component": "hello", "route": "/..."}}],
             "components": [{"id": "hello", "source": {"content_type": "application/wasm", "digest": "\(wasmDigest)"},
                             "files": [{"digest": "\(emptyDigest)", "path": "empty.txt"}]}]}
            """.utf8)
        let lockedDigest = Digest.sha256(locked)
        for (bytes, digest) in [(wasm, wasmDigest), (placeholder, emptyDigest), (locked, lockedDigest)] {
            try client.uploadBlob(bytes, digest: digest, repository: "old/app")
        }
        let manifest = """
            {"schemaVersion": 2,
             "config": {"mediaType": "application/vnd.fermyon.spin.application.v1+config", "digest": "\(lockedDigest)", "size": \(locked.count)},
             "layers": [
               {"mediaType": "application/vnd.wasm.content.layer.v1+wasm", "digest": "\(wasmDigest)", "size": \(wasm.count)},
               {"mediaType": "application/vnd.wasm.content.layer.v1+data", "digest": "\(emptyDigest)", "size": 2,
                "annotations": {"com.fermyon.spin.application.layer.isEmpty": "true"}}]}
            """
        _ = try client.putManifest(Array(manifest.utf8), repository: "old/app", reference: "v1")

        let dir = NSTemporaryDirectory() + "spin1-pull-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let cache = RegistryCache(root: dir + "/cache")
        let pulled = try RegistryApp.pull(reference: reference.description, cache: cache)
        #expect(pulled.lockedApp == locked)
        #expect(FileManager.default.contents(atPath: cache.dataPath(emptyDigest)) == Data())
        let app = try LockedApp.manifest(
            from: pulled.lockedApp, origin: "old", cache: cache, mountDirectory: dir + "/mounts", baseDirectory: dir)
        #expect(app.httpBase == "/base" && app.httpTriggers.map(\.route) == ["/..."])
        #expect(FileManager.default.contents(atPath: dir + "/mounts/hello/empty.txt") == Data())
        let loaded = try LoadedApp.load(manifest: app)
        #expect(loaded.components["hello"] != nil)
    }

    /// Spin 2+'s archive layout: a component's files as one gzipped tar layer, the locked
    /// app naming each file by its own digest, the locked app as a layer and an image config.
    @Test(
        .enabled(if: RegistryTestServer.available, RegistryTestServer.skipMessage),
        .enabled(if: executableOnPath("python3") != nil, "python3 is not installed (it makes the tar.gz)"))
    func archiveLayersPull() throws {
        let registry = try RegistryTestServer()
        let reference = try ImageReference(parsing: "\(registry.address)/archived/app:v1")
        let client = try RegistryClient(
            reference: reference, credential: RegistryCredential(username: "", password: ""))
        let wasm = Array(try Data(contentsOf: URL(fileURLWithPath: packageRoot + "/Examples/hello-world/main.wasm")))
        let big = [UInt8](repeating: UInt8(ascii: "b"), count: 4000)
        let small = Array("small file\n".utf8)
        // The archive, as Spin's `archive` makes it: the files under the mount folder.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executableOnPath("python3")!)
        p.arguments = [
            "-c",
            """
            import io,sys,tarfile,gzip
            b=io.BytesIO()
            with tarfile.open(fileobj=b,mode='w') as t:
                for name,data in [('big.bin',b'b'*4000),('sub/small.txt',b'small file\\n')]:
                    i=tarfile.TarInfo(name); i.size=len(data); t.addfile(i,io.BytesIO(data))
            sys.stdout.buffer.write(gzip.compress(b.getvalue()))
            """,
        ]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let archive = [UInt8](out.fileHandleForReading.readDataToEndOfFile())
        p.waitUntilExit()
        let locked = Array(
            """
            {"spin_lock_version": 1,
             "metadata": {"name": "archived"},
             "triggers": [{"id": "t", "trigger_type": "http", "trigger_config": {"component": "hello", "route": "/..."}}],
             "components": [{"id": "hello", "source": {"content_type": "application/wasm", "digest": "\(Digest.sha256(wasm))"},
                             "files": [{"digest": "\(Digest.sha256(big))", "path": "big.bin"},
                                       {"digest": "\(Digest.sha256(small))", "path": "sub/small.txt"}]}]}
            """.utf8)
        let config = Array(#"{"architecture":"wasm","os":"wasip1"}"#.utf8)
        let blobs: [(String, [UInt8])] = [
            ("application/vnd.wasm.content.layer.v1+wasm", wasm),
            ("application/vnd.wasm.content.bundle.v1.tar+gzip", archive),
            ("application/vnd.fermyon.spin.application.v1+config", locked),
        ]
        for (_, bytes) in blobs + [("", config)] {
            try client.uploadBlob(bytes, digest: Digest.sha256(bytes), repository: "archived/app")
        }
        let layers = blobs.map {
            #"{"mediaType": "\#($0.0)", "digest": "\#(Digest.sha256($0.1))", "size": \#($0.1.count)}"#
        }
        let manifest = """
            {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
             "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": "\(Digest.sha256(config))", "size": \(config.count)},
             "layers": [\(layers.joined(separator: ","))]}
            """
        _ = try client.putManifest(Array(manifest.utf8), repository: "archived/app", reference: "v1")

        let dir = NSTemporaryDirectory() + "archive-pull-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let cache = RegistryCache(root: dir + "/cache")
        let pulled = try RegistryApp.pull(reference: reference.description, cache: cache)
        #expect(pulled.lockedApp == locked)
        #expect(FileManager.default.contents(atPath: cache.dataPath(Digest.sha256(big))) == Data(big))
        #expect(FileManager.default.contents(atPath: cache.dataPath(Digest.sha256(archive))) == Data(archive))
        let app = try LockedApp.manifest(
            from: pulled.lockedApp, origin: "archived", cache: cache, mountDirectory: dir + "/mounts",
            baseDirectory: dir)
        #expect(FileManager.default.contents(atPath: dir + "/mounts/hello/big.bin") == Data(big))
        #expect(FileManager.default.contents(atPath: dir + "/mounts/hello/sub/small.txt") == Data(small))
        #expect(try LoadedApp.load(manifest: app).components["hello"] != nil)

        // A damaged archive (its digest recomputed, so only the gzip check can catch it) is refused.
        var bad = archive
        bad[bad.count - 8] ^= 0xFF
        try client.uploadBlob(bad, digest: Digest.sha256(bad), repository: "archived/app")
        let badManifest = manifest.replacingOccurrences(of: Digest.sha256(archive), with: Digest.sha256(bad))
        _ = try client.putManifest(Array(badManifest.utf8), repository: "archived/app", reference: "bad")
        #expect {
            try RegistryApp.pull(
                reference: "\(registry.address)/archived/app:bad", cache: RegistryCache(root: dir + "/c2"))
        } throws: { error in
            "\(error)".contains("layer 1 (archive \(Digest.sha256(bad))): gzip data invalid at byte ")
                && "\(error)".contains("CRC-32 mismatch")
        }
    }
}
