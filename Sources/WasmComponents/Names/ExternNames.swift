/// An interface name `namespace:package/interface@version` (e.g. `wasi:http/types@0.2.0`).
public struct ComponentInterfaceName: Hashable, Sendable, CustomStringConvertible {
    public var namespace: String
    public var package: String
    public var interface: String
    public var version: Semver?

    /// `namespace:package` (without the version).
    public var packageName: String { "\(namespace):\(package)" }
    /// `namespace:package/interface` (without the version).
    public var unversioned: String { "\(namespace):\(package)/\(interface)" }

    public var description: String { unversioned + (version.map { "@\($0)" } ?? "") }

    /// Parses an interface name; nil when `text` is not one (see `ComponentName.parse` for why).
    public init?(_ text: String) {
        guard case .interface(let i)? = try? ComponentName.parse(text) else { return nil }
        self = i
    }

    init(namespace: String, package: String, interface: String, version: Semver?) {
        self.namespace = namespace
        self.package = package
        self.interface = interface
        self.version = version
    }

    /// Whether an implementation of `self` (e.g. a host's `wasi:http/types@0.2.0`) can be
    /// linked to an import of `requested` (a guest's `wasi:http/types@0.2.9`): the same
    /// namespace, package and interface, and versions that are both absent or
    /// semver-compatible (`Semver.isCompatible(with:)`: same major; for 0.x the same minor), as
    /// wasmtime's linker matches them.
    public func satisfies(_ requested: ComponentInterfaceName) -> Bool {
        guard namespace == requested.namespace, package == requested.package, interface == requested.interface else {
            return false
        }
        switch (version, requested.version) {
        case (nil, nil): return true
        case (let a?, let b?): return a.isCompatible(with: b)
        default: return false
        }
    }

    /// Of several provided names (e.g. what a host implements), the one that best satisfies
    /// `requested`: an exact match first, else the highest compatible version.
    public static func bestMatch(for requested: ComponentInterfaceName, among provided: [ComponentInterfaceName])
        -> ComponentInterfaceName?
    {
        if let exact = provided.first(where: { $0 == requested }) { return exact }
        return provided.filter { $0.satisfies(requested) }.max { ($0.version ?? Semver(0, 0, 0)) < ($1.version ?? Semver(0, 0, 0)) }
    }
}

/// What an import or export name says: a plain label, a resource function, or an interface.
public enum ComponentName: Hashable, Sendable {
    case label(String)
    case constructor(resource: String)
    case method(resource: String, name: String)
    case `static`(resource: String, name: String)
    case interface(ComponentInterfaceName)

    /// Why a name is not valid; `message` carries the reference tests' wording.
    public struct Invalid: Error, Sendable, Equatable {
        public var message: String
        /// Kebab-case and syntax problems ("is not a valid extern name") versus version
        /// problems ("is not valid"), as the reference tests word them.
        public var isSyntax: Bool
    }

    /// Parses and checks an extern name (Explainer.md, "Import and export definitions").
    public static func parse(_ name: String) throws(Invalid) -> ComponentName {
        func syntax(_ m: String) -> Invalid { Invalid(message: m, isSyntax: true) }
        func resourceFunction(_ rest: Substring) throws(Invalid) -> (String, String) {
            guard let dot = rest.firstIndex(of: ".") else { throw syntax("failed to find `.` character") }
            let resource = String(rest[..<dot])
            let method = String(rest[rest.index(after: dot)...])
            try checkLabel(resource)
            try checkLabel(method)
            return (resource, method)
        }
        if name.hasPrefix("[constructor]") {
            let label = String(name.dropFirst("[constructor]".count))
            try checkLabel(label)
            return .constructor(resource: label)
        }
        if name.hasPrefix("[method]") {
            let (r, m) = try resourceFunction(name.dropFirst("[method]".count))
            return .method(resource: r, name: m)
        }
        if name.hasPrefix("[static]") {
            let (r, m) = try resourceFunction(name.dropFirst("[static]".count))
            return .static(resource: r, name: m)
        }
        if name.contains(":") { return .interface(try parseInterface(name)) }
        try checkLabel(name)
        return .label(name)
    }

    static func parseInterface(_ name: String) throws(Invalid) -> ComponentInterfaceName {
        func syntax(_ m: String) -> Invalid { Invalid(message: m, isSyntax: true) }
        var rest = Substring(name)
        func take(until stops: Set<Character>) -> String {
            let end = rest.firstIndex(where: { stops.contains($0) }) ?? rest.endIndex
            let part = String(rest[..<end])
            rest = rest[end...]
            return part
        }
        let namespace = take(until: [":"])
        try checkPackageWords(namespace)
        rest = rest.dropFirst()  // ':'
        let package = take(until: [":", "/", "@"])
        try checkPackageWords(package)
        guard rest.first == "/" else { throw syntax("expected `/` after package name") }
        rest = rest.dropFirst()
        let interface = take(until: ["/", "@"])
        try checkLabel(interface)
        var version: Semver? = nil
        if rest.first == "@" {
            rest = rest.dropFirst()
            let text = String(rest)
            rest = rest[rest.endIndex...]
            do {
                version = try Semver(parsing: text)
            } catch {
                throw Invalid(message: "invalid interface version: \(error.message)", isSyntax: false)
            }
        }
        guard rest.isEmpty else { throw syntax("trailing characters found: `\(rest)`") }
        return ComponentInterfaceName(namespace: namespace, package: package, interface: interface, version: version)
    }

    /// A namespace or package: kebab case, all lowercase.
    static func checkPackageWords(_ s: String) throws(Invalid) {
        try checkLabel(s)
        if let upper = s.first(where: { ("A"..."Z").contains($0) }) {
            throw Invalid(
                message: "character `\(upper)` is not lowercase in package name/namespace", isSyntax: true)
        }
    }

    /// Kebab case: `first-fragment ('-' fragment)*`, each fragment all lowercase or all
    /// uppercase (digits anywhere), the first starting with a letter.
    public static func isKebabCase(_ s: String) -> Bool {
        guard !s.isEmpty else { return false }
        let fragments = s.split(separator: "-", omittingEmptySubsequences: false)
        for (i, fragment) in fragments.enumerated() {
            guard let first = fragment.first else { return false }
            if i == 0 && !(first.isASCII && first.isLetter) { return false }
            var lower = false
            var upper = false
            for c in fragment {
                if ("a"..."z").contains(c) {
                    lower = true
                } else if ("A"..."Z").contains(c) {
                    upper = true
                } else if !("0"..."9").contains(c) {
                    return false
                }
            }
            if lower && upper { return false }
        }
        return true
    }

    static func checkLabel(_ s: String) throws(Invalid) {
        guard isKebabCase(s) else { throw Invalid(message: "`\(s)` is not in kebab case", isSyntax: true) }
    }

    /// The key under which names must be strongly unique in one scope: case folded; a
    /// `[method]`/`[static]` annotation dropped (`[method]r.r` and `[static]r.r` become `r`);
    /// `[constructor]` kept.
    public static func uniquenessKey(_ name: String) -> String {
        let lower = name.lowercased()
        for prefix in ["[method]", "[static]"] where lower.hasPrefix(prefix) {
            let rest = lower.dropFirst(prefix.count)
            if let dot = rest.firstIndex(of: ".") {
                let r = rest[..<dot]
                let m = rest[rest.index(after: dot)...]
                if r == m { return String(r) }
            }
            return String(rest)
        }
        return lower
    }
}
