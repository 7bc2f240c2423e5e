import ArgumentParser
import Foundation
import Monitoring
import Reports

/// `envmon report water`: each river or lake section's class per month against its target.
struct WaterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "water",
        abstract: "The section month: each surface-water section's class per month (GB 3838-2002), its target and the exceedances.",
        discussion: """
            Each calendar month of the period (clipped to it) and each surface-water station: the monthly \
            mean of every parameter's valid readings, classed by single-factor evaluation (《地表水环境质量评价 \
            办法（试行）》: the worst class of the 21 GB 3838-2002 Table 1 items without water temperature, \
            TN and fecal coliform; TN of lakes apart), the target class from the station's target_class \
            label and whether it was met, the items above the target with their multiples \
            ((C − limit)/limit; not for pH and DO), the compliance rate of the section-months, and \
            upstream against downstream for two sections of one river labelled river_position upstream \
            and downstream. A station's water_body label (river, lake, reservoir) picks the TP limits.

            JSON: {"period", "sections": [{"section", "targetClass", "months": [{"month", "class", \
            "meetsTarget", "evaluatedItems", "means", "exceedances", …}]}], "complianceRate", \
            "upstreamDownstream", "notes"}. CSV: one row per section month.
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var postgres: StoreURLOptions

    @Option(help: "A calendar year, YYYY (its 12 months).") var year: String?
    @Option(help: "A calendar month, YYYY-MM.") var month: String?
    @Option(help: "The first local date, YYYY-MM-DD (with --to).") var from: String?
    @Option(help: "The last local date, inclusive, YYYY-MM-DD (with --from).") var to: String?
    @Option(help: "A section by station id; repeat for several.") var section: [String] = []
    @Option(help: "Choose the sections carrying this label, KEY=VALUE (e.g. basin=Baisha River); repeat to require several.") var label: [String] = []
    @OptionGroup var reportOptions: ReportOptions

    func run() async throws {
        let language = try reportOptions.language()
        let request: WaterReportRequest
        do {
            let period = try ReportPeriod.parse(year: year, month: month, from: from, to: to)
            request = WaterReportRequest(period: period, sections: section, labels: try ReportLabels.parse(label))
        } catch {
            throw CLIError(error.description)
        }
        let stations = try store.loadStations()
        do {
            let report = try await store.withReportStore(stations, postgres: postgres, command: "report water") { open in
                try await WaterReport.make(request, stations: stations, open: open)
            }
            print(WaterReportOutput(report: report, language: language).render(reportOptions.format), terminator: "")
        } catch let error as ReportsError {
            throw CLIError(error.description)
        }
    }
}
