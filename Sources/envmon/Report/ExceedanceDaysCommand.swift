public import ArgumentParser
import Foundation
import Monitoring
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

    @Option(help: "The station id.") var station: String
    @Option(help: "The pollutant (PM2.5, PM10, SO2, NO2, CO, NOx…).") var parameter: String
    @Option(help: "The first local date, YYYY-MM-DD (default: the day of the first reading).") var from: String?
    @Option(help: "The last local date, inclusive, YYYY-MM-DD (default: the day of the last reading).") var to: String?
    @Option(help: "GB 3095 grade: 1 (class-1 zones) or 2 (class-2 zones, the usual city site).") var grade: AmbientGrade = .two
    @Option(help: "The series kind: realtime, minute or hour (default: hour when stored, else the finest stored).")
    var kind: SeriesKind?
    @Option(help: "text, json or csv.") var format: ExceedanceDaysFormat = .text

    func run() async throws {
        let stations = try store.loadStations(forStation: station)
        guard let st = stations[station] else {
            throw CLIError("unknown station '\(station)' (known: \(stations.stations.map(\.id).joined(separator: ", ")))")
        }
        guard let p = ParameterCatalogue.standard.named(parameter), let sp = st.parameter(p.id) else {
            let reported = st.parameters.map(\.parameter.id).joined(separator: ", ")
            throw CLIError("station '\(station)' does not report '\(parameter)' (it reports \(reported))")
        }
        guard st.kind == .ambientAir else {
            throw CLIError("station '\(station)' is a \(st.kind.rawValue) station: GB 3095 limits apply to ambient-air sites only")
        }
        let calendar = ZoneCalendar(st.timeZone)
        let first = try from.map { try Self.date($0, "--from") }
        let last = try to.map { try Self.date($0, "--to") }
        if let first, let last, last < first { throw CLIError("--to \(to!) is before --from \(from!)") }
        let factor = try limitUnitFactor(p.id, sp.unit, on: first ?? last ?? calendar.civil(at: Int64(Date().timeIntervalSince1970)))

        guard FileManager.default.fileExists(atPath: store.db) else {
            throw CLIError("no store at '\(store.db)' (import readings first, or give --db)")
        }
        let db = try store.openStoreForReading(stations)
        defer { try? db.close() }
        let key = try await resolveKind(db, st, p)
        // Only the days not given are looked up, each with one seek.
        var firstDay = first
        var lastDay = last
        if firstDay == nil { firstDay = try await db.oldestTime(of: key).map { calendar.civil(at: $0) } }
        if lastDay == nil { lastDay = try await db.newestTime(of: key).map { calendar.civil(at: $0) } }
        guard let firstDay, let lastDay else {
            throw CLIError("the store has no \(p.id) readings of \(st.id) (\(key.kind.rawValue) series): import them, or give --from and --to")
        }
        let dayRanges = Self.days(from: firstDay, through: lastDay, calendar)
        guard let lower = dayRanges.first?.lowerBound, let upper = dayRanges.last?.upperBound else {
            throw CLIError("no days to report: the first day, \(firstDay.isoDate), is after the last, \(lastDay.isoDate)")
        }
        let hours = try await db.aggregate(AggregateQuery(series: key, range: lower..<upper, step: 3_600, function: .avg))
        let report: ExceedanceDaysReport
        do {
            report = try ExceedanceDaysReport(
                hours: hours, dayRanges: dayRanges, calendar: calendar, pollutant: p.id, grade: grade, toLimitUnit: factor)
        } catch {
            throw CLIError(error.description)
        }
        let output = ExceedanceDaysOutput(station: st, parameter: p.id, kind: key.kind, grade: grade, report: report)
        print(output.render(format), terminator: "")
    }

    /// The factor from the stored unit to the unit of the pollutant's 24-h limit; fails, naming the
    /// pollutant, when GB 3095 has no 24-h limit for it.
    private func limitUnitFactor(_ pollutant: String, _ stored: MeasurementUnit, on date: CivilTime) throws -> Double {
        let limit: AmbientAirLimit
        do {
            limit = try DailyCompliance.dailyLimit(pollutant, grade: grade, in: AmbientAirLimits.applicable(on: date))
        } catch {
            throw CLIError(error.description)
        }
        guard let unit = MeasurementUnit(parsing: limit.unit), let factor = stored.factor(to: unit) else {
            throw CLIError("\(pollutant) is stored in \(stored.symbol), which cannot be compared with the limit in \(limit.unit)")
        }
        return factor
    }

    /// The stored series to read: `--kind`, else hour data (what GB 3095 averages), else the finest stored.
    private func resolveKind(_ db: SQLiteStore, _ st: Station, _ p: Parameter) async throws -> SeriesKey {
        if let kind {
            guard kind != .day else { throw CLIError("--kind day: a daily mean needs hourly or finer data") }
            return SeriesKey(station: st.id, parameter: p.id, kind: kind)
        }
        let present = Set(try await db.storedSeries(ofStation: st.id).map(\.key).filter { $0.parameter == p.id }.map(\.kind))
        if let chosen = [SeriesKind.hour, .minute, .realtime].first(where: present.contains) {
            return SeriesKey(station: st.id, parameter: p.id, kind: chosen)
        }
        if present.contains(.day) {
            throw CLIError("\(st.id)/\(p.id) is stored only as day values: a daily mean by GB 3095 needs hourly or finer data")
        }
        return SeriesKey(station: st.id, parameter: p.id, kind: .hour)
    }

    /// A local calendar date, `YYYY-MM-DD` exactly.
    static func date(_ text: String, _ option: String) throws -> CivilTime {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
        else { throw CLIError("\(option) '\(text)' is not a date (YYYY-MM-DD, e.g. 2016-01-01)") }
        let civil = CivilTime(year: y, month: m, day: d)
        guard civil.isValid else { throw CLIError("\(option) '\(text)' is not a calendar date") }
        return civil
    }

    /// The local days from `first` through `last` (inclusive), as UTC instant ranges.
    static func days(from first: CivilTime, through last: CivilTime, _ calendar: ZoneCalendar) -> [Range<Int64>] {
        func midnight(_ date: CivilTime) -> Int64 { CivilTime(year: date.year, month: date.month, day: date.day).secondsIfUTC }
        let end = calendar.firstInstant(ofLocal: midnight(last) + 86_400)
        var day = calendar.day(containing: calendar.firstInstant(ofLocal: midnight(first)))
        var out: [Range<Int64>] = []
        while day.lowerBound < end {
            out.append(day)
            day = calendar.day(after: day.lowerBound, days: 1)
        }
        return out
    }
}

enum ExceedanceDaysFormat: String, ExpressibleByArgument, CaseIterable { case text, json, csv }

extension AmbientGrade: ExpressibleByArgument {}
