import WasmCore

// Lifting: core values and linear memory to `ComponentValue`s.
// Spec: component-model `design/mvp/CanonicalABI.md` ("Loading", "Flat Lifting").

extension CanonicalContext {
    /// `lift_flat_values`: the values of `types` from flat core values, or from memory
    /// through the single pointer when they do not fit in `maxFlat`.
    func liftValues(_ types: [ABIType], tuple: ABIType, maxFlat: Int, from reader: inout FlatReader) throws
        -> [ComponentValue]
    {
        if tuple.flat.count > maxFlat {
            let ptr = reader.next32()
            try checkRange(ptr, size: tuple.size, alignment: tuple.alignment, outOfBounds: "pointer out of bounds of memory")
            return try zip(types, tuple.offsets).map { try load($0, Int(ptr) + $1) }
        }
        return try types.map { try liftFlat($0, &reader) }
    }

    /// `lift_flat`.
    func liftFlat(_ t: ABIType, _ r: inout FlatReader) throws -> ComponentValue {
        switch t.kind {
        case .bool: return .bool(r.next32() != 0)
        case .s8: return .s8(Int8(truncatingIfNeeded: r.next32()))
        case .u8: return .u8(UInt8(truncatingIfNeeded: r.next32()))
        case .s16: return .s16(Int16(truncatingIfNeeded: r.next32()))
        case .u16: return .u16(UInt16(truncatingIfNeeded: r.next32()))
        case .s32: return .s32(Int32(bitPattern: r.next32()))
        case .u32: return .u32(r.next32())
        case .s64: return .s64(Int64(bitPattern: r.next()))
        case .u64: return .u64(r.next())
        case .f32: return .f32(Self.canonical(Float(bitPattern: r.next32())))
        case .f64: return .f64(Self.canonical(Double(bitPattern: r.next())))
        case .char: return .char(try Self.char(r.next32()))
        case .string:
            let ptr = r.next32()
            let units = r.next32()
            return .string(try loadString(ptr, units))
        case .list(let e):
            let ptr = r.next32()
            let count = r.next32()
            return try loadList(e, ptr, count)
        case .fixedList(let e, let n):
            return .list(try (0..<n).map { _ in try liftFlat(e, &r) })
        case .record(let fields): return .record(try fields.map { try liftFlat($0, &r) })
        case .tuple(let fields): return .tuple(try fields.map { try liftFlat($0, &r) })
        case .variant(let cases, let style):
            let index = r.next32()
            guard Int(index) < cases.count else { throw Self.trap("invalid variant discriminant") }
            let start = r.index
            let payload = try cases[Int(index)].map { try liftFlat($0, &r) }
            r.index = start + t.flat.count - 1
            return Self.variantValue(Int(index), payload, style)
        case .flags(let count):
            var set: Set<Int> = []
            var base = 0
            for _ in 0..<((count + 31) / 32) {
                let word = r.next32()
                for bit in 0..<32 where base + bit < count && word & (1 << UInt32(bit)) != 0 { set.insert(base + bit) }
                base += 32
            }
            return .flags(set)
        case .own(let id): return .own(try state.liftOwn(r.next32(), try state.resource(id)))
        case .borrow(let id): return .borrow(try state.liftBorrow(r.next32(), try state.resource(id), frame: lendingCall))
        case .unsupported(let what): throw Self.trap("\(what) values are not supported")
        }
    }

    /// `load`: a value of type `t` at `ptr` (aligned and in bounds: the caller checked).
    func load(_ t: ABIType, _ ptr: Int) throws -> ComponentValue {
        switch t.kind {
        case .bool: return .bool(load(UInt8.self, ptr) != 0)
        case .s8: return .s8(load(Int8.self, ptr))
        case .u8: return .u8(load(UInt8.self, ptr))
        case .s16: return .s16(load(Int16.self, ptr))
        case .u16: return .u16(load(UInt16.self, ptr))
        case .s32: return .s32(load(Int32.self, ptr))
        case .u32: return .u32(load(UInt32.self, ptr))
        case .s64: return .s64(load(Int64.self, ptr))
        case .u64: return .u64(load(UInt64.self, ptr))
        case .f32: return .f32(Self.canonical(Float(bitPattern: load(UInt32.self, ptr))))
        case .f64: return .f64(Self.canonical(Double(bitPattern: load(UInt64.self, ptr))))
        case .char: return .char(try Self.char(load(UInt32.self, ptr)))
        case .string: return .string(try loadString(load(UInt32.self, ptr), load(UInt32.self, ptr + 4)))
        case .list(let e): return try loadList(e, load(UInt32.self, ptr), load(UInt32.self, ptr + 4))
        case .fixedList(let e, let n): return .list(try (0..<n).map { try load(e, ptr + $0 * e.size) })
        case .record(let fields): return .record(try zip(fields, t.offsets).map { try load($0, ptr + $1) })
        case .tuple(let fields): return .tuple(try zip(fields, t.offsets).map { try load($0, ptr + $1) })
        case .variant(let cases, let style):
            let index: Int
            switch t.offsets[0] {
            case 1: index = Int(load(UInt8.self, ptr))
            case 2: index = Int(load(UInt16.self, ptr))
            default: index = Int(load(UInt32.self, ptr))
            }
            guard index < cases.count else { throw Self.trap("invalid variant discriminant") }
            let payload = try cases[index].map { try load($0, ptr + t.offsets[1]) }
            return Self.variantValue(index, payload, style)
        case .flags(let count):
            var set: Set<Int> = []
            if count <= 8 || count <= 16 {
                let word = count <= 8 ? UInt32(load(UInt8.self, ptr)) : UInt32(load(UInt16.self, ptr))
                for bit in 0..<count where word & (1 << UInt32(bit)) != 0 { set.insert(bit) }
            } else {
                for w in 0..<((count + 31) / 32) {
                    let word = load(UInt32.self, ptr + 4 * w)
                    for bit in 0..<32 where w * 32 + bit < count && word & (1 << UInt32(bit)) != 0 {
                        set.insert(w * 32 + bit)
                    }
                }
            }
            return .flags(set)
        case .own(let id): return .own(try state.liftOwn(load(UInt32.self, ptr), try state.resource(id)))
        case .borrow(let id):
            return .borrow(try state.liftBorrow(load(UInt32.self, ptr), try state.resource(id), frame: lendingCall))
        case .unsupported(let what): throw Self.trap("\(what) values are not supported")
        }
    }

    /// `load_list_from_range`, with `list<u8>` as one copy.
    func loadList(_ e: ABIType, _ ptr: UInt32, _ count: UInt32) throws -> ComponentValue {
        let (bytes, overflow) = Int(count).multipliedReportingOverflow(by: e.size)
        if Int(ptr) % e.alignment != 0 { throw Self.trap("unaligned pointer") }
        let size = try memory().byteCount
        if overflow || Int(ptr) + bytes > size {
            throw Self.trap(adapter ? "list content out-of-bounds" : "list pointer/length out of bounds of memory")
        }
        if case .u8 = e.kind { return .bytes(self.bytes(Int(ptr), Int(count))) }
        var out: [ComponentValue] = []
        out.reserveCapacity(Int(count))
        for i in 0..<Int(count) { out.append(try load(e, Int(ptr) + i * e.size)) }
        return .list(out)
    }

    static func variantValue(_ index: Int, _ payload: ComponentValue?, _ style: ABIType.VariantStyle) -> ComponentValue {
        switch style {
        case .variant: .variant(case: index, payload: payload)
        case .enumeration: .enumeration(index)
        case .option: index == 0 ? .option(nil) : .option(payload)
        case .result: index == 0 ? .ok(payload) : .err(payload)
        }
    }

    /// `convert_i32_to_char`.
    static func char(_ i: UInt32) throws -> Unicode.Scalar {
        guard let s = Unicode.Scalar(i) else { throw trap("invalid `char` bit pattern: \(i)") }
        return s
    }

    /// NaNs become the canonical NaN (deterministic profile).
    static func canonical(_ f: Float) -> Float { f.isNaN ? Float(bitPattern: 0x7fc0_0000) : f }
    static func canonical(_ f: Double) -> Double { f.isNaN ? Double(bitPattern: 0x7ff8_0000_0000_0000) : f }
}
