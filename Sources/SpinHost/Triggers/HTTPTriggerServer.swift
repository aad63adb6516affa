import Foundation
import HTTP1
import WasmCore
import WasmWASI

/// The HTTP trigger: routes requests to components and runs each on a fresh instance.
public final class HTTPTriggerServer: Sendable {
    public let app: LoadedApp
    package let router: Router
    let host: GuestHost
    let server: HTTPServer
    /// Trigger settings by (component id, raw route).
    private let executors: [String: HTTPExecutor]
    private let log: @Sendable (String) -> Void

    /// - Parameters:
    ///   - listen: `host:port` (port 0 picks a free one).
    ///   - logsRequests: whether `log` gets one line per request (`spin up` logs them only when
    ///     `RUST_LOG` asks for Spin's `info` level, where Spin logs requests).
    ///   - log: receives every error (component and reason), and the request lines.
    ///   - workerCount: threads running guests. More than the cores, so that a few guests
    ///     running until their deadline cannot hold up every other request.
    public init(
        app: LoadedApp, host: GuestHost, listen: String, limits: HTTPLimits = .default,
        workerCount: Int = HTTPTriggerServer.defaultWorkerCount, logsRequests: Bool = true,
        log: @escaping @Sendable (String) -> Void
    ) {
        let manifest = app.manifest
        let router = Router(
            base: manifest.httpBase,
            routes: manifest.httpTriggers.filter { !$0.isPrivate }.map { ($0.componentID, $0.route) })
        var executors: [String: HTTPExecutor] = [:]
        for t in manifest.httpTriggers { executors[HTTPTriggerServer.key(t.componentID, t.route)] = t.executor }
        self.app = app
        self.router = router
        self.host = host
        self.executors = executors
        self.log = log
        let base = manifest.httpBase
        let handler = SpinHTTPDispatch.handler(router: router, appName: manifest.name, appVersion: manifest.version) {
            [app, host, executors, log] request, entry in
            var response = HTTPTriggerServer.handle(
                request, entry: entry, base: base, app: app, host: host,
                executor: executors[HTTPTriggerServer.key(entry.componentID, entry.rawRoute)] ?? .spin, log: log)
            response.logLabel = entry.componentID
            return response
        }
        server = HTTPServer(
            configuration: HTTPServerConfiguration(address: listen, limits: limits, workerCount: workerCount),
            handler: handler,
            logger: { request, response, duration in
                guard logsRequests else { return }
                // The handler labels each response with the component that answered ("-" for none).
                var labelled = response
                if labelled.logLabel == nil { labelled.logLabel = "-" }
                log(HTTPServer.logLine(request, labelled, duration))
            },
            diagnostics: { line in log(line) })
    }

    /// 4 per core, at least 16.
    public static let defaultWorkerCount = max(16, 4 * ProcessInfo.processInfo.activeProcessorCount)

    static func key(_ component: String, _ route: String) -> String { component + "\u{0}" + route }

    /// Binds and starts serving.
    public func start() throws { try server.start() }

    /// Stops accepting, lets in-flight requests finish.
    public func stop() { server.stop() }

    public func waitUntilStopped() { server.waitUntilStopped() }

    /// Installs SIGINT/SIGTERM handling that stops the server gracefully.
    public func stopOnSignals(onSignal: (@Sendable (Int32) -> Void)? = nil) -> SignalHandlers {
        server.stopOnSignals(onSignal: onSignal)
    }

    /// Most connections the server holds at once (fitted to the descriptor limit at start).
    public var maxConnections: Int { server.maxConnections }

    /// The open-file limit as raised at start.
    public var descriptorLimit: Int? { server.descriptorLimit }

    /// The start-up line about capacity, e.g.
    /// `HTTP server: up to 3840 connections (open-file limit 4096)`.
    public var capacityLine: String {
        "HTTP server: up to \(maxConnections) connections (open-file limit \(descriptorLimit.map(String.init) ?? "unknown"))"
    }

    /// The address actually bound, e.g. `127.0.0.1:3000`.
    public var localAddress: String { server.localAddress }

    /// The text `spin up` prints: `Serving http://...` and the route listing.
    public var routeListing: String {
        var descriptions: [String: String] = [:]
        for c in app.manifest.components { if let d = c.description { descriptions[c.id] = d } }
        return SpinRouteListing.format(
            baseURL: SpinRouteListing.baseURL(listenAddress: localAddress), router: router, descriptions: descriptions)
    }

    static func handle(
        _ request: HTTPRequest, entry: RouteEntry, base: String, app: LoadedApp, host: GuestHost,
        executor: HTTPExecutor, log: @Sendable (String) -> Void
    ) -> HTTPResponse {
        let id = entry.componentID
        do {
            if let wasiComponent = app.httpComponents[id] {
                let uri = request.query.map { "\(request.path)?\($0)" } ?? request.path
                let headers = SpinSpecialHeaders.headersForGuest(request, entry: entry, base: base)
                var response = try ComponentHTTPExecutor.execute(
                    wasiComponent, host: host, method: request.method, pathWithQuery: uri, headers: headers,
                    body: request.body, startResponse: request.startResponse)
                if request.method == "HEAD" { response.body = [] }
                return response
            }
            guard let component = app.components[id] else {
                log("component `\(id)` is not loaded")
                return HTTPResponse(status: 500)
            }
            switch executor {
            case .spin:
                let uri = request.query.map { "\(request.path)?\($0)" } ?? request.path
                let headers = SpinSpecialHeaders.headersForGuest(request, entry: entry, base: base)
                var response =
                    component.moduleABI == .preview2
                    ? try SpinPreview2HTTPExecutor.execute(
                        component, host: host, method: request.method, uri: uri, headers: headers, body: request.body)
                    : try SpinHTTPExecutor.execute(
                        component, host: host, method: request.method, uri: uri, headers: headers, body: request.body)
                if request.method == "HEAD" { response.body = [] }
                return response
            case .wagi(let entrypoint, let argv):
                let wagiRequest = WAGIExecutor.Request(
                    method: request.method, path: request.path, query: request.query,
                    version: request.version.description, headers: request.headers, body: request.body,
                    remoteAddress: request.remoteAddress,
                    special: SpinSpecialHeaders.compute(for: request, entry: entry, base: base),
                    scriptName: entry.pattern.pathOrPrefix)
                return try WAGIExecutor.execute(
                    component, host: host, entrypoint: entrypoint, argv: argv, request: wagiRequest)
            }
        } catch let limit as GuestLimitExceeded {
            log(limit.description)
        } catch let trap as Trap {
            var message = "component `\(id)` trapped: \(trap.message)"
            if let f = trap.backtrace.first { message += " (in \(f))" }
            log(message)
        } catch let exit as WASIExit {
            log("component `\(id)` exited with code \(exit.code)")
        } catch {
            log("component `\(id)` failed: \(error)")
        }
        return HTTPResponse(status: 500)
    }
}
