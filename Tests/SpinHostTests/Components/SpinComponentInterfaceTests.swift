import Foundation
import TestSupport
import Testing
import WasmComponents
import WasmWASIP2

@testable import SpinHost

/// Spin's interfaces for components — variables, wasi:config, key-value, wasi:keyvalue, and the
/// ones without a back-end — called as the linker calls them, on an instance's host state with
/// real `AppServices` (a manifest's variables, in-memory and file key-value stores). Every call
/// checks its arguments and result against the SDK's imported types (`SpinInterfaceHost.call`).
struct SpinComponentInterfaceTests {
    static let variables = SpinVariablesInterface.interface
    static let config = WASIConfigStoreInterface.interface
    static let kv = SpinKeyValueInterface.interface
    static let store = WASIKeyValueInterface.store
    static let atomics = WASIKeyValueInterface.atomics
    static let batch = WASIKeyValueInterface.batch

    static let manifest = """
        spin_manifest_version = 2
        [application]
        name = "t"
        [variables]
        greeting = { default = "hello" }
        secret_token = { required = true }
        [[trigger.http]]
        route = "/..."
        component = "guest"
        [component.guest]
        source = "guest.wasm"
        key_value_stores = ["default", "unconfigured"]
        ai_models = ["llama2-chat"]
        [component.guest.variables]
        message = "{{ greeting }}, world"
        token = "{{ secret_token }}"
        plain = "literal"
        """

    let lines = LogLines()

    /// A host for component `guest` of `manifest`: `default` is `store` (the app has no store
    /// for `unconfigured`); `secret_token` comes from the environment when `token` is given.
    func host(store: any KeyValueStore = InMemoryKeyValueStore(), token: String? = "s3cret") throws -> SpinInterfaceHost {
        let app = try HostIf.app(Self.manifest)
        let env = token.map { ["SPIN_VARIABLE_SECRET_TOKEN": $0] } ?? [:]
        let services = AppServices(
            app: app, variables: try VariableResolver(app: app, environment: env), keyValueStores: ["default": store],
            log: LogSink { [lines] in lines.append($0) })
        return try SpinInterfaceHost(guest: GuestContext(component: app.components[0], services: services))
    }

    static func s(_ text: String) -> ComponentValue { .string(text) }
    static func b(_ text: String) -> ComponentValue { .bytes(Array(text.utf8)) }

    // MARK: variables

    @Test func variablesResolveTemplatesOverProviders() throws {
        let h = try host()
        #expect(try h.call(Self.variables, "get", [Self.s("message")]) == .ok(Self.s("hello, world")))
        #expect(try h.call(Self.variables, "get", [Self.s("token")]) == .ok(Self.s("s3cret")))
        #expect(try h.call(Self.variables, "get", [Self.s("plain")]) == .ok(Self.s("literal")))
    }

    @Test func variableErrorsAreSpinsCases() throws {
        let h = try host()
        // undefined(1): the component has no such variable.
        #expect(
            try h.call(Self.variables, "get", [Self.s("missing")])
                == .err(.variant(case: 1, payload: Self.s("no variable for \"guest\".\"missing\""))))
        // invalid-name(0): Spin's key rule.
        for bad in ["", "Upper", "1abc", "a__b", "x-y", "trailing_"] {
            guard case .err(.variant(case: 0, payload: .string(let m)?))? = try h.call(Self.variables, "get", [Self.s(bad)]) else {
                Issue.record("`\(bad)` should be invalid-name"); continue
            }
            #expect(m.hasPrefix("\"\(bad)\": "), "\(m)")
        }
        // provider(2): a required app variable nothing resolves.
        let unresolved = try host(token: nil)
        guard case .err(.variant(case: 2, payload: .string(let m)?))? = try unresolved.call(Self.variables, "get", [Self.s("token")]) else {
            Issue.record("expected provider error"); return
        }
        #expect(m.contains("secret_token"))
    }

    @Test func withoutAppServicesVariablesAnswerOther() throws {
        let h = try SpinInterfaceHost(guest: nil)
        guard case .err(.variant(case: 3, payload: .string(let m)?))? = try h.call(Self.variables, "get", [Self.s("message")]) else {
            Issue.record("expected other"); return
        }
        #expect(m.contains("without Spin app services"))
        // wasi:config maps it to io(1).
        guard case .err(.variant(case: 1, payload: .string))? = try h.call(Self.config, "get", [Self.s("message")]) else {
            Issue.record("expected io"); return
        }
        guard case .err(.variant(case: 1, payload: .string))? = try h.call(Self.config, "get-all") else {
            Issue.record("expected io"); return
        }
    }

    // MARK: wasi:config/store

    @Test func wasiConfigGetAndGetAll() throws {
        let h = try host()
        #expect(try h.call(Self.config, "get", [Self.s("message")]) == .ok(.option(Self.s("hello, world"))))
        // Undefined is `ok(none)`, an invalid name `io`, a provider failure `upstream`.
        #expect(try h.call(Self.config, "get", [Self.s("missing")]) == .ok(.option(nil)))
        guard case .err(.variant(case: 1, payload: .string(let m)?))? = try h.call(Self.config, "get", [Self.s("Bad")]) else {
            Issue.record("expected io"); return
        }
        #expect(m.hasPrefix("\"Bad\": "))
        #expect(
            try h.call(Self.config, "get-all")
                == .ok(
                    .list([
                        .tuple([Self.s("message"), Self.s("hello, world")]), .tuple([Self.s("plain"), Self.s("literal")]),
                        .tuple([Self.s("token"), Self.s("s3cret")]),
                    ])))
        let unresolved = try host(token: nil)
        guard case .err(.variant(case: 0, payload: .string(let up)?))? = try unresolved.call(Self.config, "get-all") else {
            Issue.record("expected upstream"); return
        }
        #expect(up.contains("secret_token"))
        #expect(try unresolved.call(Self.config, "get", [Self.s("plain")]) == .ok(.option(Self.s("literal"))))
    }

    // MARK: fermyon:spin/key-value

    @Test func keyValueStoreRoundTrip() throws {
        let backend = InMemoryKeyValueStore()
        let h = try host(store: backend)
        let s = try h.owned(try h.call(Self.kv, "[static]store.open", [Self.s("default")]))
        #expect(try h.call(Self.kv, "[method]store.get", [.borrow(s), Self.s("k")]) == .ok(.option(nil)))
        #expect(try h.call(Self.kv, "[method]store.exists", [.borrow(s), Self.s("k")]) == .ok(.bool(false)))
        #expect(try h.call(Self.kv, "[method]store.set", [.borrow(s), Self.s("k"), Self.b("v1")]) == .ok(nil))
        #expect(try h.call(Self.kv, "[method]store.set", [.borrow(s), Self.s("k2"), .bytes([0, 255])]) == .ok(nil))
        #expect(try h.call(Self.kv, "[method]store.get", [.borrow(s), Self.s("k")]) == .ok(.option(Self.b("v1"))))
        #expect(try h.call(Self.kv, "[method]store.exists", [.borrow(s), Self.s("k")]) == .ok(.bool(true)))
        guard case .ok(.list(let keys)?)? = try h.call(Self.kv, "[method]store.get-keys", [.borrow(s)]) else {
            Issue.record("get-keys"); return
        }
        #expect(Set(keys) == [Self.s("k"), Self.s("k2")])
        #expect(try h.call(Self.kv, "[method]store.delete", [.borrow(s), Self.s("k")]) == .ok(nil))
        // Deleting a missing key is not an error.
        #expect(try h.call(Self.kv, "[method]store.delete", [.borrow(s), Self.s("k")]) == .ok(nil))
        #expect(try h.call(Self.kv, "[method]store.get", [.borrow(s), Self.s("k")]) == .ok(.option(nil)))
        // The writes reached the app's store.
        #expect(try backend.get("k2") == [0, 255])
        #expect(try backend.exists("k") == false)
    }

    @Test func keyValueOpenErrorsAreSpinsCases() throws {
        let h = try host()
        // access-denied(2): not in the component's key_value_stores (whether or not it exists).
        #expect(try h.call(Self.kv, "[static]store.open", [Self.s("forbidden")]) == .err(.variant(case: 2, payload: nil)))
        // no-such-store(1): allowed, but the app has no such store.
        #expect(try h.call(Self.kv, "[static]store.open", [Self.s("unconfigured")]) == .err(.variant(case: 1, payload: nil)))
        // other(3) without app services.
        let bare = try SpinInterfaceHost(guest: nil)
        guard case .err(.variant(case: 3, payload: .string(let m)?))? = try bare.call(Self.kv, "[static]store.open", [Self.s("default")]) else {
            Issue.record("expected other"); return
        }
        #expect(m.contains("without Spin app services"))
        guard case .err(.variant(case: 2, payload: .string(let w)?))? = try bare.call(Self.store, "open", [Self.s("default")]) else {
            Issue.record("expected other"); return
        }
        #expect(w == m)
    }

    @Test func theStoreTableHoldsTwoHundredFiftySixAcrossBothInterfaces() throws {
        let h = try host()
        var reps: [UInt32] = []
        for n in 0..<ComponentKeyValue.capacity {
            let interface = n.isMultiple(of: 2) ? Self.kv : Self.store
            let name = n.isMultiple(of: 2) ? "[static]store.open" : "open"
            reps.append(try h.owned(try h.call(interface, name, [Self.s("default")])))
        }
        // store-table-full(0); wasi:keyvalue says other("store table full").
        #expect(try h.call(Self.kv, "[static]store.open", [Self.s("default")]) == .err(.variant(case: 0, payload: nil)))
        #expect(try h.call(Self.store, "open", [Self.s("default")]) == .err(.variant(case: 2, payload: Self.s("store table full"))))
        // Dropping one makes room for one.
        try h.drop(reps[7])
        _ = try h.owned(try h.call(Self.kv, "[static]store.open", [Self.s("default")]))
        #expect(try h.call(Self.kv, "[static]store.open", [Self.s("default")]) == .err(.variant(case: 0, payload: nil)))
    }

    @Test func aFailingBackEndIsOtherWithItsMessage() throws {
        let dir = HostIf.tempDir("kv-closed")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = try FileKeyValueStore(path: dir + "/kv.kvlog")
        let h = try host(store: file)
        let s = try h.owned(try h.call(Self.kv, "[static]store.open", [Self.s("default")]))
        let b = try h.owned(try h.call(Self.store, "open", [Self.s("default")]))
        file.close()
        guard case .err(.variant(case: 3, payload: .string(let m)?))? = try h.call(Self.kv, "[method]store.set", [.borrow(s), Self.s("k"), Self.b("v")]) else {
            Issue.record("expected other"); return
        }
        #expect(m.contains("closed"))
        guard case .err(.variant(case: 2, payload: .string))? = try h.call(Self.store, "[method]bucket.set", [.borrow(b), Self.s("k"), Self.b("v")]) else {
            Issue.record("expected other"); return
        }
    }

    // MARK: wasi:keyvalue

    @Test func wasiKeyValueBucketOverAFileStore() throws {
        let dir = HostIf.tempDir("kv-bucket")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let h = try host(store: try FileKeyValueStore(path: dir + "/kv.kvlog"))
        #expect(try h.call(Self.store, "open", [Self.s("forbidden")]) == .err(.variant(case: 1, payload: nil)))
        #expect(try h.call(Self.store, "open", [Self.s("unconfigured")]) == .err(.variant(case: 0, payload: nil)))
        let bucket = try h.owned(try h.call(Self.store, "open", [Self.s("default")]))
        #expect(try h.call(Self.store, "[method]bucket.get", [.borrow(bucket), Self.s("a")]) == .ok(.option(nil)))
        #expect(try h.call(Self.store, "[method]bucket.set", [.borrow(bucket), Self.s("a"), Self.b("1")]) == .ok(nil))
        #expect(try h.call(Self.store, "[method]bucket.set", [.borrow(bucket), Self.s("b"), Self.b("2")]) == .ok(nil))
        #expect(try h.call(Self.store, "[method]bucket.get", [.borrow(bucket), Self.s("a")]) == .ok(.option(Self.b("1"))))
        #expect(try h.call(Self.store, "[method]bucket.exists", [.borrow(bucket), Self.s("b")]) == .ok(.bool(true)))
        #expect(
            try h.call(Self.store, "[method]bucket.list-keys", [.borrow(bucket), .option(nil)])
                == .ok(.record([.list([Self.s("a"), Self.s("b")]), .option(nil)])))
        #expect(
            try h.call(Self.store, "[method]bucket.list-keys", [.borrow(bucket), .option(Self.s("next"))])
                == .err(.variant(case: 2, payload: Self.s("list_keys: cursor not supported"))))
        #expect(try h.call(Self.store, "[method]bucket.delete", [.borrow(bucket), Self.s("a")]) == .ok(nil))
        #expect(try h.call(Self.store, "[method]bucket.exists", [.borrow(bucket), Self.s("a")]) == .ok(.bool(false)))
        try h.drop(bucket)
    }

    @Test func batchGetSetDeleteMany() throws {
        let h = try host()
        let bucket = try h.owned(try h.call(Self.store, "open", [Self.s("default")]))
        let pairs: ComponentValue = .list([.tuple([Self.s("x"), Self.b("1")]), .tuple([Self.s("y"), Self.b("2")])])
        #expect(try h.call(Self.batch, "set-many", [.borrow(bucket), pairs]) == .ok(nil))
        #expect(
            try h.call(Self.batch, "get-many", [.borrow(bucket), .list([Self.s("y"), Self.s("nope"), Self.s("x")])])
                == .ok(
                    .list([
                        .tuple([Self.s("y"), .option(Self.b("2"))]), .tuple([Self.s("nope"), .option(nil)]),
                        .tuple([Self.s("x"), .option(Self.b("1"))]),
                    ])))
        #expect(try h.call(Self.batch, "delete-many", [.borrow(bucket), .list([Self.s("x"), Self.s("nope")])]) == .ok(nil))
        #expect(try h.call(Self.store, "[method]bucket.exists", [.borrow(bucket), Self.s("x")]) == .ok(.bool(false)))
        #expect(try h.call(Self.store, "[method]bucket.exists", [.borrow(bucket), Self.s("y")]) == .ok(.bool(true)))
        #expect(try h.call(Self.batch, "get-many", [.borrow(bucket), .list([])]) == .ok(.list([])))
    }

    @Test func incrementKeepsEightByteCountersAsSpinsDefaultStore() throws {
        let backend = InMemoryKeyValueStore()
        let h = try host(store: backend)
        let bucket = try h.owned(try h.call(Self.store, "open", [Self.s("default")]))
        #expect(try h.call(Self.atomics, "increment", [.borrow(bucket), Self.s("n"), .s64(1)]) == .ok(.s64(1)))
        #expect(try h.call(Self.atomics, "increment", [.borrow(bucket), Self.s("n"), .s64(2)]) == .ok(.s64(3)))
        #expect(try h.call(Self.atomics, "increment", [.borrow(bucket), Self.s("n"), .s64(-10)]) == .ok(.s64(-7)))
        #expect(try backend.get("n") == [0xF9, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])
        // A value that is not a counter, and an overflow, are `other` errors, not traps.
        try backend.set("text", Array("abc".utf8))
        guard case .err(.variant(case: 2, payload: .string(let m)?))? = try h.call(Self.atomics, "increment", [.borrow(bucket), Self.s("text"), .s64(1)]) else {
            Issue.record("expected other"); return
        }
        #expect(m.contains("not a counter"))
        try backend.set("big", KeyValueCounter.bytes(.max))
        guard case .err(.variant(case: 2, payload: .string(let o)?))? = try h.call(Self.atomics, "increment", [.borrow(bucket), Self.s("big"), .s64(1)]) else {
            Issue.record("expected other"); return
        }
        #expect(o.contains("overflows"))
    }

    @Test func fileStoreIncrementIsDurable() throws {
        let dir = HostIf.tempDir("kv-incr")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/kv.kvlog"
        do {
            let file = try FileKeyValueStore(path: path)
            let h = try host(store: file)
            let bucket = try h.owned(try h.call(Self.store, "open", [Self.s("default")]))
            for _ in 0..<5 { try h.call(Self.atomics, "increment", [.borrow(bucket), Self.s("hits"), .s64(2)]) }
            file.close()
        }
        let again = try FileKeyValueStore(path: path)
        #expect(try again.increment("hits", by: 0) == 10)
    }

    @Test func compareAndSwapSucceedsAndFailsAsSpins() throws {
        let backend = InMemoryKeyValueStore()
        let h = try host(store: backend)
        let bucket = try h.owned(try h.call(Self.store, "open", [Self.s("default")]))
        try backend.set("k", Array("old".utf8))

        // current, then swap while nobody else wrote: ok.
        let cas = try h.owned(try h.call(Self.atomics, "[static]cas.new", [.borrow(bucket), Self.s("k")]))
        #expect(try h.call(Self.atomics, "[method]cas.current", [.borrow(cas)]) == .ok(.option(Self.b("old"))))
        #expect(try h.call(Self.atomics, "swap", [.own(cas), Self.b("new")]) == .ok(nil))
        #expect(try backend.get("k") == Array("new".utf8))
        // The cas handle was consumed by swap.
        #expect(h.context.table.lookup(cas, as: ComponentKeyValue.CompareAndSwap.self) == nil)

        // Someone writes between current and swap: cas-failed(1) with a fresh cas that saw the new value.
        let lost = try h.owned(try h.call(Self.atomics, "[static]cas.new", [.borrow(bucket), Self.s("k")]))
        #expect(try h.call(Self.atomics, "[method]cas.current", [.borrow(lost)]) == .ok(.option(Self.b("new"))))
        try backend.set("k", Array("theirs".utf8))
        guard case .err(.variant(case: 1, payload: .own(let retry)?))? = try h.call(Self.atomics, "swap", [.own(lost), Self.b("mine")]) else {
            Issue.record("expected cas-failed"); return
        }
        #expect(try backend.get("k") == Array("theirs".utf8))
        #expect(try h.call(Self.atomics, "[method]cas.current", [.borrow(retry)]) == .ok(.option(Self.b("theirs"))))
        #expect(try h.call(Self.atomics, "swap", [.own(retry), Self.b("mine")]) == .ok(nil))
        #expect(try backend.get("k") == Array("mine".utf8))

        // An absent key seen as absent: swap creates it, unless someone created it first.
        let create = try h.owned(try h.call(Self.atomics, "[static]cas.new", [.borrow(bucket), Self.s("fresh")]))
        #expect(try h.call(Self.atomics, "[method]cas.current", [.borrow(create)]) == .ok(.option(nil)))
        try backend.set("fresh", Array("first".utf8))
        guard case .err(.variant(case: 1, payload: .own))? = try h.call(Self.atomics, "swap", [.own(create), Self.b("second")]) else {
            Issue.record("expected cas-failed"); return
        }
        #expect(try backend.get("fresh") == Array("first".utf8))

        // Without `current`, swap sets unconditionally (Spin's default store does the same).
        let blind = try h.owned(try h.call(Self.atomics, "[static]cas.new", [.borrow(bucket), Self.s("fresh")]))
        #expect(try h.call(Self.atomics, "swap", [.own(blind), Self.b("blind")]) == .ok(nil))
        #expect(try backend.get("fresh") == Array("blind".utf8))
    }

    // MARK: interfaces without a back-end

    @Test func llmMQTTAndMySQLAnswerTheirErrorValues() throws {
        let h = try host()
        let params: ComponentValue = .option(.record([.u32(10), .f32(1.1), .u32(64), .f32(0.8), .u32(40), .f32(0.9)]))
        // A model the component may use: runtime-error(1) saying there is no back-end.
        guard case .err(.variant(case: 1, payload: .string(let m)?))? = try h.call("fermyon:spin/llm@2.0.0", "infer", [Self.s("llama2-chat"), Self.s("hi"), params]) else {
            Issue.record("expected runtime-error"); return
        }
        #expect(m.contains("no LLM back-end"))
        // One it may not: invalid-input(2), Spin's access-denied text.
        guard case .err(.variant(case: 2, payload: .string(let denied)?))? = try h.call("fermyon:spin/llm@2.0.0", "generate-embeddings", [Self.s("all-minilm-l6-v2"), .list([Self.s("x")])]) else {
            Issue.record("expected invalid-input"); return
        }
        #expect(denied.contains("'ai_models'"))
        guard case .err(.variant(case: 2, payload: .string(let mq)?))? = try h.call("fermyon:spin/mqtt@2.0.0", "[static]connection.open", [Self.s("mqtt://localhost:1883"), Self.s("u"), Self.s("p"), .u64(30)]) else {
            Issue.record("expected connection-failed"); return
        }
        #expect(mq.contains("no MQTT back-end"))
        guard case .err(.variant(case: 0, payload: .string(let my)?))? = try h.call("fermyon:spin/mysql@2.0.0", "[static]connection.open", [Self.s("mysql://root:pw@localhost/db")]) else {
            Issue.record("expected connection-failed"); return
        }
        #expect(my.contains("no MySQL back-end") && !my.contains("pw"))
        // Every call left a line in the app log naming the component.
        #expect(lines.all.count == 4)
        #expect(lines.all.allSatisfy { $0.hasPrefix("[guest] ") })
    }

    @Test func unbackedMethodsAnswerErrorsToo() throws {
        // Never reachable from a guest (no connection can be opened) but linked: they must not trap.
        let h = try SpinInterfaceHost(guest: nil)
        let conn = h.context.table.insert(NSObject())
        let qos: ComponentValue = .enumeration(1)
        #expect(
            try h.call("fermyon:spin/mqtt@2.0.0", "[method]connection.publish", [.borrow(conn), Self.s("t"), Self.b("p"), qos])
                == .err(.variant(case: 3, payload: Self.s(SpinUnbackedInterfaces.noMQTT))))
        let param: ComponentValue = .variant(case: 11, payload: Self.s("x"))
        for name in ["[method]connection.query", "[method]connection.execute"] {
            #expect(
                try h.call("fermyon:spin/mysql@2.0.0", name, [.borrow(conn), Self.s("select 1"), .list([param])])
                    == .err(.variant(case: 4, payload: Self.s(SpinUnbackedInterfaces.noMySQL))))
        }
        // Without app services an llm call is runtime-error.
        #expect(
            try h.call("fermyon:spin/llm@2.0.0", "infer", [Self.s("m"), Self.s("p"), .option(nil)])
                == .err(.variant(case: 1, payload: Self.s(SpinUnbackedInterfaces.noLLM))))
    }
}
