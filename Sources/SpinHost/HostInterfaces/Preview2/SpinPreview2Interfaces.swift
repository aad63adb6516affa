import RedisClient
import WasmComponents
import WasmCore

/// The host side of Spin 1.4–1.5's `wit/preview2` imports for wit-bindgen 0.8 core modules
/// (docs/spin-1x.md#preview2-modules): import module `fermyon:spin/<interface>`, field the WIT
/// function name, arguments and results moved by the canonical ABI (`CoreCanonicalABI`, with the
/// module's `cabi_realloc`).
///
/// The semantics are the old-ABI interfaces' (`SpinInterfaces`, `OutboundPg`, `OutboundRedis`):
/// the same variables resolver, key-value stores, allow-list, HTTP client and connection caches;
/// only the values' encoding differs. `mysql`, `sqlite` and `llm` answer their error case saying
/// the interface is not supported by this host. A guest that breaks the ABI (a pointer out of
/// bounds, invalid UTF-8) traps.
enum SpinPreview2Interfaces {
    typealias Body = (GuestContext, [ComponentValue]) throws -> ComponentValue?

    /// Defines every `fermyon:spin/*` import (config, key-value, http, redis, postgres, mysql,
    /// sqlite, llm) into `imports`; `resolve` finds the calling instance's context.
    static func define(into imports: inout Imports, _ resolve: @escaping SpinInterfaces.ContextResolver) {
        defineConfig(into: &imports, resolve)
        defineKeyValue(into: &imports, resolve)
        defineHTTP(into: &imports, resolve)
        defineRedis(into: &imports)
        defineDatabases(into: &imports, resolve)
        defineUnsupported(into: &imports, resolve)
    }

    static func fn(
        _ imports: inout Imports, _ interface: String, _ name: String, _ type: CanonicalFunctionType,
        _ resolve: @escaping SpinInterfaces.ContextResolver, _ body: @escaping Body
    ) {
        imports.define(
            module: SpinPreview2ABI.package + interface, name: name,
            .function(
                CoreCanonicalABI.hostFunction(type, abi: SpinPreview2ABI.binding) { caller, arguments in
                    try body(try resolve(caller), arguments)
                }))
    }

    // MARK: Values

    static func string(_ v: ComponentValue) throws -> String {
        guard case .string(let s) = v else { throw GuestABIError("expected a string, got \(v)") }
        return s
    }

    static func bytes(_ v: ComponentValue) throws -> [UInt8] {
        switch v {
        case .bytes(let b): return b
        case .list(let items):
            return try items.map { item -> UInt8 in
                guard case .u8(let b) = item else { throw GuestABIError("expected a list<u8>, got \(v)") }
                return b
            }
        default: throw GuestABIError("expected a list<u8>, got \(v)")
        }
    }

    static func u32(_ v: ComponentValue) throws -> UInt32 {
        guard case .u32(let x) = v else { throw GuestABIError("expected a u32, got \(v)") }
        return x
    }

    static func strings(_ v: ComponentValue) throws -> [String] {
        guard case .list(let items) = v else { throw GuestABIError("expected a list<string>, got \(v)") }
        return try items.map(string)
    }

    /// `list<tuple<string, string>>` (headers, params).
    static func pairs(_ v: ComponentValue) throws -> [(name: String, value: String)] {
        guard case .list(let items) = v else { throw GuestABIError("expected headers, got \(v)") }
        return try items.map { item in
            guard case .tuple(let t) = item, t.count == 2 else {
                throw GuestABIError("expected a header tuple, got \(item)")
            }
            return (try string(t[0]), try string(t[1]))
        }
    }

    static func pairs(_ headers: [(name: String, value: String)]) -> ComponentValue {
        .list(headers.map { .tuple([.string($0.name), .string($0.value)]) })
    }

    static func error(_ index: UInt8, _ message: String?) -> ComponentValue {
        .err(.variant(case: Int(index), payload: message.map { .string($0) }))
    }

    // MARK: config

    static func defineConfig(into imports: inout Imports, _ resolve: @escaping SpinInterfaces.ContextResolver) {
        fn(&imports, "config", "get-config", SpinPreview2Types.getConfig, resolve) { context, a in
            switch SpinInterfaces.getConfig(context: context, key: try string(a[0])) {
            case .success(let value): return .ok(.string(value))
            case .failure(let e): return error(e.tag, e.message)
            }
        }
    }

    // MARK: key-value

    static func keyValue(_ result: Result<ComponentValue?, SpinInterfaces.KVError>) -> ComponentValue {
        switch result {
        case .success(let v): return .ok(v)
        case .failure(.io(let m)): return error(SpinInterfaces.KVError.io(m).tag, m)
        case .failure(let e): return error(e.tag, nil)
        }
    }

    static func defineKeyValue(into imports: inout Imports, _ resolve: @escaping SpinInterfaces.ContextResolver) {
        let m = "key-value"
        fn(&imports, m, "open", SpinPreview2Types.keyValueOpen, resolve) { context, a in
            keyValue(SpinInterfaces.kvOpen(context: context, name: try string(a[0])).map { .u32($0) })
        }
        fn(&imports, m, "get", SpinPreview2Types.keyValueGet, resolve) { context, a in
            let key = try string(a[1])
            return keyValue(
                SpinInterfaces.kvRun(context: context, handle: try u32(a[0])) { s throws(KeyValueError) in
                    .bytes(try s.get(key))
                })
        }
        fn(&imports, m, "set", SpinPreview2Types.keyValueSet, resolve) { context, a in
            let key = try string(a[1])
            let value = try bytes(a[2])
            return keyValue(
                SpinInterfaces.kvRun(context: context, handle: try u32(a[0])) { s throws(KeyValueError) in
                    try s.set(key, value)
                    return nil
                })
        }
        fn(&imports, m, "delete", SpinPreview2Types.keyValueDelete, resolve) { context, a in
            let key = try string(a[1])
            return keyValue(
                SpinInterfaces.kvRun(context: context, handle: try u32(a[0])) { s throws(KeyValueError) in
                    try s.delete(key)
                    return nil
                })
        }
        fn(&imports, m, "exists", SpinPreview2Types.keyValueExists, resolve) { context, a in
            let key = try string(a[1])
            return keyValue(
                SpinInterfaces.kvRun(context: context, handle: try u32(a[0])) { s throws(KeyValueError) in
                    .bool(try s.exists(key))
                })
        }
        fn(&imports, m, "get-keys", SpinPreview2Types.keyValueGetKeys, resolve) { context, a in
            keyValue(
                SpinInterfaces.kvRun(context: context, handle: try u32(a[0])) { s throws(KeyValueError) in
                    .list(try s.keys().map { .string($0) })
                })
        }
        fn(&imports, m, "close", SpinPreview2Types.keyValueClose, resolve) { context, a in
            SpinInterfaces.kvClose(context: context, handle: try u32(a[0]))
            return nil
        }
    }

    // MARK: http (outbound)

    static func defineHTTP(into imports: inout Imports, _ resolve: @escaping SpinInterfaces.ContextResolver) {
        fn(&imports, "http", "send-request", SpinPreview2Types.sendRequest, resolve) { context, a in
            guard case .record(let r) = a[0], r.count == 5, case .enumeration(let method) = r[0],
                case .option(let body) = r[4]
            else { throw GuestABIError("send-request: malformed request \(a[0])") }
            if case .list(let params) = r[3], !params.isEmpty {
                context.services.log.write("[\(context.component.id)] outbound HTTP: request params are ignored")
            }
            let result = SpinInterfaces.performOutboundHTTP(
                context: context, method: UInt32(method), uri: try string(r[1]), headers: try pairs(r[2]),
                body: try body.map(bytes))
            switch result {
            case .success(let response):
                return .ok(
                    .record([.u16(response.status), .option(pairs(response.headers)), .option(.bytes(response.body))]))
            case .failure(let e):
                context.services.log.write("[\(context.component.id)] outbound HTTP: \(e)")
                return .err(.enumeration(Int(e.code)))
            }
        }
    }

    // MARK: redis (outbound)

    /// The calling instance's Redis connections (`GuestState.redisConnections`).
    static func redisConnections(_ caller: Caller) throws -> RedisConnectionCache {
        guard let state = caller.store.data as? GuestState else {
            throw GuestABIError("fermyon:spin/redis called from an instance without guest state")
        }
        return state.redisConnections
    }

    static func defineRedis(into imports: inout Imports) {
        func redis(
            _ name: String, _ type: CanonicalFunctionType,
            _ body: @escaping (RedisConnectionCache, String, [ComponentValue]) throws -> ComponentValue
        ) {
            imports.define(
                module: SpinPreview2ABI.package + "redis", name: name,
                .function(
                    CoreCanonicalABI.hostFunction(type, abi: SpinPreview2ABI.binding) { caller, a in
                        try body(try redisConnections(caller), try string(a[0]), a)
                    }))
        }
        /// `ok(value)`, or `err(error::error)` (1) for a failure (nil).
        func result(_ value: ComponentValue?) -> ComponentValue {
            value.map { .ok($0) } ?? .err(.enumeration(Int(OutboundRedis.errorCode)))
        }
        /// `ok` without a payload when the command succeeded.
        func unit(_ outcome: Result<RESPValue, RedisError>) -> ComponentValue {
            if case .success = outcome { return .ok(nil) }
            return .err(.enumeration(Int(OutboundRedis.errorCode)))
        }
        func integer(_ v: Int64?) -> ComponentValue { result(v.map { .s64($0) }) }
        redis("publish", SpinPreview2Types.redisPublish) { cache, address, a in
            let channel = Array(try string(a[1]).utf8)
            return unit(
                OutboundRedis.run(cache, address, "publish", [Array("PUBLISH".utf8), channel, try bytes(a[2])]))
        }
        redis("set", SpinPreview2Types.redisSet) { cache, address, a in
            let key = Array(try string(a[1]).utf8)
            return unit(OutboundRedis.run(cache, address, "set", [Array("SET".utf8), key, try bytes(a[2])]))
        }
        redis("get", SpinPreview2Types.redisGet) { cache, address, a in
            result(OutboundRedis.get(cache, address, try string(a[1])).map { .bytes($0) })
        }
        redis("incr", SpinPreview2Types.redisIncr) { cache, address, a in
            integer(OutboundRedis.integer(cache, address, "incr", [Array("INCR".utf8), Array(try string(a[1]).utf8)]))
        }
        redis("del", SpinPreview2Types.redisDel) { cache, address, a in
            let keys = try strings(a[1]).map { Array($0.utf8) }
            return integer(OutboundRedis.integer(cache, address, "del", [Array("DEL".utf8)] + keys))
        }
        for (name, command) in [("sadd", "SADD"), ("srem", "SREM")] {
            redis(name, SpinPreview2Types.redisSetMembers) { cache, address, a in
                let values = try strings(a[2]).map { Array($0.utf8) }
                return integer(
                    OutboundRedis.integer(
                        cache, address, name, [Array(command.utf8), Array(try string(a[1]).utf8)] + values))
            }
        }
        redis("smembers", SpinPreview2Types.redisSmembers) { cache, address, a in
            result(OutboundRedis.smembers(cache, address, try string(a[1])).map { .list($0.map { .string($0) }) })
        }
        redis("execute", SpinPreview2Types.redisExecute) { cache, address, a in
            guard case .list(let parameters) = a[2] else { throw GuestABIError("execute: malformed arguments \(a[2])") }
            var arguments: [[UInt8]] = [Array(try string(a[1]).utf8)]
            for p in parameters {
                switch p {
                case .variant(0, .s64(let v)?): arguments.append(Array(String(v).utf8))
                case .variant(1, let b?): arguments.append(try bytes(b))
                default: throw GuestABIError("execute: malformed redis-parameter \(p)")
                }
            }
            let results = OutboundRedis.execute(cache, address, arguments)
            return result(
                results.map { list in
                    .list(
                        list.map { r -> ComponentValue in
                            switch r {
                            case .nil: .variant(case: 0, payload: nil)
                            case .status(let s): .variant(case: 1, payload: .string(s))
                            case .int64(let v): .variant(case: 2, payload: .s64(v))
                            case .binary(let b): .variant(case: 3, payload: .bytes(b))
                            }
                        })
                })
        }
    }

    // MARK: postgres (and mysql's shapes)

    /// A `parameter-value` as the database code's `DbValue`.
    static func dbValue(_ v: ComponentValue) throws -> DbValue {
        guard case .variant(let index, let payload) = v else { throw GuestABIError("malformed parameter-value \(v)") }
        switch (index, payload) {
        case (0, .bool(let b)?): return .boolean(b)
        case (1, .s8(let x)?): return .int8(x)
        case (2, .s16(let x)?): return .int16(x)
        case (3, .s32(let x)?): return .int32(x)
        case (4, .s64(let x)?): return .int64(x)
        case (5, .u8(let x)?): return .uint8(x)
        case (6, .u16(let x)?): return .uint16(x)
        case (7, .u32(let x)?): return .uint32(x)
        case (8, .u64(let x)?): return .uint64(x)
        case (9, .f32(let x)?): return .floating32(x)
        case (10, .f64(let x)?): return .floating64(x)
        case (11, .string(let s)?): return .str(s)
        case (12, let b?): return .binary(try bytes(b))
        case (13, nil): return .dbNull
        default: throw GuestABIError("malformed parameter-value \(v)")
        }
    }

    /// A result `DbValue` as a `db-value`.
    static func dbValue(_ v: DbValue) -> ComponentValue {
        let payload: ComponentValue?
        switch v {
        case .boolean(let b): payload = .bool(b)
        case .int8(let x): payload = .s8(x)
        case .int16(let x): payload = .s16(x)
        case .int32(let x): payload = .s32(x)
        case .int64(let x): payload = .s64(x)
        case .uint8(let x): payload = .u8(x)
        case .uint16(let x): payload = .u16(x)
        case .uint32(let x): payload = .u32(x)
        case .uint64(let x): payload = .u64(x)
        case .floating32(let x): payload = .f32(x)
        case .floating64(let x): payload = .f64(x)
        case .str(let s): payload = .string(s)
        case .binary(let b): payload = .bytes(b)
        case .dbNull, .unsupported: payload = nil
        }
        return .variant(case: Int(v.tag), payload: payload)
    }

    static func rowSet(_ set: RowSet) -> ComponentValue {
        .record([
            .list(set.columns.map { .record([.string($0.name), .enumeration(Int($0.dataType.rawValue))]) }),
            .list(set.rows.map { .list($0.map(dbValue)) }),
        ])
    }

    static func databaseArguments(_ a: [ComponentValue]) throws -> (String, String, [DbValue]) {
        guard case .list(let parameters) = a[2] else { throw GuestABIError("malformed parameters \(a[2])") }
        return (try string(a[0]), try string(a[1]), try parameters.map(dbValue))
    }

    static func defineDatabases(into imports: inout Imports, _ resolve: @escaping SpinInterfaces.ContextResolver) {
        fn(&imports, "postgres", "query", SpinPreview2Types.databaseQuery, resolve) { context, a in
            let (address, statement, parameters) = try databaseArguments(a)
            switch OutboundPg.query(context: context, address: address, statement: statement, parameters: parameters) {
            case .success(let rows): return .ok(rowSet(rows))
            case .failure(let e): return error(e.tag, e.message)
            }
        }
        fn(&imports, "postgres", "execute", SpinPreview2Types.postgresExecute, resolve) { context, a in
            let (address, statement, parameters) = try databaseArguments(a)
            switch OutboundPg.execute(context: context, address: address, statement: statement, parameters: parameters)
            {
            case .success(let n): return .ok(.u64(n))
            case .failure(let e): return error(e.tag, e.message)
            }
        }
    }

    // MARK: not supported: mysql, sqlite, llm

    static func defineUnsupported(into imports: inout Imports, _ resolve: @escaping SpinInterfaces.ContextResolver) {
        /// Answers `err(case(message))` (or nothing, for a function without a result) and logs it.
        func stub(
            _ interface: String, _ name: String, _ type: CanonicalFunctionType, case index: UInt8, _ message: String
        ) {
            let answer = type.hasResult ? error(index, message) : nil
            fn(&imports, interface, name, type, resolve) { context, _ in
                context.services.log.write("[\(context.component.id)] fermyon:spin/\(interface).\(name): \(message)")
                return answer
            }
        }
        // mysql-error: other-error(string) = 5.
        let mysql = OutboundPg.mysqlNotSupported
        stub("mysql", "query", SpinPreview2Types.databaseQuery, case: DatabaseError.otherError("").tag, mysql)
        stub("mysql", "execute", SpinPreview2Types.mysqlExecute, case: DatabaseError.otherError("").tag, mysql)
        // sqlite error: io(string) = 4.
        let sqlite = SpinInterfaces.notSupported("sqlite")
        stub("sqlite", "open", SpinPreview2Types.sqliteOpen, case: 4, sqlite)
        stub("sqlite", "execute", SpinPreview2Types.sqliteExecute, case: 4, sqlite)
        stub("sqlite", "close", SpinPreview2Types.sqliteClose, case: 4, sqlite)
        // llm error: runtime-error(string) = 1.
        let llm = SpinInterfaces.notSupported("llm")
        stub("llm", "infer", SpinPreview2Types.llmInfer, case: 1, llm)
        stub("llm", "generate-embeddings", SpinPreview2Types.llmGenerateEmbeddings, case: 1, llm)
    }
}
