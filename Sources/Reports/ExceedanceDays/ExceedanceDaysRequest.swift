public import Monitoring
public import Store

/// What `envmon report exceedance-days` (and later the API) asks for: one ambient-air station's
/// pollutant, judged day by day against the GB 3095 24-h limit.
public struct ExceedanceDaysRequest: Sendable {
    public var station: String
    public var parameter: String
    /// First and last local dates, both inclusive; nil: the day of the first (last) stored reading.
    public var from: CivilTime?
    public var to: CivilTime?
    public var grade: AmbientGrade
    /// The series kind to read; nil: hour when stored, else the finest stored.
    public var kind: SeriesKind?

    public init(station: String, parameter: String, from: CivilTime? = nil, to: CivilTime? = nil, grade: AmbientGrade = .two, kind: SeriesKind? = nil) {
        self.station = station
        self.parameter = parameter
        self.from = from
        self.to = to
        self.grade = grade
        self.kind = kind
    }
}

extension ExceedanceDaysReport {
    /// Checks the request, then reads the hours it needs from the store `open` returns (called
    /// only once the station and parameter are known to fit, so those errors come first) and judges
    /// each day.
    ///
    /// - Parameter now: The present (injected: reports never read the wall clock): picks the GB 3095
    ///   edition when neither end of the range is given, and marks today in progress.
    public static func make(
        _ request: ExceedanceDaysRequest, stations: StationRegistry, now: Int64, open: () throws -> any MonitoringStore
    ) async throws -> ExceedanceDaysOutput {
        try await make(request, stations: stations, now: now, open: open, closing: true)
    }

    /// The same on a store the caller keeps open (the daemon's, for the API).
    public static func make(
        _ request: ExceedanceDaysRequest, stations: StationRegistry, now: Int64, store: any MonitoringStore
    ) async throws -> ExceedanceDaysOutput {
        try await make(request, stations: stations, now: now, open: { store }, closing: false)
    }

    private static func make(
        _ request: ExceedanceDaysRequest, stations: StationRegistry, now: Int64, open: () throws -> any MonitoringStore, closing: Bool
    ) async throws -> ExceedanceDaysOutput {
        guard let st = stations[request.station] else {
            throw ReportsError(
                "unknown station '\(request.station)' (known: \(stations.stations.map(\.id).joined(separator: ", ")))")
        }
        guard let p = ParameterCatalogue.standard.named(request.parameter), let sp = st.parameter(p.id) else {
            let reported = st.parameters.map(\.parameter.id).joined(separator: ", ")
            throw ReportsError("station '\(request.station)' does not report '\(request.parameter)' (it reports \(reported))")
        }
        guard st.kind == .ambientAir else {
            throw ReportsError("station '\(st.id)' is a \(st.kind.rawValue) station: GB 3095 limits apply to ambient-air sites only")
        }
        if let first = request.from, let last = request.to, last < first {
            throw ReportsError("--to \(last.isoDate) is before --from \(first.isoDate)")
        }
        let calendar = ZoneCalendar(st.timeZone)
        let today = calendar.civil(at: now)
        let factor = try limitUnitFactor(p.id, sp.unit, grade: request.grade, on: request.from ?? request.to ?? today)
        let store = try open()
        defer { if closing { try? store.close() } }
        let key = try await resolveKind(request.kind, store, st, p)
        // Only the days not given are looked up, each with one seek.
        var firstDay = request.from
        var lastDay = request.to
        if firstDay == nil { firstDay = try await store.oldestTime(of: key).map { calendar.civil(at: $0) } }
        if lastDay == nil { lastDay = try await store.newestTime(of: key).map { calendar.civil(at: $0) } }
        guard let firstDay, let lastDay else {
            throw ReportsError("the store has no \(p.id) readings of \(st.id) (\(key.kind.rawValue) series): import them, or give --from and --to")
        }
        let dayRanges = LocalDates.days(from: firstDay, through: lastDay, calendar)
        guard let lower = dayRanges.first?.lowerBound, let upper = dayRanges.last?.upperBound else {
            throw ReportsError("no days to report: the first day, \(firstDay.isoDate), is after the last, \(lastDay.isoDate)")
        }
        let hours = try await store.aggregate(AggregateQuery(series: key, range: lower..<upper, step: 3_600, function: .avg))
        let report: ExceedanceDaysReport
        do {
            report = try ExceedanceDaysReport(
                hours: hours, dayRanges: dayRanges, calendar: calendar, pollutant: p.id, grade: request.grade, toLimitUnit: factor, now: now)
        } catch {
            throw ReportsError(error.description)
        }
        return ExceedanceDaysOutput(station: st, parameter: p.id, kind: key.kind, grade: request.grade, report: report)
    }

    /// The factor from the stored unit to the unit of the pollutant's 24-h limit; fails, naming the
    /// pollutant, when GB 3095 has no 24-h limit for it.
    private static func limitUnitFactor(_ pollutant: String, _ stored: MeasurementUnit, grade: AmbientGrade, on date: CivilTime) throws(ReportsError)
        -> Double
    {
        let limit: AmbientAirLimit
        do {
            limit = try DailyCompliance.dailyLimit(pollutant, grade: grade, in: AmbientAirLimits.applicable(on: date))
        } catch {
            throw ReportsError(error.description)
        }
        guard let unit = MeasurementUnit(parsing: limit.unit), let factor = stored.factor(to: unit) else {
            throw ReportsError("\(pollutant) is stored in \(stored.symbol), which cannot be compared with the limit in \(limit.unit)")
        }
        return factor
    }

    /// The stored series to read: `kind`, else hour data (what GB 3095 averages), else the finest stored.
    private static func resolveKind(_ kind: SeriesKind?, _ db: any MonitoringStore, _ st: Station, _ p: Parameter) async throws -> SeriesKey {
        if let kind {
            guard kind != .day else { throw ReportsError("--kind day: a daily mean needs hourly or finer data") }
            return SeriesKey(station: st.id, parameter: p.id, kind: kind)
        }
        let present = Set(try await db.storedSeries(ofStation: st.id).map(\.key).filter { $0.parameter == p.id }.map(\.kind))
        if let chosen = SeriesKind.hourlySource(where: present.contains) {
            return SeriesKey(station: st.id, parameter: p.id, kind: chosen)
        }
        if present.contains(.day) {
            throw ReportsError("\(st.id)/\(p.id) is stored only as day values: a daily mean by GB 3095 needs hourly or finer data")
        }
        return SeriesKey(station: st.id, parameter: p.id, kind: .hour)
    }
}
