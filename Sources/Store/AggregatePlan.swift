package import Foundation
package import Monitoring

/// How an aggregate query is answered, and the arithmetic that turns rollup rows and raw
/// samples into its rows: one definition for every store (``SQLiteStore``, `PostgresStore`),
/// which only fetch.
///
/// Steps that are whole hours (on a zone whose offset is whole hours) or whole days are answered
/// from the hour or day rollups, except the buckets the range cuts at either end, which come from
/// the raw samples inside the range; other steps come from the raw samples.
package struct AggregatePlan {
    /// A part of the query's range and where its rows come from.
    package enum Part: Equatable {
        /// The raw samples with times in the range.
        case raw(Range<Int64>)
        /// The rollups of a resolution whose buckets start in the range (its ends are bucket boundaries).
        case rollups(Range<Int64>, resolution: Int64)
    }

    /// One rollup row as a store reads it.
    package struct RollupRow {
        /// The bucket's first instant.
        package var bucket: Int64
        /// All readings.
        package var count: Int
        /// Valid readings.
        package var validCount: Int
        /// The sum of the valid readings.
        package var sum: Double
        /// The smallest valid reading.
        package var min: Double?
        /// The largest valid reading.
        package var max: Double?
        /// The flags seen.
        package var flags: DataFlagSet
        /// Readings expected in the bucket.
        package var expected: Int

        /// Creates a row.
        package init(bucket: Int64, count: Int, validCount: Int, sum: Double, min: Double?, max: Double?, flags: DataFlagSet, expected: Int) {
            self.bucket = bucket
            self.count = count
            self.validCount = validCount
            self.sum = sum
            self.min = min
            self.max = max
            self.flags = flags
            self.expected = expected
        }
    }

    /// A reading paired with the flow series' reading of the same instant, for flow-weighted means.
    package struct FlowPair {
        /// The reading.
        package var sample: StoredSample
        /// The flow reading of the same instant, if any.
        package var flow: StoredSample?

        /// Creates a pair.
        package init(sample: StoredSample, flow: StoredSample?) {
            self.sample = sample
            self.flow = flow
        }
    }

    /// The query.
    package let query: AggregateQuery
    /// Its buckets.
    package let buckets: Bucketing
    /// The series' expected interval, in seconds.
    package let interval: Int64
    /// The parts of the range, oldest first (for flow-weighted means: the whole range, raw).
    package let parts: [Part]

    /// Plans `query` over a series kept in `timeZone` at `interval` seconds.
    package init(query: AggregateQuery, timeZone: TimeZone, interval: Int64) {
        self.init(query: query, calendar: ZoneCalendar(timeZone), interval: interval)
    }

    /// Plans `query` over a series kept in `calendar`'s zone at `interval` seconds: a batch of
    /// queries shares one calendar a zone (and its cache of offsets).
    package init(query: AggregateQuery, calendar: ZoneCalendar, interval: Int64) {
        self.query = query
        self.interval = max(1, interval)
        let buckets = Bucketing(step: query.step, range: query.range, calendar: calendar)
        self.buckets = buckets
        let range = query.range
        let resolution: Int64
        if query.function == .flowWeighted {
            parts = [.raw(range)]
            return
        } else if query.step % 86_400 == 0 {
            resolution = 86_400
        } else if query.step % 3_600 == 0 && buckets.offsetIsWholeHours {
            resolution = 3_600
        } else {
            parts = [.raw(range)]
            return
        }
        // The whole buckets inside the range come from the rollups, the cut ones at its ends from the samples.
        let first = buckets.bucket(containing: range.lowerBound)
        let last = buckets.bucket(containing: range.upperBound - 1)
        let wholeStart = first.lowerBound < range.lowerBound ? first.upperBound : range.lowerBound
        let wholeEnd = last.upperBound > range.upperBound ? last.lowerBound : range.upperBound
        guard wholeStart < wholeEnd else {
            parts = [.raw(range)]
            return
        }
        var parts: [Part] = []
        if range.lowerBound < wholeStart { parts.append(.raw(range.lowerBound..<wholeStart)) }
        parts.append(.rollups(wholeStart..<wholeEnd, resolution: resolution))
        if wholeEnd < range.upperBound { parts.append(.raw(wholeEnd..<range.upperBound)) }
        self.parts = parts
    }

    /// Whether the rows need the rollups' smallest and largest readings (min and max queries);
    /// the stores read them only then.
    package var readsExtremes: Bool { query.function == .min || query.function == .max }

    /// The rows of a `.rollups` part from its rollup rows, ordered by bucket.
    package func rows(fromRollups rollups: some Sequence<RollupRow>) -> [AggregateRow] {
        // Sized once: a year by hour is 8,760 rows, and growing the array copied it (and
        // faulted in fresh pages) a dozen times.
        var out: [AggregateRow] = []
        out.reserveCapacity(rollups.underestimatedCount)
        var current: (range: Range<Int64>, acc: RollupAccumulator, expected: Int)?
        // Rollup buckets contribute their whole expected count; a bucket of the answer gets the
        // expected count of its whole length even when some of its rollup rows are missing.
        func emit(_ c: (range: Range<Int64>, acc: RollupAccumulator, expected: Int)) {
            var r = makeRow(c, partial: false)
            r.expectedCount = max(r.expectedCount, Int((r.end - r.start) / interval))
            out.append(r)
        }
        for row in rollups {
            if current == nil || !current!.range.contains(row.bucket) {
                if let c = current { emit(c) }
                current = (buckets.bucket(containing: row.bucket), RollupAccumulator(), 0)
            }
            current!.acc.merge(count: row.count, validCount: row.validCount, sum: row.sum, min: row.min, max: row.max, flags: row.flags)
            current!.expected += row.expected
        }
        if let c = current { emit(c) }
        return out
    }

    /// The rows of a `.raw` part from its samples, oldest first: each bucket over its samples in
    /// the part only, marked partial when the query's range cuts it.
    package func rows(fromSamples samples: some Sequence<StoredSample>) -> [AggregateRow] {
        var out: [AggregateRow] = []
        var current: (range: Range<Int64>, acc: RollupAccumulator, expected: Int)?
        var partial = false
        for s in samples {
            if current == nil || !current!.range.contains(s.time) {
                if let c = current { out.append(makeRow(c, partial: partial)) }
                let r = buckets.bucket(containing: s.time)
                let coverage = coverage(of: r)
                partial = coverage.partial
                current = (r, RollupAccumulator(), coverage.expected)
            }
            current!.acc.add(s.value, s.flag)
        }
        if let c = current { out.append(makeRow(c, partial: partial)) }
        return out
    }

    /// Flow-weighted rows, Σ(value × flow) / Σ flow, from readings paired with the flow
    /// reading of the same instant, oldest first. A reading without a valid, non-negative flow
    /// reading cannot be weighted and counts as not valid.
    package func rows(flowWeighted pairs: some Sequence<FlowPair>) -> [AggregateRow] {
        var out: [AggregateRow] = []
        var range: Range<Int64>?
        var weighted = 0.0
        var weights = 0.0
        var valid = 0
        var count = 0
        var flags = DataFlagSet(rawValue: 0)
        func emit() {
            guard let r = range else { return }
            let coverage = coverage(of: r)
            out.append(
                AggregateRow(
                    start: r.lowerBound, end: r.upperBound, value: weights > 0 ? weighted / weights : nil, validCount: valid,
                    count: count, expectedCount: coverage.expected, flags: flags, partial: coverage.partial))
        }
        for pair in pairs {
            let t = pair.sample.time
            if range == nil || !range!.contains(t) {
                emit()
                range = buckets.bucket(containing: t)
                (weighted, weights, valid, count, flags) = (0, 0, 0, 0, DataFlagSet(rawValue: 0))
            }
            count += 1
            flags.insert(pair.sample.flag)
            guard pair.sample.flag.isValid, let q = pair.flow, q.flag == .normal, q.value >= 0 else { continue }
            valid += 1
            weighted += pair.sample.value * q.value
            weights += q.value
        }
        emit()
        return out
    }

    /// Whether the query's range cuts `bucket`, and the readings expected in the part of it the
    /// range covers: a cut bucket expects only the instants of its part on the series' interval
    /// grid, a whole one its length over the interval.
    package func coverage(of bucket: Range<Int64>) -> (partial: Bool, expected: Int) {
        let covered = max(bucket.lowerBound, query.range.lowerBound)..<min(bucket.upperBound, query.range.upperBound)
        if covered == bucket { return (false, Int((bucket.upperBound - bucket.lowerBound) / interval)) }
        let onGrid = floorDiv(covered.upperBound - 1, interval) - floorDiv(covered.lowerBound - 1, interval)
        return (true, Int(onGrid))
    }

    private func makeRow(_ c: (range: Range<Int64>, acc: RollupAccumulator, expected: Int), partial: Bool) -> AggregateRow {
        AggregateRow(
            start: c.range.lowerBound, end: c.range.upperBound, value: c.acc.value(query.function), validCount: c.acc.validCount,
            count: c.acc.count, expectedCount: c.expected, flags: c.acc.flags, partial: partial)
    }
}
