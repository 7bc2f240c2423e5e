import EnvmonCharts
import EnvmonTesting
import Foundation
import Monitoring
import Reports
import Store
import Testing

/// `StationTrend` on a real SQLite store: what a station page charts.
@Suite struct StationTrendTests {
    /// 2026-04-01T00:00+08:00 (HJ 633-2026 in force).
    static let t0 = CivilTime(year: 2026, month: 4, day: 1).secondsIfUTC - 8 * 3_600

    var outlet: Station {
        var st = TestStations.station("outlet-1", kind: .dischargeOutlet, interval: 60, parameters: ["COD"])
        st.parameters[0].limits = [Limit(basis: .hour, max: 50, source: "GB 18918-2002 1A")]
        return st
    }

    func withStore(_ stations: [Station], _ samples: [Sample], _ body: (SQLiteStore, StationRegistry) async throws -> Void) async throws {
        let dir = TemporaryDirectory("trend")
        let registry = StationRegistry(stations)
        let store = try SQLiteStore(path: dir.file("s.sqlite"), stations: registry)
        for chunk in stride(from: 0, to: samples.count, by: 50_000) {
            _ = try await store.write(Array(samples[chunk..<min(chunk + 50_000, samples.count)]))
        }
        try await body(store, registry)
        try store.close()
    }

    func cod(_ minutes: Range<Int>, flag: (Int) -> DataFlag = { _ in .normal }, value: (Int) -> Double = { Double($0 % 60) }) -> [Sample] {
        let key = SeriesKey(station: "outlet-1", parameter: "COD", kind: .minute)
        return minutes.map { Sample(series: key, time: Self.t0 + Int64($0) * 60, value: value($0), flag: flag($0)) }
    }

    @Test func aDayOfMinutesIsReadRawWithItsGapFlagsAndLimit() async throws {
        // Hours 0–9 and 12–23 of the day; hour 3 in maintenance; hour 5 half flagged (invalid).
        let samples = cod(0..<600, flag: { m in m / 60 == 3 || (m / 60 == 5 && m % 60 < 30) ? .maintenance : .normal }) + cod(720..<1_440)
        try await withStore([outlet], samples) { store, stations in
            let request = StationTrendRequest(station: "outlet-1", range: .custom(from: "2026-04-01", to: "2026-04-01"), columns: 240)
            let trend = try await StationTrend.make(request, stations: stations, store: store, now: Self.t0 + 2 * 86_400)
            #expect(trend.range == Self.t0..<(Self.t0 + 86_400))
            let cod = try #require(trend.series.first)
            #expect(cod.source == .raw)
            #expect(cod.columns.count == 240)
            // 10 columns an hour: hours 10 and 11 are a gap, hour 3 (all flagged) too.
            #expect(cod.columns[100..<120].allSatisfy { $0 == nil })
            #expect(cod.columns[30..<40].allSatisfy { $0 == nil })
            #expect(cod.columns[0] == ChartColumn(min: 0, max: 5, mean: 2.5, count: 6))
            #expect(cod.limits.map(\.max) == [50])
            let flagged = cod.periods.filter { if case .flagged = $0.reason { true } else { false } }
            #expect(flagged.map { $0.from - Self.t0 } == [3 * 3_600, 5 * 3_600])
            #expect(flagged.first?.to == Self.t0 + 4 * 3_600)
            #expect(flagged.first?.reason == .flagged(DataFlagSet([.maintenance])))
            let invalid = cod.periods.filter { $0.reason == .invalid }
            #expect(invalid.map { ($0.from - Self.t0) / 3_600 } == [3, 5], "hour 3 has no valid reading, hour 5 only half")
            #expect(cod.readings == 1_320 && cod.validReadings == 1_320 - 90)
        }
    }

    @Test func sixtyDaysAreReadFromTheHourRollups() async throws {
        // 60 days of minutes, value = minute of the hour: each hour ranges 0…59, mean 29.5.
        let samples = cod(0..<(60 * 1_440))
        try await withStore([outlet], samples) { store, stations in
            let request = StationTrendRequest(station: "outlet-1", range: .custom(from: "2026-04-01", to: "2026-05-30"), columns: 600)
            let trend = try await StationTrend.make(request, stations: stations, store: store, now: Self.t0 + 90 * 86_400)
            let cod = try #require(trend.series.first)
            #expect(cod.source == .hour)
            #expect(cod.columns.count == 600)
            #expect(cod.columns.allSatisfy { $0?.min == 0 && $0?.max == 59 && $0?.mean == 29.5 })
            #expect(cod.periods.isEmpty)
            #expect(cod.readings == 60 * 1_440)
        }
    }

    @Test func aStepAskedForIsUsed() async throws {
        try await withStore([outlet], cod(0..<1_440)) { store, stations in
            let request = StationTrendRequest(station: "outlet-1", range: .custom(from: "2026-04-01", to: "2026-04-01"), step: "1h", columns: 24)
            let trend = try await StationTrend.make(request, stations: stations, store: store, now: Self.t0 + 2 * 86_400)
            #expect(trend.series.first?.source == .step)
            #expect(trend.series.first?.columns.allSatisfy { $0 == ChartColumn(min: 0, max: 59, mean: 29.5, count: 60) } == true)
            let bad = StationTrendRequest(station: "outlet-1", range: .day, step: "soon", columns: 24)
            let error = await #expect(throws: ReportsError.self) { try await StationTrend.make(bad, stations: stations, store: store, now: Self.t0) }
            #expect(error?.argument == "step")
            let unknown = StationTrendRequest(station: "nowhere", range: .day, columns: 24)
            let missing = await #expect(throws: ReportsError.self) { try await StationTrend.make(unknown, stations: stations, store: store, now: Self.t0) }
            #expect(missing?.isNotFound == true)
        }
    }

    @Test func anAmbientSiteHasHourlyAndDailyAQI() async throws {
        let site = TestStations.station("site-1", parameters: ["PM2.5"])
        let key = SeriesKey(station: "site-1", parameter: "PM2.5", kind: .hour)
        // Day 1: 24 hours of 150 µg/m³; day 2: 10 hours only (not a valid day).
        let samples = (0..<34).map { Sample(series: key, time: Self.t0 + Int64($0) * 3_600, value: 150) }
        try await withStore([site], samples) { store, stations in
            let request = StationTrendRequest(station: "site-1", range: .custom(from: "2026-04-01", to: "2026-04-02"), columns: 200)
            let trend = try await StationTrend.make(request, stations: stations, store: store, now: Self.t0 + 3 * 86_400)
            let day = try AirQualityIndex.evaluate([AQIConcentration(.pm25, .day, 150)], standard: .hj633_2026)
            #expect(trend.dailyAQI.map(\.aqi) == [day.aqi, nil])
            // The same days as the air report's.
            let report = try await AirReport.make(
                AirReportRequest(period: .range(CivilTime(year: 2026, month: 4, day: 1), through: CivilTime(year: 2026, month: 4, day: 2)), sites: ["site-1"]),
                stations: stations, store: store)
            #expect(report.sites.first?.daily.dayIndices.map { $0?.aqi } == trend.dailyAQI.map(\.aqi))
            #expect(trend.dailyAQI.first?.primary == [.pm25])
            #expect((day.aqi ?? 0) > 100, "above 100: valid with one pollutant")
            let hour = try AirQualityIndex.evaluate([AQIConcentration(.pm25, .hour, 150)], standard: .hj633_2026)
            #expect(trend.hourlyAQI.count == 34)
            #expect(trend.hourlyAQI.allSatisfy { $0.aqi == hour.aqi })
        }
    }

    @Test func aLongRangeSharesItsHourRollupsWithTheDailyAQI() async throws {
        // 40 days of minutes of PM2.5 and PM10 (more than rawLimit: the charts read the hour rollups,
        // and the daily AQI takes its 1-h means from the same read); day 10 has a hole of 18 hours.
        let site = TestStations.station("site-1", parameters: ["PM2.5", "PM10"])
        var samples: [Sample] = []
        for (parameter, base) in [("PM2.5", 60.0), ("PM10", 100.0)] {
            let key = SeriesKey(station: "site-1", parameter: parameter, kind: .minute)
            for m in 0..<(40 * 1_440) where !(m / 1_440 == 10 && (m % 1_440) / 60 >= 3 && (m % 1_440) / 60 < 21) {
                samples.append(Sample(series: key, time: Self.t0 + Int64(m) * 60, value: base + Double((m / 1_440) % 5) * 20 + Double(m % 7) / 4))
            }
        }
        try await withStore([site], samples) { store, stations in
            let request = StationTrendRequest(station: "site-1", range: .custom(from: "2026-04-01", to: "2026-05-10"), columns: 400)
            let trend = try await StationTrend.make(request, stations: stations, store: store, now: Self.t0 + 60 * 86_400)
            #expect(trend.series.map(\.source) == [.hour, .hour])
            #expect(trend.series.map(\.readings) == [40 * 1_440 - 18 * 60, 40 * 1_440 - 18 * 60])
            // The days as the air report reads them (through the store's aggregates).
            let report = try await AirReport.make(
                AirReportRequest(period: .range(CivilTime(year: 2026, month: 4, day: 1), through: CivilTime(year: 2026, month: 5, day: 10)), sites: ["site-1"]),
                stations: stations, store: store)
            let days = try #require(report.sites.first?.daily.dayIndices)
            #expect(trend.dailyAQI.count == 40)
            #expect(days.map { $0?.aqi } == trend.dailyAQI.map(\.aqi))
            #expect(days.map { $0?.primary ?? [] } == trend.dailyAQI.map(\.primary))
            // Every day's PM2.5 is above 60 µg/m³ (IAQI above 100 by HJ 633-2026), so a day is valid with
            // two pollutants; day 10, with 6 valid hours, is not.
            #expect(trend.dailyAQI.compactMap(\.aqi).count == 39)
            #expect(trend.dailyAQI[10].aqi == nil)
        }
    }

    @Test func aSectionHasItsDailyClassAgainstItsTarget() async throws {
        var section = TestStations.station("section-1", kind: .surfaceWater, parameters: ["COD", "NH3-N"])
        section.labels["target_class"] = "III"
        let codKey = SeriesKey(station: "section-1", parameter: "COD", kind: .hour)
        let nh3Key = SeriesKey(station: "section-1", parameter: "NH3-N", kind: .hour)
        // Day 1: COD 18 (III), NH3-N 0.4 (II) → III, meets III. Day 2: COD 25 (IV) → IV, misses.
        var samples: [Sample] = []
        for h in 0..<48 {
            let t = Self.t0 + Int64(h) * 3_600
            samples.append(Sample(series: codKey, time: t, value: h < 24 ? 18 : 25))
            samples.append(Sample(series: nh3Key, time: t, value: 0.4))
        }
        try await withStore([section], samples) { store, stations in
            let request = StationTrendRequest(station: "section-1", range: .custom(from: "2026-04-01", to: "2026-04-03"), columns: 200)
            let trend = try await StationTrend.make(request, stations: stations, store: store, now: Self.t0 + 5 * 86_400)
            #expect(trend.targetClass == .classIII)
            #expect(trend.dailyClass.map(\.sectionClass) == [.classIII, .classIV, nil])
            #expect(trend.dailyClass.map(\.meetsTarget) == [true, false, nil])
            #expect(trend.dailyClass[1].determining == ["COD"])
            #expect(trend.dailyAQI.isEmpty && trend.hourlyAQI.isEmpty)
        }
    }

    @Test func aLiveRealTimeSeriesDoesNotHideAWeekOfHourValues() async throws {
        var st = TestStations.station("outlet-1", kind: .dischargeOutlet, interval: 30, parameters: ["COD"])
        st.parameters[0].limits = []
        let hour = SeriesKey(station: "outlet-1", parameter: "COD", kind: .hour)
        let live = SeriesKey(station: "outlet-1", parameter: "COD", kind: .realtime)
        // Three days of hour values, then the last hour's real-time values every 30 s.
        let samples = (0..<72).map { Sample(series: hour, time: Self.t0 + Int64($0) * 3_600, value: 20) }
            + (0..<120).map { Sample(series: live, time: Self.t0 + 71 * 3_600 + Int64($0) * 30, value: 30) }
        try await withStore([st], samples) { store, stations in
            let now = Self.t0 + 72 * 3_600
            let week = try await StationTrend.make(StationTrendRequest(station: "outlet-1", range: .week, columns: 100), stations: stations, store: store, now: now)
            #expect(week.series.first?.key?.kind == .hour)
            let lastHour = StationTrendRequest(station: "outlet-1", range: .custom(from: "now-50m", to: nil), columns: 100)
            let live = try await StationTrend.make(lastHour, stations: stations, store: store, now: now)
            #expect(live.series.first?.key?.kind == .realtime)
            #expect(live.series.first?.columns.compactMap { $0?.mean }.allSatisfy { $0 == 30 } == true)
        }
    }

    @Test func presetRangesEndAtTheNextMinute() throws {
        let now: Int64 = 1_800_000_030
        #expect(try TrendRange.week.resolve(now: now, timeZone: .gmt) == (1_800_000_060 - 7 * 86_400)..<1_800_000_060)
        #expect(try TrendRange.year.resolve(now: now, timeZone: .gmt).count == 365 * 86_400)
        #expect(throws: ReportsError.self) { try TrendRange.custom(from: "2026-05-01", to: "2026-04-01").resolve(now: now, timeZone: .gmt) }
    }
}
