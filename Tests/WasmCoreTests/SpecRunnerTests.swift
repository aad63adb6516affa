import Foundation
import Testing
import WasmCore

@testable import WasmSpec

// MARK: NaN patterns

@Test func nanPatternsF32() {
    // Canonical: only the quiet bit, either sign.
    #expect(NaNPattern.canonical.matches(f32: 0x7fc0_0000))
    #expect(NaNPattern.canonical.matches(f32: 0xffc0_0000))
    #expect(!NaNPattern.canonical.matches(f32: 0x7fc0_0001))  // arithmetic, not canonical
    #expect(!NaNPattern.canonical.matches(f32: 0x7fa0_0000))  // signalling NaN
    #expect(!NaNPattern.canonical.matches(f32: 0x7f80_0000))  // +inf
    #expect(!NaNPattern.canonical.matches(f32: 0x3fc0_0000))  // 1.5
    // Arithmetic: quiet bit set, any payload, either sign.
    #expect(NaNPattern.arithmetic.matches(f32: 0x7fc0_0000))
    #expect(NaNPattern.arithmetic.matches(f32: 0xffc0_0000))
    #expect(NaNPattern.arithmetic.matches(f32: 0x7fff_ffff))
    #expect(NaNPattern.arithmetic.matches(f32: 0xffc0_0001))
    #expect(!NaNPattern.arithmetic.matches(f32: 0x7fa0_0000))  // signalling NaN
    #expect(!NaNPattern.arithmetic.matches(f32: 0x7f80_0001))  // signalling NaN
    #expect(!NaNPattern.arithmetic.matches(f32: 0xff80_0000))  // -inf
    #expect(!NaNPattern.arithmetic.matches(f32: 0x3fc0_0000))  // 1.5: quiet bit pattern but finite
}

@Test func nanPatternsF64() {
    #expect(NaNPattern.canonical.matches(f64: 0x7ff8_0000_0000_0000))
    #expect(NaNPattern.canonical.matches(f64: 0xfff8_0000_0000_0000))
    #expect(!NaNPattern.canonical.matches(f64: 0x7ff8_0000_0000_0001))
    #expect(!NaNPattern.canonical.matches(f64: 0x7ff4_0000_0000_0000))
    #expect(!NaNPattern.canonical.matches(f64: 0x7ff0_0000_0000_0000))
    #expect(NaNPattern.arithmetic.matches(f64: 0x7ff8_0000_0000_0000))
    #expect(NaNPattern.arithmetic.matches(f64: 0xffff_ffff_ffff_ffff))
    #expect(NaNPattern.arithmetic.matches(f64: 0x7ffc_0000_0000_0001))
    #expect(!NaNPattern.arithmetic.matches(f64: 0x7ff0_0000_0000_0001))  // signalling
    #expect(!NaNPattern.arithmetic.matches(f64: 0x7ff4_0000_0000_0000))  // signalling
    #expect(!NaNPattern.arithmetic.matches(f64: 0xfff0_0000_0000_0000))  // -inf
    #expect(!NaNPattern.arithmetic.matches(f64: 0x3ff8_0000_0000_0000))  // 1.5
}

@Test func nanExpectedValuesOnlyMatchTheirOwnWidth() throws {
    let canonical32 = try SpecValue.parse(type: "f32", value: "nan:canonical")
    let arithmetic64 = try SpecValue.parse(type: "f64", value: "nan:arithmetic")
    #expect(canonical32 == .f32NaN(.canonical))
    #expect(arithmetic64 == .f64NaN(.arithmetic))
    #expect(canonical32.matches(.f32(0xffc0_0000)))
    #expect(!canonical32.matches(.f32(0xffc0_0001)))
    #expect(!canonical32.matches(.f64(0x7ff8_0000_0000_0000)))
    #expect(!canonical32.matches(.i32(0x7fc0_0000)))
    #expect(arithmetic64.matches(.f64(0x7ff8_0000_0000_0001)))
    #expect(!arithmetic64.matches(.f32(0x7fc0_0000)))
}

// MARK: Value parsing and comparison

@Test func integerValues() throws {
    #expect(try SpecValue.parse(type: "i32", value: "0") == .value(.i32(0)))
    #expect(try SpecValue.parse(type: "i32", value: "4294967295") == .value(.i32(0xffff_ffff)))
    #expect(try SpecValue.parse(type: "i32", value: "2147483648") == .value(.int32(Int32.min)))
    #expect(try SpecValue.parse(type: "i64", value: "18446744073709551615") == .value(.i64(UInt64.max)))
    #expect(try SpecValue.parse(type: "i64", value: "18446744073709551614") == .value(.int64(-2)))
    #expect(try SpecValue.parse(type: "i64", value: "9223372036854775807") == .value(.int64(Int64.max)))
    #expect(try SpecValue.parse(type: "i64", value: "9223372036854775808") == .value(.int64(Int64.min)))
    // wast2json writes unsigned decimals; signed ones are read as two's complement all the same.
    #expect(try SpecValue.parse(type: "i32", value: "-1") == .value(.i32(0xffff_ffff)))
    #expect(try SpecValue.parse(type: "i64", value: "-9223372036854775808") == .value(.int64(Int64.min)))
    #expect(throws: SpecParseError.self) { try SpecValue.parse(type: "i32", value: "4294967296") }
    #expect(throws: SpecParseError.self) { try SpecValue.parse(type: "i64", value: "18446744073709551616") }
    #expect(throws: SpecParseError.self) { try SpecValue.parse(type: "i32", value: "0x10") }
    #expect(throws: SpecParseError.self) { try SpecValue.parse(type: "i32", value: "-2147483649") }
}

@Test func floatValuesAreBitPatterns() throws {
    let negativeZero32 = try SpecValue.parse(type: "f32", value: "2147483648")
    #expect(negativeZero32 == .value(.f32(0x8000_0000)))
    #expect(negativeZero32.matches(.float(-0.0)))
    #expect(!negativeZero32.matches(.float(0.0)))  // -0 ≠ +0
    let positiveZero32 = try SpecValue.parse(type: "f32", value: "0")
    #expect(!positiveZero32.matches(.float(-0.0)))
    let negativeZero64 = try SpecValue.parse(type: "f64", value: "9223372036854775808")
    #expect(negativeZero64.matches(.double(-0.0)))
    #expect(!negativeZero64.matches(.double(0.0)))
    // A specific NaN payload must match exactly.
    let nan = try SpecValue.parse(type: "f32", value: "4290772992")  // 0xffc00000
    #expect(nan.matches(.f32(0xffc0_0000)))
    #expect(!nan.matches(.f32(0x7fc0_0000)))
    let one = try SpecValue.parse(type: "f64", value: "4607182418800017408")
    #expect(one.matches(.double(1.0)))
    #expect(!one.matches(.i64(4_607_182_418_800_017_408)))  // same bits, different type
    #expect(throws: SpecParseError.self) { try SpecValue.parse(type: "f32", value: "1.5") }
    #expect(throws: SpecParseError.self) { try SpecValue.parse(type: "f32", value: "nan") }
}

@Test func referenceValues() throws {
    #expect(try SpecValue.parse(type: "funcref", value: "null") == .value(.funcref(nil)))
    #expect(try SpecValue.parse(type: "externref", value: "null") == .value(.externref(nil)))
    #expect(try SpecValue.parse(type: "externref", value: "1") == .value(.externref(1)))
    #expect(try SpecValue.parse(type: "funcref", value: "0") == .nonNullFuncref)
    let host1 = SpecValue.value(.externref(1))
    #expect(host1.matches(.externref(1)))
    #expect(!host1.matches(.externref(2)))
    #expect(!host1.matches(.externref(nil)))
    #expect(SpecValue.value(.externref(nil)).matches(.externref(nil)))
    #expect(!SpecValue.value(.externref(nil)).matches(.funcref(nil)))
    #expect(SpecValue.value(.funcref(nil)).matches(.funcref(nil)))
    let f = Function(type: FunctionType()) { _, _ in [] }
    let g = Function(type: FunctionType()) { _, _ in [] }
    #expect(SpecValue.nonNullFuncref.matches(.funcref(f)))
    #expect(!SpecValue.nonNullFuncref.matches(.funcref(nil)))
    #expect(SpecValue.value(.funcref(f)).matches(.funcref(f)))
    #expect(!SpecValue.value(.funcref(f)).matches(.funcref(g)))
    #expect(!SpecValue.value(.funcref(nil)).matches(.funcref(f)))
}

@Test func valueObjects() throws {
    #expect(try SpecValue.parse(["type": "i32", "value": "7"]) == .value(.i32(7)))
    let v = try SpecValue.parse(["type": "v128", "lane_type": "f32", "value": ["nan:canonical", "0", "1", "2"]])
    #expect(v == .v128(laneType: "f32", lanes: ["nan:canonical", "0", "1", "2"]))
    #expect(!v.matches(.i32(0)))
    // NaN patterns are for expected results only.
    #expect(v.argumentValue == nil)
    // A bare type (result type of assert_trap, or a GC "any non-null" reference) is not a value.
    #expect(try SpecValue.parse(["type": "i32"]) == .unsupported(type: "i32", value: nil))
    #expect(try SpecValue.parse(["type": "anyref", "value": "3"]) == .unsupported(type: "anyref", value: "3"))
    #expect(throws: SpecParseError.self) { try SpecValue.parse(["value": "7"]) }
    #expect(throws: SpecParseError.self) { try SpecValue.parse(["type": "i32", "value": 7]) }
    #expect(throws: SpecParseError.self) { try SpecValue.parse("i32") }
}

@Test func v128Values() throws {
    // Lane 0 is the lowest-addressed bytes; lanes are unsigned decimals (a leading - is two's complement).
    let i16 = SpecValue.v128(laneType: "i16", lanes: ["1", "65535", "0", "0", "0", "0", "0", "-2"])
    let bits = V128(low: 0x0000_0000_FFFF_0001, high: 0xFFFE_0000_0000_0000)
    #expect(i16.argumentValue == .v128(bits))
    #expect(i16.matches(.v128(bits)))
    #expect(!i16.matches(.v128(V128(low: bits.low, high: 0))))
    #expect(!i16.matches(.i64(bits.low)))
    // The same bits read with other lane shapes.
    #expect(SpecValue.v128(laneType: "i64", lanes: ["\(bits.low)", "\(bits.high)"]).matches(.v128(bits)))
    #expect(SpecValue.v128(laneType: "i8", lanes: ["1", "0", "255", "255"] + Array(repeating: "0", count: 10) + ["254", "255"]).matches(.v128(bits)))
    // Wrong lane counts never match.
    #expect(!SpecValue.v128(laneType: "i32", lanes: ["1", "2"]).matches(.v128(bits)))
    #expect(SpecValue.v128(laneType: "i32", lanes: ["1", "2"]).argumentValue == nil)

    // NaN patterns per float lane.
    let canonical = UInt64(0x7FC0_0000)
    let arithmetic = UInt64(0xFFC0_0001)
    let f32 = SpecValue.v128(laneType: "f32", lanes: ["nan:canonical", "nan:arithmetic", "0", "1065353216"])
    #expect(f32.matches(.v128(V128(low: canonical | arithmetic << 32, high: 0x3F80_0000 << 32))))
    #expect(!f32.matches(.v128(V128(low: arithmetic | arithmetic << 32, high: 0x3F80_0000 << 32))))
    #expect(!f32.matches(.v128(V128(low: canonical | 0x3F80_0000 << 32, high: 0x3F80_0000 << 32))))
    let f64 = SpecValue.v128(laneType: "f64", lanes: ["0", "nan:canonical"])
    #expect(f64.matches(.v128(V128(low: 0, high: 0xFFF8_0000_0000_0000))))
    #expect(!f64.matches(.v128(V128(low: 0, high: 0x7FF0_0000_0000_0001))))
    // Integer lanes cannot hold NaN patterns.
    #expect(!SpecValue.v128(laneType: "i32", lanes: ["nan:canonical", "0", "0", "0"]).matches(.v128(V128(low: canonical, high: 0))))
}

// MARK: Command parsing

@Test func scriptParsing() throws {
    let json = #"""
        {"source_filename": "x.wast", "commands": [
          {"type": "module", "line": 1, "filename": "x.0.wasm"},
          {"type": "module", "line": 2, "name": "$M", "filename": "x.1.wasm"},
          {"type": "register", "line": 3, "name": "$M", "as": "M"},
          {"type": "register", "line": 4, "as": "cur"},
          {"type": "action", "line": 5, "action": {"type": "invoke", "field": "f", "args": [{"type": "i32", "value": "1"}]}, "expected": []},
          {"type": "assert_return", "line": 6, "action": {"type": "get", "module": "$M", "field": "g"}, "expected": [{"type": "i64", "value": "18446744073709551615"}]},
          {"type": "assert_return", "line": 7, "action": {"type": "invoke", "field": "h", "args": []}, "either": [{"type": "f32", "value": "nan:arithmetic"}, {"type": "f32", "value": "0"}]},
          {"type": "assert_trap", "line": 8, "action": {"type": "invoke", "field": "t", "args": []}, "text": "unreachable", "expected": [{"type": "i32"}]},
          {"type": "assert_exhaustion", "line": 9, "action": {"type": "invoke", "field": "r", "args": []}, "text": "call stack exhausted", "expected": []},
          {"type": "assert_malformed", "line": 10, "filename": "x.2.wasm", "text": "unexpected end", "module_type": "binary"},
          {"type": "assert_malformed", "line": 11, "filename": "x.3.wat", "text": "unexpected token", "module_type": "text"},
          {"type": "assert_invalid", "line": 12, "filename": "x.4.wasm", "text": "type mismatch", "module_type": "binary"},
          {"type": "assert_unlinkable", "line": 13, "filename": "x.5.wasm", "text": "unknown import", "module_type": "binary"},
          {"type": "assert_uninstantiable", "line": 14, "filename": "x.6.wasm", "text": "out of bounds table access", "module_type": "binary"},
          {"type": "assert_exception", "line": 15, "action": {"type": "invoke", "field": "e", "args": []}},
          {"module_type": "binary", "type": "module", "line": 16, "definition": "true", "name": "$D", "filename": "x.7.wasm"},
          {"type": "instance", "line": 17, "instance": "$I", "definition": "$D"},
          {"type": "module", "line": 18, "filename": "x.8.wat", "module_type": "text", "binary_filename": "x.8.wasm"},
          {"type": "assert_malformed_custom", "line": 19, "filename": "x.9.wat", "text": "bad annotation", "module_type": "text"}
        ]}
        """#
    let script = try SpecScript.parse(json: json)
    #expect(script.sourceFilename == "x.wast")
    let c = script.commands
    try #require(c.count == 19)
    #expect(c.map(\.line) == Array(1...19))
    #expect(c[0].kind == .module(name: nil, filename: "x.0.wasm", definition: false))
    #expect(c[1].kind == .module(name: "$M", filename: "x.1.wasm", definition: false))
    #expect(c[2].kind == .register(name: "$M", as: "M"))
    #expect(c[3].kind == .register(name: nil, as: "cur"))
    #expect(c[4].kind == .action(SpecAction(kind: .invoke, field: "f", arguments: [.value(.i32(1))])))
    #expect(
        c[5].kind
            == .assertReturn(
                SpecAction(kind: .get, module: "$M", field: "g"), alternatives: [[.value(.i64(UInt64.max))]]))
    #expect(
        c[6].kind
            == .assertReturn(
                SpecAction(kind: .invoke, field: "h"), alternatives: [[.f32NaN(.arithmetic)], [.value(.f32(0))]]))
    #expect(c[7].kind == .assertTrap(SpecAction(kind: .invoke, field: "t"), text: "unreachable"))
    #expect(c[8].kind == .assertExhaustion(SpecAction(kind: .invoke, field: "r"), text: "call stack exhausted"))
    #expect(
        c[9].kind == .assertMalformed(SpecModuleFile(filename: "x.2.wasm", moduleType: .binary, text: "unexpected end"))
    )
    #expect(
        c[10].kind == .assertMalformed(SpecModuleFile(filename: "x.3.wat", moduleType: .text, text: "unexpected token"))
    )
    #expect(c[11].kind == .assertInvalid(SpecModuleFile(filename: "x.4.wasm", text: "type mismatch")))
    #expect(c[12].kind == .assertUnlinkable(SpecModuleFile(filename: "x.5.wasm", text: "unknown import")))
    #expect(
        c[13].kind == .assertUninstantiable(SpecModuleFile(filename: "x.6.wasm", text: "out of bounds table access")))
    #expect(c[14].kind == .assertException(SpecAction(kind: .invoke, field: "e")))
    #expect(c[15].kind == .module(name: "$D", filename: "x.7.wasm", definition: true))
    #expect(c[16].kind == .instance(name: "$I", definition: "$D"))
    #expect(c[17].kind == .module(name: nil, filename: "x.8.wasm", definition: false))
    #expect(c[18].kind == .unsupported(type: "assert_malformed_custom"))
    #expect(c[18].type == "assert_malformed_custom")
}

@Test func scriptParseErrors() {
    #expect(throws: SpecParseError.self) { try SpecScript.parse(json: "not json") }
    #expect(throws: SpecParseError.self) { try SpecScript.parse(json: "[]") }
    #expect(throws: SpecParseError.self) { try SpecScript.parse(json: #"{"source_filename": "x.wast"}"#) }
    #expect(throws: SpecParseError.self) {
        try SpecScript.parse(json: #"{"commands": [{"type": "module", "filename": "a.wasm"}]}"#)  // no line
    }
    #expect(throws: SpecParseError.self) {
        try SpecScript.parse(json: #"{"commands": [{"type": "module", "line": 1}]}"#)  // no filename
    }
    #expect(throws: SpecParseError.self) {
        try SpecScript.parse(
            json:
                #"{"commands": [{"type": "assert_return", "line": 1, "action": {"type": "call", "field": "f"}, "expected": []}]}"#
        )
    }
}

/// Every script of the converted suites parses (all command kinds and value forms that occur).
@Test(.enabled(if: CoreSpecScripts.isAvailable, "spec tests not found; skipped"))
func everyCoreScriptParses() throws {
    for path in SpecTestCLI.jsonFiles(in: CoreSpecScripts.coreFolder) {
        let data = try #require(FileManager.default.contents(atPath: path))
        #expect(throws: Never.self, "\(path)") { _ = try SpecScript.parse(data: data) }
    }
}

// MARK: Messages and summaries

@Test func messagePrefixMatching() {
    #expect(SpecTestRunner.messageMatches("uninitialized element", expected: "uninitialized element 2"))
    #expect(SpecTestRunner.messageMatches("uninitialized element 2", expected: "uninitialized element"))
    #expect(SpecTestRunner.messageMatches("unreachable", expected: "unreachable"))
    #expect(SpecTestRunner.messageMatches("anything", expected: ""))
    #expect(!SpecTestRunner.messageMatches("", expected: "unreachable"))
    #expect(!SpecTestRunner.messageMatches("undefined element", expected: "uninitialized element"))
    #expect(!SpecTestRunner.messageMatches("integer overflow", expected: "integer divide by zero"))
}

@Test func summaryLines() {
    #expect(SpecSummary.line(passed: 3, failed: 0, skipped: 0) == "3 passed, 0 failed")
    #expect(SpecSummary.line(passed: 3, failed: 1, skipped: 2) == "3 passed, 1 failed, 2 skipped")
    let file = SpecFileResult(
        fileName: "x.json", sourceFilename: "x.wast",
        results: [
            SpecCommandResult(line: 1, type: "module", outcome: .passed()),
            SpecCommandResult(line: 2, type: "assert_return", outcome: .passed(note: "n")),
            SpecCommandResult(line: 3, type: "assert_trap", outcome: .failed("boom")),
            SpecCommandResult(line: 4, type: "assert_malformed", outcome: .skipped("text")),
        ])
    #expect(file.passed == 2)
    #expect(file.failed == 1)
    #expect(file.skipped == 1)
    #expect(file.summaryLine == "x.json: 2 passed, 1 failed, 1 skipped")
    #expect(file.failureLines == ["x.wast:3: assert_trap: boom"])
    var total = SpecSummary()
    total.add(file)
    total.add(file)
    #expect(total.line == "4 passed, 2 failed, 2 skipped")
    let clean = SpecFileResult(fileName: "y.json", sourceFilename: "y.wast", results: [file.results[0]])
    #expect(clean.summaryLine == "y.json: 1 passed, 0 failed")
}

// MARK: The spectest module

@Test func spectestModule() throws {
    let imports = try SpecTestRunner.spectestImports()
    let expectedFunctions: [String: [ValueType]] = [
        "print": [], "print_i32": [.i32], "print_i64": [.i64], "print_f32": [.f32], "print_f64": [.f64],
        "print_i32_f32": [.i32, .f32], "print_f64_f64": [.f64, .f64],
    ]
    for (name, parameters) in expectedFunctions {
        guard case .function(let f)? = imports.lookup(module: "spectest", name: name) else {
            Issue.record("spectest.\(name) is not a function")
            continue
        }
        #expect(f.type == FunctionType(parameters: parameters, results: []), "spectest.\(name)")
        #expect(f.isHostFunction)
    }
    let expectedGlobals: [String: Value] = [
        "global_i32": .i32(666), "global_i64": .i64(666),
        "global_f32": .float(666.6), "global_f64": .double(666.6),
    ]
    for (name, value) in expectedGlobals {
        guard case .global(let g)? = imports.lookup(module: "spectest", name: name) else {
            Issue.record("spectest.\(name) is not a global")
            continue
        }
        #expect(g.value == value, "spectest.\(name)")
        #expect(g.type == GlobalType(valueType: value.type, isMutable: false), "spectest.\(name)")
    }
    #expect(Float(666.6).bitPattern == 0x4426_a666)
    #expect(Double(666.6).bitPattern == 0x4084_d4cc_cccc_cccd)
    guard case .table(let table)? = imports.lookup(module: "spectest", name: "table") else {
        Issue.record("spectest.table is not a table")
        return
    }
    #expect(table.type == TableType(elementType: .funcref, limits: Limits(min: 10, max: 20)))
    #expect(table.count == 10)
    #expect(try table.element(at: 9) == .funcref(nil))
    guard case .memory(let memory)? = imports.lookup(module: "spectest", name: "memory") else {
        Issue.record("spectest.memory is not a memory")
        return
    }
    #expect(memory.type == MemoryType(limits: Limits(min: 1, max: 2)))
    #expect(memory.pageCount == 1)
    #expect(imports.lookup(module: "spectest", name: "unknown") == nil)
    // Wasm 3.0 (memory64): table64, a funcref table with i64 indices.
    guard case .table(let table64)? = imports.lookup(module: "spectest", name: "table64") else {
        Issue.record("spectest.table64 is not a table")
        return
    }
    #expect(table64.type == TableType(elementType: .funcref, limits: Limits(min: 10, max: 20), is64: true))
    // The threads proposal: shared_memory, a shared memory of 1 to 2 pages.
    guard case .memory(let shared)? = imports.lookup(module: "spectest", name: "shared_memory") else {
        Issue.record("spectest.shared_memory is not a memory")
        return
    }
    #expect(shared.type == MemoryType(limits: Limits(min: 1, max: 2), isShared: true))
    #expect(imports.names(inModule: "spectest").count == 15)
}

// MARK: The runner on small scripts (outcomes that hold whatever the engine's state)

/// A temporary folder with files; removed by `remove()`.
struct TemporaryFolder {
    let path: String
    init(files: [String: [UInt8]]) throws {
        path = (NSTemporaryDirectory() as NSString).appendingPathComponent("spec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for (name, bytes) in files {
            try Data(bytes).write(to: URL(fileURLWithPath: (path as NSString).appendingPathComponent(name)))
        }
    }
    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }
    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// Bytes that are malformed for any decoder: the magic number is wrong.
let malformedBytes: [UInt8] = [0x00, 0x61, 0x73, 0x6e, 0x01, 0x00, 0x00, 0x00]

@Test func runnerOutcomesIndependentOfTheEngine() throws {
    let script = #"""
        {"source_filename": "r.wast", "commands": [
          {"type": "assert_malformed", "line": 1, "filename": "bad.wasm", "text": "magic header not detected", "module_type": "binary"},
          {"type": "assert_malformed", "line": 2, "filename": "r.1.wat", "text": "unexpected token", "module_type": "text"},
          {"type": "assert_invalid", "line": 3, "filename": "bad.wasm", "text": "type mismatch", "module_type": "binary"},
          {"type": "assert_malformed", "line": 4, "filename": "missing.wasm", "text": "unexpected end", "module_type": "binary"},
          {"type": "assert_return", "line": 5, "action": {"type": "invoke", "field": "f", "args": []}, "expected": [{"type": "i32", "value": "1"}]},
          {"type": "register", "line": 6, "name": "$nothing", "as": "x"},
          {"type": "module", "line": 7, "name": "$M", "filename": "bad.wasm"},
          {"type": "assert_trap", "line": 8, "action": {"type": "invoke", "module": "$M", "field": "f", "args": []}, "text": "unreachable", "expected": []},
          {"type": "assert_return", "line": 9, "action": {"type": "invoke", "field": "f", "args": [{"type": "v128", "lane_type": "i32", "value": ["0", "0", "0", "0"]}]}, "expected": [{"type": "v128", "lane_type": "i32", "value": ["0", "0", "0", "0"]}]},
          {"type": "assert_malformed_custom", "line": 10, "filename": "r.2.wat", "text": "x", "module_type": "text"},
          {"type": "assert_exhaustion", "line": 11, "action": {"type": "invoke", "field": "f", "args": []}, "text": "call stack exhausted", "expected": []},
          {"type": "assert_malformed", "line": 12, "filename": "bad.wasm", "text": "magic header not detected", "module_type": "binary"}
        ]}
        """#
    let folder = try TemporaryFolder(files: ["r.json": Array(script.utf8), "bad.wasm": malformedBytes])
    defer { folder.remove() }

    let result = SpecTestRunner(options: .init(skippedLines: [12: "on the skip list"])).run(file: folder.file("r.json"))
    #expect(result.fileName == "r.json")
    #expect(result.sourceFilename == "r.wast")
    #expect(result.results.map(\.line) == Array(1...12))
    let o = result.results.map(\.outcome)
    #expect(o[0].isPassed)
    #expect(o[1] == .skipped("text-format module r.1.wat (no text parser)"))
    #expect(o[2].isFailed)  // a DecodeError is the wrong kind for assert_invalid
    #expect(o[3].isFailed)
    if case .failed(let reason) = o[3] { #expect(reason.contains("cannot read module file")) }
    if case .failed(let reason) = o[4] {
        #expect(reason.contains("no module has been loaded"))
    } else {
        Issue.record("line 5 should fail")
    }
    if case .failed(let reason) = o[5] {
        #expect(reason.contains("no module named $nothing"))
    } else {
        Issue.record("line 6 should fail")
    }
    if case .failed(let reason) = o[6] {
        #expect(reason.contains("malformed (DecodeError)"))
    } else {
        Issue.record("line 7 should fail")
    }
    if case .failed(let reason) = o[7] {
        #expect(reason.contains("the module at line 7 failed to load"))
    } else {
        Issue.record("line 8 should fail")
    }
    if case .failed(let reason) = o[8] { #expect(reason.contains("v128")) } else { Issue.record("line 9 should fail") }
    #expect(o[9].isSkipped)
    #expect(o[10].isFailed)
    #expect(o[11] == .skipped("on the skip list"))
    #expect(result.summaryLine == "r.json: 1 passed, 8 failed, 3 skipped")
    #expect(result.failureLines.first?.hasPrefix("r.wast:3: assert_invalid: ") == true)

    // --loose accepts the DecodeError for assert_invalid, with a note.
    let loose = SpecTestRunner(options: .init(looseErrorKinds: true)).run(file: folder.file("r.json"))
    guard case .passed(let note?) = loose.results[2].outcome else {
        Issue.record("loose assert_invalid should pass with a note: \(loose.results[2])")
        return
    }
    #expect(note.hasPrefix("loose: DecodeError"))
}

@Test func unreadableScriptsGiveOneFailure() throws {
    let folder = try TemporaryFolder(files: ["broken.json": Array("{".utf8)])
    defer { folder.remove() }
    let broken = SpecTestRunner().run(file: folder.file("broken.json"))
    #expect(broken.results.count == 1)
    #expect(broken.failed == 1)
    let missing = SpecTestRunner().run(file: folder.file("nope.json"))
    #expect(missing.summaryLine == "nope.json: 0 passed, 1 failed")
}

// MARK: The command line

@Test func cliOptionParsing() throws {
    let o = try SpecTestCLI.parse(["--verbose", "a.json", "--no-skip-simd", "dir", "--loose"]).get()
    #expect(o.paths == ["a.json", "dir"])
    #expect(o.verbose && o.loose)
    #expect(o.skipSIMD == false)
    #expect(try SpecTestCLI.parse(["-v", "--skip-simd", "x"]).get().skipSIMD == true)
    #expect(try SpecTestCLI.parse(["x"]).get().skipSIMD == nil)
    #expect(try SpecTestCLI.parse(["--", "--weird.json"]).get().paths == ["--weird.json"])
    #expect(throws: SpecParseError.self) { try SpecTestCLI.parse(["--bogus", "x"]).get() }
    #expect(throws: SpecParseError.self) { try SpecTestCLI.parse([]).get() }
    #expect(try SpecTestCLI.parse(["--help"]).get().help)
}

@Test func cliRunsFoldersAndPrintsSummaries() throws {
    let passing = #"""
        {"source_filename": "a.wast", "commands": [
          {"type": "assert_malformed", "line": 1, "filename": "bad.wasm", "text": "magic header not detected", "module_type": "binary"},
          {"type": "assert_malformed", "line": 2, "filename": "a.1.wat", "text": "unexpected token", "module_type": "text"}
        ]}
        """#
    let failing = #"""
        {"source_filename": "b.wast", "commands": [
          {"type": "assert_malformed", "line": 1, "filename": "bad.wasm", "text": "magic header not detected", "module_type": "binary"},
          {"type": "action", "line": 7, "action": {"type": "invoke", "field": "f", "args": []}, "expected": []}
        ]}
        """#
    let simd = #"""
        {"source_filename": "simd_c.wast", "commands": [
          {"type": "module", "line": 1, "filename": "bad.wasm"},
          {"type": "module", "line": 2, "filename": "bad.wasm"},
          {"type": "module", "line": 3, "filename": "bad.wasm"}
        ]}
        """#
    let folder = try TemporaryFolder(files: [
        "b.json": Array(failing.utf8), "a.json": Array(passing.utf8), "simd_c.json": Array(simd.utf8),
        "bad.wasm": malformedBytes, "notes.txt": [],
    ])
    defer { folder.remove() }

    func run(_ arguments: [String]) -> (Int32, [String], [String]) {
        var out: [String] = []
        var err: [String] = []
        let code = SpecTestCLI.run(arguments: arguments, output: { out.append($0) }, errorOutput: { err.append($0) })
        return (code, out, err)
    }

    // SIMD scripts in a folder run like any other.
    var (code, out, err) = run([folder.path])
    #expect(code == 1)
    #expect(
        out == [
            "a.json: 1 passed, 0 failed, 1 skipped", "b.json: 1 passed, 1 failed",
            "simd_c.json: 0 passed, 3 failed", "2 passed, 4 failed, 1 skipped",
        ])
    #expect(err.isEmpty)

    // --skip-simd counts them as skipped and says so.
    (code, out, err) = run(["--skip-simd", folder.path])
    #expect(code == 1)
    #expect(out.last == "2 passed, 1 failed, 4 skipped")
    #expect(err.count == 1 && err[0].contains("simd_"))

    (code, out, _) = run(["--verbose", "--skip-simd", folder.path])
    #expect(out.contains { $0.hasPrefix("  b.wast:7: action: ") })
    #expect(out.contains("  skipped: " + SpecTestCLI.simdSkipReason))
    #expect(out.last == "2 passed, 1 failed, 4 skipped")

    (code, out, _) = run([folder.file("a.json")])
    #expect(code == 0)
    #expect(out == ["a.json: 1 passed, 0 failed, 1 skipped", "1 passed, 0 failed, 1 skipped"])

    // A SIMD script named explicitly runs too, unless --skip-simd.
    (code, out, _) = run([folder.file("simd_c.json")])
    #expect(code == 1)
    #expect(out.last == "0 passed, 3 failed")
    (code, out, _) = run(["--skip-simd", folder.file("simd_c.json")])
    #expect(code == 0)
    #expect(out.last == "0 passed, 0 failed, 3 skipped")
    (_, out, _) = run(["--no-skip-simd", folder.path])
    #expect(out.last == "2 passed, 4 failed, 1 skipped")

    (code, out, err) = run([folder.file("nope.json")])
    #expect(code == 1)
    #expect(out == ["0 passed, 0 failed"])
    #expect(err.contains { $0.contains("no such file or folder") })

    // A usage error: exit status 2, as for every command.
    (code, _, err) = run(["--frobnicate"])
    #expect(code == 2)
    #expect(err.first?.hasPrefix("error: unknown option '--frobnicate'") == true)
}

@Test func textModulesAreSkippedAndLeaveNoCurrentModule() throws {
    let script = #"""
        {"source_filename": "t.wast", "commands": [
          {"type": "module", "line": 1, "filename": "t.0.wat", "module_type": "text"},
          {"type": "assert_return", "line": 2, "action": {"type": "invoke", "field": "f", "args": []}, "expected": []},
          {"type": "assert_trap", "line": 3, "filename": "t.1.wat", "text": "unreachable", "module_type": "text"}
        ]}
        """#
    let parsed = try SpecScript.parse(json: script)
    #expect(
        parsed.commands[2].kind
            == .assertUninstantiable(SpecModuleFile(filename: "t.1.wat", moduleType: .text, text: "unreachable")))
    let result = SpecTestRunner().run(script: parsed, fileName: "t.json", directory: "/nonexistent")
    #expect(result.results[0].outcome == .skipped("text-format module t.0.wat (no text parser)"))
    guard case .failed(let reason) = result.results[1].outcome else {
        Issue.record("line 2 should fail")
        return
    }
    #expect(reason.contains("the module at line 1 was skipped"))
    #expect(result.results[2].outcome.isSkipped)
}

@Test func noteLines() {
    let file = SpecFileResult(
        fileName: "n.json", sourceFilename: "n.wast",
        results: [
            SpecCommandResult(
                line: 4, type: "assert_invalid", outcome: .passed(note: "message \"a\" differs from expected \"b\"")),
            SpecCommandResult(line: 5, type: "assert_invalid", outcome: .passed()),
        ])
    #expect(file.noteLines == [#"n.wast:4: assert_invalid: note: message "a" differs from expected "b""#])
    #expect(file.passed == 2)
}

/// names.wast exports "\u{FEFF}"; wast2json writes it as raw UTF-8, which Foundation would drop.
@Test func rawByteOrderMarksSurviveParsing() throws {
    let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
    let json: [UInt8] =
        bom + Array(#"{"commands": [{"type": "action", "line": 1, "action": {"type": "invoke", "field": ""#.utf8) + bom
        + Array(#"x", "args": []}}]}"#.utf8)
    let script = try SpecScript.parse(data: Data(json))
    #expect(script.commands[0].kind == .action(SpecAction(kind: .invoke, field: "\u{FEFF}x")))
    #expect(Array("\u{FEFF}x".utf8) == bom + [0x78])
    #expect(SpecScript.escapingByteOrderMarks(Data(bom)) == Data())
    #expect(SpecScript.escapingByteOrderMarks(Data([0x7b, 0xEF])) == Data([0x7b, 0xEF]))
}
