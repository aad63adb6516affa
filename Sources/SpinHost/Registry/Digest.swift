import Crypto

/// `sha256:<hex>` content digests, as OCI descriptors and `source.digest` write them.
package enum Digest {
    /// The digest of `bytes`.
    package static func sha256(_ bytes: [UInt8]) -> String { "sha256:" + Hex.encode(SHA256.hash(bytes)) }

    /// Throws a digest error naming `what`, the expected and the actual digest unless they match.
    package static func check(_ bytes: [UInt8], expected: String, what: String) throws(RegistryError) {
        let actual = sha256(bytes)
        guard actual == expected.lowercased() else {
            throw RegistryError("digest mismatch for \(what): expected \(expected), got \(actual)")
        }
    }
}
