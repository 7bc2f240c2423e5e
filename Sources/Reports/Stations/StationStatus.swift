/// Whether a station reports as it should, from its expected interval and its last reading:
/// online while the last reading is at most two intervals old (one report may be a little late),
/// late up to six intervals, offline after that or when it has never reported.
///
/// ```swift
/// StationStatus(lastReading: now - 90, interval: 60, now: now)   // .online
/// ```
public enum StationStatus: String, Sendable, Hashable, CaseIterable {
    case online, late, offline

    /// Intervals a reading may be old and the station still online.
    public static let onlineIntervals: Int64 = 2
    /// Intervals a reading may be old and the station late rather than offline.
    public static let lateIntervals: Int64 = 6

    /// The status at `now` of a station that reports every `interval` seconds and last did at
    /// `lastReading` (the measurement time; `nil`: never).
    public init(lastReading: Int64?, interval: Int, now: Int64) {
        guard let lastReading else {
            self = .offline
            return
        }
        let age = now - lastReading
        let interval = Int64(max(1, interval))
        self = age <= Self.onlineIntervals * interval ? .online : age <= Self.lateIntervals * interval ? .late : .offline
    }
}
