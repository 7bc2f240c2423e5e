public import Foundation

/// The individual air quality index (IAQI, 空气质量分指数) of one concentration.
///
/// ``value`` is `nil` when the standard says the concentration is not indexed and another averaging
/// period must be used instead (``Rule/notIndexed(useInstead:)``), for example 1-h SO2 above 800 µg/m³
/// under HJ 633-2012.
public struct IAQI: Sendable, Hashable {
    /// Why an IAQI is not the plain value of the breakpoint table.
    public enum Rule: Sendable, Hashable {
        /// The standard does not index this value; the other period's IAQI stands for the pollutant.
        case notIndexed(useInstead: AveragingPeriod)
        /// The standard fixes the IAQI (HJ 633-2026: SO2 1-h > 800 → 200, O3 8-h > 800 → 300; EPA: 1-h SO2
        /// ≥ 305 ppb with a 24-h average below 305 → 200).
        case fixed
        /// Above the table's top breakpoint: HJ 633 defines nothing and 500 is reported; the EPA extrapolates
        /// the top segment.
        case aboveTable
    }

    /// The pollutant.
    public var pollutant: AQIPollutant
    /// The averaging period.
    public var period: AveragingPeriod
    /// The concentration as given.
    public var concentration: Decimal
    /// The concentration the index was computed from, after the standard's rounding (HJ 633-2026: GB/T 8170
    /// to integers, CO to 0.1) or truncation (EPA).
    public var indexedConcentration: Decimal
    /// The index, or `nil` when this value is not indexed.
    public var value: Int?
    /// The rule that set or suppressed the value, if any.
    public var rule: Rule?
    /// The rule in words, citing the standard.
    public var note: String?

    /// Creates an IAQI.
    public init(
        pollutant: AQIPollutant, period: AveragingPeriod, concentration: Decimal, indexedConcentration: Decimal, value: Int?,
        rule: Rule? = nil, note: String? = nil
    ) {
        self.pollutant = pollutant
        self.period = period
        self.concentration = concentration
        self.indexedConcentration = indexedConcentration
        self.value = value
        self.rule = rule
        self.note = note
    }

    /// `PM2.5:24h`.
    public var key: String { "\(pollutant.rawValue):\(period.rawValue)" }
}
