/// Something an instance can import or export.
public enum ExternalValue: Sendable {
    case function(Function)
    case table(Table)
    case memory(Memory)
    case global(Global)
    /// An exception tag (exception handling).
    case tag(Tag)

    public var kind: ExternalKind {
        switch self {
        case .function: .function
        case .table: .table
        case .memory: .memory
        case .global: .global
        case .tag: .tag
        }
    }
}

/// The values offered to a module's imports, by module name and field name
/// (both compared by their exact UTF-8 bytes).
public struct Imports: Sendable {
    private var entries: [ExactName: [ExactName: ExternalValue]] = [:]

    public init() {}

    public mutating func define(module: String, name: String, _ value: ExternalValue) {
        entries[ExactName(module), default: [:]][ExactName(name)] = value
    }

    /// Removes every definition under the module name `module`.
    public mutating func removeModule(_ module: String) {
        entries[ExactName(module)] = nil
    }

    /// Adds every definition of `other`, replacing same-named ones.
    public mutating func merge(_ other: Imports) {
        for (module, names) in other.entries {
            for (name, value) in names { entries[module, default: [:]][name] = value }
        }
    }

    /// Offers every export of `instance` under the module name `module`.
    public mutating func define(module: String, instance: Instance) {
        for (name, value) in instance.exports {
            define(module: module, name: name, value)
        }
    }

    /// The names defined under the module name `module`.
    public func names(inModule module: String) -> [String] {
        entries[ExactName(module)].map { $0.keys.map(\.string) } ?? []
    }

    public func lookup(module: String, name: String) -> ExternalValue? {
        entries[ExactName(module)]?[ExactName(name)]
    }
}
