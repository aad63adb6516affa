import Foundation

/// Where host interfaces report warnings and errors (a line at a time).
public struct LogSink: Sendable {
    public let write: @Sendable (String) -> Void

    public init(_ write: @escaping @Sendable (String) -> Void) { self.write = write }

    public static let standardError = LogSink { line in
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
    public static let discard = LogSink { _ in }
}

/// The error `spin up` reports when startup checks fail.
public struct StartupError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    package init(_ m: String) { message = m }
    public var description: String { message }
}

/// Services shared by every instance of one app: variables, key-value stores,
/// outbound HTTP limits and a log sink. Create one at `spin up` with
/// `AppServices.start(app:runtimeConfig:...)`, which performs the startup checks.
public final class AppServices: Sendable {
    public let app: AppManifest
    package let variables: VariableResolver
    /// Key-value stores by label.
    public let keyValueStores: [String: any KeyValueStore]
    /// SQLite databases by label (each opened on first use; see `SQLiteDatabase`).
    public let sqliteDatabases: [String: SQLiteDatabase]
    package let outboundHTTP: OutboundHTTPSettings
    public let log: LogSink
    /// `scheme://authority` outbound `self` requests go to when the executor
    /// does not set `GuestContext.incomingOrigin` (e.g. `http://127.0.0.1:3000`,
    /// the listen address).
    public let selfOrigin: String?

    /// Assembles services from parts (tests, or hosts with their own stores).
    package init(
        app: AppManifest, variables: VariableResolver, keyValueStores: [String: any KeyValueStore] = [:],
        outboundHTTP: OutboundHTTPSettings = OutboundHTTPSettings(), log: LogSink = .standardError,
        selfOrigin: String? = nil, sqliteDatabases: [String: SQLiteDatabase] = [:]
    ) {
        self.selfOrigin = selfOrigin
        self.sqliteDatabases = sqliteDatabases
        self.app = app
        self.variables = variables
        self.keyValueStores = keyValueStores
        self.outboundHTTP = outboundHTTP
        self.log = log
    }

    /// What `spin up` calls once at startup (before serving). It
    /// - refuses a Vault config provider (not supported),
    /// - checks every required variable has a value (error names the variable),
    /// - checks every component's `key_value_stores` label is defined (`default`
    ///   is built in; others come from `[key_value_store.NAME]`), else
    ///   "One or more components use key-value stores which are not defined.",
    /// - opens the stores components use: `default` (and `type = "spin"`) as a
    ///   `FileKeyValueStore` under the state dir, `type = "redis"` as a `RedisKeyValueStore`.
    ///
    /// `stateDirectory` is `--state-dir`; else the runtime config's `state_dir`;
    /// else `<app dir>/.spin`. An empty `stateDirectory` means none (Spin's `--state-dir ""`):
    /// `type = "spin"` stores without a `path` are then kept in memory.
    /// `alsoOpen`: labels to open even when no component uses them (`spin up --key-value`
    /// fills `default`). `variables` (`spin up --variable`) win over every provider.
    ///
    /// SQLite databases (`sqlite_databases` labels) follow Spin's factor-sqlite: `default` is
    /// `<state dir>/sqlite_db.db` (in memory without a state dir) unless the runtime config
    /// defines it; others need `[sqlite_database.NAME]` (`type = "spin"`, `path` or in memory),
    /// else "One or more components use SQLite databases which are not defined."
    /// `alsoOpenSQLite`: labels to make even when no component uses them (`spin up --sqlite`).
    ///
    /// Stores of `type = "spin"` are kept in one of two formats: Spin's own (the
    /// `spin_key_value` table of a SQLite database, `SQLiteKeyValueStore`) or this host's
    /// crash-safe log (`FileKeyValueStore`, `key_value.kvlog`). A runtime-config `path` is Spin's
    /// format unless the file there already is a log. The default store uses
    /// `<state dir>/key_value.kvlog` when it exists or when nothing is there; when only Spin's
    /// `<state dir>/sqlite_key_value.db` is there, that (the data a `spin up` of Spin left); when
    /// both are, the log, with a warning that Spin's file is not read.
    public static func start(
        app: AppManifest, runtimeConfig: RuntimeConfig = RuntimeConfig(), stateDirectory: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        outboundHTTP: OutboundHTTPSettings = OutboundHTTPSettings(),
        log: LogSink = .standardError, selfOrigin: String? = nil, alsoOpen: Set<String> = [],
        variables: [String: String] = [:], alsoOpenSQLite: Set<String> = []
    ) throws -> AppServices {
        let resolver: VariableResolver
        do {
            resolver = try VariableResolver(
                app: app, runtimeConfig: runtimeConfig, environment: environment, values: variables)
            try resolver.validateRequiredVariables(app: app)
        } catch {
            throw StartupError("\(error)")
        }
        let stateDir: String? =
            stateDirectory.map { $0.isEmpty ? nil : $0 }
            ?? (runtimeConfig.stateDir ?? (app.baseDirectory as NSString).appendingPathComponent(".spin"))
        var definitions = runtimeConfig.keyValueStores
        if definitions["default"] == nil { definitions["default"] = .spin(path: nil) }
        var undefined: [String] = []
        for c in app.components {
            for label in c.keyValueStores where definitions[label] == nil {
                undefined.append("component `\(c.id)` uses undefined key-value store `\(label)`")
            }
        }
        if !undefined.isEmpty {
            throw StartupError(
                "One or more components use key-value stores which are not defined.\n"
                    + undefined.joined(separator: "\n"))
        }
        let used = Set(app.components.flatMap(\.keyValueStores)).union(alsoOpen)
        var stores: [String: any KeyValueStore] = [:]
        var spinDatabases: [String: SQLiteDatabase] = [:]  // by file: labels sharing one share it
        for label in used.sorted() {
            do {
                switch definitions[label]! {
                case .spin(let path):
                    let fileName = label == "default" ? "key_value.kvlog" : "key_value_\(label).kvlog"
                    guard let p = path ?? stateDir.map({ ($0 as NSString).appendingPathComponent(fileName) }) else {
                        stores[label] = InMemoryKeyValueStore()
                        log.write("Using in-memory \(label) key-value store; data will not be saved!")
                        continue
                    }
                    if let sqlite = try Self.spinFormatStore(
                        label: label, path: path, stateDirectory: stateDir, log: log, databases: &spinDatabases)
                    {
                        stores[label] = sqlite
                        continue
                    }
                    if path == nil, label == "default", let stateDir {
                        let spinFile = (stateDir as NSString).appendingPathComponent("sqlite_key_value.db")
                        if FileManager.default.fileExists(atPath: spinFile) {
                            log.write(
                                "Warning: \(spinFile) holds key-value data Spin stored (SQLite), and this host's own store \(p) is there too: the data in \(p) is used, Spin's is not read"
                            )
                        }
                    }
                    let store = try FileKeyValueStore(path: p)
                    stores[label] = store
                    log.write("Storing \(label) key-value data to \"\(p)\"")
                    if let recovery = store.recovery { log.write("Warning: \(recovery)") }
                case .redis(let url):
                    let s = try RedisKeyValueStore(url: url)
                    stores[label] = s
                case .azureCosmos:
                    throw StartupError("key-value store `\(label)`: type `azure_cosmos` is not supported by this host")
                }
            } catch let e as StartupError {
                throw e
            } catch {
                throw StartupError("cannot open key-value store `\(label)`: \(error)")
            }
        }
        let databases = try sqliteDatabases(
            app: app, runtimeConfig: runtimeConfig, stateDirectory: stateDir, alsoOpen: alsoOpenSQLite)
        return AppServices(
            app: app, variables: resolver, keyValueStores: stores, outboundHTTP: outboundHTTP, log: log,
            selfOrigin: selfOrigin, sqliteDatabases: databases)
    }
}

extension AppServices {
    /// The store `label` in Spin's SQLite format, when that is the format to use (see `start`);
    /// nil for this host's log format.
    /// `databases`: the files already open, by standardized path.
    static func spinFormatStore(
        label: String, path: String?, stateDirectory: String?, log: LogSink, databases: inout [String: SQLiteDatabase]
    ) throws -> SQLiteKeyValueStore? {
        let file: String
        if let path {
            let exists = FileManager.default.fileExists(atPath: path)
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            guard !exists || size == 0 || SQLiteKeyValueStore.isSQLiteFile(path) else { return nil }
            file = path
        } else {
            guard label == "default", let stateDirectory else { return nil }
            let spinFile = (stateDirectory as NSString).appendingPathComponent("sqlite_key_value.db")
            let ownFile = (stateDirectory as NSString).appendingPathComponent("key_value.kvlog")
            guard FileManager.default.fileExists(atPath: spinFile), !FileManager.default.fileExists(atPath: ownFile)
            else { return nil }
            file = spinFile
        }
        let key = (file as NSString).standardizingPath
        let database = databases[key] ?? SQLiteDatabase(path: file)
        databases[key] = database
        let store = try SQLiteKeyValueStore(database: database, name: label)
        log.write("Storing \(label) key-value data to \"\(file)\" (Spin's SQLite format)")
        return store
    }
}

/// Per-instance state of the host interfaces. The executor creates one for
/// every request (every instance), passes it to `SpinInterfaces.define`, and
/// drops it with the instance.
package final class GuestContext: @unchecked Sendable {
    package let component: Component
    package let services: AppServices
    /// `scheme://authority` of the incoming request (e.g. `http://127.0.0.1:3000`);
    /// outbound requests to URIs starting with `/` go there when `self` is allowed.
    package var incomingOrigin: String?
    package let allowedHosts: AllowedOutboundHosts
    /// The instance's deadline (`Watchdog.now()` clock): outbound requests give up by then.
    package var deadline: UInt64? {
        didSet { postgresConnections.deadline = deadline }
    }
    /// Open key-value stores of this instance (handles from 0, capacity 256).
    var keyValueHandles = HandleTable<String>(capacity: 256)
    /// Open SQLite connections of this instance (1.x `sqlite::open` handles, from 0, capacity 256).
    var sqliteHandles = HandleTable<SQLiteDatabase>(capacity: 256)
    /// This instance's PostgreSQL connections (by connection string).
    package let postgresConnections = PostgresConnectionCache()

    package init(component: Component, services: AppServices, incomingOrigin: String? = nil) {
        self.component = component
        self.services = services
        self.incomingOrigin = incomingOrigin ?? services.selfOrigin
        self.allowedHosts = AllowedOutboundHosts(component.allowedOutboundHosts)
    }

    /// Releases what the instance holds (database connections); called when the instance ends.
    package func close() {
        postgresConnections.closeAll()
    }
}

/// Spin's resource table: keys from 0 upwards, at most `capacity` live entries.
struct HandleTable<T> {
    let capacity: Int
    private(set) var entries: [UInt32: T] = [:]
    private var nextKey: UInt32 = 0

    init(capacity: Int) { self.capacity = capacity }

    /// nil when the table is full.
    mutating func push(_ value: T) -> UInt32? {
        guard entries.count < capacity else { return nil }
        while entries[nextKey] != nil { nextKey &+= 1 }
        let k = nextKey
        nextKey &+= 1
        entries[k] = value
        return k
    }

    func get(_ key: UInt32) -> T? { entries[key] }

    @discardableResult
    mutating func remove(_ key: UInt32) -> T? { entries.removeValue(forKey: key) }
}
