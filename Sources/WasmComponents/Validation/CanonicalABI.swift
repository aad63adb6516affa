import WasmCore

/// What validation needs of the Canonical ABI: flattening of function types into core
/// signatures, which canonical options a type needs, and in-memory sizes.
///
/// Spec: WebAssembly/component-model `design/mvp/CanonicalABI.md` ("Flattening", "Element size").
struct CanonicalABI {
    let types: ComponentTypes

    static let maxFlatParams = 16
    static let maxFlatResults = 1
    static let maxFlatAsyncParams = 4

    // MARK: Flattening

    func flatten(_ t: ComponentValueType) -> [ValueType] {
        switch t {
        case .primitive(let p): return flatten(p)
        case .defined(let id): return flatten(defined: types.defined(id)!)
        }
    }

    func flatten(_ p: PrimitiveValueType) -> [ValueType] {
        switch p {
        case .s64, .u64: [.i64]
        case .f32: [.f32]
        case .f64: [.f64]
        case .string: [.i32, .i32]
        default: [.i32]
        }
    }

    func flatten(defined d: ComponentDefinedType) -> [ValueType] {
        switch d {
        case .primitive(let p): return flatten(p)
        case .record(let fields): return fields.flatMap { $0.type.map(flatten) ?? [] }
        case .tuple(let ts): return ts.flatMap(flatten)
        case .list, .map: return [.i32, .i32]
        case .fixedList(let t, let n): return Array([[ValueType]](repeating: flatten(t), count: Int(n)).joined())
        case .flags(let names): return names.isEmpty ? [] : Array(repeating: .i32, count: (names.count + 31) / 32)
        case .enum: return [.i32]
        case .own, .borrow, .stream, .future: return [.i32]
        case .variant(let cases): return flattenVariant(cases.map(\.type))
        case .option(let t): return flattenVariant([nil, t])
        case .result(let ok, let error): return flattenVariant([ok, error])
        }
    }

    func flattenVariant(_ cases: [ComponentValueType?]) -> [ValueType] {
        var flat: [ValueType] = []
        for c in cases {
            guard let c else { continue }
            for (i, ft) in flatten(c).enumerated() {
                if i < flat.count {
                    flat[i] = join(flat[i], ft)
                } else {
                    flat.append(ft)
                }
            }
        }
        return [.i32] + flat
    }

    func join(_ a: ValueType, _ b: ValueType) -> ValueType {
        if a == b { return a }
        if (a == .i32 && b == .f32) || (a == .f32 && b == .i32) { return .i32 }
        return .i64
    }

    /// The core signature of a lifted (`lower: false`) or lowered (`lower: true`) function,
    /// and which canonical options it needs.
    struct Lowering {
        var parameters: [ValueType]
        var results: [ValueType]
        var requiresMemory = false
        var requiresRealloc = false
    }

    func lowering(_ f: ComponentFunctionType, lower: Bool, async: Bool) -> Lowering {
        var params = f.parameters.flatMap { flatten($0.type) }
        var results = f.result.map(flatten) ?? []
        let paramsUseMemory = f.parameters.contains { usesMemory($0.type) }
        let resultUsesMemory = f.result.map(usesMemory) ?? false
        var info = Lowering(parameters: [], results: [])
        if async && lower {
            if params.count > Self.maxFlatAsyncParams {
                params = [.i32]
                info.requiresMemory = true
            }
            if f.result != nil {
                params.append(.i32)
                info.requiresMemory = true
            }
            results = [.i32]
        } else if async {
            // Async lift: parameters as for a sync lift; results go through `task.return`.
            if params.count > Self.maxFlatParams {
                params = [.i32]
                info.requiresMemory = true
                info.requiresRealloc = true
            }
            results = [.i32]
        } else {
            if params.count > Self.maxFlatParams {
                params = [.i32]
                info.requiresMemory = true
                if !lower { info.requiresRealloc = true }
            }
            if results.count > Self.maxFlatResults {
                info.requiresMemory = true
                if lower {
                    params.append(.i32)
                    results = []
                } else {
                    results = [.i32]
                }
            }
        }
        if paramsUseMemory {
            info.requiresMemory = true
            if !lower { info.requiresRealloc = true }
        }
        if resultUsesMemory {
            info.requiresMemory = true
            if lower { info.requiresRealloc = true }
        }
        info.parameters = params
        info.results = results
        return info
    }

    /// Whether lifting or lowering a value of this type touches linear memory (strings, lists).
    func usesMemory(_ t: ComponentValueType) -> Bool {
        switch t {
        case .primitive(let p): return p == .string
        case .defined(let id):
            switch types.defined(id)! {
            case .primitive(let p): return p == .string
            case .list, .map: return true
            case .fixedList(let t, _), .option(let t): return usesMemory(t)
            case .record(let fields), .variant(let fields): return fields.contains { $0.type.map(usesMemory) ?? false }
            case .tuple(let ts): return ts.contains(where: usesMemory)
            case .result(let ok, let error): return (ok.map(usesMemory) ?? false) || (error.map(usesMemory) ?? false)
            case .flags, .enum, .own, .borrow, .stream, .future: return false
            }
        }
    }

    // MARK: Sizes

    /// In-memory size and alignment with 64-bit pointers (saturating at `UInt64.max`), for the
    /// "maximum byte size" rule (`elem_size(t, i64) < 2^28`).
    func sizeAndAlignment(_ t: ComponentValueType) -> (size: UInt64, align: UInt64) {
        switch t {
        case .primitive(let p): return sizeAndAlignment(p)
        case .defined(let id): return sizeAndAlignment(defined: types.defined(id)!)
        }
    }

    func sizeAndAlignment(_ p: PrimitiveValueType) -> (size: UInt64, align: UInt64) {
        switch p {
        case .bool, .s8, .u8: (1, 1)
        case .s16, .u16: (2, 2)
        case .s32, .u32, .f32, .char, .errorContext: (4, 4)
        case .s64, .u64, .f64: (8, 8)
        case .string: (16, 8)
        }
    }

    static func alignUp(_ x: UInt64, _ a: UInt64) -> UInt64 {
        let (s, o) = x.addingReportingOverflow(a - 1)
        return o ? UInt64.max : s / a * a
    }

    static func add(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let (s, o) = a.addingReportingOverflow(b)
        return o ? UInt64.max : s
    }

    func sizeAndAlignment(defined d: ComponentDefinedType) -> (size: UInt64, align: UInt64) {
        func record(_ members: [ComponentValueType]) -> (UInt64, UInt64) {
            var size: UInt64 = 0
            var align: UInt64 = 1
            for m in members {
                let (s, a) = sizeAndAlignment(m)
                size = Self.add(Self.alignUp(size, a), s)
                align = max(align, a)
            }
            return (Self.alignUp(size, align), align)
        }
        func variant(_ cases: [ComponentValueType?]) -> (UInt64, UInt64) {
            let n = cases.count
            let discriminant: UInt64 = n <= 1 << 8 ? 1 : n <= 1 << 16 ? 2 : 4
            var caseSize: UInt64 = 0
            var caseAlign: UInt64 = 1
            for c in cases {
                guard let c else { continue }
                let (s, a) = sizeAndAlignment(c)
                caseSize = max(caseSize, s)
                caseAlign = max(caseAlign, a)
            }
            let align = max(discriminant, caseAlign)
            let size = Self.add(Self.alignUp(discriminant, caseAlign), caseSize)
            return (Self.alignUp(size, align), align)
        }
        switch d {
        case .primitive(let p): return sizeAndAlignment(p)
        case .record(let fields): return record(fields.compactMap(\.type))
        case .tuple(let ts): return record(ts)
        case .list, .map: return (16, 8)
        case .fixedList(let t, let n):
            let (s, a) = sizeAndAlignment(t)
            let (p, o) = s.multipliedReportingOverflow(by: UInt64(n))
            return (o ? UInt64.max : p, a)
        case .flags(let names):
            if names.isEmpty { return (0, 1) }
            if names.count <= 8 { return (1, 1) }
            if names.count <= 16 { return (2, 2) }
            return (4 * UInt64((names.count + 31) / 32), 4)
        case .enum(let names): return variant(Array(repeating: nil, count: names.count))
        case .variant(let cases): return variant(cases.map(\.type))
        case .option(let t): return variant([nil, t])
        case .result(let ok, let error): return variant([ok, error])
        case .own, .borrow, .stream, .future: return (4, 4)
        }
    }

    /// The largest in-memory size of a value type the Canonical ABI allows.
    static let maxValueSize: UInt64 = 1 << 28
}
