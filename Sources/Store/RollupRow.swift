public import Monitoring

/// One stored rollup bucket of a series: everything the store keeps of an hour or a local day.
public struct RollupRow: Sendable, Hashable {
    /// The bucket's first instant, UTC seconds.
    public var start: Int64
    /// All readings in the bucket, and the valid ones.
    public var count: Int
    public var validCount: Int
    /// The sum, least and greatest of the valid readings (`nil`: none valid).
    public var sum: Double
    public var min: Double?
    public var max: Double?
    /// The flags that occurred.
    public var flags: DataFlagSet
    /// Readings expected in the bucket.
    public var expectedCount: Int

    /// Creates a bucket.
    public init(
        start: Int64, count: Int, validCount: Int, sum: Double, min: Double?, max: Double?, flags: DataFlagSet, expectedCount: Int
    ) {
        self.start = start
        self.count = count
        self.validCount = validCount
        self.sum = sum
        self.min = min
        self.max = max
        self.flags = flags
        self.expectedCount = expectedCount
    }

    /// The mean of the valid readings.
    public var mean: Double? { validCount > 0 ? sum / Double(validCount) : nil }
}
