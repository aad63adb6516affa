import WasmCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs a module through `DifferentialPlan` in one of our tiers and writes its column.
public enum DifferentialExecution {
    /// How one column runs.
    public struct Options: Sendable {
        /// The optimising translation (`Module(bytes:)`), or the reference one (`optimize: false`).
        public var optimize = true
        /// How long instantiation (with its start function) and each call may run before
        /// `Watchdog.shared` interrupts it (the column then ends with `timeout` and `stop`).
        public var callTimeout: Duration = .seconds(5)
        /// The engine's limits and switches. With `interruptible` off the column runs the
        /// interpreter loop that has no interrupt checks, and `callTimeout` cannot stop it (the
        /// caller must be ready to kill a process that hangs).
        public var configuration = EngineConfiguration()
        /// Refills the exported fuel global before each call (`DifferentialPlan.fuelExport`).
        public var refillsFuel = true

        /// Options for the optimising (or, with `optimize: false`, the reference) translation.
        public init(optimize: Bool = true, callTimeout: Duration = .seconds(5)) {
            self.optimize = optimize
            self.callTimeout = callTimeout
        }
    }

    /// The column of `bytes` (see `DifferentialPlan` for its lines).
    public static func column(of bytes: [UInt8], options: Options = Options()) -> [String] {
        column(of: bytes, options: options, store: nil)
    }

    /// The column, run in `store` when given (it must be fresh and have `options.configuration`;
    /// the caller may read its instruction counts afterwards).
    public static func column(of bytes: [UInt8], options: Options, store given: Store?) -> [String] {
        let module: Module
        do {
            module = try Module(bytes: bytes, optimize: options.optimize)
        } catch {
            return ["invalid # \(oneLine(error))"]
        }
        guard module.imports.isEmpty else { return ["imports"] }
        let store = given ?? Store(configuration: options.configuration)
        let timeout = Watchdog.nanoseconds(options.callTimeout)

        var lines: [String] = []
        let instance: Instance
        do {
            instance = try watched(store, timeout) { try store.instantiate(module) }
        } catch let trap as Trap {
            guard let kind = DifferentialPlan.kind(of: trap.reason) else { return ["instantiate timeout"] }
            return ["instantiate trap \(kind)" + (kind == "other" ? " # \(oneLine(trap.message))" : "")]
        } catch {
            return ["instantiate fail # \(oneLine(error))"]
        }
        lines.append("instantiate ok")

        var state = ExportedState(module: module, instance: instance)
        lines += state.changedLines()
        var random = DifferentialPlan.SplitMix64(seed: DifferentialPlan.fnv1a64(bytes))
        let fuel: Global? = options.refillsFuel ? instance.global(named: DifferentialPlan.fuelExport) : nil
        let functions = module.exports.enumerated().filter { $0.element.kind == .function }
        for _ in 0..<DifferentialPlan.rounds {
            for (index, export) in functions {
                guard case .function(let function)? = instance.export(export.name) else { continue }
                let arguments = function.type.parameters.map { DifferentialPlan.argument(&random, for: $0) }
                let head = (["call \(index)"] + arguments.map(DifferentialPlan.format)).joined(separator: " ")
                if let fuel, fuel.type == GlobalType(valueType: .i32, isMutable: true) {
                    fuel.value = .int32(DifferentialPlan.fuel)
                }
                do {
                    let results = try watched(store, timeout) { try store.invoke(function, arguments) }
                    lines.append(([head, "->"] + results.map(DifferentialPlan.format)).joined(separator: " "))
                } catch let trap as Trap {
                    guard let kind = DifferentialPlan.kind(of: trap.reason) else {
                        lines += [head + " -> timeout", "stop"]
                        return lines
                    }
                    lines.append(head + " -> trap \(kind)" + (kind == "other" ? " # \(oneLine(trap.message))" : ""))
                } catch {
                    lines.append(head + " -> trap other # \(oneLine(error))")
                }
                lines += state.changedLines()
            }
        }
        return lines
    }

    /// `body` with `store` interrupted once `timeout` nanoseconds have passed.
    static func watched<T>(_ store: Store, _ timeout: UInt64, _ body: () throws -> T) throws -> T {
        store.interruptHandle.reset()
        let ticket = Watchdog.shared.arm(store.interruptHandle, deadline: Watchdog.now() &+ timeout)
        defer { Watchdog.shared.disarm(ticket) }
        return try body()
    }

    /// `error`'s description on one line, at most 200 characters.
    static func oneLine(_ error: Any) -> String {
        let text = "\(error)".split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        return String(text.prefix(200))
    }

    /// The exported memories, globals and tables, and the lines of what changed since last asked.
    struct ExportedState {
        enum Item {
            case memory(Memory)
            case global(Global)
            case table(Table)
        }

        let items: [(index: Int, item: Item)]
        /// What was last written of each item: a memory's bytes, a global's or table's text.
        var memories: [Int: [UInt8]] = [:]
        var texts: [Int: String] = [:]

        init(module: Module, instance: Instance) {
            var items: [(Int, Item)] = []
            for (index, export) in module.exports.enumerated() {
                switch instance.export(export.name) {
                case .memory(let m)?: items.append((index, .memory(m)))
                case .global(let g)?: items.append((index, .global(g)))
                case .table(let t)?: items.append((index, .table(t)))
                default: break
                }
            }
            self.items = items
        }

        /// `memory INDEX BYTES CRC32`, `global INDEX VALUE`, `table INDEX SIZE ELEMENTS` for each
        /// item that differs from what was last written (all of them the first time).
        mutating func changedLines() -> [String] {
            var lines: [String] = []
            for (index, item) in items {
                switch item {
                case .memory(let memory):
                    let count = memory.byteCount
                    let base = UnsafeRawPointer(memory.baseAddress)
                    if let previous = memories[index], previous.count == count,
                        previous.withUnsafeBytes({ count == 0 || memcmp($0.baseAddress!, base, count) == 0 })
                    {
                        continue
                    }
                    let bytes = [UInt8](UnsafeRawBufferPointer(start: base, count: count))
                    memories[index] = bytes
                    lines.append("memory \(index) \(count) \(DifferentialPlan.hex(UInt64(CRC32.checksum(bytes)), digits: 8))")
                case .global(let global):
                    let text = "global \(index) \(DifferentialPlan.format(global.value))"
                    if texts[index] != text {
                        texts[index] = text
                        lines.append(text)
                    }
                case .table(let table):
                    let elements = (0..<table.count).map { (try? table.element(at: $0)) ?? .funcref(nil) }
                    let text = "table \(index) \(table.count) \(DifferentialPlan.formatElements(elements))"
                    if texts[index] != text {
                        texts[index] = text
                        lines.append(text)
                    }
                }
            }
            return lines
        }
    }
}

/// CRC-32 (IEEE 802.3, as zlib's `crc32`), eight bytes at a time ("slicing by 8").
enum CRC32 {
    /// Eight tables of 256 entries, one after the other: entry `i` of table `t` is the CRC of
    /// byte `i` followed by `t` zero bytes.
    static let table: [UInt32] = {
        var table = [UInt32](repeating: 0, count: 8 * 256)
        for i in 0..<256 {
            var c = UInt32(i)
            for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
            table[i] = c
        }
        for t in 1..<8 {
            for i in 0..<256 {
                let previous = table[(t - 1) * 256 + i]
                table[t * 256 + i] = (previous >> 8) ^ table[Int(previous & 0xFF)]
            }
        }
        return table
    }()

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        table.withUnsafeBufferPointer { t in
            bytes.withUnsafeBytes { raw in
                var crc: UInt32 = 0xFFFF_FFFF
                var i = 0
                let n = raw.count
                while i + 8 <= n {
                    let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                    let lo = UInt32(truncatingIfNeeded: word) ^ crc
                    let hi = UInt32(truncatingIfNeeded: word >> 32)
                    crc = t[7 * 256 + Int(lo & 0xFF)] ^ t[6 * 256 + Int((lo >> 8) & 0xFF)]
                    crc ^= t[5 * 256 + Int((lo >> 16) & 0xFF)] ^ t[4 * 256 + Int(lo >> 24)]
                    crc ^= t[3 * 256 + Int(hi & 0xFF)] ^ t[2 * 256 + Int((hi >> 8) & 0xFF)]
                    crc ^= t[256 + Int((hi >> 16) & 0xFF)] ^ t[Int(hi >> 24)]
                    i += 8
                }
                while i < n {
                    crc = t[Int((crc ^ UInt32(raw[i])) & 0xFF)] ^ (crc >> 8)
                    i += 1
                }
                return ~crc
            }
        }
    }
}
