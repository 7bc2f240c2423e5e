/// The percentile of HJ 663 (reference/standards.md §4.3, from HJ 663-2013 Appendix A, tagged [M]):
/// sort the n valid daily values ascending, take the rank k = 1 + (n − 1) × p / 100, and interpolate
/// linearly between the values at ranks ⌊k⌋ and ⌊k⌋ + 1 (1-based).
///
/// ```swift
/// HJ663Percentile.value(of: [10, 20, 30, 40, 50], percent: 90)  // 46: k = 4.6, 40 + 0.6 × 10
/// ```
public enum HJ663Percentile {
    /// The `percent` percentile of `values`, or `nil` when there are none.
    public static func value(of values: [Double], percent: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let k = 1 + Double(sorted.count - 1) * percent / 100
        let s = Int(k.rounded(.down))
        guard s < sorted.count else { return sorted[sorted.count - 1] }
        return sorted[s - 1] + (sorted[s] - sorted[s - 1]) * (k - Double(s))
    }
}
