import Foundation

/// A user name and password for one registry.
public struct RegistryCredential: Hashable, Sendable {
    public var username: String
    public var password: String

    /// A credential as `spin registry login` takes it.
    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }

    /// `base64(username:password)`, as the credential files and `Authorization: Basic` hold it.
    package var encoded: String { Data("\(username):\(password)".utf8).base64EncodedString() }

    package init?(encoded: String) {
        guard let data = Data(base64Encoded: encoded), let text = String(data: data, encoding: .utf8),
            let colon = text.firstIndex(of: ":")
        else { return nil }
        self.init(username: String(text[..<colon]), password: String(text[text.index(after: colon)...]))
    }
}

/// Where registry credentials live, as Spin keeps them: `spin registry login` writes
/// `$XDG_CONFIG_HOME/fermyon/registry-auth.json` (default `~/.config`), a JSON object
/// `{"auths": {"SERVER": "base64(user:password)"}}`; reading falls back to Docker's
/// `$DOCKER_CONFIG/config.json` (default `~/.docker/config.json`, `auths.SERVER.auth`).
public enum RegistryCredentials {
    /// Spin's credential file.
    public static var spinFile: String {
        let env = ProcessInfo.processInfo.environment
        let config =
            env["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (NSHomeDirectory() + "/.config")
        return config + "/fermyon/registry-auth.json"
    }

    /// Docker's credential file.
    public static var dockerFile: String {
        let env = ProcessInfo.processInfo.environment
        return (env["DOCKER_CONFIG"].flatMap { $0.isEmpty ? nil : $0 } ?? (NSHomeDirectory() + "/.docker"))
            + "/config.json"
    }

    /// The server key a `login` argument is stored under, as Spin computes it: `https://ghcr.io/`
    /// and `ghcr.io` are one; Docker Hub (`docker.io`) is `index.docker.io`.
    public static func serverKey(_ server: String) -> String {
        var s = Substring(server)
        for scheme in ["https://", "http://"] where s.hasPrefix(scheme) { s = s.dropFirst(scheme.count) }
        if let slash = s.firstIndex(of: "/") { s = s[..<slash] }
        return s == "docker.io" ? "index.docker.io" : String(s)
    }

    /// The stored credential for `registry` (Spin's file first, then Docker's), or nil.
    public static func lookup(registry: String) throws(RegistryError) -> RegistryCredential? {
        let key = serverKey(registry)
        if let auths = try readAuths(spinFile), let value = auths[key] as? String {
            guard let credential = RegistryCredential(encoded: value) else {
                throw RegistryError("\(spinFile): the entry for `\(key)` is not base64 `user:password`")
            }
            return credential
        }
        guard let auths = try readAuths(dockerFile) else { return nil }
        let keys = key == "index.docker.io" ? ["https://index.docker.io/v1/", "docker.io", "index.docker.io"] : [key]
        for k in keys + keys.map({ "https://" + $0 }) {
            if let entry = auths[k] as? [String: Any], let auth = entry["auth"] as? String {
                return RegistryCredential(encoded: auth)
            }
        }
        return nil
    }

    /// Stores `credential` for `server` in Spin's file (created 0600 when missing).
    public static func store(_ credential: RegistryCredential, server: String) throws(RegistryError) {
        let path = spinFile
        var auths = (try readAuths(path)) ?? [:]
        auths[serverKey(server)] = credential.encoded
        do {
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            let data = try JSONSerialization.data(
                withJSONObject: ["auths": auths], options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            guard FileManager.default.createFile(atPath: path, contents: data, attributes: [.posixPermissions: 0o600])
            else { throw RegistryError("cannot write \(path)") }
        } catch let error as RegistryError {
            throw error
        } catch {
            throw RegistryError("cannot save authentication file \(path): \(error.localizedDescription)")
        }
    }

    /// The `auths` object of a credential file; nil when the file does not exist.
    private static func readAuths(_ path: String) throws(RegistryError) -> [String: Any]? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw RegistryError("cannot load authentication file \(path): not a JSON object")
        }
        return object["auths"] as? [String: Any] ?? [:]
    }
}
