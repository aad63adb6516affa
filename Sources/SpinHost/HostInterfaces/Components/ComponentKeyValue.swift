import WasmComponents
import WasmWASIP2

/// What `fermyon:spin/key-value` and `wasi:keyvalue` share: opening a component's stores by
/// label, as Spin's factor-key-value does (`KeyValueDispatch`), over the app's
/// `services.keyValueStores` (file, in-memory and Redis back-ends).
///
/// - A label not in the component's `key_value_stores` is `access-denied` (whether or not the
///   store exists); an allowed label the app has no store for is `no-such-store`.
/// - One instance holds at most `capacity` open stores (both interfaces together, as Spin's one
///   table of 256): one more is `store-table-full` (`other("store table full")` for wasi:keyvalue).
package enum ComponentKeyValue {
    /// Most stores one instance may hold open at once (Spin's `DEFAULT_STORE_TABLE_CAPACITY`).
    package static let capacity = 256

    /// Why `open` failed.
    package enum OpenFailure: Error, Equatable, Sendable {
        case storeTableFull, noSuchStore, accessDenied
        /// The host runs without app services.
        case unavailable(String)
    }

    /// The stores an instance holds open (its share of `capacity`).
    package final class OpenStores {
        package var count = 0
    }

    /// An open store: the `store` of `fermyon:spin/key-value`, the `bucket` of `wasi:keyvalue`.
    package final class Store: HostResourceDropping {
        package let label: String
        package let backend: any KeyValueStore
        let open: OpenStores

        init(label: String, backend: any KeyValueStore, open: OpenStores) {
            self.label = label
            self.backend = backend
            self.open = open
        }

        package func dropped(in context: WASIP2Context) throws { open.count -= 1 }
    }

    /// A `wasi:keyvalue/atomics` `cas`: a key of a store and the value `current` saw.
    package final class CompareAndSwap {
        package let store: Store
        package let key: String
        /// What `current` read: nil before it was called, `.some(nil)` when the key was absent.
        package var seen: [UInt8]??

        init(store: Store, key: String) {
            self.store = store
            self.key = key
        }
    }

    /// Opens store `label` for the instance of `context`; returns the rep of an owning handle.
    package static func open(_ context: WASIP2Context, label: String) -> Result<UInt32, OpenFailure> {
        guard let host = ComponentHostState.of(context), let guest = host.guest else {
            return .failure(.unavailable(ComponentVariables.unavailable("key-value store `\(label)`")))
        }
        guard guest.component.keyValueStores.contains(label) else { return .failure(.accessDenied) }
        guard let backend = guest.services.keyValueStores[label] else { return .failure(.noSuchStore) }
        let open = host.state(OpenStores.self) { OpenStores() }
        guard open.count < capacity else { return .failure(.storeTableFull) }
        open.count += 1
        return .success(context.table.insert(Store(label: label, backend: backend, open: open)))
    }

    /// The store of a `borrow<store>` / `borrow<bucket>` argument.
    package static func store(_ context: WASIP2Context, _ a: [ComponentValue], _ i: Int) throws -> Store {
        try context.table.get(a.resource(i), as: Store.self)
    }

    /// The value of `key`, nil when absent.
    package static func get(_ store: Store, _ key: String) throws(KeyValueError) -> [UInt8]? {
        do {
            return try store.backend.get(key)
        } catch .noSuchKey {
            return nil
        }
    }

    /// A `list<string>` argument.
    package static func strings(_ a: [ComponentValue], _ i: Int) throws -> [String] {
        try a.list(i).map { v in
            guard case .string(let s) = v else { throw a.mismatch(i, "list<string>") }
            return s
        }
    }

    /// An `s64` argument.
    package static func s64(_ a: [ComponentValue], _ i: Int) throws -> Int64 {
        guard case .s64(let v) = try a.at(i) else { throw a.mismatch(i, "s64") }
        return v
    }

    /// Defines what Spin's `store` and `wasi:keyvalue`'s `bucket` share: `open` (named `open`),
    /// and `get`, `set`, `delete`, `exists` as methods of `resource`. `error` is the interface's
    /// error value for a failed open; `result` wraps a call's value in `ok`, or a back-end
    /// failure in the interface's `err`.
    static func defineSharedFunctions(
        _ d: inout WASIP2Definitions, interface i: String, resource: String, open: String,
        error: @escaping @Sendable (OpenFailure) -> ComponentValue,
        result: @escaping @Sendable (() throws(KeyValueError) -> ComponentValue?) -> ComponentValue
    ) {
        d.resource(i, resource)
        d.function(i, open) { c, a in
            switch Self.open(c, label: try a.string(0)) {
            case .success(let rep): .ok(.own(rep))
            case .failure(let e): .err(error(e))
            }
        }
        d.function(i, "[method]\(resource).get") { c, a in
            let (s, key) = (try store(c, a, 0), try a.string(1))
            return result { () throws(KeyValueError) in .option(try get(s, key).map { .bytes($0) }) }
        }
        d.function(i, "[method]\(resource).set") { c, a in
            let (s, key, value) = (try store(c, a, 0), try a.string(1), try a.bytes(2))
            return result { () throws(KeyValueError) in
                try s.backend.set(key, value)
                return nil
            }
        }
        d.function(i, "[method]\(resource).delete") { c, a in
            let (s, key) = (try store(c, a, 0), try a.string(1))
            return result { () throws(KeyValueError) in
                try s.backend.delete(key)
                return nil
            }
        }
        d.function(i, "[method]\(resource).exists") { c, a in
            let (s, key) = (try store(c, a, 0), try a.string(1))
            return result { () throws(KeyValueError) in .bool(try s.backend.exists(key)) }
        }
    }
}
