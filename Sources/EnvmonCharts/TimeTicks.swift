public import Foundation

/// The ticks of a time axis in the station's local time, spaced by the range shown: hours for a
/// day, days for a week, weeks for a month, months for a year, years beyond.
public struct TimeTicks: Sendable, Hashable {
    /// The spacing of the ticks.
    public enum Spacing: String, Sendable, Hashable {
        case threeHours, sixHours, day, week, month, year
    }

    /// One tick: its instant and its label (`06:00`, `03-14`, `2026-03`, `2026`).
    public struct Tick: Sendable, Hashable {
        /// UTC seconds.
        public var time: Int64
        /// The label in local time.
        public var label: String
    }

    /// The spacing chosen.
    public let spacing: Spacing
    /// The ticks inside `[from, to)`, ascending.
    public let ticks: [Tick]

    /// The ticks of `[from, to)` in `timeZone`.
    public init(from: Int64, to: Int64, timeZone: TimeZone) {
        let span = to - from
        let day: Int64 = 86_400
        spacing =
            switch span {
            case ...(36 * 3_600): .threeHours
            case ...(4 * day): .sixHours
            case ...(16 * day): .day
            case ...(95 * day): .week
            case ...(800 * day): .month
            default: .year
            }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        calendar.firstWeekday = 2  // Monday, as in China and ISO 8601
        let start = Date(timeIntervalSince1970: TimeInterval(from))
        let unitStart: Date
        let step: DateComponents
        switch spacing {
        case .threeHours, .sixHours:
            let hours = spacing == .threeHours ? 3 : 6
            let c = calendar.dateComponents([.year, .month, .day, .hour], from: start)
            var d = c
            d.hour = (c.hour ?? 0) / hours * hours
            unitStart = calendar.date(from: d) ?? start
            step = DateComponents(hour: hours)
        case .day:
            unitStart = calendar.startOfDay(for: start)
            step = DateComponents(day: 1)
        case .week:
            unitStart = calendar.dateInterval(of: .weekOfYear, for: start)?.start ?? calendar.startOfDay(for: start)
            step = DateComponents(day: 7)
        case .month:
            unitStart = calendar.dateInterval(of: .month, for: start)?.start ?? start
            step = DateComponents(month: 1)
        case .year:
            unitStart = calendar.dateInterval(of: .year, for: start)?.start ?? start
            step = DateComponents(year: 1)
        }
        var ticks: [Tick] = []
        var i = 0
        while ticks.count < 60 {
            guard let d = calendar.date(byAdding: step.scaled(i), to: unitStart) else { break }
            let t = Int64(d.timeIntervalSince1970.rounded())
            if t >= to { break }
            if t >= from { ticks.append(Tick(time: t, label: TimeTicks.label(d, spacing, calendar, first: ticks.isEmpty))) }
            i += 1
        }
        self.ticks = ticks
    }

    private static func label(_ d: Date, _ spacing: Spacing, _ calendar: Calendar, first: Bool) -> String {
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: d)
        func two(_ n: Int?) -> String { (n ?? 0) < 10 ? "0\(n ?? 0)" : "\(n ?? 0)" }
        switch spacing {
        case .threeHours, .sixHours:
            return c.hour == 0 ? "\(two(c.month))-\(two(c.day))" : "\(two(c.hour)):\(two(c.minute))"
        case .day, .week: return "\(two(c.month))-\(two(c.day))"
        case .month: return c.month == 1 || first ? "\(c.year ?? 0)-\(two(c.month))" : two(c.month)
        case .year: return "\(c.year ?? 0)"
        }
    }
}

extension DateComponents {
    fileprivate func scaled(_ n: Int) -> DateComponents {
        DateComponents(year: year.map { $0 * n }, month: month.map { $0 * n }, day: day.map { $0 * n }, hour: hour.map { $0 * n })
    }
}
