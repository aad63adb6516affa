import ArgumentParsing
import Foundation
import SpinHost

extension SpinUpCommand {
    /// `spin up`'s options: Spin 3.1's `spin up` and trigger options (src/commands/up.rs,
    /// crates/trigger/src/cli.rs, crates/trigger-http), plus this host's guest limits.
    /// Spin's environment variables supply defaults (`init(environment:)`); a flag overrides them.
    public struct Options: Sendable {
        /// `-f/--from`: a manifest, a directory holding one, a `.wasm` file, or a registry reference.
        public var from: String?
        /// `--from-file` (alias `--file`): like `--from`, but always a path.
        public var fromFile: String?
        /// `--from-registry`: like `--from`, but always a registry reference.
        public var fromRegistry: String?
        /// `-k/--insecure`: speak plain HTTP to the registry (registry apps only; localhost always does).
        public var insecure = false
        /// `--cache-dir`: where downloaded components and assets go (registry apps only).
        public var cacheDirectory: String?
        /// `--temp` (alias `--tmp`): the folder for the copies of components' files.
        public var temp: String?
        public var directMounts = false
        /// `--build` [env SPIN_ALWAYS_BUILD]: `spin build` first (local apps).
        public var build = false
        /// `-c/--component-id`: run only these components.
        public var componentIDs: [String] = []
        /// `--listen` [env SPIN_HTTP_LISTEN_ADDR].
        public var listen = "127.0.0.1:3000"
        /// `--find-free-port`: when the listen port is taken, the next free one of the 9 above it.
        public var findFreePort = false
        /// `--tls-cert` / `--tls-key` [env SPIN_TLS_CERT / SPIN_TLS_KEY].
        public var tlsCert: String?
        public var tlsKey: String?
        public var environment: [String: String] = [:]
        /// The components whose output is printed; nil: all.
        public var follow: Set<String>? = nil
        public var quiet = false
        /// `-L/--log-dir` [env SPIN_LOG_DIR]; "" turns logging to files off.
        public var logDirectory: String?
        /// `--disable-cache` [env DISABLE_WASMTIME_CACHE].
        public var disableCache = false
        /// `--cache` [env WASMTIME_CACHE_FILE]: a Wasmtime cache configuration file.
        public var cacheConfigFile: String?
        public var disablePooling = false
        public var allowTransientWrite = false
        /// `--runtime-config-file` [env RUNTIME_CONFIG_FILE].
        public var runtimeConfigFile: String?
        /// `--state-dir` [env SPIN_STATE_DIR, this host's]; "" means none.
        public var stateDirectory: String?
        public var keyValues: [(String, String)] = []
        /// `--variable KEY=VALUE | @FILE.json | @FILE.toml`: app variable values, over every provider.
        public var variables: [String: String] = [:]
        /// `--sqlite STATEMENT` (or `@FILE`).
        public var sqliteStatements: [String] = []
        /// Guest limits from flags, as (`[limits]` key, text, flag).
        public var limits: [(key: String, text: String, flag: String)] = []
        /// Whether each request is logged (Spin logs them at `info`: `RUST_LOG=info` or more).
        public var logsRequests = false

        public init() {}

        /// Defaults from Spin's environment variables.
        public init(environment env: [String: String]) {
            func value(_ name: String) -> String? { env[name].flatMap { $0.isEmpty ? nil : $0 } }
            func flag(_ name: String) -> Bool {
                guard let v = env[name]?.lowercased() else { return false }
                return !["", "0", "false", "no", "off"].contains(v)
            }
            if let listen = value("SPIN_HTTP_LISTEN_ADDR") { self.listen = listen }
            tlsCert = value("SPIN_TLS_CERT")
            tlsKey = value("SPIN_TLS_KEY")
            logDirectory = env["SPIN_LOG_DIR"]
            // This host's (Spin has no variable for --state-dir); "" means none, as for the flag.
            stateDirectory = env["SPIN_STATE_DIR"]
            build = flag("SPIN_ALWAYS_BUILD")
            disableCache = flag("DISABLE_WASMTIME_CACHE")
            cacheConfigFile = value("WASMTIME_CACHE_FILE")
            runtimeConfigFile = value("RUNTIME_CONFIG_FILE")
            if let bytes = value("SPIN_MAX_INSTANCE_MEMORY") {
                limits.append(("max_memory", bytes, "SPIN_MAX_INSTANCE_MEMORY"))
            }
            logsRequests = Self.rustLogShowsRequests(env["RUST_LOG"])
        }

        /// Whether a `RUST_LOG` filter enables Spin's `info` level (where it logs each request).
        static func rustLogShowsRequests(_ filter: String?) -> Bool {
            guard let filter else { return false }
            return filter.lowercased().split(separator: ",").contains { directive in
                let level = directive.split(separator: "=").last.map(String.init) ?? ""
                return ["info", "debug", "trace"].contains(level)
            }
        }
    }

    /// A guest-limit flag: its value is checked as the `[limits]` key would be, then kept as text.
    private static func limit(_ flag: String, value: String, help: String) -> Argument<Options> {
        let key = flag.dropFirst(2).replacingOccurrences(of: "-", with: "_")
        return .option(
            flag, value: value, help: help,
            parse: { text in
                var check = GuestLimits()
                try check.set(key, to: text, source: flag)
                return text
            }
        ) { $0.limits.append((key, $1, flag)) }
    }

    public static let spec = CommandSpec<Options>(
        "spin up", abstract: "Start the Spin application",
        arguments: [
            .option(
                "-f", "--from", value: "APPLICATION",
                help: """
                    The application to run: a manifest (spin.toml), a directory holding one, a Wasm
                    module (.wasm), or a registry reference [default: spin.toml here or in a parent directory]
                    """
            ) { $0.from = $1 },
            .option("--from-file", value: "APPLICATION", aliases: ["--file"], help: "", hidden: true) {
                $0.fromFile = $1
            },
            .option("--from-registry", value: "REFERENCE", help: "", hidden: true) { $0.fromRegistry = $1 },
            .flag("-k", "--insecure", help: "Speak plain HTTP to the registry (localhost registries always do)", \.insecure),
            .option("--cache-dir", value: "DIR", help: "Cache directory for downloaded components and assets") {
                $0.cacheDirectory = $1
            },
            .option(
                "-e", "--env", value: "KEY=VALUE",
                help: "Pass an environment variable to all components of the application",
                repeatable: true, parse: Parse.keyValue
            ) { $0.environment[$1.key] = $1.value },
            .option(
                "--temp", value: "DIR", aliases: ["--tmp"],
                help: "Temporary directory for the static assets of the components"
            ) { $0.temp = $1 },
            .flag(
                "--direct-mounts",
                help: "Mount `files` directories themselves instead of copies (no patterns or exclusions)",
                \.directMounts),
            .flag(
                "--build", help: "Run `spin build` before starting (local applications) [env: SPIN_ALWAYS_BUILD=]",
                \.build),
            .option(
                "-c", "--component-id", value: "ID",
                help: "Component to run; repeat for more [default: all components]", \.componentIDs),
            .option(
                "--listen", value: "ADDRESS",
                help: "IP address and port to listen on [env: SPIN_HTTP_LISTEN_ADDR=] [default: 127.0.0.1:3000]",
                \.listen),
            .flag(
                "--find-free-port", help: "If the listen port is taken, use the first free one of the next 9",
                \.findFreePort),
            .option(
                "--tls-cert", value: "TLS_CERT",
                help: "The certificate for HTTPS (PEM) [env: SPIN_TLS_CERT=]; needs --tls-key"
            ) { $0.tlsCert = $1 },
            .option(
                "--tls-key", value: "TLS_KEY",
                help: "The private key for HTTPS (PKCS#8) [env: SPIN_TLS_KEY=]; needs --tls-cert"
            ) { $0.tlsKey = $1 },
            .option(
                "--follow", value: "ID", help: "Print output to stdout/stderr only for given component(s)",
                repeatable: true
            ) { o, id in o.follow = (o.follow ?? []).union([id]) },
            .flag("--follow-all", help: "Print the stdout and stderr of all components") { $0.follow = nil },
            .flag(
                "-q", "--quiet", aliases: ["--sh", "--shush"], help: "Silence all component output to stdout/stderr",
                \.quiet),
            .option(
                "-L", "--log-dir", value: "DIR",
                help: """
                    Log directory for the stdout and stderr of components; "" turns it off
                    [env: SPIN_LOG_DIR=] [default: logs in the state directory]
                    """
            ) { $0.logDirectory = $1 },
            .flag(
                "--disable-cache",
                help: "Disable the compilation cache (this host keeps none) [env: DISABLE_WASMTIME_CACHE=]",
                \.disableCache),
            .option(
                "--cache", value: "FILE",
                help: "Wasmtime cache configuration file (not supported here) [env: WASMTIME_CACHE_FILE=]"
            ) { $0.cacheConfigFile = $1 },
            .flag(
                "--disable-pooling", help: "Disable the pooling instance allocator (not supported here)",
                \.disablePooling),
            .flag(
                "--allow-transient-write",
                help: "Let components write to their `files` (in the copies; with --direct-mounts, the originals)",
                \.allowTransientWrite),
            .option(
                "--runtime-config-file", value: "FILE",
                help:
                    "Runtime config (key-value stores, variables providers, state_dir, [limits]) [env: RUNTIME_CONFIG_FILE=]"
            ) { $0.runtimeConfigFile = $1 },
            .option(
                "--state-dir", value: "DIR",
                help: """
                    The application state directory (logs, default key-value store); "" for none
                    [env: SPIN_STATE_DIR=] [default: .spin next to spin.toml]
                    """
            ) { $0.stateDirectory = $1 },
            .option(
                "--key-value", value: "KEY=VALUE", help: "Set a key in the default key-value store before starting",
                repeatable: true, parse: Parse.keyValue
            ) { $0.keyValues.append(($1.key, $1.value)) },
            .option(
                "--variable", value: "KEY=VALUE|@FILE",
                help: "A value for an application variable, or a .json/.toml file of them; the last wins",
                repeatable: true, parse: { text in try CommandLineVariables.parse(text) }
            ) { o, values in o.variables.merge(values) { $1 } },
            .option(
                "--max-instance-memory", value: "BYTES",
                help:
                    "Linear memory each instance may have, in bytes (as --max-memory) [env: SPIN_MAX_INSTANCE_MEMORY=]",
                parse: { text in
                    guard UInt64(text) != nil else { throw ValueError("expected a number of bytes") }
                    return text
                }
            ) { $0.limits.append(("max_memory", $1, "--max-instance-memory")) },
            .option(
                "--sqlite", value: "STATEMENT",
                help: "Run a SQLite statement against the default database before serving; @FILE[:LABEL] runs a file's statements",
                \.sqliteStatements),
            limit(
                "--request-timeout", value: "TIME",
                help: "Longest a request or message may run, e.g. 30s, 500ms, none [default: 30s]"),
            limit(
                "--max-memory", value: "SIZE",
                help: "Linear memory each instance may have, e.g. 256MiB [default: 256MiB]"),
            limit(
                "--max-table-elements", value: "N",
                help: "Elements each table of an instance may have [default: 100000]"),
            limit("--max-call-depth", value: "N", help: "Guest call depth at which a call traps [default: 20000]"),
            limit(
                "--max-output", value: "SIZE",
                help: "stdout+stderr bytes a guest may write per request [default: 64MiB]"),
        ],
        discussion: """
            Flags override Spin's environment variables, which override the runtime config file.
            The guest-limit options override the runtime config file's [limits] table.
            Requests are logged when RUST_LOG enables `info` (as Spin logs them).
            """)
}
