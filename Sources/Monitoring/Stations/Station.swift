public import Foundation

/// A monitoring station: where readings come from, how often, and what limits apply there.
public struct Station: Sendable, Hashable, Identifiable {
    /// A stable id used everywhere else (`--station`, rules, the store), such as `paper-mill-outlet`.
    public var id: String
    /// The name people use for it.
    public var name: String
    /// What the station watches.
    public var kind: StationKind
    /// The HJ 212 device id (MN) of its field unit, when it reports over HJ 212.
    public var mn: String?
    /// The HJ 212 access password (PW) the field unit must send.
    public var password: String?
    /// The station's time zone: HJ 212 DataTime is in it, and its days and reports follow it.
    public var timeZone: TimeZone
    /// How often the station is expected to report a value of each parameter, in seconds.
    public var expectedInterval: Int
    /// The parameters it reports, with their per-station limits.
    public var parameters: [StationParameter]
    /// Free labels for rule matchers and routing (operator, basin, district…).
    public var labels: [String: String]
    /// A retired station keeps its history but is never expected to report again.
    public var retired: Bool
    /// Where it stands, when sensors/ says (the dashboard's map).
    public var location: GeoLocation?

    /// Creates a station.
    public init(
        id: String, name: String, kind: StationKind, mn: String? = nil, password: String? = nil,
        timeZone: TimeZone, expectedInterval: Int, parameters: [StationParameter],
        labels: [String: String] = [:], retired: Bool = false, location: GeoLocation? = nil
    ) {
        self.id = id
        self.name = name
        self.kind = kind
        self.mn = mn
        self.password = password
        self.timeZone = timeZone
        self.expectedInterval = expectedInterval
        self.parameters = parameters
        self.labels = labels
        self.retired = retired
        self.location = location
    }

    /// The station's entry for a parameter, by catalogue id.
    public func parameter(_ id: String) -> StationParameter? {
        parameters.first { $0.parameter.id == id }
    }
}

/// A parameter as one station reports it.
public struct StationParameter: Sendable, Hashable {
    /// The catalogue entry.
    public var parameter: Parameter
    /// The unit the station's instrument sends; values are converted to the catalogue unit on ingest.
    public var reportedUnit: MeasurementUnit
    /// The unit stored values are in: the catalogue's unit for the station's medium.
    public var unit: MeasurementUnit
    /// The plausible instrument range, in ``unit``.
    public var range: ClosedRange<Double>
    /// The station's limits for this parameter, in ``unit`` (a permit's discharge limit, a target class…).
    public var limits: [Limit]

    /// Creates a station parameter.
    public init(
        parameter: Parameter, reportedUnit: MeasurementUnit, unit: MeasurementUnit, range: ClosedRange<Double>,
        limits: [Limit] = []
    ) {
        self.parameter = parameter
        self.reportedUnit = reportedUnit
        self.unit = unit
        self.range = range
        self.limits = limits
    }
}

/// A limit on a parameter at one station.
public struct Limit: Sendable, Hashable, Codable {
    /// What the limit applies to: a single reading, an hour's average or a day's average.
    public enum Basis: String, Sendable, Hashable, Codable, CaseIterable {
        case reading, hour, day
    }

    /// The averaging basis.
    public var basis: Basis
    /// Values above this exceed the limit.
    public var max: Double?
    /// Values below this exceed the limit (pH, dissolved oxygen).
    public var min: Double?
    /// Where the limit comes from, such as `GB 18918-2002 grade 1A` or a permit number.
    public var source: String?

    /// Creates a limit.
    public init(basis: Basis, max: Double? = nil, min: Double? = nil, source: String? = nil) {
        self.basis = basis
        self.max = max
        self.min = min
        self.source = source
    }
}

extension Limit {
    /// The limit as an operator reads it, after the parameter's name: `≤90` for a maximum, `≥5`
    /// for a minimum (dissolved oxygen), ` 6–9` for a range (pH), each with its basis when it is
    /// not a single reading: `COD≤50/day`, `DO≥5/day`, `pH 6–9`.
    public func summary(of parameter: String) -> String {
        let number = FixedPoint.plain
        let basisText = basis == .reading ? "" : "/" + basis.rawValue
        switch (min, max) {
        case (let lo?, let hi?): return "\(parameter) \(number(lo))–\(number(hi))\(basisText)"
        case (let lo?, nil): return "\(parameter)≥\(number(lo))\(basisText)"
        case (nil, let hi?): return "\(parameter)≤\(number(hi))\(basisText)"
        case (nil, nil): return parameter
        }
    }
}

extension SeriesKind {
    /// The interval readings of this kind come at from a station: its reporting interval for
    /// real-time values, the period for the sender's own minute, hour and day averages.
    public func interval(at station: Station) -> Int64 {
        switch self {
        case .realtime: Int64(max(1, station.expectedInterval))
        case .minute: 60
        case .hour: 3_600
        case .day: 86_400
        }
    }
}
