import Foundation
import TestSupport
import WasmComponents
import WasmWASI
import WasmWASIP2

@testable import SpinHost

/// The exact WIT shapes of what Spin SDK components import, read from
/// `Fixtures/components/spin-imports/spin-imports.wasm` (built from spin-sdk 3.4.1's
/// `fermyon:spin/spin-imports@2.0.0` world), and a checker that a component value has a shape.
/// Every host call in the Spin component-interface tests goes through `SpinInterfaceHost.call`,
/// which checks the arguments against the parameter types and the result against the result type.
enum SpinImportShapes {
    static let fixture = TestSupport.packageRoot + "/Fixtures/components/spin-imports/spin-imports.wasm"

    /// The decoded fixture.
    static let component: WasmComponents.Component = {
        try! WasmComponents.Component(bytes: [UInt8](Data(contentsOf: URL(fileURLWithPath: fixture))))
    }()

    /// Every imported function: `interface#name` to its type.
    static let functions: [String: ComponentFunctionType] = {
        var out: [String: ComponentFunctionType] = [:]
        let types = component.types
        for (name, entity) in component.imports {
            guard case .instance(let t) = entity, let instance = types.instance(t) else { continue }
            for (member, e) in instance.exports {
                if case .function(let ft) = e, let f = types.function(ft) { out["\(name)#\(member)"] = f }
            }
        }
        return out
    }()

    /// Why `value` does not have type `type` (nil when it does).
    static func problem(_ value: ComponentValue, _ type: ComponentValueType, at path: String = "value") -> String? {
        let types = component.types
        func fail(_ expected: String) -> String { "\(path): expected \(expected), got \(value)" }
        func primitive(_ p: PrimitiveValueType) -> String? {
            switch (p, value) {
            case (.bool, .bool), (.s8, .s8), (.u8, .u8), (.s16, .s16), (.u16, .u16), (.s32, .s32), (.u32, .u32),
                (.s64, .s64), (.u64, .u64), (.f32, .f32), (.f64, .f64), (.char, .char), (.string, .string):
                return nil
            default: return fail("\(p)")
            }
        }
        func isU8(_ t: ComponentValueType) -> Bool {
            switch t {
            case .primitive(.u8): true
            case .defined(let id): types.defined(id) == .primitive(.u8)
            default: false
            }
        }
        switch type {
        case .primitive(let p): return primitive(p)
        case .defined(let id):
            guard let d = types.defined(id) else { return "\(path): \(type) is not a value type" }
            switch d {
            case .primitive(let p): return primitive(p)
            case .record(let fields):
                guard case .record(let vs) = value, vs.count == fields.count else { return fail("record of \(fields.count)") }
                for (f, v) in zip(fields, vs) {
                    guard let ft = f.type else { return "\(path).\(f.label): no type" }
                    if let p = problem(v, ft, at: "\(path).\(f.label)") { return p }
                }
                return nil
            case .variant(let cases):
                guard case .variant(let c, let payload) = value, c >= 0, c < cases.count else {
                    return fail("variant of \(cases.map(\.label))")
                }
                switch (cases[c].type, payload) {
                case (nil, nil): return nil
                case (let t?, let p?): return problem(p, t, at: "\(path).\(cases[c].label)")
                default: return fail("case \(cases[c].label) \(cases[c].type == nil ? "without" : "with") a payload")
                }
            case .list(let element):
                if isU8(element), case .bytes = value { return nil }
                guard case .list(let vs) = value else { return fail("list") }
                for (n, v) in vs.enumerated() {
                    if let p = problem(v, element, at: "\(path)[\(n)]") { return p }
                }
                return nil
            case .tuple(let ts):
                guard case .tuple(let vs) = value, vs.count == ts.count else { return fail("tuple of \(ts.count)") }
                for (n, (v, t)) in zip(vs, ts).enumerated() {
                    if let p = problem(v, t, at: "\(path).\(n)") { return p }
                }
                return nil
            case .enum(let names):
                guard case .enumeration(let i) = value, i >= 0, i < names.count else { return fail("enum \(names)") }
                return nil
            case .flags(let names):
                guard case .flags(let s) = value, s.allSatisfy({ $0 >= 0 && $0 < names.count }) else {
                    return fail("flags \(names)")
                }
                return nil
            case .option(let t):
                guard case .option(let v) = value else { return fail("option") }
                return v.flatMap { problem($0, t, at: "\(path)?") }
            case .result(let ok, let error):
                switch value {
                case .ok(let v):
                    switch (ok, v) {
                    case (nil, nil): return nil
                    case (let t?, let v?): return problem(v, t, at: "\(path).ok")
                    default: return fail("ok \(ok == nil ? "without" : "with") a payload")
                    }
                case .err(let v):
                    switch (error, v) {
                    case (nil, nil): return nil
                    case (let t?, let v?): return problem(v, t, at: "\(path).err")
                    default: return fail("err \(error == nil ? "without" : "with") a payload")
                    }
                default: return fail("result")
                }
            case .own:
                guard case .own = value else { return fail("own") }
                return nil
            case .borrow:
                guard case .borrow = value else { return fail("borrow") }
                return nil
            default:
                return "\(path): \(d.kindName) is not checked here"
            }
        }
    }
}

/// A component instance's host side as `ComponentHTTPExecutor` makes it: a `WASIP2Context` whose
/// embedder is a `ComponentHostState` with the Spin `GuestContext` (or none).
struct SpinInterfaceHost {
    let context: WASIP2Context
    let guest: GuestContext?

    init(guest: GuestContext?) throws {
        context = WASIP2Context(wasi: try WASI(configuration: WASIConfiguration()))
        self.guest = guest
        let http = WASIHTTPState(
            allowedHosts: AllowedOutboundHosts([]), settings: OutboundHTTPSettings(), origin: nil, deadline: nil)
        context.embedder = ComponentHostState(http: http, guest: guest)
    }

    struct ShapeError: Error, CustomStringConvertible {
        var description: String
    }

    /// Calls `interface#name` as the linker would, after checking the arguments against the
    /// imported function's parameter types; checks the result against its result type.
    @discardableResult
    func call(_ interface: String, _ name: String, _ arguments: [ComponentValue] = []) throws -> ComponentValue? {
        let key = "\(interface)#\(name)"
        guard let type = SpinImportShapes.functions[key] else { throw ShapeError(description: "\(key): not imported by the SDK") }
        guard let f = SpinComponentInterfaces.allDefinitions.function(interface, name) else {
            throw ShapeError(description: "\(key): not defined by the host")
        }
        guard arguments.count == type.parameters.count else {
            throw ShapeError(description: "\(key): \(arguments.count) arguments for \(type.parameters.count) parameters")
        }
        for (a, p) in zip(arguments, type.parameters) {
            if let problem = SpinImportShapes.problem(a, p.type, at: "\(key) argument \(p.label)") {
                throw ShapeError(description: problem)
            }
        }
        let result = try f(context, arguments)
        switch (type.result, result) {
        case (nil, nil): break
        case (let t?, let r?):
            if let problem = SpinImportShapes.problem(r, t, at: "\(key) result") { throw ShapeError(description: problem) }
        default:
            throw ShapeError(description: "\(key): result \(String(describing: result)) for type \(String(describing: type.result))")
        }
        return result
    }

    /// The rep of an `ok(own)` result.
    func owned(_ v: ComponentValue?) throws -> UInt32 {
        guard case .ok(.own(let rep)?)? = v else { throw ShapeError(description: "expected ok(own), got \(String(describing: v))") }
        return rep
    }

    /// Drops an owning handle as the canonical ABI does when the guest drops it.
    func drop(_ rep: UInt32) throws { try context.dropResource(rep) }
}
