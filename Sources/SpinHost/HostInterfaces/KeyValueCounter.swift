/// The counters `KeyValueStore.increment` keeps in the built-in stores: an 8-byte little-endian
/// two's-complement integer, as Spin's default (SQLite) store keeps them for
/// `wasi:keyvalue/atomics.increment`.
package enum KeyValueCounter {
    /// The counter `value` holds plus `delta` (a missing value counts as 0).
    package static func add(_ delta: Int64, to value: [UInt8]?, key: String) throws(KeyValueError) -> Int64 {
        var current: Int64 = 0
        if let value {
            guard value.count == 8 else {
                throw .io(
                    "the value of key `\(key)` is not a counter: \(value.count) bytes, where increment keeps an 8-byte little-endian integer"
                )
            }
            var bits: UInt64 = 0
            for (i, b) in value.enumerated() { bits |= UInt64(b) << (8 * UInt64(i)) }
            current = Int64(bitPattern: bits)
        }
        let (sum, overflow) = current.addingReportingOverflow(delta)
        guard !overflow else { throw .io("increment of key `\(key)` by \(delta) overflows a 64-bit integer (it holds \(current))") }
        return sum
    }

    /// The stored form of `n`.
    package static func bytes(_ n: Int64) -> [UInt8] {
        let bits = UInt64(bitPattern: n)
        return (0..<8).map { UInt8(truncatingIfNeeded: bits >> (8 * UInt64($0))) }
    }
}

extension KeyValueStore {
    /// A back-end without atomic operations answers with an error saying so.
    public func increment(_ key: String, by delta: Int64) throws(KeyValueError) -> Int64 {
        throw .io("this key-value store (\(Self.self)) does not support atomic increment")
    }

    /// A back-end without atomic operations answers with an error saying so.
    public func compareAndSwap(_ key: String, expected: [UInt8]?, value: [UInt8]) throws(KeyValueError) -> Bool {
        throw .io("this key-value store (\(Self.self)) does not support compare-and-swap")
    }
}
