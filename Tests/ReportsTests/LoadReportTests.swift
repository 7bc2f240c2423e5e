import EnvmonConfig
import EnvmonTesting
import Foundation
import Monitoring
import Reports
import Store
import Testing

/// `LoadReport.make` on a real SQLite store: loads from the hourly rollups, substitution kept
/// apart, grouping by label, the allowance's progress, and the errors that come before the store.
@Suite struct LoadReportTests {
    let dir = TemporaryDirectory("envmon-load-unit")
    static let march1: Int64 = 1_772_294_400  // 2026-03-01T00:00:00+08:00
    /// 2026-03-04T12:00:00+08:00.
    static let now = march1 + 3 * 86_400 + 12 * 3_600

    let registry: StationRegistry = {
        var mill = TestStations.station("mill", kind: .dischargeOutlet, parameters: ["COD", "NH3-N", "Q-water"])
        mill.labels = ["operator": "Mill Co.", "district": "X"]
        var kiln = TestStations.station("kiln", kind: .stack, parameters: ["SO2", "Q-gas", "O2"])
        kiln.labels = ["operator": "Kiln Co.", "district": "X"]
        let air = TestStations.station("air", kind: .ambientAir, parameters: ["PM2.5"])
        return TestStations.registry(mill, kiln, air)
    }()

    /// The mill's COD of an hour of 1–3 March: 50 mg/L, 40 and 60 around a gap on 2 March 10:00–12:59.
    static func cod(_ h: Int) -> Double? {
        switch h {
        case 24 + 9: 40
        case 24 + 10...24 + 12: nil
        case 24 + 13: 60
        default: 50
        }
    }

    func store() async throws -> String {
        let path = dir.file("load.sqlite")
        let store = try SQLiteStore(path: path, stations: registry)
        var samples: [Sample] = []
        for h in 0..<72 {
            let t = Self.march1 + Int64(h) * 3_600
            if let c = Self.cod(h) { samples.append(Sample(series: SeriesKey(station: "mill", parameter: "COD", kind: .hour), time: t, value: c)) }
            samples.append(Sample(series: SeriesKey(station: "mill", parameter: "NH3-N", kind: .hour), time: t, value: 2))
            samples.append(Sample(series: SeriesKey(station: "mill", parameter: "Q-water", kind: .hour), time: t, value: 100))
            // The kiln stops for five hours on 3 March.
            let stopped = (48 + 5..<48 + 10).contains(h)
            samples.append(Sample(series: SeriesKey(station: "kiln", parameter: "SO2", kind: .hour), time: t, value: stopped ? 0 : 100, flag: stopped ? .stopped : .normal))
            samples.append(Sample(series: SeriesKey(station: "kiln", parameter: "Q-gas", kind: .hour), time: t, value: stopped ? 0 : 10, flag: stopped ? .stopped : .normal))
        }
        _ = try await store.write(samples)
        try store.close()
        return path
    }

    func make(_ request: LoadRequest, allowances: AllowanceBook = AllowanceBook(), path: String) async throws -> LoadReport {
        try await LoadReport.make(request, stations: registry, allowances: allowances, now: Self.now) {
            try SQLiteStore.forReading(path: path, stations: registry)
        }
    }

    @Test func loadsAreConcentrationTimesFlowWithTheGapSubstitutedApart() async throws {
        let path = try await store()
        let march = LoadRequest(from: CivilTime(year: 2026, month: 3, day: 1), to: CivilTime(year: 2026, month: 3, day: 3))
        let report = try await make(march, path: path)
        let rows = Dictionary(report.rows.map { ("\($0.group)/\($0.pollutant)", $0) }, uniquingKeysWith: { a, _ in a })
        #expect(Set(rows.keys) == ["mill/COD", "mill/NH3-N", "kiln/SO2"])
        // Water: mg/L × m³; 100 L/s is 360 m³/h, so 1 mg/L over an hour is 0.36 kg.
        let measured = (0..<72).compactMap { Self.cod($0) }.reduce(0, +) * 0.36
        let cod = try #require(rows["mill/COD"]?.tally)
        #expect(abs(cod.load.measured - measured) < 1e-9)
        #expect(cod.measuredHours == 69 && cod.substitutedHours == 3)
        // Three hours, α ≥ 90 % over the quarter: the mean of 40 and 60.
        #expect(abs(cod.load.substituted - 3 * 50 * 0.36) < 1e-9)
        // Flue gas: mg/m³ × m³/h; 10 m³/s at 100 mg/m³ is 3.6 kg/h; stopped hours emit nothing.
        let so2 = try #require(rows["kiln/SO2"]?.tally)
        #expect(abs(so2.load.measured - 67 * 3.6) < 1e-9 && so2.load.substituted == 0)
        #expect(so2.stoppedHours == 5 && so2.substitutedHours == 0)
        // Flows: 360 m³/h at the mill; the kiln's mean counts its stopped hours as nothing.
        let flows: [String: Double] = Dictionary(report.flows.map { ($0.station.id, $0.cubicMetresPerHour ?? -1) }, uniquingKeysWith: { a, _ in a })
        let millFlow: Double = flows["mill"] ?? -1
        let kilnFlow: Double = flows["kiln"] ?? -1
        #expect(abs(millFlow - 360) < 1e-9)
        #expect(abs(kilnFlow - 36_000.0 * 67 / 72) < 1e-6)

        // By operator, and by a label both share.
        var byOperator = march
        byOperator.grouping = .label("operator")
        #expect(try await make(byOperator, path: path).rows.map { "\($0.group)/\($0.pollutant)" } == ["Kiln Co./SO2", "Mill Co./COD", "Mill Co./NH3-N"])
        var byDistrict = march
        byDistrict.grouping = LoadGrouping(parsing: "district")
        let district = try await make(byDistrict, path: path).rows
        #expect(district.map(\.group) == ["X", "X", "X"] && district.first?.stations.count == 2)
    }

    @Test func anAllowanceIsJudgedOnItsYearToDate() async throws {
        let path = try await store()
        let mill = StationScope(stations: ["mill"])
        let book = AllowanceBook([
            YearlyAllowance(name: "mill-cod", pollutant: "COD", flow: "Q-water", scope: mill, years: [2026: 10_000]),
            YearlyAllowance(name: "mill-cod-tight", pollutant: "COD", flow: "Q-water", scope: mill, years: [2026: 1_000]),
            YearlyAllowance(name: "mill-cod-2025", pollutant: "COD", flow: "Q-water", scope: mill, years: [2025: 10_000]),
        ])
        // No dates: 1 January through yesterday, 3 March (62 of 365 days).
        let report = try await make(LoadRequest(pollutants: ["COD"]), allowances: book, path: path)
        #expect(report.from == CivilTime(year: 2026, month: 1, day: 1) && report.to == CivilTime(year: 2026, month: 3, day: 3))
        let p = Dictionary(report.progress.map { ($0.allowance.name, $0) }, uniquingKeysWith: { a, _ in a })
        let load = ((0..<72).compactMap { Self.cod($0) }.reduce(0, +) + 150) * 0.36
        let fraction = 62.0 / 365
        let ok = try #require(p["mill-cod"])
        #expect(abs(ok.elapsedFraction - fraction) < 1e-12 && abs(ok.tally.load.total - load) < 1e-9)
        #expect(abs((ok.proRated ?? 0) - 10_000 * fraction) < 1e-9 && abs((ok.share ?? 0) - load / (10_000 * fraction)) < 1e-12)
        #expect(abs((ok.projected ?? 0) - load / fraction) < 1e-9)
        #expect(ok.verdict == .onSchedule && p["mill-cod-tight"]?.verdict == .behind)
        #expect(p["mill-cod-2025"]?.verdict == .noAllowance && p["mill-cod-2025"]?.proRated == nil)

        // Today, still in progress: counted up to now, and the year's share with half of today.
        let today = try await make(LoadRequest(to: CivilTime(year: 2026, month: 3, day: 4), pollutants: ["COD"]), allowances: book, path: path)
        #expect(today.partialDay && today.end == Self.now)
        #expect(abs((today.progress.first?.elapsedFraction ?? 0) - 62.5 / 365) < 1e-12)

        // The text names the verdicts and units in either language.
        let zh = LoadOutput(report: report, language: .zhCN).render(.text)
        #expect(zh.contains("按序时进度") && zh.contains("滞后") && zh.contains("2026 年无指标") && zh.contains("m³/d"))
        let en = LoadOutput(report: report, language: .en).render(.text)
        #expect(en.contains("on schedule") && en.contains("behind") && en.contains("no allowance for 2026"))
        let json = try JSONText.parse(LoadOutput(report: report, language: .en).render(.json))
        #expect(json["allowances"] != nil && json["loads"] != nil && json["notes"] != nil)
    }

    /// The mill's COD allowance: 10 t in 2026.
    static let millCOD = AllowanceBook([
        YearlyAllowance(name: "mill-cod", pollutant: "COD", flow: "Q-water", scope: StationScope(stations: ["mill"]), years: [2026: 10_000])
    ])

    /// A 2026 scorecard whose first indicator is the mill's COD load against `mill-cod`.
    static let codIndicator = """
        year: 2026
        indicators:
          - id: cod
            name: {zh: 化学需氧量, en: COD}
            measure: load-against-allowance
            parameter: COD
            allowance: mill-cod
            target: "<= 100%"

        """

    func scorecard(_ text: String) throws -> ScorecardDefinition {
        try ScorecardDefinition.load(YAMLFile(path: dir.file("2026.yaml"), text: text))
    }

    /// The scorecard's measurer over `store`, the bureau on Beijing time.
    static func measurer(_ store: SQLiteStore, _ registry: StationRegistry, _ book: AllowanceBook) -> StoreIndicatorMeasurer {
        var measurer = StoreIndicatorMeasurer(store: store, stations: registry, zone: TimeZone(identifier: "Asia/Shanghai")!)
        measurer.allowances = book
        return measurer
    }

    @Test func theScorecardMeasuresALoadAgainstItsAllowanceAsTheReportDoes() async throws {
        let path = try await store()
        let book = Self.millCOD
        let definition = try scorecard(Self.codIndicator + """
              - id: nox
                name: {zh: 氮氧化物, en: NOx}
                measure: load-against-allowance
                parameter: NOx
                allowance: kiln-nox
                target: "<= 100%"

            """)
        let db = try SQLiteStore.forReading(path: path, stations: registry)
        defer { try? db.close() }
        var measurer = Self.measurer(db, registry, book)
        measurer.now = Self.now
        let through = CivilTime(year: 2026, month: 3, day: 3)
        let measured = try await measurer.measure(definition.indicators[0], year: 2026, through: through)
        let report = try await make(LoadRequest(to: through, pollutants: ["COD"]), allowances: book, path: path)
        let share = try #require(report.progress.first?.share)
        #expect(abs((measured.value ?? 0) - share * 100) < 1e-9)
        #expect(measured.methodEN.contains("pro-rated"))
        // An allowance the book does not hold is not measured, and says so.
        let missing = try await measurer.measure(definition.indicators[1], year: 2026, through: through)
        #expect(missing.value == nil && missing.methodEN.contains("no allowance 'kiln-nox'"))
    }

    /// Outlets on Asia/Urumqi (two hours behind Beijing) under a bureau on Beijing time: the
    /// scorecard's load counts the outlets' own days. At 01:00 Beijing time their day is still
    /// yesterday's; the scorecard used to hand the report the bureau's date, which the report
    /// refused as after today.
    @Test func theScorecardCountsTheSourcesDaysInTheirOwnZone() async throws {
        let mill = TestStations.station("mill", kind: .dischargeOutlet, zone: "Asia/Urumqi", parameters: ["COD", "Q-water"])
        let registry = TestStations.registry(mill)
        let path = dir.file("urumqi.sqlite")
        let store = try SQLiteStore(path: path, stations: registry)
        var samples: [Sample] = []
        for h in 0..<72 {
            let t = Self.march1 + Int64(h) * 3_600
            samples.append(Sample(series: SeriesKey(station: "mill", parameter: "COD", kind: .hour), time: t, value: 50))
            samples.append(Sample(series: SeriesKey(station: "mill", parameter: "Q-water", kind: .hour), time: t, value: 100))
        }
        _ = try await store.write(samples)
        try store.close()
        let book = Self.millCOD
        let definition = try scorecard(Self.codIndicator)
        let db = try SQLiteStore.forReading(path: path, stations: registry)
        defer { try? db.close() }
        var measurer = Self.measurer(db, registry, book)
        // 2026-03-04T01:00+08:00, which is 2026-03-03T23:00 in Urumqi.
        let now = Self.march1 + 3 * 86_400 + 3_600
        measurer.now = now
        let card = try await Scorecard.make(definition, asOf: CivilTime(year: 2026, month: 3, day: 4), measurer: measurer)
        let report = try await LoadReport.make(
            LoadRequest(to: CivilTime(year: 2026, month: 3, day: 3), pollutants: ["COD"]), stations: registry, allowances: book, now: now
        ) { try SQLiteStore.forReading(path: path, stations: registry) }
        #expect(report.partialDay && report.end == now)
        let share = try #require(report.progress.first?.share)
        #expect(abs((card.rows[0].value ?? -1) - share * 100) < 1e-9, "\(String(describing: card.rows[0].value))")

        // A past year's scorecard (no present instant) counts through the outlets' own midnight.
        measurer.now = nil
        let past = try await measurer.measure(definition.indicators[0], year: 2026, through: CivilTime(year: 2026, month: 3, day: 3))
        let whole = try await LoadReport.make(
            LoadRequest(to: CivilTime(year: 2026, month: 3, day: 3), pollutants: ["COD"]), stations: registry, allowances: book,
            now: Self.march1 + 4 * 86_400
        ) { try SQLiteStore.forReading(path: path, stations: registry) }
        #expect(!whole.partialDay)
        let wholeShare = try #require(whole.progress.first?.share)
        #expect(abs((past.value ?? -1) - wholeShare * 100) < 1e-9, "\(String(describing: past.value))")
    }

    @Test func badRequestsFailBeforeTheStoreIsOpened() async throws {
        let bad: [(LoadRequest, String)] = [
            (LoadRequest(stations: ["nowhere"]), "--station 'nowhere': unknown station"),
            (LoadRequest(stations: ["air"]), "--station 'air' is a ambient-air station"),
            (LoadRequest(pollutants: ["PM2.5"]), "--pollutant 'PM2.5' is not a load pollutant"),
            (LoadRequest(to: CivilTime(year: 2026, month: 3, day: 5)), "--to 2026-03-05 is after today (2026-03-04"),
            (LoadRequest(from: CivilTime(year: 2026, month: 3, day: 3), to: CivilTime(year: 2026, month: 3, day: 1)), "--to 2026-03-01 is before --from 2026-03-03"),
        ]
        for (request, message) in bad {
            var opened = false
            let error = await #expect(throws: ReportsError.self) {
                _ = try await LoadReport.make(request, stations: registry, allowances: AllowanceBook(), now: Self.now) {
                    opened = true
                    throw ReportsError("opened")
                }
            }
            #expect(error?.description.contains(message) == true, "\(error?.description ?? "no error") vs \(message)")
            #expect(!opened)
        }
    }
}
