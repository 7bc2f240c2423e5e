import EnvmonCharts
import EnvmonConfig
public import Monitoring
public import Store

/// What a station page charts: each parameter reduced to one column per pixel, the flagged and
/// invalid periods, the station's limits; for an ambient-air site hourly and daily AQI, for a
/// river or lake section each day's class against its target.
///
/// Everything is read through the store's aggregates: a range longer than ``rawLimit`` readings
/// is read from the hour rollups (a year of minute data: 8,760 rows per aggregate, not 525,600
/// samples), a range over two years from the day rollups.
///
/// ```swift
/// let trend = try await StationTrend.make(
///     StationTrendRequest(station: "qinghe-wwtp-outlet", range: .year, columns: 906),
///     stations: registry, store: store, now: clock.now)
/// trend.series.first?.columns   // 906 columns
/// ```
public struct StationTrend: Sendable {
    /// The station.
    public let station: Station
    /// The instants shown.
    public let range: Range<Int64>
    /// One entry per parameter of the station, in sensors/ order.
    public let series: [TrendSeries]
    /// Hourly AQI of an ambient-air site (ranges up to 31 days), hour by hour.
    public let hourlyAQI: [TrendAQI]
    /// Daily AQI of an ambient-air site, day by day (`nil` AQI: not a valid day).
    public let dailyAQI: [TrendAQI]
    /// Each local day's class of a surface-water section, and its target.
    public let dailyClass: [TrendClass]
    /// The section's target class (its `target_class` label).
    public let targetClass: WaterQualityClass?

    /// Reads the trend.
    /// - Throws: ``ReportsError`` for an unknown station (not found), a bad range or step;
    ///   `StoreError` when the store cannot be read.
    public static func make(_ request: StationTrendRequest, stations: StationRegistry, store: any MonitoringStore, now: Int64) async throws -> StationTrend {
        guard let station = stations[request.station] else {
            throw ReportsError("unknown station '\(request.station)'", argument: "station", notFound: true)
        }
        let range = try request.range.resolve(now: now, timeZone: station.timeZone)
        var step: Int64?
        if let text = request.step, !text.isEmpty {
            guard let seconds = DurationText.seconds(text), seconds >= 60 else {
                throw ReportsError("step '\(text)' is not a duration of a minute or more (e.g. 15m, 1h, 1d)", argument: "step")
            }
            step = Int64(seconds)
        }
        let storedSeries = try await store.storedSeries(ofStation: station.id)
        let stored = Set(storedSeries.map(\.key))
        let reducer = ColumnReducer(from: range.lowerBound, to: range.upperBound, columns: request.columns)
        // Each parameter on its own task, and the AQI or the classes beside them: SQLite's WAL
        // readers run side by side.
        let bucket = step
        let isAmbient = station.kind == .ambientAir
        let isSection = station.kind == .surfaceWater
        let target = isSection ? station.labels["target_class"].flatMap { WaterQualityClass(parsing: $0) } : nil
        // An ambient site's pollutants: their hour rollups read once for the chart and the daily AQI.
        let days = isAmbient ? localDays(station, range) : []
        var shared: SharedHourRollups?
        if let first = days.first, let last = days.last {
            let read = min(first.lowerBound, range.lowerBound - 3_599)..<max(last.upperBound, range.upperBound)
            shared = SharedHourRollups(store: store, range: read)
        }
        let rollups = shared
        let described = Dictionary(storedSeries.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        async let daily = isAmbient ? dailyAQI(station, stored, store, days, rollups, described) : []
        async let hourly = isAmbient && range.upperBound - range.lowerBound <= 31 * 86_400 ? hourlyAQI(station, stored, store, range) : []
        async let classes = isSection ? dailyClasses(station, stored, store, range, target) : []
        let series = try await withThrowingTaskGroup(of: (Int, TrendSeries).self) { group in
            for (i, sp) in station.parameters.enumerated() {
                group.addTask { (i, try await readSeries(sp, station, stored, store, range, bucket, reducer, rollups)) }
            }
            var out: [(Int, TrendSeries)] = []
            for try await s in group { out.append(s) }
            return out.sorted { $0.0 < $1.0 }.map(\.1)
        }
        return StationTrend(
            station: station, range: range, series: series, hourlyAQI: try await hourly, dailyAQI: try await daily, dailyClass: try await classes,
            targetClass: target)
    }

    /// The most readings a range may span before it is read from rollups.
    public static let rawLimit: Int64 = 20_000
}

/// What a station page asks for.
public struct StationTrendRequest: Sendable, Hashable {
    /// The station id.
    public var station: String
    /// The range.
    public var range: TrendRange
    /// A bucket length (`15m`, `1h`, `1d`); `nil`: chosen by the range.
    public var step: String?
    /// The chart's columns (pixels).
    public var columns: Int

    /// A request.
    public init(station: String, range: TrendRange, step: String? = nil, columns: Int) {
        self.station = station
        self.range = range
        self.step = step
        self.columns = columns
    }
}
