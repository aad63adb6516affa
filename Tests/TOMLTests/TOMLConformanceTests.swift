import Foundation
import TestSupport
import Testing

@testable import TOML

/// toml-test (TOML 1.0.0 subset) conformance: every valid case must decode to
/// its tagged JSON, every invalid case must be rejected.
@Suite struct TOMLConformanceTests {
    /// The `.toml` lines of files-toml-1.0.0.txt (empty when the data is absent).
    static let cases: [String] = {
        guard SharedData.tomlTestAvailable,
            let list = try? String(
                contentsOf: SharedData.tomlTest.appendingPathComponent("files-toml-1.0.0.txt"), encoding: .utf8)
        else { return [] }
        return list.split(whereSeparator: \.isNewline).map(String.init).filter { $0.hasSuffix(".toml") }
    }()

    @Test(.enabled(if: SharedData.tomlTestAvailable, SharedData.tomlTestSkipMessage), arguments: cases)
    func conformance(_ path: String) throws {
        let failure = Self.run(path)
        #expect(failure == nil, "\(path): \(failure ?? "")")
    }

    /// Runs every case once more and prints the exact pass counts.
    @Test(.enabled(if: SharedData.tomlTestAvailable, SharedData.tomlTestSkipMessage))
    func summary() {
        var validPass = 0, validTotal = 0, invalidPass = 0, invalidTotal = 0
        for path in Self.cases {
            let ok = Self.run(path) == nil
            if path.hasPrefix("valid/") {
                validTotal += 1
                if ok { validPass += 1 }
            } else {
                invalidTotal += 1
                if ok { invalidPass += 1 }
            }
        }
        print("toml-test 1.0.0: valid \(validPass)/\(validTotal) pass, invalid \(invalidPass)/\(invalidTotal) rejected")
        #expect(validTotal == 210 && invalidTotal == 499)
        #expect(validPass == validTotal && invalidPass == invalidTotal)
    }

    /// nil on success, otherwise a description of the failure.
    static func run(_ path: String) -> String? {
        let url = SharedData.tomlTest.appendingPathComponent(path)
        guard let data = try? Data(contentsOf: url) else { return "cannot read file" }
        let bytes = [UInt8](data)
        if path.hasPrefix("invalid/") {
            do {
                let t = try TOML.parse(bytes: bytes)
                return "accepted an invalid document: \(t.keys)"
            } catch {
                return nil
            }
        }
        let table: TOMLTable
        do {
            table = try TOML.parse(bytes: bytes)
        } catch {
            return "rejected: \(error)"
        }
        let jsonURL = url.deletingPathExtension().appendingPathExtension("json")
        guard let jdata = try? Data(contentsOf: jsonURL),
            let expected = try? JSONSerialization.jsonObject(with: jdata, options: [.fragmentsAllowed])
        else { return "cannot read expected JSON" }
        return TaggedJSON.compare(.table(table), expected, path: "")
    }
}

/// Structural comparison of a decoded value against toml-test's tagged JSON.
enum TaggedJSON {
    static func compare(_ v: TOMLValue, _ e: Any, path: String) -> String? {
        let at = path.isEmpty ? "<root>" : path
        if let obj = e as? [String: Any] {
            if obj.count == 2, let type = obj["type"] as? String, let text = obj["value"] as? String {
                return compareScalar(v, type: type, text: text, at: at)
            }
            guard case .table(let t) = v else { return "\(at): expected a table, got \(v.typeName)" }
            let ek = Set(obj.keys), ak = Set(t.keys)
            if ek != ak {
                return
                    "\(at): keys differ; missing \(ek.subtracting(ak).sorted()), extra \(ak.subtracting(ek).sorted())"
            }
            for k in t.keys {
                if let f = compare(t[k]!, obj[k]!, path: path + "." + k) { return f }
            }
            return nil
        }
        if let arr = e as? [Any] {
            guard case .array(let a) = v else { return "\(at): expected an array, got \(v.typeName)" }
            guard a.count == arr.count else { return "\(at): array length \(a.count), expected \(arr.count)" }
            for (n, (x, y)) in zip(a.elements, arr).enumerated() {
                if let f = compare(x, y, path: "\(path)[\(n)]") { return f }
            }
            return nil
        }
        return "\(at): unexpected JSON \(e)"
    }

    static func compareScalar(_ v: TOMLValue, type: String, text: String, at: String) -> String? {
        let mismatch = "\(at): got \(v), expected \(type) \(text)"
        switch (type, v) {
        case ("string", .string(let s)):
            return s == text ? nil : mismatch
        case ("integer", .integer(let i)):
            return String(i) == text ? nil : mismatch
        case ("bool", .boolean(let b)):
            return String(b) == text.lowercased() ? nil : mismatch
        case ("float", .float(let d)):
            if text.lowercased().hasSuffix("nan") { return d.isNaN ? nil : mismatch }
            guard let x = Double(text) else { return "\(at): unparsable expected float \(text)" }
            // Stricter than upstream: the sign of zero must match too.
            return x == d && x.sign == d.sign ? nil : mismatch
        case ("datetime", .offsetDateTime(let dt)):
            guard case .offsetDateTime(let x) = reparse(text) else { return "\(at): unparsable expected \(text)" }
            return sameInstant(dt, x) && dt.offsetMinutes == x.offsetMinutes ? nil : mismatch
        case ("datetime-local", .localDateTime(let dt)):
            guard case .localDateTime(let x) = reparse(text) else { return "\(at): unparsable expected \(text)" }
            return dt.date == x.date && sameClock(dt.time, x.time) ? nil : mismatch
        case ("date-local", .localDate(let d)):
            guard case .localDate(let x) = reparse(text) else { return "\(at): unparsable expected \(text)" }
            return d == x ? nil : mismatch
        case ("time-local", .localTime(let t)):
            guard case .localTime(let x) = reparse(text) else { return "\(at): unparsable expected \(text)" }
            return sameClock(t, x) ? nil : mismatch
        default:
            return mismatch
        }
    }

    /// Expected date-time texts are themselves TOML literals.
    static func reparse(_ text: String) -> TOMLValue? {
        (try? TOML.parse("x = " + text))?["x"]
    }

    static func sameClock(_ a: TOMLTime, _ b: TOMLTime) -> Bool {
        a.hour == b.hour && a.minute == b.minute && a.second == b.second
            && a.nanosecond / 1_000_000 == b.nanosecond / 1_000_000
    }

    static func sameInstant(_ a: TOMLDateTime, _ b: TOMLDateTime) -> Bool {
        let x = a.instant, y = b.instant
        return x.seconds == y.seconds && x.nanosecond / 1_000_000 == y.nanosecond / 1_000_000
    }
}
