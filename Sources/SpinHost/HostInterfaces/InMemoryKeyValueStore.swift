import Synchronization

/// A key-value store that lives only as long as the process: Spin's default store when there is
/// no state directory (`spin up --state-dir ""`, or an app run from a lone Wasm file).
package final class InMemoryKeyValueStore: KeyValueStore {
    private let entries = Mutex<[String: [UInt8]]>([:])

    package init() {}

    package func get(_ key: String) throws(KeyValueError) -> [UInt8] {
        guard let v = entries.withLock({ $0[key] }) else { throw .noSuchKey }
        return v
    }

    package func set(_ key: String, _ value: [UInt8]) throws(KeyValueError) {
        entries.withLock { $0[key] = value }
    }

    package func delete(_ key: String) throws(KeyValueError) {
        _ = entries.withLock { $0.removeValue(forKey: key) }
    }

    package func exists(_ key: String) throws(KeyValueError) -> Bool {
        entries.withLock { $0[key] != nil }
    }

    package func keys() throws(KeyValueError) -> [String] {
        entries.withLock { Array($0.keys) }
    }

    package func increment(_ key: String, by delta: Int64) throws(KeyValueError) -> Int64 {
        try entries.withLock { e throws(KeyValueError) in
            let next = try KeyValueCounter.add(delta, to: e[key], key: key)
            e[key] = KeyValueCounter.bytes(next)
            return next
        }
    }

    package func compareAndSwap(_ key: String, expected: [UInt8]?, value: [UInt8]) throws(KeyValueError) -> Bool {
        entries.withLock { e in
            guard e[key] == expected else { return false }
            e[key] = value
            return true
        }
    }
}
