import Testing

@testable import WasmCore

/// Every op that only the optimising translation emits (immediates, fused compare-and-branch,
/// address folding, superinstructions) against the reference translation: the generated cases
/// (`Scripts/fusion_cases.py`) run at edge values in both, with the same results, the same traps
/// and the same memory afterwards; patterns must fuse and near-misses must not.
@Suite struct FusionTests {
    /// All cases as the functions of one module (export "f<i>"), with one page of memory whose
    /// first 256 and last 64 bytes are a pattern (every byte differs from its neighbours).
    static let moduleBytes: [UInt8] = {
        var types: [[UInt8]] = []
        var typeIndex: [[UInt8]: Int] = [:]
        var functionTypes: [[UInt8]] = []
        for c in FusionCase.all {
            let t = Wasm.funcType(c.parameters.map { $0.valueType.code }, c.results.map(\.code))
            if typeIndex[t] == nil {
                typeIndex[t] = types.count
                types.append(t)
            }
            functionTypes.append(Wasm.u32(UInt32(typeIndex[t]!)))
        }
        let exports =
            FusionCase.all.indices.map { Wasm.name("f\($0)") + [0x00] + Wasm.u32(UInt32($0)) }
            + [Wasm.name("memory") + [0x02, 0x00]]
        let bodies = FusionCase.all.map { c in Wasm.body(locals: c.locals.map { (1, $0.code) }, c.body) }
        let head = (0..<256).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        let tail = (0..<64).map { UInt8(truncatingIfNeeded: $0 &* 91 &+ 200) }
        return Wasm.module(
            Wasm.section(1, Wasm.vec(types)),
            Wasm.section(3, Wasm.vec(functionTypes)),
            Wasm.section(5, Wasm.vec([[0x01, 1, 1]])),
            Wasm.section(7, Wasm.vec(exports)),
            Wasm.section(10, Wasm.vec(bodies)),
            Wasm.section(
                11,
                Wasm.vec([
                    [0x00, 0x41, 0, Wasm.end] + Wasm.u32(UInt32(head.count)) + head,
                    [0x00, 0x41] + Wasm.sleb32(65536 - 64) + [Wasm.end] + Wasm.u32(UInt32(tail.count)) + tail,
                ])))
    }()

    static let optimized = Result { try Module(bytes: moduleBytes) }
    static let reference = Result { try Module(bytes: moduleBytes, optimize: false) }

    /// Edge values per parameter kind.
    static func edgeValues(_ parameter: FusionCase.Parameter) -> [Value] {
        switch parameter {
        case .i32:
            [0, 1, 0xFFFF_FFFF, 2, 5, 31, 32, 100, 0x7FFF_FFFF, 0x8000_0000, 0x1234_5678, 0xFFFF_FFF0].map { .i32($0) }
        case .addr:
            [0, 1, 3, 8, 100, 1000, 65520, 65525, 65528, 65532, 65535, 65536, 0xFFFF_FFF0, 0xFFFF_FFFF].map { .i32($0) }
        case .i64:
            [
                0, 1, .max, 2, 63, 64, 0x7FFF_FFFF_FFFF_FFFF, 0x8000_0000_0000_0000, 0x1234_5678_9ABC_DEF0,
                0xFFFF_FFFF, 0x1_0000_0000,
            ].map { .i64($0) }
        case .f32:
            [0, -0.0, 1, -1.5, .infinity, -.infinity, .nan, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 2.5]
                .map { .float($0) }
        case .f64:
            [0, -0.0, 1, -1.5, .infinity, -.infinity, .nan, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 2.5]
                .map { .double($0) }
        }
    }

    /// The argument vectors a case runs with: every combination of edge values, or a fixed
    /// pseudo-random selection of at most `limit` of them (always including the first of each).
    static func argumentVectors(_ parameters: [FusionCase.Parameter], limit: Int = 160) -> [[Value]] {
        let values = parameters.map(edgeValues)
        let total = values.reduce(1) { $0 * $1.count }
        var picks: [Int] = total <= limit ? Array(0..<total) : [0]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        while picks.count < min(total, limit) {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            picks.append(Int((state >> 33) % UInt64(total)))
        }
        return picks.map { pick in
            var rest = pick
            return values.map { vs in
                defer { rest /= vs.count }
                return vs[rest % vs.count]
            }
        }
    }

    /// A call's outcome, with NaNs made equal (their payloads may differ with operand order).
    enum Outcome: Equatable, CustomStringConvertible {
        case values([Value])
        case trap(TrapReason)
        case error(String)

        init(_ body: () throws -> [Value]) {
            do {
                self = .values(try body().map(Outcome.canonical))
            } catch let trap as Trap {
                self = .trap(trap.reason)
            } catch {
                self = .error("\(error)")
            }
        }

        static func canonical(_ v: Value) -> Value {
            switch v {
            case .f32(let bits) where Float(bitPattern: bits).isNaN: .f32(0x7FC0_0000)
            case .f64(let bits) where Double(bitPattern: bits).isNaN: .f64(0x7FF8_0000_0000_0000)
            default: v
            }
        }

        var description: String {
            switch self {
            case .values(let v): "\(v)"
            case .trap(let r): "trap: \(r.message)"
            case .error(let e): "error: \(e)"
            }
        }
    }

    @Test func everyOptimizedOpHasPatternRows() {
        let covered = Set(FusionCase.all.filter { $0.kind == .pattern }.map { $0.ops[0] })
        let missing = InternalCode.optimizedOperations.filter { !covered.contains($0) }
        #expect(
            missing.isEmpty,
            "ops with no fusion rows (add patterns and near-misses to Scripts/fusion_cases.py): \(missing)")
        let unknown = covered.subtracting(InternalCode.optimizedOperations)
        #expect(unknown.isEmpty, "patterns name ops the optimiser does not have: \(unknown.sorted())")
        #expect(InternalCode.operations.count == Op.count)
    }

    @Test func patternsFuseAndNearMissesDoNot() throws {
        let optimized = try Self.optimized.get()
        let reference = try Self.reference.get()
        let optimizedNames = Set(InternalCode.optimizedOperations)
        var patterns = 0
        var nearMisses = 0
        var tailCalls = 0
        for (i, c) in FusionCase.all.enumerated() {
            let ops = try #require(optimized.operationNames(function: i))
            let plain = try #require(reference.operationNames(function: i))
            #expect(plain.allSatisfy { !optimizedNames.contains($0) }, "reference code of \(c) has \(plain)")
            switch c.kind {
            case .pattern:
                patterns += 1
                #expect(ops.contains(c.ops[0]), "\(c) translated to \(ops)")
            case .nearMiss:
                nearMisses += 1
                let fused = ops.filter { c.ops.contains($0) }
                #expect(fused.isEmpty, "\(c) fused into \(fused): \(ops)")
            case .sunk, .kept:
                tailCalls += 1
                #expect(ops.contains("br") && !ops.contains("returnCall"), "\(c) is no loop: \(ops)")
                #expect(plain.contains("returnCall"), "\(c): reference code \(plain)")
                let copies = ops.filter { c.ops.contains($0) }
                #expect(copies.isEmpty == (c.kind == .sunk), "\(c) translated to \(ops)")
            }
        }
        print("fusion cases: \(patterns) patterns, \(nearMisses) near-misses, \(tailCalls) self tail calls")
    }

    @Test func optimizedEqualsReferenceAtEdgeValues() throws {
        let storeA = Store()
        let storeB = Store()
        let a = try storeA.instantiate(try Self.optimized.get())
        let b = try storeB.instantiate(try Self.reference.get())
        let memoryA = try #require(a.memory(named: "memory"))
        let memoryB = try #require(b.memory(named: "memory"))
        var calls = 0
        var mismatches = 0
        for (i, c) in FusionCase.all.enumerated() {
            let fa = try #require(a.function(named: "f\(i)"))
            let fb = try #require(b.function(named: "f\(i)"))
            for args in Self.argumentVectors(c.parameters) {
                let got = Outcome { try storeA.invoke(fa, args) }
                let want = Outcome { try storeB.invoke(fb, args) }
                calls += 1
                if got != want {
                    mismatches += 1
                    if mismatches <= 50 {
                        Issue.record("\(c) with \(args): optimised \(got), reference \(want)")
                    }
                }
            }
            if try memoryA.read(at: 0, count: memoryA.byteCount) != memoryB.read(at: 0, count: memoryB.byteCount) {
                Issue.record("\(c): memory differs after its calls")
                break
            }
        }
        print("fusion cases: \(calls) calls compared, \(mismatches) mismatches")
        #expect(mismatches == 0)
        #expect(calls > 90_000)
    }
}
