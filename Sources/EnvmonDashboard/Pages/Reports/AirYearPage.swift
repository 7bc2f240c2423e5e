import EnvmonCharts
import EnvmonHTTP
import Foundation
import HTTPTypes
import Monitoring
import Reports

/// `/reports/air`: the air year (HJ 663) of the ambient sites and their city — the city's daily
/// AQI as a chart, each site's figures as a table — and `/reports/air.csv`, the same report as
/// `envmon report air --format csv` writes it.
struct AirYearPage: ReportPage {
    let name = "air"
    let queryNames = ["year", "month", "from", "to"]

    func fields(_ query: ReportQuery, _ page: PageContext) -> [(String, String, String, String)] {
        [("year", page.t("reports_year"), query["year"] ?? "", "2026"), ("month", page.t("reports_month"), query["month"] ?? "", "2026-03")]
    }

    func period(of report: AirReport, _ page: PageContext) -> String { report.request.period.label }

    func csv(_ report: AirReport, _ page: PageContext) -> (text: String, filename: String) {
        (AirReportOutput(report: report, language: page.reportLanguage).render(.csv), "air-\(report.request.period.label).csv")
    }

    func make(_ query: ReportQuery, _ page: PageContext) async throws -> AirReport {
        let period = try query.period(now: page.data.now(), zone: page.data.timeZone)
        return try await AirReport.make(AirReportRequest(period: period), stations: page.data.stations(), store: page.data.store)
    }

    private func categoryName(_ c: AQICategory, _ page: PageContext) -> String {
        page.language == .zhCN ? "\(c.chineseLevel) \(c.name(in: .hj633_2026))" : c.englishName(in: .hj633_2026)
    }

    func fill(_ view: inout ReportView, _ report: AirReport, _ page: PageContext) {
        let daily = report.city.daily
        let indices = daily.dayIndices
        var chart = BarChart(width: 960, height: 220)
        chart.title = page.t("reports_air_chart")
        chart.testID = "air-daily-aqi"
        chart.noDataLabel = page.t("station_no_data")
        chart.limits = [LimitLine(value: 100, label: "AQI 100")]
        let every = max(1, daily.dates.count / 12)
        chart.bars = daily.dates.enumerated().map { d, date in
            let label = "\(date.year)-\(date.month < 10 ? "0" : "")\(date.month)-\(date.day < 10 ? "0" : "")\(date.day)"
            guard let index = indices[d] else {
                return BarChart.Bar(value: nil, colour: "#ccc", title: "\(label) \(page.t("station_invalid_day"))", label: d % every == 0 ? String(label.dropFirst(5)) : nil)
            }
            let category = AQICategory(aqi: index.aqi)
            let primary = index.primary.isEmpty ? "" : " · " + index.primary.map(\.rawValue).joined(separator: ", ")
            return BarChart.Bar(
                value: Double(index.aqi), colour: AQIPalette.css(category), title: "\(label) AQI \(index.aqi) \(categoryName(category, page))\(primary)",
                label: d % every == 0 ? String(label.dropFirst(5)) : nil)
        }
        let legend = AQICategory.allCases.map { ("aqi\($0.level)", categoryName($0, page)) }
        view.charts = [(page.t("reports_air_chart"), chart.render(), nil, legend)]
        view.tableTitle = page.t("reports_air_table")
        view.headers = [
            (page.t("reports_site"), false), (page.t("reports_days"), true), (page.t("reports_valid_days"), true), (page.t("reports_good_days"), true),
            (page.t("reports_good_share"), true), ("PM2.5 µg/m³", true), ("PM10 µg/m³", true), (page.t("reports_composite"), true),
        ]
        view.rows = (report.sites + [report.city]).map { e in
            let ev = e.evaluation
            func mean(_ i: AirIndicator) -> String { ReportView.number(ev.means.first { $0.indicator == i }?.value) }
            let name = e.station.map { ReportView.Cell(text: $0.name, href: "/stations/\(PageText.pathComponent($0.id))") }
                ?? ReportView.Cell(text: page.t("reports_city"), cls: "strong")
            return [
                name, ReportView.Cell(text: "\(ev.days)", num: true), ReportView.Cell(text: "\(ev.validDays)", num: true),
                ReportView.Cell(text: "\(ev.goodDays)", num: true), ReportView.Cell(text: ReportView.percent(ev.goodDayShare), num: true),
                ReportView.Cell(text: mean(.pm25), num: true), ReportView.Cell(text: mean(.pm10), num: true),
                ReportView.Cell(text: ReportView.number(ev.compositeIndex), num: true),
            ]
        }
    }
}
