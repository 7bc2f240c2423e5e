import GRDB
import GRDBSQLite
import Synchronization

/// A multi-row INSERT: `chunk` rows a statement while that many are left, then one row a
/// statement, bound straight to SQLite (``RawStatement``).
///
/// One statement of many rows amortises SQLite's per-statement work (step, transaction check,
/// halt, reset) over its rows: a batch of a live feed touches thousands of series with a row
/// each, and per-statement work would outweigh the rows themselves. Used for raw samples, staged
/// samples and rollup rows alike.
struct ChunkedInsert {
    /// Rows per multi-row statement.
    let chunk: Int
    private let columns: Int32
    private let many: RawStatement
    private let one: RawStatement

    /// Prepares (from the connection's cache) `head VALUES (?, …), … tail` for `chunk` rows and for one row.
    /// - Parameters:
    ///   - head: `INSERT INTO table (columns…)`.
    ///   - columns: parameters a row.
    ///   - tail: what follows the rows (an `ON CONFLICT` clause), if anything.
    init(_ db: Database, _ head: String, columns: Int, tail: String = "", chunk: Int) throws {
        let text = Self.sql(head, columns: columns, tail: tail, chunk: chunk)
        self.chunk = chunk
        self.columns = Int32(columns)
        many = try RawStatement(db, sql: text.many)
        one = try RawStatement(db, sql: text.one)
    }

    /// The statements' text, made once for each shape: a batch makes a ChunkedInsert or three,
    /// and joining 256 rows of placeholders each time was a few percent of a fold.
    private static func sql(_ head: String, columns: Int, tail: String, chunk: Int) -> (many: String, one: String) {
        let key = SQLKey(head: head, columns: columns, tail: tail, chunk: chunk)
        if let known = texts.withLock({ $0[key] }) { return known }
        func sql(_ rows: Int) -> String {
            let row = "(" + repeatElement("?", count: columns).joined(separator: ", ") + ")"
            return head + " VALUES " + repeatElement(row, count: rows).joined(separator: ", ") + (tail.isEmpty ? "" : " " + tail)
        }
        let made = (sql(chunk), sql(1))
        texts.withLock { $0[key] = made }
        return made
    }

    private struct SQLKey: Hashable {
        let head: String
        let columns: Int
        let tail: String
        let chunk: Int
    }

    /// A handful of shapes in all (samples, staged rows, rollups).
    private static let texts = Mutex<[SQLKey: (many: String, one: String)]>([:])

    /// Binds and runs one full chunk: `bind(statement, row, firstParameter)` binds row `row`
    /// (0..<chunk) from `firstParameter` on. Returns SQLite's result code: on a failure the
    /// statement was undone as a whole.
    func runChunk(_ bind: (RawStatement, Int, Int32) -> Void) -> Int32 {
        for r in 0..<chunk { bind(many, r, Int32(r) * columns + 1) }
        return many.run()
    }

    /// Inserts rows `0..<count`: whole chunks, then the rest one by one; throws on the first failure.
    func insert(count: Int, _ bind: (RawStatement, Int, Int32) -> Void) throws {
        var at = 0
        while count - at >= chunk {
            let rc = runChunk { statement, r, p in bind(statement, at + r, p) }
            guard rc == SQLITE_DONE else { throw many.error(rc) }
            at += chunk
        }
        while at < count {
            bind(one, at, 1)
            try one.execute()
            at += 1
        }
    }
}
