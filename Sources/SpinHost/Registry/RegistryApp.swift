import Foundation

/// Spin apps as OCI artifacts, in Spin's layout: the locked app is the config
/// (`application/vnd.fermyon.spin.application.v1+config`), each Wasm module a layer
/// (`application/vnd.wasm.content.layer.v1+wasm`) and each static file a layer
/// (`application/vnd.wasm.content.layer.v1+data`; an empty file is sent as two zero bytes
/// with the `com.fermyon.spin.application.layer.isEmpty` annotation, as Spin does).
public enum RegistryApp {
    package static let configMediaType = "application/vnd.fermyon.spin.application.v1+config"
    package static let wasmMediaType = "application/vnd.wasm.content.layer.v1+wasm"
    package static let dataMediaType = "application/vnd.wasm.content.layer.v1+data"
    package static let emptyLayerAnnotation = "com.fermyon.spin.application.layer.isEmpty"

    /// One blob of an artifact.
    struct Layer {
        var mediaType: String
        var bytes: [UInt8]
        var digest: String
        var annotations: [String: String] = [:]

        var descriptor: [String: Any] {
            var d: [String: Any] = ["mediaType": mediaType, "digest": digest, "size": bytes.count]
            if !annotations.isEmpty { d["annotations"] = annotations }
            return d
        }
    }

    /// Pushes the app of `manifestPath` (a `spin.toml` or its folder) to `reference`;
    /// returns the pushed manifest's digest. `annotations` go on the OCI manifest; `log` gets one
    /// line per blob.
    public static func push(
        manifestPath: String, reference text: String, insecure: Bool = false, annotations: [String: String] = [:],
        cache: RegistryCache = RegistryCache(), log: (String) -> Void = { _ in }
    ) throws(RegistryError) -> String {
        let reference = try ImageReference(parsing: text)
        let manifest: AppManifest
        do {
            manifest = try Manifest.load(path: manifestPath)
        } catch {
            throw RegistryError("cannot push \(text)", causes: ["\(error)"])
        }
        var layers: [Layer] = []
        var content: [String: LockedApp.ComponentContent] = [:]
        func add(_ layer: Layer) {
            if !layers.contains(where: { $0.digest == layer.digest }) { layers.append(layer) }
        }
        for component in manifest.components {
            let wasmPath: String
            switch component.source {
            case .file(let path): wasmPath = path
            case .url(let url, let digest):
                wasmPath = try RemoteSource.fetch(url: url, digest: digest, component: component.id, cache: cache)
            }
            guard let wasm = FileManager.default.contents(atPath: wasmPath).map({ [UInt8]($0) }) else {
                throw RegistryError(
                    "cannot push \(text)", causes: ["component `\(component.id)`: cannot read source \(wasmPath)"])
            }
            let wasmDigest = Digest.sha256(wasm)
            add(Layer(mediaType: wasmMediaType, bytes: wasm, digest: wasmDigest))
            let entries: [ComponentFiles.Entry]
            do {
                entries = try ComponentFiles.expand(component, baseDirectory: manifest.baseDirectory)
            } catch {
                throw RegistryError("cannot push \(text)", causes: ["component `\(component.id)`: \(error)"])
            }
            var files: [LockedApp.File] = []
            for entry in entries {
                guard var bytes = FileManager.default.contents(atPath: entry.hostPath).map({ [UInt8]($0) }) else {
                    throw RegistryError(
                        "cannot push \(text)", causes: ["component `\(component.id)`: cannot read \(entry.hostPath)"])
                }
                var layerAnnotations: [String: String] = [:]
                if bytes.isEmpty {
                    bytes = [0, 0]
                    layerAnnotations[emptyLayerAnnotation] = "true"
                }
                let digest = Digest.sha256(bytes)
                add(Layer(mediaType: dataMediaType, bytes: bytes, digest: digest, annotations: layerAnnotations))
                files.append(LockedApp.File(path: String(entry.guestPath.drop { $0 == "/" }), digest: digest))
            }
            content[component.id] = LockedApp.ComponentContent(wasmDigest: wasmDigest, files: files)
        }
        let configBytes = LockedApp.json(for: manifest, content: content)
        let config = Layer(mediaType: configMediaType, bytes: configBytes, digest: Digest.sha256(configBytes))
        var ociManifest: [String: Any] = [
            "schemaVersion": 2, "mediaType": RegistryClient.manifestMediaType, "config": config.descriptor,
            "layers": layers.map(\.descriptor),
        ]
        if !annotations.isEmpty { ociManifest["annotations"] = annotations }
        let manifestBytes = [UInt8](
            try! JSONSerialization.data(withJSONObject: ociManifest, options: [.sortedKeys, .withoutEscapingSlashes]))
        do throws(RegistryError) {
            let client = try RegistryClient(reference: reference, insecure: insecure)
            for blob in [config] + layers {
                if try client.hasBlob(blob.digest, repository: reference.repository) {
                    log("Layer \(blob.digest) already exists")
                    continue
                }
                try client.uploadBlob(blob.bytes, digest: blob.digest, repository: reference.repository)
                log("Uploaded \(blob.digest) (\(blob.bytes.count) bytes, \(blob.mediaType))")
            }
            return try client.putManifest(
                manifestBytes, repository: reference.repository, reference: reference.manifestReference)
        } catch {
            throw error.context("cannot push Spin application to \(reference)")
        }
    }

    /// What a pull left in the cache.
    public struct Pulled: Sendable {
        /// The manifest's digest.
        public var digest: String
        /// The locked app (the config blob), as written to `config.json`.
        package var lockedApp: [UInt8]
    }

    /// Pulls `reference` into `cache`, checking every blob's digest; returns the manifest digest.
    public static func pull(reference text: String, insecure: Bool = false, cache: RegistryCache = RegistryCache())
        throws(RegistryError) -> Pulled
    {
        let reference = try ImageReference(parsing: text)
        do throws(RegistryError) {
            let client = try RegistryClient(reference: reference, insecure: insecure)
            let repository = reference.repository
            let (manifestBytes, digest) = try client.manifest(
                repository: repository, reference: reference.manifestReference)
            guard let manifest = try? JSONSerialization.jsonObject(with: Data(manifestBytes)) as? [String: Any],
                let config = manifest["config"] as? [String: Any], let configDigest = config["digest"] as? String
            else { throw RegistryError("the manifest of \(reference) is not an OCI image manifest") }
            let configType = config["mediaType"] as? String ?? ""
            guard configType == configMediaType else {
                throw RegistryError(
                    "\(reference) is not a Spin application: its config media type is `\(configType)`, not `\(configMediaType)`")
            }
            let lockedApp = try client.blob(configDigest, repository: repository, what: "the locked app (config)")
            for (n, value) in (manifest["layers"] as? [Any] ?? []).enumerated() {
                guard let layer = value as? [String: Any], let layerDigest = layer["digest"] as? String,
                    ImageReference.isDigest(layerDigest)
                else { throw RegistryError("layer \(n) of \(reference) has no sha256 digest") }
                let isWasm = layer["mediaType"] as? String == wasmMediaType
                let isEmpty = (layer["annotations"] as? [String: Any])?[emptyLayerAnnotation] as? String == "true"
                let path = isWasm ? cache.wasmPath(layerDigest) : cache.dataPath(layerDigest)
                if isEmpty ? FileManager.default.fileExists(atPath: path) : cache.holds(path, digest: layerDigest) {
                    continue
                }
                let bytes = try client.blob(
                    layerDigest, repository: repository, what: "layer \(n) (\(isWasm ? "Wasm module" : "file"))")
                try cache.write(isEmpty ? [] : bytes, to: path)
            }
            let dir = cache.manifestDirectory(for: reference)
            try cache.write(manifestBytes, to: dir + "/manifest.json")
            try cache.write(lockedApp, to: dir + "/config.json")
            return Pulled(digest: digest, lockedApp: lockedApp)
        } catch {
            throw error.context("cannot pull Spin application from \(reference)")
        }
    }

    /// Pulls `reference` and loads it for `spin up`: files are copied into a fresh temporary
    /// folder; logs and state go under the current folder's `.spin` as for a local app.
    public static func load(
        reference: String, options: AppLoadOptions = AppLoadOptions(), insecure: Bool = false,
        cache: RegistryCache = RegistryCache()
    ) throws -> LoadedApp {
        let pulled = try pull(reference: reference, insecure: insecure, cache: cache)
        let mounts = NSTemporaryDirectory() + "spin-registry-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let manifest = try LockedApp.manifest(
            from: pulled.lockedApp, origin: reference, cache: cache, mountDirectory: mounts,
            baseDirectory: FileManager.default.currentDirectoryPath)
        return try LoadedApp.load(manifest: manifest, options: options)
    }
}

extension RegistryApp {
    /// Checks `credential` against `reference`'s registry (`GET /v2/`, answering its challenge).
    public static func checkLogin(_ reference: ImageReference, credential: RegistryCredential, insecure: Bool = false)
        throws(RegistryError)
    {
        do throws(RegistryError) {
            try RegistryClient(reference: reference, insecure: insecure, credential: credential).checkAccess()
        } catch {
            throw error.context("cannot log in as \(credential.username) to registry \(reference.registry)")
        }
    }
}
