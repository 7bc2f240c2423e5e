import EnvmonCharts
import Monitoring
import Store

extension StationTrend {
    /// The kind a chart of `range` reads: the finest stored kind whose data reaches back to the
    /// range's start (a live real-time series begun an hour ago does not hide a week of hour
    /// values); when none does, the one reaching back furthest into the range.
    static func chartKind(
        _ station: Station, _ parameter: String, _ stored: Set<SeriesKey>, _ store: any MonitoringStore, _ range: Range<Int64>
    ) async throws -> SeriesKind? {
        var best: (kind: SeriesKind, oldest: Int64)?
        for kind in [SeriesKind.minute, .realtime, .hour, .day] {
            let key = SeriesKey(station: station.id, parameter: parameter, kind: kind)
            guard stored.contains(key), let span = try await store.span(of: key), span.upperBound >= range.lowerBound, span.lowerBound < range.upperBound
            else { continue }
            if span.lowerBound <= range.lowerBound { return kind }
            if best == nil || span.lowerBound < best!.oldest { best = (kind, span.lowerBound) }
        }
        if let best { return best.kind }
        // Nothing in the range: the finest stored kind (the chart says there is no data).
        return [SeriesKind.minute, .realtime, .hour, .day].first { stored.contains(SeriesKey(station: station.id, parameter: parameter, kind: $0)) }
    }

    static func readSeries(
        _ sp: StationParameter, _ station: Station, _ stored: Set<SeriesKey>, _ store: any MonitoringStore, _ range: Range<Int64>, _ step: Int64?,
        _ reducer: ColumnReducer, _ shared: SharedHourRollups? = nil
    ) async throws -> TrendSeries {
        guard let kind = try await chartKind(station, sp.parameter.id, stored, store, range) else {
            return TrendSeries(
                parameter: sp, key: nil, source: .raw, columns: reducer.reduce([]), periods: [], readings: 0, validReadings: 0, latest: nil)
        }
        let key = SeriesKey(station: station.id, parameter: sp.parameter.id, kind: kind)
        let interval = kind.interval(at: station)
        let span = range.upperBound - range.lowerBound
        if step == nil && span / interval <= rawLimit {
            return try await fromRaw(sp, key, interval, store, range, reducer)
        }
        guard let step else {
            return try await fromRollups(sp, key, span <= 2 * 366 * 86_400 ? 3_600 : 86_400, store, range, reducer, shared)
        }
        // Three aggregates of the same buckets, read side by side (SQLite's WAL readers do not wait on each other).
        async let avg = store.aggregate(AggregateQuery(series: key, range: range, step: step, function: .avg))
        async let lo = store.aggregate(AggregateQuery(series: key, range: range, step: step, function: .min))
        async let hi = store.aggregate(AggregateQuery(series: key, range: range, step: step, function: .max))
        let (means, mins, maxes) = try await (avg, lo, hi)
        var samples: [ChartSample] = []
        samples.reserveCapacity(means.count)
        var periods: [TrendPeriod] = []
        var readings = 0
        var valid = 0
        var latest: (time: Int64, value: Double)?
        let aligned = mins.count == means.count && maxes.count == means.count
        for (i, row) in means.enumerated() {
            readings += row.count
            valid += row.validCount
            var flags = row.flags
            flags.rawValue &= ~DataFlag.normal.bit
            if flags.rawValue != 0 { periods.append(TrendPeriod(from: row.start, to: row.end, reason: .flagged(flags))) }
            if !row.partial, row.count > 0, row.validCount * 4 < row.expectedCount * 3 {
                periods.append(TrendPeriod(from: row.start, to: row.end, reason: .invalid))
            }
            guard let mean = row.value else { continue }
            let low = aligned && mins[i].start == row.start ? mins[i].value ?? mean : mean
            let high = aligned && maxes[i].start == row.start ? maxes[i].value ?? mean : mean
            samples.append(ChartSample(start: row.start, end: row.end, min: low, max: high, mean: mean, count: row.validCount))
            latest = (row.start, mean)
        }
        return TrendSeries(
            parameter: sp, key: key, source: .step, columns: reducer.reduce(samples), periods: TrendPeriod.merged(periods), readings: readings,
            validReadings: valid, latest: latest)
    }

    /// A long range from the store's hour or day rollups, one read: each bucket's least, mean and
    /// greatest value; flagged buckets, and whole buckets with under 75 % of their readings
    /// valid, as periods. A bucket the range's start cuts is clipped by the reducer.
    /// Hour rollups come from `shared` when it is given (the daily AQI reads the same rows).
    private static func fromRollups(
        _ sp: StationParameter, _ key: SeriesKey, _ resolution: Int64, _ store: any MonitoringStore, _ range: Range<Int64>, _ reducer: ColumnReducer,
        _ shared: SharedHourRollups?
    ) async throws -> TrendSeries {
        let part = (range.lowerBound - resolution + 1)..<range.upperBound
        let rows: ArraySlice<RollupRow> =
            if let shared, resolution == 3_600 {
                try await shared.rows(of: key, in: part)
            } else {
                ArraySlice(try await store.rollupRows(of: key, resolution: resolution, in: part))
            }
        var samples: [ChartSample] = []
        samples.reserveCapacity(rows.count)
        var periods: [TrendPeriod] = []
        var readings = 0
        var valid = 0
        var latest: (time: Int64, value: Double)?
        for row in rows {
            // A day bucket is a local day: 23 or 25 hours on a change of clocks, and its end the next bucket's start.
            let end = row.start + resolution
            if row.start >= range.lowerBound {
                readings += row.count
                valid += row.validCount
            }
            var flags = row.flags
            flags.rawValue &= ~DataFlag.normal.bit
            if flags.rawValue != 0 { periods.append(TrendPeriod(from: row.start, to: end, reason: .flagged(flags))) }
            if row.start >= range.lowerBound, end <= range.upperBound, row.count > 0, row.validCount * 4 < row.expectedCount * 3 {
                periods.append(TrendPeriod(from: row.start, to: end, reason: .invalid))
            }
            guard let mean = row.mean else { continue }
            samples.append(ChartSample(start: row.start, end: end, min: row.min ?? mean, max: row.max ?? mean, mean: mean, count: row.validCount))
            latest = (row.start, mean)
        }
        return TrendSeries(
            parameter: sp, key: key, source: resolution == 3_600 ? .hour : .day, columns: reducer.reduce(samples),
            periods: TrendPeriod.merged(periods), readings: readings, validReadings: valid, latest: latest)
    }

    /// A short range from the raw readings: valid ones as samples, flagged ones as periods, and
    /// whole hours with readings but fewer than 75 % of them valid as invalid periods.
    private static func fromRaw(
        _ sp: StationParameter, _ key: SeriesKey, _ interval: Int64, _ store: any MonitoringStore, _ range: Range<Int64>, _ reducer: ColumnReducer
    ) async throws -> TrendSeries {
        let rows = try await store.samples(of: key, in: range)
        var samples: [ChartSample] = []
        samples.reserveCapacity(rows.count)
        var periods: [TrendPeriod] = []
        var valid = 0
        var latest: (time: Int64, value: Double)?
        // Hours as UTC hours: every zone envmon serves is a whole number of hours from UTC.
        let expectedPerHour = max(1, 3_600 / interval)
        var hour: Int64 = .min
        var hourAll = 0
        var hourValid = 0
        func closeHour() {
            guard hourAll > 0 else { return }
            let start = hour * 3_600
            guard start >= range.lowerBound, start + 3_600 <= range.upperBound, Int64(hourValid) * 4 < expectedPerHour * 3 else { return }
            periods.append(TrendPeriod(from: start, to: start + 3_600, reason: .invalid))
        }
        for s in rows {
            let h = s.time >= 0 ? s.time / 3_600 : (s.time - 3_599) / 3_600
            if h != hour {
                closeHour()
                (hour, hourAll, hourValid) = (h, 0, 0)
            }
            hourAll += 1
            if s.flag.isValid {
                hourValid += 1
                valid += 1
                samples.append(ChartSample(time: s.time, value: s.value, interval: interval))
                latest = (s.time, s.value)
            } else {
                periods.append(TrendPeriod(from: s.time, to: s.time + interval, reason: .flagged(DataFlagSet([s.flag]))))
            }
        }
        closeHour()
        return TrendSeries(
            parameter: sp, key: key, source: .raw, columns: reducer.reduce(samples), periods: TrendPeriod.merged(periods), readings: rows.count,
            validReadings: valid, latest: latest)
    }
}
