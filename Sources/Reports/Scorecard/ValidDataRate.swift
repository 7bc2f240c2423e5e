public import Monitoring
public import Store

/// The valid-data rate (数据有效率) of automatic stations: valid readings over the readings their
/// reporting intervals expect, over every parameter they are configured to report. A series
/// that sent nothing counts fully as missing; flagged readings (maintenance, fault…) are not valid.
/// Each station is counted from its first reading in the period (its commissioning), or over the
/// whole period when it sent nothing.
public struct ValidDataRate: Sendable, Hashable {
    public var validReadings: Int
    public var expectedReadings: Int
    public var stations: Int
    public var series: Int

    /// Percent, or nil when nothing was expected.
    public var percent: Double? { expectedReadings > 0 ? 100 * Double(validReadings) / Double(expectedReadings) : nil }

    /// Counts over `range` (UTC instants) for `stations`, from the day rollups of each series.
    public static func measure(_ stations: [Station], range: Range<Int64>, store: any MonitoringStore) async throws -> ValidDataRate {
        var rate = ValidDataRate(validReadings: 0, expectedReadings: 0, stations: stations.count, series: 0)
        for station in stations {
            let stored = try await store.storedSeries(ofStation: station.id).map(\.key)
            // A station counts from its first reading (commissioned within the period): a year's
            // rate of one installed in November is of its weeks, not of the whole year. One that
            // never sent anything counts over the whole period.
            var first: Int64?
            for key in stored where station.parameter(key.parameter) != nil {
                if let t = try await store.oldestTime(of: key) { first = min(first ?? t, t) }
            }
            let start = max(range.lowerBound, first.map { $0 - (($0 % 3_600) + 3_600) % 3_600 } ?? range.lowerBound)
            let range = start < range.upperBound ? start..<range.upperBound : range.upperBound..<range.upperBound
            for sp in station.parameters {
                // The kind the station sends most of: hour data if stored, else the finest stored.
                let kinds = Set(stored.filter { $0.parameter == sp.parameter.id }.map(\.kind))
                let kind = SeriesKind.hourlySource(where: kinds.contains) ?? .realtime
                let interval = max(1, kind.interval(at: station))
                let expected = Int((range.upperBound - range.lowerBound) / interval)
                rate.series += 1
                rate.expectedReadings += expected
                guard kinds.contains(kind) else { continue }
                let rows = try await store.aggregate(
                    AggregateQuery(series: SeriesKey(station: station.id, parameter: sp.parameter.id, kind: kind), range: range, step: 86_400, function: .count))
                // A unit that sends more often than declared is not more than complete.
                rate.validReadings += min(expected, rows.reduce(0) { $0 + $1.validCount })
            }
        }
        return rate
    }
}
