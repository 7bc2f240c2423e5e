/// Percentiles of a set of latencies (nearest-rank), as the simulator reports its acknowledgements.
///
/// ```swift
/// let summary = LatencySummary(nanoseconds)
/// summary.p99   // nanoseconds, or nil when there were none
/// ```
public struct LatencySummary: Sendable, Hashable {
    /// How many latencies.
    public let count: Int
    /// The median.
    public let p50: Int64?
    /// The 90th percentile.
    public let p90: Int64?
    /// The 99th percentile.
    public let p99: Int64?
    /// The largest.
    public let max: Int64?

    /// Summarises latencies, in any unit.
    public init(_ values: [Int64]) {
        let sorted = values.sorted()
        count = sorted.count
        p50 = LatencySummary.percentile(sorted, 50)
        p90 = LatencySummary.percentile(sorted, 90)
        p99 = LatencySummary.percentile(sorted, 99)
        max = sorted.last
    }

    /// The nearest-rank percentile `p` (0–100) of sorted values: the smallest value with at least
    /// `p` % of the values at or below it.
    public static func percentile(_ sorted: [Int64], _ p: Double) -> Int64? {
        guard !sorted.isEmpty else { return nil }
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[Swift.min(sorted.count - 1, Swift.max(0, rank - 1))]
    }
}
