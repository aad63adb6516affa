import Foundation
import TOML
import TestSupport
import Testing

@testable import SpinTooling

/// Spin 3.1.2's own templates (`../shared/spin-templates`, test data): they
/// install with `spin templates install --dir`, and `spin new`/`spin add`
/// produce the files Spin would. The expected text is the template text with
/// each placeholder spelling these templates use replaced by what Spin's
/// renderer makes of it (heck's case conversions, `http_wildcard`), written
/// out here rather than computed by the renderer under test.
@Suite struct SpinOwnTemplatesTests {
    static let root = SharedData.root.appendingPathComponent("spin-templates").path
    static let available = FileManager.default.fileExists(atPath: root + "/http-rust/metadata/spin-template.toml")
    static let skip: Comment = "../shared/spin-templates is absent (set SPIN_SHARED_DIR); Spin's templates not tested"
    static let ids = [
        "http-c", "http-empty", "http-go", "http-grain", "http-php", "http-rust", "http-zig", "redirect", "redis-go",
        "redis-rust", "static-fileserver",
    ]
    /// Templates with an `[add_component]` section.
    static let addable = ["http-go", "http-rust", "redirect", "redis-rust", "static-fileserver"]

    static let values = [
        "project-description": "A test app", "http-path": "/hello/...", "files-path": "assets",
        "redis-address": "redis://localhost:6379", "redis-channel": "chan", "redirect-from": "/old",
        "redirect-to": "/new",
    ]

    /// What Spin renders for each placeholder, for a project called `kebab`/`snake` at `outputPath`.
    static func expected(_ text: String, kebab: String, snake: String, outputPath: String) -> String {
        let replacements = [
            ("{{project-name | kebab_case}}", kebab), ("{{project-name | snake_case}}", snake),
            ("{{authors}}", "Test <t@example.com>"), ("{{project-description}}", "A test app"),
            ("{{http-path}}", "/hello/..."), ("{{ http-path | http_wildcard }}", "/hello/..."),
            ("{{ files-path }}", "assets"), ("{{redis-address}}", "redis://localhost:6379"),
            ("{{redis-channel}}", "chan"), ("{{ redirect-from }}", "/old"), ("{{ redirect-to }}", "/new"),
            ("{{ output-path }}", outputPath),
        ]
        var out = text
        for (placeholder, value) in replacements { out = out.replacingOccurrences(of: placeholder, with: value) }
        return out
    }

    func repository(_ tmp: String) throws -> TemplateRepository {
        let repo = TemplateRepository(userDirectory: tmp + "/user")
        let results = try repo.install(.directory(Self.root))
        #expect(results.installed.map(\.id) == Self.ids)
        #expect(results.skipped.isEmpty, "\(results.skipped)")
        return repo
    }

    func inputs(for template: Template, skip: [String] = []) -> TemplateGenerator.Inputs {
        var inputs = TemplateGenerator.Inputs(authors: "Test <t@example.com>")
        for p in template.manifest.parameters where !skip.contains(p.name) {
            inputs.values[p.name] = Self.values[p.name]
        }
        return inputs
    }

    @Test(.enabled(if: available, skip))
    func installCopiesEveryTemplate() throws {
        let tmp = try makeTempDir("spin-own")
        let repo = try repository(tmp)
        for t in repo.installed() {
            let source = Template.readTree(Self.root + "/" + t.id)
            var installed = t.files
            installed[".install.toml"] = nil
            #expect(installed == source, "\(t.id)")
            #expect(t.installedFrom == .directory(Self.root))
        }
        let addable = repo.installed().filter { $0.manifest.addComponent != nil }.map(\.id)
        #expect(addable == Self.addable)
    }

    /// `spin new "My App"`: every content file, `.tmpl` removed, rendered as Spin renders it.
    @Test(.enabled(if: available, skip), arguments: ids)
    func newProducesSpinsFiles(id: String) throws {
        let tmp = try makeTempDir("spin-new-\(id)")
        let template = try repository(tmp).template(id: id)
        let out = tmp + "/My_App"
        let dir = try TemplateGenerator.newApplication(
            template, request: .init(name: "My App", outputPath: out), inputs: inputs(for: template))
        #expect(dir == out)
        let sourceFiles = Template.readTree(Self.root + "/" + id).keys.filter { $0.hasPrefix("content/") }
            .map { String($0.dropFirst("content/".count)) }
        let expectedNames = sourceFiles.map { $0.hasSuffix(".tmpl") ? String($0.dropLast(5)) : $0 }.sorted()
        #expect(Template.readTree(dir).keys.sorted() == expectedNames)
        for source in sourceFiles {
            let text = readText(Self.root + "/" + id + "/content/" + source)
            let name = source.hasSuffix(".tmpl") ? String(source.dropLast(5)) : source
            let got = readText(dir + "/" + name)
            #expect(got == Self.expected(text, kebab: "my-app", snake: "my_app", outputPath: out), "\(id): \(name)")
            #expect(!got.contains("{{"), "\(id): \(name) has an unrendered placeholder")
        }
        if id == "http-rust" {
            // Spin's can_run_template: Cargo.toml (from Cargo.toml.tmpl) names the package.
            #expect(readText(dir + "/Cargo.toml").contains("name = \"my-app\""))
            #expect(readText(dir + "/spin.toml").contains("source = \"target/wasm32-wasip1/release/my_app.wasm\""))
        }
        let manifest = try TOML.parse(readText(dir + "/spin.toml"))
        #expect(manifest["spin_manifest_version"]?.integerValue == 2)
    }

    /// `spin add` of each addable template into an http-empty application:
    /// the manifest grows by each rendered snippet, as Spin's AppendToml
    /// writes it; conditions and extra outputs as the templates declare.
    @Test(.enabled(if: available, skip))
    func addAppendsSpinsSnippets() throws {
        let tmp = try makeTempDir("spin-add")
        let repo = try repository(tmp)
        let app = tmp + "/multi"
        let empty = try repo.template(id: "http-empty")
        try TemplateGenerator.newApplication(
            empty, request: .init(name: "multi", outputPath: app), inputs: inputs(for: empty))
        var manifest = Self.expected(
            readText(Self.root + "/http-empty/content/spin.toml"), kebab: "multi", snake: "multi", outputPath: app)
        #expect(readText(app + "/spin.toml") == manifest)
        func append(_ snippet: String, _ kebab: String, _ snake: String, _ out: String) {
            var trimmed = Substring(manifest)
            while let c = trimmed.last, c.isWhitespace { trimmed.removeLast() }
            manifest =
                trimmed + "\n\n"
                + Self.expected(readText(Self.root + "/" + snippet), kebab: kebab, snake: snake, outputPath: out)
        }
        func add(_ id: String, _ name: String, output: String? = nil) throws {
            let t = try repo.template(id: id)
            let variant = t.manifest.addComponent!.resolved(manifest: readText(app + "/spin.toml"))
            try TemplateGenerator.addComponent(
                t, request: .init(name: name, outputPath: output), manifestPath: app + "/spin.toml",
                inputs: inputs(for: t, skip: variant.skipParameters))
        }
        // Spin's can_add_component_from_template: "hello" and "hello 2" at "encore".
        try add("http-rust", "hello")
        append("http-rust/metadata/snippets/component.txt", "hello", "hello", "hello")
        try add("http-rust", "hello 2", output: "encore")
        append("http-rust/metadata/snippets/component.txt", "hello-2", "hello_2", "encore")
        #expect(readText(app + "/spin.toml") == manifest)
        #expect(readText(app + "/hello/Cargo.toml").contains("name = \"hello\""))
        #expect(readText(app + "/encore/Cargo.toml").contains("name = \"hello-2\""))
        #expect(readText(app + "/spin.toml").contains("source = \"encore/target/wasm32-wasip1/release/hello_2.wasm\""))
        #expect(!FileManager.default.fileExists(atPath: app + "/hello/spin.toml"))
        try add("http-go", "gopher")
        append("http-go/metadata/snippets/component.txt", "gopher", "gopher", "gopher")
        // redis-rust: the application trigger snippet only while the manifest has none.
        try add("redis-rust", "worker")
        append("redis-rust/metadata/snippets/application-trigger.txt", "worker", "worker", "worker")
        append("redis-rust/metadata/snippets/component.txt", "worker", "worker", "worker")
        try add("redis-rust", "worker-two")
        append("redis-rust/metadata/snippets/component.txt", "worker-two", "worker_two", "worker-two")
        #expect(readText(app + "/spin.toml") == manifest)
        // static-fileserver: no files (spin.toml and .gitignore skipped); the assets folder is made next to the manifest.
        try add("static-fileserver", "files")
        append("static-fileserver/metadata/snippets/component.txt", "files", "files", "files")
        var isDir: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: app + "/assets", isDirectory: &isDir) && isDir.boolValue)
        #expect(!FileManager.default.fileExists(atPath: app + "/files"))
        try add("redirect", "go-away")
        append("redirect/metadata/snippets/component.txt", "go-away", "go_away", "go-away")
        #expect(readText(app + "/spin.toml") == manifest)
        let parsed = try TOML.parse(manifest)
        #expect(
            parsed["component"]?.tableValue?.keys.sorted() == [
                "files", "go-away", "gopher", "hello", "hello-2", "worker", "worker-two",
            ])
        // Templates without [add_component].
        for id in Self.ids where !Self.addable.contains(id) {
            #expect(
                templateError {
                    try TemplateGenerator.addComponent(
                        try repo.template(id: id), name: "nope", manifestPath: app, inputs: quiet)
                } == "Template \(id) doesn't support the 'add component' operation", "\(id)")
        }
    }

    /// Spin's can_add_component_with_different_trigger and component_add_no_vcs.
    @Test(.enabled(if: available, skip))
    func addHttpToRedisApplicationWithoutVCS() throws {
        let tmp = try makeTempDir("spin-add-redis")
        let repo = try repository(tmp)
        let redis = try repo.template(id: "redis-rust")
        let app = try TemplateGenerator.newApplication(
            redis, request: .init(name: "my multi project", outputPath: tmp + "/multi", noVCS: true),
            inputs: inputs(for: redis))
        #expect(!FileManager.default.fileExists(atPath: app + "/.gitignore"))
        let http = try repo.template(id: "http-rust")
        try TemplateGenerator.addComponent(
            http, request: .init(name: "hello", noVCS: true), manifestPath: app, inputs: inputs(for: http))
        let text = readText(app + "/spin.toml")
        #expect(text.contains("[[trigger.redis]]") && text.contains("[[trigger.http]]"))
        #expect(text.contains("[component.my-multi-project]") && text.contains("[component.hello]"))
        #expect(!FileManager.default.fileExists(atPath: app + "/hello/.gitignore"))
        #expect(FileManager.default.fileExists(atPath: app + "/hello/src/lib.rs"))
    }
}

/// `spin templates install --git` of a local bare repository, choosing the
/// `spin/templates/v3.1` tag for this spin's version as Spin does.
@Suite struct TemplateGitInstallTests {
    static let hasGit = executableOnPath("git") != nil

    func git(_ args: [String], in dir: String) throws {
        let (status, out) = runTool(
            ["git", "-C", dir, "-c", "user.name=t", "-c", "user.email=t@t", "-c", "init.defaultBranch=main"] + args)
        try #require(status == 0, "git \(args.joined(separator: " ")): \(out)")
    }

    func writeTemplate(_ root: String, body: String) throws {
        let dir = root + "/templates/tagged"
        try FileManager.default.createDirectory(atPath: dir + "/metadata", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir + "/content", withIntermediateDirectories: true)
        try "manifest_version = \"1\"\nid = \"tagged\"\ndescription = \"\(body)\"\n".write(
            toFile: dir + "/metadata/spin-template.toml", atomically: true, encoding: .utf8)
        try "\(body) {{ project-name }}\n".write(toFile: dir + "/content/README.md", atomically: true, encoding: .utf8)
    }

    @Test(.enabled(if: hasGit, "git is not installed; installing templates from git not tested"))
    func installsTheVersionTagThenBranchesAndUpgrades() throws {
        let tmp = try makeTempDir("git-tags")
        let work = tmp + "/work", bare = tmp + "/templates.git"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        try git(["init", "-q", "-b", "main"], in: work)
        try writeTemplate(work, body: "for-spin-3.1")
        try git(["add", "."], in: work)
        try git(["commit", "-q", "-m", "3.1"], in: work)
        try git(["tag", "spin/templates/v3.1"], in: work)
        try writeTemplate(work, body: "newest")
        try git(["commit", "-q", "-am", "newer"], in: work)
        try git(["clone", "-q", "--bare", work, bare], in: tmp)
        let url = "file://" + bare
        #expect(TemplateRepository.versionMatchedTag(url) == "spin/templates/v3.1")
        #expect(TemplateRepository.versionMatchedTag(url, spinVersion: "9.9.0") == nil)

        let repo = TemplateRepository(userDirectory: tmp + "/user")
        var results = try repo.install(.git(url: url, branch: nil))
        #expect(results.installed.map(\.description) == ["for-spin-3.1"])
        #expect(repo.installed().first?.installedFrom == .git(url))
        #expect(repo.installedRepositories() == [url])
        // An explicit branch wins over the version tag.
        results = try repo.install(.git(url: url, branch: "main"), upgrade: true)
        #expect(results.installed.map(\.description) == ["newest"])
        // Without --upgrade, an installed template is skipped.
        results = try repo.install(.git(url: url, branch: nil))
        #expect(results.installed.isEmpty && results.skipped.map(\.reason) == ["Already exists"])
        // A repository without the tag: its HEAD.
        let untagged = tmp + "/untagged.git"
        try git(["clone", "-q", "--bare", work, untagged], in: tmp)
        try git(["tag", "-d", "spin/templates/v3.1"], in: untagged)
        results = try repo.install(.git(url: "file://" + untagged, branch: nil), upgrade: true)
        #expect(results.installed.map(\.description) == ["newest"])
        let missing =
            templateError { _ = try repo.install(.git(url: "file://" + tmp + "/missing.git", branch: nil)) } ?? ""
        #expect(missing.hasPrefix("Failed to get template source: Error cloning Git repo file://\(tmp)/missing.git: "))
        #expect(!missing.contains("\n"))
    }

    /// `--tar`: a .tar.gz whose single top folder (as GitHub's release archives have) holds templates/.
    @Test(.enabled(if: executableOnPath("tar") != nil, "tar is not installed; --tar not tested"))
    func installsFromATarball() throws {
        let tmp = try makeTempDir("tar")
        try writeTemplate(tmp + "/src/spin-v3.1.2", body: "from-tar")
        let (status, out) = runTool(["tar", "-czf", tmp + "/t.tar.gz", "-C", tmp + "/src", "spin-v3.1.2"])
        try #require(status == 0, "\(out)")
        let repo = TemplateRepository(userDirectory: tmp + "/user")
        let results = try repo.install(.tar(tmp + "/t.tar.gz"))
        #expect(results.installed.map(\.description) == ["from-tar"])
        #expect(repo.installed().first?.installedFrom == .remoteTar(tmp + "/t.tar.gz"))
        #expect(try repo.install(.tar("file://" + tmp + "/t.tar.gz")).skipped.map(\.reason) == ["Already exists"])
        #expect(
            templateError { _ = try repo.install(.tar("ftp://example/t.tgz")) }
                == "Invalid URL for remote tar: ftp://example/t.tgz (supported: http, https, file)")
    }

    /// A `variables` snippet merges into the application's [variables] (Spin's
    /// can_add_variables_from_template and can_overwrite_existing_variables).
    @Test func variablesSnippetThroughSpinAdd() throws {
        let tmp = try makeTempDir("vars")
        let dir = tmp + "/templates/add-variables"
        try FileManager.default.createDirectory(atPath: dir + "/metadata/snippets", withIntermediateDirectories: true)
        try """
        manifest_version = "1"
        id = "add-variables"
        [add_component]
        [add_component.snippets]
        component = "component.txt"
        variables = "variables.txt"
        [parameters]
        service-url = { type = "string", prompt = "URL" }
        """.write(toFile: dir + "/metadata/spin-template.toml", atomically: true, encoding: .utf8)
        try
            "[component.{{project-name | kebab_case}}]\nsource = \"x.wasm\"\n[component.{{project-name | kebab_case}}.variables]\nkv_credentials = \"{{ '{{' }} secret }}\"\n"
            .write(toFile: dir + "/metadata/snippets/component.txt", atomically: true, encoding: .utf8)
        try "secret = { default = \"xyz\" }\nurl = { default = \"{{ service-url }}\" }\n".write(
            toFile: dir + "/metadata/snippets/variables.txt", atomically: true, encoding: .utf8)
        let repo = TemplateRepository(userDirectory: tmp + "/user")
        #expect(try repo.install(from: tmp) == ["add-variables"])
        let app = try TemplateGenerator.newApplication(
            try repo.template(id: "http-c"), name: "my various project", outputDirectory: tmp + "/app", inputs: quiet)
        var inputs = TemplateGenerator.Inputs(authors: "")
        inputs.values = ["service-url": "https://service.example.com"]
        try TemplateGenerator.addComponent(
            try repo.template(id: "add-variables"), name: "insertvars", manifestPath: app, inputs: inputs)
        var text = readText(app + "/spin.toml")
        #expect(text.contains("[variables]\nsecret"))
        #expect(text.contains("url = { default = \"https://service.example.com\" }"))
        #expect(text.contains("[component.insertvars]"))
        #expect(text.contains("[component.insertvars.variables]"))
        #expect(text.contains("kv_credentials = \"{{ secret }}\""))
        inputs.values = ["service-url": "https://other.example.com"]
        try TemplateGenerator.addComponent(
            try repo.template(id: "add-variables"), name: "insertvarsagain", manifestPath: app, inputs: inputs)
        text = readText(app + "/spin.toml")
        #expect(text.contains("url = { default = \"https://other.example.com\" }"))
        #expect(!text.contains("service.example.com"))
        #expect(text.components(separatedBy: "[variables]").count == 2)
        #expect((try? TOML.parse(text)) != nil)
    }

    @Test(.enabled(if: hasGit && Toolchains.spinBinary != nil, "needs git and the spin binary"))
    func upgradeAllReinstallsFromRecordedRepositories() throws {
        let tmp = try makeTempDir("git-upgrade")
        let work = tmp + "/work"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        try git(["init", "-q", "-b", "main"], in: work)
        try writeTemplate(work, body: "first")
        try git(["add", "."], in: work)
        try git(["commit", "-q", "-m", "1"], in: work)
        let env = ["SPIN_TEMPLATES_DIR": tmp + "/user"]
        let cli = TemplateCLITests()
        var r = cli.spin(["templates", "install", "--git", "file://" + work], in: tmp, env: env)
        #expect(r.0 == 0, "\(r)")
        #expect(r.1.contains("Installed 1 template(s)"))
        try writeTemplate(work, body: "second")
        try git(["commit", "-q", "-am", "2"], in: work)
        r = cli.spin(["templates", "upgrade"], in: tmp, env: env)
        #expect(r.0 == 2)
        #expect(r.2.contains("choose the repositories to upgrade: --all, or --repo URL (found: file://\(work))"))
        r = cli.spin(["templates", "upgrade", "--all"], in: tmp, env: env)
        #expect(r.0 == 0, "\(r)")
        #expect(r.1.contains("Upgrading templates from file://\(work)...") && r.1.contains("Upgraded 1 template(s)"))
        #expect(TemplateRepository(userDirectory: tmp + "/user").installed().first?.description == "second")
    }
}

/// Spin's own templates whose toolchain is here (zig, as `python3 -m
/// ziglang`), through the CLI: `spin templates install --dir`, `spin new -t`,
/// `spin build` (with a `zig` on PATH that runs `python3 -m ziglang`), `spin up`.
@Suite(.serialized, .tags(.live)) struct SpinOwnTemplatesBuildTests {
    static let ready = SpinOwnTemplatesTests.available && Toolchains.zig && Toolchains.spinBinary != nil
    static let skip: Comment = "needs ../shared/spin-templates, python3 -m ziglang and the spin binary"

    /// The zig version, as (major, minor).
    static let zigVersion: (Int, Int)? = {
        let parts = runTool(["python3", "-m", "ziglang", "version"]).1.trimmingCharacters(in: .whitespacesAndNewlines)
            .split(separator: ".").compactMap { Int($0) }
        return parts.count >= 2 ? (parts[0], parts[1]) : nil
    }()

    func newAndBuild(_ id: String, expectSuccess: Bool = true, in dir: String? = nil) throws -> String {
        let tmp = try dir ?? makeTempDir("spin-own-build-\(id)")
        let shim = tmp + "/bin"
        try FileManager.default.createDirectory(atPath: shim, withIntermediateDirectories: true)
        try "#!/bin/sh\nexec python3 -m ziglang \"$@\"\n".write(
            toFile: shim + "/zig", atomically: true, encoding: .utf8)
        _ = runTool(["chmod", "+x", shim + "/zig"])
        let cli = TemplateCLITests()
        var env = ["SPIN_TEMPLATES_DIR": tmp + "/user"]
        var r = cli.spin(["templates", "install", "--dir", SpinOwnTemplatesTests.root], in: tmp, env: env)
        #expect(r.0 == 0, "\(r)")
        r = cli.spin(["new", "hello", "-t", id, "--accept-defaults"], in: tmp, env: env)
        try #require(r.0 == 0, "\(r)")
        guard expectSuccess else { return tmp + "/hello" }
        env["PATH"] = shim + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        r = cli.spin(["build"], in: tmp + "/hello", env: env)
        try #require(r.0 == 0, "spin build of Spin's \(id) failed: \(r)")
        #expect(r.1.contains("Finished building all Spin components"))
        return tmp + "/hello"
    }

    func expectServes(_ dir: String, body: String) throws {
        let spin = try #require(Toolchains.spinBinary)
        try withSpinUp(spin, app: dir) { port in
            let r = curl("http://127.0.0.1:\(port)/some/path")
            #expect(r.status.hasPrefix("HTTP/1.1 200"), "\(r)")
            #expect(r.body == body)
            #expect(r.headers["content-type"] == "text/plain")
        }
    }

    /// http-c: C through `zig build-exe ... -lc`, a WAGI component printing SERVER_SOFTWARE.
    @Test(.enabled(if: ready, skip))
    func httpC() throws {
        try expectServes(try newAndBuild("http-c"), body: "Hello from WAGI/1\n")
    }

    /// http-zig uses `std.io.getStdOut()`, which Zig 0.15 removed: with an older zig it builds and
    /// serves; with a newer one `spin build` runs Spin's command and fails with zig's error.
    @Test(.enabled(if: ready, skip))
    func httpZig() throws {
        guard let (major, minor) = Self.zigVersion, major == 0, minor < 15 else {
            let tmp = try makeTempDir("spin-own-build-zig")
            let dir = try newAndBuild("http-zig", expectSuccess: false, in: tmp)
            let r = TemplateCLITests().spin(
                ["build"], in: dir, env: ["PATH": tmp + "/bin:" + (ProcessInfo.processInfo.environment["PATH"] ?? "")])
            #expect(r.0 != 0)
            #expect(
                r.1.contains(
                    "Building component hello with `zig build-exe -O ReleaseSmall -target wasm32-wasi src/main.zig`"),
                "\(r)")
            #expect(r.1.contains("getStdOut") || r.2.contains("getStdOut"), "\(r)")
            return
        }
        try expectServes(try newAndBuild("http-zig"), body: "Hello World!\n")
    }
}
