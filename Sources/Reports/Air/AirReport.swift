public import Monitoring
public import Store

/// The ambient-air evaluation of each chosen site and of the city they make up.
///
/// ```swift
/// let report = try await AirReport.make(AirReportRequest(period: .year(2016), labels: ["city": "Beijing"]), stations: registry) {
///     try SQLiteStore.forReading(path: "var/envmon.sqlite", stations: registry)
/// }
/// report.city.evaluation.goodDayShare
/// ```
public struct AirReport: Sendable {
    /// One site's (or the city's) daily values and evaluation.
    public struct Entry: Sendable {
        /// The station, or `nil` for the city.
        public let station: Station?
        public let daily: AirDailyValues
        public let evaluation: AirEvaluation
        /// Pollutants the site does not report or the store does not hold.
        public let missing: [AQIPollutant]
    }

    public let request: AirReportRequest
    public let sites: [Entry]
    /// The city: each day's indicator values averaged over the sites, then indexed.
    public let city: Entry

    /// Checks the request, then reads each site's hourly aggregates from the store `open` returns (called
    /// only once the period and the sites are known to be right) and evaluates the sites and the city.
    ///
    /// - Throws: ``ReportsError`` naming the option or station at fault.
    public static func make(
        _ request: AirReportRequest, stations: StationRegistry, open: () throws -> any MonitoringStore
    ) async throws -> AirReport {
        _ = try request.select(from: stations)
        let store = try open()
        defer { try? store.close() }
        return try await make(request, stations: stations, store: store)
    }

    /// The same over a store already open (the scorecard's), left open.
    public static func make(_ request: AirReportRequest, stations: StationRegistry, store: any MonitoringStore) async throws -> AirReport {
        let chosen = try request.select(from: stations)
        let period = request.period
        let grade = request.grade
        // Each site's reads and days on its own task: SQLite's WAL readers run side by side.
        let entries = try await withThrowingTaskGroup(of: (Int, Entry).self) { group in
            for (i, st) in chosen.enumerated() {
                group.addTask { (i, try await site(st, store, period, grade)) }
            }
            var out: [(Int, Entry)] = []
            for try await e in group { out.append(e) }
            return out.sorted { $0.0 < $1.0 }.map(\.1)
        }
        let cityDaily = AirDailyValues(city: entries.map(\.daily))
        let city = Entry(station: nil, daily: cityDaily, evaluation: AirEvaluation(cityDaily, period: period, grade: grade), missing: [])
        return AirReport(request: request, sites: entries, city: city)
    }

    private static func site(_ st: Station, _ store: any MonitoringStore, _ period: ReportPeriod, _ grade: AmbientGrade) async throws -> Entry {
        let calendar = ZoneCalendar(st.timeZone)
        let dayRanges = LocalDates.days(from: period.first, through: period.last, calendar)
        let dates = dayRanges.map { calendar.civil(at: $0.lowerBound) }
        guard let lower = dayRanges.first?.lowerBound, let upper = dayRanges.last?.upperBound else {
            throw ReportsError("the period \(period.label) has no days")
        }
        let stored = Set(try await store.storedSeries(ofStation: st.id).map(\.key))
        var daily = AirDailyValues(dates: dates)
        var missing: [AQIPollutant] = []
        for pollutant in AQIPollutant.allCases {
            guard let (key, factor) = try source(of: pollutant, at: st, stored: stored) else {
                missing.append(pollutant)
                continue
            }
            var rows = try await store.aggregate(AggregateQuery(series: key, range: lower..<upper, step: 3_600, function: .avg))
            if factor != 1 {
                for i in rows.indices { rows[i].value = rows[i].value.map { $0 * factor } }
            }
            daily.add(pollutant, rows: rows, dayRanges: dayRanges, grade: grade)
        }
        return Entry(station: st, daily: daily, evaluation: AirEvaluation(daily, period: period, grade: grade), missing: missing)
    }

    /// The series a site's hourly values of `pollutant` are read from (hour data, else minute, else
    /// real-time), and the factor to the indicator's unit (µg/m³, CO mg/m³); `nil` when the site does
    /// not report it or the store holds none of it.
    static func source(of pollutant: AQIPollutant, at st: Station, stored: Set<SeriesKey>) throws(ReportsError) -> (SeriesKey, Double)? {
        guard let sp = st.parameter(pollutant.rawValue),
            let kind = SeriesKind.hourlySource(where: { stored.contains(SeriesKey(station: st.id, parameter: pollutant.rawValue, kind: $0)) })
        else { return nil }
        let target = pollutant == .co ? "mg/m³" : "µg/m³"
        guard let unit = MeasurementUnit(parsing: target), let factor = sp.unit.factor(to: unit) else {
            throw ReportsError("\(st.id)/\(pollutant.rawValue) is stored in \(sp.unit.symbol), which cannot be compared with limits in \(target)")
        }
        return (SeriesKey(station: st.id, parameter: pollutant.rawValue, kind: kind), factor)
    }
}
