import Foundation

/// `source = { url = "…", digest = "sha256:…" }`: the module is downloaded once into the
/// registry cache's wasm folder (`registry/wasm/sha256:HEX`), its digest checked first.
package enum RemoteSource {
    /// The cached module of `component`, downloaded when missing (or damaged).
    package static func fetch(url: String, digest: String, component: String, cache: RegistryCache = RegistryCache())
        throws(RegistryError) -> String
    {
        let expected = digest.lowercased()
        let path = cache.wasmPath(expected)
        if cache.holds(path, digest: expected) { return path }
        let response: OutboundHTTPResponse
        do {
            response = try HTTPClient.send(
                OutboundHTTPRequest(method: "GET", url: url),
                settings: OutboundHTTPSettings(timeoutSeconds: 30, totalTimeoutSeconds: 600, maxResponseBytes: 1 << 30))
        } catch {
            throw RegistryError("component `\(component)`: cannot download source \(url)", causes: ["\(error)"])
        }
        guard response.status == 200 else {
            throw RegistryError("component `\(component)`: downloading source \(url) answered \(response.status)")
        }
        let actual = Digest.sha256(response.body)
        guard actual == expected else {
            throw RegistryError(
                "component `\(component)`: source \(url) does not match its digest: expected \(digest), got \(actual)")
        }
        try cache.write(response.body, to: path)
        return path
    }
}
