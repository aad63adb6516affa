import Foundation
import WasmComponents
import WasmCore

/// Section `image`: instantiation of modules with pre-initialised memory, copying the data
/// segments (`memoryImageThreshold: nil`) against mapping the module's memory image
/// copy-on-write (threshold 0), in the same run, alternating batches.
enum MemoryImageBenchmark {
    /// A module whose memory holds `imageBytes` of data (one active segment at offset 1024) and
    /// whose export `run` stores to one page and loads from another: one call of a request.
    static func syntheticModule(imageBytes: Int) throws -> Module {
        let pageSize = 65536
        let pages = UInt32((1024 + imageBytes + pageSize - 1) / pageSize + 1)
        var bytes = [UInt8](repeating: 0, count: imageBytes)
        for i in 0..<imageBytes { bytes[i] = UInt8(truncatingIfNeeded: i &* 7) | 1 }
        let load = Int32(1024 + imageBytes / 2)
        // i32.const 4096, i32.const 1, i32.store; i32.const load, i32.load
        let code: [UInt8] =
            [0x41] + sleb(4096) + [0x41, 1, 0x36, 2, 0] + [0x41] + sleb(load) + [0x28, 2, 0, 0x0B]
        let body = uleb(UInt32(code.count + 1)) + [0] + code
        let module: [UInt8] =
            [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00]
            + section(1, [1, 0x60, 0, 1, 0x7F])
            + section(3, [1, 0])
            + section(5, [1, 0x01] + uleb(pages) + uleb(pages * 2))
            + section(7, [1] + uleb(3) + Array("run".utf8) + [0x00, 0])
            + section(10, [1] + body)
            + section(11, [1, 0x00, 0x41] + sleb(1024) + [0x0B] + uleb(UInt32(imageBytes)) + bytes)
        return try Module(bytes: module)
    }

    /// Instantiates `module` (and calls `call`, if given) on a fresh store per iteration, as the
    /// Spin host does per request; µs per iteration, the median of `rounds` batches for each
    /// path, the two paths' batches alternating.
    static func measure(
        _ module: Module, imports: Imports, call: String?, budget: Double, rounds: Int
    ) throws -> (copy: Double, map: Double) {
        func configuration(mapping: Bool) -> EngineConfiguration {
            var c = EngineConfiguration()
            c.memoryImageThreshold = mapping ? 0 : nil
            return c
        }
        let configurations = [configuration(mapping: false), configuration(mapping: true)]
        func once(_ c: EngineConfiguration) throws {
            let store = Store(configuration: c)
            let instance = try store.instantiate(module, imports: imports)
            if let call { _ = try instance.invoke(call) }
        }
        // Warm-up (the image is made here) and the number of iterations a batch of `budget` seconds takes.
        var iterations: [Int] = []
        for c in configurations {
            try once(c)
            let start = ContinuousClock.now
            var n = 0
            while (ContinuousClock.now - start).seconds < budget / 4 || n < 3 {
                try once(c)
                n += 1
            }
            iterations.append(max(3, n * 4))
        }
        var times: [[Double]] = [[], []]
        for round in 0..<max(1, rounds) {
            for k in (round % 2 == 0 ? [0, 1] : [1, 0]) {
                let start = ContinuousClock.now
                for _ in 0..<iterations[k] { try once(configurations[k]) }
                times[k].append((ContinuousClock.now - start).seconds * 1e6 / Double(iterations[k]))
            }
        }
        return (Statistics.median(times[0]), Statistics.median(times[1]))
    }

    /// Imports that satisfy every import of `module` without doing anything: functions trap,
    /// tables, memories and globals are new ones of the imported type.
    static func placeholderImports(_ module: Module) throws -> Imports {
        var imports = Imports()
        for i in module.info.imports {
            let value: ExternalValue
            switch i.descriptor {
            case .function(let typeIndex):
                let name = "\(i.module).\(i.name)"
                value = .function(
                    Function(type: module.info.types[Int(typeIndex)]) { _, _ in
                        throw LinkError("the benchmark does not provide \(name)")
                    })
            case .table(let t): value = .table(try WasmCore.Table(type: t))
            case .memory(let m): value = .memory(try Memory(type: m))
            case .global(let g):
                let zero: Value
                switch g.valueType {
                case .i32: zero = .i32(0)
                case .i64: zero = .i64(0)
                case .f32: zero = .f32(0)
                case .f64: zero = .f64(0)
                default: throw LinkError("imported global \(i.module).\(i.name) of type \(g.valueType)")
                }
                value = .global(Global(type: g, value: zero))
            case .tag(let typeIndex): value = .tag(Tag(type: module.info.types[Int(typeIndex)]))
            }
            imports.define(module: i.module, name: i.name, value)
        }
        return imports
    }

    /// The table: synthetic images from 16 KiB to 32 MiB (instantiate + one call), and the core
    /// module with the most data of `options.imageComponent` (instantiate only), if given.
    static func run(_ options: Options, report: Report) -> Table {
        let rounds = max(options.rounds, 3)
        let budget = options.quick ? 0.2 : 0.6
        var table = Table(
            "Memory images: instantiate with data segments copied vs mapped copy-on-write (median of \(rounds) batches)",
            headers: ["module", "data KiB", "copy µs", "copy-on-write µs", "copy / copy-on-write"])
        var cases: [(name: String, module: () throws -> Module, imports: (Module) throws -> Imports, call: String?)] =
            [16 << 10, 64 << 10, 256 << 10, 512 << 10, 768 << 10, 1 << 20, 32 << 20].map { size in
                (
                    "synthetic \(size >> 10) KiB + call", { try syntheticModule(imageBytes: size) },
                    { _ in Imports() }, "run"
                )
            }
        if let path = options.imageComponent {
            cases.append(
                (
                    "\((path as NSString).lastPathComponent) (instantiate only)",
                    {
                        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
                        // A core module (version 1) as it is; of a component, the core module with the most data.
                        if bytes.count >= 8 && bytes[4...7] == [1, 0, 0, 0] { return try Module(bytes: bytes) }
                        let component = try Component(bytes: bytes)
                        let all = component.modules + component.components.flatMap(\.modules)
                        guard let module = all.max(by: { dataBytes($0) < dataBytes($1) }) else {
                            throw LinkError("\(path): the component has no core module")
                        }
                        return module
                    }, placeholderImports, nil
                ))
        }
        for c in cases {
            do {
                let module = try c.module()
                let imports = try c.imports(module)
                let (copy, map) = try measure(module, imports: imports, call: c.call, budget: budget, rounds: rounds)
                table.add([
                    c.name, "\(dataBytes(module) >> 10)", Format.fixed(copy, 1), Format.fixed(map, 1), Format.fixed(copy / map, 2),
                ])
            } catch {
                report.problem("image \(c.name): \(error)")
                table.add([c.name, "", "failed", "", ""])
            }
        }
        table.notes.append(
            "Each iteration: a fresh Store, instantiate (and call `run`, which writes one page and reads another), release."
        )
        if options.imageComponent == nil {
            table.notes.append(
                "Add a real module with --image-component PATH: a core module, or a component (its core module with the most data)."
            )
        }
        return table
    }

    static func dataBytes(_ module: Module) -> Int { module.info.data.reduce(0) { $0 + $1.bytes.count } }

    static func uleb(_ value: UInt32) -> [UInt8] {
        var v = value
        var out: [UInt8] = []
        repeat {
            var byte = UInt8(v & 0x7F)
            v >>= 7
            if v != 0 { byte |= 0x80 }
            out.append(byte)
        } while v != 0
        return out
    }

    static func sleb(_ value: Int32) -> [UInt8] {
        var v = Int64(value)
        var out: [UInt8] = []
        while true {
            let byte = UInt8(v & 0x7F)
            v >>= 7
            if (v == 0 && byte & 0x40 == 0) || (v == -1 && byte & 0x40 != 0) { return out + [byte] }
            out.append(byte | 0x80)
        }
    }

    static func section(_ id: UInt8, _ payload: [UInt8]) -> [UInt8] { [id] + uleb(UInt32(payload.count)) + payload }
}
