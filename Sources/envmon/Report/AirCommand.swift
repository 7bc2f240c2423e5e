import ArgumentParser
import Foundation
import Monitoring
import Reports

/// `envmon report air`: the annual or monthly ambient-air evaluation of sites and their city.
struct AirCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "air",
        abstract: "The ambient-air evaluation (HJ 663) of each site and of the city, for a year, a month or a run of dates.",
        discussion: """
            Per site and for the city (the chosen sites together): valid days, days by AQI category, the \
            good-air-day share (优良天数比例: days with AQI ≤ 100 / valid days), primary pollutants, the means \
            of SO2, NO2, PM10 and PM2.5, the HJ 663 percentiles (SO2 and NO2 24-h p98; PM10, PM2.5 and CO \
            24-h p95; O3 MDA8 p90), each against GB 3095 (the edition in force on the period's last day), \
            and the composite index (《城市环境空气质量排名技术规定》). Daily values come from the stored hourly \
            aggregates by GB 3095 Table 4; each day is indexed by the HJ 633 edition in force that day.

            Sites: --site (repeat), else every ambient-air station carrying each --label KEY=VALUE, else \
            every ambient-air station. The city's daily values are the means of its sites' daily values.

            JSON: {"period", "from", "to", "grade", "edition", "sites": [one object per site], "city": {the \
            same for the city}, "notes"}; each object has site, validDays, goodDays, goodDayShare, \
            annualMean {"PM2.5": …}, percentiles {"PM2.5:24h:p95": …, "O3:mda8:p90": …}, compositeIndex, \
            limits, verdicts and annualMeanValidity. CSV: one row per site and one for the city.
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var postgres: StoreURLOptions

    @Option(help: "A calendar year, YYYY.") var year: String?
    @Option(help: "A calendar month, YYYY-MM.") var month: String?
    @Option(help: "The first local date, YYYY-MM-DD (with --to).") var from: String?
    @Option(help: "The last local date, inclusive, YYYY-MM-DD (with --from).") var to: String?
    @Option(help: "A site by station id; repeat for several.") var site: [String] = []
    @Option(help: "Choose the sites carrying this label, KEY=VALUE (e.g. city=Beijing); repeat to require several.") var label: [String] = []
    @Option(help: "GB 3095 grade the figures are judged by: 1 or 2.") var grade: AmbientGrade = .two
    @OptionGroup var reportOptions: ReportOptions

    func run() async throws {
        let language = try reportOptions.language()
        let request: AirReportRequest
        do {
            let period = try ReportPeriod.parse(year: year, month: month, from: from, to: to)
            request = AirReportRequest(period: period, sites: site, labels: try ReportLabels.parse(label), grade: grade)
        } catch {
            throw CLIError(error.description)
        }
        let stations = try store.loadStations()
        do {
            let report = try await store.withReportStore(stations, postgres: postgres, command: "report air") { open in
                try await AirReport.make(request, stations: stations, open: open)
            }
            print(AirReportOutput(report: report, language: language).render(reportOptions.format), terminator: "")
        } catch let error as ReportsError {
            throw CLIError(error.description)
        }
    }
}
