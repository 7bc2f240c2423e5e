import EnvmonCharts
import EnvmonConfig
import EnvmonHTTP
import Foundation
import HTTPTypes
import Monitoring
import Reports

/// `/reports/scorecard`: the year's indicators against their targets (targets/) — met, not met
/// and without data as a chart, each indicator as a table — and `/reports/scorecard.csv`, as
/// `envmon report scorecard --format csv`.
struct ScorecardPage: ReportPage {
    let name = "scorecard"
    let queryNames = ["year"]

    func fields(_ query: ReportQuery, _ page: PageContext) -> [(String, String, String, String)] {
        [("year", page.t("reports_year"), query["year"] ?? "", "2026")]
    }

    func period(of report: Scorecard, _ page: PageContext) -> String { "\(report.year) · \(page.t("reports_as_of")) \(report.asOf)" }

    func csv(_ report: Scorecard, _ page: PageContext) -> (text: String, filename: String) {
        (report.render(.csv, language: page.reportLanguage), "scorecard-\(report.year).csv")
    }

    func make(_ query: ReportQuery, _ page: PageContext) async throws -> Scorecard {
        let stations = page.data.stations()
        let today = ZoneCalendar(page.data.timeZone).civil(at: page.data.now())
        let definition: ScorecardDefinition
        if let text = query["year"] {
            guard let y = Int(text), (1970...9999).contains(y) else { throw ReportsError("year '\(text)' is not a year", argument: "year") }
            definition = try ScorecardDefinition.load(directory: page.data.targetsPath, year: y)
        } else {
            // This year's, else the latest before it: in January the year just ended.
            definition = try ScorecardDefinition.latest(directory: page.data.targetsPath, atOrBefore: today.year)
        }
        let year = definition.year
        var measurer = StoreIndicatorMeasurer(store: page.data.store, stations: stations, zone: page.data.timeZone)
        do {
            measurer.allowances = try AllowanceLoader(stations: stations).load(directory: page.data.targetsPath)
        } catch {
            throw ReportsError("\(page.data.targetsPath)/: \(error)")
        }
        measurer.now = page.data.now()
        let asOf = year == today.year ? today : CivilTime(year: year, month: 12, day: 31)
        return try await Scorecard.make(definition, asOf: asOf, measurer: measurer)
    }

    func fill(_ view: inout ReportView, _ card: Scorecard, _ page: PageContext) {
        let l = page.reportLanguage
        let tally = card.tally
        var chart = BarChart(width: 960, height: 180)
        chart.title = page.t("reports_scorecard_chart")
        chart.testID = "scorecard-tally"
        chart.bars = [
            BarChart.Bar(value: Double(tally.met), colour: "#1f8a4c", title: "\(Scorecard.Verdict.met.text(l)): \(tally.met)", label: Scorecard.Verdict.met.text(l)),
            BarChart.Bar(value: Double(tally.notMet), colour: "#c62828", title: "\(Scorecard.Verdict.notMet.text(l)): \(tally.notMet)", label: Scorecard.Verdict.notMet.text(l)),
            BarChart.Bar(value: Double(tally.noData), colour: "#8a94a3", title: "\(Scorecard.Verdict.noData.text(l)): \(tally.noData)", label: Scorecard.Verdict.noData.text(l)),
        ]
        view.charts = [(page.t("reports_scorecard_chart"), chart.render(), nil, [])]
        view.tableTitle = page.t("reports_scorecard_table")
        view.headers = [
            (page.t("reports_indicator"), false), (page.t("reports_target"), false), (page.t("reports_value"), true), (page.t("reports_verdict"), false),
            (page.t("reports_basis"), false),
        ]
        view.rows = card.rows.map { r in
            let cls = r.verdict == .met ? "ok" : r.verdict == .notMet ? "over" : "nodata"
            return [
                ReportView.Cell(text: r.indicator.name(l)), ReportView.Cell(text: r.indicator.target.text),
                ReportView.Cell(text: r.value.map { "\(LocalDates.display($0)) \(r.indicator.target.unit)" } ?? "–", num: true),
                ReportView.Cell(text: r.verdict.text(l), cls: cls), ReportView.Cell(text: r.basis(l)),
            ]
        }
        view.notes = ["\(page.t("reports_source")): \(card.source)"]
    }
}
