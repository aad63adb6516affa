import Foundation
import TestSupport
import Testing
import WasmComponents
import WasmWASI
import WasmWASIP2

@testable import SpinHost

/// What the outbound Redis/PostgreSQL component tests share: the exact WIT types of every
/// imported function (from `Fixtures/components/outbound-db/outbound-db.wasm`, a component built
/// from the Spin SDK's WIT), a checker that a `ComponentValue` has a given type, and a context
/// whose `ComponentHostState` has real app services for a component with a given allow-list.
enum OutboundDb {
    static let fixture = packageRoot + "/Fixtures/components/outbound-db/outbound-db.wasm"

    /// The fixture component, decoded once.
    static let component: Result<WasmComponents.Component, Error> = Result {
        try WasmComponents.Component(bytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: fixture))))
    }

    /// The type of function `name` of imported interface `interface`.
    static func functionType(_ interface: String, _ name: String) throws -> ComponentFunctionType {
        let c = try component.get()
        guard case .instance(let t)? = c.imports[interface], let instance = c.types.instance(t) else {
            throw SetupFailure("the fixture does not import \(interface)")
        }
        guard case .function(let f)? = instance.exports[name], let type = c.types.function(f) else {
            throw SetupFailure("the fixture's \(interface) has no function \(name)")
        }
        return type
    }

    /// The functions each imported interface of the fixture declares.
    static func importedFunctions() throws -> [String: Set<String>] {
        let c = try component.get()
        var out: [String: Set<String>] = [:]
        for (name, entity) in c.imports {
            guard case .instance(let t) = entity, let instance = c.types.instance(t) else { continue }
            var names: Set<String> = []
            for (member, e) in instance.exports { if case .function = e { names.insert(member) } }
            out[name] = names
        }
        return out
    }

    struct SetupFailure: Error, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
    }

    /// Why `value` is not a value of `type` (nil when it is): the check the canonical ABI's
    /// lowering makes, done before any guest sees the value.
    static func mismatch(_ value: ComponentValue, _ type: ComponentValueType, at path: String = "value") -> String? {
        let types = (try? component.get())!.types
        func primitive(_ p: PrimitiveValueType, _ v: ComponentValue) -> Bool {
            switch (p, v) {
            case (.bool, .bool), (.s8, .s8), (.u8, .u8), (.s16, .s16), (.u16, .u16), (.s32, .s32), (.u32, .u32),
                (.s64, .s64), (.u64, .u64), (.f32, .f32), (.f64, .f64), (.char, .char), (.string, .string):
                return true
            default: return false
            }
        }
        let defined: ComponentDefinedType
        switch type {
        case .primitive(let p): return primitive(p, value) ? nil : "\(path): \(value) is not a \(p)"
        case .defined(let id):
            guard let d = types.defined(id) else {
                // A resource type (only reached through own/borrow).
                return "\(path): \(value) where a resource type is"
            }
            defined = d
        }
        switch (defined, value) {
        case (.primitive(let p), _): return primitive(p, value) ? nil : "\(path): \(value) is not a \(p)"
        case (.record(let fields), .record(let items)):
            guard fields.count == items.count else { return "\(path): \(items.count) fields, the record has \(fields.count)" }
            for (f, item) in zip(fields, items) {
                if let m = mismatch(item, f.type!, at: "\(path).\(f.label)") { return m }
            }
            return nil
        case (.tuple(let fields), .tuple(let items)):
            guard fields.count == items.count else { return "\(path): \(items.count) items, the tuple has \(fields.count)" }
            for (n, (f, item)) in zip(fields, items).enumerated() {
                if let m = mismatch(item, f, at: "\(path).\(n)") { return m }
            }
            return nil
        case (.variant(let cases), .variant(let index, let payload)):
            guard index >= 0, index < cases.count else { return "\(path): case \(index) of \(cases.count)" }
            switch (cases[index].type, payload) {
            case (nil, nil): return nil
            case (let t?, let p?): return mismatch(p, t, at: "\(path).\(cases[index].label)")
            default: return "\(path): case \(cases[index].label) payload \(String(describing: payload))"
            }
        case (.enum(let names), .enumeration(let index)):
            return index >= 0 && index < names.count ? nil : "\(path): enum case \(index) of \(names.count)"
        case (.list(let e), .list(let items)):
            for (n, item) in items.enumerated() {
                if let m = mismatch(item, e, at: "\(path)[\(n)]") { return m }
            }
            return nil
        case (.list(let e), .bytes):
            return e == .primitive(.u8) ? nil : "\(path): bytes for a list of \(e)"
        case (.option, .option(nil)): return nil
        case (.option(let t), .option(let v?)): return mismatch(v, t, at: "\(path)?")
        case (.result(let ok, _), .ok(let v)):
            switch (ok, v) {
            case (nil, nil): return nil
            case (let t?, let v?): return mismatch(v, t, at: "\(path).ok")
            default: return "\(path): ok payload \(String(describing: v))"
            }
        case (.result(_, let error), .err(let v)):
            switch (error, v) {
            case (nil, nil): return nil
            case (let t?, let v?): return mismatch(v, t, at: "\(path).err")
            default: return "\(path): err payload \(String(describing: v))"
            }
        case (.own, .own), (.borrow, .borrow): return nil
        default: return "\(path): \(value) is not a \(defined.kindName)"
        }
    }

    /// A WASI 0.2 context whose `ComponentHostState` has app services for a v2 component
    /// allowed to reach `allowed` (nil: no app services at all).
    static func context(allowing allowed: [String]?) throws -> WASIP2Context {
        let context = WASIP2Context(wasi: try WASI(configuration: WASIConfiguration()))
        let http = WASIHTTPState(
            allowedHosts: AllowedOutboundHosts([]), settings: OutboundHTTPSettings(), origin: nil, deadline: nil)
        guard let allowed else {
            context.embedder = ComponentHostState(http: http, guest: nil)
            return context
        }
        let list = allowed.map { "\"\($0)\"" }.joined(separator: ", ")
        let app = try HostIf.app(
            """
            spin_manifest_version = 2
            [application]
            name = "db"
            [[trigger.http]]
            route = "/..."
            component = "guest"
            [component.guest]
            source = "guest.wasm"
            allowed_outbound_hosts = [\(list)]
            """)
        let guest = GuestContext(component: app.components[0], services: try HostIf.services(app))
        context.embedder = ComponentHostState(http: http, guest: guest)
        return context
    }

    /// Calls `name` of `interface` as the linker would, after checking the arguments against
    /// the WIT parameter types, and checks the result against the WIT result type.
    @discardableResult
    static func call(
        _ context: WASIP2Context, _ interface: String, _ name: String, _ arguments: [ComponentValue],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> ComponentValue {
        let type = try functionType(interface, name)
        guard type.parameters.count == arguments.count else {
            throw SetupFailure("\(name): \(arguments.count) arguments for \(type.parameters.count) parameters")
        }
        for (p, a) in zip(type.parameters, arguments) {
            if let m = mismatch(a, p.type, at: "\(name) argument \(p.label)") { throw SetupFailure(m) }
        }
        guard let f = SpinComponentInterfaces.allDefinitions.function(interface, name) else {
            throw SetupFailure("the host does not define \(interface)#\(name)")
        }
        let result = try f(context, arguments)
        guard let resultType = type.result, let result else {
            throw SetupFailure("\(name): result \(String(describing: result)) for type \(String(describing: type.result))")
        }
        if let m = mismatch(result, resultType, at: "\(name) result") {
            Issue.record("\(m)", sourceLocation: sourceLocation)
        }
        return result
    }

    /// The rep of `ok(own)`.
    static func opened(_ v: ComponentValue) throws -> UInt32 {
        guard case .ok(.own(let rep)?) = v else { throw SetupFailure("open failed: \(v)") }
        return rep
    }
}
