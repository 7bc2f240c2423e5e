import Foundation
import Monitoring
import Testing

/// China's AQI by HJ 633-2012 and HJ 633-2026 (reference/standards.md §1).
@Suite struct HJ633AQITests {
    /// The worked daily-report example of reference/standards.md §1.3.
    let workedDay = [
        conc("PM2.5:24h", "75"), conc("PM10:24h", "100"), conc("O3:8h", "170"), conc("SO2:24h", "100"), conc("NO2:24h", "81"),
        conc("CO:24h", "1.5"),
    ]

    @Test func workedDailyExampleUnder2026() throws {
        let r = try AirQualityIndex.evaluate(workedDay, standard: .hj633_2026)
        #expect(r.iaqis.map(\.value) == [114, 86, 110, 75, 101, 38])
        #expect(r.aqi == 114)
        #expect(r.primaryPollutants == [.pm25])
        #expect(r.category == .level3)
        #expect(r.category?.chineseLevel == "三级" && r.category?.name(in: .hj633_2026) == "轻度污染")
        #expect(r.category?.colour(in: .hj633_2026).name == "orange")
        #expect(r.nonAttainmentPollutants == nil)  // deleted in 2026
    }

    @Test func workedDailyExampleUnder2012() throws {
        let r = try AirQualityIndex.evaluate(workedDay, standard: .hj633_2012)
        #expect(r.iaqis.map(\.value) == [100, 75, 110, 75, 101, 38])
        #expect(r.aqi == 110)
        #expect(r.primaryPollutants == [.o3])
        #expect(r.category == .level3)
        #expect(r.nonAttainmentPollutants == [.o3, .no2])
    }

    @Test func tablesMatchTheReference() {
        // Spot checks of the data against reference/standards.md §1.1 (the edge cases check every breakpoint).
        let pm25 = AirQualityIndex.table(.pm25, .day, in: .hj633_2026)!
        #expect(pm25.segments.map(\.concentrationHigh) == ["35", "60", "115", "150", "250", "350", "500"].map(dec))
        #expect(pm25.source.description == "HJ 633-2026 Table 3 [V]")
        let pm10 = AirQualityIndex.table(.pm10, .day, in: .hj633_2012)!
        #expect(pm10.segments.map(\.concentrationHigh) == ["50", "150", "250", "350", "420", "500", "600"].map(dec))
        #expect(AirQualityIndex.table(.o3, .eightHours, in: .hj633_2012)!.segments.last?.indexHigh == 300)
        #expect(AirQualityIndex.table(.so2, .hour, in: .hj633_2026)!.segments.last?.indexHigh == 200)
        // Only PM changed between the editions.
        for pollutant in [AQIPollutant.so2, .no2, .co, .o3] {
            for period in [AveragingPeriod.hour, .eightHours, .day] {
                #expect(AirQualityIndex.table(pollutant, period, in: .hj633_2012)?.segments == AirQualityIndex.table(pollutant, period, in: .hj633_2026)?.segments)
            }
        }
    }

    @Test func everyBreakpointEdge() throws {
        for (edition, key, value, expected) in HJ633EdgeCases.rows {
            let standard: AQIStandard = edition == 2012 ? .hj633_2012 : .hj633_2026
            #expect(try iaqi(standard, key, value) == expected, "\(standard) \(key)=\(value)")
        }
    }

    @Test func iaqiIsRoundedUpNotToNearest() throws {
        // 100.5 → 101 (NO2 81), 109.09 → 110 (O3 170), and a hair above 50 → 51.
        #expect(try iaqi(.hj633_2026, "NO2:24h", "81") == 101)
        #expect(try iaqi(.hj633_2026, "O3:8h", "170") == 110)
        #expect(try iaqi(.hj633_2012, "SO2:24h", "50.001") == 51)
    }

    @Test func exactArithmeticAtTheCOFloatingPointTraps() throws {
        // The 23 CO values on a 0.1 mg/m³ step whose IAQI is a whole number that IEEE doubles overshoot,
        // so a floating-point ceiling gives one more (e.g. CO 24-h 2.2 → 55, not 56).
        let traps: [(String, String, Int)] = [
            ("CO:24h", "2.2", 55), ("CO:1h", "65.4", 218), ("CO:1h", "66.9", 223), ("CO:1h", "68.4", 228), ("CO:1h", "69.9", 233),
            ("CO:1h", "71.4", 238), ("CO:1h", "72.9", 243), ("CO:1h", "74.4", 248), ("CO:1h", "75.9", 253), ("CO:1h", "129.3", 431),
            ("CO:1h", "130.8", 436), ("CO:1h", "132.3", 441), ("CO:1h", "133.8", 446), ("CO:1h", "135.3", 451), ("CO:1h", "136.8", 456),
            ("CO:1h", "138.3", 461), ("CO:1h", "139.8", 466), ("CO:1h", "141.3", 471), ("CO:1h", "142.8", 476), ("CO:1h", "144.3", 481),
            ("CO:1h", "145.8", 486), ("CO:1h", "147.3", 491), ("CO:1h", "148.8", 496),
        ]
        for (key, value, expected) in traps {
            #expect(try iaqi(.hj633_2012, key, value) == expected, "\(key)=\(value)")
            #expect(try iaqi(.hj633_2026, key, value) == expected, "\(key)=\(value)")
        }
        // A reading arriving as a Double keeps its decimal value.
        let fromDouble = try AirQualityIndex.iaqi(AQIConcentration(.co, .day, reading: 2.2), standard: .hj633_2012)
        #expect(fromDouble.value == 55)
    }

    @Test func concentrationsAreRoundedByGBT8170Under2026Only() throws {
        // Round half to even before indexing: 74.5 → 74, 75.5 → 76; 74.51 → 75.
        let r = try AirQualityIndex.iaqi(conc("PM2.5:24h", "74.5"), standard: .hj633_2026)
        #expect(r.indexedConcentration == 74 && r.value == 113)  // 100 + 50/55 × 14 = 112.7 → 113
        #expect(try iaqi(.hj633_2026, "PM2.5:24h", "75.5") == 115)  // 76: 100 + 50/55 × 16 = 114.5 → 115
        #expect(try AirQualityIndex.iaqi(conc("PM2.5:24h", "74.51"), standard: .hj633_2026).indexedConcentration == 75)
        #expect(try AirQualityIndex.iaqi(conc("CO:24h", "2.25"), standard: .hj633_2026).indexedConcentration == dec("2.2"))
        #expect(try AirQualityIndex.iaqi(conc("CO:24h", "2.35"), standard: .hj633_2026).indexedConcentration == dec("2.4"))
        // 2012 indexes the value as given: 35.4 is 50/35 × 35.4 = 50.57 → 51 (2026 rounds it to 35 → 50).
        #expect(try iaqi(.hj633_2012, "PM2.5:24h", "35.4") == 51)
        #expect(try iaqi(.hj633_2026, "PM2.5:24h", "35.4") == 50)
    }

    @Test func sulphurDioxideHourAbove800() throws {
        // 2012 note (2): not indexed, the 24-h IAQI is used instead.
        let old = try AirQualityIndex.evaluate([conc("SO2:1h", "900"), conc("SO2:24h", "300")], standard: .hj633_2012)
        #expect(old.iaqis[0].value == nil && old.iaqis[0].rule == .notIndexed(useInstead: .day))
        #expect(old.iaqis[1].value == 124)  // 150–475 ↦ 100–150: 100 + 50/325 × 150 = 123.08 → 124
        #expect(old.aqi == old.iaqis[1].value && old.primaryPollutants == [.so2])
        // Without the 24-h value SO2 is left out, and says so.
        let alone = try AirQualityIndex.evaluate([conc("SO2:1h", "801"), conc("PM10:24h", "60")], standard: .hj633_2012)
        #expect(alone.unindexedPollutants == [.so2] && alone.aqi == 55)
        // 800 itself is on the table: 200.
        #expect(try iaqi(.hj633_2012, "SO2:1h", "800") == 200)
        // 2026 note b: fixed at 200.
        let new = try AirQualityIndex.iaqi(conc("SO2:1h", "801"), standard: .hj633_2026)
        #expect(new.value == 200 && new.rule == .fixed)
        #expect(try iaqi(.hj633_2026, "SO2:1h", "2000") == 200)
        // 800.4 rounds to 800 (on the table); 800.6 rounds to 801 (fixed): both 200.
        #expect(try AirQualityIndex.iaqi(conc("SO2:1h", "800.4"), standard: .hj633_2026).rule == nil)
        #expect(try AirQualityIndex.iaqi(conc("SO2:1h", "800.6"), standard: .hj633_2026).rule == .fixed)
    }

    @Test func ozoneEightHourAbove800() throws {
        // 2012 note (3): not indexed, the 1-h IAQI is used instead.
        let old = try AirQualityIndex.evaluate([conc("O3:8h", "850"), conc("O3:1h", "900")], standard: .hj633_2012)
        #expect(old.iaqis[0].value == nil && old.iaqis[0].rule == .notIndexed(useInstead: .hour))
        #expect(old.iaqis[1].value == 350 && old.aqi == 350 && old.primaryPollutants == [.o3])  // 800–1000 ↦ 300–400
        #expect(try iaqi(.hj633_2012, "O3:8h", "800") == 300)
        // 2026 note c: fixed at 300.
        let new = try AirQualityIndex.iaqi(conc("O3:8h", "850"), standard: .hj633_2026)
        #expect(new.value == 300 && new.rule == .fixed)
    }

    @Test func hourlyParticlesUseTheDailyTableIn2026Only() throws {
        #expect(try iaqi(.hj633_2026, "PM2.5:1h", "75") == 114)
        #expect(try iaqi(.hj633_2026, "PM10:1h", "100") == 86)
        let error = #expect(throws: StandardsError.self) { try iaqi(.hj633_2012, "PM2.5:1h", "75") }
        #expect(error?.code == .unsupportedPeriod)
        #expect(error?.message == "HJ 633-2012 does not index PM2.5:1h (it indexes PM2.5 as 24h)")
        #expect(throws: StandardsError.self) { try iaqi(.hj633_2026, "CO:8h", "3") }
    }

    @Test func aboveTheTopBreakpointIs500() throws {
        let r = try AirQualityIndex.iaqi(conc("PM2.5:24h", "620"), standard: .hj633_2026)
        #expect(r.value == 500 && r.rule == .aboveTable)
        #expect(try iaqi(.hj633_2012, "CO:1h", "150.01") == 500)
        #expect(try iaqi(.hj633_2012, "PM10:24h", "600") == 500)
    }

    @Test func primaryPollutantTiesAndTheFiftyThreshold() throws {
        // Ties list every pollutant with the largest IAQI, in the order given.
        let tie = try AirQualityIndex.evaluate([conc("PM10:24h", "120"), conc("PM2.5:24h", "60"), conc("NO2:24h", "40")], standard: .hj633_2026)
        #expect(tie.aqi == 100 && tie.primaryPollutants == [.pm10, .pm25])
        // AQI ≤ 50: no primary pollutant.
        let clean = try AirQualityIndex.evaluate([conc("PM2.5:24h", "35"), conc("O3:8h", "100")], standard: .hj633_2026)
        #expect(clean.aqi == 50 && clean.primaryPollutants.isEmpty && clean.category == .level1)
        // 51: primary pollutant named.
        let moderate = try AirQualityIndex.evaluate([conc("PM2.5:24h", "36"), conc("O3:8h", "100")], standard: .hj633_2026)
        #expect(moderate.aqi == 52 && moderate.primaryPollutants == [.pm25])
        // One pollutant given twice over two periods is named once.
        let both = try AirQualityIndex.evaluate([conc("O3:1h", "200"), conc("O3:8h", "160")], standard: .hj633_2026)
        #expect(both.aqi == 100 && both.primaryPollutants == [.o3])
    }

    @Test func categoriesAtTheirBounds() {
        let bounds: [(Int, AQICategory, String)] = [
            (0, .level1, "优"), (50, .level1, "优"), (51, .level2, "良"), (100, .level2, "良"), (101, .level3, "轻度污染"),
            (150, .level3, "轻度污染"), (151, .level4, "中度污染"), (200, .level4, "中度污染"), (201, .level5, "重度污染"),
            (300, .level5, "重度污染"), (301, .level6, "严重污染"), (500, .level6, "严重污染"),
        ]
        for (aqi, category, name) in bounds {
            #expect(AQICategory(aqi: aqi) == category && category.name(in: .hj633_2012) == name, "\(aqi)")
        }
        let purple = AQICategory.level5.colour(in: .hj633_2026)
        #expect((purple.red, purple.green, purple.blue) == (153, 0, 76))
    }

    @Test func badInputIsRefused() {
        #expect(throws: StandardsError.self) { try AirQualityIndex.evaluate([conc("PM2.5:24h", "1"), conc("PM2.5:24h", "2")], standard: .hj633_2026) }
        #expect(throws: StandardsError.self) {
            try AirQualityIndex.iaqi(AQIConcentration(.pm25, .day, Decimal(-1)), standard: .hj633_2026)
        }
        #expect(Decimal(plainNumeral: "12abc") == nil && Decimal(plainNumeral: "-1") == nil && Decimal(plainNumeral: "1e3") == nil)
        #expect(Decimal(plainNumeral: ".5") == nil && Decimal(plainNumeral: "0.072") == dec("0.072"))
    }

    @Test func editionByDate() {
        #expect(AQIStandard.china(on: CivilTime(year: 2026, month: 2, day: 28, hour: 23, minute: 59)) == .hj633_2012)
        #expect(AQIStandard.china(on: CivilTime(year: 2026, month: 3, day: 1)) == .hj633_2026)
        // 2026-03-01T00:00+08:00 is 2026-02-28T16:00Z.
        let start = CivilTime(year: 2026, month: 2, day: 28, hour: 16).secondsIfUTC
        #expect(AQIStandard.china(at: start - 1) == .hj633_2012)
        #expect(AQIStandard.china(at: start) == .hj633_2026)
        #expect(AQIStandard.china(at: 0) == .hj633_2012)
    }
}
