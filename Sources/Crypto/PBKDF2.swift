/// PBKDF2 with HMAC-SHA-256 (RFC 8018 §5.2), as SCRAM-SHA-256's `Hi()` (RFC 5802).
package enum PBKDF2 {
    /// Derives `count` bytes from `password` and `salt` with `iterations` rounds.
    package static func sha256(password: [UInt8], salt: [UInt8], iterations: Int, count: Int = SHA256.digestCount)
        -> [UInt8]
    {
        precondition(iterations >= 1, "PBKDF2 needs at least one iteration")
        let prf = HMACSHA256(key: password)
        var out: [UInt8] = []
        var blockIndex: UInt32 = 1
        while out.count < count {
            var u = prf.authenticate(
                salt + [
                    UInt8(blockIndex >> 24), UInt8(truncatingIfNeeded: blockIndex >> 16),
                    UInt8(truncatingIfNeeded: blockIndex >> 8), UInt8(truncatingIfNeeded: blockIndex),
                ])
            var t = u
            if iterations > 1 {
                for _ in 2...iterations {
                    u = prf.authenticate(u)
                    for j in 0..<t.count { t[j] ^= u[j] }
                }
            }
            out += t
            blockIndex += 1
        }
        return Array(out.prefix(count))
    }
}
