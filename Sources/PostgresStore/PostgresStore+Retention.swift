public import Monitoring
import PostgresNIO
public import Store

extension PostgresStore {
    /// Deletes raw samples and rollups older than the policy allows at `now`, and remembers each
    /// horizon so that a write older than it is refused rather than stored and later deleted.
    ///
    /// A month partition wholly older than its kind's horizon is dropped whole (its rows counted
    /// first, for the report); only the month the horizon falls in is deleted from row by row.
    public func applyRetention(now: Int64) async throws(StoreError) -> RetentionReport {
        let policy = retention
        return try await gate.run { () async throws(StoreError) -> RetentionReport in
            do {
                defer { writer.reset() }
                let partitions = try await knownPartitions()
                return try await client.withTransaction(logger: logger) { connection in
                    try await connection.query("SELECT pg_advisory_xact_lock(\(PostgresSchema.lockKey))", logger: logger)
                    var deleted: [SeriesKind: Int] = [:]
                    for (kind, age) in policy.raw {
                        let horizon = now - age
                        var count = 0
                        for p in partitions.sorted() where p.kind == kind && p.upperBound <= horizon {
                            for try await n in try await connection.query(PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(p.table)"), logger: logger)
                                .decode(Int64.self)
                            {
                                count += Int(n)
                            }
                            try await connection.query(PostgresQuery(unsafeSQL: "DROP TABLE \(p.table)"), logger: logger)
                        }
                        let rows = try await connection.query(
                            """
                            WITH d AS (DELETE FROM sample WHERE kind = \(kind.code) AND ts < \(horizon) RETURNING 1) SELECT count(*) FROM d
                            """, logger: logger)
                        for try await n in rows.decode(Int64.self) { count += Int(n) }
                        deleted[kind] = count
                        try await connection.query(
                            """
                            INSERT INTO retention_horizon (kind, horizon) VALUES (\(kind.rawValue), \(horizon))
                            ON CONFLICT (kind) DO UPDATE SET horizon = GREATEST(retention_horizon.horizon, excluded.horizon)
                            """, logger: logger)
                    }
                    var rollups = 0
                    for (resolution, age) in [(Int32(3_600), policy.hourRollups), (86_400, policy.dayRollups)] {
                        guard let age else { continue }
                        let rows = try await connection.query(
                            """
                            WITH d AS (DELETE FROM rollup WHERE resolution = \(resolution) AND bucket_end <= \(now - age) RETURNING 1)
                            SELECT count(*) FROM d
                            """, logger: logger)
                        for try await n in rows.decode(Int64.self) { rollups += Int(n) }
                    }
                    return RetentionReport(samplesDeleted: deleted, rollupsDeleted: rollups)
                }
            } catch {
                throw Self.error(.write, "retention pass failed", error)
            }
        }
    }

    /// The leaf partitions of `sample`, read from the catalogue once per writer reset.
    func knownPartitions() async throws -> Set<SamplePartition> {
        if let p = writer.partitions { return p }
        var found = Set<SamplePartition>()
        let rows = try await client.query(
            """
            SELECT c.relname::text FROM pg_inherits i
            JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
            WHERE p.relname IN ('sample_realtime', 'sample_minute', 'sample_hour', 'sample_day')
            """, logger: logger)
        for try await name in rows.decode(String.self) {
            if let p = SamplePartition(table: name) { found.insert(p) }
        }
        writer.partitions = found
        return found
    }
}
