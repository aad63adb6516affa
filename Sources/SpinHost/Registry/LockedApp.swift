import Foundation
import TOML

/// Spin's locked app (`spin.lock`, the JSON an OCI artifact carries as its config):
/// `spin_lock_version`, `metadata`, `variables`, `triggers` (`id`, `trigger_type`,
/// `trigger_config`) and `components` (`id`, `metadata`, `source`, `env`, `files`, `config`),
/// content referred to by `sha256:` digest (or `inline` base64).
package enum LockedApp {
    /// One file of a component: its path under the guest `/` (no leading slash) and content digest.
    package struct File: Sendable {
        package var path: String
        package var digest: String
        /// The content itself when it is small enough to travel in the locked app (then no layer).
        package var inline: [UInt8]?

        package init(path: String, digest: String, inline: [UInt8]? = nil) {
            self.path = path
            self.digest = digest
            self.inline = inline
        }
    }

    /// What `json(for:)` needs besides the manifest: each component's module and file digests.
    package struct ComponentContent: Sendable {
        package var wasmDigest: String
        package var files: [File]
    }

    // MARK: writing

    /// The locked app of `manifest`, its content named by `content[component id]`.
    package static func json(for manifest: AppManifest, content: [String: ComponentContent]) -> [UInt8] {
        var metadata: [String: Any] = ["name": manifest.name, "version": manifest.version]
        if let d = manifest.description { metadata["description"] = d }
        if !manifest.authors.isEmpty { metadata["authors"] = manifest.authors }
        // App-level trigger settings: Spin 2+ `triggers.TYPE`, and Spin 1's `trigger`.
        var triggerSettings: [String: Any] = [:]
        if !manifest.httpTriggers.isEmpty || manifest.redisTriggers.isEmpty {
            triggerSettings["http"] = ["base": manifest.httpBase]
        }
        if let address = manifest.redisAddress { triggerSettings["redis"] = ["address": address] }
        metadata["triggers"] = triggerSettings
        if !manifest.httpTriggers.isEmpty {
            metadata["trigger"] = ["type": "http", "base": manifest.httpBase]
        } else if !manifest.redisTriggers.isEmpty {
            var t: [String: Any] = ["type": "redis"]
            if let address = manifest.redisAddress { t["address"] = address }
            metadata["trigger"] = t
        }

        var triggers: [[String: Any]] = []
        for t in manifest.httpTriggers {
            var config: [String: Any] = ["component": t.componentID, "route": t.route]
            // Spin's locked app writes a private route as `{ "private": true }`.
            if t.isPrivate { config["route"] = ["private": true] }
            if case .wagi(let entrypoint, let argv) = t.executor {
                config["executor"] = ["type": "wagi", "entrypoint": entrypoint, "argv": argv]
            }
            triggers.append(["id": t.id, "trigger_type": "http", "trigger_config": config])
        }
        for t in manifest.redisTriggers {
            var config: [String: Any] = ["component": t.componentID, "channel": t.channel]
            if let address = t.address { config["address"] = address }
            triggers.append(["id": t.id, "trigger_type": "redis", "trigger_config": config])
        }
        for t in manifest.otherTriggers {
            triggers.append(["id": t.id, "trigger_type": t.type, "trigger_config": ["component": t.componentID]])
        }

        var components: [[String: Any]] = []
        for c in manifest.components {
            guard let content = content[c.id] else { continue }
            var meta: [String: Any] = [:]
            if let d = c.description { meta["description"] = d }
            if !c.allowedOutboundHosts.isEmpty { meta["allowed_outbound_hosts"] = c.allowedOutboundHosts }
            if !c.keyValueStores.isEmpty { meta["key_value_stores"] = c.keyValueStores }
            if !c.sqliteDatabases.isEmpty { meta["databases"] = c.sqliteDatabases }
            if !c.aiModels.isEmpty { meta["ai_models"] = c.aiModels }
            var component: [String: Any] = [
                "id": c.id, "source": ["content_type": "application/wasm", "digest": content.wasmDigest],
            ]
            if !meta.isEmpty { component["metadata"] = meta }
            if !c.environment.isEmpty { component["env"] = c.environment }
            if !c.variables.isEmpty { component["config"] = c.variables }
            if !content.files.isEmpty {
                component["files"] = content.files.map { f -> [String: Any] in
                    var entry: [String: Any] = ["digest": f.digest, "path": f.path]
                    if let inline = f.inline { entry["inline"] = Data(inline).base64EncodedString() }
                    return entry
                }
            }
            components.append(component)
        }

        var app: [String: Any] = [
            "spin_lock_version": 0, "metadata": metadata, "triggers": triggers, "components": components,
        ]
        if !manifest.variables.isEmpty {
            app["variables"] = manifest.variables.mapValues { v -> [String: Any] in
                var out: [String: Any] = [:]
                if let d = v.defaultValue { out["default"] = d }
                if v.secret { out["secret"] = true }
                return out
            }
        }
        let data = try! JSONSerialization.data(
            withJSONObject: app, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return [UInt8](data)
    }

    // MARK: reading

    /// The app a locked app describes: modules from `cache`'s wasm folder, each component's
    /// files copied from its data folder (or `inline`) into `mountDirectory/<component id>`
    /// and mounted at `/`. `baseDirectory` is where logs and state go; `origin` names the
    /// locked app in errors.
    package static func manifest(
        from json: [UInt8], origin: String, cache: RegistryCache, mountDirectory: String, baseDirectory: String
    ) throws(RegistryError) -> AppManifest {
        func fail(_ why: String) -> RegistryError { RegistryError("locked app \(origin): \(why)") }
        guard let object = try? JSONSerialization.jsonObject(with: Data(json)), let app = object as? [String: Any]
        else { throw fail("not a JSON object") }
        guard let version = app["spin_lock_version"] as? Int, version == 0 || version == 1 else {
            throw fail("`spin_lock_version` must be 0 or 1, found \(app["spin_lock_version"] ?? "nothing")")
        }
        for must in app["must_understand"] as? [Any] ?? [] where (must as? String) != "host_requirements" {
            throw fail("`must_understand` names `\(must)`, which this host does not understand")
        }
        for (key, value) in app["host_requirements"] as? [String: Any] ?? [:] where (value as? String) != "optional" {
            throw fail("the app requires host feature `\(key)`, which this host does not support")
        }
        let metadata = app["metadata"] as? [String: Any] ?? [:]
        let oldTrigger = metadata["trigger"] as? [String: Any] ?? [:]
        let triggerSettings = metadata["triggers"] as? [String: Any] ?? [:]
        var base =
            (triggerSettings["http"] as? [String: Any])?["base"] as? String ?? oldTrigger["base"] as? String ?? "/"
        if !base.hasPrefix("/") { base = "/" + base }
        let redisAddress =
            (triggerSettings["redis"] as? [String: Any])?["address"] as? String ?? oldTrigger["address"] as? String

        var variables: [String: Variable] = [:]
        for (name, value) in app["variables"] as? [String: Any] ?? [:] {
            let v = value as? [String: Any] ?? [:]
            let d = v["default"] as? String
            variables[name] = Variable(required: d == nil, defaultValue: d, secret: v["secret"] as? Bool ?? false)
        }

        var components: [Component] = []
        for (n, value) in (app["components"] as? [Any] ?? []).enumerated() {
            guard let c = value as? [String: Any], let id = c["id"] as? String else {
                throw fail("components[\(n)] has no `id`")
            }
            components.append(
                try component(
                    c, id: id, cache: cache, mountDirectory: mountDirectory, fail: { fail("component `\(id)`: \($0)") })
            )
        }

        var http: [HTTPTrigger] = []
        var redis: [RedisTrigger] = []
        var other: [OtherTrigger] = []
        for (n, value) in (app["triggers"] as? [Any] ?? []).enumerated() {
            guard let t = value as? [String: Any], let id = t["id"] as? String, let type = t["trigger_type"] as? String
            else { throw fail("triggers[\(n)] needs `id` and `trigger_type`") }
            let config = t["trigger_config"] as? [String: Any] ?? [:]
            guard let componentID = config["component"] as? String else {
                throw fail("trigger `\(id)` names no component (`trigger_config.component`)")
            }
            guard components.contains(where: { $0.id == componentID }) else {
                throw fail("trigger `\(id)` names component `\(componentID)`, which the app does not have")
            }
            switch type {
            case "http":
                var route = ""
                var isPrivate = false
                if let r = config["route"] as? String {
                    route = r
                } else if let r = config["route"] as? [String: Any], r["private"] as? Bool == true {
                    isPrivate = true
                } else {
                    throw fail("trigger `\(id)`: `route` must be a string or `{ \"private\": true }`")
                }
                var executor = HTTPExecutor.spin
                if let e = config["executor"] as? [String: Any], let kind = e["type"] as? String {
                    switch kind {
                    case "spin", "http": executor = .spin
                    case "wagi":
                        executor = .wagi(
                            entrypoint: e["entrypoint"] as? String ?? HTTPExecutor.defaultWagiEntrypoint,
                            argv: e["argv"] as? String ?? HTTPExecutor.defaultWagiArgv)
                    default: throw fail("trigger `\(id)`: unknown executor type `\(kind)`")
                    }
                }
                http.append(
                    HTTPTrigger(id: id, componentID: componentID, route: route, executor: executor, isPrivate: isPrivate))
            case "redis":
                guard let channel = config["channel"] as? String else { throw fail("trigger `\(id)` has no `channel`") }
                redis.append(
                    RedisTrigger(
                        id: id, componentID: componentID, channel: channel, address: config["address"] as? String))
            default:
                other.append(OtherTrigger(type: type, id: id, componentID: componentID, settings: TOMLTable()))
            }
        }

        return AppManifest(
            schemaVersion: .v2, manifestPath: origin, baseDirectory: baseDirectory,
            name: metadata["name"] as? String ?? "", version: metadata["version"] as? String ?? "",
            description: metadata["description"] as? String, authors: metadata["authors"] as? [String] ?? [],
            variables: variables, httpBase: base, redisAddress: redisAddress, otherTriggerSettings: [:],
            components: components, httpTriggers: http, redisTriggers: redis, otherTriggers: other)
    }

    private static func component(
        _ c: [String: Any], id: String, cache: RegistryCache, mountDirectory: String,
        fail: (String) -> RegistryError
    ) throws(RegistryError) -> Component {
        guard let source = c["source"] as? [String: Any] else { throw fail("no `source`") }
        let wasmPath: String
        if let digest = source["digest"] as? String {
            guard ImageReference.isDigest(digest) else { throw fail("source digest `\(digest)` is not sha256:HEX") }
            wasmPath = cache.wasmPath(digest)
        } else if let url = source["source"] as? String, url.hasPrefix("file://") {
            wasmPath = String(url.dropFirst(7)).removingPercentEncoding ?? String(url.dropFirst(7))
        } else {
            throw fail("`source` has neither a `digest` nor a file:// `source`")
        }
        let metadata = c["metadata"] as? [String: Any] ?? [:]
        var mounts: [FileMount] = []
        let files = c["files"] as? [Any] ?? []
        if !files.isEmpty {
            // The id comes from the registry: only safe characters name the folder.
            let dir =
                mountDirectory + "/"
                + String(id.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
            for (n, value) in files.enumerated() {
                guard let f = value as? [String: Any], let rawPath = f["path"] as? String else {
                    throw fail("files[\(n)] has no `path`")
                }
                let path = rawPath.hasPrefix("/") ? String(rawPath.dropFirst()) : rawPath
                let parts = path.split(separator: "/", omittingEmptySubsequences: false)
                guard !path.isEmpty, !parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) else {
                    throw fail("files[\(n)]: unsafe path `\(rawPath)`")
                }
                let bytes: [UInt8]
                if let inline = f["inline"] as? String {
                    guard let data = Data(base64Encoded: inline) else { throw fail("files[\(n)]: bad base64 `inline`") }
                    bytes = [UInt8](data)
                } else if let digest = f["digest"] as? String, ImageReference.isDigest(digest) {
                    guard let data = FileManager.default.contents(atPath: cache.dataPath(digest)) else {
                        throw fail("file `\(path)` (\(digest)) is not in the registry cache \(cache.dataDirectory)")
                    }
                    bytes = [UInt8](data)
                } else {
                    throw fail("files[\(n)] has neither `inline` content nor a sha256 `digest`")
                }
                try cache.write(bytes, to: dir + "/" + path)
            }
            mounts = [.placement(source: dir, destination: "/")]
        }
        return Component(
            id: id, source: .file(wasmPath), description: metadata["description"] as? String, files: mounts,
            excludeFiles: [], environment: c["env"] as? [String: String] ?? [:], allowedHTTPHosts: [],
            allowedOutboundHosts: metadata["allowed_outbound_hosts"] as? [String] ?? [],
            keyValueStores: metadata["key_value_stores"] as? [String] ?? [],
            sqliteDatabases: metadata["databases"] as? [String] ?? [],
            aiModels: metadata["ai_models"] as? [String] ?? [],
            variables: c["config"] as? [String: String] ?? [:], build: nil)
    }
}
