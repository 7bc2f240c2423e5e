public import Monitoring
import GRDB

extension SQLiteStore {
    /// The newest sample of every series the store holds, in one query: what an overview of a
    /// thousand stations reads at once instead of a seek per series through ``latest(of:)``.
    ///
    /// Each series costs two seeks at the end of its key range of `sample`, however long it is.
    public func latestOfEverySeries() async throws(StoreError) -> [SeriesKey: StoredSample] {
        try await foldStaged()
        do {
            return try await pool.read { db in
                var out: [SeriesKey: StoredSample] = [:]
                let rows = try Row.fetchCursor(db.cachedStatement(sql: BatchSQL.latestOfEverySeries))
                while let row = try rows.next() {
                    guard let kind = SeriesKind(rawValue: row[2]) else { continue }
                    let key = SeriesKey(station: row[0], parameter: row[1], kind: kind)
                    out[key] = StoredSample(time: row[3], value: row[4], flag: DataFlag(rawValue: row[5]) ?? .normal)
                }
                return out
            }
        } catch {
            throw StoreError(.read, "cannot read the latest values", underlying: error)
        }
    }

    /// Several ``aggregate(_:)`` queries answered in one read transaction (one fold of what is
    /// staged, one snapshot): each answer in the order of `queries`. A query the single call would
    /// refuse (a step of zero, a flow-weighted mean without flow) throws here too.
    public func aggregate(_ queries: [AggregateQuery]) async throws(StoreError) -> [[AggregateRow]] {
        for query in queries {
            guard query.step > 0 else { throw StoreError(.badQuery, "the step must be positive") }
            guard query.function != .flowWeighted || query.flow != nil else {
                throw StoreError(.badQuery, "a flow-weighted mean needs a flow series")
            }
        }
        guard !queries.isEmpty else { return [] }
        try await foldStaged(for: queries.flatMap { [$0.series] + ($0.flow.map { [$0] } ?? []) })
        do {
            return try await pool.read { db in
                try queries.map { query in query.range.isEmpty ? [] : try SQLiteStore.aggregate(db, query) }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.read, "cannot aggregate \(queries.count) series", underlying: error)
        }
    }
}

/// The SQL of the store's batched reads.
enum BatchSQL {
    /// Every series with its newest sample: a scan of `series` (the answer has a row for each),
    /// and for each two seeks at the end of its range of `sample`'s primary key. `CROSS JOIN`
    /// keeps `series` outside: left to itself the planner scanned all of `sample` instead.
    static let latestOfEverySeries = """
        SELECT se.station, se.parameter, se.kind, sa.ts, sa.value, sa.flag FROM series se
        CROSS JOIN sample sa ON sa.series = se.id
          AND sa.ts = (SELECT ts FROM sample WHERE series = se.id ORDER BY ts DESC LIMIT 1)
        """
}
