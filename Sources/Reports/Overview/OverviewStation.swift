public import Monitoring
public import Store

/// One station in the overview: its status, the newest value of each parameter coloured against
/// its limit, and its active alerts.
public struct OverviewStation: Sendable {
    public var station: Station
    /// Online, late or offline at the overview's time.
    public var status: StationStatus
    /// The measurement time of its newest reading of any parameter; `nil`: none stored.
    public var lastReading: Int64?
    /// Every parameter of the station, in its order, with its newest value if any.
    public var values: [OverviewValue]
    /// Its active alerts, oldest first.
    public var alerts: [OverviewAlert]

    /// The worst class among its values (`nodata` when it has no value).
    public var worst: ValueClass { values.lazy.map(\.valueClass).max() ?? .nodata }

    /// How the map colours it: `offline` when offline (its values are old), else its worst class.
    public var mapClass: String { status == .offline ? "offline" : worst.rawValue }

    public init(station: Station, status: StationStatus, lastReading: Int64?, values: [OverviewValue], alerts: [OverviewAlert]) {
        self.station = station
        self.status = status
        self.lastReading = lastReading
        self.values = values
        self.alerts = alerts
    }
}
