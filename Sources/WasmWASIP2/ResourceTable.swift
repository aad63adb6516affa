import WasmCore

/// What a host resource may do when the guest drops its last owning handle.
public protocol HostResourceDropping: AnyObject {
    /// Called once, after the resource left the table.
    func dropped(in context: WASIP2Context) throws
}

/// The host side of every resource an instance holds: reps (what the canonical ABI passes in
/// `.own`/`.borrow`) to host objects. Reps are unique across resource types and never reused
/// within one instance, so a stale rep can never reach a newer object.
public final class ResourceTable {
    private var entries: [UInt32: AnyObject] = [:]
    private var next: UInt32 = 1

    public init() {}

    /// Adds `object`; returns its rep.
    public func insert(_ object: AnyObject) -> UInt32 {
        let rep = next
        next &+= 1
        entries[rep] = object
        return rep
    }

    /// The object of `rep`, which must be a `T`. A missing rep or another type traps: the
    /// canonical ABI only hands the host reps of the right resource type, so either is a host bug.
    public func get<T: AnyObject>(_ rep: UInt32, as type: T.Type = T.self) throws -> T {
        guard let object = entries[rep] else { throw Trap(.host("unknown resource rep \(rep)")) }
        guard let typed = object as? T else {
            throw Trap(.host("resource rep \(rep) is a \(Swift.type(of: object)), not a \(T.self)"))
        }
        return typed
    }

    /// The object of `rep`, if there is one of type `T`.
    public func lookup<T: AnyObject>(_ rep: UInt32, as type: T.Type = T.self) -> T? {
        entries[rep] as? T
    }

    /// Removes `rep` and returns its object.
    @discardableResult
    public func remove(_ rep: UInt32) -> AnyObject? { entries.removeValue(forKey: rep) }

    /// Removes `rep` for a guest drop, then lets the object react (`HostResourceDropping`).
    func drop(_ rep: UInt32, context: WASIP2Context) throws {
        guard let object = entries.removeValue(forKey: rep) else { return }
        try (object as? HostResourceDropping)?.dropped(in: context)
    }

    /// How many resources are live.
    public var count: Int { entries.count }

    /// Every live object, for closing at the end of an instance.
    var objects: [AnyObject] { Array(entries.values) }
}
