import Foundation
import WasmComponents

/// A JSON value of a script, kept as written (component values nest lists, records, ...).
public indirect enum SpecJSON: Sendable, Hashable, CustomStringConvertible {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([SpecJSON])
    case object([String: SpecJSON])

    public init(_ any: Any) {
        switch any {
        case let s as String: self = .string(s)
        case let b as Bool where !(any is Int || any is Double): self = .bool(b)
        case let n as NSNumber:
            self = String(cString: n.objCType) == "c" ? .bool(n.boolValue) : .number(n.doubleValue)
        case let a as [Any]: self = .array(a.map(SpecJSON.init))
        case let o as [String: Any]: self = .object(o.mapValues(SpecJSON.init))
        default: self = .null
        }
    }

    public var description: String {
        switch self {
        case .null: "null"
        case .bool(let b): "\(b)"
        case .number(let n): "\(n)"
        case .string(let s): "\"\(s)\""
        case .array(let a): "[" + a.map(\.description).joined(separator: ", ") + "]"
        case .object(let o): "{" + o.keys.sorted().map { "\($0): \(o[$0]!)" }.joined(separator: ", ") + "}"
        }
    }
}

/// Converts script values to `ComponentValue`s of a function's types, and compares results.
struct ComponentSpecValues {
    let types: ComponentTypes

    func value(_ v: SpecValue, _ type: ComponentValueType) throws -> ComponentValue {
        switch v {
        case .value(.f32(let bits)): return .f32(Float(bitPattern: bits))
        case .value(.f64(let bits)): return .f64(Double(bitPattern: bits))
        case .f32NaN: return .f32(.nan)
        case .f64NaN: return .f64(.nan)
        case .component(let name, let json): return try value(name, json, type)
        default: throw RunnerError("value \(v) is not a component value")
        }
    }

    private func element(_ json: SpecJSON, _ type: ComponentValueType) throws -> ComponentValue {
        guard case .object(let o) = json, case .string(let name)? = o["type"] else {
            throw RunnerError("component value \(json) has no type")
        }
        if name == "f32" || name == "f64", case .string(let text)? = o["value"] {
            return try value(try SpecValue.parse(type: name, value: text), type)
        }
        return try value(name, o["value"] ?? .null, type)
    }

    private func defined(_ type: ComponentValueType) -> ComponentDefinedType? {
        if case .defined(let id) = type { return types.defined(id) }
        return nil
    }

    private func integer<T: FixedWidthInteger>(_ json: SpecJSON, _: T.Type) throws -> T {
        if case .string(let s) = json, let v = T(s) { return v }
        if case .number(let n) = json, let v = T(exactly: n) { return v }
        throw RunnerError("bad \(T.self) \(json)")
    }

    private func value(_ name: String, _ json: SpecJSON, _ type: ComponentValueType) throws -> ComponentValue {
        var type = type
        if case .defined(let id) = type, case .primitive(let p)? = types.defined(id) { type = .primitive(p) }
        switch name {
        case "bool":
            if case .bool(let b) = json { return .bool(b) }
            if case .number(let n) = json { return .bool(n != 0) }
            return .bool(try integer(json, Int.self) != 0)
        case "s8": return .s8(try integer(json, Int8.self))
        case "u8": return .u8(try integer(json, UInt8.self))
        case "s16": return .s16(try integer(json, Int16.self))
        case "u16": return .u16(try integer(json, UInt16.self))
        case "s32": return .s32(try integer(json, Int32.self))
        case "u32": return .u32(try integer(json, UInt32.self))
        case "s64": return .s64(try integer(json, Int64.self))
        case "u64": return .u64(try integer(json, UInt64.self))
        case "char":
            guard case .string(let s) = json, let c = s.unicodeScalars.first, s.unicodeScalars.count == 1 else {
                throw RunnerError("bad char \(json)")
            }
            return .char(c)
        case "string":
            guard case .string(let s) = json else { throw RunnerError("bad string \(json)") }
            return .string(s)
        case "list":
            if case .array(let items) = json, case .map(let k, let v)? = defined(type) {
                return .list(
                    try items.map { item in
                        guard case .object(let o) = item, case .array(let pair)? = o["value"], pair.count == 2 else {
                            throw RunnerError("map entry \(item) is not a pair")
                        }
                        return .tuple([try element(pair[0], k), try element(pair[1], v)])
                    })
            }
            guard case .array(let items) = json, case .list(let e)? = defined(type) else {
                throw RunnerError("list \(json) for a non-list type")
            }
            let values = try items.map { try element($0, e) }
            if e == .primitive(.u8) { return .bytes(values.map { if case .u8(let b) = $0 { b } else { 0 } }) }
            return .list(values)
        case "tuple":
            guard case .array(let items) = json, case .tuple(let ts)? = defined(type), ts.count == items.count else {
                throw RunnerError("tuple \(json) does not match its type")
            }
            return .tuple(try zip(items, ts).map { try element($0, $1) })
        case "record":
            guard case .array(let items) = json, case .record(let fields)? = defined(type), fields.count == items.count
            else { throw RunnerError("record \(json) does not match its type") }
            return .record(
                try zip(items, fields).map { item, field in
                    guard case .array(let pair) = item, pair.count == 2 else { throw RunnerError("bad record field \(item)") }
                    return try element(pair[1], field.type!)
                })
        case "variant":
            guard case .object(let o) = json, case .string(let label)? = o["case"], case .variant(let cases)? = defined(type),
                let index = cases.firstIndex(where: { $0.label == label })
            else { throw RunnerError("variant \(json) does not match its type") }
            let payload = try o["payload"].flatMap { p -> ComponentValue? in
                if case .null = p { return nil }
                return try element(p, cases[index].type!)
            }
            return .variant(case: index, payload: payload)
        case "enum":
            guard case .string(let label) = json, case .enum(let names)? = defined(type),
                let index = names.firstIndex(of: label)
            else { throw RunnerError("enum \(json) does not match its type") }
            return .enumeration(index)
        case "option":
            guard case .option(let t)? = defined(type) else { throw RunnerError("option \(json) for a non-option type") }
            if case .null = json { return .option(nil) }
            return .option(try element(json, t))
        case "result":
            guard case .object(let o) = json, case .result(let ok, let error)? = defined(type) else {
                throw RunnerError("result \(json) does not match its type")
            }
            if let p = o["Ok"] ?? o["ok"] {
                if case .null = p { return .ok(nil) }
                return .ok(try ok.map { try element(p, $0) })
            }
            let p = o["Err"] ?? o["err"] ?? .null
            if case .null = p { return .err(nil) }
            return .err(try error.map { try element(p, $0) })
        case "flags":
            guard case .array(let items) = json, case .flags(let names)? = defined(type) else {
                throw RunnerError("flags \(json) does not match its type")
            }
            var set: Set<Int> = []
            for item in items {
                guard case .string(let n) = item, let i = names.firstIndex(of: n) else { throw RunnerError("unknown flag \(item)") }
                set.insert(i)
            }
            return .flags(set)
        default:
            throw RunnerError("component values of type \(name) are not supported")
        }
    }

    /// Equality with floats compared bit for bit (canonical NaNs are equal).
    static func same(_ a: ComponentValue, _ b: ComponentValue) -> Bool {
        switch (a, b) {
        case (.f32(let x), .f32(let y)): return x.bitPattern == y.bitPattern || (x.isNaN && y.isNaN)
        case (.f64(let x), .f64(let y)): return x.bitPattern == y.bitPattern || (x.isNaN && y.isNaN)
        case (.list(let x), .list(let y)), (.record(let x), .record(let y)), (.tuple(let x), .tuple(let y)):
            return x.count == y.count && zip(x, y).allSatisfy(same)
        case (.bytes(let x), .list(let y)), (.list(let y), .bytes(let x)):
            return x.count == y.count && zip(x, y).allSatisfy { $1 == .u8($0) }
        case (.variant(let i, let p), .variant(let j, let q)): return i == j && same(p, q)
        case (.option(let p), .option(let q)), (.ok(let p), .ok(let q)), (.err(let p), .err(let q)): return same(p, q)
        default: return a == b
        }
    }

    static func same(_ a: ComponentValue?, _ b: ComponentValue?) -> Bool {
        switch (a, b) {
        case (nil, nil): true
        case (let x?, let y?): same(x, y)
        default: false
        }
    }
}
