public import Monitoring

/// How the load table groups stations: each outlet or stack alone, or by the value of a station
/// label (`operator`, `district`, `basin`…).
public enum LoadGrouping: Sendable, Hashable {
    /// Each outlet or stack alone.
    case station
    /// By the value of this station label.
    case label(String)

    /// `station` (or `outlet`, `stack`), else the label's name.
    public init(parsing text: String) {
        switch text.lowercased() {
        case "station", "stations", "outlet", "stack", "source": self = .station
        default: self = .label(text)
        }
    }
}

/// What `envmon report load` (and later the API) asks for: the emission loads of outlets and
/// stacks over a period, and each yearly allowance's progress to the period's end.
public struct LoadRequest: Sendable {
    /// The first local date, inclusive; nil: 1 January of the year of ``to``.
    public var from: CivilTime?
    /// The last local date, inclusive; nil: yesterday (the last whole day). The allowances are
    /// judged on the year of this date, from 1 January through it.
    public var to: CivilTime?
    /// Station ids; empty: every outlet and stack that reports a load pollutant and its flow.
    public var stations: [String]
    /// Pollutants (catalogue ids or names); empty: all of ``LoadReport/pollutants``.
    public var pollutants: [String]
    /// How the load table groups stations.
    public var grouping: LoadGrouping

    /// Creates a request.
    public init(from: CivilTime? = nil, to: CivilTime? = nil, stations: [String] = [], pollutants: [String] = [], grouping: LoadGrouping = .station) {
        self.from = from
        self.to = to
        self.stations = stations
        self.pollutants = pollutants
        self.grouping = grouping
    }
}
