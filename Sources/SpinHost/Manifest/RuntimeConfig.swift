import Foundation
import TOML

/// The runtime config file (`--runtime-config-file`, env `RUNTIME_CONFIG_FILE`; docs/spin-1x.md#runtime-config):
///
/// ```toml
/// state_dir = ".spin"
/// log_dir = "logs"
/// [[config_provider]]
/// type = "vault"
/// url = "http://127.0.0.1:8200"
/// token = "root"
/// mount = "secret"
/// [key_value_store.default]
/// type = "redis"
/// url = "redis://localhost:6379"
/// [limits]                 # this host's extension: guest limits (GuestLimits)
/// request_timeout = "30s"
/// max_memory = "256MiB"
/// ```
/// Relative paths resolve against the directory of the runtime config file.
/// Unknown keys are errors (they name the file and the line).
public struct RuntimeConfig: Hashable, Sendable {
    /// `[[variables_provider]]` (Spin 2+) or `[[config_provider]]` (1.x).
    public enum ConfigProvider: Hashable, Sendable {
        case vault(url: String, token: String, mount: String, prefix: String?)
        /// `type = "env"`: `<prefix>_<NAME>` from the environment (prefix default `SPIN_VARIABLE`;
        /// an empty prefix means `<NAME>`), then from the dotenv file at `dotenvPath` (absolute).
        case env(prefix: String?, dotenvPath: String?)
    }

    /// One `[[client_tls]]` entry (Spin 3): TLS settings for outbound requests of
    /// `componentIDs` to `hosts`. Paths are absolute.
    public struct ClientTLS: Hashable, Sendable {
        public var componentIDs: [String]
        public var hosts: [String]
        public var caUseWebPKIRoots: Bool
        public var caRootsFile: String?
        public var clientCertFile: String?
        public var clientPrivateKeyFile: String?
    }

    public enum KeyValueStore: Hashable, Sendable {
        /// SQLite-backed store; `nil` path = the default under the state dir.
        case spin(path: String?)
        case redis(url: String)
        case azureCosmos(key: String, account: String, database: String, container: String)
    }

    public enum SQLiteDatabase: Hashable, Sendable {
        case spin(path: String?)
        case libsql(url: String, token: String)
    }

    public enum LLMCompute: Hashable, Sendable {
        case spin
        case remoteHTTP(url: String, authToken: String)
    }

    /// The file as given (nil for `RuntimeConfig()`).
    public var path: String?
    /// Absolute `state_dir`, if set.
    public var stateDir: String?
    /// Absolute `log_dir`, if set.
    public var logDir: String?
    public var configProviders: [ConfigProvider]
    public var keyValueStores: [String: KeyValueStore]
    public var sqliteDatabases: [String: SQLiteDatabase]
    public var llmCompute: LLMCompute?
    /// Guest limits from the `[limits]` table (this host's extension; nil = none given).
    public var limits: GuestLimits?
    /// `[[client_tls]]` entries.
    public var clientTLS: [ClientTLS] = []
    /// Settings that parsed but name a backend this host lacks, in file order; `spin up`
    /// refuses the file with the first (`checkSupported`).
    public var unsupported: [ManifestError] = []

    /// Throws the first setting this host cannot honour (a libsql SQLite database, an LLM backend, a
    /// Vault provider, an Azure Cosmos store, `[[client_tls]]`), naming the file, line and key.
    public func checkSupported() throws(ManifestError) {
        if let first = unsupported.first { throw first }
    }

    public init(
        path: String? = nil, stateDir: String? = nil, logDir: String? = nil,
        configProviders: [ConfigProvider] = [], keyValueStores: [String: KeyValueStore] = [:],
        sqliteDatabases: [String: SQLiteDatabase] = [:], llmCompute: LLMCompute? = nil
    ) {
        self.path = path
        self.stateDir = stateDir
        self.logDir = logDir
        self.configProviders = configProviders
        self.keyValueStores = keyValueStores
        self.sqliteDatabases = sqliteDatabases
        self.llmCompute = llmCompute
    }

    public static func load(path: String) throws(ManifestError) -> RuntimeConfig {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ManifestError(.io, "cannot read runtime config: \(error.localizedDescription)", file: path)
        }
        return try parse(bytes: [UInt8](data), path: path)
    }

    public static func parse(_ text: String, path: String = "runtime-config.toml") throws(ManifestError)
        -> RuntimeConfig
    {
        try parse(bytes: Array(text.utf8), path: path)
    }

    public static func parse(bytes: [UInt8], path: String) throws(ManifestError) -> RuntimeConfig {
        let t: TOMLTable
        do {
            t = try TOML.parse(bytes: bytes)
        } catch {
            throw ManifestError(
                .syntax, "TOML error at column \(error.column): \(error.message)", file: path, position: error.position)
        }
        let base = URL(fileURLWithPath: path).deletingLastPathComponent().standardizedFileURL.path
        let ctx = ManifestContext(file: path, baseDirectory: base)
        var r = ctx.reader(t, "the top level")
        try r.allow([
            "state_dir", "log_dir", "config_provider", "variables_provider", "key_value_store", "sqlite_database",
            "llm_compute", "client_tls", "limits",
        ])
        var out = RuntimeConfig(path: path)
        out.stateDir = try r.string("state_dir").map(ctx.resolve)
        out.logDir = try r.string("log_dir").map(ctx.resolve)

        for section in ["config_provider", "variables_provider"] {
            guard let a = try r.array(section) else { continue }
            for (n, v) in a.elements.enumerated() {
                guard case .table(let pt) = v else {
                    throw ctx.error(
                        .wrongType,
                        "`\(section)` must be an array of tables (`[[\(section)]]`), found \(v.typeName)",
                        at: a.positions[n], key: section)
                }
                var pr = ctx.reader(pt, "[[\(section)]]")
                let type = try pr.requiredString("type")
                switch type {
                case "vault":
                    try pr.allow(["type", "url", "token", "mount", "prefix"])
                    let url = try pr.requiredString("url")
                    let token = try pr.requiredString("token")
                    let mount = try pr.requiredString("mount")
                    let prefix = try pr.string("prefix")
                    try pr.finish()
                    out.configProviders.append(.vault(url: url, token: token, mount: mount, prefix: prefix))
                    out.unsupported.append(
                        ctx.error(
                            .invalidValue,
                            "[[\(section)]] type `vault` (\(url)) is not supported by this host; use the `env` provider (SPIN_VARIABLE_<NAME> or a dotenv file)",
                            at: pt.keyPosition("type"), key: "type"))
                case "env":
                    try pr.allow(["type", "prefix", "dotenv_path"])
                    let prefix = try pr.string("prefix")
                    let dotenv = try pr.string("dotenv_path").map(ctx.resolve)
                    try pr.finish()
                    out.configProviders.append(.env(prefix: prefix, dotenvPath: dotenv))
                default:
                    throw ctx.error(
                        .invalidValue,
                        "unknown variables provider type `\(type)` in [[\(section)]] (expected `env` or `vault`)",
                        at: pt.keyPosition("type"), key: "type")
                }
            }
        }

        if let a = try r.array("client_tls") {
            for (n, v) in a.elements.enumerated() {
                guard case .table(let ct) = v else {
                    throw ctx.error(
                        .wrongType, "`client_tls` must be an array of tables (`[[client_tls]]`), found \(v.typeName)",
                        at: a.positions[n], key: "client_tls")
                }
                out.clientTLS.append(try clientTLS(ct, ctx))
                out.unsupported.append(
                    ctx.error(
                        .invalidValue,
                        "[[client_tls]] is not supported by this host: outbound HTTPS cannot use custom root certificates or client certificates yet",
                        at: ct.position, key: "client_tls"))
            }
        }

        if let stores = try r.table("key_value_store") {
            for name in stores.keys {
                var (s, type) = try typed(stores, name, "key_value_store", ctx)
                switch type {
                case "spin":
                    try s.allow(["type", "path"])
                    let p = try s.string("path").map(ctx.resolve)
                    try s.finish()
                    out.keyValueStores[name] = .spin(path: p)
                case "redis":
                    try s.allow(["type", "url"])
                    let url = try s.requiredString("url")
                    try s.finish()
                    out.keyValueStores[name] = .redis(url: url)
                case "azure_cosmos":
                    try s.allow(["type", "key", "account", "database", "container"])
                    let key = try s.requiredString("key")
                    let account = try s.requiredString("account")
                    let database = try s.requiredString("database")
                    let container = try s.requiredString("container")
                    try s.finish()
                    out.keyValueStores[name] = .azureCosmos(
                        key: key, account: account, database: database, container: container)
                    out.unsupported.append(
                        s.error(
                            .invalidValue,
                            "[key_value_store.\(name)] type `azure_cosmos` is not supported by this host (use `spin` or `redis`)",
                            key: "type"))
                default:
                    throw ctx.error(
                        .invalidValue,
                        "unknown key-value store type `\(type)` in [key_value_store.\(name)] (expected `spin`, `redis` or `azure_cosmos`)",
                        at: s.keyPosition("type"), key: "type")
                }
            }
        }

        if let dbs = try r.table("sqlite_database") {
            for name in dbs.keys {
                var (s, type) = try typed(dbs, name, "sqlite_database", ctx)
                switch type {
                case "spin":
                    try s.allow(["type", "path"])
                    let p = try s.string("path").map(ctx.resolve)
                    try s.finish()
                    // Spin: a relative `path` is resolved against the runtime config file's
                    // directory; no `path` means an in-memory database.
                    out.sqliteDatabases[name] = .spin(path: p)
                case "libsql":
                    try s.allow(["type", "url", "token"])
                    let url = try s.requiredString("url")
                    let token = try s.requiredString("token")
                    try s.finish()
                    out.sqliteDatabases[name] = .libsql(url: url, token: token)
                    out.unsupported.append(
                        s.error(
                            .invalidValue,
                            "[sqlite_database.\(name)]: SQLite databases (libsql) are not supported by this host",
                            key: "type"))
                default:
                    throw ctx.error(
                        .invalidValue,
                        "unknown SQLite database type `\(type)` in [sqlite_database.\(name)] (expected `spin` or `libsql`)",
                        at: s.keyPosition("type"), key: "type")
                }
            }
        }

        if let llm = try r.table("llm_compute") {
            var s = ctx.reader(llm, "[llm_compute]")
            let type = try s.requiredString("type")
            switch type {
            case "spin":
                try s.allow(["type"])
                out.llmCompute = .spin
            case "remote_http":
                try s.allow(["type", "url", "auth_token"])
                let url = try s.requiredString("url")
                let token = try s.requiredString("auth_token")
                try s.finish()
                out.llmCompute = .remoteHTTP(url: url, authToken: token)
            default:
                throw ctx.error(
                    .invalidValue, "unknown llm_compute type `\(type)` (expected `spin` or `remote_http`)",
                    at: llm.keyPosition("type"), key: "type")
            }
        }
        if out.llmCompute != nil {
            out.unsupported.append(
                ctx.error(
                    .invalidValue, "[llm_compute]: AI inferencing (llm) is not supported by this host",
                    at: llmPosition(t), key: "llm_compute"))
        }
        if let table = try r.table("limits") { out.limits = try parseLimits(table, ctx) }
        try r.finish()
        return out
    }

    private static func llmPosition(_ t: TOMLTable) -> TOMLPosition? {
        t["llm_compute"]?.tableValue?.position ?? t.keyPosition("llm_compute")
    }

    /// One `[[client_tls]]` table: `component_ids` (required, kebab-case ids), `hosts`
    /// (`host` or `host:port`), `ca_use_webpki_roots`, and files that must exist:
    /// `ca_roots_file`, `client_cert_file` with `client_private_key_file` (both or neither).
    private static func clientTLS(_ t: TOMLTable, _ ctx: ManifestContext) throws(ManifestError) -> ClientTLS {
        var r = ctx.reader(t, "[[client_tls]]")
        try r.allow([
            "component_ids", "hosts", "ca_use_webpki_roots", "ca_roots_file", "client_cert_file",
            "client_private_key_file",
        ])
        guard let ids = try r.optionalStringArray("component_ids") else {
            throw r.error(.missingKey, "missing required key `component_ids` in [[client_tls]]", key: "component_ids")
        }
        for id in ids where Compat.kebabIDProblem(id) != nil {
            throw r.error(
                .invalidValue, "invalid component id `\(id)` in `component_ids` of [[client_tls]]", key: "component_ids"
            )
        }
        let hosts = try r.stringArray("hosts")
        for h in hosts {
            let host = h.split(separator: ":", maxSplits: 1)
            let portOK = host.count < 2 || UInt16(host[1]) != nil
            if h.isEmpty || h.contains("/") || h.contains("://") || !portOK {
                throw r.error(
                    .invalidValue, "invalid host `\(h)` in `hosts` of [[client_tls]] (expected `host` or `host:port`)",
                    key: "hosts")
            }
        }
        let webPKI = try r.bool("ca_use_webpki_roots") ?? true
        var files: [String: String] = [:]
        for key in ["ca_roots_file", "client_cert_file", "client_private_key_file"] {
            guard let p = try r.string(key).map(ctx.resolve) else { continue }
            guard FileManager.default.fileExists(atPath: p) else {
                throw r.error(.invalidValue, "`\(key)` of [[client_tls]]: no such file \(p)", key: key)
            }
            files[key] = p
        }
        if (files["client_cert_file"] == nil) != (files["client_private_key_file"] == nil) {
            throw r.error(
                .invalidValue,
                "[[client_tls]] needs both `client_cert_file` and `client_private_key_file`, or neither", at: t.position
            )
        }
        try r.finish()
        return ClientTLS(
            componentIDs: ids, hosts: hosts, caUseWebPKIRoots: webPKI, caRootsFile: files["ca_roots_file"],
            clientCertFile: files["client_cert_file"], clientPrivateKeyFile: files["client_private_key_file"])
    }

    /// `[limits]`: each of `GuestLimits.keys`, a string (`"30s"`, `"256MiB"`) or an integer.
    private static func parseLimits(_ table: TOMLTable, _ ctx: ManifestContext) throws(ManifestError) -> GuestLimits {
        var r = ctx.reader(table, "[limits]")
        try r.allow(GuestLimits.keys)
        var limits = GuestLimits()
        for key in GuestLimits.keys {
            guard let v = r.value(key) else { continue }
            let text: String
            switch v {
            case .string(let s): text = s
            case .integer(let i): text = key == "request_timeout" ? "\(i)s" : String(i)
            default:
                throw r.error(
                    .wrongType, "`\(key)` in [limits] must be a string or an integer, found \(v.typeName)", key: key)
            }
            do {
                try limits.set(key, to: text, source: "`\(key)` in [limits]")
                limits.sources[key] = "`\(key)` in [limits] at \(r.file):\(r.keyPosition(key).line)"
            } catch {
                throw r.error(.invalidValue, error.message, key: key)
            }
        }
        try r.finish()
        return limits
    }

    /// `[<section>.<name>]` must be a table with a string `type`.
    private static func typed(_ parent: TOMLTable, _ name: String, _ section: String, _ ctx: ManifestContext)
        throws(ManifestError) -> (TableReader, String)
    {
        guard case .table(let t) = parent[name]! else {
            throw ctx.error(
                .wrongType, "`\(section).\(name)` must be a table, found \(parent[name]!.typeName)",
                at: parent.keyPosition(name), key: "\(section).\(name)")
        }
        var r = ctx.reader(t, "[\(section).\(name)]")
        let type = try r.requiredString("type")
        return (r, type)
    }
}
