import TOML

/// Pieces shared by the v1 and v2 readers.
enum ManifestCommon {
    /// `[variables]`: name → `{ required = bool, default = string, secret = bool }`.
    static func variables(_ t: TOMLTable?, version: AppManifest.SchemaVersion, _ ctx: ManifestContext)
        throws(ManifestError) -> [String: Variable]
    {
        guard let t else { return [:] }
        var out: [String: Variable] = [:]
        for name in t.keys {
            let at = t.keyPosition(name)
            let problem = version == .v1 ? Compat.configKeyProblem(name) : Compat.variableNameProblemV2(name)
            if let problem {
                throw ctx.error(
                    .invalidValue, "invalid variable name `\(name)` in [variables]: \(problem)", at: at, key: name)
            }
            guard case .table(let vt) = t[name]! else {
                throw ctx.error(
                    .wrongType,
                    "variable `\(name)` in [variables] must be a table like `{ default = \"...\" }` or `{ required = true }`, found \(t[name]!.typeName)",
                    at: at, key: name)
            }
            var r = ctx.reader(vt, "variable `\(name)`")
            try r.allow(["required", "default", "secret"])
            let required = try r.bool("required") ?? false
            let def = try r.string("default")
            let secret = try r.bool("secret") ?? false
            try r.finish()
            guard required != (def != nil) else {
                throw ctx.error(
                    .invalidValue,
                    "variable `\(name)` should either have `required` set to true OR have a default value (not both)",
                    at: at, key: name)
            }
            out[name] = Variable(required: required, defaultValue: def, secret: secret)
        }
        return out
    }

    /// The component keys handled by `component(...)`.
    static func componentKeys(_ version: AppManifest.SchemaVersion) -> [String] {
        [
            "source", "description", "files", "exclude_files", "environment", "allowed_http_hosts",
            "allowed_outbound_hosts", "key_value_stores", "sqlite_databases", "ai_models", "build",
        ]
            + (version == .v1
                ? ["config"] : ["variables", "tool", "dependencies", "dependencies_inherit_configuration"])
    }

    /// `[application.tool]` / `[component.<id>.tool]`: one table per tool, kept as written.
    static func tools(_ t: TOMLTable?, section: String, _ ctx: ManifestContext) throws(ManifestError)
        -> [String: TOMLTable]
    {
        guard let t else { return [:] }
        var out: [String: TOMLTable] = [:]
        for name in t.keys {
            guard case .table(let tool) = t[name]! else {
                throw ctx.error(
                    .wrongType, "`\(name)` in \(section) must be a table, found \(t[name]!.typeName)",
                    at: t.keyPosition(name), key: "tool.\(name)")
            }
            out[name] = tool
        }
        return out
    }

    /// `dependencies` (Spin 3): import name → a version requirement string, or a table with
    /// `version`/`registry`/`package`/`path`/`url`/`digest`/`export` (strings). Returned by
    /// import name as a short description (the version string, or `{ path = "…", … }`).
    private static func dependencies(_ t: TOMLTable?, section: String, _ ctx: ManifestContext)
        throws(ManifestError) -> [String: String]
    {
        guard let t else { return [:] }
        var out: [String: String] = [:]
        for name in t.keys {
            switch t[name]! {
            case .string(let version):
                out[name] = version
            case .table(let d):
                var dr = ctx.reader(d, "dependency `\(name)` of \(section)")
                try dr.allow(["version", "registry", "package", "path", "url", "digest", "export"])
                let described = ["path", "url", "package", "version"].compactMap { k in
                    (d[k]?.stringValue).map { "\(k) = \"\($0)\"" }
                }
                for k in d.keys { _ = try dr.string(k) }
                try dr.finish()
                out[name] = "{ " + described.joined(separator: ", ") + " }"
            default:
                throw ctx.error(
                    .wrongType,
                    "dependency `\(name)` of \(section) must be a version string or a table, found \(t[name]!.typeName)",
                    at: t.keyPosition(name), key: "dependencies.\(name)")
            }
        }
        return out
    }

    /// The keys both schemas give a component. The caller has already read
    /// its version-specific keys (`id`/`trigger` in v1) from `r` and calls
    /// `r.finish()` afterwards.
    static func component(
        id: String, _ r: inout TableReader, version: AppManifest.SchemaVersion, _ ctx: ManifestContext
    ) throws(ManifestError) -> Component {
        let source = try self.source(&r, version: version, ctx)
        let description = try r.string("description")
        let files = try self.files(&r, ctx)
        let excludeFiles = try r.stringArray("exclude_files")
        let environment = try r.stringMap("environment")

        let httpHosts = try r.stringArray("allowed_http_hosts")
        let explicitOutbound = try r.optionalStringArray("allowed_outbound_hosts")
        var outbound: [String] = []
        for (n, h) in httpHosts.enumerated() {
            switch Compat.outboundHosts(fromHTTPHost: h) {
            case .success(let list): outbound.append(contentsOf: list)
            case .failure(let e):
                let at = r.table["allowed_http_hosts"]?.arrayValue?.positions[n]
                throw ctx.error(
                    .invalidValue, "invalid entry in `allowed_http_hosts` of \(r.section): \(e.message)", at: at,
                    key: "allowed_http_hosts")
            }
        }
        if let explicitOutbound {
            for (n, h) in explicitOutbound.enumerated() {
                guard let problem = AllowedOutboundHosts.problem(with: h) else { continue }
                let at = r.table["allowed_outbound_hosts"]?.arrayValue?.positions[n]
                throw ctx.error(
                    .invalidValue, "`allowed_outbound_hosts` entry `\(h)` in \(r.section) \(problem)",
                    at: at, key: "allowed_outbound_hosts")
            }
            outbound.append(contentsOf: explicitOutbound)
        } else if version == .v1 {
            outbound.append(contentsOf: Compat.v1ImplicitOutboundHosts)
        }
        var seen = Set<String>()
        outbound = outbound.filter { seen.insert($0).inserted }

        let kv = try labels("key_value_stores", &r, ctx)
        let sqlite = try labels("sqlite_databases", &r, ctx)
        let ai = try r.stringArray("ai_models")

        let varsKey = version == .v1 ? "config" : "variables"
        let vars = try r.stringMap(varsKey)
        if let vt = r.table[varsKey]?.tableValue {
            for k in vt.keys {
                if let p = Compat.configKeyProblem(k) {
                    throw ctx.error(
                        .invalidValue, "invalid key `\(k)` in `\(varsKey)` of \(r.section): \(p)",
                        at: vt.keyPosition(k), key: "\(varsKey).\(k)")
                }
                if case .failure(let e) = Compat.templateReferences(vars[k]!) {
                    throw ctx.error(
                        .invalidValue, "`\(varsKey).\(k)` of \(r.section): \(e.message)", at: vt.keyPosition(k),
                        key: "\(varsKey).\(k)")
                }
            }
        }

        var build: BuildConfig?
        if let bt = try r.table("build") {
            let section = version == .v1 ? "[component.build] of component `\(id)`" : "[component.\(id).build]"
            var br = ctx.reader(bt, section)
            try br.allow(["command", "workdir", "watch"])
            // Spin 3: `command` may be a list of commands, run in order.
            let commands: [String]
            if case .array? = bt["command"], version == .v2 {
                commands = try br.stringArray("command")
            } else {
                commands = [try br.requiredString("command")]
            }
            let workdir = try br.string("workdir")
            let watch = try br.stringArray("watch")
            try br.finish()
            build = BuildConfig(commands: commands, workdir: workdir, watch: watch)
        }

        var component = Component(
            id: id, source: source, description: description, files: files, excludeFiles: excludeFiles,
            environment: environment, allowedHTTPHosts: httpHosts, allowedOutboundHosts: outbound,
            keyValueStores: kv, sqliteDatabases: sqlite, aiModels: ai, variables: vars, build: build)
        if version == .v2 {
            component.tools = try tools(try r.table("tool"), section: "[component.\(id).tool]", ctx)
            component.dependencies = try dependencies(
                try r.table("dependencies"), section: "[component.\(id).dependencies]", ctx)
            component.dependenciesInheritConfiguration = try r.bool("dependencies_inherit_configuration") ?? false
        }
        return component
    }

    private static func labels(_ key: String, _ r: inout TableReader, _ ctx: ManifestContext) throws(ManifestError)
        -> [String]
    {
        let list = try r.stringArray(key)
        for (n, l) in list.enumerated() {
            if let p = Compat.labelProblem(l) {
                let at = r.table[key]?.arrayValue?.positions[n]
                throw ctx.error(
                    .invalidValue, "invalid label `\(l)` in `\(key)` of \(r.section): \(p)", at: at, key: key)
            }
        }
        return list
    }

    /// `source = "path.wasm"` or `source = { url = "https://...", digest = "sha256:..." }`.
    private static func source(_ r: inout TableReader, version: AppManifest.SchemaVersion, _ ctx: ManifestContext)
        throws(ManifestError) -> ComponentSource
    {
        guard let v = r.value("source") else {
            throw ctx.error(.missingKey, "missing required key `source` in \(r.section)", at: r.position, key: "source")
        }
        let at = r.keyPosition("source")
        switch v {
        case .string(let path):
            guard !path.isEmpty else {
                throw ctx.error(.invalidValue, "`source` in \(r.section) must not be empty", at: at, key: "source")
            }
            return .file(ctx.resolve(path))
        case .table(let t) where version == .v2 && t["url"] == nil && (t["package"] != nil || t["registry"] != nil):
            // Spin 3: `source = { registry = "...", package = "...", version = "..." }`.
            var sr = ctx.reader(t, "`source` of \(r.section)")
            try sr.allow(["registry", "package", "version"])
            let registry = try sr.string("registry")
            let package = try sr.requiredString("package")
            let packageVersion = try sr.requiredString("version")
            try sr.finish()
            return .registry(registry: registry, package: package, version: packageVersion)
        case .table(let t):
            var sr = ctx.reader(t, "`source` of \(r.section)")
            try sr.allow(["url", "digest"])
            let url = try sr.requiredString("url")
            let digest = try sr.requiredString("digest")
            try sr.finish()
            let lower = url.lowercased()
            let httpsOnly = version == .v1
            if !(lower.hasPrefix("https://") || (!httpsOnly && lower.hasPrefix("http://"))) {
                let scheme = url.components(separatedBy: "://").count > 1 ? String(url.split(separator: ":")[0]) : url
                throw ctx.error(
                    .invalidValue, "invalid URL scheme `\(scheme)` for `source.url` in \(r.section): must be HTTPS",
                    at: at, key: "source.url")
            }
            let hex = digest.hasPrefix("sha256:") ? digest.dropFirst(7) : ""
            guard !hex.isEmpty, hex.allSatisfy(\.isHexDigit) else {
                throw ctx.error(
                    .invalidValue,
                    "`source.digest` in \(r.section) must be `sha256:` followed by the hex SHA-256 of the file, found `\(digest)`",
                    at: at, key: "source.digest")
            }
            return .url(url, digest: digest)
        default:
            throw ctx.error(
                .wrongType,
                "`source` in \(r.section) must be a string (a path) or a table `{ url = \"...\", digest = \"sha256:...\" }`, found \(v.typeName)",
                at: at, key: "source")
        }
    }

    /// `files = ["glob", { source = "dir", destination = "/abs" }]`.
    private static func files(_ r: inout TableReader, _ ctx: ManifestContext) throws(ManifestError) -> [FileMount] {
        guard let a = try r.array("files") else { return [] }
        var out: [FileMount] = []
        for (n, v) in a.elements.enumerated() {
            let at = a.positions[n]
            switch v {
            case .string(let s):
                out.append(.pattern(s))
            case .table(let t):
                var fr = ctx.reader(t, "a `files` entry of \(r.section)")
                try fr.allow(["source", "destination"])
                let source = try fr.requiredString("source")
                let destination = try fr.requiredString("destination")
                try fr.finish()
                guard destination.hasPrefix("/") else {
                    throw ctx.error(
                        .invalidValue,
                        "`destination` `\(destination)` in `files` of \(r.section) must be an absolute path", at: at,
                        key: "files")
                }
                out.append(.placement(source: source, destination: destination))
            default:
                throw ctx.error(
                    .wrongType,
                    "`files` entries in \(r.section) must be strings or `{ source, destination }` tables, found \(v.typeName)",
                    at: at, key: "files")
            }
        }
        return out
    }

    /// An HTTP route must start with `/`: Spin 1.x joins the route to the base as written, so
    /// `route = "api"` never matches a request path; this host says so at start instead.
    static func checkRoute(
        _ route: String, section: String, at: TOMLPosition?, _ ctx: ManifestContext
    ) throws(ManifestError) {
        guard !route.hasPrefix("/") else { return }
        throw ctx.error(
            .invalidValue, "route `\(route)` in \(section) must start with `/` (for example `/\(route)`)", at: at,
            key: "route")
    }

    /// `executor = { type = "spin" | "http" (v2) | "wagi", entrypoint?, argv? }`.
    static func executor(
        _ v: TOMLValue?, section: String, at: TOMLPosition?, version: AppManifest.SchemaVersion, _ ctx: ManifestContext
    ) throws(ManifestError) -> HTTPExecutor {
        guard let v else { return .spin }
        guard case .table(let t) = v else {
            throw ctx.error(
                .wrongType, "`executor` in \(section) must be a table like `{ type = \"wagi\" }`, found \(v.typeName)",
                at: at, key: "executor")
        }
        var r = ctx.reader(t, "`executor` of \(section)")
        try r.allow(["type", "entrypoint", "argv"])
        let type = try r.requiredString("type")
        switch type {
        case _ where type == "spin" || (type == "http" && version == .v2):
            try r.finish()
            return .spin
        case "wagi":
            let entrypoint = try r.string("entrypoint") ?? HTTPExecutor.defaultWagiEntrypoint
            let argv = try r.string("argv") ?? HTTPExecutor.defaultWagiArgv
            try r.finish()
            return .wagi(entrypoint: entrypoint, argv: argv)
        default:
            let known = version == .v1 ? "`spin` or `wagi`" : "`http`, `spin` or `wagi`"
            throw ctx.error(
                .invalidValue, "unknown executor type `\(type)` in \(section) (expected \(known))",
                at: t.keyPosition("type") ?? at, key: "executor.type")
        }
    }

    /// Base path: default "/", a leading "/" is added when missing.
    static func normalizeBase(_ base: String?) -> String {
        guard let base, !base.isEmpty else { return "/" }
        return base.hasPrefix("/") ? base : "/" + base
    }
}
