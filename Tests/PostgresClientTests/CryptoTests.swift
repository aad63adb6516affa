import Crypto
import Foundation
import Testing

@testable import PostgresClient

private func hex(_ b: [UInt8]) -> String { Hex.encode(b) }
private func bytes(_ hex: String) -> [UInt8] {
    let h = Array(hex.replacingOccurrences(of: " ", with: "").utf8)
    return stride(from: 0, to: h.count, by: 2).map {
        UInt8(String(decoding: h[$0...$0 + 1], as: UTF8.self), radix: 16)!
    }
}

/// The hashes SCRAM and md5 authentication need, against published vectors.
struct CryptoTests {
    /// FIPS 180-4 examples (NIST CSRC "SHA256.pdf") and the million-'a' vector.
    @Test func sha256NISTVectors() {
        #expect(hex(SHA256.hash([UInt8]())) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(
            hex(SHA256.hash(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            hex(SHA256.hash(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        // Fed in uneven pieces, so block buffering across updates is exercised.
        var h = SHA256()
        var fed = 0
        var piece = 1
        while fed < 1_000_000 {
            let n = min(piece, 1_000_000 - fed)
            h.update([UInt8](repeating: UInt8(ascii: "a"), count: n))
            fed += n
            piece = piece * 7 % 1_003 + 1
        }
        #expect(hex(h.finalize()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        // 55/56/64-byte messages straddle the padding boundary.
        #expect(
            hex(SHA256.hash([UInt8](repeating: 0x61, count: 55)))
                == "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318")
        #expect(
            hex(SHA256.hash([UInt8](repeating: 0x61, count: 56)))
                == "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a")
        #expect(
            hex(SHA256.hash([UInt8](repeating: 0x61, count: 64)))
                == "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb")
    }

    /// RFC 4231 test cases 1, 2, 6 (key longer than a block) and 7.
    @Test func hmacSHA256RFC4231() {
        #expect(
            hex(HMACSHA256.authenticate(key: [UInt8](repeating: 0x0b, count: 20), message: Array("Hi There".utf8)))
                == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        #expect(
            hex(HMACSHA256.authenticate(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8)))
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        let bigKey = [UInt8](repeating: 0xaa, count: 131)
        #expect(
            hex(
                HMACSHA256.authenticate(
                    key: bigKey, message: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)))
                == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
        let message7 =
            "This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm."
        #expect(
            hex(HMACSHA256.authenticate(key: bigKey, message: Array(message7.utf8)))
                == "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2")
    }

    /// RFC 7914 §11 (PBKDF2-HMAC-SHA256, 64-byte output: two blocks) and the
    /// common `password`/`salt`/4096 vector.
    @Test func pbkdf2SHA256Vectors() {
        #expect(
            PBKDF2.sha256(password: Array("passwd".utf8), salt: Array("salt".utf8), iterations: 1, count: 64)
                == bytes(
                    "55 ac 04 6e 56 e3 08 9f ec 16 91 c2 25 44 b6 05 f9 41 85 21 6d de 04 65 e6 8b 9d 57 c2 0d ac bc 49 ca 9c cc f1 79 b6 45 99 16 64 b3 9d 77 ef 31 7c 71 b8 45 b1 e3 0b d5 09 11 20 41 d3 a1 97 83"
                ))
        #expect(
            hex(PBKDF2.sha256(password: Array("password".utf8), salt: Array("salt".utf8), iterations: 4096))
                == "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a")
    }

    /// RFC 1321 appendix A.5.
    @Test func md5RFC1321() {
        #expect(MD5.hexDigest([]) == "d41d8cd98f00b204e9800998ecf8427e")
        #expect(MD5.hexDigest(Array("abc".utf8)) == "900150983cd24fb0d6963f7d28e17f72")
        #expect(MD5.hexDigest(Array("message digest".utf8)) == "f96b697d7cb7938d525a2f31aaf161d0")
        #expect(
            MD5.hexDigest(
                Array("12345678901234567890123456789012345678901234567890123456789012345678901234567890".utf8))
                == "57edf4a22be3c955ac49da2e2107b67a")
        // PostgreSQL's stored md5 hash of user postgres / password postgres.
        #expect(MD5.hexDigest(Array("postgrespostgres".utf8)) == "3175bce1d3201d16594cebf9d7eb3f9d")
        #expect(
            postgresMD5Password(user: "postgres", password: "postgres", salt: [1, 2, 3, 4])
                == "md5" + MD5.hexDigest(Array("3175bce1d3201d16594cebf9d7eb3f9d".utf8) + [1, 2, 3, 4]))
    }

    /// The SCRAM-SHA-256 exchange of RFC 7677 §3, byte for byte.
    @Test func scramSHA256RFC7677Exchange() throws {
        var client = SCRAMClient(password: "pencil", nonce: "rOprNGfwEbeRWgbNEkqO", user: "user")
        #expect(client.clientFirst == "n,,n=user,r=rOprNGfwEbeRWgbNEkqO")
        let final = try client.clientFinal(
            serverFirst: "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")
        #expect(
            final
                == "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="
        )
        try client.verify(serverFinal: "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")
        #expect(throws: PostgresAuthError.self) {
            try client.verify(serverFinal: "v=AAAATRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")
        }
        #expect(throws: PostgresAuthError.self) { try client.verify(serverFinal: "e=invalid-proof") }
        var other = SCRAMClient(password: "pencil", nonce: "abc")
        #expect(throws: PostgresAuthError.self) { _ = try other.clientFinal(serverFirst: "r=xyz123,s=AAAA,i=4096") }
        #expect(throws: PostgresAuthError.self) { _ = try other.clientFinal(serverFirst: "r=abc123,s=AAAA,i=0") }
    }
}
