import ArgumentParser
import EnvmonConfig
import Foundation
import Monitoring
import Reports
import Store

/// `envmon report scorecard`: the year's indicators against their targets, measured and declared.
struct ScorecardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scorecard",
        abstract: "The year's indicators against their targets (targets/), measured and declared.",
        discussion: """
            The indicators and their annual targets come from the YAML file under --targets whose 'year:' is \
            --year. A measured indicator is computed from the store with the same code as the reports (air, \
            water, load) and the valid-data rate of the automatic stations; a declared one is entered in the \
            file by hand with its evidence and date, and the scorecard says which is which. Figures run from \
            January 1st through --as-of (default: today, in the bureau's zone), clamped to the year.
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var postgres: StoreURLOptions
    @OptionGroup var report: ReportOptions

    @Option(help: "The year.") var year: Int
    @Option(help: "The last local date the figures cover, YYYY-MM-DD (default: today, or the year's end).") var asOf: String?
    @Option(help: "The folder of target files (default: $ENVMON_TARGETS, else reports.targets in the config, else targets).")
    var targets: String?
    @Option(help: "The bureau's time zone (default: reports.time_zone in the config, else Asia/Shanghai).") var timeZone: String?

    func run() async throws {
        let settings = try report.settings()
        let targets = targets ?? ProcessInfo.processInfo.environment["ENVMON_TARGETS"] ?? settings?.targetsPath ?? "targets"
        let timeZone = timeZone ?? settings?.reportTimeZone ?? "Asia/Shanghai"
        guard let zone = TimeZone(identifier: timeZone) else { throw CLIError("--time-zone '\(timeZone)' is not an IANA zone") }
        let language = try report.language(orConfig: { settings })
        let calendar = ZoneCalendar(zone)
        do {
            let definition = try ScorecardDefinition.load(directory: targets, year: year)
            let asOfDate = try asOf.map { try LocalDates.parse($0, option: "--as-of") } ?? calendar.civil(at: Int64(Date().timeIntervalSince1970))
            let stations = try store.loadStations()
            let allowances: AllowanceBook
            do {
                allowances = try AllowanceLoader(stations: stations).load(directory: targets)
            } catch {
                throw CLIError("the allowances in \(targets)/ have errors:\n\(error)")
            }
            let now = Int64(Date().timeIntervalSince1970)
            let measure: @Sendable (any MonitoringStore) async throws -> Scorecard = { db in
                var measurer = StoreIndicatorMeasurer(store: db, stations: stations, zone: zone)
                measurer.allowances = allowances
                measurer.now = now
                return try await Scorecard.make(definition, asOf: asOfDate, measurer: measurer)
            }
            let card = try await store.withReportStore(stations, postgres: postgres, command: "report scorecard") { open in
                let db = try open()
                defer { try? db.close() }
                return try await measure(db)
            }
            print(card.render(report.format, language: language), terminator: "")
        } catch let error as ReportsError {
            throw CLIError(error.description)
        }
    }
}
