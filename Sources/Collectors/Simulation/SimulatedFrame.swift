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

/// A frame as a simulated unit keeps it until its reply: its `QN`, its bytes (to send again)
/// and its flag; the whole ``SimulatedFrame`` only when the caller needs its readings.
public struct SentFrame: Sendable {
    /// `QN`.
    public var qn: String
    /// The simulated instant the values are for.
    public var instant: Int64
    /// The data flag of its values.
    public var flag: DataFlag
    /// The frame's bytes.
    public var bytes: [UInt8]
    /// The frame with its readings, when it was made whole (``init(_:)``).
    public var frame: SimulatedFrame?

    /// A frame made without its readings (``StationSimulator/nextRealtimeFrame(sentAt:)``).
    public init(qn: String, instant: Int64, flag: DataFlag, bytes: [UInt8]) {
        self.qn = qn
        self.instant = instant
        self.flag = flag
        self.bytes = bytes
    }

    /// A whole frame, kept with its readings.
    public init(_ frame: SimulatedFrame) {
        self.init(qn: frame.qn, instant: frame.instant, flag: frame.readings.first?.flag ?? .normal, bytes: frame.bytes)
        self.frame = frame
    }
}
