import ArgumentParsing
import Foundation
import WasmComponents
import WasmCore

/// `spin wasm inspect <file.wasm>`: prints a readable summary of a module's contents,
/// for people learning what a WebAssembly binary holds.
///
/// Returns the process exit code: 0 for a valid module, 1 when the file cannot
/// be read, is malformed (`error: <message> at byte offset N` on stderr) or is
/// invalid (the summary is printed, then the validation error).
func runInspect(path: String, console: Console) -> Int32 {
    guard let data = FileManager.default.contents(atPath: path) else {
        console.error("cannot read \(path)")
        return 1
    }
    let bytes = [UInt8](data)
    if ComponentDecoder.isComponent(bytes) {
        return runComponentInspect(bytes: bytes, fileName: (path as NSString).lastPathComponent, console: console)
    }
    let info: ModuleInfo
    do {
        info = try ModuleDecoder.decode(bytes)
    } catch {
        console.error("\(error.message) at byte offset \(error.offset)")
        return 1
    }
    console.out(ModuleSummary(info: info, fileName: (path as NSString).lastPathComponent).render())
    do {
        // Full validation, function bodies included.
        _ = try Module(bytes: info.bytes)
    } catch let error as ValidationError {
        console.error("invalid module: \(error)")
        return 1
    } catch {
        console.error("\(error)")
        return 1
    }
    return 0
}

/// Renders a decoded module as text.
final class ModuleSummary {
    let info: ModuleInfo
    let fileName: String
    /// Longer lists are cut after this many entries.
    var listLimit = 50

    private var out = ""

    init(info: ModuleInfo, fileName: String) {
        self.info = info
        self.fileName = fileName
    }

    func render() -> String {
        out = ""
        build()
        return out
    }

    private func line(_ text: String = "") { out += text + "\n" }

    private func list<T>(_ title: String, _ items: [T], _ describe: (Int, T) -> String) {
        guard !items.isEmpty else { return }
        line()
        line("\(title) (\(items.count)):")
        for (i, item) in items.prefix(listLimit).enumerated() { line("  " + describe(i, item)) }
        if items.count > listLimit { line("  ... \(items.count - listLimit) more") }
    }

    private func build() {
        line("\(fileName): \(info.bytes.count) bytes, WebAssembly binary format version 1")

        // Sections.
        line()
        line("Sections (\(info.sections.count)):")
        line("  id  name        offset      payload size")
        var customIndex = 0
        for section in info.sections {
            let name = ModuleDecoder.sectionName(section.id)
            let id = String(section.id).leftPadded(4)
            var text =
                "\(id)  \(name.rightPadded(10))  \(hex(section.start).rightPadded(10))  \(section.end - section.payloadStart) bytes"
            if section.id == 0 {
                if customIndex < info.customSections.count { text += "  \"\(info.customSections[customIndex].name)\"" }
                customIndex += 1
            }
            line(text)
        }

        list("Types", info.types) { i, t in "[\(i)] \(t)" }

        list("Imports", info.imports) { i, imp in
            "[\(i)] \(imp.module).\(imp.name): \(describe(imp.descriptor))"
        }

        // Functions: one index space, imports first.
        let imported = info.importedFunctionCount
        line()
        line("Functions: \(imported + info.functions.count) (\(imported) imported, \(info.functions.count) defined)")
        var shown = 0
        for (i, typeIndex) in info.functions.enumerated() {
            guard shown < listLimit else {
                line("  ... \(info.functions.count - shown) more")
                break
            }
            shown += 1
            let index = imported + i
            var text = "  [\(index)]\(functionName(index)) type \(typeIndex) \(typeText(typeIndex))"
            if i < info.codes.count {
                let code = info.codes[i]
                text += ", \(code.codeEnd - code.codeStart) bytes of code"
                if !code.locals.isEmpty { text += ", \(code.locals.count) locals" }
            }
            line(text)
        }

        list("Tables", info.tables) { i, t in
            "[\(info.importedTableCount + i)] \(t.is64 ? "i64, " : "")\(t.elementType), \(limitsText(t.limits, unit: "elements"))"
        }
        list("Memories", info.memories) { i, m in "[\(info.importedMemoryCount + i)] \(memoryText(m))" }
        list("Globals", info.globals) { i, g in
            "[\(info.importedGlobalCount + i)] \(globalTypeText(g.type)) = \(constText(g.initializer))"
        }
        list("Exports", info.exports) { _, e in
            var text = "\"\(e.name)\" -> \(e.kind) \(e.index)"
            if e.kind == .function { text += functionName(Int(e.index)) }
            return text
        }

        if let start = info.start {
            line()
            line("Start function: \(start)\(functionName(Int(start)))")
        }

        list("Element segments", info.elements) { i, e in
            let mode: String
            switch e.mode {
            case .passive: mode = "passive"
            case .declarative: mode = "declarative"
            case .active(let table, let offset): mode = "active, table \(table) at offset \(constText(offset))"
            }
            let entries = e.initializers.prefix(8).map(constText).joined(separator: ", ")
            let more = e.initializers.count > 8 ? ", ..." : ""
            return "[\(i)] \(mode), \(e.type), \(e.initializers.count) entries: \(entries)\(more)"
        }

        if let count = info.dataCount {
            line()
            line("Data count: \(count)")
        }
        list("Data segments", info.data) { i, d in
            switch d.mode {
            case .passive: return "[\(i)] passive, \(d.bytes.count) bytes\(preview(d.bytes))"
            case .active(let memory, let offset):
                return
                    "[\(i)] active, memory \(memory) at offset \(constText(offset)), \(d.bytes.count) bytes\(preview(d.bytes))"
            }
        }

        list("Custom sections", info.customSections) { _, c in
            "\"\(c.name)\", \(c.payload.count) bytes at \(hex(c.payload.lowerBound))"
        }

        if let names = info.names {
            line()
            line("Name section:")
            if let module = names.moduleName { line("  module name: \(module)") }
            line("  \(names.functionNames.count) function names, local names for \(names.localNames.count) functions")
        }
    }

    // MARK: - Formatting helpers

    private func hex(_ value: Int) -> String { "0x" + String(value, radix: 16) }

    private func functionName(_ index: Int) -> String {
        guard let name = info.names?.functionNames[UInt32(index)] else { return "" }
        return " $\(name)"
    }

    private func typeText(_ index: UInt32) -> String {
        Int(index) < info.types.count ? info.types[Int(index)].description : "(unknown type)"
    }

    private func describe(_ descriptor: ImportDescriptor) -> String {
        switch descriptor {
        case .function(let t): "func, type \(t) \(typeText(t))"
        case .table(let t): "table\(t.is64 ? " i64" : ""), \(t.elementType), \(limitsText(t.limits, unit: "elements"))"
        case .memory(let m): "memory, \(memoryText(m))"
        case .global(let g): "global, \(globalTypeText(g))"
        case .tag(let t): "tag, type \(t) \(typeText(t))"
        }
    }

    private func limitsText(_ limits: Limits, unit: String) -> String {
        var s = "min \(limits.min) \(unit)"
        if let max = limits.max { s += ", max \(max)" } else { s += ", no max" }
        return s
    }

    /// A memory's limits; "i64" first for a 64-bit memory (memory64), "shared" last (threads).
    private func memoryText(_ m: MemoryType) -> String {
        let initially = m.limits.min > UInt64.max / 65536 ? "\(m.limits.min) pages" : byteSize(m.limits.min * 65536)
        return (m.is64 ? "i64, " : "") + limitsText(m.limits, unit: "pages") + " (\(initially) initially)"
            + (m.isShared ? ", shared" : "")
    }

    private func byteSize(_ n: UInt64) -> String {
        if n >= 1 << 30 { return "\(n >> 30) GiB" }
        if n >= 1 << 20 { return "\(n >> 20) MiB" }
        if n >= 1 << 10 { return "\(n >> 10) KiB" }
        return "\(n) bytes"
    }

    private func globalTypeText(_ g: GlobalType) -> String {
        (g.isMutable ? "mut " : "const ") + g.valueType.description
    }

    private func constText(_ expr: ConstExpression) -> String {
        var parts = expr.instructions.map { instruction -> String in
            switch instruction {
            case .i32Const(let v): "i32.const \(Int32(bitPattern: v))"
            case .i64Const(let v): "i64.const \(Int64(bitPattern: v))"
            case .f32Const(let v): "f32.const \(Float(bitPattern: v))"
            case .f64Const(let v): "f64.const \(Double(bitPattern: v))"
            case .v128Const(let v): "v128.const i8x16 \(v.bytes.map(String.init).joined(separator: " "))"
            case .refNull(let t): "ref.null \(t == .funcref ? "func" : "extern")"
            case .refFunc(let i): "ref.func \(i)\(functionName(Int(i)))"
            case .globalGet(let i): "global.get \(i)"
            case .i32Add: "i32.add"
            case .i32Sub: "i32.sub"
            case .i32Mul: "i32.mul"
            case .i64Add: "i64.add"
            case .i64Sub: "i64.sub"
            case .i64Mul: "i64.mul"
            }
        }
        if let n = expr.nonConstant {
            parts.insert("<non-constant opcode \(hex(Int(n.opcode)))>", at: min(n.position, parts.count))
        }
        return "(" + parts.joined(separator: " ") + ")"
    }

    private func preview(_ bytes: [UInt8]) -> String {
        guard !bytes.isEmpty else { return "" }
        let head = bytes.prefix(24)
        let printable = head.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
        let text: String
        if printable {
            text = "\"" + String(decoding: head, as: UTF8.self) + "\""
        } else {
            text = head.map { String($0, radix: 16).leftPadded(2, with: "0") }.joined(separator: " ")
        }
        return ": " + text + (bytes.count > head.count ? " ..." : "")
    }
}

extension String {
    func leftPadded(_ width: Int, with pad: Character = " ") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }

    func rightPadded(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
