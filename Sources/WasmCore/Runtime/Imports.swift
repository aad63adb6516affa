/// Something an instance can import or export.
public enum ExternalValue: Sendable {
    case function(Function)
    case table(Table)
    case memory(Memory)
    case global(Global)

    public var kind: ExternalKind {
        switch self {
        case .function: .function
        case .table: .table
        case .memory: .memory
        case .global: .global
        }
    }
}

/// The values offered to a module's imports, by module name and field name.
public struct Imports: Sendable {
    public var entries: [String: [String: ExternalValue]] = [:]

    public init() {}

    public mutating func define(module: String, name: String, _ value: ExternalValue) {
        entries[module, default: [:]][name] = value
    }

    /// Offers every export of `instance` under the module name `module`.
    public mutating func define(module: String, instance: Instance) {
        for (name, value) in instance.exports {
            define(module: module, name: name, value)
        }
    }

    public func lookup(module: String, name: String) -> ExternalValue? {
        entries[module]?[name]
    }
}
