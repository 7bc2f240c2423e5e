import GRDB
import GRDBSQLite

extension SQLiteStore {
    /// The `EXPLAIN QUERY PLAN` lines of a statement on a reader connection, parameters unbound
    /// (for the plan tests).
    func queryPlan(_ sql: String) async throws -> [String] {
        try await pool.read { db in
            let statement = try RawStatement(db, sql: "EXPLAIN QUERY PLAN " + sql)
            defer { statement.reset() }
            var lines: [String] = []
            while try statement.step() {
                lines.append(statement.text(at: 3).map { String(cString: $0) } ?? "")
            }
            return lines
        }
    }

    /// How many virtual-machine steps a statement takes to run to its end with `arguments`
    /// bound in order: grows with the rows it visits, whatever its plan says (for the plan tests).
    func virtualMachineSteps(_ sql: String, _ arguments: [Int64]) async throws -> Int32 {
        try await pool.read { db in
            let statement = try RawStatement(db, sql: sql)
            defer { statement.reset() }
            sqlite3_stmt_status(statement.statement, SQLITE_STMTSTATUS_VM_STEP, 1)
            for (i, value) in arguments.enumerated() { statement.bind(value, at: Int32(i + 1)) }
            while try statement.step() {}
            return sqlite3_stmt_status(statement.statement, SQLITE_STMTSTATUS_VM_STEP, 0)
        }
    }

    /// Gathers the planner's statistics (for the plan tests: plans must hold with and without).
    func analyze() async throws {
        try await pool.write { db in try db.execute(sql: "ANALYZE") }
    }
}
