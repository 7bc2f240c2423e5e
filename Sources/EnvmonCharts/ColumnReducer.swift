/// Reduces a series to one column per pixel over `[from, to)`: the least, greatest and mean value
/// and the count of the samples overlapping each column's slice of time. A column that no sample
/// overlaps is `nil`: a gap, drawn as a gap.
///
/// A sample longer than a column (an hour rollup on a day chart) fills every column it overlaps,
/// so a series without gaps draws without gaps at any width; samples outside the range are left
/// out. The work is one pass over the samples; the output has `columns` entries whatever the
/// input's length, so a chart of a year of minute data weighs what a chart of a day does.
///
/// ```swift
/// let reducer = ColumnReducer(from: t0, to: t0 + 86_400, columns: 900)
/// let columns = reducer.reduce(samples)   // 900 entries, nil where there is no data
/// ```
public struct ColumnReducer: Sendable, Hashable {
    /// The first instant, UTC seconds.
    public var from: Int64
    /// The end (exclusive), UTC seconds.
    public var to: Int64
    /// The number of columns (pixels).
    public var columns: Int

    /// A reducer of `[from, to)` into `columns` columns (at least 1; an empty range is widened to 1 s).
    public init(from: Int64, to: Int64, columns: Int) {
        self.from = from
        self.to = Swift.max(to, from + 1)
        self.columns = Swift.max(1, columns)
    }

    /// The column holding instant `t` (unclamped: negative before `from`, ≥ `columns` from `to` on).
    public func column(of t: Int64) -> Int {
        let span = to - from
        // Multiplied in Double: a year in seconds times thousands of columns stays exact enough.
        return Int((Double(t - from) * Double(columns) / Double(span)).rounded(.down))
    }

    /// The first instant of column `i`.
    public func start(ofColumn i: Int) -> Int64 {
        from + Int64((Double(i) * Double(to - from) / Double(columns)).rounded(.up))
    }

    /// The columns of `samples` (in any order): `columns` entries, `nil` for a gap.
    public func reduce(_ samples: some Sequence<ChartSample>) -> [ChartColumn?] {
        var lo = [Double](repeating: .infinity, count: columns)
        var hi = [Double](repeating: -.infinity, count: columns)
        var sum = [Double](repeating: 0, count: columns)
        var count = [Int](repeating: 0, count: columns)
        for s in samples where s.end > from && s.start < to && s.mean.isFinite {
            let first = Swift.max(0, column(of: Swift.max(s.start, from)))
            let last = Swift.min(columns - 1, column(of: Swift.min(s.end, to) - 1))
            guard first <= last else { continue }
            for c in first...last {
                lo[c] = Swift.min(lo[c], s.min)
                hi[c] = Swift.max(hi[c], s.max)
                sum[c] += s.mean * Double(s.count)
                count[c] += s.count
            }
        }
        return (0..<columns).map { c in
            count[c] == 0 ? nil : ChartColumn(min: lo[c], max: hi[c], mean: sum[c] / Double(count[c]), count: count[c])
        }
    }
}
