/// A frame whose time no working clock gives: further behind the receiver's clock than any
/// backfill reaches, further ahead than clocks drift, or not a date at all (month 13, hour 25).
///
/// Field units whose clock was reset send such times: 1970-01-01 (a Unix epoch), 2000-01-01 (an
/// RTC's reset value), 1900 or 0001 (a zeroed date). Their readings cannot be placed in time, so
/// the collector refuses them and reports each frame as a fault of the station's clock; the rule
/// engine's `clock` kind turns a run of them into an alert for the station.
public struct StationClockFault: Sendable, Hashable, CustomStringConvertible {
    /// What is wrong with the time.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Older than the receiver's horizon for late data (`max_past`).
        case behind
        /// Further ahead of the receiver's clock than it allows (`max_future`).
        case ahead
        /// Not a date and time at all.
        case invalid

        /// What such times are, for a count of them: `DataTimes too far behind the collector's clock`.
        public var plural: String {
            switch self {
            case .behind: "DataTimes too far behind the collector's clock"
            case .ahead: "DataTimes too far ahead of the collector's clock"
            case .invalid: "DataTimes that are not valid dates"
            }
        }
    }

    /// The station.
    public var station: String
    /// What is wrong.
    public var kind: Kind
    /// The time as sent, verbatim (HJ 212 `DataTime`, `YYYYMMDDhhmmss`).
    public var sent: String
    /// Seconds the time lies behind the receiver's clock (negative: ahead), when it is a date.
    public var offset: Int64?
    /// The limit it broke, in seconds (`max_past` or `max_future`), when it is a date.
    public var limit: Int64?
    /// When the frame was received, seconds since the epoch (the receiver's clock).
    public var receivedAt: Int64

    /// Creates a fault.
    public init(station: String, kind: Kind, sent: String, offset: Int64? = nil, limit: Int64? = nil, receivedAt: Int64) {
        self.station = station
        self.kind = kind
        self.sent = sent
        self.offset = offset
        self.limit = limit
        self.receivedAt = receivedAt
    }

    /// A sentence for logs and alerts, naming the time sent and the setting it broke:
    /// `DataTime 19700101080000 is 20428 days behind the collector's clock (max_past 400 days)`.
    public var description: String {
        switch kind {
        case .invalid:
            return "DataTime '\(sent)' is not a valid date and time (YYYYMMDDhhmmss)"
        case .behind:
            return "DataTime \(sent) is \(Self.span(offset ?? 0)) behind the collector's clock (max_past \(Self.span(limit ?? 0)))"
        case .ahead:
            return "DataTime \(sent) is \(Self.span(-(offset ?? 0))) ahead of the collector's clock (max_future \(Self.span(limit ?? 0)))"
        }
    }

    /// `20428 days`, `5 hours`, `90 minutes`, `40 seconds`: the largest unit that keeps two digits of sense.
    static func span(_ seconds: Int64) -> String {
        let s = Swift.max(0, seconds)
        if s >= 2 * 86_400 { return "\(s / 86_400) days" }
        if s >= 2 * 3_600 { return "\(s / 3_600) hours" }
        if s >= 120 { return "\(s / 60) minutes" }
        return "\(s) seconds"
    }
}
