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
        do {
            return try await pool.writeWithoutTransaction { [writerState] db in
                do {
                    var result: WriteResult?
                    try db.inTransaction(.immediate) {
                        result = try BatchWrite(db: db, state: writerState, now: now).run(samples)
                        return .commit
                    }
                    return result!
                } catch {
                    writerState.reset()
                    throw error
                }
            }
        } catch {
            throw StoreError(.write, "a batch of \(samples.count) samples was not stored", underlying: error)
        }
    }
}

/// Static C strings for the flag letters, bound without copying (SQLITE_STATIC).
nonisolated(unsafe) private let flagText: [DataFlag: UnsafeMutablePointer<CChar>] = Dictionary(
    uniqueKeysWithValues: DataFlag.allCases.map { ($0, strdup($0.rawValue)!) })

/// One batch inside one transaction on the writer connection.
private struct BatchWrite {
    struct Entry {
        var series: Int64
        var slot: Int32
        var index: Int32
        var time: Int64
        var value: Double
        var flag: DataFlag
    }

    let db: Database
    let state: WriterState
    let now: Int64

    func run(_ samples: [Sample]) throws -> WriteResult {
        var outcomes = [SampleOutcome](repeating: .inserted, count: samples.count)
        var summary = WriteSummary()
        let horizons = try loadHorizons()

        // Resolve each sample's series once; `slots` are the series touched by this batch.
        var slots: [WriterState.SeriesState] = []
        var slotOf: [Int64: Int32] = [:]
        var entries: [Entry] = []
        entries.reserveCapacity(samples.count)
        var lastKey: SeriesKey?
        var lastSlot: Int32 = -1
        for (i, sample) in samples.enumerated() {
            let slot: Int32
            if sample.series == lastKey {
                slot = lastSlot
            } else {
                guard let st = try seriesState(sample.series) else {
                    outcomes[i] = .unknownSeries
                    continue
                }
                if let s = slotOf[st.id] {
                    slot = s
                } else {
                    slot = Int32(slots.count)
                    slots.append(st)
                    slotOf[st.id] = slot
                }
                lastKey = sample.series
                lastSlot = slot
            }
            if let h = horizons[sample.series.kind], sample.time < h {
                outcomes[i] = .beyondRetention
                continue
            }
            entries.append(Entry(series: slots[Int(slot)].id, slot: slot, index: Int32(i), time: sample.time, value: sample.value, flag: sample.flag))
        }
        entries.sort { a, b in
            if a.series != b.series { return a.series < b.series }
            if a.time != b.time { return a.time < b.time }
            return a.index < b.index
        }

        if entries.isEmpty { return WriteResult(outcomes: outcomes, summary: summary) }
        let handle = db.sqliteConnection!
        let insert = try db.cachedStatement(sql: "INSERT INTO sample (series, ts, value, flag) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING").sqliteStatement
        var pending: [(BucketKey, Int64, RollupAccumulator)] = []
        var dirty: Set<BucketKey> = []
        var hourKey: BucketKey?
        var hourAcc = RollupAccumulator()
        var dayKey: BucketKey?
        var dayEnd: Int64 = 0
        var dayAcc = RollupAccumulator()
        var newHighWater: [(slot: Int32, time: Int64)] = []
        var runSlot: Int32 = -1
        var st = slots[0]
        var day: Range<Int64> = 0..<0
        var dayHour: Int64 = Int64.min

        var k = 0
        while k < entries.count {
            let e = entries[k]
            if e.slot != runSlot {
                runSlot = e.slot
                st = slots[Int(e.slot)]
                dayHour = Int64.min
            }
            // Sorted by series then time: the last entry of a series' run holds its newest time.
            if k + 1 == entries.count || entries[k + 1].slot != e.slot { newHighWater.append((e.slot, e.time)) }
            // Two samples for the same instant in one batch: the later one given wins.
            if k + 1 < entries.count, entries[k + 1].slot == e.slot, entries[k + 1].time == e.time {
                outcomes[Int(e.index)] = .duplicate
                summary.duplicates += 1
                k += 1
                continue
            }
            sqlite3_bind_int64(insert, 1, st.id)
            sqlite3_bind_int64(insert, 2, e.time)
            sqlite3_bind_double(insert, 3, e.value)
            sqlite3_bind_text(insert, 4, flagText[e.flag], 1, nil)
            let rc = sqlite3_step(insert)
            sqlite3_reset(insert)
            guard rc == SQLITE_DONE else { throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(handle))) }

            let hourStart = floorDiv(e.time, 3_600) * 3_600
            if hourStart != dayHour {
                day = st.calendar.day(containing: e.time)
                // Reuse the day for the rest of this hour only if the whole hour lies inside it.
                dayHour = day.contains(hourStart) && hourStart + 3_600 <= day.upperBound ? hourStart : Int64.min
            }
            let hk = BucketKey(series: st.id, resolution: 3_600, start: hourStart)
            let dk = BucketKey(series: st.id, resolution: 86_400, start: day.lowerBound)
            if sqlite3_changes(handle) == 1 {
                outcomes[Int(e.index)] = .inserted
                summary.inserted += 1
                let hw = st.highWater ?? Int64.min
                if hourStart + 3_600 <= hw {
                    dirty.insert(hk)
                } else {
                    if hk != hourKey {
                        if let key = hourKey { pending.append((key, key.start + 3_600, hourAcc)) }
                        hourKey = hk
                        hourAcc = RollupAccumulator()
                    }
                    hourAcc.add(e.value, e.flag)
                }
                if day.upperBound <= hw {
                    dirty.insert(dk)
                } else {
                    if dk != dayKey {
                        if let key = dayKey { pending.append((key, dayEnd, dayAcc)) }
                        dayKey = dk
                        dayEnd = day.upperBound
                        dayAcc = RollupAccumulator()
                    }
                    dayAcc.add(e.value, e.flag)
                }
            } else if try replaceIfChanged(series: st.id, entry: e) {
                outcomes[Int(e.index)] = .changed
                summary.changed += 1
                dirty.insert(hk)
                dirty.insert(dk)
            } else {
                outcomes[Int(e.index)] = .duplicate
                summary.duplicates += 1
            }
            k += 1
        }
        if let key = hourKey { pending.append((key, key.start + 3_600, hourAcc)) }
        if let key = dayKey { pending.append((key, dayEnd, dayAcc)) }

        let intervals = Dictionary(slots.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        try mergeRollups(pending.filter { !dirty.contains($0.0) }, slots: intervals)
        try recompute(dirty, slots: intervals)
        summary.recomputedBuckets = dirty.count

        let mark = try db.cachedStatement(sql: "UPDATE series SET high_water = max(coalesce(high_water, ?1), ?1) WHERE id = ?2")
        for (slot, hw) in newHighWater {
            try mark.execute(arguments: [hw, slots[Int(slot)].id])
        }
        // Only now, with every statement done, update the in-memory marks (reset on rollback).
        for (slot, hw) in newHighWater {
            let st = slots[Int(slot)]
            state.series[st.key]?.highWater = max(st.highWater ?? Int64.min, hw)
        }
        return WriteResult(outcomes: outcomes, summary: summary)
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

    private func mergeRollups(_ items: [(BucketKey, Int64, RollupAccumulator)], slots: [Int64: WriterState.SeriesState]) throws {
        let upsert = try db.cachedStatement(
            sql: """
                INSERT INTO rollup (series, resolution, bucket, bucket_end, count, valid_count, vsum, vmin, vmax, flags, expected)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (series, resolution, bucket) DO UPDATE SET
                  count = count + excluded.count,
                  valid_count = valid_count + excluded.valid_count,
                  vsum = vsum + excluded.vsum,
                  vmin = min(coalesce(vmin, excluded.vmin), coalesce(excluded.vmin, vmin)),
                  vmax = max(coalesce(vmax, excluded.vmax), coalesce(excluded.vmax, vmax)),
                  flags = flags | excluded.flags
                """)
        for (key, end, acc) in items {
            try upsert.execute(arguments: [
                key.series, key.resolution, key.start, end, acc.count, acc.validCount, acc.sum, acc.min, acc.max,
                Int(acc.flags.rawValue), expected(key, end: end, slots[key.series]),
            ])
        }
    }

    private func recompute(_ keys: Set<BucketKey>, slots: [Int64: WriterState.SeriesState]) throws {
        guard !keys.isEmpty else { return }
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

    private func loadHorizons() throws -> [SeriesKind: Int64] {
        if let h = state.horizons { return h }
        var h: [SeriesKind: Int64] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT kind, horizon FROM retention_horizon") {
            if let kind = SeriesKind(rawValue: row[0]) { h[kind] = row[1] }
        }
        state.horizons = h
        return h
    }

    /// The series of a key, created on first use if its station reports that parameter.
    private func seriesState(_ key: SeriesKey) throws -> WriterState.SeriesState? {
        if let st = state.series[key] { return st }
        guard let station = state.stations[key.station], station.parameter(key.parameter) != nil else { return nil }
        let interval = WriterState.expectedInterval(kind: key.kind, station: station)
        let calendar = state.calendar(for: station.timeZone)
        let row = try Row.fetchOne(
            db, sql: "SELECT id, high_water, time_zone, interval_s FROM series WHERE station = ? AND parameter = ? AND kind = ?",
            arguments: [key.station, key.parameter, key.kind.rawValue])
        let st: WriterState.SeriesState
        if let row {
            let id: Int64 = row[0]
            if row[2] != station.timeZone.identifier || row[3] != interval {
                try db.execute(
                    sql: "UPDATE series SET time_zone = ?, interval_s = ? WHERE id = ?",
                    arguments: [station.timeZone.identifier, interval, id])
            }
            st = WriterState.SeriesState(key: key, id: id, calendar: calendar, interval: interval, highWater: row[1])
        } else {
            try db.execute(
                sql: "INSERT INTO series (station, parameter, kind, time_zone, interval_s) VALUES (?, ?, ?, ?, ?)",
                arguments: [key.station, key.parameter, key.kind.rawValue, station.timeZone.identifier, interval])
            st = WriterState.SeriesState(key: key, id: db.lastInsertedRowID, calendar: calendar, interval: interval, highWater: nil)
        }
        state.series[key] = st
        return st
    }
}

@inline(__always) func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
    a >= 0 ? a / b : (a - b + 1) / b
}
