import Foundation
import Testing

/// `envmon aqi` and `envmon water-class` as a user sees them: exact outputs on the standards' worked examples.
@Suite struct StandardsCommandTests {
    /// The HJ 633-2026 worked daily report of reference/standards.md §1.3.
    let workedDay = ["PM2.5:24h=75", "PM10:24h=100", "O3:8h=170", "SO2:24h=100", "NO2:24h=81", "CO:24h=1.5"]

    @Test func aqiTextOnTheWorkedExample() async throws {
        let r = try await Envmon.run(["aqi"] + workedDay)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(
            r.stdout == """
                HJ 633-2026
                  PM2.5:24h  75 µg/m³              IAQI 114
                  PM10:24h   100 µg/m³             IAQI 86
                  O3:8h      170 µg/m³             IAQI 110
                  SO2:24h    100 µg/m³             IAQI 75
                  NO2:24h    81 µg/m³              IAQI 101
                  CO:24h     1.5 mg/m³             IAQI 38
                AQI 114 · 三级 轻度污染 (level 3, lightly polluted, orange)
                Primary pollutant: PM2.5

                """)
    }

    @Test func aqiJSONOnTheWorkedExampleUnderBothEditions() async throws {
        let new = try await Envmon.run(["aqi", "--standard", "hj633-2026", "--format", "json"] + workedDay)
        #expect(new.status == 0, "\(new.stderr)")
        #expect(
            new.stdout
                == #"{"standard":"hj633-2026","aqi":114,"primary":["PM2.5"],"category":"轻度污染","iaqi":{"PM2.5:24h":114,"PM10:24h":86,"O3:8h":110,"SO2:24h":75,"NO2:24h":101,"CO:24h":38}}"#
                + "\n")
        // The same day before 2026-03-01: the 2012 edition, chosen by date.
        let old = try await Envmon.run(["aqi", "--date", "2026-02-28", "--format", "json"] + workedDay)
        #expect(
            old.stdout
                == #"{"standard":"hj633-2012","aqi":110,"primary":["O3"],"category":"轻度污染","iaqi":{"PM2.5:24h":100,"PM10:24h":75,"O3:8h":110,"SO2:24h":75,"NO2:24h":101,"CO:24h":38}}"#
                + "\n")
    }

    @Test func aqiAbove800RulesPerEdition() async throws {
        let values = ["SO2:1h=900", "SO2:24h=300", "O3:8h=850", "O3:1h=900"]
        let old = try await Envmon.run(["aqi", "--standard", "hj633-2012", "--format", "json"] + values)
        #expect(
            old.stdout == #"{"standard":"hj633-2012","aqi":350,"primary":["O3"],"category":"严重污染","iaqi":{"SO2:1h":null,"SO2:24h":124,"O3:8h":null,"O3:1h":350}}"# + "\n")
        let new = try await Envmon.run(["aqi", "--standard", "hj633-2026", "--format", "json"] + values)
        #expect(
            new.stdout == #"{"standard":"hj633-2026","aqi":350,"primary":["O3"],"category":"严重污染","iaqi":{"SO2:1h":200,"SO2:24h":124,"O3:8h":300,"O3:1h":350}}"# + "\n")
        let text = try await Envmon.run(["aqi", "--standard", "hj633-2012", "SO2:1h=900", "PM10:24h=60"])
        #expect(text.stdout.contains("IAQI —  (HJ 633-2012 Table 1 note (2)"))
        #expect(text.stdout.contains("Note: SO2 is not in the AQI"))
    }

    @Test func aqiEPA() async throws {
        let r = try await Envmon.run(["aqi", "--standard", "epa-2024", "--format", "json", "PM2.5=35.97", "O3:8h=0.078", "SO2:1h=400", "SO2:24h=250"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(
            r.stdout == #"{"standard":"epa-2024","aqi":200,"primary":["SO2"],"category":"Unhealthy","iaqi":{"PM2.5:24h":102,"O3:8h":126,"SO2:1h":null,"SO2:24h":200}}"# + "\n")
        let text = try await Envmon.run(["aqi", "--standard", "epa-2024", "PM2.5=35.97"])
        #expect(text.stdout.contains("35.97 µg/m³ (→ 35.9)  IAQI 102") && text.stdout.contains("AQI 102 · Unhealthy for Sensitive Groups (orange)"))
    }

    /// 1-h SO2 at or above 305 ppb is indexed by its 24-h average (standards.md §2.2): without it the
    /// command used to print the other pollutants' AQI, "AQI 28 · Good", beside 400 ppb of SO2.
    @Test func aqiEPASulphurDioxideAtOrAbove305() async throws {
        let alone = try await Envmon.run(["aqi", "--standard", "epa-2024", "SO2:1h=400", "PM2.5=5"])
        #expect(alone.status != 0 && alone.stderr.contains("SO2:1h = 400 ppb is at or above 305 ppb") && alone.stderr.contains("give SO2:24h"))
        #expect(!alone.stdout.contains("Good"))
        let withAverage = try await Envmon.run(["aqi", "--standard", "epa-2024", "--format", "json", "SO2:1h=400", "SO2:24h=310", "PM2.5=5"])
        #expect(withAverage.stdout.contains(#""aqi":203"#) && withAverage.stdout.contains(#""SO2:1h":null,"SO2:24h":203"#), "\(withAverage.stdout)")
        let below = try await Envmon.run(["aqi", "--standard", "epa-2024", "--format", "json", "SO2:1h=200", "SO2:24h=310"])
        #expect(below.stdout.contains(#""aqi":157"#) && below.stdout.contains(#""SO2:1h":157,"SO2:24h":null"#), "\(below.stdout)")
    }

    @Test func aqiRefusesBadInput() async throws {
        let missingPeriod = try await Envmon.run(["aqi", "PM2.5=30"])
        #expect(missingPeriod.status != 0 && missingPeriod.stderr.contains("give the averaging period, e.g. PM2.5:24h=30"))
        let bad = try await Envmon.run(["aqi", "PM2.5:24h=1x"])
        #expect(bad.status != 0 && bad.stderr.contains("'1x' is not a non-negative decimal number"))
        let period = try await Envmon.run(["aqi", "--standard", "hj633-2012", "PM2.5:1h=30"])
        #expect(period.status != 0 && period.stderr.contains("HJ 633-2012 does not index PM2.5:1h"))
        let both = try await Envmon.run(["aqi", "--standard", "epa-2024", "--date", "2026-01-01", "PM2.5:24h=30"])
        #expect(both.status != 0)
    }

    @Test func waterClassWithATarget() async throws {
        let r = try await Envmon.run(["water-class", "--target", "II", "COD=18", "NH3-N=0.9", "TP=0.12", "DO=4"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(
            r.stdout == """
                GB 3838-2002, river
                  COD     18 mg/L       class III
                  NH3-N   0.9 mg/L      class III
                  TP      0.12 mg/L     class III
                  DO      4 mg/L        class IV
                Section class: IV (轻度污染, lightly polluted)
                Target II: not met; exceeding:
                  COD     18 mg/L       class III, limit ≤ 15, exceedance multiple 0.2
                  NH3-N   0.9 mg/L      class III, limit ≤ 0.5, exceedance multiple 0.8
                  TP      0.12 mg/L     class III, limit ≤ 0.1, exceedance multiple 0.2
                  DO      4 mg/L        class IV, limit ≥ 6

                """)
        let met = try await Envmon.run(["water-class", "--target", "III", "COD=18", "NH3-N=0.9", "TP=0.12"])
        #expect(met.stdout.hasSuffix("Section class: III (良好, good)\nTarget III: met\n"))
    }

    @Test func waterClassJSONAndLakes() async throws {
        let river = try await Envmon.run(["water-class", "--target", "II", "--format", "json", "COD=18", "NH3-N=0.9", "TP=0.12"])
        #expect(
            river.stdout
                == #"{"standard":"GB 3838-2002","water_body":"river","classes":{"COD":"III","NH3-N":"III","TP":"III"},"section_class":"III","target":"II","meets_target":false,"exceeding":[{"parameter":"COD","value":18,"class":"III","limit":15,"requirement":"≤ 15","multiple":0.2},{"parameter":"NH3-N","value":0.9,"class":"III","limit":0.5,"requirement":"≤ 0.5","multiple":0.8},{"parameter":"TP","value":0.12,"class":"III","limit":0.1,"requirement":"≤ 0.1","multiple":0.2}]}"#
                + "\n")
        // Lakes and reservoirs: TP 0.12 is class V there; TN is classed but left out of the section class.
        let lake = try await Envmon.run(["water-class", "--water-body", "lake", "--format", "json", "COD=18", "TP=0.12", "TN=1.2"])
        #expect(
            lake.stdout
                == #"{"standard":"GB 3838-2002","water_body":"lake","classes":{"COD":"III","TP":"V","TN":"IV"},"section_class":"V","target":null,"meets_target":null,"exceeding":[]}"#
                + "\n")
    }

    @Test func waterClassRefusesBadInput() async throws {
        let unknown = try await Envmon.run(["water-class", "XYZ=1"])
        #expect(unknown.status != 0 && unknown.stderr.contains("XYZ is not a basic item of GB 3838-2002 Table 1"))
        let target = try await Envmon.run(["water-class", "--target", "VI", "COD=1"])
        #expect(target.status != 0 && target.stderr.contains("--target 'VI' is not a class I to V"))
    }
}
