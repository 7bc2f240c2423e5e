import Foundation

/// Computes individual indices (IAQI) and the air quality index (AQI) by HJ 633-2012, HJ 633-2026 or the
/// US EPA's 2024 rules.
///
/// ```swift
/// let result = try AirQualityIndex.evaluate([
///     AQIConcentration(.pm25, .day, 75), AQIConcentration(.o3, .eightHours, 170),
/// ], standard: .hj633_2026)
/// result.aqi                // 114
/// result.primaryPollutants  // [.pm25]
/// result.category           // .level3 (三级, 轻度污染)
/// ```
///
/// Rounding, per standard:
/// - HJ 633-2026: each concentration is first rounded by GB/T 8170 (half to even) to an integer µg/m³, CO to
///   0.1 mg/m³ (§4.2.2–4.2.3); the IAQI is rounded up to an integer (§4.2.6).
/// - HJ 633-2012: the concentration is used as given; the IAQI is rounded up (§6.2).
/// - EPA: the concentration is truncated (O3 to 0.001 ppm, PM2.5 and CO to 0.1, PM10, SO2 and NO2 to
///   integers) and the index rounded to the nearest integer, halves up (TAD §IV).
///
/// All arithmetic is exact (integers on scaled decimals, or decimal with exact remainders for values too long
/// for them), so values on a breakpoint or on an integer index never round the wrong way.
public enum AirQualityIndex {
    /// The breakpoint tables of a standard.
    public static func tables(_ standard: AQIStandard) -> [AQIBreakpointTable] {
        switch standard {
        case .hj633_2012: hj633_2012Tables
        case .hj633_2026: hj633_2026Tables
        case .epa2024: AQIBreakpointTable.epa2024
        }
    }

    /// The breakpoint table of a pollutant and period in a standard, or `nil` when the standard has none.
    ///
    /// HJ 633-2026 indexes 1-h PM10 and PM2.5 against the daily table (§4.2.4), so those return the
    /// 24-h table.
    public static func table(_ pollutant: AQIPollutant, _ period: AveragingPeriod, in standard: AQIStandard) -> AQIBreakpointTable? {
        var lookup = period
        if standard == .hj633_2026, pollutant == .pm10 || pollutant == .pm25, period == .hour { lookup = .day }
        return tables(standard).first { $0.pollutant == pollutant && $0.period == lookup }
    }

    private static let hj633_2012Tables = AQIBreakpointTable.hj633(.hj633_2012)
    private static let hj633_2026Tables = AQIBreakpointTable.hj633(.hj633_2026)

    /// The IAQI of one concentration on its own.
    ///
    /// The EPA rule that needs both SO2 periods (1-h ≥ 305 ppb with a 24-h average below 305 gives 200) is
    /// applied by ``evaluate(_:standard:)`` only; here a 24-h SO2 below 305 ppb is not indexed.
    /// - Parameters:
    ///   - concentration: The pollutant, period and value in the standard's unit.
    ///   - standard: The standard to apply.
    /// - Returns: The IAQI; its value is `nil` when the standard does not index this value.
    /// - Throws: ``StandardsError`` when the value is not a number (NaN: a reading that was NaN, infinite
    ///   or beyond what a `Decimal` holds) or negative, when the standard has no table for the period, or
    ///   (EPA) when the extrapolated index is beyond `Int`.
    public static func iaqi(_ concentration: AQIConcentration, standard: AQIStandard) throws(StandardsError) -> IAQI {
        try iaqi(concentration, standard: standard, arithmetic: .integer)
    }

    /// ``iaqi(_:standard:)`` in the given arithmetic (the tests compare the two).
    static func iaqi(_ concentration: AQIConcentration, standard: AQIStandard, arithmetic: AQIArithmetic) throws(StandardsError) -> IAQI {
        let c = concentration.value
        // Before the sign: a NaN decimal compares below zero.
        guard !c.isNaN else {
            throw StandardsError(
                .invalidValue,
                "\(concentration.key) is not a number (a reading that is NaN or infinite, or beyond the ±3.4 × 10^165 a decimal holds)")
        }
        guard c >= 0 else {
            throw StandardsError(.invalidValue, "\(concentration.key) = \(c): a concentration cannot be negative")
        }
        guard let table = table(concentration.pollutant, concentration.period, in: standard) else {
            let hint = supportedHint(concentration.pollutant, standard)
            throw StandardsError(.unsupportedPeriod, "\(standard.documentName) does not index \(concentration.key)\(hint)")
        }
        return try standard.isChinese ? china(concentration, table, standard, arithmetic) : epa(concentration, table, arithmetic)
    }

    /// The AQI of a set of concentrations: every IAQI, the AQI (their maximum), primary pollutants and category.
    ///
    /// - Parameters:
    ///   - concentrations: At most one value per pollutant and period, in the standard's units.
    ///   - standard: The standard to apply.
    /// - Returns: The result; its AQI is `nil` when no value could be indexed.
    /// - Throws: ``StandardsError`` for a value that is not a number or is negative, a period the standard
    ///   does not index, a pollutant and period given twice, or (EPA) an extrapolated index beyond `Int` or a
    ///   1-h SO2 at or above 305 ppb without its 24-h average.
    public static func evaluate(_ concentrations: [AQIConcentration], standard: AQIStandard) throws(StandardsError) -> AQIResult {
        try evaluate(concentrations, standard: standard, arithmetic: .integer)
    }

    /// ``evaluate(_:standard:)`` in the given arithmetic (the tests compare the two).
    static func evaluate(_ concentrations: [AQIConcentration], standard: AQIStandard, arithmetic: AQIArithmetic) throws(StandardsError) -> AQIResult {
        var iaqis: [IAQI] = []
        iaqis.reserveCapacity(concentrations.count)
        for (i, c) in concentrations.enumerated() {
            // A pollutant and period given twice (its key is the two; compared without building the text).
            if concentrations[..<i].contains(where: { $0.pollutant == c.pollutant && $0.period == c.period }) {
                throw StandardsError(.duplicateValue, "\(c.key) is given twice")
            }
            iaqis.append(try iaqi(c, standard: standard, arithmetic: arithmetic))
        }
        if standard == .epa2024 { try applyEPASulphurDioxideRule(&iaqis) }

        let aqi = iaqis.compactMap(\.value).max()
        var primary: [AQIPollutant] = []
        if let aqi, !standard.isChinese || aqi > 50 {
            for i in iaqis where i.value == aqi && !primary.contains(i.pollutant) { primary.append(i.pollutant) }
        }
        var given: [AQIPollutant] = []
        for i in iaqis where !given.contains(i.pollutant) { given.append(i.pollutant) }
        let unindexed = given.filter { p in !iaqis.contains { $0.pollutant == p && $0.value != nil } }
        var nonAttainment: [AQIPollutant]?
        if standard == .hj633_2012 {
            nonAttainment = given.filter { p in iaqis.contains { $0.pollutant == p && ($0.value ?? 0) > 100 } }
        }
        return AQIResult(
            standard: standard, iaqis: iaqis, aqi: aqi, primaryPollutants: primary, category: aqi.map(AQICategory.init(aqi:)),
            nonAttainmentPollutants: nonAttainment, unindexedPollutants: unindexed)
    }

    // MARK: - HJ 633

    private static func china(
        _ input: AQIConcentration, _ table: AQIBreakpointTable, _ standard: AQIStandard, _ arithmetic: AQIArithmetic
    ) throws(StandardsError) -> IAQI {
        let is2026 = standard == .hj633_2026
        var c = input.value
        var x = arithmetic == .integer ? ScaledDecimal(c) : nil
        if is2026 {
            let decimals = input.pollutant == .co ? 1 : 0
            if let scaled = x, let rounded = scaled.roundedHalfEven(toDecimals: decimals) {
                if rounded != scaled {
                    c = rounded.decimal
                    x = rounded
                }
            } else {
                c = c.rounded(decimals, .bankers)
                x = arithmetic == .integer ? ScaledDecimal(c) : nil
            }
        }
        func result(_ value: Int?, _ rule: IAQI.Rule? = nil, _ note: String? = nil) -> IAQI {
            IAQI(
                pollutant: input.pollutant, period: input.period, concentration: input.value, indexedConcentration: c, value: value,
                rule: rule, note: note)
        }
        if input.pollutant == .so2, input.period == .hour, c > 800 {
            return is2026
                ? result(200, .fixed, "HJ 633-2026 Table 3 note b: 1-h SO2 above 800 µg/m³ has IAQI 200")
                : result(
                    nil, .notIndexed(useInstead: .day),
                    "HJ 633-2012 Table 1 note (2): 1-h SO2 above 800 µg/m³ is not indexed; the 24-h IAQI is used")
        }
        if input.pollutant == .o3, input.period == .eightHours, c > 800 {
            return is2026
                ? result(300, .fixed, "HJ 633-2026 Table 3 note c: 8-h O3 above 800 µg/m³ has IAQI 300")
                : result(
                    nil, .notIndexed(useInstead: .hour),
                    "HJ 633-2012 Table 1 note (3): 8-h O3 above 800 µg/m³ is not indexed; the 1-h IAQI is used")
        }
        // However far above the top breakpoint (up to the largest decimal, ~3.4 × 10^165): 500, with no arithmetic.
        let found = if let x { table.segment(containing: x, c) } else { table.segment(containing: c) }
        guard let segment = found else {
            let top = "\(table.highestConcentration) \(table.unit)"
            return result(500, .aboveTable, "above the top breakpoint (\(top)); \(standard.documentName) defines nothing higher and 500 is reported")
        }
        // Within the table the index is 0–500: `nil` cannot happen, and would be refused rather than trap.
        guard let value = index(segment, c, x, .up) else { throw beyondInt(input, c, table, "") }
        return result(value)
    }

    // MARK: - EPA

    private static func epa(_ input: AQIConcentration, _ table: AQIBreakpointTable, _ arithmetic: AQIArithmetic) throws(StandardsError) -> IAQI {
        let c = input.value.rounded(AQIBreakpointTable.epaPrecision(input.pollutant), .down)
        let x = arithmetic == .integer ? ScaledDecimal(c) : nil
        func result(_ value: Int?, _ rule: IAQI.Rule? = nil, _ note: String? = nil) -> IAQI {
            IAQI(
                pollutant: input.pollutant, period: input.period, concentration: input.value, indexedConcentration: c, value: value,
                rule: rule, note: note)
        }
        switch (input.pollutant, input.period) {
        case (.o3, .eightHours) where c > table.highestConcentration:
            return result(nil, .notIndexed(useInstead: .hour), "8-h O3 above 0.200 ppm is not indexed (TAD Table 6): AQI 301 and up come from 1-h O3")
        case (.o3, .hour) where c < table.lowestConcentration:
            return result(nil, .notIndexed(useInstead: .eightHours), "1-h O3 below 0.125 ppm is not indexed (TAD Table 6): the 8-h value is used")
        case (.so2, .hour) where c > table.highestConcentration:
            return result(nil, .notIndexed(useInstead: .day), "1-h SO2 at or above 305 ppb is not indexed (TAD Table 6): the 24-h average is used")
        case (.so2, .day) where c < table.lowestConcentration:
            return result(nil, .notIndexed(useInstead: .hour), "24-h SO2 below 305 ppb is not indexed (TAD Table 6): the 1-h value is used")
        default:
            break
        }
        guard let segment = table.segment(containing: c) else {
            // Above the table: extrapolate the top segment (TAD Table 6 note 4), exactly, as far as an Int
            // goes. The TAD sets no ceiling, so a larger index is not replaced by another number: refused.
            let top = table.segments[table.segments.count - 1]
            let extrapolation = "the 301–500 segment is extrapolated (TAD Table 6 note 4)"
            guard let value = index(top, c, x, .nearestHalfUp) else { throw beyondInt(input, c, table, extrapolation) }
            return result(value, .aboveTable, "above \(table.highestConcentration) \(table.unit): \(extrapolation)")
        }
        guard let value = index(segment, c, x, .nearestHalfUp) else { throw beyondInt(input, c, table, "") }
        return result(value)
    }

    /// The index of `c` on `segment`: on scaled integers when `x` (its scaled form) is given and fits,
    /// else in `Decimal`; `nil` when it is beyond `Int`.
    private static func index(_ segment: AQIBreakpointTable.Segment, _ c: Decimal, _ x: ScaledDecimal?, _ rounding: AQIRounding) -> Int? {
        if let x, let value = segment.index(of: x, rounding: rounding) { return value }
        return segment.decimalIndex(of: c, rounding: rounding)
    }

    /// The error for a concentration whose index does not fit an `Int` (EPA: from about 9 × 10^15 ppm of
    /// 1-h O3, 5 × 10^18 µg/m³ of PM2.5): no instrument reads that, so it is refused as input, not indexed.
    private static func beyondInt(_ input: AQIConcentration, _ c: Decimal, _ table: AQIBreakpointTable, _ rule: String) -> StandardsError {
        let how = rule.isEmpty ? "its index" : "\(rule), and the index"
        return StandardsError(
            .invalidValue,
            "\(input.key) = \(c) \(table.unit) is not a real concentration: \(how) is beyond \(Int.max)")
    }

    /// The SO2 rule of the TAD (reference/standards.md §2.2): the daily maximum 1-h value below 305 ppb is
    /// indexed and a 24-h average is not used; at or above 305 ppb the 24-h average is indexed, and a
    /// 24-h average below 305 ppb gives 200.
    ///
    /// - Throws: ``StandardsError`` (``StandardsError/Code/notApplicable``) for a 1-h value at or above
    ///   305 ppb without the 24-h average: SO2's index is then 200 or more, and which needs the average.
    ///   Leaving SO2 out would print an AQI (even "Good") that the standard does not give.
    private static func applyEPASulphurDioxideRule(_ iaqis: inout [IAQI]) throws(StandardsError) {
        guard let hour = iaqis.first(where: { $0.pollutant == .so2 && $0.period == .hour }) else { return }
        let day = iaqis.firstIndex { $0.pollutant == .so2 && $0.period == .day }
        if hour.value != nil {
            // Below 305 ppb the 1-h value decides; an average beside it is not used, whatever its value.
            if let day, iaqis[day].value != nil {
                iaqis[day].value = nil
                iaqis[day].rule = .notIndexed(useInstead: .hour)
                iaqis[day].note = "the 1-h SO2 is below 305 ppb, so it is indexed and the 24-h average is not used (TAD §IV)"
            }
            return
        }
        guard let day else {
            throw StandardsError(
                .notApplicable,
                "SO2:1h = \(hour.concentration) ppb is at or above 305 ppb: the EPA indexes SO2 by its 24-h average then "
                    + "(index 200 when the average is below 305 ppb, 201 and up from 305); give SO2:24h as well")
        }
        guard iaqis[day].value == nil else { return }
        iaqis[day].value = 200
        iaqis[day].rule = .fixed
        iaqis[day].note = "1-h SO2 at or above 305 ppb with a 24-h average below 305 ppb: SO2 index 200 (TAD Table 6)"
    }

    private static func supportedHint(_ pollutant: AQIPollutant, _ standard: AQIStandard) -> String {
        let periods = tables(standard).filter { $0.pollutant == pollutant }.map(\.period.rawValue)
        let extra = standard == .hj633_2026 && (pollutant == .pm10 || pollutant == .pm25) ? ["1h"] : []
        return periods.isEmpty ? "" : " (it indexes \(pollutant.rawValue) as \((periods + extra).joined(separator: ", ")))"
    }
}

/// How ``AirQualityIndex`` computes: on scaled integers (with `Decimal` for values too long for them), or in
/// `Decimal` only, the way it computed before and the reference the tests compare the integer way with.
enum AQIArithmetic {
    case integer
    case decimal
}
