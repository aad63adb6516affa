import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `spin up` processes exercising Spin 3.x parity (issue 21): environment variables, the
/// parent-folder search, bare Wasm files, private routes, component selection, state and log
/// directories, `--build`, and the files mount strategies.
@Suite(.serialized, .tags(.live), .timeLimit(.minutes(3)))
struct SpinParityLiveTests {
    static let helloWorld = packageRoot + "/Examples/hello-world"
    static let fixtures = packageRoot + "/Fixtures/http"

    /// A folder holding a copy of the hello-world module and `manifest` as spin.toml.
    static func app(_ manifest: String) throws -> String {
        let dir = try temporaryFolder("parity-app")
        try FileManager.default.copyItem(atPath: helloWorld + "/main.wasm", toPath: dir + "/main.wasm")
        try manifest.write(toFile: dir + "/spin.toml", atomically: true, encoding: .utf8)
        return dir
    }

    static func v2(_ body: String) -> String {
        "spin_manifest_version = 2\n[application]\nname = \"parity\"\n" + body
    }

    @Test func listenAddressFromTheEnvironment() throws {
        let spin = try SpinUpProcess(
            ["-f", Self.helloWorld, "--quiet"], environment: ["SPIN_HTTP_LISTEN_ADDR": "127.0.0.1:0"], listen: nil)
        defer { spin.stop() }
        #expect(spin.port != 3000)
        #expect(try spin.request("GET", "/?name=Env").text == "Hello, Env")
    }

    @Test func manifestFoundInAParentFolder() throws {
        let dir = try Self.app(try String(contentsOfFile: Self.helloWorld + "/spin.toml", encoding: .utf8))
        try FileManager.default.createDirectory(atPath: dir + "/src/deep", withIntermediateDirectories: true)
        let spin = try SpinUpProcess(["--quiet"], directory: dir + "/src/deep")
        defer { spin.stop() }
        #expect(try spin.request("GET", "/").text == "Hello, Fermyon")
        #expect(
            spin.stderr.contains(
                "No 'spin.toml' in current directory. Using 'spin.toml' from grandparent directory (../../spin.toml)"))
        // Logs go to .spin/logs next to the manifest, not next to the working directory.
        #expect(spin.stdout.contains("Logging component stdio to \"\(dir)/.spin/logs/\""), "\(spin.stdout)")
    }

    @Test func aBareWasmFileIsServedOnEveryPath() throws {
        let dir = try Self.app("")
        let spin = try SpinUpProcess(["--from", "main.wasm", "--quiet"], directory: dir)
        defer { spin.stop() }
        #expect(try spin.request("GET", "/any/path?name=Bare").text == "Hello, Bare")
        #expect(spin.stdout.contains("(wildcard)"))
        // No state directory for a lone Wasm file (as Spin): no logs on disk.
        #expect(!spin.stdout.contains("Logging component stdio"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/.spin"))
    }

    @Test func privateRoutesAreUnreachableFromOutside() throws {
        let dir = try Self.app(
            Self.v2(
                """
                [[trigger.http]]
                route = { private = true }
                component = "hidden"
                [[trigger.http]]
                route = "/open/..."
                component = "open"
                [component.hidden]
                source = "main.wasm"
                [component.open]
                source = "main.wasm"
                """))
        let spin = try SpinUpProcess(["-f", dir, "--quiet"])
        defer { spin.stop() }
        #expect(try spin.request("GET", "/open/x").status == 200)
        for path in ["/", "/hidden", "/hidden/x", "/x"] {
            #expect(try spin.request("GET", path).status == 404, "\(path)")
        }
        #expect(!spin.stdout.contains("hidden"), "\(spin.stdout)")
    }

    @Test func componentSelection() throws {
        let spin = try SpinUpProcess(["-f", Self.fixtures, "--quiet", "-c", "echo", "--component-id", "exact"])
        defer { spin.stop() }
        #expect(try spin.request("GET", "/echo/x").status == 200)
        #expect(try spin.request("GET", "/trap").status == 404)
        #expect(!spin.stdout.contains("bad-status"))
    }

    @Test func stateAndLogDirectories() throws {
        let state = try temporaryFolder("state")
        let spin = try SpinUpProcess(["-f", Self.helloWorld, "--quiet", "--state-dir", state, "--key-value", "k=v"])
        spin.stop()
        #expect(spin.stdout.contains("Logging component stdio to \"\(state)/logs/\""), "\(spin.stdout)")
        #expect(FileManager.default.fileExists(atPath: state + "/logs"))
        #expect(FileManager.default.fileExists(atPath: state + "/key_value.kvlog"))
        #expect(spin.stderr.contains("Storing default key-value data to \"\(state)/key_value.kvlog\""))

        // The runtime config's log_dir, then SPIN_LOG_DIR over it, then --log-dir over that.
        let rcDir = try temporaryFolder("rc")
        try "log_dir = \"from-rc\"\n".write(toFile: rcDir + "/rc.toml", atomically: true, encoding: .utf8)
        let fromRC = try SpinUpProcess(["-f", Self.helloWorld, "--quiet", "--runtime-config-file", rcDir + "/rc.toml"])
        fromRC.stop()
        #expect(fromRC.stdout.contains("Logging component stdio to \"\(rcDir)/from-rc/\""), "\(fromRC.stdout)")
        let envDir = try temporaryFolder("envlogs")
        let fromEnv = try SpinUpProcess(
            ["-f", Self.helloWorld, "--quiet", "--runtime-config-file", rcDir + "/rc.toml"],
            environment: ["SPIN_LOG_DIR": envDir])
        fromEnv.stop()
        #expect(fromEnv.stdout.contains("Logging component stdio to \"\(envDir)/\""), "\(fromEnv.stdout)")
        let off = try SpinUpProcess(
            ["-f", Self.helloWorld, "--quiet", "--log-dir", ""], environment: ["SPIN_LOG_DIR": envDir])
        off.stop()
        #expect(!off.stdout.contains("Logging component stdio"), "\(off.stdout)")
        // SPIN_STATE_DIR (this host's) moves the state like --state-dir.
        let envState = try temporaryFolder("envstate")
        let fromStateEnv = try SpinUpProcess(
            ["-f", Self.helloWorld, "--quiet", "--key-value", "k=v"], environment: ["SPIN_STATE_DIR": envState])
        fromStateEnv.stop()
        #expect(FileManager.default.fileExists(atPath: envState + "/key_value.kvlog"))
        #expect(fromStateEnv.stdout.contains("Logging component stdio to \"\(envState)/logs/\""))
        // No state directory: the default store lives in memory.
        let none = try SpinUpProcess(["-f", Self.helloWorld, "--quiet", "--state-dir", "", "--key-value", "a=b"])
        none.stop()
        #expect(none.stderr.contains("Using in-memory default key-value store; data will not be saved!"))
        #expect(!none.stdout.contains("Logging component stdio"))
    }

    @Test func alwaysBuildRunsCommandListsInOrder() throws {
        let dir = try Self.app(
            Self.v2(
                """
                [[trigger.http]]
                route = "/..."
                component = "c"
                [component.c]
                source = "main.wasm"
                [component.c.build]
                command = ["echo one > order.txt", "echo two >> order.txt"]
                """))
        let spin = try SpinUpProcess(["-f", dir, "--quiet"], environment: ["SPIN_ALWAYS_BUILD": "1"])
        defer { spin.stop() }
        #expect(try String(contentsOfFile: dir + "/order.txt", encoding: .utf8) == "one\ntwo\n")
        #expect(try spin.request("GET", "/").status == 200)
    }

    /// wagi-files serves the files mounted at `/`: copies (`--allow-transient-write`, in
    /// `--temp`) do not see later host changes; `--direct-mounts` does.
    @Test func filesMountStrategies() throws {
        let dir = try temporaryFolder("mounts")
        try FileManager.default.copyItem(atPath: Self.fixtures + "/wagi-files.wasm", toPath: dir + "/wagi-files.wasm")
        try FileManager.default.createDirectory(atPath: dir + "/static", withIntermediateDirectories: true)
        try "before".write(toFile: dir + "/static/a.txt", atomically: true, encoding: .utf8)
        try Self.v2(
            """
            [[trigger.http]]
            route = "/static/..."
            component = { source = "wagi-files.wasm", files = [{ source = "static", destination = "/" }] }
            executor = { type = "wagi" }
            """
        ).write(toFile: dir + "/spin.toml", atomically: true, encoding: .utf8)
        let temp = try temporaryFolder("temp")
        let copied = try SpinUpProcess(["-f", dir, "--quiet", "--temp", temp, "--allow-transient-write"])
        #expect(try copied.request("GET", "/static/a.txt").text == "before")
        let copies = FileManager.default.enumerator(atPath: temp + "/assets")?.allObjects as? [String] ?? []
        #expect(copies.contains { $0.hasSuffix("a.txt") }, "\(copies)")
        try "after".write(toFile: dir + "/static/a.txt", atomically: true, encoding: .utf8)
        #expect(try copied.request("GET", "/static/a.txt").text == "before")
        copied.stop()
        let direct = try SpinUpProcess(["-f", dir, "--quiet", "--direct-mounts"])
        defer { direct.stop() }
        #expect(try direct.request("GET", "/static/a.txt").text == "after")
        try "later".write(toFile: dir + "/static/a.txt", atomically: true, encoding: .utf8)
        #expect(try direct.request("GET", "/static/a.txt").text == "later")
    }

    /// `-e` reaches every component; `--follow` picks whose output is printed, `--quiet` none;
    /// the log files get it either way.
    @Test func environmentFollowAndQuiet() throws {
        let logs = try temporaryFolder("follow-logs")
        let followed = try SpinUpProcess(["-f", Self.fixtures, "-e", "PARITY=yes", "--follow", "trap", "-L", logs])
        #expect(try followed.request("GET", "/env/x").text.contains("\nPARITY=yes\n"))
        _ = try followed.request("GET", "/trap")
        let deadline = Date().addingTimeInterval(5)
        while !followed.stderr.contains("about to trap") && Date() < deadline { usleep(20_000) }
        followed.stop()
        #expect(followed.stderr.contains("about to trap"), "\(followed.stderr)")
        #expect(try String(contentsOfFile: logs + "/trap_stderr.txt", encoding: .utf8).contains("about to trap"))
        for flags in [["--follow", "echo"], ["-q"]] {
            let other = try SpinUpProcess(["-f", Self.fixtures] + flags)
            _ = try other.request("GET", "/trap")
            usleep(200_000)
            other.stop()
            #expect(!other.stderr.contains("about to trap"), "\(flags): \(other.stderr)")
        }
    }

    /// `--variable` (values and files) wins over the providers; a runtime config's `env`
    /// provider reads its own prefix. Fixtures/hostif/config.wasm answers its config values.
    @Test func variablesFromTheCommandLineAndProviders() throws {
        let dir = try temporaryFolder("vars")
        try FileManager.default.copyItem(
            atPath: packageRoot + "/Fixtures/hostif/config.wasm", toPath: dir + "/config.wasm")
        try """
        spin_manifest_version = 2
        [application]
        name = "vars"
        [variables]
        object = { default = "teapot" }
        secret_token = { required = true, secret = true }
        [[trigger.http]]
        route = "/..."
        component = "config"
        [component.config]
        source = "config.wasm"
        [component.config.variables]
        message = "I'm a {{ object }}"
        token = "{{ secret_token }}"
        """.write(toFile: dir + "/spin.toml", atomically: true, encoding: .utf8)
        try #"{"object": "kettle"}"#.write(toFile: dir + "/vars.json", atomically: true, encoding: .utf8)
        let cli = try SpinUpProcess(
            ["-f", dir, "--quiet", "--variable", "secret_token=from-cli", "--variable", "@" + dir + "/vars.json"],
            environment: ["SPIN_VARIABLE_SECRET_TOKEN": "from-env"])
        #expect(try cli.request("GET", "/").text == "I'm a kettle")
        #expect(try cli.request("GET", "/?key=token").text == "from-cli")
        cli.stop()
        try "[[variables_provider]]\ntype = \"env\"\nprefix = \"PARITY\"\n".write(
            toFile: dir + "/rc.toml", atomically: true, encoding: .utf8)
        let provider = try SpinUpProcess(
            ["-f", dir, "--quiet", "--runtime-config-file", dir + "/rc.toml"],
            environment: ["PARITY_SECRET_TOKEN": "from-prefix", "SPIN_VARIABLE_SECRET_TOKEN": "not-this"])
        defer { provider.stop() }
        #expect(try provider.request("GET", "/?key=token").text == "from-prefix")
        #expect(try provider.request("GET", "/").text == "I'm a teapot")
    }

    /// A taken port is an error naming `--find-free-port`; with it, the next free port serves.
    @Test func findFreePort() throws {
        let first = try SpinUpProcess(["-f", Self.helloWorld, "--quiet"])
        defer { first.stop() }
        let taken = "127.0.0.1:\(first.port)"
        let spinPath = try #require(spinExecutable(), "the spin executable has not been built")
        let refused = Process()
        refused.executableURL = URL(fileURLWithPath: spinPath)
        refused.arguments = ["up", "-f", Self.helloWorld, "--quiet", "--listen", taken]
        let err = Pipe()
        refused.standardError = err
        refused.standardOutput = FileHandle.nullDevice
        try refused.run()
        refused.waitUntilExit()
        #expect(refused.terminationStatus == 1)
        #expect(
            String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).contains(
                "Error: \(taken) is already in use. To have Spin search for a free port, use the --find-free-port option."
            ))
        let second = try SpinUpProcess(["-f", Self.helloWorld, "--quiet", "--find-free-port"], listen: taken)
        defer { second.stop() }
        #expect(second.port > first.port && second.port < first.port + 10)
        #expect(try second.request("GET", "/?name=Next").text == "Hello, Next")
    }
}
