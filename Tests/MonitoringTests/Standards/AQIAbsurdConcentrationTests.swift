import Foundation
@testable import Monitoring
import Testing

/// Concentrations no instrument gives (a stuck converter, a unit slip, a corrupt frame) never stop the
/// process: every standard and table either gives its rule's answer above the top breakpoint or refuses
/// the value with ``StandardsError/Code/invalidValue``, in both arithmetics.
///
/// - HJ 633 (both editions): above the top breakpoint 500 is reported ("爆表", reference/standards.md
///   §1.2), however far above; 1-h SO2 and 8-h O3 above 800 µg/m³ keep their notes' rules.
/// - EPA: above the top the 301–500 segment is extrapolated (TAD Table 6 note 4) exactly while the
///   index is an `Int`; an index beyond that is refused.
/// - NaN, ±infinity and readings beyond what a `Decimal` holds (about 3.4 × 10¹⁶⁵) are not numbers;
///   negative values are refused as before.
@Suite struct AQIAbsurdConcentrationTests {
    /// Every (pollutant, period) a standard indexes, with HJ 633-2026's 1-h PM on the daily table.
    static func keys(_ standard: AQIStandard) -> [(AQIPollutant, AveragingPeriod)] {
        var keys = AirQualityIndex.tables(standard).map { ($0.pollutant, $0.period) }
        if standard == .hj633_2026 { keys += [(.pm10, .hour), (.pm25, .hour)] }
        return keys
    }

    static let arithmetics: [AQIArithmetic] = [.integer, .decimal]

    /// The IAQI, or the error.
    func outcome(_ c: AQIConcentration, _ standard: AQIStandard, _ arithmetic: AQIArithmetic) -> Result<IAQI, StandardsError> {
        Result { () throws(StandardsError) -> IAQI in try AirQualityIndex.iaqi(c, standard: standard, arithmetic: arithmetic) }
    }

    /// Expects `invalidValue` whose message holds `words`.
    func expectRefused(
        _ c: AQIConcentration, _ standard: AQIStandard, _ words: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        for arithmetic in Self.arithmetics {
            switch outcome(c, standard, arithmetic) {
            case .success(let i):
                let got = String(describing: i.value)
                Issue.record("\(standard) \(c.key)=\(c.value) (\(arithmetic)): \(got), expected a refusal", sourceLocation: sourceLocation)
            case .failure(let e):
                #expect(e.code == .invalidValue && e.message.contains(words), "\(standard) \(c.key): \(e)", sourceLocation: sourceLocation)
            }
        }
        // And a set holding it is refused as a whole, naming it.
        #expect(throws: StandardsError.self, sourceLocation: sourceLocation) { try AirQualityIndex.evaluate([c], standard: standard) }
    }

    /// Expects the value `value` (and `rule`) both ways.
    func expectIndex(
        _ c: AQIConcentration, _ standard: AQIStandard, _ value: Int?, _ rule: IAQI.Rule?, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        for arithmetic in Self.arithmetics {
            switch outcome(c, standard, arithmetic) {
            case .success(let i):
                let got = "\(String(describing: i.value)) \(String(describing: i.rule))"
                #expect(i.value == value && i.rule == rule, "\(standard) \(c.key)=\(c.value) (\(arithmetic)): \(got)", sourceLocation: sourceLocation)
            case .failure(let e):
                let want = String(describing: value)
                Issue.record("\(standard) \(c.key)=\(c.value) (\(arithmetic)): \(e), expected \(want)", sourceLocation: sourceLocation)
            }
        }
    }

    // MARK: - Not numbers

    /// NaN, ±infinity and doubles beyond a `Decimal`'s range, as readings, and a NaN decimal.
    @Test(arguments: AQIStandard.allCases) func notANumberIsRefused(_ standard: AQIStandard) {
        let readings: [Double] = [.nan, .infinity, -.infinity, 1e300, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, -1e300]
        for (p, period) in Self.keys(standard) {
            for r in readings { expectRefused(AQIConcentration(p, period, reading: r), standard, "not a number") }
            expectRefused(AQIConcentration(p, period, Decimal.nan), standard, "not a number")
        }
    }

    /// A reading's decimal: non-finite doubles and doubles beyond the range are NaN (never a trap, and
    /// `-inf` is not 0); a double below the range is 0.
    @Test func readingsBeyondADecimal() {
        for r in [Double.nan, .infinity, -.infinity, 1e300, -1e300, .greatestFiniteMagnitude] {
            #expect(Decimal(shortestOf: r).isNaN, "\(r)")
        }
        #expect(Decimal(shortestOf: 5e-324) == 0)
        #expect(Decimal(shortestOf: 1e-200) == 0)
        #expect(Decimal(shortestOf: 1e17) == Decimal(sign: .plus, exponent: 17, significand: 1))
        #expect(Decimal(shortestOf: 2.2) == Decimal(sign: .plus, exponent: -1, significand: 22))
    }

    @Test(arguments: AQIStandard.allCases) func negativeValuesAreRefused(_ standard: AQIStandard) {
        for (p, period) in Self.keys(standard) {
            for r in [-1, -1e17, -0.001] {
                expectRefused(AQIConcentration(p, period, reading: r), standard, "cannot be negative")
            }
            expectRefused(AQIConcentration(p, period, -Decimal.greatestFiniteMagnitude), standard, "cannot be negative")
        }
    }

    // MARK: - HJ 633: 500 above the table

    /// Huge concentrations, as readings and as decimals up to the largest a `Decimal` holds.
    static let huge: [Decimal] = [
        Decimal(shortestOf: 1e17), Decimal(shortestOf: 1e100), Decimal(shortestOf: 1e120), Decimal(sign: .plus, exponent: 20, significand: 1),
        Decimal(string: "123456789012345678901234567890.123456")!, Decimal.greatestFiniteMagnitude,
    ]

    @Test(arguments: [AQIStandard.hj633_2012, .hj633_2026]) func hj633ReportsFiveHundred(_ standard: AQIStandard) throws {
        let is2026 = standard == .hj633_2026
        for (p, period) in Self.keys(standard) {
            for v in Self.huge {
                let c = AQIConcentration(p, period, v)
                switch (p, period) {
                case (.so2, .hour): expectIndex(c, standard, is2026 ? 200 : nil, is2026 ? .fixed : .notIndexed(useInstead: .day))
                case (.o3, .eightHours): expectIndex(c, standard, is2026 ? 300 : nil, is2026 ? .fixed : .notIndexed(useInstead: .hour))
                default: expectIndex(c, standard, 500, .aboveTable)
                }
            }
        }
        // Every pollutant at once: AQI 500, level 6.
        let all = Self.keys(standard).filter { $0.1 != .hour || $0.0 == .so2 || $0.0 == .o3 }.map { AQIConcentration($0.0, $0.1, reading: 1e17) }
        let result = try AirQualityIndex.evaluate(all, standard: standard)
        #expect(result.aqi == 500 && result.category == .level6)
    }

    // MARK: - EPA: extrapolated while the index is an Int

    /// The EPA index of `c` on the table's top segment by Equation 1, in exact integers (truncated first,
    /// rounded half up), or `nil` beyond `Int`.
    func extrapolated(_ table: AQIBreakpointTable, _ c: Decimal) -> Int? {
        let top = table.segments[table.segments.count - 1]
        let places = AQIBreakpointTable.epaPrecision(table.pollutant)
        func units(_ d: Decimal) -> Int128 {
            let scaled = d * Decimal(sign: .plus, exponent: places, significand: 1)
            return Int128(scaled.description)!
        }
        let n = Int128(top.indexHigh - top.indexLow) * (units(c.rounded(places, .down)) - units(top.concentrationLow))
        let d = units(top.concentrationHigh) - units(top.concentrationLow)
        let step = (2 * n + d) / (2 * d)
        return Int(exactly: Int128(top.indexLow) + step)
    }

    @Test func epaExtrapolatesOrRefuses() throws {
        let standard = AQIStandard.epa2024
        var indexed = 0
        var refused = 0
        for table in AirQualityIndex.tables(standard) {
            let (p, period) = (table.pollutant, table.period)
            for v in Self.huge + [Decimal(shortestOf: 1e15), Decimal(shortestOf: 1e18), Decimal(shortestOf: 1e19)] {
                let c = AQIConcentration(p, period, v)
                switch (p, period) {
                case (.o3, .eightHours): expectIndex(c, standard, nil, .notIndexed(useInstead: .hour))
                case (.so2, .hour): expectIndex(c, standard, nil, .notIndexed(useInstead: .day))
                default:
                    // Beyond 10^30 the exact expectation itself leaves Int128: those are refused.
                    let expected = v < Decimal(sign: .plus, exponent: 30, significand: 1) ? extrapolated(table, v) : nil
                    if let expected {
                        #expect(expected > 500)
                        expectIndex(c, standard, expected, .aboveTable)
                        indexed += 1
                    } else {
                        expectRefused(c, standard, "extrapolat")
                        refused += 1
                    }
                }
            }
        }
        // 1e15 indexes everywhere; 1e17 overflows only 1-h O3 (×1000 ppm⁻¹); 1e20 and up overflow all six.
        #expect(indexed >= 6 + 5 && refused >= 6 * 4)
    }

    /// CO 8-h above 50.4 ppm: 301 + 199/19.9 × (C − 30.5) = 10 C − 4, so C = 922337203685477581.1 ppm gives
    /// exactly `Int.max` and 0.1 ppm more is refused (19 digits and a decimal: the `Decimal` way).
    @Test func epaBoundaryOfInt() {
        let atMax = Decimal(string: "922337203685477581.1")!
        expectIndex(AQIConcentration(.co, .eightHours, atMax), .epa2024, Int.max, .aboveTable)
        expectRefused(AQIConcentration(.co, .eightHours, Decimal(string: "922337203685477581.2")!), .epa2024, "extrapolat")
        // On scaled integers too (a short significand): 10^17 ppm gives 10^18 − 4.
        expectIndex(AQIConcentration(.co, .eightHours, reading: 1e17), .epa2024, 999_999_999_999_999_996, .aboveTable)
    }

    /// EPA evaluation of every pollutant at 10^17: 1-h O3's index is beyond `Int`, so the set is refused
    /// and the error names it; without it the AQI is the largest extrapolation (CO's 10^18 − 4).
    @Test func epaEvaluation() throws {
        let all: [AQIConcentration] = [
            .init(.o3, .eightHours, reading: 1e17), .init(.pm25, .day, reading: 1e17), .init(.pm10, .day, reading: 1e17),
            .init(.co, .eightHours, reading: 1e17), .init(.so2, .hour, reading: 1e17), .init(.so2, .day, reading: 1e17),
            .init(.no2, .hour, reading: 1e17),
        ]
        let result = try AirQualityIndex.evaluate(all, standard: .epa2024)
        #expect(result.aqi == 999_999_999_999_999_996 && result.primaryPollutants == [.co] && result.category == .level6)
        do {
            _ = try AirQualityIndex.evaluate(all + [.init(.o3, .hour, reading: 1e17)], standard: .epa2024)
            Issue.record("1-h O3 of 1e17 ppm was indexed")
        } catch {
            #expect(error.code == .invalidValue && error.message.contains("O3:1h"), "\(error)")
        }
    }
}
