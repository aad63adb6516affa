/// A semantic version (Semantic Versioning 2.0), as interface names carry them
/// (`wasi:http/types@0.2.0`).
///
/// Parsing follows the reference tests' wording (the Rust `semver` crate's), e.g.
/// "unexpected end of input while parsing minor version number".
public struct Semver: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var major: UInt64
    public var minor: UInt64
    public var patch: UInt64
    /// Pre-release identifiers (after `-`), e.g. `["rc", "1"]`.
    public var preRelease: [String]
    /// Build metadata (after `+`); ignored by comparisons.
    public var build: [String]

    public init(_ major: UInt64, _ minor: UInt64, _ patch: UInt64, preRelease: [String] = [], build: [String] = []) {
        self.major = major
        self.minor = minor
        self.patch = patch
        self.preRelease = preRelease
        self.build = build
    }

    /// Why a version string is not a valid semver.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// Parses `text` ("0.2.0", "1.0.0-rc.1+build.5").
    public init(parsing text: String) throws(ParseError) {
        func fail(_ m: String) -> ParseError { ParseError(message: m) }
        if text.isEmpty { throw fail("empty string, expected a semver version") }
        let chars = Array(text.unicodeScalars)
        var i = 0
        func number(_ position: String) throws(ParseError) -> UInt64 {
            guard i < chars.count else { throw fail("unexpected end of input while parsing \(position) version number") }
            let start = i
            var value: UInt64 = 0
            while i < chars.count, ("0"..."9").contains(chars[i]) {
                let (m, o1) = value.multipliedReportingOverflow(by: 10)
                let (s, o2) = m.addingReportingOverflow(UInt64(chars[i].value - 48))
                if o1 || o2 { throw fail("value of \(position) version number exceeds u64::MAX") }
                value = s
                i += 1
            }
            if i == start {
                throw fail("unexpected character '\(Character(chars[i]))' while parsing \(position) version number")
            }
            if i - start > 1 && chars[start] == "0" { throw fail("invalid leading zero in \(position) version number") }
            return value
        }
        func dot(after position: String) throws(ParseError) {
            guard i < chars.count else {
                throw fail("unexpected end of input while parsing \(position) version number")
            }
            guard chars[i] == "." else {
                throw fail("unexpected character '\(Character(chars[i]))' after \(position) version number")
            }
            i += 1
        }
        func identifiers(_ what: String, numericLeadingZeros: Bool) throws(ParseError) -> [String] {
            var out: [String] = []
            while true {
                let start = i
                while i < chars.count,
                    ("a"..."z").contains(chars[i]) || ("A"..."Z").contains(chars[i]) || ("0"..."9").contains(chars[i])
                        || chars[i] == "-"
                {
                    i += 1
                }
                if i == start { throw fail("empty identifier segment in \(what)") }
                let segment = String(String.UnicodeScalarView(chars[start..<i]))
                if !numericLeadingZeros, segment.count > 1, segment.hasPrefix("0"), segment.allSatisfy({ ("0"..."9").contains($0) }) {
                    throw fail("invalid leading zero in \(what)")
                }
                out.append(segment)
                if i < chars.count, chars[i] == "." {
                    i += 1
                    continue
                }
                return out
            }
        }
        major = try number("major")
        try dot(after: "major")
        minor = try number("minor")
        try dot(after: "minor")
        patch = try number("patch")
        preRelease = []
        build = []
        var last = "patch version number"
        if i < chars.count, chars[i] == "-" {
            i += 1
            preRelease = try identifiers("pre-release identifier", numericLeadingZeros: false)
            last = "pre-release identifier"
        }
        if i < chars.count, chars[i] == "+" {
            i += 1
            build = try identifiers("build metadata", numericLeadingZeros: true)
            last = "build metadata"
        }
        if i < chars.count { throw fail("unexpected character '\(Character(chars[i]))' after \(last)") }
    }

    public var description: String {
        var s = "\(major).\(minor).\(patch)"
        if !preRelease.isEmpty { s += "-" + preRelease.joined(separator: ".") }
        if !build.isEmpty { s += "+" + build.joined(separator: ".") }
        return s
    }

    /// Semver precedence (build metadata ignored; a pre-release sorts before its release).
    public static func < (a: Semver, b: Semver) -> Bool {
        if a.major != b.major { return a.major < b.major }
        if a.minor != b.minor { return a.minor < b.minor }
        if a.patch != b.patch { return a.patch < b.patch }
        if a.preRelease.isEmpty != b.preRelease.isEmpty { return !a.preRelease.isEmpty }
        for (x, y) in zip(a.preRelease, b.preRelease) where x != y {
            switch (UInt64(x), UInt64(y)) {
            case (let n?, let m?): return n < m
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return x < y
            }
        }
        return a.preRelease.count < b.preRelease.count
    }

    /// The part of the version that compatible versions share, as wasmtime matches imports:
    /// `1.2.3` → `1`, `0.2.6` → `0.2`, `0.0.1` → `0.0.1`. A pre-release version has no
    /// compatible others (the whole version is its key).
    public var compatibilityKey: String {
        if !preRelease.isEmpty { return description }
        if major > 0 { return "\(major)" }
        if minor > 0 { return "0.\(minor)" }
        return "0.0.\(patch)"
    }

    /// Whether an implementation of version `self` can stand in for `requested`: the same
    /// major version (for 0.x, the same minor; for 0.0.x, the same patch), as wasmtime's linker
    /// decides. Only major/minor/patch count, so `0.2.0` serves a guest asking for `0.2.9` and
    /// the other way round (component type checking then decides whether what is used exists).
    public func isCompatible(with requested: Semver) -> Bool {
        compatibilityKey == requested.compatibilityKey
    }
}
