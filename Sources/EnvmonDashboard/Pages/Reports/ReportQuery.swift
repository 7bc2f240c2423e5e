import EnvmonHTTP
import Foundation
import Hummingbird
import Monitoring
import Reports

/// The query of a report page, `year`, `month` (`2026-03`), `from`, `to`, and what a missing one
/// defaults to: this year or this month in the bureau's zone.
struct ReportQuery {
    var values: [String: String] = [:]

    init(_ request: Request) {
        for (k, v) in request.uri.queryParameters where !v.isEmpty { values[String(k)] = String(v) }
    }

    subscript(_ name: String) -> String? { values[name] }

    /// The period asked for, or this year (`defaultMonth`: this month) at `now`.
    func period(now: Int64, zone: TimeZone, defaultMonth: Bool = false) throws(ReportsError) -> ReportPeriod {
        if values["year"] == nil && values["month"] == nil && values["from"] == nil && values["to"] == nil {
            let today = ZoneCalendar(zone).civil(at: now)
            return defaultMonth ? .month(today.year, today.month) : .year(today.year)
        }
        return try ReportPeriod.parse(year: values["year"], month: values["month"], from: values["from"], to: values["to"], prefix: "")
    }

    /// `?year=2026&…` of the names given that the request has.
    func string(_ names: [String]) -> String {
        let pairs = names.compactMap { n in values[n].map { "\(n)=\(PageText.queryValue($0))" } }
        return pairs.isEmpty ? "" : "?" + pairs.joined(separator: "&")
    }
}
