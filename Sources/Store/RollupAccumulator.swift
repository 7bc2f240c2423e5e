package import Monitoring

/// Running count, valid count, sum, min, max and flags of the readings of one rollup bucket.
///
/// Visible to the package's other stores (``PostgresStore``): one definition of what a rollup
/// holds and of which readings count as valid.
package struct RollupAccumulator {
    /// All readings, flagged ones included.
    package var count = 0
    /// Valid readings (see `DataFlag.isValid`).
    package var validCount = 0
    /// The sum of the valid readings.
    package var sum = 0.0
    /// The smallest valid reading.
    package var min: Double?
    /// The largest valid reading.
    package var max: Double?
    /// The flags seen among all readings.
    package var flags = DataFlagSet(rawValue: 0)

    /// An empty accumulator.
    package init() {}

    /// Adds one reading.
    package mutating func add(_ value: Double, _ flag: DataFlag) {
        count += 1
        flags.insert(flag)
        guard flag.isValid else { return }
        validCount += 1
        sum += value
        if let m = min { if value < m { min = value } } else { min = value }
        if let m = max { if value > m { max = value } } else { max = value }
    }

    /// Adds the totals of another bucket (a rollup row).
    package mutating func merge(count: Int, validCount: Int, sum: Double, min: Double?, max: Double?, flags: DataFlagSet) {
        self.count += count
        self.validCount += validCount
        self.sum += sum
        if let v = min { self.min = Swift.min(self.min ?? v, v) }
        if let v = max { self.max = Swift.max(self.max ?? v, v) }
        self.flags.rawValue |= flags.rawValue
    }

    /// The bucket's value by `function`; nil when no reading is valid.
    package func value(_ function: Aggregation) -> Double? {
        switch function {
        case .avg, .flowWeighted: validCount > 0 ? sum / Double(validCount) : nil
        case .min: min
        case .max: max
        case .sum: validCount > 0 ? sum : nil
        case .count: Double(validCount)
        }
    }
}

/// A rollup bucket key.
package struct BucketKey: Hashable, Sendable {
    /// The series' id in its store.
    package let series: Int64
    /// 3,600 (an hour) or 86,400 (a local day).
    package let resolution: Int64
    /// The bucket's first instant.
    package let start: Int64

    /// Creates a key.
    package init(series: Int64, resolution: Int64, start: Int64) {
        self.series = series
        self.resolution = resolution
        self.start = start
    }
}
