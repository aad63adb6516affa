import Foundation

/// What the suite reads from `hey`'s text report.
struct HeyOutput {
    var requestsPerSecond: Double?
    /// Seconds.
    var p50: Double?
    var p99: Double?
    /// Responses by status code (`Status code distribution:`).
    var statusCounts: [Int: Int] = [:]
    /// Failed requests (`Error distribution:`: `[count]\tmessage`).
    var errors = 0

    /// Requests that did not end in a 200: transport errors plus other statuses.
    var failures: Int { errors + statusCounts.filter { $0.key != 200 }.values.reduce(0, +) }

    init(_ text: String) {
        enum Part { case other, status, errors }
        var part = Part.other
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { part = .other; continue }
            if line.hasPrefix("Requests/sec:") {
                requestsPerSecond = Double(line.dropFirst("Requests/sec:".count).trimmingCharacters(in: .whitespaces))
            } else if line.hasPrefix("50% in ") {
                p50 = Self.seconds(line)
            } else if line.hasPrefix("99% in ") {
                p99 = Self.seconds(line)
            } else if line.hasPrefix("Status code distribution:") {
                part = .status
            } else if line.hasPrefix("Error distribution:") {
                part = .errors
            } else if line.hasPrefix("["), let close = line.firstIndex(of: "]") {
                let first = Int(line[line.index(after: line.startIndex)..<close])
                let rest = line[line.index(after: close)...].trimmingCharacters(in: .whitespaces)
                switch part {
                case .status:
                    // "[200]\t20000 responses"
                    if let code = first, let n = Int(rest.split(separator: " ").first ?? "") {
                        statusCounts[code, default: 0] += n
                    }
                case .errors:
                    // "[12]\tGet \"http://...\": ..."
                    errors += first ?? 0
                case .other:
                    break
                }
            }
        }
    }

    /// "50% in 0.0012 secs" -> 0.0012
    private static func seconds(_ line: String) -> Double? {
        let words = line.split(separator: " ")
        return words.count >= 3 ? Double(words[2]) : nil
    }
}
