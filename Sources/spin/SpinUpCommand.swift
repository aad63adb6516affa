import Foundation
import HTTP1
import SpinHost
import WasmCore

/// `spin up`: loads an app and serves its triggers until SIGINT/SIGTERM.
enum SpinUpCommand {
    static let usage = """
        Start the Spin application

        Usage: spin up [OPTIONS]

        Options:
          -f, --from <APPLICATION>      The application to run: a spin.toml file or a folder holding one [default: spin.toml]
              --listen <ADDRESS>        The address to serve on [default: 127.0.0.1:3000]
          -e, --env <KEY=VALUE>         Pass an environment variable (key=value) to all components of the application
              --follow <ID>             Print the stdout and stderr of this component (repeatable; default: all)
              --follow-all              Print the stdout and stderr of all components
          -q, --quiet                   Do not print component stdout and stderr
          -L, --log-dir <DIR>           Where component stdio log files go [default: .spin/logs next to spin.toml]
              --runtime-config-file <FILE>  Runtime config (key-value stores, state_dir) [env: RUNTIME_CONFIG_FILE]
              --state-dir <DIR>         Where local state (the default key-value store) goes [default: .spin next to spin.toml]
              --key-value <KEY=VALUE>   Set a key in the default key-value store before starting (repeatable)
              --request-timeout <TIME>  Longest a request or message may run, e.g. 30s, 500ms, none [default: 30s]
              --max-memory <SIZE>       Linear memory each instance may have, e.g. 256MiB [default: 256MiB]
              --max-table-elements <N>  Elements each table of an instance may have [default: 100000]
              --max-call-depth <N>      Guest call depth at which a call traps [default: 20000]
              --max-output <SIZE>       stdout+stderr bytes a guest may write per request [default: 64MiB]
                                        (these override the runtime config file's [limits] table)
          -h, --help                    Print help
        """

    struct Options {
        var from = "spin.toml"
        var listen = "127.0.0.1:3000"
        var environment: [String: String] = [:]
        var follow: Set<String>? = nil
        var quiet = false
        var logDirectory: String?
        var runtimeConfigFile: String? = ProcessInfo.processInfo.environment["RUNTIME_CONFIG_FILE"].flatMap {
            $0.isEmpty ? nil : $0
        }
        var stateDirectory: String?
        var keyValues: [(String, String)] = []
        /// Guest limits from flags, as (`[limits]` key, text, flag).
        var limits: [(key: String, text: String, flag: String)] = []
    }

    static func parse(_ arguments: [String]) throws -> Options? {
        var o = Options()
        var i = 0
        func value(_ flag: String) throws -> String {
            i += 1
            guard i < arguments.count else { throw AppLoadError("\(flag) needs a value") }
            return arguments[i]
        }
        while i < arguments.count {
            var a = arguments[i]
            var inline: String?
            if a.hasPrefix("--"), let eq = a.firstIndex(of: "=") {
                inline = String(a[a.index(after: eq)...])
                a = String(a[..<eq])
            }
            func v() throws -> String { if let inline { return inline } else { return try value(a) } }
            switch a {
            case "-f", "--from", "--file", "--from-file": o.from = try v()
            case "--listen": o.listen = try v()
            case "-e", "--env":
                let kv = try v()
                guard let eq = kv.firstIndex(of: "=") else {
                    throw AppLoadError("--env expects KEY=VALUE, got \"\(kv)\"")
                }
                o.environment[String(kv[..<eq])] = String(kv[kv.index(after: eq)...])
            case "--follow":
                var set = o.follow ?? []
                set.insert(try v())
                o.follow = set
            case "--follow-all": o.follow = nil
            case "-q", "--quiet": o.quiet = true
            case "-L", "--log-dir": o.logDirectory = try v()
            case "--runtime-config-file": o.runtimeConfigFile = try v()
            case "--state-dir": o.stateDirectory = try v()
            case "--key-value":
                let kv = try v()
                guard let eq = kv.firstIndex(of: "=") else {
                    throw AppLoadError("--key-value expects KEY=VALUE, got \"\(kv)\"")
                }
                o.keyValues.append((String(kv[..<eq]), String(kv[kv.index(after: eq)...])))
            case "--request-timeout", "--max-memory", "--max-table-elements", "--max-call-depth", "--max-output":
                let key = a.dropFirst(2).replacingOccurrences(of: "-", with: "_")
                let text = try v()
                var check = GuestLimits()
                try check.set(key, to: text, source: a)
                o.limits.append((key, text, a))
            case "-h", "--help": return nil
            default: throw AppLoadError("unexpected argument '\(arguments[i])' (see spin up --help)")
            }
            i += 1
        }
        return o
    }

    static func run(_ arguments: [String]) -> Int32 {
        let options: Options
        do {
            guard let o = try parse(arguments) else {
                print(usage)
                return 0
            }
            options = o
        } catch {
            printError("\(error)")
            return 2
        }
        signal(SIGPIPE, SIG_IGN)
        defer { ComponentFiles.removeDefaultCopies() }
        let log: @Sendable (String) -> Void = { line in FileHandle.standardError.write(Data((line + "\n").utf8)) }
        do {
            var loadOptions = AppLoadOptions()
            loadOptions.environment = options.environment
            let app = try LoadedApp.load(path: options.from, options: loadOptions)
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
            let host = GuestHost(
                output: output, limits: limits, log: log,
                interfaces: { component, imports in
                    spinInterfaces(component, &imports)
                    OutboundRedis.defineForGuestHost(into: &imports)
                })
            for component in app.components.values { _ = try host.link(component) }
            guard !app.manifest.httpTriggers.isEmpty || !app.manifest.redisTriggers.isEmpty else {
                printError("the application has no HTTP or Redis triggers; other trigger types are not supported yet")
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
                print("Logging component stdio to \"\(relative(logDirectory))/\"")
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
            print("Logging component stdio to \"\(relative(logDirectory))/\"")
            print(trigger.routeListing, terminator: "")
            fflush(nil)
            let signals = trigger.stopOnSignals { _ in log("Shutting down (waiting for in-flight requests)") }
            trigger.waitUntilStopped()
            signals.cancel()
            return 0
        } catch {
            printError("\(error)")
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
