import Foundation
import Testing

@testable import SpinHost

/// Writes `text` as `<tmp>/<unique>/spin.toml` and returns the file path.
func writeTempManifest(_ text: String, name: String = "spin.toml") throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("spin-manifest-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let file = dir.appendingPathComponent(name)
    try text.write(to: file, atomically: true, encoding: .utf8)
    return file.path
}

/// The error `Manifest.parse` throws for `text` (nil if it loads).
func manifestError(_ text: String, path: String = "spin.toml") -> ManifestError? {
    do {
        _ = try Manifest.parse(text, path: path)
        return nil
    } catch {
        return error
    }
}

@Suite struct ManifestExampleTests {
    @Test func spinWagiHTTP() throws {
        let path = try writeTempManifest(ManifestFixtures.spinWagiHTTP)
        let dir = (path as NSString).deletingLastPathComponent
        let app = try Manifest.load(path: path)
        #expect(app.schemaVersion == .v1)
        #expect(app.name == "spin-wagi-hello")
        #expect(app.version == "1.0.0")
        #expect(
            app.description == "A hello world application that serves content from a C++ program and a Rust program")
        #expect(app.authors == ["Fermyon Engineering <engineering@fermyon.com>"])
        #expect(app.httpBase == "/")
        #expect(app.redisAddress == nil)
        #expect(app.variables.isEmpty)
        #expect(app.baseDirectory == URL(fileURLWithPath: dir).standardizedFileURL.path)
        #expect(app.components.map(\.id) == ["hello", "goodbye"])

        let hello = try #require(app.component(id: "hello"))
        #expect(hello.source == .file(app.baseDirectory + "/wagi-http-cpp/main.wasm"))
        #expect(hello.build == BuildConfig(command: "make build -C wagi-http-cpp", workdir: nil, watch: []))
        #expect(hello.allowedHTTPHosts.isEmpty)
        #expect(hello.allowedOutboundHosts == ["redis://*:*", "mysql://*:*", "postgres://*:*"])
        let goodbye = try #require(app.component(id: "goodbye"))
        #expect(goodbye.source == .file(app.baseDirectory + "/http-rust/target/wasm32-wasi/release/goodbyerust.wasm"))
        #expect(goodbye.build == nil)

        #expect(
            app.httpTriggers == [
                HTTPTrigger(
                    id: "trigger-hello", componentID: "hello", route: "/hello",
                    executor: .wagi(entrypoint: "_start", argv: "${SCRIPT_NAME} ${ARGS}")),
                HTTPTrigger(id: "trigger-goodbye", componentID: "goodbye", route: "/goodbye", executor: .spin),
            ])
        #expect(app.redisTriggers.isEmpty)
        #expect(app.otherTriggers.isEmpty)
    }

    @Test func loadAcceptsTheDirectory() throws {
        let path = try writeTempManifest(ManifestFixtures.redisRust)
        let app = try Manifest.load(path: (path as NSString).deletingLastPathComponent)
        #expect(app.name == "spin-redis")
        #expect(app.manifestPath == path)
        let viaURL = try Manifest.load(fileURL: URL(fileURLWithPath: path))
        #expect(viaURL == app)
    }

    @Test func redisRust() throws {
        let app = try Manifest.parse(ManifestFixtures.redisRust, path: "/apps/redis/spin.toml")
        #expect(app.name == "spin-redis")
        #expect(app.version == "0.1.0")
        #expect(app.redisAddress == "redis://localhost:6379")
        #expect(app.httpTriggers.isEmpty)
        #expect(app.components.count == 1)
        #expect(app.components[0].source == .file("/apps/redis/target/wasm32-wasi/release/spinredis.wasm"))
        let t = RedisTrigger(id: "trigger-echo-message", componentID: "echo-message", channel: "messages", address: nil)
        #expect(app.redisTriggers == [t])
        #expect(app.redisAddress(for: t) == "redis://localhost:6379")
    }

    @Test func configRust() throws {
        let app = try Manifest.parse(ManifestFixtures.configRust)
        #expect(
            app.variables == [
                "object": Variable(defaultValue: "teapot"),
                "dotenv": Variable(defaultValue: "should-be-replaced"),
            ])
        let c = try #require(app.component(id: "spin_config_rust"))
        #expect(c.id == "spin_config_rust")  // v1 ids stay as written
        #expect(c.migratedID == "spin-config-rust")  // Spin 2's migrated id
        #expect(c.variables == ["message": "I'm a {{object}}", "dotenv": "{{dotenv}}"])
        #expect(app.httpTriggers.first?.route == "/...")
        #expect(app.undefinedVariableReferences().isEmpty)
    }

    @Test func staticFileserverURLSource() throws {
        // The template's route placeholder is no route (routes start with `/`); rendered, it is.
        let raw = try #require(manifestError(ManifestFixtures.staticFileserver))
        #expect(raw.key == "route", "\(raw)")
        let app = try Manifest.parse(
            ManifestFixtures.staticFileserver.replacingOccurrences(
                of: "{{ http-path | http_wildcard }}", with: "/static/..."))
        let c = try #require(app.components.first)
        #expect(c.id == "{{ project-name }}")
        #expect(
            c.source
                == .url(
                    "https://github.com/fermyon/spin-fileserver/releases/download/v0.0.3/spin_static_fs.wasm",
                    digest: "sha256:38bf971900228222f7f6b2ccee5051f399adca58d71692cdfdea98997965fd0d"))
        #expect(c.files == [.placement(source: "{{ files-path }}", destination: "/")])
        #expect(app.httpTriggers.first?.route == "/static/...")
    }

    @Test func v2MaximalSketchNamesItsUndefinedComponent() throws {
        let e = try #require(manifestError(ManifestFixtures.v2MaximalSketch))
        // The sketch's first problem in reading order: the component table comes first.
        #expect(e.kind == .invalidValue)
        #expect(e.description.hasPrefix("spin.toml:29: "))
        #expect(e.message.contains("source.digest"))
        let fixedDigest = ManifestFixtures.v2MaximalSketch.replacingOccurrences(
            of: "sha256:...", with: "sha256:38bf971900228222f7f6b2ccee5051f399adca58d71692cdfdea98997965fd0d")
        let e2 = try #require(manifestError(fixedDigest))
        #expect(
            e2.description
                == "spin.toml:25: [[trigger.redis]] `echo-redis-trigger` refers to component `echo`, which is not defined (no [component.echo])"
        )
    }

    @Test func v2Maximal() throws {
        let app = try Manifest.parse(ManifestFixtures.v2Maximal, path: "/srv/maximal/spin.toml")
        #expect(app.schemaVersion == .v2)
        #expect(app.name == "maximal")
        #expect(app.version == "9999.9.9")
        #expect(app.description == "...")
        #expect(app.authors == ["alice@example.com"])
        #expect(app.httpBase == "/")
        #expect(app.redisAddress == "redis://localhost:6379")
        #expect(
            app.variables == [
                "var_one": Variable(defaultValue: "Default"),
                "var_TWO": Variable(required: true, secret: true),
            ])
        #expect(app.components.map(\.id) == ["maximal-component", "echo"])
        let c = try #require(app.component(id: "maximal-component"))
        #expect(
            c
                == Component(
                    id: "maximal-component",
                    source: .url(
                        "https://...", digest: "sha256:38bf971900228222f7f6b2ccee5051f399adca58d71692cdfdea98997965fd0d"
                    ),
                    description: "...",
                    files: [.pattern("pattern/*"), .placement(source: "placement", destination: "/")],
                    excludeFiles: ["**/secret"],
                    environment: ["VAR": "val"],
                    allowedHTTPHosts: ["example.com"],
                    allowedOutboundHosts: [
                        "http://example.com", "https://example.com", "https://example.com:443", "redis://*:*",
                    ],
                    keyValueStores: ["default"],
                    sqliteDatabases: ["default"],
                    aiModels: ["llama2-chat"],
                    variables: ["name": "{{ app_var }}"],
                    build: BuildConfig(command: "cargo build", workdir: "my-component", watch: ["src/**/*.rs"])))
        #expect(
            app.undefinedVariableReferences().map(\.description) == [
                "component `maximal-component`: `name` refers to undefined variable `app_var`"
            ])
        #expect(app.component(id: "echo")?.source == .file("/srv/maximal/echo.wasm"))
        #expect(app.component(id: "echo")?.allowedOutboundHosts == [])  // v2: no implicit hosts
        #expect(
            app.httpTriggers == [
                HTTPTrigger(
                    id: "trigger-x", componentID: "maximal-component", route: "/...",
                    executor: .wagi(entrypoint: "_start", argv: "${SCRIPT_NAME} ${ARGS}"))
            ])
        #expect(
            app.redisTriggers == [
                RedisTrigger(id: "echo-redis-trigger", componentID: "echo", channel: "messages", address: nil)
            ])
    }
}

@Suite struct ManifestErrorTests {
    static let v1Head = """
        spin_manifest_version = "1"
        name = "app"
        version = "1.0.0"
        trigger = { type = "http", base = "/" }

        """

    @Test func unknownKeyInComponentTriggerNamesKeyFileAndLine() throws {
        let text =
            Self.v1Head + """
                [[component]]
                id = "hello"
                source = "hello.wasm"
                [component.trigger]
                rout = "/hello"
                """
        let e = try #require(manifestError(text))
        #expect(e.kind == .unknownKey)
        #expect(e.key == "rout")
        #expect(e.line == 9)
        #expect(
            e.description
                == "spin.toml:9: unknown key `rout` in [component.trigger] of component `hello` (expected one of `executor`, `route`)"
        )
    }

    @Test func unknownKeysAreRejectedAtEveryLevel() throws {
        let top = try #require(manifestError(Self.v1Head + "colour = \"blue\"\n"))
        #expect(top.description.hasPrefix("spin.toml:5: unknown key `colour` in the top level"))

        let comp = try #require(
            manifestError(
                Self.v1Head
                    + "[[component]]\nid = \"a\"\nsource = \"a.wasm\"\nallowed_hosts = []\n[component.trigger]\nroute = \"/\"\n"
            ))
        #expect(comp.key == "allowed_hosts")
        #expect(comp.line == 8)
        #expect(comp.message.hasPrefix("unknown key `allowed_hosts` in [[component]] `a`"))

        let build = try #require(
            manifestError(
                Self.v1Head
                    + "[[component]]\nid = \"a\"\nsource = \"a.wasm\"\n[component.trigger]\nroute = \"/\"\n[component.build]\ncommand = \"make\"\ndir = \"x\"\n"
            ))
        #expect(build.line == 12)
        #expect(build.key == "dir")

        let exec = try #require(
            manifestError(
                Self.v1Head
                    + "[[component]]\nid = \"a\"\nsource = \"a.wasm\"\n[component.trigger]\nroute = \"/\"\nexecutor = { type = \"wagi\", entry = \"main\" }\n"
            ))
        #expect(exec.key == "entry")
        #expect(exec.line == 10)

        let v2 = try #require(
            manifestError(
                "spin_manifest_version = 2\n[application]\nname = \"x\"\n[component.a]\nsource = \"a.wasm\"\nallowed_http = []\n"
            ))
        #expect(v2.description.hasPrefix("spin.toml:6: unknown key `allowed_http` in [component.a]"))
    }

    @Test func wrongTypesNameTheKeyAndLine() throws {
        let e = try #require(manifestError("spin_manifest_version = \"1\"\nname = 7\ntrigger = { type = \"http\" }\n"))
        #expect(e.kind == .wrongType)
        #expect(e.description == "spin.toml:2: `name` in the top level must be a string, found integer")

        let arr = try #require(
            manifestError(
                Self.v1Head
                    + "[[component]]\nid = \"a\"\nsource = \"a.wasm\"\nkey_value_stores = [\n  \"default\",\n  3,\n]\n[component.trigger]\nroute = \"/\"\n"
            ))
        #expect(arr.line == 10)
        #expect(arr.message.contains("element 2 is a integer") || arr.message.contains("element 2 is an integer"))

        let comp = try #require(manifestError(Self.v1Head + "[component]\nid = \"a\"\n"))
        #expect(comp.message.contains("array of tables"))
    }

    @Test func versionRules() throws {
        let int1 = try #require(manifestError("spin_version = 1\nname = \"a\"\n"))
        #expect(int1.kind == .unsupportedVersion)
        #expect(
            int1.description
                == "spin.toml:1: `spin_version = 1` must be the string \"1\" (write `spin_version = \"1\"`), or use `spin_manifest_version = 2` for a v2 manifest"
        )
        let str2 = try #require(manifestError("spin_manifest_version = \"2\"\n"))
        #expect(str2.message.contains("must be the integer 2"))
        let missing = try #require(manifestError("name = \"a\"\n"))
        #expect(missing.message.hasPrefix("missing `spin_manifest_version`"))
        let both = try #require(manifestError("spin_manifest_version = \"1\"\nspin_version = \"1\"\n"))
        #expect(both.line == 2)
        // spin_version = "1" is the old spelling and still loads.
        let old = try Manifest.parse("spin_version = \"1\"\nname = \"a\"\ntrigger = { type = \"http\" }\n")
        #expect(old.schemaVersion == .v1)
        #expect(old.version == "")
        #expect(old.httpBase == "/")
    }

    @Test func duplicateComponentIDs() throws {
        let c = "[[component]]\nid = \"a\"\nsource = \"a.wasm\"\n[component.trigger]\nroute = \"/a\"\n"
        let e = try #require(manifestError(Self.v1Head + c + c))
        #expect(e.kind == .duplicate)
        #expect(e.description == "spin.toml:11: cannot have duplicate component IDs: `a` (first defined at line 6)")
    }

    @Test func variableRules() throws {
        let both = try #require(manifestError(Self.v1Head + "[variables]\nx = { required = true, default = \"d\" }\n"))
        #expect(both.line == 6)
        #expect(both.message.contains("either have `required` set to true OR have a default value"))
        let neither = try #require(manifestError(Self.v1Head + "[variables]\nx = { secret = true }\n"))
        #expect(neither.key == "x")
        let badName = try #require(manifestError(Self.v1Head + "[variables]\nBad = { default = \"d\" }\n"))
        #expect(
            badName.message
                == "invalid variable name `Bad` in [variables]: may contain only lowercase letters, digits and '_'")
        for (name, ok) in [
            ("a", true), ("a_b1", true), ("1a", false), ("a__b", false), ("a_", false), ("_a", false), ("a-b", false),
        ] {
            #expect((Compat.configKeyProblem(name) == nil) == ok, "\(name)")
        }
        let unknown = try #require(
            manifestError(Self.v1Head + "[variables]\nx = { default = \"d\", secrett = true }\n"))
        #expect(unknown.message.hasPrefix("unknown key `secrett` in variable `x`"))
    }

    @Test func configKeysAndTemplates() throws {
        let base =
            Self.v1Head
            + "[[component]]\nid = \"a\"\nsource = \"a.wasm\"\n[component.trigger]\nroute = \"/\"\n[component.config]\n"
        let bad = try #require(manifestError(base + "Message = \"x\"\n"))
        #expect(bad.line == 11)
        #expect(bad.message.hasPrefix("invalid key `Message` in `config`"))
        let unterminated = try #require(manifestError(base + "m = \"{{ x\"\n"))
        #expect(unterminated.message.contains("unterminated `{{`"))
    }

    @Test func sourceRules() throws {
        let base = Self.v1Head + "[[component]]\nid = \"a\"\n"
        let http = try #require(
            manifestError(base + "source = { url = \"http://x/a.wasm\", digest = \"sha256:ab\" }\n"))
        #expect(http.message.hasPrefix("invalid URL scheme `http`"))
        let digest = try #require(
            manifestError(base + "source = { url = \"https://x/a.wasm\", digest = \"md5:ab\" }\n"))
        #expect(digest.message.contains("`sha256:`"))
        let missing = try #require(manifestError(base + "[component.trigger]\nroute = \"/\"\n"))
        #expect(missing.kind == .missingKey)
        #expect(missing.message.hasPrefix("missing required key `source`"))
        let noTrigger = try #require(manifestError(base + "source = \"a.wasm\"\n"))
        #expect(noTrigger.message.hasPrefix("missing required key `trigger`"))
        let noRoute = try #require(
            manifestError(base + "source = \"a.wasm\"\n[component.trigger]\nexecutor = { type = \"spin\" }\n"))
        #expect(noRoute.message == "missing required key `route` in [component.trigger] of component `a`")
        #expect(noRoute.line == 8)
        let exec = try #require(
            manifestError(
                base + "source = \"a.wasm\"\n[component.trigger]\nroute = \"/\"\nexecutor = { type = \"http\" }\n"))
        #expect(exec.message.hasPrefix("unknown executor type `http`"))  // "http" is a v2 spelling
    }

    @Test func allowedHTTPHostsMigration() throws {
        func hosts(_ list: String, outbound: String? = nil) throws -> [String] {
            var text = Self.v1Head + "[[component]]\nid = \"a\"\nsource = \"a.wasm\"\nallowed_http_hosts = \(list)\n"
            if let outbound { text += "allowed_outbound_hosts = \(outbound)\n" }
            text += "[component.trigger]\nroute = \"/\"\n"
            return try Manifest.parse(text).components[0].allowedOutboundHosts
        }
        #expect(
            try hosts("[\"insecure:allow-all\"]") == [
                "http://*:*", "https://*:*", "http://self", "redis://*:*", "mysql://*:*", "postgres://*:*",
            ])
        #expect(
            try hosts("[\"example.com\", \"api.x.io:8080\", \"self\"]", outbound: "[]") == [
                "http://example.com", "https://example.com", "http://api.x.io:8080", "https://api.x.io:8080",
                "http://self",
            ])
        #expect(
            try hosts("[\"https://example.com/\"]", outbound: "[\"mysql://db:3306\"]") == [
                "https://example.com", "mysql://db:3306",
            ])
        let e = try #require(
            manifestError(
                Self.v1Head
                    + "[[component]]\nid = \"a\"\nsource = \"a.wasm\"\nallowed_http_hosts = [\"example.com/path\"]\n"))
        #expect(e.line == 8)
        let noScheme = try #require(
            manifestError(
                "spin_manifest_version = 2\n[application]\nname = \"x\"\n[component.a]\nsource = \"a.wasm\"\nallowed_outbound_hosts = [\"example.com\"]\n"
            ))
        #expect(noScheme.message.contains("must include a scheme"))
    }

    @Test func labelsAreValidated() throws {
        for (l, ok) in [
            ("default", true), ("my_store", true), ("MY_STORE", true), ("My_store", false), ("my__store", false),
            ("1st", false), ("", false),
        ] {
            #expect((Compat.labelProblem(l) == nil) == ok, "\(l)")
        }
        let e = try #require(
            manifestError(
                Self.v1Head
                    + "[[component]]\nid = \"a\"\nsource = \"a.wasm\"\nkey_value_stores = [\"my-store\"]\n[component.trigger]\nroute = \"/\"\n"
            ))
        #expect(e.message.hasPrefix("invalid label `my-store` in `key_value_stores`"))
    }

    @Test func tomlSyntaxErrorsKeepTheirPosition() throws {
        let e = try #require(
            manifestError("spin_manifest_version = \"1\"\nname = \"a\nversion = \"1\"\n", path: "apps/x/spin.toml"))
        #expect(e.kind == .syntax)
        #expect(e.description.hasPrefix("apps/x/spin.toml:2: TOML error at column 10: newline in a single-line string"))
    }

    @Test func unreadableFileIsAnIOError() {
        do {
            _ = try Manifest.load(path: "/nonexistent/dir/spin.toml")
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .io)
            #expect(error.description.hasPrefix("/nonexistent/dir/spin.toml: cannot read manifest"))
        }
    }

    @Test func httpBaseRules() throws {
        let app = try Manifest.parse(
            "spin_manifest_version = \"1\"\nname = \"a\"\ntrigger = { type = \"http\", base = \"api\" }\n")
        #expect(app.httpBase == "/api")
        let v2 = try Manifest.parse("spin_manifest_version = 2\n[application]\nname = \"a\"\n")
        #expect(v2.httpBase == "/")
        let bad = try #require(
            manifestError(
                "spin_manifest_version = \"1\"\nname = \"a\"\ntrigger = { type = \"http\", base = \"/\", route = \"/\" }\n"
            ))
        #expect(bad.message.hasPrefix("unknown key `route` in `trigger`"))
        let redis = try #require(
            manifestError("spin_manifest_version = \"1\"\nname = \"a\"\ntrigger = { type = \"redis\" }\n"))
        #expect(redis.message == "missing required key `address` in `trigger`")
    }

    @Test func externalTriggerTypesAreKeptVerbatim() throws {
        let app = try Manifest.parse(
            """
            spin_manifest_version = "1"
            name = "cron"
            trigger = { type = "cron", tick = "1s" }
            [[component]]
            id = "job"
            source = "job.wasm"
            [component.trigger]
            cron_expression = "1/2 * * * * *"
            """)
        #expect(app.otherTriggerSettings["cron"]?["tick"] == .string("1s"))
        #expect(app.otherTriggers.count == 1)
        #expect(app.otherTriggers[0].type == "cron")
        #expect(app.otherTriggers[0].settings["cron_expression"] == .string("1/2 * * * * *"))
    }
}

@Suite struct ManifestV2Tests {
    @Test func idsAreGeneratedLikeSpin() throws {
        let app = try Manifest.parse(
            """
            spin_manifest_version = 2
            [application]
            name = "ids"
            [[trigger.http]]
            route = "/a"
            component = "a"
            [[trigger.http]]
            route = "/b"
            component = { source = "b.wasm", allowed_outbound_hosts = ["https://x.io"] }
            [[trigger.http]]
            id = "named"
            route = "/c/..."
            component = { source = "c.wasm" }
            executor = { type = "http" }
            [component.a]
            source = "a.wasm"
            """, path: "/x/spin.toml")
        #expect(app.httpTriggers.map(\.id) == ["a-http-trigger", "http-trigger1", "named"])
        #expect(app.httpTriggers.map(\.componentID) == ["a", "http-trigger1-component", "named-component"])
        #expect(app.components.map(\.id) == ["a", "http-trigger1-component", "named-component"])
        #expect(app.component(id: "http-trigger1-component")?.allowedOutboundHosts == ["https://x.io"])
        #expect(app.httpTriggers[2].executor == .spin)
    }

    @Test func componentIDsMustBeKebabCase() throws {
        let e = try #require(
            manifestError(
                "spin_manifest_version = 2\n[application]\nname = \"x\"\n[component.my_comp]\nsource = \"a.wasm\"\n"))
        #expect(e.line == 4)
        #expect(e.message.hasPrefix("invalid component id `my_comp`: must use '-' between words"))
        #expect(Compat.kebabIDProblem("Hello") != nil)
        #expect(Compat.kebabIDProblem("a-1") == nil)
        #expect(Compat.kebabIDProblem("a--b") != nil)
    }

    @Test func triggerErrors() throws {
        let head = "spin_manifest_version = 2\n[application]\nname = \"x\"\n[component.a]\nsource = \"a.wasm\"\n"
        let unknown = try #require(
            manifestError(head + "[[trigger.http]]\nroute = \"/\"\ncomponent = \"a\"\nrout = \"/\"\n"))
        #expect(
            unknown.description
                == "spin.toml:9: unknown key `rout` in [[trigger.http]] `a-http-trigger` (expected one of `component`, `executor`, `id`, `route`)"
        )
        let dup = try #require(
            manifestError(
                head
                    + "[[trigger.http]]\nid = \"t\"\nroute = \"/\"\ncomponent = \"a\"\n[[trigger.http]]\nid = \"t\"\nroute = \"/b\"\ncomponent = \"a\"\n"
            ))
        #expect(dup.kind == .duplicate)
        #expect(dup.line == 11)
        let noAddress = try #require(manifestError(head + "[[trigger.redis]]\nchannel = \"c\"\ncomponent = \"a\"\n"))
        #expect(noAddress.message.contains("no `address`"))
        let withAddress = try Manifest.parse(
            head + "[[trigger.redis]]\nchannel = \"c\"\ncomponent = \"a\"\naddress = \"redis://r:6379\"\n")
        #expect(withAddress.redisTriggers.first?.address == "redis://r:6379")
        // Spin 2.5+ private routes load (and are left out of the router: Spin3ManifestTests).
        let privateRoute = try Manifest.parse(
            head + "[[trigger.http]]\nroute = { private = true }\ncomponent = \"a\"\n")
        #expect(privateRoute.httpTriggers.first?.isPrivate == true)
        let missing = try #require(manifestError(head + "[[trigger.http]]\nroute = \"/\"\n"))
        #expect(missing.message == "missing required key `component` in [[trigger.http]]")
        #expect(missing.line == 6)
    }
}

@Suite struct RuntimeConfigTests {
    @Test func fullFile() throws {
        let rc = try RuntimeConfig.parse(
            """
            state_dir = ".spin"
            log_dir = "/var/log/spin"
            [[config_provider]]
            type = "vault"
            url = "http://127.0.0.1:8200"
            token = "root"
            mount = "secret"
            [key_value_store.default]
            type = "spin"
            path = "data/kv.db"
            [key_value_store.cache]
            type = "redis"
            url = "redis://localhost:6379"
            [sqlite_database.default]
            type = "libsql"
            url = "https://db.example"
            token = "t"
            [llm_compute]
            type = "spin"
            """, path: "/etc/spin/runtime-config.toml")
        #expect(rc.stateDir == "/etc/spin/.spin")
        #expect(rc.logDir == "/var/log/spin")
        #expect(
            rc.configProviders == [.vault(url: "http://127.0.0.1:8200", token: "root", mount: "secret", prefix: nil)])
        #expect(
            rc.keyValueStores == [
                "default": .spin(path: "/etc/spin/data/kv.db"), "cache": .redis(url: "redis://localhost:6379"),
            ])
        #expect(rc.sqliteDatabases == ["default": .libsql(url: "https://db.example", token: "t")])
        #expect(rc.llmCompute == .spin)
    }

    @Test func loadFromFileAndErrors() throws {
        let path = try writeTempManifest("state_dir = \"st\"\n", name: "rc.toml")
        let rc = try RuntimeConfig.load(path: path)
        #expect(
            rc.stateDir
                == URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("st")
                .standardizedFileURL.path)
        do {
            _ = try RuntimeConfig.parse(
                "[key_value_store.default]\ntype = \"redis\"\nurl = \"redis://x\"\nttl = 3\n", path: "rc.toml")
            Issue.record("expected an error")
        } catch {
            #expect(
                error.description
                    == "rc.toml:4: unknown key `ttl` in [key_value_store.default] (expected one of `type`, `url`)")
        }
        do {
            _ = try RuntimeConfig.parse("[key_value_store.default]\ntype = \"memcached\"\n", path: "rc.toml")
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 2)
            #expect(error.message.hasPrefix("unknown key-value store type `memcached`"))
        }
        do {
            _ = try RuntimeConfig.parse("statedir = \"x\"\n", path: "rc.toml")
            Issue.record("expected an error")
        } catch {
            #expect(error.message.hasPrefix("unknown key `statedir` in the top level"))
        }
    }
}
