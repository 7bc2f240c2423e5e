public import Monitoring

/// One value a simulated field unit sent, and what the collector will store for it.
public struct SimulatedReading: Sendable, Hashable {
    /// The parameter's catalogue id.
    public var parameter: String
    /// The HJ 212-2017 factor code.
    public var code: String
    /// The stored value: the text sent (`Rtd`, or `Avg` for minute and hour data) read as HJ 212
    /// reads it, converted to the stored unit.
    public var value: Double
    /// The value as sent, in the reported unit (`Rtd` or `Avg`).
    public var text: String
    /// `Min` and `Max` as sent, for minute and hour data.
    public var minText: String?
    /// See ``minText``.
    public var maxText: String?
    /// The data flag sent.
    public var flag: DataFlag
}

/// One frame a simulated field unit sends: its bytes and what they say.
public struct SimulatedFrame: Sendable, Hashable {
    /// The station id.
    public var station: String
    /// `MN`.
    public var mn: String
    /// `QN`: 17 digits of the station's local send time; unique per station.
    public var qn: String
    /// `CN`: 2011, 2051 or 2061.
    public var cn: String
    /// The simulated instant the values are for, seconds since the epoch (UTC).
    public var instant: Int64
    /// `DataTime`: ``instant`` on the station's local clock.
    public var dataTime: CivilTime
    /// The values, in the station's parameter order.
    public var readings: [SimulatedReading]
    /// The frame: `##`, length, data segment, CRC, CR LF.
    public var bytes: [UInt8]

    /// `DataTime` as sent, `YYYYMMDDhhmmss`.
    public var dataTimeText: String {
        HJ212Encoder.timeText(dataTime)
    }
}
