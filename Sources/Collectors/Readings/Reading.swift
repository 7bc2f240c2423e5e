public import Monitoring

/// One reading as a sender outside HJ 212 names it (line protocol, JSON, MQTT, an import through
/// the daemon): a station and a parameter by name, a time in UTC, a value in the station's
/// reported unit and a data flag. ``ReadingIngest`` checks it and turns it into a ``Sample``.
public struct Reading: Sendable, Hashable {
    /// The station's id.
    public var station: String
    /// The parameter: a catalogue id or alias (`COD`, `NH3-N`, `PM2.5`) or an HJ 212 code (`w01018`).
    public var parameter: String
    /// What the sender reported: a real-time value (the default) or its own minute, hour or day average.
    public var kind: SeriesKind
    /// Seconds since 1970-01-01T00:00:00Z.
    public var time: Int64
    /// The value in the station's reported unit; not finite (NaN) when the sender's value is not a
    /// number (a string or boolean field): refused as `not_a_number`.
    public var value: Double
    /// The sender's data flag (`N` when it gives none).
    public var flag: DataFlag
    /// The unit of ``value`` when it is not the station's reported unit (an import through the
    /// daemon sends values already in the stored unit); nil for the reported unit.
    public var unit: MeasurementUnit?

    /// Creates a reading.
    public init(
        station: String, parameter: String, kind: SeriesKind = .realtime, time: Int64, value: Double, flag: DataFlag = .normal,
        unit: MeasurementUnit? = nil
    ) {
        self.station = station
        self.parameter = parameter
        self.kind = kind
        self.time = time
        self.value = value
        self.flag = flag
        self.unit = unit
    }
}
