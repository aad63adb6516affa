import Foundation
import WasmCore

/// The Spin 1.x old-ABI host interfaces (docs/spin-1x.md#host-interfaces) for one instance.
///
/// `define` adds every Spin 1.x import (docs/spin-1x.md#host-interfaces) except `outbound-redis::*` (see
/// `OutboundRedis.define`): `wasi-outbound-http`, `spin-config`, `key-value` and
/// `outbound-pg` (see `OutboundPg`) and `sqlite` (see `SQLiteLegacy`) are implemented;
/// `outbound-mysql` and `llm` are defined with their exact signatures and answer every call with
/// their error variant saying the interface is not supported (yet).
public enum SpinInterfaces {
    package static func define(into imports: inout Imports, context: GuestContext) {
        define(into: &imports) { _ in context }
    }

    /// Finds the `GuestContext` of the instance making a call.
    package typealias ContextResolver = @Sendable (Caller) throws -> GuestContext

    /// Defines the imports with host functions that look their instance's
    /// context up on every call (for hosts that link once and instantiate many times).
    package static func define(into imports: inout Imports, resolve: @escaping ContextResolver) {
        defineOutboundHTTP(into: &imports, resolve)
        defineConfig(into: &imports, resolve)
        defineKeyValue(into: &imports, resolve)
        OutboundPg.define(into: &imports, resolve)
        SQLiteLegacy.define(into: &imports, resolve)
        defineUnsupported(into: &imports, resolve)
        // The same features for Spin 1.4–1.5 SDK modules (`fermyon:spin/*`, canonical ABI).
        SpinPreview2Interfaces.define(into: &imports, resolve)
    }

    /// The hook for `GuestHost(interfaces:)`: host functions are made once per
    /// component; each instance gets its own `GuestContext` (its own key-value
    /// handle table) over the shared `services`, kept in the instance's
    /// `GuestState` (`caller.store.data`).
    public static func guestHostInterfaces(services: AppServices) -> @Sendable (LoadedComponent, inout Imports) -> Void
    {
        { component, imports in
            let c = component.component
            define(into: &imports) { caller in
                guard let state = caller.store.data as? GuestState else {
                    throw GuestABIError("Spin host interface called from an instance without guest state")
                }
                return state.state(GuestContext.self) {
                    let context = GuestContext(component: c, services: services)
                    state.onClose.append { context.close() }
                    context.deadline = state.deadline
                    return context
                }
            }
        }
    }

    // MARK: helpers

    static func i32s(_ n: Int) -> [ValueType] { Array(repeating: .i32, count: n) }

    static func fn(
        _ imports: inout Imports, _ module: String, _ name: String, params: [ValueType],
        _ resolve: @escaping ContextResolver,
        _ body: @escaping (CanonicalABI, [UInt32], GuestContext) throws -> Void
    ) {
        let type = FunctionType(parameters: params, results: [])
        imports.define(
            module: module, name: name,
            .function(
                Function(type: type) { caller, args in
                    let context = try resolve(caller)
                    let abi = try CanonicalABI(caller: caller)
                    let ints: [UInt32] = args.map { if case .i32(let v) = $0 { v } else { 0 } }
                    try body(abi, ints, context)
                    return []
                }))
    }

    /// `expected<_, E>` err case where E is a variant at `at`: tag, then an optional string at `at + 4`.
    static func writeError(_ abi: CanonicalABI, ret: UInt32, payloadAt at: UInt32, tag: UInt8, message: String?) throws
    {
        try abi.storeU8(1, at: ret)
        try abi.storeU8(tag, at: ret + at)
        if let message {
            let (p, n) = try abi.write(message)
            try abi.storeU32(p, at: ret + at + 4)
            try abi.storeU32(n, at: ret + at + 8)
        }
    }

    static func notSupported(_ interface: String) -> String {
        "\(interface) is not supported by this host"
    }

    // MARK: wasi-outbound-http

    static let methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]

    static func defineOutboundHTTP(into imports: inout Imports, _ resolve: @escaping ContextResolver) {
        fn(&imports, "wasi-outbound-http", "request", params: i32s(11), resolve) { abi, a, context in
            let ret = a[10]
            let result: Result<OutboundHTTPResponse, OutboundHTTPError>
            do {
                let uri = try abi.readString(a[1], a[2])
                var headers: [(name: String, value: String)] = []
                for i in 0..<a[4] {
                    let e = a[3] + 16 * i
                    let np: UInt32 = try abi.memory.load(at: Int(e)), nl: UInt32 = try abi.memory.load(at: Int(e + 4))
                    let vp: UInt32 = try abi.memory.load(at: Int(e + 8)),
                        vl: UInt32 = try abi.memory.load(at: Int(e + 12))
                    headers.append((try abi.readString(np, nl), try abi.readString(vp, vl)))
                }
                if a[6] > 0 {
                    context.services.log.write("[\(context.component.id)] outbound HTTP: request params are ignored")
                }
                let body: [UInt8]? = a[7] != 0 ? try abi.read(a[8], a[9]) : nil
                result = performOutboundHTTP(context: context, method: a[0], uri: uri, headers: headers, body: body)
            } catch let t as Trap {
                throw t
            } catch {
                result = .failure(.requestError("\(error)"))
            }
            switch result {
            case .success(let r):
                try abi.storeU8(0, at: ret)
                try abi.memory.store(r.status, at: Int(ret + 4))
                try abi.storeU8(1, at: ret + 8)
                let arr = try abi.allocate(count: 16 * r.headers.count, align: 4)
                for (i, h) in r.headers.enumerated() {
                    let (np, nl) = try abi.write(h.name)
                    let (vp, vl) = try abi.write(h.value)
                    let e = arr + UInt32(16 * i)
                    try abi.storeU32(np, at: e); try abi.storeU32(nl, at: e + 4)
                    try abi.storeU32(vp, at: e + 8); try abi.storeU32(vl, at: e + 12)
                }
                try abi.storeU32(arr, at: ret + 12)
                try abi.storeU32(UInt32(r.headers.count), at: ret + 16)
                try abi.storeU8(1, at: ret + 20)
                let (bp, bl) = try abi.write(r.body)
                try abi.storeU32(bp, at: ret + 24)
                try abi.storeU32(bl, at: ret + 28)
            case .failure(let e):
                context.services.log.write("[\(context.component.id)] outbound HTTP: \(e)")
                try abi.storeU8(1, at: ret)
                try abi.storeU8(e.code, at: ret + 4)
            }
        }
    }

    /// The host side of `wasi-outbound-http::request` without the ABI: allow-list, then send.
    package static func performOutboundHTTP(
        context: GuestContext, method: UInt32, uri: String,
        headers: [(name: String, value: String)], body: [UInt8]?
    ) -> Result<OutboundHTTPResponse, OutboundHTTPError> {
        guard Int(method) < methods.count else { return .failure(.requestError("invalid method \(method)")) }
        let url: String
        switch context.allowedHosts.resolve(uri: uri, origin: context.incomingOrigin) {
        case .success(let u): url = u
        case .failure(let e): return .failure(e)
        }
        let allowed = context.allowedHosts
        let req = OutboundHTTPRequest(method: methods[Int(method)], url: url, headers: headers, body: body)
        var settings = context.services.outboundHTTP
        if let deadline = context.deadline {
            // The request's own deadline bounds the wait (GuestLimits.timeout).
            let now = Watchdog.now()
            guard now < deadline else { return .failure(.requestError("the request's deadline has passed")) }
            let left = Double(deadline - now) / 1e9
            settings.timeoutSeconds = min(settings.timeoutSeconds, left)
            settings.totalTimeoutSeconds = min(settings.totalTimeoutSeconds, left)
        }
        do {
            return .success(try HTTPClient.send(req, settings: settings, isAllowed: { allowed.allows($0) }))
        } catch {
            return .failure(error)
        }
    }

    // MARK: spin-config

    package enum ConfigError: Error, Equatable, Sendable {
        case provider(String), invalidKey(String), invalidSchema(String), other(String)
        var tag: UInt8 {
            switch self {
            case .provider: 0;
            case .invalidKey: 1;
            case .invalidSchema: 2;
            case .other: 3
            }
        }
        var message: String {
            switch self {
            case .provider(let m), .invalidKey(let m), .invalidSchema(let m), .other(let m): m
            }
        }
    }

    /// `spin-config::get-config` semantics (docs/spin-1x.md#spin-config).
    package static func getConfig(context: GuestContext, key: String) -> Result<String, ConfigError> {
        if let problem = Compat.configKeyProblem(key) {
            return .failure(.invalidKey("invalid key \"\(key)\": \(problem)"))
        }
        guard let template = context.component.variables[key] else {
            return .failure(.other("unknown config path \"\(context.component.id).\(key)\""))
        }
        do {
            return .success(try context.services.variables.expand(template))
        } catch {
            return .failure(.provider(error.message))
        }
    }

    static func defineConfig(into imports: inout Imports, _ resolve: @escaping ContextResolver) {
        fn(&imports, "spin-config", "get-config", params: i32s(3), resolve) { abi, a, context in
            let ret = a[2]
            let key = try abi.readString(a[0], a[1])
            switch getConfig(context: context, key: key) {
            case .success(let v):
                try abi.storeU8(0, at: ret)
                let (p, n) = try abi.write(v)
                try abi.storeU32(p, at: ret + 4)
                try abi.storeU32(n, at: ret + 8)
            case .failure(let e):
                try writeError(abi, ret: ret, payloadAt: 4, tag: e.tag, message: e.message)
            }
        }
    }

    // MARK: key-value

    package enum KVError: Error, Equatable, Sendable {
        case storeTableFull, noSuchStore, accessDenied, invalidStore, noSuchKey, io(String)
        var tag: UInt8 {
            switch self {
            case .storeTableFull: 0
            case .noSuchStore: 1
            case .accessDenied: 2
            case .invalidStore: 3
            case .noSuchKey: 4
            case .io: 5
            }
        }
        init(_ e: KeyValueError) {
            switch e {
            case .noSuchKey: self = .noSuchKey
            case .io(let m): self = .io(m)
            }
        }
    }

    static func kvWriteError(_ abi: CanonicalABI, ret: UInt32, _ e: KVError) throws {
        if case .io(let m) = e {
            try writeError(abi, ret: ret, payloadAt: 4, tag: e.tag, message: m)
        } else {
            try writeError(abi, ret: ret, payloadAt: 4, tag: e.tag, message: nil)
        }
    }

    /// `key-value::open` semantics.
    package static func kvOpen(context: GuestContext, name: String) -> Result<UInt32, KVError> {
        guard context.component.keyValueStores.contains(name) else { return .failure(.accessDenied) }
        guard context.services.keyValueStores[name] != nil else { return .failure(.noSuchStore) }
        guard let h = context.keyValueHandles.push(name) else { return .failure(.storeTableFull) }
        return .success(h)
    }

    static func kvStore(_ context: GuestContext, _ handle: UInt32) -> Result<any KeyValueStore, KVError> {
        guard let label = context.keyValueHandles.get(handle), let s = context.services.keyValueStores[label] else {
            return .failure(.invalidStore)
        }
        return .success(s)
    }

    /// Runs a store operation with the handle's store.
    package static func kvRun<T>(
        context: GuestContext, handle: UInt32, _ op: (any KeyValueStore) throws(KeyValueError) -> T
    ) -> Result<T, KVError> {
        switch kvStore(context, handle) {
        case .failure(let e): return .failure(e)
        case .success(let s):
            do { return .success(try op(s)) } catch { return .failure(KVError(error)) }
        }
    }

    package static func kvClose(context: GuestContext, handle: UInt32) {
        context.keyValueHandles.remove(handle)
    }

    static func defineKeyValue(into imports: inout Imports, _ resolve: @escaping ContextResolver) {
        let m = "key-value"
        fn(&imports, m, "open", params: i32s(3), resolve) { abi, a, context in
            let name = try abi.readString(a[0], a[1])
            switch kvOpen(context: context, name: name) {
            case .success(let h):
                try abi.storeU8(0, at: a[2])
                try abi.storeU32(h, at: a[2] + 4)
            case .failure(let e): try kvWriteError(abi, ret: a[2], e)
            }
        }
        fn(&imports, m, "get", params: i32s(4), resolve) { abi, a, context in
            let key = try abi.readString(a[1], a[2])
            switch kvRun(context: context, handle: a[0], { s throws(KeyValueError) in try s.get(key) }) {
            case .success(let v):
                try abi.storeU8(0, at: a[3])
                let (p, n) = try abi.write(v)
                try abi.storeU32(p, at: a[3] + 4)
                try abi.storeU32(n, at: a[3] + 8)
            case .failure(let e): try kvWriteError(abi, ret: a[3], e)
            }
        }
        fn(&imports, m, "set", params: i32s(6), resolve) { abi, a, context in
            let key = try abi.readString(a[1], a[2])
            let value = try abi.read(a[3], a[4])
            switch kvRun(context: context, handle: a[0], { s throws(KeyValueError) in try s.set(key, value) }) {
            case .success: try abi.storeU8(0, at: a[5])
            case .failure(let e): try kvWriteError(abi, ret: a[5], e)
            }
        }
        fn(&imports, m, "delete", params: i32s(4), resolve) { abi, a, context in
            let key = try abi.readString(a[1], a[2])
            switch kvRun(context: context, handle: a[0], { s throws(KeyValueError) in try s.delete(key) }) {
            case .success: try abi.storeU8(0, at: a[3])
            case .failure(let e): try kvWriteError(abi, ret: a[3], e)
            }
        }
        fn(&imports, m, "exists", params: i32s(4), resolve) { abi, a, context in
            let key = try abi.readString(a[1], a[2])
            switch kvRun(context: context, handle: a[0], { s throws(KeyValueError) in try s.exists(key) }) {
            case .success(let b):
                try abi.storeU8(0, at: a[3])
                try abi.storeU8(b ? 1 : 0, at: a[3] + 4)
            case .failure(let e): try kvWriteError(abi, ret: a[3], e)
            }
        }
        fn(&imports, m, "get-keys", params: i32s(2), resolve) { abi, a, context in
            switch kvRun(context: context, handle: a[0], { s throws(KeyValueError) in try s.keys() }) {
            case .success(let keys):
                try abi.storeU8(0, at: a[1])
                let (p, n) = try abi.write(strings: keys)
                try abi.storeU32(p, at: a[1] + 4)
                try abi.storeU32(n, at: a[1] + 8)
            case .failure(let e): try kvWriteError(abi, ret: a[1], e)
            }
        }
        fn(&imports, m, "close", params: i32s(1), resolve) { _, a, context in
            kvClose(context: context, handle: a[0])
        }
    }

    // MARK: not supported: outbound-mysql, llm

    static func defineUnsupported(into imports: inout Imports, _ resolve: @escaping ContextResolver) {
        func stub(
            _ module: String, _ name: String, params: [ValueType], retIndex: Int?, payloadAt: UInt32, tag: UInt8,
            message: String? = nil
        ) {
            let msg = message ?? notSupported(module)
            let type = FunctionType(parameters: params, results: [])
            imports.define(
                module: module, name: name,
                .function(
                    Function(type: type) { caller, args in
                        let context = try resolve(caller)
                        context.services.log.write("[\(context.component.id)] \(module)::\(name): \(msg)")
                        guard let retIndex, case .i32(let ret) = args[retIndex] else { return [] }
                        let abi = try CanonicalABI(caller: caller)
                        try writeError(abi, ret: ret, payloadAt: payloadAt, tag: tag, message: msg)
                        return []
                    }))
        }
        // mysql-error: other-error(string) = 5.
        let mysql = OutboundPg.mysqlNotSupported
        stub("outbound-mysql", "query", params: i32s(7), retIndex: 6, payloadAt: 4, tag: 5, message: mysql)
        stub("outbound-mysql", "execute", params: i32s(7), retIndex: 6, payloadAt: 4, tag: 5, message: mysql)
        // llm error: runtime-error(string) = 1.
        let inferParams: [ValueType] = [.i32, .i32, .i32, .i32, .i32, .i32, .f32, .i32, .f32, .i32, .f32, .i32]
        stub("llm", "infer", params: inferParams, retIndex: 11, payloadAt: 4, tag: 1)
        stub("llm", "generate-embeddings", params: i32s(5), retIndex: 4, payloadAt: 4, tag: 1)
    }
}
