import GRDB
public import Monitoring

extension SQLiteStore {
    /// The stored rollup buckets of a series at `resolution` (3,600: hours; 86,400: local days)
    /// whose start is in `range`, oldest first: one read for the least, mean and greatest value
    /// of each bucket together, where ``aggregate(_:)`` answers one function a call. A year of a
    /// series' hours is 8,760 rows, whatever its reporting interval. Buckets without readings are
    /// not stored, so not returned.
    public func rollupRows(of series: SeriesKey, resolution: Int64, in range: Range<Int64>) async throws(StoreError) -> [RollupRow] {
        try await foldStaged(for: [series])
        do {
            return try await pool.read { db in
                guard let id = try SQLiteStore.seriesID(db, series) else { return [] }
                let rows = try RawStatement(db, sql: ReadSQL.rollups)
                defer { rows.reset() }
                for (i, value) in [id, resolution, range.lowerBound, range.upperBound].enumerated() { rows.bind(value, at: Int32(i + 1)) }
                var out: [RollupRow] = []
                while try rows.step() {
                    out.append(
                        RollupRow(
                            start: rows.int64(at: 0), count: Int(rows.int64(at: 1)), validCount: Int(rows.int64(at: 2)), sum: rows.double(at: 3),
                            min: rows.optionalDouble(at: 4), max: rows.optionalDouble(at: 5),
                            flags: DataFlagSet(rawValue: UInt8(truncatingIfNeeded: rows.int64(at: 6))), expectedCount: Int(rows.int64(at: 7))))
                }
                return out
            }
        } catch {
            throw StoreError(.read, "cannot read the rollups of \(series)", underlying: error)
        }
    }
}
