import WasmComponents
import WasmCore
import WasmWASIP2

/// Spin's SQLite interfaces for components over the app's `SQLiteDatabase`s:
/// `fermyon:spin/sqlite@2.0.0` and `spin:sqlite/sqlite@3.0.0` (which adds
/// `last-insert-rowid` and `changes`). A `connection` resource holds its database; `open`
/// answers `access-denied` for a label the component's `sqlite_databases` does not list and
/// `no-such-database` for one the host lacks; SQLite's failures are `io(message)`, as Spin's.
public enum SQLiteComponentInterfaces {
    static let v2 = "fermyon:spin/sqlite@2.0.0"
    static let v3 = "spin:sqlite/sqlite@3.0.0"

    /// An open `connection`: its database and what its last statement changed.
    final class Connection {
        let database: SQLiteDatabase
        var lastInsertRowID: Int64 = 0
        var changes: UInt64 = 0

        init(database: SQLiteDatabase) { self.database = database }
    }

    /// Defines both versions in `d`.
    public static func define(_ d: inout WASIP2Definitions) {
        for i in [v2, v3] {
            d.resource(i, "connection")
            d.function(i, "[static]connection.open") { c, a in
                let label = try a.string(0)
                guard let guest = ComponentHostState.of(c)?.guest else {
                    return .err(error(.io("sqlite: this host runs the component without app services (no databases)")))
                }
                switch guest.services.sqliteDatabase(label: label, component: guest.component) {
                case .success(let db): return .ok(c.own(Connection(database: db)))
                case .failure(let e): return .err(error(e))
                }
            }
            d.function(i, "[method]connection.execute") { c, a in
                let connection = try c.table.get(a.resource(0), as: Connection.self)
                let deadline = ComponentHostState.of(c)?.guest?.deadline
                let sql = try a.string(1)
                let parameters = try a.list(2).map(parameter)
                do throws(SQLiteError) {
                    let result = try connection.database.execute(sql, parameters, deadline: deadline)
                    if let n = result.changes { connection.changes = n }
                    if let id = result.lastInsertRowID { connection.lastInsertRowID = id }
                    return .ok(queryResult(result))
                } catch {
                    return .err(Self.error(SQLiteHostError(error)))
                }
            }
        }
        d.function(v3, "[method]connection.last-insert-rowid") { c, a in
            .s64(try c.table.get(a.resource(0), as: Connection.self).lastInsertRowID)
        }
        d.function(v3, "[method]connection.changes") { c, a in
            .u64(try c.table.get(a.resource(0), as: Connection.self).changes)
        }
    }

    /// The `error` variant's value.
    static func error(_ e: SQLiteHostError) -> ComponentValue {
        if case .io(let message) = e { return .variant(case: 4, payload: .string(message)) }
        return .variant(case: Int(e.discriminant), payload: nil)
    }

    /// A `value` argument.
    static func parameter(_ v: ComponentValue) throws -> SQLiteValue {
        switch v {
        case .variant(case: 0, payload: .s64(let i)?): return .integer(i)
        case .variant(case: 1, payload: .f64(let r)?): return .real(r)
        case .variant(case: 2, payload: .string(let s)?): return .text(s)
        case .variant(case: 3, payload: .bytes(let b)?): return .blob(b)
        case .variant(case: 3, payload: .list(let l)?):
            return .blob(try l.map { u in
                guard case .u8(let b) = u else { throw Trap(.host("sqlite value: blob holds \(u)")) }
                return b
            })
        case .variant(case: 4, payload: nil): return .null
        default: throw Trap(.host("sqlite value: unexpected \(v)"))
        }
    }

    /// A `value` result.
    static func value(_ v: SQLiteValue) -> ComponentValue {
        switch v {
        case .integer(let i): .variant(case: 0, payload: .s64(i))
        case .real(let r): .variant(case: 1, payload: .f64(r))
        case .text(let s): .variant(case: 2, payload: .string(s))
        case .blob(let b): .variant(case: 3, payload: .bytes(b))
        case .null: .variant(case: 4, payload: nil)
        }
    }

    /// A `query-result` record: columns, then rows of `row-result { values }`.
    static func queryResult(_ r: SQLiteQueryResult) -> ComponentValue {
        .record([
            .list(r.columns.map { .string($0) }),
            .list(r.rows.map { row in .record([.list(row.map(value))]) }),
        ])
    }
}
