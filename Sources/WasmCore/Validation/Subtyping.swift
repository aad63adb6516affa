/// Subtyping of value types (typed function references, without GC) and the canonical ids
/// that make defined types from different modules comparable.
///
/// Spec: https://webassembly.github.io/spec/core/valid/matching.html
extension ModuleContext {
    /// Whether `a` matches (is a subtype of) `b`, defined types compared by canonical id.
    public func isSubtype(_ a: ValueType, of b: ValueType) -> Bool {
        ValueType.isSubtype(a, of: b) { self.canonicalID($0) }
    }

    /// Whether each of `a` matches the type at the same position of `b`.
    public func areSubtypes(_ a: [ValueType], of b: [ValueType]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { isSubtype($0, of: $1) }
    }

    /// The canonical id of defined type `index` (or of a type already canonical).
    func canonicalID(_ index: UInt32) -> Int {
        if index & ValueType.canonicalBit != 0 { return Int(index & ~ValueType.canonicalBit) }
        return Int(index) < typeIDs.count ? typeIDs[Int(index)] : -Int(index) - 1
    }

    /// `t` with a defined type index replaced by its canonical id (for comparisons across modules).
    public func canonical(_ t: ValueType) -> ValueType {
        guard t.code == ValueType.concreteCode, t.typeIndex & ValueType.canonicalBit == 0 else { return t }
        return ValueType.reference(.defined(UInt32(canonicalID(t.typeIndex)) | ValueType.canonicalBit), nullable: t.isNullable)
    }

    /// Canonical ids of `types` (`TypeRegistry`): equal for structurally equal function types,
    /// references to defined types compared by those types' ids. (A reference to the type itself
    /// or a later one is compared by index: recursive types need GC's rec groups.)
    static func canonicalTypeIDs(_ types: [FunctionType]) -> [Int] {
        var ids: [Int] = []
        ids.reserveCapacity(types.count)
        for t in types {
            func canon(_ v: ValueType) -> ValueType {
                guard v.code == ValueType.concreteCode, Int(v.typeIndex) < ids.count else { return v }
                return ValueType.reference(
                    .defined(UInt32(ids[Int(v.typeIndex)]) | ValueType.canonicalBit), nullable: v.isNullable)
            }
            ids.append(
                TypeRegistry.shared.id(of: FunctionType(parameters: t.parameters.map(canon), results: t.results.map(canon))))
        }
        return ids
    }
}

extension ValueType {
    /// Whether `a` matches `b`; `id` gives the canonical id of a defined type's index.
    static func isSubtype(_ a: ValueType, of b: ValueType, id: (UInt32) -> Int) -> Bool {
        if a == b { return true }
        guard a.isReference, b.isReference else { return false }
        if a.isNullable && !b.isNullable { return false }
        switch b.code {
        case 0x70: return a.isFunctionReference
        case 0x6F: return a.isExternReference
        case 0x69: return a.isExceptionReference
        case ValueType.concreteCode:
            if a.code == 0x73 { return true }
            return a.code == ValueType.concreteCode && id(a.typeIndex) == id(b.typeIndex)
        default: return a.code == b.code
        }
    }
}
