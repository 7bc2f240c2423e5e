public import Monitoring
public import Store

/// What a ``SeriesQuery`` read: the station and parameter as resolved, the series, the range read
/// and its rows.
public struct SeriesQueryResult: Sendable {
    /// The rows: raw readings, or aggregates by step.
    public enum Rows: Sendable {
        /// Raw readings, in time order.
        case raw([StoredSample])
        /// One row a bucket; `step` as it was asked (`1h`).
        case aggregates([AggregateRow], step: String, aggregation: Aggregation)
    }

    /// The station (for a station that left sensors/, described by what the store holds; `retired`).
    public var station: Station
    /// The parameter, with the unit the values are in.
    public var parameter: StationParameter
    /// The series read.
    public var key: SeriesKey
    /// The range read (an end not given: where the data ends, widened to whole buckets).
    public var range: Range<Int64>
    /// The rows.
    public var rows: Rows

    /// A result.
    public init(station: Station, parameter: StationParameter, key: SeriesKey, range: Range<Int64>, rows: Rows) {
        self.station = station
        self.parameter = parameter
        self.key = key
        self.range = range
        self.rows = rows
    }
}
