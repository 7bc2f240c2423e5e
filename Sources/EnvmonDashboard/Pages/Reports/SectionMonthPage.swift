import EnvmonCharts
import EnvmonHTTP
import Foundation
import HTTPTypes
import Monitoring
import Reports

/// `/reports/section`: the section month (每月断面水质) — each section's class against its target
/// as a chart and a table — and `/reports/section.csv`, as `envmon report water --format csv`.
struct SectionMonthPage: ReportPage {
    let name = "section"
    let queryNames = ["year", "month", "from", "to"]

    func fields(_ query: ReportQuery, _ page: PageContext) -> [(String, String, String, String)] {
        [("month", page.t("reports_month"), query["month"] ?? "", "2026-03"), ("year", page.t("reports_year"), query["year"] ?? "", "2026")]
    }

    func period(of report: WaterReport, _ page: PageContext) -> String { report.request.period.label }

    func csv(_ report: WaterReport, _ page: PageContext) -> (text: String, filename: String) {
        (WaterReportOutput(report: report, language: page.reportLanguage).render(.csv), "section-\(report.request.period.label).csv")
    }

    func make(_ query: ReportQuery, _ page: PageContext) async throws -> WaterReport {
        let period = try query.period(now: page.data.now(), zone: page.data.timeZone, defaultMonth: true)
        return try await WaterReport.make(WaterReportRequest(period: period), stations: page.data.stations(), store: page.data.store)
    }

    func fill(_ view: inout ReportView, _ report: WaterReport, _ page: PageContext) {
        var chart = BarChart(width: 960, height: 220)
        chart.title = page.t("reports_section_chart")
        chart.testID = "section-classes"
        chart.noDataLabel = page.t("station_no_data")
        chart.yRange = 0...6
        chart.yLabels = Dictionary(uniqueKeysWithValues: WaterQualityClass.allCases.map { (Double($0.rawValue), $0.name) })
        var bars: [BarChart.Bar] = []
        var rows: [[ReportView.Cell]] = []
        for s in report.sections {
            for m in s.months {
                let meets = m.assessment?.meetsTarget
                let colour = meets.map { $0 ? "#1f8a4c" : "#c62828" } ?? "#5f6b7a"
                let target = s.target.map { " (\(page.t("station_target_class")) \($0.name))" } ?? ""
                let cls = m.sectionClass?.name ?? page.t("station_no_data")
                let label = report.sections.count > 1 ? s.station.id : m.month
                bars.append(BarChart.Bar(
                    value: m.sectionClass.map { Double($0.rawValue) }, colour: colour, title: "\(s.station.name) \(m.month): \(cls)\(target)", label: label))
                let over = (m.assessment?.exceedances ?? []).map { e in e.parameter + (e.multiple.map { " ×\($0)" } ?? "") }.joined(separator: ", ")
                rows.append([
                    ReportView.Cell(text: s.station.name, href: "/stations/\(PageText.pathComponent(s.station.id))"), ReportView.Cell(text: m.month),
                    ReportView.Cell(text: cls, cls: meets.map { $0 ? "ok" : "over" } ?? "nodata"), ReportView.Cell(text: s.target?.name ?? "–"),
                    ReportView.Cell(text: meets.map { page.t($0 ? "reports_yes" : "reports_no") } ?? "–", cls: meets.map { $0 ? "ok" : "over" } ?? "nodata"),
                    ReportView.Cell(text: over),
                ])
            }
        }
        chart.bars = bars
        view.charts = [(page.t("reports_section_chart"), chart.render(), page.t("station_daily_class_help"), [])]
        view.tableTitle = page.t("reports_section_table")
        view.headers = [
            (page.t("reports_section"), false), (page.t("reports_month"), false), (page.t("reports_class"), false), (page.t("station_target_class"), false),
            (page.t("reports_meets"), false), (page.t("reports_exceedances"), false),
        ]
        view.rows = rows
        if let rate = report.complianceRate { view.notes = ["\(page.t("reports_compliance_rate")): \(ReportView.percent(rate))"] }
    }
}
