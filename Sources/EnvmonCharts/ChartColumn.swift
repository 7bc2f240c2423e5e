/// One pixel column of a chart: the samples that overlap its slice of time, combined.
public struct ChartColumn: Sendable, Hashable {
    /// The least value.
    public var min: Double
    /// The greatest value.
    public var max: Double
    /// The mean, weighted by each sample's count.
    public var mean: Double
    /// The readings the column stands for.
    public var count: Int

    /// A column.
    public init(min: Double, max: Double, mean: Double, count: Int) {
        self.min = min
        self.max = max
        self.mean = mean
        self.count = count
    }
}
