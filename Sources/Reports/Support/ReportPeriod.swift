public import Monitoring

/// The period of an evaluation report (air, water): a calendar year, a calendar month or a run of local dates
/// (both ends inclusive).
///
/// The kind decides which data-validity minimum of GB 3095 Table 4 the period's means are checked
/// against: ≥ 324 daily values a year and ≥ 27 a month (February ≥ 25) for a year; the month's own
/// minimum for a month; for a run of dates, the monthly minimum of every whole calendar month in it.
public struct ReportPeriod: Sendable, Hashable {
    /// What the period is.
    public enum Kind: String, Sendable, Hashable {
        case year, month, range
    }

    public let kind: Kind
    /// The first local date.
    public let first: CivilTime
    /// The last local date, inclusive.
    public let last: CivilTime

    /// The calendar year `year`.
    public static func year(_ year: Int) -> ReportPeriod {
        ReportPeriod(kind: .year, first: CivilTime(year: year, month: 1, day: 1), last: CivilTime(year: year, month: 12, day: 31))
    }

    /// The calendar month `month` of `year`.
    public static func month(_ year: Int, _ month: Int) -> ReportPeriod {
        ReportPeriod(
            kind: .month, first: CivilTime(year: year, month: month, day: 1),
            last: CivilTime(year: year, month: month, day: CivilTime.daysIn(month: month, year: year)))
    }

    /// The local dates `first` through `last`.
    public static func range(_ first: CivilTime, through last: CivilTime) -> ReportPeriod {
        ReportPeriod(kind: .range, first: first, last: last)
    }

    /// Parses the command line's choice: exactly one of `--year YYYY`, `--month YYYY-MM`, or `--from` and
    /// `--to` (local dates, both needed).
    ///
    /// - Throws: ``ReportsError`` naming the option that is wrong or missing.
    /// - Parameter prefix: what comes before each option's name in errors: `--` for the command
    ///   line, nothing for the API's query parameters.
    public static func parse(year: String?, month: String?, from: String?, to: String?, prefix p: String = "--") throws(ReportsError) -> ReportPeriod {
        let given = [year != nil, month != nil, from != nil || to != nil].filter { $0 }.count
        guard given == 1 else {
            throw ReportsError("give one period: \(p)year YYYY, \(p)month YYYY-MM, or \(p)from and \(p)to (local dates, both inclusive)", argument: p + "year")
        }
        if let year {
            guard year.count == 4, let y = Int(year), y >= 1970 else { throw ReportsError("\(p)year '\(year)' is not a year (e.g. 2016)", argument: p + "year") }
            return .year(y)
        }
        if let month {
            let parts = month.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let y = Int(parts[0]), let m = Int(parts[1]), (1...12).contains(m)
            else { throw ReportsError("\(p)month '\(month)' is not a month (YYYY-MM, e.g. 2016-01)", argument: p + "month") }
            return .month(y, m)
        }
        guard let from else { throw ReportsError("\(p)to needs \(p)from", argument: p + "from") }
        guard let to else { throw ReportsError("\(p)from needs \(p)to", argument: p + "to") }
        let first = try LocalDates.parse(from, option: p + "from")
        let last = try LocalDates.parse(to, option: p + "to")
        guard first <= last else { throw ReportsError("\(p)to \(last.isoDate) is before \(p)from \(first.isoDate)", argument: p + "to") }
        return .range(first, through: last)
    }

    /// `2016`, `2016-01`, or `2016-01-01/2016-03-31`.
    public var label: String {
        switch kind {
        case .year: "\(first.year)"
        case .month: String(first.isoDate.prefix(7))
        case .range: "\(first.isoDate)/\(last.isoDate)"
        }
    }

    /// The whole calendar months inside the period, as (year, month).
    var wholeMonths: [(year: Int, month: Int)] {
        var out: [(Int, Int)] = []
        var y = first.year
        var m = first.month
        while (y, m) <= (last.year, last.month) {
            let starts = (y, m) != (first.year, first.month) || first.day == 1
            let ends = (y, m) != (last.year, last.month) || last.day == CivilTime.daysIn(month: m, year: y)
            if starts && ends { out.append((y, m)) }
            (y, m) = m == 12 ? (y + 1, 1) : (y, m + 1)
        }
        return out
    }

    /// The calendar months the period touches, each clipped to the period.
    var months: [(year: Int, month: Int, first: CivilTime, last: CivilTime)] {
        var out: [(Int, Int, CivilTime, CivilTime)] = []
        var y = first.year
        var m = first.month
        while (y, m) <= (last.year, last.month) {
            let start = (y, m) == (first.year, first.month) ? first : CivilTime(year: y, month: m, day: 1)
            let end = (y, m) == (last.year, last.month) ? last : CivilTime(year: y, month: m, day: CivilTime.daysIn(month: m, year: y))
            out.append((y, m, start, end))
            (y, m) = m == 12 ? (y + 1, 1) : (y, m + 1)
        }
        return out
    }
}
