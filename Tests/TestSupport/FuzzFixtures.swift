import Foundation

/// The inputs under Fixtures/fuzz that the replay tests run through the fuzz targets, with
/// the same entry points `Scripts/fuzz` fuzzes: `crashes/TARGET/*` (findings, kept after
/// their fix so they stay fixed) and `seeds/SEEDS/*`.
package enum FuzzFixtures {
    package static let root = URL(fileURLWithPath: packageRoot).appendingPathComponent("Fixtures/fuzz")

    package static func files(in directory: URL) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { directory.appendingPathComponent($0) }
    }

    /// Runs `entry` on every finding of `target` and every seed in `seeds/<seedDirectory>`;
    /// returns how many seeds there were (a regression crashes the test process or trips a
    /// property the target checks).
    @discardableResult
    package static func replay(_ target: String, seedDirectory: String, _ entry: ([UInt8]) -> Void) throws -> Int {
        let seeds = files(in: root.appendingPathComponent("seeds/\(seedDirectory)"))
        let crashes = files(in: root.appendingPathComponent("crashes/\(target)"))
        for file in crashes + seeds {
            entry(Array(try Data(contentsOf: file)))
        }
        return seeds.count
    }
}
