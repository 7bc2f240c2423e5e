import Foundation
import Monitoring
import Testing

/// The US EPA AQI with the 2024 PM2.5 table (reference/standards.md §2).
@Suite struct EPAAQITests {
    @Test func technicalAssistanceDocumentExamples() throws {
        // O3 8-h 0.078 ppm: 101 + 49/0.014 × 0.007 = 125.5 → 126 (half up).
        #expect(try iaqi(.epa2024, "O3:8h", "0.078") == 126)
        // PM2.5 35.9: 101 + 49/19.9 × 0.4 = 101.98 → 102.
        #expect(try iaqi(.epa2024, "PM2.5:24h", "35.9") == 102)
        // O3 8-h 0.072: 104.5 → 105 (round half even would give 104).
        #expect(try iaqi(.epa2024, "O3:8h", "0.072") == 105)
        // O3 1-h 0.162: Equation 1 gives 147.49 → 147 (the TAD prints 148; the equation is followed).
        #expect(try iaqi(.epa2024, "O3:1h", "0.162") == 147)
    }

    @Test func everyBandEdge() throws {
        for (key, value, expected) in EPAEdgeCases.rows {
            #expect(try iaqi(.epa2024, key, value) == expected, "\(key)=\(value)")
        }
    }

    @Test func concentrationsAreTruncatedNotRounded() throws {
        let pm = try AirQualityIndex.iaqi(conc("PM2.5:24h", "35.97"), standard: .epa2024)
        #expect(pm.indexedConcentration == dec("35.9") && pm.value == 102)
        #expect(try iaqi(.epa2024, "PM2.5:24h", "9.09") == 50)  // 9.0, not 9.1
        #expect(try iaqi(.epa2024, "O3:8h", "0.0789") == 126)  // 0.078
        #expect(try iaqi(.epa2024, "CO:8h", "4.49") == 50)  // 4.4
        #expect(try iaqi(.epa2024, "PM10:24h", "54.9") == 50)  // 54
        #expect(try iaqi(.epa2024, "NO2:1h", "100.99") == 100)  // 100
    }

    @Test func the2024ParticleTable() throws {
        // 2024: Good ends at 9.0 (it was 12.0); one Hazardous segment 225.5–325.4 ↦ 301–500.
        #expect(try iaqi(.epa2024, "PM2.5:24h", "12.0") == 56)  // 51 + 49/26.3 × 2.9 = 56.4
        #expect(try iaqi(.epa2024, "PM2.5:24h", "225.5") == 301)
        #expect(try iaqi(.epa2024, "PM2.5:24h", "325.4") == 500)
        #expect(try iaqi(.epa2024, "PM10:24h", "504") == 389)  // 301 + 199/179 × 79 = 388.8 (was 400 in the split band)
    }

    @Test func aboveFiveHundredIsExtrapolated() throws {
        let r = try AirQualityIndex.iaqi(conc("PM2.5:24h", "400.0"), standard: .epa2024)
        #expect(r.value == 649 && r.rule == .aboveTable)
    }

    @Test func ozoneRules() throws {
        // 8-h above 0.200 ppm is not indexed; the 1-h value is used.
        let high = try AirQualityIndex.evaluate([conc("O3:8h", "0.210"), conc("O3:1h", "0.420")], standard: .epa2024)
        #expect(high.iaqis[0].value == nil && high.iaqis[0].rule == .notIndexed(useInstead: .hour))
        #expect(high.iaqis[1].value == 316 && high.aqi == 316)  // 301 + 199/0.199 × 0.015 = 316
        // 1-h below 0.125 ppm is a blank cell: not indexed.
        let low = try AirQualityIndex.evaluate([conc("O3:8h", "0.060"), conc("O3:1h", "0.100")], standard: .epa2024)
        #expect(low.iaqis[1].value == nil && low.aqi == 67 && low.primaryPollutants == [.o3])
        // Both indexed: the higher counts.
        let both = try AirQualityIndex.evaluate([conc("O3:8h", "0.080"), conc("O3:1h", "0.170")], standard: .epa2024)
        #expect(both.iaqis.map(\.value) == [133, 157] && both.aqi == 157)  // 101 + 49/0.014 × 0.009 = 132.5 → 133
    }

    @Test func sulphurDioxideRules() throws {
        // Below 305 ppb the 1-h value is indexed and a 24-h average is not.
        let low = try AirQualityIndex.evaluate([conc("SO2:1h", "304"), conc("SO2:24h", "100")], standard: .epa2024)
        #expect(low.iaqis.map(\.value) == [200, nil] && low.aqi == 200)
        // 1-h ≥ 305 with a 24-h average ≥ 305: the 24-h average is indexed.
        let high = try AirQualityIndex.evaluate([conc("SO2:1h", "700"), conc("SO2:24h", "400")], standard: .epa2024)
        #expect(high.iaqis.map(\.value) == [nil, 232] && high.aqi == 232)  // 201 + 99/299 × 95 = 232.45 → 232
        // 1-h ≥ 305 with a 24-h average below 305: AQI 200.
        let capped = try AirQualityIndex.evaluate([conc("SO2:1h", "305"), conc("SO2:24h", "250")], standard: .epa2024)
        #expect(capped.iaqis.map(\.value) == [nil, 200] && capped.iaqis[1].rule == .fixed && capped.aqi == 200)
    }

    /// standards.md §2.2: "use the daily-max 1-h value below 305 ppb, and the 24-h average at or above 305
    /// ppb". A 1-h value at or above 305 ppb without the average used to leave SO2 out of the AQI, which
    /// then came from the other pollutants: 400 ppb of SO2 beside clean PM2.5 printed AQI 28, Good.
    @Test func sulphurDioxideAtOrAbove305NeedsTheDailyAverage() throws {
        for value in ["305", "400", "1200"] {
            let error = #expect(throws: StandardsError.self) {
                try AirQualityIndex.evaluate([conc("SO2:1h", value), conc("PM2.5:24h", "5.0")], standard: .epa2024)
            }
            #expect(error?.code == .notApplicable && error?.message.contains("give SO2:24h") == true, "\(value)")
        }
        // Just below, truncated to 304 ppb: the 1-h value is indexed on its own.
        let below = try AirQualityIndex.evaluate([conc("SO2:1h", "304.9"), conc("PM2.5:24h", "5.0")], standard: .epa2024)
        #expect(below.aqi == 200 && below.primaryPollutants == [.so2])
        // The 24-h average alone is indexed from 305 ppb as before.
        #expect(try AirQualityIndex.evaluate([conc("SO2:24h", "310")], standard: .epa2024).aqi == 203)
    }

    /// Below 305 ppb the 1-h value decides: a 24-h average beside it is not used, even one at or above 305.
    @Test func sulphurDioxideBelow305IgnoresTheAverage() throws {
        let r = try AirQualityIndex.evaluate([conc("SO2:1h", "200"), conc("SO2:24h", "310")], standard: .epa2024)
        #expect(r.iaqis.map(\.value) == [157, nil] && r.aqi == 157)  // 151 + 49/118 × 14 = 156.8 → 157
        #expect(r.iaqis[1].rule == .notIndexed(useInstead: .hour))
    }

    @Test func mainPollutantAndCategories() throws {
        let r = try AirQualityIndex.evaluate([conc("PM2.5:24h", "5.0"), conc("NO2:1h", "20")], standard: .epa2024)
        #expect(r.aqi == 28 && r.primaryPollutants == [.pm25])  // EPA names a main pollutant at any AQI
        #expect(r.category?.name(in: .epa2024) == "Good")
        #expect(AQICategory(aqi: 101).name(in: .epa2024) == "Unhealthy for Sensitive Groups")
        #expect(AQICategory(aqi: 649).name(in: .epa2024) == "Hazardous")
        let purple = AQICategory.level5.colour(in: .epa2024)
        #expect((purple.red, purple.green, purple.blue) == (143, 63, 151))
    }

    @Test func periodsTheEPADoesNotIndex() {
        #expect(throws: StandardsError.self) { try iaqi(.epa2024, "PM2.5:1h", "10") }
        #expect(throws: StandardsError.self) { try iaqi(.epa2024, "CO:1h", "10") }
        #expect(throws: StandardsError.self) { try iaqi(.epa2024, "NO2:24h", "10") }
    }
}
