public import EnvmonCharts
public import Monitoring
public import Store

/// One parameter of a station over a range, reduced to a chart's columns, with its limits and
/// the periods to shade.
public struct TrendSeries: Sendable {
    /// Where the columns came from.
    public enum Source: String, Sendable, Hashable {
        /// The raw readings (a short range).
        case raw
        /// The store's hour rollups.
        case hour
        /// The store's day rollups.
        case day
        /// Aggregates by the step asked for.
        case step
    }

    /// The parameter, with its unit and its limits at this station.
    public let parameter: StationParameter
    /// The series read; `nil` when the store holds none of this parameter.
    public let key: SeriesKey?
    /// What the columns were made from.
    public let source: Source
    /// One entry per chart column; `nil` where there is no valid data.
    public let columns: [ChartColumn?]
    /// Flagged and invalid periods, joined where they touch.
    public let periods: [TrendPeriod]
    /// Readings in the range (all flags), and the valid ones among them.
    public let readings: Int
    public let validReadings: Int
    /// The latest valid value in the range, and its time.
    public let latest: (time: Int64, value: Double)?

    /// The station's limits of this parameter that have a maximum or a minimum.
    public var limits: [Limit] { parameter.limits.filter { $0.max != nil || $0.min != nil } }
}
