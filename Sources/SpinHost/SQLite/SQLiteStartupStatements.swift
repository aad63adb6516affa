import Foundation

/// `spin up --sqlite STATEMENT` (Spin 3's `SqlStatementExecutorHook`): run before serving.
/// A plain statement runs against the `default` database; `@FILE` or `@FILE:LABEL` runs the
/// file's statements (`execute_batch`) against `default` or the database labelled `LABEL`.
public enum SQLiteStartupStatements {
    /// A statement or file that failed; `causes` are the underlying errors, outermost first.
    public struct Failure: Error, Equatable, Sendable, CustomStringConvertible {
        public var message: String
        public var causes: [String]
        public var description: String { ([message] + causes).joined(separator: ": ") }
    }

    /// The database labels `statements` need (for `AppServices.start(alsoOpenSQLite:)`).
    public static func labels(_ statements: [String]) throws(Failure) -> Set<String> {
        var labels: Set<String> = ["default"]
        for s in statements where s.hasPrefix("@") {
            labels.insert(try fileAndLabel(String(s.dropFirst())).label)
        }
        return labels
    }

    /// `FILE` or `FILE:LABEL` (both trimmed; neither may be empty).
    static func fileAndLabel(_ config: String) throws(Failure) -> (file: String, label: String) {
        let config = config.trimmingCharacters(in: .whitespaces)
        if config.isEmpty {
            throw Failure(message: "database configuration is empty in the '@\(config)' sqlite statement", causes: [])
        }
        guard let colon = config.firstIndex(of: ":") else { return (config, "default") }
        let file = config[..<colon].trimmingCharacters(in: .whitespaces)
        let label = config[config.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        if label.isEmpty {
            throw Failure(message: "database label is empty in the '@\(config)' sqlite statement", causes: [])
        }
        if file.isEmpty {
            throw Failure(message: "file path is empty in the '@\(config)' sqlite statement", causes: [])
        }
        return (file, label)
    }

    /// Runs `statements` in order against `databases`; the first failure stops.
    public static func run(_ statements: [String], databases: [String: SQLiteDatabase]) throws(Failure) {
        for statement in statements {
            if statement.hasPrefix("@") {
                let config = String(statement.dropFirst())
                let (file, label) = try fileAndLabel(config)
                guard let db = databases[label] else {
                    throw Failure(
                        message:
                            "based on the '@\(config)' a registered database named '\(label)' was expected but not found.",
                        causes: [])
                }
                guard let data = FileManager.default.contents(atPath: file),
                    let sql = String(data: data, encoding: .utf8)
                else {
                    throw Failure(message: "could not read file '\(file)' containing sql statements", causes: [])
                }
                do throws(SQLiteError) {
                    try db.executeBatch(sql)
                } catch {
                    throw Failure(
                        message: "failed to execute sql against database '\(label)' from file '\(file)'",
                        causes: [error.message])
                }
            } else {
                guard let db = databases["default"] else {
                    throw Failure(message: "the 'default' SQLite database is not available", causes: [])
                }
                do throws(SQLiteError) {
                    _ = try db.execute(statement)
                } catch {
                    throw Failure(
                        message: "failed to execute following sql statement against default database: '\(statement)'",
                        causes: [error.message])
                }
            }
        }
    }
}
