import TOML

/// Manifest v1 (`spin_manifest_version = "1"` or `spin_version = "1"`), read
/// with Spin 1.x's rules: the top level and `[[component]]` deny unknown keys.
///
/// Where the 1.x loader and Spin 2's v1 reader differ this follows the more
/// forgiving 2.x reader: `version` may be omitted (""), and an HTTP trigger
/// without `base` gets "/" (a base without a leading "/" gets one).
/// `allowed_outbound_hosts` is accepted as Spin 2's v1 schema does.
enum ManifestV1 {
    static func read(_ t: TOMLTable, _ ctx: ManifestContext) throws(ManifestError) -> AppManifest {
        var r = ctx.reader(t, "the top level")
        try r.allow([
            "spin_manifest_version", "spin_version", "name", "version", "description", "authors",
            "trigger", "namespace", "variables", "component",
        ])
        _ = r.value("spin_manifest_version")
        _ = r.value("spin_version")
        let name = try r.requiredString("name")
        let version = try r.string("version") ?? ""
        let description = try r.string("description")
        let authors = try r.stringArray("authors")
        _ = try r.string("namespace")  // deprecated, ignored
        let variables = try ManifestCommon.variables(try r.table("variables"), version: .v1, ctx)

        // trigger = { type = "http", base = "/" } | { type = "redis", address = "..." } | { type = other, ... }
        let trigger = try r.requiredTable("trigger")
        var tr = ctx.reader(trigger, "`trigger`")
        let triggerType = try tr.requiredString("type")
        var httpBase = "/"
        var redisAddress: String?
        var otherSettings: [String: TOMLTable] = [:]
        switch triggerType {
        case "http":
            try tr.allow(["type", "base"])
            httpBase = ManifestCommon.normalizeBase(try tr.string("base"))
            try tr.finish()
        case "redis":
            try tr.allow(["type", "address"])
            redisAddress = try tr.requiredString("address")
            try tr.finish()
        default:
            otherSettings[triggerType] = removing(["type"], from: trigger)
        }

        let componentArray: TOMLArray
        switch r.value("component") {
        case nil:
            componentArray = TOMLArray()
        case .array(let a)?:
            componentArray = a
        case let v?:
            throw ctx.error(
                .wrongType, "`component` must be an array of tables (`[[component]]`), found \(v.typeName)",
                at: t.keyPosition("component"), key: "component")
        }
        try r.finish()

        var components: [Component] = []
        var firstSeen: [String: TOMLPosition] = [:]
        var http: [HTTPTrigger] = []
        var redis: [RedisTrigger] = []
        var others: [OtherTrigger] = []
        for (n, v) in componentArray.elements.enumerated() {
            guard case .table(let ct) = v else {
                throw ctx.error(
                    .wrongType,
                    "`component` must be an array of tables (`[[component]]`), but element \(n + 1) is a \(v.typeName)",
                    at: componentArray.positions[n], key: "component")
            }
            let shownID = ct["id"]?.stringValue.map { " `\($0)`" } ?? ""
            var cr = ctx.reader(ct, "[[component]]" + shownID)
            try cr.allow(["id", "trigger"] + ManifestCommon.componentKeys(.v1))
            let id = try cr.requiredString("id")
            let idAt = cr.keyPosition("id")
            if let first = firstSeen[id] {
                throw ctx.error(
                    .duplicate, "cannot have duplicate component IDs: `\(id)` (first defined at line \(first.line))",
                    at: idAt, key: "id")
            }
            firstSeen[id] = idAt
            let component = try ManifestCommon.component(id: id, &cr, version: .v1, ctx)

            // [component.trigger]
            let triggerSection = "[component.trigger] of component `\(id)`"
            let triggerID = "trigger-\(id)"
            switch cr.value("trigger") {
            case nil:
                throw ctx.error(
                    .missingKey,
                    "missing required key `trigger` in [[component]] `\(id)` (add a [component.trigger] table)",
                    at: ct.position, key: "trigger")
            case .table(let tt)?:
                var ttr = ctx.reader(tt, triggerSection)
                switch triggerType {
                case "http":
                    try ttr.allow(["route", "executor"])
                    let route = try ttr.requiredString("route")
                    try ManifestCommon.checkRoute(route, section: triggerSection, at: tt.keyPosition("route"), ctx)
                    let executor = try ManifestCommon.executor(
                        ttr.value("executor"), section: triggerSection, at: tt.keyPosition("executor"), version: .v1,
                        ctx)
                    try ttr.finish()
                    http.append(HTTPTrigger(id: triggerID, componentID: id, route: route, executor: executor))
                case "redis":
                    try ttr.allow(["channel", "executor"])
                    let channel = try ttr.requiredString("channel")
                    _ = ttr.value("executor")  // accepted and ignored by Spin 1.x
                    try ttr.finish()
                    redis.append(RedisTrigger(id: triggerID, componentID: id, channel: channel, address: nil))
                default:
                    others.append(OtherTrigger(type: triggerType, id: triggerID, componentID: id, settings: tt))
                }
            case let tv?:
                throw ctx.error(
                    .wrongType, "`trigger` in [[component]] `\(id)` must be a table, found \(tv.typeName)",
                    at: ct.keyPosition("trigger"), key: "trigger")
            }
            try cr.finish()
            components.append(component)
        }

        return AppManifest(
            schemaVersion: .v1, manifestPath: ctx.file, baseDirectory: ctx.baseDirectory,
            name: name, version: version, description: description, authors: authors, variables: variables,
            httpBase: httpBase, redisAddress: redisAddress, otherTriggerSettings: otherSettings,
            components: components, httpTriggers: http, redisTriggers: redis, otherTriggers: others)
    }

    static func removing(_ keys: Set<String>, from t: TOMLTable) -> TOMLTable {
        var out = TOMLTable(position: t.position)
        for k in t.keys where !keys.contains(k) {
            let e = t.entries[k]!
            out.set(k, e.value, keyPosition: e.keyPosition, valuePosition: e.valuePosition)
        }
        return out
    }
}
