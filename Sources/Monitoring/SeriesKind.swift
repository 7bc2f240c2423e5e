/// What a series holds, as its sender reported it.
///
/// HJ 212 devices upload real-time values (CN 2011) and their own minute (2051), hour (2061) and
/// day (2031) averages; each is its own series, never mixed with the others.
public enum SeriesKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// Instantaneous readings (HJ 212 `Rtd`).
    case realtime
    /// The sender's minute averages.
    case minute
    /// The sender's hour averages.
    case hour
    /// The sender's day averages.
    case day

    /// The kind a report reads hours from, of those `isStored` says are stored: the sender's
    /// hour averages when there are any, else the finest (minute, then real-time); day values
    /// cannot be made into hours, so nil when only they (or nothing) are stored.
    public static func hourlySource(where isStored: (SeriesKind) -> Bool) -> SeriesKind? {
        [SeriesKind.hour, .minute, .realtime].first(where: isStored)
    }
}

/// Identifies one time series: a station, a parameter and what kind of value it holds.
///
/// The key hashes its three parts once, when it is made, and keeps the result: the store's writer
/// looks a key up for every sample it receives (a million a second at full speed), while
/// collectors make each key once per series and reuse it.
public struct SeriesKey: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The station's id, as in sensors/.
    public let station: String
    /// The parameter's catalogue id, such as `COD` or `PM2.5`.
    public let parameter: String
    /// The kind of value.
    public let kind: SeriesKind
    /// The hash of the three parts, computed once by the process's seeded hasher.
    private let fingerprint: Int

    /// Creates a series key.
    public init(station: String, parameter: String, kind: SeriesKind) {
        self.station = station
        self.parameter = parameter
        self.kind = kind
        var hasher = Hasher()
        hasher.combine(station)
        hasher.combine(parameter)
        hasher.combine(kind)
        fingerprint = hasher.finalize()
    }

    public static func == (a: SeriesKey, b: SeriesKey) -> Bool {
        a.fingerprint == b.fingerprint && a.kind == b.kind && a.station == b.station && a.parameter == b.parameter
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(fingerprint) }

    private enum CodingKeys: String, CodingKey { case station, parameter, kind }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            station: try c.decode(String.self, forKey: .station), parameter: try c.decode(String.self, forKey: .parameter),
            kind: try c.decode(SeriesKind.self, forKey: .kind))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(station, forKey: .station)
        try c.encode(parameter, forKey: .parameter)
        try c.encode(kind, forKey: .kind)
    }

    public var description: String { "\(station)/\(parameter)/\(kind.rawValue)" }
}

/// One reading: a value of a series at an instant, with its data flag.
public struct Sample: Sendable, Hashable, Codable {
    /// The series the reading belongs to.
    public var series: SeriesKey
    /// The measurement time, in seconds since 1970-01-01T00:00:00Z.
    public var time: Int64
    /// The value, in the catalogue's canonical unit for the station's medium.
    public var value: Double
    /// The sender's data flag.
    public var flag: DataFlag

    /// Creates a sample.
    public init(series: SeriesKey, time: Int64, value: Double, flag: DataFlag = .normal) {
        self.series = series
        self.time = time
        self.value = value
        self.flag = flag
    }
}
