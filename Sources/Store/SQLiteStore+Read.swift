public import Monitoring
import Foundation
import GRDB

extension SQLiteStore {
    /// The raw samples of a series in `range`, oldest first; empty for an unknown series.
    public func samples(of series: SeriesKey, in range: Range<Int64>) async throws(StoreError) -> [StoredSample] {
        try await foldStaged(for: [series])
        do {
            return try await pool.read { db in
                guard let id = try SQLiteStore.seriesID(db, series) else { return [] }
                var out: [StoredSample] = []
                let rows = try Row.fetchCursor(db, sql: ReadSQL.samples, arguments: [id, range.lowerBound, range.upperBound])
                while let row = try rows.next() {
                    out.append(StoredSample(time: row[0], value: row[1], flag: DataFlag(rawValue: row[2]) ?? .normal))
                }
                return out
            }
        } catch {
            throw StoreError(.read, "cannot read samples of \(series)", underlying: error)
        }
    }

    /// The times of the oldest and newest sample of a series (see ``oldestTime(of:)`` and
    /// ``newestTime(of:)``), in one read.
    public func span(of series: SeriesKey) async throws(StoreError) -> ClosedRange<Int64>? {
        try await foldStaged(for: [series])
        do {
            return try await pool.read { db in
                guard let id = try SQLiteStore.seriesID(db, series),
                    let first = try SQLiteStore.oldest(db, id), let last = try SQLiteStore.newest(db, id)
                else { return nil }
                return first...last
            }
        } catch {
            throw StoreError(.read, "cannot read the span of \(series)", underlying: error)
        }
    }

    /// The time of the oldest sample of a series, or `nil` when it has none. Where retention
    /// has deleted raw samples that rollups still hold, the start of the oldest rollup bucket.
    public func oldestTime(of series: SeriesKey) async throws(StoreError) -> Int64? {
        try await foldStaged(for: [series])
        do {
            return try await pool.read { db in try SQLiteStore.seriesID(db, series).flatMap { try SQLiteStore.oldest(db, $0) } }
        } catch {
            throw StoreError(.read, "cannot read the oldest time of \(series)", underlying: error)
        }
    }

    /// The time of the newest sample of a series, or `nil` when it has none. Where retention
    /// has deleted every raw sample that rollups still hold, the last instant of the newest
    /// rollup bucket.
    public func newestTime(of series: SeriesKey) async throws(StoreError) -> Int64? {
        try await foldStaged(for: [series])
        do {
            return try await pool.read { db in try SQLiteStore.seriesID(db, series).flatMap { try SQLiteStore.newest(db, $0) } }
        } catch {
            throw StoreError(.read, "cannot read the newest time of \(series)", underlying: error)
        }
    }

    /// The oldest of: the first sample, the first hour bucket, the first day bucket. A bucket
    /// starts at or before the readings it holds, so this is never after the oldest reading.
    static func oldest(_ db: Database, _ id: Int64) throws -> Int64? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: ReadSQL.oldest), arguments: [id]) else { return nil }
        let starts: [Int64?] = [row[0], row[1], row[2]]
        return starts.compactMap { $0 }.min()
    }

    /// The newest sample; only without samples the end of the newest bucket: retention deletes
    /// samples oldest first, so no rollup holds a reading newer than the newest sample left.
    static func newest(_ db: Database, _ id: Int64) throws -> Int64? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: ReadSQL.newest), arguments: [id]) else { return nil }
        if let newest: Int64 = row[0] { return newest }
        let ends: [Int64?] = [row[1], row[2]]
        return ends.compactMap { $0 }.max().map { $0 - 1 }
    }

    /// The newest sample of each series that has one.
    public func latest(of series: [SeriesKey]) async throws(StoreError) -> [SeriesKey: StoredSample] {
        try await foldStaged(for: series)
        do {
            return try await pool.read { db in
                var out: [SeriesKey: StoredSample] = [:]
                for key in series {
                    guard let id = try SQLiteStore.seriesID(db, key),
                        let row = try Row.fetchOne(db.cachedStatement(sql: ReadSQL.latest), arguments: [id])
                    else { continue }
                    out[key] = StoredSample(time: row[0], value: row[1], flag: DataFlag(rawValue: row[2]) ?? .normal)
                }
                return out
            }
        } catch {
            throw StoreError(.read, "cannot read latest values", underlying: error)
        }
    }

    /// The aggregates of a series by fixed steps; see ``AggregateQuery``.
    ///
    /// Steps that are whole hours or whole days are answered from the rollups (a year of minute
    /// data by hour reads 8,760 rollup rows, not 525,600 samples); other steps and flow-weighted
    /// means are computed from the raw samples. A bucket the range cuts (only the first and the
    /// last can be) is computed from the raw samples inside the range, since a rollup row holds
    /// its whole bucket.
    public func aggregate(_ query: AggregateQuery) async throws(StoreError) -> [AggregateRow] {
        guard query.step > 0 else { throw StoreError(.badQuery, "the step must be positive") }
        guard query.function != .flowWeighted || query.flow != nil else {
            throw StoreError(.badQuery, "a flow-weighted mean needs a flow series")
        }
        guard !query.range.isEmpty else { return [] }
        try await foldStaged(for: [query.series] + (query.flow.map { [$0] } ?? []))
        do {
            return try await pool.read { db in try SQLiteStore.aggregate(db, query) }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.read, "cannot aggregate \(query.series)", underlying: error)
        }
    }

    /// ``aggregate(_:)`` inside a read transaction (the query already checked, its series folded).
    static func aggregate(_ db: Database, _ query: AggregateQuery) throws -> [AggregateRow] {
        guard let meta = try SQLiteStore.seriesMeta(db, query.series) else { return [] }
        let calendar = ZoneCalendar(meta.zone)
        let buckets = Bucketing(step: query.step, range: query.range, calendar: calendar)
        if query.function == .flowWeighted {
            return try SQLiteStore.flowWeighted(db, query, meta: meta, buckets: buckets)
        }
        let resolution: Int64
        if query.step % 86_400 == 0 {
            resolution = 86_400
        } else if query.step % 3_600 == 0 && buckets.offsetIsWholeHours {
            resolution = 3_600
        } else {
            return try SQLiteStore.fromRaw(db, meta, query, query.range, buckets)
        }
        // The whole buckets inside the range come from the rollups, the cut ones at its ends from the samples.
        let range = query.range
        let first = buckets.bucket(containing: range.lowerBound)
        let last = buckets.bucket(containing: range.upperBound - 1)
        let wholeStart = first.lowerBound < range.lowerBound ? first.upperBound : range.lowerBound
        let wholeEnd = last.upperBound > range.upperBound ? last.lowerBound : range.upperBound
        guard wholeStart < wholeEnd else { return try SQLiteStore.fromRaw(db, meta, query, range, buckets) }
        let whole = wholeStart..<wholeEnd
        var rows: [AggregateRow] = []
        if range.lowerBound < whole.lowerBound {
            rows += try SQLiteStore.fromRaw(db, meta, query, range.lowerBound..<whole.lowerBound, buckets)
        }
        rows += try SQLiteStore.fromRollups(db, meta, resolution: resolution, query, whole, buckets)
        if whole.upperBound < range.upperBound {
            rows += try SQLiteStore.fromRaw(db, meta, query, whole.upperBound..<range.upperBound, buckets)
        }
        return rows
    }

    struct SeriesMeta {
        let id: Int64
        let zone: TimeZone
        let interval: Int64
    }

    static func seriesID(_ db: Database, _ key: SeriesKey) throws -> Int64? {
        try Int64.fetchOne(db.cachedStatement(sql: ReadSQL.seriesID), arguments: [key.station, key.parameter, key.kind.rawValue])
    }

    static func seriesMeta(_ db: Database, _ key: SeriesKey) throws -> SeriesMeta? {
        guard
            let row = try Row.fetchOne(db.cachedStatement(sql: ReadSQL.seriesMeta), arguments: [key.station, key.parameter, key.kind.rawValue])
        else { return nil }
        return SeriesMeta(id: row[0], zone: TimeZone(identifier: row[1]) ?? .gmt, interval: row[2])
    }

    /// The whole buckets of `range` (its ends are bucket boundaries) from the rollups.
    private static func fromRollups(
        _ db: Database, _ meta: SeriesMeta, resolution: Int64, _ query: AggregateQuery, _ range: Range<Int64>, _ buckets: Bucketing
    ) throws -> [AggregateRow] {
        var out: [AggregateRow] = []
        var current: (range: Range<Int64>, acc: RollupAccumulator, expected: Int)?
        // On SQLite's C API: a year of hours is 8,760 rows of 8 columns, and GRDB's Row boxes each value.
        let rows = try RawStatement(db, sql: ReadSQL.rollups)
        defer { rows.reset() }
        for (i, value) in [meta.id, resolution, range.lowerBound, range.upperBound].enumerated() { rows.bind(value, at: Int32(i + 1)) }
        while try rows.step() {
            let start = rows.int64(at: 0)
            if current == nil || !current!.range.contains(start) {
                if let c = current { out.append(makeRow(c, query.function, partial: false)) }
                current = (buckets.bucket(containing: start), RollupAccumulator(), 0)
            }
            current!.acc.merge(
                count: Int(rows.int64(at: 1)), validCount: Int(rows.int64(at: 2)), sum: rows.double(at: 3), min: rows.optionalDouble(at: 4),
                max: rows.optionalDouble(at: 5), flags: DataFlagSet(rawValue: UInt8(truncatingIfNeeded: rows.int64(at: 6))))
            current!.expected += Int(rows.int64(at: 7))
        }
        if let c = current { out.append(makeRow(c, query.function, partial: false)) }
        // Rollup buckets contribute their whole expected count; a bucket of the answer gets the
        // expected count of its whole length even when some of its rollup rows are missing.
        return out.map { r in
            var r = r
            let full = Int((r.end - r.start) / meta.interval)
            r.expectedCount = max(r.expectedCount, full)
            return r
        }
    }

    private static func makeRow(_ c: (range: Range<Int64>, acc: RollupAccumulator, expected: Int), _ f: Aggregation, partial: Bool) -> AggregateRow {
        AggregateRow(
            start: c.range.lowerBound, end: c.range.upperBound, value: c.acc.value(f), validCount: c.acc.validCount,
            count: c.acc.count, expectedCount: c.expected, flags: c.acc.flags, partial: partial)
    }

    /// Whether the query's range cuts `bucket`, and the readings expected in the part of it the
    /// range covers: a cut bucket expects only the instants of its part on the series' interval
    /// grid, a whole one its length over the interval.
    private static func coverage(of bucket: Range<Int64>, _ query: AggregateQuery, _ meta: SeriesMeta) -> (partial: Bool, expected: Int) {
        let covered = max(bucket.lowerBound, query.range.lowerBound)..<min(bucket.upperBound, query.range.upperBound)
        if covered == bucket { return (false, Int((bucket.upperBound - bucket.lowerBound) / meta.interval)) }
        let onGrid = floorDiv(covered.upperBound - 1, meta.interval) - floorDiv(covered.lowerBound - 1, meta.interval)
        return (true, Int(onGrid))
    }

    /// The buckets of the samples in `range` (a part of the query's range), each over its
    /// samples inside `range` only.
    private static func fromRaw(
        _ db: Database, _ meta: SeriesMeta, _ query: AggregateQuery, _ range: Range<Int64>, _ buckets: Bucketing
    ) throws -> [AggregateRow] {
        var out: [AggregateRow] = []
        var current: (range: Range<Int64>, acc: RollupAccumulator, expected: Int)?
        var partial = false
        let rows = try Row.fetchCursor(db.cachedStatement(sql: ReadSQL.samples), arguments: [meta.id, range.lowerBound, range.upperBound])
        while let row = try rows.next() {
            let t: Int64 = row[0]
            if current == nil || !current!.range.contains(t) {
                if let c = current { out.append(makeRow(c, query.function, partial: partial)) }
                let r = buckets.bucket(containing: t)
                let coverage = coverage(of: r, query, meta)
                partial = coverage.partial
                current = (r, RollupAccumulator(), coverage.expected)
            }
            current!.acc.add(row[1], DataFlag(rawValue: row[2]) ?? .normal)
        }
        if let c = current { out.append(makeRow(c, query.function, partial: partial)) }
        return out
    }

    private static func flowWeighted(_ db: Database, _ query: AggregateQuery, meta: SeriesMeta, buckets: Bucketing) throws -> [AggregateRow] {
        guard let flow = query.flow, let flowID = try seriesID(db, flow) else {
            throw StoreError(.unknownSeries, "the flow series \(query.flow?.description ?? "?") is not in the store")
        }
        // Each reading is paired with the flow reading of the same instant; a reading without a
        // valid flow reading cannot be weighted and counts as not valid.
        let rows = try Row.fetchCursor(
            db.cachedStatement(sql: ReadSQL.withFlow), arguments: [flowID, meta.id, query.range.lowerBound, query.range.upperBound])
        var out: [AggregateRow] = []
        var range: Range<Int64>?
        var weighted = 0.0
        var weights = 0.0
        var valid = 0
        var count = 0
        var flags = DataFlagSet(rawValue: 0)
        func emit() {
            guard let r = range else { return }
            let coverage = coverage(of: r, query, meta)
            out.append(
                AggregateRow(
                    start: r.lowerBound, end: r.upperBound, value: weights > 0 ? weighted / weights : nil, validCount: valid,
                    count: count, expectedCount: coverage.expected, flags: flags, partial: coverage.partial))
        }
        while let row = try rows.next() {
            let t: Int64 = row[0]
            if range == nil || !range!.contains(t) {
                emit()
                range = buckets.bucket(containing: t)
                (weighted, weights, valid, count, flags) = (0, 0, 0, 0, DataFlagSet(rawValue: 0))
            }
            let flag = DataFlag(rawValue: row[2]) ?? .normal
            count += 1
            flags.insert(flag)
            guard flag.isValid, let q: Double = row[3], (row[4] as String?) == DataFlag.normal.rawValue, q >= 0 else { continue }
            valid += 1
            weighted += (row[1] as Double) * q
            weights += q
        }
        emit()
        return out
    }
}
