public import ArgumentParser
import EnvmonConfig
import Foundation
import Monitoring
import Reports
import Store

/// `envmon report load`: emission loads of outlets and stacks, and each yearly allowance's progress.
struct LoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Emission loads (t) per outlet, stack, operator or label, against the yearly allowances of targets/.",
        discussion: """
            Tonnes of COD, NH3-N, TN, TP, SO2, NOx and Dust over --from … --to (local dates, both inclusive; \
            default: 1 January through yesterday), from the hourly rollups: hourly mean concentration × hourly \
            mean flow (water mg/L × m³; flue gas the measured, not O2-corrected, mg/m³ × m³/h). Missing hours \
            are substituted as HJ 75-2017 prescribes (from memory, unverified; see the notes the report prints), \
            kept apart from the measured tonnes and counted. Then, for each allowance of targets/allowances.yaml \
            (the same definitions the reduction-target rules read): the year's load through --to, the \
            allowance pro-rated to date (elapsed days / days in the year), the share used, the year-end \
            projection and the verdict (on schedule / behind). JSON masses are in kg.
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var postgres: StoreURLOptions

    @Option(help: "The first local date, YYYY-MM-DD (default: 1 January of --to's year).") var from: String?
    @Option(help: "The last local date, inclusive, YYYY-MM-DD (default: yesterday; today counts up to now).") var to: String?
    @Option(name: .customLong("station"), help: "An outlet or stack id; repeat for several (default: all).") var stations: [String] = []
    @Option(name: .customLong("pollutant"), help: "COD, NH3-N, TN, TP, SO2, NOx or Dust; repeat for several (default: all).")
    var pollutants: [String] = []
    @Option(help: "Group the load table by station (default), or by a station label: operator, district, basin…") var by: String = "station"
    @Option(help: "The folder of yearly allowances (default: $ENVMON_TARGETS, else reports.targets in the config, else targets).")
    var targets: String?
    @OptionGroup var report: ReportOptions

    func run() async throws {
        // The config, read once and only if the language or the targets folder need it.
        var read: ServeSettings??
        func config() throws -> ServeSettings? {
            if let read { return read }
            let settings = try report.settings()
            read = .some(settings)
            return settings
        }
        let language = try report.language(orConfig: config)
        let targets = try targets ?? ProcessInfo.processInfo.environment["ENVMON_TARGETS"] ?? config()?.targetsPath ?? "targets"
        let stations = try store.loadStations()
        var request = LoadRequest(stations: self.stations, pollutants: pollutants, grouping: LoadGrouping(parsing: by))
        do {
            request.from = try from.map { try LocalDates.parse($0, option: "--from") }
            request.to = try to.map { try LocalDates.parse($0, option: "--to") }
        } catch let error as ReportsError {
            throw CLIError(error.description)
        }
        let allowances: AllowanceBook
        do {
            allowances = try AllowanceLoader(stations: stations).load(directory: targets)
        } catch {
            throw CLIError("the allowances in \(targets)/ have errors:\n\(error)")
        }
        do {
            let now = Int64(Date().timeIntervalSince1970)
            let output = try await store.withReportStore(stations, postgres: postgres, command: "report load") { [request] open in
                try await LoadReport.make(request, stations: stations, allowances: allowances, now: now, open: open)
            }
            print(LoadOutput(report: output, language: language).render(report.format), terminator: "")
        } catch let error as ReportsError {
            throw CLIError(error.description)
        }
    }
}
