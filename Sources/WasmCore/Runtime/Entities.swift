import Synchronization

/// Raw, ARC-free state the interpreter reads on its hot path.
///
/// Each public runtime object (`Function`, `Memory`, `Table`, `Global`,
/// `Instance`) owns one entity allocated at a stable address; the interpreter
/// and the compiled code refer to entities by pointer. The `Store` keeps the
/// owning objects alive for as long as any instance of it can run.

/// A function: compiled Wasm code or a host closure.
@usableFromInline
struct FunctionEntity {
    /// Compiled code; nil for host functions, or until the function is translated.
    var code: UnsafeMutablePointer<UInt64>?
    /// Defining instance (nil for host functions).
    var instance: UnsafeMutablePointer<InstanceEntity>?
    /// Slots the frame needs: parameters + locals + operand stack.
    var frameSize: Int
    var parameterCount: Int
    /// Declared (non-parameter) locals, zeroed on entry.
    var localCount: Int
    var resultCount: Int
    /// Canonical id of the function type (see `TypeRegistry`).
    var typeID: Int
    /// Index in the defining module's function index space.
    var functionIndex: Int
    /// The object for this function, unretained (the store or the instance retains it).
    /// Wasm functions of an instance get theirs lazily (see `Instance.function(at:)`).
    var object: Unmanaged<Function>?

    static func object(fromSlot slot: UInt64) -> Function? {
        guard slot != 0, let p = UnsafeMutablePointer<FunctionEntity>(bitPattern: UInt(slot)) else { return nil }
        if let object = p.pointee.object { return object.takeUnretainedValue() }
        guard let instance = p.pointee.instance else { return nil }
        return instance.pointee.object.takeUnretainedValue().function(at: p.pointee.functionIndex)
    }
}

/// A linear memory. `base` never moves: the maximum size is reserved up front.
@usableFromInline
struct MemoryEntity {
    var base: UnsafeMutableRawPointer
    /// Current size in bytes.
    var byteCount: Int
    /// Maximum number of pages `memory.grow` may reach.
    var maxPages: Int
}

/// A table of references (function entity pointers or extern payload + 1; 0 is null).
@usableFromInline
struct TableEntity {
    var elements: UnsafeMutablePointer<UInt64>
    var count: Int
    var capacity: Int
    var maxCount: Int
    var elementType: ValueType
}

/// A segment's remaining contents (count 0 once dropped).
@usableFromInline
struct DataSegmentEntity {
    var bytes: UnsafePointer<UInt8>?
    var count: Int
}

@usableFromInline
struct ElementSegmentEntity {
    var elements: UnsafeMutablePointer<UInt64>?
    var count: Int
}

/// Everything an instance's code refers to by index.
@usableFromInline
struct InstanceEntity {
    var memories: UnsafeMutablePointer<UnsafeMutablePointer<MemoryEntity>>
    var globals: UnsafeMutablePointer<UnsafeMutablePointer<UInt64>>
    var functions: UnsafeMutablePointer<UnsafeMutablePointer<FunctionEntity>>
    var tables: UnsafeMutablePointer<UnsafeMutablePointer<TableEntity>>
    /// Canonical type id of every type index of the module.
    var typeIDs: UnsafeMutablePointer<Int>
    var dataSegments: UnsafeMutablePointer<DataSegmentEntity>
    var elementSegments: UnsafeMutablePointer<ElementSegmentEntity>
    /// The store's interrupt flag (see `InterruptHandle`), read at loop back-edges and calls.
    var interrupt: UnsafeMutablePointer<Atomic<UInt32>>
    var object: Unmanaged<Instance>
}
