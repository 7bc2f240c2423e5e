import EnvmonHTTP
import Foundation
import Hummingbird
import Monitoring
import Reports

/// The query of a report page, `year`, `month` (`2026-03`), `from`, `to`, and what a missing one
/// defaults to: the year or month of yesterday (the last whole day) in the bureau's zone.
struct ReportQuery {
    var values: [String: String] = [:]

    init(values: [String: String] = [:]) { self.values = values }

    init(_ request: Request) {
        for (k, v) in request.uri.queryParameters where !v.isEmpty { values[String(k)] = String(v) }
    }

    subscript(_ name: String) -> String? { values[name] }

    /// The period asked for, or the year (`defaultMonth`: the month) of the day before `now`.
    func period(now: Int64, zone: TimeZone, defaultMonth: Bool = false) throws(ReportsError) -> ReportPeriod {
        if values["year"] == nil && values["month"] == nil && values["from"] == nil && values["to"] == nil {
            // The year (or month) of yesterday, the last whole day: on 1 January the page shows
            // the year just ended, not a new one with nothing in it yet (as `report load` ends
            // yesterday, and the scorecard page falls back to the year just ended).
            let yesterday = ZoneCalendar(zone).civil(at: now - 86_400)
            return defaultMonth ? .month(yesterday.year, yesterday.month) : .year(yesterday.year)
        }
        return try ReportPeriod.parse(year: values["year"], month: values["month"], from: values["from"], to: values["to"], prefix: "")
    }

    /// `?year=2026&…` of the names given that the request has.
    func string(_ names: [String]) -> String {
        let pairs = names.compactMap { n in values[n].map { "\(n)=\(PageText.queryValue($0))" } }
        return pairs.isEmpty ? "" : "?" + pairs.joined(separator: "&")
    }
}
