import ArgumentParsing
import Foundation
import Testing

@testable import SpinCommands

/// Runs `spin ARGUMENTS` in-process.
private func spin(_ arguments: [String]) -> (status: Int32, out: String, err: String) {
    CapturedConsole.run { SpinCommand.run(arguments: arguments, console: $0) }
}

/// A fresh folder under the temporary directory.
func temporaryFolder(_ label: String) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}

/// Spin 3.x command-line parity (issue 21): aliases, version, errors, flags, environment.
@Suite struct SpinParityTests {
    static let helloWorld = packageRoot + "/Examples/hello-world"

    @Test(arguments: [
        ("u", "up"), ("b", "build"), ("n", "new"), ("a", "add"), ("w", "watch"),
    ])
    func aliasesRunTheirCommand(alias: String, command: String) {
        let viaAlias = spin([alias, "--help"])
        #expect(viaAlias.status == 0)
        #expect(viaAlias.out == spin([command, "--help"]).out)
        #expect(viaAlias.out.contains("Usage: spin \(command) "))
        #expect(spin(["help", alias]).out == viaAlias.out)
    }

    @Test func templateIsTemplates() {
        #expect(spin(["template", "--help"]).out == spin(["templates", "--help"]).out)
        #expect(spin(["template", "list"]).status == 0)
        // Aliases are accepted, not listed.
        #expect(!spin(["--help"]).out.contains("\n  u "))
    }

    @Test func versionInSpinsShape() {
        let r = spin(["--version"])
        #expect(r.status == 0)
        // Spin: `spin 3.1.2 (3d37ac5 2025-01-15)`.
        #expect(r.out.hasPrefix("spin \(SpinCommand.implementationVersion) ("), "\(r.out)")
        #expect(r.out.contains("pure Swift") && r.out.contains("Spin 3.1.2"), "\(r.out)")
        #expect(r.out.hasSuffix(")\n"))
        #expect(spin(["-V"]) == r)
    }

    @Test func errorsAreAnyhowShaped() {
        let one = CapturedConsole.run { c in
            c.error("Failed to load application", causes: ["the cause"])
            return 0
        }
        #expect(one.err == "Error: Failed to load application\n\nCaused by:\n      the cause\n")
        let two = CapturedConsole.run { c in
            c.error("top", causes: ["first", "second\nline"])
            return 0
        }
        #expect(two.err == "Error: top\n\nCaused by:\n   0: first\n   1: second\n      line\n")
        let plain = CapturedConsole.run { c in
            c.error("just this")
            return 0
        }
        #expect(plain.err == "Error: just this\n")
    }

    @Test func missingApplicationsInSpinsWords() throws {
        let dir = try temporaryFolder("no-app")
        let r = spin(["up", "--from", dir + "/nothing.toml"])
        #expect(r.status == 1)
        #expect(
            r.err
                == "Error: File or directory '\(dir)/nothing.toml' not found. If you meant to load from a registry, use the `--from-registry` option.\n"
        )
        let emptyDir = spin(["up", "-f", dir])
        #expect(emptyDir.err == "Error: Directory \(dir) does not contain a file named 'spin.toml'\n")
        #expect(spin(["build", "-f", dir + "/x"]).err == "Error: No such file or directory '\(dir)/x'\n")
        #expect(
            spin(["watch", "-f", dir]).err == "Error: Directory \(dir) does not contain a file named 'spin.toml'\n")
    }

    @Test func theDefaultManifestIsSearchedForInParentFolders() throws {
        let root = try temporaryFolder("search")
        try FileManager.default.createDirectory(atPath: root + "/a/b/c", withIntermediateDirectories: true)
        try "".write(toFile: root + "/a/spin.toml", atomically: true, encoding: .utf8)
        let found = try #require(ManifestLocator.searchUpwards(from: root + "/a/b/c"))
        #expect(found.distance == 2)
        #expect(found.path == root + "/a/spin.toml")
        #expect(ManifestLocator.searchUpwards(from: root + "/a")?.distance == 0)
        // The search stops at the root of a Git repository.
        try FileManager.default.createDirectory(atPath: root + "/a/b/.git", withIntermediateDirectories: true)
        #expect(ManifestLocator.searchUpwards(from: root + "/a/b/c") == nil)
        let note = CapturedConsole.run { c in
            ManifestLocator.notifyIfFromParent("../../spin.toml", distance: 2, console: c)
            ManifestLocator.notifyIfFromParent("x", distance: 0, console: c)
            ManifestLocator.notifyIfFromParent("../../../spin.toml", distance: 3, console: c)
            return 0
        }
        #expect(
            note.err
                == "No 'spin.toml' in current directory. Using 'spin.toml' from grandparent directory (../../spin.toml)\n"
                + "No 'spin.toml' in current directory. Using 'spin.toml' from great-grandparent directory (../../../spin.toml)\n"
        )
    }

    @Test func spinsEnvironmentVariablesAreDefaultsFlagsOverride() throws {
        let env = [
            "SPIN_HTTP_LISTEN_ADDR": "127.0.0.1:4001", "SPIN_LOG_DIR": "/tmp/logs", "SPIN_TLS_CERT": "c.pem",
            "SPIN_TLS_KEY": "k.pem", "SPIN_ALWAYS_BUILD": "1", "DISABLE_WASMTIME_CACHE": "true",
            "RUNTIME_CONFIG_FILE": "rc.toml", "WASMTIME_CACHE_FILE": "cache.toml",
        ]
        let o = SpinUpCommand.Options(environment: env)
        #expect(o.listen == "127.0.0.1:4001" && o.logDirectory == "/tmp/logs")
        #expect(o.tlsCert == "c.pem" && o.tlsKey == "k.pem")
        #expect(o.build && o.disableCache && o.runtimeConfigFile == "rc.toml" && o.cacheConfigFile == "cache.toml")
        #expect(!SpinUpCommand.Options(environment: ["SPIN_ALWAYS_BUILD": "false"]).build)
        #expect(SpinUpCommand.Options(environment: [:]).listen == "127.0.0.1:3000")
        // flag > env
        let flagged = try #require(
            try SpinUpCommand.spec.parse(["--listen", "0.0.0.0:9", "-L", "x"], into: o))
        #expect(flagged.listen == "0.0.0.0:9" && flagged.logDirectory == "x")
        // An empty SPIN_LOG_DIR turns logging to files off, as an empty --log-dir does.
        #expect(SpinUpCommand.Options(environment: ["SPIN_LOG_DIR": ""]).logDirectory == "")
        #expect(SpinUpCommand.Options(environment: ["SPIN_STATE_DIR": "/s"]).stateDirectory == "/s")
        #expect(
            try SpinUpCommand.spec.parse(["--state-dir", "flag"], into: .init(environment: ["SPIN_STATE_DIR": "/s"]))?
                .stateDirectory == "flag")
    }

    @Test func requestsAreLoggedAtSpinsInfoLevel() {
        for (filter, logs) in [
            (nil, false), ("", false), ("warn", false), ("spin=info", true), ("debug", true),
            ("spin_trigger_http=trace,warn", true), ("error", false),
        ] as [(String?, Bool)] {
            #expect(SpinUpCommand.Options.rustLogShowsRequests(filter) == logs, "\(filter ?? "nil")")
        }
    }

    @Test func everySpin3UpFlagParses() throws {
        let o = try #require(
            try SpinUpCommand.spec.parse(
                [
                    "--from-registry", "r/a:1", "-k", "--cache-dir", "cd", "--temp", "t", "--direct-mounts", "--build",
                    "-c", "a", "--component-id", "b", "--tls-cert", "c", "--tls-key", "k", "--disable-cache",
                    "--cache", "cf", "--disable-pooling", "--allow-transient-write", "--sqlite", "s1", "--sqlite", "@f",
                    "--sh", "--state-dir", "sd", "--key-value", "k=v",
                ], into: .init()))
        #expect(o.fromRegistry == "r/a:1" && o.insecure && o.cacheDirectory == "cd" && o.temp == "t")
        #expect(o.directMounts && o.build && o.componentIDs == ["a", "b"] && o.tlsCert == "c" && o.tlsKey == "k")
        #expect(o.disableCache && o.cacheConfigFile == "cf" && o.disablePooling && o.allowTransientWrite)
        #expect(o.sqliteStatements == ["s1", "@f"] && o.quiet && o.stateDirectory == "sd")
        #expect(try SpinUpCommand.spec.parse(["--tmp", "x"], into: .init())?.temp == "x")
        #expect(try SpinUpCommand.spec.parse(["--shush"], into: .init())?.quiet == true)
    }

    @Test(arguments: [
        (["--disable-pooling"], "--disable-pooling: this host's instance memory reservation pool cannot be turned off"),
        (["--cache", "c.toml"], "--cache c.toml (WASMTIME_CACHE_FILE): this host has no Wasmtime compilation cache"),
        (["--tls-cert", "c.pem", "--tls-key", "k.pem"], "serving HTTPS (--tls-cert/--tls-key"),
    ])
    func flagsForFeaturesThisHostLacksFail(flags: [String], message: String) {
        let r = spin(["up", "-f", Self.helloWorld] + flags)
        #expect(r.status == 1)
        #expect(r.err.hasPrefix("Error: " + message), "\(r.err)")
        #expect(r.out.isEmpty)
    }

    /// `--sqlite` runs its statements against the default database (`<state dir>/sqlite_db.db`)
    /// before serving; the first failure stops `spin up` naming the statement and SQLite's error.
    @Test func sqliteStatementsRunBeforeServing() throws {
        let state = try temporaryFolder("sqlite-state")
        let first = spin([
            "up", "-f", Self.helloWorld, "--state-dir", state, "--sqlite", "CREATE TABLE a (x)",
            "--sqlite", "INSERT INTO a VALUES (5)", "--sqlite", "SELEKT",
        ])
        #expect(first.status == 1)
        #expect(
            first.err.hasPrefix(
                "Error: failed to execute following sql statement against default database: 'SELEKT'"), "\(first.err)")
        #expect(first.err.contains("near \"SELEKT\": syntax error"), "\(first.err)")
        let file = try #require(FileManager.default.contents(atPath: state + "/sqlite_db.db"))
        #expect(file.prefix(16) == Data("SQLite format 3\0".utf8))
        // The table persisted: creating it again fails (and the trailing bad statement is never reached).
        let second = spin(["up", "-f", Self.helloWorld, "--state-dir", state, "--sqlite", "CREATE TABLE a (x)", "--sqlite", "SELEKT"])
        #expect(second.status == 1)
        #expect(second.err.contains("table a already exists"), "\(second.err)")
        let missing = spin(["up", "-f", Self.helloWorld, "--state-dir", state, "--sqlite", "@\(state)/none.sql"])
        #expect(missing.status == 1)
        #expect(missing.err.hasPrefix("Error: could not read file '\(state)/none.sql' containing sql statements"), "\(missing.err)")
    }

    @Test func tlsNeedsBothHalves() {
        let r = spin(["up", "-f", Self.helloWorld, "--tls-cert", "c.pem"])
        #expect(r.status == 2)
        #expect(r.err.hasPrefix("error: the following required arguments were not provided: --tls-key <TLS_KEY>\n"))
        let env = CapturedConsole.run { c in
            SpinUpCommand.run(SpinUpCommand.Options(environment: ["SPIN_TLS_KEY": "k.pem"]), console: c)
        }
        #expect(env.status == 2 && env.err.contains("--tls-cert <TLS_CERT>"))
    }

    @Test func registryReferencesGoThroughTheHook() {
        // A reference that names no file is pulled: port 1 refuses, and the error says so.
        let r = spin(["up", "--from", "127.0.0.1:1/team/app:1.0"])
        #expect(r.status == 1)
        #expect(
            r.err.hasPrefix(
                "Error: Failed to load application\n\nCaused by:\n   0: cannot pull Spin application from 127.0.0.1:1/team/app:1.0\n"
            ))
        #expect(r.err.contains("Connection refused"))
        #expect(spin(["up", "--from-registry", "127.0.0.1:1/y:1"]).err.contains("cannot pull Spin application from 127.0.0.1:1/y:1"))
        #expect(
            spin(["up", "-f", Self.helloWorld, "--from-registry", "x/y:1"]).err
                == "Error: More than one application source was specified\n")
        #expect(RegistryApplications.isProbablyReference("ghcr.io/fermyon/app:v1"))
        #expect(RegistryApplications.isProbablyReference("localhost:5000/app@sha256:00"))
        #expect(!RegistryApplications.isProbablyReference("spin.toml"))
        #expect(!RegistryApplications.isProbablyReference("./dir/x"))
    }

    @Test func startupErrorsNameTheCause() throws {
        let dir = try temporaryFolder("rc")
        try "[sqlite_database.default]\ntype = \"libsql\"\nurl = \"https://db\"\ntoken = \"t\"\n".write(
            toFile: dir + "/rc.toml", atomically: true, encoding: .utf8)
        let rc = spin(["up", "-f", Self.helloWorld, "--runtime-config-file", dir + "/rc.toml"])
        #expect(rc.status == 1)
        #expect(
            rc.err
                == "Error: Failed to load runtime config\n\nCaused by:\n      \(dir)/rc.toml:2: [sqlite_database.default]: SQLite databases (libsql) are not supported by this host\n"
        )
        let component = spin(["up", "-f", Self.helloWorld, "-c", "nope"])
        #expect(component.status == 1)
        #expect(component.err.contains("specified component \"nope\" not found in application (components: hello)"))
        try "spin_manifest_version = 2\n[application]\nname = \"x\"\nbogus = 1\n".write(
            toFile: dir + "/spin.toml", atomically: true, encoding: .utf8)
        let manifest = spin(["up", "-f", dir])
        #expect(
            manifest.err
                == "Error: Failed to load application\n\nCaused by:\n   0: Failed to load manifest from \"\(dir)/spin.toml\"\n   1: \(dir)/spin.toml:4: unknown key `bogus` in [application] (expected one of `authors`, `description`, `name`, `tool`, `trigger`, `version`)\n"
        )
    }

    @Test func directMountsRefuseFilePatterns() throws {
        let dir = try temporaryFolder("dm")
        try """
        spin_manifest_version = 2
        [application]
        name = "dm"
        [[trigger.http]]
        route = "/..."
        component = "c"
        [component.c]
        source = "\(Self.helloWorld)/main.wasm"
        files = ["*.txt"]
        """.write(toFile: dir + "/spin.toml", atomically: true, encoding: .utf8)
        let r = spin(["up", "-f", dir, "--direct-mounts"])
        #expect(r.status == 1)
        #expect(r.err.contains("--direct-mounts needs every `files` entry to be a `{ source, destination }` directory"))
    }

    @Test func watchKeepsItsOwnDashC() throws {
        // `spin watch -c` is --clear (Spin's); `spin up`'s -c/--component-id goes after `--`.
        let o = try #require(try SpinWatchCommand.spec.parse(["-c", "--", "-c", "x"], into: .init()))
        #expect(o.clear && o.upArgs == ["-c", "x"])
    }

    @Test func variablesAndInstanceMemoryFlags() throws {
        let dir = try temporaryFolder("varfiles")
        try "a = \"1\"\nb = \"2\"\n".write(toFile: dir + "/v.toml", atomically: true, encoding: .utf8)
        try #"{"b": "3"}"#.write(toFile: dir + "/v.json", atomically: true, encoding: .utf8)
        let o = try #require(
            try SpinUpCommand.spec.parse(
                ["--variable", "@\(dir)/v.toml", "--variable", "@\(dir)/v.json", "--variable", "c=x=y"], into: .init()))
        #expect(o.variables == ["a": "1", "b": "3", "c": "x=y"])
        for bad in ["novalue", "@\(dir)/missing.json", "@\(dir)/v.txt"] {
            let r = spin(["up", "--variable", bad])
            #expect(r.status == 2, "\(bad)")
            #expect(r.err.hasPrefix("error: invalid value '\(bad)' for --variable"), "\(r.err)")
        }
        try #"{"n": 1}"#.write(toFile: dir + "/n.json", atomically: true, encoding: .utf8)
        #expect(spin(["up", "--variable", "@\(dir)/n.json"]).err.contains("the value of `n` must be a string"))
        let m = try #require(try SpinUpCommand.spec.parse(["--max-instance-memory", "1048576"], into: .init()))
        #expect(m.limits.map(\.key) == ["max_memory"] && m.limits.first?.text == "1048576")
        #expect(spin(["up", "--max-instance-memory", "lots"]).status == 2)
        // The environment's value comes first, so a flag given later wins.
        let env = SpinUpCommand.Options(environment: ["SPIN_MAX_INSTANCE_MEMORY": "65536"])
        #expect(env.limits.map(\.flag) == ["SPIN_MAX_INSTANCE_MEMORY"])
        // hello-world's module starts with 17 pages: past a 64 KiB limit, refused at start.
        var fromEnv = env
        fromEnv.from = Self.helloWorld
        let refused = CapturedConsole.run { c in SpinUpCommand.run(fromEnv, console: c) }
        #expect(refused.status == 1)
        #expect(refused.err.contains("(64 KiB, SPIN_MAX_INSTANCE_MEMORY)"), "\(refused.err)")
        let limited = spin(["up", "-f", Self.helloWorld, "--max-instance-memory", "65536"])
        #expect(limited.status == 1)
        #expect(
            limited.err.contains("more than max_memory allows (64 KiB, --max-instance-memory)"), "\(limited.err)")
    }

    @Test(arguments: ["plugins", "plugin", "doctor", "deploy", "d", "login", "cloud"])
    func spinCommandsThisHostLacksSaySo(command: String) {
        let r = spin([command, "list"])
        #expect(r.status == 1)
        #expect(r.err.hasPrefix("Error: `spin "), "\(r.err)")
        #expect(r.err.contains("is a Spin command this implementation does not have"))
        #expect(!spin(["--help"]).out.contains("\n  \(command) "))
    }
}
