public import Monitoring
import Foundation
import GRDB
import GRDBSQLite

extension SQLiteStore {
    /// Stores samples in one transaction; see ``TimeSeriesStore/write(_:)``.
    ///
    /// Samples are sorted by (series, time) before inserting, so the B-tree is touched in key
    /// order whatever order they arrived in. A sample already stored with the same value and flag
    /// changes nothing; with a different value or flag it replaces the stored one (last write
    /// wins) and the old one goes to the audit table. Rollups are updated in the same transaction:
    /// merged incrementally for new readings in open buckets, recomputed from raw samples for
    /// buckets that received late data (data older than the series' newest committed reading)
    /// or a changed reading.
    public func write(_ samples: [Sample]) async throws(StoreError) -> WriteResult {
        if samples.isEmpty { return WriteResult(outcomes: [], summary: WriteSummary()) }
        let now = clock()
        let watch = fileGuard.withLock { $0 }
        if let problem = watch?.problem { throw StoreError(.fileLost, problem) }
        defer { checkpointer?.nudge() }
        let result: WriteResult
        do {
            result = try await pool.writeWithoutTransaction { [writer, staging, stagedGauge, checkpointer] db in
                let writerState = writer.state(in: db)
                defer {
                    // Under a steady feed the background checkpoint never catches up with a WAL
                    // that grows while it copies, so SQLite never starts the WAL over. When it has
                    // grown large, the writer copies the little that is left itself, between two
                    // transactions; the next transaction then starts the WAL from its beginning.
                    // Normally done by maintain() between batches; here when it has fallen behind.
                    if checkpointer?.takeWriterRequest(olderThan: WALCheckpointer.writerGrace) == true, watch?.check() == nil {
                        _ = try? db.checkpoint(.passive)
                    }
                }
                do {
                    var result: WriteResult?
                    try db.inTransaction(.immediate) {
                        if let staging, samples.count <= staging.maxBatch, writerState.stagedKnown,
                            writerState.stagedRows + samples.count <= staging.foldRows
                        {
                            // Folds are maintain()'s work between batches; a commit folds (one
                            // partition at most, so no live batch waits behind a long fold) only
                            // when that has fallen behind by a whole partial fold.
                            if let partition = writerState.partitionToFold(staging, rows: 2 * staging.partialFoldRows, now: now) {
                                try StagedFold(db: db, state: writerState, now: now, partition: partition).run()
                            }
                            result = try StagedWrite(db: db, state: writerState, now: now).run(samples)
                        } else {
                            // A large batch, or time to fold: staged samples first, so that a
                            // later version of a reading in this batch wins over a staged one.
                            if writerState.stagedRows > 0 || !writerState.stagedKnown {
                                try StagedFold(db: db, state: writerState, now: now).run()
                            }
                            result = try BatchWrite(db: db, state: writerState, now: now).run(samples)
                        }
                        return .commit
                    }
                    stagedGauge.update(writerState)
                    return result!
                } catch {
                    writerState.reset()
                    throw error
                }
            }
        } catch {
            throw StoreError(.write, "a batch of \(samples.count) samples was not stored", underlying: error)
        }
        // Committed, but into the file at our path? If not, the batch is as good as lost and
        // must not be acknowledged.
        if let problem = watch?.check() {
            throw StoreError(.fileLost, "a batch of \(samples.count) samples was not stored: \(problem)")
        }
        return result
    }
}

/// Rows per multi-row INSERT on the append path: amortises SQLite's per-statement work
/// (step, transaction check, halt, reset) over many rows.
private let appendChunk = 256

/// Rollup rows per multi-row upsert (11 parameters a row).
private let rollupChunk = 64

/// One batch inside one transaction on the writer connection.
struct BatchWrite {
    struct Entry {
        var slot: Int32
        var index: Int32
        var time: Int64
        var value: Double
        var flag: DataFlag
    }

    let db: Database
    let state: WriterState
    let now: Int64
    /// Whether the samples were accepted before (staged rows being folded): they are stored
    /// whatever sensors/ says now. A station or parameter removed since they were acknowledged
    /// keeps its series; only new samples are checked against the stations.
    var accepted = false

    func run(_ samples: [Sample]) throws -> WriteResult {
        var outcomes = [SampleOutcome](repeating: .inserted, count: samples.count)
        var summary = WriteSummary()
        let horizons = try loadHorizons()

        // Resolve each sample's series: one hash lookup (keys carry their hash), and the
        // series' index in the writer state is the sample's slot.
        var entries: [Entry] = []
        entries.reserveCapacity(samples.count)
        // Indexed access without copying samples: a copy retains the key's strings.
        try samples.withUnsafeBufferPointer { samples in
            let checkHorizons = !horizons.isEmpty
            for i in samples.indices {
                guard let slot = try seriesSlot(samples[i].series, accepted: accepted) else {
                    outcomes[i] = .unknownSeries
                    summary.unknownSeries += 1
                    continue
                }
                let time = samples[i].time
                // A staged sample passed this check when it was staged; retention removes it later if due.
                if checkHorizons, !accepted, let h = horizons[samples[i].series.kind], time < h {
                    outcomes[i] = .beyondRetention
                    summary.beyondRetention += 1
                    continue
                }
                entries.append(Entry(slot: slot, index: Int32(i), time: time, value: samples[i].value, flag: samples[i].flag))
            }
        }
        if entries.isEmpty { return WriteResult(outcomes: outcomes, summary: summary) }
        try write(sortedBySeriesAndTime(entries), outcomes: &outcomes, summary: &summary)
        return WriteResult(outcomes: outcomes, summary: summary)
    }

    /// Writes staged readings (accepted before: no series or retention check) straight from the
    /// writer's memory, by slot. A fold builds no `Sample` and looks no key up: each of those
    /// retained the series key's strings and hashed them again, a fifth of a fold's time.
    func runStaged(_ staged: [StagedPartition.Entry]) throws -> WriteSummary {
        guard !staged.isEmpty else { return WriteSummary() }
        var outcomes = [SampleOutcome](repeating: .inserted, count: staged.count)
        var summary = WriteSummary()
        var entries: [Entry] = []
        entries.reserveCapacity(staged.count)
        for (i, e) in staged.enumerated() {
            entries.append(Entry(slot: e.slot, index: Int32(i), time: e.time, value: e.value, flag: e.flag))
        }
        try write(sortedBySeriesAndTime(entries), outcomes: &outcomes, summary: &summary)
        return summary
    }

    /// Stores `entries` (sorted by series and time), deciding each one's outcome, and merges or
    /// recomputes their rollups.
    private func write(_ entries: [Entry], outcomes: inout [SampleOutcome], summary: inout WriteSummary) throws {

        let states = state.states
        let ids = states.map(\.id)
        let highWaters = states.map { $0.highWater ?? Int64.min }
        let insertOne = try RawStatement(db, sql: "INSERT INTO sample (series, ts, value, flag) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")
        let insertMany = try ChunkedInsert(db, "INSERT INTO sample (series, ts, value, flag)", columns: 4, chunk: appendChunk)
        var cursor = RollupCursor(states: states)
        var newHighWater: [(slot: Int32, time: Int64)] = []
        // Entries newer than their series' high-water mark cannot collide with a stored sample;
        // they wait here to go in `appendChunk` at a time.
        var appendable: [Int] = []
        appendable.reserveCapacity(appendChunk)

        func insertSingly(_ k: Int) throws {
            let e = entries[k]
            let id = ids[Int(e.slot)]
            insertOne.bindSample(series: id, time: e.time, value: e.value, flag: e.flag, from: 1)
            try insertOne.execute()
            if insertOne.changes == 1 {
                outcomes[Int(e.index)] = .inserted
                summary.inserted += 1
                cursor.add(slot: e.slot, time: e.time, value: e.value, flag: e.flag, changed: false)
            } else if try replaceIfChanged(series: id, entry: e) {
                outcomes[Int(e.index)] = .changed
                summary.changed += 1
                cursor.add(slot: e.slot, time: e.time, value: e.value, flag: e.flag, changed: true)
            } else {
                outcomes[Int(e.index)] = .duplicate
                summary.duplicates += 1
            }
        }

        func flushAppendable() throws {
            guard !appendable.isEmpty else { return }
            defer { appendable.removeAll(keepingCapacity: true) }
            if appendable.count == appendChunk {
                let rc = insertMany.runChunk { statement, r, p in
                    let e = entries[appendable[r]]
                    statement.bindSample(series: ids[Int(e.slot)], time: e.time, value: e.value, flag: e.flag, from: p)
                }
                if rc == SQLITE_DONE {
                    for k in appendable {
                        let e = entries[k]
                        outcomes[Int(e.index)] = .inserted
                        cursor.add(slot: e.slot, time: e.time, value: e.value, flag: e.flag, changed: false)
                    }
                    summary.inserted += appendable.count
                    return
                }
                // A stored sample above the high-water mark (a file written by hand, say): the
                // statement was undone as a whole, so take its rows one by one.
                guard rc & 0xff == SQLITE_CONSTRAINT else { throw insertOne.error(rc) }
            }
            for k in appendable { try insertSingly(k) }
        }

        var k = 0
        while k < entries.count {
            let e = entries[k]
            let sameSeriesNext = k + 1 < entries.count && entries[k + 1].slot == e.slot
            // Sorted by series then time: the last entry of a series' run holds its newest time.
            if !sameSeriesNext { newHighWater.append((e.slot, e.time)) }
            // Two samples for the same instant in one batch: the later one given wins.
            if sameSeriesNext && entries[k + 1].time == e.time {
                outcomes[Int(e.index)] = .duplicate
                summary.duplicates += 1
            } else if e.time > highWaters[Int(e.slot)] {
                appendable.append(k)
                if appendable.count == appendChunk { try flushAppendable() }
            } else {
                try flushAppendable()
                try insertSingly(k)
            }
            k += 1
        }
        try flushAppendable()
        cursor.finish()

        let dirty = cursor.dirty
        try mergeRollups(cursor.pending.filter { !dirty.contains($0.key) })
        try recompute(dirty, states: states)
        summary.recomputedBuckets = dirty.count

        // The marks live in memory only: a series' mark is read back as max(ts) when it is first
        // used (`seriesSlot`), so a batch costs no extra row write per series it touches.
        // Only now, with every statement done, update them (a rollback resets them).
        for (slot, hw) in newHighWater {
            state.states[Int(slot)].highWater = max(highWaters[Int(slot)], hw)
        }
    }

    /// The entries ordered by (slot, time, index). A counting sort by slot keeps arrival order
    /// within a series, which for live feeds and most files is already time order, so the
    /// per-series sort that follows usually only checks.
    private func sortedBySeriesAndTime(_ entries: [Entry]) -> [Entry] {
        var counts = [Int](repeating: 0, count: state.states.count + 1)
        for e in entries { counts[Int(e.slot) + 1] += 1 }
        for i in 1..<counts.count { counts[i] += counts[i - 1] }
        let starts = counts
        var sorted = [Entry](unsafeUninitializedCapacity: entries.count) { buffer, initialized in
            for e in entries {
                let at = counts[Int(e.slot)]
                (buffer.baseAddress! + at).initialize(to: e)
                counts[Int(e.slot)] = at + 1
            }
            initialized = entries.count
        }
        for s in 0..<(starts.count - 1) where starts[s + 1] - starts[s] > 1 {
            let range = starts[s]..<starts[s + 1]
            var ordered = true
            for i in range.dropFirst() where sorted[i - 1].time > sorted[i].time {
                ordered = false
                break
            }
            if !ordered {
                sorted[range].sort { a, b in a.time != b.time ? a.time < b.time : a.index < b.index }
            }
        }
        return sorted
    }

    private func replaceIfChanged(series: Int64, entry e: Entry) throws -> Bool {
        let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT value, flag FROM sample WHERE series = ? AND ts = ?"), arguments: [series, e.time])
        guard let row else { return false }
        let oldValue: Double = row[0]
        let oldFlag: String = row[1]
        if oldValue == e.value && oldFlag == e.flag.rawValue { return false }
        try db.cachedStatement(sql: "UPDATE sample SET value = ?, flag = ? WHERE series = ? AND ts = ?")
            .execute(arguments: [e.value, e.flag.rawValue, series, e.time])
        try db.cachedStatement(
            sql: "INSERT INTO sample_revision (series, ts, old_value, old_flag, new_value, new_flag, revised_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
        ).execute(arguments: [series, e.time, oldValue, oldFlag, e.value, e.flag.rawValue, now])
        return true
    }

    private func expected(_ key: BucketKey, end: Int64, _ st: WriterState.SeriesState?) -> Int64 {
        guard let st else { return 0 }
        return (end - key.start) / st.interval
    }

    /// The series state of a series id among the states of this batch.
    private func stateByID(_ states: [WriterState.SeriesState]) -> [Int64: WriterState.SeriesState] {
        Dictionary(states.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// Adds the batch's accumulators to their rollup rows (creating them), `rollupChunk` rows a
    /// statement: a batch of a live feed touches thousands of series with one reading each.
    private func mergeRollups(_ items: [(key: BucketKey, end: Int64, expected: Int64, acc: RollupAccumulator)]) throws {
        guard !items.isEmpty else { return }
        let insert = try ChunkedInsert(
            db, "INSERT INTO rollup (series, resolution, bucket, bucket_end, count, valid_count, vsum, vmin, vmax, flags, expected)",
            columns: 11,
            tail: """
                ON CONFLICT (series, resolution, bucket) DO UPDATE SET
                  count = count + excluded.count,
                  valid_count = valid_count + excluded.valid_count,
                  vsum = vsum + excluded.vsum,
                  vmin = min(coalesce(vmin, excluded.vmin), coalesce(excluded.vmin, vmin)),
                  vmax = max(coalesce(vmax, excluded.vmax), coalesce(excluded.vmax, vmax)),
                  flags = flags | excluded.flags
                """, chunk: rollupChunk)
        try insert.insert(count: items.count) { statement, i, p in
            let item = items[i]
            let acc = item.acc
            statement.bind(item.key.series, at: p)
            statement.bind(item.key.resolution, at: p + 1)
            statement.bind(item.key.start, at: p + 2)
            statement.bind(item.end, at: p + 3)
            statement.bind(Int64(acc.count), at: p + 4)
            statement.bind(Int64(acc.validCount), at: p + 5)
            statement.bind(acc.sum, at: p + 6)
            statement.bind(acc.min, at: p + 7)
            statement.bind(acc.max, at: p + 8)
            statement.bind(Int64(acc.flags.rawValue), at: p + 9)
            statement.bind(item.expected, at: p + 10)
        }
    }

    private func recompute(_ keys: Set<BucketKey>, states: [WriterState.SeriesState]) throws {
        guard !keys.isEmpty else { return }
        let slots = stateByID(states)
        let read = try db.cachedStatement(sql: "SELECT value, flag FROM sample WHERE series = ? AND ts >= ? AND ts < ?")
        let replace = try db.cachedStatement(
            sql: """
                INSERT OR REPLACE INTO rollup (series, resolution, bucket, bucket_end, count, valid_count, vsum, vmin, vmax, flags, expected)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        for key in keys {
            let end: Int64
            if key.resolution == 3_600 {
                end = key.start + 3_600
            } else {
                end = slots[key.series]?.calendar.day(containing: key.start).upperBound ?? key.start + 86_400
            }
            var acc = RollupAccumulator()
            let rows = try Row.fetchCursor(read, arguments: [key.series, key.start, end])
            while let row = try rows.next() {
                acc.add(row[0], DataFlag(rawValue: row[1]) ?? .normal)
            }
            try replace.execute(arguments: [
                key.series, key.resolution, key.start, end, acc.count, acc.validCount, acc.sum, acc.min, acc.max,
                Int(acc.flags.rawValue), expected(key, end: end, slots[key.series]),
            ])
        }
    }

    func loadHorizons() throws -> [SeriesKind: Int64] {
        if let h = state.horizons { return h }
        var h: [SeriesKind: Int64] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT kind, horizon FROM retention_horizon") {
            if let kind = SeriesKind(rawValue: row[0]) { h[kind] = row[1] }
        }
        state.horizons = h
        return h
    }

    /// The slot of a key's series, created on first use if its station reports that parameter.
    ///
    /// With `accepted` (a staged sample being folded: it was acknowledged), a series whose station
    /// or parameter has left sensors/ since is taken from its `series` row, with the zone and
    /// interval stored there; its slot admits no new samples. A staged sample without a series
    /// row cannot be (rows are created when staging and never deleted): that throws, so the fold
    /// rolls back and keeps the staged rows rather than dropping them.
    func seriesSlot(_ key: SeriesKey, accepted: Bool = false) throws -> Int32? {
        if let slot = state.index[key], accepted || state.states[Int(slot)].admitsNew { return slot }
        guard let station = state.stations[key.station], let parameter = station.parameter(key.parameter) else {
            return accepted ? try storedSeriesSlot(key) : nil
        }
        let interval = key.kind.interval(at: station)
        let calendar = state.calendar(for: station.timeZone)
        let unit = parameter.unit.rawValue
        // Cached statements: a daemon meets thousands of series in its first seconds.
        let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT id, time_zone, interval_s, unit FROM series WHERE station = ? AND parameter = ? AND kind = ?"),
            arguments: [key.station, key.parameter, key.kind.rawValue])
        let st: WriterState.SeriesState
        if let row {
            let id: Int64 = row[0]
            if row[1] != station.timeZone.identifier || row[2] != interval || (row[3] as String?) != unit {
                try db.execute(
                    sql: "UPDATE series SET time_zone = ?, interval_s = ?, unit = ? WHERE id = ?",
                    arguments: [station.timeZone.identifier, interval, unit, id])
            }
            st = WriterState.SeriesState(key: key, id: id, calendar: calendar, interval: interval, highWater: try newestTime(of: id))
            if row[1] != station.timeZone.identifier || row[2] != interval { try rebuildDayRollups(of: st) }
        } else {
            try db.cachedStatement(sql: "INSERT INTO series (station, parameter, kind, time_zone, interval_s, unit) VALUES (?, ?, ?, ?, ?, ?)")
                .execute(arguments: [key.station, key.parameter, key.kind.rawValue, station.timeZone.identifier, interval, unit])
            st = WriterState.SeriesState(key: key, id: db.lastInsertedRowID, calendar: calendar, interval: interval, highWater: nil)
        }
        return state.add(st)
    }

    /// The slot of a series that sensors/ no longer has, from its `series` row.
    private func storedSeriesSlot(_ key: SeriesKey) throws -> Int32 {
        if let slot = state.index[key] { return slot }
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT id, time_zone, interval_s FROM series WHERE station = ? AND parameter = ? AND kind = ?"),
                arguments: [key.station, key.parameter, key.kind.rawValue])
        else {
            throw StoreError(.write, "staged samples of \(key) have no series row; they are kept staged")
        }
        let id: Int64 = row[0]
        let zone = TimeZone(identifier: row[1]) ?? .gmt
        let st = WriterState.SeriesState(
            key: key, id: id, calendar: state.calendar(for: zone), interval: row[2], highWater: try newestTime(of: id), admitsNew: false)
        return state.add(st)
    }

    /// Rebuilds the day rollups of series `st` from its raw samples, in its calendar's days and
    /// with its interval's expected counts: after its station's zone or interval changed in
    /// sensors/. Otherwise its stored days would keep the old zone's midnights, a read would fold
    /// each into the new day that holds its start, and a day recomputed later would overlap an
    /// old one. The days that hold samples are recomputed as late data's are (``recompute``);
    /// days older than the oldest raw sample (retention removed their readings) are kept.
    private func rebuildDayRollups(of st: WriterState.SeriesState) throws {
        var days: Set<BucketKey> = []
        var day: Range<Int64>?
        let times = try RawStatement(db, sql: "SELECT ts FROM sample WHERE series = ? ORDER BY ts")
        defer { times.reset() }
        times.bind(st.id, at: 1)
        while try times.step() {
            let ts = times.int64(at: 0)
            if day?.contains(ts) == true { continue }
            day = st.calendar.day(containing: ts)
            days.insert(BucketKey(series: st.id, resolution: 86_400, start: day!.lowerBound))
        }
        guard let from = days.map(\.start).min() else { return }
        try db.execute(sql: "DELETE FROM rollup WHERE series = ? AND resolution = 86400 AND bucket_end > ?", arguments: [st.id, from])
        try recompute(days, states: [st])
    }

    /// The newest stored sample of a series: one seek at the end of its key range.
    private func newestTime(of id: Int64) throws -> Int64? {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT max(ts) FROM sample WHERE series = ?"), arguments: [id])
    }
}
