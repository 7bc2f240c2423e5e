import Foundation
import Monitoring
import Store
import Synchronization

/// The hour rollups of a station page's series, read once per series and shared: an ambient site's
/// chart of a month or a year reads each pollutant's hour rollups, and its daily AQI needs the same
/// hours (as 1-h means) over the whole local days of the range; one read serves both.
///
/// Each series is read once over ``range`` (which covers what both readers ask for), however many
/// readers ask for it and in whatever order; each reader takes the rows of its own range.
final class SharedHourRollups: Sendable {
    /// The instants read: every reader's range is inside it.
    let range: Range<Int64>
    private let store: any MonitoringStore
    private let reads = Mutex<[SeriesKey: Task<[RollupRow], any Error>]>([:])

    /// Shares the hour rollups of `store` over `range`.
    init(store: any MonitoringStore, range: Range<Int64>) {
        self.store = store
        self.range = range
    }

    /// The hour rollup rows of `series` whose bucket starts in `part` (inside ``range``), oldest
    /// first: what `rollupRows(of:resolution:in:)` returns for `part`.
    func rows(of series: SeriesKey, in part: Range<Int64>) async throws -> ArraySlice<RollupRow> {
        precondition(part.lowerBound >= range.lowerBound && part.upperBound <= range.upperBound, "a part outside the shared range")
        let store = store
        let range = range
        let read = reads.withLock { reads in
            if let read = reads[series] { return read }
            let read = Task { try await store.rollupRows(of: series, resolution: 3_600, in: range) }
            reads[series] = read
            return read
        }
        let rows = try await read.value
        let first = rows.partitionPoint { $0.start >= part.lowerBound }
        let end = rows.partitionPoint { $0.start >= part.upperBound }
        return rows[first..<max(first, end)]
    }

    /// The 1-h averages of `series` over `query.range` as the store's `aggregate` gives them (a query of
    /// step 3,600 and `.avg`), from the shared rows; `nil` when the store would read raw samples for part
    /// of the range (a range that cuts an hour, a zone whose offset is not whole hours), which the caller
    /// then asks the store for.
    func hourlyAverages(_ query: AggregateQuery, of stored: StoredSeries) async throws -> [AggregateRow]? {
        guard query.step == 3_600, query.function == .avg, query.flow == nil else { return nil }
        let plan = AggregatePlan(query: query, timeZone: stored.timeZone, interval: stored.interval)
        guard plan.parts == [.rollups(query.range, resolution: 3_600)] else { return nil }
        let rows = try await rows(of: query.series, in: query.range)
        return plan.rows(
            fromRollups: rows.lazy.map {
                AggregatePlan.RollupRow(
                    bucket: $0.start, count: $0.count, validCount: $0.validCount, sum: $0.sum, min: $0.min, max: $0.max, flags: $0.flags,
                    expected: $0.expectedCount)
            })
    }
}

extension Array {
    /// The first index whose element satisfies `isAbove`, for a predicate false then true along the array.
    fileprivate func partitionPoint(_ isAbove: (Element) -> Bool) -> Int {
        var low = 0
        var high = count
        while low < high {
            let mid = (low + high) / 2
            if isAbove(self[mid]) { high = mid } else { low = mid + 1 }
        }
        return low
    }
}
