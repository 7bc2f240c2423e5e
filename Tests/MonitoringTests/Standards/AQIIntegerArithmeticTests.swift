import Foundation
@testable import Monitoring
import Testing

/// The AQI on scaled integers (``ScaledDecimal``) gives what the `Decimal` arithmetic it replaced gives:
/// the same IAQIs, AQI, primary pollutants and indexed concentrations, around every breakpoint of every
/// table and over a year of the real Beijing data (`shared/data/beijing-prsa/`, beside the checkout).
@Suite struct AQIIntegerArithmeticTests {
    /// One evaluation: the result, or the error as text.
    func outcome(_ concentrations: [AQIConcentration], _ standard: AQIStandard, _ arithmetic: AQIArithmetic) -> Result<AQIResult, StandardsError> {
        Result { () throws(StandardsError) -> AQIResult in try AirQualityIndex.evaluate(concentrations, standard: standard, arithmetic: arithmetic) }
    }

    /// Compares the two arithmetics on `concentrations`: equal results (IAQIs, AQI, primary pollutants,
    /// category, indexed concentrations), each indexed concentration written alike, or the same error.
    @discardableResult
    func same(_ concentrations: [AQIConcentration], _ standard: AQIStandard, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        let integer = outcome(concentrations, standard, .integer)
        let decimal = outcome(concentrations, standard, .decimal)
        let agree: Bool
        switch (integer, decimal) {
        case (.success(let a), .success(let b)):
            agree = a == b && a.iaqis.map { "\($0.indexedConcentration)" } == b.iaqis.map { "\($0.indexedConcentration)" }
        case (.failure(let a), .failure(let b)):
            agree = "\(a)" == "\(b)"
        default:
            agree = false
        }
        #expect(agree, "\(standard) \(concentrations.map { "\($0.key)=\($0.value)" }): \(integer) vs \(decimal)", sourceLocation: sourceLocation)
        return agree
    }

    /// Every breakpoint of every table, and one unit of each decimal place (1 down to 10⁻¹⁰) and half a unit
    /// either side of it: the values where an index is an integer, a half, or a rounding just misses one.
    @Test(arguments: AQIStandard.allCases) func aroundEveryBreakpoint(_ standard: AQIStandard) {
        var compared = 0
        var failed = 0
        for table in AirQualityIndex.tables(standard) {
            let breakpoints = Set(table.segments.flatMap { [$0.concentrationLow, $0.concentrationHigh] })
            for b in breakpoints {
                for place in 0...10 {
                    let unit = Decimal(sign: .plus, exponent: -place, significand: 1)
                    let half = unit / 2
                    for v in [b - unit, b - half, b, b + half, b + unit] where v >= 0 {
                        if !same([AQIConcentration(table.pollutant, table.period, v)], standard) { failed += 1 }
                        compared += 1
                    }
                }
            }
        }
        #expect(failed == 0)
        // Every table has 5–8 breakpoints: make sure the loops ran over them all.
        #expect(compared > AirQualityIndex.tables(standard).count * 5 * 11 * 4)
    }

    /// Every 0.1 (CO every 0.01) over each HJ 633 table's range and a little beyond: both sides of each
    /// rounding of HJ 633-2026 and each integer index.
    @Test(arguments: [AQIStandard.hj633_2012, .hj633_2026]) func everyTenthOfEveryTable(_ standard: AQIStandard) {
        var failed = 0
        for table in AirQualityIndex.tables(standard) {
            let scale = table.pollutant == .co ? 100 : 10
            let top = NSDecimalNumber(decimal: table.highestConcentration).intValue * scale * 11 / 10
            for k in 0...top {
                let v = Decimal(sign: .plus, exponent: table.pollutant == .co ? -2 : -1, significand: Decimal(k))
                if !same([AQIConcentration(table.pollutant, table.period, v)], standard) { failed += 1 }
            }
        }
        #expect(failed == 0)
    }

    /// The forms values take on their way from a reading: a Double's shortest form (17 digits), a mean kept
    /// to 10 decimals, a value with trailing zeros, one too long for 63 bits (the `Decimal` way then).
    @Test func longAndOddForms() throws {
        for text in ["0.30000000000000004", "75.0000000000", "75.00000000005", "74.99999999995", "2.2", "2.25", "2.35", "800.5", "75.00000000000000000001",
            "0", "115.49999999999999", "150.000000000000001"]
        {
            let v = try #require(Decimal(plainNumeral: text))
            for standard in AQIStandard.allCases {
                for table in AirQualityIndex.tables(standard) { same([AQIConcentration(table.pollutant, table.period, v)], standard) }
            }
        }
        // A rounded value keeps its written form: HJ 633-2026 indexes 2.25 mg/m³ of CO as 2.2, 75.5 µg/m³ of PM2.5 as 76 (IAQI 100 + ⌈50 × 16 / 55⌉ = 115).
        let co = try AirQualityIndex.iaqi(AQIConcentration(.co, .day, dec("2.25")), standard: .hj633_2026)
        #expect("\(co.indexedConcentration)" == "2.2")
        let pm = try AirQualityIndex.iaqi(AQIConcentration(.pm25, .day, dec("75.5")), standard: .hj633_2026)
        #expect("\(pm.indexedConcentration)" == "76" && pm.value == 115)
    }

    /// ``ScaledDecimal`` reads a decimal's parts exactly, or refuses it.
    @Test func scaledDecimalParts() throws {
        let x = try #require(ScaledDecimal(dec("123.4567")))
        #expect(x.significand == 1_234_567 && x.exponent == -4 && x.decimal == dec("123.4567"))
        let big = try #require(ScaledDecimal(dec("9223372036854775807")))
        #expect(big.significand == Int64.max)
        #expect(ScaledDecimal(dec("9223372036854775808")) == nil)
        #expect(ScaledDecimal(Decimal.nan) == nil)
        #expect(ScaledDecimal(Decimal(-15) / 10)?.significand == -15)
        #expect(ScaledDecimal(dec("2.5"))?.roundedHalfEven(toDecimals: 0)?.decimal == 2)
        #expect(ScaledDecimal(dec("3.5"))?.roundedHalfEven(toDecimals: 0)?.decimal == 4)
        #expect(ScaledDecimal(dec("3.50001"))?.roundedHalfEven(toDecimals: 0)?.decimal == 4)
        #expect(ScaledDecimal(dec("2.5000000001"))?.roundedHalfEven(toDecimals: 0)?.decimal == 3)
        #expect(ScaledDecimal(dec("0.25"))?.roundedHalfEven(toDecimals: 1)?.decimal == dec("0.2"))
    }

    /// A year of the Beijing network (12 sites, 2016-03-01 to 2017-02-28, hourly): each hour's 1-h AQI and
    /// each day's AQI from the site's daily values, by both HJ 633 editions; every result the same both ways.
    @Test func aYearOfBeijing() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/data/beijing-prsa")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".csv") }.sorted()
        try #require(files.count == 12, "the Beijing data beside the checkout: \(folder.path)")
        let pollutants: [(AQIPollutant, column: String, factor: Double)] = [
            (.pm25, "PM2.5", 1), (.pm10, "PM10", 1), (.so2, "SO2", 1), (.no2, "NO2", 1), (.co, "CO", 0.001), (.o3, "O3", 1),
        ]
        var hours = 0
        var days = 0
        var failed = 0
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            // CRLF lines: "\r\n" is one Character, so split on newlines, not on "\n".
            var lines = text.split(whereSeparator: \.isNewline)
            let header = lines.removeFirst().split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
            let column = Dictionary(uniqueKeysWithValues: header.enumerated().map { ($1, $0) })
            var day: [AQIPollutant: [Double?]] = [:]
            var dayKey = ""
            func closeDay() {
                guard !dayKey.isEmpty else { return }
                var concentrations: [AQIConcentration] = []
                for (p, _, _) in pollutants where p != .o3 {
                    if let mean = AmbientValidity.dailyMean(day[p] ?? []) {
                        concentrations.append(AQIConcentration(p, .day, Self.kept(mean)))
                    }
                }
                let o3 = day[.o3] ?? []
                if let mda8 = AmbientValidity.dailyMaximumEightHour(o3) { concentrations.append(AQIConcentration(.o3, .eightHours, Self.kept(mda8))) }
                let hourlyMax = o3.compactMap { $0 }.max()
                for standard in [AQIStandard.hj633_2012, .hj633_2026] {
                    var c = concentrations
                    if standard == .hj633_2012, let hourlyMax { c.append(AQIConcentration(.o3, .hour, reading: hourlyMax)) }
                    if !c.isEmpty, !same(c, standard) { failed += 1 }
                }
                days += 1
                day = [:]
            }
            for line in lines {
                let f = line.split(separator: ",", omittingEmptySubsequences: false)
                let year = Int(f[column["year"]!])!
                let month = Int(f[column["month"]!])!
                guard (year == 2016 && month >= 3) || (year == 2017 && month <= 2) else { continue }
                let key = "\(year)-\(month)-\(f[column["day"]!])"
                if key != dayKey {
                    closeDay()
                    dayKey = key
                }
                var hourly: [AQIConcentration] = []
                for (p, name, factor) in pollutants {
                    let value = Double(f[column[name]!]).map { $0 * factor }
                    day[p, default: []].append(value)
                    if let value { hourly.append(AQIConcentration(p, .hour, reading: value)) }
                }
                // HJ 633-2012 has no 1-h PM table; HJ 633-2026 indexes 1-h PM on the daily table.
                if !same(hourly.filter { $0.pollutant != .pm25 && $0.pollutant != .pm10 }, .hj633_2012) { failed += 1 }
                if !same(hourly, .hj633_2026) { failed += 1 }
                hours += 1
            }
            closeDay()
        }
        #expect(failed == 0)
        #expect(hours == 12 * 365 * 24)
        #expect(days == 12 * 365)
    }

    /// A daily mean as the air report keeps it: to 10 decimals, as an exact decimal.
    static func kept(_ v: Double) -> Decimal {
        Decimal(sign: .plus, exponent: -10, significand: Decimal(Int64((v * 1e10).rounded())))
    }
}
