public import Foundation
import Monitoring

/// Local dates of the register's zone (default Asia/Shanghai): deadlines, note dates, "as of".
public struct CaseDates: Sendable, Hashable {
    /// The zone.
    public let zone: TimeZone

    /// The register's dates in `zone`.
    public init(zone: TimeZone = TimeZone(identifier: "Asia/Shanghai")!) { self.zone = zone }

    /// The first instant of the local date `YYYY-MM-DD` (which must be valid).
    public func start(of date: String) -> Int64 {
        let parts = date.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return 0 }
        return ZoneCalendar(zone).firstInstant(ofLocal: CivilTime(year: parts[0], month: parts[1], day: parts[2]).secondsIfUTC)
    }

    /// The first instant after the local date: "as of" a date includes the whole day.
    public func end(of date: String) -> Int64 {
        let calendar = ZoneCalendar(zone)
        return calendar.day(containing: start(of: date)).upperBound
    }

    /// The local date of an instant.
    public func date(of t: Int64) -> String { ZoneCalendar(zone).civil(at: t).isoDate }

    /// The local date and time of an instant, `YYYY-MM-DD HH:MM`.
    public func dateTime(of t: Int64) -> String {
        let c = ZoneCalendar(zone).civil(at: t)
        return c.isoDate + " " + String(format: "%02d:%02d", c.hour, c.minute)
    }
}
