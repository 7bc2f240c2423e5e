public import Monitoring
import Foundation
import GRDB

extension SQLiteStore {
    /// Folds the staged samples of `series` into `sample` and `rollup`, so that a read of them
    /// that follows sees every committed reading — and only theirs, not the partitions that
    /// hold them nor the whole log (a full fold before every read held acknowledgements up).
    /// Takes no turn on the writer when none of them has anything staged.
    public func foldStaged(for series: [SeriesKey]) async throws(StoreError) {
        guard let parts = stagedGauge.partitions else {
            // Unknown (staged by a process before this one): everything, once.
            return try await foldStaged()
        }
        guard parts.contains(where: { $0 > 0 }) else { return }
        // Nothing of these series waits in the writer's memory (as of its last commit, and so of
        // every acknowledged write): nothing to fold, and no turn on the writer to wait for.
        guard stagedGauge.mayHaveStaged(series) else { return }
        try await readFolds.fold(series) { [self] keys throws(StoreError) in try await foldStagedNow(for: keys) }
    }

    /// One turn of ``foldStaged(for:)`` on the writer, for every series the reads waiting asked for.
    private func foldStagedNow(for series: [SeriesKey]) async throws(StoreError) {
        if let problem = fileProblem { throw StoreError(.fileLost, problem) }
        let now = clock()
        do {
            try await pool.writeWithoutTransaction { [writer, stagedGauge, synchronous] db in
                let writerState = writer.state(in: db)
                try StagedFold.unsynced(db, synchronous) {
                    if writerState.stagedKnown {
                        // These series alone, not their partitions: a partition holds every
                        // series of 1/256 of the store, and folded for each read (fifty readers
                        // beside the HJ 212 load) each fold dirtied a page of twenty series for a
                        // handful of readings, the cost staging exists to avoid.
                        let slots = series.compactMap { writerState.index[$0] }.filter { writerState.stagedNewest[Int($0)] != .min }
                        guard !slots.isEmpty else { return }
                        try StagedFold(db: db, state: writerState, now: now, series: slots).runInTransaction()
                    } else {
                        try StagedFold(db: db, state: writerState, now: now).runInTransaction()
                    }
                }
                stagedGauge.update(writerState)
            }
        } catch {
            throw StoreError(.write, "the staged samples of \(series.count) series could not be folded", underlying: error)
        }
    }

    /// Folds every staged sample into `sample` and `rollup`, so that what follows reads them.
    /// Called before reads that span every series; does nothing (and takes no lock) when
    /// nothing is staged.
    public func foldStaged() async throws(StoreError) {
        guard stagedGauge.count > 0 else { return }
        // What is known already, without looking again: every commit and the daemon's watch look.
        if let problem = fileProblem { throw StoreError(.fileLost, problem) }
        let now = clock()
        do {
            try await pool.writeWithoutTransaction { [writer, stagedGauge, synchronous] db in
                let writerState = writer.state(in: db)
                try StagedFold.unsynced(db, synchronous) { try StagedFold(db: db, state: writerState, now: now).runInTransaction() }
                // Here, on the writer: read after the closure, this raced with the next batch.
                stagedGauge.update(writerState)
            }
        } catch {
            throw StoreError(.write, "the staged samples could not be folded into the store", underlying: error)
        }
    }
}

extension SQLiteStore {
    /// Between batches: the checkpoint the background checkpointer asked the writer for, and the
    /// partial fold that is due, each in its own transaction. Done here, neither holds up the
    /// acknowledgement of a batch (a fold took 2–10 ms and the writer's checkpoint up to 20 ms
    /// in the load benchmark, inside the commit of the batch they rode with). ``write(_:)`` still
    /// folds and checkpoints itself when this falls behind (a writer that is never idle).
    public func maintain() async throws(StoreError) {
        guard staging != nil || checkpointer != nil else { return }
        let now = clock()
        // Runs right after a commit, which has just looked at the file: only what is known, and
        // a fresh look before a checkpoint copies pages into the file.
        if let problem = fileProblem { throw StoreError(.fileLost, problem) }
        let watch = fileGuard.withLock { $0 }
        do {
            try await pool.writeWithoutTransaction { [writer, staging, stagedGauge, checkpointer, synchronous] db in
                let writerState = writer.state(in: db)
                if checkpointer?.takeWriterRequest() == true, watch?.check() == nil { _ = try? db.checkpoint(.passive) }
                guard let staging, writerState.stagedKnown,
                    let partition = writerState.partitionToFold(staging, rows: staging.partialFoldRows, now: now)
                else { return }
                try StagedFold.unsynced(db, synchronous) {
                    try StagedFold(db: db, state: writerState, now: now, partition: partition).runInTransaction()
                }
                stagedGauge.update(writerState)
            }
        } catch {
            throw StoreError(.write, "the staged samples of a partition could not be folded (the next write folds them)", underlying: error)
        }
    }

    /// Reads the writer's state on the writer (for tests).
    func onWriter<T: Sendable>(_ body: @escaping @Sendable (WriterState) -> T) async throws -> T {
        try await pool.writeWithoutTransaction { [writer] db in body(writer.state(in: db)) }
    }

    /// Touches the writer's state from a reader connection, which ``WriterBound`` must stop
    /// (for the test of that check).
    func touchWriterStateFromAReader() async throws {
        _ = try await pool.read { [writer] db in writer.state(in: db).stagedRows }
    }

    /// A pragma's value on the writer connection (for tests).
    func writerPragma(_ name: String) async throws -> Int? {
        try await pool.write { db in try Int.fetchOne(db, sql: "PRAGMA \(name)") }
    }

    /// Readings in the staged log, folded or not (for tests: folded rows wait for the prefix delete).
    func stagedLogReadings() async throws -> Int {
        try await pool.read { db in try SQLiteStore.stagedReadings(db) }
    }

    /// Rows of `staged_block` (for tests: one a commit).
    func stagedBlocksForTests() async throws -> Int {
        try await pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM staged_block") ?? 0 }
    }

    /// Records a migration this envmon does not know, as a newer one would have (for tests).
    func recordUnknownMigrationForTests(_ identifier: String) async throws {
        try await pool.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES (?)", arguments: [identifier]) }
    }

    /// The id of a series in the file (for tests).
    func seriesIDForTests(_ key: SeriesKey) async throws -> Int64? {
        try await pool.read { db in
            try Int64.fetchOne(
                db, sql: "SELECT id FROM series WHERE station = ? AND parameter = ? AND kind = ?",
                arguments: [key.station, key.parameter, key.kind.rawValue])
        }
    }

    /// Appends to the staged log behind the writer's back, as a crash or an envmon before staged
    /// blocks left it (for tests): rows to `staged_legacy` (the old `staged` table), then blocks of the given
    /// bytes. The writer then no longer knows the log, as after opening such a file.
    func layOutStagedLogForTests(legacy: [(series: Int64, time: Int64, value: Double, flag: DataFlag)], blocks: [[UInt8]]) async throws {
        try await pool.writeWithoutTransaction { [writer, stagedGauge] db in
            for row in legacy {
                try db.execute(
                    sql: "INSERT INTO staged_legacy (series, ts, value, flag) VALUES (?, ?, ?, ?)",
                    arguments: [row.series, row.time, row.value, row.flag.rawValue])
            }
            for bytes in blocks { _ = try StagedBlock(bytes: bytes).append(to: db) }
            writer.state(in: db).reset()
            stagedGauge.count = try SQLiteStore.stagedReadings(db)
        }
    }

    /// Readings in the staged log: rows of `staged_legacy` (left by an envmon before blocks) and the
    /// readings of every `staged_block`.
    static func stagedReadings(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT (SELECT count(*) FROM staged_legacy) + (SELECT coalesce(sum(count), 0) FROM staged_block)") ?? 0
    }
}

/// The number of staged samples, in all and by partition, readable outside the writer: readers
/// fold only when the partitions of what they read hold some.
final class StagedGauge: Sendable {
    private let value = Locked<(count: Int, partitions: [Int]?)>((0, nil))
    /// Which series have readings staged in the writer's memory, as of its last commit: the
    /// writer's slots (extended as it learns series, rebuilt when its slots start over) and one
    /// bit a slot. Its own copies: sharing the writer's arrays made the writer copy them at its
    /// next change, a commit's worth of copying for every commit.
    private struct Staged {
        var index: [SeriesKey: Int32] = [:]
        var generation = -1
        var bits: [UInt64] = []
        var known = false
    }
    private let series = Locked(Staged())

    /// Staged rows in all.
    var count: Int {
        get { value.withLock { $0.count } }
        set { value.withLock { $0 = (newValue, newValue == 0 ? [Int](repeating: 0, count: StagingPolicy.partitions) : nil) } }
    }

    /// Staged rows by partition, or `nil` when the writer does not know them (rows staged by an
    /// earlier process, not folded yet).
    var partitions: [Int]? { value.withLock { $0.count == 0 ? [] : $0.partitions } }

    /// Whether any of `keys` may have readings staged and not folded: false only when the writer's
    /// memory says none has (a series it does not know has none there).
    func mayHaveStaged(_ keys: [SeriesKey]) -> Bool {
        series.withLock { s in
            guard s.known else { return true }
            return keys.contains { key in
                guard let slot = s.index[key].map(Int.init), slot >> 6 < s.bits.count else { return false }
                return s.bits[slot >> 6] & (1 << (slot & 63)) != 0
            }
        }
    }

    /// Series with readings staged in the writer's memory, as of its last commit.
    var seriesStaged: Int { series.withLock { s in s.bits.reduce(0) { $0 + $1.nonzeroBitCount } } }

    /// Takes the figures of the writer's state (on the writer).
    func update(_ state: WriterState) {
        let parts = state.stagedKnown ? state.partRows : nil
        let count = state.stagedRows
        value.withLock { $0 = (count, parts) }
        var bits = [UInt64](repeating: 0, count: (state.stagedNewest.count + 63) / 64)
        for (slot, newest) in state.stagedNewest.enumerated() where newest != .min { bits[slot >> 6] |= 1 << (slot & 63) }
        series.withLock { s in
            if s.generation != state.generation {
                s.index = [:]
                s.generation = state.generation
            }
            // Within a generation the writer only adds slots.
            if s.index.count < state.states.count {
                for slot in s.index.count..<state.states.count { s.index[state.states[slot].key] = Int32(slot) }
            }
            s.bits = bits
            s.known = state.stagedKnown
        }
    }
}

/// Stages a small batch: outcomes decided as the direct write would, its readings appended to the
/// staged log as one block.
struct StagedWrite {
    let db: Database
    let state: WriterState
    let now: Int64

    func run(_ samples: [Sample]) throws -> WriteResult {
        var outcomes = [SampleOutcome](repeating: .inserted, count: samples.count)
        var summary = WriteSummary()
        let batch = BatchWrite(db: db, state: state, now: now)
        let horizons = try batch.loadHorizons()
        let lookup = try RawStatement(db, sql: "SELECT value, flag FROM sample WHERE series = ? AND ts = ?")
        let revise = try db.cachedStatement(
            sql: "INSERT INTO sample_revision (series, ts, old_value, old_flag, new_value, new_flag, revised_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
        var rows: [(series: Int64, time: Int64, value: Double, flag: DataFlag)] = []
        rows.reserveCapacity(samples.count)
        /// Counts a version of a reading into its partition and queues its row for the log.
        func stage(_ part: Int, _ id: Int64, _ sample: Sample) {
            state.partRows[part] += 1
            if state.partSince[part] == nil { state.partSince[part] = now }
            rows.append((id, sample.time, sample.value, sample.flag))
        }

        for i in samples.indices {
            let sample = samples[i]
            guard let slot = try batch.seriesSlot(sample.series) else {
                outcomes[i] = .unknownSeries
                continue
            }
            if let h = horizons[sample.series.kind], sample.time < h {
                outcomes[i] = .beyondRetention
                continue
            }
            // Fields, not a copy of the series' state: a copy retains its key's strings and calendar.
            let s = Int(slot)
            let id = state.states[s].id
            let part = Int(id % Int64(StagingPolicy.partitions))
            if sample.time <= state.stagedNewest[s], let at = state.staged[part].find(slot: slot, time: sample.time) {
                // Staged before and not folded yet: compare with that version; a change is
                // audited now, since the fold only sees the last version.
                let previous = state.staged[part].entries[at]
                if previous.value == sample.value && previous.flag == sample.flag {
                    outcomes[i] = .duplicate
                    continue
                }
                try revise.execute(arguments: [
                    id, sample.time, previous.value, previous.flag.rawValue, sample.value, sample.flag.rawValue, now,
                ])
                outcomes[i] = .changed
                state.staged[part].update(at: at, value: sample.value, flag: sample.flag)
                stage(part, id, sample)
                continue
            } else if sample.time <= state.states[s].highWater ?? Int64.min {
                // At or below the newest folded sample: it may be stored already.
                lookup.bind(id, at: 1)
                lookup.bind(sample.time, at: 2)
                defer { lookup.reset() }
                if try lookup.step() {
                    let value = lookup.double(at: 0)
                    let flag = lookup.text(at: 1).flatMap { DataFlag(rawValue: String(cString: $0)) } ?? .normal
                    if value == sample.value && flag == sample.flag {
                        outcomes[i] = .duplicate
                        continue
                    }
                    outcomes[i] = .changed  // audited by the fold, which replaces the stored one
                }
            }
            state.staged[part].append(.init(slot: slot, time: sample.time, value: sample.value, flag: sample.flag))
            if sample.time > state.stagedNewest[s] { state.stagedNewest[s] = sample.time }
            stage(part, id, sample)
        }
        for o in outcomes { summary.add(o) }
        try append(rows)
        state.stagedSincePartial += rows.count
        return WriteResult(outcomes: outcomes, summary: summary)
    }

    /// Appends the batch's staged readings to the log as one `staged_block` row.
    private func append(_ rows: [(series: Int64, time: Int64, value: Double, flag: DataFlag)]) throws {
        guard !rows.isEmpty else { return }
        state.lastSeq = try StagedBlock(rows).append(to: db)
    }
}

/// Samples a fold of several partitions writes in one batch, at least.
private let foldChunk = 20_000

/// Moves the staged samples of one partition (or all) into `sample` and `rollup` as one
/// ordinary batch, and drops from the staged log the blocks no partition needs any more.
///
/// The samples come from the writer's memory (``WriterState/staged``, the last version of each),
/// not from the log: `staged_block` is kept for crash recovery, a block a commit
/// (``StagedBlock``) appended in `seq` order, and a fold deletes only a prefix of it (the blocks
/// every partition has folded), which touches a few contiguous pages.
/// Recovery (``runFromTable()``, when the memory does not mirror the table: after opening or a
/// rollback) folds every row left, folded or not, in `seq` order: a batch keeps the last version
/// of a reading, and a version already folded is a duplicate, so nothing is counted or audited
/// twice.
struct StagedFold {
    let db: Database
    let state: WriterState
    let now: Int64
    /// The partition to fold, or nil for all.
    var partition: Int? = nil
    /// These series alone (their slots), for a read: see ``runSeries(_:)``.
    var series: [Int32]? = nil

    /// Runs `body` (folds in transactions of their own) with commits not synced to disk, then
    /// restores `level`. A fold only moves readings that are on disk already (in the staged log) into
    /// `sample` and `rollup`, in one transaction with the delete of their staged rows: lost to a
    /// power cut, it is simply not done, and the next start folds again. In WAL mode the next
    /// synced commit (a batch's) syncs it with it. So under `synchronous: full` a batch's
    /// acknowledgement no longer waits behind a fold's `fdatasync` (two syncs a request for HTTP
    /// writes, measured by the write benchmark).
    static func unsynced(_ db: Database, _ level: SQLiteStore.Synchronous, _ body: () throws -> Void) throws {
        guard level == .full else { return try body() }
        let restore = "PRAGMA synchronous = \(level.pragma)"
        try db.execute(sql: "PRAGMA synchronous = NORMAL")
        do {
            try body()
        } catch {
            try? db.execute(sql: restore)
            throw error
        }
        try db.execute(sql: restore)
    }

    /// ``run()`` in a transaction of its own. After a failure the writer's memory is dropped:
    /// it may hold rows the rollback took back.
    func runInTransaction() throws {
        do {
            try db.inTransaction(.immediate) {
                try run()
                return .commit
            }
        } catch {
            state.reset()
            throw error
        }
    }

    func run() throws {
        guard state.stagedKnown else { return try runFromTable() }
        if let series { return try runSeries(series) }
        let parts = partition.map { [$0] } ?? Array(0..<StagingPolicy.partitions)
        // In batches of whole partitions, `foldChunk` samples or so each: a partition holds
        // every reading of its series, so each series still goes in one batch (its rollups
        // whole), and a full fold (on close, before a read) no longer builds one array of every
        // staged sample — that array and its sorted copy were the daemon's peak memory (75 MiB).
        var entries: [StagedPartition.Entry] = []
        func flush() throws {
            guard !entries.isEmpty else { return }
            _ = try BatchWrite(db: db, state: state, now: now, accepted: true).runStaged(entries)
            entries.removeAll(keepingCapacity: true)
        }
        for p in parts {
            entries += state.staged[p].entries
            if entries.count >= foldChunk { try flush() }
        }
        try flush()
        guard let partition else {
            try db.execute(sql: "DELETE FROM staged_block")
            state.clearStaged(partition: nil)
            state.stagedSincePartial = 0
            return
        }
        // Every row of this partition up to the newest staged one is now folded.
        state.foldedThrough[partition] = state.lastSeq
        state.clearStaged(partition: partition)
        state.nextPartition = (partition + 1) % StagingPolicy.partitions
        state.stagedSincePartial = 0
        // Rows up to the oldest mark of a partition that still holds staged samples are folded
        // everywhere (seq only grows: the table is AUTOINCREMENT).
        var through = state.lastSeq
        for p in 0..<StagingPolicy.partitions where state.partRows[p] > 0 { through = min(through, state.foldedThrough[p]) }
        if through > state.deletedThrough {
            try db.execute(sql: "DELETE FROM staged_block WHERE seq <= ?", arguments: [through])
            state.deletedThrough = through
        }
    }

    /// Folds the staged readings of a few series (a read needs them) out of the writer's memory
    /// into `sample` and `rollup`. Their blocks stay in the log: it is deleted only by
    /// prefix, when every partition has folded them (``run()``), and recovery would fold them
    /// again as duplicates. The partitions' turns and counts are as they were.
    func runSeries(_ slots: [Int32]) throws {
        var entries: [StagedPartition.Entry] = []
        for slot in slots where state.stagedNewest[Int(slot)] != .min {
            let s = Int(slot)
            let part = Int(state.states[s].id % Int64(StagingPolicy.partitions))
            entries += state.staged[part].removeAll(slot: slot)
            state.stagedNewest[s] = .min
        }
        if !entries.isEmpty { _ = try BatchWrite(db: db, state: state, now: now, accepted: true).runStaged(entries) }
    }

    /// Folds every staged reading in staging order (so a later version of a reading wins;
    /// readings already folded are duplicates), then empties the log: after opening, or after a
    /// rolled-back transaction, when the writer's memory no longer mirrors the log. Rows of
    /// `staged_legacy` (left by an envmon before staged blocks) go first: they are older than any block.
    func runFromTable() throws {
        // Series this process has not written yet (staged by an earlier run) are looked up once.
        var unknown: [Int64: SeriesKey] = [:]
        func key(of id: Int64) throws -> SeriesKey {
            if let slot = state.byID[id] { return state.states[Int(slot)].key }
            if let known = unknown[id] { return known }
            guard let found = try Row.fetchOne(db, sql: "SELECT station, parameter, kind FROM series WHERE id = ?", arguments: [id]),
                let kind = SeriesKind(rawValue: found[2])
            else {
                // Series rows are never deleted; a staged reading without one is kept, not dropped.
                throw StoreError(.write, "staged row of series id \(id) has no series row; the staged rows are kept")
            }
            let key = SeriesKey(station: found[0], parameter: found[1], kind: kind)
            unknown[id] = key
            return key
        }
        var samples: [Sample] = []
        // Read on SQLite's C API: a fold reads thousands of rows, and GRDB's Row boxes each value.
        let rows = try RawStatement(db, sql: "SELECT series, ts, value, flag FROM staged_legacy ORDER BY seq")
        defer { rows.reset() }
        while try rows.step() {
            let flag = rows.text(at: 3).flatMap { StagedBlock.flag(letter: $0[0]) } ?? .normal
            samples.append(Sample(series: try key(of: rows.int64(at: 0)), time: rows.int64(at: 1), value: rows.double(at: 2), flag: flag))
        }
        let blocks = try RawStatement(db, sql: "SELECT seq, data FROM staged_block ORDER BY seq")
        defer { blocks.reset() }
        while try blocks.step() {
            try StagedBlock.decode(blocks.blob(at: 1), seq: blocks.int64(at: 0)) { id, time, value, flag in
                samples.append(Sample(series: try key(of: id), time: time, value: value, flag: flag))
            }
        }
        if !samples.isEmpty { _ = try BatchWrite(db: db, state: state, now: now, accepted: true).run(samples) }
        try db.execute(sql: "DELETE FROM staged_legacy")
        try db.execute(sql: "DELETE FROM staged_block")
        state.clearStaged(partition: nil)
        state.stagedKnown = true
        state.stagedSincePartial = 0
    }
}
