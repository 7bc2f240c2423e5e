import EnvmonConfig
import EnvmonTesting
import Foundation
import Monitoring
import Reports
import Store
import Testing

@Suite struct ScorecardTests {
    let dir = TemporaryDirectory()

    @Test func targetsParseInEitherNotation() throws {
        let share = try #require(IndicatorTarget(parsing: ">= 80%"))
        #expect(share == IndicatorTarget(sense: .atLeast, bound: 80, unit: "%"))
        #expect(share.isMet(by: 80) && !share.isMet(by: 79.96))
        let mean = try #require(IndicatorTarget(parsing: "≤35 µg/m³"))
        #expect(mean == IndicatorTarget(sense: .atMost, bound: 35, unit: "µg/m³"))
        #expect(mean.text == "≤ 35 µg/m³")
        #expect(IndicatorTarget(parsing: "about 80") == nil)
    }

    @Test func withoutThisYearsTargetsTheLatestEarlierYearIsTaken() throws {
        // In January the new year's targets are not filed yet: the dashboard shows the year just
        // ended (it showed "no scorecard for 2027" every January).
        let folder = dir.file("targets")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for year in [2024, 2026] {
            let text = "year: \(year)\nindicators:\n  - id: sludge\n    target: \">= 80%\"\n    declared: {value: 83.5, evidence: x, date: \(year)-01-08, by: y}\n"
            try text.write(toFile: folder + "/scorecard-\(year).yaml", atomically: true, encoding: .utf8)
        }
        try "rules: []\n".write(toFile: folder + "/other.yaml", atomically: true, encoding: .utf8)
        #expect(try ScorecardDefinition.latest(directory: folder, atOrBefore: 2027).year == 2026)
        #expect(try ScorecardDefinition.latest(directory: folder, atOrBefore: 2026).year == 2026)
        #expect(try ScorecardDefinition.latest(directory: folder, atOrBefore: 2025).year == 2024)
        let none = #expect(throws: ReportsError.self) { try ScorecardDefinition.latest(directory: folder, atOrBefore: 2023) }
        #expect(none?.description.contains("no scorecard for 2023") == true)
    }

    @Test func badDefinitionsNameFileAndLine() throws {
        let path = dir.file("2026.yaml")
        let text = "year: 2026\nindicators:\n  - id: a\n    target: \">= 80%\"\n  - id: b\n    target: \">= 1%\"\n    measure: air-quality-vibes\n"
        let error = #expect(throws: ReportsError.self) { try ScorecardDefinition.load(YAMLFile(path: path, text: text)) }
        #expect(error?.description.contains("\(path):3") == true, "neither measured nor declared: \(error?.description ?? "")")
        let second = "year: 2026\nindicators:\n  - id: b\n    target: \">= 1%\"\n    measure: air-quality-vibes\n"
        let unknown = #expect(throws: ReportsError.self) { try ScorecardDefinition.load(YAMLFile(path: path, text: second)) }
        #expect(unknown?.description.contains("\(path):5") == true)
        #expect(unknown?.description.contains("unknown measure 'air-quality-vibes'") == true)
    }

    /// One ambient site reporting PM2.5 only.
    static let stations = TestStations.registry(TestStations.station("site", parameters: ["PM2.5"]))
    /// 2026-01-01T00:00:00+08:00.
    static let t0 = CivilTime(year: 2025, month: 12, day: 31, hour: 16).secondsIfUTC

    /// A store (file `name`) with the site's first `hours` hourly PM2.5 readings from ``t0``, all 20.
    func site(_ name: String, hours: Int) async throws -> SQLiteStore {
        let store = try SQLiteStore(path: dir.file(name), stations: Self.stations, retention: .forever)
        let key = SeriesKey(station: "site", parameter: "PM2.5", kind: .hour)
        _ = try await store.write((0..<hours).map { Sample(series: key, time: Self.t0 + Int64($0) * 3_600, value: 20) })
        return store
    }

    /// A 2026 scorecard whose first indicator is the valid-data rate, ≥ 95 %.
    static let validIndicator = """
        year: 2026
        indicators:
          - id: valid
            name: {zh: 数据有效率, en: Valid data}
            measure: valid-data-rate
            target: ">= 95%"
        """

    @Test func measuredAndDeclaredSideBySide() async throws {
        // One station, one parameter, hourly: 2026-01-01 … 01-10 local, 9 of its 10 days sent.
        let store = try await site("s.sqlite", hours: 9 * 24)
        defer { try? store.close() }
        let yaml = Self.validIndicator + """

              - id: sludge
                name: {zh: 污泥无害化处置率, en: Sludge treated}
                target: ">= 80%"
                declared: {value: 83.5, evidence: "台账", date: 2026-01-08, by: 城管局}
            """
        let definition = try ScorecardDefinition.load(YAMLFile(path: dir.file("s.yaml"), text: yaml))
        let measurer = StoreIndicatorMeasurer(store: store, stations: Self.stations, zone: TimeZone(identifier: "Asia/Shanghai")!)
        let card = try await Scorecard.make(definition, asOf: CivilTime(year: 2026, month: 1, day: 10), measurer: measurer)
        #expect(card.rows.map(\.verdict) == [.notMet, .met])
        #expect(card.rows[0].value == 90)
        #expect(card.rows[0].measured && !card.rows[1].measured)
        let text = card.render(.text, language: .zhCN)
        #expect(text.contains("2026年度生态环境目标考核表（截至2026-01-10）"))
        #expect(text.contains("填报：台账（2026-01-08，城管局）"))
        #expect(text.contains("共2项指标：达标1项，未达标1项，无数据0项；监测1项，填报1项。"))
        let json = try JSONText.parse(card.render(.json, language: .en))
        #expect(json["indicators"].map { if case .array(let a) = $0 { a.count } else { 0 } } == 2)
    }

    /// As of today, the valid-data rate counts the hours that have passed: a station that sent
    /// every hour so far is at 100 %, not at 10 of 24 (the rest of the day counted as missing).
    @Test func validDataRateAsOfTodayCountsOnlyTheHoursGone() async throws {
        // Hourly from 2026-01-01T00:00+08 through 09:00+08 (ten hours); now is 10:20+08.
        let store = try await site("today.sqlite", hours: 10)
        defer { try? store.close() }
        let definition = try ScorecardDefinition.load(YAMLFile(path: dir.file("today.yaml"), text: Self.validIndicator))
        var measurer = StoreIndicatorMeasurer(store: store, stations: Self.stations, zone: TimeZone(identifier: "Asia/Shanghai")!)
        measurer.now = Self.t0 + 10 * 3_600 + 20 * 60
        let card = try await Scorecard.make(definition, asOf: CivilTime(year: 2026, month: 1, day: 1), measurer: measurer)
        #expect(card.rows[0].value == 100)
        #expect(card.rows.map(\.verdict) == [.met])
        // Without a present instant (a past day's scorecard), the whole day is expected.
        measurer.now = nil
        let whole = try await Scorecard.make(definition, asOf: CivilTime(year: 2026, month: 1, day: 1), measurer: measurer)
        #expect(whole.rows[0].value.map { abs($0 - 1_000.0 / 24) < 0.01 } == true, "\(String(describing: whole.rows[0].value))")
    }
}
