import TOML

/// Manifest v2 (`spin_manifest_version = 2`), Spin 2.0's schema: unknown keys
/// are errors everywhere except in the settings of trigger types this host
/// does not implement. Trigger and inline-component ids are generated the way
/// Spin's `normalize.rs` does it: `<component>-<type>-trigger`, else
/// `<type>-trigger<N>`; inline components get `<trigger-id>-component`, else
/// `inline-component<N>`.
enum ManifestV2 {
    private enum ComponentSpec {
        case reference(String, TOMLPosition)
        case inline(TOMLTable)
    }

    private struct RawTrigger {
        var type: String
        var id: String?
        var idAt: TOMLPosition
        var spec: ComponentSpec
        var table: TOMLTable
        var section: String
    }

    static func read(_ t: TOMLTable, _ ctx: ManifestContext) throws(ManifestError) -> AppManifest {
        var r = ctx.reader(t, "the top level")
        try r.allow(["spin_manifest_version", "application", "variables", "trigger", "component"])
        _ = r.value("spin_manifest_version")

        // [application]
        let app = try r.requiredTable("application")
        var ar = ctx.reader(app, "[application]")
        try ar.allow(["name", "version", "description", "authors", "trigger", "tool"])
        let name = try ar.requiredString("name")
        let version = try ar.string("version") ?? ""
        let description = try ar.string("description")
        let authors = try ar.stringArray("authors")
        var httpBase = "/"
        var redisAddress: String?
        var otherSettings: [String: TOMLTable] = [:]
        if let triggers = try ar.table("trigger") {
            for type in triggers.keys {
                guard case .table(let tt) = triggers[type]! else {
                    throw ctx.error(
                        .wrongType,
                        "`\(type)` in [application.trigger] must be a table, found \(triggers[type]!.typeName)",
                        at: triggers.keyPosition(type), key: "trigger.\(type)")
                }
                var tr = ctx.reader(tt, "[application.trigger.\(type)]")
                switch type {
                case "http":
                    try tr.allow(["base"])
                    httpBase = ManifestCommon.normalizeBase(try tr.string("base"))
                    try tr.finish()
                case "redis":
                    try tr.allow(["address"])
                    redisAddress = try tr.string("address")
                    try tr.finish()
                default:
                    otherSettings[type] = tt
                }
            }
        }
        let tools = try ManifestCommon.tools(try ar.table("tool"), section: "[application.tool]", ctx)
        try ar.finish()

        let variables = try ManifestCommon.variables(try r.table("variables"), version: .v2, ctx)

        // [component.<id>]
        var components: [Component] = []
        var componentIDs = Set<String>()
        if let ct = try r.table("component") {
            for id in ct.keys {
                let at = ct.keyPosition(id)
                if let p = Compat.kebabIDProblem(id) {
                    throw ctx.error(
                        .invalidValue,
                        "invalid component id `\(id)`: \(p) (component ids are kebab-case, e.g. `my-component`)",
                        at: at, key: "component.\(id)")
                }
                guard case .table(let body) = ct[id]! else {
                    throw ctx.error(
                        .wrongType, "`component.\(id)` must be a table, found \(ct[id]!.typeName)", at: at,
                        key: "component.\(id)")
                }
                var cr = ctx.reader(body, "[component.\(id)]")
                try cr.allow(ManifestCommon.componentKeys(.v2))
                let c = try ManifestCommon.component(id: id, &cr, version: .v2, ctx)
                try cr.finish()
                components.append(c)
                componentIDs.insert(id)
            }
        }

        // [[trigger.<type>]]
        var raw: [RawTrigger] = []
        if let tt = try r.table("trigger") {
            for type in tt.keys {
                guard case .array(let list) = tt[type]!, list.elements.allSatisfy({ $0.tableValue != nil }) else {
                    throw ctx.error(
                        .wrongType,
                        "`trigger.\(type)` must be an array of tables (`[[trigger.\(type)]]`), found \(tt[type]!.typeName)",
                        at: tt.keyPosition(type), key: "trigger.\(type)")
                }
                for v in list.elements {
                    let table = v.tableValue!
                    let section = "[[trigger.\(type)]]"
                    var id: String?
                    if let idv = table["id"] {
                        guard case .string(let s) = idv else {
                            throw ctx.error(
                                .wrongType, "`id` in \(section) must be a string, found \(idv.typeName)",
                                at: table.keyPosition("id"), key: "id")
                        }
                        id = s
                    }
                    let spec: ComponentSpec
                    switch table["component"] {
                    case nil:
                        throw ctx.error(
                            .missingKey, "missing required key `component` in \(section)", at: table.position,
                            key: "component")
                    case .string(let ref)?:
                        spec = .reference(ref, table.keyPosition("component")!)
                    case .table(let inline)?:
                        spec = .inline(inline)
                    case let cv?:
                        throw ctx.error(
                            .wrongType,
                            "`component` in \(section) must be a component id or an inline component table, found \(cv.typeName)",
                            at: table.keyPosition("component"), key: "component")
                    }
                    raw.append(
                        RawTrigger(
                            type: type, id: id, idAt: table.keyPosition("id") ?? table.position, spec: spec,
                            table: table, section: section))
                }
            }
        }
        try r.finish()

        // Trigger ids: explicit ones must be unique; missing ones are generated.
        var triggerIDs = Set<String>()
        for t in raw {
            guard let id = t.id else { continue }
            if !triggerIDs.insert(id).inserted {
                throw ctx.error(.duplicate, "duplicate trigger id `\(id)`", at: t.idAt, key: "id")
            }
        }
        var counters: [String: Int] = [:]
        for n in raw.indices where raw[n].id == nil {
            if case .reference(let cid, _) = raw[n].spec, !triggerIDs.contains("\(cid)-\(raw[n].type)-trigger") {
                raw[n].id = "\(cid)-\(raw[n].type)-trigger"
            } else {
                var c = counters[raw[n].type, default: 1]
                while triggerIDs.contains("\(raw[n].type)-trigger\(c)") { c += 1 }
                raw[n].id = "\(raw[n].type)-trigger\(c)"
                counters[raw[n].type] = c + 1
            }
            triggerIDs.insert(raw[n].id!)
        }

        // Inline components get ids and join the component list.
        var inlineCounter = 1
        var http: [HTTPTrigger] = []
        var redis: [RedisTrigger] = []
        var others: [OtherTrigger] = []
        for t in raw {
            let triggerID = t.id!
            let componentID: String
            switch t.spec {
            case .reference(let ref, let at):
                guard componentIDs.contains(ref) else {
                    throw ctx.error(
                        .invalidValue,
                        "\(t.section) `\(triggerID)` refers to component `\(ref)`, which is not defined (no [component.\(ref)])",
                        at: at, key: "component")
                }
                componentID = ref
            case .inline(let body):
                var id = "\(triggerID)-component"
                if Compat.kebabIDProblem(id) != nil || componentIDs.contains(id) {
                    repeat {
                        id = "inline-component\(inlineCounter)"
                        inlineCounter += 1
                    } while componentIDs.contains(id)
                }
                var cr = ctx.reader(body, "the inline component of \(t.section) `\(triggerID)`")
                try cr.allow(ManifestCommon.componentKeys(.v2))
                let c = try ManifestCommon.component(id: id, &cr, version: .v2, ctx)
                try cr.finish()
                components.append(c)
                componentIDs.insert(id)
                componentID = id
            }

            var tr = ctx.reader(t.table, "\(t.section) `\(triggerID)`")
            _ = tr.value("id")
            _ = tr.value("component")
            switch t.type {
            case "http":
                try tr.allow(["id", "component", "route", "executor"])
                let route: String
                var isPrivate = false
                switch tr.value("route") {
                case .string(let s)?:
                    route = s
                    try ManifestCommon.checkRoute(s, section: tr.section, at: t.table.keyPosition("route"), ctx)
                case nil:
                    throw ctx.error(
                        .missingKey, "missing required key `route` in \(tr.section)", at: t.table.position, key: "route"
                    )
                case .table(let rt)?:
                    // `route = { private = true }`: reachable only by service chaining (Spin 2.5+).
                    var rr = ctx.reader(rt, "`route` of \(tr.section)")
                    try rr.allow(["private"])
                    guard try rr.bool("private") == true else {
                        throw ctx.error(
                            .invalidValue, "`route` in \(tr.section) must be a string or `{ private = true }`",
                            at: t.table.keyPosition("route"), key: "route")
                    }
                    try rr.finish()
                    route = ""
                    isPrivate = true
                case let v?:
                    throw ctx.error(
                        .wrongType, "`route` in \(tr.section) must be a string, found \(v.typeName)",
                        at: t.table.keyPosition("route"), key: "route")
                }
                let executor = try ManifestCommon.executor(
                    tr.value("executor"), section: tr.section, at: t.table.keyPosition("executor"), version: .v2, ctx)
                try tr.finish()
                http.append(
                    HTTPTrigger(
                        id: triggerID, componentID: componentID, route: route, executor: executor, isPrivate: isPrivate)
                )
            case "redis":
                try tr.allow(["id", "component", "channel", "address"])
                let channel = try tr.requiredString("channel")
                let address = try tr.string("address")
                try tr.finish()
                if address == nil && redisAddress == nil {
                    throw ctx.error(
                        .missingKey, "\(tr.section) has no `address` and [application.trigger.redis] sets no `address`",
                        at: t.table.position, key: "address")
                }
                redis.append(RedisTrigger(id: triggerID, componentID: componentID, channel: channel, address: address))
            default:
                others.append(
                    OtherTrigger(
                        type: t.type, id: triggerID, componentID: componentID,
                        settings: ManifestV1.removing(["id", "component"], from: t.table)))
            }
        }

        return AppManifest(
            schemaVersion: .v2, manifestPath: ctx.file, baseDirectory: ctx.baseDirectory,
            name: name, version: version, description: description, authors: authors, variables: variables,
            httpBase: httpBase, redisAddress: redisAddress, otherTriggerSettings: otherSettings, tools: tools,
            components: components, httpTriggers: http, redisTriggers: redis, otherTriggers: others)
    }
}
