import Monitoring

/// Running count, valid count, sum, min, max and flags of the readings of one rollup bucket.
struct RollupAccumulator {
    var count = 0
    var validCount = 0
    var sum = 0.0
    var min: Double?
    var max: Double?
    var flags = DataFlagSet(rawValue: 0)

    mutating func add(_ value: Double, _ flag: DataFlag) {
        count += 1
        flags.insert(flag)
        guard flag.isValid else { return }
        validCount += 1
        sum += value
        if let m = min { if value < m { min = value } } else { min = value }
        if let m = max { if value > m { max = value } } else { max = value }
    }

    mutating func merge(count: Int, validCount: Int, sum: Double, min: Double?, max: Double?, flags: DataFlagSet) {
        self.count += count
        self.validCount += validCount
        self.sum += sum
        if let v = min { self.min = Swift.min(self.min ?? v, v) }
        if let v = max { self.max = Swift.max(self.max ?? v, v) }
        self.flags.rawValue |= flags.rawValue
    }

    func value(_ function: Aggregation) -> Double? {
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
struct BucketKey: Hashable {
    let series: Int64
    let resolution: Int64
    let start: Int64
}
