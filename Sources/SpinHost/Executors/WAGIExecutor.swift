import Foundation
import HTTP1
import WasmCore
import WasmWASI

/// The WAGI executor: runs a WASI command as a CGI program (docs/spin-1x.md#wagi-executor).
/// stdin is the request body; stdout is parsed into status, headers and body.
package enum WAGIExecutor {
    /// What the executor needs to know about the request besides the guest.
    package struct Request: Sendable {
        package var method: String
        package var path: String
        package var query: String?
        package var version: String
        package var headers: HTTPHeaders
        package var body: [UInt8]
        /// Peer address, `ip:port`.
        package var remoteAddress: String
        /// The `spin-*` values for this route, set as WAGI variables (docs/spin-1x.md#spin-headers).
        package var special: [SpinSpecialValue]
        /// `SCRIPT_NAME`: the route's path or prefix, base included, without `/...`.
        package var scriptName: String

        package init(
            method: String, path: String, query: String?, version: String, headers: HTTPHeaders, body: [UInt8],
            remoteAddress: String, special: [SpinSpecialValue], scriptName: String
        ) {
            self.method = method
            self.path = path
            self.query = query
            self.version = version
            self.headers = headers
            self.body = body
            self.remoteAddress = remoteAddress
            self.special = special
            self.scriptName = scriptName
        }
    }

    package static func execute(
        _ component: LoadedComponent, host: GuestHost, entrypoint: String, argv: String, request: Request
    ) throws -> HTTPResponse {
        let stdout = OutputBuffer()
        let guest = try host.instantiate(
            component, args: arguments(template: argv, request: request), environment: environment(request),
            stdin: .bytes(request.body), stdout: .buffer(stdout))
        defer { guest.close() }
        guard guest.instance.function(named: entrypoint) != nil else {
            throw ExecutorError("the module exports no entrypoint function '\(entrypoint)'")
        }
        let code = try guest.enforcingLimits { try WASI.exitCode { _ = try guest.instance.invoke(entrypoint) } }
        guard code == 0 else { throw ExecutorError("the program exited with code \(code)") }
        // stdout is the response: a truncated one would be wrong, so it fails the request.
        guard !guest.exceededOutputLimit else {
            throw GuestLimitExceeded(component: component.id, limit: .output(host.limits.maxOutputBytes))
        }
        let output = stdout.bytes
        guard !output.isEmpty else {
            throw ExecutorError(
                "the \(component.id) component is configured to use the WAGI executor but did not write to stdout")
        }
        return composeResponse(output)
    }

    /// argv from the `argv` template: `${SCRIPT_NAME}` is the full request path,
    /// `${ARGS}` the raw query with `&` turned into spaces; then split on spaces.
    static func arguments(template: String, request: Request) -> [String] {
        let args = (request.query ?? "").replacingOccurrences(of: "&", with: " ")
        let expanded = template.replacingOccurrences(of: "${SCRIPT_NAME}", with: request.path)
            .replacingOccurrences(of: "${ARGS}", with: args)
        return expanded.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
    }

    /// The CGI environment (table in docs/spin-1x.md#wagi-executor).
    static func environment(_ request: Request) -> [String: String] {
        var env: [String: String] = [:]
        let remoteIP = hostPart(request.remoteAddress)
        let rawPathInfo = request.special.first { $0.wagiVariable == "PATH_INFO" }?.value ?? ""
        env["AUTH_TYPE"] = ""
        env["CONTENT_LENGTH"] = String(request.body.count)
        // Spin and WAGI look up "CONTENT_TYPE" in the header map, so it is always
        // empty there; the CGI specification (RFC 3875 §4.1.3) says it is the
        // request's Content-Type, which is what we set.
        env["CONTENT_TYPE"] = request.headers.first { $0.name.lowercased() == "content-type" }?.value ?? ""
        env["GATEWAY_INTERFACE"] = "CGI/1.1"
        env["QUERY_STRING"] = request.query ?? ""
        env["REMOTE_ADDR"] = remoteIP
        env["REMOTE_HOST"] = remoteIP
        env["REMOTE_USER"] = ""
        env["REQUEST_METHOD"] = request.method
        env["SCRIPT_NAME"] = request.scriptName
        env["X_RAW_PATH_INFO"] = rawPathInfo
        env["PATH_TRANSLATED"] = rawPathInfo.removingPercentEncoding ?? rawPathInfo
        let host = request.headers.first { $0.name.lowercased() == "host" }?.value
        if let host {
            if let colon = host.lastIndex(of: ":"), !host.hasSuffix("]") {
                env["SERVER_NAME"] = String(host[..<colon])
                env["SERVER_PORT"] = String(host[host.index(after: colon)...])
            } else {
                env["SERVER_NAME"] = host
                env["SERVER_PORT"] = "80"
            }
        } else {
            env["SERVER_NAME"] = "localhost"
            env["SERVER_PORT"] = "80"
        }
        env["SERVER_PROTOCOL"] = request.version
        env["SERVER_SOFTWARE"] = "WAGI/1"
        for (name, value) in request.headers {
            let lower = name.lowercased()
            if lower == "authorization" || lower == "connection" { continue }
            env["HTTP_" + lower.uppercased().replacingOccurrences(of: "-", with: "_")] = value
        }
        // Spin's special values last: PATH_INFO is the raw remainder, X_FULL_URL and friends as in docs/spin-1x.md#spin-headers.
        for s in request.special { env[s.wagiVariable] = s.value }
        return env
    }

    static func hostPart(_ address: String) -> String {
        if address.hasPrefix("["), let end = address.firstIndex(of: "]") {
            return String(address[address.index(after: address.startIndex)..<end])
        }
        if let colon = address.lastIndex(of: ":") { return String(address[..<colon]) }
        return address
    }

    /// Parses CGI output the way Spin's `compose_response` does (docs/spin-1x.md#wagi-output).
    static func composeResponse(_ output: [UInt8]) -> HTTPResponse {
        // Header section: up to the first blank line, carriage returns ignored.
        var headerBytes: [UInt8] = []
        var bodyStart = output.count
        var previousNewline = false
        var i = 0
        while i < output.count {
            let b = output[i]
            i += 1
            if b == 0x0D { continue }
            if b == 0x0A {
                if previousNewline {
                    bodyStart = i
                    break
                }
                previousNewline = true
            } else {
                previousNewline = false
            }
            headerBytes.append(b)
        }
        let body = bodyStart < output.count ? Array(output[bodyStart...]) : []
        var headers: HTTPHeaders = []
        var status: Int?
        var sufficient = false
        var location: String?
        for line in String(decoding: headerBytes, as: UTF8.self).split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }  // "corrupt header": ignored
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch name {
            case "content-type":
                sufficient = true
                headers.append((name, value))
            case "status":
                sufficient = true
                let code = value.split(separator: " ").first.flatMap { Int($0) }
                guard let code, (100...999).contains(code) else { return HTTPResponse(status: 502) }
                status = code
            case "location":
                sufficient = true
                location = value
                headers.append((name, value))
            default:
                guard !name.isEmpty, name.utf8.allSatisfy(SpinHTTPExecutor.isTokenByte) else { continue }
                headers.append((name, value))
            }
        }
        guard sufficient else {
            return HTTPResponse(
                status: 500, headers: [],
                body: Array("Exactly one of 'location' or 'content-type' must be specified".utf8))
        }
        // An explicit Status wins over the 302 that Location implies (RFC 3875 §6.2.3-4);
        // Spin's outcome there depends on hash-map order.
        let finalStatus = status ?? (location != nil ? 302 : 200)
        return HTTPResponse(status: finalStatus, headers: headers, body: body)
    }
}
