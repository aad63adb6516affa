import Foundation
import Synchronization
import TestSupport
import Testing

@testable import SpinHost

/// Spin 3's manifest v2 keys (issue 21): `tool`, `dependencies`, command lists, registry
/// sources, private routes.
@Suite struct Spin3ManifestTests {
    /// Every key of Spin 3's maximal v2 manifest (crates/manifest/tests/ui/maximal.toml), written
    /// here with our own names and values.
    static let everyKey = """
        spin_manifest_version = 2

        [application]
        name = "every-key"
        version = "1.2.3"
        description = "Each Spin 3 manifest key once"
        authors = ["someone@example.org"]

        [application.trigger.cron]
        some_setting = 1

        [application.tool.formatter]
        style = "strict"

        [variables]
        greeting = { default = "hi" }
        token = { required = true, secret = true }

        [[trigger.cron]]
        component = "plain"

        [[trigger.cron]]
        component = { source = "inline.wasm" }
        schedule = "* * * * *"

        [component.plain]
        source = "plain.wasm"

        [component.rich]
        source = { url = "http://example.test/rich.wasm", digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" }
        description = "Uses everything"
        environment = { MODE = "rich" }
        files = ["assets/*", { source = "static", destination = "/static" }]
        exclude_files = ["**/*.bak"]
        allowed_outbound_hosts = ["https://api.example.org:443"]
        key_value_stores = ["default"]
        sqlite_databases = ["default"]
        ai_models = ["llama2-chat"]
        dependencies_inherit_configuration = true

        [component.rich.build]
        command = "make"
        workdir = "rich"
        watch = ["src/**/*.c"]

        [component.rich.tool.cleaner]
        command = "make clean"

        [component.rich.dependencies]
        "x:y/z" = { registry = "registry.example.org", version = "^2.0.0", package = "x:y", export = "z" }
        "p:q/r@1.0.0" = { path = "deps/r.wasm" }
        "s:t/u" = { path = "deps/u.wasm", export = "other" }
        "v:w" = ">=1.0.0"
        "m:n@2.0.0" = { version = "=2.0.0" }
        """

    @Test func everySpin3KeyParses() throws {
        let app = try Manifest.parse(Self.everyKey, path: "/app/spin.toml")
        #expect(app.tools.keys.sorted() == ["formatter"])
        let rich = try #require(app.component(id: "rich"))
        #expect(rich.tools.keys.sorted() == ["cleaner"])
        #expect(rich.dependenciesInheritConfiguration)
        #expect(rich.dependencies.keys.sorted() == ["m:n@2.0.0", "p:q/r@1.0.0", "s:t/u", "v:w", "x:y/z"])
        #expect(rich.dependencies["v:w"] == ">=1.0.0")
        #expect(rich.dependencies["p:q/r@1.0.0"] == #"{ path = "deps/r.wasm" }"#)
        #expect(rich.build?.commands == ["make"])
        #expect(app.otherTriggers.count == 2)
        #expect(app.components.count == 3)
    }

    @Test func toolTablesMustBeTables() throws {
        let e = try #require(
            manifestError(
                "spin_manifest_version = 2\n[application]\nname = \"a\"\ntool = { lint = 1 }\n"))
        #expect(e.message.contains("`lint` in [application.tool] must be a table"), "\(e)")
        #expect(e.line == 4)
    }

    @Test func buildCommandListRunsInOrder() throws {
        let app = try Manifest.parse(
            """
            spin_manifest_version = 2
            [application]
            name = "a"
            [component.c]
            source = "c.wasm"
            [component.c.build]
            command = ["echo one", "echo two"]
            """)
        #expect(app.component(id: "c")?.build?.commands == ["echo one", "echo two"])
        #expect(app.component(id: "c")?.build?.command == "echo one && echo two")
        let bad = try #require(
            manifestError(
                "spin_manifest_version = 2\n[application]\nname = \"a\"\n[component.c]\nsource = \"c.wasm\"\n[component.c.build]\ncommand = [\"ok\", 3]\n"
            ))
        #expect(bad.message.contains("`command` in [component.c.build] must be an array of strings"), "\(bad)")
        #expect(bad.line == 7)
    }

    @Test func registrySourceParsesAndIsRefusedAtLoad() throws {
        let path = try writeTempManifest(
            """
            spin_manifest_version = 2
            [application]
            name = "a"
            [[trigger.http]]
            route = "/..."
            component = "c"
            [component.c]
            source = { registry = "registry.example.org", package = "acme:thing", version = "1.0.0" }
            """)
        let app = try Manifest.load(path: path)
        #expect(
            app.component(id: "c")?.source
                == .registry(registry: "registry.example.org", package: "acme:thing", version: "1.0.0"))
        do {
            _ = try LoadedApp.load(path: path)
            Issue.record("a registry source must be refused")
        } catch {
            #expect("\(error)".contains("component `c`"), "\(error)")
            #expect("\(error)".contains("package registry is not supported"), "\(error)")
        }
    }

    @Test func dependenciesAndAIModelsAreRefusedAtLoad() throws {
        for (key, value, expected) in [
            ("dependencies", #"{ "a:b/c" = "1.0.0" }"#, "has `dependencies` (\"a:b/c\"); composing components"),
            ("ai_models", #"["llama2-chat"]"#, "AI inferencing (llm) is not supported"),
        ] {
            let path = try writeTempManifest(
                """
                spin_manifest_version = 2
                [application]
                name = "a"
                [[trigger.http]]
                route = "/..."
                component = "c"
                [component.c]
                source = "\(packageRootForHost)/Fixtures/http/echo.wasm"
                \(key) = \(value)
                """)
            _ = try Manifest.load(path: path)
            do {
                _ = try LoadedApp.load(path: path)
                Issue.record("\(key) must be refused at load")
            } catch {
                #expect("\(error)".contains(expected), "\(error)")
                #expect("\(error)".hasPrefix(path + ": component `c`"), "\(error)")
            }
        }
    }

    @Test func privateRoutesParseAndLeaveTheRouter() throws {
        let app = try Manifest.parse(
            """
            spin_manifest_version = 2
            [application]
            name = "a"
            [[trigger.http]]
            route = { private = true }
            component = "hidden"
            [[trigger.http]]
            route = "/..."
            component = "open"
            [component.hidden]
            source = "h.wasm"
            [component.open]
            source = "o.wasm"
            """)
        #expect(app.httpTriggers.map(\.isPrivate) == [true, false])
        let bad = try #require(
            manifestError(
                "spin_manifest_version = 2\n[application]\nname = \"a\"\n[[trigger.http]]\nroute = { private = false }\ncomponent = \"c\"\n[component.c]\nsource = \"c.wasm\"\n"
            ))
        #expect(bad.message.contains("must be a string or `{ private = true }`"), "\(bad)")
        #expect(bad.line == 5)
    }

    @Test func componentIDSelectionKeepsOnlyThoseTriggers() throws {
        let path = try writeTempManifest(
            """
            spin_manifest_version = 2
            [application]
            name = "a"
            [[trigger.http]]
            route = "/one"
            component = "one"
            [[trigger.http]]
            route = "/two"
            component = "two"
            [component.one]
            source = "\(packageRootForHost)/Fixtures/http/echo.wasm"
            [component.two]
            source = "\(packageRootForHost)/Fixtures/http/echo.wasm"
            """)
        var options = AppLoadOptions()
        options.componentIDs = ["two"]
        let app = try LoadedApp.load(path: path, options: options)
        #expect(app.manifest.httpTriggers.map(\.componentID) == ["two"])
        #expect(app.components.keys.sorted() == ["two"])
        options.componentIDs = ["three"]
        do {
            _ = try LoadedApp.load(path: path, options: options)
            Issue.record("an unknown component id must be refused")
        } catch {
            #expect("\(error)".contains("specified component \"three\" not found"), "\(error)")
        }
    }
}

/// The package root, for fixture paths (Tests/SpinHostTests/ is two levels below it).
let packageRootForHost = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

@Suite struct Spin3RuntimeConfigTests {
    @Test func envVariablesProvider() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rc-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "MYAPP_FROM_FILE=file-value\nMYAPP_BOTH=file\n".write(
            toFile: dir + "/vars.env", atomically: true, encoding: .utf8)
        let rc = try RuntimeConfig.parse(
            """
            [[variables_provider]]
            type = "env"
            prefix = "MYAPP"
            dotenv_path = "vars.env"
            """, path: dir + "/runtime-config.toml")
        #expect(rc.configProviders == [.env(prefix: "MYAPP", dotenvPath: dir + "/vars.env")])
        try rc.checkSupported()
        let app = try Manifest.parse(
            """
            spin_manifest_version = 2
            [application]
            name = "a"
            [variables]
            from_file = { required = true }
            both = { required = true }
            plain = { default = "d" }
            """, path: dir + "/spin.toml")
        let resolver = try VariableResolver(
            app: app, runtimeConfig: rc,
            environment: ["MYAPP_BOTH": "env", "SPIN_VARIABLE_PLAIN": "not read: the provider has its own prefix"])
        #expect(try resolver.resolveVariable("from_file") == "file-value")
        #expect(try resolver.resolveVariable("both") == "env")
        #expect(try resolver.resolveVariable("plain") == "d")
        // An empty prefix reads the bare name; `config_provider` is the 1.x spelling.
        let bare = try RuntimeConfig.parse("[[config_provider]]\ntype = \"env\"\nprefix = \"\"\n")
        let r2 = try VariableResolver(app: app, runtimeConfig: bare, environment: ["PLAIN": "bare"])
        #expect(try r2.resolveVariable("plain") == "bare")
    }

    @Test func unsupportedBackendsAreRefusedNamingTheLine() throws {
        for (text, line, expected) in [
            (
                "state_dir = \"x\"\n[[variables_provider]]\ntype = \"vault\"\nurl = \"http://v\"\ntoken = \"t\"\nmount = \"m\"\n",
                3, "type `vault` (http://v) is not supported"
            ),
            (
                "[sqlite_database.remote]\ntype = \"libsql\"\nurl = \"https://x\"\ntoken = \"t\"\n", 2,
                "[sqlite_database.remote]: SQLite databases (libsql) are not supported"
            ),
            ("[llm_compute]\ntype = \"spin\"\n", 1, "[llm_compute]: AI inferencing (llm) is not supported"),
            (
                "[key_value_store.x]\ntype = \"azure_cosmos\"\nkey = \"k\"\naccount = \"a\"\ndatabase = \"d\"\ncontainer = \"c\"\n",
                2,
                "type `azure_cosmos` is not supported"
            ),
        ] {
            let rc = try RuntimeConfig.parse(text, path: "rc.toml")
            do {
                try rc.checkSupported()
                Issue.record("\(text) must be refused")
            } catch {
                #expect(error.message.contains(expected), "\(error)")
                #expect(error.line == line, "\(error)")
            }
        }
        #expect(throws: ManifestError.self) {
            _ = try RuntimeConfig.parse("[[variables_provider]]\ntype = \"aws\"\n")
        }
    }

    @Test func clientTLSIsValidated() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tls-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "cert".write(toFile: dir + "/ca.pem", atomically: true, encoding: .utf8)
        let rc = try RuntimeConfig.parse(
            """
            [[client_tls]]
            component_ids = ["api"]
            hosts = ["example.org", "example.org:8443"]
            ca_use_webpki_roots = false
            ca_roots_file = "ca.pem"
            """, path: dir + "/rc.toml")
        #expect(
            rc.clientTLS == [
                .init(
                    componentIDs: ["api"], hosts: ["example.org", "example.org:8443"], caUseWebPKIRoots: false,
                    caRootsFile: dir + "/ca.pem", clientCertFile: nil, clientPrivateKeyFile: nil)
            ])
        // Parsed and validated, but this host's outbound HTTPS cannot honour it: refused at start.
        #expect(throws: ManifestError.self) { try rc.checkSupported() }
        for (body, expected) in [
            ("hosts = [\"a\"]\n", "missing required key `component_ids`"),
            ("component_ids = [\"api\"]\nhosts = [\"https://x\"]\n", "invalid host `https://x`"),
            ("component_ids = [\"api\"]\nca_roots_file = \"nope.pem\"\n", "no such file"),
            ("component_ids = [\"api\"]\nclient_cert_file = \"ca.pem\"\n", "both `client_cert_file` and"),
            ("component_ids = [\"Bad_Id\"]\n", "invalid component id `Bad_Id`"),
        ] {
            do {
                _ = try RuntimeConfig.parse("[[client_tls]]\n" + body, path: dir + "/rc.toml")
                Issue.record("\(body) must be refused")
            } catch {
                #expect(error.message.contains(expected), "\(error)")
            }
        }
    }
}

/// `spin up --from app.wasm`: the application Spin makes of a lone module.
@Suite struct BareWasmTests {
    @Test func aLoneModuleIsAnAppWithOneWildcardRoute() throws {
        let app = try Manifest.bareWasm(path: "build/my app.wasm", directory: "/work/here")
        #expect(app.name == "my app")
        #expect(app.httpTriggers.count == 1)
        #expect(app.httpTriggers[0].route == "/...")
        #expect(app.components.count == 1)
        #expect(app.components[0].source == .file("/work/here/build/my app.wasm"))
        #expect(app.baseDirectory == "/work/here")
        #expect(app.manifestPath == "build/my app.wasm")
        #expect(try Manifest.bareWasm(path: "/abs/x.wasm").components[0].source == .file("/abs/x.wasm"))
        #expect(throws: ManifestError.self) { _ = try Manifest.bareWasm(path: "x.wat") }
    }
}

/// The default key-value store beside Spin's: Spin's SQLite file is never read or overwritten.
@Suite struct SpinStateLayoutTests {
    /// An app in `dir` whose one component uses the key-value `stores`.
    static func app(in dir: String, stores: [String] = ["default"]) throws -> AppManifest {
        try Manifest.parse(
            """
            spin_manifest_version = 2
            [application]
            name = "kv"
            [[trigger.http]]
            route = "/..."
            component = "c"
            [component.c]
            source = "c.wasm"
            key_value_stores = [\(stores.map { "\"\($0)\"" }.joined(separator: ", "))]
            """, path: dir + "/spin.toml")
    }

    /// With this host's own log already in the state directory, it stays the default store;
    /// Spin's SQLite file beside it is not read (a warning says so) and not touched. A
    /// runtime-config `path` to a file that claims to be SQLite but is not one fails startup,
    /// naming it, and leaves it as it was.
    @Test func bothFormatsPresentKeepsTheLogAndLeavesSpinsFileAlone() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kv-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir + "/.spin", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let spinFile = dir + "/.spin/sqlite_key_value.db"
        try FileManager.default.copyItem(atPath: packageRoot + "/Fixtures/kv/spin-sqlite_key_value.db", toPath: spinFile)
        let original = try Data(contentsOf: URL(fileURLWithPath: spinFile))
        _ = try FileKeyValueStore(path: dir + "/.spin/key_value.kvlog")
        let lines = Mutex<[String]>([])
        let services = try AppServices.start(
            app: try Self.app(in: dir), environment: [:], log: LogSink { line in lines.withLock { $0.append(line) } })
        try services.keyValueStores["default"]?.set("k", [1])
        #expect(services.keyValueStores["default"] is FileKeyValueStore)
        #expect(try Data(contentsOf: URL(fileURLWithPath: spinFile)) == original)
        #expect(
            lines.withLock { $0 }.contains {
                $0.hasPrefix("Warning: \(spinFile) holds key-value data Spin stored (SQLite), and this host's own store")
            }, "\(lines.withLock { $0 })")

        let fake = Data("SQLite format 3\0".utf8 + [UInt8](repeating: 7, count: 100))
        try fake.write(to: URL(fileURLWithPath: dir + "/fake.db"))
        let rc = try RuntimeConfig.parse(
            "[key_value_store.default]\ntype = \"spin\"\npath = \"fake.db\"\n", path: dir + "/rc.toml")
        do {
            _ = try AppServices.start(app: try Self.app(in: dir), runtimeConfig: rc, environment: [:], log: .discard)
            Issue.record("a file that is not a database was opened as one")
        } catch {
            #expect("\(error)".contains("fake.db"), "\(error)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/fake.db")) == fake)
    }
}
