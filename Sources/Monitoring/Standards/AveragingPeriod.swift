/// The averaging period of a concentration, as standards name them.
///
/// The raw values are what the command line accepts after the colon: `PM2.5:24h`, `O3:8h`.
public enum AveragingPeriod: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// A 1-hour average.
    case hour = "1h"
    /// An 8-hour moving average; for ozone limits and the daily AQI, the day's maximum of them (MDA8).
    case eightHours = "8h"
    /// A 24-hour (daily) average.
    case day = "24h"
    /// A calendar-quarter average (lead).
    case quarter = "quarter"
    /// A calendar-year average.
    case year = "year"

    /// Parses a period as people write it: `1h`, `8h`, `24h` (or `1d`, `day`), `quarter`, `year` (or `annual`).
    public init?(parsing text: some StringProtocol) {
        switch text.lowercased() {
        case "1h", "1-h", "hour", "hourly": self = .hour
        case "8h", "8-h": self = .eightHours
        case "24h", "24-h", "1d", "day", "daily": self = .day
        case "quarter", "quarterly": self = .quarter
        case "year", "annual", "yearly": self = .year
        default: return nil
        }
    }

    public var description: String { rawValue }
}
