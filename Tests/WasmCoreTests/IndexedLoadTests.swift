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
}
