@testable import WasmCore

/// One row of the generated fusion tests (`Generated/FusionCases.swift`, written by
/// `Scripts/fusion_cases.py` from the opcode tables): a small function whose optimised
/// translation must contain `ops[0]` (a pattern), or must contain none of `ops` (a near-miss);
/// or a function that `return_call`s itself whose optimised code must contain none of `ops` (the
/// argument moves all sunk into producers) or one of them (a move kept).
struct FusionCase: Sendable, CustomStringConvertible {
    enum Kind: String, Sendable { case pattern, nearMiss, sunk, kept }

    /// What a parameter holds: a plain value, or an i32 used as a memory address (its edge
    /// values land in bounds, at the last bytes, past the end and wrapping around).
    enum Parameter: String, Sendable {
        case i32, i64, f32, f64, addr

        var valueType: ValueType {
            switch self {
            case .i32, .addr: .i32
            case .i64: .i64
            case .f32: .f32
            case .f64: .f64
            }
        }
    }

    let name: String
    let kind: Kind
    let ops: [String]
    let parameters: [Parameter]
    let results: [ValueType]
    let locals: [ValueType]
    /// The instructions, final `end` included.
    let body: [UInt8]

    init(
        _ name: String, _ kind: Kind, _ ops: [String], parameters: [Parameter], results: [ValueType],
        locals: [ValueType], body: [UInt8]
    ) {
        self.name = name
        self.kind = kind
        self.ops = ops
        self.parameters = parameters
        self.results = results
        self.locals = locals
        self.body = body
    }

    /// Cases from the generated table: one a line, `kind|ops|parameters|results|locals|body hex|name`.
    static func parse(_ table: String) -> [FusionCase] {
        func types(_ field: Substring) -> [ValueType] {
            field.split(separator: ",").map { Parameter(rawValue: String($0))!.valueType }
        }
        return table.split(separator: "\n").map { line in
            let f = line.split(separator: "|", maxSplits: 6, omittingEmptySubsequences: false)
            precondition(f.count == 7, "bad fusion case line: \(line)")
            let hex = Array(f[5].utf8)
            let body = stride(from: 0, to: hex.count, by: 2).map { UInt8(String(decoding: hex[$0..<$0 + 2], as: UTF8.self), radix: 16)! }
            return FusionCase(
                String(f[6]), Kind(rawValue: String(f[0]))!, f[1].split(separator: ",").map(String.init),
                parameters: f[2].split(separator: ",").map { Parameter(rawValue: String($0))! },
                results: types(f[3]), locals: types(f[4]), body: body)
        }
    }

    var description: String {
        switch kind {
        case .pattern: "pattern \(ops[0]): \(name)"
        case .nearMiss: "near-miss \(ops[0]): \(name)"
        case .sunk, .kept: "self tail call, moves \(kind): \(name)"
        }
    }
}
