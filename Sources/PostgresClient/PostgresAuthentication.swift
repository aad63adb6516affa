import Crypto
import Foundation
import Synchronization

/// The client side of SCRAM-SHA-256 (RFC 5802, RFC 7677) as PostgreSQL uses
/// it: no channel binding (`n,,`), an empty user name in the messages (the
/// server takes the startup packet's), and the password used as UTF-8 bytes
/// (SASLprep is not applied; it changes nothing for ASCII passwords).
struct SCRAMClient {
    static let mechanism = "SCRAM-SHA-256"

    let password: [UInt8]
    let clientNonce: String
    /// PostgreSQL sends an empty name (it uses the startup packet's user).
    let user: String
    private(set) var authMessage = ""
    private(set) var serverKey: [UInt8] = []

    init(password: String, nonce: String? = nil, user: String = "") {
        self.password = Array(password.utf8)
        self.user = user
        if let nonce {
            clientNonce = nonce
        } else {
            var g = SystemRandomNumberGenerator()
            clientNonce = Data((0..<18).map { _ in UInt8.random(in: 0...255, using: &g) }).base64EncodedString()
        }
    }

    var clientFirstBare: String { "n=\(user),r=\(clientNonce)" }
    /// `SASLInitialResponse` data.
    var clientFirst: String { "n,,\(clientFirstBare)" }

    /// Takes `server-first-message` and returns `client-final-message`.
    mutating func clientFinal(serverFirst: String) throws(PostgresAuthError) -> String {
        var attributes: [Character: String] = [:]
        for part in serverFirst.split(separator: ",") {
            guard let k = part.first, part.dropFirst().first == "=" else { continue }
            attributes[k] = String(part.dropFirst(2))
        }
        guard let nonce = attributes["r"], nonce.hasPrefix(clientNonce), nonce.count > clientNonce.count else {
            throw PostgresAuthError("SCRAM: the server's nonce does not extend ours")
        }
        guard let saltText = attributes["s"], let salt = Data(base64Encoded: saltText) else {
            throw PostgresAuthError("SCRAM: the server sent no valid salt")
        }
        guard let iterText = attributes["i"], let iterations = Int(iterText), iterations >= 1 else {
            throw PostgresAuthError("SCRAM: the server sent no valid iteration count")
        }
        let salted = SaltedPasswordCache.shared.saltedPassword(password, salt: [UInt8](salt), iterations: iterations)
        let clientKey = HMACSHA256.authenticate(key: salted, message: Array("Client Key".utf8))
        let storedKey = SHA256.hash(clientKey)
        let withoutProof = "c=biws,r=\(nonce)"
        authMessage = "\(clientFirstBare),\(serverFirst),\(withoutProof)"
        let signature = HMACSHA256.authenticate(key: storedKey, message: Array(authMessage.utf8))
        let proof = zip(clientKey, signature).map { $0 ^ $1 }
        serverKey = HMACSHA256.authenticate(key: salted, message: Array("Server Key".utf8))
        return "\(withoutProof),p=\(Data(proof).base64EncodedString())"
    }

    /// Checks `server-final-message` (`v=<signature>`; `e=<error>` is a failure).
    func verify(serverFinal: String) throws(PostgresAuthError) {
        if serverFinal.hasPrefix("e=") {
            throw PostgresAuthError("SCRAM: the server rejected the exchange: \(serverFinal.dropFirst(2))")
        }
        guard serverFinal.hasPrefix("v="), let signature = Data(base64Encoded: String(serverFinal.dropFirst(2))) else {
            throw PostgresAuthError("SCRAM: malformed server-final-message")
        }
        let expected = HMACSHA256.authenticate(key: serverKey, message: Array(authMessage.utf8))
        guard [UInt8](signature) == expected else {
            throw PostgresAuthError("SCRAM: the server's signature does not match (not the server we expected)")
        }
    }
}

/// PBKDF2 results by (password, salt, iterations), so that reconnecting as
/// the same user (every request opens its own connection) does not repeat
/// the 4,096 HMAC rounds. Bounded; kept in process memory only.
final class SaltedPasswordCache: Sendable {
    static let shared = SaltedPasswordCache()

    private struct Key: Hashable {
        var password: [UInt8]
        var salt: [UInt8]
        var iterations: Int
    }

    private let entries = Mutex<[Key: [UInt8]]>([:])
    private let capacity = 64

    func saltedPassword(_ password: [UInt8], salt: [UInt8], iterations: Int) -> [UInt8] {
        let key = Key(password: password, salt: salt, iterations: iterations)
        if let hit = entries.withLock({ $0[key] }) { return hit }
        let value = PBKDF2.sha256(password: password, salt: salt, iterations: iterations)
        entries.withLock { e in
            if e.count >= capacity { e.removeAll() }
            e[key] = value
        }
        return value
    }
}

/// PostgreSQL's `md5` password response: `"md5" + md5hex(md5hex(password + user) + salt)`.
func postgresMD5Password(user: String, password: String, salt: [UInt8]) -> String {
    let inner = MD5.hexDigest(Array(password.utf8) + Array(user.utf8))
    return "md5" + MD5.hexDigest(Array(inner.utf8) + salt)
}

/// Authentication could not be completed (the message says why).
struct PostgresAuthError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
