import WasmCore

// Lowering: `ComponentValue`s to core values and into linear memory.
// Spec: component-model `design/mvp/CanonicalABI.md` ("Storing", "Flat Lowering").

extension CanonicalContext {
    /// `lower_flat_values`: flat core values of `values`, or (when they do not fit in
    /// `maxFlat`) the values stored in memory at `outPointer`, or at a fresh `realloc`
    /// allocation whose pointer is the one flat value.
    func lowerValues(
        _ values: [ComponentValue], _ types: [ABIType], tuple: ABIType, maxFlat: Int, source: StringEncoding,
        outPointer: UInt32? = nil
    ) throws -> [UInt64] {
        state.mayLeave = false
        defer { state.mayLeave = true }
        guard values.count == types.count else {
            throw Self.trap("expected \(types.count) values, got \(values.count)")
        }
        if tuple.flat.count > maxFlat {
            let ptr: UInt32
            var flat: [UInt64] = []
            if let outPointer {
                ptr = outPointer
                if Int(ptr) % tuple.alignment != 0 { throw Self.trap("unaligned pointer") }
                if try Int(ptr) + tuple.size > memorySize() { throw Self.trap("pointer out of bounds of memory") }
            } else {
                ptr = try realloc(0, 0, alignment: tuple.alignment, tuple.size, content: "argument")
                flat.append(UInt64(ptr))
            }
            for (i, v) in values.enumerated() {
                try store(v, types[i], Int(ptr) + tuple.offsets[i], source: source)
            }
            return flat
        }
        var flat: [UInt64] = []
        flat.reserveCapacity(tuple.flat.count)
        for (i, v) in values.enumerated() { try lowerFlat(v, types[i], into: &flat, source: source) }
        return flat
    }

    static func mismatch(_ v: ComponentValue, _ t: ABIType) -> Trap {
        trap("type mismatch: value \(v) is not a \(t)")
    }

    /// `lower_flat`.
    func lowerFlat(_ v: ComponentValue, _ t: ABIType, into out: inout [UInt64], source: StringEncoding) throws {
        switch (t.kind, v) {
        case (.bool, .bool(let b)): out.append(b ? 1 : 0)
        case (.s8, .s8(let x)): out.append(UInt64(UInt32(bitPattern: Int32(x))))
        case (.u8, .u8(let x)): out.append(UInt64(x))
        case (.s16, .s16(let x)): out.append(UInt64(UInt32(bitPattern: Int32(x))))
        case (.u16, .u16(let x)): out.append(UInt64(x))
        case (.s32, .s32(let x)): out.append(UInt64(UInt32(bitPattern: x)))
        case (.u32, .u32(let x)): out.append(UInt64(x))
        case (.s64, .s64(let x)): out.append(UInt64(bitPattern: x))
        case (.u64, .u64(let x)): out.append(x)
        case (.f32, .f32(let x)): out.append(UInt64(Self.canonical(x).bitPattern))
        case (.f64, .f64(let x)): out.append(Self.canonical(x).bitPattern)
        case (.char, .char(let c)): out.append(UInt64(c.value))
        case (.string, .string(let s)):
            let (ptr, units) = try storeString(s, source: source)
            out.append(UInt64(ptr))
            out.append(UInt64(units))
        case (.list(let e), _):
            let (ptr, count) = try storeList(v, e, source: source)
            out.append(UInt64(ptr))
            out.append(UInt64(count))
        case (.fixedList(let e, let n), .list(let items)) where items.count == n:
            for item in items { try lowerFlat(item, e, into: &out, source: source) }
        case (.record(let fields), .record(let items)) where items.count == fields.count,
            (.tuple(let fields), .tuple(let items)) where items.count == fields.count:
            for (item, f) in zip(items, fields) { try lowerFlat(item, f, into: &out, source: source) }
        case (.variant(let cases, let style), _):
            let (index, payload) = try Self.variantCase(v, t, cases, style)
            out.append(UInt64(index))
            let start = out.count
            if let c = cases[index], let payload {
                try lowerFlat(payload, c, into: &out, source: source)
            }
            // Pad to the joined width (values were zero- or bit-extended already).
            while out.count < start + t.flat.count - 1 { out.append(0) }
        case (.flags(let count), .flags(let set)):
            for w in 0..<((count + 31) / 32) {
                var word: UInt32 = 0
                for bit in 0..<32 where set.contains(w * 32 + bit) { word |= 1 << UInt32(bit) }
                out.append(UInt64(word))
            }
        case (.own(let id), .own(let rep)): out.append(UInt64(try state.lowerOwn(rep, try state.resource(id))))
        case (.borrow(let id), .borrow(let rep)): out.append(UInt64(try state.lowerBorrow(rep, try state.resource(id))))
        case (.unsupported(let what), _): throw Self.trap("\(what) values are not supported")
        default: throw Self.mismatch(v, t)
        }
    }

    static func variantCase(_ v: ComponentValue, _ t: ABIType, _ cases: [ABIType?], _ style: ABIType.VariantStyle)
        throws -> (Int, ComponentValue?)
    {
        let index: Int
        let payload: ComponentValue?
        switch (style, v) {
        case (.variant, .variant(let i, let p)): (index, payload) = (i, p)
        case (.enumeration, .enumeration(let i)): (index, payload) = (i, nil)
        case (.option, .option(let p)): (index, payload) = (p == nil ? 0 : 1, p)
        case (.result, .ok(let p)): (index, payload) = (0, p)
        case (.result, .err(let p)): (index, payload) = (1, p)
        default: throw mismatch(v, t)
        }
        guard index >= 0, index < cases.count, (cases[index] == nil) == (payload == nil) else { throw mismatch(v, t) }
        return (index, payload)
    }

    /// `store_list_into_range` (a `list<u8>` of `.bytes` is one copy).
    func storeList(_ v: ComponentValue, _ e: ABIType, source: StringEncoding) throws -> (UInt32, UInt32) {
        switch v {
        case .bytes(let bytes):
            guard case .u8 = e.kind else { throw Self.trap("type mismatch: bytes given for a list<\(e)>") }
            let ptr = try realloc(0, 0, alignment: 1, bytes.count, content: "list")
            write(bytes, Int(ptr))
            return (ptr, UInt32(bytes.count))
        case .list(let items):
            let (byteLength, overflow) = items.count.multipliedReportingOverflow(by: e.size)
            if overflow || byteLength >= 1 << 32 { throw Self.trap("list too large") }
            let ptr = try realloc(0, 0, alignment: e.alignment, byteLength, content: "list")
            for (i, item) in items.enumerated() { try store(item, e, Int(ptr) + i * e.size, source: source) }
            return (ptr, UInt32(items.count))
        default:
            throw Self.trap("type mismatch: value \(v) is not a list<\(e)>")
        }
    }

    /// `store`: `v` of type `t` at `ptr` (aligned and in bounds).
    func store(_ v: ComponentValue, _ t: ABIType, _ ptr: Int, source: StringEncoding) throws {
        switch (t.kind, v) {
        case (.bool, .bool(let b)): store(UInt8(b ? 1 : 0), ptr)
        case (.s8, .s8(let x)): store(x, ptr)
        case (.u8, .u8(let x)): store(x, ptr)
        case (.s16, .s16(let x)): store(x, ptr)
        case (.u16, .u16(let x)): store(x, ptr)
        case (.s32, .s32(let x)): store(x, ptr)
        case (.u32, .u32(let x)): store(x, ptr)
        case (.s64, .s64(let x)): store(x, ptr)
        case (.u64, .u64(let x)): store(x, ptr)
        case (.f32, .f32(let x)): store(Self.canonical(x).bitPattern, ptr)
        case (.f64, .f64(let x)): store(Self.canonical(x).bitPattern, ptr)
        case (.char, .char(let c)): store(c.value, ptr)
        case (.string, .string(let s)):
            let (p, units) = try storeString(s, source: source)
            store(p, ptr)
            store(units, ptr + 4)
        case (.list(let e), _):
            let (p, count) = try storeList(v, e, source: source)
            store(p, ptr)
            store(count, ptr + 4)
        case (.fixedList(let e, let n), .list(let items)) where items.count == n:
            for (i, item) in items.enumerated() { try store(item, e, ptr + i * e.size, source: source) }
        case (.record(let fields), .record(let items)) where items.count == fields.count,
            (.tuple(let fields), .tuple(let items)) where items.count == fields.count:
            for (i, item) in items.enumerated() { try store(item, fields[i], ptr + t.offsets[i], source: source) }
        case (.variant(let cases, let style), _):
            let (index, payload) = try Self.variantCase(v, t, cases, style)
            switch t.offsets[0] {
            case 1: store(UInt8(index), ptr)
            case 2: store(UInt16(index), ptr)
            default: store(UInt32(index), ptr)
            }
            if let c = cases[index], let payload { try store(payload, c, ptr + t.offsets[1], source: source) }
        case (.flags(let count), .flags(let set)):
            if count <= 8 {
                var b: UInt8 = 0
                for i in 0..<count where set.contains(i) { b |= 1 << UInt8(i) }
                store(b, ptr)
            } else if count <= 16 {
                var b: UInt16 = 0
                for i in 0..<count where set.contains(i) { b |= 1 << UInt16(i) }
                store(b, ptr)
            } else {
                for w in 0..<((count + 31) / 32) {
                    var word: UInt32 = 0
                    for bit in 0..<32 where set.contains(w * 32 + bit) { word |= 1 << UInt32(bit) }
                    store(word, ptr + 4 * w)
                }
            }
        case (.own(let id), .own(let rep)): store(try state.lowerOwn(rep, try state.resource(id)), ptr)
        case (.borrow(let id), .borrow(let rep)): store(try state.lowerBorrow(rep, try state.resource(id)), ptr)
        case (.unsupported(let what), _): throw Self.trap("\(what) values are not supported")
        default: throw Self.mismatch(v, t)
        }
    }
}
