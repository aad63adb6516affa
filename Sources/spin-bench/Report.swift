import Foundation

/// Wrong outputs and failures met while benchmarking. Times are never judged;
/// a wrong answer is, and makes the suite exit with status 1 after printing.
final class Report {
    private(set) var problems: [String] = []

    func problem(_ text: String) {
        problems.append(text)
        FileHandle.standardError.write(Data("spin-bench: \(text)\n".utf8))
    }
}
