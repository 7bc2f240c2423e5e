import Foundation
import GRDB
import GRDBSQLite
import Monitoring

/// A prepared statement of the writer's hot loops, driven on SQLite's C API.
///
/// GRDB's `StatementArguments` box every value, which halves insert speed; these loops bind
/// straight to the statement instead. This type holds the few C calls they need (bind, step,
/// reset, read a column) and turns a failed step into GRDB's `DatabaseError`, so that the loops
/// say what they bind, not how. The statement comes from the connection's statement cache and
/// lives as long as the connection: use it only inside the `pool.write` closure that made it.
struct RawStatement {
    let statement: SQLiteStatement
    let connection: SQLiteConnection

    /// The cached statement for `sql` on `db`.
    init(_ db: Database, sql: String) throws {
        statement = try db.cachedStatement(sql: sql).sqliteStatement
        connection = db.sqliteConnection!
    }

    func bind(_ value: Int64, at index: Int32) { sqlite3_bind_int64(statement, index, value) }

    func bind(_ value: Double, at index: Int32) { sqlite3_bind_double(statement, index, value) }

    /// Binds a text, copied by SQLite.
    func bind(_ text: String, at index: Int32) {
        sqlite3_bind_text(statement, index, text, -1, unsafeBitCast(-1, to: sqlite3_destructor_type.self))
    }

    /// Binds bytes as a blob, copied by SQLite.
    func bind(blob bytes: [UInt8], at index: Int32) {
        bytes.withUnsafeBytes { raw in
            _ = sqlite3_bind_blob(statement, index, raw.baseAddress, Int32(raw.count), unsafeBitCast(-1, to: sqlite3_destructor_type.self))
        }
    }

    /// Binds NULL for `nil`.
    func bind(_ value: Double?, at index: Int32) {
        if let value { sqlite3_bind_double(statement, index, value) } else { sqlite3_bind_null(statement, index) }
    }

    /// Binds a flag's letter without copying it (the letters are static C strings).
    func bind(_ flag: DataFlag, at index: Int32) {
        sqlite3_bind_text(statement, index, flagText[flag.bit.trailingZeroBitCount], 1, nil)
    }

    /// Binds one sample row, (series, ts, value, flag), from parameter `first` on.
    func bindSample(series: Int64, time: Int64, value: Double, flag: DataFlag, from first: Int32) {
        bind(series, at: first)
        bind(time, at: first + 1)
        bind(value, at: first + 2)
        bind(flag, at: first + 3)
    }

    /// Runs a statement that returns no rows and resets it; returns SQLite's result code, for
    /// callers that handle a failure themselves (a constraint, say).
    func run() -> Int32 {
        let rc = sqlite3_step(statement)
        sqlite3_reset(statement)
        return rc
    }

    /// Runs a statement that returns no rows and resets it; throws when it failed.
    func execute() throws {
        let rc = run()
        guard rc == SQLITE_DONE else { throw error(rc) }
    }

    /// Steps a query: true with a row to read, false when done; throws when it failed. The
    /// caller resets it (``reset()``) when it has read what it needs.
    func step() throws -> Bool {
        let rc = sqlite3_step(statement)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        throw error(rc)
    }

    func reset() { sqlite3_reset(statement) }

    /// Rows the connection's last statement inserted, changed or deleted.
    var changes: Int32 { sqlite3_changes(connection) }

    func int64(at column: Int32) -> Int64 { sqlite3_column_int64(statement, column) }

    func double(at column: Int32) -> Double { sqlite3_column_double(statement, column) }

    /// The column's value, or nil for NULL.
    func optionalDouble(at column: Int32) -> Double? {
        sqlite3_column_type(statement, column) == SQLITE_NULL ? nil : sqlite3_column_double(statement, column)
    }

    /// The column's text bytes, or nil for NULL; valid until the next step or reset.
    func text(at column: Int32) -> UnsafePointer<UInt8>? { sqlite3_column_text(statement, column) }

    /// The column's bytes (empty for NULL or an empty blob); valid until the next step or reset.
    func blob(at column: Int32) -> UnsafeRawBufferPointer {
        // Blob first, then its size: SQLite's documented order (no conversion in between).
        let base = sqlite3_column_blob(statement, column)
        let count = Int(sqlite3_column_bytes(statement, column))
        guard count > 0, let base else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: base, count: count)
    }

    /// The error of result code `rc`, with the connection's message.
    func error(_ rc: Int32) -> DatabaseError {
        DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(connection)))
    }
}

/// Static C strings for the flag letters, bound without copying (SQLITE_STATIC), indexed by
/// the position of the flag's bit.
nonisolated(unsafe) private let flagText: [UnsafeMutablePointer<CChar>] = {
    var texts = [UnsafeMutablePointer<CChar>?](repeating: nil, count: 8)
    for flag in DataFlag.allCases { texts[flag.bit.trailingZeroBitCount] = strdup(flag.rawValue)! }
    return texts.map { $0 ?? strdup("N")! }
}()
