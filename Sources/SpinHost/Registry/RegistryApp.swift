import Foundation

/// Spin apps as OCI artifacts, in Spin 3's layout: each Wasm module is a layer
/// (`application/vnd.wasm.content.layer.v1+wasm`), each static file a layer
/// (`application/vnd.wasm.content.layer.v1+data`) unless it is at most 128 bytes (then its
/// content travels `inline` in the locked app, as Spin does for registries that refuse tiny
/// blobs), and the locked app is the last layer (`application/vnd.fermyon.spin.application.v1+config`).
/// The OCI config is a plain image config (`wasm`/`wasip1`) whose label
/// `com.fermyon.spin.lockedAppDigest` names the locked app. With `SPIN_OCI_ARCHIVE_LAYERS` set,
/// or when one layer per file would pass the registries' 500, a component's files go as one
/// archive layer (`application/vnd.wasm.content.bundle.v1.tar+gzip`, a gzipped tar), as in
/// Spin. Pulling reads both, and Spin 1's layout (the locked app *as* the config, empty files
/// as two bytes with the `com.fermyon.spin.application.layer.isEmpty` annotation).
public enum RegistryApp {
    package static let lockedAppMediaType = "application/vnd.fermyon.spin.application.v1+config"
    package static let wasmMediaType = "application/vnd.wasm.content.layer.v1+wasm"
    package static let dataMediaType = "application/vnd.wasm.content.layer.v1+data"
    package static let archiveMediaType = "application/vnd.wasm.content.bundle.v1.tar+gzip"
    package static let imageConfigMediaType = "application/vnd.oci.image.config.v1+json"
    package static let emptyLayerAnnotation = "com.fermyon.spin.application.layer.isEmpty"
    /// Files up to this size travel inline in the locked app (Spin's `content_ref_inline_max_size`).
    package static let inlineMaxSize = 128
    /// Registries refuse manifests with more layers (500 is ECR's limit; one is the locked app).
    package static let maxLayerCount = 500

    /// One blob of an artifact.
    struct Layer {
        var mediaType: String
        var bytes: [UInt8]
        var digest: String

        init(mediaType: String, bytes: [UInt8]) {
            self.mediaType = mediaType
            self.bytes = bytes
            digest = Digest.sha256(bytes)
        }

        var descriptor: [String: Any] { ["mediaType": mediaType, "digest": digest, "size": bytes.count] }
    }

    /// Pushes the app of `manifestPath` (a `spin.toml` or its folder) to `reference`;
    /// returns the pushed manifest's digest. `annotations` go on the OCI manifest (over the
    /// inferred `org.opencontainers.image.*` ones, as in Spin); `log` gets one line per blob.
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
        var componentFiles: [(id: String, wasmDigest: String, files: [(path: String, bytes: [UInt8])])] = []
        func add(_ layer: Layer) {
            if !layers.contains(where: { $0.digest == layer.digest }) { layers.append(layer) }
        }
        for component in manifest.components {
            let wasmPath: String
            if case .file(let path) = component.source {
                wasmPath = path
            } else if case .url(let url, let digest) = component.source {
                wasmPath = try RemoteSource.fetch(url: url, digest: digest, component: component.id, cache: cache)
            } else {
                throw RegistryError(
                    "cannot push \(text)", causes: ["component `\(component.id)`: its source kind cannot be pushed"])
            }
            guard let wasm = FileManager.default.contents(atPath: wasmPath).map({ [UInt8]($0) }) else {
                throw RegistryError(
                    "cannot push \(text)", causes: ["component `\(component.id)`: cannot read source \(wasmPath)"])
            }
            let wasmLayer = Layer(mediaType: wasmMediaType, bytes: wasm)
            let wasmDigest = wasmLayer.digest
            add(wasmLayer)
            let entries: [ComponentFiles.Entry]
            do {
                entries = try ComponentFiles.expand(component, baseDirectory: manifest.baseDirectory)
            } catch {
                throw RegistryError("cannot push \(text)", causes: ["component `\(component.id)`: \(error)"])
            }
            var files: [(path: String, bytes: [UInt8])] = []
            for entry in entries {
                guard let bytes = FileManager.default.contents(atPath: entry.hostPath).map({ [UInt8]($0) }) else {
                    throw RegistryError(
                        "cannot push \(text)", causes: ["component `\(component.id)`: cannot read \(entry.hostPath)"])
                }
                files.append((String(entry.guestPath.drop { $0 == "/" }), bytes))
            }
            componentFiles.append((component.id, wasmDigest, files))
        }
        // One layer per file (small ones inline), or, with SPIN_OCI_ARCHIVE_LAYERS or when that
        // is more layers than registries take, one gzipped tar per component (as Spin does).
        let moduleLayers = layers
        func assemble(archives: Bool) {
            layers = moduleLayers
            content = [:]
            for (id, wasmDigest, files) in componentFiles {
                var locked: [LockedApp.File] = []
                for (path, bytes) in files {
                    let inline = bytes.count <= inlineMaxSize
                    let layer = archives || inline ? nil : Layer(mediaType: dataMediaType, bytes: bytes)
                    if let layer { add(layer) }
                    locked.append(
                        LockedApp.File(
                            path: path, digest: layer?.digest ?? Digest.sha256(bytes), inline: inline ? bytes : nil))
                }
                if archives && !files.isEmpty {
                    add(Layer(mediaType: archiveMediaType, bytes: Gzip.storedMember(TarWriter.archive(files))))
                }
                content[id] = LockedApp.ComponentContent(wasmDigest: wasmDigest, files: locked)
            }
        }
        let archiveRequested = ProcessInfo.processInfo.environment["SPIN_OCI_ARCHIVE_LAYERS"] != nil
        assemble(archives: archiveRequested)
        if !archiveRequested && layers.count >= maxLayerCount { assemble(archives: true) }
        guard layers.count < maxLayerCount else {
            throw RegistryError(
                "cannot push \(text)",
                causes: ["the app needs \(layers.count + 1) layers, more than registries accept (\(maxLayerCount))"])
        }
        let lockedApp = Layer(mediaType: lockedAppMediaType, bytes: LockedApp.json(for: manifest, content: content))
        layers.append(lockedApp)
        let imageConfig: [String: Any] = [
            "architecture": "wasm", "os": "wasip1",
            "config": ["Labels": ["com.fermyon.spin.lockedAppDigest": lockedApp.digest]],
            "rootfs": ["type": "layers", "diff_ids": [String]()],
        ]
        let config = Layer(
            mediaType: imageConfigMediaType,
            bytes: [UInt8](try! JSONSerialization.data(withJSONObject: imageConfig, options: [.sortedKeys])))
        var allAnnotations = inferredAnnotations(manifest)
        for (k, v) in annotations { allAnnotations[k] = v }
        let ociManifest: [String: Any] = [
            "schemaVersion": 2, "mediaType": RegistryClient.manifestMediaType, "config": config.descriptor,
            "layers": layers.map(\.descriptor), "annotations": allAnnotations,
        ]
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
        /// The locked app, as written to `config.json`.
        package var lockedApp: [UInt8]
    }

    /// Pulls `reference` into `cache`, checking every blob's digest; returns the manifest digest
    /// and the locked app.
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
            let layers = manifest["layers"] as? [Any] ?? []
            let lockedLayer = layers.compactMap { $0 as? [String: Any] }.last {
                $0["mediaType"] as? String == lockedAppMediaType
            }
            // Spin 1 pushed the locked app as the config; Spin 2+ as a layer.
            let lockedDigest: String
            if let lockedLayer, let d = lockedLayer["digest"] as? String, ImageReference.isDigest(d) {
                lockedDigest = d
            } else if configType == lockedAppMediaType, ImageReference.isDigest(configDigest) {
                lockedDigest = configDigest
            } else {
                throw RegistryError(
                    "\(reference) is not a Spin application: neither its config (`\(configType)`) nor a layer is `\(lockedAppMediaType)`"
                )
            }
            let lockedApp = try client.blob(lockedDigest, repository: repository, what: "the locked app")
            for (n, value) in layers.enumerated() {
                guard let layer = value as? [String: Any], let layerDigest = layer["digest"] as? String,
                    ImageReference.isDigest(layerDigest)
                else { throw RegistryError("layer \(n) of \(reference) has no sha256 digest") }
                let mediaType = layer["mediaType"] as? String ?? ""
                if mediaType == lockedAppMediaType { continue }
                if mediaType == archiveMediaType {
                    // A gzipped tar of a component's files: each file is cached by its own digest.
                    if cache.holds(cache.dataPath(layerDigest), digest: layerDigest) { continue }
                    let archive = try client.blob(layerDigest, repository: repository, what: "layer \(n) (archive)")
                    let files: [[UInt8]]
                    do {
                        files = try TarReader.regularFiles(try Gzip.decompress(archive))
                    } catch {  // Gzip.Failure or TarReader.Failure, both naming the byte offset
                        throw RegistryError("layer \(n) (archive \(layerDigest)): \(error)")
                    }
                    for file in files {
                        let digest = Digest.sha256(file)
                        if !cache.holds(cache.dataPath(digest), digest: digest) {
                            try cache.write(file, to: cache.dataPath(digest))
                        }
                    }
                    try cache.write(archive, to: cache.dataPath(layerDigest))
                    continue
                }
                let isWasm = mediaType == wasmMediaType
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

    /// Pulls `reference` and reads its locked app into the app model `spin up` runs: modules
    /// from the cache, files copied into a fresh folder under `ComponentFiles.defaultCopyRoot`
    /// (removed when `spin up` exits). The base folder (logs, state) is the current folder.
    public static func manifest(reference: String, insecure: Bool = false, cache: RegistryCache = RegistryCache())
        throws(RegistryError) -> AppManifest
    {
        let pulled = try pull(reference: reference, insecure: insecure, cache: cache)
        let mounts = ComponentFiles.defaultCopyRoot + "/registry-\(UInt32.random(in: 0...UInt32.max))"
        return try LockedApp.manifest(
            from: pulled.lockedApp, origin: reference, cache: cache, mountDirectory: mounts,
            baseDirectory: FileManager.default.currentDirectoryPath)
    }

    /// `manifest(reference:…)`, compiled for `spin up`.
    public static func load(
        reference: String, options: AppLoadOptions = AppLoadOptions(), insecure: Bool = false,
        cache: RegistryCache = RegistryCache()
    ) throws -> LoadedApp {
        try LoadedApp.load(manifest: manifest(reference: reference, insecure: insecure, cache: cache), options: options)
    }
}

extension RegistryApp {
    /// Checks `credential` against `registry` (`GET /v2/`, answering its challenge).
    public static func checkLogin(registry: String, credential: RegistryCredential, insecure: Bool = false)
        throws(RegistryError)
    {
        do throws(RegistryError) {
            try RegistryClient(registry: registry, insecure: insecure, credential: credential).checkAccess()
        } catch {
            throw error.context("cannot log in as \(credential.username) to registry \(registry)")
        }
    }
}

extension RegistryApp {
    /// Spin's inferred manifest annotations: title, version, description, authors, created.
    static func inferredAnnotations(_ manifest: AppManifest) -> [String: String] {
        var a: [String: String] = ["org.opencontainers.image.title": manifest.name]
        if !manifest.version.isEmpty { a["org.opencontainers.image.version"] = manifest.version }
        if let d = manifest.description { a["org.opencontainers.image.description"] = d }
        if !manifest.authors.isEmpty {
            a["org.opencontainers.image.authors"] = manifest.authors.joined(separator: ", ")
        }
        a["org.opencontainers.image.created"] = ISO8601DateFormatter().string(from: Date())
        return a
    }
}
