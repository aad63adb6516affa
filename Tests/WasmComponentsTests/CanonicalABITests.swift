import Testing
import WasmCore

@testable import WasmComponents

/// A guest memory with a bump `realloc` (a host function) recording its calls, and the
/// instance state lifting and lowering need: the canonical ABI's rules tested one by one.
final class ABIHarness {
    let store = Store()
    let root: ComponentInstance
    let state: InstanceState
    let memory: Memory
    var calls: [(old: UInt32, oldSize: UInt32, align: UInt32, size: UInt32)] = []
    var next: UInt32 = 1024
    /// When set, realloc returns this instead of allocating.
    var forcedResult: UInt32?

    init(resourceCount: Int = 0) throws {
        root = ComponentInstance(store: store)
        state = InstanceState(store: store, root: root, parent: nil, resourceCount: resourceCount)
        memory = try Memory(type: MemoryType(limits: Limits(min: 1, max: nil)))
    }

    lazy var realloc: Function = Function(
        type: FunctionType(parameters: [.i32, .i32, .i32, .i32], results: [.i32])
    ) { [unowned self] _, args in
        let v: [UInt32] = args.map { (a: Value) -> UInt32 in if case .i32(let x) = a { return x } else { return 0 } }
        calls.append((old: v[0], oldSize: v[1], align: v[2], size: v[3]))
        if let forcedResult { return [.i32(forcedResult)] }
        // Growing or fresh: a new aligned block (the old contents copied); shrinking: in place.
        if v[0] != 0 && v[3] <= v[1] { return [.i32(v[0])] }
        let ptr = (next + v[2] - 1) / v[2] * v[2]
        next = ptr + max(v[3], 1)
        if v[0] != 0 {
            let old = try memory.read(at: Int(v[0]), count: Int(v[1]))
            try memory.write(old, at: Int(ptr))
        }
        return [.i32(ptr)]
    }

    func context(_ encoding: StringEncoding = .utf8, adapter: Bool = false) -> CanonicalContext {
        CanonicalContext(
            state: state, options: CanonicalOptions(memory: memory, realloc: realloc, encoding: encoding), adapter: adapter)
    }

    static func i32(_ v: Value) -> UInt32 {
        if case .i32(let x) = v { return x }
        return 0
    }

    static func expectTrap(_ text: String, _ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            try body()
            Issue.record("expected a trap containing \"\(text)\"", sourceLocation: sourceLocation)
        } catch let t as Trap {
            #expect(t.message.contains(text), "trap \"\(t.message)\"", sourceLocation: sourceLocation)
        } catch {
            Issue.record("expected a trap, got \(error)", sourceLocation: sourceLocation)
        }
    }
}

@Suite("Canonical ABI")
struct CanonicalABITests {
    static let encodings: [StringEncoding] = [.utf8, .utf16, .latin1UTF16]
    static let samples = ["", "plain ascii", "latin-1: café ÿ", "bmp: 日本語", "astral: 🎉𝄞", "mixed é and 😀 and z"]

    /// Every source encoding to every destination encoding and back, for ASCII, Latin-1, BMP
    /// and astral text.
    @Test(arguments: encodings)
    func stringsRoundTripThroughEveryEncoding(_ destination: StringEncoding) throws {
        for source in Self.encodings {
            for s in Self.samples {
                let h = try ABIHarness()
                let cx = h.context(destination)
                let (ptr, units) = try cx.storeString(s, source: source)
                #expect(try cx.loadString(ptr, units) == s, "\(source) -> \(destination): \(s)")
            }
        }
    }

    /// latin1+utf16: Latin-1 text stays one byte per character; anything wider switches to
    /// UTF-16 with the tag bit set, inflating what was already written, and shrinks the
    /// worst-case allocation to fit.
    @Test func latin1OrUTF16Inflates() throws {
        let h = try ABIHarness()
        let cx = h.context(.latin1UTF16)
        let (p1, n1) = try cx.storeString("café", source: .utf8)
        #expect(n1 == 4)
        #expect(try h.memory.read(at: Int(p1), count: 4) == [0x63, 0x61, 0x66, 0xE9])
        // UTF-8 source of 5 bytes: allocate 5, shrink to 4.
        #expect(h.calls.map(\.size) == [5, 4])
        h.calls = []
        let (p2, n2) = try cx.storeString("aé日", source: .utf8)
        #expect(n2 == 3 | CanonicalContext.utf16Tag)
        #expect(try h.memory.read(at: Int(p2), count: 6) == [0x61, 0, 0xE9, 0, 0xE5, 0x65])
        // 6 UTF-8 bytes: 6, then the worst case 12, then shrink to the 6 bytes used.
        #expect(h.calls.map(\.size) == [6, 12, 6])
        #expect(h.calls.allSatisfy { $0.align == 2 })
    }

    /// UTF-16 source into UTF-8: the first non-ASCII character reallocates to the worst case
    /// (3 bytes per unit), then shrinks to the bytes written.
    @Test func utf16ToUTF8ReallocSequence() throws {
        let h = try ABIHarness()
        let (ptr, n) = try h.context(.utf8).storeString("ab€", source: .utf16)
        #expect(n == 5)
        #expect(h.calls.map(\.size) == [3, 9, 5])
        #expect(try h.memory.read(at: Int(ptr), count: 5) == Array("ab€".utf8))
    }

    @Test func utf8DecodingErrorsUseRustWording() throws {
        let h = try ABIHarness()
        let cx = h.context()
        try h.memory.write([0x61, 0xFF], at: 0)
        ABIHarness.expectTrap("invalid utf-8 sequence of 1 bytes from index 1") { _ = try cx.loadString(0, 2) }
        try h.memory.write([0x61, 0xE2, 0x82], at: 16)
        ABIHarness.expectTrap("incomplete utf-8 byte sequence from index 1") { _ = try cx.loadString(16, 3) }
        try h.memory.write([0xED, 0xA0, 0x80], at: 32)  // an encoded surrogate
        ABIHarness.expectTrap("invalid utf-8") { _ = try cx.loadString(32, 3) }
        try h.memory.write([0x00, 0xD8, 0x41, 0x00], at: 48)  // unpaired high surrogate, then 'A'
        ABIHarness.expectTrap("invalid utf-16") { _ = try h.context(.utf16).loadString(48, 2) }
        ABIHarness.expectTrap("unaligned pointer") { _ = try h.context(.utf16).loadString(49, 1) }
        ABIHarness.expectTrap("string pointer/length out of bounds of memory") { _ = try cx.loadString(65535, 2) }
        ABIHarness.expectTrap("string content out-of-bounds") { _ = try h.context(adapter: true).loadString(65535, 2) }
    }

    /// realloc's result is checked: alignment, then bounds (wasmtime's host wording, and the
    /// adapter's between two guests).
    @Test func reallocResultsAreChecked() throws {
        let h = try ABIHarness()
        let list = ABIType(kind: .list(.u32), size: 8, alignment: 4, flat: [.i32, .i32])
        var out: [UInt64] = []
        h.forcedResult = 2
        ABIHarness.expectTrap("realloc return: result not aligned") {
            try h.context().lowerFlat(.list([.u32(1)]), list, into: &out, source: .utf8)
        }
        ABIHarness.expectTrap("unaligned pointer") {
            try h.context(adapter: true).lowerFlat(.list([.u32(1)]), list, into: &out, source: .utf8)
        }
        h.forcedResult = 65536
        ABIHarness.expectTrap("realloc return: beyond end of memory") {
            try h.context().lowerFlat(.list([.u32(1)]), list, into: &out, source: .utf8)
        }
        ABIHarness.expectTrap("list content out-of-bounds") {
            try h.context(adapter: true).lowerFlat(.list([.u32(1)]), list, into: &out, source: .utf8)
        }
        // The realloc call asked for the element alignment and the byte size.
        #expect(h.calls.last.map { [$0.old, $0.oldSize, $0.align, $0.size] } == [0, 0, 4, 4])
    }

    @Test func charsAreValidated() throws {
        let h = try ABIHarness()
        var r = FlatReader([UInt64(0xD800)])
        ABIHarness.expectTrap("invalid `char` bit pattern") { _ = try h.context().liftFlat(.char, &r) }
        r = FlatReader([UInt64(0x110000)])
        ABIHarness.expectTrap("invalid `char` bit pattern") { _ = try h.context().liftFlat(.char, &r) }
        r = FlatReader([UInt64(0x1F600)])
        #expect(try h.context().liftFlat(.char, &r) == .char("😀"))
    }

    /// NaNs are canonicalised both ways (the deterministic profile).
    @Test func nansAreCanonicalised() throws {
        let h = try ABIHarness()
        var out: [UInt64] = []
        try h.context().lowerFlat(.f32(Float(bitPattern: 0x7fa0_0001)), .f32, into: &out, source: .utf8)
        try h.context().lowerFlat(.f64(Double(bitPattern: 0xfff0_0000_0000_0001)), .f64, into: &out, source: .utf8)
        #expect(out == [0x7fc0_0000, 0x7ff8_0000_0000_0000])
        var r = FlatReader([UInt64(0xffc0_1234)])
        guard case .f32(let f) = try h.context().liftFlat(.f32, &r) else { throw Trap(.host("not f32")) }
        #expect(f.bitPattern == 0x7fc0_0000)
    }

    /// A variant's payload slots are joined (f32 with u64 makes i64): lowering widens,
    /// lifting takes the low bits it wants; an out-of-range case traps.
    @Test func variantFlatJoin() throws {
        let h = try ABIHarness()
        let mix = ABIType.variant([.f32, .u64], style: .variant)
        #expect(mix.flat == [.i32, .i64])
        #expect(mix.size == 16 && mix.alignment == 8)
        var out: [UInt64] = []
        try h.context().lowerFlat(.variant(case: 0, payload: .f32(3.5)), mix, into: &out, source: .utf8)
        #expect(out == [0, UInt64(Float(3.5).bitPattern)])
        var r = FlatReader([0, 0xffff_ffff_0000_0000 | UInt64(Float(3.5).bitPattern)])
        #expect(try h.context().liftFlat(mix, &r) == .variant(case: 0, payload: .f32(3.5)))
        r = FlatReader([2, 0])
        ABIHarness.expectTrap("invalid variant discriminant") { _ = try h.context().liftFlat(mix, &r) }
        let option = ABIType.variant([nil, .string], style: .option)
        out = []
        try h.context().lowerFlat(.option(nil), option, into: &out, source: .utf8)
        #expect(out == [0, 0, 0])
    }

    /// Lists: element alignment and bounds are checked; `list<u8>` is lifted as `.bytes`.
    @Test func listsAreCheckedAndBytesAreOneCopy() throws {
        let h = try ABIHarness()
        let cx = h.context()
        try h.memory.write([1, 0, 0, 0, 2, 0, 0, 0], at: 64)
        #expect(try cx.loadList(.u32, 64, 2) == .list([.u32(1), .u32(2)]))
        #expect(try cx.loadList(.u8, 64, 5) == .bytes([1, 0, 0, 0, 2]))
        ABIHarness.expectTrap("unaligned pointer") { _ = try cx.loadList(.u32, 66, 1) }
        ABIHarness.expectTrap("out of bounds") { _ = try cx.loadList(.u32, 65532, 2) }
        ABIHarness.expectTrap("out of bounds") { _ = try cx.loadList(.u64, 8, 0x2000_0000) }
    }

    /// Flags take one bit each, in as many i32 words as needed; bits past the last flag are
    /// ignored when lifting.
    @Test func flagsRoundTrip() throws {
        let h = try ABIHarness()
        let flags = ABIType.flags(40)
        #expect(flags.size == 8 && flags.flat == [.i32, .i32])
        var out: [UInt64] = []
        try h.context().lowerFlat(.flags([0, 31, 32, 39]), flags, into: &out, source: .utf8)
        #expect(out == [0x8000_0001, 0x81])
        var r = FlatReader([0x8000_0001, 0xFF81])
        #expect(try h.context().liftFlat(flags, &r) == .flags([0, 31, 32, 39]))
        try h.context().store(.flags([1, 3]), .flags(4), 200, source: .utf8)
        #expect(try h.memory.read(at: 200, count: 1) == [0b1010])
    }

    /// More than 16 flat parameters spill into one realloc'd tuple, aligned to its widest field.
    @Test func parametersSpillToMemory() throws {
        let h = try ABIHarness()
        let types = [ABIType.u8] + Array(repeating: ABIType.u64, count: 16)
        let tuple = ABIType.record(types, tuple: true)
        let values = [ComponentValue.u8(7)] + (0..<16).map { .u64(UInt64($0) << 40) }
        let flat = try h.context().lowerValues(values, types, tuple: tuple, maxFlat: 16, source: .utf8)
        #expect(flat.count == 1)
        #expect(h.calls.map { [$0.align, $0.size] } == [[8, 136]])
        var r = FlatReader(flat)
        #expect(try h.context().liftValues(types, tuple: tuple, maxFlat: 16, from: &r) == values)
    }

    /// Lowering runs with `may_leave` cleared: a realloc that calls out traps.
    @Test func mayLeaveIsClearedWhileLowering() throws {
        let h = try ABIHarness()
        let check = Function(type: FunctionType(parameters: [.i32, .i32, .i32, .i32], results: [.i32])) { [state = h.state] _, _ in
            try state.checkMayLeave()
            return [.i32(8)]
        }
        let cx = CanonicalContext(state: h.state, options: CanonicalOptions(memory: h.memory, realloc: check))
        ABIHarness.expectTrap("cannot leave component instance") {
            _ = try cx.lowerValues([.string("x")], [.string], tuple: .record([.string], tuple: true), maxFlat: 16, source: .utf8)
        }
        #expect(h.state.mayLeave)
    }

    /// Handles: own handles move, borrows lend (an owned handle cannot go while lent), wrong
    /// types and unknown indices trap with the reference tests' texts, destructors run.
    @Test func handleTableRules() throws {
        let h = try ABIHarness()
        var destroyed: [UInt32] = []
        let host = RuntimeResourceType(hostName: "host resource `r`") { _, rep in destroyed.append(rep) }
        let guest = RuntimeResourceType(owner: nil, destructor: nil, name: "guest-defined resource")
        let other = RuntimeResourceType(owner: nil, destructor: nil, name: "guest-defined resource")
        let state = h.state
        let a = try state.lowerOwn(41, host)
        let b = try state.lowerOwn(42, guest)
        #expect([a, b] == [1, 2])
        ABIHarness.expectTrap("handle index 2 used with the wrong type, expected guest-defined resource but found a different guest-defined resource") {
            _ = try state.liftOwn(b, other)
        }
        ABIHarness.expectTrap("unknown handle index 0") { _ = try state.resourceRep(guest, handle: 0) }
        // Lend handle a for a call: it cannot be dropped or moved until the call ends.
        let call = CallFrame()
        #expect(try state.liftBorrow(a, host, frame: call) == 41)
        ABIHarness.expectTrap("cannot remove owned resource while borrowed") { try state.resourceDrop(host, handle: a) }
        ABIHarness.expectTrap("cannot remove owned resource while borrowed") { _ = try state.liftOwn(a, host) }
        call.releaseLenders()
        try state.resourceDrop(host, handle: a)
        #expect(destroyed == [41])
        ABIHarness.expectTrap("unknown handle index 1") { try state.resourceDrop(host, handle: a) }
        // Freed slots are reused last-in first-out.
        #expect(try state.lowerOwn(43, host) == 1)
        // A borrow lowered into a non-owner instance counts against the current call.
        let frame = CallFrame()
        state.frames.append(frame)
        let borrowed = try state.lowerBorrow(7, host)
        #expect(frame.borrowCount == 1)
        try state.resourceDrop(host, handle: borrowed)
        #expect(frame.borrowCount == 0)
        #expect(destroyed == [41])  // dropping a borrow runs no destructor
        state.frames.removeLast()
    }
}

/// `canon lift` rules checked on lifted host core functions (no Wasm needed).
@Suite("Lifted calls")
struct LiftedCallTests {
    /// A lifted function whose core function is `body`.
    static func lifted(
        _ h: ABIHarness, parameters: [ABIType], result: ABIType? = nil, core: FunctionType,
        postReturn: Function? = nil, _ body: @escaping HostFunctionBody
    ) -> LiftedFunction {
        LiftedFunction(
            state: h.state, core: Function(type: core, body: body),
            options: CanonicalOptions(memory: h.memory, realloc: h.realloc, postReturn: postReturn),
            abi: FunctionABI(parameters: parameters, result: result), isAsync: false, hasCallback: false)
    }

    /// A borrow lowered into the callee must be dropped before it returns.
    @Test func borrowsMustEndWithTheCall() throws {
        let rt = RuntimeResourceType(hostName: "host resource `r`", destructor: nil)
        let borrow = ABIType(kind: .borrow(ResourceID(0)), size: 4, alignment: 4, flat: [.i32])
        let h2 = try ABIHarness(resourceCount: 1)
        h2.state.bind(ResourceID(0), rt)
        let keeps = Self.lifted(h2, parameters: [borrow], core: FunctionType(parameters: [.i32], results: [])) { _, _ in [] }
        ABIHarness.expectTrap("borrow handles still remain at the end of the call") {
            _ = try keeps.call([.borrow(5)], source: .utf8, adapter: false, caller: nil)
        }
        let h3 = try ABIHarness(resourceCount: 1)
        h3.state.bind(ResourceID(0), rt)
        let state = h3.state
        let drops = Self.lifted(h3, parameters: [borrow], core: FunctionType(parameters: [.i32], results: [])) { _, args in
            try state.resourceDrop(rt, handle: ABIHarness.i32(args[0]))
            return []
        }
        #expect(try drops.call([.borrow(5)], source: .utf8, adapter: false, caller: nil) == nil)
    }

    /// `post-return` gets the core results after the value was lifted, with `may_leave`
    /// cleared; a trap poisons the instance.
    @Test func postReturnAndPoisoning() throws {
        let h = try ABIHarness()
        var seen: [Value] = []
        let state = h.state
        let post = Function(type: FunctionType(parameters: [.i32], results: [])) { _, args in
            seen = args
            #expect(!state.mayLeave)
            return []
        }
        let f = Self.lifted(h, parameters: [], result: .u32, core: FunctionType(parameters: [], results: [.i32]), postReturn: post) {
            _, _ in [.i32(42)]
        }
        #expect(try f.call([], source: .utf8, adapter: false, caller: nil) == .u32(42))
        #expect(seen == [.i32(42)])
        #expect(state.mayLeave)
        let traps = Self.lifted(h, parameters: [], core: FunctionType(parameters: [], results: [])) { _, _ in
            throw Trap(.unreachable)
        }
        ABIHarness.expectTrap("unreachable") { _ = try traps.call([], source: .utf8, adapter: false, caller: nil) }
        ABIHarness.expectTrap("cannot enter component instance") { _ = try f.call([], source: .utf8, adapter: false, caller: nil) }
    }
}
