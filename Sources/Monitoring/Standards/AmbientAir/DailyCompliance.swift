import Foundation

/// One natural day's mean of an ambient pollutant, judged against a 24-h limit of GB 3095.
///
/// The day's hourly values decide it in three steps:
/// 1. **Validity** (GB 3095 Table 4, ``AmbientValidity``): the daily mean needs ≥ 20 valid hourly means
///    (TSP, BaP and Pb 24 h of sampling). A day with fewer is ``Verdict/noData``, never compliant: a
///    silent analyser must not make a clean record.
/// 2. **Mean**: the arithmetic mean of the valid hours, unrounded. reference/standards.md documents no
///    rounding of daily means before a GB 3095 comparison (the GB/T 8170 rounding of HJ 633-2026 §4.2.2
///    applies to AQI indexing only, and whether HJ 663-2026 adds one is its open item 6), so none is applied.
/// 3. **Verdict**: the mean strictly above the limit exceeds; a mean equal to the limit meets it. The
///    comparison is exact in decimal (Σ hourly > limit × hours, each hour taken by its shortest decimal
///    form), so a day of hours that average exactly 75 is not pushed over 75 by binary rounding.
///
/// The limit is that of the edition in force on the day itself (``AmbientAirLimits/applicable(on:)``):
/// 2013 data is judged by GB 3095-2012 even when the report is run in 2027.
///
/// ```swift
/// let hours: [Double?] = Array(repeating: 80, count: 20) + [nil, nil, nil, nil]
/// let day = try DailyCompliance.evaluate(hours, pollutant: "PM2.5", grade: .two, on: CivilTime(year: 2016, month: 1, day: 1))
/// day.verdict   // .exceeds (80 > 75, GB 3095-2012)
/// ```
public struct DailyCompliance: Sendable, Hashable {
    /// What a day's mean says about the limit.
    public enum Verdict: String, Sendable, Hashable, Codable, CaseIterable {
        /// A valid daily mean strictly above the limit.
        case exceeds
        /// A valid daily mean at or below the limit.
        case meets
        /// Too few valid hours for a daily mean: neither compliant nor an exceedance.
        case noData = "no-data"
    }

    /// The number of valid hourly values of the day.
    public var validHours: Int
    /// The mean of the valid hours, in the limit's unit; `nil` when the day has too few of them.
    public var mean: Double?
    /// The 24-h limit the day was judged against.
    public var limit: AmbientAirLimit
    /// The GB 3095 edition the limit comes from; `nil` when a limit of another source was given.
    public var edition: AmbientAirLimits.Edition?
    /// The verdict.
    public var verdict: Verdict

    /// Judges a day's hourly values against a given 24-h limit, such as a rule's own.
    ///
    /// - Parameters:
    ///   - hourly: The day's hourly means in the limit's unit, in any order; `nil` for an hour that is
    ///     missing, flagged or has too little sampling (see ``AmbientValidity/isValidHour(validReadings:expectedReadings:)``).
    ///     Days the clocks change may have 23 or 25 entries.
    ///   - limit: The limit; its pollutant decides the validity rule (TSP, BaP and Pb need 24 hours).
    ///   - edition: The GB 3095 edition of the limit, if it is one.
    public init(hourly: [Double?], limit: AmbientAirLimit, edition: AmbientAirLimits.Edition? = nil) {
        let valid = hourly.compactMap { $0 }
        self.validHours = valid.count
        self.limit = limit
        self.edition = edition
        guard AmbientValidity.isValidDay(validHours: valid.count, pollutant: limit.pollutant) else {
            self.mean = nil
            self.verdict = .noData
            return
        }
        let sum = valid.reduce(Decimal(0)) { $0 + Decimal(shortestOf: $1) }
        let hours = Decimal(valid.count)
        // Through the decimal's digits: NSDecimalNumber's doubleValue is off in the last places (2.2625 → 2.2625000000000006).
        let mean = sum / hours
        self.mean = Double("\(mean)") ?? mean.doubleValue
        self.verdict = sum > limit.limit * hours ? .exceeds : .meets
    }

    /// Judges a day's hourly values against the GB 3095 24-h limit in force on that day.
    ///
    /// - Parameters:
    ///   - hourly: The day's hourly means in the limit's unit (µg/m³; CO mg/m³), `nil` for invalid hours.
    ///   - pollutant: The pollutant's catalogue id: `PM2.5`, `PM10`, `SO2`, `NO2`, `CO`, `NOx`, `TSP`, `BaP`.
    ///   - grade: Grade 1 (class-1 zones) or grade 2 (class-2 zones, the usual city site).
    ///   - date: The station-local calendar day; its time of day is ignored. It picks the edition.
    /// - Returns: The day's valid hours, mean, limit, edition and verdict.
    /// - Throws: ``StandardsError`` with ``StandardsError/Code/unknownParameter`` when GB 3095 has no
    ///   limits for the pollutant, or ``StandardsError/Code/unsupportedPeriod`` when it has no 24-h limit
    ///   for it (O3 is judged by its daily maximum 8-h mean instead).
    public static func evaluate(
        _ hourly: [Double?], pollutant: String, grade: AmbientGrade, on date: CivilTime
    ) throws(StandardsError) -> DailyCompliance {
        let limits = AmbientAirLimits.applicable(on: date)
        return DailyCompliance(hourly: hourly, limit: try dailyLimit(pollutant, grade: grade, in: limits), edition: limits.edition)
    }

    /// The 24-h limit of a pollutant and grade in an edition, or why there is none.
    ///
    /// - Throws: ``StandardsError`` naming the pollutant and the edition, as in ``evaluate(_:pollutant:grade:on:)``.
    public static func dailyLimit(_ pollutant: String, grade: AmbientGrade, in limits: AmbientAirLimits) throws(StandardsError) -> AmbientAirLimit {
        if let limit = limits.limit(pollutant, .day, grade: grade) { return limit }
        let name = limits.edition.documentName
        let periods = limits.limits.filter { $0.pollutant == pollutant && $0.grade == grade }.map(\.period.rawValue)
        if periods.isEmpty {
            throw StandardsError(.unknownParameter, "\(name) sets no limit for '\(pollutant)'")
        }
        throw StandardsError(.unsupportedPeriod, "\(name) sets no 24-h limit for \(pollutant) (only \(periods.joined(separator: ", ")))")
    }
}
