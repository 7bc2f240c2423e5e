import EnvmonCharts
import EnvmonConfig
import EnvmonHTTP
import Foundation
import HTTPTypes
import Monitoring
import Reports

/// `/reports/loads`: this year's emission loads against the allowances — each allowance's load to
/// date over its pro-rated amount as a chart, the figures as a table — and `/reports/loads.csv`,
/// as `envmon report load --format csv`.
struct LoadsPage: ReportPage {
    let name = "loads"
    let queryNames = ["from", "to"]

    func fields(_ query: ReportQuery, _ page: PageContext) -> [(String, String, String, String)] {
        [("from", page.t("station_from"), query["from"] ?? "", "2026-01-01"), ("to", page.t("station_to"), query["to"] ?? "", "2026-03-31")]
    }

    func period(of report: LoadReport, _ page: PageContext) -> String { "\(PageText.date(report.from)) – \(PageText.date(report.to))" }

    func csv(_ report: LoadReport, _ page: PageContext) -> (text: String, filename: String) {
        (LoadOutput(report: report, language: page.reportLanguage).render(.csv), "loads-\(PageText.date(report.from))-\(PageText.date(report.to)).csv")
    }

    func make(_ query: ReportQuery, _ page: PageContext) async throws -> LoadReport {
        let stations = page.data.stations()
        var request = LoadRequest()
        request.from = try query["from"].map { text throws(ReportsError) in try LocalDates.parse(text, option: "from") }
        request.to = try query["to"].map { text throws(ReportsError) in try LocalDates.parse(text, option: "to") }
        let allowances: AllowanceBook
        do {
            allowances = try AllowanceLoader(stations: stations).load(directory: page.data.targetsPath)
        } catch {
            throw ReportsError("\(page.data.targetsPath)/: \(error)")
        }
        return try await LoadReport.make(request, stations: stations, allowances: allowances, now: page.data.now(), store: page.data.store)
    }

    func fill(_ view: inout ReportView, _ report: LoadReport, _ page: PageContext) {
        let kg = { (v: Double?) in v.map { String(format: "%.1f", $0) } ?? "–" }
        if !report.progress.isEmpty {
            var chart = BarChart(width: 960, height: 220)
            chart.title = page.t("reports_loads_chart")
            chart.testID = "loads-progress"
            chart.unit = "%"
            chart.noDataLabel = page.t("station_no_data")
            chart.limits = [LimitLine(value: 100, label: page.t("reports_loads_prorated"))]
            chart.bars = report.progress.map { p in
                let share = p.share.map { $0 * 100 }
                let over = (p.share ?? 0) > 1
                return BarChart.Bar(
                    value: share, colour: over ? "#c62828" : "#1f8a4c",
                    title: "\(p.allowance.name) \(p.allowance.pollutant): \(kg(p.tally.load.total)) kg / \(kg(p.proRated)) kg (\(ReportView.percent(p.share)))",
                    label: p.allowance.pollutant)
            }
            view.charts = [(page.t("reports_loads_chart"), chart.render(), page.t("reports_loads_chart_note"), [])]
            view.tableTitle = page.t("reports_loads_table")
            view.headers = [
                (page.t("reports_allowance"), false), (page.t("reports_pollutant"), false), (page.t("reports_load_to_date"), true),
                (page.t("reports_loads_prorated"), true), (page.t("reports_annual"), true), (page.t("reports_share"), true),
                (page.t("reports_projected"), true), (page.t("reports_verdict"), false),
            ]
            view.rows = report.progress.map { p in
                let cls = p.verdict == .behind ? "over" : p.verdict == .onSchedule ? "ok" : "nodata"
                return [
                    ReportView.Cell(text: p.allowance.name), ReportView.Cell(text: p.allowance.pollutant),
                    ReportView.Cell(text: kg(p.tally.load.total), num: true), ReportView.Cell(text: kg(p.proRated), num: true),
                    ReportView.Cell(text: kg(p.annual), num: true), ReportView.Cell(text: ReportView.percent(p.share), cls: cls, num: true),
                    ReportView.Cell(text: kg(p.projected), num: true), ReportView.Cell(text: page.t("reports_verdict_\(p.verdict.rawValue.replacingOccurrences(of: "-", with: "_"))"), cls: cls),
                ]
            }
        } else {
            // Without allowances: the loads themselves.
            var chart = BarChart(width: 960, height: 220)
            chart.title = page.t("reports_loads_rows")
            chart.testID = "loads-totals"
            chart.unit = "kg"
            chart.noDataLabel = page.t("station_no_data")
            chart.bars = report.rows.map { r in
                BarChart.Bar(value: r.tally.load.total, colour: "#0b6bcb", title: "\(r.group) \(r.pollutant): \(kg(r.tally.load.total)) kg", label: r.pollutant)
            }
            view.charts = [(page.t("reports_loads_rows"), chart.render(), page.t("reports_loads_no_allowance"), [])]
            view.tableTitle = page.t("reports_loads_rows")
            view.headers = [(page.t("reports_group"), false), (page.t("reports_pollutant"), false), (page.t("reports_load_kg"), true), (page.t("reports_hours_measured"), true)]
            view.rows = report.rows.map { r in
                [ReportView.Cell(text: r.group), ReportView.Cell(text: r.pollutant), ReportView.Cell(text: kg(r.tally.load.total), num: true),
                 ReportView.Cell(text: "\(r.tally.measuredHours)", num: true)]
            }
        }
        view.notes = ["\(page.t("reports_loads_period")) \(PageText.date(report.from)) – \(PageText.date(report.to))" + (report.partialDay ? " (\(page.t("reports_partial_day")))" : "")]
    }
}
