/// Spin's `sqlite` `error` variant (1.x `sqlite`, `fermyon:spin/sqlite@2.0.0`,
/// `spin:sqlite/sqlite@3.0.0` share it; the case order is the variant's).
enum SQLiteHostError: Error, Equatable {
    case noSuchDatabase
    case accessDenied
    case invalidConnection
    case databaseFull
    case io(String)

    /// The variant's case index.
    var discriminant: UInt32 {
        switch self {
        case .noSuchDatabase: 0
        case .accessDenied: 1
        case .invalidConnection: 2
        case .databaseFull: 3
        case .io: 4
        }
    }

    /// A statement's failure as Spin reports it: `io` with SQLite's message.
    init(_ error: SQLiteError) { self = .io(error.message) }
}

extension AppServices {
    /// Spin's `open(label)` for `component`: `access-denied` unless the component lists the
    /// label in `sqlite_databases`, `no-such-database` when the host has no such database.
    func sqliteDatabase(label: String, component: Component) -> Result<SQLiteDatabase, SQLiteHostError> {
        guard component.sqliteDatabases.contains(label) else { return .failure(.accessDenied) }
        guard let db = sqliteDatabases[label] else { return .failure(.noSuchDatabase) }
        return .success(db)
    }
}
