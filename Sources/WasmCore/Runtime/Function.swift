/// What a host function receives besides its arguments.
public struct Caller {
    /// The store the call runs in.
    public let store: Store
    /// The instance whose code made the call (nil when the host called the function directly).
    public let instance: Instance?

    /// The calling instance's memory 0, if it has one.
    public let memory: Memory?

    public init(store: Store, instance: Instance?, memory: Memory?) {
        self.store = store
        self.instance = instance
        self.memory = memory
    }
}

/// The body of a host function: arguments in, results out. Throw `Trap` to trap;
/// any other error propagates unchanged to whoever invoked the guest.
public typealias HostFunctionBody = (Caller, [Value]) throws -> [Value]

/// A function instance: Wasm code of an instance, or a host closure.
///
/// Spec: https://webassembly.github.io/spec/core/exec/runtime.html#function-instances
public final class Function: @unchecked Sendable, Hashable {
    let entity: UnsafeMutablePointer<FunctionEntity>
    public let type: FunctionType
    let hostBody: HostFunctionBody?
    /// Host functions own their entity; Wasm functions point into their instance's block.
    private let ownsEntity: Bool

    /// Creates a host function.
    public init(type: FunctionType, body: @escaping HostFunctionBody) {
        self.type = type
        self.hostBody = body
        ownsEntity = true
        entity = .allocate(capacity: 1)
        entity.initialize(
            to: FunctionEntity(
                code: nil, instance: nil, frameSize: max(type.parameters.count, type.results.count),
                parameterCount: type.parameters.count, localCount: 0, resultCount: type.results.count,
                typeID: TypeRegistry.shared.id(of: type), functionIndex: -1, object: .passUnretained(self)))
        entity.pointee.object = .passUnretained(self)
    }

    /// The object of a Wasm function whose entity lives in its instance.
    init(type: FunctionType, entity: UnsafeMutablePointer<FunctionEntity>) {
        self.type = type
        self.hostBody = nil
        self.entity = entity
        ownsEntity = false
        entity.pointee.object = .passUnretained(self)
    }

    deinit {
        if ownsEntity { entity.deallocate() }
    }

    public var isHostFunction: Bool { hostBody != nil }

    public static func == (a: Function, b: Function) -> Bool { a === b }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}

/// Interns function types so `call_indirect` compares one integer.
final class TypeRegistry: @unchecked Sendable {
    static let shared = TypeRegistry()
    /// Only touched under `lock`, once per function type of every module loaded (start-up):
    /// exclusivity not checked at run time.
    @exclusivity(unchecked) private var ids: [FunctionType: Int] = [:]
    private let lock = SpinLock()

    func id(of type: FunctionType) -> Int {
        lock.withLock {
            if let id = ids[type] { return id }
            let id = ids.count + 1
            ids[type] = id
            return id
        }
    }
}
