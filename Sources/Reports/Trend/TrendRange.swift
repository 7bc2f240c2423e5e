public import Foundation
public import Monitoring

/// The time a station page shows: the last day, week, month or year up to now, or a custom
/// `from`/`to` (local dates, ISO 8601 times or `now-7d`, as `envmon query` takes them).
public enum TrendRange: Sendable, Hashable {
    case day, week, month, year
    /// From and to as ``LocalDates/bound(_:option:in:isEnd:now:)`` reads them; a missing end is now.
    case custom(from: String?, to: String?)

    /// The preset named `day`, `week`, `month` or `year`; `nil` for anything else.
    public init?(preset: String) {
        switch preset {
        case "day": self = .day
        case "week": self = .week
        case "month": self = .month
        case "year": self = .year
        default: return nil
        }
    }

    /// The preset's name, or `custom`.
    public var name: String {
        switch self {
        case .day: "day"
        case .week: "week"
        case .month: "month"
        case .year: "year"
        case .custom: "custom"
        }
    }

    /// The instants `[from, to)` at `now` in the station's zone: a preset ends at the next whole
    /// minute after `now` and reaches back 1, 7, 30 or 365 days.
    /// - Throws: ``ReportsError`` naming `from` or `to` when a custom end cannot be read or they are out of order.
    public func resolve(now: Int64, timeZone: TimeZone) throws(ReportsError) -> Range<Int64> {
        let end = (now / 60 + 1) * 60
        let days: Int64
        switch self {
        case .day: days = 1
        case .week: days = 7
        case .month: days = 30
        case .year: days = 365
        case .custom(let from, let to):
            let calendar = ZoneCalendar(timeZone)
            let upper = try to.map { text throws(ReportsError) in try LocalDates.bound(text, option: "to", in: calendar, isEnd: true, now: now) } ?? end
            let lower =
                try from.map { text throws(ReportsError) in try LocalDates.bound(text, option: "from", in: calendar, isEnd: false, now: now) }
                ?? upper - 7 * 86_400
            guard lower < upper else { throw ReportsError("from must be before to", argument: "from") }
            // A chart of more than ten years is not a trend any more.
            guard upper - lower <= 10 * 366 * 86_400 else { throw ReportsError("from … to spans more than ten years", argument: "from") }
            return lower..<upper
        }
        return (end - days * 86_400)..<end
    }
}
