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
        return try aggregate(db, query, meta: meta, calendar: ZoneCalendar(meta.zone))
    }

    /// ``aggregate(_:_:)`` of a series whose metadata is read, with a calendar of its zone (which
    /// a batch shares between its queries).
    static func aggregate(_ db: Database, _ query: AggregateQuery, meta: SeriesMeta, calendar: ZoneCalendar) throws -> [AggregateRow] {
        // Which buckets come from the rollups and which from the samples: AggregatePlan, shared
        // with the PostgreSQL store.
        let plan = AggregatePlan(query: query, calendar: calendar, interval: meta.interval)
        if query.function == .flowWeighted {
            return try SQLiteStore.flowWeighted(db, plan, meta: meta)
        }
        if plan.parts.count == 1 { return try SQLiteStore.rows(db, meta, plan, plan.parts[0]) }
        var rows: [AggregateRow] = []
        for part in plan.parts { rows += try SQLiteStore.rows(db, meta, plan, part) }
        return rows
    }

    /// The rows of one part of `plan`.
    private static func rows(_ db: Database, _ meta: SeriesMeta, _ plan: AggregatePlan, _ part: AggregatePlan.Part) throws -> [AggregateRow] {
        switch part {
        case .raw(let range): try SQLiteStore.fromRaw(db, meta, plan, range)
        case .rollups(let range, let resolution): try SQLiteStore.fromRollups(db, meta, resolution: resolution, plan, range)
        }
    }

    struct SeriesMeta {
        let id: Int64
        let zone: TimeZone
        let interval: Int64
    }

    static func seriesID(_ db: Database, _ key: SeriesKey) throws -> Int64? {
        try Int64.fetchOne(db.cachedStatement(sql: ReadSQL.seriesID), arguments: [key.station, key.parameter, key.kind.rawValue])
    }

    /// The id, zone and interval of a series, or `nil` when the store has no such series.
    ///
    /// On SQLite's C API: an overview's batch reads the metadata of a thousand series, and GRDB's
    /// `Row` and `StatementArguments` box every value.
    static func seriesMeta(_ db: Database, _ key: SeriesKey) throws -> SeriesMeta? {
        let row = try RawStatement(db, sql: ReadSQL.seriesMeta)
        defer { row.reset() }
        row.bind(key.station, at: 1)
        row.bind(key.parameter, at: 2)
        row.bind(key.kind.rawValue, at: 3)
        guard try row.step() else { return nil }
        let zone = row.text(at: 1).map { String(cString: $0) } ?? ""
        return SeriesMeta(id: row.int64(at: 0), zone: TimeZone(identifier: zone) ?? .gmt, interval: row.int64(at: 2))
    }

    /// The whole buckets of `range` (its ends are bucket boundaries) from the rollups.
    private static func fromRollups(
        _ db: Database, _ meta: SeriesMeta, resolution: Int64, _ plan: AggregatePlan, _ range: Range<Int64>
    ) throws -> [AggregateRow] {
        var rollups: [AggregatePlan.RollupRow] = []
        rollups.reserveCapacity(Int(min((range.upperBound - range.lowerBound) / resolution + 1, 1 << 20)))
        // On SQLite's C API: a year of hours is 8,760 rows of 8 columns, and GRDB's Row boxes each value.
        let rows = try RawStatement(db, sql: plan.readsExtremes ? ReadSQL.rollups : ReadSQL.rollupsWithoutExtremes)
        defer { rows.reset() }
        for (i, value) in [meta.id, resolution, range.lowerBound, range.upperBound].enumerated() { rows.bind(value, at: Int32(i + 1)) }
        while try rows.step() {
            rollups.append(
                AggregatePlan.RollupRow(
                    bucket: rows.int64(at: 0), count: Int(rows.int64(at: 1)), validCount: Int(rows.int64(at: 2)), sum: rows.double(at: 3),
                    min: rows.optionalDouble(at: 4), max: rows.optionalDouble(at: 5),
                    flags: DataFlagSet(rawValue: UInt8(truncatingIfNeeded: rows.int64(at: 6))), expected: Int(rows.int64(at: 7))))
        }
        return plan.rows(fromRollups: rollups)
    }

    /// The buckets of the samples in `range` (a part of the query's range), each over its
    /// samples inside `range` only.
    private static func fromRaw(_ db: Database, _ meta: SeriesMeta, _ plan: AggregatePlan, _ range: Range<Int64>) throws -> [AggregateRow] {
        var samples: [StoredSample] = []
        let rows = try Row.fetchCursor(db.cachedStatement(sql: ReadSQL.samples), arguments: [meta.id, range.lowerBound, range.upperBound])
        while let row = try rows.next() {
            samples.append(StoredSample(time: row[0], value: row[1], flag: DataFlag(rawValue: row[2]) ?? .normal))
        }
        return plan.rows(fromSamples: samples)
    }

    private static func flowWeighted(_ db: Database, _ plan: AggregatePlan, meta: SeriesMeta) throws -> [AggregateRow] {
        let query = plan.query
        guard let flow = query.flow, let flowID = try seriesID(db, flow) else {
            throw StoreError(.unknownSeries, "the flow series \(query.flow?.description ?? "?") is not in the store")
        }
        // Each reading is paired with the flow reading of the same instant.
        let rows = try Row.fetchCursor(
            db.cachedStatement(sql: ReadSQL.withFlow), arguments: [flowID, meta.id, query.range.lowerBound, query.range.upperBound])
        var pairs: [AggregatePlan.FlowPair] = []
        while let row = try rows.next() {
            let t: Int64 = row[0]
            let sample = StoredSample(time: t, value: row[1], flag: DataFlag(rawValue: row[2]) ?? .normal)
            var flowSample: StoredSample?
            if let q: Double = row[3], let f = (row[4] as String?).flatMap(DataFlag.init(rawValue:)) {
                flowSample = StoredSample(time: t, value: q, flag: f)
            }
            pairs.append(AggregatePlan.FlowPair(sample: sample, flow: flowSample))
        }
        return plan.rows(flowWeighted: pairs)
    }
}
