import Foundation

/// Reading `GuestLimits` values from `spin up` flags and the runtime config's `[limits]` table.
extension GuestLimits {
    /// The names of the settings, as `[limits]` keys; the flags are `--` + the name with `-` for `_`.
    package static let keys = ["request_timeout", "max_memory", "max_table_elements", "max_call_depth", "max_output"]

    /// Sets the limit `key` (one of `keys`) from its text. `source` names where the
    /// value came from (`--max-memory`, `[limits] max_memory in rc.toml`) in errors.
    package mutating func set(_ key: String, to text: String, source: String) throws(AppLoadError) {
        switch key {
        case "request_timeout":
            timeout = try GuestLimits.parseTimeout(text, source: source)
        case "max_memory":
            let bytes = try GuestLimits.parseSize(text, source: source)
            guard bytes >= 65536 else { throw AppLoadError("\(source): \"\(text)\" is below one 64 KiB page") }
            maxMemoryBytes = bytes
        case "max_output":
            maxOutputBytes = try GuestLimits.parseSize(text, source: source)
        case "max_table_elements":
            maxTableElements = try GuestLimits.parseCount(text, source: source, range: 0...10_000_000)
        case "max_call_depth":
            maxCallDepth = try GuestLimits.parseCount(text, source: source, range: 1...1_000_000)
        default:
            throw AppLoadError(
                "\(source): unknown limit `\(key)` (expected one of \(GuestLimits.keys.joined(separator: ", ")))")
        }
        sources[key] = source
    }

    /// `30s`, `1.5s`, `500ms`, `2m`, a bare number of seconds, or `none` (no timeout).
    static func parseTimeout(_ text: String, source: String) throws(AppLoadError) -> Duration? {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        if t == "none" { return nil }
        var number = Substring(t)
        var scale = 1000.0  // milliseconds per unit
        for (suffix, ms) in [("ms", 1.0), ("s", 1000.0), ("m", 60_000.0)] where t.hasSuffix(suffix) {
            number = t.dropLast(suffix.count)
            scale = ms
            break
        }
        guard let v = Double(number), v.isFinite, v > 0, v * scale >= 1, v * scale <= 86_400_000 else {
            throw AppLoadError(
                "\(source): invalid timeout \"\(text)\" (expected e.g. 30s, 500ms, 2m, between 1ms and 24h, or none)")
        }
        return .milliseconds(Int64((v * scale).rounded()))
    }

    /// `256MiB`, `512KiB`, `1GiB`, `64MB`, or a number of bytes.
    static func parseSize(_ text: String, source: String) throws(AppLoadError) -> Int {
        let t = text.trimmingCharacters(in: .whitespaces)
        let units: [(String, Int)] = [
            ("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30), ("KB", 1000), ("MB", 1_000_000),
            ("GB", 1_000_000_000), ("B", 1),
        ]
        var number = Substring(t)
        var scale = 1
        for (suffix, s) in units where t.hasSuffix(suffix) {
            number = t.dropLast(suffix.count)
            scale = s
            break
        }
        guard let v = Int(number.trimmingCharacters(in: .whitespaces)), v >= 0,
            v <= (1 << 40) / scale
        else {
            throw AppLoadError("\(source): invalid size \"\(text)\" (expected e.g. 256MiB, 64KiB, 1GiB or bytes)")
        }
        return v * scale
    }

    static func parseCount(_ text: String, source: String, range: ClosedRange<Int>) throws(AppLoadError) -> Int {
        guard let v = Int(text.trimmingCharacters(in: .whitespaces)), range.contains(v) else {
            throw AppLoadError(
                "\(source): invalid value \"\(text)\" (expected a whole number from \(range.lowerBound) to \(range.upperBound))"
            )
        }
        return v
    }
}
