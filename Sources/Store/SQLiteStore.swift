public import Monitoring
import Foundation
import GRDB
import GRDBSQLite

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
    /// What the writer remembers between batches; only inside the writer's closures.
    let writer: WriterBound
    /// Checkpoints the WAL off the writer's thread; nil if its connection could not be opened,
    /// and then SQLite's automatic checkpoint does the work.
    let checkpointer: WALCheckpointer?
    /// When small batches are staged (see ``StagingPolicy``); nil writes every batch straight.
    public let staging: StagingPolicy?
    /// How many samples are staged, for readers.
    let stagedGauge = StagedGauge()
    /// Concurrent reads' folds, one writer turn for all (``foldStaged(for:)``).
    let readFolds = ReadFoldQueue()
    /// When the writer's commits are on disk.
    let synchronous: Synchronous
    /// The path of the database file.
    public let path: String
    /// The retention policy ``applyRetention(now:)`` applies.
    public let retention: RetentionPolicy
    /// The clock that stamps audit records, in seconds since the epoch; tests inject their own.
    let clock: @Sendable () -> Int64
    /// Watches the file for the daemon once ``guardFile()`` was called; nil for other users.
    let fileGuard = Locked<StoreFileGuard?>(nil)
    /// Whether this handle only reads (``init(readingAt:stations:)``).
    public let readOnly: Bool

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
    ///   - synchronous: when a commit is on disk (see ``Synchronous``).
    ///   - cacheBytes: SQLite's page cache of each connection (the writer's and each reader's).
    ///     A bulk import's batches touch the tail pages of every series and their rollups, and
    ///     keep them between batches: 64 MiB (the default). The daemon's staged writes touch the
    ///     staging log and a partition's series at a time: ``daemonCacheBytes`` does, and at 64 MiB
    ///     its RSS grew past 200 MiB under the 1,000-unit load. The operating system's page cache
    ///     holds the rest of the file either way.
    /// - Throws: ``StoreError`` with code `open` or `migration`.
    public init(
        path: String, stations: StationRegistry, retention: RetentionPolicy = .standard,
        clock: @escaping @Sendable () -> Int64 = SQLiteStore.wallClock, pageSize: Int = 4_096,
        staging: StagingPolicy? = nil, synchronous: Synchronous = .normal, cacheBytes: Int = SQLiteStore.defaultCacheBytes
    ) throws(StoreError) {
        self.staging = staging
        self.synchronous = synchronous
        readOnly = false
        guard (512...65_536).contains(pageSize), pageSize.nonzeroBitCount == 1 else {
            throw StoreError(.open, "page size \(pageSize) is not a power of two in 512…65536")
        }
        self.path = path
        self.retention = retention
        self.clock = clock
        var config = Configuration()
        config.label = "envmon-store"
        config.prepareDatabase { db in
            // Takes effect only when the file is created.
            try db.execute(sql: "PRAGMA page_size = \(pageSize)")
            // Negative: a size in KiB rather than in pages.
            try db.execute(sql: "PRAGMA cache_size = -\(max(1, cacheBytes / 1_024))")
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
            // The background checkpointer (WALCheckpointer) does the copying.
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
            // The `-wal` and `-shm` files stay when the last connection closes: a read-only
            // handle (init(readingAt:)) cannot open the file without them.
            if !db.configuration.readonly { try SQLiteStore.persistWAL(db.sqliteConnection) }
        }
        // Another process's writer (an import or an ack beside the daemon) holds the write lock
        // for a transaction at a time. SQLite's own busy timeout sleeps 1, 2, 5, 10… up to 100 ms
        // between tries and so misses the short gaps between that writer's transactions; polling
        // every quarter millisecond (then every 2 ms after the first 25 ms) takes the lock within
        // a fraction of a millisecond of its release. Gives up after about 10 s, as before.
        config.busyMode = .callback { tries in
            if tries < 100 {
                usleep(250)
                return true
            }
            usleep(2_000)
            return tries < 100 + 4_990
        }
        do {
            pool = try DatabasePool(path: path, configuration: config)
        } catch {
            throw StoreError(.open, "cannot open the store at \(path)", underlying: error)
        }
        let writerDatabase: ObjectIdentifier
        do {
            // On the writer connection, which commits; after GRDB's own set-up, which sets
            // NORMAL on every connection of a WAL pool.
            writerDatabase = try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = \(synchronous.pragma)")
                return ObjectIdentifier(db)
            }
        } catch {
            throw StoreError(.open, "cannot set synchronous = \(synchronous.rawValue) on the store at \(path)", underlying: error)
        }
        // A file a newer envmon has migrated may keep what this one reads elsewhere (the staged
        // log moved to blocks in v10): writing it would lose or reorder acknowledged readings.
        if (try? pool.read({ db in try StoreSchema.migrator.hasBeenSuperseded(db) })) == true {
            throw StoreError(.open, "the store at \(path) was written by a newer envmon (its schema has migrations this one does not know): run that version or a newer one")
        }
        do {
            try StoreSchema.migrator.migrate(pool)
        } catch {
            throw StoreError(.migration, "cannot migrate the store at \(path)", underlying: error)
        }
        // Samples staged before a crash or by another process are folded at the next write or read.
        let state = WriterState(stations: stations)
        let staged = try? pool.writeWithoutTransaction { db in
            let rows = try SQLiteStore.stagedReadings(db)
            // Nothing to recover: the first live batches can be staged at once, instead of the
            // first one going the direct way (with a full fold) while a thousand units connect.
            if rows == 0 { state.stagedKnown = true }
            return rows
        }
        stagedGauge.count = staged ?? 0
        writer = WriterBound(state, writer: writerDatabase)
        checkpointer = WALCheckpointer(path: path)
        if checkpointer == nil {
            // Without the second connection, let SQLite checkpoint in the writer's commits.
            try? pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = 1000") }
        }
    }

    /// The page cache of each connection unless the caller chooses: 64 MiB.
    public static let defaultCacheBytes = 64 << 20
    /// An import's page cache: 32 MiB. A time-ordered import touches the last pages of each
    /// series' samples and rollups, a few MiB for a thousand series; with 64 MiB the cache was a
    /// quarter of the import's memory (146 MiB against 113 MiB peak RSS for 5 M samples, at the
    /// same speed: commands.sh, two runs of each).
    public static let importCacheBytes = 32 << 20
    /// The daemon's page cache a connection: 8 MiB.
    public static let daemonCacheBytes = 8 << 20

    /// Opens an existing store to read only: for a command that reads beside the daemon or after
    /// it (`envmon query`, reports). Nothing is written, migrated, folded or checkpointed, so
    /// opening and closing cost no write and no sync, and never wait for the daemon's writer.
    ///
    /// Refuses, with code `open`, a store such a handle cannot serve: one whose schema needs a
    /// migration, one with staged samples (which a read must fold first), or one whose `-wal`
    /// and `-shm` files are gone (left by an envmon older than this one): SQLite cannot read a
    /// WAL file without them. ``forReading(path:stations:)`` then opens it the ordinary way.
    public init(readingAt path: String, stations: StationRegistry) throws(StoreError) {
        self.path = path
        synchronous = .normal  // never writes
        readOnly = true
        staging = nil
        retention = .forever
        clock = SQLiteStore.wallClock
        checkpointer = nil
        guard FileManager.default.fileExists(atPath: path + "-wal"), FileManager.default.fileExists(atPath: path + "-shm") else {
            throw StoreError(.open, "the store at \(path) has no -wal and -shm files to read it by")
        }
        var config = Configuration()
        config.label = "envmon-store-reader"
        config.readonly = true
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA cache_size = -\(SQLiteStore.defaultCacheBytes / 1_024)") }
        let writerDatabase: ObjectIdentifier
        do {
            pool = try DatabasePool(path: path, configuration: config)
            try pool.read { db in
                guard try StoreSchema.migrator.hasCompletedMigrations(db) else {
                    throw StoreError(.open, "the store at \(path) needs a migration")
                }
                guard try !StoreSchema.migrator.hasBeenSuperseded(db) else {
                    throw StoreError(.open, "the store at \(path) was written by a newer envmon: run that version or a newer one")
                }
                // One row at most: whether anything is staged, not how much.
                guard try Int64.fetchOne(db, sql: "SELECT seq FROM staged_legacy LIMIT 1") == nil,
                    try Int64.fetchOne(db, sql: "SELECT seq FROM staged_block LIMIT 1") == nil
                else {
                    throw StoreError(.open, "the store at \(path) has staged samples to fold")
                }
            }
            writerDatabase = pool.writeWithoutTransaction { db in ObjectIdentifier(db) }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.open, "cannot open the store at \(path) to read", underlying: error)
        }
        // Nothing writes through this handle (SQLite refuses: the connections are read-only).
        writer = WriterBound(WriterState(stations: stations), writer: writerDatabase)
    }

    /// Opens the store for a command that only reads: read-only (``init(readingAt:stations:)``)
    /// when that can serve it, else the ordinary way, which migrates and folds staged samples.
    public static func forReading(path: String, stations: StationRegistry) throws(StoreError) -> SQLiteStore {
        if let store = try? SQLiteStore(readingAt: path, stations: stations) { return store }
        return try SQLiteStore(path: path, stations: stations)
    }

    /// Sets SQLITE_FCNTL_PERSIST_WAL on a read-write connection.
    static func persistWAL(_ connection: SQLiteConnection?) throws {
        var on: Int32 = 1
        let rc = sqlite3_file_control(connection, nil, SQLITE_FCNTL_PERSIST_WAL, &on)
        guard rc == SQLITE_OK else { throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: "cannot keep the WAL file") }
    }

    /// When a committed batch is on disk, and so when its senders may be acknowledged.
    public enum Synchronous: String, Sendable, Hashable, CaseIterable {
        /// SQLite's NORMAL in WAL mode: a commit is in the operating system's cache, synced at
        /// checkpoints. It survives the process being killed; a power cut or kernel crash can
        /// lose the last commits (up to a checkpoint interval, about a quarter second), never
        /// corrupting the file.
        case normal
        /// SQLite's FULL: every commit syncs the WAL (`fdatasync`) before it returns, so a
        /// reading is on disk before it is acknowledged, and survives a power cut too.
        case full

        var pragma: String { rawValue.uppercased() }
    }

    /// Seconds since the epoch by the system clock: the default for audit stamps.
    public static func wallClock() -> Int64 { WallClock.seconds() }

    /// Replaces the stations whose series may be written (after sensors/ was reloaded).
    public func updateStations(_ stations: StationRegistry) async throws(StoreError) {
        do {
            try await pool.write { [writer] db in
                writer.state(in: db).replaceStations(stations)
            }
        } catch {
            throw StoreError(.write, "cannot update stations", underlying: error)
        }
    }

    /// Starts guarding the store file against being moved, deleted, replaced or overwritten
    /// while this process writes it (see ``StoreFileGuard``): marks the file's header with a
    /// nonce of this process, then checks the file after every commit, before every checkpoint
    /// and whenever ``checkFile()`` is called. Once the file is lost, every write and
    /// checkpoint fails with ``StoreError/Code/fileLost``, so nothing more is acknowledged.
    ///
    /// For the daemon, the file's one writer: a second process guarding the same file would
    /// rewrite the nonce and make the first one stop.
    public func guardFile() throws(StoreError) {
        guard let watch = StoreFileGuard(path: path) else {
            throw StoreError(.open, "cannot watch the store file \(path): it cannot be opened or is not an SQLite file")
        }
        let nonce = Int32.random(in: 1...Int32.max)
        do {
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA user_version = \(nonce)")
                // Copies page 1 (and the nonce) into the file now, when it can.
                _ = try? db.checkpoint(.passive)
            }
        } catch {
            throw StoreError(.write, "cannot mark the store file \(path)", underlying: error)
        }
        watch.arm(nonce: nonce)
        fileGuard.withLock { $0 = watch }
        checkpointer?.setGuard(watch)
        try checkFile()
    }

    /// Checks the store file now (when guarded); throws ``StoreError/Code/fileLost`` naming the
    /// problem if it was moved, deleted, replaced or overwritten, now or before.
    public func checkFile() throws(StoreError) {
        guard let watch = fileGuard.withLock({ $0 }) else { return }
        if let problem = watch.check() { throw StoreError(.fileLost, problem) }
    }

    /// What happened to the store file, if it was lost (see ``guardFile()``); nil while all is well.
    public var fileProblem: String? { fileGuard.withLock { $0 }?.problem }

    /// Checkpoints the WAL and closes the file. The store must not be used afterwards. When the
    /// file was lost (see ``guardFile()``), nothing is folded or checkpointed into it.
    public func close() throws(StoreError) {
        if readOnly {
            do { try pool.close() } catch { throw StoreError(.read, "cannot close the store", underlying: error) }
            return
        }
        if let problem = fileProblem {
            checkpointer?.close()
            try? pool.close()
            throw StoreError(.fileLost, problem)
        }
        do {
            checkpointer?.close()
            try pool.writeWithoutTransaction { [writer, clock] db in
                try db.inTransaction(.immediate) {
                    try StagedFold(db: db, state: writer.state(in: db), now: clock()).run()
                    return .commit
                }
                // Truncating needs no reader in the WAL and no other checkpoint running: a CLI
                // command reading beside the daemon, or another handle's background checkpoint,
                // makes it busy. Everything is committed already, so that is no reason to fail
                // the close: copy (and sync) what can be copied, and the WAL stays for the next open.
                if (try? db.checkpoint(.truncate)) == nil { _ = try? db.checkpoint(.passive) }
            }
            stagedGauge.count = 0
            try pool.close()
        } catch {
            throw StoreError(.write, "cannot close the store", underlying: error)
        }
    }

    /// The number of raw samples stored for a series (for reports and tests).
    public func sampleCount(of series: SeriesKey) async throws(StoreError) -> Int {
        try await foldStaged(for: [series])
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

    /// The series the store holds for a station, with the zone, interval and unit they were last
    /// written with: how the readings of a station no longer in sensors/ are read.
    public func storedSeries(ofStation station: String) async throws(StoreError) -> [StoredSeries] {
        // No fold: a series' row is written by the commit that stages its first reading.
        do {
            return try await pool.read { db in
                try Row.fetchAll(db, sql: ReadSQL.seriesOfStation, arguments: [station]).compactMap { row in
                    guard let kind = SeriesKind(rawValue: row[1]) else { return nil }
                    return StoredSeries(
                        key: SeriesKey(station: station, parameter: row[0], kind: kind), timeZone: TimeZone(identifier: row[2]) ?? .gmt,
                        interval: row[3], unit: (row[4] as String?).flatMap(MeasurementUnit.init(rawValue:)))
                }
            }
        } catch {
            throw StoreError(.read, "cannot list the series of \(station)", underlying: error)
        }
    }

    /// Every series in the store.
    public func allSeries() async throws(StoreError) -> [SeriesKey] {
        // No fold: a series' row is written by the commit that stages its first reading.
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
        try await foldStaged(for: [series])
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
