public import Foundation

/// One legal limit of an effluent or flue-gas discharge standard, as data with its conditions and source.
///
/// Water limits are compared with the flow-weighted **daily mean** (GB 18918 Table 1); flue-gas limits with
/// the **1-h mean** of the dry, standard-state concentration corrected to ``referenceOxygen`` (see
/// ``OxygenCorrection``).
public struct DischargeLimit: Sendable, Hashable {
    /// What a limit is compared with.
    public enum Averaging: String, Sendable, Hashable, Codable {
        /// The daily mean (flow-weighted for water).
        case dailyMean
        /// The 1-h mean.
        case hourlyMean
    }

    /// The parameter's catalogue id where it has one (`COD`, `NH3-N`, `TP`, `SO2`, `NOx`, `Dust`, `Hg`…).
    public var parameter: String
    /// The lowest allowed value (pH), if any.
    public var minimum: Decimal?
    /// The highest allowed value, if any.
    public var maximum: Decimal?
    /// The unit: `mg/L`, `mg/m³`, `个/L`, `dilution`, or empty (pH).
    public var unit: String
    /// What the limit is compared with.
    public var averaging: Averaging
    /// The reference O2 content in percent for flue-gas limits; `nil` for water.
    public var referenceOxygen: Decimal?
    /// The condition under which the limit applies, in words, if any (`water temperature ≤ 12 °C`).
    public var condition: String?
    /// Where the number comes from.
    public var source: StandardSource

    /// Creates a limit.
    public init(
        parameter: String, minimum: Decimal? = nil, maximum: Decimal?, unit: String, averaging: Averaging, referenceOxygen: Decimal? = nil,
        condition: String? = nil, source: StandardSource
    ) {
        self.parameter = parameter
        self.minimum = minimum
        self.maximum = maximum
        self.unit = unit
        self.averaging = averaging
        self.referenceOxygen = referenceOxygen
        self.condition = condition
        self.source = source
    }

    /// Whether a value (in ``unit``; for flue gas already O2-corrected) is outside the limit; a value on the
    /// limit complies.
    public func isExceeded(by value: Decimal) -> Bool {
        if let maximum, value > maximum { return true }
        if let minimum, value < minimum { return true }
        return false
    }

    /// Whether a reading is outside the limit, compared through its shortest decimal form.
    public func isExceeded(by reading: Double) -> Bool { isExceeded(by: Decimal(shortestOf: reading)) }
}
