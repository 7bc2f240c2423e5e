import Foundation
public import Monitoring

/// Renders an ``ExceedanceDaysReport`` as a table with its summary, as JSON, or as CSV (days only).
public struct ExceedanceDaysOutput: Sendable {
    public let station: Station
    public let parameter: String
    public let kind: SeriesKind
    public let grade: AmbientGrade
    public let report: ExceedanceDaysReport

    public func render(_ format: ReportFormat) -> String {
        switch format {
        case .text: text()
        case .json: json().rendered + "\n"
        case .csv: csv()
        }
    }

    private var unit: String { report.days.first?.compliance.limit.unit ?? "" }

    /// The valid hours a daily mean of the pollutant needs.
    private var minimumHours: Int {
        AmbientValidity.filterSampledPollutants.contains(parameter) ? 24 : AmbientValidity.minimumHoursPerDay
    }

    private func text() -> String {
        var lines = [
            "\(station.name) (\(station.id)) · \(parameter) daily means vs the GB 3095 grade \(grade.rawValue) 24-h limit [\(unit)] · "
                + "\(kind.rawValue) series · \(station.timeZone.identifier)",
            pad("date", 12) + pad("valid h", 9) + pad("mean", 10) + pad("limit", 8) + pad("edition", 26) + "verdict",
        ]
        for day in report.days {
            let c = day.compliance
            lines.append(
                pad(day.date.isoDate, 12) + pad("\(c.validHours)", 9) + pad(c.mean.map(LocalDates.display) ?? "—", 10)
                    + pad("\(c.limit.limit)", 8) + pad(c.edition?.rawValue ?? "", 26) + day.verdictText)
        }
        if let first = report.days.first, let last = report.days.last {
            lines.append("")
            lines.append("\(first.date.isoDate) … \(last.date.isoDate): \(summary(report.total))")
            if report.years.count > 1 {
                for (year, tally) in report.years { lines.append("  \(year): \(summary(tally))") }
            }
            lines.append("(a no-data day has fewer than \(minimumHours) valid hours; the rate is of valid days)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func summary(_ t: ExceedanceDaysReport.Tally) -> String {
        let rate = t.validDays > 0 ? String(format: " (%.1f %%)", 100 * Double(t.exceedanceDays) / Double(t.validDays)) : ""
        let today = t.inProgressDays > 0 ? ", today in progress (not counted)" : ""
        return "exceedance days \(t.exceedanceDays) of \(t.validDays) valid\(rate), no-data days \(t.noDataDays), days \(t.days)\(today)"
    }

    private func json() -> JSONText {
        let days = report.days.map { day -> JSONText in
            let c = day.compliance
            return .object([
                ("date", .string(day.date.isoDate)), ("validHours", .number("\(c.validHours)")),
                ("mean", c.mean.map { .number("\($0)") } ?? .null), ("limit", .number("\(c.limit.limit)")),
                ("edition", c.edition.map { .string($0.rawValue) } ?? .null), ("verdict", .string(day.verdictText)),
            ])
        }
        func tally(_ t: ExceedanceDaysReport.Tally) -> [(String, JSONText)] {
            [
                ("days", .number("\(t.days)")), ("exceedanceDays", .number("\(t.exceedanceDays)")),
                ("validDays", .number("\(t.validDays)")), ("noDataDays", .number("\(t.noDataDays)")),
                ("inProgressDays", .number("\(t.inProgressDays)")),
            ]
        }
        let years = report.years.map { JSONText.object([("year", .number("\($0.year)"))] + tally($0.tally)) }
        return .object([
            ("station", .string(station.id)), ("parameter", .string(parameter)), ("unit", .string(unit)), ("kind", .string(kind.rawValue)),
            ("grade", .number("\(grade.rawValue)")), ("timeZone", .string(station.timeZone.identifier)),
            ("from", report.days.first.map { .string($0.date.isoDate) } ?? .null),
            ("to", report.days.last.map { .string($0.date.isoDate) } ?? .null),
            ("days", .array(days)),
            ("summary", .object(tally(report.total) + [("years", .array(years))])),
        ])
    }

    private func csv() -> String {
        var out = "date,valid_hours,mean,limit,edition,verdict\n"
        for day in report.days {
            let c = day.compliance
            let fields = [
                day.date.isoDate, "\(c.validHours)", c.mean.map { "\($0)" } ?? "", "\(c.limit.limit)", c.edition?.rawValue ?? "", day.verdictText,
            ]
            out += fields.joined(separator: ",") + "\n"
        }
        return out
    }

    private func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
    }
}
