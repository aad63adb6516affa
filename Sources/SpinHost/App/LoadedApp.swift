import Foundation
import WasmCore
import WasmWASI

/// An error that stops an app from loading: names the component and file at fault.
public struct AppLoadError: Error, CustomStringConvertible, Sendable {
    public var message: String
    package init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Which guest ABI a component's module speaks.
package enum GuestABI: Sendable, Equatable {
    /// Spin 1.x HTTP: `handle-http-request` + `canonical_abi_realloc/free` (wit-bindgen 0.2).
    case spinHTTP
    /// Spin 1.x Redis: `handle-redis-message`.
    case spinRedis
    /// A WASI command run as CGI.
    case wagi
}

/// A component whose module is compiled and ready to instantiate per request.
public final class LoadedComponent: Sendable {
    public let component: Component
    public let module: Module
    /// Environment variables for every instance (manifest `environment` plus `spin up -e`).
    public let environment: [String: String]
    /// Directories to preopen, read-only (the component's `files`).
    public let preopens: [WASIConfiguration.Preopen]
    /// Which Spin guest ABI the module speaks (old wit-bindgen 0.2, or 1.4–1.5's wit-bindgen 0.8).
    package let moduleABI: SpinModuleABI

    init(component: Component, module: Module, environment: [String: String], preopens: [WASIConfiguration.Preopen]) {
        self.component = component
        self.module = module
        self.environment = environment
        self.preopens = preopens
        self.moduleABI = SpinModuleABI.of(module)
    }

    public var id: String { component.id }

    /// Whether the module exports a function named `name`.
    public func exports(_ name: String) -> Bool {
        module.exports.contains { $0.kind == .function && $0.name == name }
    }
}

/// Options of `spin up` that affect loading.
public struct AppLoadOptions: Sendable {
    /// `-e KEY=VALUE`: added to every component's environment.
    public var environment: [String: String] = [:]
    /// `-c/--component-id`: run only these components (and the triggers that use them);
    /// empty runs all. An id the manifest does not define is an error.
    public var componentIDs: [String] = []
    /// `--temp`, `--direct-mounts`, `--allow-transient-write`.
    public var files = FilesMountStrategy()
    public init() {}
}

/// A loaded application: the manifest and its compiled components. Loading is
/// the only place that reads `spin.toml` and the modules; triggers use this.
public final class LoadedApp: Sendable {
    public let manifest: AppManifest
    public let components: [String: LoadedComponent]
    /// Components (Component Model binaries) served by `ComponentHTTPExecutor`, by id.
    public let httpComponents: [String: LoadedWasmComponent]
    /// Components (Component Model binaries) served by `ComponentRedisExecutor`, by id.
    public let redisComponents: [String: LoadedWasmComponent]

    init(
        manifest: AppManifest, components: [String: LoadedComponent],
        httpComponents: [String: LoadedWasmComponent] = [:], redisComponents: [String: LoadedWasmComponent] = [:]
    ) {
        self.manifest = manifest
        self.components = components
        self.httpComponents = httpComponents
        self.redisComponents = redisComponents
    }

    /// Loads `path` (a `spin.toml` or a folder holding one) and compiles every
    /// component that a trigger uses. Every error is reported before serving starts.
    public static func load(path: String, options: AppLoadOptions = AppLoadOptions()) throws -> LoadedApp {
        try load(manifest: Manifest.load(path: path), options: options)
    }

    /// Compiles the components of an already-read manifest (e.g. `Manifest.bareWasm`).
    public static func load(manifest: AppManifest, options: AppLoadOptions = AppLoadOptions()) throws -> LoadedApp {
        var manifest = manifest
        if !options.componentIDs.isEmpty { manifest = try retaining(options.componentIDs, of: manifest) }
        // Every ABI a component is called through, in manifest order: one component may serve
        // an HTTP route and a Redis channel (Spin allows it; the Spin SDKs' `spin-all` world).
        var abis: [String: [GuestABI]] = [:]
        func add(_ abi: GuestABI, _ id: String) {
            if !(abis[id] ?? []).contains(abi) { abis[id, default: []].append(abi) }
        }
        for t in manifest.httpTriggers {
            switch t.executor {
            case .spin: add(.spinHTTP, t.componentID)
            case .wagi: add(.wagi, t.componentID)
            }
        }
        for t in manifest.redisTriggers { add(.spinRedis, t.componentID) }

        var components: [String: LoadedComponent] = [:]
        var httpComponents: [String: LoadedWasmComponent] = [:]
        var redisComponents: [String: LoadedWasmComponent] = [:]
        for component in manifest.components {
            guard let componentABIs = abis[component.id] else { continue }
            if let problem = UnsupportedFeatures.problem(with: component, manifestPath: manifest.manifestPath) {
                throw problem
            }
            // A component binary under an HTTP trigger (default executor) is served by
            // ComponentHTTPExecutor, under a Redis trigger by ComponentRedisExecutor (linked once
            // for both); core modules keep their executors.
            let triggers: [ComponentWorld.Trigger] = componentABIs.compactMap {
                switch $0 {
                case .spinHTTP: .http
                case .spinRedis: .redis
                case .wagi: nil
                }
            }
            if triggers.count == componentABIs.count, let path = try sourcePath(component) as String?,
                let bytes = FileManager.default.contents(atPath: path).map({ [UInt8]($0) }),
                LoadedWasmComponent.isComponentBinary(bytes)
            {
                var environment = component.environment
                for (k, v) in options.environment { environment[k] = v }
                let preopens = try FileMounts.preopens(
                    for: component, appDirectory: manifest.baseDirectory, strategy: options.files)
                let loaded = try LoadedWasmComponent.load(
                    component, bytes: bytes, path: path, triggers: triggers, environment: environment,
                    preopens: preopens)
                for (trigger, l) in zip(triggers, loaded) {
                    switch trigger {
                    case .http: httpComponents[component.id] = l
                    case .redis: redisComponents[component.id] = l
                    }
                }
                continue
            }
            let module = try compile(component)
            for abi in componentABIs { try check(module, of: component, for: abi) }
            var environment = component.environment
            for (k, v) in options.environment { environment[k] = v }
            let preopens = try FileMounts.preopens(
                for: component, appDirectory: manifest.baseDirectory, strategy: options.files)
            components[component.id] = LoadedComponent(
                component: component, module: module, environment: environment, preopens: preopens)
        }
        return LoadedApp(
            manifest: manifest, components: components, httpComponents: httpComponents,
            redisComponents: redisComponents)
    }

    /// The app with only `ids` and the triggers that use them (Spin's `retain_components`).
    static func retaining(_ ids: [String], of manifest: AppManifest) throws -> AppManifest {
        for id in ids where manifest.component(id: id) == nil {
            let known = manifest.components.map(\.id).joined(separator: ", ")
            throw AppLoadError(
                "failed to resolve application with only components selected with --component-id: specified component \"\(id)\" not found in application (components: \(known))"
            )
        }
        var app = manifest
        let keep = Set(ids)
        app.components = app.components.filter { keep.contains($0.id) }
        app.httpTriggers = app.httpTriggers.filter { keep.contains($0.componentID) }
        app.redisTriggers = app.redisTriggers.filter { keep.contains($0.componentID) }
        app.otherTriggers = app.otherTriggers.filter { keep.contains($0.componentID) }
        return app
    }

    /// The local file holding `component`'s Wasm: its `source` path, or the cached download of
    /// a `source = { url, digest }`.
    static func sourcePath(_ component: Component) throws -> String {
        switch component.source {
        case .file(let p):
            return p
        case .url(let url, let digest):
            // Downloaded once into the registry cache, its digest checked (Registry/RemoteSource.swift).
            return try RemoteSource.fetch(url: url, digest: digest, component: component.id)
        case .registry(_, let package, _):
            throw AppLoadError("component `\(component.id)`: source is the registry package \(package); not supported")
        }
    }

    static func compile(_ component: Component) throws -> Module {
        let path = try sourcePath(component)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AppLoadError("component `\(component.id)`: cannot read source \(path)")
        }
        let bytes = [UInt8](data)
        if bytes.count >= 8, bytes[0..<4] == [0x00, 0x61, 0x73, 0x6D], bytes[4..<8] != [1, 0, 0, 0],
            bytes[6] == 1
        {
            throw AppLoadError(
                "component `\(component.id)`: \(path) is a WebAssembly component (component model); components run only under an HTTP trigger with the default executor or a Redis trigger (a WAGI trigger needs a core module)"
            )
        }
        do {
            return try Module(bytes: bytes)
        } catch {
            throw AppLoadError("component `\(component.id)`: \(path): \(error)")
        }
    }

    /// Refuses modules that cannot work with the component's executor. A Spin 1.4–1.5 SDK
    /// module (wit-bindgen 0.8, `SpinModuleABI.preview2`) must export its trigger's
    /// `fermyon:spin/…` handler, `cabi_realloc` and `memory` (`SpinPreview2ABI.check`).
    static func check(_ module: Module, of component: Component, for abi: GuestABI) throws {
        let exported = Set(module.exports.filter { $0.kind == .function }.map(\.name))
        let id = component.id
        if abi != .wagi, SpinModuleABI.of(module) == .preview2 {
            let (entry, type) =
                abi == .spinHTTP
                ? (SpinPreview2ABI.handleRequest, SpinPreview2Types.handleRequest)
                : (SpinPreview2ABI.handleMessage, SpinPreview2Types.handleMessage)
            return try SpinPreview2ABI.check(module, entry: entry, type: type, component: id)
        }
        switch abi {
        case .spinHTTP, .spinRedis:
            let entry = abi == .spinHTTP ? "handle-http-request" : "handle-redis-message"
            for name in [entry, "canonical_abi_realloc", "canonical_abi_free"] where !exported.contains(name) {
                var message = "component `\(id)`: failed to find function export \(name)"
                if abi == .spinHTTP && exported.contains("_start") {
                    message += ": component is not compatible with Spin executor - should this use the Wagi executor?"
                }
                throw AppLoadError(message)
            }
            guard module.exports.contains(where: { $0.kind == .memory }) else {
                throw AppLoadError("component `\(id)`: the module exports no memory")
            }
        case .wagi:
            break
        }
    }
}
