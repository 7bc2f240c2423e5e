/// Identifies an alert instance: one rule applied to one station's parameter. Station-wide
/// rules (no data, water class) use the parameter `*`.
public struct AlertKey: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The rule's name, unique across rules/.
    public var rule: String
    /// The station's id.
    public var station: String
    /// The parameter's catalogue id, or `*` for a station-wide rule.
    public var parameter: String

    /// Creates a key.
    public init(rule: String, station: String, parameter: String) {
        self.rule = rule
        self.station = station
        self.parameter = parameter
    }

    public var description: String { "\(rule){station=\(station),parameter=\(parameter)}" }
}

/// The persisted state of one alert instance: enough to carry its timers across a restart.
///
/// Times are measurement times (UTC seconds) of the readings that moved the state, except for
/// the no-data deadman, whose times are evaluation times.
public struct AlertInstance: Sendable, Hashable, Codable {
    /// Which instance.
    public var key: AlertKey
    /// Its state.
    public var state: AlertState
    /// When it entered ``state``.
    public var since: Int64
    /// When the condition started to hold, for `for` durations (pending and firing).
    public var pendingSince: Int64?
    /// When the clear condition started to hold while firing, for `clear_for` durations.
    public var clearingSince: Int64?
    /// The last value that moved or confirmed the state.
    public var value: Double?
    /// The worst value of the current episode.
    public var peak: Double?
    /// The latest measurement time evaluated: older observations do not move the state.
    public var lastObserved: Int64?
    /// Transitions so far; with the key it makes each notification's idempotency key.
    public var sequence: Int
    /// The open episode's id in the history, while active.
    public var episode: Int64?

    /// Creates an instance record.
    public init(
        key: AlertKey, state: AlertState = .inactive, since: Int64 = 0, pendingSince: Int64? = nil,
        clearingSince: Int64? = nil, value: Double? = nil, peak: Double? = nil, lastObserved: Int64? = nil,
        sequence: Int = 0, episode: Int64? = nil
    ) {
        self.key = key
        self.state = state
        self.since = since
        self.pendingSince = pendingSince
        self.clearingSince = clearingSince
        self.value = value
        self.peak = peak
        self.lastObserved = lastObserved
        self.sequence = sequence
        self.episode = episode
    }
}
