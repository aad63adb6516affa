import ArgumentParsing
import Foundation
import HTTP1
import SpinHost
import WasmCore

/// `spin up`: loads an app and serves its triggers until SIGINT/SIGTERM.
public enum SpinUpCommand {
    public struct Options: Sendable {
        public var from = "spin.toml"
        public var listen = "127.0.0.1:3000"
        public var environment: [String: String] = [:]
        /// The components whose output is printed; nil: all.
        public var follow: Set<String>? = nil
        public var quiet = false
        public var logDirectory: String?
        public var runtimeConfigFile: String? = ProcessInfo.processInfo.environment["RUNTIME_CONFIG_FILE"].flatMap {
            $0.isEmpty ? nil : $0
        }
        public var stateDirectory: String?
        public var keyValues: [(String, String)] = []
        /// Guest limits from flags, as (`[limits]` key, text, flag).
        public var limits: [(key: String, text: String, flag: String)] = []
        public init() {}
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
                "-f", "--from", value: "APPLICATION", aliases: ["--file", "--from-file"],
                help: "The application to run: a spin.toml file or a folder holding one [default: spin.toml]", \.from),
            .option("--listen", value: "ADDRESS", help: "The address to serve on [default: 127.0.0.1:3000]", \.listen),
            .option(
                "-e", "--env", value: "KEY=VALUE",
                help: "Pass an environment variable to all components of the application",
                repeatable: true, parse: Parse.keyValue
            ) { $0.environment[$1.key] = $1.value },
            .option(
                "--follow", value: "ID", help: "Print the stdout and stderr of this component [default: all]",
                repeatable: true
            ) { o, id in o.follow = (o.follow ?? []).union([id]) },
            .flag("--follow-all", help: "Print the stdout and stderr of all components") { $0.follow = nil },
            .flag("-q", "--quiet", help: "Do not print component stdout and stderr", \.quiet),
            .option(
                "-L", "--log-dir", value: "DIR",
                help: "Where component stdio log files go [default: .spin/logs next to spin.toml]", \.logDirectory),
            .option(
                "--runtime-config-file", value: "FILE",
                help: "Runtime config (key-value stores, state_dir, [limits]) [env: RUNTIME_CONFIG_FILE]",
                \.runtimeConfigFile),
            .option(
                "--state-dir", value: "DIR",
                help: "Where local state (the default key-value store) goes [default: .spin next to spin.toml]",
                \.stateDirectory),
            .option(
                "--key-value", value: "KEY=VALUE", help: "Set a key in the default key-value store before starting",
                repeatable: true, parse: Parse.keyValue
            ) { $0.keyValues.append(($1.key, $1.value)) },
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
        discussion: "The guest-limit options override the runtime config file's [limits] table.")

    public static func run(arguments: [String], console: Console = .standard) -> Int32 {
        spec.run(arguments, defaults: Options(), console: console) { run($0, console: console) }
    }

    /// Serves the application until SIGINT/SIGTERM; returns the exit status.
    public static func run(_ options: Options, console: Console = .standard) -> Int32 {
        signal(SIGPIPE, SIG_IGN)
        defer { ComponentFiles.removeDefaultCopies() }
        let log: @Sendable (String) -> Void = { line in console.err(line + "\n") }
        do {
            var loadOptions = AppLoadOptions()
            loadOptions.environment = options.environment
            let app = try RegistryAppSource.load(options.from, options: loadOptions)
            let logDirectory = options.logDirectory ?? (app.manifest.baseDirectory + "/.spin/logs")
            let output = GuestOutput(follow: options.follow, quiet: options.quiet, logDirectory: logDirectory)
            // Host interfaces: startup checks (required variables, key-value store
            // labels, runtime config), then one GuestContext per instance.
            let runtimeConfig =
                try options.runtimeConfigFile.map { try RuntimeConfig.load(path: $0) } ?? RuntimeConfig()
            let services = try AppServices.start(
                app: app.manifest, runtimeConfig: runtimeConfig, stateDirectory: options.stateDirectory,
                log: LogSink(log), selfOrigin: selfOrigin(listen: options.listen))
            if !options.keyValues.isEmpty {
                guard
                    let store = services.keyValueStores["default"]
                        ?? (try? FileKeyValueStore(
                            path: (options.stateDirectory ?? runtimeConfig.stateDir ?? app.manifest.baseDirectory
                                + "/.spin") + "/key_value.kvlog"))
                else { throw AppLoadError("--key-value: cannot open the default key-value store") }
                for (k, v) in options.keyValues { try store.set(k, Array(v.utf8)) }
            }
            let spinInterfaces = SpinInterfaces.guestHostInterfaces(services: services)
            var limits = runtimeConfig.limits ?? .default
            for l in options.limits { try limits.set(l.key, to: l.text, source: l.flag) }
            // A module whose own initial memory or table is past a limit would fail every request.
            for (id, component) in app.components.sorted(by: { $0.key < $1.key }) {
                try limits.check(component.module, component: id)
            }
            let host = GuestHost(
                output: output, limits: limits, log: log,
                interfaces: { component, imports in
                    spinInterfaces(component, &imports)
                    OutboundRedis.defineForGuestHost(into: &imports)
                })
            for component in app.components.values { _ = try host.link(component) }
            guard !app.manifest.httpTriggers.isEmpty || !app.manifest.redisTriggers.isEmpty else {
                console.error(
                    "the application has no HTTP or Redis triggers; other trigger types are not supported yet")
                return 1
            }
            var redis: RedisTriggerRunner? = nil
            if !app.manifest.redisTriggers.isEmpty {
                let runner = try RedisTriggerRunner(
                    manifest: app.manifest, log: log,
                    handler: RedisTriggerRunner.handler(app: app, host: host, log: log))
                runner.start()
                redis = runner
            }
            defer {
                redis?.stop()
                _ = redis?.wait()
            }
            guard !app.manifest.httpTriggers.isEmpty else {
                console.print("Logging component stdio to \"\(relative(logDirectory))/\"")
                fflush(nil)
                let stopped = DispatchSemaphore(value: 0)
                let signals = SignalHandlers.install { _ in
                    log("Shutting down")
                    stopped.signal()
                }
                stopped.wait()
                signals.cancel()
                return 0
            }
            let trigger = HTTPTriggerServer(app: app, host: host, listen: options.listen, log: log)
            let router = trigger.router
            for line in router.duplicateWarningLines { log(line) }
            try trigger.start()
            log(trigger.capacityLine)
            console.print("Logging component stdio to \"\(relative(logDirectory))/\"")
            console.out(trigger.routeListing)
            fflush(nil)
            let signals = trigger.stopOnSignals { _ in log("Shutting down (waiting for in-flight requests)") }
            trigger.waitUntilStopped()
            signals.cancel()
            return 0
        } catch {
            console.error("\(error)")
            return 1
        }
    }

    /// `scheme://authority` for outbound requests to `self` (relative URIs).
    static func selfOrigin(listen: String) -> String {
        var l = listen
        if l.hasPrefix("0.0.0.0:") { l = "127.0.0.1:" + l.dropFirst(8) }
        if l.hasPrefix("[::]:") { l = "[::1]:" + l.dropFirst(5) }
        if l.hasPrefix("localhost:") { l = "127.0.0.1:" + l.dropFirst(10) }
        return "http://" + l
    }

    static func relative(_ path: String) -> String {
        let cwd = FileManager.default.currentDirectoryPath
        if path.hasPrefix(cwd + "/") { return String(path.dropFirst(cwd.count + 1)) }
        return path
    }
}
