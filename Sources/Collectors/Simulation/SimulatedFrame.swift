public import Monitoring

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
