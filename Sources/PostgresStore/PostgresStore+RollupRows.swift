public import Monitoring
import PostgresNIO
public import Store

extension PostgresStore {
    /// The stored rollup buckets of a series at `resolution` (3,600: hours; 86,400: local days)
    /// whose start is in `range`, oldest first; empty for an unknown series. Buckets without
    /// readings are not stored, so not returned. One range of `rollup`'s primary key.
    public func rollupRows(of series: SeriesKey, resolution: Int64, in range: Range<Int64>) async throws(StoreError) -> [RollupRow] {
        do {
            guard let meta = try await seriesMeta(series) else { return [] }
            return try await rollups(id: meta.id, resolution: resolution, range).map { row in
                RollupRow(
                    start: row.bucket, count: row.count, validCount: row.validCount, sum: row.sum, min: row.min, max: row.max,
                    flags: row.flags, expectedCount: row.expected)
            }
        } catch {
            throw Self.error(.read, "cannot read the rollups of \(series)", error)
        }
    }
}
