import Foundation

extension AppServices {
    /// The databases components use (and `alsoOpen`), by label: Spin's factor-sqlite rules
    /// (see `start`). Nothing is opened here; each database opens on its first statement.
    static func sqliteDatabases(
        app: AppManifest, runtimeConfig: RuntimeConfig, stateDirectory: String?, alsoOpen: Set<String>
    ) throws -> [String: SQLiteDatabase] {
        var definitions = runtimeConfig.sqliteDatabases
        if definitions["default"] == nil {
            definitions["default"] = .spin(
                path: stateDirectory.map { ($0 as NSString).appendingPathComponent("sqlite_db.db") })
        }
        var undefined: [String] = []
        for c in app.components {
            for label in c.sqliteDatabases where definitions[label] == nil {
                undefined.append("- Component \(c.id) uses database '\(label)'")
            }
        }
        if !undefined.isEmpty {
            throw StartupError(
                ([
                    "One or more components use SQLite databases which are not defined.",
                    "Check the spelling, or pass a runtime configuration file that defines these stores.",
                    "Details:",
                ] + undefined).joined(separator: "\n"))
        }
        var databases: [String: SQLiteDatabase] = [:]
        // `alsoOpen` labels the runtime config does not define are left out: their user
        // (`spin up --sqlite @FILE:LABEL`) reports them.
        let wanted = alsoOpen.filter { definitions[$0] != nil }
        for label in Set(app.components.flatMap(\.sqliteDatabases)).union(wanted).sorted() {
            switch definitions[label] {
            case .spin(let path)?:
                databases[label] = SQLiteDatabase(path: path)
            case .libsql?:
                throw StartupError("SQLite database `\(label)`: type `libsql` is not supported by this host")
            case nil:
                throw StartupError("SQLite database `\(label)` is not defined")
            }
        }
        return databases
    }
}
