import EnvmonTesting
import Foundation
import Monitoring
import Reports
import Store
import Testing

/// `WaterReport` on a real SQLite store: June 2026 of two sections of one river, every 4 hours.
@Suite struct WaterReportTests {
    let dir = TemporaryDirectory("water-report")
    // 2026-06-01T00:00+08:00.
    let t0 = CivilTime(year: 2026, month: 5, day: 31, hour: 16).secondsIfUTC
    let parameters = ["pH", "DO", "COD", "NH3-N", "TP", "WT"]

    func section(_ id: String, _ labels: [String: String]) -> Station {
        var st = TestStations.station(id, kind: .surfaceWater, interval: 14_400, parameters: parameters)
        st.labels = labels
        return st
    }

    var stations: StationRegistry {
        StationRegistry([
            section("down", ["basin": "Baisha River", "target_class": "III", "river_position": "downstream"]),
            section("up", ["basin": "Baisha River", "target_class": "III", "river_position": "upstream"]),
        ])
    }

    func makeStore() async throws -> String {
        let path = dir.file("water.sqlite")
        let store = try SQLiteStore(path: path, stations: stations, retention: .forever)
        var samples: [Sample] = []
        func add(_ st: String, _ values: [String: Double]) {
            for i in 0..<(30 * 6) {
                for (p, v) in values {
                    // COD alternates around its mean, so the mean is the mean of readings, not one value.
                    let value = p == "COD" ? v + (i % 2 == 0 ? 1 : -1) : v
                    samples.append(Sample(series: SeriesKey(station: st, parameter: p, kind: .hour), time: t0 + Int64(i) * 14_400, value: value))
                }
            }
        }
        // Downstream: COD 24 (class IV, 0.2 over III's 20), NH3-N 0.8 (III), DO 6 (II), TP 0.1 (II): class IV.
        add("down", ["pH": 7.5, "DO": 6, "COD": 24, "NH3-N": 0.8, "TP": 0.1, "WT": 22])
        // A COD reading in maintenance (flag M) must not enter the mean.
        samples.append(Sample(series: SeriesKey(station: "down", parameter: "COD", kind: .hour), time: t0 + 7_200, value: 500, flag: .maintenance))
        // Upstream: COD 16 (III), the rest as downstream: class III.
        add("up", ["pH": 7.5, "DO": 6, "COD": 16, "NH3-N": 0.8, "TP": 0.1, "WT": 22])
        _ = try await store.write(samples)
        try store.close()
        return path
    }

    @Test func monthClassTargetExceedancesAndRiverPair() async throws {
        let path = try await makeStore()
        let r = try await WaterReport.make(WaterReportRequest(period: .month(2026, 6)), stations: stations) {
            try SQLiteStore(path: path, stations: stations, retention: .forever)
        }
        let down = try #require(r.sections.first { $0.station.id == "down" })
        let june = try #require(down.months.first)
        #expect(down.months.count == 1 && june.month == "2026-06")
        #expect(june.sectionClass == .classIV && june.assessment?.meetsTarget == false)
        #expect(june.evaluatedItems == ["pH", "DO", "COD", "NH3-N", "TP"])
        #expect(june.unmeasuredItems.count == 21 - 5 && !june.unmeasuredItems.contains("TN"))
        let cod = try #require(june.items.first { $0.parameter == "COD" })
        #expect(cod.mean == 24 && cod.readings == 180)
        #expect(june.assessment?.exceedances.map(\.parameter) == ["COD"])
        #expect(june.assessment?.exceedances.first?.multiple == Decimal(string: "0.2"))

        let up = try #require(r.sections.first { $0.station.id == "up" })
        #expect(up.months.first?.sectionClass == .classIII && up.months.first?.assessment?.exceedances.isEmpty == true)
        #expect(r.monthsMeetingTarget == 1 && r.assessedMonths == 2 && r.complianceRate == 0.5)
        #expect(r.pairs.count == 1 && r.pairs.first?.upstream.station.id == "up" && r.pairs.first?.river == "Baisha River")

        let json = WaterReportOutput(report: r, language: .en).json()
        let sections = json["sections"]
        guard case .array(let list)? = sections, case .object? = list.first else {
            Issue.record("sections is not an array of objects")
            return
        }
        let zh = WaterReportOutput(report: r, language: .zhCN).render(.text)
        #expect(zh.contains("Ⅳ类") && zh.contains("轻度污染") && zh.contains("化学需氧量 0.20"))
    }

    @Test func aBadTargetLabelIsNamed() async throws {
        let bad = StationRegistry([section("s", ["target_class": "VI"])])
        do {
            _ = try await WaterReport.make(WaterReportRequest(period: .month(2026, 6)), stations: bad) { throw ReportsError("must not open") }
            Issue.record("a bad target_class must fail")
        } catch {
            #expect("\(error)".contains("target_class 'VI'"))
        }
    }
}
