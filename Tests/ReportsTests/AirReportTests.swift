import EnvmonTesting
import Foundation
import Monitoring
import Reports
import Store
import Testing

/// `AirReport` on a real SQLite store: four days of two sites whose AQI, validity and figures are
/// worked out by hand below (HJ 633-2012 and GB 3095-2012, grade 2: the days are in 2016).
@Suite struct AirReportTests {
    let dir = TemporaryDirectory("air-report")
    // 2016-01-01T00:00+08:00.
    let t0 = CivilTime(year: 2015, month: 12, day: 31, hour: 16).secondsIfUTC
    let pollutants = ["PM2.5", "PM10", "SO2", "NO2", "CO", "O3"]

    func site(_ id: String, labels: [String: String]) -> Station {
        var st = TestStations.station(id, parameters: pollutants)
        st.labels = labels
        return st
    }

    var stations: StationRegistry {
        StationRegistry([
            site("site-a", labels: ["city": "Qinghe"]), site("site-b", labels: ["city": "Qinghe"]), site("site-c", labels: [:]),
        ])
    }

    /// Each day's hourly value of each pollutant (the same all day); `hours` limits the hours written.
    func day(_ store: SQLiteStore, _ station: String, _ d: Int, _ values: [String: Double], hours: [String: Int] = [:]) async throws {
        var samples: [Sample] = []
        for (p, v) in values {
            for h in 0..<(hours[p] ?? 24) {
                samples.append(Sample(series: SeriesKey(station: station, parameter: p, kind: .hour), time: t0 + Int64(d * 24 + h) * 3_600, value: v))
            }
        }
        _ = try await store.write(samples)
    }

    func makeStore() async throws -> String {
        let path = dir.file("air.sqlite")
        let store = try SQLiteStore(path: path, stations: stations, retention: .forever)
        let clean: [String: Double] = ["PM2.5": 30, "PM10": 40, "SO2": 10, "NO2": 20, "CO": 0.5, "O3": 50]
        // site-a. Day 1: PM2.5 80 (IAQI 107), PM10 100 (75): AQI 107, 轻度污染, primary PM2.5.
        try await day(store, "site-a", 0, clean.merging(["PM2.5": 80, "PM10": 100]) { $1 })
        // Day 2: AQI 43 (PM2.5), 优, no primary pollutant.
        try await day(store, "site-a", 1, clean)
        // Day 3: PM2.5 has 19 hours, no daily mean, and the rest give AQI ≤ 100: not a valid day.
        try await day(store, "site-a", 2, clean, hours: ["PM2.5": 19])
        // Day 4: no PM2.5, but PM10 300 gives IAQI 175 > 100: valid, 中度污染, primary PM10.
        try await day(store, "site-a", 3, clean.filter { $0.key != "PM2.5" }.merging(["PM10": 300]) { $1 })
        // site-b: PM2.5 40 every day, the rest clean.
        for d in 0..<4 { try await day(store, "site-b", d, clean.merging(["PM2.5": 40]) { $1 }) }
        try store.close()
        return path
    }

    func report(_ request: AirReportRequest, _ path: String) async throws -> AirReport {
        try await AirReport.make(request, stations: stations) { try SQLiteStore(path: path, stations: stations, retention: .forever) }
    }

    @Test func siteDaysMeansPercentilesAndIndex() async throws {
        let path = try await makeStore()
        let period = ReportPeriod.range(CivilTime(year: 2016, month: 1, day: 1), through: CivilTime(year: 2016, month: 1, day: 4))
        let r = try await report(AirReportRequest(period: period, labels: ["city": "Qinghe"]), path)
        #expect(r.sites.map { $0.station?.id } == ["site-a", "site-b"])
        let a = try #require(r.sites.first).evaluation
        #expect(a.days == 4 && a.validDays == 3 && a.goodDays == 1)
        #expect(a.goodDayShare == 1.0 / 3)
        #expect(a.categoryDays == [.level1: 1, .level3: 1, .level4: 1])
        #expect(a.primaryPollutantDays.map(\.pollutant) .sorted { $0.rawValue < $1.rawValue } == [.pm10, .pm25])
        // PM2.5 daily means 80 and 30 (day 3 has 19 hours); PM10 100, 40, 40, 300.
        let means = Dictionary(uniqueKeysWithValues: a.means.map { ($0.key, $0) })
        #expect(means["PM2.5"]?.value == 55 && means["PM2.5"]?.days == 2 && means["PM2.5"]?.verdict == .exceeds)
        #expect(means["PM10"]?.value == 120 && means["SO2"]?.value == 10 && means["SO2"]?.verdict == .meets)
        // No whole month in four days: validity is not judged.
        #expect(means["PM2.5"]?.meetsValidityMinimum == nil)
        let pct = Dictionary(uniqueKeysWithValues: a.percentiles.map { ($0.key, $0) })
        // k = 1.95 over [30, 80]: 30 + 0.95 × 50 = 77.5, above the 24-h limit 75.
        #expect(pct["PM2.5:24h:p95"]?.value == 77.5 && pct["PM2.5:24h:p95"]?.verdict == .exceeds)
        #expect(pct["O3:mda8:p90"]?.value == 50 && pct["CO:24h:p95"]?.value == 0.5)
        let index = try #require(a.compositeIndex)
        #expect(abs(index - (10.0 / 60 + 20.0 / 40 + 120.0 / 70 + 55.0 / 35 + 0.5 / 4 + 50.0 / 160)) < 1e-12)
    }

    @Test func cityDaysAreTheMeansOfTheSitesDailyValues() async throws {
        let path = try await makeStore()
        let period = ReportPeriod.range(CivilTime(year: 2016, month: 1, day: 1), through: CivilTime(year: 2016, month: 1, day: 4))
        let r = try await report(AirReportRequest(period: period, labels: ["city": "Qinghe"]), path)
        let city = r.city.evaluation
        // PM2.5 60, 35, 40 (site-b alone), 40; PM10 70, 40, 40, 170 (IAQI 110 on day 4).
        #expect(r.city.daily[.pm25] == [60, 35, 40, 40])
        #expect(r.city.daily[.pm10] == [70, 40, 40, 170])
        #expect(city.validDays == 4 && city.goodDays == 3 && city.goodDayShare == 0.75)
        #expect(city.means.first { $0.key == "PM2.5" }?.value == 43.75)
    }

    @Test func sitesByIdAndBadSelectionsAreNamed() async throws {
        let path = try await makeStore()
        let period = ReportPeriod.month(2016, 1)
        let one = try await report(AirReportRequest(period: period, sites: ["site-b"]), path)
        #expect(one.sites.count == 1 && one.city.evaluation.validDays == 4)
        // January has 4 valid days, far below 27: the flag says so, the mean is still given.
        #expect(one.sites[0].evaluation.means.allSatisfy { $0.meetsValidityMinimum == false && $0.value != nil })
        await #expect(throws: ReportsError.self) { try await report(AirReportRequest(period: period, sites: ["nowhere"]), path) }
        do {
            _ = try await report(AirReportRequest(period: period, labels: ["city": "Atlantis"]), path)
            Issue.record("a label no site carries must fail")
        } catch {
            #expect("\(error)".contains("--label city=Atlantis"))
        }
    }
}

@Suite struct AirEvaluationDecimalTests {
    /// Daily values reach the AQI as the decimals they stand for, so a mean on a breakpoint stays on it.
    @Test func keptValuesBecomeTheirDecimals() {
        #expect(AirEvaluation.decimal(2.2) == Decimal(string: "2.2"))
        #expect(AirEvaluation.decimal(75) == 75)
        #expect(AirEvaluation.decimal(0.1 + 0.2) == Decimal(string: "0.3"))
        #expect(AirEvaluation.decimal(123.4567891234) == Decimal(string: "123.4567891234"))
    }
}
