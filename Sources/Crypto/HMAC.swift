/// HMAC-SHA-256 (RFC 2104). The padded key is absorbed once in `init`, so one
/// `HMACSHA256` authenticates many messages cheaply (PBKDF2 needs that).
package struct HMACSHA256: Sendable {
    private let inner: SHA256
    private let outer: SHA256

    package init<C: Collection>(key: C) where C.Element == UInt8 {
        var k = key.count > SHA256.blockCount ? SHA256.hash(key) : Array(key)
        k += [UInt8](repeating: 0, count: SHA256.blockCount - k.count)
        var i = SHA256()
        i.update(k.map { $0 ^ 0x36 })
        var o = SHA256()
        o.update(k.map { $0 ^ 0x5c })
        inner = i
        outer = o
    }

    /// The 32-byte MAC of `message`.
    package func authenticate<C: Collection>(_ message: C) -> [UInt8] where C.Element == UInt8 {
        var i = inner
        i.update(message)
        var o = outer
        o.update(i.finalize())
        return o.finalize()
    }

    /// One-shot HMAC-SHA-256.
    package static func authenticate<K: Collection, M: Collection>(key: K, message: M) -> [UInt8]
    where K.Element == UInt8, M.Element == UInt8 {
        HMACSHA256(key: key).authenticate(message)
    }
}
