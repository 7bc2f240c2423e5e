/// A stretch of simulated time in which one parameter's values are multiplied, so that a station
/// crosses its limit (factor above 1) or falls below a lower one (factor below 1).
///
/// ```swift
/// // COD at the WWTP outlet three times its usual level for two hours from 10:00 Beijing time.
/// let spill = Episode(station: "qinghe-wwtp-outlet", parameter: "COD", start: 1_714_528_800, duration: 7_200, factor: 3)
/// ```
public struct Episode: Sendable, Hashable {
    /// The station id, or `nil` for every station that reports the parameter.
    public var station: String?
    /// The parameter's catalogue id (`COD`, `NH3-N`, `PM2.5`).
    public var parameter: String
    /// The first instant affected, seconds since the epoch (UTC).
    public var start: Int64
    /// How long it lasts, in seconds.
    public var duration: Int64
    /// What the values are multiplied by.
    public var factor: Double

    /// Creates an episode.
    public init(station: String?, parameter: String, start: Int64, duration: Int64, factor: Double) {
        self.station = station
        self.parameter = parameter
        self.start = start
        self.duration = duration
        self.factor = factor
    }

    /// Whether the episode covers `parameter` of `station` at `instant`.
    public func applies(station id: String, parameter: String, at instant: Int64) -> Bool {
        (station == nil || station == id) && self.parameter == parameter && instant >= start && instant < start + duration
    }
}
