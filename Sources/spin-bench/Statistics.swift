import Foundation

/// The few statistics the suite reports: medians of repeated runs, geometric means of ratios.
enum Statistics {
    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return .nan }
        let s = values.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    static func geometricMean(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return .nan }
        return exp(values.map { log($0) }.reduce(0, +) / Double(values.count))
    }
}
