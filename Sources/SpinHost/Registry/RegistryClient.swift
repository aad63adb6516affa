import Crypto
import Foundation

/// A client of one registry speaking the OCI distribution API (`/v2/…`): blob existence
/// checks and monolithic uploads (POST then PUT `?digest=`), manifest PUT and GET, blob GET.
/// Authentication follows the `WWW-Authenticate` challenge of a 401: `Basic` sends the
/// credential; `Bearer` fetches a token from the realm (with the credential, if any) and
/// retries. `localhost`, `127.0.0.1` and `::1` (or any registry with `insecure`) are spoken
/// to over plain HTTP; others over HTTPS, through the `spin-tls` helper.
package final class RegistryClient {
    package let registry: String
    package let scheme: String
    private let credential: RegistryCredential?
    /// The `Authorization` value that last worked, reused for later requests.
    private var authorization: String?
    private let settings = OutboundHTTPSettings(timeoutSeconds: 30, totalTimeoutSeconds: 600, maxResponseBytes: 1 << 30)

    /// The manifest media types asked for and sent.
    package static let manifestMediaType = "application/vnd.oci.image.manifest.v1+json"
    static let acceptedManifestTypes = [
        manifestMediaType, "application/vnd.docker.distribution.manifest.v2+json",
    ]

    /// Whether `host` is spoken to over plain HTTP without `--insecure`.
    package static func isLocal(_ host: String) -> Bool {
        ["localhost", "127.0.0.1", "::1"].contains(host.lowercased())
    }

    /// A client of `reference`'s registry; `credential` defaults to the stored one.
    package convenience init(reference: ImageReference, insecure: Bool = false, credential: RegistryCredential? = nil)
        throws(RegistryError)
    {
        try self.init(registry: reference.registry, insecure: insecure, credential: credential)
    }

    /// A client of `registry` (`host[:port]`, `docker.io` for Docker Hub).
    package init(registry: String, insecure: Bool = false, credential: RegistryCredential? = nil)
        throws(RegistryError)
    {
        self.registry = registry == "docker.io" ? "index.docker.io" : registry
        var host = Substring(registry)
        if host.hasPrefix("["), let end = host.firstIndex(of: "]") {
            host = host[host.index(after: host.startIndex)..<end]
        } else if let colon = host.firstIndex(of: ":") {
            host = host[..<colon]
        }
        scheme = insecure || Self.isLocal(String(host)) ? "http" : "https"
        if let credential {
            self.credential = credential
        } else {
            self.credential = try RegistryCredentials.lookup(registry: registry)
        }
    }

    /// `GET /v2/`: succeeds when the registry accepts the credential (or needs none).
    package func checkAccess() throws(RegistryError) {
        let r = try send("GET", "/v2/", scope: nil)
        guard r.status == 200 else { throw statusError(r, "GET /v2/") }
    }

    /// Whether the registry already has the blob `digest` in `repository`.
    package func hasBlob(_ digest: String, repository: String) throws(RegistryError) -> Bool {
        let r = try send("HEAD", "/v2/\(repository)/blobs/\(digest)", scope: "repository:\(repository):pull,push")
        switch r.status {
        case 200: return true
        case 404: return false
        default: throw statusError(r, "HEAD blob \(digest)")
        }
    }

    /// Uploads `bytes` as the blob `digest` in one request (POST for a session, PUT with the data).
    package func uploadBlob(_ bytes: [UInt8], digest: String, repository: String) throws(RegistryError) {
        let scope = "repository:\(repository):pull,push"
        let start = try send("POST", "/v2/\(repository)/blobs/uploads/", body: [], scope: scope)
        guard start.status == 202, let location = start.header("location") else {
            throw statusError(start, "starting the upload of blob \(digest)")
        }
        var target = location
        if let url = ParsedURL(location) { target = url.path }  // absolute: same registry (checked below)
        if let url = ParsedURL(location), url.hostHeader.lowercased() != registry.lowercased() {
            throw RegistryError("the registry sent the upload of \(digest) to another host: \(location)")
        }
        target += (target.contains("?") ? "&" : "?") + "digest=" + digest.replacingOccurrences(of: ":", with: "%3A")
        let put = try send(
            "PUT", target, headers: [("content-type", "application/octet-stream")], body: bytes, scope: scope)
        guard put.status == 201 else { throw statusError(put, "uploading blob \(digest)") }
    }

    /// PUTs `manifest` under `reference` (a tag or digest); returns the digest the registry reports.
    package func putManifest(_ manifest: [UInt8], repository: String, reference: String) throws(RegistryError)
        -> String
    {
        let r = try send(
            "PUT", "/v2/\(repository)/manifests/\(reference)", headers: [("content-type", Self.manifestMediaType)],
            body: manifest, scope: "repository:\(repository):pull,push")
        guard r.status == 201 else { throw statusError(r, "PUT manifest \(repository):\(reference)") }
        return r.header("docker-content-digest") ?? Digest.sha256(manifest)
    }

    /// GETs the manifest `reference` (tag or digest); returns its bytes and digest (checked
    /// when `reference` is a digest).
    package func manifest(repository: String, reference: String) throws(RegistryError) -> (
        bytes: [UInt8], digest: String
    ) {
        let r = try send(
            "GET", "/v2/\(repository)/manifests/\(reference)",
            headers: [("accept", Self.acceptedManifestTypes.joined(separator: ", "))],
            scope: "repository:\(repository):pull")
        guard r.status == 200 else { throw statusError(r, "GET manifest \(repository):\(reference)") }
        let actual = Digest.sha256(r.body)
        if ImageReference.isDigest(reference), actual != reference {
            throw RegistryError(
                "manifest \(repository)@\(reference): digest mismatch: expected \(reference), got \(actual)")
        }
        return (r.body, actual)
    }

    /// GETs the blob `digest` and checks its SHA-256 before returning it.
    package func blob(_ digest: String, repository: String, what: String) throws(RegistryError) -> [UInt8] {
        let r = try send("GET", "/v2/\(repository)/blobs/\(digest)", scope: "repository:\(repository):pull")
        guard r.status == 200 else { throw statusError(r, "GET blob \(digest) (\(what))") }
        try Digest.check(r.body, expected: digest, what: "\(what) from \(registry)/\(repository)")
        return r.body
    }

    // MARK: requests and authentication

    private func url(_ target: String) -> String { "\(scheme)://\(registry)\(target)" }

    /// Sends one request, answering a 401 challenge once.
    private func send(
        _ method: String, _ target: String, headers: [(String, String)] = [], body: [UInt8]? = nil, scope: String?
    ) throws(RegistryError) -> OutboundHTTPResponse {
        var request = OutboundHTTPRequest(
            method: method, url: url(target), headers: headers.map { (name: $0.0, value: $0.1) }, body: body)
        if let authorization { request.headers.append((name: "authorization", value: authorization)) }
        var response = try exchange(request)
        guard response.status == 401 else { return response }
        let challenge = response.header("www-authenticate").flatMap(RegistryAuthChallenge.init)
        guard let value = try answer(challenge, scope: scope) else {
            throw RegistryError(
                "the registry \(registry) requires authentication; run `spin registry login \(registry)`")
        }
        authorization = value
        request.headers.removeAll { $0.name == "authorization" }
        request.headers.append((name: "authorization", value: value))
        response = try exchange(request)
        if response.status == 401 {
            throw RegistryError(
                "the registry \(registry) refused the credentials of \(credential?.username ?? "anonymous")"
                    + " (401 Unauthorized)")
        }
        return response
    }

    private func exchange(_ request: OutboundHTTPRequest) throws(RegistryError) -> OutboundHTTPResponse {
        do {
            return try HTTPClient.send(request, settings: settings)
        } catch {
            throw RegistryError("\(request.method) \(request.url): \(error)")
        }
    }

    /// The `Authorization` value answering `challenge`, or nil when there is nothing to answer with.
    private func answer(_ challenge: RegistryAuthChallenge?, scope: String?) throws(RegistryError) -> String? {
        guard let challenge else { return credential.map { "Basic " + $0.encoded } }
        switch challenge.scheme {
        case "basic":
            return credential.map { "Basic " + $0.encoded }
        case "bearer":
            guard let realm = challenge.parameters["realm"] else {
                throw RegistryError("the registry \(registry) sent a Bearer challenge without a realm")
            }
            var query: [String] = []
            if let service = challenge.parameters["service"] { query.append("service=" + Self.percentEncode(service)) }
            if let s = challenge.parameters["scope"] ?? scope { query.append("scope=" + Self.percentEncode(s)) }
            let tokenURL =
                realm + (query.isEmpty ? "" : (realm.contains("?") ? "&" : "?") + query.joined(separator: "&"))
            var headers: [(name: String, value: String)] = []
            if let credential { headers.append((name: "authorization", value: "Basic " + credential.encoded)) }
            let r = try exchange(OutboundHTTPRequest(method: "GET", url: tokenURL, headers: headers))
            guard r.status == 200 else {
                throw RegistryError(
                    "the token service \(realm) refused \(credential?.username ?? "anonymous access") (\(r.status))")
            }
            guard let object = try? JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any],
                let token = (object["token"] as? String) ?? (object["access_token"] as? String)
            else { throw RegistryError("the token service \(realm) answered without a token") }
            return "Bearer " + token
        default:
            throw RegistryError("the registry \(registry) asks for unsupported authentication `\(challenge.scheme)`")
        }
    }

    private static func percentEncode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }

    /// An unexpected status, with the registry's error codes (`{"errors":[{"code","message"}]}`).
    private func statusError(_ r: OutboundHTTPResponse, _ what: String) -> RegistryError {
        var detail = ""
        if let object = try? JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any],
            let errors = object["errors"] as? [[String: Any]]
        {
            detail = errors.map { "\($0["code"] ?? "?"): \($0["message"] ?? "")" }.joined(separator: "; ")
        } else if let line = String(decoding: r.body.prefix(200), as: UTF8.self).split(separator: "\n").first {
            detail = line.trimmingCharacters(in: .whitespaces)  // a plain-text answer, e.g. HTTP to an HTTPS port
        }
        return RegistryError("\(what): \(registry) answered \(r.status)" + (detail.isEmpty ? "" : " (\(detail))"))
    }
}
