import Testing

@testable import WasmCore

/// Indexed loads: a load whose address is an `i32.add` of two values (`a[i]`) reads at
/// their sum itself (`i32LoadIndexed` and kin). The sum still wraps at 32 bits before the
/// offset is added, and an access past the end still traps.
@Suite struct IndexedLoadTests {
    /// (export, load opcode, alignment, bytes read, value of `bytes` at an address as the result's bits)
    static let loads: [(String, UInt8, UInt8, Int, @Sendable ([UInt8]) -> UInt64)] = [
        ("i32", 0x28, 2, 4, { b in UInt64(le(b)) }),
        ("i64", 0x29, 3, 8, { b in le(b) }),
        ("u8", 0x2D, 0, 1, { b in UInt64(b[0]) }),
        ("s8", 0x2C, 0, 1, { b in UInt64(UInt32(bitPattern: Int32(Int8(bitPattern: b[0])))) }),
        ("u16", 0x2F, 1, 2, { b in le(b) }),
        ("s16", 0x2E, 1, 2, { b in UInt64(UInt32(bitPattern: Int32(Int16(bitPattern: UInt16(le(b)))))) }),
    ]

    static func le(_ bytes: [UInt8]) -> UInt64 {
        bytes.enumerated().reduce(0) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
    }

    /// The first bytes of memory (a data segment): i * 37 + 11, so every byte differs.
    static let data: [UInt8] = (0..<64).map { UInt8(truncatingIfNeeded: $0 * 37 + 11) }
    static let offset: UInt8 = 3

    static let module: [UInt8] = {
        let i32 = Wasm.i32
        let types = loads.map { Wasm.funcType([i32, i32], [$0.1 == 0x29 ? Wasm.i64 : i32]) }
        return Wasm.module(
            Wasm.section(1, Wasm.vec(types)),
            Wasm.section(3, Wasm.vec(loads.indices.map { [UInt8($0)] })),
            Wasm.section(5, Wasm.vec([[0x00, 1]])),
            Wasm.section(7, Wasm.vec(loads.enumerated().map { Wasm.name($0.element.0) + [0, UInt8($0.offset)] })),
            Wasm.section(
                10,
                Wasm.vec(loads.map { Wasm.body([0x20, 0, 0x20, 1, 0x6A, $0.1, $0.2, offset, Wasm.end]) })),
            Wasm.section(11, Wasm.vec([[0x00, 0x41, 0, Wasm.end] + Wasm.u32(UInt32(data.count)) + data])))
    }()

    @Test func indexedLoadsReadAtTheWrappedSumPlusTheOffset() throws {
        let module = try Module(bytes: Self.module)
        let store = Store()
        let instance = try store.instantiate(module)
        // (x, y): x + y wraps at 32 bits before the offset is added.
        let pairs: [(UInt32, UInt32)] = [(0, 0), (10, 7), (7, 10), (0xFFFF_FFF0, 0x20), (0x8000_0000, 0x8000_0005)]
        for (i, load) in Self.loads.enumerated() {
            for (x, y) in pairs {
                let address = Int(x &+ y) + Int(Self.offset)
                let want = load.4(Array(Self.data[address..<(address + load.3)]))
                let got = try instance.invoke(load.0, [.i32(x), .i32(y)])
                let expected: Value = load.1 == 0x29 ? .i64(want) : .i32(UInt32(want))
                #expect(got == [expected], "\(load.0)(\(x), \(y))")
            }
            // The last byte the access may read is the memory's last; one further traps.
            let last = UInt32(65536 - load.3 - Int(Self.offset))
            #expect(throws: Never.self) { try instance.invoke(load.0, [.i32(last - 5), .i32(5)]) }
            let trap = #expect(throws: Trap.self) { try instance.invoke(load.0, [.i32(last - 4), .i32(5)]) }
            #expect(trap?.reason == .outOfBoundsMemoryAccess, "\(load.0)")
            #expect(module.disassemble(function: i)?.contains("Indexed") == true, "\(load.0)")
        }
        withExtendedLifetime(store) {}
    }
    /// Issue 16: the translator removed the `i32.add` before asking whether the load had an indexed
    /// form, so the loads without one (i64.load8/16/32) read an address nobody wrote. This is the
    /// shape rustc emits for `[u8; 6] == [u8; 6]`: `local.get 0; local.get 3; i32.add;
    /// i64.load16_u`, with the sum's parts in locals 0 and 3. Every load kind, each checked
    /// against the bytes in memory.
    @Test func everyLoadKindReadsAtTheSumOfTwoLocals() throws {
        // (opcode, alignment, bytes, signed, result is i64)
        let kinds: [(UInt8, UInt8, Int, Bool, Bool)] = [
            (0x28, 2, 4, false, false), (0x29, 3, 8, false, true), (0x2A, 2, 4, false, false),
            (0x2B, 3, 8, false, true), (0x2C, 0, 1, true, false), (0x2D, 0, 1, false, false),
            (0x2E, 1, 2, true, false), (0x2F, 1, 2, false, false), (0x30, 0, 1, true, true),
            (0x31, 0, 1, false, true), (0x32, 1, 2, true, true), (0x33, 1, 2, false, true),
            (0x34, 2, 4, true, true), (0x35, 2, 4, false, true),
        ]
        let i32 = Wasm.i32
        let resultType: (UInt8) -> UInt8 = { op in op == 0x2A ? Wasm.f32 : op == 0x2B ? Wasm.f64 : 0 }
        let types = kinds.map { k in
            Wasm.funcType([i32, i32, i32, i32], [resultType(k.0) != 0 ? resultType(k.0) : k.4 ? Wasm.i64 : i32])
        }
        let bytes = Wasm.module(
            Wasm.section(1, Wasm.vec(types)),
            Wasm.section(3, Wasm.vec(kinds.indices.map { [UInt8($0)] })),
            Wasm.section(5, Wasm.vec([[0x00, 1]])),
            Wasm.section(7, Wasm.vec(kinds.indices.map { Wasm.name("l\($0)") + [0, UInt8($0)] })),
            Wasm.section(
                10, Wasm.vec(kinds.map { Wasm.body([0x20, 0, 0x20, 3, 0x6A, $0.0, $0.1, Self.offset, Wasm.end]) })),
            Wasm.section(11, Wasm.vec([[0x00, 0x41, 0, Wasm.end] + Wasm.u32(UInt32(Self.data.count)) + Self.data])))
        for optimize in [true, false] {
            let store = Store()
            let instance = try store.instantiate(try Module(bytes: bytes, optimize: optimize))
            for (i, k) in kinds.enumerated() {
                for (x, y) in [(UInt32(0), UInt32(0)), (10, 7), (0xFFFF_FFF0, 0x20), (40, 0)] {
                    let address = Int(x &+ y) + Int(Self.offset)
                    var raw = Self.le(Array(Self.data[address..<(address + k.2)]))
                    if k.3 {  // sign-extend from the access width
                        let shift = UInt64(64 - 8 * k.2)
                        raw = UInt64(bitPattern: Int64(bitPattern: raw << shift) >> shift)
                    }
                    let expected: Value = k.4 ? .i64(raw) : k.0 == 0x2A ? .f32(UInt32(raw)) : .i32(UInt32(truncatingIfNeeded: raw))
                    let got = try instance.invoke("l\(i)", [.i32(x), .i32(0), .i32(0), .i32(y)])
                    #expect(got == [k.0 == 0x2B ? .f64(raw) : expected], "load 0x\(String(k.0, radix: 16)) at \(x) + \(y), optimize: \(optimize)")
                }
            }
            withExtendedLifetime(store) {}
        }
    }
}
