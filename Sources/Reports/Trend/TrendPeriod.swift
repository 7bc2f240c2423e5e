public import Monitoring

/// A stretch of a series a chart shades, and why: readings the station flagged, or hours that
/// have readings but too few valid ones to count.
public struct TrendPeriod: Sendable, Hashable {
    /// Why the period is shaded.
    public enum Reason: Sendable, Hashable {
        /// Readings carried these flags (never `N` alone).
        case flagged(DataFlagSet)
        /// Buckets (hours, or days on a day step) whose valid readings cover less than 75 % of
        /// the expected ones (GB 3095 Table 4, HJ 356: 45 of 60 minutes).
        case invalid
    }

    /// The first instant, UTC seconds.
    public var from: Int64
    /// The end (exclusive).
    public var to: Int64
    /// Why.
    public var reason: Reason

    /// A period.
    public init(from: Int64, to: Int64, reason: Reason) {
        self.from = from
        self.to = to
        self.reason = reason
    }

    /// `periods` with touching ones of the same reason joined, in time order.
    static func merged(_ periods: [TrendPeriod]) -> [TrendPeriod] {
        var out: [TrendPeriod] = []
        var open: [Reason: Int] = [:]
        for p in periods.sorted(by: { $0.from < $1.from }) {
            if let i = open[p.reason], out[i].to >= p.from {
                out[i].to = max(out[i].to, p.to)
            } else {
                open[p.reason] = out.count
                out.append(p)
            }
        }
        return out
    }
}
