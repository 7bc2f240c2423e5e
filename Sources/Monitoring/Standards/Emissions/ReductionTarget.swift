import Foundation

/// A total-amount reduction target of a plan (五年规划约束性指标): a reduction of the base-year emissions by
/// the end of an n-year plan, with progress measured against the pro-rated schedule (序时进度).
///
/// ```swift
/// let nox = ReductionTarget(baseEmissions: 100, reduction: 0.10, years: 5)
/// nox.scheduledReduction(afterYear: 4)                 // 0.08
/// nox.isOnSchedule(emissions: 91.4, afterYear: 4)       // true: 8.6 % ≥ 8 %
/// nox.equivalentAnnualRate                              // 0.0209
/// ```
public struct ReductionTarget: Sendable, Hashable, Codable {
    /// The base-year emissions (any unit).
    public var baseEmissions: Double
    /// The reduction required by the end of the plan, as a fraction (0.10 for 10 %).
    public var reduction: Double
    /// The plan's length in years.
    public var years: Int

    /// Creates a target.
    public init(baseEmissions: Double, reduction: Double, years: Int) {
        self.baseEmissions = baseEmissions
        self.reduction = reduction
        self.years = years
    }

    /// The cumulative reduction achieved: (E_base − E) / E_base.
    public func cumulativeReduction(emissions: Double) -> Double { (baseEmissions - emissions) / baseEmissions }

    /// The reduction expected by the end of year `k` of the plan: target × k / n.
    public func scheduledReduction(afterYear k: Int) -> Double { reduction * Double(k) / Double(years) }

    /// Whether the emissions of year `k` are at or ahead of the pro-rated schedule.
    public func isOnSchedule(emissions: Double, afterYear k: Int) -> Bool {
        cumulativeReduction(emissions: emissions) >= scheduledReduction(afterYear: k) - 1e-12
    }

    /// Whether the whole target is already met.
    public func isMet(emissions: Double) -> Bool { cumulativeReduction(emissions: emissions) >= reduction - 1e-12 }

    /// The equivalent compound annual reduction rate 1 − (1 − R)^(1/n): 10 % over 5 years is 2.09 % a year.
    public var equivalentAnnualRate: Double { 1 - pow(1 - reduction, 1 / Double(years)) }

    /// The year-over-year change (E_t − E_{t−1}) / E_{t−1}: negative is a reduction.
    public static func yearOverYearChange(current: Double, previous: Double) -> Double { (current - previous) / previous }
}
