import Foundation

/// A source of variable values (environment, `.env`, runtime config providers: docs/spin-1x.md#variables).
package protocol VariableProvider: Sendable {
    /// The value of the app variable `name`, or nil when this provider has none.
    func value(of name: String) throws -> String?
}

/// Spin's environment provider: `SPIN_VARIABLE_<NAME>` (Spin 2+) and
/// `SPIN_CONFIG_<NAME>` (1.x), NAME upper-cased. The process environment wins
/// over the `.env` file of the app directory, which may use either prefix.
package struct EnvironmentVariableProvider: VariableProvider {
    package static let prefixes = ["SPIN_VARIABLE_", "SPIN_CONFIG_"]
    package var environment: [String: String]
    package var dotEnv: [String: String]

    package init(environment: [String: String] = ProcessInfo.processInfo.environment, dotEnv: [String: String] = [:]) {
        self.environment = environment
        self.dotEnv = dotEnv
    }

    /// Reads `<directory>/.env` (missing file = empty).
    package init(environment: [String: String] = ProcessInfo.processInfo.environment, dotEnvDirectory: String) throws {
        let path = (dotEnvDirectory as NSString).appendingPathComponent(".env")
        var dot: [String: String] = [:]
        if FileManager.default.fileExists(atPath: path) {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw VariablesError("cannot read \(path)")
            }
            dot = try Self.parseDotEnv(text, path: path)
        }
        self.init(environment: environment, dotEnv: dot)
    }

    package func value(of name: String) throws -> String? {
        let upper = name.uppercased()
        for source in [environment, dotEnv] {
            for p in Self.prefixes { if let v = source[p + upper] { return v } }
        }
        return nil
    }

    /// Parses a dotenv file: `KEY=VALUE` lines, optional `export `, `#`
    /// comments, single-quoted (literal) or double-quoted (`\n`, `\"`, `\\`
    /// escapes) values; unquoted values end at ` #`.
    package static func parseDotEnv(_ text: String, path: String = ".env") throws -> [String: String] {
        var out: [String: String] = [:]
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasSuffix("\r") { line.removeLast() }
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = String(line.dropFirst(7)).trimmingCharacters(in: .whitespaces) }
            guard let eq = line.firstIndex(of: "=") else {
                throw VariablesError("\(path):\(n + 1): expected KEY=VALUE")
            }
            let key = line[..<eq].trimmingCharacters(in: .whitespaces)
            var value = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("'") {
                guard value.count >= 2, let close = value.dropFirst().firstIndex(of: "'") else {
                    throw VariablesError("\(path):\(n + 1): unterminated quote")
                }
                value = String(value[value.index(after: value.startIndex)..<close])
            } else if value.hasPrefix("\"") {
                var v = ""
                var escaped = false
                var closed = false
                for c in value.dropFirst() {
                    if escaped {
                        v.append(c == "n" ? "\n" : c == "t" ? "\t" : c == "r" ? "\r" : c)
                        escaped = false
                    } else if c == "\\" {
                        escaped = true
                    } else if c == "\"" {
                        closed = true
                        break
                    } else {
                        v.append(c)
                    }
                }
                guard closed else { throw VariablesError("\(path):\(n + 1): unterminated quote") }
                value = v
            } else if let hash = value.range(of: " #") {
                value = value[..<hash.lowerBound].trimmingCharacters(in: .whitespaces)
            }
            out[key] = value
        }
        return out
    }
}

/// `[[variables_provider]] type = "env"` (Spin 3): `<PREFIX>_<NAME>` (NAME upper-cased; the
/// prefix defaults to `SPIN_VARIABLE`, an empty one means `<NAME>` alone) from the process
/// environment, else from the dotenv file at `dotenvPath` (a missing file is an error).
package struct PrefixedEnvironmentVariableProvider: VariableProvider {
    package var prefix: String
    package var environment: [String: String]
    package var dotEnv: [String: String]

    package init(prefix: String?, environment: [String: String], dotenvPath: String?) throws {
        self.prefix = prefix ?? "SPIN_VARIABLE"
        self.environment = environment
        dotEnv = [:]
        if let dotenvPath {
            guard let text = try? String(contentsOfFile: dotenvPath, encoding: .utf8) else {
                throw VariablesError("cannot read dotenv_path \(dotenvPath) of [[variables_provider]]")
            }
            dotEnv = try EnvironmentVariableProvider.parseDotEnv(text, path: dotenvPath)
        }
    }

    package func value(of name: String) throws -> String? {
        let key = prefix.isEmpty ? name.uppercased() : prefix + "_" + name.uppercased()
        return environment[key] ?? dotEnv[key]
    }
}

/// Values given on the command line (`spin up --variable KEY=VALUE`), by variable name.
package struct FixedVariableProvider: VariableProvider {
    package var values: [String: String]
    package func value(of name: String) throws -> String? { values[name] }
}

package struct VariablesError: Error, Equatable, Sendable, CustomStringConvertible {
    package var message: String
    package init(_ m: String) { message = m }
    package var description: String { message }
}

/// Resolves app variables and component config/variables templates (docs/spin-1x.md#variables).
package final class VariableResolver: Sendable {
    package let variables: [String: Variable]
    package let providers: [any VariableProvider]

    package init(variables: [String: Variable], providers: [any VariableProvider]) {
        self.variables = variables
        self.providers = providers
    }

    /// The standard providers for an app: the environment and the app's `.env`.
    /// A runtime config that names a Vault provider is refused.
    /// `values` (`spin up --variable`) come first, before every provider.
    package convenience init(
        app: AppManifest, runtimeConfig: RuntimeConfig = RuntimeConfig(),
        environment: [String: String] = ProcessInfo.processInfo.environment, values: [String: String] = [:]
    ) throws {
        for p in runtimeConfig.configProviders {
            if case .vault(let url, _, _, _) = p {
                throw VariablesError(
                    "config provider type `vault` (\(url)) in \(runtimeConfig.path ?? "the runtime config") is not supported by this host; use SPIN_VARIABLE_<NAME> environment variables or a .env file"
                )
            }
        }
        // `[[variables_provider]] type = "env"` entries, in order; without any, Spin's default
        // (SPIN_VARIABLE_<NAME>, then the app directory's .env).
        var providers: [any VariableProvider] = []
        var named: [any VariableProvider] = []
        if !values.isEmpty { named.append(FixedVariableProvider(values: values)) }
        for p in runtimeConfig.configProviders {
            if case .env(let prefix, let dotenvPath) = p {
                providers.append(
                    try PrefixedEnvironmentVariableProvider(
                        prefix: prefix, environment: environment, dotenvPath: dotenvPath))
            }
        }
        if providers.isEmpty {
            providers.append(
                try EnvironmentVariableProvider(environment: environment, dotEnvDirectory: app.baseDirectory))
        }
        self.init(variables: app.variables, providers: named + providers)
    }

    /// The value of app variable `name`: first provider that has one, else the default.
    package func resolveVariable(_ name: String) throws(VariablesError) -> String {
        guard let v = variables[name] else { throw VariablesError("no variable for \"\(name)\"") }
        for p in providers {
            do {
                if let value = try p.value(of: name) { return value }
            } catch {
                throw VariablesError("provider error for \"\(name)\": \(error)")
            }
        }
        if let d = v.defaultValue { return d }
        throw VariablesError("no provider resolved required variable \"\(name)\"")
    }

    /// Expands `{{ name }}` references in `template`.
    package func expand(_ template: String) throws(VariablesError) -> String {
        var out = ""
        var rest = template[...]
        while let open = rest.range(of: "{{") {
            out += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                throw VariablesError("invalid template \"\(template)\": unterminated `{{`")
            }
            let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            out += try resolveVariable(name)
            rest = rest[close.upperBound...]
        }
        out += rest
        return out
    }

    /// `spin up` calls this at startup: every required variable needs a value,
    /// and every template reference must name a declared variable.
    package func validateRequiredVariables(app: AppManifest) throws(VariablesError) {
        for name in app.variables.keys.sorted() where app.variables[name]!.required {
            _ = try resolveVariable(name)
        }
        if let bad = app.undefinedVariableReferences().first {
            throw VariablesError(bad.description)
        }
    }
}

/// `spin up`'s startup check of variables (see `VariableResolver.validateRequiredVariables`).
package func validateRequiredVariables(
    app: AppManifest, runtimeConfig: RuntimeConfig = RuntimeConfig(),
    environment: [String: String] = ProcessInfo.processInfo.environment
) throws {
    try VariableResolver(app: app, runtimeConfig: runtimeConfig, environment: environment).validateRequiredVariables(
        app: app)
}
