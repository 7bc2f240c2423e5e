public import Foundation

/// The time formats messages use, from epoch seconds, without locale surprises.
public enum Timestamp {
    /// RFC 3339 in UTC with `Z`: `2024-05-01T08:00:00Z`.
    public static func rfc3339(_ seconds: Int64) -> String {
        let c = civil(seconds)
        return "\(pad(c.year, 4))-\(pad(c.month))-\(pad(c.day))T\(pad(c.hour)):\(pad(c.minute)):\(pad(c.second))Z"
    }

    /// Alertmanager's zero time, the `endsAt` of a firing alert.
    public static let zero = "0001-01-01T00:00:00Z"

    /// RFC 5322 date-time in UTC, for `Date:`: `Wed, 01 May 2024 08:00:00 +0000`.
    public static func rfc5322(_ seconds: Int64) -> String {
        let c = civil(seconds)
        let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]  // 1970-01-01 was a Thursday
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let day = Int(floorDiv(seconds, 86_400))
        let weekday = weekdays[((day % 7) + 7) % 7]
        return "\(weekday), \(pad(c.day)) \(months[c.month - 1]) \(pad(c.year, 4)) \(pad(c.hour)):\(pad(c.minute)):\(pad(c.second)) +0000"
    }

    /// Local wall time in `zone` to the minute: `2024-05-01 16:00`.
    public static func local(_ seconds: Int64, in zone: TimeZone) -> String {
        let offset = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds))))
        let c = civil(seconds + offset)
        return "\(pad(c.year, 4))-\(pad(c.month))-\(pad(c.day)) \(pad(c.hour)):\(pad(c.minute))"
    }

    /// A zone's offset as `UTC+8`, `UTC+5:30`, `UTC`.
    public static func offsetName(_ seconds: Int64, in zone: TimeZone) -> String {
        let offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds)))
        if offset == 0 { return "UTC" }
        let sign = offset < 0 ? "-" : "+"
        let h = abs(offset) / 3600, m = abs(offset) % 3600 / 60
        return "UTC\(sign)\(h)" + (m == 0 ? "" : ":\(pad(m))")
    }

    struct Civil { var year, month, day, hour, minute, second: Int }

    /// Proleptic Gregorian date and time of `seconds` since the epoch (H. Hinnant's days-to-civil).
    static func civil(_ seconds: Int64) -> Civil {
        let days = floorDiv(seconds, 86_400)
        let rest = Int(seconds - days * 86_400)
        let z = days + 719_468
        let era = floorDiv(z, 146_097)
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = Int(doy - (153 * mp + 2) / 5 + 1)
        let month = Int(mp < 10 ? mp + 3 : mp - 9)
        let year = Int(yoe + era * 400) + (month <= 2 ? 1 : 0)
        return Civil(year: year, month: month, day: day, hour: rest / 3600, minute: rest % 3600 / 60, second: rest % 60)
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : (a - b + 1) / b }

    static func pad(_ n: Int, _ width: Int = 2) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
