import Foundation
import Testing

@testable import SpinHost

@Suite struct HostIfAllowedHostsTests {
    func decide(_ list: [String], _ uri: String, origin: String? = "http://127.0.0.1:3000") -> Result<
        String, OutboundHTTPError
    > {
        AllowedOutboundHosts(list).resolve(uri: uri, origin: origin)
    }

    func allowed(_ list: [String], _ uri: String) -> Bool {
        if case .success = decide(list, uri) { return true }
        return false
    }

    @Test func v1HostEntriesNormalisedByTheManifest() throws {
        let app = try HostIf.app(HostIf.v1(#"allowed_http_hosts = ["example.com", "api.test:8080"]"#))
        let hosts = AllowedOutboundHosts(app.components[0].allowedOutboundHosts)
        #expect(hosts.allows(ParsedURL("http://example.com/x")!))
        #expect(hosts.allows(ParsedURL("https://example.com")!))
        #expect(hosts.allows(ParsedURL("https://example.com:443/")!))  // default port written out
        #expect(!hosts.allows(ParsedURL("http://example.com:8080/")!))  // wrong port
        #expect(!hosts.allows(ParsedURL("http://www.example.com/")!))  // exact host only
        #expect(hosts.allows(ParsedURL("http://api.test:8080/v1")!))
        #expect(hosts.allows(ParsedURL("https://api.test:8080/v1")!))
        #expect(!hosts.allows(ParsedURL("http://api.test/v1")!))  // port entry ⇒ explicit port only
        #expect(!hosts.allowsSelf)
    }

    @Test func allowedAndDenied() {
        let list = ["http://example.com", "https://example.com"]
        #expect(allowed(list, "http://example.com/a?b=c"))
        #expect(allowed(list, "http://EXAMPLE.com/"))
        #expect(decide(list, "http://other.com/") == .failure(.destinationNotAllowed("http://other.com/")))
        #expect(!allowed([], "http://example.com/"))  // empty list ⇒ nothing
        #expect(!allowed(list, "http://example.com:81/"))
    }

    @Test func invalidURLsAndSchemes() {
        let all = ["insecure:allow-all"]
        #expect(decide(all, "not a url") == .failure(.invalidURL("not a url")))
        #expect(decide(all, "http://") == .failure(.invalidURL("http://")))
        #expect(decide(all, "http://h:99999/") == .failure(.invalidURL("http://h:99999/")))
        guard case .failure(.destinationNotAllowed) = decide(all, "ftp://example.com/") else {
            Issue.record("ftp must not be allowed"); return
        }
    }

    @Test func allowAll() throws {
        let app = try HostIf.app(HostIf.v1(#"allowed_http_hosts = ["insecure:allow-all"]"#))
        let list = app.components[0].allowedOutboundHosts
        #expect(allowed(list, "http://anything.example:1234/x"))
        #expect(allowed(list, "https://[::1]:8443/"))
        #expect(allowed(list, "/relative"))  // allow-all includes self
    }

    @Test func selfSendsRelativeURIsToTheIncomingOrigin() throws {
        let app = try HostIf.app(HostIf.v1(#"allowed_http_hosts = ["self"]"#))
        let list = app.components[0].allowedOutboundHosts
        #expect(decide(list, "/api/x?y=1") == .success("http://127.0.0.1:3000/api/x?y=1"))
        #expect(decide(list, "/a", origin: "https://app.test") == .success("https://app.test/a"))
        #expect(!allowed(list, "http://127.0.0.1:3000/api"))  // self is only for relative URIs
        guard case .failure(.destinationNotAllowed) = decide(["http://example.com"], "/x") else {
            Issue.record("relative URI without self must be denied"); return
        }
    }

    @Test func v2Wildcards() {
        #expect(allowed(["https://*.example.com"], "https://api.example.com/"))
        #expect(!allowed(["https://*.example.com"], "https://example.com/"))
        #expect(allowed(["http://localhost:*"], "http://localhost:5678/"))
        #expect(allowed(["http://localhost:8000..8010"], "http://localhost:8005/"))
        #expect(!allowed(["http://localhost:8000..8010"], "http://localhost:8011/"))
        #expect(!allowed(["redis://*:*"], "http://h/"))
    }
}

@Suite struct HostIfVariablesTests {
    static let vars = """
        [variables]
        object = { default = "teapot" }
        dotenv = { default = "should-be-replaced" }
        password = { required = true, secret = true }
        """

    func context(env: [String: String] = [:], dotenv: String? = nil, config: String) throws -> GuestContext {
        let dir = HostIf.tempDir()
        if let dotenv { try dotenv.write(toFile: dir + "/.env", atomically: true, encoding: .utf8) }
        let app = try HostIf.app(HostIf.v1("[component.config]\n" + config, variables: Self.vars), in: dir)
        return GuestContext(component: app.components[0], services: try HostIf.services(app, env: env))
    }

    @Test func templatesDefaultsAndProviders() throws {
        let c = try context(
            env: ["SPIN_CONFIG_PASSWORD": "pw", "SPIN_VARIABLE_OBJECT": "kettle"],
            dotenv: "# comment\nSPIN_CONFIG_DOTENV=\"is set\"\n",
            config: """
                message = "I'm a {{object}}"
                spaced = "[{{ object }}]"
                dotenv = "{{ dotenv }}"
                secret = "{{password}}!"
                literal = "plain"
                """)
        #expect(SpinInterfaces.getConfig(context: c, key: "message") == .success("I'm a kettle"))
        #expect(SpinInterfaces.getConfig(context: c, key: "spaced") == .success("[kettle]"))
        #expect(SpinInterfaces.getConfig(context: c, key: "dotenv") == .success("is set"))
        #expect(SpinInterfaces.getConfig(context: c, key: "secret") == .success("pw!"))
        #expect(SpinInterfaces.getConfig(context: c, key: "literal") == .success("plain"))
    }

    @Test func environmentBeatsDotEnvAndDefaultsApply() throws {
        let c = try context(
            env: ["SPIN_VARIABLE_DOTENV": "from-env", "SPIN_VARIABLE_PASSWORD": "x"],
            dotenv: "SPIN_VARIABLE_DOTENV=from-file\nSPIN_VARIABLE_OBJECT='q'\n",
            config: "a = \"{{dotenv}}\"\nb = \"{{object}}\"")
        #expect(SpinInterfaces.getConfig(context: c, key: "a") == .success("from-env"))
        #expect(SpinInterfaces.getConfig(context: c, key: "b") == .success("q"))
    }

    @Test func unknownAndInvalidKeys() throws {
        let c = try context(env: ["SPIN_CONFIG_PASSWORD": "pw"], config: "message = \"x\"")
        #expect(
            SpinInterfaces.getConfig(context: c, key: "nope") == .failure(.other("unknown config path \"guest.nope\"")))
        guard case .failure(.invalidKey) = SpinInterfaces.getConfig(context: c, key: "Bad-Key") else {
            Issue.record("expected invalid-key"); return
        }
        guard case .failure(.invalidKey) = SpinInterfaces.getConfig(context: c, key: "a__b") else {
            Issue.record("expected invalid-key"); return
        }
    }

    @Test func requiredVariableWithoutValue() throws {
        let c = try context(config: "secret = \"{{ password }}\"")
        guard case .failure(.provider(let m)) = SpinInterfaces.getConfig(context: c, key: "secret") else {
            Issue.record("expected provider error"); return
        }
        #expect(m.contains("password"))
        #expect(throws: VariablesError.self) { try validateRequiredVariables(app: c.services.app, environment: [:]) }
        do {
            try validateRequiredVariables(app: c.services.app, environment: [:])
        } catch {
            #expect("\(error)".contains("\"password\""))
        }
        try validateRequiredVariables(app: c.services.app, environment: ["SPIN_CONFIG_PASSWORD": "ok"])
        #expect(throws: StartupError.self) {
            _ = try AppServices.start(app: c.services.app, environment: [:], log: .discard)
        }
    }

    @Test func vaultProviderIsRefused() throws {
        let app = try HostIf.app(HostIf.v1(""))
        let rc = try RuntimeConfig.parse(
            """
            [[config_provider]]
            type = "vault"
            url = "http://127.0.0.1:8200"
            token = "root"
            mount = "secret"
            """)
        do {
            _ = try AppServices.start(app: app, runtimeConfig: rc, environment: [:], log: .discard)
            Issue.record("vault must be refused")
        } catch {
            #expect("\(error)".contains("vault"))
            #expect("\(error)".contains("not supported"))
        }
    }

    @Test func dotEnvSyntax() throws {
        let d = try EnvironmentVariableProvider.parseDotEnv(
            """
            A=1
            export B = two words # comment
            C="x\\ny"
            D='lit\\n'
            # E=no
            """)
        #expect(d == ["A": "1", "B": "two words", "C": "x\ny", "D": "lit\\n"])
    }
}

@Suite struct HostIfKeyValueTests {
    func path() -> String { HostIf.tempDir("kv") + "/kv.kvlog" }

    /// Reopens the log after `old` is gone (the file is locked while a store has it open).
    func reopen(_ old: FileKeyValueStore, _ p: String) throws -> FileKeyValueStore {
        old.close()
        return try FileKeyValueStore(path: p)
    }

    @Test func basicOperationsAndReopen() throws {
        let p = path()
        do {
            let s = try FileKeyValueStore(path: p)
            try s.set("a", Array("1".utf8))
            try s.set("b", [0, 255])
            try s.set("a", Array("2".utf8))
            try s.delete("b")
            try s.delete("missing")
            #expect(try s.get("a") == Array("2".utf8))
            #expect(throws: KeyValueError.noSuchKey) { try s.get("b") }
            #expect(try s.exists("a"))
            #expect(try !s.exists("b"))
            try s.set("", [])
            #expect(try s.keys() == ["", "a"])
            s.close()
            #expect(throws: KeyValueError.self) { try s.set("x", []) }
        }
        let s = try FileKeyValueStore(path: p)
        #expect(try s.keys() == ["", "a"])
        #expect(try s.get("a") == Array("2".utf8))
        #expect(s.recoveredTruncatedBytes == 0)
    }

    /// Truncating the log at every byte offset inside the last record (a
    /// crash mid-append) loses exactly that record; corrupting any byte of it
    /// (a torn sector) is detected by the CRC and dropped too.
    @Test func tornTailRecoveryAtEveryOffset() throws {
        let p = path()
        do {
            let s = try FileKeyValueStore(path: p)
            try s.set("keep", Array("safe".utf8))
            try s.set("gone", Array("x".utf8))
            try s.set("keep", Array("newer".utf8))
            s.close()
        }
        let full = try [UInt8](Data(contentsOf: URL(fileURLWithPath: p)))
        let lastLen = 8 + 1 + 4 + 4 + 5  // header + op + klen + "keep" + "newer"
        let lastStart = full.count - lastLen
        for cut in lastStart..<full.count {
            try Data(full[0..<cut]).write(to: URL(fileURLWithPath: p))
            let s = try FileKeyValueStore(path: p)
            #expect(try s.get("keep") == Array("safe".utf8), "cut at \(cut)")
            #expect(try s.get("gone") == Array("x".utf8))
            #expect(s.recoveredTruncatedBytes == cut - lastStart)
            // The store stays writable after recovery and the new record survives.
            try s.set("after", [1])
            let again = try reopen(s, p)
            #expect(try again.get("after") == [1])
            #expect(again.recoveredTruncatedBytes == 0)
            again.close()
        }
        for flip in lastStart..<full.count {
            var bad = full
            bad[flip] ^= 0x5A
            try Data(bad).write(to: URL(fileURLWithPath: p))
            let s = try FileKeyValueStore(path: p)
            #expect(try s.get("keep") == Array("safe".utf8), "flip at \(flip)")
            #expect(s.recoveredTruncatedBytes == lastLen)
            s.close()
        }
        // A torn header of a brand-new log is rewritten.
        try Data(FileKeyValueStore.magic[0..<3]).write(to: URL(fileURLWithPath: p))
        let fresh = try FileKeyValueStore(path: p)
        #expect(try fresh.keys() == [])
        fresh.close()
        // Something that is not our log is refused.
        try Data("definitely not a log".utf8).write(to: URL(fileURLWithPath: p))
        #expect(throws: KeyValueError.self) { _ = try FileKeyValueStore(path: p) }
    }

    @Test func compactionKeepsLiveDataAndShrinksTheLog() throws {
        let p = path()
        let s = try FileKeyValueStore(path: p, compactionThreshold: 4096)
        for i in 0..<2000 { try s.set("k\(i % 10)", Array("value \(i)".utf8)) }
        #expect(s.logSize < 8192)
        for i in 0..<10 { #expect(try s.get("k\(i)") == Array("value \(1990 + i)".utf8)) }
        #expect(throws: KeyValueError.self) { _ = try FileKeyValueStore(path: p) }  // locked while open
        let r = try reopen(s, p)
        #expect(try r.keys().count == 10)
        #expect(try r.get("k3") == Array("value 1993".utf8))
    }

    @Test func crc32MatchesZlib() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([UInt8]()) == 0)
    }

    @Test func concurrentWritersInOneProcess() throws {
        let s = try FileKeyValueStore(path: path())
        DispatchQueue.concurrentPerform(iterations: 8) { t in
            for i in 0..<50 { try! s.set("t\(t)-\(i)", [UInt8(i)]) }
        }
        #expect(try s.keys().count == 400)
        #expect(try reopen(s, s.path).keys().count == 400)
    }

    @Test func hostSemanticsOpenGetSetHandles() throws {
        let app = try HostIf.app(HostIf.v1(#"key_value_stores = ["default"]"#))
        let store = try FileKeyValueStore(path: path())
        let services = try HostIf.services(app, stores: ["default": store])
        let c = GuestContext(component: app.components[0], services: services)
        #expect(SpinInterfaces.kvOpen(context: c, name: "other") == .failure(.accessDenied))
        #expect(SpinInterfaces.kvOpen(context: c, name: "default") == .success(0))
        #expect(SpinInterfaces.kvOpen(context: c, name: "default") == .success(1))
        SpinInterfaces.kvClose(context: c, handle: 0)
        #expect(
            SpinInterfaces.kvRun(context: c, handle: 0) { s throws(KeyValueError) in try s.get("x") }.map { _ in 0 }
                == .failure(.invalidStore))
        #expect(
            SpinInterfaces.kvRun(context: c, handle: 1) { s throws(KeyValueError) in try s.get("x") }.map { _ in 0 }
                == .failure(.noSuchKey))
        for _ in 0..<255 { _ = SpinInterfaces.kvOpen(context: c, name: "default") }
        #expect(SpinInterfaces.kvOpen(context: c, name: "default") == .failure(.storeTableFull))
        // A new instance starts again at 0.
        let c2 = GuestContext(component: app.components[0], services: services)
        #expect(SpinInterfaces.kvOpen(context: c2, name: "default") == .success(0))
    }

    @Test func undefinedStoreLabelsStopStartup() throws {
        let dir = HostIf.tempDir()
        let app = try HostIf.app(HostIf.v1(#"key_value_stores = ["default", "cache"]"#), in: dir)
        do {
            _ = try AppServices.start(app: app, environment: [:], log: .discard)
            Issue.record("startup must fail")
        } catch {
            #expect("\(error)".hasPrefix("One or more components use key-value stores which are not defined."))
            #expect("\(error)".contains("cache"))
        }
        let rc = try RuntimeConfig.parse("[key_value_store.cache]\ntype = \"spin\"\n", path: dir + "/rc.toml")
        let services = try AppServices.start(app: app, runtimeConfig: rc, environment: [:], log: .discard)
        #expect(Set(services.keyValueStores.keys) == ["default", "cache"])
        #expect(FileManager.default.fileExists(atPath: dir + "/.spin/key_value.kvlog"))
        #expect(FileManager.default.fileExists(atPath: dir + "/.spin/key_value_cache.kvlog"))
    }
}

@Suite struct HostIfComponentFilesTests {
    func tree() throws -> String {
        let d = HostIf.tempDir("files")
        for f in [
            "static/index.html", "static/css/site.css", "static/img/a.png", "static/secret.key",
            "data/x.txt", "data/y.json", "top.md", "other/q.txt",
        ] {
            let p = d + "/" + f
            try FileManager.default.createDirectory(
                atPath: (p as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try "content of \(f)".write(toFile: p, atomically: true, encoding: .utf8)
        }
        return d
    }

    func guestPaths(_ files: String, _ exclude: String = "[]", in dir: String) throws -> [String] {
        let app = try HostIf.app(HostIf.v1("files = \(files)\nexclude_files = \(exclude)"), in: dir)
        return try ComponentFiles.expand(app.components[0], baseDirectory: app.baseDirectory).map(\.guestPath)
    }

    @Test func globs() throws {
        let d = try tree()
        #expect(
            try guestPaths(#"["static/**/*"]"#, in: d) == [
                "/static/css/site.css", "/static/img/a.png", "/static/index.html", "/static/secret.key",
            ])
        #expect(try guestPaths(#"["static/*"]"#, in: d) == ["/static/index.html", "/static/secret.key"])
        #expect(try guestPaths(#"["data/?.txt", "*.md"]"#, in: d) == ["/data/x.txt", "/top.md"])
        #expect(try guestPaths(#"["**/*.txt"]"#, in: d) == ["/data/x.txt", "/other/q.txt"])
        #expect(try guestPaths(#"["data/[xz].*"]"#, in: d) == ["/data/x.txt"])
        #expect(try guestPaths(#"["top.md"]"#, in: d) == ["/top.md"])
    }

    @Test func excludesWin() throws {
        let d = try tree()
        #expect(
            try guestPaths(#"["static/**/*"]"#, #"["**/*.key", "static/img/**"]"#, in: d) == [
                "/static/css/site.css", "/static/index.html",
            ])
    }

    @Test func placements() throws {
        let d = try tree()
        #expect(try guestPaths(#"[{ source = "data", destination = "/" }]"#, in: d) == ["/x.txt", "/y.json"])
        #expect(
            try guestPaths(#"[{ source = "static", destination = "/www" }]"#, #"["static/secret.key"]"#, in: d)
                == ["/www/css/site.css", "/www/img/a.png", "/www/index.html"])
    }

    @Test func prepareCopiesIntoOneReadOnlyRoot() throws {
        let d = try tree()
        let app = try HostIf.app(
            HostIf.v1(#"files = ["top.md", { source = "static", destination = "/assets" }]"#), in: d)
        let root = HostIf.tempDir("root")
        let mounts = try ComponentFiles.prepare(app.components[0], baseDirectory: app.baseDirectory, into: root)
        #expect(mounts == [PreopenMount(hostPath: root, guestPath: "/", readOnly: true)])
        #expect(
            try String(contentsOfFile: root + "/assets/css/site.css", encoding: .utf8)
                == "content of static/css/site.css")
        #expect(try String(contentsOfFile: root + "/top.md", encoding: .utf8) == "content of top.md")
        #expect(!FileManager.default.isWritableFile(atPath: root + "/top.md") || getuid() == 0)
        let none = try HostIf.app(HostIf.v1(""), in: HostIf.tempDir())
        #expect(
            try ComponentFiles.prepare(none.components[0], baseDirectory: none.baseDirectory, into: HostIf.tempDir())
                .isEmpty)
    }

    @Test func errors() throws {
        let d = try tree()
        #expect(throws: ComponentFilesError.self) { _ = try guestPaths(#"["missing.txt"]"#, in: d) }
        #expect(throws: ComponentFilesError.self) { _ = try guestPaths(#"["../etc/*"]"#, in: d) }
    }
}
