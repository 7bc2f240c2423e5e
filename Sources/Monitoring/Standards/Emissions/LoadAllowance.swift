/// Within-year tracking of emissions against a permitted annual amount (许可排放量): the pro-rated allowance
/// to date, the ratio of actual to it, and a year-end projection.
///
/// The day-fraction profile is a design choice of envmon, not a regulation (reference/standards.md §7.3).
///
/// ```swift
/// let allowance = LoadAllowance(annualPermit: 365_000)              // kg/a
/// let fraction = LoadAllowance.elapsedFraction(throughEndOf: CivilTime(year: 2025, month: 3, day: 31))  // 90/365
/// allowance.proRated(fraction)                                      // 90 000 kg
/// LoadAllowance.projectedYearEnd(actualToDate: 99_000, elapsedFraction: fraction)  // 401 500 kg
/// ```
public struct LoadAllowance: Sendable, Hashable, Codable {
    /// The permitted annual amount (any mass unit; results are in the same unit).
    public var annualPermit: Double

    /// Creates an allowance.
    public init(annualPermit: Double) { self.annualPermit = annualPermit }

    /// The fraction of a calendar year elapsed at the end of a civil date: day of year / days in the year.
    public static func elapsedFraction(throughEndOf date: CivilTime) -> Double {
        let start = CivilTime.daysFromCivil(year: date.year, month: 1, day: 1)
        let dayOfYear = CivilTime.daysFromCivil(year: date.year, month: date.month, day: date.day) - start + 1
        let days = CivilTime.daysFromCivil(year: date.year + 1, month: 1, day: 1) - start
        return Double(dayOfYear) / Double(days)
    }

    /// The allowance to date: the annual permit × the elapsed fraction of the year (0…1).
    public func proRated(_ elapsedFraction: Double) -> Double { annualPermit * elapsedFraction }

    /// Cumulative actual emissions over the pro-rated allowance (alert at, for example, 0.9 and 1.0);
    /// `nil` before any of the year has elapsed.
    public func usage(actualToDate: Double, elapsedFraction: Double) -> Double? {
        let allowed = proRated(elapsedFraction)
        return allowed > 0 ? actualToDate / allowed : nil
    }

    /// The year-end total if the pace so far holds: actual to date / elapsed fraction; `nil` at fraction 0.
    public static func projectedYearEnd(actualToDate: Double, elapsedFraction: Double) -> Double? {
        elapsedFraction > 0 ? actualToDate / elapsedFraction : nil
    }
}
