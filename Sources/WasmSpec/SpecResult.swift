/// What happened to one command.
public enum SpecOutcome: Sendable, Hashable {
    /// The command did what the script asks. `note` says when it passed with a caveat
    /// (e.g. the right kind of error but a different message).
    case passed(note: String? = nil)
    case failed(String)
    case skipped(String)

    public var isPassed: Bool { if case .passed = self { true } else { false } }
    public var isFailed: Bool { if case .failed = self { true } else { false } }
    public var isSkipped: Bool { if case .skipped = self { true } else { false } }
}

/// The result of one command of a script.
public struct SpecCommandResult: Sendable, Hashable, CustomStringConvertible {
    /// Line of the command in the `.wast` script.
    public var line: Int
    /// The command's JSON type, e.g. `"assert_return"`.
    public var type: String
    public var outcome: SpecOutcome

    public init(line: Int, type: String, outcome: SpecOutcome) {
        self.line = line
        self.type = type
        self.outcome = outcome
    }

    /// `line 37: assert_return: failed: <reason>` (the script's name is added by `SpecFileResult`).
    public var description: String {
        switch outcome {
        case .passed(let note): "line \(line): \(type): passed" + (note.map { " (\($0))" } ?? "")
        case .failed(let reason): "line \(line): \(type): failed: \(reason)"
        case .skipped(let reason): "line \(line): \(type): skipped: \(reason)"
        }
    }
}

/// The result of running one JSON script.
public struct SpecFileResult: Sendable {
    /// The JSON file's name (without folder), e.g. `i32.json`.
    public var fileName: String
    /// The `.wast` script it was converted from, e.g. `i32.wast`.
    public var sourceFilename: String
    /// One result per command, in order (an unreadable script gives one failed result at line 0).
    public var results: [SpecCommandResult]

    public init(fileName: String, sourceFilename: String, results: [SpecCommandResult]) {
        self.fileName = fileName
        self.sourceFilename = sourceFilename
        self.results = results
    }

    public var passed: Int { results.count(where: { $0.outcome.isPassed }) }
    public var failed: Int { results.count(where: { $0.outcome.isFailed }) }
    public var skipped: Int { results.count(where: { $0.outcome.isSkipped }) }

    public var failures: [SpecCommandResult] { results.filter { $0.outcome.isFailed } }

    /// `i32.json: 460 passed, 0 failed` (`, K skipped` when K > 0).
    public var summaryLine: String {
        "\(fileName): " + SpecSummary.line(passed: passed, failed: failed, skipped: skipped)
    }

    /// `i32.wast:37: assert_return: <reason>` for every failure.
    public var failureLines: [String] {
        failures.map { r in
            guard case .failed(let reason) = r.outcome else { return "" }
            return "\(sourceFilename):\(r.line): \(r.type): \(reason)"
        }
    }

    /// `i32.wast:37: assert_invalid: <note>` for every pass that carries a note
    /// (e.g. the right kind of error with a different message).
    public var noteLines: [String] {
        results.compactMap { r in
            guard case .passed(let note?) = r.outcome else { return nil }
            return "\(sourceFilename):\(r.line): \(r.type): note: \(note)"
        }
    }
}

/// Totals over several scripts.
public struct SpecSummary: Sendable, Hashable {
    public var passed = 0
    public var failed = 0
    public var skipped = 0

    public init(passed: Int = 0, failed: Int = 0, skipped: Int = 0) {
        self.passed = passed
        self.failed = failed
        self.skipped = skipped
    }

    public mutating func add(_ file: SpecFileResult) {
        passed += file.passed
        failed += file.failed
        skipped += file.skipped
    }

    /// `N passed, M failed` with `, K skipped` when K > 0.
    public var line: String { SpecSummary.line(passed: passed, failed: failed, skipped: skipped) }

    /// `N passed, M failed` with `, K skipped` when K > 0.
    public static func line(passed: Int, failed: Int, skipped: Int) -> String {
        var s = "\(passed) passed, \(failed) failed"
        if skipped > 0 { s += ", \(skipped) skipped" }
        return s
    }
}
