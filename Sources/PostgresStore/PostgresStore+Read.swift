public import Foundation
public import Monitoring
import PostgresNIO
public import Store

extension PostgresStore {
    /// A series' id, zone and interval.
    struct SeriesMeta {
        let id: Int32
        let zone: TimeZone
        let interval: Int64
    }

    func seriesMeta(_ key: SeriesKey) async throws -> SeriesMeta? {
        let rows = try await client.query(
            "SELECT id, time_zone, interval_s FROM series WHERE station = \(key.station) AND parameter = \(key.parameter) AND kind = \(key.kind.rawValue)",
            logger: logger)
        for try await (id, zone, interval) in rows.decode((Int32, String, Int64).self) {
            return SeriesMeta(id: id, zone: TimeZone(identifier: zone) ?? .gmt, interval: interval)
        }
        return nil
    }

    /// The samples of series `id` (of `kind`) in `range`, oldest first: one range of one
    /// partition's primary key per month the range covers.
    func samples(id: Int32, kind: SeriesKind, in range: Range<Int64>) async throws -> [StoredSample] {
        var binds = PostgresBindings(capacity: 4)
        binds.append(kind.code)
        binds.append(id)
        binds.append(range.lowerBound)
        binds.append(range.upperBound)
        let rows = try await client.query(PostgresQuery(unsafeSQL: PostgresReadSQL.samples, binds: binds), logger: logger)
        var out: [StoredSample] = []
        for try await row in rows {
            var c = PostgresCells(row)
            let (t, value, flag) = (try c.int64(), try c.double(), try c.string())
            out.append(StoredSample(time: t, value: value, flag: DataFlag(rawValue: flag) ?? .normal))
        }
        return out
    }

    /// The raw samples of a series in `range`, oldest first; empty for an unknown series.
    public func samples(of series: SeriesKey, in range: Range<Int64>) async throws(StoreError) -> [StoredSample] {
        do {
            guard let meta = try await seriesMeta(series) else { return [] }
            return try await samples(id: meta.id, kind: series.kind, in: range)
        } catch {
            throw Self.error(.read, "cannot read samples of \(series)", error)
        }
    }

    /// The newest sample of each series that has one: per kind, one statement that seeks the
    /// end of each series' key range, newest month first.
    public func latest(of series: [SeriesKey]) async throws(StoreError) -> [SeriesKey: StoredSample] {
        var out: [SeriesKey: StoredSample] = [:]
        do {
            for kind in SeriesKind.allCases {
                let keys = series.filter { $0.kind == kind }
                guard !keys.isEmpty else { continue }
                var binds = PostgresBindings(capacity: 4)
                binds.append(kind.code)
                binds.append(kind.rawValue)
                binds.append(keys.map(\.station))
                binds.append(keys.map(\.parameter))
                let rows = try await client.query(PostgresQuery(unsafeSQL: PostgresReadSQL.latest, binds: binds), logger: logger)
                for try await row in rows {
                    var c = PostgresCells(row)
                    let (station, parameter, t, value, flag) = (try c.string(), try c.string(), try c.int64(), try c.double(), try c.string())
                    out[SeriesKey(station: station, parameter: parameter, kind: kind)] = StoredSample(
                        time: t, value: value, flag: DataFlag(rawValue: flag) ?? .normal)
                }
            }
        } catch {
            throw Self.error(.read, "cannot read latest values", error)
        }
        return out
    }

    /// The times of the oldest and newest sample of a series, in one read. Where retention has
    /// deleted raw samples that rollups still hold, the ends come from the rollups, as with
    /// ``SQLiteStore/span(of:)``.
    public func span(of series: SeriesKey) async throws(StoreError) -> ClosedRange<Int64>? {
        do {
            let rows = try await client.query(
                """
                SELECT (SELECT ts FROM sample WHERE kind = \(series.kind.code) AND series = s.id ORDER BY ts LIMIT 1),
                       (SELECT bucket FROM rollup WHERE series = s.id AND resolution = 3600 ORDER BY bucket LIMIT 1),
                       (SELECT bucket FROM rollup WHERE series = s.id AND resolution = 86400 ORDER BY bucket LIMIT 1),
                       (SELECT ts FROM sample WHERE kind = \(series.kind.code) AND series = s.id ORDER BY ts DESC LIMIT 1),
                       (SELECT bucket_end FROM rollup WHERE series = s.id AND resolution = 3600 ORDER BY bucket DESC LIMIT 1),
                       (SELECT bucket_end FROM rollup WHERE series = s.id AND resolution = 86400 ORDER BY bucket DESC LIMIT 1)
                FROM series s WHERE station = \(series.station) AND parameter = \(series.parameter) AND kind = \(series.kind.rawValue)
                """, logger: logger)
            for try await (first, firstHour, firstDay, last, lastHourEnd, lastDayEnd) in rows.decode(
                (Int64?, Int64?, Int64?, Int64?, Int64?, Int64?).self)
            {
                // A bucket starts at or before the readings it holds; retention deletes samples
                // oldest first, so only without samples does a bucket's end stand for the newest.
                guard let oldest = [first, firstHour, firstDay].compactMap({ $0 }).min() else { return nil }
                guard let newest = last ?? [lastHourEnd, lastDayEnd].compactMap({ $0 }).max().map({ $0 - 1 }) else { return nil }
                return oldest...newest
            }
            return nil
        } catch {
            throw Self.error(.read, "cannot read the span of \(series)", error)
        }
    }

    /// The aggregates of a series by fixed steps; see ``AggregateQuery`` and ``SQLiteStore/aggregate(_:)``:
    /// whole hours and days from the rollups, the buckets the range cuts and other steps from the samples.
    public func aggregate(_ query: AggregateQuery) async throws(StoreError) -> [AggregateRow] {
        guard query.step > 0 else { throw StoreError(.badQuery, "the step must be positive") }
        guard query.function != .flowWeighted || query.flow != nil else {
            throw StoreError(.badQuery, "a flow-weighted mean needs a flow series")
        }
        guard !query.range.isEmpty else { return [] }
        do {
            guard let meta = try await seriesMeta(query.series) else { return [] }
            let plan = AggregatePlan(query: query, timeZone: meta.zone, interval: meta.interval)
            if query.function == .flowWeighted { return try await flowWeighted(plan, meta: meta) }
            var rows: [AggregateRow] = []
            for part in plan.parts { rows += try await self.rows(of: part, plan, meta: meta, kind: query.series.kind) }
            return rows
        } catch {
            throw Self.error(.read, "cannot aggregate \(query.series)", error)
        }
    }

    /// The rows of one part of `plan`.
    private func rows(of part: AggregatePlan.Part, _ plan: AggregatePlan, meta: SeriesMeta, kind: SeriesKind) async throws -> [AggregateRow] {
        switch part {
        case .raw(let range): plan.rows(fromSamples: try await samples(id: meta.id, kind: kind, in: range))
        case .rollups(let range, let resolution):
            plan.rows(fromRollups: try await rollups(id: meta.id, resolution: resolution, range, extremes: plan.readsExtremes))
        }
    }

    /// The rollups of series `id` at `resolution` in `range`, oldest first: one row of arrays
    /// (see ``PostgresArray``); the rows as rows if the arrays cannot be read. `extremes`: whether
    /// the smallest and largest readings are wanted (a min or max query, the rollup rows' own
    /// read); without them they are not sent, and read as nil.
    ///
    /// The server's cost is one send call an element (`array_send`), 70,000 for a year of hourly
    /// rows of 8 columns, which was most of that trend's time. So the four small integers of a
    /// row travel packed into one bigint, 17 bits each for the counts (a day of one-second
    /// readings is at most 90,000) and 8 for the flags; a row that does not fit is caught by
    /// the `fits` column, and the read falls back to rows.
    func rollups(id: Int32, resolution: Int64, _ range: Range<Int64>, extremes: Bool = true) async throws -> [AggregatePlan.RollupRow] {
        let where_ = "series = \(id) AND resolution = \(resolution) AND bucket >= \(range.lowerBound) AND bucket < \(range.upperBound)"
        let rows = try await client.query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT array_agg(bucket),
                           array_agg(count::int8 | (valid_count::int8 << 17) | (expected::int8 << 34) | (flags::int8 << 51)),
                           array_agg(vsum), \(extremes ? "array_agg(vmin), array_agg(vmax)" : "NULL::float8[], NULL::float8[]"),
                           coalesce(bool_and(count BETWEEN 0 AND 131071 AND valid_count BETWEEN 0 AND 131071
                                             AND expected BETWEEN 0 AND 131071 AND flags BETWEEN 0 AND 255), true)
                    FROM (SELECT * FROM rollup WHERE \(where_) ORDER BY bucket) r
                    """), logger: logger)
        for try await row in rows {
            let cells = Array(row)
            guard cells.count == 6, let fits = try? cells[5].decode(Bool.self), fits else { break }
            // No rows: array_agg gives NULL.
            if cells[0].bytes == nil { return [] }
            guard let buckets = PostgresArray.integers(cells[0]), let packed = PostgresArray.integers(cells[1]),
                let sums = PostgresArray.doubles(cells[2]), packed.count == buckets.count, sums.count == buckets.count
            else { break }
            let mins = extremes ? PostgresArray.doubles(cells[3]) : nil
            let maxes = extremes ? PostgresArray.doubles(cells[4]) : nil
            if extremes, mins?.count != buckets.count || maxes?.count != buckets.count { break }
            var out: [AggregatePlan.RollupRow] = []
            out.reserveCapacity(buckets.count)
            let mask: Int64 = (1 << 17) - 1
            for i in buckets.indices {
                let p = packed[i]
                out.append(
                    AggregatePlan.RollupRow(
                        bucket: buckets[i], count: Int(p & mask), validCount: Int((p >> 17) & mask), sum: sums[i] ?? 0,
                        min: mins?[i], max: maxes?[i], flags: DataFlagSet(rawValue: UInt8(truncatingIfNeeded: p >> 51)),
                        expected: Int((p >> 34) & mask)))
            }
            // array_agg keeps the subquery's order in PostgreSQL, though SQL does not promise it.
            if !zip(out, out.dropFirst()).allSatisfy({ $0.bucket < $1.bucket }) { out.sort { $0.bucket < $1.bucket } }
            return out
        }
        return try await rollupRows(where: where_)
    }

    /// The rollups where `condition` holds, row by row (the fallback of ``rollups(id:resolution:_:)``).
    private func rollupRows(where condition: String) async throws -> [AggregatePlan.RollupRow] {
        let rows = try await client.query(
            PostgresQuery(unsafeSQL: "SELECT bucket, count, valid_count, vsum, vmin, vmax, flags, expected FROM rollup WHERE \(condition) ORDER BY bucket"),
            logger: logger)
        var out: [AggregatePlan.RollupRow] = []
        for try await row in rows {
            var c = PostgresCells(row)
            let (bucket, count, valid, sum) = (try c.int64(), try c.int64(), try c.int64(), try c.double())
            let (min, max, flags, expected) = (try c.optionalDouble(), try c.optionalDouble(), try c.int64(), try c.int64())
            out.append(
                AggregatePlan.RollupRow(
                    bucket: bucket, count: Int(count), validCount: Int(valid), sum: sum, min: min, max: max,
                    flags: DataFlagSet(rawValue: UInt8(truncatingIfNeeded: flags)), expected: Int(expected)))
        }
        return out
    }

    private func flowWeighted(_ plan: AggregatePlan, meta: SeriesMeta) async throws -> [AggregateRow] {
        let query = plan.query
        guard let flow = query.flow, let flowMeta = try await seriesMeta(flow) else {
            throw StoreError(.unknownSeries, "the flow series \(query.flow?.description ?? "?") is not in the store")
        }
        // Each reading is paired with the flow reading of the same instant.
        let rows = try await client.query(
            """
            SELECT c.ts, c.value, c.flag, q.value, q.flag FROM sample c
            LEFT JOIN sample q ON q.kind = \(flow.kind.code) AND q.series = \(flowMeta.id) AND q.ts = c.ts
            WHERE c.kind = \(query.series.kind.code) AND c.series = \(meta.id) AND c.ts >= \(query.range.lowerBound) AND c.ts < \(query.range.upperBound)
            ORDER BY c.ts
            """, logger: logger)
        var pairs: [AggregatePlan.FlowPair] = []
        for try await (t, value, flag, q, qFlag) in rows.decode((Int64, Double, String, Double?, String?).self) {
            let sample = StoredSample(time: t, value: value, flag: DataFlag(rawValue: flag) ?? .normal)
            var flowSample: StoredSample?
            if let q, let f = qFlag.flatMap(DataFlag.init(rawValue:)) { flowSample = StoredSample(time: t, value: q, flag: f) }
            pairs.append(AggregatePlan.FlowPair(sample: sample, flow: flowSample))
        }
        return plan.rows(flowWeighted: pairs)
    }

    /// The number of raw samples stored for a series (for reports and tests).
    public func sampleCount(of series: SeriesKey) async throws(StoreError) -> Int {
        do {
            let rows = try await client.query(
                """
                SELECT count(*) FROM sample WHERE kind = \(series.kind.code) AND series =
                  (SELECT id FROM series WHERE station = \(series.station) AND parameter = \(series.parameter) AND kind = \(series.kind.rawValue))
                """, logger: logger)
            for try await n in rows.decode(Int64.self) { return Int(n) }
            return 0
        } catch {
            throw Self.error(.read, "cannot count samples of \(series)", error)
        }
    }

    /// Every series in the store.
    public func allSeries() async throws(StoreError) -> [SeriesKey] {
        do {
            var out: [SeriesKey] = []
            let rows = try await client.query("SELECT station, parameter, kind FROM series ORDER BY station, parameter, kind", logger: logger)
            for try await (station, parameter, kind) in rows.decode((String, String, String).self) {
                if let kind = SeriesKind(rawValue: kind) { out.append(SeriesKey(station: station, parameter: parameter, kind: kind)) }
            }
            return out
        } catch {
            throw Self.error(.read, "cannot list series", error)
        }
    }

    /// The series the store holds for a station, with the zone, interval and unit they were last written with.
    public func storedSeries(ofStation station: String) async throws(StoreError) -> [StoredSeries] {
        do {
            var out: [StoredSeries] = []
            let rows = try await client.query(
                "SELECT parameter, kind, time_zone, interval_s, unit FROM series WHERE station = \(station) ORDER BY parameter, kind", logger: logger)
            for try await (parameter, kind, zone, interval, unit) in rows.decode((String, String, String, Int64, String?).self) {
                guard let kind = SeriesKind(rawValue: kind) else { continue }
                out.append(
                    StoredSeries(
                        key: SeriesKey(station: station, parameter: parameter, kind: kind), timeZone: TimeZone(identifier: zone) ?? .gmt,
                        interval: interval, unit: unit.flatMap(MeasurementUnit.init(rawValue:))))
            }
            return out
        } catch {
            throw Self.error(.read, "cannot list the series of \(station)", error)
        }
    }

    /// The audited changes of re-sent samples of a series, oldest first.
    public func revisions(of series: SeriesKey) async throws(StoreError) -> [(time: Int64, old: StoredSample, new: StoredSample)] {
        do {
            var out: [(time: Int64, old: StoredSample, new: StoredSample)] = []
            let rows = try await client.query(
                """
                SELECT r.ts, r.old_value, r.old_flag, r.new_value, r.new_flag FROM sample_revision r
                JOIN series s ON s.id = r.series
                WHERE s.station = \(series.station) AND s.parameter = \(series.parameter) AND s.kind = \(series.kind.rawValue) ORDER BY r.seq
                """, logger: logger)
            for try await (t, oldValue, oldFlag, newValue, newFlag) in rows.decode((Int64, Double, String, Double, String).self) {
                out.append(
                    (
                        t, StoredSample(time: t, value: oldValue, flag: DataFlag(rawValue: oldFlag) ?? .normal),
                        StoredSample(time: t, value: newValue, flag: DataFlag(rawValue: newFlag) ?? .normal)
                    ))
            }
            return out
        } catch {
            throw Self.error(.read, "cannot read revisions of \(series)", error)
        }
    }
}

/// The SQL of the reads whose plans matter most, with `$n` parameters, in one place so that the
/// tests (`PostgresPlanTests`) check the plans of the very statements the store runs: each must
/// prune `sample` to its kind and the months of its range and reach rows through a partition's
/// primary key, never a scan of a table.
package enum PostgresReadSQL {
    /// A series' samples in [$3, $4), oldest first: $1 the kind's code, $2 the series id.
    package static let samples = """
        SELECT ts, value, flag FROM sample WHERE kind = $1 AND series = $2 AND ts >= $3 AND ts < $4 ORDER BY ts
        """

    /// The newest sample of each series of one kind ($1 its code, $2 its name) named by the
    /// arrays of stations ($3) and parameters ($4): a seek at the end of each one's key range,
    /// newest month first.
    package static let latest = """
        SELECT s.station, s.parameter, l.ts, l.value, l.flag
        FROM series s CROSS JOIN LATERAL (
            SELECT ts, value, flag FROM sample WHERE kind = $1 AND series = s.id ORDER BY ts DESC LIMIT 1
        ) l
        WHERE s.kind = $2 AND (s.station, s.parameter) IN (SELECT * FROM unnest($3::text[], $4::text[]))
        """
}
