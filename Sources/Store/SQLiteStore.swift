public import Monitoring
import Foundation
import GRDB

/// The embedded time-series store: one SQLite file in WAL mode.
///
/// ```swift
/// let store = try SQLiteStore(path: "var/envmon.sqlite", stations: registry)
/// let result = try await store.write(samples)
/// let days = try await store.aggregate(.init(series: key, range: from..<to, step: 86_400, function: .avg))
/// ```
///
/// Writes go through GRDB's single writer connection, one transaction per batch, so a crash or
/// kill at any moment leaves every committed batch whole and no half batch. Readers use the
/// pool's WAL readers and never block the writer. The hot insert loop binds straight to SQLite's
/// C API on the writer's prepared statements, because GRDB's argument boxing halves insert speed.
public final class SQLiteStore: TimeSeriesStore {
    let pool: DatabasePool
    let writerState: WriterState
    /// Checkpoints the WAL off the writer's thread; nil if its connection could not be opened,
    /// and then SQLite's automatic checkpoint does the work.
    let checkpointer: WALCheckpointer?
    /// When small batches are staged (see ``StagingPolicy``); nil writes every batch straight.
    public let staging: StagingPolicy?
    /// How many samples are staged, for readers.
    let stagedGauge = StagedGauge()
    /// The path of the database file.
    public let path: String
    /// The retention policy ``applyRetention(now:)`` applies.
    public let retention: RetentionPolicy
    /// The clock that stamps audit records, in seconds since the epoch; tests inject their own.
    let clock: @Sendable () -> Int64

    /// Opens (creating if needed) the store at `path` and migrates its schema.
    /// - Parameters:
    ///   - path: the database file; its folder must exist.
    ///   - stations: the stations whose series may be written; others are refused.
    ///   - retention: how long raw samples and rollups are kept.
    ///   - clock: the time stamped on audit records (revisions); the wall clock unless a test injects one.
    ///   - pageSize: the SQLite page size of a new file (512…65536, a power of two); an existing
    ///     file keeps its own. Bulk ingest is fastest at 4096; smaller pages cut the WAL traffic
    ///     of commits that each add a reading to many series (a live feed at a high frame rate).
    ///   - staging: stage small batches (the daemon's live feed) instead of writing them straight;
    ///     nil (the default) writes every batch straight. Staged samples are read like any other.
    /// - Throws: ``StoreError`` with code `open` or `migration`.
    public init(
        path: String, stations: StationRegistry, retention: RetentionPolicy = .standard,
        clock: @escaping @Sendable () -> Int64 = SQLiteStore.wallClock, pageSize: Int = 4_096,
        staging: StagingPolicy? = nil
    ) throws(StoreError) {
        self.staging = staging
        guard (512...65_536).contains(pageSize), pageSize.nonzeroBitCount == 1 else {
            throw StoreError(.open, "page size \(pageSize) is not a power of two in 512…65536")
        }
        self.path = path
        self.retention = retention
        self.clock = clock
        var config = Configuration()
        config.label = "envmon-store"
        config.prepareDatabase { db in
            // NORMAL in WAL: a committed batch survives a process crash; at worst the last
            // transactions before a power loss are lost, never is the file corrupted.
            // Takes effect only when the file is created.
            try db.execute(sql: "PRAGMA page_size = \(pageSize)")
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            try db.execute(sql: "PRAGMA cache_size = -65536")
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
            // The background checkpointer (WALCheckpointer) does the copying.
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
        }
        config.busyMode = .timeout(10)
        do {
            pool = try DatabasePool(path: path, configuration: config)
        } catch {
            throw StoreError(.open, "cannot open the store at \(path)", underlying: error)
        }
        do {
            try StoreSchema.migrator.migrate(pool)
        } catch {
            throw StoreError(.migration, "cannot migrate the store at \(path)", underlying: error)
        }
        writerState = WriterState(stations: stations)
        // Samples staged before a crash or by another process are folded at the next write or read.
        let staged = try? pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM staged") ?? 0 }
        stagedGauge.count = staged ?? 0
        // Nothing to recover: the first live batches can be staged at once, instead of the first
        // one going the direct way (with a full fold) while a thousand field units connect.
        if staged == 0 { writerState.stagedKnown = true }
        checkpointer = WALCheckpointer(path: path)
        if checkpointer == nil {
            // Without the second connection, let SQLite checkpoint in the writer's commits.
            try? pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = 1000") }
        }
    }

    /// Seconds since the epoch by the system clock: the default for audit stamps.
    public static func wallClock() -> Int64 { Int64(Date().timeIntervalSince1970) }

    /// Replaces the stations whose series may be written (after sensors/ was reloaded).
    public func updateStations(_ stations: StationRegistry) async throws(StoreError) {
        do {
            try await pool.write { [writerState] db in
                writerState.replaceStations(stations)
                _ = db
            }
        } catch {
            throw StoreError(.write, "cannot update stations", underlying: error)
        }
    }

    /// Checkpoints the WAL and closes the file. The store must not be used afterwards.
    public func close() throws(StoreError) {
        do {
            checkpointer?.close()
            try pool.writeWithoutTransaction { [writerState, clock] db in
                try db.inTransaction(.immediate) {
                    try StagedFold(db: db, state: writerState, now: clock()).run()
                    return .commit
                }
                _ = try db.checkpoint(.truncate)
            }
            stagedGauge.count = 0
            try pool.close()
        } catch {
            throw StoreError(.write, "cannot close the store", underlying: error)
        }
    }

    /// The number of raw samples stored for a series (for reports and tests).
    public func sampleCount(of series: SeriesKey) async throws(StoreError) -> Int {
        try await foldStaged()
        do {
            return try await pool.read { db in
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT count(*) FROM sample WHERE series =
                          (SELECT id FROM series WHERE station = ? AND parameter = ? AND kind = ?)
                        """, arguments: [series.station, series.parameter, series.kind.rawValue]) ?? 0
            }
        } catch {
            throw StoreError(.read, "cannot count samples of \(series)", underlying: error)
        }
    }

    /// Every series in the store.
    public func allSeries() async throws(StoreError) -> [SeriesKey] {
        try await foldStaged()
        do {
            return try await pool.read { db in
                try Row.fetchAll(db, sql: "SELECT station, parameter, kind FROM series ORDER BY station, parameter, kind")
                    .compactMap { row in
                        SeriesKind(rawValue: row[2]).map { SeriesKey(station: row[0], parameter: row[1], kind: $0) }
                    }
            }
        } catch {
            throw StoreError(.read, "cannot list series", underlying: error)
        }
    }

    /// The audited changes of re-sent samples of a series, oldest first.
    public func revisions(of series: SeriesKey) async throws(StoreError) -> [(time: Int64, old: StoredSample, new: StoredSample)] {
        try await foldStaged()
        do {
            return try await pool.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT r.ts, r.old_value, r.old_flag, r.new_value, r.new_flag FROM sample_revision r
                        JOIN series s ON s.id = r.series
                        WHERE s.station = ? AND s.parameter = ? AND s.kind = ? ORDER BY r.rowid
                        """, arguments: [series.station, series.parameter, series.kind.rawValue]
                ).map { row in
                    let t: Int64 = row[0]
                    return (
                        t, StoredSample(time: t, value: row[1], flag: DataFlag(rawValue: row[2]) ?? .normal),
                        StoredSample(time: t, value: row[3], flag: DataFlag(rawValue: row[4]) ?? .normal)
                    )
                }
            }
        } catch {
            throw StoreError(.read, "cannot read revisions of \(series)", underlying: error)
        }
    }
}
