import WasmComponents
import WasmWASIP2

/// `wasi:keyvalue@0.2.0-draft2`: `store` (`open`, resource `bucket`), `atomics` (`increment`,
/// resource `cas`, `swap`) and `batch` (`get-many`, `set-many`, `delete-many`) over the app's
/// key-value stores (`ComponentKeyValue`), with Spin's semantics (factor-key-value's wasi impls):
///
/// - `open` checks the label as `fermyon:spin/key-value` does; a full table is `other("store
///   table full")`.
/// - `list-keys` returns every key at once with no cursor; passing a cursor is
///   `other("list_keys: cursor not supported")`.
/// - `increment` is atomic in the back-end (`KeyValueStore.increment`: 8-byte little-endian
///   counters in the built-in stores, `INCRBY` in Redis).
/// - A `cas` remembers what `current` read; `swap` sets the value only if the key still holds it
///   (absent if it was absent), atomically; if `current` was never called, `swap` sets
///   unconditionally (as Spin's default store). A lost race is `cas-failed` with a fresh `cas`
///   that has already read the new value.
/// - `get-many` answers every key asked for, `none` for a missing one (the WIT's rule).
///
/// WIT: spin-sdk 3.4.1 `spin_sdk/wit/deps/keyvalue-2024-10-17/`.
public enum WASIKeyValueInterface {
    public static let store = "wasi:keyvalue/store@0.2.0-draft2"
    public static let atomics = "wasi:keyvalue/atomics@0.2.0-draft2"
    public static let batch = "wasi:keyvalue/batch@0.2.0-draft2"

    /// The `store::error` value `other(message)` (`no-such-store` 0, `access-denied` 1, `other` 2).
    static func other(_ message: String) -> ComponentValue { .variant(case: 2, payload: .string(message)) }

    static func error(_ failure: ComponentKeyValue.OpenFailure) -> ComponentValue {
        switch failure {
        case .noSuchStore: .variant(case: 0, payload: nil)
        case .accessDenied: .variant(case: 1, payload: nil)
        case .storeTableFull: other("store table full")
        case .unavailable(let m): other(m)
        }
    }

    /// `ok(body())`, or `err(other(message))` when the back-end fails.
    static func result(_ body: () throws(KeyValueError) -> ComponentValue?) -> ComponentValue {
        do {
            return .ok(try body())
        } catch {
            return .err(other(error.description))
        }
    }

    /// Adds the three interfaces to `d` (`store` first: the others `use` its `bucket`).
    public static func define(_ d: inout WASIP2Definitions) {
        defineStore(&d)
        defineAtomics(&d)
        defineBatch(&d)
    }

    static func defineStore(_ d: inout WASIP2Definitions) {
        let i = store
        ComponentKeyValue.defineSharedFunctions(
            &d, interface: i, resource: "bucket", open: "open", error: error, result: result)
        d.function(i, "[method]bucket.list-keys") { c, a in
            let s = try ComponentKeyValue.store(c, a, 0)
            guard try a.option(1) == nil else { return .err(other("list_keys: cursor not supported")) }
            return result { () throws(KeyValueError) in
                .record([.list(try s.backend.keys().map { .string($0) }), .option(nil)])
            }
        }
    }

    static func defineAtomics(_ d: inout WASIP2Definitions) {
        let i = atomics
        d.resource(i, "cas")
        d.function(i, "increment") { c, a in
            let (s, key, delta) = (try ComponentKeyValue.store(c, a, 0), try a.string(1), try ComponentKeyValue.s64(a, 2))
            return result { () throws(KeyValueError) in .s64(try s.backend.increment(key, by: delta)) }
        }
        d.function(i, "[static]cas.new") { c, a in
            let (s, key) = (try ComponentKeyValue.store(c, a, 0), try a.string(1))
            return .ok(c.own(ComponentKeyValue.CompareAndSwap(store: s, key: key)))
        }
        d.function(i, "[method]cas.current") { c, a in
            let cas = try c.table.get(a.resource(0), as: ComponentKeyValue.CompareAndSwap.self)
            return result { () throws(KeyValueError) in
                let value = try ComponentKeyValue.get(cas.store, cas.key)
                cas.seen = .some(value)
                return .option(value.map { .bytes($0) })
            }
        }
        d.function(i, "swap") { c, a in
            // `cas` is passed as `own`: the handle is consumed.
            let rep = try a.resource(0)
            let cas = try c.table.get(rep, as: ComponentKeyValue.CompareAndSwap.self)
            c.table.remove(rep)
            let value = try a.bytes(1)
            let backend = cas.store.backend
            do throws(KeyValueError) {
                let swapped: Bool
                if let seen = cas.seen {
                    swapped = try backend.compareAndSwap(cas.key, expected: seen, value: value)
                } else {
                    try backend.set(cas.key, value)
                    swapped = true
                }
                if swapped { return .ok(nil) }
                let retry = ComponentKeyValue.CompareAndSwap(store: cas.store, key: cas.key)
                retry.seen = .some(try ComponentKeyValue.get(cas.store, cas.key))
                return .err(.variant(case: 1, payload: c.own(retry)))
            } catch {
                return .err(.variant(case: 0, payload: other(error.description)))
            }
        }
    }

    static func defineBatch(_ d: inout WASIP2Definitions) {
        let i = batch
        d.function(i, "get-many") { c, a in
            let (s, keys) = (try ComponentKeyValue.store(c, a, 0), try ComponentKeyValue.strings(a, 1))
            return result { () throws(KeyValueError) in
                var out: [ComponentValue] = []
                out.reserveCapacity(keys.count)
                for key in keys {
                    out.append(.tuple([.string(key), .option(try ComponentKeyValue.get(s, key).map { .bytes($0) })]))
                }
                return .list(out)
            }
        }
        d.function(i, "set-many") { c, a in
            let s = try ComponentKeyValue.store(c, a, 0)
            let pairs = try a.list(1).map { v -> (String, [UInt8]) in
                guard case .tuple(let t) = v, t.count == 2, case .string(let key) = t[0] else {
                    throw a.mismatch(1, "list<tuple<string, list<u8>>>")
                }
                return (key, try [t[1]].bytes(0))
            }
            return result { () throws(KeyValueError) in
                for (key, value) in pairs { try s.backend.set(key, value) }
                return nil
            }
        }
        d.function(i, "delete-many") { c, a in
            let (s, keys) = (try ComponentKeyValue.store(c, a, 0), try ComponentKeyValue.strings(a, 1))
            return result { () throws(KeyValueError) in
                for key in keys { try s.backend.delete(key) }
                return nil
            }
        }
    }
}
