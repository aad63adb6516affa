import TOML

/// The resolved application model. Both manifest versions (v1:
/// `spin_manifest_version = "1"`, v2: `spin_manifest_version = 2`) load into
/// this one shape; triggers and the loader consume it and never look at TOML.
public struct AppManifest: Hashable, Sendable {
    public enum SchemaVersion: Int, Hashable, Sendable {
        case v1 = 1
        case v2 = 2
    }

    /// Which manifest schema the file used.
    public var schemaVersion: SchemaVersion
    /// The manifest file as given to `Manifest.load` (used in messages).
    public var manifestPath: String
    /// Absolute directory of the manifest; relative paths resolve against it.
    public var baseDirectory: String

    public var name: String
    /// `""` when absent.
    public var version: String
    public var description: String?
    public var authors: [String]
    /// App variables by name (`[variables]`).
    public var variables: [String: Variable]

    /// HTTP base path (`trigger.base` in v1, `[application.trigger.http] base` in v2).
    /// Always starts with `/`; defaults to `/`.
    public var httpBase: String
    /// App-level Redis address (`trigger.address` in v1, `[application.trigger.redis] address` in v2).
    public var redisAddress: String?
    /// App-level settings of trigger types this host does not know (plugins),
    /// by trigger type, kept verbatim.
    package var otherTriggerSettings: [String: TOMLTable]
    /// `[application.tool.<name>]` tables (Spin 3): settings for external tools, kept and
    /// ignored as Spin does.
    package var tools: [String: TOMLTable] = [:]

    /// Components in manifest order.
    public var components: [Component]
    public var httpTriggers: [HTTPTrigger]
    public var redisTriggers: [RedisTrigger]
    /// Triggers of types this host does not know, kept verbatim.
    public var otherTriggers: [OtherTrigger]

    public func component(id: String) -> Component? {
        components.first { $0.id == id }
    }

    /// The Redis address a trigger should use: its own, else the app's.
    public func redisAddress(for trigger: RedisTrigger) -> String? {
        trigger.address ?? redisAddress
    }
}

/// An application variable (`[variables] name = { default = "x" }`).
/// Exactly one of `required` and `defaultValue` is set.
public struct Variable: Hashable, Sendable {
    public var required: Bool
    public var defaultValue: String?
    public var secret: Bool

    public init(required: Bool = false, defaultValue: String? = nil, secret: Bool = false) {
        self.required = required
        self.defaultValue = defaultValue
        self.secret = secret
    }
}

public struct Component: Hashable, Sendable {
    /// The component id. v2: the kebab-case id as written (`[component.<id>]`).
    /// v1: the `id` exactly as written, *not* kebab-cased. Spin 2's v1→v2
    /// migration would rename `spin_config_rust` to `spin-config-rust`, but
    /// Spin 1.x prints and routes with the id as written, which is what a
    /// 1.x-compatible host shows; `migratedID` gives the Spin 2 form.
    public var id: String
    public var source: ComponentSource
    public var description: String?
    /// `files` entries as written (paths relative to `AppManifest.baseDirectory`).
    public var files: [FileMount]
    public var excludeFiles: [String]
    public var environment: [String: String]
    /// `allowed_http_hosts` as written (v1, and deprecated in v2).
    public var allowedHTTPHosts: [String]
    /// The effective outbound allow-list: `allowed_outbound_hosts` plus the
    /// normalised `allowed_http_hosts` (see `Compat.outboundHosts`).
    public var allowedOutboundHosts: [String]
    public var keyValueStores: [String]
    public var sqliteDatabases: [String]
    public var aiModels: [String]
    /// Component variables / config templates (v1 `config`, v2 `variables`),
    /// e.g. `message = "I'm a {{object}}"`.
    public var variables: [String: String]
    public var build: BuildConfig?
    /// `dependencies` (Spin 3, v2 only): the imports other components satisfy, by import name
    /// (`"a:b/c"`), each kept as written. This host does not compose components yet, so
    /// `LoadedApp.load` refuses a component that has any; the manifest still parses.
    public var dependencies: [String: String] = [:]
    /// `dependencies_inherit_configuration` (Spin 3): whether dependencies see this component's
    /// configuration. Only meaningful with `dependencies`.
    public var dependenciesInheritConfiguration: Bool = false
    /// `[component.<id>.tool.<name>]` tables: settings for external tools, kept and ignored
    /// as Spin does.
    package var tools: [String: TOMLTable] = [:]

    /// The id Spin 2's v1→v2 migration gives this component (`_`→`-`, lowercase).
    package var migratedID: String { Compat.kebabCase(id) }
}

public enum ComponentSource: Hashable, Sendable {
    /// Absolute path of a local Wasm file (resolved against the manifest directory).
    case file(String)
    /// Remote module: an https URL and its `sha256:<hex>` digest.
    case url(String, digest: String)
    /// `source = { registry, package, version }` (Spin 3): a component from a package
    /// registry (warg). Parsed so the manifest loads; running it is refused by `LoadedApp`.
    case registry(registry: String?, package: String, version: String)
}

public enum FileMount: Hashable, Sendable {
    /// A path or glob relative to the manifest directory; matched files are
    /// mounted at the same relative path under the guest `/`.
    case pattern(String)
    /// A directory (relative to the manifest) mounted at an absolute guest path.
    case placement(source: String, destination: String)
}

public struct BuildConfig: Hashable, Sendable {
    /// `command`: one shell command, or (Spin 3) a list run in order, stopping at the first failure.
    public var commands: [String]
    /// The commands as one line for messages (`a && b`).
    public var command: String { commands.joined(separator: " && ") }
    /// Relative to the manifest directory; `nil` = the manifest directory.
    public var workdir: String?
    public var watch: [String]

    public init(commands: [String], workdir: String? = nil, watch: [String] = []) {
        self.commands = commands
        self.workdir = workdir
        self.watch = watch
    }

    /// One command.
    public init(command: String, workdir: String? = nil, watch: [String] = []) {
        self.init(commands: [command], workdir: workdir, watch: watch)
    }
}

public enum HTTPExecutor: Hashable, Sendable {
    /// The Spin HTTP executor (`{ type = "spin" }`, `"http"` in v2, or no executor).
    case spin
    /// The WAGI executor; defaults `_start` and `${SCRIPT_NAME} ${ARGS}`.
    case wagi(entrypoint: String, argv: String)

    public static let defaultWagiEntrypoint = "_start"
    public static let defaultWagiArgv = "${SCRIPT_NAME} ${ARGS}"
}

public struct HTTPTrigger: Hashable, Sendable {
    /// Trigger id (v1: `trigger-<component id>`; v2: as written or generated).
    public var id: String
    public var componentID: String
    /// The route as written (without the app base), e.g. `/hello/...`.
    public var route: String
    public var executor: HTTPExecutor
    /// `route = { private = true }` (Spin 2.5+): no public route. Spin serves such a
    /// component only to service-chaining self-requests; this host has no service chaining,
    /// so the router leaves it out and requests from outside get 404.
    public var isPrivate: Bool = false
}

public struct RedisTrigger: Hashable, Sendable {
    public var id: String
    public var componentID: String
    public var channel: String
    /// Per-trigger address (v2 only); `nil` = use `AppManifest.redisAddress`.
    public var address: String?
}

/// A trigger of a type this host does not implement (e.g. a plugin trigger).
public struct OtherTrigger: Hashable, Sendable {
    public var type: String
    public var id: String
    public var componentID: String
    /// The trigger table without `id` and `component` (v1: `[component.trigger]`).
    package var settings: TOMLTable
}

extension AppManifest {
    /// A `{{ name }}` in a component's variables/config that names no app variable.
    package struct UndefinedVariableReference: Hashable, Sendable, CustomStringConvertible {
        package var componentID: String
        package var key: String
        package var variable: String
        package var description: String {
            "component `\(componentID)`: `\(key)` refers to undefined variable `\(variable)`"
        }
    }

    /// Template references to variables that `[variables]` does not declare.
    /// Loading does not reject these (Spin reports them when it resolves
    /// values); a host can call this at startup to fail early.
    package func undefinedVariableReferences() -> [UndefinedVariableReference] {
        var out: [UndefinedVariableReference] = []
        for c in components {
            for key in c.variables.keys.sorted() {
                guard case .success(let refs) = Compat.templateReferences(c.variables[key]!) else { continue }
                for r in refs where variables[r] == nil {
                    out.append(UndefinedVariableReference(componentID: c.id, key: key, variable: r))
                }
            }
        }
        return out
    }
}
