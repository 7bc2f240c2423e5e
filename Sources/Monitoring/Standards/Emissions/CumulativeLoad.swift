/// A running total of emitted mass, keeping measured and substituted (gap-filled) parts apart.
///
/// Annual and period totals are the sum of valid-hour loads plus flagged substitutes for gaps (HJ 75-2017);
/// substitutes count toward totals only, never toward compliance.
public struct CumulativeLoad: Sendable, Hashable, Codable {
    /// Kilograms from valid measurements.
    public var measured: Double = 0
    /// Kilograms from substituted values.
    public var substituted: Double = 0

    /// Creates a total.
    public init(measured: Double = 0, substituted: Double = 0) {
        self.measured = measured
        self.substituted = substituted
    }

    /// The total in kilograms.
    public var total: Double { measured + substituted }

    /// Adds a load in kilograms.
    public mutating func add(_ kilograms: Double, substituted isSubstitute: Bool = false) {
        if isSubstitute { substituted += kilograms } else { measured += kilograms }
    }
}
