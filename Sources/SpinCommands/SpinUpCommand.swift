import ArgumentParsing
import Foundation
import HTTP1
import SpinHost
import WasmCore

/// `spin up`: loads an app and serves its triggers until SIGINT/SIGTERM.
public enum SpinUpCommand {
    public static func run(arguments: [String], console: Console = .standard) -> Int32 {
        spec.run(arguments, defaults: Options(environment: ProcessInfo.processInfo.environment), console: console) {
            run($0, console: console)
        }
    }

    /// A `spin up` failure: the message, then Spin's `Caused by:` lines.
    struct Failure: Error {
        var message: String
        var causes: [String] = []
    }

    /// Where the application comes from.
    enum Source {
        /// A manifest file; `distance` > 0 when found in a parent directory.
        case manifest(path: String, distance: Int)
        /// A lone Wasm module.
        case wasm(path: String)
        /// A registry reference.
        case registry(String)
    }

    /// Serves the application until SIGINT/SIGTERM; returns the exit status.
    public static func run(_ options: Options, console: Console = .standard) -> Int32 {
        signal(SIGPIPE, SIG_IGN)
        defer { ComponentFiles.removeDefaultCopies() }
        if (options.tlsCert == nil) != (options.tlsKey == nil) {
            let missing = options.tlsCert == nil ? "--tls-cert <TLS_CERT>" : "--tls-key <TLS_KEY>"
            return spec.fail("the following required arguments were not provided: \(missing)", console: console)
        }
        do {
            try refuseUnsupported(options)
            return try serve(options, console: console)
        } catch let f as Failure {
            console.error(f.message, causes: f.causes)
            return 1
        } catch {
            console.error("\(error)")
            return 1
        }
    }

    /// Options naming features this host lacks: an error, never accepted and ignored.
    static func refuseUnsupported(_ o: Options) throws(Failure) {
        if o.tlsCert != nil {
            throw Failure(
                message:
                    "serving HTTPS (--tls-cert/--tls-key, SPIN_TLS_CERT/SPIN_TLS_KEY) is not supported by this host; put a TLS proxy in front of `spin up`"
            )
        }
        if o.disablePooling {
            throw Failure(
                message:
                    "--disable-pooling: this host's instance memory reservation pool cannot be turned off (it has no Wasmtime pooling allocator)"
            )
        }
        if let cache = o.cacheConfigFile {
            throw Failure(
                message:
                    "--cache \(cache) (WASMTIME_CACHE_FILE): this host has no Wasmtime compilation cache to configure")
        }
    }

    /// Spin's choice of application source (src/commands/up.rs, `app_source`).
    static func source(_ o: Options, console: Console) throws -> Source {
        let given = [o.from, o.fromFile, o.fromRegistry].compactMap { $0 }
        guard given.count <= 1 else { throw Failure(message: "More than one application source was specified") }
        if let reference = o.fromRegistry { return .registry(reference) }
        if let path = o.fromFile { return try fileSource(path) }
        if let from = o.from {
            if FileManager.default.fileExists(atPath: from) { return try fileSource(from) }
            if RegistryApplications.isProbablyReference(from) { return .registry(from) }
            throw Failure(
                message:
                    "File or directory '\(from)' not found. If you meant to load from a registry, use the `--from-registry` option."
            )
        }
        guard let (path, distance) = ManifestLocator.searchUpwards(from: FileManager.default.currentDirectoryPath)
        else {
            throw Failure(
                message:
                    "Default file '\(Manifest.defaultFileName)' not found. Run `spin up --from <APPLICATION>`, or `spin up --help` for usage."
            )
        }
        return .manifest(path: path, distance: distance)
    }

    private static func fileSource(_ path: String) throws -> Source {
        let file: String
        do { file = try ManifestLocator.resolve(path) } catch { throw Failure(message: error.description) }
        if file.hasSuffix(".wasm") || file.hasSuffix(".wat") { return .wasm(path: file) }
        return .manifest(path: file, distance: 0)
    }

    /// Loads and serves; throws what stops it from starting.
    static func serve(_ options: Options, console: Console) throws -> Int32 {
        let log: @Sendable (String) -> Void = { line in console.err(line + "\n") }
        let source = try source(options, console: console)
        let manifest: AppManifest
        let isLocal: Bool
        switch source {
        case .manifest(let path, let distance):
            ManifestLocator.notifyIfFromParent(path, distance: distance, console: console)
            if options.build {
                let app: AppManifest
                do { app = try Manifest.load(path: path) } catch {
                    throw Failure(message: "Failed to load application", causes: ["\(error)"])
                }
                if SpinBuildCommand.build(app, only: [], console: console) != 0 {
                    throw Failure(message: "Build failed: not starting the application")
                }
            }
            do { manifest = try Manifest.load(path: path) } catch {
                throw Failure(
                    message: "Failed to load application",
                    causes: ["Failed to load manifest from \"\(path)\"", "\(error)"])
            }
            isLocal = true
        case .wasm(let path):
            do { manifest = try Manifest.bareWasm(path: path) } catch {
                throw Failure(
                    message: "Failed to load application",
                    causes: ["Failed to load component from \"\(path)\"", "\(error)"])
            }
            isLocal = false
        case .registry(let reference):
            do {
                manifest = try RegistryApplications.load(
                    reference: reference, insecure: options.insecure, cacheDirectory: options.cacheDirectory)
            } catch {
                let causes = (error as? RegistryError).map { [$0.message] + $0.causes } ?? ["\(error)"]
                throw Failure(message: "Failed to load application", causes: causes)
            }
            isLocal = false
        }

        // Host interfaces: startup checks (required variables, key-value store
        // labels, runtime config), then one GuestContext per instance.
        let runtimeConfig: RuntimeConfig
        do {
            runtimeConfig =
                try options.runtimeConfigFile.map { try RuntimeConfig.load(path: $0) } ?? RuntimeConfig()
            try runtimeConfig.checkSupported()
        } catch {
            throw Failure(message: "Failed to load runtime config", causes: ["\(error)"])
        }

        var loadOptions = AppLoadOptions()
        loadOptions.environment = options.environment
        loadOptions.componentIDs = options.componentIDs
        loadOptions.files.direct = options.directMounts
        loadOptions.files.allowTransientWrite = options.allowTransientWrite
        if let temp = options.temp {
            loadOptions.files.copyRoot = (temp as NSString).appendingPathComponent("assets")
        }
        let app: LoadedApp
        do { app = try LoadedApp.load(manifest: manifest, options: loadOptions) } catch {
            throw Failure(message: "Failed to load application", causes: ["\(error)"])
        }

        // State and logs: flag > runtime config > Spin's default (`.spin` next to a local
        // manifest; none for a Wasm file or a registry app). "" means none.
        let stateDirectory: String? =
            options.stateDirectory.map { $0.isEmpty ? nil : absolute($0) }
            ?? runtimeConfig.stateDir ?? (isLocal ? app.manifest.baseDirectory + "/.spin" : nil)
        let logDirectory: String? =
            options.logDirectory.map { $0.isEmpty ? nil : absolute($0) }
            ?? runtimeConfig.logDir ?? stateDirectory.map { $0 + "/logs" }
        let output = GuestOutput(follow: options.follow, quiet: options.quiet, logDirectory: logDirectory)
        let sqliteLabels: Set<String>
        do throws(SQLiteStartupStatements.Failure) {
            sqliteLabels = options.sqliteStatements.isEmpty ? [] : try SQLiteStartupStatements.labels(options.sqliteStatements)
        } catch {
            throw Failure(message: error.message, causes: error.causes)
        }
        let services = try AppServices.start(
            app: app.manifest, runtimeConfig: runtimeConfig, stateDirectory: stateDirectory ?? "",
            log: LogSink(log), selfOrigin: selfOrigin(listen: options.listen),
            alsoOpen: options.keyValues.isEmpty ? [] : ["default"], variables: options.variables,
            alsoOpenSQLite: sqliteLabels)
        do throws(SQLiteStartupStatements.Failure) {
            try SQLiteStartupStatements.run(options.sqliteStatements, databases: services.sqliteDatabases)
        } catch {
            throw Failure(message: error.message, causes: error.causes)
        }
        if !options.keyValues.isEmpty {
            guard let store = services.keyValueStores["default"] else {
                throw Failure(message: "--key-value: cannot open the default key-value store")
            }
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
            output: output, limits: limits, log: log, services: services,
            interfaces: { component, imports in
                spinInterfaces(component, &imports)
                OutboundRedis.defineForGuestHost(into: &imports)
            })
        for component in app.components.values { _ = try host.link(component) }
        guard !app.manifest.httpTriggers.isEmpty || !app.manifest.redisTriggers.isEmpty else {
            throw Failure(
                message: "No triggers in app", causes: ["other trigger types than HTTP and Redis are not supported yet"]
            )
        }
        // Signal handling is in place before anything says the app is serving: a SIGTERM sent
        // as soon as `Serving ...` appears must stop it, not be lost.
        let redisOnly = app.manifest.httpTriggers.isEmpty
        let stopped = DispatchSemaphore(value: 0)
        let redisOnlySignals =
            redisOnly
            ? SignalHandlers.install { _ in
                log("Shutting down")
                stopped.signal()
            } : nil
        var redis: RedisTriggerRunner? = nil
        if !app.manifest.redisTriggers.isEmpty {
            let runner = try RedisTriggerRunner(
                manifest: app.manifest, services: services, log: log,
                handler: RedisTriggerRunner.handler(app: app, host: host, log: log))
            runner.start()
            redis = runner
        }
        defer {
            redis?.stop()
            _ = redis?.wait()
        }
        let logging = logDirectory.map { "Logging component stdio to \"\(relative($0))/\"" }
        guard !redisOnly else {
            if let logging { console.print(logging) }
            fflush(nil)
            stopped.wait()
            redisOnlySignals?.cancel()
            return 0
        }
        let trigger = try startHTTP(options) { listen in
            HTTPTriggerServer(app: app, host: host, listen: listen, logsRequests: options.logsRequests, log: log)
        }
        let signals = trigger.stopOnSignals { _ in log("Shutting down (waiting for in-flight requests)") }
        for line in trigger.router.duplicateWarningLines { log(line) }
        log(trigger.capacityLine)
        if let logging { console.print(logging) }
        console.out(trigger.routeListing)
        fflush(nil)
        trigger.waitUntilStopped()
        signals.cancel()
        return 0
    }

    /// How many ports `--find-free-port` tries, from the given one up (Spin's `MAX_RETRIES`).
    static let freePortAttempts = 10

    /// Starts the HTTP trigger on `--listen`; with `--find-free-port`, on the first of the next
    /// ports that is free when it is taken. Spin's messages when none is.
    static func startHTTP(_ options: Options, make: (String) -> HTTPTriggerServer) throws -> HTTPTriggerServer {
        func inUse(_ error: any Error) -> Bool { "\(error)".contains("Address already in use") }
        let first = make(options.listen)
        do {
            try first.start()
            return first
        } catch  where inUse(error) {
            guard options.findFreePort else {
                throw Failure(
                    message:
                        "\(options.listen) is already in use. To have Spin search for a free port, use the --find-free-port option."
                )
            }
        }
        guard let colon = options.listen.lastIndex(of: ":"),
            let base = Int(options.listen[options.listen.index(after: colon)...])
        else { throw Failure(message: "--find-free-port: no port in --listen \(options.listen)") }
        let host = options.listen[..<colon]
        for port in (base + 1)..<(base + freePortAttempts) {
            guard port <= Int(UInt16.max) else {
                throw Failure(
                    message:
                        "Couldn't find a free port as we've reached the maximum port number. Consider retrying with a lower base port."
                )
            }
            let server = make("\(host):\(port)")
            do {
                try server.start()
                return server
            } catch  where inUse(error) {
                continue
            }
        }
        throw Failure(
            message:
                "Couldn't find a free port in the range \(base)-\(base + freePortAttempts). Consider retrying with a different base port."
        )
    }

    static func absolute(_ path: String) -> String {
        path.hasPrefix("/")
            ? path
            : URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(path)
                .standardizedFileURL.path
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
