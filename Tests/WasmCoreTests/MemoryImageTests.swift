import Foundation
import Synchronization
import Testing
import WasmSpec

@testable import WasmCore

/// Copy-on-write memory images (`MemoryImage`): instantiation maps a module's initial memory
/// contents from a shared file instead of copying its data segments. Each test compares the
/// mapped memory with the copied one (`memoryImageThreshold: nil`), which stays the reference.
@Suite(.serialized) struct MemoryImageTests {
    /// Stores that copy the data segments, and that map every image however small.
    static func store(mapping: Bool) -> Store {
        var configuration = EngineConfiguration()
        configuration.memoryImageThreshold = mapping ? 0 : nil
        return Store(configuration: configuration)
    }

    enum Segment {
        case active(offset: Int32, bytes: [UInt8])
        case passive([UInt8])
    }

    /// A module with one memory (`min`, `max` pages) exported as "mem", the data `segments`, and
    /// `init(dst, src, len)` doing `memory.init 0` (segment 0) then `data.drop 0`.
    static func module(min: UInt32, max: UInt32, _ segments: [Segment]) throws -> Module {
        let memory = Wasm.section(5, Wasm.vec([[0x01] + Wasm.u32(min) + Wasm.u32(max)]))
        let type = Wasm.section(1, Wasm.vec([Wasm.funcType([Wasm.i32, Wasm.i32, Wasm.i32])]))
        let function = Wasm.section(3, Wasm.vec([[0]]))
        let exports = Wasm.section(7, Wasm.vec([Wasm.name("mem") + [0x02, 0], Wasm.name("init") + [0x00, 0]]))
        let dataCount = Wasm.section(12, Wasm.u32(UInt32(segments.count)))
        let code = Wasm.section(
            10,
            Wasm.vec([
                Wasm.body([0x20, 0, 0x20, 1, 0x20, 2, 0xFC, 0x08, 0, 0, 0xFC, 0x09, 0, Wasm.end])
            ]))
        let data = Wasm.section(
            11,
            Wasm.vec(
                segments.map { s -> [UInt8] in
                    switch s {
                    case .active(let offset, let bytes):
                        [0x00, 0x41] + Wasm.sleb32(offset) + [Wasm.end] + Wasm.u32(UInt32(bytes.count)) + bytes
                    case .passive(let bytes): [0x01] + Wasm.u32(UInt32(bytes.count)) + bytes
                    }
                }))
        return try Module(bytes: Wasm.module(type, function, memory, exports, dataCount, code, data))
    }

    /// `count` bytes that differ from segment to segment (`seed`) and from byte to byte.
    static func pattern(_ seed: UInt8, _ count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ Int(seed) &* 7 &+ 1) }
    }

    static func contents(_ instance: Instance) throws -> [UInt8] {
        let memory = try #require(instance.memory(named: "mem"))
        return try memory.read(at: 0, count: memory.byteCount)
    }

    static let page = 65_536

    /// Several segments: adjacent ones, overlapping ones (the later wins), one across a page
    /// boundary, one ending at the memory's last byte, one in the middle of a later page, and
    /// an empty one; the pages after the last initialised one stay zero.
    static let segments: [Segment] = [
        .active(offset: 16, bytes: pattern(1, 100)),
        .active(offset: 116, bytes: pattern(2, 50)),  // adjacent to the first
        .active(offset: 60, bytes: pattern(3, 80)),  // overlaps both
        .active(offset: Int32(page - 3), bytes: pattern(4, 7)),  // across pages 0 and 1
        .active(offset: Int32(2 * page + 4000), bytes: pattern(5, 70_000)),  // pages 2 and 3
        .active(offset: Int32(2 * page + 4100), bytes: pattern(6, 300)),  // inside the previous one
        .active(offset: 12, bytes: []),
        .active(offset: Int32(6 * page - 5), bytes: pattern(7, 5)),  // the memory's last bytes
        .passive(pattern(8, 40)),
    ]

    @Test func mappedImageEqualsCopiedSegmentsByteForByte() throws {
        // The last segment ends the 6-page memory; a 9-page one leaves pages 6-8 beyond the image.
        for pages in [6, 9] as [UInt32] {
            let module = try Self.module(min: pages, max: 12, Self.segments)
            let copyStore = Self.store(mapping: false)
            let copied = try copyStore.instantiate(module)
            let mapStore = Self.store(mapping: true)
            let mapped = try mapStore.instantiate(module)
            #expect(copied.memories[0].imageBytes == 0)
            #expect(mapped.memories[0].imageBytes == 6 * Self.page, "the image ends at the last initialised page")
            let expected = try Self.contents(copied)
            let actual = try Self.contents(mapped)
            #expect(actual.count == Int(pages) * Self.page)
            #expect(actual == expected, "pages \(pages): first difference at byte \(firstDifference(actual, expected))")
            #expect(Array(expected[60..<140]) == Self.pattern(3, 80), "the later overlapping segment wins")
        }
    }

    @Test func imageEndsAtTheLastInitialisedHostPage() throws {
        let module = try Self.module(min: 2, max: 2, [.active(offset: 5000, bytes: [1, 2, 3])])
        let instance = try Self.store(mapping: true).instantiate(module)
        let host = MemoryImage.hostPageSize
        #expect(instance.memories[0].imageBytes == (5003 + host - 1) / host * host)
        let bytes = try Self.contents(instance)
        #expect(Array(bytes[5000..<5003]) == [1, 2, 3])
        #expect(bytes.enumerated().allSatisfy { $0.offset >= 5000 && $0.offset < 5003 || $0.element == 0 })
    }

    @Test func writesStayInTheirInstanceAndNeverReachTheNextUserOfTheReservation() throws {
        // 11 pages maximum: a reservation size no other test uses, so the pool hands the
        // released reservations back to this test.
        let module = try Self.module(min: 3, max: 11, Self.segmentsWithin3Pages)
        let reference = try Self.contents(Self.store(mapping: false).instantiate(module))
        var released: Set<UnsafeMutableRawPointer> = []
        for round in 0..<4 {
            do {
                let storeA = Self.store(mapping: true)
                let a = try storeA.instantiate(module)
                let storeB = Self.store(mapping: true)
                let b = try storeB.instantiate(module)
                #expect(a.memories[0].imageBytes > 0 && b.memories[0].imageBytes > 0)
                if round > 0 {
                    #expect(
                        released.contains(a.memories[0].baseAddress) || released.contains(b.memories[0].baseAddress),
                        "round \(round): no reservation was reused, so reuse went untested")
                }
                let memoryA = a.memories[0]
                // Scribble over the image, the page after it, and pages grown past the initial size.
                #expect(memoryA.grow(by: 2) == 3)
                for offset in stride(from: 0, to: memoryA.byteCount, by: 4093) { try memoryA.store(UInt8(0xEE), at: offset) }
                try memoryA.store(UInt64.max, at: 60)
                #expect(try Self.contents(b) == reference, "round \(round): a write of one instance reached another")
                #expect(try memoryA.load(UInt64.self, at: 60) == .max)
                released.insert(a.memories[0].baseAddress)
                released.insert(b.memories[0].baseAddress)
            }
            // The same module again, then one without data, on the reservations just released.
            let again = try Self.store(mapping: true).instantiate(module)
            #expect(try Self.contents(again) == reference, "round \(round): the previous instance's writes leaked")
            #expect(again.memories[0].grow(by: 2) == 3)
            let grown = try again.memories[0].read(at: 3 * Self.page, count: 2 * Self.page)
            #expect(grown.allSatisfy { $0 == 0 }, "round \(round): grown pages kept the previous instance's data")
            let empty = try Self.store(mapping: true).instantiate(Self.module(min: 5, max: 11, [.passive([])]))
            #expect(try Self.contents(empty).allSatisfy { $0 == 0 }, "round \(round): a memory without data is not zero")
        }
    }

    /// A reservation that had an image mapped must read as zeros for a module without one,
    /// whether the instance left the image untouched, read it, or wrote all of it (more than the
    /// pool clears in place, so it releases the pages instead).
    @Test(arguments: ["untouched", "read", "written"])
    func reservationWithAnImageIsZeroForTheNextModule(_ use: String) throws {
        // 13 pages maximum: a reservation size no other test uses.
        let module = try Self.module(min: 24, max: 13 + 24, [.active(offset: 0, bytes: Self.pattern(1, 24 * Self.page))])
        let plain = try Self.module(min: 24, max: 13 + 24, [.passive([])])
        var base: UnsafeMutableRawPointer?
        do {
            let instance = try Self.store(mapping: true).instantiate(module)
            let memory = instance.memories[0]
            #expect(memory.imageBytes == 24 * Self.page)
            base = memory.baseAddress
            switch use {
            case "read": _ = try Self.contents(instance)
            case "written":
                for offset in stride(from: 0, to: memory.byteCount, by: 4096) { try memory.store(UInt8(0xEE), at: offset) }
            default: break
            }
        }
        let next = try Self.store(mapping: true).instantiate(plain)
        #expect(next.memories[0].baseAddress == base, "the reservation was not reused, so reuse went untested")
        let bytes = try Self.contents(next)
        #expect(bytes.allSatisfy { $0 == 0 }, "\(use): byte \(bytes.firstIndex { $0 != 0 } ?? -1) is not zero")
    }

    static let segmentsWithin3Pages: [Segment] = [
        .active(offset: 0, bytes: pattern(1, 1000)),
        .active(offset: 60, bytes: pattern(2, 8)),
        .active(offset: Int32(page + 10), bytes: pattern(3, 5000)),
    ]

    @Test func growAfterMappingKeepsTheImageAndAddsZeros() throws {
        let module = try Self.module(min: 2, max: 6, Self.segmentsWithin3Pages)
        let copied = try Self.contents(Self.store(mapping: false).instantiate(module))
        let store = Self.store(mapping: true)
        let instance = try store.instantiate(module)
        let memory = instance.memories[0]
        #expect(memory.imageBytes > 0)
        #expect(memory.grow(by: 3) == 2)
        #expect(memory.byteCount == 5 * Self.page)
        let bytes = try memory.read(at: 0, count: memory.byteCount)
        #expect(Array(bytes[0..<(2 * Self.page)]) == copied)
        #expect(bytes[(2 * Self.page)...].allSatisfy { $0 == 0 })
        try memory.store(UInt32(0xDEAD_BEEF), at: 4 * Self.page + 12)
        #expect(try memory.load(UInt32.self, at: 4 * Self.page + 12) == 0xDEAD_BEEF)
        #expect(memory.grow(by: 2) == nil, "the maximum still holds")
    }

    @Test func memoryInitAndDataDropWorkAfterMapping() throws {
        let module = try Self.module(min: 1, max: 1, [.passive(Self.pattern(9, 64)), .active(offset: 0, bytes: [7, 7])])
        for mapping in [false, true] {
            let store = Self.store(mapping: mapping)
            let instance = try store.instantiate(module)
            #expect((instance.memories[0].imageBytes > 0) == mapping)
            _ = try instance.invoke("init", [.i32(1000), .i32(4), .i32(16)])
            let memory = instance.memories[0]
            #expect(try memory.read(at: 1000, count: 16) == Array(Self.pattern(9, 64)[4..<20]))
            #expect(try memory.read(at: 0, count: 3) == [7, 7, 0])
            #expect(throws: Trap.self, "segment 0 was dropped") {
                _ = try instance.invoke("init", [.i32(0), .i32(0), .i32(1)])
            }
        }
    }

    /// A segment out of bounds traps at instantiation with either path; with an imported memory
    /// (never mapped) the segments before it stay written, as linking.wast requires.
    @Test func outOfBoundsSegmentsTrapAsWithCopying() throws {
        let module = try Self.module(
            min: 1, max: 2, [.active(offset: 0, bytes: [1, 2, 3]), .active(offset: Int32(Self.page - 1), bytes: [4, 5])])
        for mapping in [false, true] {
            #expect(throws: Trap.self, "mapping: \(mapping)") { try Self.store(mapping: mapping).instantiate(module) }
        }
        #expect(module.memoryImages.images(of: module).isEmpty, "no image for a module whose segments trap")
    }

    @Test func importedMemoryKeepsTheWritesBeforeATrappingSegment() throws {
        // (import "m" "mem" (memory 1)) (data (i32.const 8) "\01\02") (data (i32.const 65535) "\03\04")
        let importSection = Wasm.section(2, Wasm.vec([Wasm.name("m") + Wasm.name("mem") + [0x02, 0x00, 0x01]]))
        let data = Wasm.section(
            11, Wasm.vec([[0x00, 0x41, 8, Wasm.end, 2, 1, 2], [0x00, 0x41] + Wasm.sleb32(65535) + [Wasm.end, 2, 3, 4]]))
        let module = try Module(bytes: Wasm.module(importSection, data))
        for mapping in [false, true] {
            let store = Self.store(mapping: mapping)
            let memory = try Memory(type: MemoryType(limits: Limits(min: 1, max: nil)))
            var imports = Imports()
            imports.define(module: "m", name: "mem", .memory(memory))
            #expect(throws: Trap.self) { try store.instantiate(module, imports: imports) }
            #expect(try memory.read(at: 8, count: 2) == [1, 2], "mapping: \(mapping)")
            #expect(memory.imageBytes == 0)
        }
    }

    /// Element segments are applied before data segments: when one traps, a function an
    /// earlier one wrote to an imported table can still run, and must see a memory without data.
    @Test func aTrappingElementSegmentLeavesTheMemoryWithoutData() throws {
        // (import "m" "t" (table 1 funcref)) (memory 1) (func $f (result i32) (i32.load (i32.const 64)))
        // (elem (i32.const 0) $f) (elem (i32.const 1) $f) (data (i32.const 64) "\2a")
        let type = Wasm.section(1, Wasm.vec([Wasm.funcType([], [Wasm.i32])]))
        let importSection = Wasm.section(2, Wasm.vec([Wasm.name("m") + Wasm.name("t") + [0x01, Wasm.funcref, 0x00, 1]]))
        let function = Wasm.section(3, Wasm.vec([[0]]))
        let memory = Wasm.section(5, Wasm.vec([[0x00, 1]]))
        let elements = Wasm.section(
            9, Wasm.vec([[0x00, 0x41, 0, Wasm.end, 1, 0], [0x00, 0x41, 1, Wasm.end, 1, 0]]))
        let code = Wasm.section(10, Wasm.vec([Wasm.body([0x41, 0xC0, 0x00, 0x28, 2, 0, Wasm.end])]))
        let data = Wasm.section(11, Wasm.vec([[0x00, 0x41, 0xC0, 0x00, Wasm.end, 1, 42]]))
        let module = try Module(bytes: Wasm.module(type, importSection, function, memory, elements, code, data))
        for mapping in [false, true] {
            for round in 0..<2 {  // the second round may get the reservation the first one released
                let store = Self.store(mapping: mapping)
                let table = try WasmCore.Table(type: TableType(elementType: .funcref, limits: Limits(min: 1, max: 1)))
                var imports = Imports()
                imports.define(module: "m", name: "t", .table(table))
                #expect(throws: Trap.self) { try store.instantiate(module, imports: imports) }
                guard case .funcref(let f?) = try table.element(at: 0) else {
                    Issue.record("the first element segment was not applied")
                    continue
                }
                #expect(try store.invoke(f, []) == [.i32(0)], "mapping: \(mapping), round \(round)")
            }
        }
    }

    @Test func nonConstantOffsetsAreCopied() throws {
        // (import "m" "g" (global i32)) (memory 1) (data (global.get 0) "\09\08") (export "mem" (memory 0))
        let importSection = Wasm.section(2, Wasm.vec([Wasm.name("m") + Wasm.name("g") + [0x03, Wasm.i32, 0x00]]))
        let memory = Wasm.section(5, Wasm.vec([[0x00, 1]]))
        let exports = Wasm.section(7, Wasm.vec([Wasm.name("mem") + [0x02, 0]]))
        let data = Wasm.section(11, Wasm.vec([[0x00, 0x23, 0, Wasm.end, 2, 9, 8]]))
        let module = try Module(bytes: Wasm.module(importSection, memory, exports, data))
        var imports = Imports()
        imports.define(
            module: "m", name: "g", .global(Global(type: GlobalType(valueType: .i32, isMutable: false), value: .i32(100))))
        let instance = try Self.store(mapping: true).instantiate(module, imports: imports)
        #expect(instance.memories[0].imageBytes == 0)
        #expect(try instance.memories[0].read(at: 99, count: 4) == [0, 9, 8, 0])
        #expect(module.memoryImages.images(of: module).isEmpty)
    }

    /// The threshold counts the bytes the segments hold (what copying costs), not how far they reach.
    @Test func imagesWithLessDataThanTheThresholdAreCopied() throws {
        let host = MemoryImage.hostPageSize
        let module = try Self.module(
            min: 2, max: 2, [.active(offset: 0, bytes: Self.pattern(1, host)), .active(offset: Int32(host + 7), bytes: [1])])
        var configuration = EngineConfiguration()
        configuration.memoryImageThreshold = host + 2
        let copied = try Store(configuration: configuration).instantiate(module)
        #expect(copied.memories[0].imageBytes == 0)
        #expect(try copied.memories[0].load(UInt8.self, at: host + 7) == 1)
        configuration.memoryImageThreshold = host + 1
        let mapped = try Store(configuration: configuration).instantiate(module)
        #expect(mapped.memories[0].imageBytes == 2 * host)
        #expect(try Self.contents(mapped) == Self.contents(copied))
        let sparse = try Self.module(min: 2, max: 2, [.active(offset: 70_000, bytes: [1])])
        configuration.memoryImageThreshold = 2
        #expect(try Store(configuration: configuration).instantiate(sparse).memories[0].imageBytes == 0)
    }

    @Test func concurrentFirstInstantiationsShareOneImage() throws {
        let module = try Self.module(min: 4, max: 4, Self.segmentsWithin3Pages)
        let reference = try Self.contents(Self.store(mapping: false).instantiate(module))
        let failures = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            do {
                let instance = try Self.store(mapping: true).instantiate(module)
                if try Self.contents(instance) != reference || instance.memories[0].imageBytes == 0 {
                    failures.withLock { $0 += 1 }
                }
            } catch {
                failures.withLock { $0 += 1 }
            }
        }
        #expect(failures.withLock { $0 } == 0)
        let images = module.memoryImages.images(of: module)
        #expect(images.count == 1 && images[0] != nil)
    }

    func firstDifference(_ a: [UInt8], _ b: [UInt8]) -> Int {
        (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
    }
}

/// The spec scripts about data segments, memories and linking, with every memory image mapped
/// (the default threshold leaves the spec suite's small modules on the copying path).
@Suite struct MemoryImageSpecSuiteTests {
    static let scripts = [
        "data.json", "linking.json", "memory.json", "memory_grow.json", "memory_init.json", "memory_copy.json",
        "memory_fill.json", "memory_size.json", "memory_trap.json", "bulk.json", "start.json", "imports.json",
    ]

    @Test(
        .enabled(if: CoreSpecScripts.isAvailable, "spec tests not found at \(CoreSpecScripts.coreFolder); skipped"),
        arguments: scripts)
    func scriptPassesWithEveryImageMapped(_ file: String) {
        var configuration = EngineConfiguration()
        configuration.memoryImageThreshold = 0
        configuration.features = .wasm2  // the core/ folder is the Wasm 2.0 suite
        let runner = SpecTestRunner(
            options: .init(skippedLines: CoreSpecScripts.skippedLines(of: file), configuration: configuration))
        let result = runner.run(file: (CoreSpecScripts.coreFolder as NSString).appendingPathComponent(file))
        #expect(result.passed > 0, "\(file): nothing ran")
        #expect(result.failed == 0, "\(file): \(result.summaryLine)\n\(result.failureLines.prefix(20).joined(separator: "\n"))")
    }
}
