public import Monitoring
public import Store

/// One rule from rules/: what to watch, when it is a problem, and how to tell people.
///
/// A rule applies to every (station, parameter) its matcher selects; each such pair is an
/// alert instance with its own state. Station-wide rules (no data, water class) have one
/// instance per station, with the parameter `*`.
public struct Rule: Sendable, Hashable {
    /// Unique across rules/; the `alertname` of its notifications.
    public var name: String
    /// What the rule checks.
    public var condition: RuleCondition
    /// Which stations and parameters it applies to.
    public var match: RuleMatcher
    /// How long the condition must hold before the alert fires, in seconds (measurement time).
    public var holdFor: Int64
    /// How long the clear condition must hold before a firing alert resolves, in seconds.
    public var clearFor: Int64
    /// How urgent its alerts are.
    public var severity: AlertSeverity
    /// Labels added to its notifications (routing, owner…).
    public var labels: [String: String]
    /// A sentence for people, added to its notifications.
    public var summary: String?
    /// Flags whose readings take no part in this rule's conditions (they still count against
    /// completeness). By default every flag but `N`.
    public var ignoredFlags: Set<DataFlag>
    /// Only series of this kind (the sender's real-time values, or its own minute, hour or day
    /// means); `nil`: readings rules take every kind, hourly and daily means the station's own
    /// (hour data for stations reporting hourly or slower, real-time values otherwise).
    public var kind: SeriesKind?
    /// Where the rule was defined, for messages: `rules/outlets.yaml:12`.
    public var origin: String

    /// Creates a rule.
    public init(
        name: String, condition: RuleCondition, match: RuleMatcher = RuleMatcher(), holdFor: Int64 = 0, clearFor: Int64 = 0,
        severity: AlertSeverity = .warning, labels: [String: String] = [:], summary: String? = nil,
        ignoredFlags: Set<DataFlag> = Rule.invalidFlags, kind: SeriesKind? = nil, origin: String = ""
    ) {
        self.kind = kind
        self.name = name
        self.condition = condition
        self.match = match
        self.holdFor = holdFor
        self.clearFor = clearFor
        self.severity = severity
        self.labels = labels
        self.summary = summary
        self.ignoredFlags = ignoredFlags
        self.origin = origin
    }

    /// Every flag but `N`: HJ 75/76 and HJ 355/356 take readings made while stopped, in
    /// maintenance, calibration or fault, over range, cut off or set by hand out of compliance.
    public static let invalidFlags: Set<DataFlag> = Set(DataFlag.allCases.filter { !$0.isValid })
}

/// Selects the stations and parameters a rule applies to. Empty lists select everything.
public struct RuleMatcher: Sendable, Hashable {
    /// Station ids.
    public var stations: Set<String>
    /// Station kinds.
    public var kinds: Set<StationKind>
    /// Labels a station must carry with exactly these values.
    public var labels: [String: String]
    /// Parameter ids (catalogue).
    public var parameters: Set<String>

    /// Creates a matcher.
    public init(stations: Set<String> = [], kinds: Set<StationKind> = [], labels: [String: String] = [:], parameters: Set<String> = []) {
        self.stations = stations
        self.kinds = kinds
        self.labels = labels
        self.parameters = parameters
    }

    /// Whether the station is selected.
    public func matches(_ station: Station) -> Bool {
        if station.retired { return false }
        if !stations.isEmpty && !stations.contains(station.id) { return false }
        if !kinds.isEmpty && !kinds.contains(station.kind) { return false }
        for (k, v) in labels where station.labels[k] != v { return false }
        return true
    }

    /// Whether the parameter is selected.
    public func matches(parameter: String) -> Bool { parameters.isEmpty || parameters.contains(parameter) }
}
