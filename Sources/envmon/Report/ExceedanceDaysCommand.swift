public import ArgumentParser
import Foundation
import Monitoring
import Reports
import Store

/// `envmon report exceedance-days`: a station's days whose mean exceeds the GB 3095 24-h limit.
struct ExceedanceDaysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exceedance-days",
        abstract: "Days whose 24-hour mean exceeds the GB 3095 24-hour limit, per station-local day.",
        discussion: """
            Each local calendar day of the station (its time zone from sensors/) gets the mean of its valid \
            hours, compared with the 24-hour limit of the grade in the GB 3095 edition in force on that day \
            (GB 3095-2012 until 2026-02-28, GB 3095-2026 transitional limits from 2026-03-01, final limits \
            from 2031-01-01). An hour is valid when its valid readings (flag N) cover 45 of its 60 minutes: \
            the one value of hour data, 45 of 60 minute values. A day needs 20 valid hours (TSP, BaP, Pb: \
            24) for a daily mean; a day with fewer is no-data, neither meeting nor exceeding. A mean \
            strictly above the limit exceeds; the mean is not rounded before the comparison.

            --from and --to are local dates, both inclusive; by default the days from the first to the \
            last stored reading. CSV columns: date,valid_hours,mean,limit,edition,verdict (the summary is \
            in the text and JSON formats).
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var postgres: StoreURLOptions

    @Option(help: "The station id.") var station: String
    @Option(help: "The pollutant (PM2.5, PM10, SO2, NO2, CO, NOx…).") var parameter: String
    @Option(help: "The first local date, YYYY-MM-DD (default: the day of the first reading).") var from: String?
    @Option(help: "The last local date, inclusive, YYYY-MM-DD (default: the day of the last reading).") var to: String?
    @Option(help: "GB 3095 grade: 1 (class-1 zones) or 2 (class-2 zones, the usual city site).") var grade: AmbientGrade = .two
    @Option(help: "The series kind: realtime, minute or hour (default: hour when stored, else the finest stored).")
    var kind: SeriesKind?
    @Option(help: "text, json or csv.") var format: ReportFormat = .text

    func run() async throws {
        let stations = try store.loadStations(forStation: station)
        var request = ExceedanceDaysRequest(station: station, parameter: parameter, grade: grade, kind: kind)
        do {
            request.from = try from.map { try LocalDates.parse($0, option: "--from") }
            request.to = try to.map { try LocalDates.parse($0, option: "--to") }
        } catch let error as ReportsError {
            throw CLIError(error.description)
        }
        let now = Int64(Date().timeIntervalSince1970)
        do {
            let output = try await store.withReportStore(stations, postgres: postgres, command: "report exceedance-days") { [request] open in
                try await ExceedanceDaysReport.make(request, stations: stations, now: now, open: open)
            }
            print(output.render(format), terminator: "")
        } catch let error as ReportsError {
            throw CLIError(error.description)
        }
    }
}

extension ReportFormat: ExpressibleByArgument {}

extension AmbientGrade: ExpressibleByArgument {}
