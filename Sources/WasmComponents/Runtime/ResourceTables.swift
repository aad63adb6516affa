import WasmCore

// Resources at run time: resource types (one per definition per instantiation, or per host
// definition), each component instance's handle table, and the per-call borrow bookkeeping.
// Spec: component-model `design/mvp/CanonicalABI.md` ("Resources", "Handle tables",
// `canon resource.new` / `resource.drop` / `resource.rep`).

/// A resource type at run time: two handles have the same type only when these are identical.
final class RuntimeResourceType: @unchecked Sendable {
    /// The instance whose `(type (resource ...))` made it; nil for a host-defined resource.
    weak var owner: InstanceState?
    /// The guest destructor (`(dtor f)`), called with the rep.
    var destructor: Function?
    /// The host destructor of a host-defined resource.
    let hostDestructor: ((ComponentCaller, UInt32) throws -> Void)?
    /// For messages: "guest-defined resource" or the host's name.
    let name: String

    init(owner: InstanceState?, destructor: Function?, name: String) {
        self.owner = owner
        self.destructor = destructor
        self.hostDestructor = nil
        self.name = name
    }

    init(hostName: String, destructor: ((ComponentCaller, UInt32) throws -> Void)?) {
        self.owner = nil
        self.destructor = nil
        self.hostDestructor = destructor
        self.name = hostName
    }

    var isHost: Bool { name != "guest-defined resource" }
}

/// The borrow bookkeeping of one call into an instance (the spec's task / call context).
final class CallFrame {
    /// Borrow handles lowered into the callee during this call and not yet dropped.
    var borrowCount = 0
    /// Owned handles of the caller lent to the callee for this call (their lend counts drop
    /// when the call returns).
    var lenders: [(HandleTable, Int)] = []
    /// `context.get`/`context.set` slots of this call (the task's context-local storage).
    var context: [UInt32] = [0, 0]
    /// An async-lifted call: its result comes through `task.return`.
    var isAsync = false
    var hasReturned = false
    var result: ComponentValue?
}

/// A handle table entry.
struct Handle {
    var resource: RuntimeResourceType
    var rep: UInt32
    var own: Bool
    /// For a borrow handle: the call whose scope it lives in.
    var scope: CallFrame?
    /// How many calls currently borrow this owned handle.
    var lendCount = 0
}

/// One component instance's table of resource handles (index 0 is never used).
final class HandleTable {
    static let maxLength = 1 << 28
    var entries: [Handle?] = [nil]
    var free: [Int] = []

    func add(_ h: Handle) throws -> UInt32 {
        if let i = free.popLast() {
            entries[i] = h
            return UInt32(i)
        }
        let i = entries.count
        if i > Self.maxLength { throw Trap(.host("resource handle table is full")) }
        entries.append(h)
        return UInt32(i)
    }

    func get(_ i: UInt32) throws -> Handle {
        let index = Int(i)
        guard index < entries.count, let h = entries[index] else {
            throw Trap(.host("unknown handle index \(i)"))
        }
        return h
    }

    @discardableResult
    func remove(_ i: UInt32) throws -> Handle {
        let h = try get(i)
        entries[Int(i)] = nil
        free.append(Int(i))
        return h
    }

    static func checkType(_ h: Handle, _ index: UInt32, expected: RuntimeResourceType) throws {
        guard h.resource === expected else {
            throw Trap(
                .host(
                    "handle index \(index) used with the wrong type, expected \(expected.name) but found a different \(h.resource.name)"
                ))
        }
    }
}

/// The run-time state of one component instance (at any nesting level): its handle table,
/// `may_leave` flag, the run-time identity of every resource type it can name, and its calls.
final class InstanceState {
    /// Not retained: the store keeps the host functions (lowerings, built-ins) whose closures
    /// keep this state, so a strong reference back would keep every store of a component alive
    /// forever (it leaked one store, with its memories, per request). The store outlives every
    /// state: a state is reachable only from its `ComponentInstance`, which retains the store,
    /// and from the store's own functions.
    unowned(unsafe) let store: Store
    /// The top-level instance the host holds (for `ComponentCaller`).
    unowned(unsafe) let root: ComponentInstance
    let handles = HandleTable()
    /// False while the instance lowers values or runs `post-return`: calls out trap.
    var mayLeave = true
    /// Run-time resource types by static resource identity (`ResourceID.raw` of the type
    /// arena): an array, so lifting and lowering a handle does no hashing.
    private var resources: [RuntimeResourceType?]
    /// Calls into this instance that have not returned, innermost last.
    var frames: [CallFrame] = []
    /// `backpressure.inc`/`dec`/`set` (kept, not acted on: async callers do not run).
    var backpressure = 0

    /// The instance whose definitions instantiated this one (nil at the top level). All
    /// states live as long as the `ComponentInstance` (which keeps them).
    unowned(unsafe) let parent: InstanceState?
    /// Set when a call into the instance trapped: it cannot be entered again.
    var poisoned = false

    init(store: Store, root: ComponentInstance, parent: InstanceState?, resourceCount: Int) {
        self.store = store
        self.root = root
        self.parent = parent
        resources = Array(repeating: nil, count: resourceCount)
    }

    /// Whether `self` is `other` or one of its ancestors.
    func isReflexiveAncestor(of other: InstanceState) -> Bool {
        var i: InstanceState? = other
        while let current = i {
            if current === self { return true }
            i = current.parent
        }
        return false
    }

    /// `call_might_be_recursive` (the spec traps such calls "for now"): a guest caller that is
    /// an ancestor or descendant of the callee, or, for a call from the host, any guest call
    /// in progress whose ancestors meet the callee's.
    func checkMayEnter(from caller: InstanceState?) throws {
        if poisoned { throw Trap(.host("cannot enter component instance: it trapped earlier")) }
        let recursive: Bool
        if let caller {
            recursive = caller.isReflexiveAncestor(of: self) || isReflexiveAncestor(of: caller)
        } else {
            var mine: [ObjectIdentifier] = []
            var i: InstanceState? = self
            while let current = i {
                mine.append(ObjectIdentifier(current))
                i = current.parent
            }
            recursive = root.activeCalls.contains { active in
                var j: InstanceState? = active
                while let current = j {
                    if mine.contains(ObjectIdentifier(current)) { return true }
                    j = current.parent
                }
                return false
            }
        }
        if recursive { throw Trap(.host("cannot enter component instance (recursive reentrance)")) }
    }

    func resource(_ id: ResourceID) throws -> RuntimeResourceType {
        guard id.raw < resources.count, let r = resources[id.raw] else {
            throw Trap(.host("resource type \(id) has no run-time definition"))
        }
        return r
    }

    func bind(_ id: ResourceID, _ rt: RuntimeResourceType) {
        if id.raw < resources.count { resources[id.raw] = rt }
    }

    func checkMayLeave() throws {
        if !mayLeave { throw Trap(.host("cannot leave component instance")) }
    }

    // MARK: Resource built-ins

    /// `canon resource.new`.
    func resourceNew(_ rt: RuntimeResourceType, rep: UInt32) throws -> UInt32 {
        try checkMayLeave()
        return try handles.add(Handle(resource: rt, rep: rep, own: true))
    }

    /// `canon resource.rep`.
    func resourceRep(_ rt: RuntimeResourceType, handle: UInt32) throws -> UInt32 {
        let h = try handles.get(handle)
        try HandleTable.checkType(h, handle, expected: rt)
        return h.rep
    }

    /// `canon resource.drop`.
    func resourceDrop(_ rt: RuntimeResourceType, handle: UInt32) throws {
        try checkMayLeave()
        let h = try handles.get(handle)
        try HandleTable.checkType(h, handle, expected: rt)
        if h.lendCount != 0 { throw Trap(.host("cannot remove owned resource while borrowed")) }
        try handles.remove(handle)
        if h.own {
            try destroy(rt, rep: h.rep)
        } else if let scope = h.scope {
            scope.borrowCount -= 1
        }
    }

    /// Runs the destructor of an owned resource whose last handle went away.
    func destroy(_ rt: RuntimeResourceType, rep: UInt32) throws {
        if let dtor = rt.destructor {
            if let owner = rt.owner, owner !== self {
                // A call into the defining instance.
                let frame = CallFrame()
                owner.frames.append(frame)
                defer { owner.frames.removeLast() }
                _ = try store.invoke(dtor, [.i32(rep)])
            } else {
                _ = try store.invoke(dtor, [.i32(rep)])
            }
        } else if let host = rt.hostDestructor {
            try host(ComponentCaller(store: store, instance: root), rep)
        }
    }

    // MARK: Lifting and lowering handles

    /// `lift_own`: moves an owned handle out of this instance's table.
    func liftOwn(_ index: UInt32, _ rt: RuntimeResourceType) throws -> UInt32 {
        let h = try handles.get(index)
        try HandleTable.checkType(h, index, expected: rt)
        if h.lendCount != 0 { throw Trap(.host("cannot remove owned resource while borrowed")) }
        if !h.own { throw Trap(.host("cannot lift own resource from a borrow")) }
        try handles.remove(index)
        return h.rep
    }

    /// `lift_borrow`: the rep of a handle lent for the current call (owned handles are
    /// recorded in `frame` so their lend count drops when it returns).
    func liftBorrow(_ index: UInt32, _ rt: RuntimeResourceType, frame: CallFrame?) throws -> UInt32 {
        let h = try handles.get(index)
        try HandleTable.checkType(h, index, expected: rt)
        if h.own, let frame {
            handles.entries[Int(index)]!.lendCount += 1
            frame.lenders.append((handles, Int(index)))
        }
        return h.rep
    }

    /// `lower_own`: a new owned handle.
    func lowerOwn(_ rep: UInt32, _ rt: RuntimeResourceType) throws -> UInt32 {
        try handles.add(Handle(resource: rt, rep: rep, own: true))
    }

    /// `lower_borrow`: the rep itself inside the defining instance, else a borrow handle
    /// scoped to the current call.
    func lowerBorrow(_ rep: UInt32, _ rt: RuntimeResourceType) throws -> UInt32 {
        if rt.owner === self { return rep }
        let frame = frames.last
        frame?.borrowCount += 1
        return try handles.add(Handle(resource: rt, rep: rep, own: false, scope: frame))
    }
}

extension CallFrame {
    /// Ends the lends this call made.
    func releaseLenders() {
        for (table, index) in lenders where index < table.entries.count {
            table.entries[index]?.lendCount -= 1
        }
        lenders.removeAll()
    }
}
