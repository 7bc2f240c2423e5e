import Monitoring
import GRDB

extension SQLiteStore {
    /// Deletes raw samples and rollups older than the policy allows at `now`, and remembers each
    /// horizon so that a write older than it is refused rather than stored and later deleted.
    public func applyRetention(now: Int64) async throws(StoreError) -> RetentionReport {
        let policy = retention
        try await foldStaged()
        do {
            return try await pool.write { [writer] db in
                var deleted: [SeriesKind: Int] = [:]
                for (kind, age) in policy.raw {
                    let horizon = now - age
                    try db.execute(
                        sql: "DELETE FROM sample WHERE series IN (SELECT id FROM series WHERE kind = ?) AND ts < ?",
                        arguments: [kind.rawValue, horizon])
                    deleted[kind] = db.changesCount
                    try db.execute(
                        sql: """
                            INSERT INTO retention_horizon (kind, horizon) VALUES (?, ?)
                            ON CONFLICT (kind) DO UPDATE SET horizon = max(horizon, excluded.horizon)
                            """, arguments: [kind.rawValue, horizon])
                }
                var rollups = 0
                for (resolution, age) in [(Int64(3_600), policy.hourRollups), (86_400, policy.dayRollups)] {
                    guard let age else { continue }
                    try db.execute(
                        sql: "DELETE FROM rollup WHERE resolution = ? AND bucket_end <= ?", arguments: [resolution, now - age])
                    rollups += db.changesCount
                }
                writer.state(in: db).horizons = nil
                return RetentionReport(samplesDeleted: deleted, rollupsDeleted: rollups)
            }
        } catch {
            throw StoreError(.write, "retention pass failed", underlying: error)
        }
    }
}
